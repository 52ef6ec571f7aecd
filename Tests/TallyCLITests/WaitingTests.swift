import Foundation
import LedgerStore
import TestSupport
import Testing

// Waiting for a busy ledger, with real processes on both journal paths. A first command is stopped
// inside its write transaction (TALLY_TEST_PAUSE=before-commit); a second one starts, says it is
// waiting ("tally: note: waiting for another tally command ..."), and once the first is let go both
// finish. The note is the proof that the second really met the first's lock: it is printed only
// after a wait of 250 ms. Before the fix, a command opening the ledger during a big write failed
// at once with "busy": switching the journal mode takes locks for which SQLite does not wait.

let waitingNote = "tally: note: waiting for another tally command to finish with the ledger"

/// The two sides of one meeting: `first` holds the ledger, `second` comes while it does.
struct Meeting: CustomStringConvertible {
    let first: [String]
    let second: [String]
    var description: String { "\(first.joined(separator: " ")) then \(second.joined(separator: " "))" }
}

@Suite("waiting for a busy ledger, both journal paths")
struct WaitingTests {
    @Test(.enabled(if: python3Available, "needs python3 for benchmarks/generate.py"))
    func everyWriterWaitsForTheOtherWhicheverJournalPathEitherTakes() throws {
        let shop = try ShopFixture(orders: 2_000); defer { shop.remove() }
        let payee = try shop.largestPayee("2025-02", on: "closed.sqlite")
        let markPaid = ["payout", "mark-paid", "--month", "2025-02", "--creator", payee, "--reference", "TX-1"]
        let close = ["payout", "close", "--month", "2025-03"], posts = ["import", "posts", "shop/posts.csv"]
        let zoe = ["creator", "add", "zoe", "--name", "Zoe"]
        // With `bigWrites`, rebuild and close take the rollback-journal path; the others WAL.
        var meetings = [
            Meeting(first: ["rebuild"], second: zoe),  // rollback, then WAL
            Meeting(first: close, second: ["rebuild"]),  // rollback, then rollback
            Meeting(first: posts, second: ["rebuild"]),  // WAL, then rollback
            Meeting(first: markPaid, second: posts)  // WAL, then WAL
        ]
        if fullReliabilityRuns {
            meetings += [Meeting(first: ["rebuild"], second: close), Meeting(first: zoe, second: close)]
        }
        for (n, meeting) in meetings.enumerated() {
            let ledger = "meeting-\(n).sqlite"
            try shop.copy("closed.sqlite", to: ledger)
            let onLedger = ["--ledger", ledger]
            try meet(meeting.first + onLedger, meeting.second + onLedger, in: shop, "\(meeting)")
            #expect(try shop.verifiedHead(ledger).hasPrefix("head: "), "\(meeting)")
        }
        // A big import (rollback journal), then a master-data import: a ledger without orders yet.
        try shop.copy("master.sqlite", to: "import.sqlite")
        try meet(
            ["import", "shopify", "shop/orders.csv", "--ledger", "import.sqlite"],
            posts + ["--ledger", "import.sqlite"], in: shop, "big import then posts")
        #expect(try factCount(shop.path("import.sqlite"), type: "post.published") > 0)
        #expect(try factCount(shop.path("import.sqlite"), type: "import.recorded") == 1)
    }

    /// While a writer works in WAL mode, readers neither fail nor wait, and see the ledger as it was
    /// before the writer's transaction. While a big write (rollback journal) runs, a reader waits
    /// for it like a writer would, and then reads the result.
    @Test(.enabled(if: python3Available, "needs python3 for benchmarks/generate.py"))
    func readersNeverFailWhileAWriterWorksInWAL() throws {
        let shop = try ShopFixture(orders: 2_000); defer { shop.remove() }
        let payee = try shop.largestPayee("2025-02", on: "closed.sqlite")
        let reads = [
            ["verify"], previewOf("2025-03"), ["statement", payee, "--month", "2025-02"],
            ["log", "--since", "100"], ["payout", "show", "--month", "2025-02", "--format", "json"]
        ]
        let before = try reads.map { try shop.run($0, on: "closed.sqlite").stdout }
        let writer = try PausedTally(
            ["import", "posts", "shop/posts.csv", "--ledger", "closed.sqlite"],
            at: "before-commit", in: shop.dir, name: "writer", environment: bigWrites)
        try #require(writer.reachedPause(), "\(writer.run.stderrSoFar)")
        for (read, expected) in zip(reads, before) {
            let result = try shop.run(read, on: "closed.sqlite")
            #expect(result.status == 0 && !result.stderr.contains(waitingNote), "\(read): \(result.stderr)")
            #expect(result.stdout == expected, "\(read) does not show the ledger as it was before the write")
        }
        #expect(try writer.release().status == 0)
        try meet(
            ["rebuild", "--ledger", "closed.sqlite"], ["verify", "--ledger", "closed.sqlite"], in: shop,
            "rebuild then verify")
    }

    /// The wait on the journal-switch path is bounded too: with a big write that never ends, a
    /// writer gives up after the 5 s busy timeout (not at once, not never) and writes nothing.
    @Test(.enabled(if: python3Available, "needs python3 for benchmarks/generate.py"))
    func theWaitForABigWriteIsBounded() throws {
        let shop = try ShopFixture(orders: 300); defer { shop.remove() }
        let big = try PausedTally(
            ["rebuild", "--ledger", "closed.sqlite"], at: "before-commit", in: shop.dir,
            name: "big", environment: bigWrites)
        try #require(big.reachedPause(), "\(big.run.stderrSoFar)")
        let started = Date()
        let writer = try shop.run(["creator", "add", "zoe", "--name", "Zoe"], on: "closed.sqlite")
        let waitedSeconds = Date().timeIntervalSince(started)
        #expect(writer.status == 1, "\(writer.stdout)")
        #expect(writer.stderr.contains("is busy (another tally command is writing to it)"), "\(writer.stderr)")
        #expect(waitedSeconds >= 4.5, "gave up after \(waitedSeconds) s, before the 5 s busy timeout")
        #expect(try big.kill())
        #expect(try shop.verifiedHead("closed.sqlite").hasPrefix("head: "))
        #expect(try factCount(shop.path("closed.sqlite"), type: "creator.registered") == 200)
    }
}

/// `first` stops inside its write transaction; `second` starts and must say it waits; `first` is
/// let go; both must succeed.
func meet(_ first: [String], _ second: [String], in shop: ShopFixture, _ label: String) throws {
    let holder = try PausedTally(first, at: "before-commit", in: shop.dir, name: "first", environment: bigWrites)
    try #require(holder.reachedPause(), "\(label): \(holder.run.stderrSoFar)")
    let comer = try BackgroundTally(second, in: shop.dir, name: "second", environment: bigWrites)
    let waited = waitUntil { comer.stderrSoFar.contains(waitingNote) || !comer.process.isRunning }
    #expect(waited && comer.process.isRunning, "\(label): the second did not wait: \(comer.stderrSoFar)")
    let firstResult = try holder.release()
    let secondResult = try comer.finish().result
    #expect(firstResult.status == 0, "\(label), first: \(firstResult.stderr)")
    #expect(secondResult.status == 0, "\(label), second: \(secondResult.stderr)")
}
