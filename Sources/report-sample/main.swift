// Writes a fixed sample page (Sources/HTMLReportSamples) for scripts/report-screenshot.sh: the pages
// without a ledger, among them one that strains the layout. `report-sample KIND OUTPUT.html`.
import Foundation
import HTMLReport
import HTMLReportSamples

let kinds: [String: () -> String] = [
    "october": { renderCloseReport(ExampleShopOctober.report()) },
    "october-preview": { renderCloseReport(ExampleShopOctober.report(state: .open)) },
    "statement": { renderStatementPage(ExampleShopOctober.statement("anna-bakes")!) },
    "strained": { renderCloseReport(StrainedReport.report()) }
]

let arguments = CommandLine.arguments.dropFirst()
guard arguments.count == 2, let render = kinds[arguments.first!] else {
    let usage = "usage: report-sample \(kinds.keys.sorted().joined(separator: "|")) OUTPUT.html\n"
    FileHandle.standardError.write(Data(usage.utf8))
    exit(2)
}
do {
    try Data(render().utf8).write(to: URL(fileURLWithPath: arguments.last!), options: .atomic)
} catch {
    let message = "report-sample: cannot write \(arguments.last!): \(error.localizedDescription)\n"
    FileHandle.standardError.write(Data(message.utf8))
    exit(1)
}
