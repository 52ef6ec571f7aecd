import LedgerCore
import LedgerStore

/// What one import did, by order (an order counts once among new / changed / unchanged / stale).
public struct ImportCounts: Equatable, Sendable {
    public var orders = 0            // valid orders in the file
    public var new = 0
    public var changed = 0
    public var unchanged = 0
    public var stale = 0             // shown by an export older than what the ledger knows: left as they are
    public var test = 0              // test orders (recorded, excluded from every figure)
    public var refunds = 0           // new or larger refunds recorded
    public var rejected = 0          // orders not imported (--skip-invalid)
    public var amountsDiffer = 0     // known orders whose first-export fields differ; the ledger keeps the first
    public var confirmed = 0         // unchanged orders whose as-of moved forward

    public init() {}

    var dictionary: [String: Int64] {
        ["orders": orders, "orders_new": new, "orders_changed": changed, "orders_unchanged": unchanged, "orders_stale": stale,
         "orders_test": test, "refunds": refunds, "orders_rejected": rejected, "orders_first_export_differs": amountsDiffer,
         "orders_confirmed": confirmed].mapValues(Int64.init)
    }
}

/// Compares each imported order with what the ledger knows and appends the facts of the difference
/// (ledger rules §3). Lives for one import, inside its transaction.
struct Reconciler {
    let ledger: Ledger
    let source: String
    /// Set after the one-read check (`probeUnchanged`), which runs before the as-of is known.
    var asOf: Instant
    var importRef: String
    let dryRun: Bool
    private let orders: ImportOrderLookup

    var counts = ImportCounts()
    var confirmedOrderIds: [String] = []
    var warnings: [String] = []
    var warningsOmitted = 0
    /// Distinct codes (normalized) on this file's non-test orders, for "codes never seen before".
    private(set) var codes: Set<String> = []
    private(set) var codesOverflow = false
    static let codesTrackedMax = 100_000
    static let warningsMax = 20

    init(ledger: Ledger, source: String, asOf: Instant, importRef: String, dryRun: Bool) throws {
        self.ledger = ledger
        self.source = source
        self.asOf = asOf
        self.importRef = importRef
        self.dryRun = dryRun
        orders = try ledger.orderLookup(source: source)
    }

    /// Marks the order as seen in this file; the line of its earlier appearance if it was already.
    func claim(_ o: ImportedOrder) throws -> Int? {
        try orders.claim(orderId: o.orderId, line: o.line)
    }

    /// `extras`: the e-mail hash and code list worked out by the reading thread (nil: work them out here).
    /// `seenPayload`: the `order seen` payload the reading thread wrote (`OrderExtras.seenPayload`),
    /// used if the order is new.
    mutating func reconcile(_ o: ImportedOrder, _ extras: OrderExtras? = nil, seenPayload: ArraySlice<UInt8>? = nil) throws {
        let extras = extras ?? OrderExtras(o, hasher: ledger.emailHasher)
        counts.orders += 1
        if o.test { counts.test += 1 } else { note(codes: o.codes) }
        let key = OrderKey(source: source, orderId: o.orderId)
        guard !orders.sourceWasEmpty, let stored = try orders.stored(orderId: o.orderId) else {
            try recordNew(o, key, extras, seenPayload)
            return
        }
        if asOf < stored.asOf {
            counts.stale += 1
            return
        }
        compareFirstExport(o, extras, stored)
        var current = try applyRefunds(o, key, from: stored.state)
        if current != o.state {
            if o.refunds.isEmpty && o.state.refundedMinor > current.refundedMinor { counts.refunds += 1 }
            try change(key, from: current, to: o.state, at: asOf)
            current = o.state
        }
        if current != stored.state {
            counts.changed += 1
        } else {
            counts.unchanged += 1
            if asOf > stored.asOf {
                counts.confirmed += 1
                confirmedOrderIds.append(o.orderId)
            }
        }
    }

    private mutating func recordNew(_ o: ImportedOrder, _ key: OrderKey, _ extras: OrderExtras, _ seenPayload: ArraySlice<UInt8>?) throws {
        counts.new += 1
        let initial = o.stateBeforeRefunds ?? o.state
        let seen = SeenContext(source: source, asOf: asOf, importRef: importRef).seen(o, emailHash: extras.emailHash)
        if !dryRun { try ledger.append(.orderSeen(seen), payload: seenPayload) }
        if o.refunds.isEmpty && initial.refundedMinor > 0 { counts.refunds += 1 }
        let current = try applyRefunds(o, key, from: initial)
        try change(key, from: current, to: o.state, at: asOf)
    }

    /// WooCommerce's dated refunds the ledger does not know yet, each an `order changed` effective
    /// at its own date, with the cumulative refunded amount.
    private mutating func applyRefunds(_ o: ImportedOrder, _ key: OrderKey, from start: OrderState) throws -> OrderState {
        var current = start
        var cumulative: Int64 = 0
        for refund in o.refunds {
            cumulative += refund.amountMinor
            guard cumulative > current.refundedMinor else { continue }
            let status: FinancialStatus = cumulative >= o.totalMinor ? .refunded : .partiallyRefunded
            let next = OrderState(status: status, refundedMinor: cumulative, cancelledAt: current.cancelledAt)
            try change(key, from: current, to: next, at: refund.at.instant)
            counts.refunds += 1
            current = next
        }
        return current
    }

    private func change(_ key: OrderKey, from: OrderState, to: OrderState, at effectiveAt: Instant) throws {
        guard let fact = OrderChanged(key: key, from: from, to: to, effectiveAt: effectiveAt, asOf: asOf, importRef: importRef) else { return }
        if !dryRun { try ledger.append(.orderChanged(fact)) }
    }

    /// Amounts, creation time, codes and the like never change after the first export; a later
    /// export that shows them differently is reported, and the ledger keeps the first.
    private mutating func compareFirstExport(_ o: ImportedOrder, _ extras: OrderExtras, _ s: StoredOrder) {
        let differing = firstExportDifferences(o, extras, s)
        guard !differing.isEmpty else { return }
        counts.amountsDiffer += 1
        let verb = differing.count == 1 ? "differs" : "differ"
        warn("order \(o.orderId)\(o.name.map { " (\($0))" } ?? ""): \(differing.joined(separator: ", ")) \(verb) from the first export; the ledger keeps the first")
    }

    private func firstExportDifferences(_ o: ImportedOrder, _ extras: OrderExtras, _ s: StoredOrder) -> [String] {
        var differing: [String] = []
        if o.createdAt.instant != s.createdAt { differing.append("created at") }
        if o.currency.code != s.currencyCode { differing.append("currency") }
        if o.subtotalMinor != s.subtotalMinor { differing.append("subtotal") }
        if o.discountMinor != s.discountMinor { differing.append("discount") }
        if o.shippingMinor != s.shippingMinor { differing.append("shipping") }
        if o.taxesMinor != s.taxesMinor { differing.append("taxes") }
        if o.totalMinor != s.totalMinor { differing.append("total") }
        if extras.codesJSON != s.codesJSON { differing.append("codes") }
        if o.referral != s.referral { differing.append("referral") }
        if extras.emailHash != s.emailHash { differing.append("e-mail") }
        if o.test != s.test { differing.append("test flag") }
        return differing
    }

    // MARK: The one-read check of a re-export

    /// Orders found unchanged by `probeUnchanged` whose stored as-of is already below the file's
    /// latest timestamp: whatever the as-of turns out to be, they are confirmed.
    private var probeConfirmed: [String] = []
    /// The other unchanged orders, counted by their stored as-of: stale, unchanged or confirmed
    /// once the as-of is known.
    private var probeUndecided: [Instant: Int] = [:]

    /// Whether `o` is known and shown exactly as the ledger holds it, so that it needs no fact
    /// whatever the file's as-of (`latestSoFar`: the latest timestamp of the file up to and
    /// including `o`, a lower bound of the as-of). Such an order is counted at once; any other
    /// answer sends the import the usual way, and this reconciler is dropped.
    mutating func probeUnchanged(_ o: ImportedOrder, _ extras: OrderExtras?, latestSoFar: Instant) throws -> Bool {
        guard let seconds = try storedAsOfIfSame(o, extras) else { return false }
        // Dated refunds (WooCommerce) need no fact while none takes the refunded total past the
        // stored one, which equals the file's (`applyRefunds`).
        var cumulative: Int64 = 0
        for refund in o.refunds {
            cumulative += refund.amountMinor
            if cumulative > o.state.refundedMinor { return false }
        }
        let storedAsOf = Instant(unixSeconds: seconds)
        if storedAsOf >= latestSoFar && probeUndecided[storedAsOf] == nil && probeUndecided.count >= 1_000 { return false }
        counts.orders += 1
        if o.test { counts.test += 1 } else { note(codes: o.codes) }
        if storedAsOf < latestSoFar {
            probeConfirmed.append(o.orderId)
        } else {
            probeUndecided[storedAsOf, default: 0] += 1
        }
        return true
    }

    /// The stored as-of of `o` when the ledger holds it exactly as shown (the store compares in place).
    private func storedAsOfIfSame(_ o: ImportedOrder, _ extras: OrderExtras?) throws -> Int64? {
        let known = extras.map { (emailHash: $0.emailHash, codesJSON: $0.codesJSON) }
        return try orders.storedAsOfIfUnchanged(o, known: known, hasher: ledger.emailHasher)
    }

    /// Settles the counts of the probed orders now that the as-of is known; false when some of
    /// them turn out confirmed without their ids at hand (then the import goes the usual way).
    mutating func finishProbe(asOf: Instant, importRef: String) -> Bool {
        if probeUndecided.keys.contains(where: { $0 < asOf }) { return false }
        self.asOf = asOf
        self.importRef = importRef
        for (storedAsOf, n) in probeUndecided {
            if storedAsOf > asOf { counts.stale += n } else { counts.unchanged += n }
        }
        counts.unchanged += probeConfirmed.count
        counts.confirmed = probeConfirmed.count
        confirmedOrderIds = probeConfirmed
        return true
    }

    mutating func warn(_ message: String) {
        if warnings.count < Self.warningsMax { warnings.append(message) } else { warningsOmitted += 1 }
    }

    private mutating func note(codes list: [String]) {
        for code in list {
            if codes.count >= Self.codesTrackedMax { codesOverflow = true; return }
            codes.insert(normalizeCode(code))
        }
    }

    /// The codes of this file that no creator or house declaration covers and that no order the
    /// ledger held before this import carried (`firstSeq`: the first fact of this import).
    func codesNeverSeen(firstSeq: Int64) throws -> [String] {
        let known = try ledger.knownCodes(among: codes)
        let candidates = codes.filter { !known.contains($0) }
        guard !candidates.isEmpty else { return [] }
        return candidates.subtracting(try ledger.codesOnOrders(recordedBefore: firstSeq, among: candidates)).sorted()
    }
}
