/// One field table per fact type: the fields of its payload in canonical order, each with its key,
/// its kind and the projection column it lands in. Every reader and writer of the payload is a
/// `FieldCoder` run over that table, so that adding a field is one line in one place:
///
/// - the canonical writer (`writePayload`, the bytes the hash chain covers) and the JSON tree
///   (`Fact.payload`), in `PayloadCoders.swift`;
/// - the generic decoder (`Fact.decode`, any valid JSON) and the canonical scanner
///   (`Fact.decodeCanonical`, what `rebuild` reads), in `PayloadCoders.swift` and
///   `PayloadScanner.swift`;
/// - the projector's binds and the column lists of its INSERT and of the snapshot loader's
///   SELECT, in LedgerStore (`ProjectionCoders.swift`).
///
/// A coder both reads and writes through `inout`: an encoder reads each value, a decoder (`decodes`)
/// overwrites it, starting from `blank`. The coders are generic, and the tables of the hot types
/// (`order.seen`, `order.changed`, `statement.issued`) `@inlinable`, so that each pair is
/// specialized into straight-line code, in LedgerStore too: the writer, the scanner and the
/// projector's binds run once per order in an import and in a rebuild.
public protocol FieldTable {
    /// What a decoder starts from; the table overwrites every field of it.
    static var blank: Self { get }
    /// The payload's fields in canonical order (the order of the keys in the bytes).
    static func fields<C: FieldCoder>(_ c: inout C, _ value: inout Self) throws(C.Failure)
}

extension FieldTable {
    @inlinable @inline(__always)
    public static func decode<C: FieldCoder>(with c: inout C) throws(C.Failure) -> Self {
        var value = blank
        try fields(&c, &value)
        return value
    }

    /// Runs an encoder over the table. Encoders only read, so the table reads the value in place,
    /// through a pointer to it: a copy would retain and release each of its strings, per order.
    @inlinable @inline(__always)
    public func encode<C: FieldCoder>(with c: inout C) throws(C.Failure) {
        precondition(!C.decodes, "a decoder writes: it cannot run over a value it does not own")
        try withUnsafePointer(to: self) { (value: UnsafePointer<Self>) throws(C.Failure) in
            try Self.fields(&c, &UnsafeMutablePointer(mutating: value).pointee)
        }
    }
}

/// Where a payload field lands in its fact type's projection table.
public enum Column: Sendable, ExpressibleByStringLiteral {
    /// A column named as the key.
    case key
    case named(StaticString)
    /// Kept in the log only.
    case notProjected

    public init(stringLiteral name: StaticString) { self = .named(name) }

    /// The column's name for a field with `key`; nil when not projected.
    @inlinable
    public func name(key: StaticString) -> StaticString? {
        switch self {
        case .key: return key
        case let .named(name): return name
        case .notProjected: return nil
        }
    }
}

/// A reader or writer of payload fields. The requirements are the kinds a payload holds; the
/// composite kinds (instants, timestamps, enumerations) are made of them below, so that every
/// coder handles them alike.
public protocol FieldCoder {
    associatedtype Failure: Error
    /// True for decoders: they overwrite the values they are given.
    static var decodes: Bool { get }

    mutating func string(_ key: StaticString, _ value: inout String, column: Column) throws(Failure)
    mutating func optionalString(_ key: StaticString, _ value: inout String?, column: Column) throws(Failure)
    mutating func int(_ key: StaticString, _ value: inout Int64, column: Column) throws(Failure)
    mutating func optionalInt(_ key: StaticString, _ value: inout Int64?, column: Column) throws(Failure)
    mutating func bool(_ key: StaticString, _ value: inout Bool, column: Column) throws(Failure)
    /// A list of strings (a JSON array; projected as the JSON text of the array).
    mutating func strings(_ key: StaticString, _ value: inout [String], column: Column) throws(Failure)
    /// Counts by name (followers by platform, an import's counts): an object with its keys
    /// sorted, projected as the JSON text of that object.
    mutating func counts(_ key: StaticString, _ value: inout [String: Int64], column: Column) throws(Failure)
    /// As `counts`, `null` for none.
    mutating func optionalCounts(_ key: StaticString, _ value: inout [String: Int64]?, column: Column) throws(Failure)
    /// An ISO 4217 code (decoders: only a code of the table).
    mutating func currency(_ key: StaticString, _ value: inout Currency, column: Column) throws(Failure)
    /// A field written only when `value` is not nil (decoders: absent is nil).
    mutating func omittableString(_ key: StaticString, _ value: inout String?, column: Column) throws(Failure)
    mutating func omittableInt(_ key: StaticString, _ value: inout Int64?, column: Column) throws(Failure)
    /// A change of a cancellation: absent when unchanged, `key: null` when lifted, else the instant
    /// and its offset (as `timestamp`). Projected as three columns: how it changed (0 unchanged,
    /// 1 cancelled, 2 lifted), the instant and the offset.
    mutating func cancellation(
        _ key: StaticString, _ offsetKey: StaticString, _ value: inout OrderChanged.Cancellation?,
        columns: (Column, Column, Column)) throws(Failure)
    /// A statement's lines, `[kind, ref, date, amount]` each. Never a column: lines have their own table.
    mutating func statementLines(_ key: StaticString, _ value: inout [StatementLine]) throws(Failure)
    /// A decoder found a value it cannot accept (`key` names the field).
    mutating func reject(_ key: StaticString, _ problem: String) throws(Failure)
}

extension FieldCoder {
    @inlinable @inline(__always)
    public mutating func string(_ key: StaticString, _ value: inout String) throws(Failure) {
        try string(key, &value, column: .key)
    }

    @inlinable @inline(__always)
    public mutating func optionalString(_ key: StaticString, _ value: inout String?) throws(Failure) {
        try optionalString(key, &value, column: .key)
    }

    @inlinable @inline(__always)
    public mutating func int(_ key: StaticString, _ value: inout Int64) throws(Failure) {
        try int(key, &value, column: .key)
    }

    @inlinable @inline(__always)
    public mutating func optionalInt(_ key: StaticString, _ value: inout Int64?) throws(Failure) {
        try optionalInt(key, &value, column: .key)
    }

    @inlinable @inline(__always)
    public mutating func counts(_ key: StaticString, _ value: inout [String: Int64]) throws(Failure) {
        try counts(key, &value, column: .key)
    }

    @inlinable @inline(__always)
    public mutating func optionalCounts(_ key: StaticString, _ value: inout [String: Int64]?) throws(Failure) {
        try optionalCounts(key, &value, column: .key)
    }

    @inlinable @inline(__always)
    public mutating func bool(_ key: StaticString, _ value: inout Bool) throws(Failure) {
        try bool(key, &value, column: .key)
    }

    @inlinable @inline(__always)
    public mutating func strings(_ key: StaticString, _ value: inout [String]) throws(Failure) {
        try strings(key, &value, column: .key)
    }

    @inlinable @inline(__always)
    public mutating func currency(_ key: StaticString, _ value: inout Currency) throws(Failure) {
        try currency(key, &value, column: .key)
    }

    /// Unix seconds.
    @inlinable @inline(__always)
    public mutating func instant(_ key: StaticString, _ value: inout Instant, column: Column = .key) throws(Failure) {
        var seconds = value.unixSeconds
        try int(key, &seconds, column: column)
        if Self.decodes { value = Instant(unixSeconds: seconds) }
    }

    @inlinable @inline(__always)
    public mutating func optionalInstant(_ key: StaticString, _ value: inout Instant?, column: Column = .key)
        throws(Failure)
    {
        var seconds = value?.unixSeconds
        try optionalInt(key, &seconds, column: column)
        if Self.decodes { value = seconds.map(Instant.init(unixSeconds:)) }
    }

    /// Two fields: the instant (Unix seconds) and the UTC offset it was shown with (seconds).
    @inlinable @inline(__always)
    public mutating func timestamp(
        _ key: StaticString, _ offsetKey: StaticString, _ value: inout Timestamp,
        columns: (Column, Column) = (.key, .key)
    ) throws(Failure) {
        var seconds = value.instant.unixSeconds
        var offset = Int64(value.offsetSeconds)
        try int(key, &seconds, column: columns.0)
        try int(offsetKey, &offset, column: columns.1)
        if Self.decodes { value = Timestamp(Instant(unixSeconds: seconds), offsetSeconds: Int(offset)) }
    }

    /// As `timestamp`, both fields null for none (a decoder ignores the offset of a null instant).
    @inlinable @inline(__always)
    public mutating func optionalTimestamp(
        _ key: StaticString, _ offsetKey: StaticString, _ value: inout Timestamp?,
        columns: (Column, Column) = (.key, .key)
    ) throws(Failure) {
        var seconds = value?.instant.unixSeconds
        var offset = value.map { Int64($0.offsetSeconds) }
        try optionalInt(key, &seconds, column: columns.0)
        try optionalInt(offsetKey, &offset, column: columns.1)
        guard Self.decodes else { return }
        guard let seconds else {
            value = nil
            return
        }
        guard let offset else { return try reject(offsetKey, "is missing") }
        value = Timestamp(Instant(unixSeconds: seconds), offsetSeconds: Int(offset))
    }

    /// As `enumeration`, written only when not nil.
    @inlinable @inline(__always)
    public mutating func omittableEnumeration<E: RawRepresentable>(
        _ key: StaticString, _ value: inout E?,
        column: Column = .key
    ) throws(Failure) where E.RawValue == String {
        var raw = value?.rawValue
        try omittableString(key, &raw, column: column)
        guard Self.decodes else { return }
        guard let raw else {
            value = nil
            return
        }
        guard let parsed = E(rawValue: raw) else { return try reject(key, "has an unknown value \(raw)") }
        value = parsed
    }

    /// A calendar month, `YYYY-MM`.
    @inlinable @inline(__always)
    public mutating func month(_ key: StaticString, _ value: inout YearMonth, column: Column = .key) throws(Failure) {
        try text(key, &value, column: column, parse: YearMonth.parse, problem: "is not a month")
    }

    /// A calendar date, `YYYY-MM-DD`.
    @inlinable @inline(__always)
    public mutating func date(_ key: StaticString, _ value: inout CivilDate, column: Column = .key) throws(Failure) {
        try text(key, &value, column: column, parse: CivilDate.parse, problem: "is not a date")
    }

    /// A value written as its description, read back by `parse`.
    @inlinable @inline(__always)
    public mutating func text<T: CustomStringConvertible>(
        _ key: StaticString, _ value: inout T, column: Column,
        parse: (String) -> T?, problem: String
    ) throws(Failure) {
        var text = Self.decodes ? "" : value.description
        try string(key, &text, column: column)
        guard Self.decodes else { return }
        guard let parsed = parse(text) else { return try reject(key, problem) }
        value = parsed
    }

    /// As `text`, written only when not nil (decoders: absent is nil).
    @inlinable @inline(__always)
    public mutating func omittableText<T: CustomStringConvertible>(
        _ key: StaticString, _ value: inout T?, column: Column = .key,
        parse: (String) -> T?, problem: String
    ) throws(Failure) {
        var text = Self.decodes ? nil : value?.description
        try omittableString(key, &text, column: column)
        guard Self.decodes else { return }
        guard let text else {
            value = nil
            return
        }
        guard let parsed = parse(text) else { return try reject(key, problem) }
        value = parsed
    }

    /// A string-valued enumeration, by its raw value.
    @inlinable @inline(__always)
    public mutating func enumeration<E: RawRepresentable>(
        _ key: StaticString, _ value: inout E,
        column: Column = .key
    ) throws(Failure) where E.RawValue == String {
        var raw = value.rawValue
        try string(key, &raw, column: column)
        guard Self.decodes else { return }
        guard let parsed = E(rawValue: raw) else { return try reject(key, "has an unknown value \(raw)") }
        value = parsed
    }
}
