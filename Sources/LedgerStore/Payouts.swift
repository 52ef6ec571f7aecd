import LedgerCore

/// A payout command that cannot run as asked (closed month, months out of order, missing rates).
public struct PayoutError: Error, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}

/// The outcome of `markPaid`.
public enum MarkPaidOutcome: Equatable, Sendable {
    case recorded(amountMinor: Int64)
    /// The same reference was recorded before: nothing written.
    case alreadyRecorded(amountMinor: Int64)
}

extension Ledger {
    /// Month M computed without freezing it, with notes for the user (earlier months still open).
    public func previewMonth(_ month: YearMonth) throws -> (result: MonthResult, notes: [String]) {
        let snapshot = try self.snapshot()
        if snapshot.closedMonths.contains(where: { $0.month == month }) {
            throw PayoutError("\(month) is closed: its statements are frozen; see 'tally payout show --month \(month)'")
        }
        var notes: [String] = []
        if let last = snapshot.lastClosedMonth {
            if month < last { throw PayoutError("\(month) is before \(last), the last closed month: it can no longer be closed; facts dated in it land in \(last.next)") }
            if month > last.next { notes.append("\(last.next) is not closed yet: this preview includes its facts, and \(month) can be closed only after it") }
        }
        let now = clock.now()
        if now < settings.zone.startOfMonth(month.next) { notes.append("\(month) has not ended yet: the figures will change") }
        return (computeMonth(month, snapshot: snapshot), notes)
    }

    /// Closes month M: one `statement issued` per creator and one `month closed`, in one transaction.
    /// Refuses a closed month, a month out of order, a month not yet ended and missing exchange rates.
    @discardableResult
    public func closeMonth(_ month: YearMonth) throws -> MonthResult {
        try write { ledger in
            let snapshot = try ledger.snapshot()
            try ledger.checkCloseable(month, snapshot)
            let result = computeMonth(month, snapshot: snapshot)
            if !result.blocking.isEmpty { throw PayoutError(blockingMessage(month, result.blocking)) }
            for fact in result.facts(zone: ledger.settings.zone) { try ledger.append(fact) }
            return result
        }
    }

    func checkCloseable(_ month: YearMonth, _ snapshot: LedgerSnapshot) throws {
        if snapshot.closedMonths.contains(where: { $0.month == month }) {
            throw PayoutError("\(month) is already closed: a month is closed once; see 'tally payout show --month \(month)'")
        }
        if let last = snapshot.lastClosedMonth {
            if month < last { throw PayoutError("\(month) is before \(last), the last closed month: months are closed in order; facts dated in \(month) land in \(last.next)") }
            if month > last.next { throw PayoutError("close \(last.next) first: months are closed in order") }
        }
        let end = settings.zone.startOfMonth(month.next)
        if clock.now() < end {
            throw PayoutError("\(month) has not ended yet: it can be closed from \(settings.zone.timestamp(end))")
        }
    }

    /// Records that a closed month's payout to `creator` was made, with its external reference, once.
    public func markPaid(month: YearMonth, creator: String, reference: String) throws -> MarkPaidOutcome {
        try write { ledger in
            let snapshot = try ledger.snapshot()
            guard snapshot.closedMonths.contains(where: { $0.month == month }) else {
                throw PayoutError("\(month) is not closed: only a closed month's payouts can be marked paid")
            }
            guard let statement = snapshot.statements.first(where: { $0.month == month && $0.creator == creator }), statement.figures.payoutMinor > 0 else {
                throw PayoutError("\(creator) has no payout for \(month)")
            }
            let amount = statement.figures.payoutMinor
            if let paid = snapshot.payoutsPaid.first(where: { $0.month == month && $0.creator == creator }) {
                if paid.reference == reference { return .alreadyRecorded(amountMinor: amount) }
                throw PayoutError("the \(month) payout to \(creator) was already marked paid with reference '\(paid.reference)', not '\(reference)'")
            }
            try ledger.append(.payoutPaid(PayoutPaid(month: month, creator: creator, amountMinor: amount, reference: reference, at: ledger.clock.now())))
            return .recorded(amountMinor: amount)
        }
    }
}

/// "cannot close 2026-09: 2 orders ..." naming each order and the rate it needs.
public func blockingMessage(_ month: YearMonth, _ blocking: [BlockingOrder]) -> String {
    var lines = ["cannot close \(month): \(blocking.count) attributed order\(blocking.count == 1 ? "" : "s") in another currency \(blocking.count == 1 ? "has" : "have") no exchange rate:"]
    for b in blocking {
        lines.append("  \(b.key) (\(b.creator)): needs a \(b.currency.code) rate dated on or before \(b.createdDate)")
    }
    lines.append("add the rates (tally import fx FILE) and close again")
    return lines.joined(separator: "\n")
}
