#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Byte sequences that break UTF-8 in every way a decoder distinguishes.
public let invalidUTF8: [[UInt8]] = [
    [0xFF], [0xC3], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80]
]

/// Applies 1-4 random mutations: flip, insert, delete, duplicate, truncate, NUL, invalid UTF-8,
/// a stray quote or line break.
public func mutate(_ input: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
    var bytes = input
    for _ in 0..<Int.random(in: 1...4, using: &rng) {
        let at = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &rng)
        switch Int.random(in: 0..<9, using: &rng) {
        case 0: if !bytes.isEmpty { bytes[at] ^= UInt8(1) << UInt8.random(in: 0...7, using: &rng) }
        case 1: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: at)
        case 2:
            if !bytes.isEmpty { bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...8, using: &rng))) }
        case 3: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + Int.random(in: 1...30, using: &rng))], at: at)
        case 4: bytes = Array(bytes.prefix(at))
        case 5: bytes.insert(0, at: at)
        case 6: bytes.insert(contentsOf: invalidUTF8.randomElement(using: &rng)!, at: at)
        case 7: bytes.insert(0x22, at: at)
        default: bytes.insert(contentsOf: [[0x0A], [0x0D], [0x2C], [0x0D, 0x0A]].randomElement(using: &rng)!, at: at)
        }
    }
    return bytes
}

/// The first seed of the seeded hostile-input tests: CSV_HOSTILE_SEED replays a failure.
public func hostileSeedBase() -> UInt64 {
    getenv("CSV_HOSTILE_SEED").flatMap { UInt64(String(cString: $0)) } ?? 0xBAD_F11E
}
