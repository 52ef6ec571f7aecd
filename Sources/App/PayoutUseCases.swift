import LedgerCore
import LedgerStore

extension LedgerSession {
    /// `payout preview`: month M computed without freezing it, with notes for the user (earlier
    /// months still open, a month not ended, a first close that would fold in earlier months).
    /// Refuses a month that can never close again.
    public func previewPayouts(_ month: YearMonth) throws -> (result: MonthResult, notes: [String]) {
        let snapshot = try ledger.snapshot(orders: .attributable)
        var notes: [String] = []
        let closed = snapshot.closedMonths.map(\.month)
        let earlier = try closed.isEmpty ? ledger.moneyFacts(before: zone.startOfMonth(month)) : .none
        for obstacle in closeObstacles(month, closedMonths: closed, now: now, zone: zone, earlier: earlier) {
            if obstacle.refusesPreview { throw PayoutError(obstacle.previewMessage(month)) }
            notes.append(obstacle.previewMessage(month))
        }
        return (computeMonth(month, snapshot: snapshot), notes)
    }

    /// `payout close`: one `statement issued` per creator and one `month closed`, in one
    /// transaction. Refuses a closed month, a month out of order, a month not yet ended, missing
    /// exchange rates, and a first close with money facts in earlier months unless `first`.
    @discardableResult
    public func closeMonth(_ month: YearMonth) throws -> MonthResult { try closeMonth(month, first: false).result }

    /// `payout close [--first]`, with what the ledger's first close folded in from earlier months
    /// (nil for any later close).
    public func closeMonth(_ month: YearMonth, first: Bool) throws -> (result: MonthResult, folded: FoldedIn?) {
        // A close can write a line per commissioned order: one big transaction, rollback journal.
        try ledger.withRollbackJournal {
            try ledger.write { ledger in
                let snapshot = try ledger.snapshot(orders: .attributable)
                let closed = snapshot.closedMonths.map(\.month)
                let zone = ledger.settings.zone
                let earlier = try closed.isEmpty ? ledger.moneyFacts(before: zone.startOfMonth(month)) : .none
                let obstacles = closeObstacles(month, closedMonths: closed, now: ledger.clock.now(), zone: zone,
                                               earlier: earlier, first: first)
                if let obstacle = obstacles.first {
                    throw PayoutError(obstacle.closeRefusal(month, zone: zone))
                }
                let result = computeMonth(month, snapshot: snapshot)
                if !result.blocking.isEmpty { throw PayoutError(blockingMessage(month, result.blocking)) }
                for fact in result.facts(zone: zone) { try ledger.append(fact) }
                return (result, closed.isEmpty ? foldedIn(result, facts: earlier) : nil)
            }
        }
    }

    /// `payout show`: the statements of a closed month, by creator.
    public func closedStatements(_ month: YearMonth) throws -> [IssuedStatement] {
        try closedStatements(try ledger.snapshot(), month)
    }

    /// The statements of a closed month, or a user error naming what to run instead.
    func closedStatements(_ snapshot: LedgerSnapshot, _ month: YearMonth) throws -> [IssuedStatement] {
        guard snapshot.closedMonths.contains(where: { $0.month == month }) else {
            throw UserError("\(month) is not closed; see 'tally payout preview --month \(month)'")
        }
        return snapshot.statements.filter { $0.month == month }.sorted { $0.creator < $1.creator }
    }

    /// `payout export`: every payout of a closed month with the creator's name and payout details
    /// in clear (accounts are stored sealed; only a payment file opens them), by creator.
    public func payments(_ month: YearMonth) throws -> [PaymentItem] {
        let snapshot = try ledger.snapshot()
        let payable = try closedStatements(snapshot, month).filter { $0.figures.payoutMinor > 0 }
        return try payable.map { s in
            let creator = snapshot.creators[s.creator]
            let details = try creator?.payout.map {
                PayoutDetails(method: $0.method, account: try payoutAccountInClear($0))
            }
            return PaymentItem(creator: s.creator, name: creator?.name ?? s.creator, amountMinor: s.figures.payoutMinor,
                               details: details)
        }
    }

    /// `payout mark-paid`: records once that a closed month's payout to `creator` was made, with
    /// its external reference.
    public func markPaid(month: YearMonth, creator: String, reference: String) throws -> MarkPaidOutcome {
        try ledger.write { ledger in
            let (outcome, fact) = try LedgerCore.markPaid(month: month, creator: creator, reference: reference,
                                                          at: ledger.clock.now(), snapshot: try ledger.snapshot())
            if let fact { try ledger.append(.payoutPaid(fact)) }
            return outcome
        }
    }
}

/// What `tally statement` shows: a closed month's frozen statement, or the lines a close would
/// freeze now, with what the preview had to say.
public struct CreatorMonthStatement: Sendable {
    public var source: StatementSource
    /// Sorted as frozen (date, kind, ref); empty when the creator has none.
    public var lines: [StatementLine]
    /// Nil when the creator has no statement for the month.
    public var figures: PayoutFigures?
    /// An open month's notes (earlier months open, not ended).
    public var previewNotes: [String]
    /// An open month's orders of this creator that block a close (no exchange rate): left out.
    public var blocked: [BlockingOrder]
    /// The chain's head of the state the statement comes from: an anchor for `verify --head`.
    public var head: ChainHead?
}

extension LedgerSession {
    /// `tally statement CREATOR --month M`, in one read: the head is the state the lines come
    /// from. Refuses a creator the ledger never heard of.
    public func statement(creator: String, month: YearMonth) throws -> CreatorMonthStatement {
        try ledger.read { try readStatement(creator: creator, month: month) }
    }

    private func readStatement(creator: String, month: YearMonth) throws -> CreatorMonthStatement {
        let snapshot = try ledger.snapshot()
        let known = snapshot.creators[creator] != nil || snapshot.statements.contains { $0.creator == creator }
        guard known else { throw UserError("unknown creator '\(creator)'") }
        let source = statementSource(month, closedMonths: snapshot.closedMonths)
        switch source {
        case .frozen:
            let statement = snapshot.statements.first { $0.month == month && $0.creator == creator }
            return CreatorMonthStatement(source: source, lines: statement?.lines ?? [], figures: statement?.figures,
                                         previewNotes: [], blocked: [], head: try ledger.head())
        case .preview:
            let (result, notes) = try previewPayouts(month)
            let statement = result.statements.first { $0.creator == creator }
            return CreatorMonthStatement(source: source, lines: statement?.lines ?? [], figures: statement?.figures,
                                         previewNotes: notes, blocked: result.blocking.filter { $0.creator == creator },
                                         head: try ledger.head())
        }
    }
}
