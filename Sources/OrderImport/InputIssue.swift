/// A problem with one value of an input file, reported as
/// `file:line:column: found 'X', expected Y (column 'name')`.
public struct InputIssue: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var columnName: String?
    public var found: String?
    public var expected: String

    public init(file: String, line: Int, column: Int, columnName: String? = nil, found: String? = nil, expected: String) {
        self.file = file; self.line = line; self.column = column; self.columnName = columnName
        self.found = found; self.expected = expected
    }

    /// A file-level problem (no line): `file: message`.
    public static func file(_ file: String, _ message: String) -> InputIssue {
        InputIssue(file: file, line: 0, column: 0, expected: message)
    }

    public init(file: String, _ error: CSVError) {
        self.init(file: file, line: error.line, column: error.column, expected: error.message)
    }

    public var description: String {
        var text = file
        if line > 0 { text += ":\(line)" + (column > 0 ? ":\(column)" : "") }
        text += ": "
        if let found { text += "found '\(found.count > 60 ? String(found.prefix(60)) + "..." : found)', " }
        text += found == nil ? expected : "expected \(expected)"
        if let columnName { text += " (column '\(columnName)')" }
        return text
    }
}
