import Crypto

/// The secrets of one ledger, kept in a key file apart from it (docs/security.md): the salt of its
/// e-mail hashes and the key that seals its payout accounts. The ledger keeps the key's
/// fingerprint, so that the key of another ledger is refused, and its own id, after which the key
/// file is named.
public struct LedgerKey: Equatable, Sendable {
    public let ledgerId: String
    /// The salt of the ledger's e-mail hashes (`emailHash`).
    public let emailSalt: String
    /// AES-256-GCM key of the payout accounts: 32 bytes.
    public let sealingKey: [UInt8]

    public static let sealingKeyBytes = 32

    public init(ledgerId: String, emailSalt: String, sealingKey: [UInt8]) {
        precondition(sealingKey.count == Self.sealingKeyBytes, "a sealing key has 32 bytes")
        self.ledgerId = ledgerId; self.emailSalt = emailSalt; self.sealingKey = sealingKey
    }

    /// SHA-256 over a label and the three values, hex: it names this key and no other, and tells
    /// nothing of the salt or the sealing key (at least 256 random bits go into it).
    public var fingerprint: String {
        var hasher = SHA256()
        hasher.update(data: Array("tally-key-fingerprint-1".utf8) + [0])
        hasher.update(data: Array(ledgerId.utf8) + [0])
        hasher.update(data: Array(emailSalt.utf8) + [0])
        hasher.update(data: sealingKey)
        return hex(Array(hasher.finalize()))
    }

    /// A fingerprint as messages show it: its first 16 hex digits.
    public static func shortFingerprint(_ fingerprint: String) -> String { String(fingerprint.prefix(16)) }

    public var hasher: EmailHasher { EmailHasher(salt: emailSalt) }

    /// Ledger ids name files (`ID.key`): 32 lower-case hex digits, nothing a path could be made of.
    public static func isValidLedgerId(_ id: String) -> Bool {
        id.utf8.count == 32 && id.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

// MARK: - The key file

extension LedgerKey {
    static let fileVersion = "1"

    /// The key file's text: a comment for whoever finds the file, then one `name: value` a line.
    public var fileText: String {
        """
        # The key of a tally ledger: the salt of its e-mail hashes and the key that seals its
        # payout accounts. Keep it private and backed up, apart from the ledger (docs/security.md).
        # Without it the ledger still gives every figure; with it, payout accounts can be opened.
        tally-key: \(Self.fileVersion)
        ledger-id: \(ledgerId)
        fingerprint: \(fingerprint)
        email-salt: \(emailSalt)
        sealing-key: \(hex(sealingKey))

        """
    }

    /// Reads a key file's text; what is wrong with it otherwise (a message's ending: "… is not a
    /// tally key file: REASON").
    public static func parse(fileText text: String) -> Result<LedgerKey, KeyFileProblem> {
        var fields: [String: String] = [:]
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false).prefix(maxLines) {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                return .failure(KeyFileProblem("a line without 'name:'"))
            }
            let name = String(line[..<colon])
            guard known.contains(name) else { return .failure(KeyFileProblem("unknown line '\(name.prefix(40))'")) }
            guard fields[name] == nil else { return .failure(KeyFileProblem("'\(name)' twice")) }
            fields[name] = String(line[line.index(after: colon)...]).trimmingASCIISpaces()
        }
        for name in known where fields[name] == nil { return .failure(KeyFileProblem("no '\(name)' line")) }
        guard fields["tally-key"] == fileVersion else {
            return .failure(KeyFileProblem("version \(fields["tally-key"]!), this tally reads version \(fileVersion)"))
        }
        let id = fields["ledger-id"]!, salt = fields["email-salt"]!
        guard isValidLedgerId(id) else { return .failure(KeyFileProblem("the ledger-id is not 32 hex digits")) }
        guard !salt.isEmpty else { return .failure(KeyFileProblem("the email-salt is empty")) }
        guard let sealing = bytes(hex: fields["sealing-key"]!), sealing.count == sealingKeyBytes else {
            return .failure(KeyFileProblem("the sealing-key is not 64 hex digits"))
        }
        let key = LedgerKey(ledgerId: id, emailSalt: salt, sealingKey: sealing)
        guard key.fingerprint == fields["fingerprint"] else {
            return .failure(KeyFileProblem("its fingerprint does not match its values (damaged or edited)"))
        }
        return .success(key)
    }

    static let known = ["tally-key", "ledger-id", "fingerprint", "email-salt", "sealing-key"]
    /// A key file has a handful of lines: reading stops here whatever a wrong file holds.
    static let maxLines = 100
}

/// Why a file is not a key file.
public struct KeyFileProblem: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Lower- or upper-case hex to bytes; nil for anything else.
public func bytes(hex text: String) -> [UInt8]? {
    let digits = Array(text.utf8)
    guard digits.count % 2 == 0 else { return nil }
    func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        case 0x41...0x46: return c - 0x41 + 10
        default: return nil
        }
    }
    var out: [UInt8] = []
    out.reserveCapacity(digits.count / 2)
    var i = 0
    while i < digits.count {
        guard let high = nibble(digits[i]), let low = nibble(digits[i + 1]) else { return nil }
        out.append(high << 4 | low)
        i += 2
    }
    return out
}
