import Foundation
import TestSupport
import Testing

@Suite("ledger file: init, the --ledger rule, verify")
struct LedgerFileTests {
    @Test func initCreatesAndRefusesToOverwrite() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let first = try runTally(["init", "--currency", "USD", "--timezone", "America/New_York"], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("tally.sqlite").path))
        let again = try runTally(["init", "--currency", "EUR"], in: dir)
        #expect(again.status == 1)
        #expect(again.stderr.contains("already exists"))
        let verify = try runTally(["verify"], in: dir)
        #expect(verify.status == 0)
        #expect(verify.stdout.contains("OK: 1 facts"))
    }

    @Test func ledgerPathRule() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try runTally(["init", "--currency", "JPY", "--ledger", "a.sqlite"], in: dir).status == 0)
        #expect(
            try runTally(["init", "--currency", "KWD"], in: dir, environment: ["TALLY_LEDGER": "b.sqlite"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("a.sqlite").path))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("b.sqlite").path))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("tally.sqlite").path))
        // --ledger wins over TALLY_LEDGER.
        let log = try runTally(
            ["log", "--format", "json", "--ledger", "a.sqlite"], in: dir, environment: ["TALLY_LEDGER": "b.sqlite"])
        #expect(log.stdout.contains("\"base_currency\":\"JPY\""))
    }

    @Test func missingAndForeignFilesAreClearErrors() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let missing = try runTally(["log"], in: dir)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no ledger at tally.sqlite"))
        try write("order_id,total\n1,2\n", to: "orders.sqlite", in: dir)
        let foreign = try runTally(["verify", "--ledger", "orders.sqlite"], in: dir)
        #expect(foreign.status == 1)
        #expect(foreign.stderr.contains("is not a tally ledger"))
        let usage = try runTally(["init", "--currency", "DOLLARS"], in: dir)
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("unknown currency"))
    }
}
