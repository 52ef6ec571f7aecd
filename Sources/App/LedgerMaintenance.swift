import LedgerCore
import LedgerStore
import OrderImport

/// A fact as `tally log` shows it: payout accounts masked (e-mails are never stored in clear).
public struct LoggedFact: Sendable {
    public var seq: Int64
    public var type: String
    public var version: Int
    public var effectiveAt: Instant
    public var recordedAt: Instant
    /// The chain hash, hex.
    public var hash: String
    /// The canonical payload, with payout accounts masked.
    public var payload: String
}

extension LedgerSession {
    /// `log`: every fact from `since` on, in log order, to `body` (one at a time: a log may be long).
    public func forEachFact(since: Int64, _ body: (LoggedFact) throws -> Void) throws {
        try ledger.forEachFact(since: since) { stored in
            try body(
                LoggedFact(
                    seq: stored.seq, type: stored.type, version: stored.version,
                    effectiveAt: stored.effectiveAt, recordedAt: stored.recordedAt, hash: hex(stored.hash),
                    payload: maskedPayload(stored.payload)))
        }
    }

    /// `verify`: the hash chain, and the projections against a rebuild from the log, in one read;
    /// with `anchor`, also that this fact is still in the log with this hash.
    public func verify(anchor: ChainHead? = nil) throws -> VerifyReport { try ledger.verify(anchor: anchor) }

    /// `backup FILE`: a consistent copy of the ledger, written atomically (`BackupError` when refused).
    public func backup(to file: String, replacing: Bool) throws -> BackupResult {
        try ledger.backup(to: file, replacing: replacing)
    }

    /// `rebuild`: every projection recomputed from the log; the number of facts replayed.
    public func rebuild() throws -> Int64 { try ledger.rebuild() }
}

/// The payload as stored, with payout accounts masked (only the last 4 characters shown).
func maskedPayload(_ payload: [UInt8]) -> String {
    let text = String(decoding: payload, as: UTF8.self)
    guard text.contains("\"payout_account\":\""), var json = try? JSON.decode(payload) else { return text }
    if case let .object(pairs) = json {
        json = .object(
            pairs.map { key, value in
                if key == "payout_account", let account = value.stringValue {
                    return (key, .string(maskAccount(account)))
                }
                return (key, value)
            })
    }
    return json.encodedString
}

/// A stored payout account, masked: a sealed one shows nothing of itself.
func maskAccount(_ account: String) -> String {
    PayoutSealing.isSealed(account) ? "****(sealed)" : maskedAccountTail(account)
}

/// What `tally debug tokenize` counts: the CSV tokenizer alone, the benchmark's floor for an import.
public struct TokenizeCount: Sendable {
    public var records = 0
    public var fields = 0
    public var bytes = 0
}

/// Reads every field of every record of `path`, as an import would, and nothing else.
public func tokenize(_ path: String) throws -> TokenizeCount {
    var reader: CSVReader
    do { reader = try CSVReader(path: path) } catch { throw UserError("\(path): \(error)") }
    var count = TokenizeCount()
    do {
        while try reader.next() {
            count.records += 1
            count.fields += reader.fieldCount
            for i in 0..<reader.fieldCount { count.bytes &+= reader.withField(i) { $0.count } }
        }
    } catch { throw UserError("\(path):\(error.line):\(error.column): \(error.message)") }
    return count
}
