// `tally codes unknown` and `tally referrals unknown`: codes and referral values that paid nobody.

/// One row of `codes unknown` (a code) or `referrals unknown` (a referral value).
public struct UnknownCode: Equatable, Sendable {
    /// Normalized (trimmed, upper-cased).
    public var code: String
    /// The non-test orders that carried it when it had no creator.
    public var orders: Int64 = 0
    /// Their first and last created dates, in the ledger's zone.
    public var firstSeen: CivilDate
    public var lastSeen: CivilDate
    /// The sum of their subtotals in the base currency, without `unconverted`.
    public var revenueMinor: Int64 = 0
    /// Orders in another currency without an exchange rate: their revenue is unknown.
    public var unconverted: [OrderKey] = []

    public init(
        code: String, orders: Int64, firstSeen: CivilDate, lastSeen: CivilDate, revenueMinor: Int64,
        unconverted: [OrderKey] = []
    ) {
        self.code = code; self.orders = orders; self.firstSeen = firstSeen; self.lastSeen = lastSeen
        self.revenueMinor = revenueMinor; self.unconverted = unconverted
    }
}

/// The codes of non-test orders that had no creator at the order's created time and are not house
/// codes: never assigned, assigned only later, or used outside their validity (shared/cli.md). A
/// code is listed for such an order even when another of its codes attributed it. Sorted by code;
/// a code listed twice on one order counts once.
public func unknownCodes(_ snapshot: LedgerSnapshot) -> [UnknownCode] {
    let rules = RuleIndex(snapshot)
    return unknownValues(snapshot, rules) { order in
        Set(
            order.seen.codes.map(normalizeCode).filter { code in
                guard !code.isEmpty else { return false }
                switch rules.attribution.verdict(code: code, at: order.seen.createdAt.instant) {
                case .unknown, .notValidAt: return true
                case .house, .matched, .notConsidered: return false
                }
            })
    }
}

/// The referral values of non-test orders that had no creator at the order's created time (never
/// assigned, assigned only later, or outside their validity), as `unknownCodes` for codes.
public func unknownReferrals(_ snapshot: LedgerSnapshot) -> [UnknownCode] {
    let rules = RuleIndex(snapshot)
    return unknownValues(snapshot, rules) { order in
        guard let raw = order.seen.referral, case let value = normalizeCode(raw), !value.isEmpty else { return [] }
        switch rules.attribution.referralVerdict(value: value, at: order.seen.createdAt.instant) {
        case .unknown, .notValidAt: return [value]
        case .house, .matched, .notConsidered: return []
        }
    }
}

/// The rows of the values `nobody(order)` names, over the non-test orders.
private func unknownValues(
    _ snapshot: LedgerSnapshot, _ rules: RuleIndex,
    _ nobody: (OrderRecord) -> Set<String>
) -> [UnknownCode] {
    var byValue: [String: UnknownCode] = [:]
    for order in snapshot.orders where !order.seen.test {
        let values = nobody(order)
        guard !values.isEmpty else { continue }
        let date = snapshot.zone.civilDate(of: order.seen.createdAt.instant)
        let subtotal = rules.baseAmounts(order.seen, order.currentState)?.amounts.subtotalMinor
        for value in values {
            var row =
                byValue[value]
                ?? UnknownCode(code: value, orders: 0, firstSeen: date, lastSeen: date, revenueMinor: 0)
            row.orders += 1
            row.firstSeen = min(row.firstSeen, date)
            row.lastSeen = max(row.lastSeen, date)
            if let subtotal { row.revenueMinor += subtotal } else { row.unconverted.append(order.key) }
            byValue[value] = row
        }
    }
    return byValue.values.sorted { $0.code < $1.code }
}

/// The non-test orders created before `start` that carry `code` (normalized) and are attributed to
/// nobody: what `code assign` without `--from` leaves behind. Their number and the first one's
/// created time.
public func unattributedOrders(
    carrying code: String, before start: Instant,
    snapshot: LedgerSnapshot
) -> (count: Int, earliest: Instant?) {
    let attribution = AttributionIndex(snapshot)
    var count = 0
    var earliest: Instant?
    for order in snapshot.orders where !order.seen.test && order.seen.createdAt.instant < start {
        guard order.seen.codes.contains(where: { normalizeCode($0) == code }),
            attribution.creator(of: order.seen) == nil
        else { continue }
        count += 1
        earliest = min(earliest ?? order.seen.createdAt.instant, order.seen.createdAt.instant)
    }
    return (count, earliest)
}
