import Foundation
import LedgerStore
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

// Crash safety and concurrent use, on the built binary and a generated Shopify export
// (benchmarks/generate.py: seeded, so the figures are the same on every run).

let python3Available =
    FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
    || (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
        FileManager.default.isExecutableFile(atPath: "\($0)/python3")
    }

/// Generates `orders` orders with the benchmark generator into `dir/name`.
func generateShop(orders: Int, variant: Int = 1, into dir: URL, name: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
        "python3", packageRoot().appendingPathComponent("benchmarks/generate.py").path, "--orders", "\(orders)",
        "--seed", "7", "--variant", "\(variant)", "--out", dir.appendingPathComponent(name).path
    ]
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "benchmarks/generate.py failed")
}

/// A new ledger with the generated shop's creators, codes and terms.
func prepareLedger(_ name: String, data: String, in dir: URL) throws {
    var steps = [["init", "--currency", "USD", "--timezone", "America/New_York"]]
    for kind in ["creators", "codes", "terms"] { steps.append(["import", kind, "\(data)/\(kind).csv"]) }
    for step in steps {
        let result = try runTally(step + ["--ledger", name], in: dir)
        try #require(result.status == 0, "\(step): \(result.stderr)")
    }
}

/// What must be equal between an interrupted-then-resumed ledger and an uninterrupted one.
func figures(_ ledger: String, in dir: URL, months: [String]) throws -> [String] {
    let path = dir.appendingPathComponent(ledger).path
    var out = [
        "order.seen \(try factCount(path, type: "order.seen"))",
        "order.changed \(try factCount(path, type: "order.changed"))",
        "import.recorded \(try factCount(path, type: "import.recorded"))"
    ]
    // Every column but email_hash: each ledger has its own random e-mail salt.
    out += try dumpRows(
        path,
        """
        SELECT source, order_id, name, created_at, created_offset, currency, subtotal_minor, discount_minor,
          shipping_minor, taxes_minor, total_minor, codes, referral, email_hash IS NULL, seen_status,
          seen_refunded_minor, seen_cancelled_at, seen_cancelled_offset, status, refunded_minor, cancelled_at,
          cancelled_offset, test, as_of, seen_seq
        FROM orders ORDER BY source, order_id
        """)
    out += try dumpRows(path, "SELECT * FROM order_changes ORDER BY seq")
    for month in months {
        let preview = try runTally(
            ["payout", "preview", "--month", month, "--format", "csv", "--ledger", ledger], in: dir)
        out.append("preview \(month) status \(preview.status)")
        out.append(preview.stdout)
    }
    return out
}

/// Sources that appear in more than one order.seen fact: must be none.
func doubledOrders(_ path: String) throws -> [String] {
    try dumpRows(
        path,
        """
        SELECT json_extract(payload, '$.source') || ':' || json_extract(payload, '$.order_id'), count(*) FROM facts
        WHERE type = 'order.seen' GROUP BY 1 HAVING count(*) > 1
        """)
}

@Suite("crash safety and concurrency", .serialized)
struct CrashAndConcurrencyTests {
    /// SIGKILL at several points of a large import (WAL: the file is under 8 MiB), on one ledger. First
    /// inside its transaction, stopped there with TALLY_TEST_PAUSE so that every one of these kills
    /// lands in the import whatever the machine's load: with the write lock held and nothing written,
    /// with everything appended but not committed, and the same with a 2-page cache (the
    /// uncommitted pages already in the WAL). Then spread over the time an uninterrupted import
    /// takes (start-up, hashing, reading, the transaction, the commit): those may land after the end
    /// on a machine whose speed changes, so they are counted apart, and the ledger is put back
    /// without the import when one did not interrupt it, so that the next one meets a whole import
    /// again. After each kill the ledger verifies and holds all of the import or none of it; the
    /// final run gives exactly the figures of an uninterrupted import.
    @Test(.enabled(if: python3Available, "needs python3 for benchmarks/generate.py"))
    func sigkillDuringImportLosesAndDoublesNothing() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try generateShop(orders: 3_000, into: dir, name: "shop")
        try prepareLedger("reference.sqlite", data: "shop", in: dir)
        try prepareLedger("killed.sqlite", data: "shop", in: dir)
        let importArgs = ["import", "shopify", "shop/orders.csv"]

        let started = Date()
        let reference = try runTally(importArgs + ["--ledger", "reference.sqlite"], in: dir)
        let uninterruptedSeconds = Date().timeIntervalSince(started)
        try #require(reference.status == 0, "\(reference.stderr)")
        let allOrders = try factCount(dir.appendingPathComponent("reference.sqlite").path, type: "order.seen")
        try #require(allOrders > 2_500)

        let killedPath = dir.appendingPathComponent("killed.sqlite").path
        // The ledger before the import (one file: WAL checkpointed into it), to start again from.
        let empty = dir.appendingPathComponent("empty.sqlite").path
        try Connection(path: killedPath).execute("PRAGMA wal_checkpoint(TRUNCATE)")
        try FileManager.default.copyItem(atPath: killedPath, toPath: empty)
        let paused: [(point: String, environment: [String: String])] = [
            ("write-begun", [:]), ("before-commit", [:]), ("before-commit", ["TALLY_TEST_CACHE_PAGES": "2"])
        ]
        let timed = [0.05, 0.3, 0.55, 0.75]
        var timedInterrupted = 0
        let killedImport = importArgs + ["--ledger", "killed.sqlite"]
        for (n, kill) in (paused.map { KillPoint.pause($0.point) } + timed.map(KillPoint.timed)).enumerated() {
            switch kill {
            case let .pause(point):
                let run = try PausedTally(
                    killedImport, at: point, in: dir, name: "kill-\(n)",
                    environment: paused[n].environment)
                try #require(run.reachedPause(), "\(point): \(run.run.stderrSoFar)")
                #expect(try run.kill(), "kill \(n) \(kill): the import ended before the kill")
            case let .timed(part):
                let run = try BackgroundTally(killedImport, in: dir, name: "kill-\(n)")
                usleep(useconds_t(uninterruptedSeconds * part * 1_000_000))
                run.kill()
                let (result, killed) = try run.finish()
                if killed { timedInterrupted += 1 } else { #expect(result.status == 0, "run \(n): \(result.stderr)") }
            }
            let verify = try runTally(["verify", "--ledger", "killed.sqlite"], in: dir)
            #expect(verify.status == 0, "after kill \(n) \(kill): \(verify.stderr)")
            let orders = try factCount(killedPath, type: "order.seen")
            if case .pause = kill {
                #expect(orders == 0, "after kill \(n) \(kill): \(orders) of \(allOrders) orders before any commit")
            } else {
                #expect(
                    orders == 0 || orders == allOrders,
                    "after kill \(n): \(orders) of \(allOrders) orders: a partial import")
            }
            if orders == allOrders {  // the import had ended: the next kill must meet a whole one again
                for suffix in ["-wal", "-shm", "-journal"] {
                    try? FileManager.default.removeItem(atPath: killedPath + suffix)
                }
                try FileManager.default.removeItem(atPath: killedPath)
                try FileManager.default.copyItem(atPath: empty, toPath: killedPath)
            }
        }
        print(
            "sigkill during import: \(paused.count) kills at pause points, "
                + "\(timedInterrupted) of \(timed.count) timed kills interrupted the import")

        let resumed = try runTally(importArgs + ["--ledger", "killed.sqlite"], in: dir)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let months = ["2025-03", "2025-09", "2025-12"]
        let resumedFigures = try figures("killed.sqlite", in: dir, months: months)
        let referenceFigures = try figures("reference.sqlite", in: dir, months: months)
        #expect(resumedFigures.count == referenceFigures.count)
        let differences = zip(resumedFigures, referenceFigures).filter { $0 != $1 }
        #expect(
            differences.isEmpty,
            "\(differences.count) differences, first: \(differences.first.map { "\($0.0) vs \($0.1)" } ?? "")")
        #expect(try doubledOrders(killedPath) == [])
        #expect(try runTally(["verify", "--ledger", "killed.sqlite"], in: dir).status == 0)
    }

    /// Two imports of the same orders (different bytes: the generator's variant 2) and a close,
    /// started at once on one ledger. Each completes, or fails cleanly saying the ledger is busy;
    /// every order is seen once; the ledger verifies; a completed close is in the log once.
    @Test(.enabled(if: python3Available, "needs python3 for benchmarks/generate.py"))
    func twoImportsAndACloseAtOnce() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try generateShop(orders: 3_000, variant: 1, into: dir, name: "shop1")
        try generateShop(orders: 3_000, variant: 2, into: dir, name: "shop2")
        try prepareLedger("tally.sqlite", data: "shop1", in: dir)
        try prepareLedger("reference.sqlite", data: "shop1", in: dir)
        #expect(
            try runTally(["import", "shopify", "shop1/orders.csv", "--ledger", "reference.sqlite"], in: dir).status == 0
        )
        let allOrders = try factCount(dir.appendingPathComponent("reference.sqlite").path, type: "order.seen")

        let commands = [
            ["import", "shopify", "shop1/orders.csv"], ["import", "shopify", "shop2/orders.csv"],
            ["payout", "close", "--month", "2025-01"]
        ]
        let runs = try commands.enumerated().map { n, args in try BackgroundTally(args, in: dir, name: "run-\(n)") }
        let results = try runs.map { try $0.finish().result }
        for (args, result) in zip(commands, results) {
            let busy = result.status == 1 && result.stderr.contains("is busy")
            #expect(result.status == 0 || busy, "\(args): status \(result.status): \(result.stderr)")
        }
        let path = dir.appendingPathComponent("tally.sqlite").path
        let importsDone = results.prefix(2).filter { $0.status == 0 }.count
        #expect(try factCount(path, type: "order.seen") == (importsDone > 0 ? allOrders : 0))
        #expect(try doubledOrders(path) == [])
        #expect(try factCount(path, type: "month.closed") == (results[2].status == 0 ? 1 : 0))
        let verify = try runTally(["verify"], in: dir)
        #expect(verify.status == 0, "\(verify.stderr)")
        // A completed close is final: closing again is refused.
        if results[2].status == 0 {
            #expect(try runTally(["payout", "close", "--month", "2025-01"], in: dir).status == 1)
        }
    }

    /// The same file imported by two processes at once: the second passed its "imported before?"
    /// check while the first was still writing (stopped before its commit), then waited for the
    /// lock. Holding it, it must see the first's record and skip, as a re-run does; it once recorded
    /// a second `import recorded` with the same SHA-256.
    @Test func theSameFileImportedTwiceAtOnceIsRecordedOnce() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createSymbolicLink(
            at: dir.appendingPathComponent("examples"),
            withDestinationURL: packageRoot().appendingPathComponent("examples"))
        #expect(try runTally(["init", "--currency", "USD", "--timezone", "America/New_York"], in: dir).status == 0)
        let file = "examples/shopify/orders_export_2026-07-01_2026-08-31.csv"
        let first = try PausedTally(["import", "shopify", file], at: "before-commit", in: dir, name: "first")
        try #require(first.reachedPause(), "\(first.run.stderrSoFar)")
        let second = try BackgroundTally(["import", "shopify", file], in: dir, name: "second")
        // The waiting note proves that the second met the first's lock, its own check done.
        let waited = waitUntil { second.stderrSoFar.contains(waitingNote) || !second.process.isRunning }
        #expect(waited && second.process.isRunning, "the second did not wait: \(second.stderrSoFar)")
        let firstResult = try first.release()
        let secondResult = try second.finish().result
        #expect(firstResult.status == 0 && firstResult.stdout.hasPrefix("Imported "), "\(firstResult.stderr)")
        #expect(secondResult.status == 0, "\(secondResult.stderr)")
        #expect(secondResult.stdout.hasPrefix("Skipped "), "\(secondResult.stdout)")
        let path = dir.appendingPathComponent("tally.sqlite").path
        #expect(try factCount(path, type: "import.recorded") == 1)
        #expect(try doubledOrders(path) == [])
        #expect(try runTally(["verify"], in: dir).status == 0)
    }

    /// A command that finds the ledger locked waits for the lock (SQLite's busy timeout) and then
    /// does its work. Found by the test above: the first fact's statement was never reset, so
    /// every command held a read transaction, which SQLite cannot upgrade after waiting: the
    /// second of two commands started together failed at once with "busy".
    @Test func aWriterWaitsForTheLockThenProceeds() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try runTally(["init", "--currency", "USD"], in: dir).status == 0)
        let path = dir.appendingPathComponent("tally.sqlite").path
        let holder = try Connection(path: path)
        try holder.execute("BEGIN IMMEDIATE")
        let waiter = try BackgroundTally(["creator", "add", "zoe", "--name", "Zoe"], in: dir, name: "waiter")
        usleep(700_000)  // the waiter has started and found the lock taken
        try holder.execute("COMMIT")
        let result = try waiter.finish().result
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try factCount(path, type: "creator.registered") == 1)
    }

    /// The wait is bounded: with the lock never released, the command gives up with the busy
    /// message (after SQLite's 5 s busy timeout) and writes nothing.
    @Test func aWriterGivesUpWithBusyAfterABoundedWait() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try runTally(["init", "--currency", "USD"], in: dir).status == 0)
        let path = dir.appendingPathComponent("tally.sqlite").path
        let holder = try Connection(path: path)
        try holder.execute("BEGIN IMMEDIATE")
        let waiter = try BackgroundTally(["creator", "add", "zoe", "--name", "Zoe"], in: dir, name: "waiter")
        var polls = 0
        while waiter.process.isRunning && polls < 600 {  // at most 60 s, far beyond the 5 s timeout
            usleep(100_000)
            polls += 1
        }
        let gaveUp = !waiter.process.isRunning
        try holder.execute("ROLLBACK")
        #expect(gaveUp, "the command was still waiting for the lock after 60 s")
        let result = try waiter.finish().result
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("the ledger tally.sqlite is busy (another tally command is writing to it)"),
            "\(result.stderr)")
        #expect(try factCount(path, type: "creator.registered") == 0)
    }
}
