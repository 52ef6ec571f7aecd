@testable import App
import Foundation
import LedgerCore
import LedgerStore
@testable import OrderImport
import TestSupport
import Testing

let wooHeader =
    "\u{FEFF}order_id,order_number,order_date,paid_date,status,shipping_total,"
    + "tax_total,discount_total,order_total,order_subtotal,order_currency,customer_email,"
    + "billing_email,coupon_items,refund_items,meta:_wc_order_attribution_utm_source"

func wooRow(
    _ id: String, status: String = "completed", date: String = "2026-09-10 12:00:00", subtotal: String = "50.00",
    discount: String = "5.00",
    shipping: String = "5.95", tax: String = "3.00", total: String = "53.95",
    coupons: String = "code:anna15|amount:5.00",
    refunds: String = "", customerEmail: String = "", billingEmail: String = "bob@example.com", utm: String = "(direct)"
) -> String {
    "\(id),\(id),\"\(date)\",,\(status),\(shipping),\(tax),\(discount),\(total),\(subtotal),USD,"
        + "\(customerEmail),\(billingEmail),\(coupons),\"\(refunds)\",\(utm)"
}

func woo(_ rows: String...) -> String { ([wooHeader] + rows).joined(separator: "\n") + "\n" }

@Suite struct WooCommerceImportTests {
    @Test func fieldsMapToTheLedgersOrder() throws {
        let t = try TemporaryLedger()
        let file = woo(
            wooRow("5217", coupons: "code:fallsale|amount:3.90;code:anna15|amount:1.10", utm: "leafy_lena"),
            wooRow("5218", customerEmail: "Account@Example.com", billingEmail: "other@example.com"))
        let summary = try t.importFile(.woocommerce, try t.write(file, "woo.csv"))
        #expect(summary.counts.new == 2)
        let a = try #require(try t.seen("5217"))
        #expect(a.key.source == "woocommerce" && a.name == "5217")
        #expect(
            a.subtotalMinor == 4500 && a.discountMinor == 500 && a.shippingMinor == 595 && a.taxesMinor == 300
                && a.totalMinor == 5395)
        #expect(a.codes == ["fallsale", "anna15"])
        #expect(a.referral == "utm_source=leafy_lena")
        #expect(a.emailHash == Ledger.emailHash("bob@example.com", salt: "test-salt"))
        // order_date has no offset: read in the ledger's zone (America/New_York, EDT in September).
        #expect(a.createdAt == Timestamp(instant("2026-09-10T16:00:00Z"), offsetSeconds: -4 * 3600))
        let b = try #require(try t.seen("5218"))
        #expect(b.emailHash == Ledger.emailHash("account@example.com", salt: "test-salt") && b.referral == nil)
    }

    @Test func theSiteTimezoneOptionReadsLocalDates() throws {
        let t = try TemporaryLedger()
        try t.importFile(.woocommerce, try t.write(woo(wooRow("1")), "woo.csv"), siteZone: "Europe/Berlin")
        #expect(try t.seen("1")?.createdAt == Timestamp(instant("2026-09-10T10:00:00Z"), offsetSeconds: 2 * 3600))
    }

    @Test func eachRefundIsAChangeAtItsOwnDate() throws {
        let t = try TemporaryLedger()
        let row = wooRow(
            "7",
            refunds: "amount:12.50|reason:Damaged, dented|date:2026-09-15 "
                + "09:00:00;amount:'5.00|reason:|date:2026-09-14 08:00:00")
        let summary = try t.importFile(.woocommerce, try t.write(woo(row), "woo.csv"))
        #expect(summary.counts.refunds == 2)
        let seen = try #require(try t.seen("7"))
        #expect(seen.state == OrderState(status: .paid, refundedMinor: 0, cancelledAt: nil))
        let changes = try t.changes("7")
        #expect(changes.count == 2)
        #expect(
            changes[0].refundedMinor == 500 && changes[0].status == .partiallyRefunded
                && changes[0].effectiveAt == instant("2026-09-14T08:00:00-04:00"))
        #expect(
            changes[1].refundedMinor == 1750 && changes[1].status == nil
                && changes[1].effectiveAt == instant("2026-09-15T09:00:00-04:00"))
        #expect(summary.asOf == instant("2026-09-15T09:00:00-04:00"))
        try t.expectVerified()
    }

    @Test func aLaterExportAddsOnlyTheNewRefund() throws {
        let t = try TemporaryLedger()
        let first = "amount:12.50|reason:x|date:2026-09-15 09:00:00"
        try t.importFile(.woocommerce, try t.write(woo(wooRow("7", refunds: first)), "one.csv"))
        let both = first + ";amount:41.45|reason:y|date:2026-10-01 10:00:00"
        let summary = try t.importFile(
            .woocommerce, try t.write(woo(wooRow("7", status: "refunded", refunds: both)), "two.csv"))
        #expect(summary.counts.changed == 1 && summary.counts.refunds == 1)
        let changes = try t.changes("7")
        #expect(changes.count == 2)
        #expect(
            changes[1].status == .refunded && changes[1].refundedMinor == 5395
                && changes[1].effectiveAt == instant("2026-10-01T10:00:00-04:00"))
        try t.expectVerified()
    }

    @Test func statusesMapToTheLedgersVocabulary() throws {
        let t = try TemporaryLedger()
        let cases: [(String, FinancialStatus)] = [
            ("pending", .pending), ("on-hold", .pending), ("checkout-draft", .pending),
            ("processing", .paid), ("completed", .paid), ("wc-completed", .paid),
            ("ready-for-pickup", .paid), ("refunded", .refunded), ("cancelled", .voided), ("failed", .voided)
        ]
        let rows = cases.enumerated().map { wooRow("\($0.offset + 1)", status: $0.element.0) }
        try t.importFile(.woocommerce, try t.write(([wooHeader] + rows).joined(separator: "\n"), "woo.csv"))
        for (i, c) in cases.enumerated() { #expect(try t.seen("\(i + 1)")?.state.status == c.1, "\(c.0)") }
        let issue = try #require(
            t.importError(.woocommerce, try t.write(woo(wooRow("99", status: "shipped")), "bad.csv")))
        #expect(issue.line == 2 && issue.column == 5 && issue.found == "shipped")
    }

    @Test func oneLeadingApostropheIsStrippedBeforeNumbersInThisDialectOnly() throws {
        let t = try TemporaryLedger()
        try t.importFile(.woocommerce, try t.write(woo(wooRow("1", shipping: "'1.00", total: "'46.00")), "woo.csv"))
        #expect(try t.seen("1")?.shippingMinor == 100)
        #expect(try t.seen("1")?.totalMinor == 4600)
        let issue = try #require(
            t.importError(
                .orders, try t.write(canonical("A,2026-09-01T10:00:00Z,USD,'12.50,0,0,0,12.50,,,,paid,,,"), "c.csv")))
        #expect(issue.line == 2 && issue.column == 4 && issue.found == "'12.50")
    }

    @Test func aBadRefundEntryIsRefused() throws {
        let t = try TemporaryLedger()
        let issue = try #require(
            t.importError(
                .woocommerce, try t.write(woo(wooRow("1", refunds: "amount:12,50|date:2026-09-15 09:00:00")), "w.csv")))
        #expect(issue.line == 2 && issue.column == 15 && issue.found == "12,50")
    }
}
