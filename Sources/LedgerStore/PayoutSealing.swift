import Crypto
import Foundation
import LedgerCore

/// Payout accounts (a PayPal e-mail, an IBAN) are the one personal detail Tally must be able to read
/// back: the payment files need them. They are kept sealed with AES-GCM under a per-ledger key
/// kept in the ledger's key file (`LedgerKey`, docs/security.md), so that no account appears in clear
/// anywhere in the ledger file: not in the log, not in a projection, not in a copy or a `tally log`
/// extract, and the file alone cannot open them. Whoever has the key can, as a payment run must.
/// (A ledger made before key files keeps the key in `ledger_meta` until `tally key move-out`.)
/// The nonce is derived from the account (HMAC), so the same account always seals to the same text
/// and re-importing an unchanged creator adds nothing.
public enum PayoutSealing {
    static let prefix = "sealed1:"

    public static func isSealed(_ stored: String) -> Bool { stored.hasPrefix(prefix) }

    public static func seal(_ account: String, key: SymmetricKey) -> String {
        let plain = Array(account.utf8)
        let mac = Array(HMAC<SHA256>.authenticationCode(for: plain, using: key))
        // A fixed 12-byte nonce per (key, account): equal accounts seal equally, different ones never share a nonce.
        guard let nonce = try? AES.GCM.Nonce(data: mac[0..<12]),
            let box = try? AES.GCM.seal(plain, using: key, nonce: nonce), let combined = box.combined
        else {
            preconditionFailure("AES-GCM sealing failed")
        }
        return prefix + Data(combined).base64EncodedString()
    }

    public static func open(_ stored: String, key: SymmetricKey) -> String? {
        guard isSealed(stored) else { return stored }  // never sealed (written by a test or by hand)
        guard let data = Data(base64Encoded: String(stored.dropFirst(prefix.count))),
            let box = try? AES.GCM.SealedBox(combined: data),
            let plain = try? AES.GCM.open(box, using: key)
        else { return nil }
        return String(decoding: plain, as: UTF8.self)
    }
}
