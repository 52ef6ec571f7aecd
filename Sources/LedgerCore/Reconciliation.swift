// Section 3 of the ledger rules: an order of an export against what the ledger holds of it.

/// An order as the ledger holds it (the `orders` projection): what a later export is compared with.
public struct StoredOrder: Equatable, Sendable {
    public var state: OrderState
    /// The as-of of the newest export that showed the order.
    public var asOf: Instant
    public var createdAt: Instant
    public var currencyCode: String
    public var subtotalMinor: Int64
    public var discountMinor: Int64
    public var shippingMinor: Int64
    public var taxesMinor: Int64
    public var totalMinor: Int64
    /// As `OrderSeen.codesJSON` writes them.
    public var codesJSON: String
    public var referral: String?
    public var emailHash: String?
    public var test: Bool

    public init(state: OrderState, asOf: Instant, createdAt: Instant, currencyCode: String, subtotalMinor: Int64,
                discountMinor: Int64, shippingMinor: Int64, taxesMinor: Int64, totalMinor: Int64, codesJSON: String,
                referral: String?, emailHash: String?, test: Bool) {
        self.state = state; self.asOf = asOf; self.createdAt = createdAt; self.currencyCode = currencyCode
        self.subtotalMinor = subtotalMinor; self.discountMinor = discountMinor; self.shippingMinor = shippingMinor
        self.taxesMinor = taxesMinor; self.totalMinor = totalMinor; self.codesJSON = codesJSON; self.referral = referral
        self.emailHash = emailHash; self.test = test
    }
}
