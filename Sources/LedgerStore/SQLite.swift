import CSQLite
import Foundation

/// An SQLite failure: the result code, SQLite's message and the SQL that failed.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let message: String
    public let sql: String?

    public var isBusy: Bool { code & 0xFF == SQLITE_BUSY || code & 0xFF == SQLITE_LOCKED }
    public var isReadOnly: Bool { code & 0xFF == SQLITE_READONLY }
    public var isFull: Bool { code & 0xFF == SQLITE_FULL }
    /// SQLITE_READONLY_ROLLBACK (776, a C macro Swift does not import): a hot journal, left by a
    /// write that was interrupted, must be rolled back and this connection cannot write.
    public var isHotJournal: Bool { code == 776 }

    public var description: String {
        var text = "SQLite error \(code): \(message)"
        if let sql { text += " (in: \(sql.prefix(120)))" }
        return text
    }
}

/// One SQLite connection. Owns the handle and closes it in `deinit`. Used from one thread at a time.
public final class Connection {
    let handle: OpaquePointer
    private var cache: [String: Statement] = [:]
    private let busyTimeoutMilliseconds: Int32
    /// The wait allowed now: the busy timeout, or what is left of a journal switch's wait.
    private var busyLimitMilliseconds: Int32
    private var busyWait: BusyWait?
    private let onLongWait: (@Sendable () -> Void)?
    private var longWaitNoticed = false

    public struct Options: Sendable {
        public var readOnly = false
        public var create = false
        public var busyTimeoutMilliseconds: Int32 = 5_000
        /// SQLite's `immutable=1`: no locks, no -shm. Only for a file that nobody can be writing.
        public var immutable = false
        /// Called once, when a wait for another connection has lasted `BusyWait.noticeAfter`: a
        /// command can tell its user why nothing seems to happen.
        public var onLongWait: (@Sendable () -> Void)?
        public init(
            readOnly: Bool = false, create: Bool = false, busyTimeoutMilliseconds: Int32 = 5_000,
            immutable: Bool = false, onLongWait: (@Sendable () -> Void)? = nil
        ) {
            self.readOnly = readOnly; self.create = create; self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
            self.immutable = immutable; self.onLongWait = onLongWait
        }
    }

    /// Process-wide SQLite settings, applied once before the first connection: no allocation
    /// statistics (which cost a global mutex per allocation; tally never reads them).
    private static let configureSQLite: Void = { _ = csqlite_disable_memstatus() }()

    /// Whether SQLite counts its allocations (false once a connection has been opened).
    public static var countsAllocations: Bool {
        var current: Int64 = 0, highwater: Int64 = 0
        sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &current, &highwater, 0)
        return current != 0
    }

    /// Opens `path` with explicit settings: extended result codes, a busy timeout, foreign keys on.
    /// Journal settings are the ledger's business (see `Ledger.open`).
    public init(path: String, options: Options = Options()) throws(SQLiteError) {
        _ = Connection.configureSQLite
        var db: OpaquePointer?
        var flags = options.readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE
        if options.create { flags |= SQLITE_OPEN_CREATE }
        flags |= SQLITE_OPEN_NOMUTEX
        var target = path
        if options.immutable {
            flags |= SQLITE_OPEN_URI
            target = "file:" + uriEscaped(path) + "?immutable=1"
        }
        let rc = sqlite3_open_v2(target, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(code: rc, message: message, sql: nil)
        }
        handle = db
        busyTimeoutMilliseconds = options.busyTimeoutMilliseconds
        busyLimitMilliseconds = options.busyTimeoutMilliseconds
        onLongWait = options.onLongWait
        sqlite3_extended_result_codes(db, 1)
        // Our own handler rather than sqlite3_busy_timeout: the same sleeps, plus the long-wait
        // notice, and one wait (`BusyWait`) shared with the journal-mode switches below.
        sqlite3_busy_handler(db, connectionBusyHandler, Unmanaged.passUnretained(self).toOpaque())
        try execute("PRAGMA foreign_keys = ON")
    }

    deinit {
        cache.removeAll()
        sqlite3_busy_handler(handle, nil, nil)  // it points at this object, which is going away
        sqlite3_close_v2(handle)
    }

    func error(_ rc: Int32, _ sql: String?) -> SQLiteError {
        SQLiteError(
            code: sqlite3_extended_errcode(handle) == 0 ? rc : sqlite3_extended_errcode(handle),
            message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    /// Runs one or more statements that return no rows.
    public func execute(_ sql: String) throws(SQLiteError) {
        var errmsg: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errmsg)
        if rc != SQLITE_OK {
            let message = errmsg.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(errmsg)
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: message, sql: sql)
        }
    }

    /// A prepared statement, cached by its SQL for the life of the connection.
    public func prepared(_ sql: String) throws(SQLiteError) -> Statement {
        if let statement = cache[sql] {
            statement.reset()
            return statement
        }
        let statement = try Statement(connection: self, sql: sql)
        cache[sql] = statement
        return statement
    }

    /// Runs `body` in a transaction: committed if it returns, rolled back if it throws.
    public func transaction<T>(immediate: Bool = true, _ body: () throws -> T) throws -> T {
        try execute(immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if sqlite3_get_autocommit(handle) == 0 { try? execute("ROLLBACK") }
            throw error
        }
    }

    /// SQLite's busy handler: one sleep of the current wait; false once the wait is over (give up).
    /// `attempt` 0 starts a new wait (SQLite counts the calls for one lock).
    fileprivate func busy(attempt: Int32) -> Bool {
        if attempt == 0 || busyWait == nil { busyWait = BusyWait(limitMilliseconds: busyLimitMilliseconds) }
        noticeIfLong(busyWait!)
        return busyWait!.sleep()
    }

    private func noticeIfLong(_ wait: BusyWait) {
        guard !longWaitNoticed, wait.elapsed >= BusyWait.noticeAfter else { return }
        longWaitNoticed = true
        onLongWait?()
    }

    /// Whether no transaction is open (SQLite's autocommit mode).
    public var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }

    /// The journal mode in force ("wal", "delete"), lower-cased. Reads the file's header first: before
    /// its first read a connection does not know the mode.
    public func journalMode() throws(SQLiteError) -> String {
        _ = try scalarInt("SELECT count(*) FROM sqlite_master")
        return (try scalarText("PRAGMA journal_mode") ?? "").lowercased()
    }

    /// Switches the journal mode ("wal", "delete"): true when the file is in that mode afterwards,
    /// false when SQLite declines without an error (no WAL on this file system, a memory database).
    /// A switch needs locks for which SQLite does not call the busy handler (it cannot turn its read
    /// into a write while another connection writes; leaving WAL needs the file to itself), so with
    /// `waiting` this tries again itself, within one busy timeout in all, then throws the busy
    /// error; without, it tries once.
    public func setJournalMode(_ mode: String, waiting: Bool) throws(SQLiteError) -> Bool {
        var wait = BusyWait(limitMilliseconds: waiting ? busyLimitMilliseconds : 0)
        let saved = busyLimitMilliseconds
        defer { busyLimitMilliseconds = saved }
        while true {  // bounded: `wait` gives up after the busy timeout
            busyLimitMilliseconds = wait.remainingMilliseconds  // SQLite's own waits count too
            do {
                return try scalarText("PRAGMA journal_mode = \(mode)")?.lowercased() == mode
            } catch  where error.isBusy {
                noticeIfLong(wait)
                guard wait.sleep() else { throw error }
            }
        }
    }

    /// Copies this whole database into `destination` with SQLite's online backup, in one step: one
    /// read of this database (inside the caller's read transaction if one is open), so the copy is
    /// one consistent state even while other connections write.
    public func copy(into destination: Connection) throws(SQLiteError) {
        guard let backup = sqlite3_backup_init(destination.handle, "main", handle, "main") else {
            throw destination.error(sqlite3_errcode(destination.handle), "backup")
        }
        let stepped = sqlite3_backup_step(backup, -1)
        let finished = sqlite3_backup_finish(backup)
        if stepped != SQLITE_DONE { throw destination.error(stepped, "backup") }
        if finished != SQLITE_OK { throw destination.error(finished, "backup") }
    }

    public var changes: Int { Int(sqlite3_changes(handle)) }
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Convenience: the first column of the first row, if any.
    public func scalarInt(_ sql: String, _ bindings: [SQLValue] = []) throws(SQLiteError) -> Int64? {
        let st = try prepared(sql)
        defer { st.reset() }  // an un-reset statement keeps its read transaction open
        try st.bind(bindings)
        return try st.step() ? (st.isNull(0) ? nil : st.int(0)) : nil
    }

    public func scalarText(_ sql: String, _ bindings: [SQLValue] = []) throws(SQLiteError) -> String? {
        let st = try prepared(sql)
        defer { st.reset() }
        try st.bind(bindings)
        return try st.step() ? st.optionalText(0) : nil
    }

    /// Runs a statement with bindings, no rows expected.
    public func run(_ sql: String, _ bindings: [SQLValue] = []) throws(SQLiteError) {
        let st = try prepared(sql)
        defer { st.reset() }
        try st.bind(bindings)
        while try st.step() {}
    }
}

/// The C function SQLite calls when a lock is taken: the connection decides whether to wait on.
private func connectionBusyHandler(_ context: UnsafeMutableRawPointer?, _ attempt: Int32) -> Int32 {
    guard let context else { return 0 }
    return Unmanaged<Connection>.fromOpaque(context).takeUnretainedValue().busy(attempt: attempt) ? 1 : 0
}

/// A bounded wait for a ledger that another connection holds: sleeps growing from 1 ms to 100 ms (as
/// SQLite's own busy timeout sleeps), until the limit has passed in all.
struct BusyWait {
    static let sleepsMilliseconds: [Int64] = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100]
    /// A wait this long is worth telling the user about (`Connection.Options.onLongWait`).
    static let noticeAfter = Duration.milliseconds(250)

    private let started = ContinuousClock.now
    private let limit: Duration
    private var sleeps = 0

    init(limitMilliseconds: Int32) { limit = .milliseconds(Int64(max(0, limitMilliseconds))) }

    var elapsed: Duration { ContinuousClock.now - started }
    /// What is left of the limit in whole milliseconds, rounded up: 0 only once the limit has
    /// passed, so that a wait never gives up before it (rounded down, a wait gave up with a
    /// fraction of a millisecond to go).
    var remainingMilliseconds: Int32 {
        let left = limit - elapsed
        guard left > .zero else { return 0 }
        let (seconds, attoseconds) = left.components
        let milliseconds = seconds * 1_000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(min(Int64(Int32.max), milliseconds))
    }

    /// Sleeps once; false, without sleeping, when the limit has passed.
    mutating func sleep() -> Bool {
        let remaining = remainingMilliseconds
        guard remaining > 0 else { return false }
        let step = Self.sleepsMilliseconds[min(sleeps, Self.sleepsMilliseconds.count - 1)]
        sleeps += 1
        usleep(useconds_t(min(step, Int64(remaining)) * 1_000))
        return true
    }
}

/// A value to bind.
public enum SQLValue: Sendable, Equatable {
    case null
    case int(Int64)
    case text(String)
    case blob([UInt8])

    public static func opt(_ v: Int64?) -> SQLValue { v.map(SQLValue.int) ?? .null }
    public static func opt(_ v: String?) -> SQLValue { v.map(SQLValue.text) ?? .null }
}

/// A prepared statement. Finalized in `deinit`.
public final class Statement {
    let handle: OpaquePointer
    unowned let connection: Connection
    public let sql: String

    init(connection: Connection, sql: String) throws(SQLiteError) {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(connection.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw connection.error(rc, sql) }
        self.handle = stmt
        self.connection = connection
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Resets the statement to run again with the same bindings (`reset` clears them).
    public func rewind() {
        sqlite3_reset(handle)
    }

    public func bind(_ values: [SQLValue]) throws(SQLiteError) {
        for (i, value) in values.enumerated() { try bind(value, at: Int32(i + 1)) }
    }

    public func bind(_ value: SQLValue, at index: Int32) throws(SQLiteError) {
        let rc: Int32
        switch value {
        case .null: rc = sqlite3_bind_null(handle, index)
        case let .int(v): rc = sqlite3_bind_int64(handle, index, v)
        case let .text(s): rc = sqlite3_bind_text(handle, index, s, -1, csqlite_transient())
        case let .blob(b):
            rc = b.withUnsafeBytes {
                sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), csqlite_transient())
            }
        }
        guard rc == SQLITE_OK else { throw connection.error(rc, sql) }
    }

    // Typed binds for hot paths: no `[SQLValue]` array, no enum boxing.

    @inline(__always)
    public func bind(_ value: Int64, at index: Int32) throws(SQLiteError) {
        let rc = sqlite3_bind_int64(handle, index, value)
        guard rc == SQLITE_OK else { throw connection.error(rc, sql) }
    }

    @inline(__always)
    public func bind(_ value: Int64?, at index: Int32) throws(SQLiteError) {
        let rc = value.map { sqlite3_bind_int64(handle, index, $0) } ?? sqlite3_bind_null(handle, index)
        guard rc == SQLITE_OK else { throw connection.error(rc, sql) }
    }

    /// Binds text (SQLite copies it: the String may go away before the step).
    public func bind(_ value: String, at index: Int32) throws(SQLiteError) {
        let rc =
            value.utf8.withContiguousStorageIfAvailable { bytes in
                sqlite3_bind_text(
                    handle, index, UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self),
                    Int32(bytes.count), csqlite_transient())
            } ?? sqlite3_bind_text(handle, index, value, -1, csqlite_transient())
        guard rc == SQLITE_OK else { throw connection.error(rc, sql) }
    }

    public func bind(_ value: String?, at index: Int32) throws(SQLiteError) {
        if let value { try bind(value, at: index) } else { try bindNull(at: index) }
    }

    public func bindNull(at index: Int32) throws(SQLiteError) {
        let rc = sqlite3_bind_null(handle, index)
        guard rc == SQLITE_OK else { throw connection.error(rc, sql) }
    }

    /// Steps a statement that returns no rows, then resets it (bindings stay).
    public func run() throws(SQLiteError) {
        while try step() {}
        sqlite3_reset(handle)
    }

    /// Binds bytes without copying; they must stay alive until the next `step`.
    public func bindStatic(_ bytes: UnsafeRawBufferPointer, at index: Int32, asText: Bool) throws(SQLiteError) {
        let rc =
            asText
            ? sqlite3_bind_text(
                handle, index, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count),
                csqlite_static())
            : sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), csqlite_static())
        guard rc == SQLITE_OK else { throw connection.error(rc, sql) }
    }

    /// Steps once: true when a row is available.
    public func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        let error = connection.error(rc, sql)
        sqlite3_reset(handle)
        throw error
    }

    public var columnCount: Int32 { sqlite3_column_count(handle) }
    public func isNull(_ i: Int32) -> Bool { sqlite3_column_type(handle, i) == SQLITE_NULL }
    public func int(_ i: Int32) -> Int64 { sqlite3_column_int64(handle, i) }
    public func optionalInt(_ i: Int32) -> Int64? { isNull(i) ? nil : int(i) }
    public func text(_ i: Int32) -> String {
        guard let p = sqlite3_column_text(handle, i) else { return "" }
        return String(cString: p)
    }
    public func optionalText(_ i: Int32) -> String? { isNull(i) ? nil : text(i) }
    public func blob(_ i: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, i))
        guard count > 0, let p = sqlite3_column_blob(handle, i) else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: count))
    }
    /// The raw bytes of a column, valid until the next step.
    public func withBytes<R>(_ i: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let count = Int(sqlite3_column_bytes(handle, i))
        let p = sqlite3_column_blob(handle, i)
        return try body(UnsafeRawBufferPointer(start: p, count: p == nil ? 0 : count))
    }
    public func columnName(_ i: Int32) -> String { String(cString: sqlite3_column_name(handle, i)) }

    /// Whether the current rows of this statement and `other` hold the same values, column by
    /// column, compared where SQLite keeps them (`verify` compares a million rows: no values built).
    public func sameRow(as other: Statement) -> Bool {
        let count = columnCount
        guard other.columnCount == count else { return false }
        for i in 0..<count {
            let type = sqlite3_column_type(handle, i)
            guard sqlite3_column_type(other.handle, i) == type else { return false }
            switch type {
            case SQLITE_NULL: continue
            case SQLITE_INTEGER:
                if sqlite3_column_int64(handle, i) != sqlite3_column_int64(other.handle, i) { return false }
            case SQLITE_BLOB:
                if !withBytes(i, { a in other.withBytes(i) { b in a.elementsEqual(b) } }) { return false }
            default:
                // Text (and a float, as its text): the same bytes.
                let a = sqlite3_column_text(handle, i), b = sqlite3_column_text(other.handle, i)
                let n = sqlite3_column_bytes(handle, i)
                guard n == sqlite3_column_bytes(other.handle, i) else { return false }
                if n > 0, let a, let b, memcmp(a, b, Int(n)) != 0 { return false }
            }
        }
        return true
    }

    /// Appends the current row to `bytes` as `rowEquals` reads it: the column count, then each
    /// column's type and value (an integer's 8 bytes; a blob's or a text's length and bytes).
    func appendRow(to bytes: inout [UInt8]) {
        let count = columnCount
        withUnsafeBytes(of: count) { bytes.append(contentsOf: $0) }
        for i in 0..<count {
            let type = sqlite3_column_type(handle, i)
            bytes.append(UInt8(type))
            switch type {
            case SQLITE_NULL: continue
            case SQLITE_INTEGER: withUnsafeBytes(of: sqlite3_column_int64(handle, i)) { bytes.append(contentsOf: $0) }
            default:
                // A blob's bytes; a text's (and a float's, as its text), as `sameRow` compares them.
                let p =
                    type == SQLITE_BLOB
                    ? sqlite3_column_blob(handle, i) : UnsafeRawPointer(sqlite3_column_text(handle, i))
                let n = sqlite3_column_bytes(handle, i)
                withUnsafeBytes(of: n) { bytes.append(contentsOf: $0) }
                if n > 0, let p { bytes.append(contentsOf: UnsafeRawBufferPointer(start: p, count: Int(n))) }
            }
        }
    }

    /// Whether the current row equals the one `appendRow` wrote at `offset` of `bytes` (the same
    /// test as `sameRow`): the offset after it if so, nil if not.
    func rowEquals(_ bytes: [UInt8], at offset: Int) -> Int? {
        bytes.withUnsafeBytes { all -> Int? in
            var at = offset
            func load<T: FixedWidthInteger>(_: T.Type) -> T {
                defer { at += MemoryLayout<T>.size }
                return all.loadUnaligned(fromByteOffset: at, as: T.self)
            }
            let count = columnCount
            guard load(Int32.self) == count else { return nil }
            for i in 0..<count {
                let type = sqlite3_column_type(handle, i)
                guard Int32(all[at]) == type else { return nil }
                at += 1
                switch type {
                case SQLITE_NULL: continue
                case SQLITE_INTEGER: guard load(Int64.self) == sqlite3_column_int64(handle, i) else { return nil }
                default:
                    let p =
                        type == SQLITE_BLOB
                        ? sqlite3_column_blob(handle, i) : UnsafeRawPointer(sqlite3_column_text(handle, i))
                    let n = sqlite3_column_bytes(handle, i)
                    guard load(Int32.self) == n else { return nil }
                    if n > 0 {
                        guard let p, memcmp(p, all.baseAddress! + at, Int(n)) == 0 else { return nil }
                        at += Int(n)
                    }
                }
            }
            return at
        }
    }

    /// Every column of the current row as a value, for generic comparisons.
    public func row() -> [SQLValue] {
        (0..<columnCount).map { i in
            switch sqlite3_column_type(handle, i) {
            case SQLITE_NULL: return .null
            case SQLITE_INTEGER: return .int(int(i))
            case SQLITE_BLOB: return .blob(blob(i))
            default: return .text(text(i))
            }
        }
    }
}

/// A path as the path part of an SQLite `file:` URI: `%`, `?` and `#` escaped.
func uriEscaped(_ path: String) -> String {
    var out = ""
    for ch in path.unicodeScalars {
        switch ch {
        case "%": out += "%25"
        case "?": out += "%3f"
        case "#": out += "%23"
        default: out.unicodeScalars.append(ch)
        }
    }
    return out
}
