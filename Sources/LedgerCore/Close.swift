// Section 6 of the ledger rules: the monthly statements, as a pure function of (month, snapshot).

/// One creator's statement of a month: the figures and every line behind them.
public struct CreatorStatement: Equatable, Sendable {
    public var creator: String
    public var figures: PayoutFigures
    /// The minimum payout of the terms in force at the end of the month (0 without terms).
    public var minPayoutMinor: Int64
    /// Sorted by date, then kind (commission, clawback, fee, adjustment), then ref.
    public var lines: [StatementLine]
}

/// An order whose commission the month needs but whose currency has no rate dated on or before
/// its created date: a preview lists it, a close refuses to run.
public struct BlockingOrder: Equatable, Sendable {
    public var key: OrderKey
    public var creator: String
    public var currency: Currency
    /// The order's created date in the ledger's zone: a rate dated on or before it is needed.
    public var createdDate: CivilDate

    public init(key: OrderKey, creator: String, currency: Currency, createdDate: CivilDate) {
        self.key = key; self.creator = creator; self.currency = currency; self.createdDate = createdDate
    }
}

public struct MonthResult: Equatable, Sendable {
    public var month: YearMonth
    public var currency: Currency
    /// One per creator with a line or a non-zero carried-in balance, sorted by creator id.
    public var statements: [CreatorStatement]
    /// Sorted by order key.
    public var blocking: [BlockingOrder]

    public var payoutTotalMinor: Int64 { statements.reduce(0) { $0 + $1.figures.payoutMinor } }

    /// The facts a close appends: one `statement issued` per creator, then `month closed`.
    public func facts(zone: Zone) -> [Fact] {
        let effectiveAt = zone.startOfMonth(month.next)
        for s in statements { s.figures.assertConsistent(minPayoutMinor: s.minPayoutMinor, lines: s.lines) }
        var facts: [Fact] = statements.map {
            .statementIssued(
                StatementIssued(
                    month: month, creator: $0.creator, currency: currency, figures: $0.figures,
                    minPayoutMinor: $0.minPayoutMinor, lines: $0.lines, effectiveAt: effectiveAt))
        }
        facts.append(
            .monthClosed(
                MonthClosed(
                    month: month, statements: Int64(statements.count), payoutTotalMinor: payoutTotalMinor,
                    effectiveAt: effectiveAt)))
        return facts
    }
}

/// A statement line's identity across months: the same creator, kind group and ref.
struct PairKey: Hashable {
    enum Group: UInt8 { case order, fee, adjustment, bonus, retainer }
    let creator: String
    let group: Group
    let ref: String
}

/// What the statements of the months before `month` already put on each creator's balance.
struct EarlierStatements {
    /// Per order, per creator (sorted by id): the sum of commission and clawback lines (signed), and
    /// the detail of the latest of them (what the order's figures were when it was last settled). A
    /// list, not a dictionary per order: an order is nearly always one creator's, and a first close
    /// leaves a line for each commissioned order of the year.
    var orders: [OrderKey: [(creator: String, paid: PaidSoFar)]] = [:]
    /// Fees and adjustments per (creator, group, id).
    var others: [PairKey: Int64] = [:]
    var carriedOut: [String: Int64] = [:]

    init(_ statements: [IssuedStatement], before month: YearMonth) {
        orders.reserveCapacity(statements.reduce(0) { $0 + ($1.month < month ? $1.lines.count : 0) })
        for st in statements where st.month < month {
            carriedOut[st.creator] = st.figures.carriedOutMinor  // sorted by month: the latest wins
            for line in st.lines {
                if line.isPlanLine {
                    let group: PairKey.Group = line.kind == .retainer ? .retainer : .bonus
                    others[PairKey(creator: st.creator, group: group, ref: line.ref), default: 0] += line.amountMinor
                    continue
                }
                switch line.kind {
                case .commission, .clawback:
                    orders[orderKey(fromRef: line.ref), default: []].add(line, creator: st.creator)
                case .fee:
                    others[PairKey(creator: st.creator, group: .fee, ref: line.ref), default: 0] += line.amountMinor
                case .adjustment:
                    others[PairKey(creator: st.creator, group: .adjustment, ref: line.ref), default: 0] +=
                        line.amountMinor
                case .bonus, .retainer: break  // plan lines, above
                }
            }
        }
    }
}

extension [(creator: String, paid: PaidSoFar)] {
    /// `line` on the creator's entry, added in order of creator id when new.
    mutating func add(_ line: StatementLine, creator: String) {
        if let i = firstIndex(where: { $0.creator == creator }) {
            self[i].paid.add(line)
        } else {
            var paid = PaidSoFar()
            paid.add(line)
            insert((creator, paid), at: firstIndex { creator < $0.creator } ?? count)
        }
    }
}

/// What earlier statements paid one creator for one order.
struct PaidSoFar {
    var amountMinor: Int64 = 0
    /// The detail of the latest line (nil: frozen before statements kept it).
    var last: OrderLineDetail?

    mutating func add(_ line: StatementLine) {
        amountMinor += line.amountMinor
        last = line.order
    }
}

/// An order's paid history for one creator, the creator as a number (`CloseTables`).
struct PaidPair {
    var creator: Int
    var paid: PaidSoFar
}

/// `source:order_id` back to the key (sources never contain a colon; order ids may).
public func orderKey(fromRef ref: String) -> OrderKey {
    guard let colon = ref.firstIndex(of: ":") else { return OrderKey(source: "", orderId: ref) }
    return OrderKey(source: String(ref[..<colon]), orderId: String(ref[ref.index(after: colon)...]))
}

/// Per-creator running figures while a month is computed.
struct Accumulator {
    var lines: [StatementLine] = []
    var commissions: Int64 = 0, clawbacks: Int64 = 0, fees: Int64 = 0, adjustments: Int64 = 0

    mutating func add(
        _ kind: StatementLine.Kind, ref: String, date: CivilDate, amountMinor: Int64,
        order: OrderLineDetail? = nil
    ) {
        lines.append(StatementLine(kind: kind, ref: ref, date: date, amountMinor: amountMinor, order: order))
        switch kind {
        case .commission: commissions += amountMinor
        case .clawback: clawbacks -= amountMinor
        case .fee: fees += amountMinor
        case .adjustment: adjustments += amountMinor
        case .bonus: commissions += amountMinor
        case .retainer: fees += amountMinor
        }
    }
}

/// Computes month `month` from every money fact dated before the start of the next month and the
/// statements of earlier months (a preview, or what a close freezes). Master data is as known now.
public func computeMonth(_ month: YearMonth, snapshot: LedgerSnapshot, index: RuleIndex? = nil) -> MonthResult {
    let rules = index ?? RuleIndex(snapshot)
    let end = snapshot.zone.startOfMonth(month.next)
    var earlier = EarlierStatements(snapshot.statements, before: month)
    var tables = CloseTables(snapshot, rules: rules)
    // What earlier statements paid for each order, taken out as its order is settled: what is left
    // are orders no longer known.
    var history = earlier.orders
    earlier.orders = [:]
    // Numbered before the accumulators are made (a line's creator is its statement's).
    for statement in snapshot.statements where statement.month < month { _ = tables.number(statement.creator) }
    // Section 8: without any plan, every order's creator and rate are section 4's and 5's.
    let plan = rules.terms.anyPlan ? PlanRun(snapshot, tables: &tables, stateBefore: end, createdBefore: end) : nil
    var accumulators: [Accumulator] = Array(repeating: Accumulator(), count: tables.ids.count)
    var blocking: [BlockingOrder] = []
    snapshot.orders.withUnsafeBufferPointer { orders in
        for i in orders.indices {
            let paid =
                history.isEmpty
                ? []
                : history.removeValue(forKey: orders[i].seen.key)?.map {
                    PaidPair(creator: tables.number($0.creator), paid: $0.paid)
                } ?? []
            guard orders[i].seen.createdAt.instant < end || !paid.isEmpty else { continue }
            let attributed: (creator: Int, selfReferral: Bool)?, rate: CommissionRate?
            if let plan {
                attributed = plan.orders[i].map { ($0.creator, $0.selfReferral) }
                rate = plan.orders[i]?.rate
            } else {
                let skipped = orders[i].seen.test || orders[i].seen.createdAt.instant >= end
                attributed = skipped ? nil : tables.creator(of: orders[i].seen)
                rate = nil
            }
            settle(
                orders[i], attributed: attributed, rate: rate, history: paid, end: end, endDate: month.next.firstDay,
                rules: rules, tables: &tables, accumulators: &accumulators, blocking: &blocking)
        }
    }
    var creators: [String: Accumulator] = [:]
    for (n, acc) in accumulators.enumerated() where !acc.lines.isEmpty { creators[tables.ids[n]] = acc }
    // Orders in earlier statements but unknown now cannot happen (facts are never removed); if they
    // did, their lines are clawed back rather than kept silently.
    for (key, paid) in history {
        for pair in paid where pair.paid.amountMinor != 0 {
            let day = snapshot.zone.civilDate(of: end.adding(seconds: -1))
            creators[pair.creator, default: Accumulator()].add(
                .clawback, ref: key.description, date: day, amountMinor: -pair.paid.amountMinor,
                order: OrderLineDetail(baseMinor: nil, rate: nil, perOrderMinor: nil, change: .other))
        }
    }
    settleOthers(snapshot, end: end, earlier: &earlier, creators: &creators)
    settlePlans(month, snapshot: snapshot, plan: plan, tables: tables, earlier: earlier, creators: &creators)
    return assemble(
        month, snapshot: snapshot, rules: rules, end: end, earlier: earlier, creators: creators, blocking: blocking)
}

/// One order: its target for the creator it is attributed to now, and 0 for every other creator
/// that an earlier statement paid for it; each delta becomes a commission or clawback line, with
/// the figures it comes from (`OrderLineDetail`) and, where it corrects earlier lines, what changed.
/// `attributed`: the creator it is attributed to now (section 4, or a lifetime link); `rate`: the
/// rate section 8 gives it (nil: the terms' commission).
func settle(
    _ order: borrowing OrderRecord, attributed: (creator: Int, selfReferral: Bool)?, rate: CommissionRate?,
    history: [PaidPair], end: Instant, endDate: CivilDate, rules: RuleIndex,
    tables: inout CloseTables, accumulators: inout [Accumulator], blocking: inout [BlockingOrder]
) {
    let created = order.seen.createdAt.instant
    var target: (creator: Int, minor: Int64, figures: TargetFigures)? = nil
    var state = order.seen.state
    if !order.seen.test, created < end, let attributed {
        let terms = tables.terms(attributed.creator, at: created)
        let paidBefore = history.contains { $0.creator == attributed.creator }
        if paidBefore || maturityDate(createdDate: tables.days.civilDate(of: created), terms: terms) < endDate {
            if !order.changes.isEmpty { state = order.state(before: end) }
            let createdDate = order.seen.currency == rules.baseCurrency ? nil : tables.days.civilDate(of: created)
            switch rules.closeCommission(
                order, selfReferral: attributed.selfReferral, state: state, terms: terms,
                createdDate: createdDate, rate: rate)
            {
            case let .earned(breakdown, rate):
                target = (
                    attributed.creator, breakdown.commissionMinor,
                    .earned(
                        OrderLineDetail(
                            baseMinor: breakdown.baseMinor, rate: rate, perOrderMinor: breakdown.fixedPartMinor,
                            change: nil))
                )
            case let .zero(reason): target = (attributed.creator, 0, .zero(reason))
            case .missingRate:
                blocking.append(
                    BlockingOrder(
                        key: order.seen.key, creator: tables.ids[attributed.creator], currency: order.seen.currency,
                        createdDate: tables.days.civilDate(of: created)))
                return
            }
        }
    }
    var date: CivilDate? = nil, refText: String? = nil
    func add(_ creator: Int, _ delta: Int64, _ figures: TargetFigures, _ earlier: PaidSoFar?) {
        guard delta != 0 else { return }
        let day = date ?? tables.days.civilDate(of: created)
        let ref = refText ?? order.seen.key.source + ":" + order.seen.key.orderId
        date = day; refText = ref
        var detail = figures.detail
        if let earlier {
            detail.change = lineChange(
                figures, earlier: earlier.last, refunded: state.refundedMinor > 0,
                foreign: order.seen.currency != rules.baseCurrency)
        }
        accumulators[creator].add(
            delta > 0 ? .commission : .clawback, ref: ref, date: day, amountMinor: delta,
            order: detail)
    }
    if let target {
        let earlier = history.first { $0.creator == target.creator }?.paid
        add(target.creator, target.minor - (earlier?.amountMinor ?? 0), target.figures, earlier)
    }
    for pair in history where pair.creator != target?.creator {
        add(pair.creator, -pair.paid.amountMinor, .notTheirs, pair.paid)
    }
}

/// What an order earns the creator a line is for, at the end of the month.
enum TargetFigures {
    /// A commission computed from a base and terms.
    case earned(OrderLineDetail)
    /// Nothing, for `reason` (self-referral, not payable, cancelled, no terms).
    case zero(ZeroReason)
    /// Nothing: the order is another creator's now, or nobody's.
    case notTheirs

    var detail: OrderLineDetail {
        if case let .earned(detail) = self { return detail }
        return OrderLineDetail(baseMinor: nil, rate: nil, perOrderMinor: nil, change: nil)
    }
}

/// Why an order's line corrects what earlier statements paid for it: compared with the figures of
/// the latest earlier line where they were frozen (`earlier`), else told from the order as it is.
func lineChange(_ now: TargetFigures, earlier: OrderLineDetail?, refunded: Bool, foreign: Bool) -> LineChange {
    switch now {
    case .notTheirs: return .reattribution
    case .zero(.selfReferral): return .selfReferral
    case .zero(.notPayable), .zero(.cancelled): return .cancellation
    case .zero(.noTerms): return .rateChange
    case .zero(.test): return .other
    case let .earned(detail):
        guard let earlier else { return refunded ? .refund : .other }
        // The earlier line paid nothing of its own (a clawback to 0): the order came back for the
        // reason it had gone.
        guard let before = earlier.baseMinor else { return earlier.change ?? .other }
        if detail.baseMinor != before {
            return foreign && !(refunded && (detail.baseMinor ?? 0) < before) ? .exchangeRate : .refund
        }
        if detail.rate != earlier.rate || detail.perOrderMinor != earlier.perOrderMinor { return .rateChange }
        return .other
    }
}

/// Posts and adjustments: each id's amount for its creator, less what earlier statements paid for it.
func settleOthers(
    _ snapshot: LedgerSnapshot, end: Instant, earlier: inout EarlierStatements, creators: inout [String: Accumulator]
) {
    var dates: [PairKey: CivilDate] = [:]
    var targets: [PairKey: Int64] = [:]
    for post in snapshot.posts where post.effectiveAt < end {
        let key = PairKey(creator: post.creator, group: .fee, ref: post.id)
        targets[key] = post.feeMinor; dates[key] = post.date
    }
    for adjustment in snapshot.adjustments where adjustment.effectiveAt < end {
        let key = PairKey(creator: adjustment.creator, group: .adjustment, ref: adjustment.id)
        targets[key] = adjustment.amountMinor; dates[key] = adjustment.date
    }
    // A post or adjustment paid before but no longer due (moved to another creator or a later date).
    var lastDates: [PairKey: CivilDate] = [:]
    for post in snapshot.posts { lastDates[PairKey(creator: post.creator, group: .fee, ref: post.id)] = post.date }
    for a in snapshot.adjustments { lastDates[PairKey(creator: a.creator, group: .adjustment, ref: a.id)] = a.date }
    for key in Set(targets.keys).union(earlier.others.keys) where key.group == .fee || key.group == .adjustment {
        let delta = (targets[key] ?? 0) - (earlier.others[key] ?? 0)
        guard delta != 0 else { continue }
        let date = dates[key] ?? lastDates[key] ?? snapshot.zone.civilDate(of: end.adding(seconds: -1))
        creators[key.creator, default: Accumulator()].add(
            key.group == .fee ? .fee : .adjustment, ref: key.ref, date: date, amountMinor: delta)
    }
}

/// Section 8: each month's bonus (months before `month`) and retainer (up to `month`), for every
/// creator with terms, settled like an order: the target as known now, less what earlier
/// statements paid for it. A bonus's negative delta is a clawback; a retainer's is a retainer line.
func settlePlans(
    _ month: YearMonth, snapshot: LedgerSnapshot, plan: PlanRun?, tables: CloseTables,
    earlier: EarlierStatements, creators: inout [String: Accumulator]
) {
    var targets: [PairKey: Int64] = [:]
    var months: [PairKey: YearMonth] = [:]
    if let plan {
        let paying = tables.creatorsWithTerms.filter {
            tables.termsHistory($0).contains { $0.bonus != nil || $0.retainerMinor != nil }
        }
        for n in paying {
            let id = tables.ids[n]
            var m = snapshot.zone.month(of: tables.termsHistory(n)[0].effectiveFrom)
            while m <= month {
                let terms = tables.terms(n, at: snapshot.zone.startOfMonth(m.next).adding(seconds: -1))
                if m < month, let bonus = terms?.bonus, plan.conversions(of: n, in: m) >= bonus.threshold {
                    let key = PairKey(creator: id, group: .bonus, ref: StatementLine.bonusRef(m))
                    targets[key] = bonus.amountMinor; months[key] = m
                }
                if let retainer = terms?.retainerMinor {
                    let key = PairKey(creator: id, group: .retainer, ref: StatementLine.retainerRef(m))
                    targets[key] = retainer; months[key] = m
                }
                m = m.next
            }
        }
    }
    let paid = earlier.others.keys.filter { $0.group == .bonus || $0.group == .retainer }
    for key in Set(targets.keys).union(paid) {
        let delta = (targets[key] ?? 0) - (earlier.others[key] ?? 0)
        guard delta != 0 else { continue }
        let m = months[key] ?? YearMonth.parse(String(key.ref.drop { $0 != ":" }.dropFirst())) ?? month
        let kind: StatementLine.Kind = key.group == .retainer ? .retainer : delta > 0 ? .bonus : .clawback
        creators[key.creator, default: Accumulator()].add(
            kind, ref: key.ref, date: m.next.firstDay.adding(days: -1),
            amountMinor: delta)
    }
}

func assemble(
    _ month: YearMonth, snapshot: LedgerSnapshot, rules: RuleIndex, end: Instant, earlier: EarlierStatements,
    creators: [String: Accumulator], blocking: [BlockingOrder]
) -> MonthResult {
    var ids = Set(creators.keys)
    for (creator, carried) in earlier.carriedOut where carried != 0 { ids.insert(creator) }
    let lastInstant = end.adding(seconds: -1)
    var statements: [CreatorStatement] = []
    for creator in ids.sorted() {
        let acc = creators[creator] ?? Accumulator()
        let carriedIn = earlier.carriedOut[creator] ?? 0
        let minPayout = rules.terms.terms(for: creator, at: lastInstant)?.minPayoutMinor ?? 0
        let balance = carriedIn + acc.commissions - acc.clawbacks + acc.fees + acc.adjustments
        let payout = balance > 0 && balance >= minPayout ? balance : 0
        let figures = PayoutFigures(
            carriedInMinor: carriedIn, commissionsMinor: acc.commissions, clawbacksMinor: acc.clawbacks,
            feesMinor: acc.fees,
            adjustmentsMinor: acc.adjustments, balanceMinor: balance, payoutMinor: payout,
            carriedOutMinor: balance - payout)
        figures.assertConsistent(minPayoutMinor: minPayout, lines: acc.lines)
        statements.append(
            CreatorStatement(
                creator: creator, figures: figures, minPayoutMinor: minPayout, lines: acc.lines.sorted(by: lineOrder)))
    }
    return MonthResult(
        month: month, currency: snapshot.baseCurrency, statements: statements,
        blocking: blocking.sorted { $0.key < $1.key })
}

extension StatementLine.Kind {
    /// Commission, bonus, clawback, fee, retainer, adjustment: the order of lines of the same date.
    var rank: Int {
        switch self {
        case .commission: return 0
        case .bonus: return 1
        case .clawback: return 2
        case .fee: return 3
        case .retainer: return 4
        case .adjustment: return 5
        }
    }
}

func lineOrder(_ a: StatementLine, _ b: StatementLine) -> Bool {
    if a.date != b.date { return a.date < b.date }
    if a.kind != b.kind { return a.kind.rank < b.kind.rank }
    return a.ref < b.ref
}
