import Crypto
import LedgerCore

/// What a ledger holds of its key. Ledgers made before key files hold the secrets themselves (the
/// salt in their first fact, the sealing key in `ledger_meta`) until `tally key move-out`; every
/// other holds only its id and the key's fingerprint.
public enum KeyBinding: Equatable, Sendable {
    case inside(emailSalt: String)
    case outside(ledgerId: String, fingerprint: String)
}

/// What a command needs the key for: the error says so.
public enum KeyUse: Sendable {
    case hashEmails, sealAccounts, openAccounts, exportKey

    var description: String {
        switch self {
        case .hashEmails: return "to hash e-mail addresses with its salt"
        case .sealAccounts: return "to seal payout accounts"
        case .openAccounts: return "to open the sealed payout accounts"
        case .exportKey: return "to copy it"
        }
    }
}

extension Ledger {
    /// Whether the secrets are still in the ledger file (`tally key move-out` takes them out).
    public var keyIsInside: Bool {
        if case .inside = settings.keyBinding { return true }
        return false
    }

    /// The ledger's id (names its key file); nil while the key is inside.
    public var ledgerId: String? {
        if case let .outside(id, _) = settings.keyBinding { return id }
        return nil
    }

    /// The key of a ledger whose key is outside it, found where `keySource` says and checked
    /// against the fingerprint, once per command. Throws a message naming the ledger, where the
    /// key was looked for and what `use` needed it.
    public func key(for use: KeyUse) throws(LedgerError) -> LedgerKey {
        if let checkedKey { return checkedKey }
        guard !keyIsInside else {
            preconditionFailure("key(for:) of a ledger that holds its key: ask emailHasher() or sealingKey()")
        }
        let key: LedgerKey
        switch keySource {
        case let .given(given):
            key = given
        case let .nowhere(reason):
            throw .keyNowhere(ledger: path, reason: reason, use: use.description)
        case let .file(file):
            guard let found = try KeyFile.read(file) else {
                throw .keyMissing(ledger: path, keyFile: file, use: use.description)
            }
            key = found
        }
        try check(key, keyFile: keySource.place)
        checkedKey = key
        return key
    }

    /// Refuses a key that is not this ledger's: its fingerprint is not the one the ledger keeps.
    public func check(_ key: LedgerKey, keyFile: String) throws(LedgerError) {
        guard case let .outside(id, fingerprint) = settings.keyBinding else {
            preconditionFailure("check(_:) of a ledger that holds its key")
        }
        guard key.fingerprint == fingerprint else {
            throw .keyMismatch(ledger: path, keyFile: keyFile, keyLedgerId: key.ledgerId, ledgerId: id)
        }
    }

    /// Why the key cannot be used although a key file is there: damaged, unreadable or another
    /// ledger's. Nil when the key is at hand, inside the ledger, or simply not there (no key file):
    /// a listing that works without the key says which of the two it met.
    public func keyFileProblem() -> LedgerError? {
        guard !keyIsInside else { return nil }
        do {
            _ = try key(for: .exportKey)
            return nil
        } catch {
            switch error {
            case .keyMissing, .keyNowhere: return nil
            default: return error
            }
        }
    }

    /// The key if it can be had, else nil (for what is better with the key but works without it:
    /// `verify`, the masked creator listing). Nil too while the key is inside.
    public func keyIfAvailable() -> LedgerKey? {
        guard !keyIsInside else { return nil }
        return try? key(for: .exportKey)
    }

    /// The hash of e-mail addresses, with the ledger's salt: a value another thread can use (an
    /// import hashes on its reading thread). Needs the key.
    public func emailHasher() throws(LedgerError) -> EmailHasher {
        if let hasher = cachedHasher { return hasher }
        let hasher: EmailHasher
        switch settings.keyBinding {
        case let .inside(salt): hasher = EmailHasher(salt: salt)
        case .outside: hasher = try key(for: .hashEmails).hasher
        }
        cachedHasher = hasher
        return hasher
    }

    /// Salted hash of an e-mail address (trimmed, lower-cased): the only form in which an e-mail is
    /// kept. Needs the key.
    public func emailHash(_ email: String) throws(LedgerError) -> String? { try emailHasher().hash(email) }

    /// The key that seals payout accounts. Needs the key. A ledger that holds its key gets one in
    /// `ledger_meta` on first use (inside a write), as before key files.
    public func sealingKey() throws -> SymmetricKey {
        switch settings.keyBinding {
        case .inside:
            if let inside = try sealingKeyInside() { return inside }
            // A `key move-out` may have committed since this command opened the ledger: a key made
            // now would seal accounts that the key file cannot open.
            if try connection.scalarInt("SELECT count(*) FROM facts WHERE type = 'ledger.redacted'") != 0 {
                throw LedgerError.keyMovedMeanwhile(ledger: path)
            }
            let key = SymmetricKey(size: .bits256)
            try connection.run(
                "INSERT INTO ledger_meta (key, value) VALUES ('payout_key', ?)",
                [.text(key.withUnsafeBytes { hex(Array($0)) })])
            return key
        case .outside:
            return SymmetricKey(data: try key(for: .sealAccounts).sealingKey)
        }
    }

    /// The sealing key kept in `ledger_meta` by a ledger that holds its key (nil: none made yet).
    func sealingKeyInside() throws -> SymmetricKey? {
        guard let text = try connection.scalarText("SELECT value FROM ledger_meta WHERE key = 'payout_key'"),
            let bytes = bytes(hex: text)
        else { return nil }
        return SymmetricKey(data: bytes)
    }

    /// A payout account as the payment files need it. Needs the key.
    public func openPayoutAccount(_ stored: String) throws -> String {
        guard PayoutSealing.isSealed(stored) else { return stored }
        let key: SymmetricKey?
        switch settings.keyBinding {
        case .inside: key = try sealingKeyInside()
        case .outside: key = SymmetricKey(data: try self.key(for: .openAccounts).sealingKey)
        }
        guard let key, let plain = PayoutSealing.open(stored, key: key) else {
            throw LedgerError.corrupt(
                "a payout account cannot be unsealed (the ledger's payout key is missing or "
                    + "does not match); re-import the creators' payout details")
        }
        return plain
    }
}
