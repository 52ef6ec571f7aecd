/// The ledger's vocabulary of financial statuses (Shopify's eight). Anything else is refused on
/// import, never guessed.
public enum FinancialStatus: String, Sendable, CaseIterable {
    case pending, authorized, partiallyPaid = "partially_paid", paid, partiallyRefunded = "partially_refunded"
    case refunded, voided, expired

    /// `paid`, `partially_refunded`, `refunded`: a commission can be earned (before refunds).
    public var isPayable: Bool { self == .paid || self == .partiallyRefunded || self == .refunded }

    public static func parse(_ raw: String) -> FinancialStatus? {
        FinancialStatus(rawValue: raw.trimmingASCIISpaces().lowercased().replacingOccurrences(of: " ", with: "_"))
    }
}

/// An order's identity: the shop it came from and the shop's own order id.
public struct OrderKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var source: String     // shopify, woocommerce, orders
    public var orderId: String
    public init(source: String, orderId: String) { self.source = source; self.orderId = orderId }
    public var description: String { "\(source):\(orderId)" }
    public static func < (a: OrderKey, b: OrderKey) -> Bool { (a.source, a.orderId) < (b.source, b.orderId) }
}

/// The part of an order that later exports may change.
public struct OrderState: Equatable, Sendable {
    public var status: FinancialStatus
    public var refundedMinor: Int64
    public var cancelledAt: Timestamp?
    public init(status: FinancialStatus, refundedMinor: Int64, cancelledAt: Timestamp?) {
        self.status = status; self.refundedMinor = refundedMinor; self.cancelledAt = cancelledAt
    }
}

/// An order as an export first showed it. Amounts are in the order's own currency.
public struct OrderSeen: Equatable, Sendable {
    public var key: OrderKey
    public var name: String?              // Shopify's `#1042`, for display
    public var createdAt: Timestamp
    public var currency: Currency
    public var subtotalMinor: Int64       // after discounts, before shipping and taxes
    public var discountMinor: Int64
    public var shippingMinor: Int64
    public var taxesMinor: Int64
    public var totalMinor: Int64
    public var codes: [String]            // as listed by the shop, trimmed, in order
    public var referral: String?
    public var emailHash: String?
    public var state: OrderState
    public var test: Bool
    public var asOf: Instant              // the as-of of the export that showed it
    public var importRef: String          // SHA-256 of the file (hex)

    public init(key: OrderKey, name: String?, createdAt: Timestamp, currency: Currency, subtotalMinor: Int64, discountMinor: Int64,
                shippingMinor: Int64, taxesMinor: Int64, totalMinor: Int64, codes: [String], referral: String?, emailHash: String?,
                state: OrderState, test: Bool, asOf: Instant, importRef: String) {
        self.key = key; self.name = name; self.createdAt = createdAt; self.currency = currency; self.subtotalMinor = subtotalMinor
        self.discountMinor = discountMinor; self.shippingMinor = shippingMinor; self.taxesMinor = taxesMinor; self.totalMinor = totalMinor
        self.codes = codes; self.referral = referral; self.emailHash = emailHash; self.state = state; self.test = test
        self.asOf = asOf; self.importRef = importRef
    }

    var json: JSON { payloadTree }
}

extension OrderSeen: FieldTable {
    /// The field table of `order.seen` version 1: the payload's keys in canonical order, each with
    /// its column in the `orders` projection (the projector also starts the current state, columns
    /// `status` ... `cancelled_offset`, from the first-seen one). A new field is one line here (and
    /// its column in a migration); every reader and writer of the payload follows from it.
    public static let blank = OrderSeen(
        key: OrderKey(source: "", orderId: ""), name: nil, createdAt: Timestamp(Instant(unixSeconds: 0), offsetSeconds: 0),
        currency: .usd, subtotalMinor: 0, discountMinor: 0, shippingMinor: 0, taxesMinor: 0, totalMinor: 0, codes: [],
        referral: nil, emailHash: nil, state: OrderState(status: .pending, refundedMinor: 0, cancelledAt: nil), test: false,
        asOf: Instant(unixSeconds: 0), importRef: "")

    @inlinable
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout OrderSeen) throws(C.Failure) {
        try c.string("source", &o.key.source)
        try c.string("order_id", &o.key.orderId)
        try c.optionalString("name", &o.name)
        try c.timestamp("created_at", "created_at_offset", &o.createdAt, columns: ("created_at", "created_offset"))
        try c.currency("currency", &o.currency)
        try c.int("subtotal_minor", &o.subtotalMinor)
        try c.int("discount_minor", &o.discountMinor)
        try c.int("shipping_minor", &o.shippingMinor)
        try c.int("taxes_minor", &o.taxesMinor)
        try c.int("total_minor", &o.totalMinor)
        try c.strings("codes", &o.codes)
        try c.optionalString("referral", &o.referral)
        try c.optionalString("email_hash", &o.emailHash)
        try c.enumeration("status", &o.state.status, column: "seen_status")
        try c.int("refunded_minor", &o.state.refundedMinor, column: "seen_refunded_minor")
        try c.optionalTimestamp("cancelled_at", "cancelled_at_offset", &o.state.cancelledAt,
                                columns: ("seen_cancelled_at", "seen_cancelled_offset"))
        try c.bool("test", &o.test)
        try c.instant("as_of", &o.asOf)
        try c.string("import", &o.importRef, column: .notProjected)
    }
}

/// A later export showed a different status, refunded amount or cancellation: only the fields that
/// changed (nil: unchanged), effective at the export's as-of (or, for WooCommerce refunds, at the
/// refund's own date).
public struct OrderChanged: Equatable, Sendable {
    public enum Cancellation: Equatable, Sendable {
        case cancelled(Timestamp)
        case uncancelled
    }
    public var key: OrderKey
    public var status: FinancialStatus?
    public var refundedMinor: Int64?
    public var cancellation: Cancellation?
    public var effectiveAt: Instant
    public var asOf: Instant
    public var importRef: String

    public init(key: OrderKey, status: FinancialStatus? = nil, refundedMinor: Int64? = nil, cancellation: Cancellation? = nil,
                effectiveAt: Instant, asOf: Instant, importRef: String) {
        self.key = key; self.status = status; self.refundedMinor = refundedMinor; self.cancellation = cancellation
        self.effectiveAt = effectiveAt; self.asOf = asOf; self.importRef = importRef
    }

    /// The change from `before` to `after`, or nil when they are equal.
    public init?(key: OrderKey, from before: OrderState, to after: OrderState, effectiveAt: Instant, asOf: Instant, importRef: String) {
        guard before != after else { return nil }
        var cancellation: Cancellation? = nil
        if before.cancelledAt != after.cancelledAt { cancellation = after.cancelledAt.map(Cancellation.cancelled) ?? .uncancelled }
        self.init(key: key, status: before.status == after.status ? nil : after.status,
                  refundedMinor: before.refundedMinor == after.refundedMinor ? nil : after.refundedMinor,
                  cancellation: cancellation, effectiveAt: effectiveAt, asOf: asOf, importRef: importRef)
    }

    public func apply(to state: OrderState) -> OrderState {
        var s = state
        if let status { s.status = status }
        if let refundedMinor { s.refundedMinor = refundedMinor }
        switch cancellation {
        case let .cancelled(at)?: s.cancelledAt = at
        case .uncancelled?: s.cancelledAt = nil
        case nil: break
        }
        return s
    }

    var json: JSON {
        var pairs: [(String, JSON)] = [("source", .string(key.source)), ("order_id", .string(key.orderId))]
        if let status { pairs.append(("status", .string(status.rawValue))) }
        if let refundedMinor { pairs.append(("refunded_minor", .int(refundedMinor))) }
        switch cancellation {
        case let .cancelled(at)?:
            pairs.append(("cancelled_at", .at(at.instant)))
            pairs.append(("cancelled_at_offset", .int(Int64(at.offsetSeconds))))
        case .uncancelled?: pairs.append(("cancelled_at", .null))
        case nil: break
        }
        pairs.append(("effective_at", .at(effectiveAt)))
        pairs.append(("as_of", .at(asOf)))
        pairs.append(("import", .string(importRef)))
        return .object(pairs)
    }

    init(_ r: PayloadReader) throws(FactDecodingError) {
        var status: FinancialStatus? = nil
        if let raw = try r.optionalString("status") {
            guard let s = FinancialStatus(rawValue: raw) else { throw FactDecodingError("order.changed: unknown status \(raw)") }
            status = s
        }
        var cancellation: Cancellation? = nil
        if r.json["cancelled_at"] != nil {
            cancellation = try r.optionalTimestamp("cancelled_at").map(Cancellation.cancelled) ?? .uncancelled
        }
        self.init(key: OrderKey(source: try r.string("source"), orderId: try r.string("order_id")), status: status,
                  refundedMinor: try r.optionalInt("refunded_minor"), cancellation: cancellation,
                  effectiveAt: try r.instant("effective_at"), asOf: try r.instant("as_of"), importRef: try r.string("import"))
    }
}

/// What an import did, recorded after its facts. `confirmedOrderIds` are the orders the file showed
/// unchanged with a later as-of than the ledger knew: their as-of moves forward (the stale-export
/// rule compares against the newest export that showed an order), with no fact of their own.
public struct ImportRecorded: Equatable, Sendable {
    public var source: String
    public var fileName: String
    public var sha256: String
    public var asOf: Instant
    public var counts: [String: Int64]
    public var confirmedOrderIds: [String]
    public init(source: String, fileName: String, sha256: String, asOf: Instant, counts: [String: Int64], confirmedOrderIds: [String] = []) {
        self.source = source; self.fileName = fileName; self.sha256 = sha256; self.asOf = asOf; self.counts = counts
        self.confirmedOrderIds = confirmedOrderIds
    }
    var json: JSON {
        .object([("source", .string(source)), ("file_name", .string(fileName)), ("sha256", .string(sha256)), ("as_of", .at(asOf)),
                 ("counts", .object(counts.keys.sorted().map { ($0, .int(counts[$0]!)) })),
                 ("confirmed_order_ids", .array(confirmedOrderIds.map(JSON.string)))])
    }
    init(_ r: PayloadReader) throws(FactDecodingError) {
        var counts: [String: Int64] = [:]
        if case let .object(pairs)? = r.json["counts"] { for (k, v) in pairs { counts[k] = v.intValue ?? 0 } }
        var confirmed: [String] = []
        for id in (try? r.array("confirmed_order_ids")) ?? [] { if let s = id.stringValue { confirmed.append(s) } }
        self.init(source: try r.string("source"), fileName: try r.string("file_name"), sha256: try r.string("sha256"), asOf: try r.instant("as_of"),
                  counts: counts, confirmedOrderIds: confirmed)
    }
}

extension OrderSeen {
    /// An order's codes as the `orders` projection stores them: a JSON array as listed, `[]` when
    /// none (the projector writes it, the importer compares with it).
    public static func codesJSON(_ codes: [String]) -> String {
        codes.isEmpty ? "[]" : JSON.array(codes.map(JSON.string)).encodedString
    }
}
