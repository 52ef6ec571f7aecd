import LedgerCore

/// Typed access to the fields of the current CSV record, each failure an `InputIssue` naming the
/// file, line, column and header. `apostrophe` = strip one leading `'` (formula escaping) before
/// parsing a number: WooCommerce exports only.
struct RowFields: Sendable {
    let file: String
    let apostrophe: Bool
    /// The latest time a timestamp may show (`DialectOptions.latestTime`), and the zone it is
    /// shown in when one is later.
    var latestTime = Instant.distantFuture
    var zone = Zone.utc

    func issue(_ csv: borrowing CSVReader, _ col: Column, found: String?, _ expected: String) -> InputIssue {
        InputIssue(
            file: file, line: csv.recordLine, column: col.index + 1, columnName: col.name, found: found,
            expected: expected)
    }

    /// A record must have as many fields as the header: a ragged row means a broken file.
    func checkWidth(_ csv: borrowing CSVReader, header: HeaderMap) throws(InputIssue) {
        let expected = header.names.count
        guard csv.fieldCount != expected else { return }
        let column = min(csv.fieldCount, expected) + 1
        throw InputIssue(
            file: file, line: csv.recordLine, column: column,
            found: "\(csv.fieldCount) fields",
            expected: "\(expected) fields, as in the header (a ragged row: a quote or a delimiter is missing or extra)")
    }

    /// The field as UTF-8 text, trimmed of spaces; "" when empty.
    func text(_ csv: borrowing CSVReader, _ col: Column) throws(InputIssue) -> String {
        let decoded: String? = csv.withField(col.index) { raw in
            let bytes = trimmedASCII(raw)
            if bytes.isEmpty { return "" }
            // Fast path: ASCII is valid UTF-8 and has no other spaces to trim.
            if isASCII(bytes) { return String(decoding: bytes, as: UTF8.self) }
            return String(validating: bytes, as: UTF8.self)?.trimmingASCIISpaces()
        }
        guard let decoded else { throw issue(csv, col, found: csv.string(col.index), "UTF-8 text") }
        return decoded
    }

    func optionalText(_ csv: borrowing CSVReader, _ col: Column?) throws(InputIssue) -> String? {
        guard let col else { return nil }
        let t = try text(csv, col)
        return t.isEmpty ? nil : t
    }

    func required(_ csv: borrowing CSVReader, _ col: Column, _ what: String) throws(InputIssue) -> String {
        let t = try text(csv, col)
        if t.isEmpty { throw issue(csv, col, found: nil, "\(what), found nothing") }
        return t
    }

    func currency(_ csv: borrowing CSVReader, _ col: Column) throws(InputIssue) -> Currency {
        let t = try required(csv, col, "a currency code")
        guard let c = Currency(code: t) else {
            throw issue(csv, col, found: t, "an ISO 4217 currency code such as USD, EUR or JPY")
        }
        return c
    }

    /// An amount in minor units of `currency` (dot-decimal, see `parseAmount`).
    func amount(_ csv: borrowing CSVReader, _ col: Column, _ currency: Currency) throws(InputIssue) -> Int64 {
        let exponent = currency.minorUnitExponent
        let fast: Int64? = csv.withField(col.index) { plainAmount(trimmedASCII($0), exponent: exponent) }
        if let fast { return fast }
        var t = try text(csv, col)
        if apostrophe && t.hasPrefix("'") { t.removeFirst() }
        switch parseAmount(t, currency) {
        case let .success(minor): return minor
        case let .failure(error): throw issue(csv, col, found: t.isEmpty ? nil : t, amountExpectation(error, currency))
        }
    }

    /// An amount that may be left empty (0), in a column that may be absent (0).
    func optionalAmount(_ csv: borrowing CSVReader, _ col: Column?, _ currency: Currency) throws(InputIssue) -> Int64 {
        guard let col, !csv.isEmpty(col.index) else { return 0 }
        return try amount(csv, col, currency)
    }

    /// A timestamp. With `localZone` nil it must carry its offset; otherwise a time without one is
    /// read in that zone. A time after `latestTime` is refused.
    func timestamp(_ csv: borrowing CSVReader, _ col: Column, localZone: Zone?) throws(InputIssue) -> Timestamp {
        // Fast path: straight from the bytes; anything it does not take goes the long way (and errors).
        if localZone == nil, let fast = csv.withField(col.index, { Timestamp.parse(bytes: trimmedASCII($0)) }) {
            return try plausible(fast, csv, col)
        }
        let t = try required(csv, col, "a timestamp")
        let parsed = localZone.map { Timestamp.parse(t, defaultZone: $0) } ?? Timestamp.parse(t)
        guard let parsed else {
            throw issue(csv, col, found: t, timestampExpectation(t, offsetRequired: localZone == nil))
        }
        return try plausible(parsed, csv, col)
    }

    /// `time`, unless it is after `latestTime`.
    @inline(__always)
    func plausible(_ time: Timestamp, _ csv: borrowing CSVReader, _ col: Column) throws(InputIssue) -> Timestamp {
        guard time.instant > latestTime else { return time }
        throw issue(
            csv, col, found: csv.string(col.index).trimmingASCIISpaces(),
            futureTimeExpectation(latest: latestTime, zone: zone))
    }

    /// The order unless one of its amounts cannot be true (`ImportedOrder.implausibleAmount`), which
    /// is blamed on its column (`columns`: subtotal, discount, shipping, taxes, total, refunded).
    func plausible(
        _ order: ImportedOrder, _ csv: borrowing CSVReader, columns: OrderAmountColumns,
        subtotalAllowanceMinor: Int64 = 0
    ) throws(InputIssue) -> ImportedOrder {
        guard let problem = order.implausibleAmount(subtotalAllowanceMinor: subtotalAllowanceMinor) else {
            return order
        }
        let col = columns.column(problem.field)
        var found = csv.string(col.index).trimmingASCIISpaces()
        if problem.field == .subtotal && columns.subtotalIsComputed {
            found = formatMinor(order.subtotalMinor, exponent: order.currency.minorUnitExponent)
        }
        throw issue(csv, col, found: found, problem.expected)
    }

    func optionalTimestamp(_ csv: borrowing CSVReader, _ col: Column?, localZone: Zone?) throws(InputIssue)
        -> Timestamp?
    {
        guard let col, !csv.isEmpty(col.index) else { return nil }
        if csv.withField(col.index, { trimmedASCII($0).isEmpty }) { return nil }
        return try timestamp(csv, col, localZone: localZone)
    }
}

/// The columns an order's amounts come from, for naming the one to blame.
struct OrderAmountColumns: Sendable {
    let subtotal, discount, shipping, taxes, total, refunded: Column
    /// The subtotal is computed (WooCommerce: `order_subtotal - discount_total`), not read as such.
    var subtotalIsComputed = false

    func column(_ field: OrderAmountField) -> Column {
        switch field {
        case .subtotal: return subtotal
        case .discount: return discount
        case .shipping: return shipping
        case .taxes: return taxes
        case .total: return total
        case .refunded: return refunded
        }
    }
}

/// The bytes without leading and trailing ASCII spaces, tabs and line breaks.
@inline(__always)
func trimmedASCII(_ raw: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    var start = 0
    var end = raw.count
    while start < end, isASCIISpace(raw[start]) { start += 1 }
    while end > start, isASCIISpace(raw[end - 1]) { end -= 1 }
    return UnsafeBufferPointer(rebasing: raw[start..<end])
}

@inline(__always)
func isASCIISpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

@inline(__always)
func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var or: UInt8 = 0
    for b in bytes { or |= b }
    return or < 0x80
}

/// Whether `haystack` contains `needle` (lower-case ASCII), ignoring ASCII case.
func containsIgnoringASCIICase(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
    guard haystack.count >= needle.count, let first = needle.first else { return needle.isEmpty }
    for i in 0...(haystack.count - needle.count) where haystack[i] | 0x20 == first {
        var j = 1
        while j < needle.count, lowerASCII(haystack[i + j]) == needle[j] { j += 1 }
        if j == needle.count { return true }
    }
    return false
}

@inline(__always)
func lowerASCII(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }

/// A financial status by its exact spelling (`paid`), without building a String; else the
/// lenient `FinancialStatus.parse` (`Partially Refunded`).
func financialStatus(_ csv: borrowing CSVReader, _ col: Column, text: () throws(InputIssue) -> String)
    throws(InputIssue) -> FinancialStatus?
{
    let exact: FinancialStatus? = csv.withField(col.index) { raw in
        for (bytes, status) in statusSpellings where bytes.count == raw.count && bytes.elementsEqual(raw) {
            return status
        }
        return nil
    }
    if let exact { return exact }
    return FinancialStatus.parse(try text())
}

private let statusSpellings: [([UInt8], FinancialStatus)] = FinancialStatus.allCases.map {
    (Array($0.rawValue.utf8), $0)
}

/// The common case of `parseAmount` straight from bytes: `-?digits(.digits)?` with at most
/// `exponent` decimals and at most 15 integer digits. nil for anything else, which then takes the
/// full parser (and its precise errors); both agree wherever this one answers.
@inline(__always)
func plainAmount(_ b: UnsafeBufferPointer<UInt8>, exponent: Int) -> Int64? {
    var i = 0
    let negative = b.count > 0 && b[0] == UInt8(ascii: "-")
    if negative { i = 1 }
    var value: Int64 = 0
    var intDigits = 0
    while i < b.count, b[i] &- 0x30 < 10 { value = value &* 10 &+ Int64(b[i] &- 0x30); intDigits += 1; i += 1 }
    guard intDigits > 0, intDigits <= 15 else { return nil }
    var decimals = 0
    if i < b.count {
        guard b[i] == UInt8(ascii: "."), i + 1 < b.count else { return nil }
        i += 1
        while i < b.count, b[i] &- 0x30 < 10 { value = value &* 10 &+ Int64(b[i] &- 0x30); decimals += 1; i += 1 }
        guard i == b.count, decimals > 0, decimals <= exponent else { return nil }
    }
    for _ in decimals..<exponent { value *= 10 }
    guard value <= AmountLimit.magnitudeMaxMinor else { return nil }
    return negative ? -value : value
}

/// What an amount should have looked like, for `found 'X', expected ...`.
func amountExpectation(_ error: AmountError, _ currency: Currency) -> String {
    let example = formatMinor(1250 * pow10Int64(currency.minorUnitExponent) / 100, exponent: currency.minorUnitExponent)
    switch error {
    case .empty: return "an amount in \(currency.code) like \(example), found nothing"
    case .comma:
        return "a dot-decimal amount like \(example) "
            + "(a comma is neither a decimal mark nor a thousands separator here; "
            + "was the file re-saved by a spreadsheet?)"
    case .currencySymbol: return "a plain number without a currency symbol, like \(example)"
    case .scientific:
        return "a plain dot-decimal amount like \(example), not scientific notation (re-saved by a spreadsheet?)"
    case let .tooManyDecimals(_, allowed, _): return "at most \(allowed) decimals, as \(currency.code) has"
    case .tooLarge: return "an amount below \(AmountLimit.described)"
    default: return "a dot-decimal amount like \(example) or -3.00"
    }
}

private func pow10Int64(_ n: Int) -> Int64 {
    var v: Int64 = 1
    for _ in 0..<n { v *= 10 }
    return v
}

/// What a timestamp should have looked like; names the spreadsheet re-save when it is one.
func timestampExpectation(_ text: String, offsetRequired: Bool) -> String {
    if let note = slashedDateNote(text) {
        return "a timestamp like 2026-09-14 10:23:45 -0400; \(note). The file was re-saved by a spreadsheet "
            + "(which drops seconds and offsets too): import the original export"
    }
    if offsetRequired, Timestamp.parse(text, defaultZone: .utc) != nil {
        return "a timestamp with its UTC offset, like 2026-09-14 10:23:45 -0400 "
            + "or 2026-09-14T10:23:45-04:00 (without one the instant is ambiguous)"
    }
    return offsetRequired
        ? "a timestamp like 2026-09-14 10:23:45 -0400 or 2026-09-14T10:23:45-04:00"
        : "a date-time like 2026-09-14 10:23:45"
}

extension CSVReader {
    /// The current record re-encoded as one RFC 4180 line, without its line break (for the
    /// rejects file).
    func encodedRecord() -> [UInt8] {
        var out: [UInt8] = []
        for i in 0..<fieldCount {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            withField(i) { CSVWriter.appendQuoted($0, to: &out) }
        }
        return out
    }
}
