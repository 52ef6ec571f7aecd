// What the program owes its creators, and what it paid them: `tally balances` and
// `tally creator history`, pure functions of the snapshot.

/// One creator's balances as of a day.
public struct CreatorBalance: Equatable, Sendable {
    public var creator: String
    /// Payouts of the closed months that ended by that day, not paid by then.
    public var unpaidPayoutsMinor: Int64 = 0
    /// The balance carried out of the latest of those statements (negative: owed by the creator).
    public var carriedMinor: Int64 = 0
    /// The commission, as known now, of the orders attributed to the creator, created by that day
    /// and not matured by its end: the month-end accrual of what the holdback keeps back.
    public var heldBackMinor: Int64 = 0

    public init(creator: String) { self.creator = creator }

    public var isZero: Bool { unpaidPayoutsMinor == 0 && carriedMinor == 0 && heldBackMinor == 0 }
}

/// The balances as of the end of `date`, one per creator with any of them non-zero, by id; and the
/// attributed orders whose commission is unknown for want of an exchange rate (left out of
/// `heldBackMinor`). Statements count when their month ended by then, payments when made by then.
/// An order matures as in the close (its maturity date, the created date plus the holdback days of
/// its terms, on or before that day); one that a counted statement settled for its creator is no
/// longer held back.
public func balances(asOf date: CivilDate, snapshot: LedgerSnapshot, rules: RuleIndex)
    -> (balances: [CreatorBalance], missingRates: [OrderKey])
{
    let end = snapshot.zone.startOfDay(date.adding(days: 1))
    let counted = snapshot.statements.filter { $0.month.next.firstDay <= date.adding(days: 1) }
    var byCreator: [String: CreatorBalance] = [:]
    var settled: Set<String> = []
    for statement in counted {  // by month, then creator: the latest carried out wins
        var b = byCreator[statement.creator] ?? CreatorBalance(creator: statement.creator)
        b.carriedMinor = statement.figures.carriedOutMinor
        let paid = snapshot.payoutsPaid.contains {
            $0.month == statement.month && $0.creator == statement.creator && $0.paidOn <= date
        }
        if !paid { b.unpaidPayoutsMinor += statement.figures.payoutMinor }
        byCreator[statement.creator] = b
        for line in statement.lines where line.isOrderLine {
            settled.insert(statement.creator + "\u{0}" + line.ref)
        }
    }
    var missing: [OrderKey] = []
    // Section 8: lifetime orders are their linked creator's, at the rate of their plan.
    let plans = rules.terms.anyPlan ? orderPlans(snapshot, before: .distantFuture, rules: rules) : nil
    for order in snapshot.orders where !order.seen.test && order.seen.createdAt.instant < end {
        let plan = plans?[order.key]
        let attributed = plans == nil ? rules.attribution.creator(of: order.seen)?.creator : plan?.creator
        guard let creator = attributed, !settled.contains(creator + "\u{0}" + order.key.description) else { continue }
        let terms = rules.terms.terms(for: creator, at: order.seen.createdAt.instant)
        guard rules.maturityDate(order.seen, terms: terms) > date else { continue }
        guard let commission = rules.evaluate(order, before: .distantFuture, plan: plan).commissionMinor else {
            missing.append(order.key)
            continue
        }
        byCreator[creator, default: CreatorBalance(creator: creator)].heldBackMinor += commission
    }
    let rows = byCreator.keys.sorted().map { byCreator[$0]! }.filter { !$0.isZero }
    return (rows, missing)
}

/// A closed month of a creator's history: the statement's figures and what was paid.
public struct HistoryMonth: Equatable, Sendable {
    public var month: YearMonth
    public var figures: PayoutFigures
    /// Nil while the payout is not marked paid (and for a month without a payout).
    public var payment: PaidPayout?
}

/// A year's totals of a creator's history.
public struct HistoryYear: Equatable, Sendable {
    public var year: Int
    /// The figures summed over the year's months; carried in is the first month's, carried out
    /// the last one's, and balance their sum as in a statement.
    public var figures: PayoutFigures
    /// The part of the year's payouts marked paid.
    public var paidMinor: Int64
}

/// Every closed month in which `creator` has a statement (of `year`, when given), by month, with
/// the totals of each year.
public func creatorHistory(
    _ creator: String, year: Int?,
    snapshot: LedgerSnapshot
) -> (months: [HistoryMonth], years: [HistoryYear]) {
    let mine = snapshot.statements.filter { $0.creator == creator && (year == nil || $0.month.year == year) }
    let months = mine.map { s in
        HistoryMonth(
            month: s.month, figures: s.figures,
            payment: snapshot.payoutsPaid.first { $0.month == s.month && $0.creator == creator })
    }
    var years: [HistoryYear] = []
    for month in months {
        if years.last?.year != month.month.year {
            var first = PayoutFigures()
            first.carriedInMinor = month.figures.carriedInMinor
            years.append(HistoryYear(year: month.month.year, figures: first, paidMinor: 0))
        }
        var t = years[years.count - 1]
        let f = month.figures
        t.figures.commissionsMinor += f.commissionsMinor
        t.figures.clawbacksMinor += f.clawbacksMinor
        t.figures.feesMinor += f.feesMinor
        t.figures.adjustmentsMinor += f.adjustmentsMinor
        t.figures.payoutMinor += f.payoutMinor
        t.figures.carriedOutMinor = f.carriedOutMinor
        t.figures.balanceMinor =
            t.figures.carriedInMinor + t.figures.commissionsMinor - t.figures.clawbacksMinor
            + t.figures.feesMinor + t.figures.adjustmentsMinor
        if let paid = month.payment { t.paidMinor += paid.amountMinor }
        years[years.count - 1] = t
    }
    return (months, years)
}
