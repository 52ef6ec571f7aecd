import LedgerCore

/// A fact's place in the hash chain: its sequence number and hash. The last fact's is the chain's
/// head. Written down away from the ledger (at a close, with a backup), it is an anchor that
/// `verify --head` checks: it catches a log cut back or rewritten after it, which the chain alone
/// cannot (docs/reliability.md).
public struct ChainHead: Equatable, Sendable, CustomStringConvertible {
    public let seq: Int64
    public let hash: [UInt8]

    public init(seq: Int64, hash: [UInt8]) {
        self.seq = seq
        self.hash = hash
    }

    public var hashHex: String { hex(hash) }

    /// `SEQ HASH`, as `verify` ends its report.
    public var description: String { "\(seq) \(hashHex)" }

    /// `SEQ:HASH` as `verify --head` takes it: a sequence number from 1 and 64 hex digits (either case).
    public init?(anchor: String) {
        let parts = anchor.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let seq = Int64(parts[0]), seq >= 1, let hash = hexBytes(parts[1]), hash.count == 32
        else { return nil }
        self.init(seq: seq, hash: hash)
    }
}

/// The bytes of an even number of hex digits, or nil.
private func hexBytes(_ text: Substring) -> [UInt8]? {
    let digits = Array(text.utf8)
    guard digits.count % 2 == 0 else { return nil }
    func value(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        case 0x41...0x46: return c - 0x41 + 10
        default: return nil
        }
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(digits.count / 2)
    for i in stride(from: 0, to: digits.count, by: 2) {
        guard let high = value(digits[i]), let low = value(digits[i + 1]) else { return nil }
        bytes.append(high << 4 | low)
    }
    return bytes
}

extension Ledger {
    /// The chain's head: the last fact's sequence number and hash (nil for an empty log). For
    /// anything shown with it (a statement, a report), read both in one `read`.
    public func head() throws -> ChainHead? {
        let st = try connection.prepared("SELECT seq, hash FROM facts ORDER BY seq DESC LIMIT 1")
        defer { st.reset() }
        return try st.step() ? ChainHead(seq: st.int(0), hash: st.blob(1)) : nil
    }
}
