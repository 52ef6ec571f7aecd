import LedgerCore

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
    /// The latest time an order may show (`latestPlausibleTime`): later is an input error.
    public var latestTime: Instant
    public init(localZone: Zone, captureRows: Bool, latestTime: Instant = .distantFuture) {
        self.localZone = localZone; self.captureRows = captureRows; self.latestTime = latestTime
    }
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
