import Foundation
import LedgerCore
import LedgerStore

/// One ledger file opened for a command. The use cases of the command line are its methods (in
/// the files next to this one): each takes parsed values, reads or writes the ledger through the
/// store, lets the core decide, and returns values for the command line to render. Tests call
/// them in process.
public final class LedgerSession {
    let ledger: Ledger
    /// `--key-file`, and the environment the key's place comes from (`KeyFile.source`).
    let keyOption: String?
    let environment: [String: String]

    init(_ ledger: Ledger, keyOption: String? = nil, environment: [String: String] = [:]) {
        self.ledger = ledger
        self.keyOption = keyOption
        self.environment = environment
        if let id = ledger.ledgerId, case .nowhere = ledger.keySource {
            ledger.keySource = KeyFile.source(option: keyOption, ledgerId: id, environment: environment)
        }
    }

    public var path: String { ledger.path }
    public var baseCurrency: Currency { ledger.settings.baseCurrency }
    public var zone: Zone { ledger.settings.zone }
    /// The session's clock: the system's, or the fixed time it was opened with.
    public var now: Instant { ledger.clock.now() }

    /// The newest ledger schema this tally writes (`tally --version`).
    public static var schemaVersion: Int { Ledger.schemaVersion }

    /// The `--ledger` / `TALLY_LEDGER` / `./tally.sqlite` rule.
    public static func resolvePath(option: String?) -> String { Ledger.resolvePath(option: option) }

    /// Opens an existing ledger. `now`: a fixed clock (`TALLY_NOW`), else the system's;
    /// `environment`: where the key is looked for (`TALLY_KEY_FILE`, `XDG_CONFIG_HOME`, `HOME`) and
    /// the settings for tests only come from (`TALLY_TEST_*`, `TestSettings`); `keyFile`: the
    /// `--key-file` option; `onLongWait`: called once if the command has to wait for another one.
    /// The key is read only when a command needs it.
    public static func open(
        path: String, readOnly: Bool = false, now: Instant? = nil,
        environment: [String: String] = [:], keyFile: String? = nil,
        onLongWait: (@Sendable () -> Void)? = nil
    ) throws -> LedgerSession {
        let ledger = try Ledger.open(path: path, readOnly: readOnly, clock: clock(now), onLongWait: onLongWait)
        do {
            ledger.testSettings = try TestSettings(environment: environment)
        } catch {
            throw UserError(error.description)
        }
        return LedgerSession(ledger, keyOption: keyFile, environment: environment)
    }

    /// The chain's head when this session's last write committed (what `payout close` prints).
    public var headAfterLastWrite: ChainHead? { ledger.headAfterLastWrite }

    /// Creates a ledger and its key (`tally init`): the key file first, where `keyFile` /
    /// `TALLY_KEY_FILE` / the user's configuration folder say (`KeyFile.source`), then the ledger,
    /// whose first fact keeps the key's fingerprint. Refuses an existing ledger or key file; leaves
    /// neither behind when it fails.
    public static func create(
        path: String, baseCurrency: Currency, zone: Zone, now: Instant? = nil,
        environment: [String: String] = [:], keyFile: String? = nil
    ) throws -> LedgerSession {
        if FileManager.default.fileExists(atPath: path) { throw LedgerError.alreadyExists(path: path) }
        // The ledger's folder first: a key written for a ledger that cannot be made would be a stray.
        if let problem = Ledger.creationProblem(path) { throw LedgerError.cannotCreate(path: path, reason: problem) }
        let key = LedgerKey.generate()
        let source = KeyFile.source(option: keyFile, ledgerId: key.ledgerId, environment: environment)
        guard case let .file(keyPath) = source else {
            throw UserError("nowhere to put the key of the new ledger \(path): \(source.whyNowhere ?? source.place)")
        }
        try writeNewKey(key, to: keyPath, environment: environment)
        let ledger: Ledger
        do {
            ledger = try Ledger.create(path: path, baseCurrency: baseCurrency, zone: zone, clock: clock(now), key: key)
        } catch {
            unlink(keyPath)
            throw error
        }
        ledger.keySource = .file(keyPath)
        return LedgerSession(ledger, keyOption: keyFile, environment: environment)
    }

    private static func clock(_ now: Instant?) -> LedgerClock { now.map(LedgerClock.fixed) ?? .system }

    /// The key file of a ledger being made or moving its key out: never over an existing file.
    static func writeNewKey(_ key: LedgerKey, to path: String, environment: [String: String]) throws {
        do {
            try KeyFile.write(key, to: path, replacing: false, environment: environment)
        } catch LedgerError.keyFileExists {
            throw UserError(
                "\(path) already exists: tally never writes a new key over a key file; name another "
                    + "file with --key-file (or TALLY_KEY_FILE)")
        }
    }
}

/// A mistake of the user's (bad input, unknown creator, closed month): exit status 1, one clear
/// message, no stack trace.
public struct UserError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
