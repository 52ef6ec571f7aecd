/// Why an amount, rate or number was refused. `description` reads as "what was expected".
public enum AmountError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case comma
    case currencySymbol
    case scientific
    case tooManyDecimals(found: Int, allowed: Int, currency: String?)
    case notANumber
    case tooLarge
    case negativeNotAllowed
    case percentSignRequired
    case outOfRange(String)

    public var description: String {
        switch self {
        case .empty: return "expected an amount, found nothing"
        case .comma:
            return
                "a comma is neither a decimal mark nor a thousands separator here; expected a dot-decimal like 1234.50"
        case .currencySymbol: return "expected a plain number without a currency symbol, like 1234.50"
        case .scientific: return "scientific notation is not accepted; expected a plain dot-decimal like 1234.50"
        case let .tooManyDecimals(found, allowed, currency):
            let what = currency.map { "\($0) has" } ?? "at most"
            return "\(found) decimals, but \(what) \(allowed); expected at most \(allowed) decimals"
        case .notANumber: return "expected a dot-decimal number like 1234.50 or -3.00"
        case .tooLarge: return "the number is too large"
        case .negativeNotAllowed: return "expected an amount of zero or more"
        case .percentSignRequired: return "expected a percentage like 12.5%"
        case let .outOfRange(what): return what
        }
    }
}

/// Parses a dot-decimal amount (`1234.50`, `-3.00`, `1234`) into minor units of a currency with
/// `exponent` decimals. Refuses everything that would need a guess: `12,50`, `1,234`, `$5`,
/// `1e3`, more decimals than the currency has, and surrounding spaces are the caller's business
/// (it trims). This is the one amount parser of Tally.
public func parseDecimal(_ text: String, decimalsMax: Int, currencyCode: String? = nil) -> Result<
    (value: Int64, decimals: Int), AmountError
> {
    var bytes = Array(text.utf8)
    if bytes.isEmpty { return .failure(.empty) }
    var negative = false
    if bytes[0] == UInt8(ascii: "-") {
        negative = true; bytes.removeFirst()
    } else if bytes[0] == UInt8(ascii: "+") {
        bytes.removeFirst()
    }
    if bytes.isEmpty { return .failure(.notANumber) }
    var value: Int64 = 0
    var decimals = 0
    var seenDot = false
    var digitsBeforeDot = 0
    for byte in bytes {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            if seenDot { decimals += 1 } else { digitsBeforeDot += 1 }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            if o1 || o2 { return .failure(.tooLarge) }
            value = sum
        case UInt8(ascii: "."):
            if seenDot { return .failure(.notANumber) }
            seenDot = true
        case UInt8(ascii: ","): return .failure(.comma)
        case UInt8(ascii: "e"), UInt8(ascii: "E"): return .failure(classifyLetters(bytes))
        case UInt8(ascii: "$"), 0xC2, 0xE2, 0xC5: return .failure(.currencySymbol)  // $, £/¥ (C2..), € (E2..)
        default: return .failure(.notANumber)
        }
    }
    if digitsBeforeDot == 0 || (seenDot && decimals == 0) { return .failure(.notANumber) }
    if decimals > decimalsMax {
        return .failure(.tooManyDecimals(found: decimals, allowed: decimalsMax, currency: currencyCode))
    }
    return .success((negative ? -value : value, decimals))
}

private func classifyLetters(_ bytes: [UInt8]) -> AmountError {
    let digitsAround = bytes.contains { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    return digitsAround ? .scientific : .notANumber
}

/// Scales a parsed decimal to exactly `exponent` decimals (`12.5` with exponent 2 -> 1250).
func scaleDecimal(_ value: Int64, decimals: Int, to exponent: Int) -> Int64? {
    precondition(decimals <= exponent)
    let (scaled, overflow) = value.multipliedReportingOverflow(by: pow10(exponent - decimals))
    return overflow ? nil : scaled
}

/// The largest amount the ledger takes, in minor units: 10^15 (ten trillion dollars), a margin below
/// Int64.max so that sums of many amounts cannot overflow silently.
public enum AmountLimit {
    @inlinable public static var magnitudeMaxMinor: Int64 { 1_000_000_000_000_000 }
    /// The limit as messages say it ("an amount below 10^15 minor units").
    public static let described = "10^15 minor units"
}

/// Amount in minor units of `currency`, e.g. `parseAmount("12.5", .usd) == 1250`.
public func parseAmount(_ text: String, _ currency: Currency) -> Result<Int64, AmountError> {
    let exponent = currency.minorUnitExponent
    if let symbol = text.unicodeScalars.first, "$£€¥₹".unicodeScalars.contains(symbol) {
        return .failure(.currencySymbol)
    }
    switch parseDecimal(text, decimalsMax: exponent, currencyCode: currency.code) {
    case let .failure(error): return .failure(error)
    case let .success((value, decimals)):
        guard let minor = scaleDecimal(value, decimals: decimals, to: exponent) else { return .failure(.tooLarge) }
        if minor.magnitude > AmountLimit.magnitudeMaxMinor { return .failure(.tooLarge) }
        return .success(minor)
    }
}

/// A non-negative whole number (follower counts, impressions, days).
public func parseCount(_ text: String, max: Int64 = 1_000_000_000_000) -> Result<Int64, AmountError> {
    switch parseDecimal(text, decimalsMax: 0) {
    case let .failure(error):
        if case .tooManyDecimals = error { return .failure(.outOfRange("expected a whole number")) }
        return .failure(error)
    case let .success((value, _)):
        if value < 0 { return .failure(.negativeNotAllowed) }
        if value > max { return .failure(.tooLarge) }
        return .success(value)
    }
}
