@testable import App
import Foundation
import LedgerCore
import LedgerStore
@testable import OrderImport
import TestSupport
import Testing

/// A reduced Shopify header (the importer maps columns by name); the full 79-column header is
/// covered by the bundled examples.
let shopifyHeader =
    "Name,Email,Financial Status,Paid at,Currency,Subtotal,Shipping,Taxes,Total,"
    + "Discount Code,Discount Amount,Created at,Lineitem quantity,Lineitem name,Cancelled at,"
    + "Payment Method,Refunded Amount,Id"

func shopifyOrder(
    _ name: String, id: String, status: String = "paid", created: String = "2026-09-01 10:00:00 -0400",
    subtotal: String = "90.00", total: String = "102.20", codes: String = "", refunded: String = "0.00",
    cancelled: String = "", method: String = "Shopify Payments", currency: String = "USD",
    email: String = "ann@example.com"
) -> String {
    "\(name),\(email),\(status),,\(currency),\(subtotal),5.00,7.20,\(total),\(codes),10.00,"
        + "\(created),1,Tee,\(cancelled),\(method),\(refunded),\(id)"
}

func shopifyLine(_ name: String, created: String = "2026-09-01 10:00:00 -0400", item: String = "Mug") -> String {
    "\(name),ann@example.com,,,,,,,,,,\(created),1,\(item),,,,"
}

func shopify(_ rows: String..., header: String = shopifyHeader) -> String {
    ([header] + rows).joined(separator: "\n") + "\n"
}

@Suite struct ShopifyImportTests {
    @Test func ordersAreGroupedByTheirFirstRowAndIdentifiedById() throws {
        let t = try TemporaryLedger()
        let file = shopify(
            shopifyOrder("#1042", id: "5634567890123", codes: "\"ANNA10, Welcome ,\""),
            shopifyLine("#1042"), shopifyLine("#1042", item: "Tin"),
            shopifyOrder("#1043", id: "5634567890124", created: "2026-11-02 09:00:00 -0500"),
            shopifyLine("#1043", created: "2026-11-02 09:00:00 -0500"))
        let summary = try t.importFile(.shopify, try t.write(file, "export.csv"))
        #expect(summary.counts.orders == 2 && summary.counts.new == 2)
        let first = try #require(try t.seen("5634567890123"))
        #expect(first.key.source == "shopify" && first.name == "#1042")
        #expect(first.codes == ["ANNA10", "Welcome"])
        #expect(
            [first.subtotalMinor, first.shippingMinor, first.taxesMinor, first.totalMinor, first.discountMinor] == [
                9000, 500, 720, 10220, 1000
            ])
        // Offsets change with DST inside one file; each timestamp keeps its own.
        #expect(first.createdAt.offsetSeconds == -4 * 3600)
        let second = try #require(try t.seen("5634567890124"))
        #expect(
            second.createdAt.offsetSeconds == -5 * 3600 && second.createdAt.instant == instant("2026-11-02T14:00:00Z"))
        #expect(summary.asOf == instant("2026-11-02T14:00:00Z"))
        try t.expectVerified()
    }

    @Test func theBogusGatewayMarksATestOrder() throws {
        let t = try TemporaryLedger()
        let file = shopify(
            shopifyOrder("#1", id: "1", method: "(for testing) Bogus Gateway"),
            shopifyOrder("#2", id: "2", method: "Gift Card + BOGUS GATEWAY"),
            shopifyOrder("#3", id: "3", method: "Shopify Payments"))
        let summary = try t.importFile(.shopify, try t.write(file, "export.csv"))
        #expect(summary.counts.test == 2)
        #expect(try ["1", "2", "3"].map { try t.seen($0)!.test } == [true, true, false])
    }

    @Test func allEightFinancialStatusesAreRead() throws {
        let t = try TemporaryLedger()
        let statuses = [
            "pending", "authorized", "partially_paid", "paid", "partially_refunded", "refunded", "voided", "expired"
        ]
        let rows = statuses.enumerated().map {
            shopifyOrder("#\($0.offset)", id: "\($0.offset + 1)", status: $0.element)
        }
        try t.importFile(.shopify, try t.write(([shopifyHeader] + rows).joined(separator: "\n"), "export.csv"))
        #expect(try (1...8).map { try t.seen("\($0)")!.state.status.rawValue } == statuses)
    }

    @Test func aRefundAndACancellationInALaterExportAreChangesAtItsAsOf() throws {
        let t = try TemporaryLedger()
        try t.importFile(.shopify, try t.write(shopify(shopifyOrder("#1", id: "7")), "one.csv"))
        let later = shopify(
            shopifyOrder("#1", id: "7", status: "refunded", refunded: "102.20", cancelled: "2026-09-20 12:00:00 -0400"))
        try t.importFile(.shopify, try t.write(later, "two.csv"), asOf: "2026-09-30")
        let change = try #require(try t.changes("7").first)
        #expect(change.status == .refunded && change.refundedMinor == 10220)
        #expect(change.cancellation == .cancelled(Timestamp.parse("2026-09-20 12:00:00 -0400")!))
        #expect(change.effectiveAt == instant("2026-09-30T00:00:00-04:00"))
    }

    @Test func anExportWithoutIdFallsBackToName() throws {
        let t = try TemporaryLedger()
        // Without Id (exports before 2014), with every column that decides money.
        let header =
            "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Currency,Subtotal,"
            + "Shipping,Taxes,Total,Discount Code,Discount Amount,Created at,Lineitem name,Cancelled at,"
            + "Payment Method,Refunded Amount"
        let file = [
            header,
            "#1001,a@example.com,paid,,fulfilled,2012-05-03 10:00:00 -0400,USD,20.00,5.00,0.00,25.00,"
                + "SPRING,2.00,2012-05-01 09:00:00 -0400,Soap,,Visa,0.00",
            "#1001,a@example.com,,,,,,,,,,,,2012-05-01 09:00:00 -0400,Sponge,,,"
        ].joined(separator: "\n")
        let summary = try t.importFile(.shopify, try t.write(file, "old.csv"))
        let seen = try #require(try t.seen("#1001"))
        #expect(seen.name == "#1001" && seen.codes == ["SPRING"] && seen.state.refundedMinor == 0)
        // Fulfilled at counts for the as-of.
        #expect(summary.asOf == instant("2012-05-03T10:00:00-04:00"))
    }

    /// The ~2012 header ends at `Cancelled at`: without `Payment Method` a test order would be paid
    /// commission, without `Refunded Amount` refunds would vanish. Refused, naming both.
    @Test func theExportOf2012LacksColumnsThatDecideMoneyAndIsRefused() throws {
        let t = try TemporaryLedger()
        let old =
            "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,"
            + "Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,"
            + "Lineitem quantity,Lineitem name,Cancelled at"
        let file = [
            old,
            "#1001,a@example.com,paid,,fulfilled,2012-05-03 10:00:00 -0400,yes,USD,20.00,5.00,0.00,25.00,"
                + "SPRING,2.00,Post,2012-05-01 09:00:00 -0400,1,Soap,"
        ].joined(separator: "\n")
        let issue = try #require(t.importError(.shopify, try t.write(file, "old.csv")))
        #expect(issue.line == 1)
        #expect(issue.expected.contains("'Payment Method' (closest header: 'Shipping Method', column 15)"), "\(issue)")
        #expect(issue.expected.contains("'Refunded Amount'"), "\(issue)")
        #expect(try t.orderCount() == 0)
    }

    @Test func aHeaderWithNeitherIdNorNameIsRefused() throws {
        let t = try TemporaryLedger()
        let header = "Email,Financial Status,Currency,Subtotal,Total,Created at"
        let issue = try #require(
            t.importError(
                .shopify, try t.write(header + "\na@b.c,paid,USD,1.00,1.00,2026-09-01 10:00:00 -0400\n", "x.csv")))
        #expect(issue.line == 1)
        #expect(issue.expected.contains("neither an 'Id' nor a 'Name' column"))
    }

    @Test func aLineItemRowOfAnotherOrderIsRefused() throws {
        let t = try TemporaryLedger()
        let file = shopify(shopifyOrder("#1", id: "1"), shopifyLine("#1"), shopifyLine("#2"))
        let issue = try #require(t.importError(.shopify, try t.write(file, "x.csv")))
        #expect(issue.line == 4 && issue.column == 1 && issue.found == "#2" && issue.columnName == "Name")
        let orphan = try #require(
            t.importError(.shopify, try t.write(shopify(shopifyLine("#9"), shopifyOrder("#1", id: "1")), "y.csv")))
        #expect(orphan.line == 2 && orphan.column == 3)
    }

    @Test func anIdRepeatedAfterOtherOrdersIsRefused() throws {
        let t = try TemporaryLedger()
        let file = shopify(shopifyOrder("#1", id: "11"), shopifyOrder("#2", id: "12"), shopifyOrder("#1", id: "11"))
        let issue = try #require(t.importError(.shopify, try t.write(file, "x.csv")))
        #expect(issue.line == 4 && issue.column == 18 && issue.expected.contains("already appeared at line 2"))
    }

    @Test func anIdRewrittenByASpreadsheetIsRefused() throws {
        let t = try TemporaryLedger()
        let issue = try #require(
            t.importError(.shopify, try t.write(shopify(shopifyOrder("#1", id: "7.20919E+12")), "x.csv")))
        #expect(issue.line == 2 && issue.column == 18 && issue.found == "7.20919E+12")
    }

    @Test func aSpreadsheetDateIsRefusedWithAHint() throws {
        let t = try TemporaryLedger()
        let issue = try #require(
            t.importError(
                .shopify, try t.write(shopify(shopifyOrder("#1", id: "1", created: "09/09/2025 23:01")), "x.csv")))
        #expect(issue.line == 2 && issue.column == 12 && issue.expected.contains("re-saved by a spreadsheet"))
    }

    @Test func aMultiRowOrderIsRejectedWithAllItsRows() throws {
        let t = try TemporaryLedger()
        let bad = shopifyOrder("#2", id: "2", subtotal: "\"12,50\"")
        let file = shopify(shopifyOrder("#1", id: "1"), bad, shopifyLine("#2"), shopifyOrder("#3", id: "3"))
        let summary = try t.importFile(.shopify, try t.write(file, "x.csv"), rejects: "rejects.csv")
        #expect(summary.counts.new == 2 && summary.counts.rejected == 1)
        let lines = try String(contentsOfFile: t.path("rejects.csv"), encoding: .utf8).split(separator: "\n").map(
            String.init)
        #expect(lines.count == 3)
        #expect(lines[0] == shopifyHeader + ",reject_reason")
        #expect(lines[1].hasPrefix(bad + ",\"" + t.path("x.csv") + ":3:6: found '12,50'"))
        #expect(lines[2].hasPrefix(shopifyLine("#2") + ","))
    }
}
