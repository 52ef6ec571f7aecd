// The coders of the core over a fact type's field table (`FieldTable`): the canonical bytes, the
// JSON tree, and the generic decoder. The canonical scanner is in `PayloadScanner.swift`.

/// Writes the canonical payload bytes straight into a buffer (see `PayloadWriter`).
struct CanonicalWriter: FieldCoder {
    typealias Failure = Never
    static var decodes: Bool { false }

    var w: PayloadWriter
    private var first = true

    init(out: [UInt8]) { w = PayloadWriter(out: out) }

    private mutating func key(_ name: StaticString) {
        w.key(name, first: first)
        first = false
    }

    mutating func string(_ key: StaticString, _ value: inout String, column: Column) {
        self.key(key)
        w.string(value)
    }

    mutating func optionalString(_ key: StaticString, _ value: inout String?, column: Column) {
        self.key(key)
        w.optionalString(value)
    }

    mutating func int(_ key: StaticString, _ value: inout Int64, column: Column) {
        self.key(key)
        w.int(value)
    }

    mutating func optionalInt(_ key: StaticString, _ value: inout Int64?, column: Column) {
        self.key(key)
        w.optionalInt(value)
    }

    mutating func bool(_ key: StaticString, _ value: inout Bool, column: Column) {
        self.key(key)
        w.bool(value)
    }

    mutating func strings(_ key: StaticString, _ value: inout [String], column: Column) {
        self.key(key)
        w.stringArray(value)
    }

    mutating func currency(_ key: StaticString, _ value: inout Currency, column: Column) {
        self.key(key)
        w.string(value.code)
    }

    mutating func counts(_ key: StaticString, _ value: inout [String: Int64], column: Column) {
        self.key(key)
        w.counts(value)
    }

    mutating func optionalCounts(_ key: StaticString, _ value: inout [String: Int64]?, column: Column) {
        self.key(key)
        if let counts = value { w.counts(counts) } else { w.null() }
    }

    mutating func omittableString(_ key: StaticString, _ value: inout String?, column: Column) {
        guard let value else { return }
        self.key(key)
        w.string(value)
    }

    mutating func omittableInt(_ key: StaticString, _ value: inout Int64?, column: Column) {
        guard let value else { return }
        self.key(key)
        w.int(value)
    }

    mutating func cancellation(
        _ key: StaticString, _ offsetKey: StaticString, _ value: inout OrderChanged.Cancellation?,
        columns: (Column, Column, Column)
    ) {
        switch value {
        case let .cancelled(at)?:
            self.key(key)
            w.int(at.instant.unixSeconds)
            self.key(offsetKey)
            w.int(Int64(at.offsetSeconds))
        case .uncancelled?:
            self.key(key)
            w.null()
        case nil: break
        }
    }

    /// A December close of a year without earlier closes has a line per commissioned order.
    mutating func statementLines(_ key: StaticString, _ value: inout [StatementLine]) {
        self.key(key)
        w.out.append(UInt8(ascii: "["))
        for (n, line) in value.enumerated() {
            if n > 0 { w.out.append(UInt8(ascii: ",")) }
            w.out.append(UInt8(ascii: "["))
            w.string(line.kind.rawValue)
            w.out.append(UInt8(ascii: ","))
            w.string(line.ref)
            w.out.append(UInt8(ascii: ","))
            w.string(line.date.description)
            w.out.append(UInt8(ascii: ","))
            w.int(line.amountMinor)
            if let o = line.order {
                w.out.append(UInt8(ascii: ","))
                w.optionalInt(o.baseMinor)
                w.out.append(UInt8(ascii: ","))
                w.optionalInt(o.rate?.partsPerMillion)
                w.out.append(UInt8(ascii: ","))
                w.optionalInt(o.perOrderMinor)
                w.out.append(UInt8(ascii: ","))
                w.optionalString(o.change?.rawValue)
            }
            w.out.append(UInt8(ascii: "]"))
        }
        w.out.append(UInt8(ascii: "]"))
    }

    func reject(_ key: StaticString, _ problem: String) {}
}

extension FieldTable {
    /// Appends the canonical payload (the bytes of `payloadTree.encoded()`) to `out`.
    func writeCanonical(into out: inout [UInt8]) {
        var c = CanonicalWriter(out: out)
        out = []  // the writer owns the buffer meanwhile: no copy on write
        c.w.open()
        encode(with: &c)
        c.w.close()
        out = c.w.out
    }

    /// The payload as a JSON tree (`Fact.payload`).
    var payloadTree: JSON {
        var c = TreeBuilder()
        encode(with: &c)
        return .object(c.pairs)
    }

    /// Decodes a payload parsed by the generic JSON parser (keys in any order, escapes).
    init(_ r: PayloadReader) throws(FactDecodingError) {
        var c = ReaderDecoder(r: r)
        self = try Self.decode(with: &c)
    }
}

/// Builds the payload's JSON tree.
struct TreeBuilder: FieldCoder {
    typealias Failure = Never
    static var decodes: Bool { false }

    var pairs: [(String, JSON)] = []

    mutating func string(_ key: StaticString, _ value: inout String, column: Column) {
        pairs.append((key.description, .string(value)))
    }

    mutating func optionalString(_ key: StaticString, _ value: inout String?, column: Column) {
        pairs.append((key.description, .opt(value)))
    }

    mutating func int(_ key: StaticString, _ value: inout Int64, column: Column) {
        pairs.append((key.description, .int(value)))
    }

    mutating func optionalInt(_ key: StaticString, _ value: inout Int64?, column: Column) {
        pairs.append((key.description, .opt(value)))
    }

    mutating func bool(_ key: StaticString, _ value: inout Bool, column: Column) {
        pairs.append((key.description, .bool(value)))
    }

    mutating func strings(_ key: StaticString, _ value: inout [String], column: Column) {
        pairs.append((key.description, .array(value.map(JSON.string))))
    }

    mutating func currency(_ key: StaticString, _ value: inout Currency, column: Column) {
        pairs.append((key.description, .string(value.code)))
    }

    mutating func counts(_ key: StaticString, _ value: inout [String: Int64], column: Column) {
        pairs.append((key.description, .counts(value)))
    }

    mutating func optionalCounts(_ key: StaticString, _ value: inout [String: Int64]?, column: Column) {
        pairs.append((key.description, value.map(JSON.counts) ?? .null))
    }

    mutating func omittableString(_ key: StaticString, _ value: inout String?, column: Column) {
        if let value { pairs.append((key.description, .string(value))) }
    }

    mutating func omittableInt(_ key: StaticString, _ value: inout Int64?, column: Column) {
        if let value { pairs.append((key.description, .int(value))) }
    }

    mutating func cancellation(
        _ key: StaticString, _ offsetKey: StaticString, _ value: inout OrderChanged.Cancellation?,
        columns: (Column, Column, Column)
    ) {
        switch value {
        case let .cancelled(at)?:
            pairs.append((key.description, .int(at.instant.unixSeconds)))
            pairs.append((offsetKey.description, .int(Int64(at.offsetSeconds))))
        case .uncancelled?: pairs.append((key.description, .null))
        case nil: break
        }
    }

    mutating func statementLines(_ key: StaticString, _ value: inout [StatementLine]) {
        pairs.append((key.description, .array(value.map(\.json))))
    }

    func reject(_ key: StaticString, _ problem: String) {}
}

/// Reads the fields from a parsed payload, by key: a missing or mistyped field is an error that
/// names it.
struct ReaderDecoder: FieldCoder {
    typealias Failure = FactDecodingError
    static var decodes: Bool { true }

    let r: PayloadReader

    func string(_ key: StaticString, _ value: inout String, column: Column) throws(FactDecodingError) {
        value = try r.string(key.description)
    }

    func optionalString(_ key: StaticString, _ value: inout String?, column: Column) throws(FactDecodingError) {
        value = try r.optionalString(key.description)
    }

    func int(_ key: StaticString, _ value: inout Int64, column: Column) throws(FactDecodingError) {
        value = try r.int(key.description)
    }

    func optionalInt(_ key: StaticString, _ value: inout Int64?, column: Column) throws(FactDecodingError) {
        value = try r.optionalInt(key.description)
    }

    func bool(_ key: StaticString, _ value: inout Bool, column: Column) throws(FactDecodingError) {
        value = try r.bool(key.description)
    }

    func strings(_ key: StaticString, _ value: inout [String], column: Column) throws(FactDecodingError) {
        var items: [String] = []
        for item in try r.array(key.description) {
            guard let text = item.stringValue else {
                throw FactDecodingError("\(r.type): \(key) holds a value that is not a string")
            }
            items.append(text)
        }
        value = items
    }

    func currency(_ key: StaticString, _ value: inout Currency, column: Column) throws(FactDecodingError) {
        value = try r.currency(key.description)
    }

    func counts(_ key: StaticString, _ value: inout [String: Int64], column: Column) throws(FactDecodingError) {
        value = try r.counts(key.description)
    }

    func optionalCounts(_ key: StaticString, _ value: inout [String: Int64]?, column: Column) throws(FactDecodingError)
    {
        let present = !(r.json[key.description]?.isNull ?? true)
        value = present ? try r.counts(key.description) : nil
    }

    func omittableString(_ key: StaticString, _ value: inout String?, column: Column) throws(FactDecodingError) {
        value = try r.optionalString(key.description)
    }

    func omittableInt(_ key: StaticString, _ value: inout Int64?, column: Column) throws(FactDecodingError) {
        value = try r.optionalInt(key.description)
    }

    func cancellation(
        _ key: StaticString, _ offsetKey: StaticString, _ value: inout OrderChanged.Cancellation?,
        columns: (Column, Column, Column)
    ) throws(FactDecodingError) {
        guard r.json[key.description] != nil else {
            value = nil
            return
        }
        guard let at = try r.optionalInstant(key.description) else {
            value = .uncancelled
            return
        }
        value = .cancelled(Timestamp(at, offsetSeconds: Int(try r.int(offsetKey.description))))
    }

    func statementLines(_ key: StaticString, _ value: inout [StatementLine]) throws(FactDecodingError) {
        var lines: [StatementLine] = []
        for line in try r.array(key.description) { lines.append(try StatementLine(line, type: r.type)) }
        value = lines
    }

    func reject(_ key: StaticString, _ problem: String) throws(FactDecodingError) {
        throw FactDecodingError("\(r.type): \(key) \(problem)")
    }
}
