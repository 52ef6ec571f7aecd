// What an auditor reads beside a statement's lines: each order line's shop order number, base,
// rate, fixed part and, for a correction, what changed. Statements frozen since version 2 of
// `statement.issued` keep these figures with each line; for those frozen before, they are derived
// here from the ledger as known now (the order's state at the end of the month, attribution and
// terms as recorded today), and said to be derived.

/// `OrderLineDetail` of an order line frozen without one: the order evaluated in its state at the
/// end of `month`, for the statement's `creator`. `settledBefore`: whether a statement before
/// `month` already had a line of this order for this creator (only a correction says what changed).
public func derivedOrderLineDetail(
    _ line: StatementLine, creator: String, month: YearMonth, order: OrderRecord?,
    rules: RuleIndex, settledBefore: Bool
) -> OrderLineDetail {
    guard let order else { return OrderLineDetail(baseMinor: nil, rate: nil, perOrderMinor: nil, change: .other) }
    let e = rules.evaluate(order, before: rules.zone.startOfMonth(month.next))
    let figures: TargetFigures
    if e.attribution.creator != creator {
        figures = .notTheirs
    } else if let reason = e.zeroReason {
        figures = .zero(reason)
    } else if let breakdown = e.breakdown, let terms = e.terms {
        figures = .earned(
            OrderLineDetail(
                baseMinor: breakdown.baseMinor, rate: terms.commission,
                perOrderMinor: breakdown.fixedPartMinor, change: nil))
    } else {
        figures = .zero(.noTerms)
    }
    var detail = figures.detail
    if settledBefore {
        detail.change = lineChange(
            figures, earlier: nil, refunded: e.state.refundedMinor > 0,
            foreign: order.seen.currency != rules.baseCurrency)
    }
    return detail
}
