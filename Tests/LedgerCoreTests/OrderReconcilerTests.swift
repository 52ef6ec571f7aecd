import LedgerCore
import TestSupport
import Testing

/// Section 3 as a pure function: an order of an export against the ledger's order of the same id.
@Suite("order reconciliation (ledger rules section 3)")
struct OrderReconcilerTests {
    let asOf = at("2026-09-30T00:00:00Z")

    func order(
        _ id: String = "A1", status: FinancialStatus = .paid, refunded: Int64 = 0, total: Int64 = 10_000,
        refunds: [DatedRefund] = [], test: Bool = false, codes: [String] = ["Anna10"]
    ) -> ImportedOrder {
        let created = Timestamp.parse("2026-09-01T10:00:00-04:00")!
        var before: OrderState? = nil
        if !refunds.isEmpty { before = OrderState(status: .paid, refundedMinor: 0, cancelledAt: nil) }
        let state = OrderState(status: status, refundedMinor: refunded, cancelledAt: nil)
        return ImportedOrder(
            orderId: id, name: "#\(id)", createdAt: created, currency: usd, subtotalMinor: total,
            discountMinor: 0, shippingMinor: 0, taxesMinor: 0, totalMinor: total, codes: codes,
            referral: nil, email: nil, state: state, test: test, refunds: refunds,
            stateBeforeRefunds: before, latestAt: created.instant, line: 2, idColumn: 1)
    }

    /// The ledger's order as `order` would have stored it, seen by an export as of `storedAsOf`.
    func stored(_ o: ImportedOrder, storedAsOf: Instant, state: OrderState? = nil) -> StoredOrder {
        StoredOrder(
            state: state ?? o.state, asOf: storedAsOf, createdAt: o.createdAt.instant,
            currencyCode: o.currency.code,
            subtotalMinor: o.subtotalMinor, discountMinor: o.discountMinor, shippingMinor: o.shippingMinor,
            taxesMinor: o.taxesMinor, totalMinor: o.totalMinor, codesJSON: OrderSeen.codesJSON(o.codes),
            referral: o.referral, emailHash: nil, test: o.test)
    }

    func reconcile(_ o: ImportedOrder, _ stored: StoredOrder?, _ r: inout OrderReconciler) -> [Fact] {
        var facts: [Fact] = []
        r.reconcile(o, emailHash: nil, codesJSON: OrderSeen.codesJSON(o.codes), stored: stored) { facts.append($0) }
        return facts
    }

    @Test func aNewOrderIsSeenWithItsStateAndItsCodesNoted() {
        var r = OrderReconciler(source: "shopify", asOf: asOf, importRef: "sha")
        let o = order(status: .partiallyRefunded, refunded: 2_000)
        let facts = reconcile(o, nil, &r)
        let seen = SeenContext(source: "shopify", asOf: asOf, importRef: "sha").seen(o, emailHash: nil)
        #expect(facts == [.orderSeen(seen)])
        #expect(r.counts.new == 1 && r.counts.orders == 1 && r.counts.refunds == 1)
        #expect(r.codes == ["ANNA10"])
    }

    @Test func aKnownOrderIsChangedUnchangedConfirmedOrStale() {
        var r = OrderReconciler(source: "shopify", asOf: asOf, importRef: "sha")
        let paid = order()
        // Refunded since: one change, effective at the as-of.
        let refunded = order(status: .refunded, refunded: 10_000)
        let changes = reconcile(refunded, stored(paid, storedAsOf: at("2026-09-02T00:00:00Z")), &r)
        let expected = OrderChanged(
            key: OrderKey(source: "shopify", orderId: "A1"), status: .refunded,
            refundedMinor: 10_000, effectiveAt: asOf, asOf: asOf, importRef: "sha")
        #expect(changes == [.orderChanged(expected)])
        // The same state: unchanged, and confirmed when this export is newer.
        #expect(reconcile(paid, stored(paid, storedAsOf: asOf), &r).isEmpty)
        #expect(reconcile(order("A2"), stored(order("A2"), storedAsOf: at("2026-09-02T00:00:00Z")), &r).isEmpty)
        // An export older than what the ledger knows never rolls the order back...
        #expect(reconcile(paid, stored(refunded, storedAsOf: at("2026-10-05T00:00:00Z")), &r).isEmpty)
        // ...but a refund it shows and the ledger lacks is news, effective at the ledger's newer as-of.
        let news = reconcile(refunded, stored(paid, storedAsOf: at("2026-10-05T00:00:00Z")), &r)
        let late = OrderChanged(
            key: OrderKey(source: "shopify", orderId: "A1"), status: .refunded,
            refundedMinor: 10_000, effectiveAt: at("2026-10-05T00:00:00Z"), asOf: asOf,
            importRef: "sha")
        #expect(news == [.orderChanged(late)])
        #expect(r.counts.changed == 1 && r.counts.unchanged == 2 && r.counts.confirmed == 1 && r.counts.stale == 2)
        #expect(r.counts.staleNews == 1)
        #expect(r.confirmedOrderIds == ["A2"] && r.counts.refunds == 2)
    }

    @Test func fieldsThatNeverChangeKeepTheFirstExportWithAWarning() {
        var r = OrderReconciler(source: "shopify", asOf: asOf, importRef: "sha")
        let first = order()
        let facts = reconcile(order(total: 9_900, codes: ["OTHER"]), stored(first, storedAsOf: asOf), &r)
        #expect(facts.isEmpty)
        #expect(r.counts.amountsDiffer == 1 && r.counts.unchanged == 1)
        #expect(
            r.warnings == [
                "order A1 (#A1): subtotal, total, codes differ from the first export; the ledger keeps the first"
            ])
    }

    @Test func datedRefundsAreEachAChangeAtTheirOwnDate() {
        var r = OrderReconciler(source: "woocommerce", asOf: asOf, importRef: "sha")
        let refunds = [
            DatedRefund(amountMinor: 1_000, at: Timestamp.parse("2026-09-10T09:00:00Z")!),
            DatedRefund(amountMinor: 500, at: Timestamp.parse("2026-09-12T09:00:00Z")!)
        ]
        let o = order(status: .partiallyRefunded, refunded: 1_500, refunds: refunds)
        let facts = reconcile(o, nil, &r)
        #expect(facts.count == 3)
        guard facts.count == 3, case let .orderChanged(first) = facts[1],
            case let .orderChanged(second) = facts[2]
        else { return }
        #expect(first.refundedMinor == 1_000 && first.effectiveAt == at("2026-09-10T09:00:00Z"))
        #expect(second.refundedMinor == 1_500 && second.effectiveAt == at("2026-09-12T09:00:00Z"))
        #expect(r.counts.refunds == 2)
        // Shown again with the same refunds: nothing new.
        let again = reconcile(o, stored(o, storedAsOf: asOf), &r)
        #expect(again.isEmpty && r.counts.unchanged == 1)
    }

    /// The one-read check counts as the usual way would once the as-of is known.
    @Test func probedOrdersSettleLikeReconciledOnes() {
        var probe = OrderReconciler(source: "shopify", asOf: Instant(unixSeconds: 0), importRef: "")
        let older = at("2026-09-02T00:00:00Z"), newer = at("2026-10-05T00:00:00Z")
        let taken = [
            probe.probeUnchanged(order("A1"), storedAsOfIfUnchanged: older, latestSoFar: asOf),
            probe.probeUnchanged(order("A2"), storedAsOfIfUnchanged: newer, latestSoFar: asOf),
            probe.probeUnchanged(order("A3"), storedAsOfIfUnchanged: nil, latestSoFar: asOf)
        ]
        #expect(taken == [true, true, false])
        let settled = probe.finishProbe(asOf: asOf, importRef: "sha")
        #expect(settled)
        var usual = OrderReconciler(source: "shopify", asOf: asOf, importRef: "sha")
        _ = reconcile(order("A1"), stored(order("A1"), storedAsOf: older), &usual)
        _ = reconcile(order("A2"), stored(order("A2"), storedAsOf: newer), &usual)
        #expect(probe.counts == usual.counts && probe.confirmedOrderIds == usual.confirmedOrderIds)
        // Undecided orders that turn out confirmed have no ids at hand: the usual way then.
        var late = OrderReconciler(source: "shopify", asOf: Instant(unixSeconds: 0), importRef: "")
        let lateTaken = late.probeUnchanged(order("A1"), storedAsOfIfUnchanged: asOf, latestSoFar: older)
        let lateSettled = late.finishProbe(asOf: newer, importRef: "sha")
        #expect(lateTaken && !lateSettled)
    }

    @Test func codesNeverSeenAreUnknownAndOnNoEarlierOrder() throws {
        var r = OrderReconciler(source: "shopify", asOf: asOf, importRef: "sha")
        _ = reconcile(order("A1", codes: ["anna10", "NEW1"]), nil, &r)
        _ = reconcile(order("A2", codes: ["new2", "OLD"]), nil, &r)
        _ = reconcile(order("A3", test: true, codes: ["TESTONLY"]), nil, &r)
        var asked: Set<String> = []
        let never = r.codesNeverSeen(known: KnownCodes(assigned: ["ANNA10"], house: [])) { candidates in
            asked = candidates
            return ["OLD"]
        }
        #expect(asked == ["NEW1", "NEW2", "OLD"])
        #expect(never == ["NEW1", "NEW2"])
        let fact = r.importRecorded(fileName: "f.csv", sha256: "sha", codesNeverSeen: never.count)
        #expect(fact.counts["codes_never_seen"] == 2)
        #expect(fact.counts["orders_new"] == 3 && fact.counts["orders_test"] == 1)
    }
}
