/// An amount of money: an integer count of minor units and its currency. Never floating point.
///
/// Used where an amount leaves its currency's context: an exchange-rate conversion takes a `Money`
/// (the source currency cannot be given wrong) and an order shows its amounts as `Money`. Hot
/// loops (the close, ROI, the import) keep bare `Int64` minor units beside one currency: every
/// amount of a statement is in the base currency, every amount of an order in the order's.
public struct Money: Hashable, Sendable, CustomStringConvertible {
    public let amountMinor: Int64
    public let currency: Currency

    public init(_ amountMinor: Int64, _ currency: Currency) {
        self.amountMinor = amountMinor
        self.currency = currency
    }

    public static func zero(_ currency: Currency) -> Money { Money(0, currency) }

    /// `1234.50`, `-3.00`, `500` (JPY): the one formatter of machine-readable money.
    public var description: String { formatMinor(amountMinor, exponent: currency.minorUnitExponent) }

    /// `1234.50 USD`: the amount and its code, for messages.
    public var withCode: String { description + " " + currency.code }

    public static func + (lhs: Money, rhs: Money) -> Money {
        precondition(lhs.currency == rhs.currency, "adding \(lhs.currency) to \(rhs.currency)")
        let (sum, overflow) = lhs.amountMinor.addingReportingOverflow(rhs.amountMinor)
        precondition(!overflow, "money overflow")
        return Money(sum, lhs.currency)
    }

    public static func - (lhs: Money, rhs: Money) -> Money {
        precondition(lhs.currency == rhs.currency, "subtracting \(rhs.currency) from \(lhs.currency)")
        let (difference, overflow) = lhs.amountMinor.subtractingReportingOverflow(rhs.amountMinor)
        precondition(!overflow, "money overflow")
        return Money(difference, lhs.currency)
    }
}

/// Formats minor units as a plain dot-decimal with exactly `exponent` decimals: no symbol, no
/// thousands separator (`-0.05`, `1234.50`, `500`).
public func formatMinor(_ amountMinor: Int64, exponent: Int) -> String {
    let negative = amountMinor < 0
    let magnitude = amountMinor.magnitude
    if exponent == 0 { return (negative ? "-" : "") + String(magnitude) }
    let scale = UInt64(pow10(exponent))
    let major = magnitude / scale
    let minor = magnitude % scale
    var fraction = String(minor)
    if fraction.count < exponent { fraction = String(repeating: "0", count: exponent - fraction.count) + fraction }
    return (negative ? "-" : "") + String(major) + "." + fraction
}

/// Formats minor units with thousands separators, for terminal tables only (`1,234.50`).
public func formatMinorGrouped(_ amountMinor: Int64, exponent: Int) -> String {
    let plain = formatMinor(amountMinor, exponent: exponent)
    var sign = ""
    var body = Substring(plain)
    if body.hasPrefix("-") { sign = "-"; body = body.dropFirst() }
    let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
    return sign + groupThousands(String(parts[0])) + (parts.count > 1 ? "." + parts[1] : "")
}

public func groupThousands(_ digits: String) -> String {
    var out: [Character] = []
    for (i, ch) in digits.reversed().enumerated() {
        if i > 0 && i % 3 == 0 { out.append(",") }
        out.append(ch)
    }
    return String(out.reversed())
}
