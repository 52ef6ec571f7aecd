import Foundation
import LedgerCore
import LedgerStore

/// One ledger file opened for a command. The use cases of the command line are its methods (in
/// the files next to this one): each takes parsed values, reads or writes the ledger through the
/// store, lets the core decide, and returns values for the command line to render. Tests call
/// them in process.
public final class LedgerSession {
    let ledger: Ledger

    init(_ ledger: Ledger) { self.ledger = ledger }

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
    /// `environment`: where the settings for tests only come from (`TALLY_TEST_*`, `TestSettings`);
    /// `onLongWait`: called once if the command has to wait for another one.
    public static func open(path: String, readOnly: Bool = false, now: Instant? = nil,
                            environment: [String: String] = [:],
                            onLongWait: (@Sendable () -> Void)? = nil) throws -> LedgerSession {
        let ledger = try Ledger.open(path: path, readOnly: readOnly, clock: clock(now), onLongWait: onLongWait)
        do {
            ledger.testSettings = try TestSettings(environment: environment)
        } catch {
            throw UserError(error.description)
        }
        return LedgerSession(ledger)
    }

    /// The chain's head when this session's last write committed (what `payout close` prints).
    public var headAfterLastWrite: ChainHead? { ledger.headAfterLastWrite }

    /// Creates a ledger (`tally init`); refuses an existing file.
    public static func create(path: String, baseCurrency: Currency, zone: Zone,
                              now: Instant? = nil) throws -> LedgerSession {
        LedgerSession(try Ledger.create(path: path, baseCurrency: baseCurrency, zone: zone, clock: clock(now)))
    }

    private static func clock(_ now: Instant?) -> LedgerClock { now.map(LedgerClock.fixed) ?? .system }
}

/// A mistake of the user's (bad input, unknown creator, closed month): exit status 1, one clear
/// message, no stack trace.
public struct UserError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
