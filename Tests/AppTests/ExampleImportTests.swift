@testable import App
import Foundation
import LedgerCore
@testable import LedgerStore
@testable import OrderImport
import TestSupport
import Testing

/// The bundled examples (examples/generate.py), with facts checked by hand against the files.
@Suite struct ExampleImportTests {
    let export1 = examplesDirectory().appendingPathComponent("shopify/orders_export_2026-07-01_2026-08-31.csv").path
    let export2 = examplesDirectory().appendingPathComponent("shopify/orders_export_2026-08-15_2026-10-31.csv").path

    @Test func twoOverlappingShopifyExportsInOrder() throws {
        let t = try TemporaryLedger()
        let first = try t.importFile(.shopify, export1)
        #expect(first.counts.orders == 167 && first.counts.new == 167 && first.counts.test == 2)
        let second = try t.importFile(.shopify, export2)
        // 42 orders are in both files: 9 of them changed (examples/check.py lists them), 33 did not.
        #expect(second.counts.orders == 189 && second.counts.new == 147)
        #expect(second.counts.changed + second.counts.unchanged == 42)
        #expect(second.counts.changed == 9 && second.counts.stale == 0 && second.counts.amountsDiffer == 0)
        #expect(second.counts.confirmed == 33)
        // #1131: paid -> partially_refunded 12.50, effective at the second export's as-of.
        let changes = try t.changes("7209192468671")
        #expect(changes.count == 1)
        #expect(
            changes.first?.status == .partiallyRefunded && changes.first?.refundedMinor == 1250
                && changes.first?.cancellation == nil)
        #expect(changes.first?.effectiveAt == second.asOf)
        #expect(second.asOf == instant("2026-11-02T08:53:48-05:00"))
        // #1159: authorized -> voided with its cancellation.
        let voided = try #require(try t.changes("7210349266169").first)
        #expect(
            voided.status == .voided && voided.cancellation == .cancelled(Timestamp.parse("2026-09-04 09:00:00 -0400")!)
        )
        // #1005 is a test order (Bogus Gateway); #1193 lists two codes in the order applied.
        #expect(try t.seen("7203276453203")?.test == true && t.seen("7203276453203")?.name == "#1005")
        #expect(try t.seen("7211741640529")?.codes == ["FALLSALE", "ANNA15"])
        // Importing a file again is skipped by its SHA-256.
        let before = try t.logText()
        #expect(try t.importFile(.shopify, export2).previous != nil)
        #expect(try t.logText() == before)
        try t.expectVerified()
    }

    @Test func theOlderExportAfterTheNewerLeavesTheSameOrders() throws {
        let forward = try TemporaryLedger()
        try forward.importFile(.shopify, export1)
        try forward.importFile(.shopify, export2)
        let backward = try TemporaryLedger()
        try backward.importFile(.shopify, export2)
        let late = try backward.importFile(.shopify, export1)
        #expect(late.counts.stale == 42 && late.counts.new == 125 && late.counts.changed == 0)
        #expect(try backward.changes("7209192468671").isEmpty)
        #expect(
            try backward.order("7209192468671", source: "shopify")?.state
                == OrderState(status: .partiallyRefunded, refundedMinor: 1250, cancelledAt: nil))
        // Every order ends in the same current state with the same as-of, whichever file came first.
        let query =
            "SELECT source, order_id, status, refunded_minor, cancelled_at, as_of, "
            + "subtotal_minor, total_minor, codes, test FROM orders ORDER BY source, order_id"
        #expect(try rows(forward, query) == rows(backward, query))
        #expect(try rows(forward, query).count == 314)
        try backward.expectVerified()
    }

    @Test func theWooCommerceExport() throws {
        let t = try TemporaryLedger()
        let path = examplesDirectory().appendingPathComponent("woocommerce/orders_export_woo.csv").path
        let summary = try t.importFile(.woocommerce, path)
        #expect(summary.counts.orders == 41 && summary.counts.new == 41 && summary.counts.refunds == 5)
        #expect(summary.asOf == instant("2026-10-30T19:08:14-04:00"))
        // 5255: completed, partial refund of 12.50 on 2026-10-20 19:42:52 (site time = ledger zone).
        let change = try #require(try t.changes("5255").first)
        #expect(
            change.status == .partiallyRefunded && change.refundedMinor == 1250
                && change.effectiveAt == instant("2026-10-20T19:42:52-04:00"))
        // 5253: refunded in full (47.93) on 2026-10-20 16:03:43.
        let full = try #require(try t.changes("5253").first)
        #expect(
            full.status == .refunded && full.refundedMinor == 4793
                && full.effectiveAt == instant("2026-10-20T16:03:43-04:00"))
        // 5217: two coupons, in order; subtotal 19.50 - 6.83.
        let two = try #require(try t.seen("5217"))
        #expect(two.codes == ["fallsale", "anna15"] && two.subtotalMinor == 1267 && two.discountMinor == 683)
        // 5219: guest checkout: billing_email (lena's own) is the customer e-mail.
        #expect(try t.seen("5219")?.emailHash == Ledger.emailHash("lena@example.org", salt: "test-salt"))
        #expect(try t.seen("5224")?.referral == "utm_source=leafy_lena")
        #expect(try t.seen("5209")?.state.status == .voided && t.seen("5211")?.state.status == .pending)
        try t.expectVerified()
    }

    @Test func theCanonicalExport() throws {
        let t = try TemporaryLedger()
        let path = examplesDirectory().appendingPathComponent("orders/popup-and-tiktok.csv").path
        let summary = try t.importFile(.orders, path)
        #expect(
            summary.counts.orders == 30 && summary.counts.new == 30 && summary.counts.test == 1
                && summary.counts.refunds == 3)
        #expect(try t.seen("POP-0912-05")?.codes == ["FALLSALE", "ANNA15"])
        #expect(try t.seen("POP-0926-08")?.test == true)
        #expect(try t.seen("576461587257114833")?.referral == "utm_source=matchamo")
        let expired = try #require(try t.seen("POP-0926-15"))
        #expect(
            expired.state.status == .expired
                && expired.state.cancelledAt?.instant == instant("2026-10-03T10:00:00-04:00"))
        #expect(summary.asOf == instant("2026-11-01T03:59:59Z"))
        try t.expectVerified()
    }

    private func rows(_ t: TemporaryLedger, _ sql: String) throws -> [[SQLValue]] {
        let st = try t.ledger.connection.prepared(sql)
        defer { st.reset() }
        var out: [[SQLValue]] = []
        while try st.step() { out.append(st.row()) }
        return out
    }
}
