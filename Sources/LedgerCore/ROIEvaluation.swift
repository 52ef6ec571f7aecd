/// The orders ROI looks at, evaluated as known now: attributed, not test, created in the range.
/// Orders in another currency without a usable exchange rate are returned separately: ROI refuses
/// to guess their value (the caller reports them).
public func roiOrders(snapshot: LedgerSnapshot, index: RuleIndex, range: ROIRange) -> (orders: [ROIOrder], missingRate: [OrderKey]) {
    var orders: [ROIOrder] = []
    var missing: [OrderKey] = []
    for order in snapshot.orders where !order.seen.test && range.contains(order.seen.createdAt.instant) {
        let seen = order.seen
        guard let (creator, selfReferral) = index.attribution.creator(of: seen) else { continue }
        let state = order.currentState
        guard state.isPayable else { continue }  // section 7: pending, voided and cancelled orders are left out
        guard let converted = index.baseAmounts(seen, state) else {
            missing.append(seen.key)
            continue
        }
        let amounts = converted.amounts
        let net = amounts.subtotalMinor - refundedBase(subtotalMinor: amounts.subtotalMinor, totalMinor: amounts.totalMinor, refundedMinor: amounts.refundedMinor)
        var discount = seen.discountMinor
        if let rate = converted.rate {
            guard let base = rate.rate.convertChecked(seen.discount, to: index.baseCurrency)?.amountMinor else {
                missing.append(seen.key)  // does not fit Int64: as if there were no rate (see baseAmounts)
                continue
            }
            discount = base
        }
        let terms = index.terms.terms(for: creator, at: seen.createdAt.instant)
        var commissionMinor: Int64 = 0
        if case let .amount(value) = index.commissionMinor(order, selfReferral: selfReferral, state: state, terms: terms) { commissionMinor = value }
        orders.append(ROIOrder(creator: creator, createdAt: seen.createdAt.instant, payable: true, fullyRefunded: isFullyRefunded(seen, state),
                               netRevenueMinor: net, commissionMinor: commissionMinor, discountMinor: discount, selfReferral: selfReferral))
    }
    return (orders, missing)
}
