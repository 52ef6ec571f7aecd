import Foundation
import TestSupport
import Testing

/// A workbook given where a CSV file is read (saved as .xlsx, or renamed to .csv) is named as one,
/// with how to save it as CSV, before any byte is read as a field (CSVReader.workbook).
@Suite("a spreadsheet workbook given as CSV")
struct WorkbookFileTests {
    @Test func everyReaderNamesAWorkbookAndHowToSaveItAsCSV() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try #require(try runTally(["init", "--currency", "USD"], in: dir).status == 0)
        let xlsx = Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00] + [UInt8](repeating: 0, count: 64))
        let xls = Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 64))
        try xlsx.write(to: dir.appendingPathComponent("orders.csv"))
        try xls.write(to: dir.appendingPathComponent("creators.xls"))
        let save = "not a CSV text file: save it as CSV (in Excel: File > Save As > CSV UTF-8) and give that file"
        for (arguments, kind) in [
            (["import", "shopify", "orders.csv"], "an Excel workbook or another zip archive (.xlsx, .ods, .numbers)"),
            (["import", "creators", "creators.xls"], "an old Excel workbook (.xls)"),
            (["payout", "mark-paid", "--month", "2026-08", "--from-file", "orders.csv"], "an Excel workbook")
        ] {
            let result = try runTally(arguments, in: dir)
            #expect(result.status == 1, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("this is \(kind)"), "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(save), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("NUL byte"), "\(arguments): \(result.stderr)")
        }
    }
}
