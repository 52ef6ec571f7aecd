import LedgerCore
import LedgerStore

extension Ledger {
    /// Month M computed without freezing it, with notes for the user (earlier months still open).
    public func previewMonth(_ month: YearMonth) throws -> (result: MonthResult, notes: [String]) {
        let snapshot = try self.snapshot(orders: .attributable)
        var notes: [String] = []
        let closed = snapshot.closedMonths.map(\.month)
        for obstacle in closeObstacles(month, closedMonths: closed, now: clock.now(), zone: settings.zone) {
            if obstacle.refusesPreview { throw PayoutError(obstacle.previewMessage(month)) }
            notes.append(obstacle.previewMessage(month))
        }
        return (computeMonth(month, snapshot: snapshot), notes)
    }

    /// Closes month M: one `statement issued` per creator and one `month closed`, in one transaction.
    /// Refuses a closed month, a month out of order, a month not yet ended and missing exchange rates.
    @discardableResult
    public func closeMonth(_ month: YearMonth) throws -> MonthResult {
        // A close can write a line per commissioned order: one big transaction, rollback journal.
        try withRollbackJournal { try closeMonthTransaction(month) }
    }

    private func closeMonthTransaction(_ month: YearMonth) throws -> MonthResult {
        try write { ledger in
            let snapshot = try ledger.snapshot(orders: .attributable)
            let closed = snapshot.closedMonths.map(\.month)
            let zone = ledger.settings.zone
            if let obstacle = closeObstacles(month, closedMonths: closed, now: ledger.clock.now(), zone: zone).first {
                throw PayoutError(obstacle.closeRefusal(month, zone: zone))
            }
            let result = computeMonth(month, snapshot: snapshot)
            if !result.blocking.isEmpty { throw PayoutError(blockingMessage(month, result.blocking)) }
            for fact in result.facts(zone: zone) { try ledger.append(fact) }
            return result
        }
    }

    /// Records that a closed month's payout to `creator` was made, with its external reference, once.
    public func markPaid(month: YearMonth, creator: String, reference: String) throws -> MarkPaidOutcome {
        try write { ledger in
            let (outcome, fact) = try LedgerCore.markPaid(month: month, creator: creator, reference: reference,
                                                          at: ledger.clock.now(), snapshot: try ledger.snapshot())
            if let fact { try ledger.append(.payoutPaid(fact)) }
            return outcome
        }
    }
}
