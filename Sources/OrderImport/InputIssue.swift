/// A problem with one value of an input file, reported as
/// `file:line:column: found 'X', expected Y (column 'name')`.
public struct InputIssue: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var columnName: String?
    public var found: String?
    public var expected: String

    public init(file: String, line: Int, column: Int, columnName: String? = nil, found: String? = nil, expected: String)
    {
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
        if let found {
            let shown = isPrivate(found) ? maskedPrivate(found) : found
            text += "found '\(shown.count > 60 ? String(shown.prefix(60)) + "..." : shown)', "
        }
        text += found == nil ? expected : "expected \(expected)"
        if let columnName { text += " (column '\(columnName)')" }
        return text
    }
}

extension InputIssue {
    /// E-mails and payout accounts are never printed, not even malformed or in the wrong column
    /// (a stray comma shifts an e-mail into the status column): by the column's name, or by the
    /// value's shape (text@text, or an IBAN).
    func isPrivate(_ value: String) -> Bool {
        if value.isEmpty { return false }  // "found ''" gives nothing away
        let name = columnName?.lowercased() ?? ""
        if name.contains("email") || name.contains("e-mail") || name.contains("account") { return true }
        return looksLikeEmail(value) || looksLikeIBAN(value)
    }
}

/// `****` and the last 4 characters: enough to find the row, not enough to read the value.
func maskedPrivate(_ value: String) -> String {
    value.count > 8 ? "****" + String(value.suffix(4)) : "****"
}

func looksLikeEmail(_ value: String) -> Bool {
    guard let at = value.firstIndex(of: "@") else { return false }
    return at != value.startIndex && value.index(after: at) != value.endIndex
}

/// Two letters, two digits, then 11 to 30 letters or digits; spaces ignored (ISO 13616).
func looksLikeIBAN(_ value: String) -> Bool {
    let bytes = Array(value.utf8).filter { $0 != 0x20 }
    func isLetter(_ b: UInt8) -> Bool { (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) }
    func isDigit(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) }
    guard (15...34).contains(bytes.count) else { return false }
    return isLetter(bytes[0]) && isLetter(bytes[1]) && isDigit(bytes[2]) && isDigit(bytes[3])
        && bytes.allSatisfy { isLetter($0) || isDigit($0) }
}
