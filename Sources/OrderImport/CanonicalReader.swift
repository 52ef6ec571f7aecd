import LedgerCore

/// The canonical orders CSV of `shared/cli.md`, for any other shop:
/// `order_id,created_at,currency,subtotal,discount,shipping,taxes,total,codes,referral,email,
/// financial_status,refunded,cancelled_at,test`, one row per order. Timestamps carry their offset;
/// `codes` are comma-separated inside one quoted cell, in the order applied; `referral` feeds
/// referral attribution.
struct CanonicalReader: OrderDialect {
    private let header: HeaderMap
    private let f: RowFields
    private let options: DialectOptions
    // Every column of the layout decides attribution, test orders, status, refunds, cancellation
    // or money: all are required (empty cells are fine where `shared/cli.md` allows them).
    private let id, created, currency, subtotal, total, status: Column
    private let discount, shipping, taxes, codes, referral, email, refunded, cancelled, test: Column

    static let layout =
        "the canonical orders CSV "
        + "(order_id,created_at,currency,subtotal,discount,shipping,"
        + "taxes,total,codes,referral,email,financial_status,refunded,cancelled_at,test)"

    init(header: HeaderMap, options: DialectOptions) throws(InputIssue) {
        self.header = header
        self.options = options
        self.f = RowFields(
            file: header.file, apostrophe: false, latestTime: options.latestTime,
            zone: options.localZone)
        let req = try header.required(Self.requiredColumns, layout: Self.layout, dialect: "orders")
        (id, created, currency, subtotal, discount, shipping, taxes, total) =
            (req[0], req[1], req[2], req[3], req[4], req[5], req[6], req[7])
        (codes, referral, email, status, refunded, cancelled, test) =
            (req[8], req[9], req[10], req[11], req[12], req[13], req[14])
    }

    /// The header of `shared/cli.md`, in its order.
    static let requiredColumns = [
        "order_id", "created_at", "currency", "subtotal", "discount", "shipping", "taxes",
        "total", "codes", "referral", "email", "financial_status", "refunded",
        "cancelled_at", "test"
    ]

    mutating func next(_ csv: inout CSVReader) throws(InputIssue) -> OrderUnit? {
        try nextSingleRowOrder(&csv, fields: f, header: header, options: options) { (record) throws(InputIssue) in
            try order(record)
        }
    }

    private func order(_ csv: borrowing CSVReader) throws(InputIssue) -> ImportedOrder {
        let orderId = try f.required(csv, id, "the order_id")
        guard
            let financialStatus = try OrderImport.financialStatus(
                csv, status, text: { () throws(InputIssue) in try f.text(csv, status) })
        else {
            let statusText = try f.text(csv, status)
            throw f.issue(
                csv, status, found: statusText.isEmpty ? nil : statusText,
                "one of the financial statuses: " + FinancialStatus.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let cur = try f.currency(csv, currency)
        let createdAt = try f.timestamp(csv, created, localZone: nil)
        let cancelledAt = try f.optionalTimestamp(csv, cancelled, localZone: nil)
        let order = ImportedOrder(
            orderId: orderId, name: nil, createdAt: createdAt, currency: cur,
            subtotalMinor: try f.amount(csv, subtotal, cur), discountMinor: try f.optionalAmount(csv, discount, cur),
            shippingMinor: try f.optionalAmount(csv, shipping, cur), taxesMinor: try f.optionalAmount(csv, taxes, cur),
            totalMinor: try f.amount(csv, total, cur),
            codes: splitCodes(try f.optionalText(csv, codes) ?? "", separator: ","),
            referral: try f.optionalText(csv, referral), email: try f.optionalText(csv, email),
            state: OrderState(
                status: financialStatus, refundedMinor: try f.optionalAmount(csv, refunded, cur),
                cancelledAt: cancelledAt),
            test: try testFlag(csv), refunds: [], stateBeforeRefunds: nil,
            latestAt: max(createdAt.instant, cancelledAt?.instant ?? createdAt.instant),
            line: csv.recordLine, idColumn: id.index + 1)
        let columns = OrderAmountColumns(
            subtotal: subtotal, discount: discount, shipping: shipping, taxes: taxes,
            total: total, refunded: refunded)
        return try f.plausible(order, csv, columns: columns)
    }

    private func testFlag(_ csv: borrowing CSVReader) throws(InputIssue) -> Bool {
        switch try f.text(csv, test).lowercased() {
        case "", "false", "0", "no": return false
        case "true", "1", "yes": return true
        case let other: throw f.issue(csv, test, found: other, "true, false, 1, 0, yes, no or nothing")
        }
    }
}

/// The next order of a dialect with one order per record (WooCommerce, canonical): blank lines are
/// skipped, a ragged or invalid row becomes an `.invalid` unit (for `--skip-invalid`), a CSV syntax
/// error stops the file.
func nextSingleRowOrder(
    _ csv: inout CSVReader, fields f: RowFields, header: HeaderMap, options: DialectOptions,
    _ order: (borrowing CSVReader) throws(InputIssue) -> ImportedOrder
) throws(InputIssue) -> OrderUnit? {
    while true {  // one record per turn; bounded by the file
        let more: Bool
        do { more = try csv.next() } catch { throw InputIssue(file: f.file, error.withNotCSVHint) }
        guard more else { return nil }
        if csv.fieldCount == 1 && csv.isEmpty(0) { continue }
        let rows = options.captureRows ? [csv.encodedRecord()] : []
        do {
            try f.checkWidth(csv, header: header)
            return .order(try order(csv), rows: rows)
        } catch {
            return .invalid(error, rows: rows)
        }
    }
}
