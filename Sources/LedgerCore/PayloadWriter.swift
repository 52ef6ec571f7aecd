/// The canonical payload bytes of a fact, written straight into a reused buffer by its field
/// table's writer (`FieldTable.writeCanonical`).
///
/// Why not through the `JSON` tree: an import writes one payload per order, and building a tree
/// first (arrays of key/value pairs, boxed strings) cost more than hashing and storing it. The
/// bytes are exactly those of `fact.payload.encoded()` (tests compare the two for every type).
extension Fact {
    public func writePayload(into out: inout [UInt8]) {
        switch self {
        case let .ledgerInitialized(f): f.writeCanonical(into: &out)
        case let .ledgerInitializedV1(f): f.writeCanonical(into: &out)
        case let .ledgerRedacted(f): f.writeCanonical(into: &out)
        case let .creatorRegistered(f): f.writeCanonical(into: &out)
        case let .creatorUpdated(f): f.writeCanonical(into: &out)
        case let .codeAssigned(f): f.writeCanonical(into: &out)
        case let .houseCodeDeclared(f): f.writeCanonical(into: &out)
        case let .referralAssigned(f): f.writeCanonical(into: &out)
        case let .termsSet(f): f.writeCanonical(into: &out)
        case let .postPublished(f): f.writeCanonical(into: &out)
        case let .giftSent(f): f.writeCanonical(into: &out)
        case let .adjustmentRecorded(f): f.writeCanonical(into: &out)
        case let .fxRateSet(f): f.writeCanonical(into: &out)
        case let .orderSeen(f): f.writeCanonical(into: &out)
        case let .orderChanged(f): f.writeCanonical(into: &out)
        case let .statementIssued(f): f.writeCanonical(into: &out)
        case let .monthClosed(f): f.writeCanonical(into: &out)
        case let .payoutPaid(f): f.writeCanonical(into: &out)
        case let .payoutUnmarked(f): f.writeCanonical(into: &out)
        case let .importRecorded(f): f.writeCanonical(into: &out)
        case let .importUndone(f): f.writeCanonical(into: &out)
        case let .tiersSet(f): f.writeCanonical(into: &out)
        case let .payoutExported(f): f.writeCanonical(into: &out)
        case let .monthReopened(f): f.writeCanonical(into: &out)
        case let .journalExported(f): f.writeCanonical(into: &out)
        case let .accountSet(f): f.writeCanonical(into: &out)
        case let .thresholdSet(f): f.writeCanonical(into: &out)
        }
    }
}

/// Appends JSON tokens in the canonical form of `JSON.encoded()`: no whitespace, integers only,
/// the same string escapes.
struct PayloadWriter {
    var out: [UInt8]

    mutating func open() { out.append(UInt8(ascii: "{")) }
    mutating func close() { out.append(UInt8(ascii: "}")) }

    mutating func key(_ name: StaticString, first: Bool = false) {
        if !first { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
    }

    mutating func null() { out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C]) }  // null

    mutating func bool(_ b: Bool) {
        if b {
            out.append(contentsOf: [0x74, 0x72, 0x75, 0x65])
        } else {
            out.append(contentsOf: [0x66, 0x61, 0x6C, 0x73, 0x65])
        }
    }

    mutating func int(_ value: Int64) { appendDecimal(value, to: &out) }

    mutating func optionalInt(_ value: Int64?) {
        if let value { int(value) } else { null() }
    }

    mutating func string(_ s: String) { writeString(s, into: &out) }

    mutating func optionalString(_ s: String?) {
        if let s { string(s) } else { null() }
    }

    /// `{"a":1,"b":2}`, keys sorted.
    mutating func counts(_ counts: [String: Int64]) {
        out.append(UInt8(ascii: "{"))
        for (n, name) in counts.keys.sorted().enumerated() {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            string(name)
            out.append(UInt8(ascii: ":"))
            int(counts[name]!)
        }
        out.append(UInt8(ascii: "}"))
    }

    mutating func stringArray(_ items: [String]) {
        out.append(UInt8(ascii: "["))
        for (n, item) in items.enumerated() {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            string(item)
        }
        out.append(UInt8(ascii: "]"))
    }
}

/// The decimal digits of `value` (as `String(value)` writes them), without a temporary String.
@inline(__always)
func appendDecimal(_ value: Int64, to out: inout [UInt8]) {
    if value == 0 { out.append(0x30); return }
    var magnitude = value.magnitude
    if value < 0 { out.append(UInt8(ascii: "-")) }
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
    var count = 0
    withUnsafeMutableBytes(of: &digits) { raw in
        while magnitude > 0 {
            raw[23 - count] = UInt8(truncatingIfNeeded: magnitude % 10) + 0x30
            magnitude /= 10
            count += 1
        }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[(24 - count)...]))
    }
}
