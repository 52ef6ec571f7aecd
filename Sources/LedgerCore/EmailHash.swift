import Crypto

/// The salted hash of an e-mail address (trimmed, lower-cased): the only form in which a ledger
/// keeps an e-mail. The salt is the ledger's own (`ledger.initialized`), so hashes cannot be compared
/// across ledgers; within one, equal addresses hash equally (self-referrals, ledger rules §4).
public func emailHash(_ email: String, salt: String) -> String? {
    let normalized = email.trimmingASCIISpaces().lowercased()
    guard !normalized.isEmpty else { return nil }
    return sha256Hex(Array((salt + ":" + normalized).utf8))
}

/// `emailHash` for many addresses: the salt's SHA-256 prefix state, copied for each address.
public struct EmailHasher: @unchecked Sendable {  // SHA256 is a value type with no shared state
    private let salt: String
    private let saltedPrefix: SHA256

    public init(salt: String) {
        self.salt = salt
        var hasher = SHA256()
        hasher.update(data: Array((salt + ":").utf8))
        saltedPrefix = hasher
    }

    public func hash(_ email: String) -> String? {
        switch fastDigest(email) {
        case let .digest(d): return hex(d.withUnsafeBytes { Array($0) })
        case .noAddress: return nil
        case nil: return emailHash(email, salt: salt)
        }
    }

    /// Whether `email` hashes to `hex` (lower-case hex, as stored), without building the hash's string.
    public func matches(_ email: String?, hex stored: UnsafeRawBufferPointer) -> Bool {
        guard let email else { return false }
        switch fastDigest(email) {
        case let .digest(d):
            guard stored.count == 64 else { return false }
            let digits: StaticString = "0123456789abcdef"
            return d.withUnsafeBytes { bytes in
                digits.withUTF8Buffer { digits in
                    for (i, b) in bytes.enumerated() {
                        let high = digits[Int(b >> 4)], low = digits[Int(b & 15)]
                        if stored[2 * i] != high || stored[2 * i + 1] != low { return false }
                    }
                    return true
                }
            }
        case .noAddress: return false
        case nil: return emailHash(email, salt: salt).map { stored.elementsEqual($0.utf8) } ?? false
        }
    }

    private enum FastDigest { case digest(SHA256.Digest), noAddress }

    /// The fast path (an import hashes one address per order): ASCII, lower-cased and trimmed in a
    /// byte buffer, hashed from a copy of the salted prefix state. Same value as the long way; nil
    /// for anything else (non-ASCII), which takes the long way.
    private func fastDigest(_ email: String) -> FastDigest? {
        var saltedState = saltedPrefix
        return email.utf8.withContiguousStorageIfAvailable { raw -> FastDigest? in
            let bytes = trimmedASCIISpaces(raw)
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            guard !bytes.isEmpty else { return .noAddress }
            // Lower-cased in a scratch buffer on the stack for most addresses (no allocation per order).
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count) { lowered in
                for i in 0..<bytes.count { lowered[i] = bytes[i] &- 0x41 < 26 ? bytes[i] | 0x20 : bytes[i] }
                saltedState.update(bufferPointer: UnsafeRawBufferPointer(lowered))
                return .digest(saltedState.finalize())
            }
        } ?? nil
    }
}

private func trimmedASCIISpaces(_ raw: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    var start = 0, end = raw.count
    func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
    while start < end, isSpace(raw[start]) { start += 1 }
    while end > start, isSpace(raw[end - 1]) { end -= 1 }
    return UnsafeBufferPointer(rebasing: raw[start..<end])
}

public func sha256Hex(_ bytes: [UInt8]) -> String { hex(Array(SHA256.hash(data: bytes))) }

public func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8](); out.reserveCapacity(bytes.count * 2)
    for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
    return String(decoding: out, as: UTF8.self)
}
