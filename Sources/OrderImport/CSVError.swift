/// Resource limits for `CSVReader`. Every limit bounds memory or work per record,
/// so a hostile or broken file fails fast with a precise error instead of exhausting RAM.
public struct CSVLimits: Sendable {
    /// Longest field, measured on the raw bytes between the quotes (before `""` collapsing).
    public var fieldBytesMax: Int
    /// Longest record, excluding its line terminator. The read buffer never grows past this.
    public var recordBytesMax: Int
    public var fieldsPerRecordMax: Int

    public static let `default` = CSVLimits()

    public init(
        fieldBytesMax: Int = 1 << 20,
        recordBytesMax: Int = 16 << 20,
        fieldsPerRecordMax: Int = 4096
    ) {
        precondition(
            fieldBytesMax > 0 && recordBytesMax > 0 && fieldsPerRecordMax > 0,
            "CSVLimits must be positive")
        self.fieldBytesMax = fieldBytesMax
        self.recordBytesMax = recordBytesMax
        self.fieldsPerRecordMax = fieldsPerRecordMax
    }
}

/// Malformed input or an unreadable file. `line` and `column` are 1-based; both are 0 when the
/// problem is the file itself (missing, unreadable).
public struct CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 1-based physical line where the problem is (0 = not tied to a position).
    public var line: Int
    /// 1-based field index within the record (0 = not tied to a field).
    public var column: Int
    public var message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        if line == 0 { return message }
        if column == 0 { return "line \(line): \(message)" }
        return "line \(line), column \(column): \(message)"
    }
}
