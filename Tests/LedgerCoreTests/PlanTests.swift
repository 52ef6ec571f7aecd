import LedgerCore
import TestSupport
import Testing

/// Section 8 of the ledger rules (commission plans), hand-checked. Amounts in minor units (USD).
@Suite("commission plans (ledger rules section 8)")
struct PlanTests {
    func rate(_ text: String) -> CommissionRate {
        guard case let .success(r) = CommissionRate.parse(text) else { preconditionFailure(text) }
        return r
    }

    func tiers(_ text: String) -> RateTiers {
        guard case let .success(t) = RateTiers.parse(text) else { preconditionFailure(text) }
        return t
    }

    /// A statement's lines as (kind, ref, date, amount): what section 8 decides (the figures behind
    /// each order line are statement.issued's business).
    func bare(_ lines: [StatementLine]) -> [StatementLine] {
        lines.map { StatementLine(kind: $0.kind, ref: $0.ref, date: $0.date, amountMinor: $0.amountMinor) }
    }

    func plan(_ s: inout Scenario, _ t: TermsSet) { s.facts.append(.termsSet(t)) }

    /// Section 8's worked example: holdback 0, every order paid, subtotal = total = 100.00.
    func workedExample() -> Scenario {
        var s = Scenario(zone: .utc)
        s.creator("a", emailHash: "h-a")
        s.creator("b", emailHash: "h-b")
        s.code("ACODE", "a", from: "2026-01-01")
        s.code("BCODE", "b", from: "2026-01-01")
        plan(
            &s,
            TermsSet(
                creator: "a", effectiveFrom: day("2026-01-01"), commission: rate("10%"), holdbackDays: 0,
                tiers: .some(tiers("2:20%"))))
        plan(
            &s,
            TermsSet(
                creator: "b", effectiveFrom: day("2026-01-01"), commission: rate("10%"), holdbackDays: 0,
                newCustomerCommission: .some(rate("30%")), lifetimeMonths: 1,
                lifetimeCommission: .some(rate("5%")), bonusThreshold: 2, bonusMinor: .some(1_500)))
        s.order("a1", created: "2026-01-05T10:00:00Z", subtotal: 10_000, codes: ["ACODE"], email: "x1")
        s.order("a2", created: "2026-01-06T10:00:00Z", subtotal: 10_000, codes: ["ACODE"], email: "x2")
        s.order("a3", created: "2026-01-07T10:00:00Z", subtotal: 10_000, codes: ["ACODE"], email: "x3")
        s.order("q1", created: "2026-01-10T10:00:00Z", subtotal: 10_000, codes: ["BCODE"], email: "q")
        s.order("q2", created: "2026-01-31T10:00:00Z", subtotal: 10_000, email: "q")
        s.order("q3", created: "2026-02-28T10:00:00Z", subtotal: 10_000, email: "q")
        s.order("q4", created: "2026-01-12T10:00:00Z", subtotal: 10_000, codes: ["BCODE"], email: "q")
        return s
    }

    @Test func theWorkedExampleOfSection8ToTheCent() {
        var s = workedExample()
        let jan = s.close("2026-01")
        #expect(
            bare(jan.lines("a")) == [
                line(.commission, "shopify:a1", "2026-01-05", 1_000),
                line(.commission, "shopify:a2", "2026-01-06", 1_000),
                line(.commission, "shopify:a3", "2026-01-07", 2_000)
            ])
        #expect(
            bare(jan.lines("b")) == [
                line(.commission, "shopify:q1", "2026-01-10", 3_000),
                line(.commission, "shopify:q4", "2026-01-12", 1_000),
                line(.commission, "shopify:q2", "2026-01-31", 500)
            ])
        #expect(jan.figures("a") == figures(0, 4_000, 0, 0, 0, 4_000, 4_000, 0))
        #expect(jan.figures("b") == figures(0, 4_500, 0, 0, 0, 4_500, 4_500, 0))
        s.change("a1", effective: "2026-02-02", status: .refunded, refunded: 10_000)
        let feb = s.close("2026-02")
        #expect(
            bare(feb.lines("a")) == [
                line(.clawback, "shopify:a1", "2026-01-05", -1_000),
                line(.clawback, "shopify:a3", "2026-01-07", -1_000)
            ])
        #expect(feb.figures("a") == figures(0, 0, 2_000, 0, 0, -2_000, 0, -2_000))
        #expect(bare(feb.lines("b")) == [line(.bonus, "bonus:2026-01", "2026-01-31", 1_500)])
        #expect(feb.figures("b") == figures(0, 1_500, 0, 0, 0, 1_500, 1_500, 0))
    }

    @Test func theWorkedExampleExplainedOrderByOrder() {
        let s = workedExample()
        let plans = orderPlans(s.snapshot, before: .distantFuture)
        #expect(
            plans[OrderKey(source: "shopify", orderId: "a3")]?.rule
                == .tier(
                    RateTier(above: 2, rate: rate("20%")),
                    n: 3,
                    apply: .marginal))
        #expect(plans[OrderKey(source: "shopify", orderId: "q1")]?.rule == .newCustomer)
        #expect(plans[OrderKey(source: "shopify", orderId: "q4")]?.rule == .base)
        let q2 = plans[OrderKey(source: "shopify", orderId: "q2")]
        #expect(q2?.rule == .lifetime)
        #expect(
            q2?.lifetime
                == LifetimeLink(
                    order: OrderKey(source: "shopify", orderId: "q1"),
                    start: at("2026-01-10T10:00:00Z"),
                    end: at("2026-02-10T10:00:00Z")))
        #expect(plans[OrderKey(source: "shopify", orderId: "q3")] == nil)
    }

    /// A bonus paid, then taken back when a refund drops the month under its threshold.
    @Test func aBonusIsClawedBackWhenARefundTakesTheCountUnderTheThreshold() {
        var s = workedExample()
        s.close("2026-01")
        s.close("2026-02")  // pays b January's bonus (3 conversions)
        s.change("q1", effective: "2026-03-03", status: .refunded, refunded: 10_000)
        s.change("q4", effective: "2026-03-03", status: .refunded, refunded: 10_000)
        let mar = s.close("2026-03")
        #expect(
            bare(mar.lines("b")) == [
                line(.clawback, "shopify:q1", "2026-01-10", -3_000),
                line(.clawback, "shopify:q4", "2026-01-12", -1_000),
                line(.clawback, "bonus:2026-01", "2026-01-31", -1_500)
            ])
        #expect(mar.figures("b") == figures(0, 0, 5_500, 0, 0, -5_500, 0, -5_500))
    }

    /// A retainer is a fee line per month from the first terms on; `none` stops it from its month.
    @Test func aRetainerIsPaidEachMonthUntilClearedWithNone() {
        var s = Scenario(zone: .utc)
        s.creator("r")
        plan(
            &s,
            TermsSet(
                creator: "r", effectiveFrom: day("2026-01-01"), commission: rate("10%"),
                retainerMinor: .some(30_000)))
        #expect(bare(s.close("2026-01").lines("r")) == [line(.retainer, "retainer:2026-01", "2026-01-31", 30_000)])
        plan(&s, TermsSet(creator: "r", effectiveFrom: day("2026-02-15"), retainerMinor: .some(nil)))
        let feb = s.close("2026-02")
        #expect(feb.statements.isEmpty)  // in force at February's last instant: none
        // A retainer set later for January (back-dated) lands in the next close as a difference.
        plan(
            &s,
            TermsSet(
                creator: "r", effectiveFrom: day("2026-01-01"), commission: rate("10%"),
                retainerMinor: .some(35_000)))
        let mar = s.close("2026-03")
        #expect(bare(mar.lines("r")) == [line(.retainer, "retainer:2026-01", "2026-01-31", 5_000)])
        #expect(mar.figures("r") == figures(0, 0, 0, 5_000, 0, 5_000, 5_000, 0))
    }

    /// Month-wide tiers: the month's count sets every conversion's rate, rising and falling.
    @Test func monthWideTiersRiseWithALateConversionAndFallWithARefund() {
        var s = Scenario(zone: .utc)
        s.creator("m")
        s.code("MCODE", "m", from: "2026-01-01")
        plan(
            &s,
            TermsSet(
                creator: "m", effectiveFrom: day("2026-01-01"), commission: rate("10%"), holdbackDays: 0,
                tiers: .some(tiers("2:20%")), tiersApply: .month))
        s.order("1", created: "2026-01-05", subtotal: 10_000, codes: ["MCODE"])
        s.order("2", created: "2026-01-06", subtotal: 10_000, codes: ["MCODE"])
        s.order("3", created: "2026-01-07", subtotal: 10_000, codes: ["MCODE"])
        #expect(s.close("2026-01").figures("m") == figures(0, 6_000, 0, 0, 0, 6_000, 6_000, 0))
        s.change("3", effective: "2026-02-03", status: .refunded, refunded: 10_000)
        // 2 conversions left: 10% each; order 3 earns nothing.
        #expect(
            bare(s.close("2026-02").lines("m")) == [
                line(.clawback, "shopify:1", "2026-01-05", -1_000),
                line(.clawback, "shopify:2", "2026-01-06", -1_000),
                line(.clawback, "shopify:3", "2026-01-07", -2_000)
            ])
    }

    /// Month-wide tiers: a January conversion imported in February raises January's earlier ones.
    @Test func aLateConversionRaisesTheMonthsEarlierOnesWithMonthWideTiers() {
        var s = Scenario(zone: .utc)
        s.creator("m")
        s.code("MCODE", "m", from: "2026-01-01")
        plan(
            &s,
            TermsSet(
                creator: "m", effectiveFrom: day("2026-01-01"), commission: rate("10%"), holdbackDays: 0,
                tiers: .some(tiers("2:20%")), tiersApply: .month))
        s.order("1", created: "2026-01-05", subtotal: 10_000, codes: ["MCODE"])
        s.order("2", created: "2026-01-06", subtotal: 10_000, codes: ["MCODE"])
        #expect(s.close("2026-01").figures("m") == figures(0, 2_000, 0, 0, 0, 2_000, 2_000, 0))
        s.order("3", created: "2026-01-30", subtotal: 10_000, codes: ["MCODE"])
        #expect(
            bare(s.close("2026-02").lines("m")) == [
                line(.commission, "shopify:1", "2026-01-05", 1_000),
                line(.commission, "shopify:2", "2026-01-06", 1_000),
                line(.commission, "shopify:3", "2026-01-30", 2_000)
            ])
    }

    /// A backfilled earlier order takes position 1 and pushes the others up a tier.
    @Test func aBackfilledEarlierOrderMovesThePositionsOfTheLaterOnes() {
        var s = Scenario(zone: .utc)
        s.creator("t")
        s.code("TCODE", "t", from: "2026-01-01")
        plan(
            &s,
            TermsSet(
                creator: "t", effectiveFrom: day("2026-01-01"), commission: rate("10%"), holdbackDays: 0,
                tiers: .some(tiers("1:20%"))))
        s.order("2", created: "2026-01-06", subtotal: 10_000, codes: ["TCODE"])
        #expect(bare(s.close("2026-01").lines("t")) == [line(.commission, "shopify:2", "2026-01-06", 1_000)])
        s.order("1", created: "2026-01-05", subtotal: 10_000, codes: ["TCODE"])  // imported late
        #expect(
            bare(s.close("2026-02").lines("t")) == [
                line(.commission, "shopify:1", "2026-01-05", 1_000),
                line(.commission, "shopify:2", "2026-01-06", 1_000)
            ])
    }

    /// Lifetime windows are calendar months clamped to the month's end: linked on 31 December with
    /// one month, the link covers orders created before 31 January at the same time of day.
    @Test func aLifetimeWindowEndsOnThe31stOfJanuary() {
        #expect(addingMonths(1, to: at("2025-12-31T18:00:00Z"), zone: .utc) == at("2026-01-31T18:00:00Z"))
        #expect(addingMonths(1, to: at("2026-01-31T18:00:00Z"), zone: .utc) == at("2026-02-28T18:00:00Z"))
        #expect(addingMonths(1, to: at("2028-01-31T18:00:00Z"), zone: .utc) == at("2028-02-29T18:00:00Z"))
        var s = lifetimeShop()
        s.order("link", created: "2025-12-31T18:00:00Z", subtotal: 10_000, codes: ["LCODE"], email: "c")
        s.order("in", created: "2026-01-31T17:59:59Z", subtotal: 10_000, email: "c")
        s.order("out", created: "2026-01-31T18:00:00Z", subtotal: 10_000, email: "c")
        let plans = orderPlans(s.snapshot, before: .distantFuture)
        #expect(plans[OrderKey(source: "shopify", orderId: "in")]?.rule == .lifetime)
        #expect(plans[OrderKey(source: "shopify", orderId: "out")] == nil)
    }

    func lifetimeShop() -> Scenario {
        var s = Scenario(zone: .utc)
        s.creator("l", emailHash: "h-l")
        s.creator("o")
        s.code("LCODE", "l", from: "2025-01-01")
        s.code("OCODE", "o", from: "2025-01-01")
        plan(
            &s,
            TermsSet(
                creator: "l", effectiveFrom: day("2025-01-01"), commission: rate("10%"), holdbackDays: 0,
                lifetimeMonths: 1, lifetimeCommission: .some(rate("5%"))))
        plan(&s, TermsSet(creator: "o", effectiveFrom: day("2025-01-01"), commission: rate("10%"), holdbackDays: 0))
        return s
    }

    /// Another creator's valid code on a linked customer's order wins over the link; the link stays.
    @Test func aCodeBeatsALifetimeLink() {
        var s = lifetimeShop()
        s.order("1", created: "2026-01-02", subtotal: 10_000, codes: ["LCODE"], email: "c")
        s.order("2", created: "2026-01-03", subtotal: 10_000, codes: ["OCODE"], email: "c")
        s.order("3", created: "2026-01-04", subtotal: 10_000, email: "c")
        let plans = orderPlans(s.snapshot, before: .distantFuture)
        #expect(plans[OrderKey(source: "shopify", orderId: "2")]?.creator == "o")
        #expect(plans[OrderKey(source: "shopify", orderId: "3")]?.creator == "l")
    }

    /// The creator's own e-mail on a linked order: attributed through the link, commission 0.
    @Test func aSelfReferralThroughALifetimeLinkEarnsNothing() {
        var s = lifetimeShop()
        s.order("1", created: "2026-01-02", subtotal: 10_000, codes: ["LCODE"], email: "h-l")
        s.order("2", created: "2026-01-03", subtotal: 10_000, email: "h-l")
        let plans = orderPlans(s.snapshot, before: .distantFuture)
        #expect(plans[OrderKey(source: "shopify", orderId: "2")]?.selfReferral == true)
        #expect(s.preview("2026-01").statements.isEmpty)
    }

    /// The first order of a customer counts whatever its status: a cancelled first order leaves the
    /// second one a returning customer's.
    @Test func aNewCustomerWhoseFirstOrderWasCancelledIsNoLongerNew() {
        var s = Scenario(zone: .utc)
        s.creator("n")
        s.code("NCODE", "n", from: "2026-01-01")
        plan(
            &s,
            TermsSet(
                creator: "n", effectiveFrom: day("2026-01-01"), commission: rate("10%"), holdbackDays: 0,
                newCustomerCommission: .some(rate("30%"))))
        s.order(
            "1", created: "2026-01-02", subtotal: 10_000, codes: ["NCODE"], email: "c",
            cancelledAt: "2026-01-02T12:00:00Z")
        s.order("2", created: "2026-01-03", subtotal: 10_000, codes: ["NCODE"], email: "c")
        s.order("3", created: "2026-01-04", subtotal: 10_000, codes: ["NCODE"], email: "d")
        #expect(
            bare(s.close("2026-01").lines("n")) == [
                line(.commission, "shopify:2", "2026-01-03", 1_000),
                line(.commission, "shopify:3", "2026-01-04", 3_000)
            ])
    }

    /// Terms changed in the middle of a month: each order takes the rate of the terms in force at its
    /// created time; the month's count (tiers, bonus) spans both.
    @Test func termsChangedInTheMiddleOfAMonth() {
        var s = Scenario(zone: .utc)
        s.creator("c")
        s.code("CCODE", "c", from: "2026-01-01")
        plan(&s, TermsSet(creator: "c", effectiveFrom: day("2026-01-01"), commission: rate("10%"), holdbackDays: 0))
        plan(
            &s,
            TermsSet(
                creator: "c", effectiveFrom: day("2026-01-15"), tiers: .some(tiers("1:20%")),
                bonusThreshold: 2,
                bonusMinor: .some(5_000)))
        s.order("1", created: "2026-01-05", subtotal: 10_000, codes: ["CCODE"])
        s.order("2", created: "2026-01-20", subtotal: 10_000, codes: ["CCODE"])
        #expect(
            bare(s.close("2026-01").lines("c")) == [
                line(.commission, "shopify:1", "2026-01-05", 1_000),
                line(.commission, "shopify:2", "2026-01-20", 2_000)
            ])
        #expect(bare(s.close("2026-02").lines("c")) == [line(.bonus, "bonus:2026-01", "2026-01-31", 5_000)])
    }

    /// `balances` holds back a lifetime order's commission for its linked creator, at its plan rate.
    @Test func heldBackCountsLifetimeOrdersAtTheirRate() {
        var s = lifetimeShop()
        plan(&s, TermsSet(creator: "l", effectiveFrom: day("2026-01-01"), holdbackDays: 30))
        s.order("1", created: "2026-01-02", subtotal: 10_000, codes: ["LCODE"], email: "c")
        s.order("2", created: "2026-01-20", subtotal: 10_000, email: "c")
        let snapshot = s.snapshot
        let held = balances(
            asOf: CivilDate(year: 2026, month: 1, day: 31)!, snapshot: snapshot,
            rules: RuleIndex(snapshot))
        #expect(held.balances.map(\.creator) == ["l"])
        #expect(held.balances.first?.heldBackMinor == 1_500)  // 10% of the coded order + 5% of the lifetime one
    }
}
