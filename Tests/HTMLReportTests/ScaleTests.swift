@testable import HTMLReport
import LedgerCore
import Testing

@Suite("chart scales and ticks")
struct ScaleTests {
    @Test(arguments: [(1, 1), (3, 5), (7, 10), (11, 20), (2_748, 5_000), (20_001, 50_000), (100_000, 100_000)])
    func niceStepsAreOneTwoOrFiveTimesAPowerOfTen(minimum: Int, expected: Int64) {
        #expect(LinearScale.niceStep(atLeast: Int128(minimum)) == expected)
    }

    @Test func domainRoundsOutwardsToTheStepAndIncludesZero() {
        let scale = LinearScale(values: [13_737, 420, 9_000], range: (0, 100))
        #expect(scale.step == 5_000)
        #expect(scale.domainLow == 0)
        #expect(scale.domainHigh == 15_000)
        #expect(scale.ticks == [0, 5_000, 10_000, 15_000])
    }

    @Test func negativeValuesExtendTheDomainBelowZeroWithZeroAmongTheTicks() {
        let scale = LinearScale(values: [-2_500, 10_000], range: (0, 300))
        #expect(scale.domainLow == -5_000)
        #expect(scale.domainHigh == 10_000)
        #expect(scale.ticks.contains(0))
        #expect(scale.position(0) == 100)
        #expect(scale.position(-5_000) == 0)
        #expect(scale.position(10_000) == 300)
    }

    @Test func onlyNegativeValuesEndTheDomainAtZero() {
        let scale = LinearScale(values: [-130, -70], range: (0, 10))
        #expect(scale.domainHigh == 0)
        #expect(scale.domainLow == -150)
    }

    @Test func noValuesOrOnlyZerosSpanTheEmptySpan() {
        for values: [Int64] in [[], [0, 0]] {
            let scale = LinearScale(values: values, range: (0, 10), emptySpan: 1_000)
            #expect(scale.domainLow == 0)
            #expect(scale.domainHigh == 1_000)
            #expect(scale.ticks.count >= 2)
        }
    }

    @Test func reversedRangesMapUpwards() {
        // The line chart's value axis runs from the bottom (large y) to the top (small y).
        let scale = LinearScale(values: [100], range: (200, 0))
        #expect(scale.position(0) == 200)
        #expect(scale.position(scale.domainHigh) == 0)
        #expect(scale.position(50) < scale.position(0))
    }

    @Test func extremeAmountsNeitherTrapNorLoseTheirOrder() {
        let big = Int64.max / 4
        let scale = LinearScale(values: [big, -big], range: (0, 100))
        #expect(scale.domainLow <= -big && scale.domainHigh >= big)
        #expect(scale.position(-big) < scale.position(0) && scale.position(0) < scale.position(big))
    }

    @Test func tickLabelsDropTheDecimalsThatEveryTickHasAsZeros() {
        let usd = ValueFormat.money(.usd)
        #expect(
            tickLabels([0, 50_000, 100_000, 150_000], exponent: 2, format: usd.text)
                == ["0", "500", "1,000", "1,500"])
        #expect(tickLabels([0, 50, 100, 150], exponent: 2, format: usd.text) == ["0.0", "0.5", "1.0", "1.5"])
        #expect(tickLabels([0, 25, 50], exponent: 2, format: usd.text) == ["0.00", "0.25", "0.50"])
        #expect(tickLabels([-10, 0, 10], exponent: 2, format: usd.text) == ["-0.1", "0.0", "0.1"])
        #expect(tickLabels([0, 5_000, 10_000], exponent: 4, format: ValueFormat.ratio.text) == ["0.0", "0.5", "1.0"])
        #expect(
            tickLabels([0, 1_000, 2_000], exponent: 0, format: ValueFormat.money(.jpy).text)
                == ["0", "1,000", "2,000"])
    }

    @Test(arguments: [(0.04, "0"), (-0.04, "0"), (12.34, "12.3"), (-0.05, "-0.1"), (720, "720"), (-3.96, "-4")])
    func coordinatesHaveAtMostOneDecimalAndNoNegativeZero(value: Double, text: String) {
        #expect(Coord(value).description == text)
    }
}
