import Foundation
import LedgerCore
import LedgerStore
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Runs `tally` through a wrapper command (`setpriv ...`, `bash -c ...`), with the same pinned
/// environment as `runTally`: `prefix` + [the tally binary] + `arguments`.
func runTallyWrapped(
    _ prefix: [String], _ arguments: [String], in directory: URL, binary: URL = tallyBinary(),
    environment extra: [String: String] = [:]
) throws -> RunResult {
    try runProcess(
        URL(fileURLWithPath: prefix[0]), Array(prefix.dropFirst()) + [binary.path] + arguments,
        in: directory, environment: pinnedEnvironment(extra))
}

/// A `tally` process started in the background; its output goes to files (a pipe nobody reads
/// could block it), read back by `finish()`.
final class BackgroundTally {
    let process = Process()
    let outURL: URL
    let errURL: URL

    /// `umask`: the file-creation mask to run it under (e.g. "022"), else the test process's own.
    init(
        _ arguments: [String], in directory: URL, name: String, environment extra: [String: String] = [:],
        umask mask: String? = nil
    ) throws {
        outURL = directory.appendingPathComponent("\(name).out")
        errURL = directory.appendingPathComponent("\(name).err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        (process.executableURL, process.arguments) = tallyInvocation(arguments, umask: mask)
        process.currentDirectoryURL = directory
        process.environment = pinnedEnvironment(extra)
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    func kill() { Glibc.kill(process.processIdentifier, SIGKILL) }

    /// What it has written to standard error so far.
    var stderrSoFar: String { (try? String(contentsOf: errURL, encoding: .utf8)) ?? "" }

    /// Waits for the process and returns what it printed; `killed` when SIGKILL ended it.
    func finish() throws -> (result: RunResult, killed: Bool) {
        process.waitUntilExit()
        let killed = process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
        let result = RunResult(
            status: process.terminationStatus, stdout: try String(contentsOf: outURL, encoding: .utf8),
            stderr: try String(contentsOf: errURL, encoding: .utf8))
        return (result, killed)
    }
}

/// The SHA-256 of a file's bytes, or "absent".
func fileDigest(_ path: String) -> String {
    guard let data = FileManager.default.contents(atPath: path) else { return "absent" }
    return sha256Hex(Array(data))
}

/// `SELECT count(*) FROM facts WHERE type = ?` on the ledger file, read-only.
func factCount(_ ledgerPath: String, type: String? = nil) throws -> Int64 {
    let connection = try Connection(path: ledgerPath, options: .init(readOnly: true))
    if let type { return try connection.scalarInt("SELECT count(*) FROM facts WHERE type = ?", [.text(type)]) ?? 0 }
    return try connection.scalarInt("SELECT count(*) FROM facts") ?? 0
}

/// Every row of a query as text, to compare two ledgers or one ledger over time.
func dumpRows(_ ledgerPath: String, _ sql: String) throws -> [String] {
    let connection = try Connection(path: ledgerPath, options: .init(readOnly: true))
    let st = try connection.prepared(sql)
    var rows: [String] = []
    while try st.step() { rows.append(st.row().map { "\($0)" }.joined(separator: "|")) }
    return rows
}

let runningAsRoot = geteuid() == 0

/// Root ignores file permissions, so a read-only test as root runs tally as `nobody`.
let dropPrivileges = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]

/// Whether a command can be run as `nobody` here (root, with setpriv).
let canRunAsNobody: Bool = {
    guard runningAsRoot, FileManager.default.isExecutableFile(atPath: dropPrivileges[0]) else { return false }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: dropPrivileges[0])
    process.arguments = Array(dropPrivileges.dropFirst()) + ["/bin/true"]
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}()

/// A copy of the tally binary in `dir` (0755), so that `nobody` can run it even when the build
/// folder is not readable by other users (a clone under /root).
func tallyCopy(in dir: URL) throws -> URL {
    let copy = dir.appendingPathComponent("bin/tally")
    try FileManager.default.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: tallyBinary(), to: copy)
    chmod(copy.deletingLastPathComponent().path, 0o755)
    chmod(copy.path, 0o755)
    return copy
}

/// Whether a tmpfs can be mounted here (root with CAP_SYS_ADMIN, as on the CI machine).
let canMountTmpfs: Bool = {
    guard runningAsRoot, let dir = try? makeTemporaryDirectory() else { return false }
    defer { try? FileManager.default.removeItem(at: dir) }
    guard mountTmpfs(at: dir.path, sizeKiB: 64) else { return false }
    unmount(dir.path)
    return true
}()

@discardableResult
func mountTmpfs(at path: String, sizeKiB: Int) -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/mount")
    process.arguments = ["-t", "tmpfs", "-o", "size=\(sizeKiB)k", "tmpfs", path]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}

func unmount(_ path: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/umount")
    process.arguments = [path]
    try? process.run()
    process.waitUntilExit()
}

/// A ledger with the example master data and both Shopify exports, built with the real binary.
func examplesLedger(in dir: URL, closing months: [String] = []) throws {
    let examples = packageRoot().appendingPathComponent("examples").path
    var steps: [[String]] = [["init", "--currency", "USD", "--timezone", "America/New_York"]]
    for kind in ["creators", "codes", "referrals", "terms", "posts", "gifts", "adjustments", "fx"] {
        steps.append(["import", kind, "\(examples)/\(kind).csv"])
    }
    steps.append(["import", "shopify", "\(examples)/shopify/orders_export_2026-07-01_2026-08-31.csv"])
    steps.append(["import", "shopify", "\(examples)/shopify/orders_export_2026-08-15_2026-10-31.csv"])
    steps.append(["import", "woocommerce", "\(examples)/woocommerce/orders_export_woo.csv"])
    steps.append(["import", "orders", "\(examples)/orders/popup-and-tiktok.csv"])
    for month in months { steps.append(["payout", "close", "--month", month]) }
    for step in steps {
        let result = try runTally(step, in: dir)
        try #require(result.status == 0, "tally \(step.joined(separator: " ")): \(result.stderr)")
    }
}
