@testable import LedgerCore
import TestSupport
import Testing

/// Customers as numbers (`CustomerNumbers`) instead of e-mail hash strings as dictionary keys: the
/// table against a dictionary, and the plan run against the one keyed by strings it replaced.
@Suite("customers as numbers")
struct CustomerNumbersTests {
    /// Random byte strings (empty, short, 64 bytes like a hash, long; many repeated) numbered in
    /// order of first appearance, as a dictionary numbers them, from a table that starts small
    /// and grows; `find` knows exactly the numbered ones, by String and by bytes.
    @Test(arguments: [UInt64(1), 2, 3, 4, 5])
    func numbersAsADictionaryDoes(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let alphabet = Array("0123456789abcdef-é".unicodeScalars)
        func key(_ rng: inout SplitMix64) -> String {
            let length = [0, 1, 7, 8, 9, 15, 16, 63, 64, 64, 64, 65, 100][Int(rng.int(0...12))]
            var s = String.UnicodeScalarView()
            for _ in 0..<length { s.append(alphabet[Int(rng.int(0...Int64(alphabet.count - 1)))]) }
            return String(s)
        }
        let pool = (0..<3_000).map { _ in key(&rng) }
        var table = CustomerNumbers()
        var expected: [String: Int] = [:]
        for _ in 0..<20_000 {
            let k = pool[Int(rng.int(0...Int64(pool.count - 1)))]
            let n = expected[k] ?? expected.count
            expected[k] = n
            #expect(table.number(k) == n, "seed \(seed): \(k)")
        }
        #expect(table.count == expected.count)
        for (k, n) in expected {
            #expect(table.find(k) == n)
            #expect(table.key(n) == k)
            var bytes = k
            #expect(bytes.withUTF8 { table.find(bytes: UnsafeRawBufferPointer($0)) } == n)
        }
        for _ in 0..<2_000 {
            let k = key(&rng) + "x"
            #expect(table.find(k) == expected[k], "seed \(seed): \(k)")
        }
    }

    /// Every order's plan and every month's conversions, for random ledgers with plans and their
    /// customers coming back, at the end of each month: the same as the plan run keyed by e-mail
    /// hash strings (`referencePlans`, the code before customers were numbered).
    @Test(arguments: Array(UInt64(1)...UInt64(60)))
    func planRunGivesWhatTheRunKeyedByStringsGave(seed: UInt64) {
        let snapshot = closeAll(RandomLedger(seed: seed, plans: true)).lastSnapshot
        var instants = RandomLedger.months.map { snapshot.zone.startOfMonth($0.next) }
        instants.append(.distantFuture)
        for before in instants {
            let reference = referencePlans(snapshot, before: before)
            #expect(orderPlans(snapshot, before: before) == reference.plans, "seed \(seed), \(before)")
            #expect(monthConversions(snapshot, before: before) == reference.conversions, "seed \(seed), \(before)")
        }
    }
}

/// The plan run as it was with e-mail hash strings as dictionary keys, kept as the reference.
private func referencePlans(_ snapshot: LedgerSnapshot, before: Instant) -> (
    plans: [OrderKey: OrderPlan], conversions: [String: [YearMonth: Int64]]
) {
    var tables = CloseTables(snapshot, rules: RuleIndex(snapshot))
    let orders = snapshot.orders
    var direct: [(creator: Int, selfReferral: Bool)?] = Array(repeating: nil, count: orders.count)
    var first: [String: Int] = [:], firstLinked: [String: Int] = [:]
    for i in orders.indices where !orders[i].seen.test {
        let seen = orders[i].seen
        direct[i] = tables.creator(of: seen)
        guard let hash = seen.emailHash else { continue }
        if let j = first[hash], !precedes(seen, orders[j].seen) {} else { first[hash] = i }
        if direct[i] != nil {
            if let j = firstLinked[hash], !precedes(seen, orders[j].seen) {} else { firstLinked[hash] = i }
        }
    }
    struct Plan {
        var creator: Int, selfReferral: Bool, lifetime: LifetimeLink?, conversion: Bool, position: Int64?
        var month: YearMonth, newCustomer: Bool
    }
    var plans: [Int: Plan] = [:]
    var byMonth: [Int: [YearMonth: [Int]]] = [:]
    for i in orders.indices where !orders[i].seen.test {
        let seen = orders[i].seen
        let created = seen.createdAt.instant
        var attributed = direct[i]
        var link: LifetimeLink? = nil
        if attributed == nil, let hash = seen.emailHash, let j = firstLinked[hash], let linked = direct[j],
            let terms = tables.terms(linked.creator, at: created), terms.lifetimeMonths > 0
        {
            let start = orders[j].seen.createdAt.instant
            let end = addingMonths(terms.lifetimeMonths, to: start, zone: snapshot.zone)
            if created < end, precedes(orders[j].seen, seen) {
                link = LifetimeLink(order: orders[j].seen.key, start: start, end: end)
                attributed = (linked.creator, tables.selfReferral(customer: hash, creator: linked.creator))
            }
        }
        guard let attributed else { continue }
        let state = orders[i].state(before: before)
        let conversion = state.isPayable && !isFullyRefunded(seen, state)
        let month = snapshot.zone.civilDate(of: created).yearMonth
        plans[i] = Plan(
            creator: attributed.creator, selfReferral: attributed.selfReferral, lifetime: link,
            conversion: conversion, position: nil, month: month,
            newCustomer: seen.emailHash.map { first[$0] == i } ?? false)
        if conversion { byMonth[attributed.creator, default: [:]][month, default: []].append(i) }
    }
    var conversions: [String: [YearMonth: Int64]] = [:]
    for (creator, months) in byMonth {
        for (month, list) in months {
            let sorted = list.sorted { precedes(orders[$0].seen, orders[$1].seen) }
            for (rank, i) in sorted.enumerated() { plans[i]!.position = Int64(rank + 1) }
            conversions[tables.ids[creator], default: [:]][month] = Int64(list.count)
        }
    }
    var result: [OrderKey: OrderPlan] = [:]
    for (i, p) in plans {
        let count = conversions[tables.ids[p.creator]]?[p.month] ?? 0
        var plan = OrderPlan(
            creator: tables.ids[p.creator], selfReferral: p.selfReferral, lifetime: p.lifetime,
            conversion: p.conversion, position: p.position, monthConversions: count, newCustomer: p.newCustomer,
            rate: nil, rule: nil)
        if let terms = tables.terms(p.creator, at: orders[i].seen.createdAt.instant) {
            (plan.rate, plan.rule) = orderRate(
                terms, lifetime: p.lifetime != nil, newCustomer: p.newCustomer, position: p.position,
                monthConversions: count)
        }
        result[orders[i].seen.key] = plan
    }
    return (result, conversions)
}
