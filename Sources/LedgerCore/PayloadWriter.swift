/// The canonical payload bytes of a fact, written straight into a reused buffer.
///
/// Why: an import writes one payload per order, and building a `JSON` tree first (arrays of
/// key/value pairs, boxed strings) cost more than hashing and storing it. The bytes are exactly
/// those of `fact.payload.encoded()` (tests compare the two); the orders' facts take the direct
/// path, the rare ones go through the tree.
extension Fact {
    public func writePayload(into out: inout [UInt8]) {
        switch self {
        case let .orderSeen(f): f.writeCanonical(into: &out)
        case let .orderChanged(f): f.writePayload(into: &out)
        case let .statementIssued(f): f.writePayload(into: &out)
        default: payload.write(into: &out)
        }
    }
}

extension OrderChanged {
    func writePayload(into out: inout [UInt8]) {
        var w = PayloadWriter(out: out)
        out = []
        w.open()
        w.key("source", first: true); w.string(key.source)
        w.key("order_id"); w.string(key.orderId)
        if let status { w.key("status"); w.string(status.rawValue) }
        if let refundedMinor { w.key("refunded_minor"); w.int(refundedMinor) }
        switch cancellation {
        case let .cancelled(at)?:
            w.key("cancelled_at"); w.int(at.instant.unixSeconds)
            w.key("cancelled_at_offset"); w.int(Int64(at.offsetSeconds))
        case .uncancelled?: w.key("cancelled_at"); w.null()
        case nil: break
        }
        w.key("effective_at"); w.int(effectiveAt.unixSeconds)
        w.key("as_of"); w.int(asOf.unixSeconds)
        w.key("import"); w.string(importRef)
        w.close()
        out = w.out
    }
}

extension StatementIssued {
    /// A December close of a year without earlier closes has a line per commissioned order.
    func writePayload(into out: inout [UInt8]) {
        var w = PayloadWriter(out: out)
        out = []
        let f = figures
        w.open()
        w.key("month", first: true); w.string(month.description)
        w.key("creator"); w.string(creator)
        w.key("currency"); w.string(currency.code)
        w.key("carried_in_minor"); w.int(f.carriedInMinor)
        w.key("commissions_minor"); w.int(f.commissionsMinor)
        w.key("clawbacks_minor"); w.int(f.clawbacksMinor)
        w.key("fees_minor"); w.int(f.feesMinor)
        w.key("adjustments_minor"); w.int(f.adjustmentsMinor)
        w.key("balance_minor"); w.int(f.balanceMinor)
        w.key("payout_minor"); w.int(f.payoutMinor)
        w.key("carried_out_minor"); w.int(f.carriedOutMinor)
        w.key("min_payout_minor"); w.int(minPayoutMinor)
        w.key("lines")
        w.out.append(UInt8(ascii: "["))
        for (n, line) in lines.enumerated() {
            if n > 0 { w.out.append(UInt8(ascii: ",")) }
            w.out.append(UInt8(ascii: "["))
            w.string(line.kind.rawValue); w.out.append(UInt8(ascii: ","))
            w.string(line.ref); w.out.append(UInt8(ascii: ","))
            w.string(line.date.description); w.out.append(UInt8(ascii: ","))
            w.int(line.amountMinor)
            w.out.append(UInt8(ascii: "]"))
        }
        w.out.append(UInt8(ascii: "]"))
        w.key("effective_at"); w.int(effectiveAt.unixSeconds)
        w.close()
        out = w.out
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
        if b { out.append(contentsOf: [0x74, 0x72, 0x75, 0x65]) } else { out.append(contentsOf: [0x66, 0x61, 0x6C, 0x73, 0x65]) }
    }

    mutating func int(_ value: Int64) { appendDecimal(value, to: &out) }

    mutating func optionalInt(_ value: Int64?) {
        if let value { int(value) } else { null() }
    }

    mutating func string(_ s: String) { writeString(s, into: &out) }

    mutating func optionalString(_ s: String?) {
        if let s { string(s) } else { null() }
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
