import Foundation
import LedgerCore

/// A value in a report. Money and ratios keep their exact form until rendered.
public enum Cell: Equatable, Sendable {
    case text(String)
    case int(Int64)
    case money(Int64, exponent: Int)
    /// A fraction printed with 4 decimals (`0.1234`); nil when undefined.
    case ratio(numerator: Int64, denominator: Int64)
    case none

    /// The machine-readable text: no thousands separators, undefined as empty.
    var plain: String? {
        switch self {
        case let .text(s): return s
        case let .int(i): return String(i)
        case let .money(m, e): return formatMinor(m, exponent: e)
        case let .ratio(n, d): return formatRatio(n, d)
        case .none: return nil
        }
    }

    /// For the terminal: thousands separators on numbers and money, `-` for undefined.
    var display: String {
        switch self {
        case let .int(i): return (i < 0 ? "-" : "") + groupThousands(String(i.magnitude))
        case let .money(m, e): return formatMinorGrouped(m, exponent: e)
        default: return plain ?? "-"
        }
    }

    /// The cell as the CSV writer takes it.
    var csv: CSVCell {
        guard let plain else { return .empty }
        return isNumeric ? .number(plain) : .text(plain)
    }

    var isNumeric: Bool {
        switch self {
        case .int, .money, .ratio: return true
        case .text, .none: return false
        }
    }
}

/// Rows with named columns, rendered as an aligned table, CSV or JSON.
public struct Report: Sendable {
    public var columns: [String]
    public var rows: [[Cell]]
    /// Shown in table format only.
    public var totals: [Cell]?
    /// More totals rows after `totals` (a total per year), in table format only.
    public var moreTotals: [[Cell]] = []

    public init(columns: [String], rows: [[Cell]] = [], totals: [Cell]? = nil) {
        self.columns = columns; self.rows = rows; self.totals = totals
    }

    public func render(_ format: OutputFormat) -> String {
        switch format {
        case .csv: return renderCSV()
        case .json: return renderJSON()
        case .table: return renderTable()
        }
    }

    /// Through the one CSV writer (`CSVWriter`): text cells defused, numbers as they are.
    public func renderCSV() -> String {
        var out = CSVWriter.line(columns.map(CSVCell.text))
        for row in rows { out += CSVWriter.line(row.map(\.csv)) }
        return out
    }

    /// An array of objects; money as JSON numbers written exactly (`1234.50`), undefined as null.
    public func renderJSON() -> String {
        if rows.isEmpty { return "[]\n" }
        var out = "[\n"
        for (n, row) in rows.enumerated() {
            let fields = zip(columns, row).map { name, cell -> String in
                let value: String
                switch cell {
                case let .text(s): value = JSON.string(s).encodedString
                case .none: value = "null"
                default: value = cell.plain ?? "null"
                }
                return JSON.string(name).encodedString + ": " + value
            }
            out += "  {" + fields.joined(separator: ", ") + "}" + (n + 1 < rows.count ? "," : "") + "\n"
        }
        return out + "]\n"
    }

    public func renderTable() -> String {
        var all = rows + moreTotals
        if let totals { all.append(totals) }
        var widths = columns.map(\.count)
        for row in all {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.display.count) }
        }
        let numeric = columns.indices.map { i in rows.contains { i < $0.count && $0[i].isNumeric } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, text in
                let padding = String(repeating: " ", count: max(0, widths[i] - text.count))
                return numeric[i] ? padding + text : text + padding
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var out = line(columns) + "\n"
        out += line(widths.map { String(repeating: "-", count: $0) }) + "\n"
        for row in rows { out += line(row.map(\.display)) + "\n" }
        let totalsRows = (totals.map { [$0] } ?? []) + moreTotals
        if !totalsRows.isEmpty {
            out += line(widths.map { String(repeating: "-", count: $0) }) + "\n"
            for row in totalsRows { out += line(row.map(\.display)) + "\n" }
        }
        return out
    }
}
