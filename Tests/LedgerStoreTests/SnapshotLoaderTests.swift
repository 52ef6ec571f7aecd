import Foundation
import LedgerCore
import TestSupport
import Testing
@testable import LedgerStore

@Suite struct SnapshotLoaderTests {
    /// The fixture ledger plus: an order without code or referral that a later statement line names
    /// (0999), one that nothing names (1003), one with a referral only (1004), and code lists the
    /// byte reader takes (1005) or hands to the JSON parser (1006: an escaped quote, non-ASCII).
    func ledger() throws -> (Ledger, URL) {
        let dir = try makeTemporaryDirectory()
        let (ledger, _) = try fixtureLedger(at: dir.appendingPathComponent("l.sqlite").path)
        let october = YearMonth(year: 2026, month: 10)!
        try ledger.write { l in
            func order(_ id: String, codes: [String], referral: String? = nil) throws {
                var o = try fixtureOrder(
                    id, totalMinor: 1_000, at: fixtureStart.adding(seconds: 9_000),
                    email: "x@example.org", ledger: l)
                o.codes = codes
                o.referral = referral
                _ = try l.append(.orderSeen(o))
            }
            try order("0999", codes: [])
            try order("1003", codes: [])
            try order("1004", codes: [], referral: "ana-link")
            try order("1005", codes: ["X1", "", "Y,2"])
            try order("1006", codes: ["A\"B", "ÄX"])
            let line = StatementLine(
                kind: .commission, ref: "shopify:0999", date: CivilDate(year: 2026, month: 10, day: 2)!, amountMinor: 0)
            _ = try l.append(
                .statementIssued(
                    StatementIssued(
                        month: october, creator: "ana", currency: .usd,
                        figures: PayoutFigures(
                            carriedInMinor: 0, commissionsMinor: 0, clawbacksMinor: 0, feesMinor: 0,
                            adjustmentsMinor: 0, balanceMinor: 0,
                            payoutMinor: 0, carriedOutMinor: 0), minPayoutMinor: 0, lines: [line],
                        effectiveAt: Zone.utc.startOfMonth(october.next))))
        }
        return (ledger, dir)
    }

    /// Section 8: with a lifetime link or a new-customer rate in some terms, an attributable snapshot
    /// also holds every other order of the customers with an order naming a code of such a creator
    /// (the core's `customersReadByPlans`): none at first (x@example.org's codes are nobody's), then
    /// 1003 and 0999 (each once) when x uses ana's code, never another customer's (1007); the month
    /// engine sees what it sees in every order.
    @Test func withLifetimeLinksAttributableSnapshotsHoldTheirCustomersOtherOrders() throws {
        let (ledger, dir) = try ledger()
        defer { try? FileManager.default.removeItem(at: dir) }
        try ledger.write { l in
            var other = try fixtureOrder(
                "1007", totalMinor: 1_000, at: fixtureStart.adding(seconds: 9_000),
                email: "someone-else@example.org", ledger: l)
            other.codes = []
            _ = try l.append(.orderSeen(other))
            _ = try l.append(.termsSet(TermsSet(creator: "ana", effectiveFrom: fixtureStart, lifetimeMonths: 12)))
        }
        func check(_ ids: [String], withoutStatements: [String]) throws {
            #expect(try ledger.snapshot(orders: .attributable).orders.map(\.key.orderId) == ids)
            #expect(
                try ledger.snapshot(orders: .attributable, statements: false).orders.map(\.key.orderId)
                    == withoutStatements)
            for month in [YearMonth(year: 2026, month: 9)!, YearMonth(year: 2026, month: 10)!] {
                #expect(
                    computeMonth(month, snapshot: try ledger.snapshot(orders: .attributable))
                        == computeMonth(month, snapshot: try ledger.snapshot()))
            }
        }
        try check(
            ["0999", "1001", "1002", "1004", "1005", "1006"],
            withoutStatements: ["1001", "1002", "1004", "1005", "1006"])
        try ledger.write { l in
            var linking = try fixtureOrder(
                "0900", totalMinor: 1_000, at: fixtureStart.adding(seconds: 8_000),
                email: "x@example.org", ledger: l)
            linking.codes = ["ana10"]
            _ = try l.append(.orderSeen(linking))
        }
        let all = ["0900", "0999", "1001", "1002", "1003", "1004", "1005", "1006"]
        try check(all, withoutStatements: all)
    }

    @Test func attributableSnapshotsHoldCodedReferredAndNamedOrdersInKeyOrder() throws {
        let (ledger, dir) = try ledger()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(
            try ledger.snapshot().orders.map(\.key.orderId) == ["0999", "1001", "1002", "1003", "1004", "1005", "1006"])
        #expect(
            try ledger.snapshot(orders: .attributable).orders.map(\.key.orderId) == [
                "0999", "1001", "1002", "1004", "1005", "1006"
            ])
        #expect(
            try ledger.snapshot(orders: .attributable, statements: false).orders.map(\.key.orderId) == [
                "1001", "1002", "1004", "1005", "1006"
            ])
        let codes = Dictionary(
            uniqueKeysWithValues: try ledger.snapshot(orders: .attributable).orders.map {
                ($0.key.orderId, $0.seen.codes)
            })
        #expect(codes["1001"] == ["ANA10"])
        #expect(codes["1004"] == [])
        #expect(codes["1005"] == ["X1", "", "Y,2"])
        #expect(codes["1006"] == ["A\"B", "ÄX"])
        let all = try ledger.snapshot().orders
        #expect(all.first { $0.key.orderId == "1002" }?.seen.name == "#1002")
        #expect(all.first { $0.key.orderId == "1002" }?.changes.count == 1)
        #expect(
            try ledger.snapshot(orders: .attributable).orders.first { $0.key.orderId == "1002" }?.changes.count == 1)
    }

    @Test func theAttributableQueryReadsThePartialIndex() throws {
        let (ledger, dir) = try ledger()
        defer { try? FileManager.default.removeItem(at: dir) }
        let st = try ledger.connection.prepared("EXPLAIN QUERY PLAN \(Ledger.attributableOrdersSQL)")
        var plan: [String] = []
        while try st.step() { plan.append(st.text(3)) }
        #expect(plan.contains { $0.contains("USING INDEX orders_attributable") }, "\(plan)")
    }

    @Test func theCodeListReaderAgreesWithTheJSONParser() throws {
        for json in [#"[]"#, #"["A"]"#, #"["A","B"]"#, #"[""]"#, #"["a b","c,d"]"#] {
            let fast = Array(json.utf8).withUnsafeBytes { simpleCodes($0) }
            #expect(fast == (try decodedCodes(json)), "\(json)")
        }
        // Not the canonical layout: left to the JSON parser.
        for json in [#"[ "A"]"#, #"["A",]"#, #"["A\"B"]"#, #"["Ä"]"#, #"["A""B"]"#, #"["A"#, #"[1]"#, #"{}"#] {
            #expect(Array(json.utf8).withUnsafeBytes { simpleCodes($0) } == nil, "\(json)")
        }
    }

    @Test func aLedgerOfSchema2GetsTheIndexOnItsNextWritableOpenAndIsReadAsItIsBefore() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("l.sqlite").path
        _ = try fixtureLedger(at: path)
        let raw = try Connection(path: path)
        try raw.execute(
            """
            DROP INDEX orders_attributable; CREATE INDEX statement_lines_by_ref ON statement_lines (ref, creator);
            \(Self.beforeMigration6)
            DELETE FROM schema_migrations WHERE version >= 3; PRAGMA user_version = 2;
            """ + Self.undoPayoutOperations + Self.undoCommissionPlans + Self.undoCreatorTaxForm
                + Self.undoJournalExports + Self.undoPayoutUnmarks)
        let index = "SELECT count(*) FROM sqlite_master WHERE name = 'orders_attributable'"
        let reader = try Ledger.open(path: path, readOnly: true)
        #expect(try reader.snapshot(orders: .attributable).orders.map(\.key.orderId) == ["1001", "1002"])
        #expect(try raw.scalarInt(index) == 0)
        let writer = try Ledger.open(path: path)
        #expect(try raw.scalarInt(index) == 1)
        #expect(try raw.scalarInt("SELECT max(version) FROM schema_migrations") == Int64(Ledger.schemaVersion))
        #expect(try writer.verify().isClean)
    }

    /// Migration 0004 drops `statement_lines_by_ref`, which no query used; a ledger of schema 3
    /// loses it on its next writable open and keeps its statements.
    @Test func aLedgerOfSchema3LosesTheUnusedStatementLineIndex() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("l.sqlite").path
        _ = try fixtureLedger(at: path)
        let raw = try Connection(path: path)
        try raw.execute(
            "CREATE INDEX statement_lines_by_ref ON statement_lines (ref, creator); "
                + "DELETE FROM schema_migrations WHERE version >= 4; PRAGMA user_version = 3;"
                + Self.undoPayoutOperations + Self.beforeMigration6 + Self.undoCommissionPlans
                + Self.undoCreatorTaxForm + Self.undoJournalExports + Self.undoPayoutUnmarks)
        let index = "SELECT count(*) FROM sqlite_master WHERE name = 'statement_lines_by_ref'"
        _ = try Ledger.open(path: path, readOnly: true)
        #expect(try raw.scalarInt(index) == 1)
        let writer = try Ledger.open(path: path)
        #expect(try raw.scalarInt(index) == 0)
        #expect(try raw.scalarInt("SELECT max(version) FROM schema_migrations") == Int64(Ledger.schemaVersion))
        #expect(try writer.verify().isClean)
    }

    /// The tables as they were before migration 0006: `imports` keyed by SHA-256, no undos.
    static let beforeMigration6 = """
        DROP TABLE import_undos; DROP INDEX imports_by_sha256; ALTER TABLE imports RENAME TO imports_by_seq;
        CREATE TABLE imports (sha256 TEXT PRIMARY KEY, source TEXT NOT NULL, file_name TEXT NOT NULL,
          as_of INTEGER NOT NULL, counts TEXT NOT NULL, seq INTEGER NOT NULL) STRICT;
        INSERT INTO imports SELECT sha256, source, file_name, as_of, counts, seq FROM imports_by_seq;
        DROP TABLE imports_by_seq;
        """

    /// Migration 0006 keys `imports` by seq (the same bytes may be imported again after an undo)
    /// and adds `import_undos`: a ledger of schema 5 keeps its imports and verifies.
    @Test func aLedgerOfSchema5KeepsItsImportsKeyedBySeq() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("l.sqlite").path
        let (ledger, _) = try fixtureLedger(at: path)
        _ = try ledger.write { l in
            try l.append(
                .importRecorded(
                    ImportRecorded(
                        source: "shopify", fileName: "a.csv", sha256: "ab",
                        asOf: fixtureStart, counts: ["orders": 2])))
        }
        let raw = try Connection(path: path)
        let rows = "SELECT sha256, source, file_name, as_of, counts, seq FROM imports ORDER BY seq"
        func dump() throws -> [[SQLValue]] {
            let st = try raw.prepared(rows)
            defer { st.reset() }
            var out: [[SQLValue]] = []
            while try st.step() { out.append(st.row()) }
            return out
        }
        let before = try dump()
        #expect(!before.isEmpty)
        try raw.execute(
            Self.beforeMigration6 + Self.undoCommissionPlans + Self.undoCreatorTaxForm + Self.undoJournalExports
                + Self.undoPayoutUnmarks
                + "DELETE FROM schema_migrations WHERE version >= 6; PRAGMA user_version = 5;")
        let writer = try Ledger.open(path: path)
        #expect(try raw.scalarInt("SELECT max(version) FROM schema_migrations") == Int64(Ledger.schemaVersion))
        #expect(try dump() == before)
        #expect(try raw.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'import_undos'") == 1)
        #expect(try writer.verify().isClean)
    }

    /// A payout marked paid before `payout.paid` version 2 was paid on the day it was recorded (the
    /// ledger's zone), by the creator's payout method then: read so from an older file opened
    /// read-only, and stored so by migration 0005 on the next writable open.
    @Test func aLedgerOfSchema4GetsTheDayAndMethodOfEachPaymentFromTheLog() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("l.sqlite").path
        let (ledger, _) = try fixtureLedger(at: path)
        let recorded = Timestamp.parse("2026-10-03T23:30:00Z")!.instant
        try ledger.write { l in
            _ = try l.append(
                .payoutPaid(
                    PayoutPaid(
                        month: YearMonth(year: 2026, month: 9)!, creator: "ana",
                        amountMinor: 1_025, reference: "PP-1", paidOn: nil, method: nil,
                        at: recorded)))
        }
        let raw = try Connection(path: path)
        try raw.execute(
            "DELETE FROM schema_migrations WHERE version >= 5; PRAGMA user_version = 4;"
                + Self.undoPayoutOperations + Self.beforeMigration6 + Self.undoCommissionPlans
                + Self.undoCreatorTaxForm + Self.undoJournalExports + Self.undoPayoutUnmarks)
        let expected = [
            PaidPayout(
                month: YearMonth(year: 2026, month: 9)!, creator: "ana", amountMinor: 1_025,
                reference: "PP-1", paidOn: CivilDate(year: 2026, month: 10, day: 3)!,
                method: .other)
        ]  // the fixture's creator is paid by "iban": not a method
        #expect(try Ledger.open(path: path, readOnly: true).snapshot().payoutsPaid == expected)
        let writer = try Ledger.open(path: path)
        #expect(try raw.scalarText("SELECT paid_on || ' ' || method FROM payouts_paid") == "2026-10-03 other")
        #expect(try writer.snapshot().payoutsPaid == expected)
        #expect(try writer.verify().isClean)
    }

    /// What migration 0005 added, taken away again: a ledger as an older tally left it.
    static let undoPayoutOperations = """
        ALTER TABLE payouts_paid DROP COLUMN paid_on; ALTER TABLE payouts_paid DROP COLUMN method;
        ALTER TABLE statement_lines DROP COLUMN base_minor; ALTER TABLE statement_lines DROP COLUMN rate_ppm;
        ALTER TABLE statement_lines DROP COLUMN per_order_minor; ALTER TABLE statement_lines DROP COLUMN change;
        DROP TABLE payout_exports; DROP TABLE month_reopenings;
        """

    /// What migration 0007 added, taken away again.
    static let undoCommissionPlans = """
        ALTER TABLE terms DROP COLUMN new_customer_ppm; ALTER TABLE terms DROP COLUMN lifetime_months;
        ALTER TABLE terms DROP COLUMN lifetime_ppm; ALTER TABLE terms DROP COLUMN tiers;
        ALTER TABLE terms DROP COLUMN tiers_apply; ALTER TABLE terms DROP COLUMN bonus_threshold;
        ALTER TABLE terms DROP COLUMN bonus_minor; ALTER TABLE terms DROP COLUMN retainer_minor;
        ALTER TABLE terms DROP COLUMN cleared;
        """

    /// What migration 0008 added, taken away again.
    static let undoCreatorTaxForm = "ALTER TABLE creators DROP COLUMN tax_form;"

    /// What migration 0009 added, taken away again.
    static let undoJournalExports = "DROP TABLE journal_exports;"

    /// What migration 0010 added, taken away again.
    static let undoPayoutUnmarks = "DROP TABLE payout_unmarks;"

    /// A ledger of schema 8 has no `journal_exports`: read-only, it has no journal written for the
    /// books; the next writable open adds the table, and a journal export is stored, read back and
    /// verified.
    @Test func aLedgerOfSchema8ReadsWithoutJournalsAndGetsTheirTable() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("l.sqlite").path
        let (ledger, _) = try fixtureLedger(at: path)
        let before = try ledger.snapshot()
        let raw = try Connection(path: path)
        try raw.execute(
            "DELETE FROM schema_migrations WHERE version >= 9; PRAGMA user_version = 8;" + Self.undoJournalExports
                + Self.undoPayoutUnmarks)
        let old = try Ledger.open(path: path, readOnly: true).snapshot()
        #expect(old.journalFiles.isEmpty && old.creators == before.creators)
        let writer = try Ledger.open(path: path)
        let journal = JournalExported(
            month: YearMonth(year: 2026, month: 7)!, format: "csv", files: ["b.csv"], journals: ["TALLY-CLOSE-2026-07"],
            debitsMinor: 100, at: fixtureStart)
        try writer.write { l in _ = try l.append(.journalExported(journal)) }
        #expect(try writer.snapshot().journalFiles == [JournalFileRecord(export: journal, reopened: false)])
        #expect(try writer.verify().isClean)
    }

    /// A ledger of schema 7 has no `creators.tax_form`: read-only, its creators read as they were
    /// registered, without a tax form; the next writable open adds the column, and a creator fact of
    /// version 2 is stored, read back and verified.
    @Test func aLedgerOfSchema7ReadsItsCreatorsAndGetsTheTaxFormColumn() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("l.sqlite").path
        let (ledger, _) = try fixtureLedger(at: path)
        let before = try ledger.snapshot().creators
        #expect(!before.isEmpty && before.values.allSatisfy { $0.taxForm == nil })
        let raw = try Connection(path: path)
        try raw.execute(
            "DELETE FROM schema_migrations WHERE version >= 8; PRAGMA user_version = 7;"
                + Self.undoCreatorTaxForm + Self.undoJournalExports + Self.undoPayoutUnmarks)
        #expect(try Ledger.open(path: path, readOnly: true).snapshot().creators == before)
        let writer = try Ledger.open(path: path)
        let id = before.keys.sorted()[0]
        try writer.write { l in
            _ = try l.append(
                .creatorUpdated(
                    CreatorUpdated(
                        id: id, taxForm: .some(.w9),
                        at: fixtureStart)))
        }
        #expect(try writer.snapshot().creators[id]?.taxForm == .w9)
        #expect(try raw.scalarText("SELECT tax_form FROM creators WHERE id = ?", [.text(id)]) == "w9")
        #expect(try writer.verify().isClean)
    }

    /// A ledger of schema 6 has no plan columns: read-only, its terms read as they were recorded (no
    /// plan); the next writable open adds the columns, and terms with plans are stored and read back.
    @Test func aLedgerOfSchema6ReadsItsTermsAndGetsThePlanColumns() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("l.sqlite").path
        let (ledger, _) = try fixtureLedger(at: path)
        let before = try ledger.snapshot().terms
        #expect(!before.isEmpty)
        let raw = try Connection(path: path)
        try raw.execute(
            "DELETE FROM schema_migrations WHERE version >= 7; PRAGMA user_version = 6;"
                + Self.undoCommissionPlans + Self.undoCreatorTaxForm + Self.undoJournalExports + Self.undoPayoutUnmarks)
        #expect(try Ledger.open(path: path, readOnly: true).snapshot().terms == before)
        let writer = try Ledger.open(path: path)
        let tier = RateTier(above: 25, rate: CommissionRate(partsPerMillion: 125_000))
        let plan = TermsSet(
            creator: before[0].creator, effectiveFrom: before[0].effectiveFrom.adding(seconds: 86_400),
            newCustomerCommission: .some(CommissionRate(partsPerMillion: 300_000)), lifetimeMonths: 12,
            tiers: .some(RateTiers([tier])),
            bonusMinor: .some(nil), retainerMinor: .some(30_000))
        try writer.write { l in _ = try l.append(.termsSet(plan)) }
        #expect(try writer.snapshot().terms == before + [plan])
        #expect(try writer.verify().isClean)
    }
}
