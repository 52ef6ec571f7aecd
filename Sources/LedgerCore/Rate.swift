/// A commission rate as an exact fraction in parts per million: `12.5%` is 125_000, `7.75%` is
/// 77_500. Four decimals of a percent are exact (`12.3456%`).
public struct CommissionRate: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let partsPerMillion: Int64

    public init(partsPerMillion: Int64) {
        precondition(partsPerMillion >= 0 && partsPerMillion <= 1_000_000, "rate out of 0...100%")
        self.partsPerMillion = partsPerMillion
    }

    public static let zero = CommissionRate(partsPerMillion: 0)

    /// What a negative rate (`-5%`) is told: a commission never takes money back.
    public static let negativeExpected =
        "expected a rate of 0% or more, like 5%: a commission is never negative (money a creator owes back "
        + "is an adjustment)"
    /// What a rate above 100% (`120%`) is told: it would pay more than the order's subtotal.
    public static let overFullExpected =
        "expected a rate of at most 100%: a higher rate pays the creator more than the order's subtotal "
        + "(a fixed amount per order is the per-order amount)"

    /// Parses `12.5%` (the percent sign is required: `10` could mean 10% or 1000%).
    public static func parse(_ raw: String) -> Result<CommissionRate, AmountError> {
        let text = raw.trimmingASCIISpaces()
        guard text.hasSuffix("%") else { return .failure(.percentSignRequired) }
        let number = String(text.dropLast()).trimmingASCIISpaces()
        switch parseDecimal(number, decimalsMax: 4) {
        case let .failure(error):
            if case .tooManyDecimals = error {
                return .failure(.outOfRange("expected at most 4 decimals of a percent, like 12.3456%"))
            }
            return .failure(error)
        case let .success((value, decimals)):
            guard let ppm = scaleDecimal(value, decimals: decimals, to: 4) else { return .failure(.tooLarge) }
            guard ppm >= 0 else { return .failure(.outOfRange(CommissionRate.negativeExpected)) }
            guard ppm <= 1_000_000 else { return .failure(.outOfRange(CommissionRate.overFullExpected)) }
            return .success(CommissionRate(partsPerMillion: ppm))
        }
    }

    /// `round_half_even(amount * rate)` in the amount's minor units.
    public func apply(to amountMinor: Int64) -> Int64 {
        multiplyDivideHalfEven(amountMinor, partsPerMillion, 1_000_000)
    }

    /// `12.5%`: trailing zeros dropped.
    public var description: String {
        let whole = partsPerMillion / 10_000
        var fraction = partsPerMillion % 10_000
        if fraction == 0 { return "\(whole)%" }
        var digits = 4
        while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
        let text = String(fraction)
        return "\(whole)." + String(repeating: "0", count: digits - text.count) + text + "%"
    }

    public static func < (lhs: CommissionRate, rhs: CommissionRate) -> Bool {
        lhs.partsPerMillion < rhs.partsPerMillion
    }
}

/// An exchange rate: units of the base currency per unit of another, with up to 10 decimals
/// (`0.7312` CAD -> USD is 7_312_000_000 in 10^-10 units).
public struct FXRate: Hashable, Sendable, CustomStringConvertible {
    public static let decimals = 10
    public let scaled: Int64

    public init(scaled: Int64) {
        precondition(scaled > 0, "an exchange rate is positive")
        self.scaled = scaled
    }

    public static func parse(_ raw: String) -> Result<FXRate, AmountError> {
        switch parseDecimal(raw.trimmingASCIISpaces(), decimalsMax: decimals) {
        case let .failure(error):
            if case .tooManyDecimals = error {
                return .failure(.outOfRange("expected at most 10 decimals in an exchange rate"))
            }
            return .failure(error)
        case let .success((value, places)):
            guard let scaled = scaleDecimal(value, decimals: places, to: decimals) else { return .failure(.tooLarge) }
            guard scaled > 0 else { return .failure(.outOfRange("expected an exchange rate greater than 0")) }
            return .success(FXRate(scaled: scaled))
        }
    }

    /// Converts an amount in minor units of `from` to minor units of `to`:
    /// `round_half_even(amount * rate)`, scaled for the two currencies' decimals.
    /// Traps when the result does not fit Int64: callers that convert imported amounts with
    /// imported rates use `convertChecked` instead.
    public func convert(_ amountMinor: Int64, from: Currency, to: Currency) -> Int64 {
        guard let narrow = convertChecked(amountMinor, from: from, to: to) else {
            preconditionFailure("fx conversion overflow")
        }
        return narrow
    }

    /// As `convert`, or nil when the result does not fit Int64 (a hostile amount times a hostile
    /// rate: 10^15 minor units at a rate of 10^8 does not fit).
    public func convertChecked(_ amountMinor: Int64, from: Currency, to: Currency) -> Int64? {
        let shift = to.minorUnitExponent - from.minorUnitExponent
        var numerator = Int128(amountMinor) * Int128(scaled)
        var denominator = Int128(pow10(FXRate.decimals))
        if shift > 0 { numerator *= Int128(pow10(shift)) } else if shift < 0 { denominator *= Int128(pow10(-shift)) }
        return Int64(exactly: divideRoundingHalfEven(numerator, denominator))
    }

    /// `amount` in `currency`, as `convertChecked(_:from:to:)`.
    public func convertChecked(_ amount: Money, to currency: Currency) -> Money? {
        convertChecked(amount.amountMinor, from: amount.currency, to: currency).map { Money($0, currency) }
    }

    public var description: String {
        var text = formatMinor(scaled, exponent: FXRate.decimals)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
