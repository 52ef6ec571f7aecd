import LedgerCore
import TestSupport
import Testing

@Suite("close report rules: ratios, the 12 months, the month's unknown codes")
struct CloseReportRulesTests {
    /// One rule for `roi`'s ratio columns and the report's pages and charts.
    @Test func ratiosHaveFourDecimalsRoundedHalfToEven() {
        #expect(formatRatio(1, 3) == "0.3333")
        #expect(formatRatio(5, 20_000) == "0.0002")  // 0.00025 -> even
        #expect(formatRatio(15, 20_000) == "0.0008")  // 0.00075 -> even
        #expect(formatRatio(-7, 2) == "-3.5000")
        #expect(formatRatio(7, 0) == nil && formatRatio(7, -2) == nil)
        #expect(ratioTenThousandths(45_000, 10_000) == 45_000)
        #expect(ratioTenThousandths(Int64.max, 1) == nil)  // too large for the column: undefined, no trap
    }

    @Test func theSeriesIsTwelveMonthsWithoutLeadingEmptyOnes() {
        let months = twelveMonths(endingWith: ym("2027-02"))
        #expect(months.count == 12 && months.first == ym("2026-03") && months.last == ym("2027-02"))
        var totals = months.map { MonthTotals(month: $0) }
        totals[4].feesMinor = 100  // 2026-07
        totals[9].payoutsMinor = 50  // 2026-12, after empty months that stay
        let series = reportHistory(totals.reversed())
        #expect(
            series.map(\.month.description) == [
                "2026-07", "2026-08", "2026-09", "2026-10", "2026-11",
                "2026-12", "2027-01", "2027-02"
            ])
        #expect(reportHistory(months.map { MonthTotals(month: $0) }).isEmpty)
    }

    @Test func monthTotalsSumTheStatementsAndTheGiftsOfTheMonthInTheLedgersZone() {
        let zone = Zone(identifier: "America/New_York")!
        var a = PayoutFigures(), b = PayoutFigures()
        a.commissionsMinor = 100; a.clawbacksMinor = 7; a.feesMinor = 1_000; a.payoutMinor = 1_093
        b.commissionsMinor = 5; b.payoutMinor = 0
        // 2026-11-01 02:00 UTC is still October in New York.
        let late = GiftSent(
            id: "g1", creator: "x", date: CivilDate.parse("2026-10-31")!,
            effectiveAt: Timestamp.parse("2026-11-01T02:00:00Z")!.instant, valueMinor: 40, note: nil)
        var november = late
        november.id = "g2"; november.effectiveAt = Timestamp.parse("2026-11-01T05:00:00Z")!.instant
        let totals = MonthTotals(month: ym("2026-10"), statements: [a, b], gifts: [late, november], zone: zone)
        #expect(totals.commissionsMinor == 105 && totals.clawbacksMinor == 7 && totals.feesMinor == 1_000)
        #expect(totals.payoutsMinor == 1_093 && totals.giftsMinor == 40)
    }
}
