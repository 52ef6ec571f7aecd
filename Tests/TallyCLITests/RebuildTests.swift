import Foundation
import LedgerStore
import TestSupport
import Testing

// `tally rebuild` builds the projection tables anew beside the old ones, in one transaction
// (docs/performance.md, "Rebuild"). What must not change: the log (every byte), the schema as
// SQLite holds it, the file's mode, the key file, what the reports print, and what the ledger's
// bytes hide (e-mails, payout accounts).

/// Every row of `sql`'s result as text, one line a row (blobs as hex).
private func dump(_ path: String, _ sql: String) throws -> [String] {
    let connection = try Connection(path: path, options: .init(readOnly: true))
    let st = try connection.prepared(sql)
    defer { st.reset() }
    var rows: [String] = []
    while try st.step() {
        rows.append(
            st.row().map { value -> String in
                switch value {
                case .null: return "NULL"
                case let .int(v): return String(v)
                case let .text(s): return s
                case let .blob(b): return b.map { String(format: "%02x", $0) }.joined()
                }
            }.joined(separator: "|"))
    }
    return rows
}

/// The key file `tally` uses for the ledger at `path` (in the tests' home).
private func keyFileOf(_ path: String) throws -> String {
    let ledger = try Ledger.open(path: path, readOnly: true)
    guard case let .outside(ledgerId, _) = ledger.settings.keyBinding,
        case let .file(keyPath) = KeyFile.source(
            option: nil, ledgerId: ledgerId,
            environment: keyEnvironment())
    else {
        throw CocoaError(.fileNoSuchFile)
    }
    return keyPath
}

private func mode(_ path: String) throws -> Int {
    try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
}

@Suite("rebuild: the projections anew, the rest as it was")
struct RebuildTests {
    @Test func aRebuildKeepsTheLogTheSchemaTheModesTheKeyAndThePrivacy() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try examplesLedger(in: dir, closing: ["2026-07", "2026-08"])
        let reads: [[String]] = [
            ["payout", "show", "--month", "2026-08", "--format", "csv"], previewOf("2026-09"),
            ["statement", "anna-bakes", "--month", "2026-08", "--format", "csv"],
            ["roi", "--from", "2026-07-01", "--to", "2026-10-31", "--by", "creator", "--format", "csv"]
        ]
        let ledger = dir.appendingPathComponent("tally.sqlite").path
        let keyFile = try keyFileOf(ledger)
        let key = try Data(contentsOf: URL(fileURLWithPath: keyFile))
        let facts = try dump(ledger, "SELECT * FROM facts ORDER BY seq")
        let schema = try dump(ledger, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").sorted()
        let before = try reads.map { try runTally($0, in: dir) }
        try #require(before.allSatisfy { $0.status == 0 }, "\(before.map(\.stderr))")
        // The projections damaged first: the rebuild must put them right, not keep them.
        let raw = try Connection(path: ledger)
        try raw.execute(
            """
            UPDATE orders SET total_minor = total_minor + 1; DELETE FROM statement_lines WHERE line_no = 1
            """)
        let damaged = try runTally(["verify"], in: dir)
        try #require(damaged.status == 1, "the damage should show: \(damaged.stdout)")

        for round in 1...2 {  // the second reuses the free pages the first left
            let result = try runTally(["rebuild"], in: dir, umask: "022")
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("from \(facts.count) facts"), "\(result.stdout)")
            #expect(try dump(ledger, "SELECT * FROM facts ORDER BY seq") == facts, "round \(round): the log changed")
            #expect(
                try dump(ledger, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").sorted()
                    == schema, "round \(round): the schema changed")
            #expect(try mode(ledger) == 0o600)
            #expect(try Data(contentsOf: URL(fileURLWithPath: keyFile)) == key)
            #expect(try mode(keyFile) == 0o600)
            let verify = try runTally(["verify"], in: dir)
            #expect(verify.status == 0, "round \(round): \(verify.stdout) \(verify.stderr)")
            for (n, read) in reads.enumerated() {
                let again = try runTally(read, in: dir)
                #expect(again.status == 0 && again.stdout == before[n].stdout, "round \(round): \(read) differs")
            }
        }
        let names = try dump(ledger, "SELECT name FROM sqlite_master WHERE name LIKE '%before_rebuild%'")
        #expect(names == [], "old tables left behind: \(names)")
        let bytes = try ledgerBytes(in: dir)
        #expect(try exampleEmails().filter { bytes.contains($0) }.sorted() == [], "e-mails in clear")
        #expect(try exampleAccounts().filter { bytes.contains($0.lowercased()) } == [], "accounts in clear")
        // The payout accounts are sealed under the key, in the projections too: a payment file still has them.
        let paid = try runTally(
            [
                "payout", "export", "--month", "2026-08", "--to", "paypal", "--output", "pay.csv",
                "--skip-missing"
            ], in: dir)
        #expect(paid.status == 0, "\(paid.stderr)")
        let file = try String(contentsOf: dir.appendingPathComponent("pay.csv"), encoding: .utf8)
        #expect(try exampleAccounts().contains { file.contains($0) }, "\(file)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasPrefix("tally.sqlite") }
        // No journal and no other file left beside the ledger.
        #expect(files.allSatisfy { ["tally.sqlite", "tally.sqlite-wal", "tally.sqlite-shm"].contains($0) }, "\(files)")
    }

    /// A ledger whose facts include an undone import: its projection reads the orders' changes by
    /// order, through an index that a rebuild creates only once the rows are in (or at that fact).
    @Test func aRebuildOverAnUndoneImportEqualsTheLedgerAsWritten() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try examplesLedger(in: dir)
        let listed = try runTally(["imports", "--format", "csv"], in: dir).stdout
        let rows: [[String]] = listed.split(separator: "\n").map { line in line.split(separator: ",").map(String.init) }
        let second = rows.last { row in row.count > 1 && row[1] == "orders_export_2026-08-15_2026-10-31.csv" }
        let latest: String = try #require(second?.first)
        let undo = try runTally(["import", "undo", latest, "--reason", "wrong file"], in: dir)
        try #require(undo.status == 0, "\(undo.stdout) \(undo.stderr)")
        let ledger = dir.appendingPathComponent("tally.sqlite").path
        let tables = ["orders ORDER BY source, order_id", "order_changes ORDER BY seq", "imports ORDER BY seq"]
        let before = try tables.map { try dump(ledger, "SELECT * FROM \($0)") }
        let result = try runTally(["rebuild"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try tables.map { try dump(ledger, "SELECT * FROM \($0)") } == before)
        #expect(try runTally(["verify"], in: dir).status == 0)
    }
}
