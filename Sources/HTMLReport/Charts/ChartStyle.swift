import LedgerCore

/// The Okabe-Ito palette: eight colours that people with any common colour-vision deficiency
/// still tell apart (Okabe & Ito, "Color Universal Design", 2008).
enum OkabeIto {
    static let black = "#000000"
    static let orange = "#E69F00"
    static let skyBlue = "#56B4E9"
    static let bluishGreen = "#009E73"
    static let yellow = "#F0E442"
    static let blue = "#0072B2"
    static let vermillion = "#D55E00"
    static let reddishPurple = "#CC79A7"
}

/// Greys of the frame: grid lines light enough to recede, axes dark enough to print.
enum Ink {
    static let grid = "#D9D9D9"
    static let axis = "#4D4D4D"
}

/// How one series looks. Colour alone never carries the meaning: bars also differ by hatching,
/// lines by dash pattern and marker shape, so a grey print still tells them apart.
struct SeriesStyle: Equatable {
    enum Marker: Equatable { case circle, square, triangle, diamond, cross }
    var color: String
    /// Hatching over the colour (degrees), nil for a solid fill.
    var hatchAngle: Int?
    var hatchInk: String
    /// SVG `stroke-dasharray` of the line, nil for a solid line.
    var dash: String?
    var lineWidth: Double
    var marker: Marker

    static let solidBlue = SeriesStyle(
        color: OkabeIto.blue, hatchAngle: nil, hatchInk: OkabeIto.black,
        dash: nil, lineWidth: 2, marker: .square)
    static let dashedBlue = SeriesStyle(
        color: OkabeIto.blue, hatchAngle: nil, hatchInk: OkabeIto.black,
        dash: "8 4", lineWidth: 2, marker: .square)
    static let hatchedOrange = SeriesStyle(
        color: OkabeIto.orange, hatchAngle: 45, hatchInk: OkabeIto.black,
        dash: "7 4", lineWidth: 2, marker: .triangle)
    static let hatchedSkyBlue = SeriesStyle(
        color: OkabeIto.skyBlue, hatchAngle: -45, hatchInk: OkabeIto.blue,
        dash: "2 3", lineWidth: 2, marker: .diamond)
    static let purple = SeriesStyle(
        color: OkabeIto.reddishPurple, hatchAngle: 90, hatchInk: OkabeIto.black,
        dash: "9 3 2 3", lineWidth: 2, marker: .cross)
    static let vermillion = SeriesStyle(
        color: OkabeIto.vermillion, hatchAngle: 0, hatchInk: OkabeIto.black,
        dash: "2 3", lineWidth: 2, marker: .diamond)
    static let green = SeriesStyle(
        color: OkabeIto.bluishGreen, hatchAngle: -45, hatchInk: OkabeIto.black,
        dash: "4 2", lineWidth: 2, marker: .triangle)
    static let black = SeriesStyle(
        color: OkabeIto.black, hatchAngle: nil, hatchInk: OkabeIto.black,
        dash: nil, lineWidth: 2.5, marker: .circle)

    /// The fill of a bar: the colour, or the chart's pattern for it.
    func fill(chartID: String, seriesIndex: Int) -> String {
        hatchAngle == nil ? color : "url(#\(patternID(chartID: chartID, seriesIndex: seriesIndex)))"
    }

    func pattern(chartID: String, seriesIndex: Int) -> HatchPattern? {
        guard let angle = hatchAngle else { return nil }
        return HatchPattern(
            patternID: patternID(chartID: chartID, seriesIndex: seriesIndex), background: color,
            ink: hatchInk, angle: angle)
    }

    private func patternID(chartID: String, seriesIndex: Int) -> String { "\(chartID)-hatch-\(seriesIndex)" }
}

/// How values of an axis are written: money of the ledger's currency, or a ratio kept in
/// ten-thousandths (`roas`, `effective_rate`).
enum ValueFormat: Equatable {
    case money(Currency)
    case ratio

    /// Decimals of the exact integer values.
    var exponent: Int {
        switch self {
        case let .money(currency): return currency.minorUnitExponent
        case .ratio: return 4
        }
    }

    func text(_ value: Int64) -> String {
        switch self {
        case let .money(currency): return Display.money(value, currency)
        case .ratio: return formatMinorGrouped(value, exponent: 4)
        }
    }

    func text(_ value: Int64?) -> String { value.map(text) ?? Display.undefined }

    /// An axis of zeros still spans a readable range: ten major units of money, one of a ratio.
    var emptySpan: Int64 { exponent == 0 ? 10 : pow10(exponent) * (self == .ratio ? 1 : 10) }

    private func pow10(_ exponent: Int) -> Int64 {
        var result: Int64 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }
}

/// Text widths without font metrics: 0.6 em per character is at least the average width of
/// the sans-serif fonts the stylesheet asks for, so estimated boxes err on the wide side.
func estimatedTextWidth(_ text: String, fontSize: Double) -> Double {
    Double(text.count) * fontSize * 0.6
}

/// The text cut to fit `width`, with an ellipsis; the whole text goes into the tooltip and the
/// chart's table.
func truncated(_ text: String, toWidth width: Double, fontSize: Double) -> String {
    if estimatedTextWidth(text, fontSize: fontSize) <= width { return text }
    let fitting = max(1, Int(width / (fontSize * 0.6)) - 1)
    return String(text.prefix(fitting)) + "…"
}

/// Font sizes in user units: the stylesheet sets the same ones on the text roles.
enum FontSize {
    static let tick = 11.0
    static let label = 12.0
    static let legend = 12.0
}
