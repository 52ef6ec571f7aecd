import Foundation
import App
import ArgumentParser
import HTMLReport
import LedgerCore

/// `tally report --month M --output FILE.html`: the close report (issue 17, docs/report.md).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a month's close report: one self-contained HTML file with charts and every statement.",
        discussion: """
            The month at a glance, the payout table (the figures of 'payout show', or of 'payout preview' for an \
            open month, which every page marks as a preview), charts of the payouts, of ROI by tier and by creator \
            (the figures of 'roi' for the month), of the last 12 months and of the month's unknown codes, and one \
            statement per creator (anchor #creator-ID). The file loads nothing from anywhere, opens offline and \
            prints on A4 and Letter. A month without activity gets a short report that says so. The file \
            appears whole or not at all; an existing FILE is refused unless --force.
            """
    )

    @OptionGroup var options: LedgerOptions
    @OptionGroup var month: MonthOption
    @Option(help: ArgumentHelp("The HTML file to write.", valueName: "file")) var output: String
    @Flag(help: "Replace FILE if it exists.") var force = false
    @OptionGroup var brand: BrandOption

    func run() throws {
        try checkDocumentPath(output, replacing: force)
        let session = try options.open(readOnly: true)
        try session.refuseOwnFile(output, writing: "report")
        let (report, notes) = try session.closeReport(month: month.value, brand: brand.value)
        for note in notes { printNote(note) }
        try writeDocument(renderCloseReport(report), to: output, replacing: force)
        let glance = report.glance
        let e = report.currency.minorUnitExponent
        let what = report.state == .open ? "preview of the open month" : "closed month"
        let summary =
            report.hasActivity
            ? "\(glance.creators) creator\(glance.creators == 1 ? "" : "s"), payouts totalling "
                + "\(formatMinorGrouped(glance.payoutTotalMinor, exponent: e)) \(report.currency.code)"
            : "no activity"
        print("Wrote the \(month.value) report (\(what); \(summary)) to \(output).")
        noteIfNotHTMLName(output)
        print("head: \(report.chainHead)")
    }
}

/// `--brand NAME`, the name on the report's and statements' pages.
struct BrandOption: ParsableArguments {
    @Option(help: ArgumentHelp("The brand named on every page (default: none).", valueName: "name"))
    var brand: String?

    var value: String { brand?.trimmingASCIISpaces() ?? "" }
}

/// An HTML page written under another name (`report.pdf`) opens as what its name says, or not at
/// all: said, with how to get a PDF.
func noteIfNotHTMLName(_ path: String) {
    let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
    guard ext != "html", ext != "htm" else { return }
    printNote(
        "\(path) holds an HTML page, whatever its name: name it .html to open it in a browser "
            + "(a PDF: open it there and print to PDF)")
}
