import Crypto
import Foundation
import LedgerCore

/// Payout accounts (a PayPal e-mail, an IBAN) are the one personal detail Tally must be able to read
/// back: the payment files need them. They are kept sealed with AES-GCM under a per-ledger key
/// (in `ledger_meta`), so that no account or e-mail appears in clear anywhere in the file: not in
/// the log, not in a projection, not in a copied table or a `tally log` extract. Whoever has the
/// whole file and Tally can still open them, as a payment run must; keep ledgers on encrypted
/// storage for more. The nonce is derived from the account (HMAC), so the same account always
/// seals to the same text and re-importing an unchanged creator adds nothing.
public enum PayoutSealing {
    static let prefix = "sealed1:"

    public static func isSealed(_ stored: String) -> Bool { stored.hasPrefix(prefix) }

    public static func seal(_ account: String, key: SymmetricKey) -> String {
        let plain = Array(account.utf8)
        let mac = Array(HMAC<SHA256>.authenticationCode(for: plain, using: key))
        // A fixed 12-byte nonce per (key, account): equal accounts seal equally, different ones never share a nonce.
        guard let nonce = try? AES.GCM.Nonce(data: mac[0..<12]),
              let box = try? AES.GCM.seal(plain, using: key, nonce: nonce), let combined = box.combined else {
            preconditionFailure("AES-GCM sealing failed")
        }
        return prefix + Data(combined).base64EncodedString()
    }

    public static func open(_ stored: String, key: SymmetricKey) -> String? {
        guard isSealed(stored) else { return stored }  // never sealed (written by a test or by hand)
        guard let data = Data(base64Encoded: String(stored.dropFirst(prefix.count))),
              let box = try? AES.GCM.SealedBox(combined: data),
              let plain = try? AES.GCM.open(box, using: key) else { return nil }
        return String(decoding: plain, as: UTF8.self)
    }
}

extension Ledger {
    /// The ledger's sealing key, created on first use (inside a write).
    public func payoutKey() throws -> SymmetricKey {
        if let hex = try connection.scalarText("SELECT value FROM ledger_meta WHERE key = 'payout_key'"), let bytes = bytes(fromHex: hex) {
            return SymmetricKey(data: bytes)
        }
        let key = SymmetricKey(size: .bits256)
        let hexKey = key.withUnsafeBytes { hex(Array($0)) }
        try connection.run("INSERT INTO ledger_meta (key, value) VALUES ('payout_key', ?)", [.text(hexKey)])
        return key
    }

    /// The key if the ledger has one (read-only use).
    func existingPayoutKey() throws -> SymmetricKey? {
        guard let hex = try connection.scalarText("SELECT value FROM ledger_meta WHERE key = 'payout_key'"), let bytes = bytes(fromHex: hex) else { return nil }
        return SymmetricKey(data: bytes)
    }

    /// A payout account as the payment files need it.
    public func openPayoutAccount(_ stored: String) throws -> String {
        guard PayoutSealing.isSealed(stored) else { return stored }
        guard let key = try existingPayoutKey(), let plain = PayoutSealing.open(stored, key: key) else {
            throw LedgerError.corrupt("a payout account cannot be unsealed (the ledger's payout key is missing or does not match); re-import the creators' payout details")
        }
        return plain
    }
}

private func bytes(fromHex hex: String) -> [UInt8]? {
    let chars = Array(hex.utf8)
    guard chars.count % 2 == 0 else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(chars.count / 2)
    var i = 0
    while i < chars.count {
        guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else { return nil }
        out.append(hi << 4 | lo)
        i += 2
    }
    return out
}

private func nibble(_ c: UInt8) -> UInt8? {
    switch c {
    case 0x30...0x39: return c - 0x30
    case 0x61...0x66: return c - 0x61 + 10
    case 0x41...0x46: return c - 0x41 + 10
    default: return nil
    }
}
