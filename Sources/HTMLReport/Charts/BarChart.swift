/// Horizontal bars, one per labelled value, growing from 0 (left for negative values): names
/// read level on the left, the exact values in a column on the right.
struct BarChart {
    struct Bar: Equatable {
        var label: String
        /// nil: undefined (a ratio without a denominator), drawn as no bar and `-`.
        var value: Int64?
        /// The bar that stands for many (the rest beyond the largest): hatched.
        var isAggregate = false
    }

    var id: String
    var title: String
    var subtitle: String?
    var labelHeading: String
    var valueAxisTitle: String
    var format: ValueFormat
    var bars: [Bar]
    var emptyMessage: String

    static let rowHeight = 24.0
    static let barThickness = 16.0
    static let top = 6.0
    static let labelWidthRange = 60.0...220.0

    func draw() -> ChartDrawing {
        let valueTexts = bars.map { format.text($0.value) }
        let table = DataTable(
            caption: title, columns: [labelHeading, valueAxisTitle],
            rows: zip(bars, valueTexts).map { DataRow(heading: $0.label, cells: [$1]) })
        var drawing = ChartDrawing(
            id: id, title: title, subtitle: subtitle, width: Coord(chartWidth), height: Coord(0),
            patterns: [], elements: [], table: table, emptyMessage: nil)
        guard !bars.isEmpty else {
            drawing.emptyMessage = emptyMessage
            return drawing
        }
        let labelWidth = BarChart.labelWidthRange.clamp(
            bars.map { estimatedTextWidth($0.label, fontSize: FontSize.label) }.max()! + 10)
        let valueWidth = max(60, valueTexts.map { estimatedTextWidth($0, fontSize: FontSize.label) }.max()! + 14)
        let plotLeft = labelWidth + 8
        let plotRight = chartWidth - valueWidth - 10
        let plotTop = BarChart.top
        let plotBottom = plotTop + Double(bars.count) * BarChart.rowHeight
        let scale = LinearScale(
            values: bars.compactMap(\.value), range: (plotLeft, plotRight),
            emptySpan: format.emptySpan)
        let axis = BottomValueAxis(
            scale: scale, format: format, plotTop: plotTop, plotBottom: plotBottom,
            title: valueAxisTitle)
        let aggregate = SeriesStyle.hatchedSkyBlue
        if bars.contains(where: \.isAggregate) {
            drawing.patterns.append(aggregate.pattern(chartID: id, seriesIndex: 0)!)
        }

        drawing.elements = axis.grid
        for (row, (bar, valueText)) in zip(bars, valueTexts).enumerated() {
            let rowTop = plotTop + Double(row) * BarChart.rowHeight
            let middle = rowTop + BarChart.rowHeight / 2
            let tooltip = "\(bar.label): \(valueText)"
            if let value = bar.value {
                let from = scale.position(min(0, value))
                let to = scale.position(max(0, value))
                let fill = bar.isAggregate ? aggregate.fill(chartID: id, seriesIndex: 0) : OkabeIto.blue
                drawing.elements.append(
                    .rect(
                        SVGRect(
                            x: Coord(from), y: Coord(middle - BarChart.barThickness / 2), width: Coord(to - from),
                            height: Coord(BarChart.barThickness), fill: fill, stroke: nil, tooltip: tooltip)))
            }
            drawing.elements.append(
                .text(
                    SVGText(
                        x: Coord(labelWidth), y: Coord(middle + 4), anchor: .end,
                        content: truncated(bar.label, toWidth: labelWidth, fontSize: FontSize.label),
                        size: Coord(FontSize.label), role: bar.isAggregate ? "label aggregate" : "label",
                        tooltip: tooltip)))
            drawing.elements.append(
                .text(
                    SVGText(
                        x: Coord(chartWidth - 4), y: Coord(middle + 4), anchor: .end, content: valueText,
                        size: Coord(FontSize.label), role: "value", tooltip: nil)))
        }
        drawing.elements += axis.labels
        drawing.height = Coord(plotBottom + BottomValueAxis.height)
        return drawing
    }
}

extension ClosedRange where Bound == Double {
    func clamp(_ value: Double) -> Double { Swift.min(upperBound, Swift.max(lowerBound, value)) }
}
