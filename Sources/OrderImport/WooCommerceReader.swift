import LedgerCore

/// The layout of the "Order Export & Order Import for WooCommerce" plugin (WebToffee): one row per
/// order, its keys as the header (`order_id,order_number,order_date,...,coupon_items,refund_items`).
///
/// - subtotal = `order_subtotal - discount_total` (WooCommerce's subtotal is before coupons);
/// - codes from `coupon_items` (`code:anna15|amount:4.50;code:...`), in the order listed;
/// - refunds from `refund_items` (`amount:12.50|reason:...|date:2026-10-05 14:00:00`), each with
///   its own date;
/// - `order_date` and refund dates have no offset: they are read in the site's zone;
/// - a cell may start with one `'` (the plugin's formula escaping of `-`, `+`, `=`, `@`): it is
///   stripped before a number is parsed.
struct WooCommerceReader: OrderDialect {
    private let header: HeaderMap
    private let f: RowFields
    private let options: DialectOptions
    // Required: each decides attribution, status, refunds or money.
    private let id, date, status, currency, subtotal, discount, shipping, taxes, total: Column
    private let coupons, refundItems, billingEmail: Column
    // Optional: display, the default as-of, an account's e-mail, and attribution data that only
    // WooCommerce 8.5 and later record (older exports have nothing to lose).
    private let number, paidDate, customerEmail, utmSource: Column?
    /// Read only to tell a negative fee (which lowers the total below the subtotal) from a broken row.
    private let fees: Column?

    static let layout =
        "a WooCommerce order export of the WebToffee plugin (order_id, order_date, status, order_total, ...)"

    init(header: HeaderMap, options: DialectOptions) throws(InputIssue) {
        self.header = header
        self.options = options
        self.f = RowFields(
            file: header.file, apostrophe: true, latestTime: options.latestTime,
            zone: options.localZone)
        let reads = [
            "order_number", "paid_date", "customer_email", "meta:_wc_order_attribution_utm_source",
            "fee_total"
        ]
        let req = try header.required(Self.requiredColumns, layout: Self.layout, reads: reads, dialect: "woocommerce")
        (id, date, status, currency, subtotal, discount) = (req[0], req[1], req[2], req[3], req[4], req[5])
        (shipping, taxes, total) = (req[6], req[7], req[8])
        (coupons, refundItems, billingEmail) = (req[9], req[10], req[11])
        number = try header.column("order_number")
        paidDate = try header.column("paid_date")
        customerEmail = try header.column("customer_email")
        utmSource = try header.column("meta:_wc_order_attribution_utm_source")
        fees = try header.column("fee_total")
    }

    /// Every column that decides attribution (coupons; the billing e-mail for self-referrals),
    /// status, refunds or money, in `init`'s order; a file without one is refused.
    static let requiredColumns = [
        "order_id", "order_date", "status", "order_currency", "order_subtotal",
        "discount_total", "shipping_total", "tax_total", "order_total", "coupon_items",
        "refund_items", "billing_email"
    ]

    mutating func next(_ csv: inout CSVReader) throws(InputIssue) -> OrderUnit? {
        try nextSingleRowOrder(&csv, fields: f, header: header, options: options) { (record) throws(InputIssue) in
            try order(record)
        }
    }

    private func order(_ csv: borrowing CSVReader) throws(InputIssue) -> ImportedOrder {
        let orderId = try f.required(csv, id, "the order_id")
        let statusText = try f.text(csv, status)
        guard let mapped = wooStatus(statusText) else {
            throw f.issue(
                csv, status, found: statusText,
                "a WooCommerce order status: " + wooStatusNames.joined(separator: ", "))
        }
        let cur = try f.currency(csv, currency)
        let zone = options.localZone
        let createdAt = try f.timestamp(csv, date, localZone: zone)
        var latest = createdAt.instant
        if let paid = try f.optionalTimestamp(csv, paidDate, localZone: zone) { latest = max(latest, paid.instant) }
        let refunds = try self.refunds(csv, cur)
        if let last = refunds.last { latest = max(latest, last.at.instant) }
        let totalMinor = try f.amount(csv, total, cur)
        let discountMinor = try f.amount(csv, discount, cur)
        let refundedMinor = refunds.reduce(0) { $0 + $1.amountMinor }
        let finalStatus = statusAfterRefunds(mapped, refundedMinor: refundedMinor, totalMinor: totalMinor)
        let order = ImportedOrder(
            orderId: orderId, name: try f.optionalText(csv, number), createdAt: createdAt, currency: cur,
            subtotalMinor: try f.amount(csv, subtotal, cur) - discountMinor, discountMinor: discountMinor,
            shippingMinor: try f.amount(csv, shipping, cur), taxesMinor: try f.amount(csv, taxes, cur),
            totalMinor: totalMinor,
            codes: try codes(csv), referral: try referral(csv), email: try email(csv),
            state: OrderState(status: finalStatus, refundedMinor: refundedMinor, cancelledAt: nil), test: false,
            refunds: refunds,
            stateBeforeRefunds: refunds.isEmpty ? nil : OrderState(status: .paid, refundedMinor: 0, cancelledAt: nil),
            latestAt: latest, line: csv.recordLine, idColumn: id.index + 1)
        // A negative fee (a discount written as a fee) lowers the total below the subtotal.
        let negativeFees = max(0, -(try f.optionalAmount(csv, fees, cur)))
        let columns = OrderAmountColumns(
            subtotal: subtotal, discount: discount, shipping: shipping, taxes: taxes,
            total: total, refunded: refundItems, subtotalIsComputed: true)
        return try f.plausible(order, csv, columns: columns, subtotalAllowanceMinor: negativeFees)
    }

    /// `customer_email` is the WordPress account's; a guest checkout leaves it empty and the order's
    /// address is `billing_email`.
    private func email(_ csv: borrowing CSVReader) throws(InputIssue) -> String? {
        if let account = try f.optionalText(csv, customerEmail) { return account }
        return try f.optionalText(csv, billingEmail)
    }

    /// `utm_source=VALUE` from the order-attribution meta column; WooCommerce's placeholders in
    /// parentheses (`(direct)`, `(none)`) are no referral.
    private func referral(_ csv: borrowing CSVReader) throws(InputIssue) -> String? {
        guard let value = try f.optionalText(csv, utmSource), !value.hasPrefix("(") else { return nil }
        return "utm_source=" + value
    }

    private func codes(_ csv: borrowing CSVReader) throws(InputIssue) -> [String] {
        guard let text = try f.optionalText(csv, coupons) else { return [] }
        var codes: [String] = []
        for entry in text.split(separator: ";") {
            guard let code = keyedValues(entry)["code"]?.trimmingASCIISpaces(), !code.isEmpty else {
                throw f.issue(
                    csv, coupons, found: String(entry), "coupon entries like code:anna15|amount:4.50, separated by ';'")
            }
            codes.append(code)
        }
        return codes
    }

    /// The dated refunds, oldest first (a stable sort keeps the file's order for equal dates).
    private func refunds(_ csv: borrowing CSVReader, _ cur: Currency) throws(InputIssue) -> [DatedRefund] {
        guard let text = try f.optionalText(csv, refundItems) else { return [] }
        var refunds: [DatedRefund] = []
        for entry in text.split(separator: ";") {
            let values = keyedValues(entry)
            let expected = "refund entries like amount:12.50|reason:...|date:2026-10-05 14:00:00, separated by ';'"
            guard var amountText = values["amount"]?.trimmingASCIISpaces(),
                let dateText = values["date"]?.trimmingASCIISpaces()
            else {
                throw f.issue(csv, refundItems, found: String(entry), expected)
            }
            if amountText.hasPrefix("'") { amountText.removeFirst() }
            let amount: Int64
            switch parseAmount(amountText, cur) {
            case let .success(minor) where minor >= 0: amount = minor
            case .success: throw f.issue(csv, refundItems, found: amountText, "a refund amount of zero or more")
            case let .failure(error): throw f.issue(csv, refundItems, found: amountText, amountExpectation(error, cur))
            }
            guard let at = Timestamp.parse(dateText, defaultZone: options.localZone) else {
                throw f.issue(csv, refundItems, found: dateText, "a refund date like 2026-10-05 14:00:00")
            }
            if at.instant > options.latestTime {
                throw f.issue(
                    csv, refundItems, found: dateText,
                    futureTimeExpectation(latest: options.latestTime, zone: options.localZone))
            }
            refunds.append(DatedRefund(amountMinor: amount, at: at))
        }
        return refunds.enumerated().sorted { ($0.element.at.instant, $0.offset) < ($1.element.at.instant, $1.offset) }
            .map(\.element)
    }
}

/// `key:value|key:value` (the plugin's item encoding); a value keeps any further `:`.
private func keyedValues(_ entry: Substring) -> [String: String] {
    var values: [String: String] = [:]
    for pair in entry.split(separator: "|", omittingEmptySubsequences: true) {
        guard let colon = pair.firstIndex(of: ":") else { continue }
        values[String(pair[..<colon]).trimmingASCIISpaces()] = String(pair[pair.index(after: colon)...])
    }
    return values
}

/// WooCommerce's order statuses in the ledger's vocabulary (docs/importing.md has the table).
/// Refunds are not a status in WooCommerce: `statusAfterRefunds` derives them from the amounts.
let wooStatusMap: [String: FinancialStatus] = [
    "pending": .pending, "on-hold": .pending, "checkout-draft": .pending,
    "processing": .paid, "completed": .paid, "ready-for-pickup": .paid,
    "refunded": .refunded,
    "cancelled": .voided, "failed": .voided
]
let wooStatusNames = wooStatusMap.keys.sorted()

func wooStatus(_ text: String) -> FinancialStatus? {
    var key = text.trimmingASCIISpaces().lowercased()
    if key.hasPrefix("wc-") { key.removeFirst(3) }
    return wooStatusMap[key]
}

/// A paid order with refunds is partially or fully refunded by amount; other statuses stand.
func statusAfterRefunds(_ status: FinancialStatus, refundedMinor: Int64, totalMinor: Int64) -> FinancialStatus {
    guard status == .paid, refundedMinor > 0 else { return status }
    return refundedMinor >= totalMinor ? .refunded : .partiallyRefunded
}
