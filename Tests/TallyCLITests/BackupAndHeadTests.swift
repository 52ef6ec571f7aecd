import Foundation
import LedgerStore
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

// `tally backup FILE [--force]`, and the chain's head as an anchor: `verify` ends with it,
// `verify --head SEQ:HASH` checks it, `payout close` and `statement` (table) print it.

@Suite("backup and the chain's head")
struct BackupAndHeadTests {
    @Test func backupIsAPrivateCopyThatVerifiesAndIsNeverOverwrittenUnasked() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try examplesLedger(in: dir, closing: ["2026-07"])
        let head = lastLine(try runTally(["verify"], in: dir).stdout)
        let backup = try runTally(["backup", "copies/2026.sqlite"], in: dir)
        #expect(backup.status == 1 && backup.stderr.contains("copies"), "no folder to write to: \(backup.stderr)")
        let copies = dir.appendingPathComponent("copies")
        try FileManager.default.createDirectory(at: copies, withIntermediateDirectories: true)
        let made = try runTally(["backup", "copies/2026.sqlite"], in: dir)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(lastLine(made.stdout) == head, "the backup reports the head it copied: \(made.stdout)")
        let copy = dir.appendingPathComponent("copies/2026.sqlite").path
        let mode = (try FileManager.default.attributesOfItem(atPath: copy)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600, "mode \(String(mode ?? 0, radix: 8))")
        // Nothing left beside it: no temporary file, no journal.
        #expect(try FileManager.default.contentsOfDirectory(atPath: copies.path) == ["2026.sqlite"])
        let digest = fileDigest(copy)
        let verify = try runTally(["verify", "--ledger", copy, "--head", anchor(head)], in: dir)
        #expect(verify.status == 0 && lastLine(verify.stdout) == head, "\(verify.stderr)")
        #expect(fileDigest(copy) == digest, "reading the copy changed its bytes")
        // The same figures as the ledger.
        for command in [["payout", "show", "--month", "2026-07", "--format", "csv"], ["log", "--format", "json"]] {
            let fromCopy = try runTally(command + ["--ledger", copy], in: dir)
            #expect(fromCopy.stdout == (try runTally(command, in: dir).stdout))
        }
        // Never overwritten without --force; --force replaces it with a current copy.
        #expect(try runTally(["creator", "add", "zoe", "--name", "Zoe"], in: dir).status == 0)
        let again = try runTally(["backup", "copies/2026.sqlite"], in: dir)
        #expect(again.status == 1 && again.stderr.contains("already exists; add --force"), "\(again.stderr)")
        #expect(fileDigest(copy) == digest)
        let forced = try runTally(["backup", "copies/2026.sqlite", "--force"], in: dir)
        #expect(forced.status == 0, "\(forced.stderr)")
        let ledger = dir.appendingPathComponent("tally.sqlite").path
        #expect(try factCount(copy, type: "creator.registered") == (try factCount(ledger, type: "creator.registered")))
        let itself = try runTally(["backup", "tally.sqlite", "--force"], in: dir)
        #expect(itself.status == 1 && itself.stderr.contains("is the ledger itself"), "\(itself.stderr)")
        #expect(try runTally(["verify"], in: dir).status == 0)
    }

    /// Backups taken while imports commit are each one consistent state: every copy verifies, and
    /// its log is the start of the final ledger's log. A backup killed midway leaves no file.
    @Test(.enabled(if: python3Available, "needs python3 for benchmarks/generate.py"))
    func backupsWhileOthersWriteAreConsistentAndAKilledOneLeavesNothing() throws {
        let shop = try ShopFixture(orders: 600); defer { shop.remove() }
        let writer = try BackgroundTally(
            ["import", "shopify", "shop/orders.csv", "--ledger", "master.sqlite"],
            in: shop.dir, name: "writer")
        var copies: [String] = []
        for n in 0..<4 {
            let name = "copy-\(n).sqlite"
            let result = try shop.run(["backup", name], on: "master.sqlite")
            #expect(result.status == 0, "\(result.stderr)")
            copies.append(name)
        }
        #expect(try writer.finish().result.status == 0)
        let final = try shop.facts("master.sqlite")
        for copy in copies {
            #expect(try shop.verifiedHead(copy).hasPrefix("head: "), "\(copy)")
            let facts = try shop.facts(copy)
            #expect(Array(final.prefix(facts.count)) == facts, "\(copy) is not a state the ledger was in")
        }
        for fraction in [0.0, 0.5, 1.0] {
            let killed = try BackgroundTally(
                ["backup", "killed.sqlite", "--ledger", "master.sqlite"],
                in: shop.dir, name: "killed")
            usleep(useconds_t(fraction * 60_000))
            killed.kill()
            _ = try killed.finish()
            let name = shop.path("killed.sqlite")
            if FileManager.default.fileExists(atPath: name) {
                #expect(try shop.verifiedHead("killed.sqlite").hasPrefix("head: "), "a half copy")
                try FileManager.default.removeItem(atPath: name)
            }
        }
    }

    @Test func verifyEndsWithTheHeadAndChecksAnAnchor() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try examplesLedger(in: dir)
        let verify = try runTally(["verify"], in: dir)
        let head = lastLine(verify.stdout)
        let path = dir.appendingPathComponent("tally.sqlite").path
        let last = try Connection(path: path, options: .init(readOnly: true))
            .scalarText("SELECT seq || ' ' || lower(hex(hash)) FROM facts ORDER BY seq DESC LIMIT 1")
        #expect(head == "head: " + (last ?? "none"), "\(verify.stdout)")
        #expect(head.range(of: #"^head: \d+ [0-9a-f]{64}$"#, options: .regularExpression) != nil, "\(head)")
        // An older anchor still holds after more facts; in upper case too.
        #expect(try runTally(["creator", "add", "zoe", "--name", "Zoe"], in: dir).status == 0)
        let checked = try runTally(["verify", "--head", anchor(head).uppercased()], in: dir)
        #expect(checked.status == 0 && checked.stdout.contains("anchor: fact"), "\(checked.stderr)")
        #expect(lastLine(checked.stdout) != head)
        // Another hash for that fact, or a fact that is not there: exit 1, naming the anchor.
        let seq = anchor(head).split(separator: ":")[0]
        let otherHash = "\(seq):" + String(repeating: "ab", count: 32)
        let wrong = try runTally(["verify", "--head", otherHash], in: dir)
        #expect(wrong.status == 1 && wrong.stderr.contains("the log was rewritten after the anchor"), "\(wrong.stderr)")
        let beyond = try runTally(["verify", "--head", "99999:" + String(repeating: "0", count: 64)], in: dir)
        #expect(
            beyond.status == 1 && beyond.stderr.contains("the log was cut back after the anchor"),
            "\(beyond.stderr)")
        // A malformed anchor is a usage error.
        let zeros = String(repeating: "0", count: 64)
        for malformed in [
            "12", "12:abc", "x:" + zeros, "0:" + zeros, "-1:" + zeros, "+1:" + zeros, "12:" + zeros + "0",
            "12:" + String(repeating: "g", count: 64), ":", ""
        ] {
            let result = try runTally(["verify", "--head", malformed], in: dir)
            #expect(result.status == 2, "--head '\(malformed)': \(result.status) \(result.stderr)")
        }
    }

    /// A log cut back (its last facts deleted, their projections with them, so that the rest still
    /// verifies) is caught only by a head written down before: the limit the anchor closes.
    @Test func anAnchorCatchesALogCutBack() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try examplesLedger(in: dir)
        let before = lastLine(try runTally(["verify"], in: dir).stdout)
        #expect(try runTally(["creator", "add", "zoe", "--name", "Zoe"], in: dir).status == 0)
        let anchored = lastLine(try runTally(["verify"], in: dir).stdout)
        let raw = try Connection(path: dir.appendingPathComponent("tally.sqlite").path)
        try raw.execute(
            """
            DROP TRIGGER facts_are_append_only_delete;
            DELETE FROM facts WHERE type = 'creator.registered' AND payload LIKE '%"zoe"%';
            DELETE FROM creators WHERE id = 'zoe';
            CREATE TRIGGER facts_are_append_only_delete BEFORE DELETE ON facts
              BEGIN SELECT RAISE(ABORT, 'facts are append-only'); END;
            """)
        let plain = try runTally(["verify"], in: dir)
        // Without an anchor, the cut is invisible.
        #expect(plain.status == 0 && lastLine(plain.stdout) == before, "\(plain.stderr)")
        let withAnchor = try runTally(["verify", "--head", anchor(anchored)], in: dir)
        #expect(withAnchor.status == 1 && withAnchor.stderr.contains("cut back"), "\(withAnchor.stderr)")
    }

    /// `payout close` prints the head after the close; `statement` shows it under the table only
    /// (the CSV and JSON columns are a contract).
    @Test func closeAndStatementShowTheHead() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try examplesLedger(in: dir)
        let close = try runTally(["payout", "close", "--month", "2026-07"], in: dir)
        #expect(close.status == 0, "\(close.stderr)")
        let head = lastLine(try runTally(["verify"], in: dir).stdout)
        #expect(lastLine(close.stdout) == head)
        let table = try runTally(["statement", "anna-bakes", "--month", "2026-07"], in: dir)
        #expect(lastLine(table.stdout) == head, "\(table.stdout)")
        let csv = try runTally(["statement", "anna-bakes", "--month", "2026-07", "--format", "csv"], in: dir)
        #expect(csv.stdout.hasPrefix("month,creator,kind,ref,date,amount,"), "\(csv.stdout)")
        #expect(!csv.stdout.contains("head"), "\(csv.stdout)")
        let json = try runTally(["statement", "anna-bakes", "--month", "2026-07", "--format", "json"], in: dir)
        #expect(json.stdout.hasPrefix("[") && !json.stdout.contains("head"), "\(json.stdout)")
    }
}

/// "head: SEQ HASH" as the `SEQ:HASH` that `--head` takes.
func anchor(_ headLine: String) -> String {
    headLine.replacingOccurrences(of: "head: ", with: "").replacingOccurrences(of: " ", with: ":")
}
