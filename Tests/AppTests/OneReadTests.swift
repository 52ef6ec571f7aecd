@testable import App
import Foundation
import LedgerCore
import LedgerStore
@testable import OrderImport
import TestSupport
import Testing

/// A re-export of known orders is read once when nothing in it needs a fact
/// (`OrderImporter.oneRead`). Each case imports a first export and then a second one into two
/// ledgers, one allowed the one-read way and one not: the logs, counts and warnings must be the
/// same, and the one-read way must be taken exactly when the case says so.
@Suite("one-read re-imports")
struct OneReadTests {
    /// A Shopify first row with a `Paid at` time (the helper leaves it empty).
    func order(
        _ n: Int, paid: String = "", status: String = "paid", total: String = "102.20", refunded: String = "0.00",
        codes: String = "", email: String? = nil, cancelled: String = ""
    ) -> String {
        let row = shopifyOrder(
            "#\(1000 + n)", id: "\(5_000 + n)", status: status, created: "2026-09-0\(n) 10:00:00 -0400",
            total: total, codes: codes, refunded: refunded, cancelled: cancelled,
            email: email ?? "buyer\(n)@example.com")
        guard !paid.isEmpty else { return row }
        return row.replacingOccurrences(of: ",\(status),,", with: ",\(status),\(paid),")
    }

    /// Newest first, as Shopify writes them, with a line-item row each.
    func export(_ rows: [String]) -> String {
        ([shopifyHeader] + rows.flatMap { row in [row, shopifyLine(String(row.prefix(while: { $0 != "," })))] }).joined(
            separator: "\n") + "\n"
    }

    let first = [3, 2, 1]
    /// The one-read check's largest window (`TestSettings.orderWindow`; nil: the importer's).
    var window: Int?

    struct Outcome {
        var log: [String]
        var summary: OrderImportSummary
    }

    /// Imports `files` (Shopify rows) in turn into a fresh ledger; the last one with or without the
    /// one-read way (`dryRun`: the last one as a dry run).
    func run(_ files: [[String]], source: String? = nil, dryRun: Bool = false, oneRead: Bool) throws -> Outcome {
        try run(.shopify, files.map(export), source: source, dryRun: dryRun, oneRead: oneRead)
    }

    /// The same for whole files of any dialect, each later one in other bytes than the one before.
    func run(_ dialect: OrderDialectKind, _ texts: [String], source: String? = nil, dryRun: Bool = false, oneRead: Bool)
        throws -> Outcome
    {
        let t = try TemporaryLedger()
        t.ledger.testSettings.orderWindow = window
        var last: OrderImportSummary?
        for (i, text) in texts.enumerated() {
            var request = OrderImportRequest(
                dialect: dialect, path: try t.write(text + String(repeating: "\n", count: i), "f\(i).csv"),
                source: source, dryRun: i == texts.count - 1 && dryRun)
            request.oneRead = oneRead
            last = try OrderImporter.run(request, ledger: t.ledger)
        }
        try t.expectVerified()
        return Outcome(log: try t.logText(), summary: last!)
    }

    func run(_ firstRows: [String], _ secondRows: [String], oneRead: Bool) throws -> Outcome {
        try run([firstRows, secondRows], oneRead: oneRead)
    }

    func compare(
        _ firstRows: [String], _ secondRows: [String], readOnce: Bool, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        try compareSequence([firstRows, secondRows], readOnce: readOnce, sourceLocation: sourceLocation)
    }

    /// Both ways after the last of `files`: the same log, counts, as-of, warnings, codes never seen
    /// and previous import; the one-read way taken exactly when `readOnce` says.
    func compareSequence(
        _ files: [[String]], source: String? = nil, dryRun: Bool = false, readOnce: Bool,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        try compareFiles(
            .shopify, files.map(export), source: source, dryRun: dryRun, readOnce: readOnce,
            sourceLocation: sourceLocation)
    }

    /// Both ways after the last of `texts`: the same log, counts, as-of, warnings, codes never seen
    /// and previous import; the one-read way taken exactly when `readOnce` says.
    func compareFiles(
        _ dialect: OrderDialectKind, _ texts: [String], source: String? = nil, dryRun: Bool = false, readOnce: Bool,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let fast = try run(dialect, texts, source: source, dryRun: dryRun, oneRead: true)
        let slow = try run(dialect, texts, source: source, dryRun: dryRun, oneRead: false)
        #expect(fast.summary.readOnce == readOnce, sourceLocation: sourceLocation)
        #expect(!slow.summary.readOnce, sourceLocation: sourceLocation)
        #expect(fast.log == slow.log, sourceLocation: sourceLocation)
        #expect(fast.summary.counts == slow.summary.counts, sourceLocation: sourceLocation)
        #expect(
            fast.summary.asOf == slow.summary.asOf && fast.summary.asOfFromFile == slow.summary.asOfFromFile,
            sourceLocation: sourceLocation)
        #expect(fast.summary.warnings == slow.summary.warnings, sourceLocation: sourceLocation)
        #expect(fast.summary.codesNeverSeen == slow.summary.codesNeverSeen, sourceLocation: sourceLocation)
        #expect(fast.summary.previous == slow.summary.previous, sourceLocation: sourceLocation)
    }

    @Test func theSameOrdersInOtherBytesAreReadOnceAndCountedUnchanged() throws {
        let rows = first.map { order($0, codes: $0 == 2 ? "NEWCODE" : "") }
        try compare(rows, rows, readOnce: true)
        let fast = try run(rows, rows, oneRead: true)
        #expect(
            fast.summary.counts.unchanged == 3 && fast.summary.counts.orders == 3 && fast.summary.counts.confirmed == 0)
        #expect(fast.log.last?.hasPrefix("import.recorded ") == true)
    }

    @Test func aLaterExportConfirmsEveryOrderWhenItsNewestOrderComesFirst() throws {
        let rows = first.map { order($0) }
        var later = rows
        later[0] = order(3, paid: "2026-09-20 10:00:00 -0400")  // the first row read carries the file's latest time
        try compare(rows, later, readOnce: true)
        let fast = try run(rows, later, oneRead: true)
        #expect(fast.summary.counts.confirmed == 3 && fast.summary.counts.unchanged == 3)
    }

    @Test func aLaterTimeFoundLastSendsTheImportTheUsualWay() throws {
        let rows = first.map { order($0) }
        var later = rows
        later[2] = order(1, paid: "2026-09-20 10:00:00 -0400")  // only the last order read moves the as-of
        try compare(rows, later, readOnce: false)
    }

    @Test func anOlderExportIsReadOnceAndItsOrdersAreStale() throws {
        var rows = first.map { order($0) }
        rows[0] = order(3, paid: "2026-09-20 10:00:00 -0400")
        let older = first.map { order($0) }
        try compare(rows, older, readOnce: true)
        let fast = try run(rows, older, oneRead: true)
        #expect(fast.summary.counts.stale == 3 && fast.summary.counts.unchanged == 0)
    }

    @Test func anythingThatNeedsAFactGoesTheUsualWay() throws {
        let rows = first.map { order($0) }
        var refunded = rows
        refunded[1] = order(2, status: "partially_refunded", refunded: "20.00")
        try compare(rows, refunded, readOnce: false)
        try compare(rows, [order(4)] + rows, readOnce: false)  // a new order
        // shown differently: a warning
        try compare(rows, rows.dropLast() + [order(1, total: "99.00")], readOnce: false)
        try compare(rows, Array(rows.dropFirst()), readOnce: true)  // fewer orders: nothing needs a fact
        try compare(rows, [rows[0], order(2, email: "someone.else@example.com"), rows[2]], readOnce: false)
        try compare(rows, [rows[0], order(2, email: ""), rows[2]], readOnce: false)
        try compare(rows, [rows[0], rows[1], order(1, codes: "ANNA10")], readOnce: false)
        try compare(rows, [rows[0], order(2, cancelled: "2026-09-03 12:00:00 -0400"), rows[2]], readOnce: false)
        // The same address in other case and spacing is the same address: nothing to do.
        try compare(rows, [rows[0], order(2, email: "  BUYER2@Example.com "), rows[2]], readOnce: true)
        let cancelled = rows.dropLast() + [order(1, codes: "Z9", cancelled: "2026-09-03 12:00:00 -0400")]
        try compare(Array(cancelled), Array(cancelled), readOnce: true)
    }

    @Test func theSameBytesAgainAreStillRecognized() throws {
        let t = try TemporaryLedger()
        let path = try t.write(export(first.map { order($0) }), "first.csv")
        try t.importFile(.shopify, path)
        let before = try t.logText()
        let again = try t.importFile(.shopify, path)
        #expect(again.previous != nil)
        #expect(try t.logText() == before)
    }

    /// Orders first seen by different exports (different stored as-ofs), dry runs, another source,
    /// test orders, blank e-mails, voided orders, a header-only file (cases from a review).
    @Test func mixedHistoriesCompareTheSameBothWays() throws {
        let f1 = [order(3), order(2), order(1)]
        let f2 = [order(5), order(4), order(3)]
        let all = [order(5), order(4), order(3), order(2), order(1)]
        try compareSequence([f1, f2, all], readOnce: true)
        try compareSequence([f1, f2, [order(5, paid: "2026-09-10 10:00:00 -0400")] + all.dropFirst()], readOnce: true)
        try compareSequence([f1, f2, f1], readOnce: true)
        try compareSequence([f1, f2, all], dryRun: true, readOnce: true)
        try compareSequence([f1, f2, all], source: "shop-eu", readOnce: true)
        let odd = [
            order(3, codes: "NOBODY").replacingOccurrences(of: "Shopify Payments", with: "(for testing) Bogus Gateway"),
            order(2, codes: "FRESH", email: ""),
            order(1, status: "voided", codes: "Z9", cancelled: "2026-09-02 12:00:00 -0400")
        ]
        try compareSequence([odd, odd], readOnce: true)
        try compareSequence([odd, [order(4, codes: "FRESH")] + odd], readOnce: false)
        try compareSequence([[order(1)], []], readOnce: true)
        try compareSequence([[order(1)], []], dryRun: true, readOnce: true)
    }

    /// A re-export out of key order is looked up a window at a time (`ProbeWindow`): with windows of
    /// 1, 2 and 3 orders (the check starts one by one while the ids are in key order), shuffled
    /// re-exports of mixed histories compare the same both ways (the same confirmed ids in the same
    /// order, the same counts), and a change of any compared field of any one order, wherever it
    /// stands, sends the import the usual way.
    @Test func windowsOutOfKeyOrderCompareTheSameBothWays() throws {
        var rng = SplitMix64(seed: 1802)
        let f1 = [order(3), order(2), order(1)]
        let f2 = [order(5), order(4), order(3)]
        let all = (1...7).reversed().map { order($0) }
        let later = [order(7, paid: "2026-09-10 10:00:00 -0400")] + all.dropFirst()
        for window in [1, 2, 3] {
            var suite = OneReadTests()
            suite.window = window
            for _ in 0..<3 {
                try suite.compareSequence([all, all.shuffled(using: &rng)], readOnce: true)
                // The later time first (found after orders it confirms, it sends the import the usual way).
                let confirming = [later[0]] + later.dropFirst().shuffled(using: &rng)
                try suite.compareSequence([f1, f2, all, confirming], readOnce: true)
                try suite.compareSequence([f1, f2, f1.shuffled(using: &rng)], readOnce: true)
            }
            let changes: [(Int) -> String] = [
                { order($0, total: "99.20") }, { order($0, refunded: "10.00") },
                { order($0, status: "partially_refunded", refunded: "10.00") },
                { order($0, codes: "OTHER") }, { order($0, email: "someone@example.com") },
                { order($0, status: "voided", cancelled: "2026-09-09 12:00:00 -0400") },
                { order($0, paid: "2026-09-08 10:00:00 -0400") }  // a later as-of found after the first
            ]
            for change in changes {
                let n = Int(rng.int(1...7))
                var rows = all.map { $0 == order(n) ? change(n) : $0 }.shuffled(using: &rng)
                if rows.first == change(n) { rows.swapAt(0, rows.count - 1) }  // behind another
                try suite.compareSequence([all, rows], readOnce: false)
            }
        }
    }

    /// A file whose ids come in key order, up or down, is read by one scan of the source's orders
    /// (`ImportOrderLookup.storedAsOfIfUnchanged(_:known:hasher:increasing:)`): the same answers as
    /// the usual way, whether the ledger holds orders the file leaves out between two of its orders
    /// (a few: stepped over; more than `skippedMax`: sought past), before its first or after its
    /// last, and an order it does not hold, or holds otherwise, found before, after or between them
    /// still sends the import the usual way.
    @Test func filesInKeyOrderAreReadByOneScanBothWays() throws {
        func row(_ n: Int, total: String = "102.20") -> String {
            shopifyOrder(
                "#\(1000 + n)", id: "\(5_000 + n)", created: "2026-09-01 10:\(n < 10 ? "0" : "")\(n):00 -0400",
                total: total, email: "buyer\(n)@example.com")
        }
        let skippedMax = ImportOrderLookup.skippedMax
        let held = Array(1...50).filter { $0 != 30 }  // the ledger's orders: 30 missing
        let ledger = held.reversed().map { row($0) }
        let subsets: [[Int]] = [
            held, [50, 49, 48], [2, 1], [49, 45, 44, 40 - skippedMax, 3],
            [50, 50 - skippedMax - 1, 50 - skippedMax - 3],
            [48, 47, 29], [31, 29], [50, 1]
        ]
        for subset in subsets {
            for increasing in [false, true] {
                let ids = increasing ? subset.sorted() : subset.sorted(by: >)
                try compareSequence([ledger, ids.map { row($0) }], readOnce: true)
                // An order the ledger does not hold (30, or 51 past the last), or holds with another total.
                for stranger in [30, 51] {
                    let with = (ids + [stranger]).sorted(by: increasing ? (<) : (>))
                    try compareSequence([ledger, with.map { row($0) }], readOnce: false)
                }
                let changed = ids[ids.count / 2]
                try compareSequence(
                    [ledger, ids.map { row($0, total: $0 == changed ? "99.20" : "102.20") }], readOnce: false)
            }
        }
    }

    /// The one-read check reads in a read transaction: while another command holds the write lock,
    /// a file imported before is still recognized at once (nothing to wait for), as the two-pass way does.
    @Test func theSameFileAgainIsRecognizedWhileAnotherCommandWrites() throws {
        let t = try TemporaryLedger()
        let path = try t.write(export(first.map { order($0) }), "first.csv")
        try t.importFile(.shopify, path)
        let other = try Connection(path: t.path("ledger.sqlite"))
        try other.execute("BEGIN IMMEDIATE")
        defer { try? other.execute("ROLLBACK") }
        for oneRead in [true, false] {
            var request = OrderImportRequest(dialect: .shopify, path: path)
            request.oneRead = oneRead
            #expect(try OrderImporter.run(request, ledger: t.ledger).previous != nil, "oneRead \(oneRead)")
        }
    }

    /// A fact appended between the read and the write (another import, here) sends the import the
    /// usual way, which sees it.
    @Test func aLedgerChangedBetweenTheReadAndTheWriteGoesTheUsualWay() throws {
        let t = try TemporaryLedger()
        // 1,500 orders, newest first: the progress callback (every 1,024 orders) runs during the read.
        let rows = (1...1_500).reversed().map { n in
            shopifyOrder(
                "#\(10_000 + n)", id: "\(50_000 + n)", created: "2026-09-01 10:00:00 -0400",
                email: "buyer\(n)@example.com")
        }
        try t.importFile(.shopify, try t.write(export(rows), "first.csv"))
        let otherFile = try t.write(
            canonical("Z1,2026-09-01T10:00:00-04:00,USD,10.00,0.00,0.00,0.00,10.00,,,,paid,,,false"), "other.csv")
        var otherImported = false
        var request = OrderImportRequest(dialect: .shopify, path: try t.write(export(rows) + "\n", "second.csv"))
        request.oneRead = true
        let summary = try OrderImporter.run(request, ledger: t.ledger) { phase, _, _ in
            guard !otherImported, phase == .scanning, let other = try? Ledger.open(path: t.path("ledger.sqlite")) else {
                return
            }
            other.keySource = .given(t.key)
            otherImported =
                (try? OrderImporter.run(OrderImportRequest(dialect: .orders, path: otherFile), ledger: other)) != nil
        }
        #expect(otherImported)
        #expect(!summary.readOnce && summary.counts.unchanged == 1_500 && summary.previous == nil)
        #expect(try t.logText().filter { $0.hasPrefix("import.recorded ") }.count == 3)
        try t.expectVerified()
    }

    /// WooCommerce and canonical files take the one-read way too; dated refunds the ledger already
    /// holds need no fact, a new one does.
    @Test func wooCommerceAndCanonicalReExportsAreReadOnce() throws {
        let refunds =
            "amount:12.50|reason:Damaged|date:2026-09-15 09:00:00;amount:5.00|reason:|date:2026-09-14 08:00:00"
        let a = wooRow("7", refunds: refunds), b = wooRow("8", date: "2026-09-11 12:00:00"),
            c = wooRow("6", date: "2026-09-09 12:00:00")
        try compareFiles(.woocommerce, [woo(c, a, b), woo(c, a, b)], readOnce: true)
        try compareFiles(.woocommerce, [woo(c, a, b), woo(b, a)], readOnce: true)
        // ids in no order, none repeated
        try compareFiles(.woocommerce, [woo(c, a, b), woo(a, b, c)], readOnce: true)
        let more = wooRow("8", date: "2026-09-11 12:00:00", refunds: "amount:3.00|reason:|date:2026-09-16 10:00:00")
        try compareFiles(.woocommerce, [woo(c, a, b), woo(c, a, more)], readOnce: false)
        try compareFiles(.woocommerce, [woo(a, b), woo(c, a, b)], readOnce: false)
        let x =
            "A1,2026-09-01T10:00:00-04:00,USD,90.00,10.00,5.00,7.20,102.20,\"ANNA10, welcome\","
            + "ref=anna,Ann@Example.com,paid,0.00,,false"
        let y = "A2,2026-09-02T11:30:00-04:00,USD,40.00,0.00,0.00,0.00,40.00,,,,pending,,,false"
        let yPaid = "A2,2026-09-02T11:30:00-04:00,USD,40.00,0.00,0.00,0.00,40.00,,,,paid,,,false"
        try compareFiles(.orders, [canonical(x, y), canonical(x, y)], readOnce: true)
        try compareFiles(.orders, [canonical(x, y), canonical(x, yPaid)], readOnce: false)
        try compareFiles(.orders, [canonical(x, y), canonical(y, x)], readOnce: true)
    }

    @Test func aRepeatedOrderIsRefusedAsBefore() throws {
        let t = try TemporaryLedger()
        let rows = first.map { order($0) }
        try t.importFile(.shopify, try t.write(export(rows), "first.csv"))
        let before = try t.logText()
        let issue = try #require(t.importError(.shopify, try t.write(export(rows + [rows[0]]), "repeat.csv")))
        #expect(issue.expected.contains("already appeared"), "\(issue)")
        #expect(try t.logText() == before)
    }
}
