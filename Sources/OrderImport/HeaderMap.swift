import LedgerCore

/// A column the importer reads: its 0-based index in the file and its header name (for messages).
struct Column: Sendable {
    let index: Int
    let name: String
}

/// The header row of an order file: names mapped to indices once, so rows are read by index.
/// Names compare after trimming, case-insensitively (`Financial Status`, `financial status`).
struct HeaderMap: Sendable {
    let file: String
    let names: [String]
    let line: Int
    private let byKey: [String: Int]
    private let duplicates: [String: [Int]]

    /// Reads the header row. Refuses an empty file, a file whose header is not text, and a file
    /// that a spreadsheet re-saved with another delimiter.
    init(file: String, csv: inout CSVReader) throws(InputIssue) {
        self.file = file
        let hasHeader: Bool
        do { hasHeader = try csv.next() } catch { throw InputIssue(file: file, error.withNotCSVHint) }
        guard hasHeader else { throw InputIssue.file(file, "the file is empty; expected a header row") }
        var names: [String] = []
        for i in 0..<csv.fieldCount {
            do { names.append(try csv.validatedString(i).trimmingASCIISpaces()) } catch {
                throw InputIssue(
                    file: file, line: csv.recordLine, column: i + 1,
                    expected: "a UTF-8 header name; this does not look like a CSV text file")
            }
        }
        self.names = names
        self.line = csv.recordLine
        var byKey: [String: Int] = [:]
        var duplicates: [String: [Int]] = [:]
        for (i, name) in names.enumerated() {
            let key = name.lowercased()
            if let first = byKey[key] { duplicates[key, default: [first]].append(i) } else { byKey[key] = i }
        }
        self.byKey = byKey
        self.duplicates = duplicates
        if names.count == 1 { try rejectOtherDelimiters(names[0]) }
    }

    private func rejectOtherDelimiters(_ only: String) throws(InputIssue) {
        if only.contains(";") {
            throw InputIssue(
                file: file, line: line, column: 1, found: only,
                expected: "a comma-separated header; "
                    + "this file uses ';' and looks re-saved by a spreadsheet (Excel): "
                    + "import the original export instead")
        }
        if only.contains("\t") {
            throw InputIssue(
                file: file, line: line, column: 1, found: only,
                expected: "a comma-separated header; "
                    + "this file is tab-separated (re-saved by a spreadsheet?): "
                    + "import the original export instead")
        }
    }

    /// Other spellings of a column that genuine exports have used (lower-cased), found as if they
    /// were the name itself: Shopify's export and its documentation write `Cancelled at` and
    /// `Canceled at`. (The other variants known from Shopify, `Lineitem SKU`, `Lineitem compare-at
    /// price`, `Payment Reference (deprecated)`, `Payment References`, are of columns no importer
    /// reads, and a header is matched by name, so a `Phone` column in second place changes nothing.)
    static let variants: [String: [String]] = ["cancelled at": ["canceled at"]]

    /// The column named `name` (or one of its `variants`), if present. A needed column that
    /// appears twice, under one spelling or two, is an error.
    func column(_ name: String) throws(InputIssue) -> Column? {
        var found: [Int] = []
        for key in [name.lowercased()] + (Self.variants[name.lowercased()] ?? []) {
            if let places = duplicates[key] { found += places } else if let i = byKey[key] { found.append(i) }
        }
        if found.count > 1 {
            let places = found.sorted()
            let spelled = Set(places.map { names[$0] }).sorted().map { "'\($0)'" }.joined(separator: " and ")
            throw InputIssue(
                file: file, line: line, column: places[1] + 1, columnName: name,
                expected: "each column once; \(spelled) is in columns "
                    + places.map { String($0 + 1) }.joined(separator: " and "))
        }
        return found.first.map { Column(index: $0, name: names[$0]) }
    }

    /// The columns named `names`, all of which must be present; the error lists every missing one
    /// with the header closest to it (`reads`: the other columns the dialect reads, never offered
    /// as the closest).
    /// `dialect`: the kind the command reads (`recognizeFile`'s name for it): a header of another
    /// kind is named as such instead.
    func required(_ names: [String], layout: String, reads: [String] = [], dialect: String) throws(InputIssue)
        -> [Column]
    {
        var found: [Column] = []
        var missing: [String] = []
        for name in names {
            if let c = try column(name) { found.append(c) } else { missing.append(name) }
        }
        guard missing.isEmpty else {
            throw missingColumns(missing, layout: layout, reads: names + reads, dialect: dialect)
        }
        return found
    }

    /// `... the header lacks 'Discount Code' (closest header: 'Discount Codes', column 13)`, at the
    /// closest header of the first missing column.
    func missingColumns(_ missing: [String], layout: String, reads: [String], dialect: String) -> InputIssue {
        if let other = recognizeFile(names, file: file, except: dialect) {
            return InputIssue(file: file, line: line, column: 0, expected: "\(layout); \(other.hint)")
        }
        let taken = Set(reads.flatMap { [$0.lowercased()] + (Self.variants[$0.lowercased()] ?? []) })
        var free = names.enumerated().filter { !$0.element.isEmpty && !taken.contains($0.element.lowercased()) }
        var at = 1
        let list = missing.map { name -> String in
            // `Total (USD)` for `Total`: a currency or unit added in brackets, before any spelling guess.
            let bracketed = free.first { $0.element.lowercased().hasPrefix(name.lowercased() + " (") }?.element
            guard let near = bracketed ?? closestMatch(to: name, among: free.map(\.element)),
                let k = free.firstIndex(where: { $0.element == near })
            else { return "'\(name)'" }
            let i = free.remove(at: k).offset  // each header is offered once
            if at == 1 && name == missing[0] { at = i + 1 }
            return "'\(name)' (closest header: '\(near)', column \(i + 1))"
        }
        let one = missing.count == 1
        return InputIssue(
            file: file, line: line, column: at,
            expected: "\(layout); the header lacks \(list.joined(separator: ", ")): "
                + "\(one ? "a column" : "columns") that decide\(one ? "s" : "") attribution, test orders, "
                + "status, refunds, cancellation or money cannot be left out (rename the header if it is "
                + "there under another name; docs/importing.md lists the required columns)")
    }
}

extension CSVError {
    /// The reader's message, with a hint when the bytes are plainly not a text file.
    var withNotCSVHint: CSVError {
        guard message.contains("NUL byte") else { return self }
        return CSVError(line: line, column: column, message: message + ": this is not a CSV text file")
    }
}
