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
