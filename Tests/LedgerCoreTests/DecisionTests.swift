import LedgerCore
import TestSupport
import Testing

/// The decisions the commands ask the core for, without a ledger or a process.
@Suite("decisions: close order, statements, mark-paid, tiers, sources, codes")
struct DecisionTests {
    let ny = Zone(identifier: "America/New_York")!

    @Test func monthsCloseOnceInOrderAfterTheyEnd() {
        let now = at("2026-10-15T00:00:00Z")
        // The first close of a ledger may be any month that has ended.
        #expect(closeObstacles(ym("2026-08"), closedMonths: [], now: now, zone: .utc).isEmpty)
        #expect(closeObstacles(ym("2026-08"), closedMonths: [ym("2026-08")], now: now, zone: .utc) == [.closed])
        #expect(closeObstacles(ym("2026-07"), closedMonths: [ym("2026-08")], now: now, zone: .utc)
                == [.beforeLastClosed(lastClosed: ym("2026-08"))])
        #expect(closeObstacles(ym("2026-09"), closedMonths: [ym("2026-08")], now: now, zone: .utc).isEmpty)
        #expect(closeObstacles(ym("2026-10"), closedMonths: [ym("2026-08")], now: now, zone: .utc)
                == [.earlierMonthOpen(firstOpen: ym("2026-09")), .notEnded(end: day("2026-11-01"))])
        // A month ends at midnight in the ledger's zone: 04:00 UTC in New York in summer.
        let end = at("2026-09-01T04:00:00Z")
        let before = end.adding(seconds: -1)
        #expect(closeObstacles(ym("2026-08"), closedMonths: [], now: before, zone: ny) == [.notEnded(end: end)])
        #expect(closeObstacles(ym("2026-08"), closedMonths: [], now: end, zone: ny).isEmpty)
    }

    @Test func aPreviewRefusesOnlyMonthsThatCanNeverClose() {
        let now = at("2026-10-15T00:00:00Z")
        let obstacles = closeObstacles(ym("2026-10"), closedMonths: [ym("2026-08")], now: now, zone: .utc)
        #expect(obstacles.allSatisfy { !$0.refusesPreview })
        #expect(obstacles.map { $0.previewMessage(ym("2026-10")) } == [
            "2026-09 is not closed yet: this preview includes its facts, and 2026-10 can be closed only after it",
            "2026-10 has not ended yet: the figures will change",
        ])
        #expect(CloseObstacle.closed.refusesPreview)
        #expect(CloseObstacle.beforeLastClosed(lastClosed: ym("2026-08")).refusesPreview)
        #expect(CloseObstacle.notEnded(end: day("2026-11-01")).closeRefusal(ym("2026-10"), zone: .utc)
                == "2026-10 has not ended yet: it can be closed from 2026-11-01T00:00:00Z")
        #expect(CloseObstacle.earlierMonthOpen(firstOpen: ym("2026-09")).closeRefusal(ym("2026-10"), zone: .utc)
                == "close 2026-09 first: months are closed in order")
    }

    @Test func aClosedMonthShowsItsFrozenStatementAnOpenOneAPreview() {
        let closed = ClosedMonth(month: ym("2026-08"), statements: 1, payoutTotalMinor: 0)
        #expect(statementSource(ym("2026-08"), closedMonths: [closed]) == .frozen)
        #expect(statementSource(ym("2026-09"), closedMonths: [closed]) == .preview)
    }

    /// anna is owed 11.00 for August (closed), bea nothing.
    func closedAugust() -> LedgerSnapshot {
        var s = Scenario()
        s.creator("anna")
        s.creator("bea")
        s.code("ANNA", "anna", from: "2026-07-01")
        s.terms("anna", from: "2026-07-01", rate: "10%", perOrder: 100, holdbackDays: 0)
        s.order("1", created: "2026-08-03T10:00:00Z", subtotal: 10_000, codes: ["ANNA"])
        s.close("2026-08")
        return s.snapshot
    }

    @Test func aClosedMonthsPayoutIsMarkedPaidOnce() throws {
        var snapshot = closedAugust()
        let paidAt = at("2026-09-05T00:00:00Z")
        let (outcome, fact) = try markPaid(month: ym("2026-08"), creator: "anna", reference: "PP-1", at: paidAt,
                                           snapshot: snapshot)
        #expect(outcome == .recorded(amountMinor: 1_100))
        #expect(fact == PayoutPaid(month: ym("2026-08"), creator: "anna", amountMinor: 1_100, reference: "PP-1",
                                   at: paidAt))
        snapshot.payoutsPaid.append(try #require(fact).payout)
        let again = try markPaid(month: ym("2026-08"), creator: "anna", reference: "PP-1", at: paidAt,
                                 snapshot: snapshot)
        #expect(again.0 == .alreadyRecorded(amountMinor: 1_100) && again.1 == nil)
        #expect(throws: PayoutError.self) {
            try markPaid(month: ym("2026-08"), creator: "anna", reference: "PP-2", at: paidAt, snapshot: snapshot)
        }
        #expect(throws: PayoutError.self) {  // nothing to pay
            try markPaid(month: ym("2026-08"), creator: "bea", reference: "X", at: paidAt, snapshot: snapshot)
        }
        #expect(throws: PayoutError.self) {  // not closed
            try markPaid(month: ym("2026-09"), creator: "anna", reference: "X", at: paidAt, snapshot: snapshot)
        }
    }

    @Test func tierThresholdsMustRise() {
        let t = TierThresholds.default
        #expect(t.problem == nil)
        let lower = TierThresholds(microFrom: 500, macroFrom: 100_000, megaFrom: 1_000_000)
        #expect(t.changing(micro: 500, macro: nil, mega: nil) == lower)
        #expect(t.changing(micro: 0, macro: nil, mega: nil).problem != nil)
        #expect(t.changing(micro: nil, macro: 1_000, mega: nil).problem
                == "tier thresholds must rise: 0 < micro (1000) < macro (1000) < mega (1000000)")
        #expect(t.changing(micro: nil, macro: nil, mega: 50_000).problem != nil)
    }

    @Test func sourceNamesAreLowerCaseSlugsWithoutColons() {
        for good in ["shopify", "shopify-eu", "shop_2", "a", String(repeating: "x", count: 40)] {
            #expect(SourceName.isValid(good), "\(good)")
        }
        for bad in ["", "Shop", "shop eu", "shop:eu", "-shop", "_shop", "shöp", String(repeating: "x", count: 41)] {
            #expect(!SourceName.isValid(bad), "\(bad)")
        }
    }

    @Test func unknownCodesAreThoseNobodyHoldsAndNoHouseCode() {
        var s = Scenario()
        s.creator("anna")
        s.code("ANNA", "anna", from: "2026-08-01")
        s.house("WELCOME")
        // ANNA is assigned after this order: known all the same.
        s.order("1", created: "2026-07-20T10:00:00Z", subtotal: 1_000, codes: ["anna", "Summer", "welcome"])
        s.order("2", created: "2026-08-02T10:00:00Z", subtotal: 2_500, codes: ["SUMMER", " summer "])
        s.order("3", created: "2026-08-03T10:00:00Z", subtotal: 9_999, codes: ["SUMMER"], test: true)
        let rows = unknownCodes(s.snapshot)
        #expect(rows.map(\.code) == ["SUMMER"])  // a code ever assigned is known, whenever it was used
        #expect(rows.first?.orders == 2 && rows.first?.revenueMinor == 3_500)
        #expect(rows.first?.firstSeen == CivilDate.parse("2026-07-20"))
        #expect(rows.first?.lastSeen == CivilDate.parse("2026-08-02"))
        let known = KnownCodes(assigned: ["ANNA"], house: ["WELCOME"])
        #expect(known.contains("ANNA") && known.contains("WELCOME") && !known.contains("SUMMER"))
    }

    @Test func payableMeansAPayableStatusAndNotCancelled() {
        let cancelled = Timestamp.parse("2026-08-01T00:00:00Z")
        #expect(OrderState(status: .paid, refundedMinor: 0, cancelledAt: nil).isPayable)
        #expect(OrderState(status: .refunded, refundedMinor: 100, cancelledAt: nil).isPayable)
        #expect(!OrderState(status: .paid, refundedMinor: 0, cancelledAt: cancelled).isPayable)
        #expect(!OrderState(status: .pending, refundedMinor: 0, cancelledAt: nil).isPayable)
    }

    @Test func termDefaultsAreOneTable() {
        let first = Terms(effectiveFrom: day("2026-07-01"), commission: .zero, perOrderMinor: 0,
                          holdbackDays: Terms.defaults.holdbackDays, minPayoutMinor: 0)
        #expect(Terms.initial(from: day("2026-07-01")) == first)
        #expect(Terms.holdbackDays(nil) == 30)
        let terms = Terms(effectiveFrom: day("2026-07-01"), commission: .zero, perOrderMinor: 0, holdbackDays: 7,
                          minPayoutMinor: 0)
        #expect(maturesAfter(createdAt: day("2026-07-10"), terms: terms) == day("2026-07-17"))
        #expect(maturesAfter(createdAt: day("2026-07-10"), terms: nil) == day("2026-08-09"))
    }
}

/// Which order a reference names, and who a payment file pays.
@Suite("decisions: order references, payment files")
struct LookupDecisionTests {
    func orders() -> [OrderRecord] {
        var s = Scenario()
        s.order("1042", created: "2026-08-01T10:00:00Z", subtotal: 100, name: "#1042")
        s.order("7", created: "2026-08-01T10:00:00Z", subtotal: 100, source: "woocommerce")
        s.order("7", created: "2026-08-01T10:00:00Z", subtotal: 100, source: "orders")
        return s.snapshot.orders
    }

    @Test func aReferenceIsAKeyANameOrABareId() {
        let all = orders()
        guard case let .found(byKey) = findOrder("woocommerce:7", in: all) else { Issue.record("by key"); return }
        #expect(byKey.key == OrderKey(source: "woocommerce", orderId: "7"))
        guard case let .found(byName) = findOrder(" #1042 ", in: all) else { Issue.record("by name"); return }
        #expect(byName.key.orderId == "1042")
        guard case let .found(bare) = findOrder("1042", in: all) else { Issue.record("bare id"); return }
        #expect(bare.key.orderId == "1042")
        #expect(findOrder("7", in: all) == .ambiguous([OrderKey(source: "orders", orderId: "7"),
                                                        OrderKey(source: "woocommerce", orderId: "7")]))
        #expect(findOrder("9999", in: all) == .notFound)
    }

    @Test func aPaymentFileForAMethodPaysOnlyThatMethodAndNeedsEveryonesDetails() {
        let anna = PaymentItem(creator: "anna", name: "Anna", amountMinor: 1_100,
                               details: PayoutDetails(method: "paypal", account: "anna@example.com"))
        let bea = PaymentItem(creator: "bea", name: "Bea", amountMinor: 500,
                              details: PayoutDetails(method: "Wise", account: "DE89370400440532013000"))
        let cam = PaymentItem(creator: "cam", name: "Cam", amountMinor: 300, details: nil)
        #expect(selectPayments([anna, bea, cam], method: nil).paid == [anna, bea, cam])
        let wise = selectPayments([anna, bea], method: "wise")
        #expect(wise.paid == [bea] && wise.otherMethod == [anna] && wise.missingDetails.isEmpty)
        let missing = selectPayments([anna, bea, cam], method: "paypal")
        #expect(missing.missingDetails == [cam] && missing.paid.isEmpty)
        let blank = PaymentItem(creator: "dan", name: "Dan", amountMinor: 1,
                                details: PayoutDetails(method: "paypal", account: " "))
        #expect(selectPayments([blank], method: "paypal").missingDetails == [blank])
    }
}
