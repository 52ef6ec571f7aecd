@testable import App
import Foundation
import LedgerCore
@testable import LedgerStore
@testable import OrderImport
import TestSupport
import Testing

/// Ledger rules §3: an order import can be undone (the latest of its source not undone yet), with a
/// fact; from then on what it recorded counts as never recorded, and the right file imports cleanly.
@Suite struct ImportUndoTests {
    let export1 = examplesDirectory().appendingPathComponent("shopify/orders_export_2026-07-01_2026-08-31.csv").path
    let export2 = examplesDirectory().appendingPathComponent("shopify/orders_export_2026-08-15_2026-10-31.csv").path
    let a1 = "A1,2026-09-01T10:00:00-04:00,USD,90.00,10.00,5.00,7.20,102.20,ANNA10,,ann@example.com,paid,0.00,,false"
    let a2 = "A2,2026-09-02T11:30:00-04:00,USD,40.00,0.00,0.00,0.00,40.00,,,,paid,0.00,,false"

    /// Every order row of the projection but where in the log it was first seen: what the ledger
    /// knows of its orders.
    func orderRows(_ t: TemporaryLedger) throws -> [[SQLValue]] {
        var columns: [String] = []
        let names = try t.ledger.connection.prepared("SELECT name FROM pragma_table_info('orders')")
        while try names.step() {  // bounded by the table's columns
            if names.text(0) != "seen_seq" { columns.append(names.text(0)) }
        }
        names.reset()
        var rows: [[SQLValue]] = []
        let st = try t.ledger.connection.prepared(
            "SELECT \(columns.joined(separator: ", ")) FROM orders ORDER BY source, order_id")
        defer { st.reset() }
        while try st.step() { rows.append(st.row()) }
        return rows
    }

    func folded(_ t: TemporaryLedger) throws -> [OrderRecord] {
        try #require(LedgerSnapshot.fold(try t.facts())).orders
    }

    @Test func undoingTheLatestImportLeavesTheOrdersAsBeforeItAndTheRightFileImportsAgain() throws {
        let t = try TemporaryLedger()
        let session = LedgerSession(t.ledger)
        try t.importFile(.shopify, export1)
        let before = try orderRows(t)
        let beforeOrders = try t.ledger.snapshot().orders
        let second = try t.importFile(.shopify, export2)
        #expect(second.counts.new == 147 && second.counts.changed == 9 && second.counts.confirmed == 33)
        let imports = try session.orderImports()
        #expect(imports.count == 2 && imports.allSatisfy { $0.undoneBy == nil })
        let factsBefore = try t.facts().count
        let outcome = try session.undoImport(imports[1].id, reason: "wrong file", dryRun: false)
        #expect(
            outcome.effect
                == UndoEffect(
                    ordersForgotten: 147, changesReversed: 9, ordersChanged: 9,
                    ordersConfirmed: 33))
        // One fact, nothing deleted; the projections, the fold and a rebuild agree.
        #expect(try t.facts().count == factsBefore + 1)
        guard case let .importUndone(undone)? = try t.facts().last else { Issue.record("no import.undone"); return }
        #expect(undone.importSeq == imports[1].id && undone.reason == "wrong file" && undone.asOfBefore.count == 42)
        #expect(try orderRows(t) == before)
        #expect(try t.ledger.snapshot().orders == beforeOrders)
        #expect(try folded(t) == beforeOrders)
        try t.expectVerified()
        #expect(try session.orderImports().map(\.undoneBy) == [nil, outcome.seq])
        // Its file is no longer "already imported": importing it again does what it did the first time.
        let again = try t.importFile(.shopify, export2)
        #expect(again.previous == nil && again.counts == second.counts)
        let twice = try TemporaryLedger()
        try twice.importFile(.shopify, export1)
        try twice.importFile(.shopify, export2)
        #expect(try orderRows(t) == orderRows(twice))
        #expect(try folded(t) == twice.ledger.snapshot().orders)
        try t.expectVerified()
    }

    @Test func onlyTheLatestImportOfASourceCanBeUndoneAndARefusalWritesNothing() throws {
        let t = try TemporaryLedger()
        let session = LedgerSession(t.ledger)
        try t.importFile(.shopify, export1)
        try t.importFile(.orders, try t.write(canonical(a1), "pop-up.csv"))
        try t.importFile(.shopify, export2)
        let ids = try session.orderImports().map(\.id)
        let log = try t.logText()
        func refusal(_ id: Int64) -> String {
            do {
                _ = try session.undoImport(id, reason: "x", dryRun: false)
                Issue.record("import \(id) was undone")
            } catch { return "\(error)" }
            return ""
        }
        #expect(
            refusal(ids[0]).contains(
                "is not the latest import of source shopify: import \(ids[2]) "
                    + "(orders_export_2026-08-15_2026-10-31.csv) came after it; "
                    + "undo \(ids[2]) first"))
        #expect(refusal(999).contains("there is no order import 999; 'tally imports' lists them"))
        #expect(throws: UserError.self) { try session.undoImport(ids[2], reason: "  ", dryRun: false) }
        #expect(try t.logText() == log)
        // Another source's import is its own history: the canonical one is the latest of its source.
        _ = try session.undoImport(ids[1], reason: "test file", dryRun: false)
        #expect(refusal(ids[1]).contains("was already undone"))
        _ = try session.undoImport(ids[2], reason: "x", dryRun: false)
        _ = try session.undoImport(ids[0], reason: "x", dryRun: false)
        #expect(try t.orderCount() == 0 && folded(t).isEmpty)
        try t.expectVerified()
    }

    @Test func aDryRunShowsTheEffectAndWritesNothing() throws {
        let t = try TemporaryLedger()
        let session = LedgerSession(t.ledger)
        try t.importFile(.shopify, export1)
        try t.importFile(.shopify, export2)
        let id = try #require(try session.orderImports().last?.id)
        let log = try t.logText()
        let dry = try session.undoImport(id, reason: "check", dryRun: true)
        #expect(dry.dryRun && dry.seq == nil)
        #expect(try t.logText() == log)
        let real = try session.undoImport(id, reason: "check", dryRun: false)
        #expect(real.effect == dry.effect && real.seq != nil)
    }

    /// An undone import that confirmed orders gave them a newer as-of: the undo takes it back, or a
    /// later export between the two would be stale and its refund recorded at the wrong time.
    @Test func theAsOfAnImportGaveGoesBack() throws {
        let t = try TemporaryLedger()
        let session = LedgerSession(t.ledger)
        try t.importFile(.orders, try t.write(canonical(a1, a2), "september.csv"))  // as-of Sep 2
        let september = instant("2026-09-02T11:30:00-04:00")
        let later = try t.importFile(.orders, try t.write(canonical(a2, a1), "wrong.csv"), asOf: "2026-11-15")
        #expect(later.counts.confirmed == 2)
        #expect(try t.order("A1")?.asOf == instant("2026-11-15T00:00:00-05:00"))
        let id = try #require(try session.orderImports().last?.id)
        _ = try session.undoImport(id, reason: "wrong --as-of", dryRun: false)
        #expect(try t.order("A1")?.asOf == september && t.order("A2")?.asOf == september)
        let refunded = a1.replacingOccurrences(of: "paid,0.00", with: "partially_refunded,20.00")
        let october = try t.importFile(.orders, try t.write(canonical(refunded, a2), "october.csv"), asOf: "2026-10-05")
        #expect(october.counts.changed == 1 && october.counts.stale == 0)
        #expect(try t.changes("A1").last?.effectiveAt == instant("2026-10-05T00:00:00-04:00"))
        try t.expectVerified()
    }

    /// The changes an undone import recorded, a stale export's news among them, are reversed; the
    /// orders' state is folded again from what is left.
    @Test func theChangesAnImportRecordedAreReversed() throws {
        let t = try TemporaryLedger()
        let session = LedgerSession(t.ledger)
        let a3 = "A3,2026-10-05T09:00:00-04:00,USD,20.00,0.00,0.00,0.00,20.00,,,,paid,0.00,,false"
        try t.importFile(.orders, try t.write(canonical(a1, a2, a3), "october.csv"))
        let cancelled = a2.replacingOccurrences(of: "paid,0.00,,", with: "voided,0.00,2026-09-03T09:00:00-04:00,")
        let refunded = a1.replacingOccurrences(of: "paid,0.00", with: "refunded,102.20")
        let news = try t.importFile(.orders, try t.write(canonical(refunded, cancelled), "old.csv"))
        #expect(news.counts.staleNews == 2)
        let refundedAgain = try t.importFile(
            .orders, try t.write(canonical(refunded, a3), "refund.csv"),
            asOf: "2026-11-01")
        #expect(refundedAgain.counts.unchanged == 2)
        let ids = try session.orderImports().map(\.id)
        _ = try session.undoImport(ids[2], reason: "x", dryRun: false)
        _ = try session.undoImport(ids[1], reason: "x", dryRun: false)
        #expect(try t.order("A1")?.state == OrderState(status: .paid, refundedMinor: 0, cancelledAt: nil))
        #expect(try t.order("A2")?.state == OrderState(status: .paid, refundedMinor: 0, cancelledAt: nil))
        #expect(try t.order("A1")?.asOf == instant("2026-10-05T09:00:00-04:00"))
        #expect(try t.ledger.snapshot().orders == folded(t))
        #expect(try t.ledger.snapshot().orders.allSatisfy { $0.changes.isEmpty })
        try t.expectVerified()
    }

    /// Rules §3: the same bytes stated at another time are a new snapshot, not a repeat.
    @Test func theSameBytesAtAnotherAsOfAreANewSnapshot() throws {
        let t = try TemporaryLedger()
        let path = try t.write(canonical(a1, a2), "september.csv")
        try t.importFile(.orders, path)
        #expect(try t.importFile(.orders, path).previous != nil)
        let restated = try t.importFile(.orders, path, asOf: "2026-10-01")
        #expect(restated.previous == nil && restated.counts.confirmed == 2)
        let log = try t.logText()
        let repeated = try t.importFile(.orders, path, asOf: "2026-10-01")
        #expect(repeated.previous?.asOf == instant("2026-10-01T00:00:00-04:00"))
        #expect(try t.importFile(.orders, path).previous != nil)
        #expect(try t.logText() == log)
        #expect(try LedgerSession(t.ledger).orderImports().count == 2)
        try t.expectVerified()
    }
}
