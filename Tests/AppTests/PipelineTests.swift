@testable import App
import Foundation
import LedgerCore
import LedgerStore
@testable import OrderImport
import TestSupport
import Testing

/// Pass 2 of an import runs on two threads (`OrderPipe`): rows to orders on one, reconciling and
/// SQLite on the other. These files are longer than the pipe's queue (8 batches of 256 orders), so
/// that both threads are busy when something goes wrong.
@Suite("import on two threads")
struct PipelineTests {
    static let orders = 5_000

    /// Canonical rows A00001 ... with increasing ids, a code on every third order.
    func rows(_ ids: ClosedRange<Int>, prefix: String = "A") -> [String] {
        ids.map { n in
            let id = prefix + String(format: "%05d", n)
            let code = n % 3 == 0 ? "ANNA10" : ""
            return "\(id),2026-09-01T10:00:00-04:00,USD,90.00,10.00,5.00,7.20,102.20,\(code),,"
                + "buyer\(n)@example.com,paid,0.00,,false"
        }
    }

    func file(_ rows: [String]) -> String { ([canonicalHeader] + rows).joined(separator: "\n") + "\n" }

    @Test func aBadRecordDeepInTheFileIsReportedAtItsLineAndNothingIsWritten() throws {
        for position in [1, 2_600, Self.orders] {  // first batch, several batches in, the very end
            let t = try TemporaryLedger()
            let before = try t.logText()
            var lines = rows(1...Self.orders)
            // an unterminated quote, then more records
            lines.insert("B1,2026-09-01T10:00:00-04:00,USD,\"90.00,x", at: position - 1)
            let issue = try #require(t.importError(.orders, try t.write(file(lines), "bad.csv")))
            #expect(issue.line == position + 1, "position \(position): \(issue)")
            #expect(issue.description.contains("unterminated quoted field"), "\(issue)")
            #expect(try t.logText() == before)
            #expect(try t.orderCount() == 0)
        }
    }

    /// The writing thread refuses the file (a repeated order) while the reading thread still has
    /// thousands of orders to go: the import ends with the error, not a hang, and writes nothing.
    @Test func aProblemFoundByTheWritingThreadStopsTheReadingThread() throws {
        let t = try TemporaryLedger()
        var lines = rows(1...Self.orders)
        lines.insert(lines[0], at: 1)
        let issue = try #require(t.importError(.orders, try t.write(file(lines), "repeat.csv")))
        #expect(issue.line == 3 && issue.expected.contains("already appeared at line 2"), "\(issue)")
        #expect(try t.orderCount() == 0)
        // The same ledger imports a good file afterwards: no thread or transaction was left behind.
        let summary = try t.importFile(.orders, try t.write(file(rows(1...Self.orders)), "good.csv"))
        #expect(summary.counts.new == Self.orders)
        try t.expectVerified()
    }

    /// A source's first import takes a shorter way (no look-ups) than an import into a source the
    /// ledger knows; with the e-mail hashes and code lists worked out on the reading thread, both
    /// must write the same bytes.
    @Test func aFirstImportWritesTheSameFactsAsAnImportIntoAKnownSource() throws {
        let asOf = "2026-09-30T00:00:00-04:00"
        let first = try TemporaryLedger()
        let body = try first.write(file(rows(1...Self.orders)), "orders.csv")
        #expect(try first.importFile(.orders, body, asOf: asOf).counts.new == Self.orders)

        let later = try TemporaryLedger()
        try later.importFile(.orders, try later.write(file(rows(1...1, prefix: "Z")), "earlier.csv"), asOf: asOf)
        let laterBody = try later.write(file(rows(1...Self.orders)), "orders.csv")
        #expect(try later.importFile(.orders, laterBody, asOf: asOf).counts.new == Self.orders)

        let seen = { (t: TemporaryLedger) throws -> [String] in
            try t.logText().filter { $0.hasPrefix("order.seen ") && !$0.contains("\"Z00001\"") }
        }
        let a = try seen(first), b = try seen(later)
        #expect(a.count == Self.orders)
        #expect(a == b)
        try first.expectVerified()
        try later.expectVerified()
    }

    /// The progress comes from the writing thread, with the bytes the reading thread had consumed.
    @Test func theProgressReachesTheEndOfTheFile() throws {
        let t = try TemporaryLedger()
        let path = try t.write(file(rows(1...Self.orders)), "orders.csv")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        var last: (ImportPhase, Int)?
        let request = OrderImportRequest(dialect: .orders, path: path)
        _ = try OrderImporter.run(request, ledger: t.ledger) { phase, done, _ in last = (phase, done) }
        #expect(last?.0 == .importing && last?.1 == size)
    }
}
