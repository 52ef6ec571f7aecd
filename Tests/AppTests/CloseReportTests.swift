@testable import App
import Foundation
import HTMLReport
import LedgerCore
import TestSupport
import Testing

/// The close report's use case on the examples ledger: every figure it carries is the figure of the
/// use case behind the terminal command that shows it (`payout show`/`preview`, `roi`, `statement`).
@Suite("close report from the ledger")
struct CloseReportTests {
    /// The examples' master data and exports imported into `t`, as the walkthrough does.
    func examplesSession(_ t: TemporaryLedger) throws -> LedgerSession {
        let session = LedgerSession(t.ledger)
        let examples = examplesDirectory()
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

    @Test func aClosedMonthCarriesTheFiguresOfPayoutShowRoiAndStatement() throws {
        let t = try TemporaryLedger()
        let session = try examplesSession(t)
        for month in ["2026-07", "2026-08", "2026-09", "2026-10"] { try session.closeMonth(ym(month)) }
        let paidOn = CivilDate.parse("2026-11-06")!
        _ = try session.markPaid(
            month: ym("2026-10"),
            mark: PaymentMark(
                creator: "matcha-mo", reference: "WISE-1", paidOn: paidOn,
                method: .wise))
        let october = ym("2026-10")
        let (report, notes) = try session.closeReport(month: october, brand: "Maple & Moss")
        #expect(notes.isEmpty)
        #expect(report.state == .closed && report.brand == "Maple & Moss" && report.currency.code == "USD")

        let shown = try session.closedStatements(october).filter(\.figures.isShown)
        #expect(report.payouts.map(\.creator) == shown.map(\.creator))
        #expect(report.payouts.map(\.figures) == shown.map(\.figures))
        #expect(report.glance.payoutTotalMinor == 450_964)
        let names = try session.creators().reduce(into: [String: String]()) { $0[$1.creator.id] = $1.creator.name }
        #expect(report.payouts.allSatisfy { names[$0.creator] == $0.name })

        let mo = try #require(report.payouts.first { $0.creator == "matcha-mo" })
        guard case let .paid(payment) = mo.payment else { Issue.record("matcha-mo not paid: \(mo.payment)"); return }
        #expect(payment.reference == "WISE-1" && payment.amountMinor == mo.figures.payoutMinor)
        #expect(payment.date == paidOn && payment.method == "wise")
        let kate = try #require(report.payouts.first { $0.creator == "kettle-kate" })
        #expect(kate.payment == .noPayout)  // carried: below her minimum payout
        #expect(report.payouts.filter { $0.payment == .unpaid }.count == report.glance.creatorsPaid - 1)

        let from = october.firstDay, to = CivilDate.parse("2026-10-31")!
        #expect(report.roiPeriod == DayRange(from: from, to: to))
        let byTier = try session.roi(from: from, to: to, by: .tier, compareAt: nil)
        #expect(report.tiers.map(\.tier) == byTier.map { $0.keys[0] })
        #expect(report.tiers.map(\.figures) == byTier.map(\.figures))
        let byCreator = try session.roi(from: from, to: to, by: .creator, compareAt: nil)
        #expect(report.creatorCosts.map(\.creator) == byCreator.map { $0.keys[0] })
        #expect(report.creatorCosts.map(\.tier) == byCreator.map { $0.keys[1] })
        #expect(report.creatorCosts.map(\.figures) == byCreator.map(\.figures))

        // July to October: the months of the ledger, each the sum of its statements.
        #expect(report.history.map(\.month.description) == ["2026-07", "2026-08", "2026-09", "2026-10"])
        #expect(report.history.map(\.payoutsMinor) == [56_131, 427_375, 353_486, 450_964])
        let giftsInOctober = try session.ledger.snapshot().gifts
            .filter { session.zone.month(of: $0.effectiveAt) == october }.reduce(0) { $0 + $1.valueMinor }
        #expect(report.history.last?.giftsMinor == giftsInOctober)

        #expect(report.statements.map(\.creator) == report.payouts.map(\.creator))
        for page in report.statements {
            let statement = try session.statement(creator: page.creator, month: october)
            #expect(page.figures == statement.figures)
            #expect(page.entries.map(\.amountMinor) == statement.lines.map(\.amountMinor))
            #expect(page.entries.map(\.date) == statement.lines.map(\.date))
            // A bonus taken back is a clawback line of no order: the page shows it with the bonuses.
            let changes = statement.lines.filter(\.isOrderLine).map { $0.order?.change?.rawValue }
            #expect(page.entries.filter { $0.kind == .commission || $0.kind == .clawback }.map(\.note) == changes)
        }
        let anna = try #require(report.statements.first { $0.creator == "anna-bakes" })
        #expect(anna.entries.contains { $0.reference == "#1174" })  // the shop's order number, not shopify:...
        // Each order line's base, rate and fixed part, as `tally statement` shows them.
        let annaLines = try session.statement(creator: "anna-bakes", month: october).lines
        #expect(anna.entries.map(\.baseMinor) == annaLines.map { $0.order?.baseMinor })
        #expect(anna.entries.map(\.rate) == annaLines.map { $0.order?.rate })
        #expect(anna.entries.map(\.perOrderMinor) == annaLines.map { $0.order?.perOrderMinor })
        #expect(anna.entries.contains { $0.reference == "#1174" && $0.baseMinor == 2_040 && $0.perOrderMinor == 100 })
        #expect(anna.terms?.minPayoutMinor == anna.minPayoutMinor)
        let lena = try #require(report.statements.first { $0.creator == "leafy-lena" })
        #expect(lena.terms?.commission.description == "12.5%")
        let bea = try #require(report.statements.first { $0.creator == "brew-bea" })
        #expect(bea.entries.first { $0.kind == .fee }?.note == "instagram")

        let head = try #require(try session.ledger.head())
        #expect(report.chainHead == head.description)
        #expect(report.madeAt == session.zone.timestamp(TemporaryLedger.defaultNow))

        // The unknown codes of October's orders only.
        #expect(
            report.unknownCodes.allSatisfy {
                $0.lastSeen.yearMonth == october && $0.firstSeen.yearMonth == october
            })
        #expect(Set(report.unknownCodes.map(\.code)).isSubset(of: Set(try session.unknownCodes().map(\.code))))
    }

    @Test func anOpenMonthIsThePreviewAndAMonthWithoutActivityIsEmpty() throws {
        let t = try TemporaryLedger()
        let session = try examplesSession(t)
        for month in ["2026-07", "2026-08"] { try session.closeMonth(ym(month)) }
        let (report, _) = try session.closeReport(month: ym("2026-10"), brand: "")
        #expect(report.state == .open)
        let preview = try session.previewPayouts(ym("2026-10")).result.statements.filter(\.figures.isShown)
        #expect(report.payouts.map(\.figures) == preview.map(\.figures))
        #expect(report.statements.allSatisfy { $0.state == .open })
        #expect(report.payouts.allSatisfy { $0.payment != .noPayout || $0.figures.payoutMinor == 0 })
        // September and October are previews too.
        #expect(report.history.map(\.month.description) == ["2026-07", "2026-08", "2026-09", "2026-10"])
        #expect(report.history[2].payoutsMinor == (try session.previewPayouts(ym("2026-09")).result.payoutTotalMinor))

        // A later month still has the balances carried and the commissions matured since: a ledger
        // without orders has nothing in any month.
        let fresh = try TemporaryLedger()
        let (empty, notes) = try LedgerSession(fresh.ledger).closeReport(month: ym("2027-03"), brand: "")
        #expect(!empty.hasActivity && empty.payouts.isEmpty && empty.statements.isEmpty && empty.history.isEmpty)
        #expect(notes.contains { $0.contains("has not ended") })

        // Before the first close, and not closed: a month the ledger cannot show.
        #expect(throws: UserError.self) { try session.closeReport(month: ym("2026-05"), brand: "") }
    }

    @Test func aStatementPageForACreatorWithoutLinesAndForNobody() throws {
        let t = try TemporaryLedger()
        let session = try examplesSession(t)
        try session.closeMonth(ym("2026-07"))
        let (page, _) = try session.statementPage(creator: "cuppa-cam", month: ym("2026-07"), brand: "B")
        let lines = try session.statement(creator: "cuppa-cam", month: ym("2026-07")).lines
        #expect(page.entries.map(\.amountMinor) == lines.map(\.amountMinor))
        #expect(page.state == .closed && page.brand == "B")
        #expect(throws: UserError.self) {
            try session.statementPage(creator: "nobody", month: ym("2026-07"), brand: "")
        }
    }
}
