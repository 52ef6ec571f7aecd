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
            guard let text = item.stringValue else { throw FactDecodingError("\(r.type): \(key) holds a value that is not a string") }
            items.append(text)
        }
        value = items
    }

    func currency(_ key: StaticString, _ value: inout Currency, column: Column) throws(FactDecodingError) {
        value = try r.currency(key.description)
    }

    func reject(_ key: StaticString, _ problem: String) throws(FactDecodingError) {
        throw FactDecodingError("\(r.type): \(key) \(problem)")
    }
}
