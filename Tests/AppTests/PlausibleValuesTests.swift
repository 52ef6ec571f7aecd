@testable import App
import Foundation
import LedgerCore
@testable import OrderImport
import TestSupport
import Testing

/// Values that cannot be true are input errors (file:line:column, nothing written; the rejects
/// file under --skip-invalid): a negative amount, a refund above the total, a subtotal above the
/// total, a time after the explicit as-of or more than a day after now (the ledger's clock,
/// `TemporaryLedger.defaultNow` = 2026-11-18T11:06:40Z).
@Suite("implausible values")
struct PlausibleValuesTests {
    func canonicalRow(
        subtotal: String = "90.00", discount: String = "10.00", shipping: String = "5.00",
        total: String = "102.20", refunded: String = "0.00",
        created: String = "2026-09-01T10:00:00-04:00", cancelled: String = ""
    ) -> String {
        "A1,\(created),USD,\(subtotal),\(discount),\(shipping),7.20,\(total),ANNA10,,ann@example.com,paid,"
            + "\(refunded),\(cancelled),false"
    }

    func expectRefused(
        _ dialect: OrderDialectKind, _ text: String, line: Int = 2, column: Int, found: String,
        _ expected: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let t = try TemporaryLedger()
        let before = try t.logText()
        let issue = try #require(t.importError(dialect, try t.write(text, "f.csv")), sourceLocation: sourceLocation)
        #expect(
            issue.line == line && issue.column == column && issue.found == found, "\(issue)",
            sourceLocation: sourceLocation)
        #expect(issue.expected.contains(expected), "\(issue)", sourceLocation: sourceLocation)
        #expect(try t.logText() == before, sourceLocation: sourceLocation)
    }

    @Test func negativeAmountsAreRefused() throws {
        try expectRefused(
            .orders, canonical(canonicalRow(subtotal: "-90.00")), column: 4, found: "-90.00",
            "an amount of zero or more")
        try expectRefused(
            .orders, canonical(canonicalRow(discount: "-10.00")), column: 5, found: "-10.00",
            "a discount of zero or more")
        try expectRefused(
            .orders, canonical(canonicalRow(refunded: "-1.00")), column: 13, found: "-1.00",
            "an amount of zero or more")
        try expectRefused(
            .shopify, shopify(shopifyOrder("#1", id: "1", total: "-102.20")), column: 9, found: "-102.20",
            "an amount of zero or more")
        try expectRefused(
            .woocommerce, woo(wooRow("7", shipping: "'-5.95")), column: 6, found: "'-5.95",
            "an amount of zero or more")
    }

    @Test func aRefundAboveTheTotalIsRefused() throws {
        try expectRefused(
            .orders, canonical(canonicalRow(refunded: "150.00")), column: 13, found: "150.00",
            "a refunded amount of at most the order's total 102.20")
        try expectRefused(
            .shopify, shopify(shopifyOrder("#1", id: "1", status: "refunded", refunded: "102.21")),
            column: 17, found: "102.21", "at most the order's total 102.20")
        try expectRefused(
            .woocommerce,
            woo(
                wooRow(
                    "7",
                    refunds: "amount:50.00|date:2026-09-11 10:00:00;"
                        + "amount:5.00|date:2026-09-12 10:00:00")),
            column: 15,
            found: "amount:50.00|date:2026-09-11 10:00:00;amount:5.00|date:2026-09-12 10:00:00",
            "at most the order's total 53.95")
    }

    @Test func aSubtotalAboveTheTotalIsRefused() throws {
        try expectRefused(
            .orders, canonical(canonicalRow(subtotal: "120.00")), column: 4, found: "120.00",
            "a subtotal of at most the order's total 102.20")
        try expectRefused(
            .shopify, shopify(shopifyOrder("#1", id: "1", subtotal: "102.21")), column: 6,
            found: "102.21",
            "a subtotal of at most the order's total 102.20")
        // WooCommerce's subtotal is order_subtotal - discount_total: the computed one is shown.
        try expectRefused(
            .woocommerce, woo(wooRow("7", subtotal: "80.00", total: "53.95")), column: 10, found: "75.00",
            "a subtotal of at most the order's total 53.95")
    }

    /// A negative WooCommerce fee (a discount written as a fee) lowers the total below the subtotal.
    @Test func aNegativeWooCommerceFeeMayLowerTheTotal() throws {
        let t = try TemporaryLedger()
        let header = wooHeader + ",fee_total"
        let row = wooRow("7", subtotal: "80.00", discount: "0.00", total: "72.00") + ",'-10.00"
        try t.importFile(.woocommerce, try t.write(header + "\n" + row + "\n", "fee.csv"))
        #expect(try t.seen("7")?.subtotalMinor == 8_000)
        let over = wooRow("8", subtotal: "80.00", discount: "0.00", total: "60.00") + ",'-10.00"
        #expect(t.importError(.woocommerce, try t.write(header + "\n" + over + "\n", "over.csv"))?.column == 10)
    }

    @Test func timesMoreThanADayAfterNowAreRefused() throws {
        // now = 2026-11-18T11:06:40Z: up to 2026-11-19T11:06:40Z is plausible.
        let t = try TemporaryLedger()
        try t.importFile(.orders, try t.write(canonical(canonicalRow(created: "2026-11-19T11:00:00Z")), "ok.csv"))
        try expectRefused(
            .orders, canonical(canonicalRow(created: "2062-09-01T10:00:00-04:00")), column: 2,
            found: "2062-09-01T10:00:00-04:00", "a time no later than 2026-11-19T06:06:40-05:00")
        try expectRefused(
            .orders, canonical(canonicalRow(cancelled: "2026-12-01T10:00:00Z")), column: 14,
            found: "2026-12-01T10:00:00Z", "an export cannot show the future")
        let paidLater = shopifyOrder("#1", id: "1")
            .replacingOccurrences(of: ",paid,,", with: ",paid,2027-09-01 10:00:00 -0400,")
        try expectRefused(
            .shopify, shopify(paidLater), column: 4, found: "2027-09-01 10:00:00 -0400",
            "an export cannot show the future")
        try expectRefused(
            .woocommerce, woo(wooRow("7", date: "2026-11-30 10:00:00")), column: 3,
            found: "2026-11-30 10:00:00", "an export cannot show the future")
        try expectRefused(
            .woocommerce, woo(wooRow("7", refunds: "amount:5.00|date:2026-12-24 10:00:00")), column: 15,
            found: "2026-12-24 10:00:00", "an export cannot show the future")
    }

    @Test func anAsOfMoreThanADayAfterNowIsRefused() throws {
        let t = try TemporaryLedger()
        let path = try t.write(canonical(canonicalRow()), "f.csv")
        #expect(throws: UserError.self) { try t.importFile(.orders, path, asOf: "2026-11-20") }
        try t.importFile(.orders, path, asOf: "2026-11-19")
    }

    @Test func aTimeAfterTheExplicitAsOfIsRefused() throws {
        let t = try TemporaryLedger()
        let before = try t.logText()
        do {
            try t.importFile(.orders, try t.write(canonical(canonicalRow()), "f.csv"), asOf: "2026-08-31")
            Issue.record("imported")
        } catch let issue as InputIssue {
            #expect(issue.line == 2 && issue.expected.contains("after --as-of"), "\(issue)")
        }
        #expect(try t.logText() == before)
    }

    /// Under --skip-invalid they go to the rejects file with their reasons; the rest is imported.
    @Test func underSkipInvalidTheyAreRejected() throws {
        let t = try TemporaryLedger()
        let file = canonical(
            canonicalRow(),
            canonicalRow(subtotal: "-1.00").replacingOccurrences(of: "A1,", with: "A2,"),
            canonicalRow(refunded: "999.00").replacingOccurrences(of: "A1,", with: "A3,"),
            canonicalRow(created: "2030-01-01T00:00:00Z").replacingOccurrences(of: "A1,", with: "A4,"))
        let summary = try t.importFile(.orders, try t.write(file, "f.csv"), rejects: "rejects.csv")
        #expect(summary.counts.new == 1 && summary.counts.rejected == 3)
        let rejects = try String(contentsOfFile: t.path("rejects.csv"), encoding: .utf8)
        #expect(rejects.contains("A2,") && rejects.contains("A3,") && rejects.contains("A4,"))
        #expect(rejects.contains("an amount of zero or more") && rejects.contains("at most the order's total"))
    }
}
