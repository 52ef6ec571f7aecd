import LedgerCore
import LedgerStore

extension LedgerSession {
    /// `payout preview`: month M computed without freezing it, with notes for the user (earlier
    /// months still open, a month not ended, a first close that would fold in earlier months).
    /// Refuses a month that can never close again.
    public func previewPayouts(_ month: YearMonth) throws -> (result: MonthResult, notes: [String]) {
        try previewPayouts(month, snapshot: try ledger.snapshot(orders: .attributable))
    }

    /// `payout preview`, with the creators whose attributed orders of the month have no terms, from
    /// the same snapshot (a second load of the orders cost as much as the preview itself).
    public func previewPayoutsAndTermsGaps(_ month: YearMonth) throws
        -> (result: MonthResult, notes: [String], withoutTerms: [CreatorWithoutTerms])
    {
        let snapshot = try ledger.snapshot(orders: .attributable)
        var (result, notes) = try previewPayouts(month, snapshot: snapshot)
        if snapshot.closedMonths.isEmpty { notes += beforeFirstMonthNotes(result, snapshot, closed: false) }
        return (result, notes, LedgerCore.creatorsWithoutTerms(in: month, snapshot: snapshot))
    }

    /// The same from a snapshot already loaded (the close report reads everything in one snapshot).
    func previewPayouts(_ month: YearMonth, snapshot: LedgerSnapshot) throws -> (result: MonthResult, notes: [String]) {
        var notes: [String] = []
        let closed = snapshot.closedMonths.map(\.month)
        let (earlier, firstFact) =
            try closed.isEmpty ? ledger.moneyFactsAndFirst(before: zone.startOfMonth(month)) : (.none, nil)
        for obstacle in closeObstacles(
            month, closedMonths: closed, now: now, zone: zone, earlier: earlier,
            firstFact: firstFact)
        {
            if obstacle.refusesPreview { throw PayoutError(obstacle.previewMessage(month)) }
            notes.append(obstacle.previewMessage(month))
        }
        if let behind = try exportsBehind(month) { notes.append(behind) }
        return (computeMonth(month, snapshot: snapshot), notes)
    }

    /// The note when no order export reaches past the end of `month` (`exportsBehindNote`), naming
    /// each source's newest export not undone.
    public func exportsBehind(_ month: YearMonth) throws -> String? {
        var newest: [String: Instant] = [:]
        for i in try ledger.orderImports() where i.undoneBy == nil {
            newest[i.source] = max(newest[i.source] ?? i.asOf, i.asOf)
        }
        return exportsBehindNote(month, newest: newest, zone: zone)
    }

    /// `payout close`: one `statement issued` per creator and one `month closed`, in one
    /// transaction. Refuses a closed month, a month out of order, a month not yet ended, missing
    /// exchange rates, and a first close with money facts in earlier months unless `first`.
    @discardableResult
    public func closeMonth(_ month: YearMonth) throws -> MonthResult { try closeMonth(month, first: false).result }

    /// `payout close [--first]`, with what the ledger's first close folded in from earlier months
    /// (nil for any later close).
    public func closeMonth(_ month: YearMonth, first: Bool) throws -> (result: MonthResult, folded: FoldedIn?) {
        let (result, folded, _, _) = try closeMonthAndTermsGaps(month, first: first)
        return (result, folded)
    }

    /// `payout close [--first]`, with the creators whose attributed orders of the month have no
    /// terms, from the snapshot the close read (a close changes no order and no terms), and for the
    /// ledger's first close the notes on retainers and bonuses of months before it.
    public func closeMonthAndTermsGaps(_ month: YearMonth, first: Bool) throws
        -> (result: MonthResult, folded: FoldedIn?, withoutTerms: [CreatorWithoutTerms], beforeFirst: [String])
    {
        // A close can write a line per commissioned order: one big transaction, rollback journal.
        try ledger.withRollbackJournal {
            try ledger.write { ledger in
                let snapshot = try ledger.snapshot(orders: .attributable)
                let closed = snapshot.closedMonths.map(\.month)
                let zone = ledger.settings.zone
                let (earlier, firstFact) =
                    try closed.isEmpty ? ledger.moneyFactsAndFirst(before: zone.startOfMonth(month)) : (.none, nil)
                let obstacles = closeObstacles(
                    month, closedMonths: closed, now: ledger.clock.now(), zone: zone,
                    earlier: earlier, firstFact: firstFact, first: first)
                if let obstacle = obstacles.first {
                    throw PayoutError(obstacle.closeRefusal(month, zone: zone))
                }
                let result = computeMonth(month, snapshot: snapshot)
                if !result.blocking.isEmpty { throw PayoutError(blockingMessage(month, result.blocking)) }
                for fact in result.facts(zone: zone) { try ledger.append(fact) }
                return (
                    result, closed.isEmpty ? foldedIn(result, facts: earlier) : nil,
                    LedgerCore.creatorsWithoutTerms(in: month, snapshot: snapshot),
                    closed.isEmpty ? beforeFirstMonthNotes(result, snapshot, closed: true) : []
                )
            }
        }
    }

    /// The ledger's first close (or its preview): each creator's retainers and bonuses of months before
    /// it, with the way to leave them out (docs/plans.md, "Decisions"). The figures stay the rules'.
    private func beforeFirstMonthNotes(_ result: MonthResult, _ snapshot: LedgerSnapshot, closed: Bool) -> [String] {
        let lines = planLinesBefore(firstClose: result)
        guard !lines.isEmpty else { return [] }
        var firstTerms: [String: Instant] = [:]
        for t in snapshot.terms {
            firstTerms[t.creator] = min(firstTerms[t.creator] ?? t.effectiveFrom, t.effectiveFrom)
        }
        var creators: [String] = []
        for line in lines where creators.last != line.creator { creators.append(line.creator) }
        let named = Set(creators.prefix(Self.namesListed))
        var notes = planLinesBeforeNotes(
            lines.filter { named.contains($0.creator) }, month: result.month, currency: result.currency,
            zone: snapshot.zone, firstTerms: firstTerms, closed: closed)
        // A shop with hundreds of running contracts gets the first creators' notes in full and one line
        // for the rest (a screen of notes per creator would bury the other notes).
        let rest = lines.filter { !named.contains($0.creator) }
        if !rest.isEmpty {
            let others = Array(creators.dropFirst(Self.namesListed))
            let amount = formatMinorGrouped(
                rest.reduce(0) { $0 + $1.amountMinor }, exponent: result.currency.minorUnitExponent)
            let count = rest.reduce(0) { $0 + $1.months.count }
            let lines = groupThousands(String(count)) + (count == 1 ? " line" : " lines")
            let month = result.month
            let who = others.count == 1 ? "1 more creator has" : "\(others.count) more creators have"
            notes.append(
                "\(who) retainers or bonuses for months before \(month), the ledger's first payout month, "
                    + "\(closed ? "in this close" : "in its close"): \(lines), \(amount) "
                    + "\(result.currency.code) (\(Self.listedNames(others))); each creator's are the retainer: "
                    + "and bonus: lines of tally statement CREATOR --month \(month), left out the same way")
        }
        return notes
    }

    /// `payout show`: the statements of a closed month, by creator.
    public func closedStatements(_ month: YearMonth) throws -> [IssuedStatement] {
        try closedStatements(try ledger.snapshot(), month)
    }

    /// `payout show`: a closed month's statements with the creators' names and what was paid, and
    /// the payment files written for this close.
    public func payoutMonth(_ month: YearMonth) throws -> PayoutMonth {
        let snapshot = try ledger.snapshot()
        let statements = try closedStatements(snapshot, month)
        let rows = statements.map { s in
            PayoutRow(
                creator: s.creator, name: snapshot.creators[s.creator]?.name ?? s.creator, figures: s.figures,
                payment: snapshot.payoutsPaid.first { $0.month == month && $0.creator == s.creator })
        }
        let files = snapshot.paymentFiles.filter { $0.export.month == month && !$0.reopened }.map(\.export)
        return PayoutMonth(month: month, rows: rows, files: files)
    }

    /// The creators' names by id (a payout row shows them).
    public func creatorNames() throws -> [String: String] {
        try ledger.masterData(.creators).creators.mapValues(\.name)
    }

    /// The statements of a closed month, or a user error naming what to run instead.
    func closedStatements(_ snapshot: LedgerSnapshot, _ month: YearMonth) throws -> [IssuedStatement] {
        guard snapshot.closedMonths.contains(where: { $0.month == month }) else {
            let reopened = snapshot.reopenings.last { $0.month == month }
            let why = reopened.map { " (reopened \(zone.timestamp($0.at)): \($0.reason))" } ?? ""
            throw UserError("\(month) is not closed\(why); see 'tally payout preview --month \(month)'")
        }
        return snapshot.statements.filter { $0.month == month }.sorted { $0.creator < $1.creator }
    }
}

/// A creator's row of `payout show`.
public struct PayoutRow: Sendable {
    public var creator: String
    public var name: String
    public var figures: PayoutFigures
    /// Nil until the payout is marked paid.
    public var payment: PaidPayout?

    public init(creator: String, name: String, figures: PayoutFigures, payment: PaidPayout?) {
        self.creator = creator; self.name = name; self.figures = figures; self.payment = payment
    }
}

/// A closed month as `payout show` shows it.
public struct PayoutMonth: Sendable {
    public var month: YearMonth
    /// By creator.
    public var rows: [PayoutRow]
    /// The payment files written for this close, in the order written.
    public var files: [PayoutExported]
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
    /// The shop's order number (Shopify's `#1131`) of each order line, by ref, where the order has one.
    public var orderNames: [String: String] = [:]
    /// True when the statement was frozen before its order lines kept their figures: the lines'
    /// details are derived from the ledger as known now (`derivedOrderLineDetail`).
    public var derivedDetails = false
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
        guard known else {
            let ids = Set(snapshot.creators.keys).union(snapshot.statements.map(\.creator))
            throw UserError("unknown creator '\(creator)': expected \(unknownCreatorExpectation(creator, among: ids))")
        }
        let source = statementSource(month, closedMonths: snapshot.closedMonths)
        switch source {
        case .frozen:
            let statement = snapshot.statements.first { $0.month == month && $0.creator == creator }
            var shown = CreatorMonthStatement(
                source: source, lines: statement?.lines ?? [],
                figures: statement?.figures, previewNotes: [], blocked: [],
                head: try ledger.head())
            fillOrderLines(&shown, creator: creator, month: month, snapshot: snapshot)
            return shown
        case .preview:
            let (result, notes) = try previewPayouts(month)
            let statement = result.statements.first { $0.creator == creator }
            var shown = CreatorMonthStatement(
                source: source, lines: statement?.lines ?? [],
                figures: statement?.figures, previewNotes: notes,
                blocked: result.blocking.filter { $0.creator == creator },
                head: try ledger.head())
            fillOrderLines(&shown, creator: creator, month: month, snapshot: snapshot)
            return shown
        }
    }

    /// The order numbers of the order lines, and the details of lines frozen without them (also the
    /// close report's statements).
    func fillOrderLines(
        _ shown: inout CreatorMonthStatement, creator: String, month: YearMonth,
        snapshot: LedgerSnapshot
    ) {
        let refs = Set(shown.lines.filter(\.isOrderLine).map(\.ref))
        guard !refs.isEmpty else { return }
        var orders: [String: OrderRecord] = [:]
        for order in snapshot.orders where refs.contains(order.key.description) {
            orders[order.key.description] = order
        }
        for (ref, order) in orders { if let name = order.seen.name { shown.orderNames[ref] = name } }
        guard shown.lines.contains(where: { $0.isOrderLine && $0.order == nil }) else { return }
        shown.derivedDetails = true
        let rules = RuleIndex(snapshot)
        let settled = Set(
            snapshot.statements.filter { $0.month < month && $0.creator == creator }
                .flatMap(\.lines).filter(\.isOrderLine).map(\.ref))
        for i in shown.lines.indices where shown.lines[i].isOrderLine && shown.lines[i].order == nil {
            let line = shown.lines[i]
            shown.lines[i].order = derivedOrderLineDetail(
                line, creator: creator, month: month, order: orders[line.ref],
                rules: rules, settledBefore: settled.contains(line.ref))
        }
    }
}
