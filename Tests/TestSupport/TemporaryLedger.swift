import Foundation
import LedgerCore
import LedgerStore

/// A fresh empty directory for one test, removed by the caller's `defer`.
public func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("tally-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A fresh ledger in its own temporary directory, removed with it: the tests' one temporary
/// ledger. The clock and the e-mail salt are fixed, so that every run writes the same facts.
public final class TemporaryLedger {
    /// 2026-11-18T...: after the examples' months, so that they can be closed.
    public static let defaultNow = Instant(unixSeconds: 1_795_000_000)

    public let directory: URL
    /// The ledger file.
    public let path: String
    public let ledger: Ledger

    /// The ledger's key (`testKey(salt:)`), known to the ledger in memory: no key file.
    public let key: LedgerKey

    public init(
        currency: Currency = Currency(code: "USD")!, zone: Zone = Zone(identifier: "America/New_York")!,
        now: Instant = defaultNow, salt: String = "test-salt", fileName: String = "ledger.sqlite"
    ) throws {
        directory = try makeTemporaryDirectory()
        path = directory.appendingPathComponent(fileName).path
        key = testKey(salt: salt)
        ledger = try Ledger.create(path: path, baseCurrency: currency, zone: zone, clock: .fixed(now), key: key)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// A file of the directory.
    public func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Writes `text` to `name` in the directory; its path.
    @discardableResult
    public func write(_ text: String, _ name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }
}

/// The repository's examples/ folder.
public func examplesDirectory() -> URL { packageRoot().appendingPathComponent("examples") }
