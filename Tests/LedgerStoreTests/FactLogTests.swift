import CSQLite
import Foundation
import LedgerCore
import TestSupport
import Testing
@testable import LedgerStore

/// The store tests' ledger: a `TemporaryLedger` with their own clock and salt.
func storeLedger(currency: Currency = .usd, zone: String = "America/New_York") throws -> TemporaryLedger {
    try TemporaryLedger(
        currency: currency, zone: Zone(identifier: zone)!, now: Instant(unixSeconds: 1_790_000_000),
        salt: "5a17")
}

extension TemporaryLedger {
    /// A raw connection to the same file, for tampering behind Tally's back.
    func raw() throws -> Connection { try Connection(path: path) }
}

func sampleFacts(count: Int) -> [Fact] {
    (0..<count).map { i in
        .codeAssigned(
            CodeAssigned(
                code: "CODE\(i)", creator: "c\(i % 3)", validFrom: Instant(unixSeconds: 1_780_000_000 + Int64(i)),
                validUntil: nil))
    }
}

@Suite("fact log: append-only, hash-chained, verified")
struct FactLogTests {
    @Test func appendsAndVerifies() throws {
        let t = try storeLedger()
        try t.ledger.write { ledger in for fact in sampleFacts(count: 5) { try ledger.append(fact) } }
        #expect(t.ledger.lastSeq == 6)
        let report = try t.ledger.verify()
        #expect(report.isClean, "\(report.problems)")
        #expect(report.factsChecked == 6)
    }

    @Test func aFailedWriteLeavesNothing() throws {
        struct Boom: Error {}
        let t = try storeLedger()
        #expect(throws: Boom.self) {
            try t.ledger.write { ledger in
                for fact in sampleFacts(count: 3) { try ledger.append(fact) }
                throw Boom()
            }
        }
        #expect(t.ledger.lastSeq == 1)
        #expect(try t.ledger.connection.scalarInt("SELECT count(*) FROM code_assignments") == 0)
        // The chain continues correctly after the rollback.
        try t.ledger.write { ledger in try ledger.append(sampleFacts(count: 1)[0]) }
        #expect(try t.ledger.verify().isClean)
    }

    @Test func triggersRefuseUpdateAndDelete() throws {
        let t = try storeLedger()
        let raw = try t.raw()
        #expect(throws: SQLiteError.self) { try raw.execute("UPDATE facts SET payload = '{}' WHERE seq = 1") }
        #expect(throws: SQLiteError.self) { try raw.execute("DELETE FROM facts WHERE seq = 1") }
    }

    @Test func verifyNamesAnEditedFact() throws {
        let t = try storeLedger()
        try t.ledger.write { ledger in for fact in sampleFacts(count: 5) { try ledger.append(fact) } }
        let raw = try t.raw()
        try raw.execute("DROP TRIGGER facts_are_append_only_update")
        try raw.execute("UPDATE facts SET payload = replace(payload, 'CODE2', 'CODE9') WHERE seq = 4")
        let report = try t.ledger.verify()
        #expect(report.firstBadSeq == 4)
        #expect(report.problems.contains { $0.contains("fact 4") })
    }

    @Test func verifyNamesADeletedFact() throws {
        let t = try storeLedger()
        try t.ledger.write { ledger in for fact in sampleFacts(count: 5) { try ledger.append(fact) } }
        let raw = try t.raw()
        try raw.execute("DROP TRIGGER facts_are_append_only_delete")
        try raw.execute("DELETE FROM facts WHERE seq = 3")
        let report = try t.ledger.verify()
        #expect(report.firstBadSeq == 3)
        #expect(report.problems.contains { $0.contains("fact 3 is missing") })
        // Deleting the last fact is caught by the projections, which still hold its effect.
        let t2 = try storeLedger()
        try t2.ledger.write { ledger in for fact in sampleFacts(count: 2) { try ledger.append(fact) } }
        let raw2 = try t2.raw()
        try raw2.execute("DROP TRIGGER facts_are_append_only_delete; DELETE FROM facts WHERE seq = 3")
        let tail = try t2.ledger.verify()
        #expect(!tail.isClean)
        #expect(tail.problems.contains { $0.contains("projection code_assignments") })
    }

    @Test func verifyNamesReorderedFacts() throws {
        let t = try storeLedger()
        try t.ledger.write { ledger in for fact in sampleFacts(count: 5) { try ledger.append(fact) } }
        let raw = try t.raw()
        try raw.execute("DROP TRIGGER facts_are_append_only_update")
        // Swap rows 3 and 5 whole (payload and hash together), as a reordering would.
        try raw.execute(
            """
            UPDATE facts SET seq = -3 WHERE seq = 3; UPDATE facts SET seq = 3 WHERE seq = 5; \
            UPDATE facts SET seq = 5 WHERE seq = -3;
            """)
        let report = try t.ledger.verify()
        #expect(report.firstBadSeq == 3)
    }

    @Test func verifyNamesAnEditedProjection() throws {
        let t = try storeLedger()
        try t.ledger.write { ledger in for fact in sampleFacts(count: 3) { try ledger.append(fact) } }
        try t.raw().execute("UPDATE code_assignments SET creator = 'mallory' WHERE code = 'CODE1'")
        let report = try t.ledger.verify()
        #expect(report.firstBadSeq == nil)
        #expect(report.problems.contains { $0.contains("projection code_assignments") && $0.contains("mallory") })
        // A rebuild repairs the projection from the log.
        _ = try t.ledger.rebuild()
        #expect(try t.ledger.verify().isClean)
    }

    @Test func reopenedLedgerKeepsItsSettings() throws {
        let t = try storeLedger(currency: Currency(code: "KWD")!, zone: "Asia/Kuwait")
        let again = try Ledger.open(path: t.path)
        #expect(again.settings.baseCurrency.code == "KWD")
        #expect(again.settings.zone.identifier == "Asia/Kuwait")
        #expect(again.settings.keyBinding == .outside(ledgerId: t.key.ledgerId, fingerprint: t.key.fingerprint))
    }

    @Test func emailsAreSaltedHashes() throws {
        let a = Ledger.emailHash(" Anna.Bakes@Example.COM ", salt: "s1")
        #expect(a == Ledger.emailHash("anna.bakes@example.com", salt: "s1"))
        #expect(a != Ledger.emailHash("anna.bakes@example.com", salt: "s2"))
        #expect(a?.count == 64)
        #expect(Ledger.emailHash("  ", salt: "s1") == nil)
    }
}

@Suite("migrations")
struct MigrationTests {
    /// The SQL the binary applies is exactly the SQL in schema/ (run scripts/embed-schema.py after
    /// adding a migration).
    @Test func embeddedMigrationsEqualTheSchemaFiles() throws {
        let schemaDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("schema")
        let files = try FileManager.default.contentsOfDirectory(atPath: schemaDir.path).filter { $0.hasSuffix(".sql") }
            .sorted()
        #expect(files.map { $0 } == embeddedMigrations.map(\.name))
        for (file, migration) in zip(files, embeddedMigrations) {
            let text = try String(contentsOf: schemaDir.appendingPathComponent(file), encoding: .utf8)
            #expect(text == migration.sql, "\(file) differs from what the binary applies")
            #expect(Int(file.prefix(4)) == migration.version)
        }
    }

    @Test func aLedgerRecordsEveryMigrationWithItsHash() throws {
        let t = try storeLedger()
        let st = try t.ledger.connection.prepared(
            "SELECT version, name, sql_sha256 FROM schema_migrations ORDER BY version")
        var rows: [(Int64, String, String)] = []
        while try st.step() { rows.append((st.int(0), st.text(1), st.text(2))) }
        #expect(rows.map(\.0) == embeddedMigrations.map { Int64($0.version) })
        #expect(rows.map(\.2) == embeddedMigrations.map { sha256Hex(Array($0.sql.utf8)) })
        #expect(try t.ledger.connection.scalarInt("PRAGMA user_version") == Int64(Ledger.schemaVersion))
        #expect(try t.ledger.connection.scalarText("PRAGMA journal_mode") == "wal")
        #expect(try t.ledger.connection.scalarInt("PRAGMA foreign_keys") == 1)
        #expect(try t.ledger.connection.scalarInt("PRAGMA page_size") == 65_536)
        #expect(!Connection.countsAllocations)  // no global mutex per SQLite allocation
    }

    @Test func aNewerLedgerIsRefused() throws {
        let t = try storeLedger()
        try t.raw().execute(
            "INSERT INTO schema_migrations (version, name, sql_sha256) VALUES (99, '0099_future.sql', 'x')")
        #expect {
            _ = try Ledger.open(path: t.path)
        } throws: { error in
            guard case LedgerError.newerSchema(_, 99, _)? = error as? LedgerError else { return false }
            return true
        }
    }
}
