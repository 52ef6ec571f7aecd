import App
import LedgerCore

/// Parses an option's value with the same parser as the CSV cell, or a user error naming the
/// option: `--fee: found '12,50', expected a dot-decimal amount like 1234.50 (...)`.
func parseOption<T>(_ label: String, _ raw: String, _ parse: (String) -> Result<T, ValueProblem>) throws -> T {
    let text = raw.trimmingASCIISpaces()
    switch text.isEmpty ? .failure(ValueProblem("a value")) : parse(text) {
    case let .success(value): return value
    case let .failure(problem): throw UserError("\(label): found '\(raw)', expected \(problem.expected)")
    }
}

/// An optional option: nil stays nil.
func parseOption<T>(_ label: String, _ raw: String?, _ parse: (String) -> Result<T, ValueProblem>) throws -> T? {
    guard let raw else { return nil }
    let value: T = try parseOption(label, raw, parse)
    return value
}

/// Free text that must not be blank (names, reasons).
func requiredText(_ label: String, _ raw: String) throws -> String {
    let text = raw.trimmingASCIISpaces()
    guard !text.isEmpty else { throw UserError("\(label): found '\(raw)', expected a non-empty text") }
    return text
}

/// Runs a master-data use case; a conflict becomes a user error naming the argument to blame.
func resolving<T>(creatorLabel: String, keyLabel: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as MasterDataConflict {
        let label = error.field == .creator ? creatorLabel : keyLabel
        throw UserError("\(label): found '\(error.found)', expected \(error.expected)")
    }
}

/// A date as the ledger shows it: `2026-07-01` at midnight, else the full timestamp in its zone.
func describe(_ instant: Instant, zone: Zone) -> String {
    let date = zone.civilDate(of: instant)
    return zone.startOfDay(date) == instant ? date.description : zone.timestamp(instant).description
}

/// "nothing added" wording shared by the single commands.
func unchangedNote(_ what: String) -> String { "\(what) is already in the ledger; nothing added." }

/// Says so when a fee or adjustment is dated in a month already closed: it is paid (or taken
/// back) in the next month closed, and the frozen statement stays as it is.
func noteIfDatedInClosedMonth(_ session: LedgerSession, at instant: Instant, what: String) {
    guard let (month, lastClosed) = (try? session.closedMonth(containing: instant)) ?? nil else { return }
    printNote(
        "\(month) is closed: this \(what) lands in the next month closed (\(lastClosed.next)); "
            + "closed statements never change")
}

/// Says what a change dated in closed months does (terms set, code assign): those months'
/// statements stay as they are, their orders are re-priced in the next close, by how much there.
func noteRepricing(_ r: ClosedMonthsRepricing?, what: String, currency: Currency) {
    guard let r else { return }
    let months = r.from == r.through ? "the closed month \(r.from)" : "the closed months \(r.from)..\(r.through)"
    let e = currency.minorUnitExponent
    let effect: String
    switch r.moved {
    case nil: effect = "see tally payout preview --month \(r.next)"
    case let moved? where moved.isEmpty: effect = "nothing moves in \(r.next)'s preview"
    case let moved?:
        let each = moved.map { m in
            let delta = m.afterMinor - m.beforeMinor
            return "\(m.creator) \(delta > 0 ? "+" : "")\(formatMinor(delta, exponent: e)) (balance "
                + "\(formatMinor(m.beforeMinor, exponent: e)) -> \(formatMinor(m.afterMinor, exponent: e)))"
        }
        effect =
            "in \(r.next)'s preview: " + each.joined(separator: ", ")
            + ", \(r.newLines) new line\(r.newLines == 1 ? "" : "s")"
    }
    printNote(
        "\(what) reach\(what.hasPrefix("these") ? "" : "es") into \(months), whose statements stay as they are: "
            + "their orders are re-priced in the next close (\(r.next)); \(effect)")
}
