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
    /// A window's look-ups (`storedAsOfsIfUnchanged`): the rowid from the key index alone, then the row.
    private let rowidLookup: Statement
    private let rowRead: Statement
    /// The source's orders in key order from an id on, up or down (`storedAsOfIfUnchanged(_:known:
    /// hasher:increasing:)`): `columns`, then the id.
    private let scanUp: Statement
    private let scanDown: Statement
    /// The scan under way (nil: none), and whether it stands on a row.
    private var scan: Statement?
    private var scanOnRow = false

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
        rowidLookup = try c.prepared("SELECT rowid FROM orders WHERE source = ? AND order_id = ?")
        rowRead = try c.prepared("SELECT \(columns) FROM orders WHERE rowid = ?")
        scanUp = try c.prepared(
            "SELECT \(columns), order_id FROM orders WHERE source = ? AND order_id >= ? ORDER BY order_id")
        scanDown = try c.prepared(
            "SELECT \(columns), order_id FROM orders WHERE source = ? AND order_id <= ? ORDER BY order_id DESC")
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
        defer { st.rewind() }
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
        defer { st.rewind() }
        return unchangedAsOf(st, o, known: known, hasher: hasher)
    }

    /// `storedAsOfIfUnchanged` for orders asked in strict key order (`increasing`: SQLite's byte
    /// order of the ids, up or down), as a file sorted by id shows them: the source's rows are read
    /// by one scan of the key index in that order instead of a look-up from the top per order (a
    /// new statement run, a search of the index). The same row, by the same key; a row of the ledger
    /// the file does not show is stepped over (a few) or sought past (more). Call `endScan` before
    /// the read transaction ends: a scan under way keeps it open.
    public func storedAsOfIfUnchanged(
        _ o: ImportedOrder, known: (emailHash: String?, codesJSON: String)?,
        hasher: EmailHasher, increasing: Bool
    ) throws -> Int64? {
        guard let st = try scanned(o.orderId, increasing: increasing) else { return nil }
        return unchangedAsOf(st, o, known: known, hasher: hasher)
    }

    /// Stops the scan of `storedAsOfIfUnchanged(_:known:hasher:increasing:)`, if any.
    public func endScan() {
        scan?.reset()
        scan = nil
        scanOnRow = false
    }

    /// The scan stepped onto `orderId`'s row, or nil when the source has no such order.
    private func scanned(_ orderId: String, increasing: Bool) throws -> Statement? {
        let st = increasing ? scanUp : scanDown
        let column = Int32(Self.columns.count)
        var id = orderId
        var seek = scan !== st, sought = false, skipped = 0
        while true {  // bounded: at most `skippedMax` steps, then one seek
            if seek {
                endScan()
                st.reset()
                try st.bind(source, at: 1)
                try st.bind(orderId, at: 2)
                scan = st
                scanOnRow = try st.step()
                (seek, sought) = (false, true)
            }
            guard scanOnRow else { return nil }
            // The row's id against `orderId` in the scan's direction: 0 the same, < 0 not reached yet.
            let rowOrder = id.withUTF8 { id in st.withBytes(column) { compareBytes($0, UnsafeRawBufferPointer(id)) } }
            let ahead = increasing ? rowOrder : -rowOrder
            if ahead == 0 { return st }
            if ahead > 0 || sought { return nil }  // past it: the source has no such order
            skipped += 1
            if skipped > Self.skippedMax {
                seek = true
            } else {
                scanOnRow = try st.step()
            }
        }
    }

    /// Rows of the ledger a sorted file leaves out stepped over before the scan seeks instead.
    public static let skippedMax = 16

    /// `storedAsOfIfUnchanged` of each order of `window`, in the window's order; nil as soon as one
    /// of them is not held exactly as shown. The orders are visited by key and their rows then read
    /// by rowid, not in the window's order: a file in random order would otherwise read a random
    /// page of the key index and one of the table per order, and SQLite's page cache holds 31 of
    /// the some 3,000 pages a million orders take (docs/performance.md). Each page is read at most
    /// once per window instead.
    public func storedAsOfsIfUnchanged(_ window: ProbeWindow, hasher: EmailHasher) throws -> [Int64]? {
        let ids = window.orderIds
        let prefixes = ids.map(KeyPrefix.init)
        var byKey = Array(ids.indices)
        byKey.sort { prefixes[$0] < prefixes[$1] }
        var rows: [(rowid: Int64, index: Int)] = []
        rows.reserveCapacity(ids.count)
        let st = rowidLookup
        defer { st.rewind() }
        for i in byKey {
            st.rewind()
            try st.bind(source, at: 1)
            try st.bind(ids[i], at: 2)
            guard try st.step() else { return nil }
            rows.append((st.int(0), i))
        }
        rows.sort { $0.rowid < $1.rowid }
        var asOfs = [Int64](repeating: 0, count: ids.count)
        let row = rowRead
        defer { row.reset() }
        for (rowid, i) in rows {
            row.reset()
            try row.bind(.int(rowid), at: 1)
            guard try row.step(), window.matches(i, row, hasher: hasher) else { return nil }
            asOfs[i] = row.int(4)
        }
        return asOfs
    }

    /// The stored as-of when the row `st` is stepped onto (`columns`) holds `o` exactly as shown.
    private func unchangedAsOf(
        _ st: Statement, _ o: ImportedOrder, known: (emailHash: String?, codesJSON: String)?,
        hasher: EmailHasher
    ) -> Int64? {
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
            sameCodes(st, o, known: known), same(13, o.referral),
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

    /// A scratch buffer for the code list of an order whose `known` list was not worked out.
    private var codesScratch: [UInt8] = []

    /// Whether column 12 (`codes`) holds the order's code list as the projection stores it
    /// (`OrderSeen.codesJSON`), compared as bytes without building the string.
    private func sameCodes(
        _ st: Statement, _ o: ImportedOrder, known: (emailHash: String?, codesJSON: String)?
    ) -> Bool {
        guard !st.isNull(12) else { return false }
        if let known { return st.withBytes(12) { $0.elementsEqual(known.codesJSON.utf8) } }
        codesScratch.removeAll(keepingCapacity: true)
        OrderSeen.writeCodesJSON(o.codes, into: &codesScratch)
        return st.withBytes(12) { $0.elementsEqual(codesScratch) }
    }

    /// The lookup statement stepped onto `orderId`'s row (`found` false when there is none).
    private func step(_ orderId: String) throws -> (statement: Statement, found: Bool) {
        let st = lookup
        st.rewind()
        try st.bind(source, at: 1)
        try st.bind(orderId, at: 2)
        return (st, try st.step())
    }
}

/// SQLite's order of two texts (BINARY: the bytes, then the shorter first): -1, 0 or 1.
private func compareBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
    for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
    return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
}

extension Ledger {
    /// The look-ups of one import into `source` (inside its transaction).
    public func orderLookup(source: String) throws -> ImportOrderLookup {
        try ImportOrderLookup(self, source: source)
    }
}

/// The orders of a re-export waiting for their look-ups in the one-read check
/// (`ImportOrderLookup.storedAsOfsIfUnchanged`), each kept as its id, the latest time of the file
/// up to it, and the fields the check compares written one after another into one buffer (some
/// 150 bytes an order instead of the some 750 of an `ImportedOrder` with its strings), so that a
/// window of tens of thousands stays a few MB.
public struct ProbeWindow {
    public private(set) var orderIds: [String] = []
    public private(set) var latestSoFar: [Instant] = []
    private var bytes: [UInt8] = []
    private var starts: [Int] = []

    public init() {}

    public var count: Int { orderIds.count }

    public mutating func removeAll() {
        orderIds.removeAll(keepingCapacity: true)
        latestSoFar.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
    }

    /// `known`: its e-mail hash and code list when already worked out (else the e-mail is kept and
    /// matched against the stored hash).
    public mutating func append(
        _ o: ImportedOrder, known: (emailHash: String?, codesJSON: String)?,
        latestSoFar latest: Instant
    ) {
        orderIds.append(o.orderId)
        latestSoFar.append(latest)
        starts.append(bytes.count)
        let s = o.state
        text(s.status.rawValue)
        int(s.refundedMinor)
        if let cancelled = s.cancelledAt {
            bytes.append(1)
            int(cancelled.instant.unixSeconds)
            int(Int64(cancelled.offsetSeconds))
        } else {
            bytes.append(0)
        }
        int(o.createdAt.instant.unixSeconds)
        text(o.currency.code)
        for amount in [o.subtotalMinor, o.discountMinor, o.shippingMinor, o.taxesMinor, o.totalMinor] { int(amount) }
        if let known {
            text(known.codesJSON)
        } else {  // written in place (`OrderSeen.writeCodesJSON`), its length before it
            let at = bytes.count
            int(0)
            OrderSeen.writeCodesJSON(o.codes, into: &bytes)
            let count = Int64(bytes.count - at - 8).littleEndian
            withUnsafeBytes(of: count) { bytes.replaceSubrange(at..<(at + 8), with: $0) }
        }
        optionalText(o.referral)
        bytes.append(o.test ? 1 : 0)
        if let known {
            bytes.append(0)
            optionalText(known.emailHash)
        } else {
            bytes.append(1)
            optionalText(o.email)
        }
    }

    private mutating func int(_ value: Int64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private mutating func text(_ value: String) {
        let count = value.utf8.count
        int(Int64(count))
        bytes.append(contentsOf: value.utf8)
    }

    private mutating func optionalText(_ value: String?) {
        guard let value else { return bytes.append(0) }
        bytes.append(1)
        text(value)
    }

    /// Whether the row `st` is stepped onto (`ImportOrderLookup.columns`) holds order `i` exactly as
    /// shown: the comparison of `ImportOrderLookup.storedAsOfIfUnchanged`, field by field.
    func matches(_ i: Int, _ st: Statement, hasher: EmailHasher) -> Bool {
        bytes.withUnsafeBytes { all in
            var at = starts[i]
            func int() -> Int64 {
                let v = Int64(littleEndian: all.loadUnaligned(fromByteOffset: at, as: Int64.self))
                at += 8
                return v
            }
            func byte() -> UInt8 {
                at += 1
                return all[at - 1]
            }
            func text() -> UnsafeRawBufferPointer {
                let n = Int(int())
                at += n
                return UnsafeRawBufferPointer(rebasing: all[(at - n)..<at])
            }
            func optionalText() -> UnsafeRawBufferPointer? { byte() == 0 ? nil : text() }
            func same(_ column: Int32, _ text: UnsafeRawBufferPointer?) -> Bool {
                guard let text else { return st.isNull(column) }
                return !st.isNull(column) && st.withBytes(column) { $0.elementsEqual(text) }
            }
            guard same(0, text()), st.int(1) == int() else { return false }
            if byte() == 1 {
                guard st.optionalInt(2) == int(), st.int(3) == int() else { return false }
            } else {
                guard st.isNull(2) else { return false }
            }
            guard st.int(5) == int(), same(6, text()) else { return false }
            for column in Int32(7)...11 where st.int(column) != int() { return false }
            guard same(12, text()), same(13, optionalText()), (st.int(15) != 0) == (byte() == 1) else {
                return false
            }
            if byte() == 0 { return same(14, optionalText()) }
            let email = optionalText()
            if st.isNull(14) {
                return hasher.hash(email.map { String(decoding: $0, as: UTF8.self) } ?? "") == nil
            }
            return st.withBytes(14) { hasher.matches(email.map { String(decoding: $0, as: UTF8.self) }, hex: $0) }
        }
    }
}
