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
    public var source: String  // shopify, woocommerce, orders
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

/// An order as its first export showed it (never changed afterwards: a later export that shows it
/// differently is reported, and the first is kept). Amounts are in the order's own currency. The
/// read model of `order.seen`: what the rules read of an order besides its later changes.
public struct OrderDetails: Equatable, Sendable {
    public var key: OrderKey
    public var name: String?  // Shopify's `#1042`, for display
    public var createdAt: Timestamp
    public var currency: Currency
    public var subtotalMinor: Int64  // after discounts, before shipping and taxes
    public var discountMinor: Int64
    public var shippingMinor: Int64
    public var taxesMinor: Int64
    public var totalMinor: Int64
    public var codes: [String]  // as listed by the shop, trimmed, in order
    public var referral: String?
    public var emailHash: String?
    /// As the first export showed it; later changes are `OrderStateChange`s.
    public var state: OrderState
    public var test: Bool

    public init(
        key: OrderKey, name: String?, createdAt: Timestamp, currency: Currency, subtotalMinor: Int64,
        discountMinor: Int64,
        shippingMinor: Int64, taxesMinor: Int64, totalMinor: Int64, codes: [String], referral: String?,
        emailHash: String?,
        state: OrderState, test: Bool
    ) {
        self.key = key; self.name = name; self.createdAt = createdAt; self.currency = currency;
        self.subtotalMinor = subtotalMinor
        self.discountMinor = discountMinor; self.shippingMinor = shippingMinor; self.taxesMinor = taxesMinor;
        self.totalMinor = totalMinor
        self.codes = codes; self.referral = referral; self.emailHash = emailHash; self.state = state; self.test = test
    }

    public var subtotal: Money { Money(subtotalMinor, currency) }
    public var discount: Money { Money(discountMinor, currency) }
    public var total: Money { Money(totalMinor, currency) }
    /// `amountMinor` of this order's currency (a refunded amount, say).
    public func money(_ amountMinor: Int64) -> Money { Money(amountMinor, currency) }
}

/// The fact that an export showed an order for the first time: the order, and what only the log
/// keeps (which export showed it). Its fields read as the order's (`seen.totalMinor`).
@dynamicMemberLookup
public struct OrderSeen: Equatable, Sendable {
    public var order: OrderDetails
    public var asOf: Instant  // the as-of of the export that showed it
    public var importRef: String  // SHA-256 of the file (hex)

    public init(order: OrderDetails, asOf: Instant, importRef: String) {
        self.order = order; self.asOf = asOf; self.importRef = importRef
    }

    public init(
        key: OrderKey, name: String?, createdAt: Timestamp, currency: Currency, subtotalMinor: Int64,
        discountMinor: Int64, shippingMinor: Int64, taxesMinor: Int64, totalMinor: Int64, codes: [String],
        referral: String?, emailHash: String?, state: OrderState, test: Bool, asOf: Instant,
        importRef: String
    ) {
        let order = OrderDetails(
            key: key, name: name, createdAt: createdAt, currency: currency,
            subtotalMinor: subtotalMinor, discountMinor: discountMinor,
            shippingMinor: shippingMinor, taxesMinor: taxesMinor, totalMinor: totalMinor,
            codes: codes, referral: referral, emailHash: emailHash, state: state, test: test)
        self.init(order: order, asOf: asOf, importRef: importRef)
    }

    public subscript<T>(dynamicMember field: WritableKeyPath<OrderDetails, T>) -> T {
        get { order[keyPath: field] }
        set { order[keyPath: field] = newValue }
    }

}

extension OrderDetails: FieldTable {
    /// The order's part of `order.seen`'s field table, with its columns in the `orders` projection
    /// (the projector also starts the current state, columns `status` ... `cancelled_offset`, from
    /// the first-seen one). The snapshot loader reads the order back through it.
    @inlinable public static var blank: Self {
        OrderDetails(
            key: OrderKey(source: "", orderId: ""), name: nil, createdAt: Timestamp(.epoch, offsetSeconds: 0),
            currency: .usd, subtotalMinor: 0, discountMinor: 0, shippingMinor: 0, taxesMinor: 0, totalMinor: 0,
            codes: [], referral: nil, emailHash: nil,
            state: OrderState(
                status: .pending, refundedMinor: 0,
                cancelledAt: nil), test: false)
    }

    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout OrderDetails) throws(C.Failure) {
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
        try c.optionalTimestamp(
            "cancelled_at", "cancelled_at_offset", &o.state.cancelledAt,
            columns: ("seen_cancelled_at", "seen_cancelled_offset"))
        try c.bool("test", &o.test)
    }
}

extension OrderSeen: FieldTable {
    /// The field table of `order.seen` version 1: the order's fields, then the export's. A new field
    /// is one line in one of the two tables (and its column in a migration); every reader and writer
    /// of the payload follows from them.
    @inlinable public static var blank: Self {
        OrderSeen(order: .blank, asOf: .epoch, importRef: "")
    }

    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout OrderSeen) throws(C.Failure) {
        try OrderDetails.fields(&c, &o.order)
        try c.instant("as_of", &o.asOf)
        try c.string("import", &o.importRef, column: .notProjected)
    }
}

/// A change of an order's state, effective at `effectiveAt`: only what changed (nil: unchanged).
/// The read model of `order.changed`.
public struct OrderStateChange: Equatable, Sendable {
    public enum Cancellation: Equatable, Sendable {
        case cancelled(Timestamp)
        case uncancelled
    }
    public var status: FinancialStatus?
    public var refundedMinor: Int64?
    public var cancellation: Cancellation?
    public var effectiveAt: Instant

    public init(
        status: FinancialStatus? = nil, refundedMinor: Int64? = nil, cancellation: Cancellation? = nil,
        effectiveAt: Instant
    ) {
        self.status = status; self.refundedMinor = refundedMinor; self.cancellation = cancellation
        self.effectiveAt = effectiveAt
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
}

/// A later export showed a different status, refunded amount or cancellation: only the fields that
/// changed (nil: unchanged), effective at the export's as-of (or, for WooCommerce refunds, at the
/// refund's own date).
@dynamicMemberLookup
public struct OrderChanged: Equatable, Sendable {
    public typealias Cancellation = OrderStateChange.Cancellation
    public var key: OrderKey
    public var change: OrderStateChange
    public var asOf: Instant
    public var importRef: String

    public init(key: OrderKey, change: OrderStateChange, asOf: Instant, importRef: String) {
        self.key = key; self.change = change; self.asOf = asOf; self.importRef = importRef
    }

    public init(
        key: OrderKey, status: FinancialStatus? = nil, refundedMinor: Int64? = nil, cancellation: Cancellation? = nil,
        effectiveAt: Instant, asOf: Instant, importRef: String
    ) {
        let change = OrderStateChange(
            status: status, refundedMinor: refundedMinor, cancellation: cancellation,
            effectiveAt: effectiveAt)
        self.init(key: key, change: change, asOf: asOf, importRef: importRef)
    }

    /// The change from `before` to `after`, or nil when they are equal.
    public init?(
        key: OrderKey, from before: OrderState, to after: OrderState, effectiveAt: Instant, asOf: Instant,
        importRef: String
    ) {
        guard before != after else { return nil }
        var cancellation: Cancellation? = nil
        if before.cancelledAt != after.cancelledAt {
            cancellation = after.cancelledAt.map(Cancellation.cancelled) ?? .uncancelled
        }
        self.init(
            key: key, status: before.status == after.status ? nil : after.status,
            refundedMinor: before.refundedMinor == after.refundedMinor ? nil : after.refundedMinor,
            cancellation: cancellation, effectiveAt: effectiveAt, asOf: asOf, importRef: importRef)
    }

    public subscript<T>(dynamicMember field: WritableKeyPath<OrderStateChange, T>) -> T {
        get { change[keyPath: field] }
        set { change[keyPath: field] = newValue }
    }

    public func apply(to state: OrderState) -> OrderState { change.apply(to: state) }

}

extension OrderStateChange: FieldTable {
    /// The change's part of `order.changed`'s field table (keys of unchanged fields left out), with
    /// its columns in `order_changes`.
    @inlinable public static var blank: Self {
        OrderStateChange(effectiveAt: .epoch)
    }

    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout OrderStateChange) throws(C.Failure) {
        try c.omittableEnumeration("status", &o.status)
        try c.omittableInt("refunded_minor", &o.refundedMinor, column: .key)
        try c.cancellation(
            "cancelled_at", "cancelled_at_offset", &o.cancellation,
            columns: ("cancel_change", "cancelled_at", "cancelled_offset"))
        try c.instant("effective_at", &o.effectiveAt)
    }
}

extension OrderChanged: FieldTable {
    /// The field table of `order.changed` version 1: the order's key, the change, the export's fields.
    @inlinable public static var blank: Self {
        OrderChanged(key: OrderKey(source: "", orderId: ""), change: .blank, asOf: .epoch, importRef: "")
    }

    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout OrderChanged) throws(C.Failure) {
        try c.string("source", &o.key.source)
        try c.string("order_id", &o.key.orderId)
        try OrderStateChange.fields(&c, &o.change)
        try c.instant("as_of", &o.asOf, column: .notProjected)
        try c.string("import", &o.importRef, column: .notProjected)
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
    public init(
        source: String, fileName: String, sha256: String, asOf: Instant, counts: [String: Int64],
        confirmedOrderIds: [String] = []
    ) {
        self.source = source; self.fileName = fileName; self.sha256 = sha256; self.asOf = asOf; self.counts = counts
        self.confirmedOrderIds = confirmedOrderIds
    }
}

extension ImportRecorded: FieldTable {
    /// With the columns of `imports` (the confirmed orders' as-of moves forward in `orders`).
    @inlinable public static var blank: Self {
        ImportRecorded(source: "", fileName: "", sha256: "", asOf: .epoch, counts: [:])
    }

    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout ImportRecorded) throws(C.Failure) {
        try c.string("source", &o.source)
        try c.string("file_name", &o.fileName)
        try c.string("sha256", &o.sha256)
        try c.instant("as_of", &o.asOf)
        try c.counts("counts", &o.counts)
        try c.strings("confirmed_order_ids", &o.confirmedOrderIds, column: .notProjected)
    }
}

extension OrderSeen {
    /// An order's codes as the `orders` projection stores them: a JSON array as listed, `[]` when
    /// none (the projector writes it, the importer compares with it).
    public static func codesJSON(_ codes: [String]) -> String {
        var out: [UInt8] = []
        writeCodesJSON(codes, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `codesJSON`'s bytes appended to `out` (the bytes of `JSON.array(codes.map(JSON.string))`),
    /// without the intermediate values: a re-import compares a million of them with stored rows.
    public static func writeCodesJSON(_ codes: [String], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (n, code) in codes.enumerated() {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            writeString(code, into: &out)
        }
        out.append(UInt8(ascii: "]"))
    }
}
