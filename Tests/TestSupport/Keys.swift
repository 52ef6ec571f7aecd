import Foundation
import LedgerCore
import LedgerStore

// Keys in tests: fixed ones for ledgers made in process, and one configuration folder for the whole
// test run, so that no test reads or writes the user's ~/.config (`pinnedEnvironment`).

/// A key fixed by its salt: the same salt gives the same id, fingerprint and sealing key, so that
/// every run writes the same facts.
public func testKey(salt: String) -> LedgerKey {
    let id = String(sha256Hex(Array(("id:" + salt).utf8)).prefix(32))
    let sealing = bytes(hex: sha256Hex(Array(("sealing:" + salt).utf8)))!
    return LedgerKey(ledgerId: id, emailSalt: salt, sealingKey: sealing)
}

/// The first fact of a scenario's ledger (its key never matters to the pure engine).
public func testInitialized(_ base: Currency, zone: String) -> LedgerInitialized {
    let key = testKey(salt: "salt")
    return LedgerInitialized(
        baseCurrency: base, zone: zone, ledgerId: key.ledgerId, keyFingerprint: key.fingerprint,
        at: Instant(unixSeconds: 0))
}

/// The tests' own home and configuration folder (`HOME`, `XDG_CONFIG_HOME`), one for the whole
/// run, removed when the test process exits: every `tally` the tests run keeps its keys there.
public let testHome: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("tally-test-home-\(getpid())")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(at: testHome) }
    return url
}()

/// The environment variables that say where keys are, for the tests: `testHome`, no `TALLY_KEY_FILE`.
public func keyEnvironment(home: URL = testHome) -> [String: String] {
    ["HOME": home.path, "XDG_CONFIG_HOME": home.appendingPathComponent(".config").path]
}

/// Writes `key` where `tally` run by the tests looks for it (a ledger made in process, used by the
/// binary); the key file's path.
@discardableResult
public func installKey(_ key: LedgerKey, home: URL = testHome) throws -> String {
    let environment = keyEnvironment(home: home)
    guard case let .file(path) = KeyFile.source(option: nil, ledgerId: key.ledgerId, environment: environment) else {
        preconditionFailure("the test home has a key folder")
    }
    // Replaced atomically: tests running at once may install the same key.
    try KeyFile.write(key, to: path, replacing: true, environment: environment)
    return path
}
