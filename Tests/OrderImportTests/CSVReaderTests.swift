#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Testing
@testable import OrderImport
import TestSupport

// MARK: - Helpers

/// Everything observable about a full parse, so parses with different chunk sizes can be compared.
struct Parsed: Equatable {
    var fields: [[[UInt8]]] = []
    var lines: [Int] = []
    var consumed = 0

    var strings: [[String]] { fields.map { $0.map { String(decoding: $0, as: UTF8.self) } } }
}

let bigChunk = 1 << 20

func parse(_ bytes: [UInt8], chunk: Int = bigChunk, limits: CSVLimits = .default) throws(CSVError) -> Parsed {
    var reader = CSVReader(bytes: bytes, limits: limits, chunkBytes: chunk)
    return try drain(&reader)
}

func parse(_ text: String, chunk: Int = bigChunk, limits: CSVLimits = .default) throws(CSVError) -> Parsed {
    try parse(Array(text.utf8), chunk: chunk, limits: limits)
}

func drain(_ reader: inout CSVReader) throws(CSVError) -> Parsed {
    var out = Parsed()
    while try reader.next() {
        #expect(reader.recordIndex == out.fields.count)
        var record: [[UInt8]] = []
        for i in 0..<reader.fieldCount {
            record.append(reader.withField(i) { Array($0) })
        }
        out.fields.append(record)
        out.lines.append(reader.recordLine)
    }
    out.consumed = reader.bytesConsumed
    return out
}

func records(_ text: String, chunk: Int = bigChunk) throws(CSVError) -> [[String]] {
    try parse(text, chunk: chunk).strings
}

func parseError(_ text: String, chunk: Int = bigChunk, limits: CSVLimits = .default) -> CSVError? {
    do {
        _ = try parse(text, chunk: chunk, limits: limits)
        return nil
    } catch {
        return error
    }
}

// MARK: - Encoding, BOM, line endings

@Test func bomIsSkippedOnlyAtTheStart() throws {
    #expect(try records("\u{FEFF}a,b\n1,2\n") == [["a", "b"], ["1", "2"]])
    #expect(try records("a\n\u{FEFF}b\n") == [["a"], ["\u{FEFF}b"]])
    #expect(try records("\u{FEFF}") == [])
    let withBOM = try parse("\u{FEFF}x\n", chunk: 1)
    #expect(withBOM.strings == [["x"]])
    #expect(withBOM.consumed == 5)
}

@Test(arguments: [
    ("a,b\nc,d\n", [1, 2]),
    ("a,b\r\nc,d\r\n", [1, 2]),
    ("a,b\rc,d\r", [1, 2]),
    ("a,b\r\nc,d\re,f\ng,h", [1, 2, 3, 4])
])
func lineEndings(text: String, lines: [Int]) throws {
    let parsed = try parse(text)
    let expected = [["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"]].prefix(lines.count)
    #expect(parsed.strings == Array(expected))
    #expect(parsed.lines == lines)
}

@Test func lineBreaksInsideQuotesAreData() throws {
    let parsed = try parse("\"x\r\ny\",z\r\n\"p\rq\nr\"\r\nnext\r\n")
    #expect(parsed.fields[0] == [Array("x\r\ny".utf8), Array("z".utf8)])
    #expect(parsed.fields[1] == [Array("p\rq\nr".utf8)])
    #expect(parsed.strings[2] == ["next"])
    #expect(parsed.lines == [1, 3, 6])
}

@Test func recordLineCountsEmbeddedNewlines() throws {
    let parsed = try parse("h\n\"a\nb\nc\",x\ny\n\"p\r\nq\rr\"\nz")
    #expect(parsed.strings.map(\.count) == [1, 2, 1, 1, 1])
    #expect(parsed.lines == [1, 2, 5, 6, 9])
}

// MARK: - Quoting and empty fields

@Test func doubledQuotesCollapse() throws {
    #expect(try records("\"a\"\"b\",\"\"\"\",\"\"\"x\"\"\"\n") == [["a\"b", "\"", "\"x\""]])
    // Escapes are collapsed per field; neighbours keep their positions.
    #expect(try records("\"\"\"\"\"\",plain,\"q\"\"\"\n") == [["\"\"", "plain", "q\""]])
}

@Test func emptyFields() throws {
    var reader = CSVReader(bytes: Array(",,x,\n".utf8))
    #expect(try reader.next())
    #expect(reader.fieldCount == 4)
    #expect((0..<4).map { reader.isEmpty($0) } == [true, true, false, true])
    #expect(try records("a,,b") == [["a", "", "b"]])
}

@Test func quotedEmptyField() throws {
    #expect(try records("\"\"\n") == [[""]])
    #expect(try records("\"\",\"\"") == [["", ""]])
    var reader = CSVReader(bytes: Array("\"\",x".utf8))
    #expect(try reader.next())
    #expect(reader.isEmpty(0) && !reader.isEmpty(1))
}

@Test func trailingEmptyField() throws {
    #expect(try records("a,b,\n") == [["a", "b", ""]])
    #expect(try records("a,b,") == [["a", "b", ""]])
    #expect(try records("a,\"b\",\r\n") == [["a", "b", ""]])
}

@Test func finalNewlineIsOptional() throws {
    #expect(try records("a,b\nc,d") == [["a", "b"], ["c", "d"]])
    #expect(try records("a\n\"c\"") == [["a"], ["c"]])
    #expect(try records("a\n") == [["a"]])
    // Only the zero-length remainder after the last terminator is dropped; a blank line is a record.
    #expect(try records("a\n\n") == [["a"], [""]])
    #expect(try records("") == [])
}

@Test func emptyLineInTheMiddleIsOneEmptyField() throws {
    let parsed = try parse("a\n\nb\r\n\r\nc\n")
    #expect(parsed.strings == [["a"], [""], ["b"], [""], ["c"]])
    #expect(parsed.lines == [1, 2, 3, 4, 5])
}

@Test func bareQuoteInsideUnquotedFieldIsData() throws {
    #expect(try records("ab\"c,12\" pizza,d\"\n") == [["ab\"c", "12\" pizza", "d\""]])
}

// MARK: - Errors

@Test func unterminatedQuoteReportsWhereItOpened() {
    let expected = CSVError(line: 3, column: 1, message: "unterminated quoted field (opened here)")
    #expect(parseError("h\nok\n\"abc\ndef\n") == expected)
    #expect(parseError("h\nok\n\"abc\ndef\n", chunk: 3) == expected)
    #expect(parseError("a,\"x\"\"") == CSVError(line: 1, column: 2, message: "unterminated quoted field (opened here)"))
}

@Test func junkAfterClosingQuote() {
    let message = "unexpected character after closing quote"
    #expect(parseError("a,b\n\"x\"y,z\n") == CSVError(line: 2, column: 1, message: message))
    #expect(parseError("a,\"x\" ,z\n") == CSVError(line: 1, column: 2, message: message))
    #expect(parseError("h\n\"a\nb\"c\n") == CSVError(line: 3, column: 1, message: message))
}

@Test(arguments: [1, 2, 3, bigChunk])
func fieldTooLong(chunk: Int) throws {
    let limits = CSVLimits(fieldBytesMax: 4)
    #expect(try parse("abcd,\"wxyz\"\n", chunk: chunk, limits: limits).fields.count == 1)
    let error = CSVError(line: 2, column: 2, message: "field longer than 4 bytes")
    #expect(parseError("a\nb,abcde,c\n", chunk: chunk, limits: limits) == error)
    #expect(parseError("a\nb,\"abcde\"\n", chunk: chunk, limits: limits)?.column == 2)
}

@Test func tooManyFields() throws {
    let limits = CSVLimits(fieldsPerRecordMax: 3)
    #expect(try parse("a,b,c\n", limits: limits).fields == [[[97], [98], [99]]])
    let error = CSVError(line: 2, column: 4, message: "more than 3 fields")
    #expect(parseError("x\na,b,c,d\n", limits: limits) == error)
    #expect(parseError("x\na,b,c,", limits: limits) == error)
}

@Test(arguments: [1, 4, bigChunk])
func recordTooLong(chunk: Int) throws {
    let limits = CSVLimits(recordBytesMax: 5)
    #expect(try parse("ab,cd\r\nx", chunk: chunk, limits: limits).fields.count == 2)
    let error = CSVError(line: 2, column: 0, message: "record longer than 5 bytes")
    #expect(parseError("x\nab,cde\n", chunk: chunk, limits: limits) == error)
}

@Test func nulByteIsAnError() {
    let message = "NUL byte in field"
    #expect(parseError("a\0b\n") == CSVError(line: 1, column: 1, message: message))
    #expect(parseError("x,y\0\n") == CSVError(line: 1, column: 2, message: message))
    #expect(parseError("x\n\"a\nb\0\"\n") == CSVError(line: 3, column: 1, message: message))
    #expect(parseError("\"a\"\0\n") == CSVError(line: 1, column: 1, message: message))
}

@Test func errorsAreSticky() {
    var reader = CSVReader(bytes: Array("ok\n\"x\"y\nmore\n".utf8))
    #expect(throws: Never.self) { _ = try reader.next() }
    let first = #expect(throws: CSVError.self) { _ = try reader.next() }
    let second = #expect(throws: CSVError.self) { _ = try reader.next() }
    #expect(first == second)
}

@Test func invalidUTF8IsDetectedOnDemand() throws {
    var reader = CSVReader(bytes: [0x61, 0x2C, 0xFF, 0x62, 0x2C, 0xC3, 0xA9, 0x0A])
    #expect(try reader.next())
    #expect(reader.string(1) == "\u{FFFD}b")
    #expect(try reader.validatedString(2) == "é")
    #expect(throws: CSVError(line: 1, column: 2, message: "invalid UTF-8")) {
        _ = try reader.validatedString(1)
    }
}

// MARK: - Chunk boundaries and buffer growth

/// Every construct next to every possible chunk boundary: BOM, CRLF split, CR at a chunk end,
/// escapes, embedded line breaks, empty fields, a record larger than the chunk, no final newline.
let trickyInput =
    "\u{FEFF}h1,h2,h3\r\n\"a,\"\"b\"\"\r\nc\",,\"\"\r\n\rx,\"y\"\"\"\n\"multi\n\nline\",\"\"\"\"\r\n"
    + ",,\r\"\"\n" + String(repeating: "long", count: 10) + ",\"\(String(repeating: "q\"\"", count: 7))\"\r\n"
    + "ab\"c,é€😀,\"last\r\n\""

@Test func trickyInputExpectedRecords() throws {
    let parsed = try parse(trickyInput)
    #expect(
        parsed.strings == [
            ["h1", "h2", "h3"],
            ["a,\"b\"\r\nc", "", ""],
            [""],
            ["x", "y\""],
            ["multi\n\nline", "\""],
            ["", "", ""],
            [""],
            [String(repeating: "long", count: 10), String(repeating: "q\"", count: 7)],
            ["ab\"c", "é€😀", "last\r\n"]
        ])
    #expect(parsed.lines == [1, 2, 4, 5, 6, 9, 10, 11, 12])
    #expect(parsed.consumed == trickyInput.utf8.count)
}

@Test(arguments: 1...17)
func recordsStraddlingChunkBoundaries(chunk: Int) throws {
    #expect(try parse(trickyInput, chunk: chunk) == parse(trickyInput))
}

// MARK: - Property test

/// A random document: the records, their encoding with proper quoting, and each record's line.
struct Generated {
    var records: [[[UInt8]]] = []
    var bytes: [UInt8] = []
    var lines: [Int] = []
}

let fieldPieces = [
    "a", "Zz", "0", " ", ",", "\"", "\r", "\n", "\r\n", "é", "€", "😀",
    "x\"y"
].map { Array($0.utf8) }

func generate(_ rng: inout SplitMix64) -> Generated {
    var doc = Generated()
    if Bool.random(using: &rng) { doc.bytes = [0xEF, 0xBB, 0xBF] }
    var line = 1
    for _ in 0..<Int.random(in: 0...20, using: &rng) {
        let record = (0..<Int.random(in: 1...5, using: &rng)).map { _ in
            (0..<Int.random(in: 0...4, using: &rng)).flatMap { _ in fieldPieces.randomElement(using: &rng)! }
        }
        var encoded = encode(record, forceQuotes: Int.random(in: 0..<4, using: &rng) == 0)
        encoded += [[0x0A], [0x0D, 0x0A], [0x0D]].randomElement(using: &rng)!
        doc.records.append(record)
        doc.lines.append(line)
        line += lineBreaks(in: encoded)
        doc.bytes += encoded
    }
    if !doc.records.isEmpty && Bool.random(using: &rng) {  // drop the final line terminator
        doc.bytes.removeLast(doc.bytes.last == 0x0A && doc.bytes.dropLast().last == 0x0D ? 2 : 1)
    }
    return doc
}

func encode(_ record: [[UInt8]], forceQuotes: Bool) -> [UInt8] {
    var out: [UInt8] = []
    for (i, field) in record.enumerated() {
        if i > 0 { out.append(0x2C) }
        let special = field.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
        // A lone empty field must be quoted, or it would be an empty line.
        if special || forceQuotes || (record.count == 1 && field.isEmpty) {
            out.append(0x22)
            for b in field { out += b == 0x22 ? [0x22, 0x22] : [b] }
            out.append(0x22)
        } else {
            out += field
        }
    }
    return out
}

func lineBreaks(in bytes: [UInt8]) -> Int {
    bytes.indices.filter { bytes[$0] == 0x0A || (bytes[$0] == 0x0D && bytes.dropFirst($0 + 1).first != 0x0A) }.count
}

@Test func randomRecordsRoundTrip() throws {
    let base = getenv("CSV_PROPERTY_SEED").flatMap { UInt64(String(cString: $0)) } ?? 0x7A11
    var generatedRecords = 0
    defer { #expect(generatedRecords > 2_000, "the generator should produce real work") }
    for seed in base..<(base + 400) {
        var rng = SplitMix64(state: seed)
        let doc = generate(&rng)
        generatedRecords += doc.records.count
        for chunk in [bigChunk, Int.random(in: 1...40, using: &rng)] {
            let parsed = try parse(doc.bytes, chunk: chunk)
            #expect(parsed.fields == doc.records, "seed \(seed) chunk \(chunk) (CSV_PROPERTY_SEED=\(seed))")
            #expect(parsed.lines == doc.lines, "seed \(seed) chunk \(chunk)")
            #expect(parsed.consumed == doc.bytes.count, "seed \(seed) chunk \(chunk)")
            if parsed.fields != doc.records { return }  // one seed is enough to debug
        }
    }
}

// MARK: - Files

func withTemporaryFile<R>(_ bytes: [UInt8], _ body: (String) throws -> R) throws -> R {
    var template = Array("/tmp/csvreader-test-XXXXXX".utf8CString)
    let fd = mkstemp(&template)
    try #require(fd >= 0)
    let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    defer { unlink(path) }
    let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
    try #require(written == bytes.count)
    return try body(path)
}

@Test func readsFilesLargerThanTheBuffer() throws {
    // ~3 MiB of multi-line quoted records, so records straddle the 1 MiB read boundaries.
    var rng = SplitMix64(state: 42)
    var bytes: [UInt8] = []
    while bytes.count < 3 << 20 {  // bounded: every document adds at least one byte
        bytes += generate(&rng).bytes.drop { $0 == 0xEF || $0 == 0xBB || $0 == 0xBF } + [0x0A]
    }
    let fromMemory = try parse(bytes)
    let fromFile = try withTemporaryFile(bytes) { path in
        var reader = try CSVReader(path: path)
        #expect(reader.totalBytes == bytes.count)
        return try drain(&reader)
    }
    #expect(fromFile == fromMemory)
    #expect(fromFile.consumed == bytes.count)
    #expect(fromFile.fields.count > 10_000)
}

@Test func missingFileAndDirectoryAreErrors() {
    let missing = #expect(throws: CSVError.self) { _ = try CSVReader(path: "/nonexistent/orders.csv") }
    #expect(missing?.line == 0 && missing?.column == 0)
    #expect(missing?.message.hasPrefix("cannot open '/nonexistent/orders.csv'") == true)
    let directory = #expect(throws: CSVError.self) { _ = try CSVReader(path: "/tmp") }
    #expect(directory?.message.contains("is a directory") == true)
}
