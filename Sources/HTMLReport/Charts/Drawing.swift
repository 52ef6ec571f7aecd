// What a chart hands to the `chart` template: SVG elements in drawing order, the fill patterns
// they use, and the table of the numbers behind the chart. The template inserts every value
// escaped; nothing here is markup.

/// A length or coordinate in the SVG's user units, written with at most one decimal: sharper
/// than any screen or printer needs and short in the file.
struct Coord: Equatable, CustomStringConvertible {
    var value: Double
    init(_ value: Double) { self.value = value }

    var description: String {
        let tenths = Int64((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let whole = tenths.magnitude / 10
        let fraction = tenths.magnitude % 10
        return sign + String(whole) + (fraction == 0 ? "" : "." + String(fraction))
    }
}

struct SVGRect: Equatable, TemplateValue {
    var x: Coord, y: Coord, width: Coord, height: Coord
    /// A colour (`#0072B2`) or a pattern (`url(#chart-hatch-1)`).
    var fill: String
    var stroke: String?
    /// Shown as a tooltip: the full label and value.
    var tooltip: String?
}

struct SVGLine: Equatable, TemplateValue {
    var x1: Coord, y1: Coord, x2: Coord, y2: Coord
    var stroke: String
    var strokeWidth: Coord
    var dash: String?
}

struct SVGPolyline: Equatable, TemplateValue {
    var points: String
    var stroke: String
    var strokeWidth: Coord
    var dash: String?
}

/// A marker or any other outline, as path data.
struct SVGPath: Equatable, TemplateValue {
    var d: String
    var fill: String
    var stroke: String
    var strokeWidth: Coord
}

struct SVGText: Equatable, TemplateValue {
    enum Anchor: String { case start, middle, end }
    var x: Coord, y: Coord
    var anchor: Anchor
    var content: String
    var size: Coord
    /// `tick`, `axis-title`, `label`, `value`, `legend`, `note`: the stylesheet's class for colour and weight.
    var role: String
    var tooltip: String?
}

/// One element; exactly one of the fields is set (Mustache renders the set one).
struct SVGElement: Equatable, TemplateValue {
    var rect: SVGRect?
    var line: SVGLine?
    var polyline: SVGPolyline?
    var path: SVGPath?
    var text: SVGText?

    static func rect(_ r: SVGRect) -> SVGElement { SVGElement(rect: r) }
    static func line(_ l: SVGLine) -> SVGElement { SVGElement(line: l) }
    static func polyline(_ p: SVGPolyline) -> SVGElement { SVGElement(polyline: p) }
    static func path(_ p: SVGPath) -> SVGElement { SVGElement(path: p) }
    static func text(_ t: SVGText) -> SVGElement { SVGElement(text: t) }
}

/// Diagonal lines over a colour: tells series apart on a black-and-white print and for readers
/// who cannot tell the colours apart.
struct HatchPattern: Equatable, TemplateValue {
    var patternID: String
    var background: String
    var ink: String
    var angle: Int
}

/// The numbers behind a chart, as a table: hidden on screen, read by screen readers, printed.
struct DataTable: Equatable, TemplateValue {
    var caption: String
    var columns: [String]
    var rows: [DataRow]
}

/// A row of a chart's table: what the row is about (a creator, a month), then its numbers.
struct DataRow: Equatable, TemplateValue {
    var heading: String
    var cells: [String]
}

/// A chart ready to render.
struct ChartDrawing: Equatable, TemplateValue {
    var id: String
    var title: String
    var subtitle: String?
    var width: Coord
    var height: Coord
    var patterns: [HatchPattern]
    var elements: [SVGElement]
    var table: DataTable
    /// Set when there is nothing to draw: the page says so instead of an empty frame.
    var emptyMessage: String?

    var texts: [SVGText] { elements.compactMap(\.text) }
    var rects: [SVGRect] { elements.compactMap(\.rect) }
}
