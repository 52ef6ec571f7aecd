@testable import App
import Foundation
import LedgerCore
import LedgerStore
import TestSupport
import Testing

/// Preview, close and ROI read the orders with a code or referral and, when plans read customers
/// (lifetime links, new-customer rates), the other orders of the customers the core names
/// (`customersReadByPlans`), found by one pass over the orders without a code. Differential: the
/// same figures as from every order of the ledger.
@Suite("the orders of linked customers")
struct CustomerOrdersTests {
    /// Random ledgers with random plans, written and closed as the commands do. After each batch,
    /// every month not yet closed computes the same from the loaded orders as from all of them, and
    /// so does ROI over the whole range; some loads leave out a customer's orders (otherwise the
    /// test would compare a load with itself).
    @Test func theLinkedCustomersOrdersGiveThePayoutsAndROIOfEveryOrder() throws {
        var leftOut = 0
        for seed in UInt64(1)...UInt64(16) {
            let random = RandomLedger(seed: seed, plans: true)
            let temporary = try temporaryLedger()
            let ledger = temporary.ledger
            let session = LedgerSession(ledger)
            try ledger.write { l in for fact in random.header.dropFirst() { try l.append(fact) } }
            for (k, batch) in random.batches.enumerated() {
                try ledger.write { l in for fact in batch { try l.append(fact) } }
                let all = try ledger.snapshot()
                let linked = try ledger.snapshot(orders: .attributable)
                let loaded = Set(linked.orders.map(\.key))
                leftOut += all.orders.filter { $0.seen.emailHash != nil && !loaded.contains($0.key) }.count
                for month in RandomLedger.months.dropFirst(k) {
                    #expect(
                        computeMonth(month, snapshot: linked) == computeMonth(month, snapshot: all),
                        "seed \(seed), batch \(k), \(month)")
                }
                let from = CivilDate.parse("2026-07-01")!, to = CivilDate.parse("2027-03-31")!
                let roiLinked = try session.roi(
                    from: from, to: to, by: .creator, compareAt: nil,
                    snapshot: try ledger.snapshot(orders: .attributable, statements: false))
                let roiAll = try session.roi(from: from, to: to, by: .creator, compareAt: nil, snapshot: all)
                #expect(roiLinked.map(\.keys) == roiAll.map(\.keys), "seed \(seed), batch \(k)")
                #expect(roiLinked.map(\.figures) == roiAll.map(\.figures), "seed \(seed), batch \(k)")
                if k < RandomLedger.months.count { _ = try session.closeMonth(RandomLedger.months[k]) }
            }
        }
        #expect(leftOut > 0)
    }
}
