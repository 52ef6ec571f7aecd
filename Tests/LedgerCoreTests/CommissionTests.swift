import LedgerCore
import TestSupport
import Testing

@Suite("commission of one order (ledger rules section 5)")
struct CommissionTests {
    /// anna on ANNA15 with the given terms; evaluates order `id` as known now.
    func evaluate(_ s: Scenario, _ id: String) -> OrderEvaluation {
        let snapshot = s.snapshot
        return RuleIndex(snapshot).evaluate(snapshot.orders.first { $0.key.orderId == id }!, before: .distantFuture)
    }

    func anna(rate: String = "10%", perOrder: Int64? = 100) -> Scenario {
        var s = Scenario()
        s.creator("anna")
        s.code("ANNA15", "anna", from: "2026-07-01")
        s.terms("anna", from: "2026-07-01", rate: rate, perOrder: perOrder)
        return s
    }

    @Test func baseIsSubtotalLessTheRefundedShare() {
        var s = anna()
        // subtotal 80.00 of a 100.00 total, 25.00 refunded: refunded share 25 * 80 / 100 = 20.00,
        // base 60.00, 10% = 6.00, plus 1.00 per order = 7.00.
        s.order(
            "1", created: "2026-08-10T12:00:00Z", subtotal: 8_000, total: 10_000, codes: ["ANNA15"],
            status: .partiallyRefunded, refunded: 2_500)
        let e = evaluate(s, "1")
        #expect(e.breakdown?.refundedBaseMinor == 2_000)
        #expect(e.breakdown?.baseMinor == 6_000)
        #expect(e.breakdown?.percentPartMinor == 600)
        #expect(e.breakdown?.fixedPartMinor == 100)
        #expect(e.commissionMinor == 700)
    }

    @Test func refundedShareIsRoundedHalfEvenCappedAndZeroForAZeroTotal() {
        #expect(refundedBase(subtotalMinor: 50, totalMinor: 100, refundedMinor: 1) == 0)  // 0.5 -> 0
        #expect(refundedBase(subtotalMinor: 50, totalMinor: 100, refundedMinor: 3) == 2)  // 1.5 -> 2
        #expect(refundedBase(subtotalMinor: 50, totalMinor: 100, refundedMinor: 5) == 2)  // 2.5 -> 2
        #expect(refundedBase(subtotalMinor: 80, totalMinor: 100, refundedMinor: 150) == 80)  // 120 capped at subtotal
        #expect(refundedBase(subtotalMinor: 0, totalMinor: 0, refundedMinor: 10) == 0)
    }

    @Test func commissionIsRoundedOnceHalfToEven() {
        var s = anna(perOrder: nil)
        s.order("a", created: "2026-08-10T12:00:00Z", subtotal: 25, codes: ["ANNA15"])  // 2.5 cents -> 2
        s.order("b", created: "2026-08-10T12:00:00Z", subtotal: 35, codes: ["ANNA15"])  // 3.5 cents -> 4
        s.order("c", created: "2026-08-10T12:00:00Z", subtotal: 12_345, codes: ["ANNA15"])  // 12.345 -> 12.34
        #expect(evaluate(s, "a").commissionMinor == 2)
        #expect(evaluate(s, "b").commissionMinor == 4)
        #expect(evaluate(s, "c").commissionMinor == 1_234)
        var t = anna(rate: "12.5%", perOrder: nil)
        t.order("d", created: "2026-08-10T12:00:00Z", subtotal: 1_999, codes: ["ANNA15"])  // 249.875 -> 250
        #expect(evaluate(t, "d").commissionMinor == 250)
    }

    @Test func fixedAmountOnlyWhilePayableAndNotFullyRefunded() {
        var s = anna(rate: "0%", perOrder: 200)
        s.order("paid", created: "2026-08-10T12:00:00Z", subtotal: 1_000, codes: ["ANNA15"])
        s.order(
            "partly", created: "2026-08-10T12:00:00Z", subtotal: 1_000, codes: ["ANNA15"], status: .partiallyRefunded,
            refunded: 999)
        s.order(
            "full", created: "2026-08-10T12:00:00Z", subtotal: 1_000, codes: ["ANNA15"], status: .refunded,
            refunded: 1_000)
        s.order("pending", created: "2026-08-10T12:00:00Z", subtotal: 1_000, codes: ["ANNA15"], status: .pending)
        #expect(evaluate(s, "paid").commissionMinor == 200)
        #expect(evaluate(s, "partly").commissionMinor == 200)
        #expect(evaluate(s, "full").commissionMinor == 0)
        #expect(evaluate(s, "pending").commissionMinor == 0)
    }

    @Test func onlyPayableUncancelledStatusesEarn() {
        var s = anna(perOrder: nil)
        let statuses: [FinancialStatus] = [
            .pending, .authorized, .partiallyPaid, .paid, .partiallyRefunded, .refunded, .voided, .expired
        ]
        for status in statuses {
            s.order(
                status.rawValue, created: "2026-08-10T12:00:00Z", subtotal: 1_000, codes: ["ANNA15"], status: status)
        }
        s.order(
            "cancelled", created: "2026-08-10T12:00:00Z", subtotal: 1_000, codes: ["ANNA15"],
            cancelledAt: "2026-08-11T00:00:00Z")
        // `refunded` with nothing refunded still earns on its full base: the share comes from the amount.
        let expected: [String: Int64] = [
            "pending": 0, "authorized": 0, "partially_paid": 0, "paid": 100, "partially_refunded": 100,
            "refunded": 100, "voided": 0, "expired": 0, "cancelled": 0
        ]
        for (id, commission) in expected { #expect(evaluate(s, id).commissionMinor == commission, "\(id)") }
        #expect(evaluate(s, "cancelled").zeroReason == .cancelled)
        #expect(evaluate(s, "voided").zeroReason == .notPayable(.voided))
    }

    @Test func termsInForceAtCreatedTimeWithLeftOutFieldsCarriedOver() {
        var s = Scenario()
        s.code("ANNA15", "anna", from: "2026-07-01")
        s.terms("anna", from: "2026-07-01", rate: "10%", perOrder: 100, holdbackDays: 14, minPayout: 5_000)
        s.terms("anna", from: "2026-09-15", rate: "15%")
        s.order("before", created: "2026-09-14T23:59:59Z", subtotal: 10_000, codes: ["ANNA15"])
        s.order("after", created: "2026-09-15T00:00:00Z", subtotal: 10_000, codes: ["ANNA15"])
        #expect(evaluate(s, "before").commissionMinor == 1_100)  // 10% of 100.00 + 1.00
        #expect(evaluate(s, "after").commissionMinor == 1_600)  // 15% of 100.00 + 1.00 carried over
        #expect(evaluate(s, "after").terms?.holdbackDays == 14)
        #expect(evaluate(s, "after").terms?.minPayoutMinor == 5_000)
    }

    @Test func firstTermsStartFromTheDefaultsAndNoTermsMeansZero() {
        var s = Scenario()
        s.code("ANNA15", "anna", from: "2026-07-01")
        s.terms("anna", from: "2026-08-01", rate: "10%")
        s.order("july", created: "2026-07-20T00:00:00Z", subtotal: 10_000, codes: ["ANNA15"])
        s.order("aug", created: "2026-08-20T00:00:00Z", subtotal: 10_000, codes: ["ANNA15"])
        #expect(evaluate(s, "july").commissionMinor == 0)
        #expect(evaluate(s, "july").zeroReason == .noTerms)
        let aug = evaluate(s, "aug")
        #expect(
            aug.terms
                == Terms(
                    effectiveFrom: day("2026-08-01"), commission: CommissionRate(partsPerMillion: 100_000),
                    perOrderMinor: 0, holdbackDays: 30, minPayoutMinor: 0))
        #expect(aug.commissionMinor == 1_000)
        #expect(aug.maturityDate == CivilDate(year: 2026, month: 9, day: 19))
    }

    @Test func sameEffectiveFromTwiceTheLaterOneIsInForce() {
        var s = Scenario()
        s.code("ANNA15", "anna", from: "2026-07-01")
        s.terms("anna", from: "2026-07-01", rate: "10%", perOrder: 100)
        s.terms("anna", from: "2026-07-01", rate: "20%")
        s.order("1", created: "2026-07-20T00:00:00Z", subtotal: 10_000, codes: ["ANNA15"])
        #expect(evaluate(s, "1").commissionMinor == 2_100)  // 20% of 100.00, fixed 1.00 kept
    }

    @Test func foreignCurrencyOrdersUseTheLatestRateOnOrBeforeTheCreatedDate() {
        var s = anna(perOrder: nil)
        s.fx("2026-09-01", cad, "0.7312")
        s.fx("2026-09-15", cad, "0.9")  // after the order: not used
        // 100.00 CAD subtotal, 113.00 total, 13.00 refunded; in USD: 73.12, 82.6256 -> 82.63, 9.5056 -> 9.51.
        s.order(
            "1", created: "2026-09-14T22:00:00-04:00", subtotal: 10_000, total: 11_300, currency: cad,
            codes: ["ANNA15"],
            status: .partiallyRefunded, refunded: 1_300)
        let e = evaluate(s, "1")
        // Created 2026-09-15 02:00 UTC: the ledger zone (UTC) decides the date, so the 09-15 rate applies.
        #expect(e.fxRate?.date == CivilDate.parse("2026-09-15"))
        var t = anna(perOrder: nil)
        t.fx("2026-09-01", cad, "0.7312")
        t.order(
            "1", created: "2026-09-14T10:00:00Z", subtotal: 10_000, total: 11_300, currency: cad, codes: ["ANNA15"],
            status: .partiallyRefunded, refunded: 1_300)
        let f = evaluate(t, "1")
        #expect(f.amounts == BaseAmounts(subtotalMinor: 7_312, totalMinor: 8_263, refundedMinor: 951))
        // refunded share 951 * 7312 / 8263 = 841.70 -> 842; base 6470; 10% = 647.
        #expect(f.breakdown?.refundedBaseMinor == 842)
        #expect(f.commissionMinor == 647)
    }

    @Test func conversionScalesBetweenExponents() {
        var s = anna(perOrder: nil)
        s.fx("2026-09-01", jpy, "0.0067")
        // 1000 JPY = 6.70 USD
        s.order("1", created: "2026-09-14T10:00:00Z", subtotal: 1_000, currency: jpy, codes: ["ANNA15"])
        #expect(evaluate(s, "1").amounts?.subtotalMinor == 670)
        #expect(evaluate(s, "1").commissionMinor == 67)
    }

    @Test func aMissingRateIsReportedNotGuessed() {
        var s = anna(perOrder: nil)
        s.fx("2026-09-20", cad, "0.7312")
        s.order("1", created: "2026-09-14T10:00:00Z", subtotal: 10_000, currency: cad, codes: ["ANNA15"])
        let e = evaluate(s, "1")
        #expect(e.missingRate)
        #expect(e.commissionMinor == nil)
    }
}
