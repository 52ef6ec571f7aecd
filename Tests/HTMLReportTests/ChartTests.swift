@testable import HTMLReport
import LedgerCore
import Testing

@Suite("SVG charts")
struct ChartTests {
    func barChart(_ bars: [BarChart.Bar]) -> ChartDrawing {
        BarChart(
            id: "t", title: "Payouts", subtitle: nil, labelHeading: "Creator", valueAxisTitle: "Payout (USD)",
            format: .money(.usd), bars: bars, emptyMessage: "Nothing to show."
        ).draw()
    }

    /// The x of the zero grid line (drawn darker than the others).
    func zeroLineX(_ drawing: ChartDrawing) -> Double? {
        drawing.elements.compactMap(\.line).first { $0.stroke == Ink.axis && $0.x1 == $0.x2 }?.x1.value
    }

    @Test func barsAreProportionalToTheirValuesFromZero() {
        let drawing = barChart([.init(label: "a", value: 30_000), .init(label: "b", value: 10_000)])
        let rects = drawing.rects
        #expect(rects.count == 2)
        let zero = zeroLineX(drawing)!
        #expect(rects.allSatisfy { abs($0.x.value - zero) < 0.1 })
        #expect(abs(rects[0].width.value - 3 * rects[1].width.value) < 0.2)
    }

    @Test func aNegativeBarEndsAtZeroAndGrowsLeft() {
        let drawing = barChart([.init(label: "owes", value: -2_500), .init(label: "paid", value: 10_000)])
        let zero = zeroLineX(drawing)!
        let negative = drawing.rects[0]
        #expect(negative.x.value < zero)
        #expect(abs(negative.x.value + negative.width.value - zero) < 0.2)
        #expect(drawing.rects[1].x.value >= zero - 0.1)
        #expect(drawing.texts.contains { $0.content == "-25.00" })
        #expect(drawing.texts.contains { $0.content == "-50" })  // a tick below zero
    }

    @Test func anUndefinedValueDrawsNoBarAndShowsADash() {
        let drawing = barChart([.init(label: "no conversions", value: nil), .init(label: "b", value: 500)])
        #expect(drawing.rects.count == 1)
        #expect(drawing.texts.contains { $0.content == Display.undefined && $0.role == "value" })
        #expect(drawing.table.rows[0] == DataRow(heading: "no conversions", cells: [Display.undefined]))
    }

    @Test func noDataGivesAMessageInsteadOfAnEmptyFrame() {
        let drawing = barChart([])
        #expect(drawing.emptyMessage == "Nothing to show.")
        #expect(drawing.elements.isEmpty)
        #expect(drawing.table.rows.isEmpty)
    }

    @Test func allZeroValuesStillHaveAnAxis() {
        let drawing = barChart([.init(label: "a", value: 0)])
        #expect(drawing.emptyMessage == nil)
        #expect(drawing.texts.filter { $0.role == "tick" }.count >= 2)
        #expect(drawing.rects.allSatisfy { $0.width.value.isFinite && $0.width.value >= 0 })
    }

    @Test func longLabelsAreCutWithTheWholeLabelInTheTooltipAndTable() {
        let long = String(repeating: "Very Long Creator Name ", count: 6)
        let drawing = barChart([.init(label: long, value: 100)])
        let label = drawing.texts.first { $0.role == "label" }!
        #expect(label.content.hasSuffix("…"))
        #expect(estimatedTextWidth(label.content, fontSize: FontSize.label) <= BarChart.labelWidthRange.upperBound)
        #expect(label.tooltip?.hasPrefix(long) == true)
        #expect(drawing.table.rows[0].heading == long)
    }

    @Test func theRestBeyondTheLargestIsOneHatchedBar() {
        let items = (1...25).map { (name: "c\($0)", amount: Int64($0)) }
        let (top, rest) = largest(items, limit: 20, amount: \.amount, key: \.name)
        let expectedTop: [Int64] = (6...25).reversed().map { Int64($0) }
        #expect(top.map(\.amount) == expectedTop)
        let restTotal = rest.reduce(Int64(0)) { $0 + $1.amount }
        #expect(restTotal == 15)
        let bars =
            top.map { BarChart.Bar(label: $0.name, value: $0.amount) }
            + [BarChart.Bar(label: "5 other creators", value: 15, isAggregate: true)]
        let drawing = barChart(bars)
        #expect(drawing.patterns.count == 1)
        #expect(drawing.rects.last?.fill == "url(#\(drawing.patterns[0].patternID))")
    }

    @Test func oneItemOverTheLimitIsShownItselfAndTiesGoByKey() {
        let items = [("b", Int64(5)), ("a", 5), ("c", 9)]
        let (top, rest) = largest(items, limit: 2, amount: \.1, key: \.0)
        #expect(top.map(\.0) == ["c", "a", "b"])
        #expect(rest.isEmpty)
        let (top1, rest1) = largest(items + [("d", 1)], limit: 2, amount: \.1, key: \.0)
        #expect(top1.map(\.0) == ["c", "a"])
        #expect(rest1.map(\.0) == ["b", "d"])
    }

    @Test func groupedBarsHaveOneBarPerSeriesAndAPatternForTheHatchedOne() {
        let chart = GroupedBarChart(
            id: "g", title: "Fees and commissions", subtitle: nil, labelHeading: "Creator", valueAxisTitle: "Cost",
            noteHeading: "Effective rate", format: .money(.usd),
            series: [.init(name: "Flat fees", style: .solidBlue), .init(name: "Commissions", style: .hatchedOrange)],
            groups: [
                .init(label: "a", values: [150_000, 4_860], note: "2.7061"),
                .init(label: "b", values: [0, -900], note: nil)
            ],
            emptyMessage: "none")
        let drawing = chart.draw()
        // two legend swatches, then a bar per non-nil value (the zero fee still has a zero-width bar)
        #expect(drawing.rects.count == 2 + 4)
        #expect(drawing.patterns.map(\.patternID) == ["g-hatch-1"])
        #expect(drawing.rects.filter { $0.fill == "url(#g-hatch-1)" }.count == 3)
        #expect(drawing.texts.contains { $0.content == "2.7061" && $0.role == "note" })
        #expect(drawing.table.columns == ["Creator", "Flat fees", "Commissions", "Effective rate"])
        #expect(drawing.table.rows[1] == DataRow(heading: "b", cells: ["0.00", "-9.00", Display.undefined]))
    }

    @Test func linesHaveAPointPerCategoryAndNegativeValuesLieBelowZero() {
        let chart = LineChart(
            id: "l", title: "Months", subtitle: nil, categoryHeading: "Month", valueAxisTitle: "Amount (USD)",
            format: .money(.usd),
            categories: (1...3).map { .init(label: "m\($0)", detail: nil, fullName: "Month \($0)") },
            series: [
                .init(name: "Payouts", style: .black, values: [100, 300, 200]),
                .init(name: "Adjustments", style: .purple, values: [0, -150, 50])
            ],
            emptyMessage: "none")
        let drawing = chart.draw()
        let lines = drawing.elements.compactMap(\.polyline)
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.points.split(separator: " ").count == 3 })
        let zeroY = drawing.elements.compactMap(\.line).first { $0.stroke == Ink.axis }!.y1.value
        let adjustments = lines[1].points.split(separator: " ").map { Double($0.split(separator: ",")[1])! }
        #expect(adjustments[1] > zeroY)  // SVG y grows downwards
        #expect(abs(adjustments[0] - zeroY) < 0.1)
        #expect(lines[1].dash == SeriesStyle.purple.dash)
        #expect(drawing.table.rows.map(\.heading) == ["Month 1", "Month 2", "Month 3"])
        #expect(drawing.table.rows[1].cells == ["3.00", "-1.50"])
    }

    @Test func seriesDifferByMoreThanColour() {
        let styles: [SeriesStyle] = [.black, .dashedBlue, .vermillion, .green, .purple]
        #expect(Set(styles.map { "\($0.dash ?? "solid")" }).count == styles.count)
        #expect(Set(styles.map { "\($0.marker)" }).count == styles.count)
        #expect(SeriesStyle.solidBlue.hatchAngle == nil && SeriesStyle.hatchedOrange.hatchAngle != nil)
    }
}
