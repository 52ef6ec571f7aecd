import LedgerCore
import LedgerStore
import OrderImport

/// What to import and how (the options of `tally import shopify|woocommerce|orders`).
public struct OrderImportRequest: Sendable {
    public var dialect: OrderDialectKind
    public var path: String
    /// The source part of each order's identity (default: the dialect's name).
    public var source: String
    /// The as-of of the export; nil: the latest timestamp found in the file.
    public var asOf: Instant?
    public var dryRun: Bool
    /// `--skip-invalid`: where to write the orders that cannot be imported.
    public var rejectsPath: String?
    /// `--force`: `rejectsPath` may replace a file that is not a rejects file tally wrote.
    public var replaceRejects = false
    /// The zone of timestamps without an offset (WooCommerce); nil: the ledger's zone.
    public var siteZone: Zone?
    /// Whether a re-export may take the one-read way (`OrderImporter.oneRead`); tests turn it off
    /// to compare with the two-pass way.
    var oneRead = true

    public init(
        dialect: OrderDialectKind, path: String, source: String? = nil, asOf: Instant? = nil, dryRun: Bool = false,
        rejectsPath: String? = nil, siteZone: Zone? = nil
    ) {
        self.dialect = dialect; self.path = path; self.source = source ?? dialect.rawValue; self.asOf = asOf
        self.dryRun = dryRun; self.rejectsPath = rejectsPath; self.siteZone = siteZone
    }
}

/// Orders a Shopify or WooCommerce file shares with another source of the ledger (see
/// `OrderImportSummary.sameOrdersElsewhere`).
public struct SameOrdersElsewhere: Sendable, Equatable {
    public var count: Int
    public var source: String
    public var first: String
    /// What matched: `id, name and time` (shop exports) or `id, time, currency and total` (canonical).
    public var matched: String
}

/// What an import did (or, in a dry run, would do).
public struct OrderImportSummary: Sendable {
    public var file: String
    public var source: String
    public var sha256: String
    /// Set when the file's SHA-256 was imported before: nothing else happened.
    public var previous: PreviousImport?
    public var asOf: Instant?
    public var asOfFromFile = false
    /// The as-of is the clock: no valid time was found in the file.
    public var asOfFromClock = false
    public var counts = ImportCounts()
    public var codesNeverSeen: [String] = []
    public var warnings: [String] = []
    public var warningsOmitted = 0
    /// Orders recorded with a smaller refund or without a cancellation the ledger held: how many, the first few.
    public var takenBack = 0
    public var takenBackExamples: [TakenBack] = []
    /// Orders of this file that another source already holds with the same id, name and creation
    /// time (the same shop imported under two sources counts them twice): how many, where, the first.
    public var sameOrdersElsewhere: SameOrdersElsewhere?
    /// The first reasons of the rejected orders (all of them are in the rejects file).
    public var rejectReasons: [String] = []
    public var rejectsPath: String?
    public var dryRun = false
    /// The file was read once (a re-export that changed nothing; `OrderImporter.oneRead`).
    var readOnce = false
    /// The new orders and changes dated inside closed months (through `lastClosedMonth`): they land
    /// in the close of the month after it. Nil when there are none.
    public var datedInClosedMonths: (facts: Int, lastClosedMonth: YearMonth)?
}

/// The order import pipeline: SHA-256 check, the as-of, then one transaction that reconciles every
/// order of the file with the ledger and records the import (ledger rules §3).
public enum OrderImporter {
    public static func run(_ request: OrderImportRequest, ledger: Ledger, progress: ImportProgress? = nil) throws
        -> OrderImportSummary
    {
        // Orders carry their customers' e-mails, hashed with the key's salt: without the key, say
        // so before reading anything.
        _ = try ledger.emailHasher()
        let file = request.path
        let size = fileSize(request.path)
        let latest = latestPlausibleTime(now: ledger.clock.now())
        let options = DialectOptions(
            localZone: request.siteZone ?? ledger.settings.zone, captureRows: false,
            latestTime: latest)
        if let asOf = request.asOf, asOf > latest {
            throw UserError(
                "--as-of \(ledger.settings.zone.timestamp(asOf)): expected "
                    + futureTimeExpectation(latest: latest, zone: ledger.settings.zone))
        }
        // Without --as-of and --skip-invalid (the as-of comes from the file, and every order must
        // be valid), a re-export of known orders first tries the one-read way, and a Shopify file
        // is hashed while `quickScan` finds its latest timestamp; otherwise the file is hashed first.
        let fromFile = request.asOf == nil && request.rejectsPath == nil
        let quick = fromFile && OrderFiles.hasQuickScan(request.dialect)
        var fileLatest: Instant?
        let sha: String
        var repeats = RepeatedIds.unknown
        // The SHA-256 on the other core while this one reads: both read the same cached file.
        var hashing: BackgroundFileSHA256?
        if fromFile && request.oneRead, try ledger.hasOrders(source: request.source) {
            let background = BackgroundFileSHA256(path: request.path, file: file)
            hashing = background
            if let done = try oneRead(request, ledger, options, background, progress) { return done }
        }
        if quick {
            let background = hashing ?? BackgroundFileSHA256(path: request.path, file: file)
            let scan = try OrderFiles.quickScan(
                request.dialect, path: request.path, options: options,
                progress: progress)
            (sha, fileLatest, repeats) = (try background.wait(), scan.latest, scan.repeats)
        } else if let hashing {
            sha = try hashing.wait()
        } else {
            sha = try fileSHA256(path: request.path, file: file) { done in progress?(.hashing, done, size) }
        }
        var summary = OrderImportSummary(file: file, source: request.source, sha256: sha)
        summary.dryRun = request.dryRun
        if let previous = try ledger.previousImport(sha256: sha, asOf: request.asOf) {
            summary.previous = previous
            return summary
        }
        if let asOf = request.asOf {
            summary.asOf = asOf
        } else {
            if !quick {
                let scan = try OrderFiles.latestTimestamp(
                    request.dialect, path: request.path, options: options,
                    skipInvalid: request.rejectsPath != nil, progress: progress)
                (fileLatest, repeats) = (scan.latest, scan.repeats)
            }
            summary.asOf = fileLatest ?? ledger.clock.now()
            summary.asOfFromFile = true
            summary.asOfFromClock = fileLatest == nil
        }
        try reconcile(request, ledger, options, repeats: repeats, &summary, progress)
        return summary
    }

    /// A new export of orders the ledger knows, read once. Most re-exports change nothing: every
    /// order known, in the state the ledger holds. Such a file needs no fact but `import recorded`,
    /// and its as-of only sorts its orders into unchanged, confirmed and stale, which can wait for
    /// the end of the file. So each order is looked up as it is read, in one read transaction (no
    /// lock that would keep other commands waiting); at the first one that would need a fact (new,
    /// changed, refunded, shown differently, invalid) this stops and returns nil,
    /// and the import goes the usual two-pass way from the start of the file, having lost only the
    /// part read so far (Shopify lists the newest orders first, so a file with new orders stops at
    /// once). Also nil when an id may appear twice in the file (`OrderIdCensus`, at the end: the
    /// usual way refuses a repeat), when orders whose ids it did not keep turn out confirmed, or when
    /// anything was appended to the ledger between the read and the write. A file imported before is
    /// recognized as soon as its SHA-256 is known, without the write lock. Otherwise it records the
    /// import and returns its summary: the same facts and counts the two-pass way would have written.
    private static func oneRead(
        _ request: OrderImportRequest, _ ledger: Ledger, _ options: DialectOptions,
        _ hashing: BackgroundFileSHA256,
        _ progress: ImportProgress?
    ) throws -> OrderImportSummary? {
        // E-mail hashes on this thread, not the reading one: measured faster (the reader is busier here).
        let orders = OrderPipe(request.dialect, path: request.path, options: options, hasher: nil)
        defer { orders.stop() }
        let file = try orders.waitForStart()
        var rec = try Reconciler(
            ledger: ledger, source: request.source, asOf: Instant(unixSeconds: 0), importRef: "", dryRun: request.dryRun
        )
        var latest: Instant?
        var previous: PreviousImport?
        let census = OrderIdCensus()
        // What the read saw: the last fact then (every change to a ledger appends one).
        let readAt: Int64? = try ledger.read { () throws -> Int64? in
            defer { rec.endScan() }  // a scan under way would keep the read transaction open
            let seq = try ledger.latestSeq()
            var units = 0
            var hashChecked = false
            // The orders are looked up a window at a time, by key (`Reconciler.probeUnchanged(window:)`);
            // the window starts small and doubles, so that a file with new orders at its start still
            // stops after a few of them.
            var window = ProbeWindow()
            var sortedIds = MonotoneIds()
            let windowMax = ledger.testSettings.orderWindow ?? probeWindow
            var windowSize = min(64, windowMax)
            while let (unit, extras) = try orders.next() {  // bounded by the file
                units += 1
                if units & 1023 == 0 {
                    progress?(.scanning, orders.bytesConsumed, file.totalBytes)
                    if !hashChecked && hashing.isDone {
                        hashChecked = true
                        previous = try ledger.previousImport(sha256: try hashing.wait())
                        if previous != nil { return seq }
                    }
                }
                guard case let .order(o, _) = unit else { return nil }
                latest = max(latest ?? o.latestAt, o.latestAt)
                census.add(o.orderId)
                if sortedIds.strict {
                    // Ids in key order so far: read by one scan of the key index in that order.
                    sortedIds.add(o.orderId)
                    if sortedIds.strict {
                        guard
                            try rec.probeUnchanged(o, extras, latestSoFar: latest!, increasing: sortedIds.increasing)
                        else { return nil }
                        continue
                    }
                    rec.endScan()
                }
                guard rec.rules.probeSeen(o) else { return nil }
                window.append(o, known: extras.map { ($0.emailHash, $0.codesJSON) }, latestSoFar: latest!)
                if window.count >= windowSize {
                    guard try rec.probeUnchanged(window: window) else { return nil }
                    window.removeAll()
                    windowSize = min(windowSize * 2, windowMax)
                }
            }
            guard try rec.probeUnchanged(window: window) else { return nil }
            return seq
        }
        guard let readAt else { return nil }
        // An id shown twice (or two ids of one hash): the usual way decides, with the exact check.
        guard previous != nil || census.finish() == .none else { return nil }
        let sha = try hashing.wait()
        var summary = OrderImportSummary(file: request.path, source: request.source, sha256: sha)
        summary.dryRun = request.dryRun
        if let previous = try previous ?? ledger.previousImport(sha256: sha) {
            summary.previous = previous
            return summary
        }
        let asOf = latest ?? ledger.clock.now()
        guard rec.rules.finishProbe(asOf: asOf, importRef: sha) else { return nil }
        (summary.asOf, summary.asOfFromFile, summary.readOnce) = (asOf, true, true)
        let write = { [summary, rec] () throws -> OrderImportSummary? in
            try ledger.write { ledger throws -> OrderImportSummary? in
                let firstSeq = ledger.lastSeq + 1
                guard firstSeq == readAt + 1 else { return nil }  // the ledger changed since the read: the usual way
                var rec = rec, summary = summary
                try record(&rec, &summary, firstSeq: firstSeq, request, ledger)
                return summary
            }
        }
        // Confirmed orders each get their as-of moved forward: a big file may update as many rows.
        let bigFile =
            (file.totalBytes ?? 0) >= rollbackJournalBytesMin(ledger) && !request.dryRun
            && !rec.rules.confirmedOrderIds.isEmpty
        let recorded = bigFile ? try ledger.withRollbackJournal(write) : try write()
        if recorded != nil { progress?(.importing, orders.bytesConsumed, file.totalBytes) }
        return recorded
    }

    /// The most orders the one-read check holds at a time (`ProbeWindow`: some 150 bytes each).
    static let probeWindow = 65_536

    /// The import's own fact, with its counts, last in its transaction; the summary's counts and warnings.
    private static func record(
        _ rec: inout Reconciler, _ summary: inout OrderImportSummary, firstSeq: Int64, _ request: OrderImportRequest,
        _ ledger: Ledger
    ) throws {
        let newCodes = try rec.codesNeverSeen(firstSeq: firstSeq)
        if !request.dryRun {
            let fact = rec.rules.importRecorded(
                fileName: baseName(request.path), sha256: summary.sha256,
                codesNeverSeen: newCodes.count)
            try ledger.append(.importRecorded(fact))
        }
        if let closed = rec.lastClosedMonth, rec.factsInClosedMonths > 0 {
            summary.datedInClosedMonths = (rec.factsInClosedMonths, closed)
        }
        summary.counts = rec.rules.counts
        summary.codesNeverSeen = newCodes
        summary.warnings = rec.rules.warnings
        summary.warningsOmitted = rec.rules.warningsOmitted
        summary.takenBack = rec.rules.takenBack
        summary.takenBackExamples = rec.rules.takenBackExamples
    }

    /// Pass 2: one transaction for the whole file (all or nothing).
    private static func reconcile(
        _ request: OrderImportRequest, _ ledger: Ledger, _ options: DialectOptions,
        repeats: RepeatedIds, _ summary: inout OrderImportSummary,
        _ progress: ImportProgress?
    ) throws {
        var captureOptions = options
        captureOptions.captureRows = request.rejectsPath != nil
        // Rows to orders on a second thread, reconciling and SQLite on this one (`OrderPipe`).
        // The e-mail hashes on the thread with the lighter load: the reading one when every order is
        // new (the writing thread inserts a fact and a row per order), else the writing one.
        // On a source's first import every order is new (unless the file repeats one): the reading
        // thread writes the `order seen` payloads too. Asked outside the transaction, `known` is only
        // a hint: the payloads are the same bytes whichever thread writes them.
        let known = try ledger.hasOrders(source: request.source)
        let seenContext =
            known || request.dryRun
            ? nil : SeenContext(source: request.source, asOf: summary.asOf!, importRef: summary.sha256)
        let orders = OrderPipe(
            request.dialect, path: request.path, options: captureOptions,
            hasher: known ? nil : try ledger.emailHasher(), seenContext: seenContext)
        defer { orders.stop() }
        let file = try orders.waitForStart()
        let rejects = try request.rejectsPath.map { path throws(InputIssue) in
            try RejectsWriter(path: path, header: file.headerNames)
        }
        defer { rejects?.discard() }
        let asOf = summary.asOf!
        let explicitAsOf = !summary.asOfFromFile
        let sha256 = summary.sha256
        let write = { [summary] () throws -> OrderImportSummary in
            try ledger.write { ledger throws -> OrderImportSummary in
                // The same file imported by another process since the check above (before the lock):
                // skipped as a re-run would be, not recorded twice.
                if let previous = try ledger.previousImport(sha256: sha256, asOf: request.asOf) {
                    var skipped = summary
                    skipped.previous = previous
                    return skipped
                }
                let firstSeq = ledger.lastSeq + 1
                var rec = try Reconciler(
                    ledger: ledger, source: request.source, asOf: asOf, importRef: sha256, dryRun: request.dryRun)
                var units = 0
                var accepted = 0
                var identityChecked = false
                // Shop exports carry ids unique to their shop: the same order under another source is
                // the same shop imported twice (named after the import; the rules key orders by source).
                // A canonical file's ids come from any system, so its orders match on currency and total
                // too (a TikTok Shop id with its time and total is that order).
                let otherSources = try ledger.orderSources(otherThan: request.source)
                let matchTotals = request.dialect == .orders
                var elsewhere: SameOrdersElsewhere?
                var sortedIds = MonotoneIds()
                while let (unit, extras) = try orders.next() {  // bounded by the file
                    units += 1
                    if units & 1023 == 0 { progress?(.importing, orders.bytesConsumed, file.totalBytes) }
                    switch unit {
                    case let .invalid(issue, rows):
                        guard let rejects else { throw issue }
                        rejects.write(rows: rows, reason: issue.description)
                    case let .order(o, rows):
                        if request.dialect == .shopify && !identityChecked {
                            identityChecked = true
                            try refuseOtherIdentity(o, source: request.source, file: request.path, ledger)
                        }
                        if let issue = try problem(
                            with: o, &rec, explicitAsOf ? asOf : nil, repeats: repeats,
                            file: request.path, ledger.settings.zone)
                        {
                            guard let rejects else { throw issue }
                            rejects.write(rows: rows, reason: issue.description)
                            continue
                        }
                        if sortedIds.strict {
                            sortedIds.add(o.orderId)
                            // Each order is looked up before its facts and reconciled once (a repeat is
                            // refused first): no look-up needs the rows held back.
                            if !sortedIds.strict { ledger.holdOrderProjections() }
                        }
                        try rec.reconcile(o, extras, seenPayload: extras?.seenPayload.map(orders.payload))
                        accepted += 1
                        for other in otherSources
                        where try ledger.holdsSameOrder(
                            source: other, orderId: o.orderId, name: o.name, createdAt: o.createdAt.instant,
                            total: matchTotals ? (o.currency.code, o.totalMinor) : nil)
                        {
                            if elsewhere == nil {
                                elsewhere = SameOrdersElsewhere(
                                    count: 0, source: other, first: o.name ?? o.orderId,
                                    matched: matchTotals ? "id, time, currency and total" : "id, name and time")
                            }
                            if elsewhere?.source == other { elsewhere?.count += 1 }
                            break
                        }
                    }
                }
                try ledger.projectHeldOrders()
                // --skip-invalid with every order rejected: an error, not an import of nothing (which would
                // mark the file imported and leave the whole export out of the figures with exit status 0).
                if let rejects, accepted == 0, rejects.units > 0 { throw AllRejected(units: rejects.units) }
                rec.rules.counts.rejected = rejects?.units ?? 0
                var result = summary
                result.sameOrdersElsewhere = elsewhere
                try record(&rec, &result, firstSeq: firstSeq, request, ledger)
                return result
            }
        }
        // A big file is one big transaction: written once with the rollback journal (see
        // `Ledger.withRollbackJournal`); small ones stay in WAL.
        let bigFile = (file.totalBytes ?? 0) >= rollbackJournalBytesMin(ledger) && !request.dryRun
        do {
            summary = bigFile ? try ledger.withRollbackJournal(write) : try write()
        } catch let all as AllRejected {
            // Nothing recorded; the rejected rows still go to the rejects file, to be fixed.
            var kept = ""
            if let rejects, !request.dryRun {
                try rejects.commit()
                kept = "; the rejected rows are in \(rejects.path)"
            }
            let first = rejects?.reasons.first.map { " (the first: \($0))" } ?? ""
            let orders = all.units == 1 ? "the 1 order" : "all \(all.units) orders"
            throw UserError(
                "\(request.path): \(orders) of the file were rejected\(first): nothing was imported "
                    + "or recorded\(kept); fix the file (or the column the reason names) and import it "
                    + "again")
        }
        if let rejects {
            summary.rejectReasons = rejects.reasons
            if !request.dryRun && rejects.units > 0 {
                try rejects.commit()
                summary.rejectsPath = rejects.path
            }
        }
        progress?(.importing, orders.bytesConsumed, file.totalBytes)
    }

    /// Every order of a `--skip-invalid` import was rejected: the transaction is rolled back.
    private struct AllRejected: Error { let units: Int }

    /// Files from this size on are imported with the rollback journal (8 MiB: some 10,000 orders).
    static let rollbackJournalBytesMin = 8 << 20

    /// The size from which a file takes the rollback-journal path: tests lower it
    /// (`TestSettings.rollbackJournalBytesMin`) to run that path on small files.
    private static func rollbackJournalBytesMin(_ ledger: Ledger) -> Int {
        ledger.testSettings.rollbackJournalBytesMin ?? rollbackJournalBytesMin
    }

    /// A Shopify file keyed the other way than the source's stored orders (`OrderIdentity`): refused
    /// as a whole, before anything is written, even with --skip-invalid (every order would be a
    /// double). Asked inside the write, so a file imported meanwhile by another process counts.
    private static func refuseOtherIdentity(_ o: ImportedOrder, source: String, file: String, _ ledger: Ledger) throws {
        let identity = OrderIdentity.of(orderId: o.orderId, name: o.name)
        let stored = try ledger.orderIdentities(source: source)
        guard OrderIdentity.conflicts(file: identity, stored: stored) else { return }
        throw InputIssue(
            file: file, line: o.line, column: o.idColumn, columnName: identity.rawValue, found: o.orderId,
            expected: OrderIdentity.refusal(file: identity, source: source))
    }

    /// An order that cannot be imported although its rows are fine: a second appearance in the file,
    /// or a timestamp after an explicit `--as-of`.
    private static func problem(
        with o: ImportedOrder, _ rec: inout Reconciler, _ explicitAsOf: Instant?,
        repeats: RepeatedIds, file: String,
        _ zone: Zone
    ) throws -> InputIssue? {
        if let asOf = explicitAsOf, o.latestAt > asOf {
            return InputIssue(
                file: file, line: o.line, column: 0,
                expected: "order \(o.orderId) shows a time "
                    + "(\(zone.timestamp(o.latestAt))) after --as-of \(zone.timestamp(asOf)); "
                    + "an export cannot show what happened after it was taken: "
                    + "give a later --as-of, or leave it out to use the latest time in the file")
        }
        if repeats.mayRepeat(o.orderId), let earlier = try rec.claim(o) {
            return InputIssue(
                file: file, line: o.line, column: o.idColumn, found: o.orderId,
                expected: "each order once per file; "
                    + "order \(o.orderId) already appeared at line \(earlier) "
                    + "(a broken or concatenated export?)")
        }
        return nil
    }
}
