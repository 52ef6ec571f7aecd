import LedgerCore

/// Which orders a snapshot loads.
public enum SnapshotOrders: Sendable {
    /// Every order.
    case all
    /// Only the orders a creator can be credited with: those with a discount code or a referral
    /// value (attribution looks at nothing else, ledger rules §4), and any order a statement line
    /// names. Enough for the month engine and ROI, which skip every other order; in a shop where
    /// most orders carry no creator's code, it is a fraction of the orders.
    case attributable
}

/// Which master data `Ledger.masterData` loads: a command that changes one kind needs the
/// creators and that kind only (a code assignment need not read every post).
public struct MasterDataParts: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let creators = MasterDataParts(rawValue: 1 << 0)
    /// Code assignments and house codes.
    public static let codes = MasterDataParts(rawValue: 1 << 1)
    public static let referrals = MasterDataParts(rawValue: 1 << 2)
    public static let terms = MasterDataParts(rawValue: 1 << 3)
    public static let posts = MasterDataParts(rawValue: 1 << 4)
    public static let gifts = MasterDataParts(rawValue: 1 << 5)
    public static let adjustments = MasterDataParts(rawValue: 1 << 6)
    public static let fx = MasterDataParts(rawValue: 1 << 7)
    public static let all: MasterDataParts = [.creators, .codes, .referrals, .terms, .posts, .gifts, .adjustments, .fx]
}

extension Ledger {
    /// The master data as the projections hold it now (`parts`), and the tier thresholds: the one
    /// loader of master data, for the rules (`snapshot`) and for the commands that change it. In one
    /// read transaction, like `snapshot`.
    public func masterData(_ parts: MasterDataParts) throws -> LedgerSnapshot {
        try read { try loadMasterData(parts) }
    }

    private func loadMasterData(_ parts: MasterDataParts) throws -> LedgerSnapshot {
        var s = LedgerSnapshot(baseCurrency: settings.baseCurrency, zone: settings.zone)
        s.tiers = try tierThresholds()
        if parts.contains(.creators) {
            for creator in try creatorRows() {
                s.creators[creator.id] = CreatorRecord(
                    id: creator.id, name: creator.name, emailHash: creator.emailHash,
                    followers: creator.followers, payout: creator.payout,
                    taxForm: creator.taxForm)
            }
        }
        if parts.contains(.codes) {
            s.codeAssignments = try rows(CodeAssigned.self, from: "code_assignments", orderBy: "seq")
            s.houseCodes = Set(try rows(HouseCodeDeclared.self, from: "house_codes").map(\.code))
        }
        if parts.contains(.referrals) {
            s.referralAssignments = try rows(ReferralAssigned.self, from: "referral_assignments", orderBy: "seq")
        }
        if parts.contains(.terms) { s.terms = try termsRows() }
        if parts.contains(.posts) { s.posts = try rows(PostPublished.self, from: "posts", orderBy: "seq") }
        if parts.contains(.gifts) { s.gifts = try rows(GiftSent.self, from: "gifts", orderBy: "seq") }
        if parts.contains(.adjustments) {
            s.adjustments = try rows(AdjustmentRecorded.self, from: "adjustments", orderBy: "seq")
        }
        if parts.contains(.fx) { s.fxRates = try rows(FXRateSet.self, from: "fx_rates", orderBy: "seq") }
        return s
    }

    /// Loads everything the rules need from the projections. `statements: false` leaves out the
    /// issued statements (and so the orders only they name): for ROI, which never looks at them.
    /// In one read transaction: one state of the ledger, whatever other commands commit meanwhile.
    public func snapshot(orders scope: SnapshotOrders = .all, statements: Bool = true) throws -> LedgerSnapshot {
        try read { try loadSnapshot(orders: scope, statements: statements) }
    }

    private func loadSnapshot(orders scope: SnapshotOrders, statements: Bool) throws -> LedgerSnapshot {
        var s = try loadMasterData(.all)
        let c = connection
        // Lifetime links and new customers (section 8) also read the other orders of the customers
        // the core names from the attributable orders.
        let master = s
        let customers: (([OrderRecord]) -> CustomerNumbers)? =
            plansReadCustomersOrders(s.terms)
            ? { customersReadByPlans(master, orders: $0) } : nil
        if statements { try loadStatements(c, into: &s) }
        s.orders = try loadOrders(c, scope, statements: statements ? s.statements : nil, customers: customers)
        s.closedMonths = try rows(ClosedMonth.self, from: "closed_months", orderBy: "month")
        try loadPayments(into: &s)
        return s
    }

    /// Payouts marked paid, payment files and reopenings. A file of an older schema (opened
    /// read-only) has neither files nor reopenings, and its payments are computed from the log as
    /// the migration would store them.
    private func loadPayments(into s: inout LedgerSnapshot) throws {
        guard schema >= Ledger.payoutOperationsSchema else {
            s.payoutsPaid = try Ledger.legacyPayments(connection, zone: settings.zone)
            return
        }
        s.payoutsPaid = try rows(PaidPayout.self, from: "payouts_paid", orderBy: "seq")
        let exports = "\(Ledger.select(PayoutExported.self)), reopened FROM payout_exports ORDER BY seq"
        try each(connection, exports) { st in
            var reader = ColumnReader(st, table: "payout_exports")
            let export = try PayoutExported.decode(with: &reader)
            s.paymentFiles.append(PaymentFileRecord(export: export, reopened: st.int(reader.next) != 0))
        }
        s.reopenings = try rows(MonthReopened.self, from: "month_reopenings", orderBy: "seq")
        // A file of an older schema (opened read-only) has no journal written for the books recorded.
        guard schema >= Ledger.journalExportsSchema else { return }
        let journals = "\(Ledger.select(JournalExported.self)), reopened FROM journal_exports ORDER BY seq"
        try each(connection, journals) { st in
            var reader = ColumnReader(st, table: "journal_exports")
            let export = try JournalExported.decode(with: &reader)
            s.journalFiles.append(JournalFileRecord(export: export, reopened: st.int(reader.next) != 0))
        }
        s.payoutsUnmarked = try unmarkRows()
    }

    /// The marks of payouts taken back (`payout unmark-paid`), in log order, without the rest of a
    /// snapshot (its orders): `mark-paid` names a reference given again that was taken back.
    public func payoutUnmarks() throws -> [PayoutUnmarked] {
        try read { try unmarkRows() }
    }

    /// A file of an older schema (opened read-only) has no mark taken back: a tally that records one
    /// migrates first.
    private func unmarkRows() throws -> [PayoutUnmarked] {
        guard schema >= Ledger.payoutUnmarksSchema else { return [] }
        return try rows(PayoutUnmarked.self, from: "payout_unmarks", orderBy: "seq")
    }

    /// The terms as recorded. A file of an older schema (opened read-only) has no plan columns, and
    /// no terms of version 2 either (a tally that writes them migrates first): they read as left out.
    private func termsRows() throws -> [TermsSet] {
        guard schema < Ledger.commissionPlansSchema else {
            return try rows(TermsSet.self, from: "terms", orderBy: "seq")
        }
        let before = [
            "creator", "effective_from", "commission_ppm", "per_order_minor", "holdback_days",
            "min_payout_minor"
        ]
        let columns = ColumnNames.of(TermsSet.self).map { before.contains($0) ? $0 : "NULL" }
        var result: [TermsSet] = []
        try each(connection, "SELECT \(columns.joined(separator: ", ")) FROM terms ORDER BY seq") { st in
            var reader = ColumnReader(st, table: "terms")
            result.append(try TermsSet.decode(with: &reader))
        }
        return result
    }

    /// The creators as registered and updated. A file of an older schema (opened read-only) has no
    /// `tax_form` column, and no creator fact of version 2 either (a tally that writes them migrates
    /// first): none has a tax form on file.
    private func creatorRows() throws -> [CreatorRegistered] {
        guard schema < Ledger.creatorTaxFormSchema else { return try rows(CreatorRegistered.self, from: "creators") }
        let columns = ColumnNames.of(CreatorRegistered.self).map { $0 == "tax_form" ? "NULL" : $0 }
        var result: [CreatorRegistered] = []
        try each(connection, "SELECT \(columns.joined(separator: ", ")) FROM creators") { st in
            var reader = ColumnReader(st, table: "creators")
            result.append(try CreatorRegistered.decode(with: &reader))
        }
        return result
    }

    /// `SELECT` and the columns of `T`'s field table.
    static func select<T: FieldTable>(_: T.Type) -> String {
        "SELECT " + ColumnNames.of(T.self).joined(separator: ", ")
    }

    /// Every row of `table`, read back as the fact its field table projects there (fields kept in
    /// the log only stay blank: callers keep the read model).
    func rows<T: FieldTable>(_: T.Type, from table: String, orderBy: String? = nil) throws -> [T] {
        var result: [T] = []
        let order = orderBy.map { " ORDER BY " + $0 } ?? ""
        try each(connection, "\(Ledger.select(T.self)) FROM \(table)\(order)") { st in
            var reader = ColumnReader(st, table: table)
            result.append(try T.decode(with: &reader))
        }
        return result
    }

    /// The columns of an order's field table (`OrderDetails`, the order's part of `order.seen`).
    /// The month engine and ROI never read an order's name: attributable snapshots leave it out.
    static func orderColumns(names: Bool, lead: String = "") -> String {
        let columns = ColumnNames.of(OrderDetails.self).map { $0 == "name" && !names ? "NULL" : "o." + $0 }
        return "SELECT \(lead)\(columns.joined(separator: ", ")) FROM orders o"
    }
    /// Exactly the WHERE of the partial index orders_attributable (schema/0003), so that SQLite
    /// reads the attributable orders through it instead of visiting every order (a test checks the
    /// query plan).
    static let attributable = "o.codes <> '[]' OR o.referral IS NOT NULL"
    static let attributableOrdersSQL =
        orderColumns(names: false) + " WHERE \(attributable) ORDER BY o.source, o.order_id"
    /// The orders without a code or referral that have a customer, each led by its e-mail hash.
    static let customerOrdersSQL =
        orderColumns(names: false, lead: "o.email_hash, ")
        + " WHERE NOT (\(attributable)) AND o.email_hash IS NOT NULL"

    private func loadOrders(
        _ c: Connection, _ scope: SnapshotOrders, statements: [IssuedStatement]?,
        customers: (([OrderRecord]) -> CustomerNumbers)?
    ) throws -> [OrderRecord] {
        var changes: [OrderKey: [OrderStateChange]] = [:]
        try each(
            c,
            "SELECT source, order_id, \(ColumnNames.of(OrderStateChange.self).joined(separator: ", ")) "
                + "FROM order_changes ORDER BY seq"
        ) { st in
            var reader = ColumnReader(st, table: "order_changes", first: 2)
            let key = OrderKey(source: st.text(0), orderId: st.text(1))
            changes[key, default: []].append(try OrderStateChange.decode(with: &reader))
        }
        var orders: [OrderRecord] = []
        // Sized once: growing an array of 225,000 records by doubling copies them about twice over.
        let expected =
            try c.scalarInt("SELECT count(*) FROM orders o" + (scope == .all ? "" : " WHERE \(Ledger.attributable)"))
            ?? 0
        orders.reserveCapacity(Int(expected))
        func read(_ st: Statement) throws {
            var reader = ColumnReader(st, table: "orders")
            while try st.step() {  // bounded by the table
                reader.rewind()
                let seen = try OrderDetails.decode(with: &reader)
                orders.append(OrderRecord(seen: seen, changes: changes.isEmpty ? [] : changes[seen.key] ?? []))
            }
        }
        func read(_ sql: String) throws {
            let st = try c.prepared(sql)
            defer { st.reset() }
            try read(st)
        }
        if scope == .all {
            try read(Ledger.orderColumns(names: true) + " ORDER BY o.source, o.order_id")
            return orders
        }
        try read(Ledger.attributableOrdersSQL)
        let before = orders.count
        // The other orders of the customers whose orders the plans read (section 8; the core names
        // them): the one that links them, the orders a link credits, and those that decide who is new.
        if let customers {
            // One visit of the other orders, reading the e-mail hash alone and the order only when
            // it is one of theirs: an index by customer would cost every import a random insertion
            // per order (measured: the 1,000,000-order import 2.4 times as long; docs/performance.md).
            // The hash's bytes are looked up where SQLite keeps them: no String per row.
            let wanted = customers(orders)
            if wanted.count > 0 {
                let st = try c.prepared(Ledger.customerOrdersSQL)
                defer { st.reset() }
                var reader = ColumnReader(st, table: "orders", first: 1)
                while try st.step() {  // bounded by the table
                    guard st.withBytes(0, { wanted.find(bytes: $0) != nil }) else { continue }
                    reader.rewind()
                    let seen = try OrderDetails.decode(with: &reader)
                    orders.append(OrderRecord(seen: seen, changes: changes.isEmpty ? [] : changes[seen.key] ?? []))
                }
            }
        }
        guard let statements else { return sortedIfAdded(orders, before) }
        // Orders a statement line names but that are not attributable (none, as long as an order's
        // codes and referral never change) nor read as a customer's (lifetime links): each read by
        // its key; sources never contain a colon (orderKey(fromRef:)). Found in memory, not by
        // joining the lines with the orders in SQL (a first close leaves a line per commissioned
        // order of the year: SQLite's temporary index of them cost as much as the month engine).
        var named = Set<OrderKey>()
        for statement in statements {
            for line in statement.lines where line.kind == .commission || line.kind == .clawback {
                if line.ref.utf8.contains(UInt8(ascii: ":")) { named.insert(orderKey(fromRef: line.ref)) }
            }
        }
        guard !named.isEmpty else { return sortedIfAdded(orders, before) }
        for order in orders { named.remove(order.seen.key) }
        guard !named.isEmpty else { return sortedIfAdded(orders, before) }
        let st = try c.prepared(
            Ledger.orderColumns(names: false)
                + " WHERE o.source = ? AND o.order_id = ? AND NOT (\(Ledger.attributable))")
        defer { st.reset() }
        for key in named {
            st.reset()
            try st.bind([.text(key.source), .text(key.orderId)])
            try read(st)
        }
        return sortedIfAdded(orders, before)
    }

    /// `orders` by (source, order id), byte by byte, when orders were added after the first
    /// `count`, which are in that order already (SQLite's BINARY collation compares bytes): the added
    /// ones sorted and merged in, rather than every order sorted again.
    private func sortedIfAdded(_ orders: [OrderRecord], _ count: Int) -> [OrderRecord] {
        guard orders.count > count else { return orders }
        func precedes(_ a: OrderKey, _ b: OrderKey) -> Bool {
            !a.source.utf8.elementsEqual(b.source.utf8)
                ? a.source.utf8.lexicographicallyPrecedes(b.source.utf8)
                : a.orderId.utf8.lexicographicallyPrecedes(b.orderId.utf8)
        }
        let added = orders[count...].sorted { precedes($0.seen.key, $1.seen.key) }
        var merged: [OrderRecord] = []
        merged.reserveCapacity(orders.count)
        var i = 0, j = added.startIndex
        while i < count && j < added.endIndex {
            if precedes(added[j].seen.key, orders[i].seen.key) {
                merged.append(added[j]); j += 1
            } else {
                merged.append(orders[i]); i += 1
            }
        }
        merged.append(contentsOf: orders[i..<count])
        merged.append(contentsOf: added[j...])
        return merged
    }

    private func loadStatements(_ c: Connection, into s: inout LedgerSnapshot) throws {
        // Lines come grouped by statement: one dictionary entry per statement, not per line (a
        // close without earlier closes has a line per commissioned order of the year).
        var lines: [String: [StatementLine]] = [:]
        var group: (month: String, creator: String, lines: [StatementLine])? = nil
        let details =
            schema >= Ledger.payoutOperationsSchema
            ? "base_minor, rate_ppm, per_order_minor, change"
            : "NULL, NULL, NULL, NULL"
        try each(
            c,
            """
            SELECT month, creator, kind, ref, date, amount_minor, \(details) FROM statement_lines
            ORDER BY month, creator, line_no
            """
        ) { st in
            guard let kind = StatementLine.Kind(rawValue: st.text(2)) else {
                throw LedgerError.corrupt("unknown statement line kind \(st.text(2))")
            }
            let line = StatementLine(
                kind: kind, ref: st.text(3), date: try date(st.text(4)), amountMinor: st.int(5),
                order: try orderLineDetail(st, from: 6))
            let month = st.text(0), creator = st.text(1)
            if group?.month == month && group?.creator == creator {
                group!.lines.append(line)
            } else {
                if let done = group { lines[done.month + "\u{0}" + done.creator] = done.lines }
                group = (month, creator, [line])
            }
        }
        if let done = group { lines[done.month + "\u{0}" + done.creator] = done.lines }
        try each(c, "\(Ledger.select(IssuedStatement.self)) FROM statements ORDER BY month, creator") { st in
            var reader = ColumnReader(st, table: "statements")
            var statement = try IssuedStatement.decode(with: &reader)
            statement.lines = lines[statement.month.description + "\u{0}" + statement.creator] ?? []
            s.statements.append(statement)
        }
    }
}

/// An order line's detail from its four columns: none when all are NULL (a statement frozen before
/// version 2; a version 2 order line always has a base or a change).
private func orderLineDetail(_ st: Statement, from i: Int32) throws -> OrderLineDetail? {
    let base = st.optionalInt(i), rate = st.optionalInt(i + 1), perOrder = st.optionalInt(i + 2)
    let change = st.optionalText(i + 3)
    if base == nil && rate == nil && perOrder == nil && change == nil { return nil }
    guard rate.map({ (0...1_000_000).contains($0) }) ?? true else {
        throw LedgerError.corrupt("bad rate_ppm in statement_lines")
    }
    var lineChange: LineChange? = nil
    if let change {
        guard let known = LineChange(rawValue: change) else {
            throw LedgerError.corrupt("unknown change \(change) in statement_lines")
        }
        lineChange = known
    }
    return OrderLineDetail(
        baseMinor: base, rate: rate.map(CommissionRate.init(partsPerMillion:)),
        perOrderMinor: perOrder, change: lineChange)
}

func each(_ c: Connection, _ sql: String, _ body: (Statement) throws -> Void) throws {
    let st = try c.prepared(sql)
    defer { st.reset() }
    while try st.step() { try body(st) }
}

private func date(_ text: String) throws -> CivilDate {
    guard let d = CivilDate.parse(text) else { throw LedgerError.corrupt("bad date \(text) in a projection") }
    return d
}
private func month(_ text: String) throws -> YearMonth {
    guard let m = YearMonth.parse(text) else { throw LedgerError.corrupt("bad month \(text) in a projection") }
    return m
}
private func status(_ text: String) throws -> FinancialStatus {
    guard let s = FinancialStatus(rawValue: text) else {
        throw LedgerError.corrupt("unknown status \(text) in a projection")
    }
    return s
}

/// The codes of a `["A","B"]` list as the canonical writer stores it, read straight from the bytes
/// (most orders have none, the rest one or two): nil for anything else (escapes, non-ASCII, other
/// layouts), which `decodedCodes` parses with the JSON parser.
func simpleCodes(_ bytes: UnsafeRawBufferPointer) -> [String]? {
    let n = bytes.count
    if n == 2 && bytes[0] == UInt8(ascii: "[") && bytes[1] == UInt8(ascii: "]") { return [] }
    guard n >= 4, bytes[0] == UInt8(ascii: "["), bytes[n - 1] == UInt8(ascii: "]") else { return nil }
    var codes: [String] = []
    var i = 1
    while true {
        guard i < n - 1, bytes[i] == UInt8(ascii: "\"") else { return nil }
        let start = i + 1
        var end = start
        while end < n - 1 && bytes[end] != UInt8(ascii: "\"") {
            let b = bytes[end]
            if b < 0x20 || b >= 0x80 || b == UInt8(ascii: "\\") { return nil }
            end += 1
        }
        guard end < n - 1 else { return nil }
        codes.append(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
        i = end + 1
        if i == n - 1 { return codes }
        guard bytes[i] == UInt8(ascii: ",") else { return nil }
        i += 1
    }
}

func decodedCodes(_ json: String) throws -> [String] {
    guard case let .array(items) = try JSON.decode(json) else { return [] }
    return items.compactMap(\.stringValue)
}
