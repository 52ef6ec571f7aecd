// Section 6 of the ledger rules, the decisions around the month engine: which month may close,
// what a preview says about it, which statement `tally statement` shows. Paying a closed month is in
// `Payments.swift`.

/// A payout command that cannot run as asked (closed month, months out of order, missing rates).
public struct PayoutError: Error, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}

/// The money facts (non-test orders, posts, adjustments) dated before a month: what its close folds
/// in when it is the ledger's first.
public struct EarlierMoneyFacts: Equatable, Sendable {
    public var orders: Int64
    public var posts: Int64
    public var adjustments: Int64
    /// The earliest of their dates (nil when there are none).
    public var earliest: Instant?

    public init(orders: Int64, posts: Int64, adjustments: Int64, earliest: Instant?) {
        self.orders = orders; self.posts = posts; self.adjustments = adjustments; self.earliest = earliest
    }

    public static let none = EarlierMoneyFacts(orders: 0, posts: 0, adjustments: 0, earliest: nil)
    public var isEmpty: Bool { orders == 0 && posts == 0 && adjustments == 0 }

    /// "812 orders, 14 posts and 1 adjustment".
    public var counted: String {
        let parts = [(orders, "order"), (posts, "post"), (adjustments, "adjustment")].filter { $0.0 > 0 }
            .map { "\($0.0) \($0.1)\($0.0 == 1 ? "" : "s")" }
        guard parts.count > 1 else { return parts.first ?? "nothing" }
        return parts.dropLast().joined(separator: ", ") + " and " + parts.last!
    }
}

/// What stands in the way of closing a month. Months close once, in order, after they end.
public enum CloseObstacle: Equatable, Sendable {
    /// The month is closed already.
    case closed
    /// The month is before the last closed one: its facts land in the month after `lastClosed`.
    case beforeLastClosed(lastClosed: YearMonth)
    /// A month before it, `firstOpen`, is not closed yet.
    case earlierMonthOpen(firstOpen: YearMonth)
    /// The month has not ended: it can be closed from `end`.
    case notEnded(end: Instant)
    /// The ledger's first close, with money facts in earlier months, and no `--first` to say that
    /// they fold into this one; `earliest` is the month of the earliest.
    case foldsEarlierMonths(EarlierMoneyFacts, earliest: YearMonth)
    /// The ledger's first close, of a month before every money fact (`firstFacts` holds the
    /// earliest), and no `--first`: it would freeze nothing and leave every month up to
    /// `firstFacts` to be closed, empty, in order.
    case beforeFirstFacts(firstFacts: YearMonth)
    /// `--first`, but the ledger's first payout month is `firstClosed` already.
    case notFirst(firstClosed: YearMonth)

    /// A preview is refused only for a month that can never be closed again; the rest are notes.
    public var refusesPreview: Bool {
        switch self {
        case .closed, .beforeLastClosed: return true
        case .earlierMonthOpen, .notEnded, .foldsEarlierMonths, .beforeFirstFacts, .notFirst: return false
        }
    }

    /// Why `payout close` refuses `month`.
    public func closeRefusal(_ month: YearMonth, zone: Zone) -> String {
        switch self {
        case .closed:
            return "\(month) is already closed: a month is closed once; see 'tally payout show --month \(month)'"
        case let .beforeLastClosed(last):
            return "\(month) is before \(last), the last closed month: months are closed in order; "
                + "facts dated in \(month) land in \(last.next)"
        case let .earlierMonthOpen(firstOpen): return "close \(firstOpen) first: months are closed in order"
        case let .notEnded(end): return "\(month) has not ended yet: it can be closed from \(zone.timestamp(end))"
        case let .foldsEarlierMonths(facts, earliest):
            return "\(month) would be the ledger's first closed month, but earlier months hold \(facts.counted) "
                + "(from \(earliest) on): close \(earliest) first (months are closed in order), or give --first "
                + "if \(month) is the first payout month (everything earlier folds into it)"
        case let .beforeFirstFacts(firstFacts):
            return "\(month) would be the ledger's first closed month, but no order, post or adjustment is dated in "
                + "it or before it (the first is in \(firstFacts)): close \(firstFacts) first, or give --first if "
                + "\(month) is the first payout month"
        case let .notFirst(first):
            return "--first: the ledger's first payout month is \(first), closed already; "
                + "later months are closed in order without it"
        }
    }

    /// What `payout preview` (and `statement` of an open month) says about `month`: the refusal
    /// when `refusesPreview`, else a note.
    public func previewMessage(_ month: YearMonth) -> String {
        switch self {
        case .closed: return "\(month) is closed: its statements are frozen; see 'tally payout show --month \(month)'"
        case let .beforeLastClosed(last):
            return "\(month) is before \(last), the last closed month: it can no longer be closed; "
                + "facts dated in it land in \(last.next)"
        case let .earlierMonthOpen(firstOpen):
            return "\(firstOpen) is not closed yet: this preview includes its facts, "
                + "and \(month) can be closed only after it"
        case .notEnded: return "\(month) has not ended yet: the figures will change"
        case let .foldsEarlierMonths(facts, earliest):
            return "no month is closed yet: this preview folds in \(facts.counted) from \(earliest) on; "
                + "close \(earliest) first, or close \(month) with --first if it is the first payout month"
        case let .beforeFirstFacts(firstFacts):
            return "no month is closed yet, and no order, post or adjustment is dated in \(month) or before it "
                + "(the first is in \(firstFacts)): close \(firstFacts) first, or close \(month) with --first"
        case .notFirst: return ""
        }
    }
}

/// Everything that stands in the way of closing `month` (none: it may close), in the order the
/// rules check them; `closedMonths` sorted. The ledger's first close may be any ended month, but
/// when money facts lie in earlier months it folds them in only with `first` (a typo in the month,
/// or closing August before July, would otherwise fold or strand them silently); `earlier`: the
/// money facts dated before `month`, `firstFact`: the earliest money fact of the ledger (both only
/// asked for a first close). A first close of a month before every money fact also needs `first`:
/// a typo such as 2025-01 for 2026-01 would leave every month between to be closed, empty.
public func closeObstacles(
    _ month: YearMonth, closedMonths: [YearMonth], now: Instant, zone: Zone,
    earlier: EarlierMoneyFacts = .none, firstFact: Instant? = nil,
    first: Bool = false
) -> [CloseObstacle] {
    if closedMonths.contains(month) { return [.closed] }
    var obstacles: [CloseObstacle] = []
    if let last = closedMonths.last {
        if month < last { return [.beforeLastClosed(lastClosed: last)] }
        if first { return [.notFirst(firstClosed: closedMonths[0])] }
        if month > last.next { obstacles.append(.earlierMonthOpen(firstOpen: last.next)) }
    } else if !first, !earlier.isEmpty, let earliest = earlier.earliest {
        obstacles.append(.foldsEarlierMonths(earlier, earliest: zone.month(of: earliest)))
    } else if !first, let firstFact, firstFact >= zone.startOfMonth(month.next) {
        obstacles.append(.beforeFirstFacts(firstFacts: zone.month(of: firstFact)))
    }
    let end = zone.startOfMonth(month.next)
    if now < end { obstacles.append(.notEnded(end: end)) }
    return obstacles
}

/// What a first close folded in from before its month, per kind: how many facts, and what the
/// statement lines dated before the month add up to.
public struct FoldedIn: Equatable, Sendable {
    public var facts: EarlierMoneyFacts
    /// Commission lines less clawback lines dated before the month.
    public var commissionsMinor: Int64
    public var feesMinor: Int64
    public var adjustmentsMinor: Int64
}

/// The earlier months' share of `result`, the ledger's first close.
public func foldedIn(_ result: MonthResult, facts: EarlierMoneyFacts) -> FoldedIn {
    var folded = FoldedIn(facts: facts, commissionsMinor: 0, feesMinor: 0, adjustmentsMinor: 0)
    let first = result.month.firstDay
    for line in result.statements.flatMap(\.lines) where line.date < first {
        switch line.kind {
        case .commission, .clawback, .bonus: folded.commissionsMinor += line.amountMinor
        case .fee, .retainer: folded.feesMinor += line.amountMinor
        case .adjustment: folded.adjustmentsMinor += line.amountMinor
        }
    }
    return folded
}

/// "cannot close 2026-09: 2 orders ..." naming each order and the rate it needs.
public func blockingMessage(_ month: YearMonth, _ blocking: [BlockingOrder]) -> String {
    let orders = "\(blocking.count) attributed order\(blocking.count == 1 ? "" : "s")"
    let have = blocking.count == 1 ? "has" : "have"
    var lines = ["cannot close \(month): \(orders) in another currency \(have) no exchange rate:"]
    for b in blocking {
        lines.append("  \(b.key) (\(b.creator)): needs a \(b.currency.code) rate dated on or before \(b.createdDate)")
    }
    lines.append("add the rates (tally import fx FILE) and close again")
    return lines.joined(separator: "\n")
}

/// Which statement `tally statement` shows for a month.
public enum StatementSource: Equatable, Sendable {
    /// The month is closed: its frozen statement (none when nothing moved the creator's balance).
    case frozen
    /// The month is open: the lines a close would freeze now.
    case preview
}

/// A closed month shows what its close froze, never a recomputation; an open one what a close would freeze now.
public func statementSource(_ month: YearMonth, closedMonths: [ClosedMonth]) -> StatementSource {
    closedMonths.contains { $0.month == month } ? .frozen : .preview
}

/// The note for a month that no order export reaches past (issue: a close before the month's last
/// export): the orders, refunds and cancellations after each source's newest as-of are not known
/// yet, so the close freezes what may still change (a later refund is a clawback next month). Nil
/// when a source's newest export is as of the month's end or later, or when there is no export.
/// `newest`: each source's latest as-of among the imports not undone.
public func exportsBehindNote(_ month: YearMonth, newest: [String: Instant], zone: Zone) -> String? {
    let end = zone.startOfMonth(month.next)
    guard !newest.isEmpty, newest.values.allSatisfy({ $0 < end }) else { return nil }
    let each = newest.sorted { $0.key < $1.key }.map { "\($0.key) as of \(zone.timestamp($0.value))" }
    return "no order export reaches past the end of \(month): the newest are "
        + each.joined(separator: ", ")
        + "; orders, refunds and cancellations after those are not in these figures (import the next export first?)"
}
