// Pieces every chart draws the same way: the value axis, the legend, the markers.

/// Drawing width of every chart, in user units: the SVG scales to the page, so this only fixes
/// the proportions of text to plot (about 1:60 at 12 units a line).
let chartWidth = 720.0

/// A value axis along the bottom of a horizontal chart: grid lines across the plot (drawn
/// first, under the bars), tick labels and the axis title under it (drawn last).
struct BottomValueAxis {
    var grid: [SVGElement] = []
    var labels: [SVGElement] = []
    /// The height the tick labels and the title take under the plot.
    static let height = 40.0

    init(scale: LinearScale, format: ValueFormat, plotTop: Double, plotBottom: Double, title: String) {
        let ticks = scale.ticks
        let texts = tickLabels(ticks, exponent: format.exponent, format: format.text)
        for (tick, text) in zip(ticks, texts) {
            let x = Coord(scale.position(tick))
            let stroke = tick == 0 ? Ink.axis : Ink.grid
            grid.append(
                .line(
                    SVGLine(
                        x1: x, y1: Coord(plotTop), x2: x, y2: Coord(plotBottom), stroke: stroke,
                        strokeWidth: Coord(tick == 0 ? 1.2 : 0.8), dash: nil)))
            labels.append(
                .text(
                    SVGText(
                        x: x, y: Coord(plotBottom + 15), anchor: .middle, content: text,
                        size: Coord(FontSize.tick), role: "tick", tooltip: nil)))
        }
        let middle = (scale.rangeStart + scale.rangeEnd) / 2
        labels.append(
            .text(
                SVGText(
                    x: Coord(middle), y: Coord(plotBottom + 33), anchor: .middle, content: title,
                    size: Coord(FontSize.label), role: "axis-title", tooltip: nil)))
    }
}

/// A row of legend entries (wrapped onto more rows when they do not fit), above the plot.
struct Legend {
    enum Swatch { case bar, line }
    var elements: [SVGElement] = []
    var height = 0.0

    static let rowHeight = 20.0

    init(entries: [(name: String, style: SeriesStyle)], swatch: Swatch, chartID: String, left: Double, top: Double) {
        guard !entries.isEmpty else { return }
        var x = left
        var y = top
        for (index, entry) in entries.enumerated() {
            let swatchWidth = swatch == .bar ? 14.0 : 30.0
            let entryWidth = swatchWidth + 6 + estimatedTextWidth(entry.name, fontSize: FontSize.legend) + 18
            if x > left && x + entryWidth > chartWidth {
                x = left
                y += Legend.rowHeight
            }
            let middle = y + Legend.rowHeight / 2
            switch swatch {
            case .bar:
                elements.append(
                    .rect(
                        SVGRect(
                            x: Coord(x), y: Coord(middle - 7), width: Coord(14), height: Coord(14),
                            fill: entry.style.fill(chartID: chartID, seriesIndex: index),
                            stroke: Ink.axis, tooltip: nil)))
            case .line:
                elements.append(
                    .line(
                        SVGLine(
                            x1: Coord(x), y1: Coord(middle), x2: Coord(x + 30), y2: Coord(middle),
                            stroke: entry.style.color, strokeWidth: Coord(entry.style.lineWidth),
                            dash: entry.style.dash)))
                elements.append(.path(markerPath(entry.style, x: x + 15, y: middle)))
            }
            elements.append(
                .text(
                    SVGText(
                        x: Coord(x + swatchWidth + 6), y: Coord(middle + 4), anchor: .start,
                        content: entry.name, size: Coord(FontSize.legend), role: "legend",
                        tooltip: nil)))
            x += entryWidth
        }
        height = y + Legend.rowHeight - top
    }
}

/// A series' marker centred on a point: filled shapes in the series colour, outlined in white so
/// that markers on top of each other stay visible.
func markerPath(_ style: SeriesStyle, x: Double, y: Double) -> SVGPath {
    let r = 4.0
    let d: String
    switch style.marker {
    case .circle:
        d =
            "M\(Coord(x - r)) \(Coord(y))a\(Coord(r)) \(Coord(r)) 0 1 0 \(Coord(2 * r)) 0"
            + "a\(Coord(r)) \(Coord(r)) 0 1 0 \(Coord(-2 * r)) 0Z"
    case .square:
        d = "M\(Coord(x - r)) \(Coord(y - r))h\(Coord(2 * r))v\(Coord(2 * r))h\(Coord(-2 * r))Z"
    case .triangle:
        d = "M\(Coord(x)) \(Coord(y - r - 1))L\(Coord(x + r + 1)) \(Coord(y + r))L\(Coord(x - r - 1)) \(Coord(y + r))Z"
    case .diamond:
        d =
            "M\(Coord(x)) \(Coord(y - r - 1))L\(Coord(x + r + 1)) \(Coord(y))L\(Coord(x)) \(Coord(y + r + 1))"
            + "L\(Coord(x - r - 1)) \(Coord(y))Z"
    case .cross:
        let a = r * 0.45
        d =
            "M\(Coord(x - a)) \(Coord(y - r))h\(Coord(2 * a))v\(Coord(r - a))h\(Coord(r - a))v\(Coord(2 * a))"
            + "h\(Coord(a - r))v\(Coord(r - a))h\(Coord(-2 * a))v\(Coord(a - r))h\(Coord(a - r))v\(Coord(-2 * a))"
            + "h\(Coord(r - a))Z"
    }
    return SVGPath(d: d, fill: style.color, stroke: "#FFFFFF", strokeWidth: Coord(1))
}
