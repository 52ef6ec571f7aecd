import LedgerCore
import TestSupport
import Testing

@Suite("attribution (ledger rules section 4)")
struct AttributionTests {
    func attribute(_ s: Scenario, _ id: String) -> Attribution {
        let snapshot = s.snapshot
        let order = snapshot.orders.first { $0.key.orderId == id }!
        let index = AttributionIndex(snapshot)
        let full = index.attribute(order.seen)
        // The hot path of a close must agree with the explained one.
        #expect(index.creator(of: order.seen)?.creator == full.creator)
        #expect(index.creator(of: order.seen)?.selfReferral ?? false == full.selfReferral)
        return full
    }

    @Test func codesCompareCaseInsensitivelyAfterTrimming() {
        var s = Scenario()
        s.code("ANNA15", "anna", from: "2026-07-01")
        s.code("straße", "bea", from: "2026-07-01")  // Unicode upper-casing: STRASSE
        s.order("1", created: "2026-09-01T10:00:00Z", subtotal: 100, codes: [" anna15 "])
        s.order("2", created: "2026-09-01T10:00:00Z", subtotal: 100, codes: ["Strasse"])
        #expect(attribute(s, "1").creator == "anna")
        #expect(attribute(s, "1").via == .code("ANNA15"))
        #expect(attribute(s, "2").creator == "bea")
    }

    @Test func firstValidCodeInListedOrderWinsAfterHouseAndUnknownCodes() {
        var s = Scenario()
        s.house("WELCOME10")
        s.code("BEA10", "bea", from: "2026-07-01")
        s.code("ANNA15", "anna", from: "2026-07-01")
        s.code("OLD5", "cam", from: "2026-01-01", until: "2026-02-01")
        s.order(
            "1", created: "2026-09-01T10:00:00Z", subtotal: 100,
            codes: ["welcome10", "Custom discount", "OLD5", "BEA10", "ANNA15"], referral: "ref=anna")
        let a = attribute(s, "1")
        #expect(a.creator == "bea")
        #expect(a.codeChecks.map(\.code) == ["WELCOME10", "CUSTOM DISCOUNT", "OLD5", "BEA10", "ANNA15"])
        #expect(a.codeChecks[0].verdict == .house)
        #expect(a.codeChecks[1].verdict == .unknown)
        guard case let .notValidAt(spans) = a.codeChecks[2].verdict else {
            Issue.record("OLD5 should be out of its window"); return
        }
        #expect(
            spans == [
                AssignmentSpan(
                    creator: "cam", validFrom: day("2026-01-01"), validUntil: day("2026-02-01"),
                    declaredUntil: day("2026-02-01"))
            ])
        #expect(a.codeChecks[3].verdict == .matched(creator: "bea"))
        #expect(a.codeChecks[4].verdict == .notConsidered)
        #expect(a.referral?.verdict == .notConsidered)
    }

    @Test func validityWindowIsInclusiveFromExclusiveUntil() {
        var s = Scenario()
        s.code("ANNA15", "anna", from: "2026-07-01", until: "2026-08-01")
        s.order("before", created: "2026-06-30T23:59:59Z", subtotal: 1, codes: ["ANNA15"])
        s.order("first", created: "2026-07-01T00:00:00Z", subtotal: 1, codes: ["ANNA15"])
        s.order("last", created: "2026-07-31T23:59:59Z", subtotal: 1, codes: ["ANNA15"])
        s.order("after", created: "2026-08-01T00:00:00Z", subtotal: 1, codes: ["ANNA15"])
        #expect(attribute(s, "before").creator == nil)
        #expect(attribute(s, "first").creator == "anna")
        #expect(attribute(s, "last").creator == "anna")
        #expect(attribute(s, "after").creator == nil)
    }

    @Test func referralIsTheFallbackAndHasItsOwnWindow() {
        var s = Scenario()
        s.code("ANNA15", "anna", from: "2026-10-01")
        s.referral("ref=bea", "bea", from: "2026-07-01", until: "2026-09-01")
        s.order("1", created: "2026-08-15T10:00:00Z", subtotal: 1, codes: ["ANNA15"], referral: "REF=Bea")
        s.order("2", created: "2026-09-15T10:00:00Z", subtotal: 1, codes: ["ANNA15"], referral: "ref=bea")
        s.order("3", created: "2026-08-15T10:00:00Z", subtotal: 1, referral: "ref=nobody")
        #expect(attribute(s, "1").creator == "bea")
        #expect(attribute(s, "1").via == .referral("REF=BEA"))
        #expect(attribute(s, "2").creator == nil)
        #expect(attribute(s, "2").via == .none)
        #expect(attribute(s, "3").referral?.verdict == .unknown)
    }

    @Test func selfReferralWhenTheCustomerIsTheCreator() {
        var s = Scenario()
        s.creator("anna", emailHash: "h-anna")
        s.code("ANNA15", "anna", from: "2026-07-01")
        s.order("1", created: "2026-08-15T10:00:00Z", subtotal: 1, codes: ["ANNA15"], email: "h-anna")
        s.order("2", created: "2026-08-15T10:00:00Z", subtotal: 1, codes: ["ANNA15"], email: "h-other")
        s.order("3", created: "2026-08-15T10:00:00Z", subtotal: 1, codes: ["ANNA15"])
        #expect(attribute(s, "1").creator == "anna")
        #expect(attribute(s, "1").selfReferral)
        #expect(!attribute(s, "2").selfReferral)
        #expect(!attribute(s, "3").selfReferral)
    }

    @Test func aNewAssignmentEndsThePreviousOneAtItsValidFrom() {
        var s = Scenario()
        s.code("ANNA15", "anna", from: "2026-07-01")
        s.code("ANNA15", "bea", from: "2026-09-01")  // the code moves to bea
        s.order("aug", created: "2026-08-31T23:59:59Z", subtotal: 1, codes: ["ANNA15"])
        s.order("sep", created: "2026-09-01T00:00:00Z", subtotal: 1, codes: ["ANNA15"])
        #expect(attribute(s, "aug").creator == "anna")
        #expect(attribute(s, "sep").creator == "bea")
    }

    @Test func aBackDatedMoveRecordedLaterStillEndsTheEarlierAssignment() {
        var s = Scenario()
        s.code("ANNA15", "anna", from: "2026-09-01")
        s.code("ANNA15", "bea", from: "2026-07-01")  // recorded later, valid earlier
        s.order("aug", created: "2026-08-15T00:00:00Z", subtotal: 1, codes: ["ANNA15"])
        s.order("sep", created: "2026-09-15T00:00:00Z", subtotal: 1, codes: ["ANNA15"])
        #expect(attribute(s, "aug").creator == "bea")
        #expect(attribute(s, "sep").creator == "anna")
    }

    @Test func anAssignmentWithTheSameValidFromReplacesTheEarlierOne() {
        var s = Scenario()
        s.code("ANNA15", "anna", from: "2026-07-01", until: "2026-08-01")
        s.code("ANNA15", "anna", from: "2026-07-01")  // re-imported without an end
        s.order("1", created: "2026-08-15T00:00:00Z", subtotal: 1, codes: ["ANNA15"])
        #expect(attribute(s, "1").creator == "anna")
        var t = Scenario()
        t.code("ANNA15", "anna", from: "2026-07-01")
        t.code("ANNA15", "anna", from: "2026-07-01", until: "2026-08-01")  // and the other way round
        t.order("1", created: "2026-08-15T00:00:00Z", subtotal: 1, codes: ["ANNA15"])
        #expect(attribute(t, "1").creator == nil)
    }

    @Test func aHouseCodeIsNeverAttributedEvenIfAssigned() {
        var s = Scenario()
        s.code("SUMMER", "anna", from: "2026-07-01")
        s.house("summer")
        s.order("1", created: "2026-08-15T00:00:00Z", subtotal: 1, codes: ["SUMMER"])
        #expect(attribute(s, "1").creator == nil)
        #expect(attribute(s, "1").codeChecks.first?.verdict == .house)
    }

    @Test func resolvedSpansCutAtTheNextStartAndKeepTheDeclaredEnd() {
        let spans = resolveSpans([("anna", day("2026-07-01"), day("2026-12-01")), ("bea", day("2026-09-01"), nil)])
        #expect(
            spans == [
                AssignmentSpan(
                    creator: "anna", validFrom: day("2026-07-01"), validUntil: day("2026-09-01"),
                    declaredUntil: day("2026-12-01")),
                AssignmentSpan(creator: "bea", validFrom: day("2026-09-01"), validUntil: nil, declaredUntil: nil)
            ])
    }
}
