import Foundation
import LedgerStore
import TestSupport
import Testing

// `tally verify` on a ledger changed behind Tally's back: exit status 1, and a message naming the
// broken fact or the projection table. (Every kind of change is covered in-process by
// Tests/LedgerStoreTests/TamperEvidenceTests.swift; this is the command's side.)

@Suite("tamper evidence: tally verify")
struct TamperCLITests {
    @Test func verifyNamesTheEditedFactAndTheEditedTable() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try examplesLedger(in: dir, closing: ["2026-07"])
        #expect(try runTally(["verify"], in: dir).status == 0)
        let original = dir.appendingPathComponent("tally.sqlite")
        // every fact in the main file, to copy it
        try Connection(path: original.path).execute("PRAGMA wal_checkpoint(TRUNCATE)")

        func tampered(_ name: String, _ sql: String) throws -> RunResult {
            let copy = dir.appendingPathComponent(name)
            try FileManager.default.copyItem(at: original, to: copy)
            try Connection(path: copy.path).execute(sql)
            return try runTally(["verify", "--ledger", name], in: dir)
        }
        let seq = try #require(
            try dumpRows(
                original.path, "SELECT seq FROM facts WHERE type = 'order.seen' ORDER BY seq LIMIT 1 OFFSET 10"
            ).first
        )
        .replacingOccurrences(of: "int(", with: "").replacingOccurrences(of: ")", with: "")
        let fact = try tampered(
            "fact.sqlite",
            """
            DROP TRIGGER facts_are_append_only_update;
            UPDATE facts SET payload = replace(payload, '"total_minor":', '"total_minor":9') WHERE seq = \(seq);
            """)
        #expect(fact.status == 1)
        #expect(fact.stderr.contains("fact \(seq) (order.seen) does not match its hash"), "\(fact.stderr)")
        #expect(fact.stderr.contains("the chain is broken at fact \(seq)"), "\(fact.stderr)")
        #expect(
            fact.stderr.contains("the append-only trigger facts_are_append_only_update is missing"), "\(fact.stderr)")

        let statement = try tampered(
            "statement.sqlite", "UPDATE statements SET payout_minor = payout_minor + 100000 WHERE month = '2026-07'")
        #expect(statement.status == 1)
        #expect(
            statement.stderr.contains("projection statements differs from a rebuild from the log"),
            "\(statement.stderr)")
        // The column that differs is named with both values (the edited figure, not the row's first columns).
        let payout = try #require(
            statement.stderr.split(separator: "\n").first { $0.contains("payout_minor: stored ") },
            "\(statement.stderr)")
        let after = String(payout[payout.range(of: "payout_minor: stored ")!.upperBound...])
        let figures = after.split(separator: ";")[0].components(separatedBy: ", rebuilt ").map {
            Int($0.trimmingCharacters(in: .whitespaces)) ?? 0
        }
        #expect(figures.count == 2 && figures[0] - figures[1] == 100_000, "\(payout)")
        #expect(!statement.stderr.contains("chain is broken"))

        let order = try tampered(
            "order.sqlite", "UPDATE orders SET status = 'paid', refunded_minor = 0 WHERE status = 'refunded'")
        #expect(order.status == 1)
        #expect(order.stderr.contains("projection orders differs"), "\(order.stderr)")
    }
}
