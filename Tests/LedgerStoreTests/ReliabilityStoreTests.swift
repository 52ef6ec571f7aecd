import Foundation
import LedgerCore
@testable import LedgerStore
import TestSupport
import Testing

// The store's side of reliability: the bounded wait for a journal-mode switch, the chain head and
// its anchor form, reads in one transaction, and the test-only settings.

@Suite("reliability in the store")
struct ReliabilityStoreTests {
    /// Leaving a big write's rollback journal for WAL needs a lock SQLite does not wait for: the
    /// switch waits itself, up to its limit, then gives up with SQLite's busy error; once the other
    /// writer is done, it switches.
    @Test func aJournalSwitchWaitsForAnotherWriterUpToItsLimit() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("tally.sqlite").path
        _ = try fixtureLedger(at: path)
        let writer = try Connection(path: path)
        #expect(try writer.setJournalMode("delete", waiting: false))
        try writer.execute("BEGIN IMMEDIATE; INSERT INTO ledger_meta (key, value) VALUES ('probe', 'x');")
        let waiter = try Connection(path: path, options: .init(busyTimeoutMilliseconds: 400))
        // The clock the wait itself uses (`BusyWait`), started before it: no rounding between the two.
        let started = ContinuousClock.now
        #expect(throws: SQLiteError.self) { try waiter.setJournalMode("wal", waiting: true) }
        let waited = ContinuousClock.now - started
        #expect(waited >= .milliseconds(400) && waited < .seconds(10), "gave up after \(waited)")
        try writer.execute("ROLLBACK")
        #expect(try waiter.setJournalMode("wal", waiting: true))
        #expect(try waiter.journalMode() == "wal")
    }

    /// A wait gives up only once its whole limit has passed, on the clock it measures with: it once
    /// gave up with a fraction of a millisecond to go (399.985 ms of 400), its rest rounded down to 0.
    @Test(arguments: [1, 2, 3, 7, 20])
    func aBusyWaitNeverEndsBeforeItsLimit(milliseconds: Int32) {
        for _ in 0..<20 {
            var wait = BusyWait(limitMilliseconds: milliseconds)
            var sleeps = 0
            while wait.sleep() { sleeps += 1 }  // bounded: each sleep takes at least 1 ms of the limit
            #expect(
                wait.elapsed >= .milliseconds(Int64(milliseconds)),
                "gave up after \(wait.elapsed), \(sleeps) sleeps")
            #expect(wait.remainingMilliseconds == 0)
        }
    }

    @Test func theHeadIsTheLastFactAndAnAnchorParses() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let (ledger, _) = try fixtureLedger(at: dir.appendingPathComponent("tally.sqlite").path)
        var last: StoredFact?
        try ledger.forEachFact { last = $0 }
        let head = try #require(try ledger.head())
        #expect(head.seq == last?.seq && head.hash == last?.hash)
        #expect(head.description == "\(head.seq) \(hex(head.hash))")
        #expect(ChainHead(anchor: "\(head.seq):\(head.hashHex.uppercased())") == head)
        let report = try ledger.verify(anchor: head)
        #expect(report.isClean && report.head == head, "\(report.problems)")
        let zeros = String(repeating: "0", count: 64)
        for bad in [
            "", ":", "1", "1:", ":" + zeros, "0:" + zeros, "+1:" + zeros, " 1:" + zeros, "1:" + zeros + "00",
            "1:" + String(zeros.dropLast()), "1:" + String(zeros.dropLast()) + "g", "99999999999999999999:" + zeros
        ] {
            #expect(ChainHead(anchor: bad) == nil, "'\(bad)'")
        }
    }

    /// `read` holds one snapshot: a commit by another connection in the middle is not seen, and a
    /// nested `read` (or a `read` inside a write) joins the open transaction.
    @Test func aReadSeesOneState() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("tally.sqlite").path
        let (ledger, _) = try fixtureLedger(at: path)
        let other = try Ledger.open(path: path)
        let before = try ledger.head()
        try ledger.read {
            try other.write { try $0.append(.houseCodeDeclared(HouseCodeDeclared(code: "LATE", at: fixtureStart))) }
            #expect(try ledger.head() == before)
            let nested = try ledger.read { try ledger.head() }
            #expect(nested == before)
        }
        #expect(try ledger.head()?.seq == (before?.seq ?? 0) + 1)
        #expect(other.headAfterLastWrite == (try ledger.head()))
    }

    @Test func testSettingsComeFromTheEnvironmentOrNameTheBadVariable() throws {
        #expect(try TestSettings(environment: [:]) == TestSettings())
        let settings = try TestSettings(environment: [
            "TALLY_TEST_ROLLBACK_JOURNAL_BYTES": "0", "TALLY_TEST_CACHE_PAGES": "2",
            "TALLY_TEST_PAUSE": "before-commit:/tmp/x:y"
        ])
        #expect(settings.rollbackJournalBytesMin == 0 && settings.cachePages == 2)
        #expect(settings.pause == TestSettings.Pause(point: .beforeCommit, file: "/tmp/x:y"))
        for (name, value) in [
            ("TALLY_TEST_ROLLBACK_JOURNAL_BYTES", "-1"), ("TALLY_TEST_CACHE_PAGES", "0"),
            ("TALLY_TEST_PAUSE", "nowhere:/tmp/x"), ("TALLY_TEST_PAUSE", "before-commit")
        ] {
            do {
                _ = try TestSettings(environment: [name: value])
                Issue.record("\(name)=\(value) was accepted")
            } catch {
                #expect(error.description.hasPrefix(name), "\(error)")
            }
        }
    }
}
