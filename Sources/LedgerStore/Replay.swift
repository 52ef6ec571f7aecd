import CSQLite
import Dispatch
import Foundation
import LedgerCore

// A replay of the log (`rebuild`, `verify`) on two cores: the connection's thread reads the log's
// rows in batches (their bytes copied out of SQLite) and writes the projections; a second thread
// decodes each batch meanwhile (and, for `verify`, re-hashes the chain), turning the orders'
// canonical bytes into the values of their `orders` row, ready to bind. SQLite is only ever
// touched by the connection's thread; a few batches are in flight at most, so memory stays flat.

/// A batch of the log's rows, their payloads (and stored hashes) copied into one buffer.
struct LogBatch: Sendable {
    struct Row: Sendable {
        var seq: Int64
        var type: String
        var version: Int
        var effectiveAt: Int64
        var recordedAt: Int64
        var payload: Range<Int>
        /// The stored hash (read for `verify` only).
        var hash: Range<Int>
    }

    var rows: [Row] = []
    var bytes: [UInt8] = []

    static let rowsMax = 512
    static let bytesMax = 1 << 19

    var isFull: Bool { rows.count >= Self.rowsMax || bytes.count >= Self.bytesMax }
}

/// A parameter's value as the decoding thread leaves it: text as a range of the batch's text bytes.
enum BoundValue: Sendable {
    case null
    case int(Int64)
    case text(start: Int32, count: Int32)
}

/// The `ColumnSink` of the decoding thread: the values of one batch's rows, one after another.
struct RowValues: ColumnSink {
    typealias Failure = Never
    var values: [BoundValue] = []
    var text: [UInt8] = []

    mutating func int(_ value: Int64, at index: Int32) { values.append(.int(value)) }
    mutating func null(at index: Int32) { values.append(.null) }
    mutating func text(_ value: String, at index: Int32) {
        let start = text.count
        text.append(contentsOf: value.utf8)
        values.append(.text(start: Int32(start), count: Int32(text.count - start)))
    }
}

/// A decoded batch, in log order: for each row an order's `orders` row (its values), or the fact,
/// or why it cannot be read.
struct DecodedBatch: Sendable {
    enum Item: Sendable {
        /// The range of the batch's values that is the row.
        case order(Range<Int>)
        case fact(Fact)
        case failed(FactDecodingError)
    }

    var rows: [LogBatch.Row]
    var items: [Item] = []
    var values = RowValues()
    /// For `verify`: the chain's problems, by the index of the row they were found at.
    var chainProblems: [(row: Int, problem: String)] = []

    init(rows: [LogBatch.Row]) {
        self.rows = rows
        items.reserveCapacity(rows.count)
    }

    /// Decodes every row of `batch` (the decoding thread's part).
    mutating func decode(_ batch: LogBatch) {
        batch.bytes.withUnsafeBytes { all in
            for row in batch.rows { decode(row, payload: UnsafeRawBufferPointer(rebasing: all[row.payload])) }
        }
    }

    private mutating func decode(_ row: LogBatch.Row, payload: UnsafeRawBufferPointer) {
        do {
            let fact = try FactReader.fact(type: row.type, version: row.version, payload: payload)
            guard case let .orderSeen(seen) = fact else {
                items.append(.fact(fact))
                return
            }
            let start = values.values.count
            var encoder = ColumnEncoder(values)
            values = RowValues()  // the buffers move into the encoder and back: no copy
            seen.encode(with: &encoder)
            values = encoder.sink
            items.append(.order(start..<values.values.count))
        } catch {
            items.append(.failed(error))
        }
    }
}

/// A second thread that runs `work` over the inputs it is given, in order. The caller bounds how
/// many are in flight (`submit` never waits); `stop` ends the thread and waits for it.
final class Worker<Input: Sendable, Output: Sendable>: @unchecked Sendable {  // state guarded by `condition`
    private let condition = NSCondition()
    private var inputs: [Input] = []
    private var outputs: [Output] = []
    private var stopped = false
    private let exited = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable (Input) -> Output) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            defer { exited.signal() }
            while let input = nextInput() {  // bounded: the caller stops it
                let output = work(input)
                condition.lock()
                outputs.append(output)
                condition.broadcast()
                condition.unlock()
            }
        }
    }

    private func nextInput() -> Input? {
        condition.lock()
        defer { condition.unlock() }
        while inputs.isEmpty && !stopped { condition.wait() }  // until an input or the stop
        return stopped ? nil : inputs.removeFirst()
    }

    func submit(_ input: Input) {
        condition.lock()
        inputs.append(input)
        condition.broadcast()
        condition.unlock()
    }

    /// The output of the oldest input not yet taken (waits for it).
    func take() -> Output {
        condition.lock()
        defer { condition.unlock() }
        while outputs.isEmpty { condition.wait() }  // bounded: one per submitted input
        return outputs.removeFirst()
    }

    /// Ends the thread (after the input it is working on, if any) and waits until it has.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
        exited.wait()
    }
}

extension Connection {
    /// Reads the log's rows in batches on this thread, hands each to `work` on a second thread and
    /// `apply` the results here, in log order. An error of `apply` stops both threads and is thrown.
    func replayLog(
        hashes: Bool,
        work: @escaping @Sendable (LogBatch) -> DecodedBatch,
        apply: (DecodedBatch) throws -> Void
    ) throws {
        let st = try prepared(
            "SELECT seq, type, version, effective_at, recorded_at, payload, hash FROM facts ORDER BY seq")
        defer { st.reset() }
        let worker = Worker(work)
        defer { worker.stop() }
        let depth = 3
        var inFlight = 0
        var more = true
        var lastType = ""
        while more {  // bounded by the log
            var batch = LogBatch()
            batch.bytes.reserveCapacity(LogBatch.bytesMax + 4_096)
            batch.rows.reserveCapacity(LogBatch.rowsMax)
            while !batch.isFull {  // bounded by the batch's size
                guard try st.step() else {
                    more = false
                    break
                }
                let start = batch.bytes.count
                st.withBytes(5) { batch.bytes.append(contentsOf: $0) }
                let payloadEnd = batch.bytes.count
                if hashes { st.withBytes(6) { batch.bytes.append(contentsOf: $0) } }
                // One String for a run of rows of the same type (most of the log is `order.seen`).
                if !st.textEquals(1, lastType) { lastType = st.text(1) }
                batch.rows.append(
                    LogBatch.Row(
                        seq: st.int(0), type: lastType, version: Int(st.int(2)), effectiveAt: st.int(3),
                        recordedAt: st.int(4), payload: start..<payloadEnd, hash: payloadEnd..<batch.bytes.count))
            }
            if !batch.rows.isEmpty {
                worker.submit(batch)
                inFlight += 1
            }
            while inFlight > 0 && (inFlight >= depth || !more) {  // bounded by the batches submitted
                let decoded = worker.take()
                inFlight -= 1
                try apply(decoded)
            }
        }
    }
}

extension Statement {
    /// Whether text column `i` holds exactly the bytes of `text`.
    func textEquals(_ i: Int32, _ text: String) -> Bool {
        var text = text
        return withBytes(i) { bytes in text.withUTF8 { $0.elementsEqual(bytes) } }
    }
}

extension Projector {
    /// Applies a decoded batch's facts in log order (a rebuild: the first that cannot be read stops it).
    func apply(_ batch: DecodedBatch) throws {
        try batch.values.text.withUnsafeBytes { text in
            defer { clearOrderBindings() }
            for (i, item) in batch.items.enumerated() {
                switch item {
                case let .order(range): try insertOrder(batch.values.values[range], text: text, seq: batch.rows[i].seq)
                case let .fact(fact): try apply(fact, seq: batch.rows[i].seq)
                case let .failed(error): throw error
                }
            }
        }
    }
}

extension Statement {
    /// Binds a decoded row's values from `?first` on, the text in place (`text` must outlive the
    /// step: it is the batch's buffer).
    func bind(_ values: ArraySlice<BoundValue>, text: UnsafeRawBufferPointer, first: Int32 = 1) throws(SQLiteError) {
        var index = first
        for value in values {
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(handle, index)
            case let .int(v): rc = sqlite3_bind_int64(handle, index, v)
            case let .text(start, count):
                // An empty text must not be a null pointer (SQLite would bind NULL).
                let p = count == 0 ? UnsafeRawPointer(("" as StaticString).utf8Start) : text.baseAddress! + Int(start)
                rc = sqlite3_bind_text(
                    handle, index, p.assumingMemoryBound(to: CChar.self), count, csqlite_static())
            }
            guard rc == SQLITE_OK else { throw connection.error(rc, sql) }
            index += 1
        }
    }
}
