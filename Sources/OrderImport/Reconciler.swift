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

/// An order as the `orders` projection holds it.
private struct StoredOrder {
    var state: OrderState
    var asOf: Instant
    var createdAt: Instant
    var currency: String
    var amounts: (Int64, Int64, Int64, Int64, Int64)  // subtotal, discount, shipping, taxes, total
    var codesJSON: String
    var referral: String?
    var emailHash: String?
    var test: Bool
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
    private let lookup: Statement
    private let claim: Statement
    private let claimedLine: Statement
    /// The ledger held no order of this source before the import (a first import): every order is
    /// new unless this file showed it already, which `claim` catches, so no lookup is needed.
    private let sourceWasEmpty: Bool

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
        let c = ledger.connection
        // Orders already claimed by this file: a temporary table, so that memory stays flat.
        try c.execute("CREATE TEMP TABLE IF NOT EXISTS import_order_ids (order_id TEXT PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID")
        try c.execute("DELETE FROM temp.import_order_ids")
        lookup = try c.prepared("""
            SELECT status, refunded_minor, cancelled_at, cancelled_offset, as_of, created_at, currency, subtotal_minor, discount_minor,
              shipping_minor, taxes_minor, total_minor, codes, referral, email_hash, test FROM orders WHERE source = ? AND order_id = ?
            """)
        sourceWasEmpty = try c.scalarInt("SELECT 1 FROM orders WHERE source = ? LIMIT 1", [.text(source)]) == nil
        claim = try c.prepared("INSERT OR IGNORE INTO temp.import_order_ids (order_id, line) VALUES (?, ?)")
        claimedLine = try c.prepared("SELECT line FROM temp.import_order_ids WHERE order_id = ?")
    }

    /// Marks the order as seen in this file; the line of its earlier appearance if it was already.
    func claim(_ o: ImportedOrder) throws -> Int? {
        claim.reset()
        try claim.bind(.text(o.orderId), at: 1)
        try claim.bind(.int(Int64(o.line)), at: 2)
        _ = try claim.step()
        if ledger.connection.changes > 0 { return nil }
        claimedLine.reset()
        try claimedLine.bind(.text(o.orderId), at: 1)
        return try claimedLine.step() ? Int(claimedLine.int(0)) : 0
    }

    /// `extras`: the e-mail hash and code list worked out by the reading thread (nil: work them out here).
    /// `seenPayload`: the `order seen` payload the reading thread wrote (`OrderExtras.seenPayload`),
    /// used if the order is new.
    mutating func reconcile(_ o: ImportedOrder, _ extras: OrderExtras? = nil, seenPayload: ArraySlice<UInt8>? = nil) throws {
        let extras = extras ?? OrderExtras(o, hasher: ledger.emailHasher)
        counts.orders += 1
        if o.test { counts.test += 1 } else { note(codes: o.codes) }
        let key = OrderKey(source: source, orderId: o.orderId)
        guard !sourceWasEmpty, let stored = try find(o.orderId) else {
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
        if o.currency.code != s.currency { differing.append("currency") }
        if o.subtotalMinor != s.amounts.0 { differing.append("subtotal") }
        if o.discountMinor != s.amounts.1 { differing.append("discount") }
        if o.shippingMinor != s.amounts.2 { differing.append("shipping") }
        if o.taxesMinor != s.amounts.3 { differing.append("taxes") }
        if o.totalMinor != s.amounts.4 { differing.append("total") }
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

    /// The stored as-of of `o` when the ledger holds it exactly as shown (same state, same
    /// first-export fields: what `find` + `compareFirstExport` would find equal), else nil. Compares
    /// in place, without building strings: a re-export of a million orders asks this a million times.
    private func storedAsOfIfSame(_ o: ImportedOrder, _ extras: OrderExtras?) throws -> Int64? {
        let st = lookup
        st.reset()
        try st.bind(.text(source), at: 1)
        try st.bind(.text(o.orderId), at: 2)
        guard try st.step() else { return nil }
        defer { st.reset() }
        func same(_ column: Int32, _ text: String?) -> Bool {
            guard let text else { return st.isNull(column) }
            return !st.isNull(column) && st.withBytes(column) { $0.elementsEqual(text.utf8) }
        }
        let s = o.state
        guard same(0, s.status.rawValue), st.int(1) == s.refundedMinor,
              st.optionalInt(2) == s.cancelledAt?.instant.unixSeconds,
              s.cancelledAt == nil || st.int(3) == Int64(s.cancelledAt!.offsetSeconds),
              st.int(5) == o.createdAt.instant.unixSeconds, same(6, o.currency.code),
              st.int(7) == o.subtotalMinor, st.int(8) == o.discountMinor, st.int(9) == o.shippingMinor,
              st.int(10) == o.taxesMinor, st.int(11) == o.totalMinor,
              same(12, extras?.codesJSON ?? OrderSeen.codesJSON(o.codes)), same(13, o.referral),
              (st.int(15) != 0) == o.test else { return nil }
        if let extras {
            guard same(14, extras.emailHash) else { return nil }
        } else {
            let matches = st.isNull(14) ? ledger.emailHasher.hash(o.email ?? "") == nil
                : st.withBytes(14) { ledger.emailHasher.matches(o.email, hex: $0) }
            guard matches else { return nil }
        }
        return st.int(4)
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

    private func find(_ orderId: String) throws -> StoredOrder? {
        let st = lookup
        st.reset()
        try st.bind(.text(source), at: 1)
        try st.bind(.text(orderId), at: 2)
        guard try st.step() else { return nil }
        guard let status = FinancialStatus(rawValue: st.text(0)) else {
            throw LedgerError.corrupt("order \(source):\(orderId) has an unknown status '\(st.text(0))' in the projection")
        }
        let cancelled = st.optionalInt(2).map { Timestamp(Instant(unixSeconds: $0), offsetSeconds: Int(st.optionalInt(3) ?? 0)) }
        let stored = StoredOrder(
            state: OrderState(status: status, refundedMinor: st.int(1), cancelledAt: cancelled), asOf: Instant(unixSeconds: st.int(4)),
            createdAt: Instant(unixSeconds: st.int(5)), currency: st.text(6), amounts: (st.int(7), st.int(8), st.int(9), st.int(10), st.int(11)),
            codesJSON: st.text(12), referral: st.optionalText(13), emailHash: st.optionalText(14), test: st.int(15) != 0)
        st.reset()
        return stored
    }

    /// The codes of this file that no creator or house declaration covers and that no order the
    /// ledger held before this import carried (`firstSeq`: the first fact of this import).
    func codesNeverSeen(firstSeq: Int64) throws -> [String] {
        let c = ledger.connection
        var candidates: Set<String> = []
        for code in codes {
            let assigned = try c.scalarInt("SELECT 1 FROM code_assignments WHERE code = ? LIMIT 1", [.text(code)]) != nil
            let house = try c.scalarInt("SELECT 1 FROM house_codes WHERE code = ? LIMIT 1", [.text(code)]) != nil
            if !assigned && !house { candidates.insert(code) }
        }
        guard !candidates.isEmpty else { return [] }
        let st = try c.prepared("SELECT codes FROM orders WHERE seen_seq < ? AND test = 0 AND codes <> '[]'")
        try st.bind(.int(firstSeq), at: 1)
        defer { st.reset() }
        while try st.step(), !candidates.isEmpty {  // bounded by the orders table
            guard case let .array(list)? = try? JSON.decode(st.text(0)) else { continue }
            for item in list { if let code = item.stringValue { candidates.remove(normalizeCode(code)) } }
        }
        return candidates.sorted()
    }
}
