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

    public func decoded() throws(FactDecodingError) -> Fact {
        try Fact.decode(type: type, version: version, payload: payload)
    }
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

    /// Chain continuity, asserted before a write commits: `head`, the last stored fact, is the one
    /// this log appended last. Each append takes the tail's seq + 1 and hashes over the tail's hash, so this
    /// holding means no fact was written around the log, and none that it appended was lost (a
    /// rolled-back savepoint, say): either would commit a chain with a gap or a fork, a bug of
    /// tally's, so it traps rather than commit.
    func assertTailIsLast(_ head: ChainHead?) {
        guard let (seq, hash) = tail else { preconditionFailure("fact log: a write ended without a tail") }
        let last = head ?? ChainHead(seq: 0, hash: FactLog.genesis)
        precondition(last.seq == seq, "fact log: the last fact is \(last.seq), but the log appended up to \(seq)")
        precondition(last.hash == hash, "fact log: fact \(seq) does not hold the hash the log appended")
    }

    static let genesis = [UInt8](repeating: 0, count: 32)

    /// The payload of the fact being appended, reused from one append to the next.
    private var payloadBuffer: [UInt8] = []
    private var insert: Statement?

    /// `prebuilt`: the fact's payload exactly as `fact.writePayload(into:)` writes it, when another
    /// thread built it already (an import's reading thread).
    func append(_ fact: Fact, recordedAt: Instant, prebuilt: ArraySlice<UInt8>? = nil) throws(SQLiteError) -> Int64 {
        let appendBytes = { (bytes: UnsafeRawBufferPointer) -> Result<Int64, SQLiteError> in
            do throws(SQLiteError) {
                return .success(try self.append(fact, recordedAt: recordedAt, payload: bytes))
            } catch { return .failure(error) }
        }
        if let prebuilt { return try prebuilt.withUnsafeBytes(appendBytes).get() }
        var payload = payloadBuffer
        payloadBuffer = []
        payload.removeAll(keepingCapacity: true)
        fact.writePayload(into: &payload)
        defer { payloadBuffer = payload }
        return try payload.withUnsafeBytes(appendBytes).get()
    }

    private func append(_ fact: Fact, recordedAt: Instant, payload bytes: UnsafeRawBufferPointer) throws(SQLiteError)
        -> Int64
    {
        guard let (lastSeq, lastHash) = tail else { preconditionFailure("append outside Ledger.write") }
        precondition(lastHash.count == 32, "fact log: the tail's hash is not a SHA-256")
        let seq = lastSeq + 1
        let typeName = fact.typeName
        let version = fact.version
        let effectiveAt = fact.effectiveAt.unixSeconds
        let hash = FactLog.chainHash(
            previous: lastHash, seq: seq, type: typeName, version: version,
            effectiveAt: effectiveAt, recordedAt: recordedAt.unixSeconds, payload: bytes)
        let st = try insertStatement()
        try st.bind(seq, at: 1)
        try st.bind(typeName, at: 2)
        try st.bind(Int64(version), at: 3)
        try st.bind(effectiveAt, at: 4)
        try st.bind(recordedAt.unixSeconds, at: 5)
        // Payload and hash are bound without a copy: they outlive the step.
        try st.bindStatic(bytes, at: 6, asText: true)
        let result: Result<Void, SQLiteError> = hash.withUnsafeBytes { hashBytes in
            do throws(SQLiteError) {
                try st.bindStatic(hashBytes, at: 7, asText: false)
                try st.run()
                return .success(())
            } catch { return .failure(error) }
        }
        try result.get()
        tail = (seq, hash)
        return seq
    }

    private func insertStatement() throws(SQLiteError) -> Statement {
        if let insert { return insert }
        let st = try Statement(
            connection: connection,
            sql: "INSERT INTO facts (seq, type, version, effective_at, recorded_at, payload, hash) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)")
        insert = st
        return st
    }

    static func chainHash(
        previous: [UInt8], seq: Int64, type: String, version: Int, effectiveAt: Int64, recordedAt: Int64,
        payload: [UInt8]
    ) -> [UInt8] {
        payload.withUnsafeBytes {
            chainHash(
                previous: previous, seq: seq, type: type, version: version, effectiveAt: effectiveAt,
                recordedAt: recordedAt, payload: $0)
        }
    }

    static func chainHash(
        previous: [UInt8], seq: Int64, type: String, version: Int, effectiveAt: Int64, recordedAt: Int64,
        payload: UnsafeRawBufferPointer
    ) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: previous)
        updateBigEndian(&hasher, seq)
        var type = type
        type.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        withUnsafeBytes(of: UInt8(0)) { hasher.update(bufferPointer: $0) }
        updateBigEndian(&hasher, Int64(version))
        updateBigEndian(&hasher, effectiveAt)
        updateBigEndian(&hasher, recordedAt)
        hasher.update(bufferPointer: payload)
        return hasher.finalize().withUnsafeBytes { Array($0) }
    }

    /// Calls `body` with every stored fact from `since` on, in log order.
    func forEach(since: Int64 = 1, _ body: (StoredFact) throws -> Void) throws {
        let st = try connection.prepared(
            "SELECT seq, type, version, effective_at, recorded_at, payload, hash FROM facts WHERE seq >= ? ORDER BY seq"
        )
        try st.bind([.int(since)])
        defer { st.reset() }
        while try st.step() {
            let fact = StoredFact(
                seq: st.int(0), type: st.text(1), version: Int(st.int(2)), effectiveAt: Instant(unixSeconds: st.int(3)),
                recordedAt: Instant(unixSeconds: st.int(4)), payload: st.withBytes(5) { Array($0) }, hash: st.blob(6))
            try body(fact)
        }
    }
}

private func updateBigEndian(_ hasher: inout SHA256, _ value: Int64) {
    withUnsafeBytes(of: value.bigEndian) { hasher.update(bufferPointer: $0) }
}

extension Ledger {
    /// Every fact from `since` on, in log order.
    public func forEachFact(since: Int64 = 1, _ body: (StoredFact) throws -> Void) throws {
        try log.forEach(since: since, body)
    }

    public var lastSeq: Int64 { (try? latestSeq()) ?? 0 }
}
