import LedgerCore

/// The schema of the projection tables as the ledger holds it: each table's `CREATE TABLE`, and
/// the statements of its secondary indexes and triggers (run again after the rows are in).
struct ProjectionSchema {
    struct Table {
        let name: String
        let create: String
        /// The table's secondary indexes and triggers: dropped before the table is renamed (their
        /// names go with them), created again once the new table holds its rows.
        let attached: [(type: String, name: String, sql: String)]
    }

    let tables: [Table]

    /// The statements as they are in `sqlite_master` (so that a rebuilt ledger's schema reads the
    /// same, byte for byte, whatever migrations made it).
    static func read(_ connection: Connection) throws(SQLiteError) -> ProjectionSchema {
        var tables: [Table] = []
        for (name, _) in Projector.tables {
            guard
                let create = try connection.scalarText(
                    "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [.text(name)])
            else {
                throw SQLiteError(code: 1, message: "no projection table \(name)", sql: nil)
            }
            var attached: [(type: String, name: String, sql: String)] = []
            let st = try connection.prepared(
                """
                SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger')
                  AND sql IS NOT NULL ORDER BY rowid
                """)
            try st.bind([.text(name)])
            while try st.step() {  // bounded by the schema
                attached.append((st.text(0), st.text(1), st.text(2)))
            }
            st.reset()
            tables.append(Table(name: name, create: create, attached: attached))
        }
        return ProjectionSchema(tables: tables)
    }
}

extension ProjectionSchema {
    /// Drops the secondary indexes and triggers of the projection tables (empty ones: a scratch
    /// database's), and returns the statements that create them again.
    static func dropAttached(_ connection: Connection) throws(SQLiteError) -> [String] {
        let schema = try read(connection)
        for table in schema.tables {
            for item in table.attached { try connection.execute("DROP \(item.type.uppercased()) \(quoted(item.name))") }
        }
        return schema.tables.flatMap { $0.attached.map(\.sql) }
    }
}

extension Ledger {
    /// An in-memory database with the ledger's schema, for `verify`'s replay of the log.
    static func scratchProjections() throws(SQLiteError) -> Connection {
        let scratch = try Connection(path: ":memory:", options: .init(create: true))
        for migration in embeddedMigrations { try Ledger.apply(migration, to: scratch) }
        return scratch
    }

    /// Recomputes every projection from the log, in one transaction, without rewriting any page of
    /// the old projections: the tables are renamed out of the way, built again under their names
    /// from their own `CREATE TABLE` (rows first, secondary indexes after), and the old ones dropped
    /// at the end. New pages come from the free list as it was before the rebuild, or past the end
    /// of the file: neither goes through the rollback journal, which only gets the pages of the
    /// schema, of the free list's trunks, and of the old secondary indexes (dropped first, their
    /// pages reused). A kill anywhere leaves the old ledger (the hot journal rolls back) or the new
    /// one; other commands wait for it as for any write (docs/performance.md, "Rebuild").
    ///
    /// The price: the file keeps the old projections' pages as free pages (the next rebuild, or
    /// the next imports, reuse them), so it grows by the projections' size once.
    public func rebuild() throws -> Int64 {
        // One big transaction: written once with the rollback journal (see `withRollbackJournal`).
        try withRollbackJournal {
            try write { ledger throws in try ledger.rebuildProjections() }
        }
    }

    private func rebuildProjections() throws -> Int64 {
        let schema = try ProjectionSchema.read(connection)
        let settings = try RebuildSettings(connection, cache: testSettings.cachePages == nil)
        defer { settings.restore(connection) }
        for table in schema.tables {
            for item in table.attached { try connection.execute("DROP \(item.type.uppercased()) \(quoted(item.name))") }
            try connection.execute("ALTER TABLE \(quoted(table.name)) RENAME TO \(quoted(Self.oldName(table.name)))")
            try connection.execute(table.create)
        }
        projector.deferred = schema.tables.flatMap { $0.attached.map(\.sql) }
        defer { projector.deferred = [] }
        let count = try replay(into: projector)
        pause(at: .rebuildFilled)
        for table in schema.tables { try connection.execute("DROP TABLE \(quoted(Self.oldName(table.name)))") }
        try projector.createDeferred()
        return count
    }

    /// The name an old projection table has while its successor is built (inside the rebuild's
    /// transaction only: no ledger ever holds it after a commit or a rollback).
    static func oldName(_ table: String) -> String { table + "__before_rebuild" }

    /// Applies every fact to the projections, in log order. The facts are decoded on a second
    /// thread (`Connection.replayLog`); the orders' canonical bytes straight into the values of
    /// their rows (`Fact.decodeCanonical`), every other fact through `Fact.decode`.
    func replay(into projector: Projector) throws -> Int64 {
        var count: Int64 = 0
        try connection.replayLog(hashes: false) { batch in
            var decoded = DecodedBatch(rows: batch.rows)
            decoded.decode(batch)
            return decoded
        } apply: { decoded in
            try projector.apply(decoded)
            count += Int64(decoded.items.count)
        }
        return count
    }
}

/// A fact from a row of the log: the orders' and statements' canonical bytes straight through the
/// scanner, anything else (and any layout the scanner does not take) through `Fact.decode`.
enum FactReader {
    static func fact(
        type typeName: String, version: Int,
        payload: UnsafeRawBufferPointer
    ) throws(FactDecodingError) -> Fact {
        // The scanner reads every layout of its types; the one it found must be the stored one.
        if let fast = Fact.decodeCanonical(type: typeName, payload: payload), fast.version == version { return fast }
        return try Fact.decode(type: typeName, version: version, payload: Array(payload))
    }
}

/// The connection's settings for the rebuild's one transaction, and the way back.
private struct RebuildSettings {
    let secureDelete: Int64
    let cacheSize: Int64

    /// `cache`: false when a test set the page cache itself (`TestSettings.cachePages`).
    init(_ connection: Connection, cache: Bool) throws(SQLiteError) {
        secureDelete = try connection.scalarInt("PRAGMA secure_delete") ?? 1
        cacheSize = try connection.scalarInt("PRAGMA cache_size") ?? -2_000
        // Dropping the old tables frees their pages without zeroing them: Debian's SQLite zeroes
        // freed pages (`secure_delete`), which would write every old page to the journal and then
        // over itself. What the free pages keep is what the new projections hold again (a cache of
        // the log, which holds it all): nothing private is left behind that is not in the file anyway.
        try connection.execute("PRAGMA secure_delete = OFF")
        // 64 MiB of page cache: the orders' key index is written out of order (Shopify's ids run newest
        // first), and with SQLite's default 2 MB its pages would go to the file and back many times.
        if cache { try connection.execute("PRAGMA cache_size = -65536") }
        // Table names in the triggers and views of other tables stay as written: the renamed old
        // tables take no references with them.
        try connection.execute("PRAGMA legacy_alter_table = ON")
    }

    func restore(_ connection: Connection) {
        try? connection.execute("PRAGMA legacy_alter_table = OFF")
        try? connection.execute("PRAGMA secure_delete = \(secureDelete)")
        try? connection.execute("PRAGMA cache_size = \(cacheSize)")
    }
}

/// An SQL identifier in double quotes.
func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
