// Customers are e-mail hashes: 64-character strings. The plan rules (section 8) look a customer up
// once or twice per order, a million times at a million orders; a `[String: Int]` spends most of
// that in SipHash over 64 bytes and in comparing keys that live in a heap object each. Here each
// distinct key gets a number once, its bytes kept in one buffer, and a look-up is a 64-bit hash of
// the bytes, a bit filter, a probe of a flat table and (when the stored hash matches) one
// comparison: the store probes it with the bytes of a SQLite row in place, without building a
// String. Keys are equal when their bytes are (an e-mail hash is ASCII hex, where that is String
// equality).

/// Byte strings numbered 0, 1, 2, ... in the order first numbered.
public struct CustomerNumbers: Sendable {
    /// Every key's bytes, one after another; key `n` is `bytes[starts[n]..<starts[n + 1]]`.
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]
    /// Open addressing, linear probing, a power of two long, at most half full: 0 is an empty slot,
    /// else the upper 32 bits of the key's hash and the key's number plus one in the lower 32.
    private var slots: [UInt64]
    /// One bit per 16 keys' worth of hash values, set for every key: a look-up of a key not in the
    /// table (most rows of the store's pass over the orders without a code) usually ends here, in
    /// a bit array small enough for the processor's cache, instead of in the larger slot table.
    private var filter: [UInt64]

    /// The number of keys numbered.
    public var count: Int { starts.count - 1 }

    /// Room for `capacity` keys before the table grows.
    public init(capacity: Int = 0) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        filter = Array(repeating: 0, count: size / 8)
    }

    /// The number of `key`, numbering it when new.
    public mutating func number(_ key: String) -> Int {
        var key = key
        return key.withUTF8 { number(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// The number of `key`, nil when it has none.
    public func find(_ key: String) -> Int? {
        var key = key
        return key.withUTF8 { find(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// The number of the key made of `key`'s bytes, numbering it when new.
    public mutating func number(bytes key: UnsafeRawBufferPointer) -> Int {
        let hash = Self.hash(key)
        let (slot, found) = probe(key, hash)
        if let found { return found }
        let n = count
        bytes.append(contentsOf: key)
        starts.append(bytes.count)
        slots[slot] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(n + 1)
        setFilterBit(hash)
        if count * 2 > slots.count { grow() }
        return n
    }

    /// The number of the key made of `key`'s bytes, nil when it has none.
    public func find(bytes key: UnsafeRawBufferPointer) -> Int? {
        let hash = Self.hash(key)
        let bit = filterBit(hash)
        guard filter.withUnsafeBufferPointer({ $0[bit >> 6] }) & (1 << UInt64(bit & 63)) != 0 else { return nil }
        return probe(key, hash).found
    }

    /// The filter's bit for `hash`: from bits the slot index and the tag do not use first.
    @inline(__always)
    private static func filterBit(_ hash: UInt64, bits: Int) -> Int {
        Int(truncatingIfNeeded: (hash >> 16) ^ (hash << 7)) & (bits - 1)
    }

    private func filterBit(_ hash: UInt64) -> Int { Self.filterBit(hash, bits: filter.count * 64) }

    private mutating func setFilterBit(_ hash: UInt64) {
        let bit = filterBit(hash)
        filter[bit >> 6] |= 1 << UInt64(bit & 63)
    }

    /// Key `n`'s bytes as a String.
    public func key(_ n: Int) -> String {
        bytes.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[starts[n]..<starts[n + 1]]), as: UTF8.self)
        }
    }

    /// The slot holding `key` (and its number), or the empty slot where it belongs.
    private func probe(_ key: UnsafeRawBufferPointer, _ hash: UInt64) -> (slot: Int, found: Int?) {
        let mask = slots.count - 1
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var i = Int(truncatingIfNeeded: hash) & mask
        return slots.withUnsafeBufferPointer { slots in
            bytes.withUnsafeBufferPointer { stored in
                starts.withUnsafeBufferPointer { starts in
                    while true {
                        let slot = slots[i]
                        if slot == 0 { return (i, nil) }
                        if slot & 0xFFFF_FFFF_0000_0000 == tag {
                            let n = Int(slot & 0xFFFF_FFFF) - 1
                            let start = starts[n], length = starts[n + 1] - start
                            if length == key.count
                                && (length == 0 || memoryEqual(stored.baseAddress! + start, key.baseAddress!, length))
                            {
                                return (i, n)
                            }
                        }
                        i = (i + 1) & mask
                    }
                }
            }
        }
    }

    private mutating func grow() {
        var slots = Array(repeating: UInt64(0), count: self.slots.count * 2)
        var filter = Array(repeating: UInt64(0), count: slots.count / 8)
        let mask = slots.count - 1
        bytes.withUnsafeBytes { stored in
            for n in 0..<count {
                let hash = Self.hash(UnsafeRawBufferPointer(rebasing: stored[starts[n]..<starts[n + 1]]))
                var i = Int(truncatingIfNeeded: hash) & mask
                while slots[i] != 0 { i = (i + 1) & mask }
                slots[i] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(n + 1)
                let bit = Self.filterBit(hash, bits: filter.count * 64)
                filter[bit >> 6] |= 1 << UInt64(bit & 63)
            }
        }
        self.slots = slots
        self.filter = filter
    }

    /// A 64-bit hash of the bytes, 8 at a time (any byte string; e-mail hashes are hex, 64 bytes).
    static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
        var i = 0
        while i + 8 <= key.count {
            h = mix(h ^ key.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        if i < key.count {
            var tail: UInt64 = 0
            for j in i..<key.count { tail = tail << 8 | UInt64(key[j]) }
            h = mix(h ^ tail)
        }
        return mix(h)
    }

    @inline(__always)
    private static func mix(_ x: UInt64) -> UInt64 {
        var x = x &* 0xBF58_476D_1CE4_E5B9
        x ^= x >> 31
        x = x &* 0x94D0_49BB_1331_11EB
        return x ^ (x >> 29)
    }
}

@inline(__always)
private func memoryEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
    let b = b.assumingMemoryBound(to: UInt8.self)
    var i = 0
    while i + 8 <= count {
        if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self)
            != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self)
        {
            return false
        }
        i += 8
    }
    while i < count {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}
