import Crypto
import LedgerCore

/// A fact as stored: its place in the log, its times and its canonical payload.
public struct StoredFact: Sendable {
    public let seq: Int64
    public let type: String
    public let version: Int
    public let effectiveAt: Instant
    public let recordedAt: Instant
    public let payload: [UInt8]
    public let hash: [UInt8]

    public func decoded() throws(FactDecodingError) -> Fact { try Fact.decode(type: type, version: version, payload: payload) }
}

/// The append-only, hash-chained log.
///
/// `hash(n) = SHA-256(hash(n-1) || seq || type || 0x00 || version || effective_at || recorded_at || payload)`,
/// integers as 8-byte big-endian, `hash(0)` = 32 zero bytes. Editing, removing or reordering a
/// row breaks the chain at that row.
final class FactLog {
    let connection: Connection
    private var tail: (seq: Int64, hash: [UInt8])?

    init(connection: Connection) { self.connection = connection }

    /// Reads the tail of the chain at the start of a write transaction (another process may have
    /// appended since this one last looked).
    func beginWrite() throws(SQLiteError) {
        let st = try connection.prepared("SELECT seq, hash FROM facts ORDER BY seq DESC LIMIT 1")
        tail = try st.step() ? (st.int(0), st.blob(1)) : (0, FactLog.genesis)
        st.reset()
    }

    func forgetTail() { tail = nil }

    static let genesis = [UInt8](repeating: 0, count: 32)

    func append(_ fact: Fact, recordedAt: Instant) throws(SQLiteError) -> Int64 {
        guard let (lastSeq, lastHash) = tail else { preconditionFailure("append outside Ledger.write") }
        let seq = lastSeq + 1
        let payload = fact.payload.encoded()
        let hash = FactLog.chainHash(previous: lastHash, seq: seq, type: fact.typeName, version: Fact.currentVersion,
                                     effectiveAt: fact.effectiveAt.unixSeconds, recordedAt: recordedAt.unixSeconds, payload: payload)
        let st = try connection.prepared("INSERT INTO facts (seq, type, version, effective_at, recorded_at, payload, hash) VALUES (?, ?, ?, ?, ?, ?, ?)")
        try st.bind([.int(seq), .text(fact.typeName), .int(Int64(Fact.currentVersion)), .int(fact.effectiveAt.unixSeconds), .int(recordedAt.unixSeconds)])
        try st.bind(.blob(hash), at: 7)
        // The payload is bound without a copy: it must outlive the step, hence the closure.
        let result: Result<Void, SQLiteError> = payload.withUnsafeBytes { bytes in
            do throws(SQLiteError) {
                try st.bindStatic(bytes, at: 6, asText: true)
                _ = try st.step()
                return .success(())
            } catch { return .failure(error) }
        }
        try result.get()
        st.reset()
        tail = (seq, hash)
        return seq
    }

    static func chainHash(previous: [UInt8], seq: Int64, type: String, version: Int, effectiveAt: Int64, recordedAt: Int64, payload: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: previous)
        hasher.update(data: bigEndian(seq))
        hasher.update(data: Array(type.utf8))
        hasher.update(data: [0])
        hasher.update(data: bigEndian(Int64(version)))
        hasher.update(data: bigEndian(effectiveAt))
        hasher.update(data: bigEndian(recordedAt))
        hasher.update(data: payload)
        return Array(hasher.finalize())
    }

    /// Calls `body` with every stored fact from `since` on, in log order.
    func forEach(since: Int64 = 1, _ body: (StoredFact) throws -> Void) throws {
        let st = try connection.prepared("SELECT seq, type, version, effective_at, recorded_at, payload, hash FROM facts WHERE seq >= ? ORDER BY seq")
        try st.bind([.int(since)])
        defer { st.reset() }
        while try st.step() {
            let fact = StoredFact(seq: st.int(0), type: st.text(1), version: Int(st.int(2)), effectiveAt: Instant(unixSeconds: st.int(3)),
                                  recordedAt: Instant(unixSeconds: st.int(4)), payload: st.withBytes(5) { Array($0) }, hash: st.blob(6))
            try body(fact)
        }
    }
}

private func bigEndian(_ value: Int64) -> [UInt8] {
    withUnsafeBytes(of: value.bigEndian) { Array($0) }
}

extension Ledger {
    /// Every fact from `since` on, in log order.
    public func forEachFact(since: Int64 = 1, _ body: (StoredFact) throws -> Void) throws {
        try log.forEach(since: since, body)
    }

    public var lastSeq: Int64 { ((try? connection.scalarInt("SELECT max(seq) FROM facts")) ?? nil) ?? 0 }
}
