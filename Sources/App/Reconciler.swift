import LedgerCore
import LedgerStore
import OrderImport

/// Runs an import's `OrderReconciler` against the ledger: looks each order up and appends the
/// facts it decides (none in a dry run). Lives for one import, inside its transaction.
struct Reconciler {
    let ledger: Ledger
    let dryRun: Bool
    private let orders: ImportOrderLookup
    /// The decisions (ledger rules §3), with the counts, warnings and codes they gather.
    var rules: OrderReconciler
    /// The latest closed month, if any, and the facts of this import dated inside it or before:
    /// they land in the next close (the summary says so).
    let lastClosedMonth: YearMonth?
    private let closedEnd: Instant?
    private(set) var factsInClosedMonths = 0

    init(ledger: Ledger, source: String, asOf: Instant, importRef: String, dryRun: Bool) throws {
        self.ledger = ledger
        self.dryRun = dryRun
        rules = OrderReconciler(source: source, asOf: asOf, importRef: importRef)
        orders = try ledger.orderLookup(source: source)
        lastClosedMonth = try ledger.lastClosedMonth()
        closedEnd = lastClosedMonth.map { ledger.settings.zone.startOfMonth($0.next) }
    }

    /// Marks the order as seen in this file; the line of its earlier appearance if it was already.
    func claim(_ o: ImportedOrder) throws -> Int? {
        try orders.claim(orderId: o.orderId, line: o.line)
    }

    /// `extras`: the e-mail hash and code list worked out by the reading thread (nil: work them out here).
    /// `seenPayload`: the `order seen` payload the reading thread wrote (`OrderExtras.seenPayload`),
    /// used if the order is new.
    mutating func reconcile(
        _ o: ImportedOrder, _ extras: OrderExtras? = nil,
        seenPayload: ArraySlice<UInt8>? = nil
    ) throws {
        let extras = try extras ?? OrderExtras(o, hasher: ledger.emailHasher())
        // A source's first import: every order is new unless this file showed it already, which
        // `claim` catches, so no lookup is needed.
        let stored = orders.sourceWasEmpty ? nil : try orders.stored(orderId: o.orderId)
        let ledger = ledger, dryRun = dryRun, closedEnd = closedEnd
        var inClosedMonths = 0
        try rules.reconcile(o, emailHash: extras.emailHash, codesJSON: extras.codesJSON, stored: stored) { fact in
            if let closedEnd, fact.effectiveAt < closedEnd { inClosedMonths += 1 }
            guard !dryRun else { return }
            if case .orderSeen = fact { try ledger.append(fact, payload: seenPayload) } else { try ledger.append(fact) }
        }
        factsInClosedMonths += inClosedMonths
    }

    /// The one-read check (`OrderReconciler.probeUnchanged`), with the store comparing in place.
    /// `increasing`: the orders so far come in strict key order, up or down (`MonotoneIds`), so the
    /// store reads them by one scan (then call `endScan` before the read ends).
    mutating func probeUnchanged(
        _ o: ImportedOrder, _ extras: OrderExtras?, latestSoFar: Instant, increasing: Bool? = nil
    ) throws -> Bool {
        let known = extras.map { (emailHash: $0.emailHash, codesJSON: $0.codesJSON) }
        let hasher = try ledger.emailHasher()
        let storedAsOf =
            try increasing.map { try orders.storedAsOfIfUnchanged(o, known: known, hasher: hasher, increasing: $0) }
            ?? orders.storedAsOfIfUnchanged(o, known: known, hasher: hasher)
        return rules.probeUnchanged(
            o, storedAsOfIfUnchanged: storedAsOf.map(Instant.init(unixSeconds:)),
            latestSoFar: latestSoFar)
    }

    /// Ends the scan of `probeUnchanged(_:_:latestSoFar:increasing:)`, if any.
    func endScan() { orders.endScan() }

    /// The second half of the one-read check for a window of orders (`OrderReconciler.probeSeen`
    /// had the first as each was read): their rows looked up by key and read by rowid
    /// (`storedAsOfsIfUnchanged`), then settled in file order, as `probeUnchanged` would have.
    mutating func probeUnchanged(window: ProbeWindow) throws -> Bool {
        guard let asOfs = try orders.storedAsOfsIfUnchanged(window, hasher: ledger.emailHasher()) else { return false }
        for i in 0..<window.count {
            guard
                rules.probeSettle(
                    orderId: window.orderIds[i], storedAsOf: Instant(unixSeconds: asOfs[i]),
                    latestSoFar: window.latestSoFar[i])
            else { return false }
        }
        return true
    }

    /// The codes of this file that the ledger does not know and that no order it held before this
    /// import carried (`firstSeq`: the first fact of this import).
    func codesNeverSeen(firstSeq: Int64) throws -> [String] {
        try rules.codesNeverSeen(known: try ledger.knownCodes(among: rules.codes)) { candidates in
            try ledger.codesOnOrders(recordedBefore: firstSeq, among: candidates)
        }
    }
}
