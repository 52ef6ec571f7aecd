/// A linear scale from exact values (minor units, ten-thousandths of a ratio) to drawing
/// coordinates. The domain and its ticks are integers, rounded outwards to a "nice" step
/// (1, 2 or 5 times a power of ten), so tick labels are exact values; only the mapping to
/// pixels uses floating point.
struct LinearScale: Equatable {
    let domainLow: Int64
    let domainHigh: Int64
    let step: Int64
    let rangeStart: Double
    let rangeEnd: Double

    /// Spans the values and 0 (bars grow from 0) with about `tickCountTarget` intervals.
    /// `emptySpan` is the domain when every value is 0 (or there are none), so that a chart of
    /// zeros still has an axis.
    init(values: [Int64], range: (start: Double, end: Double), tickCountTarget: Int64 = 5, emptySpan: Int64 = 100) {
        precondition(tickCountTarget > 0 && emptySpan > 0, "a scale needs ticks and a span")
        let low = min(0, values.min() ?? 0)
        var high = max(0, values.max() ?? 0)
        if low == high { high = low + emptySpan }
        let span = Int128(high) - Int128(low)
        let step = LinearScale.niceStep(atLeast: (span + Int128(tickCountTarget) - 1) / Int128(tickCountTarget))
        self.step = step
        domainLow = LinearScale.roundDown(low, to: step)
        domainHigh = LinearScale.roundUp(high, to: step)
        rangeStart = range.start
        rangeEnd = range.end
    }

    /// The smallest of 1, 2, 5 times a power of ten that is at least `minimum` (and at least 1).
    static func niceStep(atLeast minimum: Int128) -> Int64 {
        var power: Int128 = 1
        while true {
            for multiple: Int128 in [1, 2, 5] where multiple * power >= minimum {
                return Int64(multiple * power)
            }
            power *= 10
        }
    }

    static func roundDown(_ value: Int64, to step: Int64) -> Int64 {
        let remainder = value % step
        return remainder < 0 ? value - remainder - step : value - remainder
    }

    static func roundUp(_ value: Int64, to step: Int64) -> Int64 {
        let remainder = value % step
        return remainder > 0 ? value - remainder + step : value - remainder
    }

    /// Every multiple of the step from the low end to the high end: 0 among them.
    var ticks: [Int64] { Array(stride(from: domainLow, through: domainHigh, by: Int(step))) }

    func position(_ value: Int64) -> Double {
        let fraction = (Double(value) - Double(domainLow)) / (Double(domainHigh) - Double(domainLow))
        return rangeStart + fraction * (rangeEnd - rangeStart)
    }
}

/// The text of tick labels: the value formatted as money (or a ratio) with the fewest decimals
/// that show every tick exactly, the same for all ticks (`0`, `500`, `1,000`; `0.5`, `1.0`).
func tickLabels(_ ticks: [Int64], exponent: Int, format: (Int64) -> String) -> [String] {
    var decimals = exponent
    while decimals > 0 && ticks.allSatisfy({ $0 % pow10(exponent - decimals + 1) == 0 }) { decimals -= 1 }
    return ticks.map { tick in
        let text = format(tick)
        let cut = exponent - decimals + (decimals == 0 && exponent > 0 ? 1 : 0)
        return cut > 0 ? String(text.dropLast(cut)) : text
    }
}

private func pow10(_ exponent: Int) -> Int64 {
    var result: Int64 = 1
    for _ in 0..<exponent { result *= 10 }
    return result
}
