/// What an order reference (`tally explain ORDER`) names.
public enum OrderLookup: Equatable, Sendable {
    case found(OrderRecord)
    case notFound
    /// More than one order fits: their keys, sorted.
    case ambiguous([OrderKey])
}

/// `source:id`, else a Shopify name (`#1042`), else a bare id: an exact key wins, then a name
/// only one order has, then every order whose id or name fits.
public func findOrder(_ text: String, in orders: [OrderRecord]) -> OrderLookup {
    let wanted = text.trimmingASCIISpaces()
    let exact = orderKey(fromRef: wanted)
    if let hit = orders.first(where: { $0.key == exact }) { return .found(hit) }
    let byName = orders.filter { $0.seen.name == wanted }
    if byName.count == 1 { return .found(byName[0]) }
    let bare = wanted.hasPrefix("#") ? String(wanted.dropFirst()) : wanted
    var candidates = byName
    for o in orders where o.key.orderId == wanted || o.key.orderId == bare || o.seen.name == "#" + bare {
        if !candidates.contains(where: { $0.key == o.key }) { candidates.append(o) }
    }
    if candidates.count == 1 { return .found(candidates[0]) }
    if candidates.isEmpty { return .notFound }
    return .ambiguous(candidates.map(\.key).sorted())
}
