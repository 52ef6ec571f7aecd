import Foundation
import TestSupport
import Testing

private let header =
    "order_id,created_at,currency,subtotal,discount,shipping,taxes,total,codes,"
    + "referral,email,financial_status,refunded,cancelled_at,test"
private let goodRow = "A1,2026-09-01T10:00:00-04:00,USD,12.50,0.00,0.00,0.00,12.50,ANNA15,,a@example.com,paid,,,false"
private let shopifyHeader =
    "Name,Email,Financial Status,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,"
    + "Discount Amount,Created at,Cancelled at,Payment Method,Refunded Amount,Id"

/// A malformed file, the dialect to import it with, and where the error must point.
struct Malformed: CustomStringConvertible, Sendable {
    let name: String
    let dialect: String
    let content: String
    let location: String  // file:line:column
    let says: String
    var description: String { name }
}

private let malformed: [Malformed] = [
    Malformed(
        name: "unterminated-quote", dialect: "orders",
        content: "\(header)\n\(goodRow)\nA2,2026-09-01T10:00:00-04:00,USD,1.00,0,0,0,1.00,\"ANNA15,,,paid,,,false\n",
        location: "unterminated-quote.csv:3:9", says: "unterminated quoted field"),
    Malformed(
        name: "ragged-row", dialect: "orders",
        content: "\(header)\n\(goodRow)\nA2,2026-09-01T10:00:00-04:00,USD,1.00,0,0,0,1.00,,,,paid,,false\n",
        location: "ragged-row.csv:3:15", says: "expected 15 fields"),
    Malformed(
        name: "decimal-comma", dialect: "orders",
        content: "\(header)\nA2,2026-09-01T10:00:00-04:00,USD,\"12,50\",0,0,0,12.50,,,,paid,,,false\n",
        location: "decimal-comma.csv:2:4", says: "found '12,50'"),
    Malformed(
        name: "unknown-status", dialect: "orders",
        content: "\(header)\n\(goodRow)\nA2,2026-09-01T10:00:00-04:00,USD,1.00,0,0,0,1.00,,,,shipped,,,false\n",
        location: "unknown-status.csv:3:12", says: "found 'shipped'"),
    Malformed(
        name: "unknown-currency", dialect: "orders",
        content: "\(header)\nA2,2026-09-01T10:00:00-04:00,DOLLAR,1.00,0,0,0,1.00,,,,paid,,,false\n",
        location: "unknown-currency.csv:2:3", says: "found 'DOLLAR'"),
    Malformed(
        name: "no-offset", dialect: "orders",
        content: "\(header)\nA2,2026-09-01 10:00:00,USD,1.00,0,0,0,1.00,,,,paid,,,false\n",
        location: "no-offset.csv:2:2", says: "with its UTC offset"),
    Malformed(
        name: "shopify-no-offset", dialect: "shopify",
        content: "\(shopifyHeader)\n#1,,paid,USD,1.00,0,0,1.00,,0.00,2026-09-01 10:00:00,,,,71\n",
        location: "shopify-no-offset.csv:2:11", says: "with its UTC offset"),
    Malformed(
        name: "shopify-no-id-no-name", dialect: "shopify",
        content: "Email,Financial Status,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,"
            + "Created at\n,paid,USD,1.00,0,0,1.00,,0.00,2026-09-01 10:00:00 -0400\n",
        location: "shopify-no-id-no-name.csv:1:1", says: "neither an 'Id' nor a 'Name' column"),
    Malformed(
        name: "not-csv", dialect: "shopify", content: "PK\u{3}\u{4}\u{0}\u{0}binary\u{0}zip",
        location: "not-csv.csv:1:1", says: "not a CSV text file"),
    Malformed(
        name: "json", dialect: "orders", content: "{\"orders\": [{\"id\": 1}]}\n",
        location: "json.csv:1:1", says: "the header lacks 'order_id'"),
    Malformed(
        name: "excel-resaved", dialect: "shopify", content: "Name;Email;Financial Status;Currency\n#1;a@b.c;paid;USD\n",
        location: "excel-resaved.csv:1:1", says: "re-saved by a spreadsheet")
]

@Suite("tally import shopify|woocommerce|orders")
struct ImportOrdersCLITests {
    private func ledgerWithOneOrder() throws -> URL {
        let dir = try makeTemporaryDirectory()
        #expect(try runTally(["init", "--currency", "USD", "--timezone", "America/New_York"], in: dir).status == 0)
        try write(
            "\(header)\nZ9,2026-08-01T10:00:00-04:00,USD,5.00,0,0,0,5.00,,,,paid,,,false\n", to: "first.csv", in: dir)
        #expect(try runTally(["import", "orders", "first.csv"], in: dir).status == 0)
        return dir
    }

    @Test(arguments: malformed)
    func malformedInputFailsWithItsPlaceAndLeavesTheLogAlone(_ bad: Malformed) throws {
        let dir = try ledgerWithOneOrder(); defer { try? FileManager.default.removeItem(at: dir) }
        let before = try runTally(["log", "--format", "json"], in: dir).stdout
        try write(bad.content, to: bad.name + ".csv", in: dir)
        let result = try runTally(["import", bad.dialect, bad.name + ".csv"], in: dir)
        #expect(result.status == 1)
        #expect(result.stderr.contains("tally: error: " + bad.location + ": "), "\(result.stderr)")
        #expect(result.stderr.contains(bad.says), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(try runTally(["log", "--format", "json"], in: dir).stdout == before)
        #expect(try runTally(["verify"], in: dir).status == 0)
    }

    @Test func aShopifyExportWithoutIdFallsBackToName() throws {
        let dir = try ledgerWithOneOrder(); defer { try? FileManager.default.removeItem(at: dir) }
        let noId =
            "Name,Email,Financial Status,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,"
            + "Created at,Cancelled at,Payment Method,Refunded Amount\n"
            + "#1001,,paid,USD,1.00,0,0,1.00,,0.00,2026-09-01 10:00:00 -0400,,,\n"
        try write(noId, to: "old.csv", in: dir)
        let result = try runTally(["import", "shopify", "old.csv"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let log = try runTally(["log", "--format", "json"], in: dir).stdout
        #expect(log.contains("\"source\":\"shopify\",\"order_id\":\"#1001\",\"name\":\"#1001\""))
    }

    /// The next export of the same shop under another --source would count the shared orders twice
    /// (rules key orders by source): the import says so, with the source that holds them.
    @Test func theSameShopUnderASecondSourceIsNamed() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let examples = packageRoot().appendingPathComponent("examples").path
        #expect(try runTally(["init", "--currency", "USD", "--timezone", "America/New_York"], in: dir).status == 0)
        let first = examples + "/shopify/orders_export_2026-07-01_2026-08-31.csv"
        let later = examples + "/shopify/orders_export_2026-08-15_2026-10-31.csv"
        #expect(try runTally(["import", "shopify", first], in: dir).status == 0)
        let dry = try runTally(["import", "shopify", later, "--source", "shopify-us", "--dry-run"], in: dir)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(
            dry.stderr.contains(
                "42 orders of this file (the first: #1167) are already in the ledger as source 'shopify' "
                    + "with the same id, name and time: the same shop under two sources would count them twice"),
            "\(dry.stderr)")
        #expect(dry.stderr.contains("import it with --source shopify instead"), "\(dry.stderr)")
        let real = try runTally(["import", "shopify", later, "--source", "shopify-us"], in: dir)
        #expect(real.status == 0 && real.stderr.contains("the same shop under two sources counted them twice"))
        #expect(real.stderr.contains("'tally import undo ID --reason TEXT' takes this import back"))
        // The right source: no such warning.
        let dir2 = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir2) }
        #expect(try runTally(["init", "--currency", "USD", "--timezone", "America/New_York"], in: dir2).status == 0)
        #expect(try runTally(["import", "shopify", first], in: dir2).status == 0)
        let same = try runTally(["import", "shopify", later], in: dir2)
        #expect(same.status == 0 && !same.stderr.contains("two sources"), "\(same.stderr)")
    }

    /// The canonical file of another system under a second source: its orders match on id, time,
    /// currency and total (ids come from any system), and the warning names them.
    @Test func theSameCanonicalOrdersUnderASecondSourceAreNamed() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let file = packageRoot().appendingPathComponent("examples/orders/popup-and-tiktok.csv")
        #expect(try runTally(["init", "--currency", "USD", "--timezone", "America/New_York"], in: dir).status == 0)
        #expect(try runTally(["import", "orders", file.path], in: dir).status == 0)
        let lines = try String(contentsOf: file, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        let part = dir.appendingPathComponent("part.csv")
        try (lines.prefix(12).joined(separator: "\n") + "\n").write(to: part, atomically: true, encoding: .utf8)
        let again = try runTally(["import", "orders", part.path, "--source", "tiktok"], in: dir)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(
            again.stderr.contains("11 orders of this file (the first: ")
                && again.stderr.contains(
                    "are already in the ledger as source 'orders' with the same id, time, currency and total"),
            "\(again.stderr)")
        // Another total under the same id and time is another system's order: no warning.
        let other = dir.appendingPathComponent("other.csv")
        let changed = lines.prefix(2).map { line in
            line.hasPrefix("order_id")
                ? String(line) : String(line).replacingOccurrences(of: ",35.20,", with: ",36.20,")
        }
        try (changed.joined(separator: "\n") + "\n").write(to: other, atomically: true, encoding: .utf8)
        let third = try runTally(["import", "orders", other.path, "--source", "popup"], in: dir)
        #expect(third.status == 0 && !third.stderr.contains("two sources"), "\(third.stderr)")
    }

    @Test func theExamplesImportEndToEnd() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let examples = packageRoot().appendingPathComponent("examples").path
        #expect(try runTally(["init", "--currency", "USD", "--timezone", "America/New_York"], in: dir).status == 0)
        let first = try runTally(
            ["import", "shopify", examples + "/shopify/orders_export_2026-07-01_2026-08-31.csv"], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("orders:   167 in the file: 167 new, 0 changed, 0 unchanged, 0 stale"))
        #expect(first.stdout.contains("test:     2 test orders"))
        // No progress bar on a pipe, and nothing else on standard error.
        #expect(first.stderr.isEmpty)
        let second = try runTally(
            ["import", "shopify", examples + "/shopify/orders_export_2026-08-15_2026-10-31.csv"], in: dir)
        #expect(
            second.stdout.contains("orders:   189 in the file: 147 new, 9 changed, 33 unchanged, 0 stale"),
            "\(second.stdout)")
        #expect(second.stdout.contains("as of 2026-11-02T08:53:48-05:00 (the latest time in the file)"))
        let again = try runTally(
            ["import", "shopify", examples + "/shopify/orders_export_2026-08-15_2026-10-31.csv"], in: dir)
        #expect(again.status == 0)
        #expect(again.stdout.contains("was already imported") && again.stdout.contains("Nothing was written."))
        let woo = try runTally(["import", "woocommerce", examples + "/woocommerce/orders_export_woo.csv"], in: dir)
        #expect(
            woo.stdout.contains("41 new") && woo.stdout.contains("refunds:  5 new or larger refunds"),
            "\(woo.stdout)")
        let canonical = try runTally(["import", "orders", examples + "/orders/popup-and-tiktok.csv"], in: dir)
        #expect(canonical.stdout.contains("30 new"), "\(canonical.stdout)")
        let verify = try runTally(["verify"], in: dir)
        #expect(verify.status == 0 && verify.stdout.hasPrefix("OK: 404 facts"), "\(verify.stdout)")
    }

    /// `tally imports` lists the order imports; `tally import undo` takes back the latest of a source
    /// (refusing any other, naming the one to undo first), and the right file imports afterwards.
    @Test func importsAreListedAndTheLatestOfASourceIsUndone() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let examples = packageRoot().appendingPathComponent("examples").path
        let export1 = examples + "/shopify/orders_export_2026-07-01_2026-08-31.csv"
        let export2 = examples + "/shopify/orders_export_2026-08-15_2026-10-31.csv"
        #expect(try runTally(["init", "--currency", "USD", "--timezone", "America/New_York"], in: dir).status == 0)
        #expect(try runTally(["import", "shopify", export1], in: dir).status == 0)
        #expect(try runTally(["import", "shopify", export2], in: dir).status == 0)
        let listed = try runTally(["imports", "--format", "csv"], in: dir)
        let rows = listed.stdout.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        #expect(
            rows.first == [
                "id", "file", "sha256", "source", "as_of", "recorded", "orders", "new", "changed",
                "unchanged", "stale", "undone"
            ])
        #expect(rows.count == 3 && rows[2][1] == "orders_export_2026-08-15_2026-10-31.csv" && rows[2][2].count == 12)
        #expect(
            rows.dropFirst().map { Array($0[6...]) } == [
                ["167", "167", "0", "0", "0", "no"],
                ["189", "147", "9", "33", "0", "no"]
            ])
        let (first, latest) = (rows[1][0], rows[2][0])
        let log = try runTally(["log", "--format", "json"], in: dir).stdout
        let refused = try runTally(["import", "undo", first, "--reason", "wrong file"], in: dir)
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains(
                "is not the latest import of source shopify: import \(latest) "
                    + "(orders_export_2026-08-15_2026-10-31.csv) came after it; "
                    + "undo \(latest) first"))
        #expect(try runTally(["import", "undo", latest], in: dir).status == 2)  // --reason is required
        let dry = try runTally(["import", "undo", latest, "--reason", "wrong file", "--dry-run"], in: dir)
        #expect(dry.status == 0 && dry.stdout.hasPrefix("Dry run, nothing was written."), "\(dry.stderr)")
        #expect(dry.stdout.contains("orders forgotten:  147"))
        #expect(dry.stdout.contains("changes reversed:  9 on 9 orders"))
        #expect(try runTally(["log", "--format", "json"], in: dir).stdout == log)
        let undo = try runTally(["import", "undo", latest, "--reason", "wrong file"], in: dir)
        #expect(undo.status == 0 && undo.stdout.hasPrefix("Undid import \(latest)"), "\(undo.stderr)")
        #expect(try runTally(["imports", "--format", "csv"], in: dir).stdout.hasSuffix(",no\n") == false)
        let again = try runTally(["import", "shopify", export2], in: dir)
        #expect(
            again.stdout.contains("orders:   189 in the file: 147 new, 9 changed, 33 unchanged, 0 stale"),
            "\(again.stdout)")
        #expect(try runTally(["verify"], in: dir).status == 0)
    }

    /// An export downloaded again later has an old inferred as-of: its news is recorded all the same.
    @Test func theSummarySaysHowManyStaleOrdersCarriedNews() throws {
        let dir = try ledgerWithOneOrder(); defer { try? FileManager.default.removeItem(at: dir) }
        let later = "A9,2026-10-05T10:00:00-04:00,USD,5.00,0.00,0.00,0.00,5.00,,,,paid,,,false"
        try write("\(header)\n\(goodRow)\n\(later)\n", to: "october.csv", in: dir)
        #expect(try runTally(["import", "orders", "october.csv", "--as-of", "2026-10-06"], in: dir).status == 0)
        let refunded = goodRow.replacingOccurrences(of: "paid,,", with: "refunded,12.50,")
        try write("\(header)\n\(refunded)\n", to: "again.csv", in: dir)
        let again = try runTally(["import", "orders", "again.csv"], in: dir)
        #expect(again.stdout.contains("1 in the file: 0 new, 0 changed, 0 unchanged, 1 stale"), "\(again.stdout)")
        #expect(again.stdout.contains("stale with news: 1"), "\(again.stdout)")
        #expect(
            again.stdout.contains(
                "(an export older than one the ledger holds: what it shows of these orders counts at the newer "
                    + "export's time")
                && again.stdout.contains("a backlog is imported oldest first: docs/importing.md)"), "\(again.stdout)")
        #expect(again.stdout.contains("refunds:  1 new or larger refund\n"))
    }

    @Test func dryRunAndSkipInvalid() throws {
        let dir = try ledgerWithOneOrder(); defer { try? FileManager.default.removeItem(at: dir) }
        let file = "\(header)\n\(goodRow)\nB1,2026-09-01T10:00:00-04:00,USD,\"1,00\",0,0,0,1.00,,,,paid,,,false\n"
        try write(file, to: "mixed.csv", in: dir)
        let before = try runTally(["log", "--format", "json"], in: dir).stdout
        let dry = try runTally(["import", "orders", "mixed.csv", "--dry-run", "--skip-invalid", "rejects.csv"], in: dir)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.hasPrefix("Dry run, nothing was written."))
        #expect(dry.stdout.contains("1 new") && dry.stdout.contains("rejected: 1 order"))
        #expect(try runTally(["log", "--format", "json"], in: dir).stdout == before)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("rejects.csv").path))
        let real = try runTally(["import", "orders", "mixed.csv", "--skip-invalid", "rejects.csv"], in: dir)
        #expect(real.status == 0)
        #expect(real.stdout.contains("rejected: 1 order, written to rejects.csv"))
        let rejects = try String(contentsOf: dir.appendingPathComponent("rejects.csv"), encoding: .utf8)
        #expect(rejects.hasPrefix(header + ",reject_reason\nB1,"))
        #expect(rejects.contains("mixed.csv:3:4: found '1,00'"))
    }

    /// An older export stated at a later --as-of records smaller refunds and lifts cancellations (rules
    /// §3: a newer snapshot's changes, as shown): the figures follow the rules, and a warning names the
    /// orders and the way back, on --dry-run too.
    @Test func anImportThatShrinksARefundOrLiftsACancellationWarns() throws {
        let dir = try ledgerWithOneOrder(); defer { try? FileManager.default.removeItem(at: dir) }
        let open = "C1,2026-09-02T10:00:00-04:00,USD,8.00,0.00,0.00,0.00,8.00,,,,paid,,,false"
        let old = "\(header)\n\(goodRow)\n\(open)\n"
        let refunded = goodRow.replacingOccurrences(of: "paid,,", with: "partially_refunded,5.00,")
        let cancelled = open.replacingOccurrences(of: "paid,,", with: "paid,,2026-09-03T10:00:00-04:00")
        try write(old, to: "old.csv", in: dir)
        try write("\(header)\n\(refunded)\n\(cancelled)\n", to: "new.csv", in: dir)
        #expect(try runTally(["import", "orders", "old.csv", "--as-of", "2026-10-01"], in: dir).status == 0)
        let newer = try runTally(["import", "orders", "new.csv", "--as-of", "2026-10-06"], in: dir)
        #expect(newer.status == 0 && !newer.stderr.contains("smaller refund"), "\(newer.stderr)")
        let dry = try runTally(["import", "orders", "old.csv", "--as-of", "2026-10-20", "--dry-run"], in: dir)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(
            dry.stderr.contains(
                "this file would record a smaller refund or a cancellation lifted on 2 orders "
                    + "(A1 refunded 5.00 -> 0.00 USD; C1 cancelled -> not cancelled)"), "\(dry.stderr)")
        #expect(!dry.stderr.contains("import undo"))
        let real = try runTally(["import", "orders", "old.csv", "--as-of", "2026-10-20"], in: dir)
        #expect(real.status == 0, "\(real.stderr)")
        #expect(real.stderr.contains("this file recorded a smaller refund or a cancellation lifted on 2 orders"))
        #expect(real.stderr.contains("'tally import undo ID --reason TEXT' undoes it"), "\(real.stderr)")
    }

    /// --skip-invalid with every order rejected: exit status 1, nothing recorded (the file is not
    /// "already imported" afterwards), the rejected rows still in the rejects file.
    @Test func skipInvalidWithEveryOrderRejectedIsAnError() throws {
        let dir = try ledgerWithOneOrder(); defer { try? FileManager.default.removeItem(at: dir) }
        let bad = { (id: String) in "\(id),2026-09-01T10:00:00-04:00,USD,\"1,00\",0,0,0,1.00,,,,paid,,,false" }
        try write("\(header)\n\(bad("B1"))\n\(bad("B2"))\n", to: "euro.csv", in: dir)
        let before = try runTally(["log", "--format", "json"], in: dir).stdout
        let dry = try runTally(["import", "orders", "euro.csv", "--dry-run", "--skip-invalid", "rej.csv"], in: dir)
        #expect(dry.status == 1, "\(dry.stdout)")
        #expect(
            dry.stderr.contains(
                "euro.csv: all 2 orders of the file were rejected (the first: euro.csv:2:4: found "
                    + "'1,00'"), "\(dry.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("rej.csv").path))
        for _ in 0..<2 {
            let real = try runTally(["import", "orders", "euro.csv", "--skip-invalid", "rej.csv"], in: dir)
            #expect(real.status == 1, "\(real.stdout)")
            #expect(
                real.stderr.contains("nothing was imported or recorded; the rejected rows are in rej.csv"),
                "\(real.stderr)")
            #expect(!real.stdout.contains("Skipped"))
        }
        let rejects = try String(contentsOf: dir.appendingPathComponent("rej.csv"), encoding: .utf8)
        #expect(rejects.hasPrefix(header + ",reject_reason\nB1,"))
        #expect(rejects.contains("\nB2,"))
        #expect(try runTally(["log", "--format", "json"], in: dir).stdout == before)
    }

    @Test func quietPrintsNothingAndOptionsAreValidated() throws {
        let dir = try ledgerWithOneOrder(); defer { try? FileManager.default.removeItem(at: dir) }
        try write("\(header)\n\(goodRow)\n", to: "one.csv", in: dir)
        let quiet = try runTally(["import", "orders", "one.csv", "--quiet", "--source", "popup-shop"], in: dir)
        #expect(quiet.status == 0 && quiet.stdout.isEmpty && quiet.stderr.isEmpty)
        #expect(
            try runTally(["log", "--format", "json"], in: dir).stdout.contains(
                "\"source\":\"popup-shop\",\"order_id\":\"A1\""))
        #expect(try runTally(["import", "orders", "one.csv", "--as-of", "yesterday"], in: dir).status == 2)
        #expect(try runTally(["import", "orders", "one.csv", "--source", "Shop EU"], in: dir).status == 2)
        #expect(
            try runTally(["import", "woocommerce", "one.csv", "--site-timezone", "Mars/Olympus"], in: dir).status == 2)
        let missing = try runTally(["import", "orders", "nope.csv"], in: dir)
        #expect(missing.status == 1 && missing.stderr.contains("nope.csv"))
    }

    @Test func helpDescribesEveryOption() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        for (kind, extra) in [("shopify", "Bogus Gateway"), ("woocommerce", "--site-timezone"), ("orders", "referral")]
        {
            let help = try runTally(["import", kind, "--help"], in: dir)
            #expect(help.status == 0)
            for option in ["--as-of", "--dry-run", "--skip-invalid", "--source", "--quiet", extra] {
                #expect(help.stdout.contains(option), "\(kind) --help lacks \(option)")
            }
        }
    }
}
