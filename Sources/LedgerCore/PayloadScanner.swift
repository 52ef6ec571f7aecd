/// A reader of the orders' canonical payloads straight from their bytes, for replaying the log
/// (`tally rebuild`): a million `order.seen` facts through the generic `JSON` parser cost more
/// than writing their projections.
///
/// It accepts only the exact canonical layout that `writePayload` produces (keys in their order,
/// no whitespace, strings without escapes) and answers nil for anything else, which then goes
/// through `Fact.decode`: both give the same fact wherever this one answers.
extension Fact {
    public static func decodeCanonical(type: String, payload: UnsafeRawBufferPointer) -> Fact? {
        var s = PayloadScanner(bytes: payload)
        switch type {
        case "order.seen":
            guard let fact = OrderSeen.scan(&s) else { return nil }
            return .orderSeen(fact)
        case "order.changed":
            guard let fact = OrderChanged.scan(&s) else { return nil }
            return .orderChanged(fact)
        case "statement.issued":
            guard let fact = StatementIssued.scan(&s) else { return nil }
            return .statementIssued(fact)
        default: return nil
        }
    }
}

/// The canonical scanner as a coder over a field table: each key must come next, in table order.
struct ScanCoder: FieldCoder {
    struct NotCanonical: Error {}
    typealias Failure = NotCanonical
    static var decodes: Bool { true }

    var s: PayloadScanner
    private var first = true

    init(_ s: PayloadScanner) { self.s = s }

    private mutating func key(_ name: StaticString) throws(NotCanonical) {
        guard presentKey(name) else { throw NotCanonical() }
    }

    /// Whether the next field is `name` (consumed if so).
    private mutating func presentKey(_ name: StaticString) -> Bool {
        guard s.field(name, first: first) else { return false }
        first = false
        return true
    }

    /// The field `key`, its value read by `read` (nil: not canonical).
    @inline(__always)
    private mutating func field<T>(
        _ key: StaticString, _ value: inout T,
        _ read: (inout PayloadScanner) -> T?
    ) throws(NotCanonical) {
        try self.key(key)
        guard let found = read(&s) else { throw NotCanonical() }
        value = found
    }

    mutating func string(_ key: StaticString, _ value: inout String, column: Column) throws(NotCanonical) {
        try field(key, &value) { $0.string() }
    }

    mutating func optionalString(_ key: StaticString, _ value: inout String?, column: Column) throws(NotCanonical) {
        try field(key, &value) { $0.optionalString() }
    }

    mutating func int(_ key: StaticString, _ value: inout Int64, column: Column) throws(NotCanonical) {
        try field(key, &value) { $0.int() }
    }

    mutating func optionalInt(_ key: StaticString, _ value: inout Int64?, column: Column) throws(NotCanonical) {
        try field(key, &value) { $0.optionalInt() }
    }

    mutating func bool(_ key: StaticString, _ value: inout Bool, column: Column) throws(NotCanonical) {
        try field(key, &value) { $0.bool() }
    }

    mutating func strings(_ key: StaticString, _ value: inout [String], column: Column) throws(NotCanonical) {
        try field(key, &value) { $0.stringArray() }
    }

    /// Only a code as the writer writes it (upper case, no spaces).
    mutating func currency(_ key: StaticString, _ value: inout Currency, column: Column) throws(NotCanonical) {
        try self.key(key)
        guard let code = s.string(), let currency = Currency(code: code), currency.code == code else {
            throw NotCanonical()
        }
        value = currency
    }

    /// The field `key` if it comes next, its value read by `read` (present, never null); else nil.
    @inline(__always)
    private mutating func omittable<T>(
        _ key: StaticString, _ value: inout T?,
        _ read: (inout PayloadScanner) -> T?
    ) throws(NotCanonical) {
        guard presentKey(key) else {
            value = nil
            return
        }
        guard let found = read(&s) else { throw NotCanonical() }
        value = found
    }

    mutating func omittableString(_ key: StaticString, _ value: inout String?, column: Column) throws(NotCanonical) {
        try omittable(key, &value) { $0.string() }
    }

    mutating func omittableInt(_ key: StaticString, _ value: inout Int64?, column: Column) throws(NotCanonical) {
        try omittable(key, &value) { $0.int() }
    }

    mutating func cancellation(
        _ key: StaticString, _ offsetKey: StaticString,
        _ value: inout OrderChanged.Cancellation?,
        columns: (Column, Column, Column)
    ) throws(NotCanonical) {
        guard presentKey(key) else {
            value = nil
            return
        }
        if s.key("null") {
            value = .uncancelled
            return
        }
        guard let at = s.int(), s.field(offsetKey, first: false), let offset = s.int() else { throw NotCanonical() }
        value = .cancelled(Timestamp(Instant(unixSeconds: at), offsetSeconds: Int(offset)))
    }

    mutating func statementLines(_ key: StaticString, _ value: inout [StatementLine]) throws(NotCanonical) {
        try self.key(key)
        guard s.key("["), let lines = Self.lines(&s) else { throw NotCanonical() }
        value = lines
    }

    /// `[kind, ref, date, amount]` items, an order line's optionally followed by its detail
    /// (`StatementLine.json`), up to and including the closing `]` of the list.
    private static func lines(_ s: inout PayloadScanner) -> [StatementLine]? {
        var lines: [StatementLine] = []
        if s.key("]") { return lines }
        while true {  // bounded by the payload
            guard s.key("["), let kindText = s.string(), let kind = StatementLine.Kind(rawValue: kindText), s.key(","),
                let ref = s.string(), s.key(","), let dateText = s.string(), let date = CivilDate.parse(dateText),
                s.key(","),
                let amount = s.int()
            else { return nil }
            var line = StatementLine(kind: kind, ref: ref, date: date, amountMinor: amount)
            if kind.isOrderLine, s.key(",") {
                guard let order = orderDetail(&s) else { return nil }
                line.order = order
            }
            guard s.key("]") else { return nil }
            lines.append(line)
            if s.key("]") { return lines }
            guard s.key(",") else { return nil }
        }
    }

    /// `base_minor, rate_ppm, per_order_minor, change`, each possibly null.
    private static func orderDetail(_ s: inout PayloadScanner) -> OrderLineDetail? {
        guard let base = s.optionalInt(), s.key(","), let rate = s.optionalInt(), s.key(","),
            let perOrder = s.optionalInt(), s.key(","), let change = s.optionalString()
        else { return nil }
        guard rate.map({ (0...1_000_000).contains($0) }) ?? true else { return nil }
        var lineChange: LineChange? = nil
        if let change {
            guard let known = LineChange(rawValue: change) else { return nil }
            lineChange = known
        }
        return OrderLineDetail(
            baseMinor: base, rate: rate.map(CommissionRate.init(partsPerMillion:)),
            perOrderMinor: perOrder, change: lineChange)
    }

    /// Not read here: the facts this scanner reads (orders, statements) hold no counts.
    func counts(_ key: StaticString, _ value: inout [String: Int64], column: Column) throws(NotCanonical) {
        throw NotCanonical()
    }

    func optionalCounts(_ key: StaticString, _ value: inout [String: Int64]?, column: Column) throws(NotCanonical) {
        throw NotCanonical()
    }

    func reject(_ key: StaticString, _ problem: String) throws(NotCanonical) { throw NotCanonical() }

    /// The closing brace, and nothing after it.
    mutating func atEnd() -> Bool { s.key("}") && s.atEnd }
}

extension FieldTable {
    /// The canonical bytes of a payload of this table, or nil for any other bytes.
    static func scan(_ s: inout PayloadScanner) -> Self? {
        var c = ScanCoder(s)
        guard let value = try? decode(with: &c), c.atEnd() else { return nil }
        s = c.s
        return value
    }
}

/// A cursor over canonical payload bytes. Every method consumes what it matched, or nothing.
struct PayloadScanner {
    let bytes: UnsafeRawBufferPointer
    var i = 0

    var atEnd: Bool { i == bytes.count }

    /// Matches the literal (a key with its punctuation, `}` or `null`).
    mutating func key(_ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard i + n <= bytes.count else { return false }
        let p = literal.utf8Start
        for k in 0..<n where bytes[i + k] != p[k] { return false }
        i += n
        return true
    }

    /// `{"name":` for the first field, `,"name":` for the others.
    mutating func field(_ name: StaticString, first: Bool) -> Bool {
        let n = name.utf8CodeUnitCount
        let quote = UInt8(ascii: "\"")
        guard i + n + 4 <= bytes.count, bytes[i] == (first ? UInt8(ascii: "{") : UInt8(ascii: ",")),
            bytes[i + 1] == quote, bytes[i + n + 2] == quote, bytes[i + n + 3] == UInt8(ascii: ":")
        else { return false }
        let p = name.utf8Start
        for k in 0..<n where bytes[i + 2 + k] != p[k] { return false }
        i += n + 4
        return true
    }

    /// A string without escapes (a backslash or a control byte: nil, the generic parser decides).
    mutating func string() -> String? {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
        var j = i + 1
        while j < bytes.count {
            let b = bytes[j]
            if b == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(i + 1)..<j]), as: UTF8.self)
                i = j + 1
                return text
            }
            if b == UInt8(ascii: "\\") || b < 0x20 { return nil }
            j += 1
        }
        return nil
    }

    /// `.some(nil)` for `null`.
    mutating func optionalString() -> String?? {
        if key("null") { return .some(nil) }
        return string().map { .some($0) }
    }

    /// A canonical integer: `0`, or an optional minus and digits without a leading zero.
    mutating func int() -> Int64? {
        var j = i
        let negative = j < bytes.count && bytes[j] == UInt8(ascii: "-")
        if negative { j += 1 }
        let start = j
        var magnitude: UInt64 = 0
        while j < bytes.count, bytes[j] &- 0x30 < 10 {
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(bytes[j] &- 0x30))
            if o1 || o2 { return nil }
            magnitude = a
            j += 1
        }
        let digits = j - start
        guard digits > 0, digits == 1 || bytes[start] != UInt8(ascii: "0"), !(negative && magnitude == 0) else {
            return nil
        }
        let value: Int64
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            value = magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        } else {
            guard magnitude <= UInt64(Int64.max) else { return nil }
            value = Int64(magnitude)
        }
        i = j
        return value
    }

    mutating func optionalInt() -> Int64?? {
        if key("null") { return .some(nil) }
        return int().map { .some($0) }
    }

    mutating func bool() -> Bool? {
        if key("true") { return true }
        if key("false") { return false }
        return nil
    }

    mutating func stringArray() -> [String]? {
        guard key("[") else { return nil }
        var items: [String] = []
        if key("]") { return items }
        while true {  // bounded by the payload
            guard let item = string() else { return nil }
            items.append(item)
            if key("]") { return items }
            guard key(",") else { return nil }
        }
    }
}
