/// Horizontal bars in groups, one bar per series in each group, all on one value axis (so every
/// series must have the same unit): a legend above, each bar's value just past its end (past 0
/// for a negative bar), and an optional note per group (the effective rate) in a column on the right.
struct GroupedBarChart {
    struct Series: Equatable {
        var name: String
        var style: SeriesStyle
    }

    struct Group: Equatable {
        var label: String
        /// One per series; nil: undefined.
        var values: [Int64?]
        var note: String?
    }

    var id: String
    var title: String
    var subtitle: String?
    var labelHeading: String
    var valueAxisTitle: String
    var noteHeading: String?
    var format: ValueFormat
    var series: [Series]
    var groups: [Group]
    var emptyMessage: String

    static let barThickness = 11.0
    static let groupGap = 10.0

    func draw() -> ChartDrawing {
        precondition(groups.allSatisfy { $0.values.count == series.count }, "a value for every series")
        let valueTexts = groups.map { $0.values.map(format.text) }
        var drawing = ChartDrawing(
            id: id, title: title, subtitle: subtitle, width: Coord(chartWidth), height: Coord(0),
            patterns: [], elements: [], table: table(valueTexts), emptyMessage: nil)
        guard !groups.isEmpty else {
            drawing.emptyMessage = emptyMessage
            return drawing
        }
        let legend = Legend(entries: series.map { ($0.name, $0.style) }, swatch: .bar, chartID: id, left: 0, top: 0)
        drawing.patterns = series.enumerated().compactMap { $1.style.pattern(chartID: id, seriesIndex: $0) }

        let noteTexts = groups.map { $0.note ?? "" }
        let noteWidth =
            noteHeading == nil
            ? 0
            : max(
                estimatedTextWidth(noteHeading!, fontSize: FontSize.tick),
                noteTexts.map { estimatedTextWidth($0, fontSize: FontSize.label) }
                    .max()!) + 14
        let widestValue = valueTexts.joined().map { estimatedTextWidth($0, fontSize: FontSize.tick) }.max()!
        let valueWidth = max(56, widestValue + 12)
        let labelWidth = BarChart.labelWidthRange.clamp(
            groups.map { estimatedTextWidth($0.label, fontSize: FontSize.label) }.max()! + 10)
        let plotLeft = labelWidth + 8
        // Room past the longest bar for its value.
        let plotRight = chartWidth - noteWidth - valueWidth
        let groupHeight = Double(series.count) * GroupedBarChart.barThickness + GroupedBarChart.groupGap
        let headingRow = noteHeading == nil ? 0.0 : 16.0
        let plotTop = legend.height + 6 + headingRow
        let plotBottom = plotTop + Double(groups.count) * groupHeight
        let scale = LinearScale(
            values: groups.flatMap { $0.values.compactMap { $0 } }, range: (plotLeft, plotRight),
            emptySpan: format.emptySpan)
        let axis = BottomValueAxis(
            scale: scale, format: format, plotTop: plotTop, plotBottom: plotBottom,
            title: valueAxisTitle)

        drawing.elements = legend.elements + axis.grid
        if let noteHeading {
            drawing.elements.append(
                .text(
                    SVGText(
                        x: Coord(chartWidth - 4), y: Coord(plotTop - 5), anchor: .end,
                        content: noteHeading, size: Coord(FontSize.tick),
                        role: "note-heading", tooltip: nil)))
        }
        for (index, group) in groups.enumerated() {
            let groupTop = plotTop + Double(index) * groupHeight + GroupedBarChart.groupGap / 2
            drawing.elements += bars(of: group, texts: valueTexts[index], top: groupTop, scale: scale)
            let middle = groupTop + Double(series.count) * GroupedBarChart.barThickness / 2
            drawing.elements.append(
                .text(
                    SVGText(
                        x: Coord(labelWidth), y: Coord(middle + 4), anchor: .end,
                        content: truncated(group.label, toWidth: labelWidth, fontSize: FontSize.label),
                        size: Coord(FontSize.label), role: "label", tooltip: group.label)))
            if let note = group.note {
                drawing.elements.append(
                    .text(
                        SVGText(
                            x: Coord(chartWidth - 4), y: Coord(middle + 4), anchor: .end,
                            content: note, size: Coord(FontSize.label), role: "note",
                            tooltip: nil)))
            }
        }
        drawing.elements += axis.labels
        drawing.height = Coord(plotBottom + BottomValueAxis.height)
        return drawing
    }

    private func bars(of group: Group, texts: [String], top: Double, scale: LinearScale) -> [SVGElement] {
        var elements: [SVGElement] = []
        for (seriesIndex, (value, text)) in zip(group.values, texts).enumerated() {
            let barTop = top + Double(seriesIndex) * GroupedBarChart.barThickness
            let tooltip = "\(group.label), \(series[seriesIndex].name): \(text)"
            if let value {
                let from = scale.position(min(0, value))
                let to = scale.position(max(0, value))
                elements.append(
                    .rect(
                        SVGRect(
                            x: Coord(from), y: Coord(barTop + 0.5), width: Coord(to - from),
                            height: Coord(GroupedBarChart.barThickness - 1),
                            fill: series[seriesIndex].style.fill(chartID: id, seriesIndex: seriesIndex), stroke: nil,
                            tooltip: tooltip)))
            }
            let valueX = scale.position(max(0, value ?? 0)) + 4
            elements.append(
                .text(
                    SVGText(
                        x: Coord(valueX), y: Coord(barTop + GroupedBarChart.barThickness - 2),
                        anchor: .start, content: text, size: Coord(FontSize.tick), role: "value",
                        tooltip: nil)))
        }
        return elements
    }

    private func table(_ valueTexts: [[String]]) -> DataTable {
        let columns = [labelHeading] + series.map(\.name) + (noteHeading.map { [$0] } ?? [])
        let rows = zip(groups, valueTexts).map { group, texts in
            DataRow(heading: group.label, cells: texts + (noteHeading == nil ? [] : [group.note ?? Display.undefined]))
        }
        return DataTable(caption: title, columns: columns, rows: rows)
    }
}
