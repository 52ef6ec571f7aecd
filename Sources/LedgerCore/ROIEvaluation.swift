/// The orders ROI looks at, evaluated as known now: attributed, not test, created in the range.
/// Orders in another currency without a usable exchange rate are returned separately: ROI refuses
/// to guess their value (the caller reports them).
public func roiOrders(snapshot: LedgerSnapshot, index: RuleIndex, range: ROIRange) -> (
    orders: [ROIOrder], missingRate: [OrderKey]
) {
    let evaluated = roiEvaluation(snapshot: snapshot, index: index, range: range)
    return (evaluated.orders, evaluated.missingRate)
}

/// `roiOrders` and `roiPlanCosts` from one run of the plans over the snapshot (section 8 reads every
/// order of the ledger's history, whatever the range).
public func roiEvaluation(snapshot: LedgerSnapshot, index: RuleIndex, range: ROIRange) -> (
    orders: [ROIOrder], missingRate: [OrderKey], planCosts: [String: (bonusMinor: Int64, retainerMinor: Int64)]
) {
    var orders: [ROIOrder] = []
    var missing: [OrderKey] = []
    // Section 8: lifetime orders count for their creator, at the rate of their plan.
    var tables = CloseTables(snapshot, rules: index)
    let run =
        index.terms.anyPlan
        ? PlanRun(snapshot, tables: &tables, stateBefore: .distantFuture, createdBefore: .distantFuture) : nil
    for (i, order) in snapshot.orders.enumerated()
    where !order.seen.test && range.contains(order.seen.createdAt.instant) {
        let seen = order.seen
        let plan = run?.plan(i, ids: tables.ids)
        let attributed = run == nil ? index.attribution.creator(of: seen) : plan.map { ($0.creator, $0.selfReferral) }
        guard let (creator, selfReferral) = attributed else { continue }
        let state = order.currentState
        guard state.isPayable else { continue }  // section 7: pending, voided and cancelled orders are left out
        guard let converted = index.baseAmounts(seen, state) else {
            missing.append(seen.key)
            continue
        }
        let amounts = converted.amounts
        let net =
            amounts.subtotalMinor
            - refundedBase(
                subtotalMinor: amounts.subtotalMinor, totalMinor: amounts.totalMinor,
                refundedMinor: amounts.refundedMinor)
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
        let outcome = index.commissionMinor(
            order, selfReferral: selfReferral, state: state, terms: terms,
            rate: plan?.rate)
        if case let .amount(value) = outcome { commissionMinor = value }
        orders.append(
            ROIOrder(
                creator: creator, createdAt: seen.createdAt.instant, payable: true,
                fullyRefunded: isFullyRefunded(seen, state),
                netRevenueMinor: net, commissionMinor: commissionMinor, discountMinor: discount,
                selfReferral: selfReferral))
    }
    let costs = roiPlanCosts(snapshot: snapshot, index: index, range: range) { creator, month in
        guard let run, let n = tables.find(creator) else { return 0 }
        return run.conversions(of: n, in: month)
    }
    return (orders, missing, costs)
}

/// Section 8 in ROI: per creator, the bonuses (as known now) and the retainers of the months whose
/// last day is in the range.
public func roiPlanCosts(snapshot: LedgerSnapshot, index: RuleIndex, range: ROIRange)
    -> [String: (bonusMinor: Int64, retainerMinor: Int64)]
{
    guard index.terms.anyPlan else { return [:] }
    let conversions = monthConversions(snapshot, before: .distantFuture, rules: index)
    return roiPlanCosts(snapshot: snapshot, index: index, range: range) { conversions[$0]?[$1] ?? 0 }
}

/// `roiPlanCosts` with each creator's conversions of a month from `conversions`.
func roiPlanCosts(
    snapshot: LedgerSnapshot, index: RuleIndex, range: ROIRange, conversions: (String, YearMonth) -> Int64
) -> [String: (bonusMinor: Int64, retainerMinor: Int64)] {
    guard index.terms.anyPlan else { return [:] }
    var result: [String: (bonusMinor: Int64, retainerMinor: Int64)] = [:]
    let zone = snapshot.zone
    let paying = index.terms.history.filter { $0.value.contains { $0.bonus != nil || $0.retainerMinor != nil } }
    for (creator, history) in paying {
        var m = zone.month(of: history[0].effectiveFrom)
        let last = zone.month(of: range.end.adding(seconds: -1))
        while m <= last {
            let lastDay = zone.startOfDay(m.next.firstDay.adding(days: -1))
            let lastInstant = zone.startOfMonth(m.next).adding(seconds: -1)
            if range.contains(lastDay), let terms = index.terms.terms(for: creator, at: lastInstant) {
                var costs = result[creator] ?? (0, 0)
                if let bonus = terms.bonus, conversions(creator, m) >= bonus.threshold {
                    costs.bonusMinor += bonus.amountMinor
                }
                costs.retainerMinor += terms.retainerMinor ?? 0
                result[creator] = costs
            }
            m = m.next
        }
    }
    return result
}
