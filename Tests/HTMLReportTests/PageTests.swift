import Foundation
import Mustache
@testable import HTMLReport
import HTMLReportSamples
import LedgerCore
import Testing

@Suite("close report and statement pages")
struct PageTests {
    static let october = renderCloseReport(ExampleShopOctober.report())
    static let strained = renderCloseReport(StrainedReport.report())

    @Test func hostileNamesAndCodesShowAsTextNeverAsMarkup() {
        let page = PageTests.strained
        #expect(!page.contains("<script"))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(page.contains("Zoë &quot;Quotes&quot; &amp; O&#39;Brien"))
        #expect(page.contains("&lt;B&gt;BOLD&amp;CO&lt;/B&gt;"))
        #expect(!page.contains("<B>"))
        #expect(page.contains("Hostile &amp; &lt;Strained&gt; Brand"))
        let closed = renderCloseReport(StrainedReport.report(state: .closed))
        #expect(closed.contains("SEPA-&quot;3&quot;&amp;&lt;ref&gt;"))
    }

    @Test func noTemplateInsertsAValueUnescaped() {
        for source in Templates.allSources {
            #expect(!source.contains("{{{"))
            #expect(!source.contains("{{&"))
        }
    }

    @Test func aNilFieldDoesNotBorrowTheSameNameFromAnEnclosingValue() throws {
        struct Inner: TemplateValue { var note: String? }
        struct Outer: TemplateValue { var note: String; var inner: Inner }
        let text = "{{#inner}}[{{note}}]{{#note}}yes{{/note}}{{^note}}no{{/note}}{{/inner}}"
        let template = try MustacheProbe.render(text, Outer(note: "outer", inner: Inner(note: nil)))
        #expect(template == "[]no")
    }

    @Test func thePageLoadsNothingFromAnywhere() {
        let statement = renderStatementPage(ExampleShopOctober.statement("anna-bakes")!)
        for page in [PageTests.october, PageTests.strained, statement] {
            #expect(page.contains("content=\"default-src 'none'; style-src 'unsafe-inline'\""))
            for forbidden in ["<script", "<link", "<img", "<iframe", "<object", "src=", "@import", "@font-face"] {
                #expect(!page.lowercased().contains(forbidden), "found \(forbidden)")
            }
            let references = page.ranges(of: "url(").map { String(page[$0.upperBound...].prefix(1)) }
            #expect(references.allSatisfy { $0 == "#" }, "url() to something outside the page")
            let addresses = page.ranges(of: "://").map { String(page[..<$0.lowerBound].suffix(4)) + "..." }
            #expect(
                addresses.count == page.ranges(of: "xmlns=\"http://www.w3.org/2000/svg\"").count,
                "an address other than the SVG namespace: \(addresses)")
            #expect(!page.contains("href=\"http"))
        }
    }

    @Test func everyCreatorHasAStatementAnchorAndTheTableLinksToIt() {
        let report = ExampleShopOctober.report()
        for row in report.payouts {
            #expect(PageTests.october.contains("id=\"creator-\(row.creator)\""))
            #expect(PageTests.october.contains("href=\"#creator-\(row.creator)\""))
        }
        #expect(statementAnchor("a b/ü") == "creator-a%20b%2F%C3%BC")
    }

    @Test func theExampleShowsTheFiguresOfPayoutShow() {
        // `tally payout show --month 2026-10` on the demo ledger: the total row and two creators.
        let page = PageTests.october
        #expect(page.contains("<td class=\"num\" id=\"payout-total\">4,509.64</td>"))
        #expect(page.contains(">head: 593 86b625a4efcaa7501e12b0f1db1a2572e52f923772763a2bc57bdfe6100a18b1<"))
        for figure in ["66.73", "318.24", "52.19", "4,200.00", "12.00", "4,544.78", "35.14", "1,575.40"] {
            #expect(page.contains(">\(figure)<"), "missing \(figure)")
        }
        let glance = ExampleShopOctober.report().glance
        #expect(glance.payoutTotalMinor == 450_964)
        #expect(glance.creatorsPaid == 11 && glance.creators == 12 && glance.paymentsMade == 3)
        #expect(glance.carriedOutMinor == 3_514)
    }

    @Test func theGlanceAddsUpTheRowsAndTheBonusAndRetainerLines() {
        let report = StrainedReport.report()
        let g = report.glance
        var payout: Int64 = 0, balance: Int64 = 0
        for row in report.payouts { payout += row.figures.payoutMinor; balance += row.figures.balanceMinor }
        #expect(g.payoutTotalMinor == payout)
        #expect(g.carriedInMinor + g.commissionsMinor - g.clawbacksMinor + g.feesMinor + g.adjustmentsMinor == balance)
        #expect(g.payoutTotalMinor + g.carriedOutMinor == balance)
        // bonus lines: creators 3, 8, ..., 28 (index % 5 == 2); retainers: index % 3 == 0
        #expect(g.bonusesMinor == 6 * 10_000)
        #expect(g.retainersMinor == 10 * 25_000)
    }

    @Test func anOpenMonthIsMarkedAsAPreviewOnEveryPageAndAClosedOneIsNot() {
        let preview = renderCloseReport(ExampleShopOctober.report(state: .open))
        #expect(preview.contains("@top-center"))
        #expect(preview.contains("class=\"preview-banner screen-banner\""))
        // each statement starts a printed page and carries the notice too
        let statements = ExampleShopOctober.report().statements.count
        #expect(preview.ranges(of: "<p class=\"preview-banner\"").count == statements)
        #expect(!PageTests.october.contains("@top-center"))
        #expect(!PageTests.october.contains("preview-banner\""))
        #expect(!PageTests.october.contains(previewNotice))
        #expect(preview.contains(previewNotice))
        let statement = renderStatementPage(ExampleShopOctober.statement("anna-bakes", state: .open)!)
        #expect(statement.contains("@top-center") && statement.contains("(preview)</title>"))
    }

    @Test func aMonthWithoutActivityIsAShortReportThatSaysSo() {
        var report = ExampleShopOctober.report()
        report.payouts = []
        report.statements = []
        report.creatorCosts = []
        report.tiers = []
        report.unknownCodes = []
        let page = renderCloseReport(report)
        #expect(page.contains("No activity in October 2026"))
        #expect(!page.contains("id=\"payouts\""))
        #expect(!page.contains("class=\"statement\""))
        #expect(!page.contains("id=\"chart-payouts\""))
        #expect(page.contains("Every code on this month&#39;s orders is known."))
        #expect(page.contains("id=\"chart-history\""))  // earlier months still have figures
    }

    @Test func theStatementExplainsThePayout() {
        let kate = StatementPresenter(page: ExampleShopOctober.statement("kettle-kate")!)
        #expect(
            kate.payoutExplanation
                == "The balance is below the minimum payout of 50.00 USD: it is carried to November 2026.")
        #expect(kate.paymentText == "No payment this month.")
        let anna = StatementPresenter(page: ExampleShopOctober.statement("anna-bakes")!)
        #expect(anna.paymentText == "Paid on 2026-11-05 by PayPal.")
        #expect(anna.paymentReference == "PAYPAL-BATCH-1107")
        #expect(kate.paymentReference == nil)
        #expect(anna.arithmetic.map(\.amount) == ["26.21", "44.53", "0.00", "0.00", "0.00", "70.74", "70.74", "0.00"])
        #expect(anna.sections.map(\.title) == ["Orders"])
        #expect(anna.sections[0].rows[0].rate == "10% + 1.00")
        let owing = StatementPresenter(page: StrainedReport.report(state: .closed).statements[1])
        #expect(owing.payoutExplanation == "A negative balance is not paid: it is carried to April 2027.")
        #expect(owing.sections.map(\.title) == ["Orders", "Adjustments"])
        #expect(owing.sections[0].rows.compactMap(\.tag) == ["clawback"])
    }

    @Test func aCorrectingOrderLineSaysWhatChangedAndAPaymentWithoutDayOrMethodSaysWhatIsKnown() {
        var page = ExampleShopOctober.statement("anna-bakes")!
        #expect(StatementPresenter(page: page).sections[0].noteHeading == nil)
        page.entries.append(
            StatementEntry(
                kind: .clawback, reference: "#1174", date: CivilDate.parse("2026-10-20")!,
                baseMinor: 0, rate: nil, amountMinor: -304, note: "refund"))
        let presenter = StatementPresenter(page: page)
        #expect(presenter.sections[0].noteHeading == "Change")
        #expect(presenter.sections[0].rows.last?.note == "refund")
        #expect(presenter.sections[0].totalColumns == "5")
        page.payment = .paid(Payment(reference: "R-1", date: nil, method: nil, amountMinor: page.figures.payoutMinor))
        #expect(StatementPresenter(page: page).paymentText == "Paid.")
    }

    @Test func termsListOnlyTheClausesInForce() {
        let plain = StatementPresenter(page: ExampleShopOctober.statement("leafy-lena")!).context.terms.map(\.label)
        #expect(plain == ["In force since", "Commission", "Bonus", "Holdback", "Minimum payout"])
        let full = StatementPresenter(page: StrainedReport.report(state: .closed).statements[0])
        #expect(
            full.context.terms.map(\.label) == [
                "In force since", "Commission", "New customers",
                "Returning customers", "Tiers", "Bonus", "Retainer", "Holdback",
                "Minimum payout"
            ])
        let tiers = full.context.terms.first { $0.label == "Tiers" }?.value
        #expect(tiers == "12.5% from conversion 26 (from that conversion on)")
        let none = renderStatementPage(ExampleShopOctober.statement("cuppa-cam")!)
        #expect(none.contains("No terms were set for this creator"))
    }

    @Test func moneyHasTheDecimalsOfTheLedgersCurrency() {
        #expect(Display.money(123_456, .jpy) == "123,456")
        #expect(Display.money(-1_234_567, .kwd) == "-1,234.567")
        #expect(Display.money(-5, .usd) == "-0.05")
        var report = ExampleShopOctober.report()
        report.currency = .jpy
        let page = renderCloseReport(report)
        #expect(page.contains(">450,964 JPY<"))
    }

    @Test func ratiosAreRoundedHalfToEvenWithFourDecimalsAsRoiPrintsThem() {
        #expect(Display.ratio(1, 3) == "0.3333")
        #expect(Display.ratio(5, 20_000) == "0.0002")  // 0.00025 -> even
        #expect(Display.ratio(15, 20_000) == "0.0008")  // 0.00075 -> even
        #expect(Display.ratio(7, 0) == Display.undefined)
        #expect(Display.ratio(7, -2) == Display.undefined)
    }

    @Test func timestampsReadAsDateTimeAndOffset() {
        #expect(Display.timestamp(Timestamp.parse("2026-11-05T09:30:00-05:00")!) == "2026-11-05 09:30 -05:00")
        #expect(Display.timestamp(Timestamp.parse("2026-11-05T14:30:59Z")!) == "2026-11-05 14:30 UTC")
    }
}

/// Renders one throwaway template with the module's value lookup.
enum MustacheProbe {
    static func render(_ text: String, _ value: some TemplateValue) throws -> String {
        try MustacheTemplate(string: text).render(value)
    }
}
