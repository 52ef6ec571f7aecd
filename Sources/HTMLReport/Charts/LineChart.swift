/// Lines over a row of categories (months), one value per series and category, with a marker at
/// each point. The value axis runs up the left with its unit written above it, level.
struct LineChart {
    struct Series: Equatable {
        var name: String
        var style: SeriesStyle
        /// One per category.
        var values: [Int64]
    }

    struct Category: Equatable {
        var label: String
        /// A second line under the label (the year, under its first month).
        var detail: String?
        /// The whole name, for the table (`November 2025`).
        var fullName: String
    }

    var id: String
    var title: String
    var subtitle: String?
    var categoryHeading: String
    var valueAxisTitle: String
    var format: ValueFormat
    var categories: [Category]
    var series: [Series]
    var emptyMessage: String

    static let plotHeight = 220.0

    func draw() -> ChartDrawing {
        precondition(series.allSatisfy { $0.values.count == categories.count }, "a value per category in every series")
        var drawing = ChartDrawing(
            id: id, title: title, subtitle: subtitle, width: Coord(chartWidth), height: Coord(0),
            patterns: [], elements: [], table: table(), emptyMessage: nil)
        guard !categories.isEmpty, !series.isEmpty else {
            drawing.emptyMessage = emptyMessage
            return drawing
        }
        let legend = Legend(entries: series.map { ($0.name, $0.style) }, swatch: .line, chartID: id, left: 0, top: 0)
        let plotTop = legend.height + 34
        let plotBottom = plotTop + LineChart.plotHeight
        let scale = LinearScale(
            values: series.flatMap(\.values), range: (plotBottom, plotTop),
            emptySpan: format.emptySpan)
        let ticks = tickLabels(scale.ticks, exponent: format.exponent, format: format.text)
        // The widest tick label sets where the plot starts.
        let plotLeft = ticks.map { estimatedTextWidth($0, fontSize: FontSize.tick) }.max()! + 10
        let plotRight = chartWidth - 12
        let band = (plotRight - plotLeft) / Double(categories.count)
        let x = { (index: Int) in plotLeft + band * (Double(index) + 0.5) }

        drawing.elements = legend.elements
        drawing.elements.append(
            .text(
                SVGText(
                    x: Coord(0), y: Coord(plotTop - 14), anchor: .start,
                    content: valueAxisTitle, size: Coord(FontSize.label),
                    role: "axis-title", tooltip: nil)))
        for (tick, text) in zip(scale.ticks, ticks) {
            let y = Coord(scale.position(tick))
            drawing.elements.append(
                .line(
                    SVGLine(
                        x1: Coord(plotLeft), y1: y, x2: Coord(plotRight), y2: y,
                        stroke: tick == 0 ? Ink.axis : Ink.grid,
                        strokeWidth: Coord(tick == 0 ? 1.2 : 0.8), dash: nil)))
            drawing.elements.append(
                .text(
                    SVGText(
                        x: Coord(plotLeft - 6), y: Coord(y.value + 4), anchor: .end,
                        content: text, size: Coord(FontSize.tick), role: "tick",
                        tooltip: nil)))
        }
        for (index, category) in categories.enumerated() {
            drawing.elements.append(
                .text(
                    SVGText(
                        x: Coord(x(index)), y: Coord(plotBottom + 16), anchor: .middle,
                        content: category.label, size: Coord(FontSize.tick), role: "tick",
                        tooltip: nil)))
            if let detail = category.detail {
                drawing.elements.append(
                    .text(
                        SVGText(
                            x: Coord(x(index)), y: Coord(plotBottom + 30),
                            anchor: .middle, content: detail, size: Coord(FontSize.tick),
                            role: "tick", tooltip: nil)))
            }
        }
        for line in series {
            let points = line.values.enumerated().map { (x($0.offset), scale.position($0.element)) }
            if points.count > 1 {
                let text = points.map { "\(Coord($0.0)),\(Coord($0.1))" }.joined(separator: " ")
                drawing.elements.append(
                    .polyline(
                        SVGPolyline(
                            points: text, stroke: line.style.color,
                            strokeWidth: Coord(line.style.lineWidth),
                            dash: line.style.dash)))
            }
            drawing.elements += points.map { .path(markerPath(line.style, x: $0.0, y: $0.1)) }
        }
        drawing.height = Coord(plotBottom + 38)
        return drawing
    }

    private func table() -> DataTable {
        let rows = categories.enumerated().map { index, category in
            DataRow(heading: category.fullName, cells: series.map { format.text($0.values[index]) })
        }
        return DataTable(caption: title, columns: [categoryHeading] + series.map(\.name), rows: rows)
    }
}
