@testable import App
import Foundation
import LedgerCore
@testable import OrderImport
import TestSupport
import Testing

/// Every column that decides attribution, test orders, status, refunds, cancellation or money is
/// required: a file without it is refused at its header (nothing written), naming the column and
/// the header closest to it. The spellings genuine exports have used are recognized.
@Suite("required columns")
struct RequiredColumnsTests {
    /// The file without column `name` (header and rows; cells hold no commas here).
    func dropping(_ name: String, from text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard let i = header.firstIndex(of: name) else { Issue.record("no column \(name)"); return text }
        return lines.map { line in
            guard !line.isEmpty else { return line }
            var cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            cells.remove(at: i)
            return cells.joined(separator: ",")
        }.joined(separator: "\n")
    }

    func renaming(_ name: String, to other: String, in text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false)
            .map { $0 == name ? other : String($0) }.joined(separator: ",")
        return ([header] + lines.dropFirst().map(String.init)).joined(separator: "\n")
    }

    /// The dialects' files, plain (no quoted cells), and their required columns.
    var dialects: [(OrderDialectKind, String, [String])] {
        let shopifyFile = shopify(shopifyOrder("#1", id: "11", codes: "ANNA10"), shopifyLine("#1"))
        let wooFile = String(woo(wooRow("7").replacingOccurrences(of: "\"", with: "")).drop { $0 == "\u{FEFF}" })
        let canonicalFile = canonical(
            "A1,2026-09-01T10:00:00-04:00,USD,90.00,10.00,5.00,7.20,102.20,ANNA10,ref=anna,"
                + "ann@example.com,paid,0.00,,false")
        return [
            (.shopify, shopifyFile, ShopifyReader.requiredColumns),
            (.woocommerce, wooFile, WooCommerceReader.requiredColumns),
            (.orders, canonicalFile, CanonicalReader.requiredColumns)
        ]
    }

    @Test func aFileWithoutARequiredColumnIsRefusedAndNothingIsWritten() throws {
        for (dialect, file, required) in dialects {
            #expect(required.count >= 12, "\(dialect)")
            for name in required {
                let t = try TemporaryLedger()
                let before = try t.logText()
                let issue = try #require(
                    t.importError(dialect, try t.write(dropping(name, from: file), "f.csv")),
                    "\(dialect) without \(name)")
                #expect(
                    issue.line == 1 && issue.expected.contains("the header lacks '\(name)'"),
                    "\(dialect): \(issue)")
                #expect(try t.logText() == before && t.orderCount() == 0)
            }
        }
    }

    /// `Discount Codes` for `Discount Code`: imported today with no codes at all, every commission 0.
    @Test func aRenamedColumnIsRefusedNamingTheClosestHeader() throws {
        for (dialect, file, required) in dialects {
            for name in required {
                let t = try TemporaryLedger()
                let renamed = try t.write(renaming(name, to: name + "s", in: file), "f.csv")
                let issue = try #require(t.importError(dialect, renamed))
                let header = file.prefix { $0 != "\n" }.split(separator: ",").map(String.init)
                let column = header.firstIndex(of: name)! + 1
                #expect(issue.expected.contains("'\(name)' (closest header: '\(name)s', column \(column))"), "\(issue)")
                #expect(issue.column == column, "\(issue)")
                #expect(try t.orderCount() == 0)
            }
        }
        let t = try TemporaryLedger()
        let issue = try #require(
            t.importError(
                .shopify,
                try t.write(
                    renaming(
                        "Discount Code", to: "Discount Codes",
                        in: dialects[0].1), "codes.csv")))
        #expect(issue.description.hasPrefix(t.path("codes.csv") + ":1:10: a Shopify order export"), "\(issue)")
        #expect(
            issue.description.contains(
                "the header lacks 'Discount Code' (closest header: 'Discount Codes', column 10)"))
    }

    /// A file of another kind is named with the command that reads it, not paired column by column
    /// with unrelated headers; a currency added in brackets (`Total (USD)`) is the closest header.
    @Test func aFileOfAnotherKindIsNamedWithItsCommand() throws {
        let examples = examplesDirectory()
        let shopify = examples.appendingPathComponent("shopify/orders_export_2026-07-01_2026-08-31.csv").path
        let woo = examples.appendingPathComponent("woocommerce/orders_export_woo.csv").path
        let creators = examples.appendingPathComponent("creators.csv").path
        let t = try TemporaryLedger()
        for (dialect, path, hint) in [
            (OrderDialectKind.orders, creators, "this looks like a creators file: tally import creators \(creators)"),
            (.woocommerce, shopify, "this looks like a Shopify order export: tally import shopify \(shopify)"),
            (.shopify, woo, "this looks like a WooCommerce order export: tally import woocommerce \(woo)")
        ] {
            let issue = try #require(t.importError(dialect, path))
            #expect(issue.expected.contains(hint) && !issue.expected.contains("closest"), "\(dialect): \(issue)")
        }
        let usd = try t.write(renaming("Total", to: "Total (USD)", in: dialects[0].1), "usd.csv")
        let issue = try #require(t.importError(.shopify, usd))
        #expect(issue.expected.contains("the header lacks 'Total' (closest header: 'Total (USD)'"), "\(issue)")
        try t.registerAnna()
        let wrongCreators = try t.importFailing(
            .creators, "orders.csv", try String(contentsOfFile: shopify, encoding: .utf8))
        #expect(wrongCreators.description.contains("this looks like a Shopify order export: tally import shopify"))
        let wrongPosts = try t.importFailing(
            .posts, "adj.csv", "creator,date,amount,reason\nanna-bakes,2026-07-01,5.00,x\n")
        #expect(
            wrongPosts.description.contains("this looks like an adjustments file: tally import adjustments adj.csv"),
            "\(wrongPosts)")
    }

    /// Header spellings of genuine Shopify exports and of its documentation, in any case.
    @Test func theSpellingsOfGenuineExportsAreRecognized() throws {
        let header =
            "Name,Phone,Email,FINANCIAL STATUS,Paid at,currency,Subtotal,Shipping,Taxes,Total,Discount Code,"
            + "Discount Amount,Created at,Lineitem quantity,Lineitem name,Lineitem compare-at price,Lineitem SKU,"
            + "Canceled at,Payment Method,Payment Reference (deprecated),Payment References,Refunded Amount,Id"
        let row =
            "#1,+15550100,ann@example.com,refunded,,USD,90.00,5.00,7.20,102.20,ANNA10,10.00,"
            + "2026-09-01 10:00:00 -0400,1,Tee,25.00,TEE-1,2026-09-02 10:00:00 -0400,Shopify Payments,#1.1,#1.1,"
            + "102.20,11"
        let t = try TemporaryLedger()
        try t.importFile(.shopify, try t.write(header + "\n" + row + "\n", "variants.csv"))
        let seen = try #require(try t.seen("11"))
        #expect(seen.state.cancelledAt == Timestamp.parse("2026-09-02 10:00:00 -0400"))
        #expect(seen.state.refundedMinor == 10_220 && seen.codes == ["ANNA10"])
        // Both spellings at once: which one holds the cancellation cannot be known.
        let both = try #require(
            t.importError(
                .shopify,
                try t.write(
                    header.replacingOccurrences(of: "Id", with: "Cancelled at,Id") + "\n"
                        + row.replacingOccurrences(of: ",11", with: ",,11") + "\n", "both.csv")))
        #expect(both.expected.contains("'Canceled at' and 'Cancelled at' is in columns 18 and 23"), "\(both)")
    }

    /// Master data where a missing column would change money: codes and referral values that would
    /// never end, terms that would pay at the wrong rate or too early.
    @Test func masterDataWithoutAColumnThatChangesMoneyIsRefused() throws {
        let files: [(MasterDataKind, String)] = [
            (.codes, "code,creator,valid_from,valid_until\nANNA15,anna-bakes,2026-07-01,2026-10-01\n"),
            (.referrals, "value,creator,valid_from,valid_until\nref=anna,anna-bakes,2026-07-01,2026-10-01\n"),
            (
                .terms,
                "creator,effective_from,commission,per_order,holdback_days,min_payout\n"
                    + "anna-bakes,2026-07-01,10%,1.00,30,50.00\n"
            )
        ]
        for (kind, file) in files {
            for name in kind.requiredColumns {
                let t = try TemporaryLedger()
                try t.registerAnna()
                let before = try t.logText()
                let error = try t.importFailing(kind, "\(kind).csv", dropping(name, from: file))
                let text = error.description
                #expect(text.contains("missing column '\(name)'"), "\(text)")
                #expect(try t.logText() == before)
            }
        }
        let t = try TemporaryLedger()
        try t.registerAnna()
        let error = try t.importFailing(
            .terms, "terms.csv",
            "creator,effective_from,commission,per_order,holdback,min_payout\n"
                + "anna-bakes,2026-07-01,10%,1.00,30,50.00\n")
        #expect(
            error.issues.map(\.description) == [
                "terms.csv:1:5: missing column 'holdback_days' (closest header: 'holdback', column 5) in the header "
                    + "(a terms file has creator,effective_from,commission,per_order,holdback_days,min_payout, in any "
                    + "order; a column may hold empty cells, but it must be there)"
            ])
    }
}
