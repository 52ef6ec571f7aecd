import LedgerCore

/// Shopify's admin "Export orders" CSV, as it is: one row per line item; the first row of an order
/// (non-empty `Financial Status`) carries the order's fields, the rows after it with an empty
/// `Financial Status` are its other line items. Columns are found by name, so the current
/// 79-column header and the older, shorter ones all work.
///
/// Identity: `Id`; only a file without an `Id` column falls back to `Name` (which Shopify does not
/// keep unique). A test order is one paid through the "(for testing) Bogus Gateway".
struct ShopifyReader: OrderDialect {
    private let header: HeaderMap
    private let f: RowFields
    private let options: DialectOptions
    // Required columns: each decides attribution, test orders, status, refunds, cancellation or money.
    private let status, currency, subtotal, total, created, discountAmount, shipping, taxes: Column
    private let discountCode, email, cancelledAt, paymentMethod, refunded: Column
    // One of these two identifies the order; the rest only give the default as-of.
    private let id, name, paidAt, fulfilledAt: Column?
    /// The unit being assembled: a first row and the continuation rows read so far.
    private var pending: PendingUnit?

    private struct PendingUnit {
        var order: ImportedOrder?
        var issue: InputIssue?
        var rows: [[UInt8]] = []
        var nameBytes: [UInt8] = []
        var name: String { String(decoding: nameBytes, as: UTF8.self) }
        var line: Int
    }

    static let layout =
        "a Shopify order export (Name, Financial Status, Currency, Subtotal, Total, Created at, Id, ...)"

    init(header: HeaderMap, options: DialectOptions) throws(InputIssue) {
        self.header = header
        self.options = options
        self.f = RowFields(
            file: header.file, apostrophe: false, latestTime: options.latestTime,
            zone: options.localZone)
        id = try header.column("Id")
        name = try header.column("Name")
        guard id != nil || name != nil else {
            if let other = recognizeFile(header.names, file: header.file, except: "shopify") {
                throw InputIssue(
                    file: header.file, line: header.line, column: 0, expected: "\(Self.layout); \(other.hint)")
            }
            throw InputIssue(
                file: header.file, line: header.line, column: 1,
                expected:
                    "\(Self.layout); the header has neither an 'Id' nor a 'Name' column, so orders cannot be told apart"
            )
        }
        let reads = ["Id", "Name", "Paid at", "Fulfilled at"]
        let req = try header.required(Self.requiredColumns, layout: Self.layout, reads: reads, dialect: "shopify")
        (status, currency, subtotal, total, created) = (req[0], req[1], req[2], req[3], req[4])
        (discountAmount, shipping, taxes, discountCode, email) = (req[5], req[6], req[7], req[8], req[9])
        (cancelledAt, paymentMethod, refunded) = (req[10], req[11], req[12])
        paidAt = try header.column("Paid at")
        fulfilledAt = try header.column("Fulfilled at")
    }

    /// Every column that decides attribution (codes; the e-mail for self-referrals), test orders
    /// (the payment method), status, refunds, cancellation or money, in `init`'s order. Missing, the
    /// file is refused: taken as empty, it would pay the wrong commission for good (issue 13).
    static let requiredColumns = [
        "Financial Status", "Currency", "Subtotal", "Total", "Created at", "Discount Amount",
        "Shipping", "Taxes", "Discount Code", "Email", "Cancelled at", "Payment Method",
        "Refunded Amount"
    ]

    mutating func next(_ csv: inout CSVReader) throws(InputIssue) -> OrderUnit? {
        while true {  // one record per turn; bounded by the file
            let more: Bool
            do { more = try csv.next() } catch { throw InputIssue(file: f.file, error.withNotCSVHint) }
            guard more else {
                defer { pending = nil }
                return pending.map(Self.finish)
            }
            if isBlank(csv) { continue }
            if status.index < csv.fieldCount && !csv.isEmpty(status.index) {
                let done = pending
                pending = startUnit(csv)
                if let done { return Self.finish(done) }
            } else {
                continueUnit(csv)
            }
        }
    }

    private static func finish(_ unit: PendingUnit) -> OrderUnit {
        if let issue = unit.issue { return .invalid(issue, rows: unit.rows) }
        return .order(unit.order!, rows: unit.rows)
    }

    private func startUnit(_ csv: borrowing CSVReader) -> PendingUnit {
        var unit = PendingUnit(line: csv.recordLine)
        if options.captureRows { unit.rows.append(csv.encodedRecord()) }
        if let name, name.index < csv.fieldCount {
            unit.nameBytes = csv.withField(name.index) { Array(trimmedASCII($0)) }
        }
        do {
            try f.checkWidth(csv, header: header)
            unit.order = try order(csv)
        } catch {
            unit.issue = error
        }
        return unit
    }

    /// A line-item row: it must belong to the order above it (same `Name`). The pending unit is
    /// changed in place (a copy would retain and release each of its order's strings per row).
    private mutating func continueUnit(_ csv: borrowing CSVReader) {
        let firstRowAbove = pending != nil
        if !firstRowAbove { pending = PendingUnit(line: csv.recordLine) }
        if options.captureRows { pending!.rows.append(csv.encodedRecord()) }
        if pending!.issue == nil {
            do {
                try f.checkWidth(csv, header: header)
                try checkContinuation(csv, firstRowAbove: firstRowAbove)
            } catch {
                pending!.issue = error
            }
        }
    }

    private func checkContinuation(_ csv: borrowing CSVReader, firstRowAbove: Bool) throws(InputIssue) {
        guard firstRowAbove else {
            throw f.issue(
                csv, status, found: nil,
                "an order's first row (a non-empty 'Financial Status') before its line-item rows")
        }
        guard let name else { return }
        let same = csv.withField(name.index) { trimmedASCII($0).elementsEqual(pending!.nameBytes) }
        if !same {
            let rowName = csv.string(name.index).trimmingASCIISpaces()
            throw f.issue(
                csv, name, found: rowName,
                "'\(pending!.name)': a line-item row (empty 'Financial Status') "
                    + "must follow its own order's first row "
                    + "(line \(pending!.line)); is a first row missing?")
        }
    }

    private func isBlank(_ csv: borrowing CSVReader) -> Bool {
        csv.fieldCount == 1 && csv.isEmpty(0)
    }

    /// The order on a first row.
    private func order(_ csv: borrowing CSVReader) throws(InputIssue) -> ImportedOrder {
        let idColumn = id ?? name!
        let orderId = try f.required(csv, idColumn, id != nil ? "the order's numeric Id" : "the order's Name")
        if id != nil && !orderId.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            throw f.issue(
                csv, idColumn, found: orderId,
                "a numeric order Id like 7209192468671 (a spreadsheet may have rewritten it)")
        }
        guard
            let financialStatus = try OrderImport.financialStatus(
                csv, status, text: { () throws(InputIssue) in try f.text(csv, status) })
        else {
            throw f.issue(
                csv, status, found: try f.text(csv, status),
                "one of Shopify's financial statuses: "
                    + FinancialStatus.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let cur = try f.currency(csv, currency)
        let createdAt = try f.timestamp(csv, created, localZone: nil)
        let cancelled = try f.optionalTimestamp(csv, cancelledAt, localZone: nil)
        var latest = createdAt.instant
        if let t = try f.optionalTimestamp(csv, paidAt, localZone: nil) { latest = max(latest, t.instant) }
        if let t = try f.optionalTimestamp(csv, fulfilledAt, localZone: nil) { latest = max(latest, t.instant) }
        if let cancelled { latest = max(latest, cancelled.instant) }
        let order = ImportedOrder(
            orderId: orderId, name: try f.optionalText(csv, name), createdAt: createdAt, currency: cur,
            subtotalMinor: try f.amount(csv, subtotal, cur),
            discountMinor: try f.optionalAmount(csv, discountAmount, cur),
            shippingMinor: try f.optionalAmount(csv, shipping, cur), taxesMinor: try f.optionalAmount(csv, taxes, cur),
            totalMinor: try f.amount(csv, total, cur),
            codes: splitCodes(try f.optionalText(csv, discountCode) ?? "", separator: ","),
            referral: nil, email: try f.optionalText(csv, email),
            state: OrderState(
                status: financialStatus, refundedMinor: try f.optionalAmount(csv, refunded, cur), cancelledAt: cancelled
            ),
            test: isTest(csv), refunds: [], stateBeforeRefunds: nil,
            latestAt: latest, line: csv.recordLine, idColumn: idColumn.index + 1)
        return try f.plausible(order, csv, columns: amountColumns)
    }

    private var amountColumns: OrderAmountColumns {
        OrderAmountColumns(
            subtotal: subtotal, discount: discountAmount, shipping: shipping, taxes: taxes, total: total,
            refunded: refunded)
    }
}

extension ShopifyReader {
    static var hasQuickScan: Bool { true }

    func quickScan(_ csv: borrowing CSVReader, _ body: (Instant?, UnsafeBufferPointer<UInt8>) -> Void) {
        guard status.index < csv.fieldCount, csv.fieldCount == header.names.count, !csv.isEmpty(status.index) else {
            return
        }
        let latest = quickLatest(csv)
        csv.withField((id ?? name!).index) { body(latest, trimmedASCII($0)) }
    }

    /// Created, paid, fulfilled and cancelled times of a first row, as `order` reads them.
    private func quickLatest(_ csv: borrowing CSVReader) -> Instant? {
        guard var latest = csv.withField(created.index, { Timestamp.parse(bytes: trimmedASCII($0)) })?.instant else {
            return nil
        }
        // Each column in turn, without an array of them per order.
        func later(_ csv: borrowing CSVReader, _ col: Column?) -> Bool {
            guard let col else { return true }
            let parsed: Instant?? = csv.withField(col.index) { raw in
                let bytes = trimmedASCII(raw)
                if bytes.isEmpty { return .some(nil) }
                return Timestamp.parse(bytes: bytes).map { .some($0.instant) }
            }
            guard let parsed else { return false }  // unparseable: the order is invalid
            if let t = parsed { latest = max(latest, t) }
            return true
        }
        guard later(csv, paidAt), later(csv, fulfilledAt), later(csv, cancelledAt) else { return nil }
        return latest
    }
}

/// Shopify's test payment gateway, `(for testing) Bogus Gateway`, alone or joined with others.
private let bogusGateway = Array("bogus gateway".utf8)

extension ShopifyReader {
    private func isTest(_ csv: borrowing CSVReader) -> Bool {
        csv.withField(paymentMethod.index) { containsIgnoringASCIICase($0, bogusGateway) }
    }
}

/// Codes as listed in one cell: split, trimmed, empty pieces dropped, order and case kept.
func splitCodes(_ text: String, separator: Character) -> [String] {
    guard !text.isEmpty else { return [] }
    return text.split(separator: separator).compactMap { piece in
        let code = String(piece).trimmingASCIISpaces()
        return code.isEmpty ? nil : code
    }
}
