// Section 3 of the ledger rules: an order of an export against what the ledger holds of it.

/// An order as the ledger holds it (the `orders` projection): what a later export is compared with.
public struct StoredOrder: Equatable, Sendable {
    public var state: OrderState
    /// The as-of of the newest export that showed the order.
    public var asOf: Instant
    public var createdAt: Instant
    public var currencyCode: String
    public var subtotalMinor: Int64
    public var discountMinor: Int64
    public var shippingMinor: Int64
    public var taxesMinor: Int64
    public var totalMinor: Int64
    /// As `OrderSeen.codesJSON` writes them.
    public var codesJSON: String
    public var referral: String?
    public var emailHash: String?
    public var test: Bool

    public init(
        state: OrderState, asOf: Instant, createdAt: Instant, currencyCode: String, subtotalMinor: Int64,
        discountMinor: Int64, shippingMinor: Int64, taxesMinor: Int64, totalMinor: Int64, codesJSON: String,
        referral: String?, emailHash: String?, test: Bool
    ) {
        self.state = state; self.asOf = asOf; self.createdAt = createdAt; self.currencyCode = currencyCode
        self.subtotalMinor = subtotalMinor; self.discountMinor = discountMinor; self.shippingMinor = shippingMinor
        self.taxesMinor = taxesMinor; self.totalMinor = totalMinor; self.codesJSON = codesJSON; self.referral = referral
        self.emailHash = emailHash; self.test = test
    }
}

/// What one import did, by order (an order counts once among new / changed / unchanged / stale).
public struct ImportCounts: Equatable, Sendable {
    public var orders = 0  // valid orders in the file
    public var new = 0
    public var changed = 0
    public var unchanged = 0
    public var stale = 0  // shown by an export older than what the ledger knows: not rolled back
    public var staleNews = 0  // stale orders whose larger refund or new cancellation was recorded
    public var test = 0  // test orders (recorded, excluded from every figure)
    public var refunds = 0  // new or larger refunds recorded
    public var rejected = 0  // orders not imported (--skip-invalid)
    public var amountsDiffer = 0  // known orders whose first-export fields differ; the ledger keeps the first
    public var confirmed = 0  // unchanged orders whose as-of moved forward

    public init() {}

    /// The counts as `import recorded` keeps them.
    var dictionary: [String: Int64] {
        [
            "orders": orders, "orders_new": new, "orders_changed": changed, "orders_unchanged": unchanged,
            "orders_stale": stale, "orders_stale_news": staleNews, "orders_test": test, "refunds": refunds,
            "orders_rejected": rejected,
            "orders_first_export_differs": amountsDiffer, "orders_confirmed": confirmed
        ].mapValues(Int64.init)
    }
}

/// What an `order seen` fact takes besides the order: one function builds it, on either thread of
/// an import (the reading thread writes the payloads of a source's first import ahead).
public struct SeenContext: Sendable {
    public var source: String
    public var asOf: Instant
    public var importRef: String

    public init(source: String, asOf: Instant, importRef: String) {
        self.source = source; self.asOf = asOf; self.importRef = importRef
    }

    /// The fact recording `o` as first seen (its state before any dated refunds).
    public func seen(_ o: ImportedOrder, emailHash: String?) -> OrderSeen {
        OrderSeen(
            key: OrderKey(source: source, orderId: o.orderId), name: o.name, createdAt: o.createdAt,
            currency: o.currency, subtotalMinor: o.subtotalMinor, discountMinor: o.discountMinor,
            shippingMinor: o.shippingMinor, taxesMinor: o.taxesMinor, totalMinor: o.totalMinor, codes: o.codes,
            referral: o.referral, emailHash: emailHash, state: o.stateBeforeRefunds ?? o.state, test: o.test,
            asOf: asOf, importRef: importRef)
    }
}

/// Compares each order of one export with what the ledger holds of it and decides the facts of the
/// difference (ledger rules §3): new orders are seen, changed ones changed, older exports leave an
/// order as it is (stale), and fields that never change are kept from the first export (a warning
/// says when a later export shows them differently). Pure: the caller looks the stored orders up
/// and appends what `reconcile` hands to `append`. One per import.
public struct OrderReconciler: Sendable {
    public let source: String
    /// Set after the one-read check (`probeUnchanged`), which runs before the as-of is known.
    public private(set) var asOf: Instant
    public private(set) var importRef: String

    public var counts = ImportCounts()
    public private(set) var confirmedOrderIds: [String] = []
    public private(set) var warnings: [String] = []
    public private(set) var warningsOmitted = 0
    /// Orders this file shows with a smaller refund or without the cancellation the ledger holds,
    /// recorded as shown (rules §3: a newer snapshot's changes), which an older export re-imported
    /// at a later --as-of does: how many, and the first few for the warning.
    public private(set) var takenBack = 0
    public private(set) var takenBackExamples: [TakenBack] = []
    static let takenBackShown = 5
    /// Distinct codes (normalized) on this file's non-test orders, for "codes never seen before".
    public private(set) var codes: Set<String> = []
    public private(set) var codesOverflow = false
    static let codesTrackedMax = 100_000
    static let warningsMax = 20

    public init(source: String, asOf: Instant, importRef: String) {
        self.source = source
        self.asOf = asOf
        self.importRef = importRef
    }

    /// One order of the file: `emailHash` and `codesJSON` are its e-mail hash and code list (as the
    /// projection stores them), `stored` the ledger's order of the same id (nil: none). Hands the
    /// facts of the difference to `append`, in the order they are to be appended.
    public mutating func reconcile(
        _ o: ImportedOrder, emailHash: String?, codesJSON: String, stored: StoredOrder?,
        append: (Fact) throws -> Void
    ) rethrows {
        counts.orders += 1
        if o.test { counts.test += 1 } else { note(codes: o.codes) }
        let key = OrderKey(source: source, orderId: o.orderId)
        guard let stored else {
            try recordNew(o, key, emailHash, append)
            return
        }
        if asOf < stored.asOf {
            counts.stale += 1
            try recordStaleNews(o, key, stored, append)
            return
        }
        compareFirstExport(o, emailHash, codesJSON, stored)
        var current = try applyRefunds(o, key, from: stored.state, append)
        if o.state.refundedMinor < current.refundedMinor || (current.cancelledAt != nil && o.state.cancelledAt == nil) {
            takenBack += 1
            if takenBackExamples.count < Self.takenBackShown {
                takenBackExamples.append(
                    TakenBack(
                        orderId: o.orderId, name: o.name, currency: o.currency,
                        from: current, to: o.state))
            }
        }
        if current != o.state {
            if o.refunds.isEmpty && o.state.refundedMinor > current.refundedMinor { counts.refunds += 1 }
            try change(key, from: current, to: o.state, at: asOf, append)
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

    private mutating func recordNew(
        _ o: ImportedOrder, _ key: OrderKey, _ emailHash: String?,
        _ append: (Fact) throws -> Void
    ) rethrows {
        counts.new += 1
        let initial = o.stateBeforeRefunds ?? o.state
        let seen = SeenContext(source: source, asOf: asOf, importRef: importRef).seen(o, emailHash: emailHash)
        try append(.orderSeen(seen))
        if o.refunds.isEmpty && initial.refundedMinor > 0 { counts.refunds += 1 }
        let current = try applyRefunds(o, key, from: initial, append)
        try change(key, from: current, to: o.state, at: asOf, append)
    }

    /// An export older than the ledger's view of the order never rolls it back, but refunds only grow
    /// and a cancellation is final: a larger refunded amount or a cancellation the ledger lacks is
    /// recorded as this export shows it, effective at the newest as-of the ledger had for the order
    /// (rules §3). Status and refund come from this export only when its refund is at least the
    /// ledger's (a smaller one is the older picture); a cancellation the ledger has is never lifted.
    private mutating func recordStaleNews(
        _ o: ImportedOrder, _ key: OrderKey, _ stored: StoredOrder,
        _ append: (Fact) throws -> Void
    ) rethrows {
        let now = stored.state
        let largerRefund = o.state.refundedMinor > now.refundedMinor
        let newCancellation = now.cancelledAt == nil && o.state.cancelledAt != nil
        guard largerRefund || newCancellation else { return }
        var next = now
        if o.state.refundedMinor >= now.refundedMinor {
            next.refundedMinor = o.state.refundedMinor
            next.status = o.state.status
        }
        if newCancellation { next.cancelledAt = o.state.cancelledAt }
        guard next != now else { return }
        counts.staleNews += 1
        if largerRefund { counts.refunds += 1 }
        try change(key, from: now, to: next, at: stored.asOf, append)
    }

    /// WooCommerce's dated refunds the ledger does not know yet, each an `order changed` effective
    /// at its own date, with the cumulative refunded amount.
    private mutating func applyRefunds(
        _ o: ImportedOrder, _ key: OrderKey, from start: OrderState,
        _ append: (Fact) throws -> Void
    ) rethrows -> OrderState {
        var current = start
        var cumulative: Int64 = 0
        for refund in o.refunds {
            cumulative += refund.amountMinor
            guard cumulative > current.refundedMinor else { continue }
            let status: FinancialStatus = cumulative >= o.totalMinor ? .refunded : .partiallyRefunded
            let next = OrderState(status: status, refundedMinor: cumulative, cancelledAt: current.cancelledAt)
            try change(key, from: current, to: next, at: refund.at.instant, append)
            counts.refunds += 1
            current = next
        }
        return current
    }

    private func change(
        _ key: OrderKey, from: OrderState, to: OrderState, at effectiveAt: Instant,
        _ append: (Fact) throws -> Void
    ) rethrows {
        guard
            let fact = OrderChanged(
                key: key, from: from, to: to, effectiveAt: effectiveAt, asOf: asOf,
                importRef: importRef)
        else { return }
        try append(.orderChanged(fact))
    }

    /// Amounts, creation time, codes and the like never change after the first export; a later
    /// export that shows them differently is reported, and the ledger keeps the first.
    private mutating func compareFirstExport(
        _ o: ImportedOrder, _ emailHash: String?, _ codesJSON: String,
        _ s: StoredOrder
    ) {
        let differing = firstExportDifferences(o, emailHash, codesJSON, s)
        guard !differing.isEmpty else { return }
        counts.amountsDiffer += 1
        let verb = differing.count == 1 ? "differs" : "differ"
        let name = o.name.map { " (\($0))" } ?? ""
        warn(
            "order \(o.orderId)\(name): \(differing.joined(separator: ", ")) \(verb) from the first export; "
                + "the ledger keeps the first")
    }

    private func firstExportDifferences(
        _ o: ImportedOrder, _ emailHash: String?, _ codesJSON: String,
        _ s: StoredOrder
    ) -> [String] {
        var differing: [String] = []
        if o.createdAt.instant != s.createdAt { differing.append("created at") }
        if o.currency.code != s.currencyCode { differing.append("currency") }
        if o.subtotalMinor != s.subtotalMinor { differing.append("subtotal") }
        if o.discountMinor != s.discountMinor { differing.append("discount") }
        if o.shippingMinor != s.shippingMinor { differing.append("shipping") }
        if o.taxesMinor != s.taxesMinor { differing.append("taxes") }
        if o.totalMinor != s.totalMinor { differing.append("total") }
        if codesJSON != s.codesJSON { differing.append("codes") }
        if o.referral != s.referral { differing.append("referral") }
        if emailHash != s.emailHash { differing.append("e-mail") }
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

    /// Whether `o` needs no fact whatever the file's as-of: `storedAsOfIfUnchanged` is the stored
    /// as-of when the ledger holds `o` exactly as shown (nil otherwise), `latestSoFar` the latest
    /// timestamp of the file up to and including `o` (a lower bound of the as-of). Such an order is
    /// counted at once; any other answer sends the import the usual way, and this reconciler is dropped.
    public mutating func probeUnchanged(
        _ o: ImportedOrder, storedAsOfIfUnchanged: Instant?,
        latestSoFar: Instant
    ) -> Bool {
        guard let storedAsOf = storedAsOfIfUnchanged, probeNeedsNoRefund(o),
            probeSettle(orderId: o.orderId, storedAsOf: storedAsOf, latestSoFar: latestSoFar)
        else { return false }
        probeCount(o)
        return true
    }

    /// `probeUnchanged` in two halves, for orders whose stored rows are looked up a window at a time
    /// (`probeSeen` as each is read, `probeSettle` in the same order once its window is looked up):
    /// the same answers, counts and confirmed ids, in the same order, as long as a false from either
    /// drops this reconciler as one from `probeUnchanged` does.
    public mutating func probeSeen(_ o: ImportedOrder) -> Bool {
        guard probeNeedsNoRefund(o) else { return false }
        probeCount(o)
        return true
    }

    /// The second half of `probeUnchanged` (see `probeSeen`): `storedAsOf` is the stored as-of of an
    /// order the ledger holds exactly as shown.
    public mutating func probeSettle(orderId: String, storedAsOf: Instant, latestSoFar: Instant) -> Bool {
        let undecidedMax = 1_000
        if storedAsOf >= latestSoFar && probeUndecided[storedAsOf] == nil && probeUndecided.count >= undecidedMax {
            return false
        }
        if storedAsOf < latestSoFar {
            probeConfirmed.append(orderId)
        } else {
            probeUndecided[storedAsOf, default: 0] += 1
        }
        return true
    }

    /// Dated refunds (WooCommerce) need no fact while none takes the refunded total past the
    /// stored one, which equals the file's (`applyRefunds`).
    private func probeNeedsNoRefund(_ o: ImportedOrder) -> Bool {
        var cumulative: Int64 = 0
        for refund in o.refunds {
            cumulative += refund.amountMinor
            if cumulative > o.state.refundedMinor { return false }
        }
        return true
    }

    private mutating func probeCount(_ o: ImportedOrder) {
        counts.orders += 1
        if o.test { counts.test += 1 } else { note(codes: o.codes) }
    }

    /// Settles the counts of the probed orders now that the as-of is known; false when some of
    /// them turn out confirmed without their ids at hand (then the import goes the usual way).
    public mutating func finishProbe(asOf: Instant, importRef: String) -> Bool {
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

    // MARK: Codes and the import's own fact

    /// The codes of this file that the ledger does not know (`known`) and that no order it held
    /// before this import carried (`carriedBefore`: which of the given codes such an order carried).
    public func codesNeverSeen(
        known: KnownCodes,
        carriedBefore: (Set<String>) throws -> Set<String>
    ) rethrows -> [String] {
        let candidates = codes.filter { !known.contains($0) }
        guard !candidates.isEmpty else { return [] }
        return candidates.subtracting(try carriedBefore(candidates)).sorted()
    }

    /// The import's own fact, with its counts, appended last in its transaction.
    public func importRecorded(fileName: String, sha256: String, codesNeverSeen: Int) -> ImportRecorded {
        var counts = counts.dictionary
        counts["codes_never_seen"] = Int64(codesNeverSeen)
        return ImportRecorded(
            source: source, fileName: fileName, sha256: sha256, asOf: asOf, counts: counts,
            confirmedOrderIds: confirmedOrderIds)
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
}

/// An order an import records with a smaller refund or without a cancellation the ledger holds.
public struct TakenBack: Equatable, Sendable {
    public var orderId: String
    public var name: String?
    public var currency: Currency
    public var from: OrderState
    public var to: OrderState
}
