import LedgerCore

/// What `tally verify` found.
public struct VerifyReport: Sendable {
    public var factsChecked: Int64 = 0
    /// The first sequence number at which the chain is broken, if any.
    public var firstBadSeq: Int64?
    public var problems: [String] = []
    /// What the user should know that is not a problem (a first fact whose salt was moved out).
    public var notes: [String] = []
    /// The last fact read: the chain's head, as `verify` ends its report.
    public var head: ChainHead?
    public var isClean: Bool { problems.isEmpty }
}

extension Ledger {
    /// Re-hashes the whole chain, then rebuilds every projection from the log in a scratch
    /// in-memory database and compares it, row by row, with the stored projections. All of it in
    /// one read transaction: commits of other commands meanwhile are not seen half (an import's
    /// facts read, its orders not), which would look like tampering. `anchor`: a head written
    /// down earlier, which must still be in the log with its hash.
    public func verify(anchor: ChainHead? = nil) throws -> VerifyReport {
        try read { try verifyOneState(anchor: anchor) }
    }

    private func verifyOneState(anchor: ChainHead?) throws -> VerifyReport {
        var report = VerifyReport()
        let scratch = try Ledger.scratchProjections()
        let projector = Projector(connection: scratch, zone: settings.zone)
        projector.deferred = try ProjectionSchema.dropAttached(scratch)
        // The chain is re-hashed on the decoding thread, batch after batch (in log order).
        let chain = ChainCheck(anchorSeq: anchor?.seq)
        var redactions: [(seq: Int64, fact: LedgerRedacted)] = []
        try scratch.transaction {
            try connection.replayLog(hashes: true) { batch in
                var decoded = DecodedBatch(rows: batch.rows)
                batch.bytes.withUnsafeBytes { bytes in
                    for (i, row) in batch.rows.enumerated() {
                        if let problem = chain.check(row, bytes: bytes) { decoded.chainProblems.append((i, problem)) }
                    }
                }
                decoded.decode(batch)
                return decoded
            } apply: { decoded in
                var problems = decoded.chainProblems[...]
                defer { projector.clearOrderBindings() }
                decoded.values.text.withUnsafeBytes { text in
                    for (i, item) in decoded.items.enumerated() {
                        report.factsChecked += 1
                        while let first = problems.first, first.row == i {  // bounded by the batch's problems
                            report.problems.append(first.problem)
                            problems.removeFirst()
                        }
                        let row = decoded.rows[i]
                        do {
                            switch item {
                            case let .order(range):
                                try projector.insertOrder(decoded.values.values[range], text: text, seq: row.seq)
                            case let .fact(fact):
                                if case let .ledgerRedacted(redaction) = fact {
                                    redactions.append((row.seq, redaction))
                                }
                                try projector.apply(fact, seq: row.seq)
                            case let .failed(error): throw error
                            }
                        } catch {
                            report.problems.append("fact \(row.seq) (\(row.type)) cannot be read: \(error)")
                        }
                    }
                }
            }
        }
        report.firstBadSeq = chain.firstBadSeq
        let expectedSeq = chain.expectedSeq, previous = chain.previous, anchorHash = chain.anchorHash
        let redactedFirst = chain.redactedFirst
        if expectedSeq > 1 { report.head = ChainHead(seq: expectedSeq - 1, hash: previous) }
        pause(at: .verifyLogRead)
        switch firstFactVerdict(redactedFirst, redactions) {
        case let .problem(problem):
            report.problems.insert(problem, at: 0)
            report.firstBadSeq = 1
        case let .note(note): report.notes.append(note)
        case nil: break
        }
        if report.factsChecked == 0 { report.problems.append("the log is empty: not even the ledger.initialized fact") }
        if let anchor, let problem = anchorProblem(anchor, found: anchorHash, head: report.head) {
            report.problems.append(problem)
        }
        // Without its triggers the log still verifies, but nothing stops an UPDATE any more:
        // someone changed the schema with another tool.
        for trigger in ["facts_are_append_only_update", "facts_are_append_only_delete"] {
            let present = try connection.scalarInt(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = ?", [.text(trigger)])
            if present != 1 {
                report.problems.append(
                    "the append-only trigger \(trigger) is missing: the schema was changed outside tally")
            }
        }
        for table in Projector.tables {
            if try rowsEqual(table: table.name, orderBy: table.orderBy, stored: connection, rebuilt: scratch) {
                continue
            }
            if let difference = try compare(
                table: table.name, orderBy: table.orderBy, stored: connection, rebuilt: scratch)
            {
                report.problems.append("projection \(table.name) differs from a rebuild from the log: \(difference)")
            }
        }
        return report
    }
}

/// What `verify` says of fact 1 when a `ledger.redacted` fact is in the log or fact 1 did not match
/// its hash: a problem, a note, or nothing (an unredacted first fact that matched).
enum FirstFactVerdict: Equatable {
    case problem(String)
    case note(String)
}

extension Ledger {
    /// `redactedFirst`: fact 1 when it is a version 2 that did not match its stored hash (nil when
    /// it matched); `redactions`: the `ledger.redacted` facts of the log. Sound redaction: exactly
    /// one `ledger.redacted`, of fact 1 version 1, recording the SHA-256 of fact 1's payload as it
    /// is now; then with the key, the version 1 payload rebuilt from the key's salt must give the
    /// stored hash; without it, that stored hash is taken as the chain's start (docs/security.md).
    func firstFactVerdict(
        _ redactedFirst: StoredFact?,
        _ redactions: [(seq: Int64, fact: LedgerRedacted)]
    ) -> FirstFactVerdict? {
        let edited = "fact 1 (ledger.initialized) does not match its hash: it was edited"
        guard let first = redactedFirst else {
            guard let redaction = redactions.first else { return nil }
            return .problem(
                "fact \(redaction.seq) (ledger.redacted) says fact 1 was redacted, but fact 1 matches "
                    + "its hash as it is: the log was changed")
        }
        guard redactions.count == 1, let (seq, redaction) = redactions.first else {
            if redactions.isEmpty { return .problem(edited) }
            let seqs = redactions.map { String($0.seq) }.joined(separator: ", ")
            return .problem("facts \(seqs) (ledger.redacted) each redact fact 1: the key is moved out once")
        }
        guard redaction.factSeq == 1, redaction.factVersion == 1, sha256Hex(first.payload) == redaction.redactedSHA256,
            case let .ledgerInitialized(redacted)? = try? first.decoded()
        else {
            return .problem(edited + " after fact \(seq) (ledger.redacted) recorded it")
        }
        guard let key = keyIfAvailable() else {
            return .note(
                "fact 1 (ledger.initialized) lost its e-mail salt to the key file (fact \(seq), "
                    + "ledger.redacted, pins what is left of it); without the key (looked for at "
                    + "\(keySource.place)) its stored hash is taken as the start of the chain")
        }
        let original = LedgerInitializedV1(
            baseCurrency: redacted.baseCurrency, zone: redacted.zone,
            emailSalt: key.emailSalt, at: redacted.at)
        var payload: [UInt8] = []
        Fact.ledgerInitializedV1(original).writePayload(into: &payload)
        let hash = FactLog.chainHash(
            previous: FactLog.genesis, seq: 1, type: first.type, version: 1,
            effectiveAt: first.effectiveAt.unixSeconds,
            recordedAt: first.recordedAt.unixSeconds,
            payload: payload)
        guard hash == first.hash else { return .problem(edited + " (rebuilt with the key's salt)") }
        return .note(
            "fact 1 (ledger.initialized) lost its e-mail salt to the key file (fact \(seq), ledger.redacted); "
                + "rebuilt with the key's salt, it matches its stored hash")
    }
}

/// The hash chain, checked row after row (on the replay's decoding thread: only it touches this
/// until the replay has ended).
final class ChainCheck: @unchecked Sendable {
    let anchorSeq: Int64?
    private(set) var previous = FactLog.genesis
    private(set) var expectedSeq: Int64 = 1
    private(set) var firstBadSeq: Int64?
    /// The stored hash of fact `anchorSeq`, once read.
    private(set) var anchorHash: [UInt8]?
    /// A first fact whose salt was moved out does not match its stored hash: judged at the end,
    /// with the `ledger.redacted` facts (`firstFactVerdict`).
    private(set) var redactedFirst: StoredFact?
    private var broken = false

    init(anchorSeq: Int64?) { self.anchorSeq = anchorSeq }

    /// The chain's problem at `row` (the first one only: after a break the rest cannot be judged).
    func check(_ row: LogBatch.Row, bytes: UnsafeRawBufferPointer) -> String? {
        let seq = row.seq
        let hash = UnsafeRawBufferPointer(rebasing: bytes[row.hash])
        var problem: String?
        if !broken {
            if seq != expectedSeq {
                firstBadSeq = expectedSeq
                problem = "fact \(expectedSeq) is missing: the log jumps from \(expectedSeq - 1) to \(seq)"
                broken = true
            } else {
                let payload = UnsafeRawBufferPointer(rebasing: bytes[row.payload])
                let computed = FactLog.chainHash(
                    previous: previous, seq: seq, type: row.type, version: row.version,
                    effectiveAt: row.effectiveAt, recordedAt: row.recordedAt, payload: payload)
                if !hash.elementsEqual(computed) {
                    if seq == 1 && row.version == LedgerInitialized.version {
                        redactedFirst = StoredFact(
                            seq: seq, type: row.type, version: row.version,
                            effectiveAt: Instant(unixSeconds: row.effectiveAt),
                            recordedAt: Instant(unixSeconds: row.recordedAt), payload: Array(payload),
                            hash: Array(hash))
                    } else {
                        firstBadSeq = seq
                        problem =
                            "fact \(seq) (\(row.type)) does not match its hash: it was edited, or facts were "
                            + "removed or reordered here"
                        broken = true
                    }
                }
            }
        }
        previous = Array(hash)
        expectedSeq = seq + 1
        if seq == anchorSeq { anchorHash = previous }
        return problem
    }
}

/// Why the log no longer holds `anchor`, or nil when it does.
private func anchorProblem(_ anchor: ChainHead, found: [UInt8]?, head: ChainHead?) -> String? {
    guard let found else {
        return "the anchor \(anchor.seq):\(anchor.hashHex) is not in the log: fact \(anchor.seq) does not exist "
            + "(the log ends at fact \(head?.seq ?? 0)); the log was cut back after the anchor was written down"
    }
    guard found != anchor.hash else { return nil }
    return "the anchor \(anchor.seq):\(anchor.hashHex) is not in the log: fact \(anchor.seq) has the hash "
        + "\(hex(found)); the log was rewritten after the anchor was written down"
}

/// Whether `table` holds the same rows in `stored` and `rebuilt`, read on two threads: the rebuilt
/// rows on a second one, copied into batches (`Statement.appendRow`), compared here with the stored
/// ones where SQLite holds them. Only the verdict: when they differ, `compare` says where.
private func rowsEqual(table: String, orderBy: String, stored: Connection, rebuilt: Connection) throws -> Bool {
    let sql = "SELECT * FROM \(table) ORDER BY \(orderBy)"
    let a = try stored.prepared(sql)
    defer { a.reset() }
    let rows = RowSource(try rebuilt.prepared(sql))
    defer { rows.statement.reset() }
    let worker = Worker<Void, Result<RowSource.Batch, SQLiteError>> { _ in rows.next() }
    defer { worker.stop() }  // before the resets above: the worker may be stepping `rows`
    let depth = 3
    for _ in 0..<depth { worker.submit(()) }
    while true {  // bounded by the rebuilt table's rows
        let batch = try worker.take().get()
        worker.submit(())
        var offset = 0
        for _ in 0..<batch.rows {
            guard try a.step(), let next = a.rowEquals(batch.bytes, at: offset) else { return false }
            offset = next
        }
        if batch.done { return !(try a.step()) }
    }
}

/// The rows of a query read on the worker thread, batch after batch (only it steps the statement
/// until the worker has stopped).
private final class RowSource: @unchecked Sendable {
    struct Batch: Sendable {
        var bytes: [UInt8] = []
        var rows = 0
        var done = false
    }

    let statement: Statement
    private var finished = false

    init(_ statement: Statement) { self.statement = statement }

    func next() -> Result<Batch, SQLiteError> {
        var batch = Batch()
        batch.done = finished
        do {
            while !finished && batch.rows < 1_024 {  // bounded by the batch
                guard try statement.step() else {
                    finished = true
                    batch.done = true
                    break
                }
                statement.appendRow(to: &batch.bytes)
                batch.rows += 1
            }
        } catch {
            finished = true
            return .failure(error)
        }
        return .success(batch)
    }
}

private func compare(table: String, orderBy: String, stored: Connection, rebuilt: Connection) throws -> String? {
    let sql = "SELECT * FROM \(table) ORDER BY \(orderBy)"
    let a = try stored.prepared(sql), b = try rebuilt.prepared(sql)
    defer { a.reset(); b.reset() }
    var row = 0
    while true {
        row += 1
        let hasA = try a.step(), hasB = try b.step()
        if !hasA && !hasB { return nil }
        if hasA && !hasB { return "stored row \(row) (\(describe(a))) is not in the rebuild" }
        if !hasA && hasB { return "rebuilt row \(row) (\(describe(b))) is missing from the stored table" }
        if !a.sameRow(as: b) { return "row \(row) (\(describe(a, columns: 2))): \(differences(a, b))" }
    }
}

/// The columns two rows differ in: `payout_minor: stored 155651, rebuilt 55651; ...` (an auditor
/// needs the changed figure, not the first columns of the row).
private func differences(_ a: Statement, _ b: Statement) -> String {
    let stored = a.row(), rebuilt = b.row()
    var shown: [String] = []
    for i in 0..<min(stored.count, rebuilt.count) where stored[i] != rebuilt[i] {
        shown.append("\(a.columnName(Int32(i))): stored \(value(stored[i])), rebuilt \(value(rebuilt[i]))")
    }
    if stored.count != rebuilt.count { shown.append("\(stored.count) columns stored, \(rebuilt.count) rebuilt") }
    return shown.isEmpty ? "the same values in other bytes" : shown.joined(separator: "; ")
}

private func value(_ v: SQLValue) -> String {
    switch v {
    case .null: return "NULL"
    case let .int(n): return "\(n)"
    case let .text(s): return s.count > 40 ? "\(s.prefix(40))..." : s
    case let .blob(b): return "<\(b.count) bytes>"
    }
}

private func describe(_ st: Statement, columns: Int32 = 6) -> String {
    (0..<min(st.columnCount, columns)).map { i -> String in
        let name = st.columnName(i)
        switch st.row()[Int(i)] {
        case .null: return "\(name)=NULL"
        case let .int(v): return "\(name)=\(v)"
        case let .text(s): return "\(name)=\(s.prefix(40))"
        case let .blob(b): return "\(name)=<\(b.count) bytes>"
        }
    }.joined(separator: ", ")
}
