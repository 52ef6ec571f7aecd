// Undoing an order import (ledger rules §3): a fact, never a deletion. From it on, the facts the
// import recorded count as never recorded: the orders it first saw are unknown again, the changes
// it recorded are reversed, the as-of of the orders it showed goes back, and its file is no longer
// "already imported". Only the latest import of a source that is not undone yet can be undone, so
// what it recorded is always the top of its source's history.

/// `import.undone` (version 1): the order import whose `import.recorded` is fact `importSeq` is
/// undone, for `reason`.
public struct ImportUndone: Equatable, Sendable {
    public var importSeq: Int64
    public var source: String
    public var fileName: String
    public var sha256: String
    public var reason: String
    /// The as-of (Unix seconds) each order that the import changed or confirmed, and that stays
    /// known, had before it, by order id: the log alone says it (the projections keep only the
    /// newest), so the undo carries it and a rebuild needs nothing else.
    public var asOfBefore: [String: Int64]
    public var at: Instant

    public init(
        importSeq: Int64, source: String, fileName: String, sha256: String, reason: String,
        asOfBefore: [String: Int64], at: Instant
    ) {
        self.importSeq = importSeq; self.source = source; self.fileName = fileName; self.sha256 = sha256
        self.reason = reason; self.asOfBefore = asOfBefore; self.at = at
    }
}

extension ImportUndone: FieldTable {
    /// The field table of `import.undone` version 1, with the columns of `import_undos`.
    @inlinable public static var blank: Self {
        ImportUndone(importSeq: 0, source: "", fileName: "", sha256: "", reason: "", asOfBefore: [:], at: .epoch)
    }

    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout ImportUndone) throws(C.Failure) {
        try c.int("import_seq", &o.importSeq)
        try c.string("source", &o.source)
        try c.string("file_name", &o.fileName)
        try c.string("sha256", &o.sha256)
        try c.string("reason", &o.reason)
        try c.counts("as_of_before", &o.asOfBefore, column: .notProjected)
        try c.instant("at", &o.at)
    }
}

/// One order import as `tally imports` lists it.
public struct ImportListing: Equatable, Sendable {
    /// The sequence number of its `import.recorded` fact: the id `import undo` takes.
    public var id: Int64
    public var source: String
    public var fileName: String
    public var sha256: String
    public var asOf: Instant
    public var recordedAt: Instant
    public var counts: [String: Int64]
    /// The `import.undone` fact that undid it, if any.
    public var undoneBy: Int64?

    public init(
        id: Int64, source: String, fileName: String, sha256: String, asOf: Instant, recordedAt: Instant,
        counts: [String: Int64], undoneBy: Int64?
    ) {
        self.id = id; self.source = source; self.fileName = fileName; self.sha256 = sha256; self.asOf = asOf
        self.recordedAt = recordedAt; self.counts = counts; self.undoneBy = undoneBy
    }
}

/// Why an import cannot be undone, said so that the user knows what to do instead.
public struct UndoRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}

/// The import `id` names, if it may be undone now: the latest import of its source that is not
/// undone yet (`imports` in log order). Anything else is refused, naming the import to undo first.
public func importToUndo(_ id: Int64, imports: [ImportListing]) throws(UndoRefusal) -> ImportListing {
    guard let target = imports.first(where: { $0.id == id }) else {
        throw UndoRefusal("there is no order import \(id); 'tally imports' lists them with their ids")
    }
    if let undo = target.undoneBy {
        throw UndoRefusal("import \(id) (\(target.fileName)) was already undone (fact \(undo))")
    }
    let later = imports.filter { $0.source == target.source && $0.id > id && $0.undoneBy == nil }
    if let latest = later.last {
        throw UndoRefusal(
            "import \(id) (\(target.fileName)) is not the latest import of source \(target.source): "
                + "\(later.count == 1 ? "import" : "\(later.count) imports, the latest") \(latest.id) "
                + "(\(latest.fileName)) came after it; undo \(latest.id) first")
    }
    return target
}

/// What undoing an import changes (and what `--dry-run` shows).
public struct UndoEffect: Equatable, Sendable {
    /// Orders the import saw first: unknown again.
    public var ordersForgotten = 0
    /// Its `order changed` facts on orders that stay known: reversed.
    public var changesReversed = 0
    /// The orders those changes were on.
    public var ordersChanged = 0
    /// Orders it showed unchanged with a later as-of: their as-of goes back.
    public var ordersConfirmed = 0

    public init(ordersForgotten: Int = 0, changesReversed: Int = 0, ordersChanged: Int = 0, ordersConfirmed: Int = 0) {
        self.ordersForgotten = ordersForgotten; self.changesReversed = changesReversed
        self.ordersChanged = ordersChanged; self.ordersConfirmed = ordersConfirmed
    }
}

/// The money an undo changes for one creator, as known now (maturity left aside: the closes to come
/// settle it): their commission and the net revenue of their orders, over every order of the ledger,
/// before and after.
public struct UndoMoney: Equatable, Sendable {
    public var creator: String
    public var commissionBeforeMinor: Int64 = 0
    public var commissionAfterMinor: Int64 = 0
    public var revenueBeforeMinor: Int64 = 0
    public var revenueAfterMinor: Int64 = 0
    /// Their payable orders, before and after.
    public var ordersBefore = 0
    public var ordersAfter = 0

    public init(creator: String) { self.creator = creator }

    public var commissionChangeMinor: Int64 { commissionAfterMinor - commissionBeforeMinor }
    public var revenueChangeMinor: Int64 { revenueAfterMinor - revenueBeforeMinor }
}

/// What undoing an import of `source` changes in money, by creator (only those with a change):
/// `snapshot` as it is, against the same without the orders it saw first (`forgotten`) and without
/// the newest `reversed[id]` changes of the others. Commission and net revenue as ROI counts them
/// (section 7: payable, non-test, attributed orders, as known now, bonuses of section 8 in the
/// commission), so plans (tiers, lifetime links, bonuses) reprice a creator's other orders too.
public func undoMoney(
    snapshot: LedgerSnapshot, source: String, forgotten: Set<String>, reversed: [String: Int]
) -> [UndoMoney] {
    var after = snapshot
    after.orders = snapshot.orders.compactMap { order in
        guard order.key.source == source else { return order }
        if forgotten.contains(order.key.orderId) { return nil }
        guard let n = reversed[order.key.orderId] else { return order }
        var kept = order
        kept.changes.removeLast(min(n, kept.changes.count))
        return kept
    }
    // One range for both, every order's month whole (a bonus of section 8 counts in the month it is earned).
    let created = snapshot.orders.map(\.seen.createdAt.instant)
    guard let first = created.min(), let last = created.max() else { return [] }
    let zone = snapshot.zone
    let range = ROIRange(
        from: zone.month(of: first).firstDay, to: zone.month(of: last).next.firstDay.adding(days: -1), zone: zone)
    var lines: [String: UndoMoney] = [:]
    for (s, isBefore) in [(snapshot, true), (after, false)] {
        let run = roiEvaluation(snapshot: s, index: RuleIndex(s), range: range)
        var commission: [String: (minor: Int64, revenue: Int64, orders: Int)] = [:]
        for order in run.orders {
            commission[order.creator, default: (0, 0, 0)].minor += order.commissionMinor
            commission[order.creator, default: (0, 0, 0)].revenue += order.netRevenueMinor
            commission[order.creator, default: (0, 0, 0)].orders += 1
        }
        for (creator, costs) in run.planCosts { commission[creator, default: (0, 0, 0)].minor += costs.bonusMinor }
        for (creator, figures) in commission {
            var line = lines[creator] ?? UndoMoney(creator: creator)
            if isBefore {
                line.commissionBeforeMinor = figures.minor
                line.revenueBeforeMinor = figures.revenue
                line.ordersBefore = figures.orders
            } else {
                line.commissionAfterMinor = figures.minor
                line.revenueAfterMinor = figures.revenue
                line.ordersAfter = figures.orders
            }
            lines[creator] = line
        }
    }
    return lines.values.filter {
        $0.commissionChangeMinor != 0 || $0.revenueChangeMinor != 0 || $0.ordersBefore != $0.ordersAfter
    }.sorted { $0.creator < $1.creator }
}
