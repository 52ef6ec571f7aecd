/// Integer division rounded half to even ("banker's rounding"), the only rounding rule of the ledger.
///
/// `numerator / denominator` with the exact quotient rounded to the nearest integer; an exact half
/// goes to the even neighbour (`2.5 -> 2`, `3.5 -> 4`, `-2.5 -> -2`).
@inlinable
public func divideRoundingHalfEven(_ numerator: Int128, _ denominator: Int128) -> Int128 {
    precondition(denominator != 0, "division by zero")
    var n = numerator
    var d = denominator
    if d < 0 { n = -n; d = -d }
    var q = n / d  // truncates toward zero
    var r = n % d  // same sign as n
    if r < 0 { r = -r }
    let twice = r * 2
    if twice > d || (twice == d && q % 2 != 0) {
        q += n < 0 ? -1 : 1
    }
    return q
}

/// The same, for a result that must fit in Int64 (traps otherwise: amounts are validated on input,
/// so an overflow here is a programmer error).
@inlinable
public func multiplyDivideHalfEven(_ value: Int64, _ multiplier: Int64, _ divisor: Int64) -> Int64 {
    let result = divideRoundingHalfEven(Int128(value) * Int128(multiplier), Int128(divisor))
    guard let narrow = Int64(exactly: result) else {
        preconditionFailure("\(value) * \(multiplier) / \(divisor) overflows Int64")
    }
    return narrow
}

/// A ratio in ten-thousandths (`roas`, `effective_rate`: 4 decimals), rounded half to even; nil when
/// it is undefined (a denominator of zero or below) or too large for Int64. The one rule behind
/// every printed ratio: `roi`'s tables, CSV and JSON, and the close report's pages and charts.
public func ratioTenThousandths(_ numerator: Int64, _ denominator: Int64) -> Int64? {
    guard denominator > 0 else { return nil }
    return Int64(exactly: divideRoundingHalfEven(Int128(numerator) * 10_000, Int128(denominator)))
}

/// The same as a plain fraction with 4 decimals (`0.1234`); nil when undefined.
public func formatRatio(_ numerator: Int64, _ denominator: Int64) -> String? {
    ratioTenThousandths(numerator, denominator).map { formatMinor($0, exponent: 4) }
}
