import CSQLite
import LedgerCore

/// Keeps the projection tables in step with the log: one function per fact type, the same for an
/// append and for a rebuild, so that the two cannot drift apart.
final class Projector {
    let connection: Connection
    // The statements of the per-order hot path, prepared once (see `insertOrder`, `changeOrder`).
    private var orderInsert: Statement?
    private var changeInsert: Statement?
    private var statementInsert: Statement?
    private var orderUpdate: Statement?
    private var lineInsert: Statement?
    /// The INSERT of each table a payload is mirrored into, by table (built and prepared once).
    private var inserts: [String: Statement] = [:]

    /// Secondary indexes (and triggers) of tables being filled from empty, created after the rows
    /// are in (`createDeferred`): by the rebuild, or earlier by a fact whose projection reads
    /// through them (`import.undone` looks orders' changes up by order).
    var deferred: [String] = []

    /// The ledger's zone: a payout marked paid before `payout.paid` version 2 was paid on the day it
    /// was recorded there.
    let zone: Zone

    init(connection: Connection, zone: Zone) {
        self.connection = connection
        self.zone = zone
    }

    /// Tables owned by the projector, with the ORDER BY that makes their contents comparable.
    static let tables: [(name: String, orderBy: String)] = [
        ("creators", "id"), ("code_assignments", "seq"), ("house_codes", "code"), ("referral_assignments", "seq"),
        ("terms", "seq"), ("posts", "id"), ("gifts", "id"), ("adjustments", "id"), ("fx_rates", "currency, date"),
        ("orders", "source, order_id"), ("order_changes", "seq"), ("imports", "seq"), ("import_undos", "import_seq"),
        ("statements", "month, creator"),
        ("statement_lines", "month, creator, line_no"), ("closed_months", "month"), ("payouts_paid", "month, creator"),
        ("settings", "key"), ("payout_exports", "seq"), ("month_reopenings", "seq"),
        ("journal_exports", "seq"), ("payout_unmarks", "seq")
    ]

    /// The order facts whose projection waits for the window to fill (`orderWindow`), in log order.
    private var pendingOrders: [(fact: Fact, seq: Int64)] = []
    private var pendingKeys: [OrderKey] = []
    /// Order facts projected a window at a time, sorted by key (0: each as it comes): see
    /// `Ledger.projectingOrdersByKey`.
    var orderWindow = 0

    func apply(_ fact: Fact, seq: Int64) throws(SQLiteError) {
        if orderWindow > 0 || !pendingOrders.isEmpty {
            if orderWindow > 0, let key = Projector.orderKey(fact) {
                pendingOrders.append((fact, seq))
                pendingKeys.append(key)
                if pendingOrders.count >= orderWindow { try flushOrders() }
                return
            }
            try flushOrders()
        }
        try project(fact, seq: seq)
    }

    /// Projects the pending order facts, sorted by their order's key and, for one order, in log
    /// order: each page of the orders' indexes is visited once per window instead of once per order
    /// of a file in random order. Facts of different orders touch different rows, so their order
    /// among themselves changes nothing but the rows' rowids, which nothing reads (every query
    /// of `orders` orders by key, or counts, or looks one order up; `verify` compares by key).
    func flushOrders() throws(SQLiteError) {
        guard !pendingOrders.isEmpty else { return }
        defer { discardPendingOrders() }
        // By the ids' first 16 bytes (SQLite's order for ids that short, near it for longer ones),
        // then in log order: the facts of one order keep their order whatever the ids.
        let prefixes = pendingKeys.map { KeyPrefix($0.orderId) }
        var byKey = Array(prefixes.indices)
        byKey.sort { a, b in prefixes[a] != prefixes[b] ? prefixes[a] < prefixes[b] : a < b }
        for i in byKey { try project(pendingOrders[i].fact, seq: pendingOrders[i].seq) }
    }

    /// The order an `order seen` or `order changed` projects into; nil for any other fact.
    private static func orderKey(_ fact: Fact) -> OrderKey? {
        switch fact {
        case let .orderSeen(f): f.key
        case let .orderChanged(f): f.key
        default: nil
        }
    }

    /// Drops the pending order facts (their transaction is rolled back).
    func discardPendingOrders() {
        pendingOrders.removeAll(keepingCapacity: true)
        pendingKeys.removeAll(keepingCapacity: true)
    }

    private func project(_ fact: Fact, seq: Int64) throws(SQLiteError) {
        switch fact {
        case .ledgerInitialized, .ledgerInitializedV1, .ledgerRedacted: break
        case let .creatorRegistered(f):
            try insert(f, into: "creators", or: "REPLACE", seqColumn: "registered_seq", seq: seq)
        case let .creatorUpdated(f):
            if let name = f.name { try run("UPDATE creators SET name = ? WHERE id = ?", [.text(name), .text(f.id)]) }
            if let hash = f.emailHash {
                try run("UPDATE creators SET email_hash = ? WHERE id = ?", [.text(hash), .text(f.id)])
            }
            if let followers = f.followers {
                try run("UPDATE creators SET followers = ? WHERE id = ?", [.text(countsText(followers)), .text(f.id)])
            }
            if let payout = f.payout {
                try run(
                    "UPDATE creators SET payout_method = ?, payout_account = ? WHERE id = ?",
                    [.text(payout.method), .text(payout.account), .text(f.id)])
            }
            if let taxForm = f.taxForm {
                try run(
                    "UPDATE creators SET tax_form = ? WHERE id = ?",
                    [taxForm.map { .text($0.rawValue) } ?? .null, .text(f.id)])
            }
        case let .codeAssigned(f): try insert(f, into: "code_assignments", seq: seq)
        case let .houseCodeDeclared(f): try insert(f, into: "house_codes", or: "IGNORE", seq: seq)
        case let .referralAssigned(f): try insert(f, into: "referral_assignments", seq: seq)
        case let .termsSet(f): try insert(f, into: "terms", seq: seq)
        case let .postPublished(f): try insert(f, into: "posts", or: "REPLACE", seq: seq)
        case let .giftSent(f): try insert(f, into: "gifts", or: "REPLACE", seq: seq)
        case let .adjustmentRecorded(f): try insert(f, into: "adjustments", or: "REPLACE", seq: seq)
        case let .fxRateSet(f): try insert(f, into: "fx_rates", or: "REPLACE", seq: seq)
        case let .orderSeen(f): try insertOrder(f, seq: seq)
        case let .orderChanged(f): try changeOrder(f, seq: seq)
        case let .importRecorded(f):
            try insert(f, into: "imports", or: "REPLACE", seq: seq)
            for id in f.confirmedOrderIds {
                try run(
                    "UPDATE orders SET as_of = max(as_of, ?) WHERE source = ? AND order_id = ?",
                    [.int(f.asOf.unixSeconds), .text(f.source), .text(id)])
            }
        case let .importUndone(f):
            try createDeferred()
            try undoImport(f, seq: seq)
        case let .statementIssued(f): try insertStatement(f, seq: seq)
        case let .monthClosed(f): try insert(f, into: "closed_months", seq: seq)
        case let .payoutPaid(f):
            // Version 1 has no method: the creator's payout method now is the one at that time,
            // since the facts are applied in log order (append and rebuild alike).
            let method = f.method == nil ? try creatorPayoutMethod(f.creator) : nil
            try insert(f.payment(zone: zone, creatorMethod: method), into: "payouts_paid", or: "IGNORE", seq: seq)
        case let .payoutUnmarked(f):
            // The mark leaves the projection (the log keeps it): the payout reads as unpaid again.
            try run(
                "DELETE FROM payouts_paid WHERE month = ? AND creator = ?",
                [.text(f.month.description), .text(f.creator)])
            try insert(f, into: "payout_unmarks", seq: seq)
        case let .payoutExported(f): try insert(f, into: "payout_exports", seq: seq)
        case let .monthReopened(f): try reopen(f, seq: seq)
        case let .journalExported(f): try insert(f, into: "journal_exports", seq: seq)
        case let .tiersSet(f):
            let t = f.thresholds
            try run(
                "INSERT OR REPLACE INTO settings (key, value, seq) VALUES ('tiers', ?, ?)",
                [.text("\(t.microFrom),\(t.macroFrom),\(t.megaFrom)"), .int(seq)])
        case let .accountSet(f):
            // The payload as it is: `Ledger.accountSettings` reads it back with the fact's decoder.
            var payload: [UInt8] = []
            fact.writePayload(into: &payload)
            try run(
                "INSERT OR REPLACE INTO settings (key, value, seq) VALUES (?, ?, ?)",
                [.text("account:" + f.key), .text(String(decoding: payload, as: UTF8.self)), .int(seq)])
        case let .thresholdSet(f):
            // As `account.set`: `Ledger.thresholdSettings` reads the payload back with the fact's decoder.
            var payload: [UInt8] = []
            fact.writePayload(into: &payload)
            try run(
                "INSERT OR REPLACE INTO settings (key, value, seq) VALUES (?, ?, ?)",
                [
                    .text("threshold:\(f.form):\(f.year)"), .text(String(decoding: payload, as: UTF8.self)),
                    .int(seq)
                ])
        }
    }

    private func run(_ sql: String, _ values: [SQLValue]) throws(SQLiteError) { try connection.run(sql, values) }

    private func creatorPayoutMethod(_ id: String) throws(SQLiteError) -> String? {
        try connection.scalarText("SELECT payout_method FROM creators WHERE id = ?", [.text(id)])
    }

    /// The month's close stops counting: its statements and its closed mark leave the projections
    /// (the log keeps them), and the payment and journal files written for it are marked as of a reopened close.
    private func reopen(_ f: MonthReopened, seq: Int64) throws(SQLiteError) {
        let month = SQLValue.text(f.month.description)
        for table in ["statements", "statement_lines", "closed_months"] {
            try run("DELETE FROM \(table) WHERE month = ?", [month])
        }
        try run("UPDATE payout_exports SET reopened = 1 WHERE month = ?", [month])
        try run("UPDATE journal_exports SET reopened = 1 WHERE month = ?", [month])
        try insert(f, into: "month_reopenings", seq: seq)
    }

    private func statement(_ cached: inout Statement?, _ sql: String) throws(SQLiteError) -> Statement {
        if let cached { return cached }
        let st = try Statement(connection: connection, sql: sql)
        cached = st
        return st
    }

    /// The `orders` columns of `order.seen`'s field table, then `seen_seq`; the current state
    /// (`status` ... `cancelled_offset`) starts as the first-seen one, bound to the same parameters.
    static let orderInsertSQL: String = {
        let seen = ColumnNames.of(OrderSeen.self)
        let current = [
            ("status", "seen_status"), ("refunded_minor", "seen_refunded_minor"),
            ("cancelled_at", "seen_cancelled_at"), ("cancelled_offset", "seen_cancelled_offset")
        ]
        let currentParameters = current.map { column, seenColumn in
            guard let n = seen.firstIndex(of: seenColumn) else {
                preconditionFailure("order.seen projects no \(seenColumn)")
            }
            return "?\(n + 1)"
        }
        let columns = (seen + ["seen_seq"] + current.map(\.0)).joined(separator: ", ")
        let parameters = ((1...seen.count + 1).map { "?\($0)" } + currentParameters).joined(separator: ", ")
        return "INSERT INTO orders (\(columns)) VALUES (\(parameters))"
    }()

    /// `INSERT [OR conflict] INTO table (the field table's columns, seq) VALUES (?1, ...)`.
    static func insertSQL<T: FieldTable>(
        _ table: String, _: T.Type, or conflict: String? = nil,
        seqColumn: String = "seq"
    ) -> String {
        let columns = (ColumnNames.of(T.self) + [seqColumn]).joined(separator: ", ")
        let parameters = (1...ColumnNames.of(T.self).count + 1).map { "?\($0)" }.joined(separator: ", ")
        return "INSERT \(conflict.map { "OR \($0) " } ?? "")INTO \(table) (\(columns)) VALUES (\(parameters))"
    }

    /// A fact whose projection is one row of its fields (a payload's mirror) and its seq.
    private func insert<T: FieldTable>(
        _ fact: T, into table: String, or conflict: String? = nil,
        seqColumn: String = "seq", seq: Int64
    ) throws(SQLiteError) {
        let st: Statement
        if let prepared = inserts[table] {
            st = prepared
        } else {
            let sql = Projector.insertSQL(table, T.self, or: conflict, seqColumn: seqColumn)
            st = try Statement(connection: connection, sql: sql)
            inserts[table] = st
        }
        var binder = ColumnBinder(st)
        try fact.encode(with: &binder)
        try st.bind(seq, at: binder.next)
        try st.run()
    }

    static let changeInsertSQL = insertSQL("order_changes", OrderChanged.self)
    static let statementInsertSQL = insertSQL("statements", StatementIssued.self)

    private func insertOrder(_ f: OrderSeen, seq: Int64) throws(SQLiteError) {
        let st = try statement(&orderInsert, Projector.orderInsertSQL)
        var binder = ColumnBinder(st)
        try f.encode(with: &binder)
        try st.bind(seq, at: binder.next)
        try st.run()
    }

    /// An `order.seen` whose columns the replay's decoding thread has worked out (`DecodedBatch`):
    /// the same INSERT, its text bound in place from the batch's buffer.
    func insertOrder(_ values: ArraySlice<BoundValue>, text: UnsafeRawBufferPointer, seq: Int64) throws(SQLiteError) {
        let st = try statement(&orderInsert, Projector.orderInsertSQL)
        try st.bind(values, text: text)
        try st.bind(seq, at: Int32(values.count + 1))
        try st.run()
    }

    /// After a batch: no parameter of the orders' INSERT points into its buffer any more.
    func clearOrderBindings() {
        if let orderInsert { sqlite3_clear_bindings(orderInsert.handle) }
    }

    private func changeOrder(_ f: OrderChanged, seq: Int64) throws(SQLiteError) {
        var cancelChange: Int64 = 0
        var cancelledAt: Int64? = nil, cancelledOffset: Int64? = nil
        switch f.cancellation {
        case let .cancelled(at)?:
            cancelChange = 1; cancelledAt = at.instant.unixSeconds; cancelledOffset = Int64(at.offsetSeconds)
        case .uncancelled?: cancelChange = 2
        case nil: break
        }
        let insert = try statement(&changeInsert, Projector.changeInsertSQL)
        var binder = ColumnBinder(insert)
        try f.encode(with: &binder)
        try insert.bind(seq, at: binder.next)
        try insert.run()
        // One UPDATE per change: a NULL status or refund keeps the current one; cancel_change 0
        // keeps the cancellation, 1 sets it, 2 lifts it (binds NULL).
        let update = try statement(
            &orderUpdate,
            """
            UPDATE orders SET status = coalesce(?1, status), refunded_minor = coalesce(?2, refunded_minor),
              cancelled_at = CASE ?3 WHEN 0 THEN cancelled_at ELSE ?4 END,
              cancelled_offset = CASE ?3 WHEN 0 THEN cancelled_offset ELSE ?5 END,
              as_of = max(as_of, ?6)
            WHERE source = ?7 AND order_id = ?8
            """)
        try update.bind(f.status?.rawValue, at: 1)
        try update.bind(f.refundedMinor, at: 2)
        try update.bind(cancelChange, at: 3)
        try update.bind(cancelledAt, at: 4)
        try update.bind(cancelledOffset, at: 5)
        try update.bind(f.asOf.unixSeconds, at: 6)
        try update.bind(f.key.source, at: 7)
        try update.bind(f.key.orderId, at: 8)
        try update.run()
    }

    private func insertStatement(_ f: StatementIssued, seq: Int64) throws(SQLiteError) {
        let insert = try statement(&statementInsert, Projector.statementInsertSQL)
        var binder = ColumnBinder(insert)
        try f.encode(with: &binder)
        try insert.bind(seq, at: binder.next)
        try insert.run()
        let st = try statement(
            &lineInsert,
            """
            INSERT INTO statement_lines (month, creator, line_no, kind, ref, date, amount_minor, base_minor, rate_ppm,
              per_order_minor, change) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        // Month and creator stay bound across the statement's lines (a reset keeps bindings).
        try st.bind(f.month.description, at: 1)
        try st.bind(f.creator, at: 2)
        for (n, line) in f.lines.enumerated() {
            try st.bind(Int64(n + 1), at: 3)
            try st.bind(line.kind.rawValue, at: 4)
            try st.bind(line.ref, at: 5)
            try st.bind(line.date.description, at: 6)
            try st.bind(line.amountMinor, at: 7)
            try st.bind(line.order?.baseMinor, at: 8)
            try st.bind(line.order?.rate?.partsPerMillion, at: 9)
            try st.bind(line.order?.perOrderMinor, at: 10)
            try st.bind(line.order?.change?.rawValue, at: 11)
            try st.run()
        }
    }

    /// `import.undone`: the order facts of the import (those after the import before it, every
    /// order fact being an import's and coming right before its `import.recorded`) count as never
    /// recorded. Orders it first saw go; its changes go and the orders' current state is folded
    /// again from their first-seen state and the changes left; the as-of of the orders it changed or
    /// confirmed goes back to the one the fact carries. Read from the projections only (a verify
    /// replays into a scratch database without the log).
    private func undoImport(_ f: ImportUndone, seq: Int64) throws(SQLiteError) {
        try insert(f, into: "import_undos", seq: seq)
        let start = try connection.scalarInt("SELECT max(seq) FROM imports WHERE seq < ?", [.int(f.importSeq)]) ?? 0
        let range: [SQLValue] = [.int(start), .int(f.importSeq)]
        var changed: Set<String> = []
        let keys = try connection.prepared(
            """
            SELECT DISTINCT order_id FROM order_changes WHERE seq > ?1 AND seq < ?2 AND source = ?3
            """)
        try keys.bind(range + [.text(f.source)])
        while try keys.step() { changed.insert(keys.text(0)) }  // bounded by the import's changes
        keys.reset()
        try run("DELETE FROM order_changes WHERE seq > ?1 AND seq < ?2", range)
        try run(
            """
            DELETE FROM order_changes WHERE (source, order_id) IN
              (SELECT source, order_id FROM orders WHERE seen_seq > ?1 AND seen_seq < ?2)
            """, range)
        try run("DELETE FROM orders WHERE seen_seq > ?1 AND seen_seq < ?2", range)
        for id in changed.union(f.asOfBefore.keys).sorted() {
            try refold(source: f.source, orderId: id, asOf: f.asOfBefore[id])
        }
    }

    /// An order's current state from its first-seen state and its changes, in log order; its as-of
    /// set to `asOf` when given.
    private func refold(source: String, orderId: String, asOf: Int64?) throws(SQLiteError) {
        let key: [SQLValue] = [.text(source), .text(orderId)]
        let seen = try connection.prepared(
            """
            SELECT seen_status, seen_refunded_minor, seen_cancelled_at, seen_cancelled_offset
            FROM orders WHERE source = ?1 AND order_id = ?2
            """)
        try seen.bind(key)
        guard try seen.step() else { seen.reset(); return }
        var status = seen.text(0), refunded = seen.int(1)
        var cancelledAt = seen.optionalInt(2), cancelledOffset = seen.optionalInt(3)
        seen.reset()
        let changes = try connection.prepared(
            """
            SELECT status, refunded_minor, cancel_change, cancelled_at, cancelled_offset FROM order_changes
            WHERE source = ?1 AND order_id = ?2 ORDER BY seq
            """)
        try changes.bind(key)
        while try changes.step() {  // bounded by the order's changes
            if let s = changes.optionalText(0) { status = s }
            if let r = changes.optionalInt(1) { refunded = r }
            switch changes.int(2) {
            case 1: (cancelledAt, cancelledOffset) = (changes.optionalInt(3), changes.optionalInt(4))
            case 2: (cancelledAt, cancelledOffset) = (nil, nil)
            default: break
            }
        }
        changes.reset()
        try run(
            """
            UPDATE orders SET status = ?3, refunded_minor = ?4, cancelled_at = ?5, cancelled_offset = ?6,
              as_of = coalesce(?7, as_of)
            WHERE source = ?1 AND order_id = ?2
            """,
            key + [
                .text(status), .int(refunded), cancelledAt.map(SQLValue.int) ?? .null,
                cancelledOffset.map(SQLValue.int) ?? .null, asOf.map(SQLValue.int) ?? .null
            ])
    }

    /// Creates the deferred indexes and triggers, once.
    func createDeferred() throws(SQLiteError) {
        let statements = deferred
        deferred = []
        for sql in statements { try connection.execute(sql) }
    }
}

/// The first 16 bytes of a key's UTF-8, zero-padded, as two big-endian numbers: ordered as SQLite
/// orders text keys (byte by byte) for keys of up to 16 bytes, and close to it for longer ones.
/// Sorting a window of order ids by it costs two integer comparisons each, not a string's.
struct KeyPrefix: Comparable {
    private var high: UInt64 = 0
    private var low: UInt64 = 0

    init(_ key: String) {
        var n = 0
        for byte in key.utf8 {  // at most 16
            if n < 8 {
                high |= UInt64(byte) << (56 - 8 * n)
            } else if n < 16 {
                low |= UInt64(byte) << (56 - 8 * (n - 8))
            } else {
                break
            }
            n += 1
        }
    }

    static func < (a: KeyPrefix, b: KeyPrefix) -> Bool { (a.high, a.low) < (b.high, b.low) }
}
