import Foundation

/// Settings that only tests change, from environment variables (docs/reliability.md lists them as
/// for tests only): the CLI reads them once, like `TALLY_NOW`, and hands them to the ledger.
public struct TestSettings: Sendable, Equatable {
    /// `TALLY_TEST_ROLLBACK_JOURNAL_BYTES`: order files of at least this many bytes take the
    /// rollback-journal path (nil: the importer's own 8 MiB), so that tests run that path on small files.
    public var rollbackJournalBytesMin: Int?
    /// `TALLY_TEST_CACHE_PAGES`: SQLite's page cache of the ledger's connection, in pages. A small
    /// cache makes a small write spill to the file before its commit, as a big one does (with the
    /// rollback journal, a kill then leaves a hot journal to roll back).
    public var cachePages: Int?
    /// `TALLY_TEST_ORDER_WINDOW`: how many order facts an import projects at a time, sorted by key
    /// (`Ledger.holdOrderProjections`; 0: none held back) and the one-read check looks up at most
    /// (`OrderImporter.probeWindow`), so that tests cross many windows with small files.
    public var orderWindow: Int?
    /// `TALLY_TEST_PAUSE=POINT:FILE`: stop at POINT of a write (or of `verify`) until FILE is removed.
    public var pause: Pause?
    /// `TALLY_TEST_SECURE_DELETE=off`: SQLite's `secure_delete` off, its default as SQLite itself is
    /// built (Debian's library turns it on), so that the tests of `key move-out` show that it
    /// overwrites the key's old bytes itself wherever it runs.
    public var secureDeleteOff = false

    /// A place in a write where a test can stop the command: to kill it there, or to make another
    /// command meet it there.
    public enum PausePoint: String, CaseIterable, Sendable {
        /// `withRollbackJournal` has switched the file to the rollback journal; no transaction yet.
        case journalSwitched = "journal-switched"
        /// The write transaction has begun (the write lock is held); nothing appended yet.
        case writeBegun = "write-begun"
        /// Everything is appended, the transaction not yet committed.
        case beforeCommit = "before-commit"
        /// `rebuild` has filled the new projection tables; the old ones are still there, renamed.
        case rebuildFilled = "rebuild-filled"
        /// Committed; a big write has not yet switched the file back to WAL.
        case committed
        /// `verify` has re-hashed and replayed the log, inside its read transaction, and not yet
        /// compared the projections: a commit by another command now must not be seen by it.
        case verifyLogRead = "verify-log-read"
    }

    /// At `point` (its first time only), the command creates `file` and waits until it is removed.
    public struct Pause: Sendable, Equatable {
        public let point: PausePoint
        public let file: String
        /// How long a paused command waits for the test at the most: a test that died leaves no
        /// command waiting forever.
        static let limit = Duration.seconds(120)
    }

    public init(
        rollbackJournalBytesMin: Int? = nil, cachePages: Int? = nil, orderWindow: Int? = nil, pause: Pause? = nil,
        secureDeleteOff: Bool = false
    ) {
        self.rollbackJournalBytesMin = rollbackJournalBytesMin
        self.cachePages = cachePages
        self.orderWindow = orderWindow
        self.pause = pause
        self.secureDeleteOff = secureDeleteOff
    }

    /// The settings the environment asks for; an error naming the variable when a value is malformed.
    public init(environment: [String: String]) throws(TestSettingsError) {
        if let text = environment["TALLY_TEST_ROLLBACK_JOURNAL_BYTES"] {
            guard let bytes = Int(text), bytes >= 0 else {
                throw TestSettingsError("TALLY_TEST_ROLLBACK_JOURNAL_BYTES: expected bytes, a number; found '\(text)'")
            }
            rollbackJournalBytesMin = bytes
        }
        if let text = environment["TALLY_TEST_CACHE_PAGES"] {
            guard let pages = Int(text), pages >= 1 else {
                throw TestSettingsError("TALLY_TEST_CACHE_PAGES: expected a number of pages from 1; found '\(text)'")
            }
            cachePages = pages
        }
        if let text = environment["TALLY_TEST_ORDER_WINDOW"] {
            guard let orders = Int(text), orders >= 0 else {
                throw TestSettingsError("TALLY_TEST_ORDER_WINDOW: expected a number of orders from 0; found '\(text)'")
            }
            orderWindow = orders
        }
        if let text = environment["TALLY_TEST_PAUSE"] {
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let point = PausePoint(rawValue: parts[0]), !parts[1].isEmpty else {
                let points = PausePoint.allCases.map(\.rawValue).joined(separator: ", ")
                throw TestSettingsError("TALLY_TEST_PAUSE: expected POINT:FILE (POINT: \(points)); found '\(text)'")
            }
            pause = Pause(point: point, file: parts[1])
        }
        if let text = environment["TALLY_TEST_SECURE_DELETE"] {
            guard text == "off" else {
                throw TestSettingsError("TALLY_TEST_SECURE_DELETE: expected off; found '\(text)'")
            }
            secureDeleteOff = true
        }
    }
}

public struct TestSettingsError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension TestSettings.Pause {
    /// Creates the file, then waits until the test removes it (or kills the command).
    func wait() {
        _ = FileManager.default.createFile(atPath: file, contents: Data("\(getpid())\n".utf8))
        let started = ContinuousClock.now
        while FileManager.default.fileExists(atPath: file) && ContinuousClock.now - started < Self.limit {
            usleep(2_000)
        }
    }
}
