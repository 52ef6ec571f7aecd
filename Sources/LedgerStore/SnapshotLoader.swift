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
        func each(_ part: MasterDataParts, _ sql: String, _ body: (Statement) throws -> Void) throws {
            if parts.contains(part) { try LedgerStore.each(connection, sql, body) }
        }
        try each(.creators, """
            SELECT id, name, email_hash, followers, payout_method, payout_account FROM creators
            """) { st in
            var followers: [String: Int64] = [:]
            if case let .object(pairs) = try JSON.decode(st.text(3)) { for (k, v) in pairs { followers[k] = v.intValue ?? 0 } }
            let payout = st.optionalText(4).flatMap { m in st.optionalText(5).map { PayoutDetails(method: m, account: $0) } }
            s.creators[st.text(0)] = CreatorRecord(id: st.text(0), name: st.text(1), emailHash: st.optionalText(2), followers: followers, payout: payout)
        }
        try each(.codes, "SELECT code, creator, valid_from, valid_until FROM code_assignments ORDER BY seq") { st in
            s.codeAssignments.append(CodeAssigned(code: st.text(0), creator: st.text(1), validFrom: Instant(unixSeconds: st.int(2)),
                                                  validUntil: st.optionalInt(3).map(Instant.init(unixSeconds:))))
        }
        try each(.codes, "SELECT code FROM house_codes") { st in s.houseCodes.insert(st.text(0)) }
        try each(.referrals, """
            SELECT value, creator, valid_from, valid_until FROM referral_assignments ORDER BY seq
            """) { st in
            s.referralAssignments.append(ReferralAssigned(value: st.text(0), creator: st.text(1), validFrom: Instant(unixSeconds: st.int(2)),
                                                          validUntil: st.optionalInt(3).map(Instant.init(unixSeconds:))))
        }
        try each(.terms, """
            SELECT creator, effective_from, commission_ppm, per_order_minor, holdback_days, min_payout_minor
            FROM terms ORDER BY seq
            """) { st in
            s.terms.append(TermsSet(creator: st.text(0), effectiveFrom: Instant(unixSeconds: st.int(1)),
                                    commission: st.optionalInt(2).map(CommissionRate.init(partsPerMillion:)), perOrderMinor: st.optionalInt(3),
                                    holdbackDays: st.optionalInt(4), minPayoutMinor: st.optionalInt(5)))
        }
        try each(.posts, """
            SELECT id, creator, date, effective_at, platform, fee_minor, url, impressions, engagements
            FROM posts ORDER BY seq
            """) { st in
            s.posts.append(PostPublished(id: st.text(0), creator: st.text(1), date: try date(st.text(2)), effectiveAt: Instant(unixSeconds: st.int(3)),
                                         platform: st.text(4), feeMinor: st.int(5), url: st.optionalText(6), impressions: st.optionalInt(7),
                                         engagements: st.optionalInt(8)))
        }
        try each(.gifts, "SELECT id, creator, date, effective_at, value_minor, note FROM gifts ORDER BY seq") { st in
            s.gifts.append(GiftSent(id: st.text(0), creator: st.text(1), date: try date(st.text(2)), effectiveAt: Instant(unixSeconds: st.int(3)),
                                    valueMinor: st.int(4), note: st.optionalText(5)))
        }
        try each(.adjustments, """
            SELECT id, creator, date, effective_at, amount_minor, reason FROM adjustments ORDER BY seq
            """) { st in
            s.adjustments.append(AdjustmentRecorded(id: st.text(0), creator: st.text(1), date: try date(st.text(2)), effectiveAt: Instant(unixSeconds: st.int(3)),
                                                    amountMinor: st.int(4), reason: st.text(5)))
        }
        try each(.fx, "SELECT currency, date, effective_at, rate_e10 FROM fx_rates ORDER BY seq") { st in
            guard let currency = Currency(code: st.text(0)) else { throw LedgerError.corrupt("unknown currency \(st.text(0)) in fx_rates") }
            s.fxRates.append(FXRateSet(date: try date(st.text(1)), effectiveAt: Instant(unixSeconds: st.int(2)), currency: currency, rate: FXRate(scaled: st.int(3))))
        }
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
        s.orders = try loadOrders(c, scope, statements: statements)
        if statements { try loadStatements(c, into: &s) }
        try each(c, "SELECT month, statements, payout_total_minor, seq FROM closed_months ORDER BY month") { st in
            s.closedMonths.append(MonthClosed(month: try month(st.text(0)), statements: st.int(1), payoutTotalMinor: st.int(2),
                                              effectiveAt: settings.zone.startOfMonth(try month(st.text(0)).next)))
        }
        try each(c, "SELECT month, creator, amount_minor, reference FROM payouts_paid ORDER BY seq") { st in
            s.payoutsPaid.append(PayoutPaid(month: try month(st.text(0)), creator: st.text(1), amountMinor: st.int(2), reference: st.text(3), at: Instant(unixSeconds: 0)))
        }
        return s
    }

    /// The columns of `order.seen`'s field table. The month engine and ROI never read an order's
    /// name: attributable snapshots leave it out.
    static func orderColumns(names: Bool) -> String {
        let columns = ColumnNames.of(OrderSeen.self).map { $0 == "name" && !names ? "NULL" : "o." + $0 }
        return "SELECT \(columns.joined(separator: ", ")) FROM orders o"
    }
    /// Exactly the WHERE of the partial index orders_attributable (schema/0003), so that SQLite
    /// reads the attributable orders through it instead of visiting every order (a test checks the
    /// query plan).
    static let attributable = "o.codes <> '[]' OR o.referral IS NOT NULL"
    static let attributableOrdersSQL = orderColumns(names: false) + " WHERE \(attributable) ORDER BY o.source, o.order_id"

    private func loadOrders(_ c: Connection, _ scope: SnapshotOrders, statements: Bool) throws -> [OrderRecord] {
        var changes: [OrderKey: [OrderChanged]] = [:]
        try each(c, "SELECT source, order_id, effective_at, status, refunded_minor, cancel_change, cancelled_at, cancelled_offset FROM order_changes ORDER BY seq") { st in
            let key = OrderKey(source: st.text(0), orderId: st.text(1))
            var cancellation: OrderChanged.Cancellation? = nil
            switch st.int(5) {
            case 1: cancellation = .cancelled(Timestamp(Instant(unixSeconds: st.int(6)), offsetSeconds: Int(st.int(7))))
            case 2: cancellation = .uncancelled
            default: break
            }
            let change = OrderChanged(key: key, status: try st.optionalText(3).map(status), refundedMinor: st.optionalInt(4),
                                      cancellation: cancellation, effectiveAt: Instant(unixSeconds: st.int(2)), asOf: Instant(unixSeconds: 0), importRef: "")
            changes[key, default: []].append(change)
        }
        var orders: [OrderRecord] = []
        // Sized once: growing an array of 225,000 records by doubling copies them about twice over.
        let expected = try c.scalarInt("SELECT count(*) FROM orders o" + (scope == .all ? "" : " WHERE \(Ledger.attributable)")) ?? 0
        orders.reserveCapacity(Int(expected))
        func read(_ sql: String) throws {
            let st = try c.prepared(sql)
            defer { st.reset() }
            var reader = ColumnReader(st, table: "orders")
            while try st.step() {  // bounded by the table
                reader.rewind()
                let seen = try OrderSeen.decode(with: &reader)
                orders.append(OrderRecord(seen: seen, changes: changes.isEmpty ? [] : changes[seen.key] ?? []))
            }
        }
        if scope == .all {
            try read(Ledger.orderColumns(names: true) + " ORDER BY o.source, o.order_id")
            return orders
        }
        try read(Ledger.attributableOrdersSQL)
        guard statements else { return orders }
        // Orders a statement line names but that are not attributable (none, as long as an order's
        // codes and referral never change): reached from the lines, by the orders' key; sources
        // never contain a colon (orderKey(fromRef:)).
        let before = orders.count
        try read("""
            \(Ledger.orderColumns(names: false)) WHERE (o.source, o.order_id) IN (SELECT substr(ref, 1, instr(ref, ':') - 1), substr(ref, instr(ref, ':') + 1)
              FROM statement_lines WHERE kind IN ('commission', 'clawback') AND instr(ref, ':') > 0) AND NOT (\(Ledger.attributable))
            """)
        if orders.count > before {
            orders.sort { a, b in
                !a.seen.key.source.utf8.elementsEqual(b.seen.key.source.utf8) ? a.seen.key.source.utf8.lexicographicallyPrecedes(b.seen.key.source.utf8)
                    : a.seen.key.orderId.utf8.lexicographicallyPrecedes(b.seen.key.orderId.utf8)
            }
        }
        return orders
    }

    private func loadStatements(_ c: Connection, into s: inout LedgerSnapshot) throws {
        // Lines come grouped by statement: one dictionary entry per statement, not per line (a
        // close without earlier closes has a line per commissioned order of the year).
        var lines: [String: [StatementLine]] = [:]
        var group: (month: String, creator: String, lines: [StatementLine])? = nil
        try each(c, "SELECT month, creator, kind, ref, date, amount_minor FROM statement_lines ORDER BY month, creator, line_no") { st in
            guard let kind = StatementLine.Kind(rawValue: st.text(2)) else { throw LedgerError.corrupt("unknown statement line kind \(st.text(2))") }
            let line = StatementLine(kind: kind, ref: st.text(3), date: try date(st.text(4)), amountMinor: st.int(5))
            let month = st.text(0), creator = st.text(1)
            if group?.month == month && group?.creator == creator {
                group!.lines.append(line)
            } else {
                if let done = group { lines[done.month + "\u{0}" + done.creator] = done.lines }
                group = (month, creator, [line])
            }
        }
        if let done = group { lines[done.month + "\u{0}" + done.creator] = done.lines }
        try each(c, """
            SELECT month, creator, currency, carried_in_minor, commissions_minor, clawbacks_minor, fees_minor, adjustments_minor,
              balance_minor, payout_minor, carried_out_minor, min_payout_minor FROM statements ORDER BY month, creator
            """) { st in
            let m = try month(st.text(0))
            guard let currency = Currency(code: st.text(2)) else { throw LedgerError.corrupt("unknown currency in statements") }
            let f = PayoutFigures(carriedInMinor: st.int(3), commissionsMinor: st.int(4), clawbacksMinor: st.int(5), feesMinor: st.int(6),
                                  adjustmentsMinor: st.int(7), balanceMinor: st.int(8), payoutMinor: st.int(9), carriedOutMinor: st.int(10))
            s.statements.append(StatementIssued(month: m, creator: st.text(1), currency: currency, figures: f, minPayoutMinor: st.int(11),
                                                lines: lines[st.text(0) + "\u{0}" + st.text(1)] ?? [], effectiveAt: settings.zone.startOfMonth(m.next)))
        }
    }
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
    guard let s = FinancialStatus(rawValue: text) else { throw LedgerError.corrupt("unknown status \(text) in a projection") }
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
