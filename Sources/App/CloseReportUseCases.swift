import HTMLReport
import LedgerCore
import LedgerStore

// The close report and the HTML statement (issue 17, docs/report.md): the view models of the
// HTMLReport module filled from one read of the ledger, with the figures of the commands that show
// them in the terminal (`payout show` or `payout preview`, `statement`, `roi`, `codes unknown`).

extension LedgerSession {
    /// `tally report --month M`: the month's payout rows (frozen when closed, the preview when open),
    /// the ROI figures of the month by tier and by creator, the last 12 months, the unknown codes of
    /// the month's orders and one statement per payout row, all from one snapshot with its head.
    /// `notes` are the preview's (earlier months still open, a month not ended, left-out orders).
    /// Every order is loaded: the lines show the shop's order numbers, which attributable snapshots leave out.
    /// Refuses a month a preview refuses (before the ledger's first close, and not closed).
    public func closeReport(month: YearMonth, brand: String) throws -> (report: CloseReport, notes: [String]) {
        try ledger.read {
            let snapshot = try ledger.snapshot()
            let head = try ledger.head()
            let madeAt = zone.timestamp(now)
            let (state, statements, previewNotes) = try monthStatements(month, snapshot: snapshot)
            let rows = statements.filter(\.figures.isShown)
            let shared = PageFacts(snapshot, statements: rows)
            let made = rows.map {
                page(
                    of: $0, month: month, state: state, brand: brand, madeAt: madeAt,
                    snapshot: snapshot, shared: shared)
            }
            let pages = made.map(\.page)
            let notes = previewNotes + (made.contains(where: \.derived) ? [derivedNote(month)] : [])
            let payouts = zip(rows, pages).map { row, page in
                HTMLReport.PayoutRow(creator: row.creator, name: page.name, figures: row.figures, payment: page.payment)
            }
            let last = month.next.firstDay.adding(days: -1)
            let byTier = try roi(from: month.firstDay, to: last, by: .tier, compareAt: nil, snapshot: snapshot)
            let byCreator = try roi(from: month.firstDay, to: last, by: .creator, compareAt: nil, snapshot: snapshot)
            let report = CloseReport(
                brand: brand, month: month, currency: snapshot.baseCurrency, state: state, madeAt: madeAt,
                chainHead: head.map(String.init(describing:)) ?? "none (the log is empty)", payouts: payouts,
                roiPeriod: DayRange(from: month.firstDay, to: last),
                tiers: byTier.map { TierCosts(tier: $0.keys[0], figures: $0.figures) },
                creatorCosts: byCreator.map {
                    CreatorCosts(
                        creator: $0.keys[0], name: name(of: $0.keys[0], snapshot), tier: $0.keys[1],
                        figures: $0.figures)
                },
                history: try history(endingWith: month, snapshot: snapshot),
                unknownCodes: LedgerCore.unknownCodes(snapshot, createdIn: month), statements: pages)
            return (report, notes)
        }
    }

    /// `tally statement CREATOR --month M --format html`: the statement the creator receives, from
    /// one read. A creator without a statement for the month gets a page saying nothing moved.
    /// Refuses a creator the ledger never heard of, and a month a preview refuses.
    public func statementPage(creator: String, month: YearMonth, brand: String)
        throws -> (page: StatementPage, notes: [String])
    {
        try ledger.read {
            let snapshot = try ledger.snapshot()
            let known = snapshot.creators[creator] != nil || snapshot.statements.contains { $0.creator == creator }
            guard known else { throw UserError("unknown creator '\(creator)'") }
            let (state, statements, notes) = try monthStatements(month, snapshot: snapshot)
            let statement =
                statements.first { $0.creator == creator }
                ?? MonthStatement(creator: creator, figures: PayoutFigures(), minPayoutMinor: 0, lines: [])
            let (page, derived) = page(
                of: statement, month: month, state: state, brand: brand,
                madeAt: zone.timestamp(now), snapshot: snapshot,
                shared: PageFacts(snapshot, statements: [statement]))
            return (page, notes + (derived ? [derivedNote(month)] : []))
        }
    }

    /// A closed month's frozen statements, or an open month's preview with its notes.
    private func monthStatements(_ month: YearMonth, snapshot: LedgerSnapshot)
        throws -> (MonthState, [MonthStatement], [String])
    {
        switch statementSource(month, closedMonths: snapshot.closedMonths) {
        case .frozen:
            let frozen = snapshot.statements.filter { $0.month == month }.sorted { $0.creator < $1.creator }
            return (.closed, frozen.map(MonthStatement.init), [])
        case .preview:
            // A month before the last closed one that was never closed (before the ledger's first
            // payout month) has no statements, frozen or to come: its facts were paid by later closes.
            let closed = snapshot.closedMonths.map(\.month)
            if let last = closed.max(), month < last, let first = closed.min() {
                throw UserError(
                    "\(month) was never closed: it is before \(first), the ledger's first closed month, so no "
                        + "statements exist for it (its orders and fees were settled in the closes from \(first) "
                        + "on); closed months: \(first) to \(last)")
            }
            let (result, notes): (MonthResult, [String])
            do {
                (result, notes) = try previewPayouts(month, snapshot: snapshot)
            } catch let error as PayoutError {
                throw UserError(error.description)
            }
            var all = notes
            if !result.blocking.isEmpty { all.append(blockingMessage(month, result.blocking) + " (left out)") }
            return (.open, result.statements.map(MonthStatement.init), all)
        }
    }

    /// A creator's page: the lines with the shop's order numbers and each order line's base, rate and
    /// fixed part as `tally statement` shows them (frozen with the line, or derived for statements
    /// frozen before lines kept them: `derived`).
    private func page(
        of statement: MonthStatement, month: YearMonth, state: MonthState, brand: String,
        madeAt: Timestamp, snapshot: LedgerSnapshot,
        shared: PageFacts
    ) -> (page: StatementPage, derived: Bool) {
        var lines = statement.lines
        var derived = false
        if lines.contains(where: { $0.kind.isOrderLine && $0.order == nil }) {
            // Frozen before version 2: `tally statement`'s derivation, which reads every order.
            var shown = CreatorMonthStatement(
                source: state == .closed ? .frozen : .preview, lines: lines,
                figures: statement.figures, previewNotes: [], blocked: [], head: nil)
            fillOrderLines(&shown, creator: statement.creator, month: month, snapshot: snapshot)
            lines = shown.lines
            derived = shown.derivedDetails
        }
        let terms = shared.terms.terms(for: statement.creator, at: lastInstant(of: month, zone: zone))
        let page = StatementPage(
            brand: brand, month: month, currency: snapshot.baseCurrency, state: state, creator: statement.creator,
            name: name(of: statement.creator, snapshot),
            entries: entries(lines, orderNames: shared.orderNames, shared: shared),
            figures: statement.figures, minPayoutMinor: statement.minPayoutMinor,
            payment: payment(statement, month: month, state: state, snapshot: snapshot),
            terms: terms.map { termsInForce($0) }, madeAt: madeAt)
        return (page, derived)
    }

    /// The note of `tally statement` for lines whose figures are derived.
    private func derivedNote(_ month: YearMonth) -> String {
        "\(month)'s statements were frozen before tally kept each order line's base and rate: "
            + "the pages show them derived from the ledger as known now"
    }

    private func name(of creator: String, _ snapshot: LedgerSnapshot) -> String {
        snapshot.creators[creator]?.name ?? creator
    }

    private func payment(
        _ statement: MonthStatement, month: YearMonth, state: MonthState,
        snapshot: LedgerSnapshot
    ) -> PaymentStatus {
        guard statement.figures.payoutMinor > 0 else { return .noPayout }
        guard state == .closed,
            let paid = snapshot.payoutsPaid.first(where: { $0.month == month && $0.creator == statement.creator })
        else { return .unpaid }
        return .paid(
            Payment(
                reference: paid.reference, date: paid.paidOn, method: paid.method.rawValue,
                amountMinor: paid.amountMinor))
    }

    /// The lines as a creator recognises them: the shop's order number (`#1174`) or the order id
    /// without the ledger's source prefix, with its base, rate and fixed part; a post's platform, an
    /// adjustment's reason. Kinds map by name (the page knows bonus and retainer lines too).
    private func entries(
        _ lines: [StatementLine], orderNames: [String: String],
        shared: PageFacts
    ) -> [StatementEntry] {
        let (platforms, reasons) = (shared.platforms, shared.reasons)
        return lines.map { line in
            // A bonus taken back is a clawback line with the bonus's ref: shown with the bonuses.
            let kind =
                line.isPlanLine && line.kind == .clawback
                ? .bonus
                : StatementEntry.Kind(rawValue: line.kind.rawValue) ?? .adjustment
            if line.isOrderLine {  // not a bonus taken back (a clawback line whose ref is bonus:YYYY-MM)
                let orderId = line.ref.split(separator: ":", maxSplits: 1).last.map(String.init) ?? line.ref
                return StatementEntry(
                    kind: kind, reference: orderNames[line.ref] ?? orderId, date: line.date,
                    baseMinor: line.order?.baseMinor, rate: line.order?.rate,
                    perOrderMinor: line.order?.perOrderMinor, amountMinor: line.amountMinor,
                    note: line.order?.change?.rawValue)
            }
            let note = kind == .fee ? platforms[line.ref] : kind == .adjustment ? reasons[line.ref] : nil
            return StatementEntry(
                kind: kind, reference: line.ref, date: line.date, amountMinor: line.amountMinor,
                note: note)
        }
    }

    private func termsInForce(_ terms: Terms) -> TermsInForce {
        TermsInForce(
            effectiveFrom: zone.civilDate(of: terms.effectiveFrom), commission: terms.commission,
            perOrderMinor: terms.perOrderMinor, holdbackDays: terms.holdbackDays,
            minPayoutMinor: terms.minPayoutMinor, newCustomerCommission: terms.newCustomerCommission,
            lifetimeMonths: terms.lifetimeMonths, lifetimeCommission: terms.lifetimeCommission,
            tiers: (terms.tiers?.tiers ?? []).map { .init(afterConversions: $0.above, rate: $0.rate) },
            tiersApply: TermsInForce.TiersApply(rawValue: terms.tiersApply.rawValue) ?? .marginal,
            bonusThreshold: terms.bonusThreshold, bonusMinor: terms.bonusMinor,
            retainerMinor: terms.retainerMinor)
    }

    /// The 12 months ending with `month`: closed months from their statements, open ones from their
    /// previews (months before the first close, folded into it, have none).
    private func history(endingWith month: YearMonth, snapshot: LedgerSnapshot) throws -> [MonthFigures] {
        let lastClosed = snapshot.lastClosedMonth
        let totals = twelveMonths(endingWith: month).map { m -> MonthTotals in
            let figures: [PayoutFigures]
            if snapshot.closedMonths.contains(where: { $0.month == m }) {
                figures = snapshot.statements.filter { $0.month == m }.map(\.figures)
            } else if lastClosed.map({ m > $0 }) ?? true {
                figures = computeMonth(m, snapshot: snapshot).statements.map(\.figures)
            } else {
                figures = []
            }
            return MonthTotals(month: m, statements: figures, gifts: snapshot.gifts, zone: zone)
        }
        return reportHistory(totals).map {
            MonthFigures(
                month: $0.month, commissionsMinor: $0.commissionsMinor, clawbacksMinor: $0.clawbacksMinor,
                feesMinor: $0.feesMinor, giftsMinor: $0.giftsMinor, payoutsMinor: $0.payoutsMinor)
        }
    }
}

/// A creator's statement for the report, frozen (`IssuedStatement`) or previewed (`CreatorStatement`).
private struct MonthStatement {
    var creator: String
    var figures: PayoutFigures
    var minPayoutMinor: Int64
    var lines: [StatementLine]

    init(creator: String, figures: PayoutFigures, minPayoutMinor: Int64, lines: [StatementLine]) {
        self.creator = creator; self.figures = figures; self.minPayoutMinor = minPayoutMinor; self.lines = lines
    }

    init(_ s: IssuedStatement) {
        self.init(
            creator: s.creator, figures: s.figures, minPayoutMinor: s.minPayoutMinor,
            lines: s.lines)
    }
    init(_ s: CreatorStatement) {
        self.init(
            creator: s.creator, figures: s.figures, minPayoutMinor: s.minPayoutMinor,
            lines: s.lines)
    }
}

/// What every page of a report reads, gathered once: the shop's order numbers of the lines' orders
/// (one pass over the orders for the whole report), the terms, posts' platforms, adjustments' reasons.
private struct PageFacts {
    var orderNames: [String: String] = [:]
    var terms: TermsIndex
    var platforms: [String: String]
    var reasons: [String: String]

    init(_ snapshot: LedgerSnapshot, statements: [MonthStatement]) {
        let refs = Set(statements.flatMap(\.lines).filter(\.kind.isOrderLine).map(\.ref))
        if !refs.isEmpty {
            for order in snapshot.orders {
                guard let name = order.seen.name else { continue }
                let ref = order.key.description
                if refs.contains(ref) { orderNames[ref] = name }
            }
        }
        terms = TermsIndex(snapshot.terms)
        platforms = Dictionary(snapshot.posts.map { ($0.id, $0.platform) }, uniquingKeysWith: { $1 })
        reasons = Dictionary(snapshot.adjustments.map { ($0.id, $0.reason) }, uniquingKeysWith: { $1 })
    }
}
