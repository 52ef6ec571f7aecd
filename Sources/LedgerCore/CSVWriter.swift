// The one CSV writer: every CSV file tally writes (the reports' --format csv, the payment files, the
// rejects file of an import) is written through it, so that quoting and spreadsheet safety are
// decided once (docs/architecture.md, "where does X live").

/// One cell of a CSV file that tally writes.
public enum CSVCell: Equatable, Sendable {
    /// Names, codes, references, notes, dates: text a spreadsheet must not run. One that starts
    /// like a formula is written with a leading apostrophe (`CSVWriter.defused`).
    case text(String)
    /// Money, counts, ratios: written as they are, so that `-12.00` stays a negative number.
    case number(String)
    /// Nothing (an undefined figure).
    case empty
}

public enum CSVWriter {
    /// One line of cells, with its line break.
    public static func line(_ cells: [CSVCell]) -> String {
        var out = ""
        for (i, cell) in cells.enumerated() {
            if i > 0 { out += "," }
            out += field(cell)
        }
        return out + "\n"
    }

    /// One cell, defused when it is text and quoted when RFC 4180 needs it.
    public static func field(_ cell: CSVCell) -> String {
        switch cell {
        case let .text(text): return quoted(defused(text))
        case let .number(text): return quoted(text)
        case .empty: return ""
        }
    }

    /// A spreadsheet reads a cell that starts with `=`, `+`, `-` or `@` as a formula, and one that
    /// starts with a tab or carriage return can be turned into one: such a text cell gets a
    /// leading apostrophe, which spreadsheets show as text and do not display (OWASP, "CSV
    /// Injection"; the advice of Microsoft and Google). Numbers never pass here.
    public static func defused(_ text: String) -> String {
        guard let first = text.utf8.first, formulaStarts.contains(first) else { return text }
        return "'" + text
    }

    /// `=`, `+`, `-`, `@`, tab, carriage return.
    static let formulaStarts: [UInt8] = [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D]

    /// The text as one RFC 4180 field: quoted when it holds a comma, a quote or a line break.
    static func quoted(_ text: String) -> String {
        guard text.utf8.contains(where: needsQuotes) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Bytes copied from an input file, quoted as RFC 4180 needs and otherwise unchanged (a row of
    /// the rejects file, which must import again as it is once fixed).
    public static func appendQuoted(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        guard bytes.contains(where: needsQuotes) else { out.append(contentsOf: bytes); return }
        out.append(0x22)
        for b in bytes {
            out.append(b)
            if b == 0x22 { out.append(0x22) }
        }
        out.append(0x22)
    }

    @inline(__always)
    private static func needsQuotes(_ b: UInt8) -> Bool { b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D }
}
