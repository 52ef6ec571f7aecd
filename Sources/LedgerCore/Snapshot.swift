/// A creator as the master data says now.
public struct CreatorRecord: Equatable, Sendable {
    public var id: String
    public var name: String
    public var emailHash: String?
    public var followers: [String: Int64]
    public var payout: PayoutDetails?
    /// Which US tax form is on file (docs/books.md); nil: none.
    public var taxForm: TaxForm?
    public init(
        id: String, name: String, emailHash: String?, followers: [String: Int64], payout: PayoutDetails?,
        taxForm: TaxForm? = nil
    ) {
        self.id = id; self.name = name; self.emailHash = emailHash; self.followers = followers; self.payout = payout
        self.taxForm = taxForm
    }
    /// Followers on the largest platform (0 when none recorded): what the tier is based on.
    public var followersMax: Int64 { followers.values.max() ?? 0 }
}

/// An order: what its first export showed and every later change, in log order.
public struct OrderRecord: Equatable, Sendable {
    public var seen: OrderDetails
    public var changes: [OrderStateChange]
    public init(seen: OrderDetails, changes: [OrderStateChange] = []) { self.seen = seen; self.changes = changes }

    public var key: OrderKey { seen.key }

    /// The state as known now (every change applied).
    public var currentState: OrderState { changes.reduce(seen.state) { $1.apply(to: $0) } }

    /// The state at `instant`: the first-seen state (effective at creation) and every change whose
    /// effective time is before `instant`, applied in log order.
    public func state(before instant: Instant) -> OrderState {
        var state = seen.state
        for change in changes where change.effectiveAt < instant { state = change.apply(to: state) }
        return state
    }
}

/// Everything the pure rules need, loaded from the projections (or folded from the facts).
/// Arrays are in log order unless said otherwise.
///
/// Read models and facts: where a fact carries what only the log needs (which export showed an
/// order, when a payout was recorded), the snapshot holds its read model (`OrderRecord`,
/// `IssuedStatement`, `ClosedMonth`, `PaidPayout`), and the fact is that read model plus the rest.
/// Where the projection holds the whole fact (assignments, terms, posts, gifts, adjustments,
/// rates: histories the rules resolve), the snapshot lists the facts themselves.
public struct LedgerSnapshot: Sendable {
    public var baseCurrency: Currency
    public var zone: Zone
    public var tiers: TierThresholds
    public var creators: [String: CreatorRecord]
    public var codeAssignments: [CodeAssigned]
    public var houseCodes: Set<String>
    public var referralAssignments: [ReferralAssigned]
    public var terms: [TermsSet]
    public var posts: [PostPublished]
    public var gifts: [GiftSent]
    public var adjustments: [AdjustmentRecorded]
    public var fxRates: [FXRateSet]
    /// Sorted by key.
    public var orders: [OrderRecord]
    /// Sorted by month, then creator.
    public var statements: [IssuedStatement]
    /// Sorted by month.
    public var closedMonths: [ClosedMonth]
    /// Version 1 facts resolved (`PayoutPaid.payment`).
    public var payoutsPaid: [PaidPayout]
    /// Every payment file written, in log order.
    public var paymentFiles: [PaymentFileRecord] = []
    /// Every reopening, in log order.
    public var reopenings: [MonthReopened] = []
    /// Every journal file written for the books, in log order.
    public var journalFiles: [JournalFileRecord] = []
    /// Every mark of a payout taken back (`payout unmark-paid`), in log order.
    public var payoutsUnmarked: [PayoutUnmarked] = []

    public init(
        baseCurrency: Currency, zone: Zone, tiers: TierThresholds = .default, creators: [String: CreatorRecord] = [:],
        codeAssignments: [CodeAssigned] = [], houseCodes: Set<String> = [],
        referralAssignments: [ReferralAssigned] = [],
        terms: [TermsSet] = [], posts: [PostPublished] = [], gifts: [GiftSent] = [],
        adjustments: [AdjustmentRecorded] = [],
        fxRates: [FXRateSet] = [], orders: [OrderRecord] = [], statements: [IssuedStatement] = [],
        closedMonths: [ClosedMonth] = [], payoutsPaid: [PaidPayout] = []
    ) {
        self.baseCurrency = baseCurrency; self.zone = zone; self.tiers = tiers; self.creators = creators
        self.codeAssignments = codeAssignments; self.houseCodes = houseCodes;
        self.referralAssignments = referralAssignments
        self.terms = terms; self.posts = posts; self.gifts = gifts; self.adjustments = adjustments;
        self.fxRates = fxRates
        self.orders = orders; self.statements = statements; self.closedMonths = closedMonths;
        self.payoutsPaid = payoutsPaid
    }

    /// Folds facts (in log order) into a snapshot: the reference model that the SQLite
    /// projections must agree with.
    public static func fold(_ facts: [Fact]) -> LedgerSnapshot? {
        guard let initial = facts.first?.initialSettings, let zone = Zone(identifier: initial.zone) else { return nil }
        var s = LedgerSnapshot(baseCurrency: initial.baseCurrency, zone: zone)
        var orders = FoldedOrders()
        for fact in facts.dropFirst() { s.apply(fact, orders: &orders) }
        s.orders = orders.records.values.sorted { $0.key < $1.key }
        s.statements.sort { ($0.month, $0.creator) < ($1.month, $1.creator) }
        s.closedMonths.sort { $0.month < $1.month }
        return s
    }

    mutating func apply(_ fact: Fact, orders folded: inout FoldedOrders) {
        switch fact {
        case .ledgerInitialized, .ledgerInitializedV1, .ledgerRedacted, .accountSet, .thresholdSet: break
        case let .importRecorded(f): folded.recorded(source: f.source)
        case let .importUndone(f): folded.undo(source: f.source)
        case let .creatorRegistered(f):
            creators[f.id] = CreatorRecord(
                id: f.id, name: f.name, emailHash: f.emailHash, followers: f.followers,
                payout: f.payout, taxForm: f.taxForm)
        case let .creatorUpdated(f):
            guard var c = creators[f.id] else { return }
            if let name = f.name { c.name = name }
            if let hash = f.emailHash { c.emailHash = hash }
            if let followers = f.followers { c.followers = followers }
            if let payout = f.payout { c.payout = payout }
            if let taxForm = f.taxForm { c.taxForm = taxForm }
            creators[f.id] = c
        case let .codeAssigned(f): codeAssignments.append(f)
        case let .houseCodeDeclared(f): houseCodes.insert(f.code)
        case let .referralAssigned(f): referralAssignments.append(f)
        case let .termsSet(f): terms.append(f)
        case let .postPublished(f): posts.removeAll { $0.id == f.id }; posts.append(f)
        case let .giftSent(f): gifts.removeAll { $0.id == f.id }; gifts.append(f)
        case let .adjustmentRecorded(f): adjustments.removeAll { $0.id == f.id }; adjustments.append(f)
        case let .fxRateSet(f): fxRates.removeAll { $0.currency == f.currency && $0.date == f.date }; fxRates.append(f)
        case let .orderSeen(f): folded.seen(f.order)
        case let .orderChanged(f): folded.changed(f.key, f.change)
        case let .statementIssued(f): statements.append(f.statement)
        case let .monthClosed(f): closedMonths.append(f.closedMonth)
        case let .payoutPaid(f):
            // As the projection: the first mark of a payout is the one (mark-paid never writes a second).
            guard !payoutsPaid.contains(where: { $0.month == f.month && $0.creator == f.creator }) else { return }
            payoutsPaid.append(f.payment(zone: zone, creatorMethod: creators[f.creator]?.payout?.method))
        case let .payoutUnmarked(f):
            payoutsPaid.removeAll { $0.month == f.month && $0.creator == f.creator }
            payoutsUnmarked.append(f)
        case let .tiersSet(f): tiers = f.thresholds
        case let .payoutExported(f): paymentFiles.append(PaymentFileRecord(export: f, reopened: false))
        case let .journalExported(f): journalFiles.append(JournalFileRecord(export: f, reopened: false))
        case let .monthReopened(f):
            statements.removeAll { $0.month == f.month }
            closedMonths.removeAll { $0.month == f.month }
            for i in paymentFiles.indices where paymentFiles[i].export.month == f.month {
                paymentFiles[i].reopened = true
            }
            for i in journalFiles.indices where journalFiles[i].export.month == f.month {
                journalFiles[i].reopened = true
            }
            reopenings.append(f)
        }
    }

    public var lastClosedMonth: YearMonth? { closedMonths.last?.month }
}

/// The orders of a fold, with what each import recorded of them, so that an undo can take it back.
/// An import's order facts come right before its `import.recorded`; the undone one is always the
/// latest not undone of its source (`importToUndo`), so its facts are the newest of their orders.
struct FoldedOrders {
    var records: [OrderKey: OrderRecord] = [:]
    /// The order facts since the last `import.recorded`: (key, first seen?).
    private var pending: [(key: OrderKey, seen: Bool)] = []
    /// Per source, the imports not undone, oldest first, each with its order facts.
    private var imports: [String: [[(key: OrderKey, seen: Bool)]]] = [:]

    mutating func seen(_ order: OrderDetails) {
        records[order.key] = OrderRecord(seen: order)
        pending.append((order.key, true))
    }

    mutating func changed(_ key: OrderKey, _ change: OrderStateChange) {
        guard records[key] != nil else { return }
        records[key]!.changes.append(change)
        pending.append((key, false))
    }

    mutating func recorded(source: String) {
        imports[source, default: []].append(pending)
        pending = []
    }

    mutating func undo(source: String) {
        guard let facts = imports[source]?.popLast() else { return }
        for fact in facts.reversed() {
            if fact.seen { records[fact.key] = nil } else { records[fact.key]?.changes.removeLast() }
        }
    }
}
