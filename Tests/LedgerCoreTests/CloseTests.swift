import LedgerCore
import TestSupport
import Testing

/// Hand-checked scenarios for section 6. Figures read: carried_in, commissions, clawbacks, fees,
/// adjustments, balance, payout, carried_out (minor units, USD).
@Suite("monthly statements and payouts (ledger rules section 6)")
struct CloseTests {
    /// anna on ANNA15 from July: 10% + 1.00 per order, the given holdback, no minimum.
    func anna(holdbackDays: Int64? = nil, minPayout: Int64? = nil, zone: Zone = .utc) -> Scenario {
        var s = Scenario(zone: zone)
        s.creator("anna", emailHash: "h-anna")
        s.code("ANNA15", "anna", from: "2026-07-01")
        s.terms(
            "anna", from: "2026-07-01", rate: "10%", perOrder: 100, holdbackDays: holdbackDays, minPayout: minPayout)
        return s
    }

    @Test func ordersMatureAfterTheHoldbackBeforeTheNextMonthStarts() {
        var s = anna()  // holdback 30 days
        // 1,100; matures 08-14 12:00
        s.order("1", created: "2026-07-15T12:00:00Z", subtotal: 10_000, codes: ["ANNA15"])
        // 600; matures 09-01 00:00: not before September
        s.order("2", created: "2026-08-02T00:00:00Z", subtotal: 5_000, codes: ["ANNA15"])
        // 300; matures 08-31 23:59:59
        s.order("3", created: "2026-08-01T23:59:59Z", subtotal: 2_000, codes: ["ANNA15"])
        #expect(s.close("2026-07").statements.isEmpty)
        let aug = s.close("2026-08")
        #expect(aug.figures("anna") == figures(0, 1_400, 0, 0, 0, 1_400, 1_400, 0))
        #expect(
            aug.lines("anna") == [
                line(.commission, "shopify:1", "2026-07-15", 1_100), line(.commission, "shopify:3", "2026-08-01", 300)
            ])
        let sep = s.close("2026-09")
        #expect(sep.figures("anna") == figures(0, 600, 0, 0, 0, 600, 600, 0))
        #expect(sep.lines("anna") == [line(.commission, "shopify:2", "2026-08-02", 600)])
        #expect(s.close("2026-10").statements.isEmpty)
    }

    @Test func aRefundAfterPayoutIsAClawbackAndANegativeBalanceCarriesForward() {
        var s = anna()
        // 1,100, matures 07-31 10:00
        s.order("1", created: "2026-07-01T10:00:00Z", subtotal: 10_000, codes: ["ANNA15"])
        #expect(s.close("2026-07").figures("anna") == figures(0, 1_100, 0, 0, 0, 1_100, 1_100, 0))
        // 40.00 refunded: base 60.00, commission 6.00 + 1.00 = 7.00: 4.00 clawed back.
        s.change("1", effective: "2026-08-10", status: .partiallyRefunded, refunded: 4_000)
        let aug = s.close("2026-08")
        #expect(aug.figures("anna") == figures(0, 0, 400, 0, 0, -400, 0, -400))
        #expect(aug.lines("anna") == [line(.clawback, "shopify:1", "2026-07-01", -400)])
        // Nothing new in September: the debt is carried in and out again.
        #expect(s.close("2026-09").figures("anna") == figures(-400, 0, 0, 0, 0, -400, 0, -400))
    }

    @Test func aCancellationAfterPayoutClawsBackEverythingIncludingTheFixedPart() {
        var s = anna()
        s.order("1", created: "2026-07-01T10:00:00Z", subtotal: 10_000, codes: ["ANNA15"])  // 1,100 in July
        s.order("2", created: "2026-08-01T00:00:00Z", subtotal: 20_000, codes: ["ANNA15"])  // 2,100, matures 08-31
        s.close("2026-07")
        s.change("1", effective: "2026-08-05", cancelledAt: "2026-08-05T09:00:00Z")
        let aug = s.close("2026-08")
        #expect(aug.figures("anna") == figures(0, 2_100, 1_100, 0, 0, 1_000, 1_000, 0))
        #expect(
            aug.lines("anna") == [
                line(.clawback, "shopify:1", "2026-07-01", -1_100), line(.commission, "shopify:2", "2026-08-01", 2_100)
            ])
    }

    @Test func aBackDatedCodeMoveAfterPayoutClawsBackFromAAndPaysB() {
        var s = anna(holdbackDays: 0)
        s.creator("bea")
        s.terms("bea", from: "2026-07-01", rate: "20%", holdbackDays: 0)
        s.order("1", created: "2026-08-10T12:00:00Z", subtotal: 10_000, codes: ["anna15"])
        #expect(s.close("2026-08").figures("anna") == figures(0, 1_100, 0, 0, 0, 1_100, 1_100, 0))
        s.code("ANNA15", "bea", from: "2026-08-01")  // recorded in September, valid from August
        let sep = s.close("2026-09")
        #expect(sep.figures("anna") == figures(0, 0, 1_100, 0, 0, -1_100, 0, -1_100))
        #expect(sep.figures("bea") == figures(0, 2_000, 0, 0, 0, 2_000, 2_000, 0))  // 20% of 100.00
        #expect(sep.lines("bea") == [line(.commission, "shopify:1", "2026-08-10", 2_000)])
        // The August statement is frozen as it was.
        #expect(s.snapshot.statements.first { $0.month == ym("2026-08") }?.figures.commissionsMinor == 1_100)
    }

    @Test func aTermsChangeMidMonthAppliesByCreatedTime() {
        var s = anna(holdbackDays: 0)
        s.terms("anna", from: "2026-09-15", rate: "20%")
        s.order("1", created: "2026-09-10T00:00:00Z", subtotal: 10_000, codes: ["ANNA15"])  // 10% + 1.00 = 11.00
        s.order("2", created: "2026-09-20T00:00:00Z", subtotal: 10_000, codes: ["ANNA15"])  // 20% + 1.00 = 21.00
        #expect(s.close("2026-09").figures("anna") == figures(0, 3_200, 0, 0, 0, 3_200, 3_200, 0))
    }

    @Test func aLatePostForAClosedMonthLandsInTheNextAndAChangedFeePaysTheDifference() {
        var s = anna()
        s.post("P0", "anna", date: "2026-08-05", fee: 10_000)
        s.post("Pzero", "anna", date: "2026-08-06", fee: 0)  // a fee of 0 adds no line
        let aug = s.close("2026-08")
        #expect(aug.figures("anna") == figures(0, 0, 0, 10_000, 0, 10_000, 10_000, 0))
        #expect(aug.lines("anna") == [line(.fee, "P0", "2026-08-05", 10_000)])
        s.post("P1", "anna", date: "2026-08-20", fee: 25_000)  // recorded after the close
        s.post("P0", "anna", date: "2026-08-05", fee: 8_000)  // corrected fee
        s.post("P2", "anna", date: "2026-10-02", fee: 5_000)  // dated after September
        let sep = s.close("2026-09")
        #expect(sep.figures("anna") == figures(0, 0, 0, 23_000, 0, 23_000, 23_000, 0))
        #expect(sep.lines("anna") == [line(.fee, "P0", "2026-08-05", -2_000), line(.fee, "P1", "2026-08-20", 25_000)])
    }

    @Test func aNegativeAdjustmentMakesANegativeBalanceRepaidByLaterCommissions() {
        var s = anna(holdbackDays: 0)
        s.order("1", created: "2026-08-01T00:00:00Z", subtotal: 2_000, codes: ["ANNA15"])  // 3.00
        s.adjustment("A1", "anna", date: "2026-08-03", amount: -5_000)
        #expect(s.close("2026-08").figures("anna") == figures(0, 300, 0, 0, -5_000, -4_700, 0, -4_700))
        s.order("2", created: "2026-09-02T00:00:00Z", subtotal: 60_000, codes: ["ANNA15"])  // 61.00
        let sep = s.close("2026-09")
        #expect(sep.figures("anna") == figures(-4_700, 6_100, 0, 0, 0, 1_400, 1_400, 0))
    }

    @Test func aBalanceUnderTheMinimumPayoutIsCarried() {
        var s = anna(holdbackDays: 0, minPayout: 5_000)
        s.order("1", created: "2026-08-10T00:00:00Z", subtotal: 20_000, codes: ["ANNA15"])  // 21.00 < 50.00
        #expect(s.close("2026-08").figures("anna") == figures(0, 2_100, 0, 0, 0, 2_100, 0, 2_100))
        s.order("2", created: "2026-09-10T00:00:00Z", subtotal: 30_000, codes: ["ANNA15"])  // 31.00; 52.00 >= 50.00
        s.terms("anna", from: "2026-10-01", minPayout: 100_000)  // not yet in force at the end of September
        #expect(s.close("2026-09").figures("anna") == figures(2_100, 3_100, 0, 0, 0, 5_200, 5_200, 0))
        s.order("3", created: "2026-10-10T00:00:00Z", subtotal: 30_000, codes: ["ANNA15"])  // 31.00 < 1,000.00
        #expect(s.close("2026-10").figures("anna") == figures(0, 3_100, 0, 0, 0, 3_100, 0, 3_100))
    }

    @Test func anOrderInCADIsConvertedAndAMissingRateBlocks() {
        var s = anna(holdbackDays: 0)
        s.fx("2026-09-01", cad, "0.7312")
        // 73.12 USD: 7.31 + 1.00
        s.order("1", created: "2026-09-14T10:00:00Z", subtotal: 10_000, currency: cad, codes: ["ANNA15"])
        // no rate on or before 08-20
        s.order("2", created: "2026-08-20T10:00:00Z", subtotal: 10_000, currency: cad, codes: ["ANNA15"])
        s.order("3", created: "2026-08-20T10:00:00Z", subtotal: 10_000, currency: cad)  // unattributed: not needed
        let preview = s.preview("2026-09")
        #expect(
            preview.blocking == [
                BlockingOrder(
                    key: OrderKey(source: "shopify", orderId: "2"), creator: "anna", currency: cad,
                    createdDate: CivilDate.parse("2026-08-20")!)
            ])
        #expect(preview.figures("anna") == figures(0, 831, 0, 0, 0, 831, 831, 0))
        s.fx("2026-08-01", cad, "0.7")
        let sep = s.close("2026-09")
        #expect(sep.blocking.isEmpty)
        #expect(sep.figures("anna") == figures(0, 1_631, 0, 0, 0, 1_631, 1_631, 0))  // + 70.00 USD: 7.00 + 1.00
    }

    @Test func factsDatedInAClosedMonthLandInTheNextClosedMonth() {
        var s = anna()
        s.order("1", created: "2026-07-01T10:00:00Z", subtotal: 10_000, codes: ["ANNA15"])
        s.close("2026-07")
        s.close("2026-08")
        // Recorded in September, dated in (closed) August: a full refund and a late order with its own holdback.
        s.change("1", effective: "2026-08-20", status: .refunded, refunded: 10_000)
        s.order("2", created: "2026-07-20T00:00:00Z", subtotal: 10_000, codes: ["ANNA15"])  // matured 08-19
        let sep = s.close("2026-09")
        #expect(sep.figures("anna") == figures(0, 1_100, 1_100, 0, 0, 0, 0, 0))
        #expect(
            sep.lines("anna") == [
                line(.clawback, "shopify:1", "2026-07-01", -1_100), line(.commission, "shopify:2", "2026-07-20", 1_100)
            ])
        #expect(s.snapshot.statements.filter { $0.month == ym("2026-08") }.isEmpty)
    }

    @Test func selfReferralsAndTestOrdersAddNoLine() {
        var s = anna(holdbackDays: 0)
        s.order("self", created: "2026-09-01T00:00:00Z", subtotal: 10_000, codes: ["ANNA15"], email: "h-anna")
        s.order("test", created: "2026-09-01T00:00:00Z", subtotal: 10_000, codes: ["ANNA15"], test: true)
        s.order("real", created: "2026-09-01T00:00:00Z", subtotal: 10_000, codes: ["ANNA15"], email: "h-customer")
        #expect(s.close("2026-09").lines("anna") == [line(.commission, "shopify:real", "2026-09-01", 1_100)])
    }

    @Test func aPendingOrderEarnsOnceItIsPaid() {
        var s = anna(holdbackDays: 0)
        s.order("1", created: "2026-08-20T00:00:00Z", subtotal: 10_000, codes: ["ANNA15"], status: .pending)
        #expect(s.close("2026-08").statements.isEmpty)
        s.change("1", effective: "2026-09-03", status: .paid)
        s.change("1", effective: "2026-10-03", status: .refunded, refunded: 10_000)  // after September: not yet
        #expect(s.close("2026-09").figures("anna") == figures(0, 1_100, 0, 0, 0, 1_100, 1_100, 0))
        #expect(s.close("2026-10").figures("anna") == figures(0, 0, 1_100, 0, 0, -1_100, 0, -1_100))
    }

    @Test func anOrderOnceInAStatementStaysMaturedWhenTheHoldbackGrows() {
        var s = anna(holdbackDays: 0)
        s.order("1", created: "2026-08-20T00:00:00Z", subtotal: 10_000, codes: ["ANNA15"])
        s.close("2026-08")
        s.terms("anna", from: "2026-07-01", holdbackDays: 60)  // same effective-from: replaces, holdback now 60 days
        s.change("1", effective: "2026-09-03", status: .partiallyRefunded, refunded: 5_000)
        // Not matured under the new holdback, but it was paid: the refund is still clawed back (5.00).
        #expect(s.close("2026-09").figures("anna") == figures(0, 0, 500, 0, 0, -500, 0, -500))
    }

    @Test func theFirstCloseTakesEveryEarlierFact() {
        var s = anna()
        s.order("1", created: "2026-07-01T10:00:00Z", subtotal: 10_000, codes: ["ANNA15"])
        s.adjustment("A1", "anna", date: "2026-06-03", amount: 1_000)
        #expect(s.close("2026-09").figures("anna") == figures(0, 1_100, 0, 0, 1_000, 2_100, 2_100, 0))
    }

    @Test func monthsAreMonthsInTheLedgerZone() {
        let ny = Zone(identifier: "America/New_York")!
        var s = anna(holdbackDays: 0, zone: ny)
        // 23:30 in New York on 08-31 is 03:30 UTC on 09-01: an August order, dated 08-31 on the statement.
        s.order("1", created: "2026-08-31T23:30:00-04:00", subtotal: 10_000, codes: ["ANNA15"])
        s.post("P1", "anna", date: "2026-09-01", fee: 500)  // 00:00 in New York on 09-01: September
        let aug = s.close("2026-08")
        #expect(aug.lines("anna") == [line(.commission, "shopify:1", "2026-08-31", 1_100)])
        #expect(s.close("2026-09").lines("anna") == [line(.fee, "P1", "2026-09-01", 500)])
    }

    @Test func aPostMovedToAnotherCreatorMovesItsFee() {
        var s = anna()
        s.creator("bea")
        s.post("P1", "anna", date: "2026-08-05", fee: 10_000)
        s.close("2026-08")
        s.post("P1", "bea", date: "2026-08-05", fee: 10_000)
        let sep = s.close("2026-09")
        #expect(sep.figures("anna") == figures(0, 0, 0, -10_000, 0, -10_000, 0, -10_000))
        #expect(sep.figures("bea") == figures(0, 0, 0, 10_000, 0, 10_000, 10_000, 0))
    }

    /// The lines without the figures frozen beside order lines: what maturity decides.
    func bare(_ lines: [StatementLine]) -> [StatementLine] {
        lines.map { StatementLine(kind: $0.kind, ref: $0.ref, date: $0.date, amountMinor: $0.amountMinor) }
    }

    /// anna on ANNA15 from 2026-01-01 (UTC), 10% with 30 days of holdback, in `zone`.
    func annaIn(_ zone: Zone) -> Scenario {
        var s = Scenario(zone: zone)
        s.creator("anna", emailHash: "h-anna")
        s.facts.append(
            .codeAssigned(
                CodeAssigned(
                    code: "ANNA15", creator: "anna",
                    validFrom: at("2026-01-01T00:00:00Z"),
                    validUntil: nil)))
        s.facts.append(
            .termsSet(
                TermsSet(
                    creator: "anna", effectiveFrom: at("2026-01-01T00:00:00Z"),
                    commission: CommissionRate(partsPerMillion: 100_000), holdbackDays: 30)))
        return s
    }

    /// Section 5: holdback days are calendar days in the ledger's zone. Created at 23:26 on 1 March in
    /// New York (04:26 UTC on 2 March) with 30 days: matures on 31 March, paid in March's close, where
    /// 30 x 86,400 s would end at 00:26 on 1 April (the clocks went forward on 8 March).
    @Test func holdbackDaysAreCalendarDaysAcrossTheSpringChangeInNewYork() throws {
        var s = annaIn(try #require(Zone(identifier: "America/New_York")))
        s.order("late", created: "2026-03-01T23:26:00-05:00", subtotal: 10_000, codes: ["ANNA15"])
        s.order(
            "next", created: "2026-03-02T00:10:00-05:00", subtotal: 20_000,
            codes: ["ANNA15"])  // 1 April either way
        #expect(bare(s.close("2026-03").lines("anna")) == [line(.commission, "shopify:late", "2026-03-01", 1_000)])
        #expect(bare(s.close("2026-04").lines("anna")) == [line(.commission, "shopify:next", "2026-03-02", 2_000)])
    }

    /// Berlin, where the clocks went back on 25 October: created at 00:30 on 2 October (22:30 UTC on 1
    /// October) with 30 days: matures on 1 November, paid in November's close, where 30 x 86,400 s would
    /// end at 23:30 on 31 October and pay it in October's.
    @Test func holdbackDaysAreCalendarDaysAcrossTheAutumnChangeInBerlin() throws {
        var s = annaIn(try #require(Zone(identifier: "Europe/Berlin")))
        s.order("a", created: "2026-10-02T00:30:00+02:00", subtotal: 10_000, codes: ["ANNA15"])
        s.order(
            "b", created: "2026-10-01T23:30:00+02:00", subtotal: 20_000,
            codes: ["ANNA15"])  // 31 October either way
        #expect(bare(s.close("2026-10").lines("anna")) == [line(.commission, "shopify:b", "2026-10-01", 2_000)])
        #expect(bare(s.close("2026-11").lines("anna")) == [line(.commission, "shopify:a", "2026-10-02", 1_000)])
    }
}

/// Issue 14 item 7: each order line keeps its base, rate and fixed part, and a correction says
/// what changed.
@Suite("statement lines an auditor can follow")
struct StatementLineDetailTests {
    func rate(_ text: String) -> CommissionRate {
        guard case let .success(r) = CommissionRate.parse(text) else { preconditionFailure(text) }
        return r
    }

    @Test func aCorrectionSaysWhatChanged() {
        var s = Scenario()
        s.creator("anna")
        s.creator("bea")
        s.code("ANNA", "anna", from: "2026-07-01")
        s.code("BEA", "bea", from: "2026-07-01")
        s.code("BEA2", "bea", from: "2026-07-01")
        s.terms("anna", from: "2026-07-01", rate: "10%", perOrder: 100, holdbackDays: 0)
        s.terms("bea", from: "2026-07-01", rate: "20%", holdbackDays: 0)
        s.order("1", created: "2026-08-03T10:00:00Z", subtotal: 10_000, codes: ["ANNA"])  // refunded in part
        s.order("2", created: "2026-08-04T10:00:00Z", subtotal: 5_000, codes: ["ANNA"])  // cancelled
        s.order("3", created: "2026-08-05T10:00:00Z", subtotal: 8_000, codes: ["BEA"])  // moves to anna
        s.order("4", created: "2026-08-06T10:00:00Z", subtotal: 4_000, codes: ["BEA2"])  // bea's rate changes
        let aug = s.close("2026-08")
        let first = aug.detailedLines("anna").first { $0.ref == "shopify:1" }?.order
        #expect(first == OrderLineDetail(baseMinor: 10_000, rate: rate("10%"), perOrderMinor: 100, change: nil))
        s.change("1", effective: "2026-09-02", status: .partiallyRefunded, refunded: 2_500)
        s.change("2", effective: "2026-09-03", cancelledAt: "2026-09-03T00:00:00Z")
        s.code("BEA", "anna", from: "2026-08-05")
        s.terms("bea", from: "2026-07-01", rate: "25%")
        let sep = s.close("2026-09")
        let anna = Dictionary(uniqueKeysWithValues: sep.detailedLines("anna").map { ($0.ref, $0) })
        let bea = Dictionary(uniqueKeysWithValues: sep.detailedLines("bea").map { ($0.ref, $0) })
        #expect(anna["shopify:1"]?.amountMinor == -250)
        #expect(
            anna["shopify:1"]?.order
                == OrderLineDetail(
                    baseMinor: 7_500, rate: rate("10%"), perOrderMinor: 100,
                    change: .refund))
        #expect(anna["shopify:2"]?.amountMinor == -600)
        #expect(anna["shopify:2"]?.order?.change == .cancellation)
        #expect(bea["shopify:3"]?.amountMinor == -1_600)
        #expect(
            bea["shopify:3"]?.order
                == OrderLineDetail(
                    baseMinor: nil, rate: nil, perOrderMinor: nil,
                    change: .reattribution))
        // The order is new to anna: a first line, not a correction.
        #expect(
            anna["shopify:3"]?.order
                == OrderLineDetail(
                    baseMinor: 8_000, rate: rate("10%"), perOrderMinor: 100,
                    change: nil))
        #expect(bea["shopify:4"]?.amountMinor == 200)
        #expect(
            bea["shopify:4"]?.order
                == OrderLineDetail(
                    baseMinor: 4_000, rate: rate("25%"), perOrderMinor: 0,
                    change: .rateChange))
    }
}
