#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import LedgerCore

/// Which order ids of a file may appear twice, as a pass before the writing one found out: the
/// writing pass gives only those orders the exact check (`ImportOrderLookup.claim`, one SQLite
/// insert per order), so that a file in any order of ids costs about what a sorted one does.
public struct RepeatedIds: Sendable, Equatable {
    /// The 64-bit hashes (`OrderIdCensus.hash`) that more than one order of the file has; nil: not
    /// known, every order takes the exact check.
    public let suspects: Set<UInt64>?

    public static let none = RepeatedIds(suspects: [])
    public static let unknown = RepeatedIds(suspects: nil)

    /// False only when no other order of the file can have this id: two orders of one id have one
    /// hash, so an id whose hash the file showed once is not repeated.
    public func mayRepeat(_ id: String) -> Bool {
        guard let suspects else { return true }
        return !suspects.isEmpty && suspects.contains(OrderIdCensus.hash(id))
    }
}

/// Counts the order ids of a file in one pass, in bounded memory, to tell whether any may repeat
/// (`RepeatedIds`). Strictly monotone ids (Shopify's newest first) prove it at no cost. Otherwise
/// each id is kept as a 64-bit hash: chunks of `chunkHashes` hashes go to an unlinked temporary file
/// as they fill, and `finish` sorts each chunk and merges them, so that memory stays the same at
/// 100,000 orders and at 10,000,000. Equal hashes are only suspects: the writing pass checks them
/// exactly, so a collision of two different ids costs an insert, never a wrong answer.
public final class OrderIdCensus {
    private var monotone = MonotoneIds()
    private var buffer: [UInt64] = []
    private let chunkHashes: Int
    private var spill: UnsafeMutablePointer<FILE>?
    private var spilled = 0
    /// The temporary file could not be made or written: the answer is `unknown` (unless monotone).
    private var failed = false
    /// Beyond this many suspect hashes, every order takes the exact check (the suspects would take
    /// memory in proportion to the file; so many repeats only come with `--skip-invalid`).
    static let suspectsMax = 65_536

    /// `chunkHashes`: the hashes kept in memory at most (2 MiB by default); tests make it small.
    public init(chunkHashes: Int = 1 << 18) {
        self.chunkHashes = max(chunkHashes, 2)
        buffer.reserveCapacity(min(self.chunkHashes, 4096))
    }

    deinit {
        if let spill { fclose(spill) }
    }

    /// An id as the file shows it, trimmed of ASCII spaces (the bytes `OrderDialect.quickScan`
    /// hands over). Counted as the writing pass will see it: other Unicode spaces trimmed too; bytes
    /// that are not UTF-8 make no order (the writing pass refuses them), so they are not counted.
    public func add(_ id: UnsafeBufferPointer<UInt8>) {
        monotone.add(id)
        if id.allSatisfy({ $0 < 0x80 }) {
            append(Self.hash(id))
        } else if let text = String(validating: id, as: UTF8.self) {
            append(Self.hash(text.trimmingASCIISpaces()))  // not monotone: `MonotoneIds` refuses non-ASCII
        }
    }

    /// An order id as an `ImportedOrder` has it.
    public func add(_ id: String) {
        var id = id
        id.withUTF8 { monotone.add($0) }
        append(Self.hash(id))
    }

    private func append(_ h: UInt64) {
        guard !failed else { return }
        buffer.append(h)
        if buffer.count >= chunkHashes { spillBuffer() }
    }

    /// Writes the full buffer as the next chunk (unsorted: a monotone file never needs sorting).
    private func spillBuffer() {
        if spill == nil { spill = tmpfile() }
        guard let spill, buffer.withUnsafeBufferPointer({ fwrite($0.baseAddress, 8, $0.count, spill) }) == buffer.count
        else { return fail() }
        spilled += 1
        buffer.removeAll(keepingCapacity: true)
    }

    private func fail() {
        failed = true
        buffer = []
    }

    /// Which ids may repeat. Call once, after the last `add`.
    public func finish() -> RepeatedIds {
        defer {
            buffer = []
            if let spill { fclose(spill) }
            spill = nil
        }
        if monotone.strict { return .none }
        if failed { return .unknown }
        if spilled == 0 {
            buffer.sort()
            var suspects: Set<UInt64> = []
            for i in buffer.indices.dropFirst() where buffer[i] == buffer[i - 1] {
                suspects.insert(buffer[i])
                if suspects.count > Self.suspectsMax { return .unknown }
            }
            return RepeatedIds(suspects: suspects)
        }
        if !buffer.isEmpty {
            let n = buffer.count
            spillBuffer()
            if failed { return .unknown }
            return merge(lastChunk: n)
        }
        return merge(lastChunk: chunkHashes)
    }

    /// Sorts each chunk in the file in place, then merges them, noting the hashes met twice.
    private func merge(lastChunk: Int) -> RepeatedIds {
        guard let spill else { return .unknown }
        let chunks = spilled
        func count(_ chunk: Int) -> Int { chunk == chunks - 1 ? lastChunk : chunkHashes }
        func offset(_ chunk: Int, _ index: Int) -> Int { (chunk * chunkHashes + index) * 8 }
        var scratch = [UInt64](repeating: 0, count: chunkHashes)
        for chunk in 0..<chunks {
            let n = count(chunk)
            let ok = scratch.withUnsafeMutableBufferPointer { p -> Bool in
                guard fseeko(spill, off_t(offset(chunk, 0)), SEEK_SET) == 0, fread(p.baseAddress, 8, n, spill) == n
                else { return false }
                p[0..<n].sort()
                return fseeko(spill, off_t(offset(chunk, 0)), SEEK_SET) == 0 && fwrite(p.baseAddress, 8, n, spill) == n
            }
            guard ok else { return .unknown }
        }
        scratch = []
        guard fflush(spill) == 0 else { return .unknown }
        // A window of each sorted chunk in memory at a time.
        let window = max(1, min(4096, chunkHashes))
        var windows = [[UInt64]](repeating: [], count: chunks)
        var position = [Int](repeating: 0, count: chunks)  // the next hash to read from the file
        var cursor = [Int](repeating: 0, count: chunks)  // the next hash in the window
        func refill(_ chunk: Int) -> Bool {
            let n = min(window, count(chunk) - position[chunk])
            windows[chunk] = [UInt64](repeating: 0, count: n)
            cursor[chunk] = 0
            guard n > 0 else { return true }
            let at = off_t(offset(chunk, position[chunk]))
            let read = windows[chunk].withUnsafeMutableBufferPointer { p in
                fseeko(spill, at, SEEK_SET) == 0 ? fread(p.baseAddress, 8, n, spill) : 0
            }
            position[chunk] += n
            return read == n
        }
        for chunk in 0..<chunks where !refill(chunk) { return .unknown }
        var suspects: Set<UInt64> = []
        var previous: UInt64?
        while true {  // bounded by the hashes in the file
            var least: Int?
            for chunk in 0..<chunks where cursor[chunk] < windows[chunk].count {
                if least == nil || windows[chunk][cursor[chunk]] < windows[least!][cursor[least!]] { least = chunk }
            }
            guard let chunk = least else { break }
            let h = windows[chunk][cursor[chunk]]
            if h == previous {
                suspects.insert(h)
                if suspects.count > Self.suspectsMax { return .unknown }
            }
            previous = h
            cursor[chunk] += 1
            if cursor[chunk] == windows[chunk].count && !refill(chunk) { return .unknown }
        }
        return RepeatedIds(suspects: suspects)
    }

    /// A 64-bit hash of an id's UTF-8 bytes (not for security: equal hashes are checked exactly).
    public static func hash(_ id: String) -> UInt64 {
        var id = id
        return id.withUTF8 { hash($0) }
    }

    public static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        guard let base = bytes.baseAddress else { return mix(h) }
        var i = 0
        while i + 8 <= bytes.count {
            h = (h ^ UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < bytes.count {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        return mix(h ^ tail)
    }

    /// MurmurHash3's 64-bit finalizer: every input bit reaches every output bit.
    @inline(__always)
    private static func mix(_ x: UInt64) -> UInt64 {
        var x = x
        x ^= x >> 33
        x &*= 0xFF51_AFD7_ED55_8CCD
        x ^= x >> 33
        x &*= 0xC4CE_B9FE_1A85_EC53
        x ^= x >> 33
        return x
    }
}
