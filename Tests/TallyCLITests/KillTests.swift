import Foundation
import LedgerStore
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

// SIGKILL at several points of every kind of write: a big import and a rebuild and a close (the
// rollback-journal path, where a kill leaves a hot journal), a master-data import and a mark-paid
// (WAL). After each kill the first command is a read, and it must work and show the ledger as it
// was before the command (or after it, for a kill after the commit); then `verify` passes; then
// the command run again leaves exactly the log of an uninterrupted run.

/// One command to kill, with the read commands whose output shows its effect.
struct KillCase {
    let base: String
    let command: [String]
    var environment = bigWrites
    /// Rollback-journal path: a kill before the commit must leave a hot journal behind.
    var big = false
    let reads: [[String]]
    /// How the run after a kill that came after the commit may answer besides exit status 0.
    var refusalAfterCommit: String?
    /// Pause points of this command alone, killed in the short form too (before the commit).
    var ownPoints: [String] = []
    /// A file the command writes (beside the ledgers): removed after each run, and never there after
    /// a kill before the commit (a payment file the ledger does not know could be paid twice).
    var output: String?

    var points: [String] {
        let inTransaction = ["write-begun", "before-commit", "committed"]
        if fullReliabilityRuns { return ownPoints + (big ? ["journal-switched"] + inTransaction : inTransaction) }
        return ownPoints + (big ? ["before-commit", "committed"] : ["before-commit"])
    }

    static let timedFractions: [Double] = fullReliabilityRuns ? [0.2, 0.4, 0.6, 0.8, 0.95] : [0.6]
}

/// Where one kill lands: at a pause point, or after a fraction of an uninterrupted run's time.
enum KillPoint: CustomStringConvertible {
    case pause(String)
    case timed(Double)

    var description: String {
        switch self {
        case let .pause(point): return "at \(point)"
        case let .timed(fraction): return "after \(Int(fraction * 100)) % of a run"
        }
    }

    /// Which state the first read must show: the one before the command, after it, or either.
    var expected: (before: Bool, after: Bool) {
        switch self {
        case .pause("committed"): return (false, true)
        case .pause: return (true, false)
        case .timed: return (true, true)
        }
    }
}

@Suite("kill tests: the first command after a SIGKILL works")
struct KillTests {
    static let shopOrders = 2_000

    @Test(.enabled(if: python3Available, "needs python3 for benchmarks/generate.py"))
    func bigImport() throws {
        let shop = try ShopFixture(orders: Self.shopOrders); defer { shop.remove() }
        try killAnywhere(
            KillCase(
                base: "master.sqlite", command: ["import", "shopify", "shop/orders.csv"], big: true,
                reads: [previewOf("2025-03"), logAfter("master.sqlite", shop)]), shop)
    }

    @Test(.enabled(if: python3Available, "needs python3 for benchmarks/generate.py"))
    func rebuild() throws {
        let shop = try ShopFixture(orders: Self.shopOrders); defer { shop.remove() }
        let show = ["payout", "show", "--month", "2025-02", "--format", "csv"]
        let reads = [show, previewOf("2025-03")]
        // `rebuild-filled`: the new tables full, the old ones still there under other names.
        try killAnywhere(
            KillCase(
                base: "closed.sqlite", command: ["rebuild"], big: true, reads: reads,
                ownPoints: ["rebuild-filled"]), shop)
    }

    @Test(.enabled(if: python3Available, "needs python3 for benchmarks/generate.py"))
    func close() throws {
        let shop = try ShopFixture(orders: Self.shopOrders); defer { shop.remove() }
        let payee = try shop.largestPayee("2025-02", on: "closed.sqlite")
        let statement = ["statement", payee, "--month", "2025-03", "--format", "csv"]
        try killAnywhere(
            KillCase(
                base: "closed.sqlite", command: ["payout", "close", "--month", "2025-03"], big: true,
                reads: [statement, logAfter("closed.sqlite", shop)],
                refusalAfterCommit: "2025-03 is already closed"), shop)
    }

    @Test(.enabled(if: python3Available, "needs python3 for benchmarks/generate.py"))
    func masterDataImport() throws {
        let shop = try ShopFixture(orders: Self.shopOrders); defer { shop.remove() }
        try killAnywhere(
            KillCase(
                base: "closed.sqlite", command: ["import", "posts", "shop/posts.csv"],
                reads: [previewOf("2025-03"), logAfter("closed.sqlite", shop)]), shop)
    }

    @Test(.enabled(if: python3Available, "needs python3 for benchmarks/generate.py"))
    func markPaid() throws {
        let shop = try ShopFixture(orders: Self.shopOrders); defer { shop.remove() }
        let payee = try shop.largestPayee("2025-02", on: "closed.sqlite")
        let markPaid = ["payout", "mark-paid", "--month", "2025-02", "--creator", payee, "--reference", "TX-1"]
        let reads = [try logAfter("closed.sqlite", shop)]
        try killAnywhere(KillCase(base: "closed.sqlite", command: markPaid, reads: reads), shop)
    }

    /// A payment file appears under its name only once its export is recorded: a kill before the
    /// commit leaves no file (the run again writes it, not "exists"), one after leaves it recorded.
    @Test(.enabled(if: python3Available, "needs python3 for benchmarks/generate.py"))
    func paymentFileExport() throws {
        let shop = try ShopFixture(orders: Self.shopOrders); defer { shop.remove() }
        let export = ["payout", "export", "--month", "2025-02", "--to", "generic", "--output", "pay.csv"]
        let reads = [["payout", "show", "--month", "2025-02", "--format", "csv"], try logAfter("closed.sqlite", shop)]
        try killAnywhere(
            KillCase(
                base: "closed.sqlite", command: export, reads: reads,
                refusalAfterCommit: "nothing was written", output: "pay.csv"), shop)
    }

    /// `journal --output` records the journal (journal.exported) and stages its file beside its name
    /// until the commit: a kill leaves no journal the ledger does not know, and the run again works.
    @Test(.enabled(if: python3Available, "needs python3"))
    func journalExport() throws {
        let shop = try ShopFixture(orders: Self.shopOrders); defer { shop.remove() }
        let journal = ["journal", "--month", "2025-02", "--format", "quickbooks", "--output", "books.csv"]
        let reads = [["journal", "--month", "2025-02"], try logAfter("closed.sqlite", shop)]
        try killAnywhere(KillCase(base: "closed.sqlite", command: journal, reads: reads, output: "books.csv"), shop)
    }

    /// Without write access to the ledger and its folder, a read command after a kill cannot roll
    /// the hot journal back: it says what happened and what to run, changes nothing, and does not
    /// call the ledger read-only. As root, tally runs as `nobody` (root ignores permissions).
    @Test(
        .enabled(
            if: python3Available && (!runningAsRoot || canRunAsNobody),
            "needs python3, and a non-root user or setpriv"))
    func aReaderThatCannotRollBackSaysWhatToRun() throws {
        let shop = try ShopFixture(orders: 300); defer { chmod(shop.dir.path, 0o755); shop.remove() }
        let headBefore = try shop.verifiedHead("master.sqlite")
        let paused = try PausedTally(
            ["import", "shopify", "shop/orders.csv", "--ledger", "master.sqlite"],
            at: "before-commit", in: shop.dir, name: "import", environment: bigWrites)
        try #require(paused.reachedPause(), "\(paused.run.stderrSoFar)")
        #expect(try paused.kill())
        #expect(isHotJournal(shop.path("master.sqlite-journal")), "no hot journal: nothing to prove")
        chmod(shop.path("master.sqlite"), 0o444)
        chmod(shop.dir.path, 0o555)
        let before = try directoryState(shop.dir)
        let binary = runningAsRoot ? try tallyCopy(in: shop.dir) : tallyBinary()
        let wrapper = runningAsRoot ? dropPrivileges : ["/usr/bin/env"]
        for read in [["verify"], previewOf("2025-03")] {
            let result = try runTallyWrapped(
                wrapper, read + ["--ledger", "master.sqlite"], in: shop.dir,
                binary: binary)
            #expect(result.status == 1, "\(read): \(result.stdout)")
            #expect(result.stderr.contains("was interrupted (killed or crashed)"), "\(read): \(result.stderr)")
            #expect(result.stderr.contains("run 'tally verify"), "\(read): \(result.stderr)")
            #expect(!result.stderr.contains("read-only"), "\(read): \(result.stderr)")
        }
        #expect(try directoryState(shop.dir).filter { $0.key != "bin" } == before.filter { $0.key != "bin" })
        chmod(shop.dir.path, 0o755)
        chmod(shop.path("master.sqlite"), 0o644)
        #expect(try shop.verifiedHead("master.sqlite") == headBefore)
    }
}

/// Whether a rollback journal is hot: it starts with SQLite's journal magic, written once the
/// journal is synced, before the first page of the database file is overwritten (a journal still
/// zero there is ignored: the file is untouched).
func isHotJournal(_ path: String) -> Bool {
    guard let bytes = FileManager.default.contents(atPath: path)?.prefix(8) else { return false }
    return Array(bytes) == [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]
}

/// The tables of a ledger, by name.
func tableNames(_ path: String) throws -> [String] {
    let connection = try Connection(path: path, options: .init(readOnly: true))
    let st = try connection.prepared("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    defer { st.reset() }
    var names: [String] = []
    while try st.step() { names.append(st.text(0)) }
    return names
}

func previewOf(_ month: String) -> [String] { ["payout", "preview", "--month", month, "--format", "csv"] }

/// `log` of the facts after those of `ledger` now: empty before a command, its facts after.
func logAfter(_ ledger: String, _ shop: ShopFixture) throws -> [String] {
    ["log", "--since", "\(try factCount(shop.path(ledger)) + 1)", "--format", "json"]
}

/// Kills `c.command` at each pause point and after a few fractions of an uninterrupted run's time,
/// each time on a fresh copy of the base ledger; checks the first read, `verify` and the re-run.
func killAnywhere(_ c: KillCase, _ shop: ShopFixture) throws {
    try shop.copy(c.base, to: "before.sqlite")
    let before = try c.reads.map { try shop.run($0, on: "before.sqlite") }
    try #require(before.allSatisfy { $0.status == 0 }, "\(before.map(\.stderr))")
    let headBefore = try shop.verifiedHead("before.sqlite")

    try shop.copy(c.base, to: "reference.sqlite")
    let started = Date()
    let reference = try shop.run(c.command, on: "reference.sqlite", environment: c.environment)
    let runSeconds = Date().timeIntervalSince(started)
    try #require(reference.status == 0, "\(reference.stderr)")
    let removeOutput = { if let output = c.output { try? FileManager.default.removeItem(atPath: shop.path(output)) } }
    removeOutput()
    let after = try c.reads.map { try shop.run($0, on: "reference.sqlite").stdout }
    let headAfter = try shop.verifiedHead("reference.sqlite")
    let referenceFacts = try shop.facts("reference.sqlite")

    var interrupted = 0
    let kills = c.points.map(KillPoint.pause) + KillCase.timedFractions.map(KillPoint.timed)
    for kill in kills {
        try shop.copy(c.base, to: "killed.sqlite")
        let label = "\(c.command.joined(separator: " ")) killed \(kill)"
        let arguments = c.command + ["--ledger", "killed.sqlite"]
        switch kill {
        case let .pause(point):
            let paused = try PausedTally(arguments, at: point, in: shop.dir, name: "killed", environment: c.environment)
            try #require(paused.reachedPause(), "\(label): never got there: \(paused.run.stderrSoFar)")
            if c.big && (point == "before-commit" || c.ownPoints.contains(point)) {
                #expect(isHotJournal(shop.path("killed.sqlite-journal")), "\(label): no hot journal to roll back")
            }
            if try paused.kill() { interrupted += 1 }
            if let output = c.output, !kill.expected.after {
                #expect(!FileManager.default.fileExists(atPath: shop.path(output)), "\(label): \(output) left behind")
            }
        case let .timed(fraction):
            let run = try BackgroundTally(arguments, in: shop.dir, name: "killed", environment: c.environment)
            usleep(useconds_t(runSeconds * fraction * 1_000_000))
            run.kill()
            if try run.finish().killed { interrupted += 1 }
        }
        // The first command after the kill is a read: it works and shows the ledger before or after.
        for (n, read) in c.reads.enumerated() {
            let result = try shop.run(read, on: "killed.sqlite")
            #expect(result.status == 0, "\(label): \(read): \(result.stderr)")
            let (mayBeBefore, mayBeAfter) = kill.expected
            let showsBefore = mayBeBefore && result.stdout == before[n].stdout
            let matches = showsBefore || (mayBeAfter && result.stdout == after[n])
            #expect(matches, "\(label): \(read) shows neither the expected state: \(result.stdout.prefix(300))")
        }
        let head = try shop.verifiedHead("killed.sqlite")
        #expect(head == headBefore || head == headAfter, "\(label): \(head)")
        #expect(
            try tableNames(shop.path("killed.sqlite")) == tableNames(shop.path("reference.sqlite")),
            "\(label): other tables than an uninterrupted run's")
        if case .pause = kill { #expect(head == (kill.expected.after ? headAfter : headBefore), "\(label): \(head)") }
        let again = try shop.run(c.command, on: "killed.sqlite", environment: c.environment)
        let refused =
            c.refusalAfterCommit.map { again.status == 1 && again.stderr.contains($0) && head == headAfter }
            ?? false
        #expect(again.status == 0 || refused, "\(label), run again: \(again.stderr)")
        #expect(try shop.facts("killed.sqlite") == referenceFacts, "\(label): not the log of an uninterrupted run")
        #expect(try c.reads.map { try shop.run($0, on: "killed.sqlite").stdout } == after, "\(label): figures differ")
        #expect(try shop.verifiedHead("killed.sqlite") == headAfter, "\(label)")
        removeOutput()
    }
    // The pause points always interrupt; a timed kill may come after the end of a fast run.
    #expect(interrupted >= c.points.count, "only \(interrupted) of \(kills.count) kills interrupted the command")
}
