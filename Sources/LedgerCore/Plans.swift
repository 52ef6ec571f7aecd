// Section 8 of the ledger rules: commission plans. Which creator a customer is linked to, which
// orders are conversions, their positions in their month, the rate of each order and the rule that
// set it, and the conversions of each creator's months (for month-wide tiers and bonuses). Derived
// from the snapshot for one point in time, like attribution: a backfilled order or a refund can move
// another order's rate.

/// A customer's link to the creator of their first order attributed by code or referral (8.2).
public struct LifetimeLink: Equatable, Sendable {
    /// The order that made the link, and its created time (the link's start).
    public var order: OrderKey
    public var start: Instant
    /// The start plus `lifetime_months` of the terms in force at the linked order's created time
    /// (exclusive): orders created before it are attributed through the link.
    public var end: Instant

    public init(order: OrderKey, start: Instant, end: Instant) {
        self.order = order; self.start = start; self.end = end
    }
}

/// The rule that set an order's rate (section 8's precedence), for `explain`.
public enum RateRule: Equatable, Sendable {
    /// The terms' `commission`.
    case base
    /// `lifetime_commission`, for an order attributed through a lifetime link.
    case lifetime
    /// `new_customer_commission`, for a new customer's order.
    case newCustomer
    /// A tier list: the tier reached (nil: none, the base commission) by `n`, the order's position
    /// (marginal) or its month's conversions (month).
    case tier(RateTier?, n: Int64, apply: TiersApply)
}

/// One order as the plan rules see it, for the creator it is attributed to.
public struct OrderPlan: Equatable, Sendable {
    public var creator: String
    public var selfReferral: Bool
    /// Set when the order is attributed through a lifetime link (section 4 left it unattributed).
    public var lifetime: LifetimeLink?
    /// Attributed, not a test order, payable and not fully refunded (in the state of the run).
    public var conversion: Bool
    /// The order's rank among its creator's conversions of its calendar month; nil when not one.
    public var position: Int64?
    /// The creator's conversions in the order's calendar month.
    public var monthConversions: Int64
    public var newCustomer: Bool
    /// The rate of the order and why; nil without terms at its created time.
    public var rate: CommissionRate?
    public var rule: RateRule?
}

/// `(created time, source, order id)`, the last two compared byte by byte (section 8).
@inline(__always)
func precedes(_ a: OrderDetails, _ b: OrderDetails) -> Bool {
    if a.createdAt.instant != b.createdAt.instant { return a.createdAt.instant < b.createdAt.instant }
    if a.key.source != b.key.source { return a.key.source.utf8.lexicographicallyPrecedes(b.key.source.utf8) }
    return a.key.orderId.utf8.lexicographicallyPrecedes(b.key.orderId.utf8)
}

/// `instant` plus `months` calendar months on the wall clock of `zone`; a day past the end of the
/// target month is clamped to its last day (Jan 31 + 1 month = Feb 28 or 29).
public func addingMonths(_ months: Int64, to instant: Instant, zone: Zone) -> Instant {
    let local = instant.unixSeconds + Int64(zone.offsetSeconds(at: instant))
    let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
    let secondOfDay = local - days * 86_400
    let date = CivilDate(daysSinceEpoch: days)
    let total = Int64(date.year) * 12 + Int64(date.month - 1) + months
    let year = Int(total >= 0 ? total / 12 : (total - 11) / 12), month = Int(total - Int64(year) * 12) + 1
    let day = min(date.day, CivilDate.daysIn(year: year, month: month))
    let target = CivilDate(year: year, month: month, day: day)!
    return zone.instant(localSeconds: target.daysSinceEpoch * 86_400 + secondOfDay)
}

/// The plan view of every order of a run, with creators as `CloseTables` numbers.
struct PlanRun {
    /// Per index of `snapshot.orders`: nil when not attributed (or a test order, or created at or
    /// after the run's end).
    var orders: [NumberedPlan?]
    /// Per creator number and month (`monthKey`): the conversions.
    var conversions: [Int: Int64] = [:]

    struct NumberedPlan {
        var creator: Int
        var selfReferral: Bool
        var lifetime: LifetimeLink?
        var conversion: Bool
        var position: Int64?
        var month: YearMonth
        var newCustomer: Bool
        var rate: CommissionRate?
        var rule: RateRule?
    }

    /// States as they are before `stateBefore`; orders created before `createdBefore` only.
    init(_ snapshot: LedgerSnapshot, tables: inout CloseTables, stateBefore: Instant, createdBefore: Instant) {
        var plans: [NumberedPlan?] = Array(repeating: nil, count: snapshot.orders.count)
        var byMonth: [Int: [Int]] = [:], counts: [Int: Int64] = [:]
        snapshot.orders.withUnsafeBufferPointer { orders in
            // Customers as numbers (`CustomerNumbers`): per customer, the first order and the first
            // order attributed by code or referral (-1: none); per order, its customer (-1: none).
            var numbers = CustomerNumbers(capacity: orders.count)
            var customer: [Int] = Array(repeating: -1, count: orders.count)
            var first: [Int] = [], firstLinked: [Int] = []
            first.reserveCapacity(orders.count); firstLinked.reserveCapacity(orders.count)
            var direct: [(creator: Int, selfReferral: Bool)?] = Array(repeating: nil, count: orders.count)
            for i in orders.indices where !orders[i].seen.test && orders[i].seen.createdAt.instant < createdBefore {
                direct[i] = tables.creator(of: orders[i].seen)
                guard let hash = orders[i].seen.emailHash else { continue }
                let c = numbers.number(hash)
                customer[i] = c
                if c == first.count { first.append(-1); firstLinked.append(-1) }
                if first[c] < 0 || precedes(orders[i].seen, orders[first[c]].seen) { first[c] = i }
                if direct[i] != nil, firstLinked[c] < 0 || precedes(orders[i].seen, orders[firstLinked[c]].seen) {
                    firstLinked[c] = i
                }
            }
            for i in orders.indices where !orders[i].seen.test && orders[i].seen.createdAt.instant < createdBefore {
                let created = orders[i].seen.createdAt.instant
                let c = customer[i]
                var attributed = direct[i]
                var link: LifetimeLink? = nil
                if attributed == nil, c >= 0, case let j = firstLinked[c], j >= 0, let linked = direct[j],
                    let terms = tables.terms(linked.creator, at: created), terms.lifetimeMonths > 0
                {
                    let start = orders[j].seen.createdAt.instant
                    let end = addingMonths(terms.lifetimeMonths, to: start, zone: snapshot.zone)
                    if created < end, precedes(orders[j].seen, orders[i].seen) {
                        link = LifetimeLink(order: orders[j].seen.key, start: start, end: end)
                        attributed = (
                            linked.creator,
                            tables.selfReferral(customer: orders[i].seen.emailHash, creator: linked.creator)
                        )
                    }
                }
                guard let attributed else { continue }
                let state = orders[i].changes.isEmpty ? orders[i].seen.state : orders[i].state(before: stateBefore)
                let conversion = state.isPayable && !isFullyRefunded(orders[i].seen, state)
                let month = tables.days.civilDate(of: created).yearMonth
                plans[i] = NumberedPlan(
                    creator: attributed.creator, selfReferral: attributed.selfReferral, lifetime: link,
                    conversion: conversion, position: nil, month: month, newCustomer: c >= 0 && first[c] == i)
                if conversion { byMonth[Self.monthKey(attributed.creator, month), default: []].append(i) }
            }
            for (key, list) in byMonth {
                let sorted = list.sorted { precedes(orders[$0].seen, orders[$1].seen) }
                for (rank, i) in sorted.enumerated() { plans[i]!.position = Int64(rank + 1) }
                counts[key] = Int64(list.count)
            }
            for i in plans.indices {
                guard var plan = plans[i],
                    let terms = tables.terms(plan.creator, at: orders[i].seen.createdAt.instant)
                else { continue }
                (plan.rate, plan.rule) = orderRate(
                    terms, lifetime: plan.lifetime != nil, newCustomer: plan.newCustomer,
                    position: plan.position, monthConversions: counts[Self.monthKey(plan.creator, plan.month)] ?? 0)
                plans[i] = plan
            }
        }
        self.orders = plans
        self.conversions = counts
    }

    /// One key per creator number and month.
    static func monthKey(_ creator: Int, _ month: YearMonth) -> Int { creator << 20 | (month.year * 12 + month.month) }

    func conversions(of creator: Int, in month: YearMonth) -> Int64 {
        conversions[Self.monthKey(creator, month)] ?? 0
    }

    /// Per creator number, per month: the conversions.
    var conversionsByCreator: [Int: [YearMonth: Int64]] {
        var result: [Int: [YearMonth: Int64]] = [:]
        for (key, count) in conversions {
            let ordinal = key & (1 << 20 - 1)
            let month = YearMonth(uncheckedYear: (ordinal - 1) / 12, month: (ordinal - 1) % 12 + 1)
            result[key >> 20, default: [:]][month] = count
        }
        return result
    }

    /// The plan of order `i` with the creator's id.
    func plan(_ i: Int, ids: [String]) -> OrderPlan? {
        guard let p = orders[i] else { return nil }
        return OrderPlan(
            creator: ids[p.creator], selfReferral: p.selfReferral, lifetime: p.lifetime,
            conversion: p.conversion,
            position: p.position, monthConversions: conversions(of: p.creator, in: p.month),
            newCustomer: p.newCustomer, rate: p.rate, rule: p.rule)
    }
}

/// The precedence of rates (section 8): lifetime, new customer, tier, base; all of `terms`, the
/// terms in force at the order's created time.
public func orderRate(
    _ terms: Terms, lifetime: Bool, newCustomer: Bool, position: Int64?,
    monthConversions: Int64
) -> (CommissionRate, RateRule) {
    if lifetime, let rate = terms.lifetimeCommission { return (rate, .lifetime) }
    if newCustomer, let rate = terms.newCustomerCommission { return (rate, .newCustomer) }
    if let tiers = terms.tiers {
        // Not a conversion (no position): it earns nothing whatever its rate; marginal tiers give it
        // the base rate (position 0), so that a statement shows no tier it never reached.
        let n = terms.tiersApply == .month ? monthConversions : position ?? 0
        let tier = tiers.tier(at: n)
        return (tier?.rate ?? terms.commission, .tier(tier, n: n, apply: terms.tiersApply))
    }
    return (terms.commission, .base)
}

extension TermsIndex {
    /// Whether any creator's terms ever used a field of section 8: without one, every rule of
    /// section 8 is the identity and runs skip it.
    public var anyPlan: Bool { history.values.contains { $0.contains(where: \.hasPlan) } }
}

/// Whether the plans of `terms` read orders without a code or referral (lifetime links, new
/// customers): then a snapshot needs, besides the attributable orders, every other order of their
/// customers (e-mail hashes): the orders a link credits, and those that decide who is new.
public func plansReadCustomersOrders(_ terms: [TermsSet]) -> Bool {
    terms.contains(where: readsCustomersOrders)
}

private func readsCustomersOrders(_ terms: TermsSet) -> Bool {
    (terms.lifetimeMonths ?? 0) > 0 || terms.newCustomerCommission != nil
}

/// The customers (e-mail hashes, numbered in no particular order: the store looks the hash of each
/// order without a code up in them, as bytes) whose other orders the plans can read, from `orders`,
/// the orders with a code or referral: those of a non-test order listing a code or referral value
/// ever assigned to a creator whose terms ever gave a lifetime link or a new-customer rate. Only
/// they can be linked to such a creator (a link starts at the customer's first attributed order,
/// which names the creator) or place an order whose new-customer rate depends on their other
/// orders. A superset of the customers section 8 reads (any time, any of those creators' codes),
/// so that loading the orders of these customers only gives the payouts that loading every order
/// gives.
public func customersReadByPlans(_ snapshot: LedgerSnapshot, orders: [OrderRecord]) -> CustomerNumbers {
    let creators = Set(snapshot.terms.lazy.filter(readsCustomersOrders).map(\.creator))
    guard !creators.isEmpty else { return CustomerNumbers() }
    let codes = Set(
        snapshot.codeAssignments.lazy.filter { creators.contains($0.creator) }
            .map { normalizeCode($0.code) })
    let referrals = Set(
        snapshot.referralAssignments.lazy.filter { creators.contains($0.creator) }
            .map { normalizeCode($0.value) })
    // Most listed codes are written as assigned: a look-up of the raw spelling first saves normalizing.
    let raw = Set(snapshot.codeAssignments.lazy.filter { creators.contains($0.creator) }.map(\.code))
    var customers = CustomerNumbers()
    for order in orders {
        let seen = order.seen
        guard !seen.test, let hash = seen.emailHash, customers.find(hash) == nil else { continue }
        if seen.codes.contains(where: { raw.contains($0) || codes.contains(normalizeCode($0)) })
            || seen.referral.map({ referrals.contains(normalizeCode($0)) }) == true
        {
            _ = customers.number(hash)
        }
    }
    return customers
}

/// The plan view of every attributed order (section 4 or a lifetime link), with order states as
/// before `instant` (`.distantFuture`: as known now): for `explain` and ROI.
public func orderPlans(
    _ snapshot: LedgerSnapshot, before instant: Instant,
    rules: RuleIndex? = nil
) -> [OrderKey: OrderPlan] {
    var tables = CloseTables(snapshot, rules: rules ?? RuleIndex(snapshot))
    let run = PlanRun(snapshot, tables: &tables, stateBefore: instant, createdBefore: .distantFuture)
    var result: [OrderKey: OrderPlan] = [:]
    for i in snapshot.orders.indices {
        if let plan = run.plan(i, ids: tables.ids) { result[snapshot.orders[i].seen.key] = plan }
    }
    return result
}

/// Each creator's conversions per calendar month, states as before `instant` (for `explain`'s bonus count).
public func monthConversions(_ snapshot: LedgerSnapshot, before instant: Instant, rules: RuleIndex? = nil)
    -> [String: [YearMonth: Int64]]
{
    var tables = CloseTables(snapshot, rules: rules ?? RuleIndex(snapshot))
    let run = PlanRun(snapshot, tables: &tables, stateBefore: instant, createdBefore: .distantFuture)
    var result: [String: [YearMonth: Int64]] = [:]
    for (n, months) in run.conversionsByCreator { result[tables.ids[n]] = months }
    return result
}
