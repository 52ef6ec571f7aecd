import CSQLite
import Crypto
import Foundation
import LedgerCore
import PrivateFiles

/// Why a ledger could not be opened or written: each case reads as a message for the user.
public enum LedgerError: Error, CustomStringConvertible {
    case missing(path: String)
    case notALedger(path: String, detail: String)
    case alreadyExists(path: String)
    case newerSchema(path: String, found: Int, supported: Int)
    case busy(path: String)
    case readOnly(path: String)
    /// The ledger file is writable, its folder is not: SQLite cannot create its journal there.
    case folderReadOnly(path: String, folder: String)
    /// The ledger and its folder are writable, but a file SQLite keeps beside it (`-wal`, `-shm`) is
    /// not: SQLite gives such a file the ledger's mode when it creates it, so a read of a ledger that
    /// was read-only then leaves them read-only after the ledger is made writable again.
    case companionReadOnly(path: String, file: String, mode: String)
    /// `init` cannot create the file: the folder is missing or not writable.
    case cannotCreate(path: String, reason: String)
    /// A hot journal: a big write was interrupted (killed, crashed, power cut) and must be rolled
    /// back before the ledger can be read, which this user cannot do.
    case interrupted(path: String)
    case diskFull(path: String)
    /// An I/O error: the file-size limit (`ulimit -f`), a failing disk, a vanished mount.
    case ioError(path: String, reading: Bool)
    case sqlite(SQLiteError)
    case corrupt(String)
    /// A command needs the key and there is no key file where it was looked for (`use`: why it is needed).
    case keyMissing(ledger: String, keyFile: String, use: String)
    /// A command needs the key and nothing says where to look.
    case keyNowhere(ledger: String, reason: String, use: String)
    /// The key file found is not this ledger's (its fingerprint differs from the one the ledger keeps).
    case keyMismatch(ledger: String, keyFile: String, keyLedgerId: String, ledgerId: String)
    case keyUnreadable(keyFile: String, reason: String)
    case keyFileExists(keyFile: String)
    case keyUnwritable(keyFile: String, reason: String)
    /// `tally key move-out` committed while this command, which had read the key inside, ran.
    case keyMovedMeanwhile(ledger: String)

    public var description: String {
        switch self {
        case let .missing(path):
            return "no ledger at \(path): create one with 'tally init --currency USD', "
                + "or point --ledger / TALLY_LEDGER at it"
        case let .notALedger(path, detail): return "\(path) is not a tally ledger (\(detail))"
        case let .alreadyExists(path): return "\(path) already exists; init never overwrites a ledger"
        case let .newerSchema(path, found, supported):
            return
                "\(path) has schema version \(found), newer than this tally understands (\(supported)); upgrade tally"
        case let .busy(path):
            return "the ledger \(path) is busy (another tally command is writing to it); try again when it has finished"
        case let .readOnly(path): return "the ledger \(path) is read-only; nothing was written"
        case let .folderReadOnly(path, folder):
            return "\(folder) holding the ledger \(path) is read-only (the file itself is writable, but "
                + "SQLite writes its journal beside it); nothing was written: make the folder writable, or move the "
                + "ledger to a folder you can write to"
        case let .companionReadOnly(path, file, mode):
            return "the ledger \(path) cannot be written: \(file), which SQLite keeps beside it, has mode \(mode) "
                + "(left by a command that read the ledger while it was read-only): run 'chmod u+w \(file)', or "
                + "remove it while no tally command runs; nothing was written"
        case let .cannotCreate(path, reason): return "cannot create the ledger \(path): \(reason); nothing was written"
        case let .interrupted(path):
            return "a tally command writing to the ledger \(path) was interrupted (killed or crashed) and left its "
                + "unfinished transaction in \(path)-journal; the ledger can be read once that is rolled back, which "
                + "needs write access to the file and its folder, which this user lacks: run 'tally verify --ledger "
                + "\(path)' as a user who can write to both (it rolls back to the ledger as it was before the "
                + "interrupted command, loses nothing committed, and checks the result); nothing was changed"
        case let .diskFull(path): return "the disk holding \(path) is full; nothing was written"
        case let .ioError(path, reading):
            if reading { return "could not read the ledger \(path) (disk I/O error); nothing was written" }
            return "could not write to the ledger \(path) (disk I/O error: "
                + "is the disk full, over a file-size limit, or failing?); nothing was written"
        case let .sqlite(error): return error.description
        case let .corrupt(message): return "the ledger is damaged: \(message)"
        case let .keyMissing(ledger, keyFile, use):
            return "this command needs the key of the ledger \(ledger) (\(use)), and there is no key file at "
                + "\(keyFile): copy it from where the ledger was created ('tally key export FILE' there, 'tally key "
                + "import FILE' here), or point --key-file or TALLY_KEY_FILE at it; nothing was written"
        case let .keyNowhere(ledger, reason, use):
            return "this command needs the key of the ledger \(ledger) (\(use)), and there is no place to look for it: "
                + "\(reason); nothing was written"
        case let .keyMismatch(ledger, keyFile, keyLedgerId, ledgerId):
            let whose =
                keyLedgerId == ledgerId
                ? "it has this ledger's id but not its fingerprint: damaged or forged"
                : "it is the key of ledger \(keyLedgerId), and this one is \(ledgerId)"
            return "the key at \(keyFile) is not the key of the ledger \(ledger) (\(whose)); nothing was written"
        case let .keyUnreadable(keyFile, reason):
            return "cannot use the key file \(keyFile): \(reason); nothing was written"
        case let .keyFileExists(keyFile):
            return "\(keyFile) already exists; a key file is never overwritten unasked (add --force to replace it)"
        case let .keyUnwritable(keyFile, reason):
            return "could not write the key file \(keyFile) (\(reason)); nothing was written"
        case let .keyMovedMeanwhile(ledger):
            return "the key of the ledger \(ledger) was moved out to a key file while this command ran; nothing was "
                + "written: run the command again"
        }
    }
}

/// The ledger's fixed settings, from its first fact.
public struct LedgerSettings: Sendable {
    public let baseCurrency: Currency
    public let zone: Zone
    /// What the ledger holds of its key (`LedgerKeyAccess.swift`).
    public let keyBinding: KeyBinding
}

/// Where "now" comes from: the system clock, or a fixed time in tests (`TALLY_NOW`).
public struct LedgerClock: Sendable {
    public let now: @Sendable () -> Instant
    public init(now: @escaping @Sendable () -> Instant) { self.now = now }
    public static let system = LedgerClock { Instant(unixSeconds: Int64(Date().timeIntervalSince1970)) }
    public static func fixed(_ instant: Instant) -> LedgerClock { LedgerClock { instant } }
}

/// An open ledger file: the fact log and its projections.
public final class Ledger {
    public static let schemaVersion = embeddedMigrations.last!.version
    static let marker = "tally-ledger"

    public let path: String
    let connection: Connection
    /// Changed only by `moveKeyOut`.
    public internal(set) var settings: LedgerSettings
    /// Where the key is to be found, when a command needs it (`key(for:)`): set by whoever opens
    /// the ledger. The key is read and checked on first use only, so that commands that need no
    /// key never look for one.
    public var keySource: KeySource = .nowhere("no key file was named")
    var checkedKey: LedgerKey?
    var cachedHasher: EmailHasher?
    public let clock: LedgerClock
    let projector: Projector
    /// Settings only tests change (`TestSettings`).
    public var testSettings = TestSettings() {
        didSet {
            if let pages = testSettings.cachePages { try? connection.execute("PRAGMA cache_size = \(pages)") }
            if testSettings.secureDeleteOff { try? connection.execute("PRAGMA secure_delete = OFF") }
        }
    }
    private var pausedOnce = false
    /// The chain's head when this ledger's last write committed (what `payout close` prints).
    public private(set) var headAfterLastWrite: ChainHead?
    /// The schema version of the file as this ledger reads it: older than `schemaVersion` only when
    /// opened read-only before a writing command migrated it (the loader then computes what the
    /// newer tables would hold, `Migrations.swift`).
    let schema: Int

    init(
        path: String, connection: Connection, settings: LedgerSettings, clock: LedgerClock,
        schema: Int = Ledger.schemaVersion
    ) {
        self.path = path
        self.connection = connection
        self.settings = settings
        self.clock = clock
        self.schema = schema
        self.projector = Projector(connection: connection, zone: settings.zone)
    }

    /// The `--ledger` / `TALLY_LEDGER` / `./tally.sqlite` rule.
    public static func resolvePath(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> String
    {
        if let option, !option.isEmpty { return option }
        if let env = environment["TALLY_LEDGER"], !env.isEmpty { return env }
        return "tally.sqlite"
    }

    /// Creates a new ledger. Refuses an existing file.
    /// SQLite's largest page (64 KiB) instead of its default 4 KiB, for new ledgers: measured on a
    /// year of 1,000,000 orders, it makes an import about 17 % faster, a close 35 %, a rebuild 20 %
    /// and a cold preview several times faster (fewer, larger B-tree pages to walk and write;
    /// docs/performance.md). The price: an empty ledger takes about 2 MB, a page per table and index.
    /// A ledger created before keeps its page size: both work the same.
    public static let pageSize = 65_536

    /// Creates a new ledger whose key is `key` (kept in a key file by the caller: `init`); its first
    /// fact keeps the key's fingerprint and the ledger's id, never the key. Refuses an existing file.
    public static func create(
        path: String, baseCurrency: Currency, zone: Zone, clock: LedgerClock = .system,
        key: LedgerKey
    ) throws(LedgerError) -> Ledger {
        let first = LedgerInitialized(
            baseCurrency: baseCurrency, zone: zone.identifier, ledgerId: key.ledgerId,
            keyFingerprint: key.fingerprint, at: clock.now())
        let binding = KeyBinding.outside(ledgerId: key.ledgerId, fingerprint: key.fingerprint)
        let ledger = try create(
            path: path, first: .ledgerInitialized(first),
            settings: LedgerSettings(baseCurrency: baseCurrency, zone: zone, keyBinding: binding),
            clock: clock)
        ledger.keySource = .given(key)
        ledger.checkedKey = key
        return ledger
    }

    /// Creates a ledger as tally made them before key files: the e-mail salt in its first fact (and
    /// the sealing key, once needed, in `ledger_meta`). For the tests of `tally key move-out` and of
    /// ledgers in the field; `init` never makes one.
    public static func createWithKeyInside(
        path: String, baseCurrency: Currency, zone: Zone,
        clock: LedgerClock = .system,
        emailSalt: String
    ) throws(LedgerError) -> Ledger {
        let first = LedgerInitializedV1(
            baseCurrency: baseCurrency, zone: zone.identifier, emailSalt: emailSalt,
            at: clock.now())
        return try create(
            path: path, first: .ledgerInitializedV1(first),
            settings: LedgerSettings(
                baseCurrency: baseCurrency, zone: zone,
                keyBinding: .inside(emailSalt: emailSalt)),
            clock: clock)
    }

    private static func create(
        path: String, first: Fact, settings: LedgerSettings,
        clock: LedgerClock
    ) throws(LedgerError) -> Ledger {
        if FileManager.default.fileExists(atPath: path) { throw .alreadyExists(path: path) }
        if let problem = creationProblem(path) { throw .cannotCreate(path: path, reason: problem) }
        // Owner-only from the first byte: SQLite gives the -wal, -shm and -journal files it creates
        // the mode of the ledger file, so this one mode covers all four.
        do { try PrivateFile.create(path) } catch {
            if error.isExists { throw .alreadyExists(path: path) }
            if error.isDiskFull { throw .diskFull(path: path) }
            throw .cannotCreate(path: path, reason: error.reason)
        }
        let connection: Connection
        do {
            connection = try Connection(path: path, options: .init(create: true))
            // Before anything is written: the page size is fixed when the file gets its first page.
            try connection.execute("PRAGMA page_size = \(pageSize)")
            try configure(connection)
            try connection.transaction {
                for migration in embeddedMigrations { try apply(migration, to: connection) }
                try connection.run("INSERT INTO ledger_meta (key, value) VALUES ('format', ?)", [.text(marker)])
            }
        } catch let error as SQLiteError {
            removeLedgerFiles(path)
            throw map(error, path: path)
        } catch {
            throw .corrupt("\(error)")
        }
        let ledger = Ledger(path: path, connection: connection, settings: settings, clock: clock)
        do {
            try ledger.write { ledger throws in _ = try ledger.append(first) }
        } catch {
            removeLedgerFiles(path)
            throw (error as? LedgerError) ?? .corrupt("\(error)")
        }
        return ledger
    }

    /// Removes a ledger that `create` could not finish, with its -wal and -shm: a stale -wal left
    /// beside a later ledger of the same name would be replayed into it by SQLite.
    static func removeLedgerFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Opens an existing ledger; a clear error for a missing file, a file that is not a ledger, or
    /// one written by a newer tally.
    /// `onLongWait`: called once if the command has to wait for another one (`BusyWait.noticeAfter`).
    public static func open(
        path: String, readOnly: Bool = false, clock: LedgerClock = .system,
        onLongWait: (@Sendable () -> Void)? = nil
    ) throws(LedgerError) -> Ledger {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .missing(path: path)
        }
        if isDirectory.boolValue { throw .notALedger(path: path, detail: "it is a directory") }
        let connection: Connection
        var schema = 0
        do {
            let writable = FileManager.default.isWritableFile(atPath: path)
            connection = try openConnection(path: path, readOnly: readOnly || !writable, onLongWait: onLongWait)
            guard try connection.scalarText("SELECT value FROM ledger_meta WHERE key = 'format'") == marker else {
                throw LedgerError.notALedger(path: path, detail: "no tally marker")
            }
            let version = try connection.scalarInt("SELECT max(version) FROM schema_migrations") ?? 0
            if version > schemaVersion {
                throw LedgerError.newerSchema(path: path, found: Int(version), supported: schemaVersion)
            }
            if !readOnly && writable { try configure(connection) }
            schema = Int(version)
            // A read-only open reads an older schema as it is (0003 adds an index, 0004 drops one,
            // and what 0005 adds the loader computes from the log for an older file); the next
            // writing command migrates.
            if version < schemaVersion && writable && !readOnly {
                try connection.transaction {
                    for migration in embeddedMigrations where migration.version > version {
                        try apply(migration, to: connection)
                        try migrateData(after: migration.version, connection, path: path)
                    }
                }
                schema = schemaVersion
            }
        } catch let error as LedgerError {
            throw error
        } catch let error as SQLiteError {
            if error.isHotJournal { throw .interrupted(path: path) }
            if error.code & 0xFF == SQLITE_NOTADB || error.code & 0xFF == SQLITE_ERROR {
                throw .notALedger(path: path, detail: error.message)
            }
            throw map(error, path: path)
        } catch {
            throw .corrupt("\(error)")
        }
        let settings = try readSettings(connection, path: path)
        return Ledger(path: path, connection: connection, settings: settings, clock: clock, schema: schema)
    }

    /// A read-only connection needs the ledger's -shm file (WAL mode), which SQLite cannot create
    /// in a read-only directory (a backup on read-only media): every read would fail with "attempt
    /// to write a readonly database". When there is no -wal file, every fact is in the main file
    /// and nobody is writing (a writer would need the -wal), so the file is read as immutable. Not
    /// when a -journal file is there: that is an interrupted big write (rollback-journal mode) that
    /// only a writable open can roll back, and an immutable read would see its half-written pages.
    ///
    /// A ledger in rollback-journal mode is in the middle of a big write (`withRollbackJournal`), or
    /// one was interrupted and left a hot journal that a read-only connection cannot roll back.
    /// When the file and its folder are writable, a reader first puts the ledger back in WAL
    /// (`restoreWAL`): that rolls an interrupted write back, or waits for a running one (up to the
    /// busy timeout), and then the reader reads without holding up any writer.
    static func openConnection(
        path: String, readOnly: Bool,
        onLongWait: (@Sendable () -> Void)?
    ) throws(SQLiteError) -> Connection {
        let options = Connection.Options(readOnly: readOnly, onLongWait: onLongWait)
        guard readOnly else { return try Connection(path: path, options: options) }
        let canRestore = isWritableWithFolder(path)
        for _ in 0..<readOpenAttempts {
            let connection = try Connection(path: path, options: options)
            do {
                if try connection.journalMode() == "wal" || !canRestore { return connection }
            } catch  where error.isHotJournal && canRestore {
            } catch
                where error.isReadOnly && !FileManager.default.fileExists(atPath: path + "-wal")
                && !FileManager.default.fileExists(atPath: path + "-journal")
            {
                return try Connection(path: path, options: .init(readOnly: true, immutable: true))
            }
            try restoreWAL(path: path, options: options)
        }
        // A big write began again between the restore and this open: read alongside it.
        return try Connection(path: path, options: options)
    }

    /// Opens to read: at most this many times a big write is waited for (`openConnection`).
    static let readOpenAttempts = 3

    /// Puts a ledger found in rollback-journal mode back in WAL with a short-lived writable
    /// connection: SQLite rolls a hot journal back at its first read, and the switch waits for a
    /// running big write (`Connection.setJournalMode`).
    static func restoreWAL(path: String, options: Connection.Options) throws(SQLiteError) {
        var writable = options
        writable.readOnly = false
        let connection = try Connection(path: path, options: writable)
        _ = try connection.setJournalMode("wal", waiting: true)
    }

    /// Whether this user can write the file and create files beside it (a journal's rollback deletes it).
    static func isWritableWithFolder(_ path: String) -> Bool {
        FileManager.default.isWritableFile(atPath: path) && FileManager.default.isWritableFile(atPath: folderOf(path))
    }

    /// The folder a ledger file is in (`.` for a bare file name).
    static func folderOf(_ path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    /// Why a new ledger cannot be created at `path`, if its folder says so already (SQLite would
    /// only say "unable to open database file").
    public static func creationProblem(_ path: String) -> String? {
        let folder = folderOf(path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            return "\(shown(folder: folder)) does not exist (create it first)"
        }
        guard FileManager.default.isWritableFile(atPath: folder) else {
            return "\(shown(folder: folder)) is not writable by this user"
        }
        return nil
    }

    /// `the folder out/demo`, or `the current folder (/home/finance)` for `.`.
    static func shown(folder: String) -> String {
        folder == "." ? "the current folder (\(FileManager.default.currentDirectoryPath))" : "the folder \(folder)"
    }

    /// WAL for concurrent readers during a write; `synchronous=NORMAL` because in WAL mode it keeps
    /// the database consistent after a crash (a power cut may lose the last commits, never corrupt
    /// the file or break the hash chain: an import is re-run safely).
    /// The WAL is checkpointed every 64 pages (4 MiB with 64 KiB pages, about SQLite's default
    /// of 1,000 pages of 4 KiB), not every 1,000 pages (64 MiB).
    /// The switch to WAL waits (up to the busy timeout) for a big write of another command to end.
    static func configure(_ connection: Connection) throws(SQLiteError) {
        _ = try connection.setJournalMode("wal", waiting: true)
        try connection.execute("PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 64;")
    }

    static func apply(_ migration: (version: Int, name: String, sql: String), to connection: Connection)
        throws(SQLiteError)
    {
        try connection.execute(migration.sql)
        try connection.run(
            "INSERT INTO schema_migrations (version, name, sql_sha256) VALUES (?, ?, ?)",
            [.int(Int64(migration.version)), .text(migration.name), .text(sha256Hex(Array(migration.sql.utf8)))])
        try connection.execute("PRAGMA user_version = \(migration.version)")
    }

    static func readSettings(_ connection: Connection, path: String) throws(LedgerError) -> LedgerSettings {
        do {
            let st = try connection.prepared("SELECT type, version, payload FROM facts WHERE seq = 1")
            // An un-reset statement keeps a read transaction open for the life of the command, and
            // SQLite does not wait (busy timeout) to upgrade a read transaction to a write: a
            // second command would fail at once with "busy" instead of waiting its turn.
            defer { st.reset() }
            guard try st.step() else { throw LedgerError.notALedger(path: path, detail: "its log has no first fact") }
            let fact = try Fact.decode(type: st.text(0), version: Int(st.int(1)), payload: Array(st.text(2).utf8))
            guard let initial = fact.initialSettings, let zone = Zone(identifier: initial.zone) else {
                throw LedgerError.notALedger(path: path, detail: "its first fact is not ledger.initialized")
            }
            let binding: KeyBinding
            switch fact {
            case let .ledgerInitializedV1(f): binding = .inside(emailSalt: f.emailSalt)
            case let .ledgerInitialized(f):
                // The id names a file: nothing else than what `init` makes.
                guard LedgerKey.isValidLedgerId(f.ledgerId) else {
                    throw LedgerError.notALedger(path: path, detail: "its id is not 32 hex digits")
                }
                binding = .outside(ledgerId: f.ledgerId, fingerprint: f.keyFingerprint)
            default: preconditionFailure("initialSettings is nil for other facts")
            }
            return LedgerSettings(baseCurrency: initial.baseCurrency, zone: zone, keyBinding: binding)
        } catch let error as LedgerError {
            throw error
        } catch let error as SQLiteError {
            throw map(error, path: path)
        } catch { throw .corrupt("\(error)") }
    }

    static func map(_ error: SQLiteError, path: String) -> LedgerError {
        if error.isBusy { return .busy(path: path) }
        if error.isReadOnly {
            let folder = folderOf(path)
            let fileWritable = FileManager.default.isWritableFile(atPath: path)
            let folderWritable = FileManager.default.isWritableFile(atPath: folder)
            if fileWritable && !folderWritable { return .folderReadOnly(path: path, folder: shown(folder: folder)) }
            if fileWritable,
                let companion = companionSuffixes.map({ path + $0 }).first(where: {
                    FileManager.default.fileExists(atPath: $0) && !FileManager.default.isWritableFile(atPath: $0)
                })
            {
                let mode =
                    (try? FileManager.default.attributesOfItem(atPath: companion)[.posixPermissions] as? Int)
                    .map { "0" + String($0, radix: 8) } ?? "unknown"
                return .companionReadOnly(path: path, file: companion, mode: mode)
            }
            return .readOnly(path: path)
        }
        if error.isFull { return .diskFull(path: path) }
        if error.code & 0xFF == SQLITE_IOERR {
            // SQLITE_IOERR_READ (266) and SQLITE_IOERR_SHORT_READ (522): C macros Swift does not import.
            return .ioError(path: path, reading: error.code == 266 || error.code == 522)
        }
        return .sqlite(error)
    }

    /// Runs `body` in one immediate transaction: everything it appends lands, or nothing does.
    @discardableResult
    public func write<T>(_ body: (Ledger) throws -> T) throws -> T {
        do {
            var headNow: ChainHead?
            let result = try connection.transaction {
                try log.beginWrite()
                pause(at: .writeBegun)
                let result = try body(self)
                try projectHeldOrders()
                headNow = try head()
                log.assertTailIsLast(headNow)
                pause(at: .beforeCommit)
                return result
            }
            headAfterLastWrite = headNow
            pause(at: .committed)
            return result
        } catch let error as SQLiteError {
            log.forgetTail()
            projector.orderWindow = 0
            projector.discardPendingOrders()
            throw Ledger.map(error, path: path)
        } catch {
            log.forgetTail()
            projector.orderWindow = 0
            projector.discardPendingOrders()
            throw error
        }
    }

    /// From now until the end of this write (or `projectHeldOrders`), the projection of each `order
    /// seen` and `order changed` is held back and applied a window at a time, sorted by order key
    /// (`Projector.flushOrders`); the facts themselves, their bytes and the chain are appended as
    /// they come. Why: a file in random order would otherwise visit a random page of the orders'
    /// key index per order, and SQLite's page cache holds 31 of the some 520 pages of a million
    /// orders' index (docs/performance.md). Only for a writer that reads no order it has appended
    /// facts for (an import reconciles each order of its file once, and looks it up before its
    /// facts): those reads would not see the held-back rows. Any other fact projects them first.
    public func holdOrderProjections() {
        projector.orderWindow = testSettings.orderWindow ?? Ledger.orderWindow
    }

    /// Projects the held-back order facts and stops holding them (`holdOrderProjections`).
    public func projectHeldOrders() throws {
        projector.orderWindow = 0
        try projector.flushOrders()
    }

    /// Order facts projected together after `holdOrderProjections`: at a million orders some 60 per
    /// page of the key index, and some 15 MB held.
    static let orderWindow = 32_768

    /// Runs `body` in one read transaction: everything it reads is one state of the ledger, however
    /// many commits other commands make meanwhile (in WAL they do not wait for it). Inside a
    /// transaction already (a write, an enclosing read), `body` simply runs in that one.
    public func read<T>(_ body: () throws -> T) throws -> T {
        guard connection.isAutocommit else { return try body() }
        do {
            try connection.execute("BEGIN DEFERRED")
            // The snapshot starts at the first read, so take it now.
            _ = try connection.scalarInt("SELECT seq FROM facts ORDER BY seq DESC LIMIT 1")
        } catch {
            if !connection.isAutocommit { try? connection.execute("ROLLBACK") }
            throw Ledger.map(error, path: path)
        }
        defer { if !connection.isAutocommit { try? connection.execute("COMMIT") } }
        do {
            return try body()
        } catch let error as SQLiteError {
            throw Ledger.map(error, path: path)
        }
    }

    lazy var log = FactLog(connection: connection)

    /// Appends a fact (inside `write`), hashes it into the chain and updates the projections.
    /// `payload`: the bytes `fact.writePayload(into:)` writes, when another thread built them
    /// already (an import's reading thread).
    @discardableResult
    public func append(_ fact: Fact, payload: ArraySlice<UInt8>? = nil) throws -> Int64 {
        let seq = try log.append(fact, recordedAt: clock.now(), prebuilt: payload)
        try projector.apply(fact, seq: seq)
        return seq
    }

    /// Runs `body` with SQLite's rollback journal instead of WAL, when no other connection has the
    /// ledger open; back to WAL afterwards. Why: in WAL one big transaction (an import of a
    /// million orders) is written twice, to the WAL and again at the checkpoint; with the rollback
    /// journal new pages are written once (perf-baseline §5.3: about 1.7x). While it runs, other
    /// tally commands wait for the ledger as they would for any writer, readers included
    /// (`openConnection`). If the switch is refused (another connection), `body` runs in WAL as
    /// usual, and waits for the other writer like any write. The way back waits for readers that
    /// came meanwhile; if it cannot, the next command to open the ledger switches it back.
    public func withRollbackJournal<T>(_ body: () throws -> T) throws -> T {
        let switched = (try? connection.setJournalMode("delete", waiting: false)) == true
        if switched { pause(at: .journalSwitched) }
        defer {
            if switched { _ = try? connection.setJournalMode("wal", waiting: true) }
        }
        return try body()
    }

    /// Stops at `point` when a test asks for it (`TestSettings.pause`), the first time only.
    func pause(at point: TestSettings.PausePoint) {
        guard let pause = testSettings.pause, pause.point == point, !pausedOnce else { return }
        pausedOnce = true
        pause.wait()
    }

    public static func emailHash(_ email: String, salt: String) -> String? { LedgerCore.emailHash(email, salt: salt) }
}
