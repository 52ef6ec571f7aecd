import LedgerCore

// The typed questions other modules ask the store (docs/architecture.md: SQL lives here only).

/// An earlier import of the same bytes.
public struct PreviousImport: Sendable, Equatable {
    public var fileName: String
    public var source: String
    public var asOf: Instant
    public var seq: Int64

    public init(fileName: String, source: String, asOf: Instant, seq: Int64) {
        self.fileName = fileName; self.source = source; self.asOf = asOf; self.seq = seq
    }
}

extension Ledger {
    /// The sequence number of the last fact (0 for an empty log).
    public func latestSeq() throws -> Int64 {
        try connection.scalarInt("SELECT max(seq) FROM facts") ?? 0
    }

    /// The import of the file with this SHA-256 that makes this one a repeat, if any: one not undone,
    /// and, when the new import states its as-of (`asOf`), one with that same as-of (the same bytes
    /// stated at another time are a new snapshot, ledger rules §3).
    public func previousImport(sha256: String, asOf: Instant? = nil) throws -> PreviousImport? {
        let st = try connection.prepared(
            """
            SELECT file_name, source, as_of, seq FROM imports
            WHERE sha256 = ?1 AND (?2 IS NULL OR as_of = ?2) AND seq NOT IN (SELECT import_seq FROM import_undos)
            ORDER BY seq LIMIT 1
            """)
        try st.bind([.text(sha256), .opt(asOf?.unixSeconds)])
        defer { st.reset() }
        guard try st.step() else { return nil }
        return PreviousImport(
            fileName: st.text(0), source: st.text(1), asOf: Instant(unixSeconds: st.int(2)),
            seq: st.int(3))
    }

    /// Whether the ledger holds any order of `source`.
    public func hasOrders(source: String) throws -> Bool {
        try connection.scalarInt("SELECT 1 FROM orders WHERE source = ? LIMIT 1", [.text(source)]) != nil
    }

    /// The other sources orders were imported under (from the imports table: a few rows).
    public func orderSources(otherThan source: String) throws -> [String] {
        var sources: [String] = []
        let st = try connection.prepared("SELECT DISTINCT source FROM imports WHERE source <> ? ORDER BY source")
        try st.bind([.text(source)])
        defer { st.reset() }
        while try st.step() { sources.append(st.text(0)) }
        return sources
    }

    /// Whether `source` holds an order with this id, name and creation instant (and, when given, this
    /// currency and total): the same shop's order (a Shopify `Id` with its `Name` and time), when
    /// `source` is another than the file's.
    public func holdsSameOrder(
        source: String, orderId: String, name: String?, createdAt: Instant, total: (String, Int64)? = nil
    ) throws -> Bool {
        guard let (currency, totalMinor) = total else {
            return try connection.scalarInt(
                "SELECT 1 FROM orders WHERE source = ? AND order_id = ? AND name IS ? AND created_at = ?",
                [.text(source), .text(orderId), .opt(name), .int(createdAt.unixSeconds)]) != nil
        }
        return try connection.scalarInt(
            "SELECT 1 FROM orders WHERE source = ? AND order_id = ? AND name IS ? AND created_at = ? "
                + "AND currency = ? AND total_minor = ?",
            [
                .text(source), .text(orderId), .opt(name), .int(createdAt.unixSeconds), .text(currency),
                .int(totalMinor)
            ]) != nil
    }

    /// How the orders of `source` were identified (`OrderIdentity`), judged by its first and last
    /// order ids: two index lookups, whatever the size of the source. The import rule keeps a source
    /// one way, so these two stand for all; in a ledger mixed before the rule they usually differ
    /// (a Shopify `Name` such as `#1021` sorts before every numeric `Id`).
    public func orderIdentities(source: String) throws -> Set<OrderIdentity> {
        var found = Set<OrderIdentity>()
        for direction in ["ASC", "DESC"] {
            let st = try connection.prepared(
                "SELECT order_id, name FROM orders WHERE source = ? ORDER BY order_id \(direction) LIMIT 1")
            try st.bind([.text(source)])
            defer { st.reset() }
            if try st.step() {
                found.insert(OrderIdentity.of(orderId: st.text(0), name: st.isNull(1) ? nil : st.text(1)))
            }
        }
        return found
    }

    /// Which of `codes` (normalized) the ledger knows: assigned to a creator at some time, or house codes.
    public func knownCodes(among codes: Set<String>) throws -> KnownCodes {
        var known = KnownCodes(assigned: [], house: [])
        for code in codes {
            if try connection.scalarInt("SELECT 1 FROM code_assignments WHERE code = ? LIMIT 1", [.text(code)]) != nil {
                known.assigned.insert(code)
            }
            if try connection.scalarInt("SELECT 1 FROM house_codes WHERE code = ? LIMIT 1", [.text(code)]) != nil {
                known.house.insert(code)
            }
        }
        return known
    }

    /// Which of `codes` (normalized) a non-test order recorded before fact `seq` carried.
    public func codesOnOrders(recordedBefore seq: Int64, among codes: Set<String>) throws -> Set<String> {
        var remaining = codes
        let st = try connection.prepared("SELECT codes FROM orders WHERE seen_seq < ? AND test = 0 AND codes <> '[]'")
        try st.bind(.int(seq), at: 1)
        defer { st.reset() }
        while !remaining.isEmpty, try st.step() {  // bounded by the orders table
            guard case let .array(list)? = try? JSON.decode(st.text(0)) else { continue }
            for item in list { if let code = item.stringValue { remaining.remove(normalizeCode(code)) } }
        }
        return codes.subtracting(remaining)
    }

    /// The tier thresholds in force: the last `settings.tiers` fact, else the defaults.
    public func tierThresholds() throws -> TierThresholds {
        // The projector stores them as "micro,macro,mega".
        guard let text = try connection.scalarText("SELECT value FROM settings WHERE key = 'tiers'") else {
            return .default
        }
        let parts = text.split(separator: ",").compactMap { Int64($0) }
        guard parts.count == 3 else { return .default }
        return TierThresholds(microFrom: parts[0], macroFrom: parts[1], megaFrom: parts[2])
    }

    /// The account settings in force (`account.set`), one per key, by key.
    public func accountSettings() throws -> [AccountSet] {
        var settings: [AccountSet] = []
        let st = try connection.prepared("SELECT value FROM settings WHERE key LIKE 'account:%' ORDER BY key")
        defer { st.reset() }
        while try st.step() {  // bounded by the account keys
            guard
                case let .accountSet(f) = try Fact.decode(
                    type: "account.set", version: 1,
                    payload: Array(st.text(0).utf8))
            else { continue }
            settings.append(f)
        }
        return settings
    }

    /// The 1099-NEC thresholds set for years indexed for inflation (`threshold.set`), by year.
    public func necThresholdSettings() throws -> [Int: Int64] {
        var byYear: [Int: Int64] = [:]
        let st = try connection.prepared("SELECT value FROM settings WHERE key LIKE 'threshold:1099-nec:%'")
        defer { st.reset() }
        while try st.step() {  // bounded by the years set
            guard
                case let .thresholdSet(f) = try Fact.decode(
                    type: "threshold.set", version: 1,
                    payload: Array(st.text(0).utf8))
            else { continue }
            byYear[Int(f.year)] = f.amountMinor
        }
        return byYear
    }

    /// The latest closed month, if any.
    public func lastClosedMonth() throws -> YearMonth? {
        try connection.scalarText("SELECT max(month) FROM closed_months").flatMap(YearMonth.parse)
    }
}

extension Ledger {
    /// `moneyFacts(before: instant)` and `moneyFacts(before: .distantFuture).earliest` (the first
    /// money fact of all), in one visit of each table: a first close asks both, and the orders
    /// table has a million rows and no index by time.
    public func moneyFactsAndFirst(before instant: Instant) throws -> (earlier: EarlierMoneyFacts, first: Instant?) {
        func countAndFirst(_ table: String, _ time: String, _ filter: String = "") throws
            -> (count: Int64, first: Int64?)
        {
            let st = try connection.prepared(
                "SELECT coalesce(sum(\(time) < ?), 0), min(\(time)) FROM \(table)\(filter)")
            try st.bind(.int(instant.unixSeconds), at: 1)
            defer { st.reset() }
            guard try st.step() else { return (0, nil) }
            return (st.int(0), st.optionalInt(1))
        }
        let orders = try countAndFirst("orders", "created_at", " WHERE test = 0")
        let posts = try countAndFirst("posts", "effective_at")
        let adjustments = try countAndFirst("adjustments", "effective_at")
        let first = [orders.first, posts.first, adjustments.first].compactMap { $0 }.min()
        // The earliest of all is the earliest before `instant` when it is before `instant`.
        let earliest = first.flatMap { $0 < instant.unixSeconds ? $0 : nil }
        let earlier = EarlierMoneyFacts(
            orders: orders.count, posts: posts.count, adjustments: adjustments.count,
            earliest: earliest.map(Instant.init(unixSeconds:)))
        return (earlier, first.map(Instant.init(unixSeconds:)))
    }

    /// The money facts dated before `instant`: non-test orders (by created time), posts and
    /// adjustments (by their dates), with the earliest of them.
    public func moneyFacts(before instant: Instant) throws -> EarlierMoneyFacts {
        func countAndFirst(_ sql: String) throws -> (count: Int64, first: Int64?) {
            let st = try connection.prepared(sql)
            try st.bind(.int(instant.unixSeconds), at: 1)
            defer { st.reset() }
            guard try st.step() else { return (0, nil) }
            return (st.int(0), st.optionalInt(1))
        }
        let orders = try countAndFirst("SELECT count(*), min(created_at) FROM orders WHERE created_at < ? AND test = 0")
        let posts = try countAndFirst("SELECT count(*), min(effective_at) FROM posts WHERE effective_at < ?")
        let adjustments = try countAndFirst(
            "SELECT count(*), min(effective_at) FROM adjustments WHERE effective_at < ?")
        let earliest = [orders.first, posts.first, adjustments.first].compactMap { $0 }.min()
        return EarlierMoneyFacts(
            orders: orders.count, posts: posts.count, adjustments: adjustments.count,
            earliest: earliest.map(Instant.init(unixSeconds:)))
    }
}

extension Ledger {
    /// The payments made from `from` through `through` (inclusive, by the day the money left), by
    /// day, then creator, then month.
    public func payments(from: CivilDate, through: CivilDate) throws -> [PaidPayout] {
        guard schema >= Ledger.payoutOperationsSchema else {
            return try read { try Ledger.legacyPayments(connection, zone: settings.zone) }
                .filter { $0.paidOn >= from && $0.paidOn <= through }
                .sorted { ($0.paidOn, $0.creator, $0.month) < ($1.paidOn, $1.creator, $1.month) }
        }
        var payments: [PaidPayout] = []
        try read {
            let st = try connection.prepared(
                """
                \(Ledger.select(PaidPayout.self)) FROM payouts_paid WHERE paid_on >= ? AND paid_on <= ?
                ORDER BY paid_on, creator, month
                """)
            defer { st.reset() }
            try st.bind([.text(from.description), .text(through.description)])
            var reader = ColumnReader(st, table: "payouts_paid")
            while try st.step() {  // bounded by the table
                reader.rewind()
                payments.append(try PaidPayout.decode(with: &reader))
            }
        }
        return payments
    }
}
