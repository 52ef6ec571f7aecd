import Foundation
import LedgerCore
@testable import LedgerStore
import TestSupport
import Testing

/// The projector's INSERTs and the snapshot loader's SELECTs come from the fact types' field
/// tables. A field added to a table without its column (or a column without its field) fails
/// here, before any ledger is written. That what the projections give back equals the fold of the
/// facts, read model for read model, is `ProjectionFoldTests` (AppTests: it closes months).
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
        (
            "orders", ColumnNames.of(OrderSeen.self),
            ["seen_seq", "status", "refunded_minor", "cancelled_at", "cancelled_offset"]
        ),
        ("order_changes", ColumnNames.of(OrderChanged.self), ["seq"]),
        ("imports", ColumnNames.of(ImportRecorded.self), ["seq"]),
        ("import_undos", ColumnNames.of(ImportUndone.self), ["seq"]),
        ("statements", ColumnNames.of(StatementIssued.self), ["seq"]),
        ("closed_months", ColumnNames.of(MonthClosed.self), ["seq"]),
        // Version 1 payments are resolved (day and method) before they are projected.
        ("payouts_paid", ColumnNames.of(PaidPayout.self), ["seq"]),
        ("payout_exports", ColumnNames.of(PayoutExported.self), ["seq", "reopened"]),
        ("month_reopenings", ColumnNames.of(MonthReopened.self), ["seq"]),
        ("journal_exports", ColumnNames.of(JournalExported.self), ["seq", "reopened"]),
        ("payout_unmarks", ColumnNames.of(PayoutUnmarked.self), ["seq"])
    ]

    @Test func everyColumnIsAFieldOrTheProjectorsOwn() throws {
        let t = try storeLedger()
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
        let parameters = (1...21).map { "?\($0)" } + ["?15", "?16", "?17", "?18"]
        #expect(
            sql.hasSuffix(
                "seen_seq, status, refunded_minor, cancelled_at, cancelled_offset) VALUES ("
                    + parameters.joined(separator: ", ") + ")"))
    }
}
