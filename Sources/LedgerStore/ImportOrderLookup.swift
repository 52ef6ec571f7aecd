import LedgerCore

/// The `orders` projection as one order import reads it: each order of the file looked up by its
/// id, and the ids the file has shown so far. Made inside the import's transaction (or read
/// transaction), used for that import only.
public final class ImportOrderLookup {
    private let connection: Connection
    public let source: String
    /// The ledger held no order of this source when the lookup was made (a first import): every
    /// order is new unless the file showed it already, which `claim` catches, so no lookup is needed.
    public let sourceWasEmpty: Bool
    private let lookup: Statement
    private let claimStatement: Statement
    private let claimedLine: Statement

    /// What `stored` and `storedAsOfIfUnchanged` read, by position: the order's current state, its
    /// as-of, and the fields of `OrderDetails` an export is compared on. Not its key, its name or
    /// the offset of its created time, which a later export may show otherwise without the order
    /// being another one; not the first-seen state (`seen_status` ...), since an export is compared
    /// with the current one. `ImportLookupTests` fails for a field of the table left out here.
    static let columns = [
        "status", "refunded_minor", "cancelled_at", "cancelled_offset", "as_of", "created_at", "currency",
        "subtotal_minor", "discount_minor", "shipping_minor", "taxes_minor", "total_minor", "codes", "referral",
        "email_hash", "test"
    ]

    init(_ ledger: Ledger, source: String) throws {
        let c = ledger.connection
        connection = c
        self.source = source
        // Orders already claimed by this file: a temporary table, so that memory stays flat.
        try c.execute(
            """
            CREATE TEMP TABLE IF NOT EXISTS import_order_ids (order_id TEXT PRIMARY KEY, line INTEGER NOT NULL)
            WITHOUT ROWID
            """)
        try c.execute("DELETE FROM temp.import_order_ids")
        let columns = Self.columns.joined(separator: ", ")
        lookup = try c.prepared("SELECT \(columns) FROM orders WHERE source = ? AND order_id = ?")
        sourceWasEmpty = try !ledger.hasOrders(source: source)
        claimStatement = try c.prepared("INSERT OR IGNORE INTO temp.import_order_ids (order_id, line) VALUES (?, ?)")
        claimedLine = try c.prepared("SELECT line FROM temp.import_order_ids WHERE order_id = ?")
    }

    /// Marks the order as seen in this file; the line of its earlier appearance if it was already.
    public func claim(orderId: String, line: Int) throws -> Int? {
        claimStatement.reset()
        try claimStatement.bind(.text(orderId), at: 1)
        try claimStatement.bind(.int(Int64(line)), at: 2)
        _ = try claimStatement.step()
        if connection.changes > 0 { return nil }
        claimedLine.reset()
        try claimedLine.bind(.text(orderId), at: 1)
        return try claimedLine.step() ? Int(claimedLine.int(0)) : 0
    }

    /// The order as the ledger holds it, or nil when it does not.
    public func stored(orderId: String) throws -> StoredOrder? {
        let (st, found) = try step(orderId)
        guard found else { return nil }
        defer { st.reset() }
        guard let status = FinancialStatus(rawValue: st.text(0)) else {
            let found = st.text(0)
            throw LedgerError.corrupt("order \(source):\(orderId) has an unknown status '\(found)' in the projection")
        }
        let cancelled = st.optionalInt(2).map {
            Timestamp(Instant(unixSeconds: $0), offsetSeconds: Int(st.optionalInt(3) ?? 0))
        }
        return StoredOrder(
            state: OrderState(status: status, refundedMinor: st.int(1), cancelledAt: cancelled),
            asOf: Instant(unixSeconds: st.int(4)), createdAt: Instant(unixSeconds: st.int(5)), currencyCode: st.text(6),
            subtotalMinor: st.int(7), discountMinor: st.int(8), shippingMinor: st.int(9), taxesMinor: st.int(10),
            totalMinor: st.int(11), codesJSON: st.text(12), referral: st.optionalText(13),
            emailHash: st.optionalText(14), test: st.int(15) != 0)
    }

    /// The stored as-of of `o` when the ledger holds it exactly as the export shows it (same state,
    /// same first-export fields: what `stored` and `OrderReconciler` would find unchanged), else nil.
    /// Compares in place, without building strings: a re-export of a million orders asks this a
    /// million times. `known`: the order's e-mail hash and code list when already worked out; else
    /// the e-mail is matched against the stored hash with `hasher`.
    public func storedAsOfIfUnchanged(
        _ o: ImportedOrder, known: (emailHash: String?, codesJSON: String)?,
        hasher: EmailHasher
    ) throws -> Int64? {
        let (st, found) = try step(o.orderId)
        guard found else { return nil }
        defer { st.reset() }
        func same(_ column: Int32, _ text: String?) -> Bool {
            guard let text else { return st.isNull(column) }
            return !st.isNull(column) && st.withBytes(column) { $0.elementsEqual(text.utf8) }
        }
        let s = o.state
        guard same(0, s.status.rawValue), st.int(1) == s.refundedMinor,
            st.optionalInt(2) == s.cancelledAt?.instant.unixSeconds,
            s.cancelledAt == nil || st.int(3) == Int64(s.cancelledAt!.offsetSeconds),
            st.int(5) == o.createdAt.instant.unixSeconds, same(6, o.currency.code),
            st.int(7) == o.subtotalMinor, st.int(8) == o.discountMinor, st.int(9) == o.shippingMinor,
            st.int(10) == o.taxesMinor, st.int(11) == o.totalMinor,
            same(12, known?.codesJSON ?? OrderSeen.codesJSON(o.codes)), same(13, o.referral),
            (st.int(15) != 0) == o.test
        else { return nil }
        if let known {
            guard same(14, known.emailHash) else { return nil }
        } else {
            let matches =
                st.isNull(14)
                ? hasher.hash(o.email ?? "") == nil
                : st.withBytes(14) { hasher.matches(o.email, hex: $0) }
            guard matches else { return nil }
        }
        return st.int(4)
    }

    /// The lookup statement stepped onto `orderId`'s row (`found` false when there is none).
    private func step(_ orderId: String) throws -> (statement: Statement, found: Bool) {
        let st = lookup
        st.reset()
        try st.bind(.text(source), at: 1)
        try st.bind(.text(orderId), at: 2)
        return (st, try st.step())
    }
}

extension Ledger {
    /// The look-ups of one import into `source` (inside its transaction).
    public func orderLookup(source: String) throws -> ImportOrderLookup {
        try ImportOrderLookup(self, source: source)
    }
}
