import LedgerCore

// The store's coders over a fact type's field table (`FieldTable` in LedgerCore): the projected
// columns in table order, their binds, and a row of them read back. Each field with a column is
// one column; a timestamp is two; a list of strings is the JSON text of the array.

/// The projected columns of a field table, in table order.
struct ColumnNames: FieldCoder {
    typealias Failure = Never
    static var decodes: Bool { false }

    private(set) var names: [String] = []

    static func of<T: FieldTable>(_: T.Type) -> [String] {
        var c = ColumnNames()
        T.blank.encode(with: &c)
        return c.names
    }

    private mutating func add(_ key: StaticString, _ column: Column) {
        if let name = column.name(key: key) { names.append(name.description) }
    }

    mutating func string(_ key: StaticString, _ value: inout String, column: Column) { add(key, column) }
    mutating func optionalString(_ key: StaticString, _ value: inout String?, column: Column) { add(key, column) }
    mutating func int(_ key: StaticString, _ value: inout Int64, column: Column) { add(key, column) }
    mutating func optionalInt(_ key: StaticString, _ value: inout Int64?, column: Column) { add(key, column) }
    mutating func bool(_ key: StaticString, _ value: inout Bool, column: Column) { add(key, column) }
    mutating func strings(_ key: StaticString, _ value: inout [String], column: Column) { add(key, column) }
    mutating func currency(_ key: StaticString, _ value: inout Currency, column: Column) { add(key, column) }
    mutating func counts(_ key: StaticString, _ value: inout [String: Int64], column: Column) { add(key, column) }
    mutating func optionalCounts(_ key: StaticString, _ value: inout [String: Int64]?, column: Column) {
        add(key, column)
    }
    mutating func omittableString(_ key: StaticString, _ value: inout String?, column: Column) { add(key, column) }
    mutating func omittableInt(_ key: StaticString, _ value: inout Int64?, column: Column) { add(key, column) }

    mutating func cancellation(
        _ key: StaticString, _ offsetKey: StaticString, _ value: inout OrderChanged.Cancellation?,
        columns: (Column, Column, Column)
    ) {
        add(key, columns.0)
        add(key, columns.1)
        add(offsetKey, columns.2)
    }

    func statementLines(_ key: StaticString, _ value: inout [StatementLine]) {}
    func reject(_ key: StaticString, _ problem: String) {}
}

/// The position of the next projected field: a parameter to bind, or a column to read.
struct ColumnCursor {
    var next: Int32

    /// The position of a projected field, advancing; nil for a field kept in the log only.
    mutating func take(_ column: Column) -> Int32? {
        if case .notProjected = column { return nil }
        defer { next += 1 }
        return next
    }
}

/// Where the projected values of one payload go, parameter by parameter in table order: a
/// statement's parameters (`ColumnBinder`), or a batch of rows that another thread binds later
/// (`RowValues`, the replay's decoding thread).
protocol ColumnSink {
    associatedtype Failure: Error
    mutating func int(_ value: Int64, at index: Int32) throws(Failure)
    mutating func text(_ value: String, at index: Int32) throws(Failure)
    mutating func null(at index: Int32) throws(Failure)
}

/// A statement's parameters, bound at once (SQLite copies the text).
struct StatementSink: ColumnSink {
    let statement: Statement

    @inline(__always)
    func int(_ value: Int64, at index: Int32) throws(SQLiteError) { try statement.bind(value, at: index) }
    @inline(__always)
    func text(_ value: String, at index: Int32) throws(SQLiteError) { try statement.bind(value, at: index) }
    @inline(__always)
    func null(at index: Int32) throws(SQLiteError) { try statement.bindNull(at: index) }
}

/// Binds the projected fields of one payload to parameters `?first`, `?first+1`, ... in table
/// order (the order of `ColumnNames`).
typealias ColumnBinder = ColumnEncoder<StatementSink>

extension ColumnEncoder where Sink == StatementSink {
    init(_ statement: Statement, first: Int32 = 1) { self.init(StatementSink(statement: statement), first: first) }
}

/// The projected fields of one payload as the values of parameters `?first`, `?first+1`, ... in
/// table order (the order of `ColumnNames`), handed to `sink`: one definition of what each kind
/// of field becomes in its column, whoever binds it.
struct ColumnEncoder<Sink: ColumnSink>: FieldCoder {
    typealias Failure = Sink.Failure
    static var decodes: Bool { false }

    var sink: Sink
    private var parameters: ColumnCursor
    /// The first parameter after the fields.
    var next: Int32 { parameters.next }

    init(_ sink: Sink, first: Int32 = 1) {
        self.sink = sink
        parameters = ColumnCursor(next: first)
    }

    private mutating func parameter(_ column: Column) -> Int32? { parameters.take(column) }

    @inline(__always)
    private mutating func bind(_ value: Int64?, at i: Int32) throws(Failure) {
        if let value { try sink.int(value, at: i) } else { try sink.null(at: i) }
    }

    @inline(__always)
    private mutating func bind(_ value: String?, at i: Int32) throws(Failure) {
        if let value { try sink.text(value, at: i) } else { try sink.null(at: i) }
    }

    mutating func string(_ key: StaticString, _ value: inout String, column: Column) throws(Failure) {
        if let i = parameter(column) { try sink.text(value, at: i) }
    }

    mutating func optionalString(_ key: StaticString, _ value: inout String?, column: Column) throws(Failure) {
        if let i = parameter(column) { try bind(value, at: i) }
    }

    mutating func int(_ key: StaticString, _ value: inout Int64, column: Column) throws(Failure) {
        if let i = parameter(column) { try sink.int(value, at: i) }
    }

    mutating func optionalInt(_ key: StaticString, _ value: inout Int64?, column: Column) throws(Failure) {
        if let i = parameter(column) { try bind(value, at: i) }
    }

    mutating func bool(_ key: StaticString, _ value: inout Bool, column: Column) throws(Failure) {
        if let i = parameter(column) { try sink.int(value ? 1 : 0, at: i) }
    }

    mutating func strings(_ key: StaticString, _ value: inout [String], column: Column) throws(Failure) {
        if let i = parameter(column) { try sink.text(OrderSeen.codesJSON(value), at: i) }
    }

    mutating func currency(_ key: StaticString, _ value: inout Currency, column: Column) throws(Failure) {
        if let i = parameter(column) { try sink.text(value.code, at: i) }
    }

    mutating func counts(_ key: StaticString, _ value: inout [String: Int64], column: Column) throws(Failure) {
        if let i = parameter(column) { try sink.text(countsText(value), at: i) }
    }

    mutating func optionalCounts(_ key: StaticString, _ value: inout [String: Int64]?, column: Column)
        throws(Failure)
    {
        if let i = parameter(column) { try bind(value.map(countsText), at: i) }
    }

    mutating func omittableString(_ key: StaticString, _ value: inout String?, column: Column) throws(Failure) {
        if let i = parameter(column) { try bind(value, at: i) }
    }

    mutating func omittableInt(_ key: StaticString, _ value: inout Int64?, column: Column) throws(Failure) {
        if let i = parameter(column) { try bind(value, at: i) }
    }

    mutating func cancellation(
        _ key: StaticString, _ offsetKey: StaticString, _ value: inout OrderChanged.Cancellation?,
        columns: (Column, Column, Column)
    ) throws(Failure) {
        var change: Int64 = 0
        var at: Int64? = nil, offset: Int64? = nil
        switch value {
        case let .cancelled(timestamp)?:
            (change, at, offset) = (1, timestamp.instant.unixSeconds, Int64(timestamp.offsetSeconds))
        case .uncancelled?: change = 2
        case nil: break
        }
        if let i = parameter(columns.0) { try sink.int(change, at: i) }
        if let i = parameter(columns.1) { try bind(at, at: i) }
        if let i = parameter(columns.2) { try bind(offset, at: i) }
    }

    func statementLines(_ key: StaticString, _ value: inout [StatementLine]) {}

    func reject(_ key: StaticString, _ problem: String) {}
}

/// Reads a payload's projected fields back from a row whose columns start at `first`, in table
/// order (a SELECT of `ColumnNames`); fields kept in the log only stay blank.
struct ColumnReader: FieldCoder {
    typealias Failure = LedgerError
    static var decodes: Bool { true }

    let statement: Statement
    let table: String
    private let first: Int32
    private var columns: ColumnCursor
    /// One look-up per distinct code, not per row.
    private var currencies: [String: Currency] = [:]

    init(_ statement: Statement, table: String, first: Int32 = 0) {
        self.statement = statement
        self.table = table
        self.first = first
        columns = ColumnCursor(next: first)
    }

    /// Before each row.
    mutating func rewind() { columns = ColumnCursor(next: first) }

    /// The column after the fields read so far.
    var next: Int32 { columns.next }

    private mutating func column(_ column: Column) -> Int32? { columns.take(column) }

    mutating func string(_ key: StaticString, _ value: inout String, column: Column) {
        if let i = self.column(column) { value = statement.text(i) }
    }

    mutating func optionalString(_ key: StaticString, _ value: inout String?, column: Column) {
        if let i = self.column(column) { value = statement.optionalText(i) }
    }

    mutating func int(_ key: StaticString, _ value: inout Int64, column: Column) {
        if let i = self.column(column) { value = statement.int(i) }
    }

    mutating func optionalInt(_ key: StaticString, _ value: inout Int64?, column: Column) {
        if let i = self.column(column) { value = statement.optionalInt(i) }
    }

    mutating func bool(_ key: StaticString, _ value: inout Bool, column: Column) {
        if let i = self.column(column) { value = statement.int(i) != 0 }
    }

    mutating func strings(_ key: StaticString, _ value: inout [String], column: Column) throws(LedgerError) {
        guard let i = self.column(column) else { return }
        do {
            value = try statement.withBytes(i) { bytes in
                try simpleCodes(bytes) ?? decodedCodes(String(decoding: bytes, as: UTF8.self))
            }
        } catch {
            throw .corrupt("\(table).\(key) is not a JSON list of strings")
        }
    }

    mutating func currency(_ key: StaticString, _ value: inout Currency, column: Column) throws(LedgerError) {
        guard let i = self.column(column) else { return }
        let code = statement.text(i)
        if let known = currencies[code] {
            value = known
            return
        }
        guard let currency = Currency(code: code) else { throw .corrupt("unknown currency \(code) in \(table)") }
        currencies[code] = currency
        value = currency
    }

    mutating func counts(_ key: StaticString, _ value: inout [String: Int64], column: Column) throws(LedgerError) {
        if let i = self.column(column) { value = try counts(key, statement.text(i)) }
    }

    mutating func optionalCounts(_ key: StaticString, _ value: inout [String: Int64]?, column: Column)
        throws(LedgerError)
    {
        if let i = self.column(column) {
            value = try statement.optionalText(i).map { text throws(LedgerError) in try counts(key, text) }
        }
    }

    private func counts(_ key: StaticString, _ text: String) throws(LedgerError) -> [String: Int64] {
        guard case let .object(pairs)? = try? JSON.decode(text) else {
            throw .corrupt("\(table).\(key) is not a JSON object")
        }
        var counts: [String: Int64] = [:]
        for (name, count) in pairs {
            guard let n = count.intValue else { throw .corrupt("\(table).\(key) holds a count that is not an integer") }
            counts[name] = n
        }
        return counts
    }

    mutating func omittableString(_ key: StaticString, _ value: inout String?, column: Column) {
        if let i = self.column(column) { value = statement.optionalText(i) }
    }

    mutating func omittableInt(_ key: StaticString, _ value: inout Int64?, column: Column) {
        if let i = self.column(column) { value = statement.optionalInt(i) }
    }

    mutating func cancellation(
        _ key: StaticString, _ offsetKey: StaticString, _ value: inout OrderChanged.Cancellation?,
        columns: (Column, Column, Column)
    ) throws(LedgerError) {
        guard let change = self.column(columns.0), let at = self.column(columns.1), let offset = self.column(columns.2)
        else {
            preconditionFailure("a cancellation is projected as three columns or none")
        }
        switch statement.int(change) {
        case 0: value = nil
        case 1:
            value = .cancelled(
                Timestamp(Instant(unixSeconds: statement.int(at)), offsetSeconds: Int(statement.int(offset))))
        case 2: value = .uncancelled
        default: value = nil
        }
    }

    func statementLines(_ key: StaticString, _ value: inout [StatementLine]) {}

    func reject(_ key: StaticString, _ problem: String) throws(LedgerError) {
        throw .corrupt("\(table).\(key) \(problem)")
    }
}

/// Counts as their column holds them: the JSON object of the payload, keys sorted.
func countsText(_ counts: [String: Int64]) -> String {
    JSON.counts(counts).encodedString
}
