import Foundation
import LedgerCore
import Testing
@testable import LedgerStore

/// The projector's INSERTs and the snapshot loader's SELECTs come from the fact types' field
/// tables. A field added to a table without its column (or a column without its field) fails
/// here, before any ledger is written; and what the projections give back equals the fold of the
/// facts, read model for read model.
@Suite("projections from the field tables")
struct ProjectionTableTests {
    /// Each mirrored table: the field table's columns plus the projector's own.
    static let mirrors: [(table: String, fields: [String], own: Set<String>)] = [
        ("creators", ColumnNames.of(CreatorRegistered.self), ["registered_seq"]),
        ("code_assignments", ColumnNames.of(CodeAssigned.self), ["seq"]),
        ("house_codes", ColumnNames.of(HouseCodeDeclared.self), ["seq"]),
        ("referral_assignments", ColumnNames.of(ReferralAssigned.self), ["seq"]),
        ("terms", ColumnNames.of(TermsSet.self), ["seq"]),
        ("posts", ColumnNames.of(PostPublished.self), ["seq"]),
        ("gifts", ColumnNames.of(GiftSent.self), ["seq"]),
        ("adjustments", ColumnNames.of(AdjustmentRecorded.self), ["seq"]),
        ("fx_rates", ColumnNames.of(FXRateSet.self), ["seq"]),
        // The current state starts as the first-seen one; later changes move it.
        ("orders", ColumnNames.of(OrderSeen.self), ["seen_seq", "status", "refunded_minor", "cancelled_at", "cancelled_offset"]),
        ("order_changes", ColumnNames.of(OrderChanged.self), ["seq"]),
        ("imports", ColumnNames.of(ImportRecorded.self), ["seq"]),
        ("statements", ColumnNames.of(StatementIssued.self), ["seq"]),
        ("closed_months", ColumnNames.of(MonthClosed.self), ["seq"]),
        ("payouts_paid", ColumnNames.of(PayoutPaid.self), ["seq"]),
    ]

    @Test func everyColumnIsAFieldOrTheProjectorsOwn() throws {
        let t = try TemporaryLedger()
        for mirror in Self.mirrors {
            var columns: [String] = []
            let st = try t.ledger.connection.prepared("SELECT name FROM pragma_table_info('\(mirror.table)')")
            while try st.step() { columns.append(st.text(0)) }
            st.reset()
            #expect(Set(mirror.fields).count == mirror.fields.count, "\(mirror.table): a column twice")
            #expect(Set(columns) == Set(mirror.fields).union(mirror.own), "\(mirror.table)")
        }
    }

    @Test func theOrdersInsertBindsTheCurrentStateToTheFirstSeenOne() {
        let sql = Projector.orderInsertSQL
        #expect(sql.hasPrefix("INSERT INTO orders (source, order_id, name, created_at, created_offset, currency,"))
        #expect(sql.hasSuffix("seen_seq, status, refunded_minor, cancelled_at, cancelled_offset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
            + "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?15, ?16, ?17, ?18)"))
    }

    /// Random ledgers appended and closed in the store: every part of the snapshot the projections
    /// give equals the fold of the same facts (orders with their changes, statements, closed
    /// months, master data), and again after a rebuild.
    @Test(arguments: Array(UInt64(1)...UInt64(8)))
    func theProjectionsGiveTheFoldedReadModels(seed: UInt64) throws {
        let random = RandomLedger(seed: seed)
        let reference = closeAll(random)
        let (ledger, dir) = try temporaryLedger()
        defer { try? FileManager.default.removeItem(at: dir) }
        try ledger.write { l in for fact in random.header.dropFirst() { try l.append(fact) } }
        for (k, batch) in random.batches.enumerated() {
            try ledger.write { l in for fact in batch { try l.append(fact) } }
            if k < RandomLedger.months.count { try ledger.closeMonth(RandomLedger.months[k]) }
        }
        if let paid = try ledger.snapshot().statements.first(where: { $0.figures.payoutMinor > 0 }) {
            try ledger.markPaid(month: paid.month, creator: paid.creator, reference: "PP-\(seed)")
        }
        let folded = try #require(LedgerSnapshot.fold(try storedFacts(ledger)))
        for stored in [try ledger.snapshot(), try { _ = try ledger.rebuild(); return try ledger.snapshot() }()] {
            #expect(stored.orders == folded.orders, "seed \(seed)")
            #expect(stored.statements == folded.statements, "seed \(seed)")
            #expect(stored.closedMonths == folded.closedMonths, "seed \(seed)")
            #expect(stored.payoutsPaid == folded.payoutsPaid, "seed \(seed)")
            #expect(stored.creators == folded.creators, "seed \(seed)")
            #expect(stored.codeAssignments == folded.codeAssignments && stored.referralAssignments == folded.referralAssignments)
            #expect(stored.houseCodes == folded.houseCodes && stored.terms == folded.terms && stored.fxRates == folded.fxRates)
            #expect(stored.posts == folded.posts && stored.adjustments == folded.adjustments && stored.gifts == folded.gifts)
        }
        #expect(reference.results.count == RandomLedger.months.count)
    }

    func storedFacts(_ ledger: Ledger) throws -> [Fact] {
        var facts: [Fact] = []
        try ledger.forEachFact { facts.append(try $0.decoded()) }
        return facts
    }
}
