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
    var q = n / d          // truncates toward zero
    var r = n % d          // same sign as n
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
