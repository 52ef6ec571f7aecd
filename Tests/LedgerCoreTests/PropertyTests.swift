import LedgerCore
import TestSupport
import Testing

/// Seeded random ledgers (July 2026 to March 2027, closes after each month, late facts and corrected
/// master data included). A failure names its seed: rerun with that seed alone to reproduce.
@Suite("payout properties over random ledgers")
struct PropertyTests {
    static let seeds: [UInt64] = Array(1...300)

    @Test(arguments: seeds)
    func paidPlusCarriedEqualsEverythingEarned(seed: UInt64) {
        Self.checkConservation(RandomLedger(seed: seed), seed: seed)
    }

    /// Section 8: the same with random plans (tiers, new-customer and lifetime rates, bonuses, retainers).
    @Test(arguments: seeds)
    func paidPlusCarriedEqualsEverythingEarnedWithPlans(seed: UInt64) {
        Self.checkConservation(RandomLedger(seed: seed, plans: true), seed: seed)
    }

    static func checkConservation(_ ledger: RandomLedger, seed: UInt64) {
        let (results, _, _) = closeAll(ledger)
        var earned: [String: Int64] = [:], paid: [String: Int64] = [:], carried: [String: Int64] = [:]
        for result in results {
            #expect(result.blocking.isEmpty, "seed \(seed)")
            for s in result.statements {
                let f = s.figures
                #expect(
                    f.carriedInMinor == (carried[s.creator] ?? 0),
                    "seed \(seed): \(result.month) \(s.creator) carried in")
                #expect(
                    f.balanceMinor == f.carriedInMinor + f.commissionsMinor - f.clawbacksMinor + f.feesMinor
                        + f.adjustmentsMinor, "seed \(seed)")
                #expect(
                    f.payoutMinor == (f.balanceMinor > 0 && f.balanceMinor >= s.minPayoutMinor ? f.balanceMinor : 0),
                    "seed \(seed)")
                #expect(f.carriedOutMinor == f.balanceMinor - f.payoutMinor, "seed \(seed)")
                #expect(f.commissionsMinor >= 0 && f.clawbacksMinor >= 0, "seed \(seed)")
                #expect(
                    s.lines.reduce(0) { $0 + $1.amountMinor } == f.commissionsMinor - f.clawbacksMinor + f.feesMinor
                        + f.adjustmentsMinor, "seed \(seed)")
                earned[s.creator, default: 0] +=
                    f.commissionsMinor - f.clawbacksMinor + f.feesMinor + f.adjustmentsMinor
                paid[s.creator, default: 0] += f.payoutMinor
                carried[s.creator] = f.carriedOutMinor
            }
            // A creator without a statement this month carried nothing (else a row would be shown).
            for (creator, amount) in carried where !result.statements.contains(where: { $0.creator == creator }) {
                #expect(amount == 0, "seed \(seed): \(creator) lost a carried balance in \(result.month)")
            }
        }
        for (creator, total) in earned {
            #expect(
                total == paid[creator, default: 0] + carried[creator, default: 0],
                "seed \(seed): conservation for \(creator)")
        }
    }

    /// Every (order, creator) pair was paid, over all statements, exactly its commission as of the
    /// last close (all orders have matured by then); every post and adjustment exactly its amount.
    @Test(arguments: seeds)
    func statementsAddUpToTheReferenceCommissionOfEveryOrder(seed: UInt64) {
        let (results, _, snapshot) = closeAll(RandomLedger(seed: seed))
        let end = Zone.utc.startOfMonth(RandomLedger.months.last!.next)
        var paid: [String: Int64] = [:]
        for result in results {
            for s in result.statements {
                for line in s.lines {
                    paid[s.creator + "|" + line.kind.group + "|" + line.ref, default: 0] += line.amountMinor
                }
            }
        }
        var expected: [String: Int64] = [:]
        let rules = RuleIndex(snapshot)
        for order in snapshot.orders where !order.seen.test {
            let e = rules.evaluate(order, before: end)
            guard let creator = e.attribution.creator, let commission = e.commissionMinor, commission != 0 else {
                continue
            }
            expected[creator + "|order|" + order.key.description] = commission
        }
        for post in snapshot.posts where post.feeMinor != 0 {
            expected[post.creator + "|fee|" + post.id] = post.feeMinor
        }
        for a in snapshot.adjustments where a.amountMinor != 0 {
            expected[a.creator + "|adjustment|" + a.id] = a.amountMinor
        }
        #expect(paid.filter { $0.value != 0 } == expected, "seed \(seed)")
    }

    /// With plans: every (order, creator) pair was paid its commission as of the last close under its
    /// plan's rate (and lifetime attribution), every month's bonus and retainer exactly its amount.
    @Test(arguments: seeds.prefix(150))
    func statementsAddUpToTheReferenceFiguresWithPlans(seed: UInt64) {
        let (results, _, snapshot) = closeAll(RandomLedger(seed: seed, plans: true))
        let last = RandomLedger.months.last!
        let end = Zone.utc.startOfMonth(last.next)
        var paid: [String: Int64] = [:]
        for result in results {
            for s in result.statements {
                for line in s.lines {
                    let group = line.isPlanLine ? "plan" : line.kind.group
                    paid[s.creator + "|" + group + "|" + line.ref, default: 0] += line.amountMinor
                }
            }
        }
        var expected: [String: Int64] = [:]
        let rules = RuleIndex(snapshot)
        let plans = orderPlans(snapshot, before: end, rules: rules)
        for order in snapshot.orders where !order.seen.test {
            let e = rules.evaluate(order, before: end, plan: plans[order.key])
            guard let creator = e.attribution.creator, let commission = e.commissionMinor, commission != 0 else {
                continue
            }
            expected[creator + "|order|" + order.key.description] = commission
        }
        for post in snapshot.posts where post.feeMinor != 0 {
            expected["\(post.creator)|fee|\(post.id)"] = post.feeMinor
        }
        for a in snapshot.adjustments where a.amountMinor != 0 {
            expected["\(a.creator)|adjustment|\(a.id)"] = a.amountMinor
        }
        let counts = monthConversions(snapshot, before: end, rules: rules)
        for (creator, history) in rules.terms.history {
            var m = Zone.utc.month(of: history[0].effectiveFrom)
            while m <= last {
                let terms = rules.terms.terms(for: creator, at: Zone.utc.startOfMonth(m.next).adding(seconds: -1))
                let count = counts[creator]?[m] ?? 0
                if m < last, let bonus = terms?.bonus, bonus.amountMinor != 0, count >= bonus.threshold {
                    expected[creator + "|plan|bonus:\(m)"] = bonus.amountMinor
                }
                if let retainer = terms?.retainerMinor, retainer != 0 {
                    expected[creator + "|plan|retainer:\(m)"] = retainer
                }
                m = m.next
            }
        }
        #expect(paid.filter { $0.value != 0 } == expected, "seed \(seed)")
    }

    /// With plans, the order of imports changes nothing either (positions order by created time).
    @Test(arguments: seeds.prefix(100))
    func figuresDoNotDependOnImportOrderWithPlans(seed: UInt64) {
        let ledger = RandomLedger(seed: seed, plans: true)
        var shuffled = ledger
        var rng = SplitMix64(seed: seed &* 31 &+ 7)
        shuffled.batches = ledger.batches.map { permuteOrders($0, &rng) }
        #expect(closeAll(shuffled).results == closeAll(ledger).results, "seed \(seed)")
    }

    /// The order in which orders were imported (within what was known at each close) changes nothing.
    @Test(arguments: seeds.prefix(150))
    func figuresDoNotDependOnImportOrder(seed: UInt64) {
        let ledger = RandomLedger(seed: seed)
        var shuffled = ledger
        var rng = SplitMix64(seed: seed &* 31 &+ 7)
        shuffled.batches = ledger.batches.map { permuteOrders($0, &rng) }
        #expect(shuffled.batches.map(\.count) == ledger.batches.map(\.count))
        #expect(closeAll(shuffled).results == closeAll(ledger).results, "seed \(seed)")
    }

    @Test(arguments: seeds.prefix(100))
    func theHotPathAgreesWithTheExplainedAttribution(seed: UInt64) {
        let (_, _, snapshot) = closeAll(RandomLedger(seed: seed))
        let index = AttributionIndex(snapshot)
        for order in snapshot.orders {
            let full = index.attribute(order.seen)
            let fast = index.creator(of: order.seen)
            #expect(
                fast?.creator == full.creator && (fast?.selfReferral ?? false) == full.selfReferral,
                "seed \(seed): \(order.key)")
        }
    }
}

extension StatementLine.Kind {
    var group: String {
        switch self {
        case .commission, .clawback: return "order"
        case .fee: return "fee"
        case .adjustment: return "adjustment"
        case .bonus: return "bonus"
        case .retainer: return "retainer"
        }
    }
}

/// The batch with its orders in a random order: each order's own facts keep their relative order,
/// other facts stay where they were.
func permuteOrders(_ batch: [Fact], _ rng: inout SplitMix64) -> [Fact] {
    func key(_ fact: Fact) -> OrderKey? {
        switch fact {
        case let .orderSeen(f): return f.key
        case let .orderChanged(f): return f.key
        default: return nil
        }
    }
    var rank: [OrderKey: UInt64] = [:]
    for fact in batch { if let k = key(fact), rank[k] == nil { rank[k] = rng.next() } }
    let orderFacts = batch.enumerated().filter { key($0.element) != nil }
        .sorted { (rank[key($0.element)!]!, $0.offset) < (rank[key($1.element)!]!, $1.offset) }.map(\.element)
    var next = orderFacts.makeIterator()
    return batch.map { key($0) == nil ? $0 : next.next()! }
}
