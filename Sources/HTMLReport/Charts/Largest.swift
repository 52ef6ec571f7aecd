/// The `limit` largest items by `amount` (ties by `key`, so the choice is deterministic), and the
/// items left over, which a chart shows as one bar: a chart of 300 creators reads like one of 21.
func largest<Item>(
    _ items: [Item], limit: Int, amount: (Item) -> Int64,
    key: (Item) -> String
) -> (top: [Item], rest: [Item]) {
    precondition(limit > 0, "keep at least one")
    let sorted = items.sorted { a, b in
        let (x, y) = (amount(a), amount(b))
        return x != y ? x > y : key(a) < key(b)
    }
    // One item over the limit is shown as itself: a bar for "1 other" would hide a name for nothing.
    if sorted.count <= limit + 1 { return (sorted, []) }
    return (Array(sorted.prefix(limit)), Array(sorted.dropFirst(limit)))
}
