@testable import App
import Foundation
import LedgerCore
@testable import LedgerStore
@testable import OrderImport
import TestSupport
import Testing

/// An import decides the same whatever the order of the orders in the file: the duplicate check
/// (`OrderIdCensus`) finds repeats in any order, and shuffled files give the same ledger as sorted ones.
@Suite("row order")
struct RowOrderTests {
    func census(_ ids: [String], chunk: Int) -> RepeatedIds {
        let census = OrderIdCensus(chunkHashes: chunk)
        for id in ids { Array(id.utf8).withUnsafeBufferPointer { census.add($0) } }
        return census.finish()
    }

    @Test func monotoneIdsNeedNoCheckAndOthersOnlyTheirRepeats() {
        for chunk in [2, 3, 1 << 18] {  // spilled to the temporary file in chunks of 2 and 3, or not at all
            #expect(census([], chunk: chunk) == .none)
            #expect(census(["103", "102", "101", "100", "99"], chunk: chunk) == .none)
            let shuffled = census(["102", "104", "101", "105", "103"], chunk: chunk)
            #expect(shuffled.suspects == [], "chunk \(chunk)")
            #expect(!shuffled.mayRepeat("102") && !shuffled.mayRepeat("105"))
            let repeated = census(["102", "104", "101", "105", "104", "103", "101"], chunk: chunk)
            #expect(repeated.suspects == [OrderIdCensus.hash("104"), OrderIdCensus.hash("101")], "chunk \(chunk)")
            #expect(repeated.mayRepeat("104") && repeated.mayRepeat("101") && !repeated.mayRepeat("103"))
        }
        #expect(RepeatedIds.unknown.mayRepeat("1"))
    }

    /// Counted as the writing pass reads ids: other Unicode spaces trimmed (so "#5" and "#5" after a
    /// no-break space are one id), bytes that are not UTF-8 left out (no order has them).
    @Test func idsAreCountedAsTheWritingPassReadsThem() {
        let census = OrderIdCensus(chunkHashes: 2)
        for id in [Array("#5".utf8), Array("#7".utf8), Array("#5\u{A0}".utf8), [0x23, 0xFF], [0x23, 0xFF]] {
            id.withUnsafeBufferPointer { census.add($0) }
        }
        let repeats = census.finish()
        #expect(repeats.suspects == [OrderIdCensus.hash("#5")])
        #expect(!repeats.mayRepeat("#7"))
    }

    /// Random ids with repeats, in chunks: a repeated id is always a suspect; an id shown once is a
    /// suspect only when another id of the file has its hash (never, with 64 bits and so few).
    @Test func everyRepeatIsFoundInAnyChunking() {
        var rng = SplitMix64(seed: 18)
        for round in 0..<20 {
            let ids = (0..<Int(rng.int(1...300))).map { _ in String(rng.int(1...400)) }
            let counts = Dictionary(ids.map { ($0, 1) }, uniquingKeysWith: +)
            let repeats = census(ids, chunk: Int(rng.int(2...64)))
            for (id, n) in counts {
                #expect(repeats.mayRepeat(id) == (n > 1), "round \(round): \(id) x\(n)")
            }
        }
    }

    // MARK: Whole imports, sorted and shuffled

    /// The records of a Shopify export grouped per order (a record may span lines: quoted newlines).
    func orderUnits(_ text: String) -> (header: String, units: [[String]]) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let header = lines.removeFirst()
        var records: [String] = []
        var open = false
        for line in lines {
            if open { records[records.count - 1] += "\n" + line } else { records.append(line) }
            if line.filter({ $0 == "\"" }).count % 2 == 1 { open.toggle() }
        }
        var units: [[String]] = []
        var name: Substring?
        for record in records {
            let first = record.prefix(while: { $0 != "," })
            if first == name { units[units.count - 1].append(record) } else { units.append([record]) }
            name = first
        }
        return (header, units)
    }

    func shuffledFile(_ text: String, seed: UInt64) -> String {
        let (header, units) = orderUnits(text)
        var rng = SplitMix64(seed: seed)
        return ([header] + units.shuffled(using: &rng).flatMap { $0 }).joined(separator: "\n") + "\n"
    }

    /// The examples' master data, then both Shopify exports (the second repeats the first's last
    /// two weeks: known orders, some changed), each as given or with its orders shuffled.
    /// `window`: the orders projected (and looked up) a window at a time (`TestSettings.orderWindow`).
    func examplesLedger(shuffled: Bool, window: Int? = nil) throws -> (
        t: TemporaryLedger, summaries: [OrderImportSummary]
    ) {
        let t = try TemporaryLedger()
        t.ledger.testSettings.orderWindow = window
        let session = LedgerSession(t.ledger)
        let examples = examplesDirectory()
        for kind in MasterDataKind.allCases {
            let path = examples.appendingPathComponent("\(kind.rawValue).csv").path
            _ = try session.importMasterData(kind, path: path, file: "\(kind.rawValue).csv", dryRun: false)
        }
        var summaries: [OrderImportSummary] = []
        let files = ["orders_export_2026-07-01_2026-08-31.csv", "orders_export_2026-08-15_2026-10-31.csv"]
        for (i, file) in files.enumerated() {
            let text = try String(contentsOf: examples.appendingPathComponent("shopify/" + file), encoding: .utf8)
            let path = try t.write(shuffled ? shuffledFile(text, seed: UInt64(7 + i)) : text, file)
            summaries.append(try session.importOrders(OrderImportRequest(dialect: .shopify, path: path)))
        }
        try t.expectVerified()
        return (t, summaries)
    }

    /// Every row of the order projections, without what depends on the facts' positions in the log.
    func projection(_ t: TemporaryLedger) throws -> [String] {
        let columns =
            ImportOrderLookup.columns + [
                "source", "order_id", "name", "created_offset", "seen_status",
                "seen_refunded_minor", "seen_cancelled_at", "seen_cancelled_offset"
            ]
        let list = columns.map { "quote(\($0))" }.joined(separator: " || ' ' || ")
        var rows: [String] = []
        let orders = try t.ledger.connection.prepared("SELECT \(list) FROM orders ORDER BY source, order_id")
        while try orders.step() { rows.append(orders.text(0)) }
        return rows
    }

    @Test func shuffledExportsGiveTheLedgerOfSortedOnes() throws {
        let sorted = try examplesLedger(shuffled: false)
        let shuffled = try examplesLedger(shuffled: true)
        #expect(sorted.summaries.map(\.counts) == shuffled.summaries.map(\.counts))
        #expect(sorted.summaries.map(\.asOf) == shuffled.summaries.map(\.asOf))
        #expect(sorted.summaries.map(\.codesNeverSeen) == shuffled.summaries.map(\.codesNeverSeen))
        #expect(Set(sorted.summaries.flatMap(\.warnings)) == Set(shuffled.summaries.flatMap(\.warnings)))
        #expect(sorted.summaries[1].counts.new > 0 && sorted.summaries[1].counts.unchanged > 0)
        let rows = try projection(sorted.t)
        #expect(rows.count > 300)
        #expect(rows == (try projection(shuffled.t)))
        // The same facts, in the files' order: as multisets, with the file's SHA-256 left out.
        func facts(_ run: (t: TemporaryLedger, summaries: [OrderImportSummary])) throws -> [String] {
            try run.t.logText()
                .map { line in run.summaries.reduce(line) { $0.replacingOccurrences(of: $1.sha256, with: "SHA") } }
                .filter { !$0.hasPrefix("import.recorded ") }.sorted()
        }
        #expect(try facts(sorted) == facts(shuffled))
        for month in ["2026-07", "2026-08", "2026-09", "2026-10"] {
            let a = try LedgerSession(sorted.t.ledger).previewPayouts(ym(month)).result
            let b = try LedgerSession(shuffled.t.ledger).previewPayouts(ym(month)).result
            #expect(a == b, "\(month)")
            #expect(a.payoutTotalMinor > 0 || month == "2026-10", "\(month)")
        }
    }

    /// A file out of key order has its orders projected a window at a time, sorted by key
    /// (`Ledger.holdOrderProjections`): whatever the window, the same facts in the file's order (the
    /// same log, byte for byte, as with none held back), every order projected, and the projections
    /// those of a rebuild (`expectVerified`). The second export changes known orders (an `order
    /// changed` beside `order seen`s in one window); WooCommerce's dated refunds give a new order
    /// its `order seen` and `order changed`s in one window, which must stay in log order.
    @Test func windowsKeepTheFactsInFileOrderAndProjectEveryOrder() throws {
        let unheld = try examplesLedger(shuffled: true, window: 0)
        let rows = try projection(unheld.t)
        for window in [1, 2, 5, 1000] {
            let held = try examplesLedger(shuffled: true, window: window)
            #expect(try held.t.logText() == unheld.t.logText(), "window \(window)")
            #expect(try projection(held.t) == rows, "window \(window)")
            #expect(held.summaries.map(\.counts) == unheld.summaries.map(\.counts))
        }
        let woo = try String(
            contentsOf: examplesDirectory().appendingPathComponent("woocommerce/orders_export_woo.csv"), encoding: .utf8
        )
        var logs: [[String]] = []
        var projections: [[String]] = []
        for window in [0, 1, 2, 3] {
            let t = try TemporaryLedger()
            t.ledger.testSettings.orderWindow = window
            let lines = woo.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let body = lines.dropFirst().filter { !$0.isEmpty }
            var rng = SplitMix64(seed: 18)
            let text = ([lines[0]] + body.shuffled(using: &rng)).joined(separator: "\n") + "\n"
            let summary = try t.importFile(.woocommerce, try t.write(text, "woo.csv"))
            #expect(summary.counts.refunds > 0 && summary.counts.new > 2)
            try t.expectVerified()
            logs.append(try t.logText())
            projections.append(try projection(t))
        }
        #expect(logs.allSatisfy { $0 == logs[0] } && projections.allSatisfy { $0 == projections[0] })
        #expect(logs[0].contains { $0.hasPrefix("order.changed ") })
    }

    /// A re-export with its orders shuffled is read once (nothing needs a fact), as it is sorted.
    @Test func aShuffledReExportIsReadOnce() throws {
        let t = try TemporaryLedger()
        let examples = examplesDirectory()
        let file = examples.appendingPathComponent("shopify/orders_export_2026-08-15_2026-10-31.csv")
        let text = try String(contentsOf: file, encoding: .utf8)
        try t.importFile(.shopify, try t.write(text, "first.csv"))
        let before = try t.logText()
        let again = try t.importFile(.shopify, try t.write(shuffledFile(text, seed: 3), "shuffled.csv"))
        #expect(again.readOnce && again.previous == nil)
        #expect(again.counts.new == 0 && again.counts.changed == 0 && again.counts.unchanged == again.counts.orders)
        #expect(try t.logText().dropLast() == before[...])
    }

    /// A repeat in a shuffled file is refused at its second appearance, naming the first, and
    /// leaves the ledger as it was; with --skip-invalid the second appearance is rejected.
    @Test func aRepeatInAnyOrderIsRefused() throws {
        let t = try TemporaryLedger()
        let ids = [14, 11, 16, 12, 15, 13]
        func row(_ id: Int) -> String { shopifyOrder("#\(id)", id: "\(id)") }
        func file(_ rows: [String]) -> String { ([shopifyHeader] + rows).joined(separator: "\n") + "\n" }
        try t.importFile(.shopify, try t.write(shopify(row(20)), "other.csv"))
        let before = try t.logText()
        let bad = try t.write(file(ids.map(row) + [row(12), row(17)]), "bad.csv")
        let issue = try #require(t.importError(.shopify, bad))
        #expect(issue.line == 8 && issue.expected.contains("order 12 already appeared at line 5"), "\(issue)")
        #expect(try t.logText() == before)
        let summary = try t.importFile(.shopify, bad, rejects: "rejects.csv")
        #expect(summary.counts.new == 7 && summary.counts.rejected == 1)
        let fresh = try TemporaryLedger()
        #expect(fresh.importError(.shopify, try fresh.write(file(ids.map(row) + [row(16)]), "bad.csv"))?.line == 8)
        #expect(try fresh.orderCount() == 0)
    }
}
