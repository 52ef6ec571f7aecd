@testable import App
import Foundation
import LedgerCore
import TestSupport
import Testing

/// The use cases called in process, as the command line calls them: the README walkthrough on the
/// bundled examples, checked against what its transcript shows (Tests/Golden/walkthrough.txt).
@Suite("use cases in process")
struct SessionTests {
    let examples = examplesDirectory()

    /// The examples' master data and order exports imported into `t`, as the walkthrough does.
    func walkthroughSession(_ t: TemporaryLedger) throws -> LedgerSession {
        let session = LedgerSession(t.ledger)
        for kind in MasterDataKind.allCases {
            let path = examples.appendingPathComponent("\(kind.rawValue).csv").path
            _ = try session.importMasterData(kind, path: path, file: "\(kind.rawValue).csv", dryRun: false)
        }
        for (dialect, file) in [
            (OrderDialectKind.shopify, "shopify/orders_export_2026-07-01_2026-08-31.csv"),
            (.shopify, "shopify/orders_export_2026-08-15_2026-10-31.csv"),
            (.woocommerce, "woocommerce/orders_export_woo.csv"),
            (.orders, "orders/popup-and-tiktok.csv")
        ] {
            let path = examples.appendingPathComponent(file).path
            _ = try session.importOrders(OrderImportRequest(dialect: dialect, path: path))
        }
        return session
    }

    /// Undoing an import whose orders a closed month paid: the closed months stay as they are, and
    /// the next close claws the commissions back (ledger rules §3).
    @Test func anUndoneImportIsSettledInTheNextClose() throws {
        let t = try TemporaryLedger(now: Timestamp.parse("2026-11-21T12:00:00Z")!.instant)
        let session = try walkthroughSession(t)
        for month in ["2026-07", "2026-08", "2026-09"] { _ = try session.closeMonth(ym(month)) }
        let paid = try t.ledger.snapshot().statements.flatMap(\.lines)
            .filter { $0.kind == .commission && $0.ref.hasPrefix("woocommerce:") }
        #expect(!paid.isEmpty)
        let statements = try t.ledger.snapshot().statements
        let woo = try #require(try session.orderImports().last { $0.source == "woocommerce" })
        let undo = try session.undoImport(woo.id, reason: "wrong shop", dryRun: false)
        #expect(undo.effect.ordersForgotten == 41 && undo.lastClosedMonth == ym("2026-09"))
        #expect(try t.ledger.snapshot().statements == statements)
        let october = try session.closeMonth(ym("2026-10")).statements.flatMap(\.lines)
        let closedLines = statements.flatMap(\.lines)
        for ref in Set(paid.map(\.ref)) {
            let net = closedLines.filter { $0.ref == ref }.map(\.amountMinor).reduce(0, +)
            let back = october.filter { $0.ref == ref }.map(\.amountMinor).reduce(0, +)
            #expect(net > 0 && back == -net, "\(ref)")
        }
        #expect(!october.contains { $0.kind == .commission && $0.ref.hasPrefix("woocommerce:") })
    }

    @Test func theWalkthroughInProcess() throws {
        let t = try TemporaryLedger(now: Timestamp.parse("2026-11-21T12:00:00Z")!.instant)
        let session = try walkthroughSession(t)
        let unknown = try session.unknownCodes().map(\.code)
        // KATE10 and STEEPSAM start after some of their orders, SLOWSIPS ends before some: they paid nobody there.
        #expect(
            unknown == [
                "AUTOMATIC DISCOUNTS", "CUSTOM DISCOUNT", "KATE10", "SLOWSIPS", "STEEPSAM", "SUMMER2025",
                "TEA4TWO"
            ])
        let july = try session.previewPayouts(ym("2026-07"))
        #expect(july.result.payoutTotalMinor == 56_131 && july.notes.isEmpty)
        let months = ["2026-07", "2026-08", "2026-09", "2026-10"]
        let totals = try months.map { try session.closeMonth(ym($0)).payoutTotalMinor }
        #expect(totals == [56_131, 427_375, 353_486, 450_964])
        #expect(throws: PayoutError.self) { try session.closeMonth(ym("2026-10")) }
        let statement = try session.statement(creator: "anna-bakes", month: ym("2026-09"))
        #expect(statement.source == .frozen && statement.lines.count == 5)
        #expect(statement.figures?.commissionsMinor == 2_621)
        let payments = try session.payoutMonth(ym("2026-09")).rows.filter { $0.figures.payoutMinor > 0 }
        #expect(payments.count == 7 && payments.reduce(0) { $0 + $1.figures.payoutMinor } == 353_486)
        let paid = try session.markPaid(
            month: ym("2026-09"),
            mark: PaymentMark(creator: payments[0].creator, reference: "REF-1"))
        #expect(paid.payment.amountMinor == payments[0].figures.payoutMinor && paid.payment.reference == "REF-1")
        #expect(
            try session.payoutMonth(ym("2026-09")).rows.first { $0.creator == payments[0].creator }?.payment
                == paid.payment)
        let explanation = try session.explain("7209192468671")
        #expect(explanation.evaluation.attribution.creator == "anna-bakes")
        #expect(explanation.statementLines.map(\.line.amountMinor) == [427])
        let from = CivilDate.parse("2026-07-01")!, to = CivilDate.parse("2026-10-31")!
        let byTier = try session.roi(from: from, to: to, by: .tier, compareAt: nil)
        #expect(byTier.map(\.keys) == [["nano"], ["micro"], ["macro"], ["mega"]])
        #expect(byTier.reduce(0) { $0 + $1.figures.conversions } == 155)
        #expect(try session.verify().isClean)
    }

    @Test func masterDataUseCasesSayWhatChanged() throws {
        let t = try TemporaryLedger()
        let session = LedgerSession(t.ledger)
        let anna = CreatorDetails(
            id: "anna", name: "Anna", email: "anna@example.com", followers: ["instagram": 48_200],
            payout: PayoutDetails(method: "paypal", account: "anna@example.com"))
        #expect(try session.addCreator(anna) == .added)
        #expect(try session.addCreator(anna) == .unchanged)
        #expect(try session.creators().map(\.account) == ["****.com"])
        let july = day("2026-07-01")
        let assigned = try session.assignCode("ANNA10", creator: "anna", from: july, until: nil)
        #expect(assigned == .recorded(.added, from: july, until: nil))
        #expect(throws: MasterDataConflict.self) {
            try session.assignCode("ZED", creator: "zed", from: july, until: nil)
        }
        #expect(throws: EndNotAfterStart.self) {
            try session.assignCode("ANNA10", creator: "anna", from: july, until: july)
        }
        let (change, id) = try session.addPost(
            id: nil, creator: "anna", at: july, platform: "instagram",
            feeMinor: 25_000, url: nil, impressions: nil, engagements: nil)
        #expect(change == .added && id.hasPrefix("post-"))
        #expect(try session.setTiers(micro: 500, macro: nil, mega: nil)?.microFrom == 500)
        #expect(try session.setTiers(micro: 500, macro: nil, mega: nil) == nil)
        #expect(throws: UserError.self) { try session.setTiers(micro: 0, macro: nil, mega: nil) }
    }
}
