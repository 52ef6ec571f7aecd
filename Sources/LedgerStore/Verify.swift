import LedgerCore

/// What `tally verify` found.
public struct VerifyReport: Sendable {
    public var factsChecked: Int64 = 0
    /// The first sequence number at which the chain is broken, if any.
    public var firstBadSeq: Int64?
    public var problems: [String] = []
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
        var anchorHash: [UInt8]?
        let scratch = try Connection(path: ":memory:", options: .init(create: true))
        for migration in embeddedMigrations { try Ledger.apply(migration, to: scratch) }
        let projector = Projector(connection: scratch, zone: settings.zone)
        var previous = FactLog.genesis
        var expectedSeq: Int64 = 1
        var chainBroken = false
        try scratch.transaction {
            try log.forEach { stored in
                report.factsChecked += 1
                if !chainBroken {
                    if stored.seq != expectedSeq {
                        report.firstBadSeq = expectedSeq
                        report.problems.append("fact \(expectedSeq) is missing: the log jumps from \(expectedSeq - 1) to \(stored.seq)")
                        chainBroken = true
                    } else {
                        let hash = FactLog.chainHash(previous: previous, seq: stored.seq, type: stored.type, version: stored.version,
                                                     effectiveAt: stored.effectiveAt.unixSeconds, recordedAt: stored.recordedAt.unixSeconds,
                                                     payload: stored.payload)
                        if hash != stored.hash {
                            report.firstBadSeq = stored.seq
                            report.problems.append("fact \(stored.seq) (\(stored.type)) does not match its hash: it was edited, or facts were removed or reordered here")
                            chainBroken = true
                        }
                    }
                }
                previous = stored.hash
                expectedSeq = stored.seq + 1
                report.head = ChainHead(seq: stored.seq, hash: stored.hash)
                if stored.seq == anchor?.seq { anchorHash = stored.hash }
                do {
                    try projector.apply(try stored.decoded(), seq: stored.seq)
                } catch {
                    report.problems.append("fact \(stored.seq) (\(stored.type)) cannot be read: \(error)")
                }
            }
        }
        pause(at: .verifyLogRead)
        if report.factsChecked == 0 { report.problems.append("the log is empty: not even the ledger.initialized fact") }
        if let anchor, let problem = anchorProblem(anchor, found: anchorHash, head: report.head) {
            report.problems.append(problem)
        }
        // Without its triggers the log still verifies, but nothing stops an UPDATE any more:
        // someone changed the schema with another tool.
        for trigger in ["facts_are_append_only_update", "facts_are_append_only_delete"] {
            let present = try connection.scalarInt("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = ?", [.text(trigger)])
            if present != 1 { report.problems.append("the append-only trigger \(trigger) is missing: the schema was changed outside tally") }
        }
        for table in Projector.tables {
            if let difference = try compare(table: table.name, orderBy: table.orderBy, stored: connection, rebuilt: scratch) {
                report.problems.append("projection \(table.name) differs from a rebuild from the log: \(difference)")
            }
        }
        return report
    }

    /// Recomputes every projection from the log, in one transaction.
    public func rebuild() throws -> Int64 {
        // One big transaction: written once with the rollback journal (see `withRollbackJournal`).
        try withRollbackJournal {
            try write { ledger throws in
                try ledger.projector.clear()
                return try ledger.replay()
            }
        }
    }

    /// Applies every fact to the projections, in log order. The orders' facts are read straight
    /// from their canonical bytes (`Fact.decodeCanonical`), every other through `Fact.decode`.
    private func replay() throws -> Int64 {
        let st = try connection.prepared("SELECT seq, type, version, payload FROM facts ORDER BY seq")
        defer { st.reset() }
        var count: Int64 = 0
        while try st.step() {  // bounded by the log
            let seq = st.int(0), type = st.text(1), version = Int(st.int(2))
            // The scanner reads every layout of its types; the one it found must be the stored one.
            let fast = st.withBytes(3) { Fact.decodeCanonical(type: type, payload: $0) }
                .flatMap { $0.version == version ? $0 : nil }
            let fact = try fast ?? Fact.decode(type: type, version: version, payload: st.withBytes(3) { Array($0) })
            try projector.apply(fact, seq: seq)
            count += 1
        }
        return count
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
        if a.row() != b.row() { return "row \(row): stored \(describe(a)), rebuilt \(describe(b))" }
    }
}

private func describe(_ st: Statement) -> String {
    (0..<min(st.columnCount, 6)).map { i -> String in
        let name = st.columnName(i)
        switch st.row()[Int(i)] {
        case .null: return "\(name)=NULL"
        case let .int(v): return "\(name)=\(v)"
        case let .text(s): return "\(name)=\(s.prefix(40))"
        case let .blob(b): return "\(name)=<\(b.count) bytes>"
        }
    }.joined(separator: ", ")
}
