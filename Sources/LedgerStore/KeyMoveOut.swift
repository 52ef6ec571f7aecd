import LedgerCore

/// `tally key move-out`, the ledger's part: a ledger made before key files holds its e-mail salt in
/// its first fact and its sealing key in `ledger_meta`. Both leave the file; the chain stays
/// verifiable (docs/security.md, "Moving the key out"):
///
/// - fact 1 keeps its row and its stored hash (the hash of the version 1 payload, salt included),
///   and its payload becomes a version 2 one: the same settings, the ledger's new id and the key's
///   fingerprint (which commits to the salt: the key holds it);
/// - a `ledger.redacted` fact, appended and chained as any other, records the SHA-256 of that new
///   payload: without the key, `verify` checks fact 1 against it and takes fact 1's stored hash as
///   the anchor of the rest of the chain; with the key, it rebuilds the version 1 payload from the
///   key's salt and checks the stored hash itself.
extension Ledger {
    /// The files SQLite keeps beside a ledger: their bytes are the ledger's too.
    public static let companionSuffixes = ["-wal", "-shm", "-journal"]

    /// What a ledger that holds its key keeps of it: the salt, and the sealing key if one was made.
    public func secretsInside() throws -> (emailSalt: String, sealingKey: [UInt8]?) {
        guard case let .inside(salt) = settings.keyBinding else { preconditionFailure("the key is not inside") }
        return (salt, try sealingKeyInside()?.withUnsafeBytes { Array($0) })
    }

    /// Whether a move-out committed but the overwriting of the old bytes (`scrub`) has not finished.
    public var scrubPending: Bool {
        (try? connection.scalarText("SELECT value FROM ledger_meta WHERE key = 'scrub_pending'")) != nil
    }

    /// Takes the secrets out of the ledger, in one transaction (all of it or nothing): fact 1's
    /// payload redacted, the sealing key deleted, the `ledger.redacted` fact appended, a note that
    /// the old bytes are still to be overwritten (`scrub`). The append-only trigger that refuses any
    /// UPDATE of a fact is dropped for that one statement and put back as it was, in the same
    /// transaction. `key` must hold the ledger's salt (and its sealing key, if it had one).
    public func moveKeyOut(_ key: LedgerKey) throws {
        guard case let .inside(salt) = settings.keyBinding, key.emailSalt == salt else {
            preconditionFailure("moveKeyOut with a key that is not this ledger's")
        }
        // Deleted and overwritten cells are zeroed in their pages, so that no later write carries
        // the old bytes along.
        try connection.execute("PRAGMA secure_delete = ON")
        try write { ledger throws in
            guard case let .ledgerInitializedV1(first)? = try firstFact() else {
                throw LedgerError.corrupt("its first fact is not a ledger.initialized holding a salt")
            }
            let redacted = LedgerInitialized(
                baseCurrency: first.baseCurrency, zone: first.zone, ledgerId: key.ledgerId,
                keyFingerprint: key.fingerprint, at: first.at)
            var payload: [UInt8] = []
            Fact.ledgerInitialized(redacted).writePayload(into: &payload)
            try replaceFirstPayload(version: LedgerInitialized.version, payload: payload)
            try connection.run("DELETE FROM ledger_meta WHERE key = 'payout_key'")
            try connection.run(
                "INSERT OR REPLACE INTO ledger_meta (key, value) VALUES ('scrub_pending', ?)",
                [.text("1")])
            try ledger.append(
                .ledgerRedacted(
                    LedgerRedacted(
                        factSeq: 1, factVersion: 1,
                        redactedSHA256: sha256Hex(payload),
                        at: clock.now())))
        }
        settings = LedgerSettings(
            baseCurrency: settings.baseCurrency, zone: settings.zone,
            keyBinding: .outside(ledgerId: key.ledgerId, fingerprint: key.fingerprint))
        keySource = .given(key)
        checkedKey = key
        cachedHasher = nil
    }

    /// Overwrites what is left of the old bytes: the WAL emptied and truncated (its old frames
    /// held the first fact as written), the file rebuilt by `VACUUM` (no free page or free space in
    /// a page keeps a deleted cell), the WAL truncated again. Needs every other command to have
    /// finished with the ledger; run again (`key move-out`) it finishes an interrupted one.
    public func scrub() throws {
        do {
            try connection.execute("PRAGMA secure_delete = ON")
            try checkpointTruncating()
            try connection.execute("VACUUM")
            try checkpointTruncating()
            try connection.run("DELETE FROM ledger_meta WHERE key = 'scrub_pending'")
            try checkpointTruncating()
        } catch let error as SQLiteError {
            throw Ledger.map(error, path: path)
        }
    }

    /// `wal_checkpoint(TRUNCATE)`: every frame copied into the file and the WAL cut to 0 bytes; busy
    /// while another connection still reads an older state.
    private func checkpointTruncating() throws {
        let busy = try connection.scalarInt("PRAGMA wal_checkpoint(TRUNCATE)")
        if busy != 0 { throw LedgerError.busy(path: path) }
    }

    /// Fact 1, decoded.
    func firstFact() throws -> Fact? {
        let st = try connection.prepared("SELECT type, version, payload FROM facts WHERE seq = 1")
        defer { st.reset() }
        guard try st.step() else { return nil }
        return try Fact.decode(type: st.text(0), version: Int(st.int(1)), payload: st.withBytes(2) { Array($0) })
    }

    /// The one UPDATE of a fact tally ever makes: the trigger that forbids it is dropped and
    /// recreated from its own stored SQL around it (inside the caller's transaction).
    private func replaceFirstPayload(version: Int, payload: [UInt8]) throws {
        let trigger = "facts_are_append_only_update"
        guard
            let sql = try connection.scalarText(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                [.text(trigger)])
        else {
            throw LedgerError.corrupt("the append-only trigger \(trigger) is missing")
        }
        try connection.execute("DROP TRIGGER \(trigger)")
        try connection.run(
            "UPDATE facts SET version = ?, payload = ? WHERE seq = 1",
            [.int(Int64(version)), .text(String(decoding: payload, as: UTF8.self))])
        try connection.execute(sql)
    }
}
