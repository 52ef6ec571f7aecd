// libFuzzer entry point for CSVReader, compiled together with the reader's sources by
// scripts/fuzz-csv.sh (not part of the package: SwiftPM never sees this folder).
//
// Each input is parsed twice: in one read, and delivered in tiny chunks (1-8 bytes, chosen by
// the input's length), which drives every refill, compaction and buffer-growth path. The two
// parses must agree record for record, or both fail (with the same error unless a size limit is
// involved: see `agree` in Tests/OrderImportTests/HostileCSVTests.swift). AddressSanitizer watches the
// reader's unsafe pointer code; a trap, an out-of-bounds access or a disagreement is a finding.

private let limits = CSVLimits(fieldBytesMax: 512, recordBytesMax: 4_096, fieldsPerRecordMax: 64)

private enum Outcome: Equatable {
    case records([[[UInt8]]], lines: [Int], consumed: Int)
    case failed(CSVError)
}

private func parseAll(_ bytes: [UInt8], chunk: Int) -> Outcome {
    var reader = CSVReader(bytes: bytes, limits: limits, chunkBytes: chunk)
    var records: [[[UInt8]]] = []
    var lines: [Int] = []
    do {
        while try reader.next() {
            records.append((0..<reader.fieldCount).map { i in reader.withField(i) { Array($0) } })
            lines.append(reader.recordLine)
            for i in 0..<reader.fieldCount { _ = try? reader.validatedString(i) }
        }
    } catch {
        return .failed(error)
    }
    return .records(records, lines: lines, consumed: reader.bytesConsumed)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSVReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let whole = parseAll(bytes, chunk: 1 << 20)
    let chunked = parseAll(bytes, chunk: 1 + size % 8)
    if !agree(whole, chunked) {
        fatalError("chunked parse differs: \(whole) vs \(chunked)")
    }
    if case .records = whole, bytes.contains(0) {
        fatalError("a NUL byte was accepted")
    }
    return 0
}

private func agree(_ a: Outcome, _ b: Outcome) -> Bool {
    switch (a, b) {
    case let (.records(x, lx, cx), .records(y, ly, cy)): return x == y && lx == ly && cx == cy
    case let (.failed(x), .failed(y)): return x == y || isLimitError(x) || isLimitError(y)
    default: return false
    }
}

private func isLimitError(_ error: CSVError) -> Bool {
    error.message.hasPrefix("field longer than") || error.message.hasPrefix("record longer than")
        || error.message.hasPrefix("more than")
}
