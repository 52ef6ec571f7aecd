// Money that silently becomes zero: an attributed order whose creator has no terms at its created
// time earns nothing, and nothing in a close's figures says so. Preview and close name them.

/// A creator with attributed orders and no terms at their created times.
public struct CreatorWithoutTerms: Equatable, Sendable {
    public var creator: String
    /// The non-test orders created in the month, attributed to the creator, with no terms then.
    public var orders: Int
    /// The first of them: terms from that day on would cover them all.
    public var firstCreatedAt: Instant
}

/// The creators with non-test orders created in `month` (ledger zone) that are attributed to them
/// and fall before any terms of theirs: commission 0. Sorted by creator.
public func creatorsWithoutTerms(in month: YearMonth, snapshot: LedgerSnapshot) -> [CreatorWithoutTerms] {
    let rules = RuleIndex(snapshot)
    let start = snapshot.zone.startOfMonth(month), end = snapshot.zone.startOfMonth(month.next)
    var byCreator: [String: CreatorWithoutTerms] = [:]
    for order in snapshot.orders where !order.seen.test {
        let created = order.seen.createdAt.instant
        guard created >= start, created < end, let attributed = rules.attribution.creator(of: order.seen),
            rules.terms.terms(for: attributed.creator, at: created) == nil
        else { continue }
        var row =
            byCreator[attributed.creator]
            ?? CreatorWithoutTerms(creator: attributed.creator, orders: 0, firstCreatedAt: created)
        row.orders += 1
        row.firstCreatedAt = min(row.firstCreatedAt, created)
        byCreator[attributed.creator] = row
    }
    return byCreator.values.sorted { $0.creator < $1.creator }
}
