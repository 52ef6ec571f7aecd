import Foundation
import HTMLReport
import HTMLReportSamples
import TestSupport
import Testing

/// The pages in a real browser, with no network: the DOM Chromium builds holds what the report
/// says, the screenshot is not blank, and nothing was requested from outside the file.
@Suite(
    "close report in Chromium", .enabled(if: Browser.installed != nil, Comment(rawValue: Browser.missingMessage)),
    .serialized)
final class BrowserTests {
    let browser = Browser.installed!
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tally-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func write(_ html: String, _ name: String) throws -> URL {
        let file = directory.appendingPathComponent(name)
        try Data(html.utf8).write(to: file)
        return file
    }

    @Test func theDOMHoldsEveryCreatorTheTotalAndTheCharts() async throws {
        let report = ExampleShopOctober.report()
        let page = try write(renderCloseReport(report), "october.html")
        let run = try await browser.open(page, "--dump-dom", in: directory)
        #expect(run.status == 0, "\(run.stderr)")
        let dom = String(decoding: run.stdout, as: UTF8.self)
        for row in report.payouts {
            #expect(dom.contains(">\(row.name)</a>"), "no \(row.name) in the DOM")
            #expect(dom.contains("id=\"creator-\(row.creator)\""))
        }
        // The total of `tally payout show --month 2026-10` on the demo ledger.
        #expect(dom.contains("id=\"payout-total\">4,509.64</td>"))
        for chart in ["payouts", "tier-cost", "tier-roas", "fees-commissions", "history", "unknown-codes"] {
            #expect(dom.contains("<figure class=\"chart\" id=\"chart-\(chart)\""), "chart \(chart) missing")
        }
        #expect(dom.components(separatedBy: "<svg").count - 1 == 6)
        #expect(Browser.outsideRequests(run.requestedURLs).isEmpty, "requested \(run.requestedURLs)")
    }

    @Test func hostileNamesStayTextInTheBrowsersDOM() async throws {
        let page = try write(renderCloseReport(StrainedReport.report()), "strained.html")
        let run = try await browser.open(page, "--dump-dom", in: directory)
        let dom = String(decoding: run.stdout, as: UTF8.self)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!dom.contains("<script"))
        #expect(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(Browser.outsideRequests(run.requestedURLs).isEmpty, "requested \(run.requestedURLs)")
    }

    @Test func theScreenshotIsNotBlank() async throws {
        let page = try write(renderCloseReport(ExampleShopOctober.report(state: .open)), "preview.html")
        let png = directory.appendingPathComponent("preview.png")
        let run = try await browser.open(page, "--screenshot=\(png.path)", windowSize: "1000,1400", in: directory)
        #expect(run.status == 0, "\(run.stderr)")
        let image = try PNGProbe(Data(contentsOf: png))
        #expect(image.width == 1000 && image.height == 1400)
        // Text, tables, the preview banner: far more than a blank page's nothing, far less than a filled one.
        print("screenshot: \(Int(image.inkedFraction * 100)) % of the pixels differ from the background")
        #expect(image.inkedFraction > 0.05, "inked \(image.inkedFraction)")
        #expect(image.inkedFraction < 0.9)
        #expect(Browser.outsideRequests(run.requestedURLs).isEmpty, "requested \(run.requestedURLs)")
    }

    @Test func theRequestCheckSeesARequestWhenAPageMakesOne() async throws {
        // The check above can fail: a page that loads an image is caught, though the request goes nowhere.
        let page = try write("<!DOCTYPE html><p>x</p><img src=\"http://tally.invalid/pixel.png\">", "leaky.html")
        let run = try await browser.open(page, "--dump-dom", in: directory)
        #expect(Browser.outsideRequests(run.requestedURLs) == ["http://tally.invalid/pixel.png"])
    }

    @Test func theProbeTellsABlankImageFromADrawnOne() async throws {
        let blank = try write("<!DOCTYPE html><body style=\"background:#fff\"></body>", "blank.html")
        let png = directory.appendingPathComponent("blank.png")
        let run = try await browser.open(blank, "--screenshot=\(png.path)", windowSize: "400,300", in: directory)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try PNGProbe(Data(contentsOf: png)).inkedFraction == 0)
    }
}

@Suite("browser on CI")
struct BrowserOnCITests {
    /// CI runs scripts/setup.sh, which installs the browser: there a skipped browser test is a failure.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["CI"] == "true"))
    func ciHasTheBrowser() {
        #expect(Browser.installed != nil, "CI=true but \(Browser.missingMessage)")
    }
}
