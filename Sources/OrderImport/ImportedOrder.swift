import LedgerCore

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
    public var subtotalMinor: Int64      // after discounts, before shipping and taxes
    public var discountMinor: Int64
    public var shippingMinor: Int64
    public var taxesMinor: Int64
    public var totalMinor: Int64
    public var codes: [String]           // trimmed, original case, in the order listed
    public var referral: String?
    public var email: String?            // as exported; only its salted hash is ever stored
    public var state: OrderState         // as of the export
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
}

/// What a dialect reader yields: an order, or a unit of rows that cannot be imported. `rows` holds
/// the unit's rows re-encoded as CSV lines when the caller asked for them (`--skip-invalid`).
public enum OrderUnit: Sendable {
    case order(ImportedOrder, rows: [[UInt8]])
    case invalid(InputIssue, rows: [[UInt8]])
}

/// The dialects of order files (`tally import shopify|woocommerce|orders`).
public enum OrderDialectKind: String, Sendable, CaseIterable {
    case shopify, woocommerce, orders
}

/// Options a dialect reader needs besides the file itself.
public struct DialectOptions: Sendable {
    /// The zone of timestamps written without an offset (WooCommerce's `order_date`).
    public var localZone: Zone
    /// Keep the raw rows of each unit (for the rejects file).
    public var captureRows: Bool
    public init(localZone: Zone, captureRows: Bool) { self.localZone = localZone; self.captureRows = captureRows }
}

/// A reader of one shop's order layout, on top of the streaming CSV reader. `next` yields one unit
/// per order; it throws only for problems that make the rest of the file untrustworthy (CSV syntax).
protocol OrderDialect: SendableMetatype {  // the reading thread of `OrderPipe` is handed the type
    init(header: HeaderMap, options: DialectOptions) throws(InputIssue)
    mutating func next(_ csv: inout CSVReader) throws(InputIssue) -> OrderUnit?
    /// Whether `quickScan` is implemented (else pass 1 reads whole orders).
    static var hasQuickScan: Bool { get }
    /// Pass 1's fast form, reading only a few columns: when the current record is an order's
    /// first row (of the header's width), calls `body` with its latest timestamp (nil when one
    /// does not parse: pass 2 reports it) and its order id's bytes trimmed of ASCII spaces (valid
    /// during the call). The timestamp agrees with `ImportedOrder.latestAt` on every valid order.
    func quickScan(_ csv: borrowing CSVReader, _ body: (Instant?, UnsafeBufferPointer<UInt8>) -> Void)
}

extension OrderDialect {
    static var hasQuickScan: Bool { false }
    func quickScan(_ csv: borrowing CSVReader, _ body: (Instant?, UnsafeBufferPointer<UInt8>) -> Void) {}
}
