#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Dispatch
import Testing
@testable import OrderImport
import TestSupport

// Hostile files for the CSV reader: every input either parses or fails with a CSVError at a
// line and field, never a trap, never a hang, never memory beyond the limits. The seeded tests
// print the seed of any failure; replay with CSV_HOSTILE_SEED=<seed>.

/// The outcome of a whole parse, comparable across chunk sizes.
enum Outcome: Equatable {
    case parsed(Parsed)
    case failed(CSVError)
}

func outcome(_ bytes: [UInt8], chunk: Int = bigChunk, limits: CSVLimits = .default) -> Outcome {
    do { return .parsed(try parse(bytes, chunk: chunk, limits: limits)) } catch { return .failed(error) }
}

/// Checks what must hold for any outcome: a parse gives the same result in any chunk size; an
/// error has a position inside the input; a field is valid UTF-8 or reported at its own position.
func checkInvariants(_ bytes: [UInt8], _ rng: inout SplitMix64, seed: UInt64) {
    let whole = outcome(bytes)
    let chunked = outcome(bytes, chunk: Int.random(in: 1...64, using: &rng))
    #expect(whole == chunked, "seed \(seed): the result depends on the read size")
    // Tiny limits, so that the field, record and field-count limits are hit in every read size too.
    let tiny = CSVLimits(fieldBytesMax: 12, recordBytesMax: 48, fieldsPerRecordMax: 5)
    let tinyChunk = Int.random(in: 1...16, using: &rng)
    #expect(
        agree(outcome(bytes, limits: tiny), outcome(bytes, chunk: tinyChunk, limits: tiny)),
        "seed \(seed): with tiny limits the result depends on the read size \(tinyChunk)")
    let lineCount = lineBreaks(in: bytes) + 1
    switch whole {
    case let .failed(error):
        #expect((1...lineCount).contains(error.line), "seed \(seed): error line \(error.line) outside 1...\(lineCount)")
        #expect(!error.message.isEmpty && error.column >= 0, "seed \(seed)")
    case .parsed:
        #expect(!bytes.contains(0), "seed \(seed): a NUL byte was accepted")
        var reader = CSVReader(bytes: bytes)
        while (try? reader.next()) == true {
            for i in 0..<reader.fieldCount {
                let valid = reader.withField(i) { String(validating: $0, as: UTF8.self) }
                do {
                    #expect(try reader.validatedString(i) == valid, "seed \(seed)")
                } catch {
                    #expect(
                        valid == nil
                            && error == CSVError(line: reader.recordLine, column: i + 1, message: "invalid UTF-8"),
                        "seed \(seed)")
                }
            }
        }
    }
}

/// Two parses of the same bytes in different read sizes agree: the same records, or both fail.
/// When a limit is involved the first error found may differ (a small read hits the length limit
/// of a field before its closing quote, and a NUL inside it, are in the buffer); any other error
/// must be the same.
func agree(_ a: Outcome, _ b: Outcome) -> Bool {
    switch (a, b) {
    case let (.parsed(x), .parsed(y)): return x == y
    case let (.failed(x), .failed(y)): return x == y || isLimitError(x) || isLimitError(y)
    default: return false
    }
}

func isLimitError(_ error: CSVError) -> Bool {
    error.message.hasPrefix("field longer than") || error.message.hasPrefix("record longer than")
        || error.message.hasPrefix("more than")
}

// MARK: - Seeded mutation

@Test func mutatedDocumentsParseOrFailCleanly() {
    var failures = 0, successes = 0
    let base = hostileSeedBase()
    for seed in base..<(base + 1_500) {
        var rng = SplitMix64(state: seed)
        let bytes = mutate(generate(&rng).bytes, &rng)
        checkInvariants(bytes, &rng, seed: seed)
        if case .failed = outcome(bytes) { failures += 1 } else { successes += 1 }
    }
    // Both branches must be exercised, or the mutations are too weak (or too strong) to test anything.
    #expect(failures > 200 && successes > 200, "failures \(failures), successes \(successes)")
}

@Test func randomBytesParseOrFailCleanly() {
    // Biased towards the bytes that matter to the grammar, so parses get past the first line.
    let special: [UInt8] = [0x2C, 0x22, 0x0A, 0x0D, 0x00, 0xFF, 0xEF, 0xBB, 0xBF, 0x61]
    let base = hostileSeedBase()
    for seed in base..<(base + 600) {
        var rng = SplitMix64(state: seed)
        let bytes = (0..<Int.random(in: 0...600, using: &rng)).map { _ in
            Bool.random(using: &rng) ? special.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
        }
        checkInvariants(bytes, &rng, seed: seed)
    }
}

/// A file cut anywhere: the records before the cut are exactly the original's; the last one
/// may be cut short, or the cut is inside quotes and reported as an unterminated field.
@Test func truncatedFilesKeepEveryCompleteRecord() throws {
    let base = hostileSeedBase()
    for seed in base..<(base + 150) {
        var rng = SplitMix64(state: seed)
        let doc = generate(&rng)
        for cut in stride(from: 0, through: doc.bytes.count, by: max(1, doc.bytes.count / 25)) {
            switch outcome(Array(doc.bytes.prefix(cut))) {
            case let .parsed(parsed):
                let complete = parsed.fields.dropLast()
                #expect(Array(complete) == Array(doc.records.prefix(complete.count)), "seed \(seed) cut \(cut)")
                #expect(
                    Array(parsed.lines.dropLast()) == Array(doc.lines.prefix(complete.count)), "seed \(seed) cut \(cut)"
                )
            case let .failed(error):
                #expect(error.message == "unterminated quoted field (opened here)", "seed \(seed) cut \(cut): \(error)")
            }
        }
    }
}

// MARK: - Oversized input

/// Writes `header`, then `fieldBytes` bytes of `x`, then `trailer` to a temporary file.
func withLargeFile<R>(header: String, fieldBytes: Int, trailer: String, _ body: (String) throws -> R) throws -> R {
    var bytes = Array(header.utf8)
    bytes += [UInt8](repeating: 0x78, count: fieldBytes)
    bytes += Array(trailer.utf8)
    return try withTemporaryFile(bytes, body)
}

func fileError(_ path: String) -> CSVError? {
    do {
        var reader = try CSVReader(path: path)
        while try reader.next() {}
        return nil
    } catch {
        return error
    }
}

@Test func fiftyMegabyteFieldIsRefusedAtItsPosition() throws {
    let fiftyMB = 50 << 20
    let unquoted = try withLargeFile(header: "id,note\n1,", fieldBytes: fiftyMB, trailer: "\n2,ok\n", fileError)
    #expect(unquoted == CSVError(line: 2, column: 2, message: "field longer than 1048576 bytes"))
    let quoted = try withLargeFile(header: "id,note\n1,\"", fieldBytes: fiftyMB, trailer: "\"\n", fileError)
    #expect(
        quoted
            == CSVError(
                line: 2, column: 2,
                message: "field longer than 1048576 bytes (quoted field opened here; is a quote missing?)"))
}

/// Byte counter shared with the writer thread; only read after the writer has finished.
final class WrittenBytes: @unchecked Sendable {
    var count = 0
}

/// The reader must stop at the field limit without reading the rest: a FIFO offers 50 MB, and
/// the writer is told (EPIPE) once the reader gives up. What it managed to write bounds what the
/// reader read, and so the reader's memory.
@Test func fiftyMegabyteFieldFromAPipeIsNotReadToTheEnd() throws {
    signal(SIGPIPE, SIG_IGN)
    var template = Array("/tmp/csvreader-fifo-XXXXXX".utf8CString)
    let dir = try #require(mkdtemp(&template).map { String(cString: $0) })
    let fifo = dir + "/orders.csv"
    defer { unlink(fifo); rmdir(dir) }
    try #require(mkfifo(fifo, 0o600) == 0)
    let offered = 50 << 20
    let written = WrittenBytes()
    let done = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
        defer { done.signal() }
        let fd = open(fifo, O_WRONLY)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var chunk = Array("id,note\n1,".utf8) + [UInt8](repeating: 0x78, count: 65_536)
        while written.count < offered {
            let n = chunk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return }  // EPIPE: the reader closed the pipe
            written.count += n
            chunk = [UInt8](repeating: 0x78, count: 65_536)
        }
    }
    let error = fileError(fifo)
    done.wait()
    #expect(error == CSVError(line: 2, column: 2, message: "field longer than 1048576 bytes"))
    // 1 MiB field limit + the read buffer's slack + the pipe's own buffer.
    #expect(written.count < 4 << 20, "the reader consumed \(written.count) bytes of a field it must refuse at 1 MiB")
}

@Test func aMillionColumnsAreRefusedAtTheFieldLimit() throws {
    let millionColumns = [UInt8](repeating: 0x2C, count: 999_999) + [0x0A]
    let expected = CSVError(line: 1, column: 4097, message: "more than 4096 fields")
    #expect(outcome(millionColumns) == .failed(expected))
    #expect(outcome(millionColumns, chunk: 4_096) == .failed(expected))
    #expect(
        try withTemporaryFile(Array("id\n".utf8) + millionColumns, fileError)
            == CSVError(line: 2, column: 4097, message: "more than 4096 fields"))
}

@Test func oversizedRecordIsRefusedBeforeTheBufferGrowsPastIt() {
    let limits = CSVLimits(fieldBytesMax: 100, recordBytesMax: 1_000, fieldsPerRecordMax: 50)
    let record = Array(repeating: String(repeating: "y", count: 90), count: 40).joined(separator: ",")
    let bytes = Array(("a\n" + record + "\n").utf8)
    for chunk in [7, 64, bigChunk] {
        #expect(
            outcome(bytes, chunk: chunk, limits: limits)
                == .failed(CSVError(line: 2, column: 0, message: "record longer than 1000 bytes")))
    }
}

@Test func unterminatedQuoteOverManyLinesStopsAtTheFieldLimit() {
    // A missing closing quote turns the rest of the file into one field: refused at the limit
    // with the line where the quote opened, not after reading the whole file.
    let limits = CSVLimits(fieldBytesMax: 1_000)
    let bytes = Array(("id,note\n1,\"oops\n" + String(repeating: "2,fine\n", count: 10_000)).utf8)
    let error = CSVError(
        line: 2, column: 2, message: "field longer than 1000 bytes (quoted field opened here; is a quote missing?)")
    #expect(outcome(bytes, chunk: 512, limits: limits) == .failed(error))
}

/// A record just under the 16 MiB record limit, made of 4,000 fields of 4,000 bytes, offered
/// through a pipe (which delivers at most 64 KiB per read, so the record is re-parsed after each
/// of ~250 refills): it must parse whole, in bounded time.
@Test func largeRecordThroughAPipeParses() throws {
    signal(SIGPIPE, SIG_IGN)
    var template = Array("/tmp/csvreader-fifo-XXXXXX".utf8CString)
    let dir = try #require(mkdtemp(&template).map { String(cString: $0) })
    let fifo = dir + "/orders.csv"
    defer { unlink(fifo); rmdir(dir) }
    try #require(mkfifo(fifo, 0o600) == 0)
    let done = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
        defer { done.signal() }
        let fd = open(fifo, O_WRONLY)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let field = [UInt8](repeating: 0x79, count: 4_000)
        for i in 0..<4_000 {
            let bytes = field + [i == 3_999 ? 0x0A : 0x2C]
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n != bytes.count { return }
        }
    }
    var reader = try CSVReader(path: fifo)
    #expect(try reader.next())
    #expect(reader.fieldCount == 4_000)
    #expect(reader.withField(3_999) { $0.count } == 4_000)
    #expect(try !reader.next())
    done.wait()
}

/// Found by scripts/fuzz-csv.sh: an over-long quoted field got the "is a quote missing?" hint only
/// when it was cut by a read, so the message depended on the read size.
@Test(arguments: [1, 3, bigChunk])
func overLongQuotedFieldHasOneMessage(chunk: Int) {
    let limits = CSVLimits(fieldBytesMax: 4)
    let error = CSVError(
        line: 2, column: 2, message: "field longer than 4 bytes (quoted field opened here; is a quote missing?)")
    #expect(parseError("a\nb,\"abcde\"\n", chunk: chunk, limits: limits) == error)
    #expect(parseError("a\nb,\"abcdefghijklmnop\"\n", chunk: chunk, limits: limits) == error)
}
