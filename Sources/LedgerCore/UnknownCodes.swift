// `tally codes unknown`: codes on orders that no creator holds and that are not house codes.

/// One row of `codes unknown`.
public struct UnknownCode: Equatable, Sendable {
    public var code: String
    /// The non-test orders that carried it.
    public var orders: Int64 = 0
    /// Their first and last created dates, in the ledger's zone.
    public var firstSeen: CivilDate
    public var lastSeen: CivilDate
    /// The sum of their subtotals in the base currency, without `unconverted`.
    public var revenueMinor: Int64 = 0
    /// Orders in another currency without an exchange rate: their revenue is unknown.
    public var unconverted: [OrderKey] = []

    public init(code: String, orders: Int64, firstSeen: CivilDate, lastSeen: CivilDate, revenueMinor: Int64,
                unconverted: [OrderKey] = []) {
        self.code = code; self.orders = orders; self.firstSeen = firstSeen; self.lastSeen = lastSeen
        self.revenueMinor = revenueMinor; self.unconverted = unconverted
    }
}

/// The unknown codes of every non-test order (`AttributionIndex.isKnown`), sorted by code. A code
/// listed twice on one order counts once.
public func unknownCodes(_ snapshot: LedgerSnapshot) -> [UnknownCode] {
    let rules = RuleIndex(snapshot)
    var byCode: [String: UnknownCode] = [:]
    for order in snapshot.orders where !order.seen.test {
        let listed = order.seen.codes.map(normalizeCode)
        let codes = Set(listed.filter { !$0.isEmpty && !rules.attribution.isKnown(code: $0) })
        guard !codes.isEmpty else { continue }
        let date = snapshot.zone.civilDate(of: order.seen.createdAt.instant)
        let subtotal = rules.baseAmounts(order.seen, order.currentState)?.amounts.subtotalMinor
        for code in codes {
            var row = byCode[code]
                ?? UnknownCode(code: code, orders: 0, firstSeen: date, lastSeen: date, revenueMinor: 0)
            row.orders += 1
            row.firstSeen = min(row.firstSeen, date)
            row.lastSeen = max(row.lastSeen, date)
            if let subtotal { row.revenueMinor += subtotal } else { row.unconverted.append(order.key) }
            byCode[code] = row
        }
    }
    return byCode.values.sorted { $0.code < $1.code }
}
