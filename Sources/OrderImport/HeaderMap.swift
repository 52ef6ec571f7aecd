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
                throw InputIssue(file: file, line: csv.recordLine, column: i + 1,
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
            throw InputIssue(file: file, line: line, column: 1, found: only,
                             expected: "a comma-separated header; this file uses ';' and looks re-saved by a spreadsheet (Excel): import the original export instead")
        }
        if only.contains("\t") {
            throw InputIssue(file: file, line: line, column: 1, found: only,
                             expected: "a comma-separated header; this file is tab-separated (re-saved by a spreadsheet?): import the original export instead")
        }
    }

    /// The column named `name`, if present. A needed column that appears twice is an error.
    func column(_ name: String) throws(InputIssue) -> Column? {
        let key = name.lowercased()
        if let places = duplicates[key] {
            throw InputIssue(file: file, line: line, column: places[1] + 1, columnName: name,
                             expected: "each column once; '\(name)' is in columns \(places.map { String($0 + 1) }.joined(separator: " and "))")
        }
        return byKey[key].map { Column(index: $0, name: names[$0]) }
    }

    /// The columns named `names`, all of which must be present; the error lists every missing one.
    func required(_ names: [String], layout: String) throws(InputIssue) -> [Column] {
        var found: [Column] = []
        var missing: [String] = []
        for name in names {
            if let c = try column(name) { found.append(c) } else { missing.append(name) }
        }
        guard missing.isEmpty else {
            let list = missing.map { "'\($0)'" }.joined(separator: ", ")
            let seen = self.names.prefix(3).joined(separator: ",")
            throw InputIssue(file: file, line: line, column: 1, found: seen,
                             expected: "\(layout); the header lacks \(list)")
        }
        return found
    }
}

extension CSVError {
    /// The reader's message, with a hint when the bytes are plainly not a text file.
    var withNotCSVHint: CSVError {
        guard message.contains("NUL byte") else { return self }
        return CSVError(line: line, column: column, message: message + ": this is not a CSV text file")
    }
}
