import Foundation
import LedgerStore
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

// Support for the kill, waiting and concurrent-verify tests: a generated shop with two ledgers
// built from it, and tally processes stopped at a named point of their write (TALLY_TEST_PAUSE).

/// The reliability tests run a short form by default (CI) and a long one, with more kill points
/// and more commits, with TALLY_TEST_FULL=1 (scripts/reliability-loop.sh).
let fullReliabilityRuns = ProcessInfo.processInfo.environment["TALLY_TEST_FULL"] == "1"

/// Every order file takes the rollback-journal path (the 8 MiB threshold lowered to 0 bytes), and
/// every write spills to the file before its commit (a cache of 2 pages), as a big one does.
let bigWrites = ["TALLY_TEST_ROLLBACK_JOURNAL_BYTES": "0", "TALLY_TEST_CACHE_PAGES": "2"]

/// Polls `condition` every 5 ms until it holds; false after `seconds`. The bound only stops a
/// broken test from hanging: no test relies on it being reached or not.
func waitUntil(seconds: Double = 60, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() {  // bounded by the deadline
        if Date() > deadline { return false }
        usleep(5_000)
    }
    return true
}

/// A tally command that stops at `point` of its write (`TALLY_TEST_PAUSE`) until released or killed.
final class PausedTally {
    let run: BackgroundTally
    let pauseFile: String

    init(
        _ arguments: [String], at point: String, in dir: URL, name: String,
        environment: [String: String] = [:], umask mask: String? = nil
    ) throws {
        pauseFile = dir.appendingPathComponent("\(name).pause").path
        try? FileManager.default.removeItem(atPath: pauseFile)
        let pause = ["TALLY_TEST_PAUSE": "\(point):\(pauseFile)"]
        run = try BackgroundTally(
            arguments, in: dir, name: name, environment: environment.merging(pause) { $1 },
            umask: mask)
    }

    /// Whether the command reached its pause point (false: it ended first).
    func reachedPause() -> Bool {
        _ = waitUntil { FileManager.default.fileExists(atPath: pauseFile) || !run.process.isRunning }
        return FileManager.default.fileExists(atPath: pauseFile) && run.process.isRunning
    }

    /// Lets the command go on; returns how it ended.
    func release() throws -> RunResult {
        try FileManager.default.removeItem(atPath: pauseFile)
        return try run.finish().result
    }

    /// SIGKILL where it stands; whether the kill ended it (not an exit of its own).
    func kill() throws -> Bool {
        run.kill()
        return try run.finish().killed
    }
}

/// A generated shop (`benchmarks/generate.py`, seed 7) in a temporary directory, with two ledgers:
/// `master.sqlite` (creators, codes, terms) and `closed.sqlite` (the same, the orders, January and
/// February 2025 closed). Tests work on copies, so that each starts from the same bytes (and the
/// same e-mail salt: two runs of one command write identical facts, hashes included).
struct ShopFixture {
    let dir: URL

    /// `creators`: the generator's first creators only (it makes 2,000), with their codes, terms and
    /// posts: smaller ledgers check faster; the orders of the others' codes stay, unattributed.
    init(orders: Int, creators: Int = 200) throws {
        dir = try makeTemporaryDirectory()
        do {
            try generateShop(orders: orders, into: dir, name: "shop")
            try keepFirstCreators(creators)
            try prepareLedger("master.sqlite", data: "shop", in: dir)
            try copy("master.sqlite", to: "closed.sqlite")
            for step in [
                ["import", "shopify", "shop/orders.csv"], ["payout", "close", "--month", "2025-01"],
                ["payout", "close", "--month", "2025-02"]
            ] {
                let result = try run(step, on: "closed.sqlite")
                try #require(result.status == 0, "\(step): \(result.stderr)")
            }
        } catch {
            remove()  // the caller's `defer` comes only after a fixture is made
            throw error
        }
    }

    func remove() { try? FileManager.default.removeItem(at: dir) }

    private func keepFirstCreators(_ count: Int) throws {
        let creators = try String(contentsOfFile: path("shop/creators.csv"), encoding: .utf8).split(separator: "\n")
        let kept = Set(creators.dropFirst().prefix(count).map { $0.prefix { $0 != "," } })
        for (file, column) in [("creators", 0), ("codes", 1), ("terms", 0), ("posts", 1)] {
            let lines = try String(contentsOfFile: path("shop/\(file).csv"), encoding: .utf8).split(separator: "\n")
            let rows = lines.dropFirst().filter { line in
                let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                return fields.count > column && kept.contains(fields[column])
            }
            let text = ([lines[0]] + rows).joined(separator: "\n") + "\n"
            try text.write(toFile: path("shop/\(file).csv"), atomically: true, encoding: .utf8)
        }
    }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// `tally ARGS --ledger LEDGER` in the fixture's directory.
    func run(_ arguments: [String], on ledger: String, environment: [String: String] = [:]) throws -> RunResult {
        try runTally(arguments + ["--ledger", ledger], in: dir, environment: environment)
    }

    /// A fresh copy of a ledger: every fact moved into the main file first, then that file alone copied.
    func copy(_ source: String, to name: String) throws {
        try Connection(path: path(source)).execute("PRAGMA wal_checkpoint(TRUNCATE)")
        for suffix in ["", "-wal", "-shm", "-journal"] {
            try? FileManager.default.removeItem(atPath: path(name) + suffix)
        }
        try FileManager.default.copyItem(atPath: path(source), toPath: path(name))
    }

    /// The "head: SEQ HASH" line that ends a clean `verify`, or the failure.
    func verifiedHead(_ ledger: String) throws -> String {
        let verify = try run(["verify"], on: ledger)
        guard verify.status == 0, verify.stdout.hasPrefix("OK:") else { return "verify failed: \(verify.stderr)" }
        return verify.stdout.split(separator: "\n").last.map(String.init) ?? ""
    }

    /// Every fact's place, type and hash: equal for two ledgers that hold the same log.
    func facts(_ ledger: String) throws -> [String] {
        try dumpRows(path(ledger), "SELECT seq, type, hex(hash) FROM facts ORDER BY seq")
    }

    /// The creator with the largest payout of a closed month.
    func largestPayee(_ month: String, on ledger: String) throws -> String {
        let show = try run(["payout", "show", "--month", month, "--format", "csv"], on: ledger)
        let rows = show.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        let payee = rows.filter { $0.count >= 11 }.max { cents($0[9]) < cents($1[9]) }
        try #require(payee.map { cents($0[9]) > 0 } == true, "no payout in \(month): \(show.stdout)")
        return payee![1]
    }
}

/// The last line of an output.
func lastLine(_ text: String) -> String { text.split(separator: "\n").last.map(String.init) ?? "" }
