/// A refund with its own date (WooCommerce's `refund_items`); Shopify exports have none.
public struct DatedRefund: Equatable, Sendable {
    public var amountMinor: Int64
    public var at: Timestamp
    public init(amountMinor: Int64, at: Timestamp) { self.amountMinor = amountMinor; self.at = at }
}

/// One order as an export shows it, whatever the shop: what the dialect readers produce and the
/// reconciler turns into facts. Amounts are minor units of the order's own currency.
public struct ImportedOrder: Equatable, Sendable {
    public var orderId: String
    public var name: String?
    public var createdAt: Timestamp
    public var currency: Currency
    public var subtotalMinor: Int64  // after discounts, before shipping and taxes
    public var discountMinor: Int64
    public var shippingMinor: Int64
    public var taxesMinor: Int64
    public var totalMinor: Int64
    public var codes: [String]  // trimmed, original case, in the order listed
    public var referral: String?
    public var email: String?  // as exported; only its salted hash is ever stored
    public var state: OrderState  // as of the export
    public var test: Bool
    /// Dated refunds, oldest first (WooCommerce only). Their sum is `state.refundedMinor`.
    public var refunds: [DatedRefund]
    /// The state before the dated refunds (WooCommerce only; nil when there are none).
    public var stateBeforeRefunds: OrderState?
    /// The latest of every timestamp read for this order (created, paid, fulfilled, cancelled,
    /// refund dates): the default as-of of a file is the latest over its orders.
    public var latestAt: Instant
    /// The line of the order's first row; the column of its id (for order-level problems).
    public var line: Int
    public var idColumn: Int

    @inlinable  // built once per order on the reading thread of an import, in another module
    public init(
        orderId: String, name: String?, createdAt: Timestamp, currency: Currency, subtotalMinor: Int64,
        discountMinor: Int64, shippingMinor: Int64, taxesMinor: Int64, totalMinor: Int64, codes: [String],
        referral: String?, email: String?, state: OrderState, test: Bool, refunds: [DatedRefund],
        stateBeforeRefunds: OrderState?, latestAt: Instant, line: Int, idColumn: Int
    ) {
        self.orderId = orderId; self.name = name; self.createdAt = createdAt; self.currency = currency
        self.subtotalMinor = subtotalMinor; self.discountMinor = discountMinor; self.shippingMinor = shippingMinor
        self.taxesMinor = taxesMinor; self.totalMinor = totalMinor; self.codes = codes; self.referral = referral
        self.email = email; self.state = state; self.test = test; self.refunds = refunds
        self.stateBeforeRefunds = stateBeforeRefunds; self.latestAt = latestAt; self.line = line
        self.idColumn = idColumn
    }
}
