#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Bytes that matter to the grammar.
private let asciiQuote: UInt8 = 0x22
private let asciiComma: UInt8 = 0x2C
private let asciiLF: UInt8 = 0x0A
private let asciiCR: UInt8 = 0x0D
private let asciiNUL: UInt8 = 0x00

/// An over-long quoted field usually means a closing quote is missing; say where it opened.
private let quotedFieldHint = " (quoted field opened here; is a quote missing?)"

/// Where field `i` of the current record lives in the buffer.
@usableFromInline
struct FieldSpan {
    @usableFromInline var start: Int
    @usableFromInline var end: Int
    /// Contains doubled quotes that still have to be collapsed.
    @usableFromInline var escaped: Bool
}

/// Where parsing stopped when the buffer ran out mid-record; used only to enforce the
/// field limit early, before the buffer is grown for an oversized (or unterminated) field.
private struct PartialField {
    var contentStart = 0
    var index = 0
    var line = 0
    var quoted = false
}

/// A streaming RFC 4180 reader over UTF-8 bytes (comma-delimited, `"` quoting).
///
/// Grammar and leniencies:
/// - A UTF-8 BOM at the very start is skipped.
/// - Records end at LF, CRLF or a lone CR outside quotes; inside quotes they are data.
/// - The last record may lack a final newline. The zero-length remainder after the last line
///   terminator is not a record, but an empty line (`\n` alone) anywhere else is a record with
///   one empty field; callers decide whether to skip or reject it.
/// - A field is quoted only if its first byte is `"`. Inside, `""` is a literal quote.
///   After the closing quote only `,`, a line terminator or EOF may follow (strict).
/// - A `"` in the middle of an unquoted field (`ab"c`) is kept as data: real exports
///   (hand-edited sheets, `12" pizza`) contain them and rejecting would gain nothing.
/// - A NUL byte anywhere is an error: a binary file is not CSV.
///
/// Memory is bounded: one buffer (≥ the chunk size, 1 MiB for files) that grows only while a
/// single record does not fit, up to `limits.recordBytesMax`. A record cut by the end of the
/// buffer is moved to the front and parsed again from its start after the next read, so no
/// parse state has to survive a refill. `""` is collapsed in place only once a record is
/// complete, which keeps that re-parse correct.
public struct CSVReader: ~Copyable {
    private let limits: CSVLimits
    /// Upper bound per read from an in-memory source (lets tests force tiny chunks).
    private let chunkBytes: Int
    /// File size when reading a regular file.
    public let totalBytes: Int?

    // Input: a file descriptor, or (when fd < 0) an in-memory array.
    private let fd: Int32
    private let source: [UInt8]
    private var sourcePos = 0
    private var eof = false

    // Buffer: bytes [0, dataEnd) are valid; buf[dataEnd] always holds an LF sentinel so the
    // unquoted scan needs no bounds check. Allocated with capacity + 1 bytes.
    @usableFromInline internal private(set) var buf: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var dataEnd = 0
    /// File offset of buf[0].
    private var bufferFileOffset = 0

    // Current record.
    @usableFromInline internal private(set) var spans: UnsafeMutablePointer<FieldSpan>
    private var spanCapacity: Int
    public private(set) var fieldCount = 0
    /// 1-based physical line at which the current record starts.
    public private(set) var recordLine = 0
    /// 0-based record number; the header is record 0.
    public private(set) var recordIndex = -1
    private var recStart = 0
    private var recEnd = 0
    private var nextLine = 1
    private var started = false
    private var failure: CSVError?
    private var partial = PartialField()

    /// Opens `path` for streaming with `read(2)` in chunks of 1 MiB.
    public init(path: String, limits: CSVLimits = .default) throws(CSVError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw CSVError(line: 0, column: 0, message: "cannot open '\(path)': \(errnoText())")
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let text = errnoText()
            close(fd)
            throw CSVError(line: 0, column: 0, message: "cannot stat '\(path)': \(text)")
        }
        let kind = st.st_mode & S_IFMT
        if kind == S_IFDIR {
            close(fd)
            throw CSVError(line: 0, column: 0, message: "cannot read '\(path)': is a directory")
        }
        let size = kind == S_IFREG ? Int(st.st_size) : nil
        if kind == S_IFREG {
            var magic = [UInt8](repeating: 0, count: 8)
            let got = magic.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 8, 0) }
            if got > 0, let workbook = Self.workbook(Array(magic.prefix(got))) {
                close(fd)
                throw CSVError(line: 1, column: 1, message: workbook)
            }
        }
        self.init(
            fd: fd, source: [], limits: limits, chunkBytes: 1 << 20,
            capacity: 1 << 20, totalBytes: size)
    }

    /// What a file that starts with `magic` is when it is a spreadsheet's own format rather than CSV
    /// (a workbook saved as it is, or renamed to .csv): said before any byte is read as a field, where
    /// the reader would stop at the first NUL byte with little to go on. Nil for anything else.
    static func workbook(_ magic: [UInt8]) -> String? {
        let save = "not a CSV text file: save it as CSV (in Excel: File > Save As > CSV UTF-8) and give that file"
        if magic.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            return "this is an Excel workbook or another zip archive (.xlsx, .ods, .numbers), " + save
        }
        if magic.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return "this is an old Excel workbook (.xls), " + save
        }
        return nil
    }

    /// Parses an in-memory byte array.
    public init(bytes: [UInt8], limits: CSVLimits = .default) {
        self.init(bytes: bytes, limits: limits, chunkBytes: 1 << 20)
    }

    /// Test hook: delivers the input at most `chunkBytes` at a time and starts with a buffer of
    /// that size, so chunk-boundary and buffer-growth paths run on small inputs.
    init(bytes: [UInt8], limits: CSVLimits, chunkBytes: Int) {
        precondition(chunkBytes > 0, "chunkBytes must be positive")
        self.init(
            fd: -1, source: bytes, limits: limits, chunkBytes: chunkBytes,
            capacity: min(chunkBytes, bytes.count), totalBytes: bytes.count)
    }

    private init(
        fd: Int32, source: [UInt8], limits: CSVLimits, chunkBytes: Int,
        capacity: Int, totalBytes: Int?
    ) {
        self.fd = fd
        self.source = source
        self.limits = limits
        self.chunkBytes = chunkBytes
        self.totalBytes = totalBytes
        // At least 4 bytes so the 3-byte BOM can be inspected in one buffer.
        self.capacity = max(capacity, 4)
        self.buf = .allocate(capacity: self.capacity + 1)
        self.buf[0] = asciiLF
        self.spanCapacity = min(64, limits.fieldsPerRecordMax)
        self.spans = .allocate(capacity: spanCapacity)
    }

    deinit {
        buf.deallocate()
        spans.deallocate()
        if fd >= 0 { close(fd) }
    }

    /// Bytes of input consumed up to the end of the current record (BOM included).
    public var bytesConsumed: Int { bufferFileOffset + recEnd }

    // MARK: - Advancing

    /// Advances to the next record. Returns false at end of input. After an error every
    /// further call rethrows it: the position inside a malformed record is not trustworthy.
    public mutating func next() throws(CSVError) -> Bool {
        if let failure { throw failure }
        do throws(CSVError) {
            return try advance()
        } catch {
            failure = error
            fieldCount = 0
            throw error
        }
    }

    private mutating func advance() throws(CSVError) -> Bool {
        if !started { try start() }
        recStart = recEnd
        fieldCount = 0
        // Each turn either completes a record or reads at least one more byte of it (or hits
        // EOF); refill() throws once the record exceeds recordBytesMax, which bounds the loop.
        while true {
            if recStart == dataEnd && eof { return false }
            if try parseRecord() {
                recordIndex += 1
                return true
            }
            try refill()
        }
    }

    /// Fills enough of the buffer to decide on the BOM, and skips it.
    private mutating func start() throws(CSVError) {
        started = true
        while dataEnd < 3 && !eof { try fill() }
        if dataEnd >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF {
            recEnd = 3
        }
    }

    // MARK: - Parsing one record

    /// Parses the record at `recStart`. Returns false if the buffer ends before the record
    /// does and more input may follow; nothing is kept in that case, the record is parsed
    /// again from its start after `refill()`.
    private mutating func parseRecord() throws(CSVError) -> Bool {
        let base = buf
        let end = dataEnd
        let atEOF = eof
        let fieldsMax = limits.fieldsPerRecordMax
        var line = nextLine
        var p = recStart
        var n = 0
        var anyEscaped = false
        while true {  // one field per turn; bounded by fieldsPerRecordMax
            guard n < fieldsMax else {
                throw CSVError(line: line, column: n + 1, message: "more than \(fieldsMax) fields")
            }
            if n == spanCapacity { growSpans() }
            let fieldLine = line
            let quoted = base[p] == asciiQuote
            guard
                let span = try scanField(
                    base, at: p, quoted: quoted, end: end, atEOF: atEOF,
                    line: &line, column: n + 1)
            else { return needMore(p + 1, n, fieldLine, quoted: true) }
            spans[n] = span
            n += 1
            anyEscaped = anyEscaped || span.escaped
            // The byte after the field; a quoted field's closing quote is skipped.
            let t = quoted ? span.end + 1 : span.end
            switch try Self.fieldEnd(base, at: t, end: end, atEOF: atEOF, line: line, column: n) {
            case .nextField:
                p = t + 1
            case .needMore:
                return needMore(span.start, n - 1, fieldLine, quoted: quoted)
            case .recordEnd(let next, let lineBreaks):
                try finish(fields: n, contentEnd: t, next: next, line: line + lineBreaks, anyEscaped)
                return true
            }
        }
    }

    /// Scans the field whose first byte is at `p` and checks its length. Returns nil if the
    /// buffer ends inside a quoted field and more input may follow.
    @inline(__always)
    private func scanField(
        _ base: UnsafeMutablePointer<UInt8>, at p: Int, quoted: Bool, end: Int,
        atEOF: Bool, line: inout Int, column: Int
    ) throws(CSVError) -> FieldSpan? {
        let fieldLine = line
        var span: FieldSpan
        if quoted {
            guard let close = try scanQuoted(base, open: p, end: end, line: &line, column: column) else {
                if !atEOF { return nil }
                throw CSVError(line: fieldLine, column: column, message: "unterminated quoted field (opened here)")
            }
            span = FieldSpan(start: p + 1, end: close.end, escaped: close.escaped)
        } else {
            span = FieldSpan(start: p, end: Self.scanUnquoted(base, p), escaped: false)
        }
        if span.end - span.start > limits.fieldBytesMax {
            // Same message as the early check in checkPartialLimits(), whatever the read size.
            throw CSVError(
                line: fieldLine, column: column,
                message: "field longer than \(limits.fieldBytesMax) bytes\(quoted ? quotedFieldHint : "")")
        }
        return span
    }

    private enum FieldEnd {
        case nextField
        case needMore
        /// `next` is where the following record starts.
        case recordEnd(next: Int, lineBreaks: Int)
    }

    /// Classifies the byte at `t`, right after a field: a delimiter, a record end (LF, CRLF,
    /// lone CR, EOF), or an error. `column` is the 1-based index of the field just read.
    @inline(__always)
    private static func fieldEnd(
        _ base: UnsafeMutablePointer<UInt8>, at t: Int, end: Int, atEOF: Bool,
        line: Int, column: Int
    ) throws(CSVError) -> FieldEnd {
        if t == end { return atEOF ? .recordEnd(next: end, lineBreaks: 0) : .needMore }
        switch base[t] {
        case asciiComma:
            return .nextField
        case asciiLF:
            return .recordEnd(next: t + 1, lineBreaks: 1)
        case asciiCR:
            // A CR at the end of the buffer may be the first half of CRLF.
            if t + 1 == end { return atEOF ? .recordEnd(next: end, lineBreaks: 1) : .needMore }
            return .recordEnd(next: base[t + 1] == asciiLF ? t + 2 : t + 1, lineBreaks: 1)
        case asciiNUL:
            throw CSVError(line: line, column: column, message: "NUL byte in field")
        default:  // only reachable right after a closing quote
            throw CSVError(line: line, column: column, message: "unexpected character after closing quote")
        }
    }

    /// Scans an unquoted field from `from`; returns the index of the `,` CR LF or NUL that ends
    /// it, or of the LF sentinel at `dataEnd`.
    @inline(__always)
    private static func scanUnquoted(_ base: UnsafeMutablePointer<UInt8>, _ from: Int) -> Int {
        var i = from
        while true {  // bounded by the sentinel at dataEnd
            let b = base[i]
            // Fast path: every special byte is <= ','; letters and digits are above it.
            if b > asciiComma { i += 1; continue }
            if b == asciiComma || b == asciiLF || b == asciiCR || b == asciiNUL { return i }
            i += 1
        }
    }

    /// Finds the end of the quoted field whose opening quote is at `open`, skipping `""` pairs,
    /// and advances `line` over the line breaks inside it. Returns nil if the buffer ends first.
    /// `end` is the index of the closing quote.
    @inline(__always)
    private func scanQuoted(
        _ base: UnsafeMutablePointer<UInt8>, open: Int, end: Int,
        line: inout Int, column: Int
    ) throws(CSVError) -> (end: Int, escaped: Bool)? {
        var q = open + 1
        var escaped = false
        while true {  // one `""` pair per turn; bounded by the buffer
            guard let hit = memchr(base + q, Int32(asciiQuote), end - q) else { return nil }
            let close = q + UnsafeMutableRawPointer(base + q).distance(to: hit)
            line += try Self.lineBreaks(base, q, close, firstLine: line, column: column)
            // base[close + 1] is readable: data or the LF sentinel.
            guard base[close + 1] == asciiQuote else { return (close, escaped) }
            escaped = true
            q = close + 2
        }
    }

    /// Counts line breaks (LF, CRLF, lone CR) in quoted data [from, to), where base[to] is a
    /// quote, and rejects NUL bytes. The common case (no CR, no NUL) is one branch-free pass.
    @inline(__always)
    private static func lineBreaks(
        _ base: UnsafeMutablePointer<UInt8>, _ from: Int, _ to: Int,
        firstLine: Int, column: Int
    ) throws(CSVError) -> Int {
        var lf = 0, cr = 0, nul = 0
        for i in from..<to {
            let b = base[i]
            lf &+= b == asciiLF ? 1 : 0
            cr &+= b == asciiCR ? 1 : 0
            nul &+= b == asciiNUL ? 1 : 0
        }
        if nul == 0 && cr == 0 { return lf }
        return try slowLineBreaks(base, from, to, firstLine: firstLine, column: column)
    }

    /// Exact count for spans containing CR (CRLF counts once) or NUL (error at its line).
    private static func slowLineBreaks(
        _ base: UnsafeMutablePointer<UInt8>, _ from: Int, _ to: Int,
        firstLine: Int, column: Int
    ) throws(CSVError) -> Int {
        var breaks = 0
        for i in from..<to {
            switch base[i] {
            case asciiNUL:
                throw CSVError(line: firstLine + breaks, column: column, message: "NUL byte in field")
            case asciiLF:
                breaks += 1
            case asciiCR where base[i + 1] != asciiLF:
                breaks += 1
            default:
                break
            }
        }
        return breaks
    }

    /// Records where the parse stopped (for early limit checks) and asks for more input.
    private mutating func needMore(_ contentStart: Int, _ index: Int, _ line: Int, quoted: Bool) -> Bool {
        partial = PartialField(contentStart: contentStart, index: index, line: line, quoted: quoted)
        return false
    }

    /// Publishes a complete record.
    private mutating func finish(
        fields n: Int, contentEnd: Int, next: Int, line: Int,
        _ anyEscaped: Bool
    ) throws(CSVError) {
        if contentEnd - recStart > limits.recordBytesMax {
            throw CSVError(
                line: nextLine, column: 0,
                message: "record longer than \(limits.recordBytesMax) bytes")
        }
        fieldCount = n
        recEnd = next
        recordLine = nextLine
        nextLine = line
        if anyEscaped { unescapeFields() }
    }

    /// Collapses `""` to `"` in place. Safe only on a complete record: a record that is still
    /// cut by the buffer end is parsed again from the original bytes.
    private mutating func unescapeFields() {
        for i in 0..<fieldCount where spans[i].escaped {
            spans[i].end = Self.collapseQuotes(buf, spans[i].start, spans[i].end)
            spans[i].escaped = false
        }
    }

    /// Collapses each `""` in [start, end) to `"`, moving runs with memmove; returns the new end.
    private static func collapseQuotes(_ base: UnsafeMutablePointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var r = start
        var w = start
        // Inside quotes every quote is the first of a pair: keep it, skip its twin.
        while let hit = memchr(base + r, Int32(asciiQuote), end - r) {  // bounded by `end`
            let run = UnsafeMutableRawPointer(base + r).distance(to: hit) + 1
            memmove(base + w, base + r, run)
            w += run
            r += run + 1
        }
        memmove(base + w, base + r, end - r)
        return w + (end - r)
    }

    private mutating func growSpans() {
        let newCapacity = min(spanCapacity * 2, limits.fieldsPerRecordMax)
        let grown = UnsafeMutablePointer<FieldSpan>.allocate(capacity: newCapacity)
        grown.moveInitialize(from: spans, count: spanCapacity)
        spans.deallocate()
        spans = grown
        spanCapacity = newCapacity
    }

    // MARK: - Input

    /// Makes room for and reads more input for the record at `recStart`.
    private mutating func refill() throws(CSVError) {
        try checkPartialLimits()
        if recStart > 0 {
            compact()
        } else if dataEnd == capacity {
            grow()
        }
        try fill()
    }

    /// Rejects an oversized record or field before growing the buffer for it.
    private func checkPartialLimits() throws(CSVError) {
        // Slack of 2: the partial data may end with a closing quote and a CR.
        if dataEnd - partial.contentStart > limits.fieldBytesMax + 2 {
            throw CSVError(
                line: partial.line, column: partial.index + 1,
                message: "field longer than \(limits.fieldBytesMax) bytes\(partial.quoted ? quotedFieldHint : "")")
        }
        if dataEnd - recStart > limits.recordBytesMax + 2 {
            throw CSVError(
                line: nextLine, column: 0,
                message: "record longer than \(limits.recordBytesMax) bytes")
        }
    }

    /// Moves the partial record to the front of the buffer.
    private mutating func compact() {
        let keep = dataEnd - recStart
        memmove(buf, buf + recStart, keep)
        bufferFileOffset += recStart
        dataEnd = keep
        recStart = 0
        recEnd = 0
        buf[dataEnd] = asciiLF
    }

    /// Doubles the buffer; only called when one record fills all of it.
    private mutating func grow() {
        // +3 leaves room for a record of exactly recordBytesMax plus CRLF and one more byte.
        let newCapacity = max(capacity + 1, min(capacity * 2, limits.recordBytesMax + 3))
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity + 1)
        grown.initialize(from: buf, count: dataEnd + 1)
        buf.deallocate()
        buf = grown
        capacity = newCapacity
    }

    /// Appends one read's worth of input after `dataEnd`; sets `eof` when the source is done.
    private mutating func fill() throws(CSVError) {
        let room = capacity - dataEnd
        precondition(room > 0, "fill() called with a full buffer")
        if fd >= 0 {
            dataEnd += try readFile(into: buf + dataEnd, room)
        } else {
            dataEnd += copySource(into: buf + dataEnd, room)
        }
        buf[dataEnd] = asciiLF
    }

    private mutating func readFile(into dest: UnsafeMutablePointer<UInt8>, _ room: Int) throws(CSVError) -> Int {
        var n: Int
        repeat {  // retry only on EINTR
            n = read(fd, dest, room)
        } while n < 0 && errno == EINTR
        if n < 0 {
            throw CSVError(line: nextLine, column: 0, message: "read error: \(errnoText())")
        }
        if n == 0 { eof = true }
        return n
    }

    private mutating func copySource(into dest: UnsafeMutablePointer<UInt8>, _ room: Int) -> Int {
        let n = min(room, chunkBytes, source.count - sourcePos)
        let from = sourcePos
        if n > 0 {
            source.withUnsafeBufferPointer { src in dest.initialize(from: src.baseAddress! + from, count: n) }
        }
        sourcePos += n
        if sourcePos == source.count { eof = true }
        return n
    }

    // MARK: - Field access

    /// The raw bytes of field `i` (quotes removed, `""` collapsed). Valid until `next()`.
    // Inlinable so callers in other modules (the benchmark) get the closure inlined too.
    @inlinable
    public func withField<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        precondition(i >= 0 && i < fieldCount, "field index \(i) out of range 0..<\(fieldCount)")
        let span = spans[i]
        return try body(UnsafeBufferPointer(start: buf + span.start, count: span.end - span.start))
    }

    /// Field `i` decoded as UTF-8; invalid sequences become U+FFFD.
    @inlinable
    public func string(_ i: Int) -> String {
        withField(i) { String(decoding: $0, as: UTF8.self) }
    }

    /// Field `i` decoded as UTF-8, or an error at this record's line and field if it is not valid.
    public func validatedString(_ i: Int) throws(CSVError) -> String {
        let decoded = withField(i) { String(validating: $0, as: UTF8.self) }
        guard let decoded else {
            throw CSVError(line: recordLine, column: i + 1, message: "invalid UTF-8")
        }
        return decoded
    }

    @inlinable
    public func isEmpty(_ i: Int) -> Bool {
        precondition(i >= 0 && i < fieldCount, "field index \(i) out of range 0..<\(fieldCount)")
        return spans[i].start == spans[i].end
    }
}

private func errnoText() -> String {
    String(cString: strerror(errno))
}
