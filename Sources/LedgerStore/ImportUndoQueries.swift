import LedgerCore

extension Ledger {
    /// Every order import, in log order (`tally imports`), with whether it was undone.
    public func orderImports() throws -> [ImportListing] {
        var result: [ImportListing] = []
        let st = try connection.prepared(
            """
            SELECT i.seq, i.source, i.file_name, i.sha256, i.as_of, f.recorded_at, i.counts, u.seq
            FROM imports i JOIN facts f ON f.seq = i.seq LEFT JOIN import_undos u ON u.import_seq = i.seq
            ORDER BY i.seq
            """)
        defer { st.reset() }
        while try st.step() {  // bounded by the imports
            guard case let .object(pairs)? = try? JSON.decode(st.text(6)) else {
                throw LedgerError.corrupt("imports.counts of import \(st.int(0)) is not a JSON object")
            }
            var counts: [String: Int64] = [:]
            for (name, value) in pairs { counts[name] = value.intValue }
            result.append(
                ImportListing(
                    id: st.int(0), source: st.text(1), fileName: st.text(2), sha256: st.text(3),
                    asOf: Instant(unixSeconds: st.int(4)),
                    recordedAt: Instant(unixSeconds: st.int(5)),
                    counts: counts, undoneBy: st.optionalInt(7)))
        }
        return result
    }

    /// The orders undoing `target` touches, by id (its source's): those it saw first (forgotten),
    /// and how many of its `order changed` facts each order that stays known loses (its newest ones:
    /// the import is the latest of its source). For `import undo --dry-run`'s money.
    public func undoneOrders(_ target: ImportListing) throws -> (forgotten: Set<String>, reversed: [String: Int]) {
        let start = try connection.scalarInt("SELECT max(seq) FROM imports WHERE seq < ?", [.int(target.id)]) ?? 0
        let range: [SQLValue] = [.int(start), .int(target.id), .text(target.source)]
        var forgotten: Set<String> = []
        let seen = try connection.prepared(
            "SELECT order_id FROM orders WHERE seen_seq > ?1 AND seen_seq < ?2 AND source = ?3")
        try seen.bind(range)
        while try seen.step() { forgotten.insert(seen.text(0)) }  // bounded by the import's orders
        seen.reset()
        var reversed: [String: Int] = [:]
        let changes = try connection.prepared(
            """
            SELECT c.order_id FROM order_changes c JOIN orders o ON o.source = c.source AND o.order_id = c.order_id
            WHERE c.seq > ?1 AND c.seq < ?2 AND c.source = ?3 AND o.seen_seq <= ?1
            """)
        try changes.bind(range)
        while try changes.step() { reversed[changes.text(0), default: 0] += 1 }  // bounded by the import's changes
        changes.reset()
        return (forgotten, reversed)
    }

    /// What undoing `target` (the latest import of its source not undone, `importToUndo`) changes,
    /// and the as-of each order it changed or confirmed had before it: the newest as-of among the
    /// order's first export, its changes recorded before the import, and the earlier imports (not
    /// undone) of its source that confirmed it. Read from the log, which alone keeps them.
    public func undoPlan(_ target: ImportListing) throws -> (effect: UndoEffect, asOfBefore: [String: Int64]) {
        let start = try connection.scalarInt("SELECT max(seq) FROM imports WHERE seq < ?", [.int(target.id)]) ?? 0
        let range: [SQLValue] = [.int(start), .int(target.id), .text(target.source)]
        var effect = UndoEffect()
        effect.ordersForgotten = Int(
            try connection.scalarInt(
                """
                SELECT count(*) FROM orders WHERE seen_seq > ?1 AND seen_seq < ?2 AND source = ?3
                """, range) ?? 0)
        var changed: Set<String> = []
        let changes = try connection.prepared(
            """
            SELECT c.order_id FROM order_changes c JOIN orders o ON o.source = c.source AND o.order_id = c.order_id
            WHERE c.seq > ?1 AND c.seq < ?2 AND c.source = ?3 AND o.seen_seq <= ?1
            """)
        try changes.bind(range)
        while try changes.step() {  // bounded by the import's changes
            effect.changesReversed += 1
            changed.insert(changes.text(0))
        }
        changes.reset()
        effect.ordersChanged = changed.count
        guard case let .importRecorded(recorded) = try fact(seq: target.id) else {
            throw LedgerError.corrupt("fact \(target.id) is not an import.recorded")
        }
        effect.ordersConfirmed = recorded.confirmedOrderIds.count
        let affected = changed.union(recorded.confirmedOrderIds)
        guard !affected.isEmpty else { return (effect, [:]) }
        let confirmedAsOf = try earlierConfirmations(source: target.source, before: start, of: affected)
        var asOfBefore: [String: Int64] = [:]
        for id in affected.sorted() {
            let seenSQL = "SELECT seen_seq FROM orders WHERE source = ? AND order_id = ?"
            guard let seenSeq = try connection.scalarInt(seenSQL, [.text(target.source), .text(id)]),
                case let .orderSeen(seen) = try fact(seq: seenSeq)
            else { continue }
            var asOf = max(seen.asOf.unixSeconds, confirmedAsOf[id] ?? Int64.min)
            let earlier = try connection.prepared(
                """
                SELECT seq FROM order_changes WHERE source = ?1 AND order_id = ?2 AND seq <= ?3 ORDER BY seq
                """)
            try earlier.bind([.text(target.source), .text(id), .int(start)])
            var seqs: [Int64] = []
            while try earlier.step() { seqs.append(earlier.int(0)) }  // bounded by the order's changes
            earlier.reset()
            for seq in seqs {
                if case let .orderChanged(change) = try fact(seq: seq) { asOf = max(asOf, change.asOf.unixSeconds) }
            }
            asOfBefore[id] = asOf
        }
        return (effect, asOfBefore)
    }

    /// The newest as-of at which an import of `source` recorded before fact `before`, and not
    /// undone, confirmed each of `ids`.
    private func earlierConfirmations(source: String, before: Int64, of ids: Set<String>) throws -> [String: Int64] {
        let st = try connection.prepared(
            """
            SELECT seq FROM imports WHERE source = ?1 AND seq <= ?2 AND seq NOT IN (SELECT import_seq FROM import_undos)
            """)
        try st.bind([.text(source), .int(before)])
        var seqs: [Int64] = []
        while try st.step() { seqs.append(st.int(0)) }  // bounded by the imports
        st.reset()
        var result: [String: Int64] = [:]
        for seq in seqs {
            guard case let .importRecorded(r) = try fact(seq: seq) else { continue }
            for id in r.confirmedOrderIds where ids.contains(id) {
                result[id] = max(result[id] ?? Int64.min, r.asOf.unixSeconds)
            }
        }
        return result
    }

    /// The fact at `seq`, decoded.
    func fact(seq: Int64) throws -> Fact {
        let st = try connection.prepared("SELECT type, version, payload FROM facts WHERE seq = ?")
        try st.bind(.int(seq), at: 1)
        defer { st.reset() }
        guard try st.step() else { throw LedgerError.corrupt("fact \(seq) is missing") }
        return try Fact.decode(type: st.text(0), version: Int(st.int(1)), payload: st.withBytes(2) { Array($0) })
    }
}
