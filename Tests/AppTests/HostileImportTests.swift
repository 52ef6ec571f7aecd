@testable import App
import Foundation
import LedgerCore
import LedgerStore
@testable import OrderImport
import TestSupport
import Testing

// Hostile files for every importer: mutated copies of the example files, and the example rows
// with hostile values put into each column. Each import either succeeds or fails with an
// InputIssue / MasterDataImportError (file:line:column), and a failed import leaves the log as
// it was. Afterwards the ledger verifies and the engine can preview and close every month the
// accepted orders fall in, without a trap.

/// One importer and the example it starts from.
struct ImporterCase: CustomStringConvertible, Sendable {
    enum Kind: Sendable {
        case orders(OrderDialectKind)
        case masterData(MasterDataKind)
    }
    let kind: Kind
    let example: String
    var description: String {
        switch kind {
        case let .orders(dialect): return "import \(dialect.rawValue)"
        case let .masterData(kind): return "import \(kind.rawValue)"
        }
    }
}

let importerCases: [ImporterCase] =
    [
        ImporterCase(kind: .orders(.shopify), example: "shopify/orders_export_2026-07-01_2026-08-31.csv"),
        ImporterCase(kind: .orders(.woocommerce), example: "woocommerce/orders_export_woo.csv"),
        ImporterCase(kind: .orders(.orders), example: "orders/popup-and-tiktok.csv")
    ] + MasterDataKind.allCases.map { ImporterCase(kind: .masterData($0), example: "\($0.rawValue).csv") }

/// The header and the first `rows` records of an example file (records, not lines: quoted fields
/// may span lines).
func examplePrefix(_ name: String, rows: Int) throws -> [UInt8] {
    let bytes = Array(try Data(contentsOf: examplesDirectory().appendingPathComponent(name)))
    var reader = CSVReader(bytes: bytes)
    var taken = 0
    while taken <= rows, try reader.next() { taken += 1 }
    return Array(bytes.prefix(reader.bytesConsumed))
}

/// A ledger with the example creators, so that codes, terms and the rest have someone to refer to.
func ledgerWithCreators() throws -> TemporaryLedger {
    let ledger = try TemporaryLedger()
    let creators = examplesDirectory().appendingPathComponent("creators.csv").path
    _ = try MasterDataImport.run(.creators, path: creators, file: "creators.csv", ledger: ledger.ledger, dryRun: false)
    return ledger
}

/// Runs one import; returns nil on success, the message of a clean failure, and records an
/// issue for anything else (a failure that is not a positioned input error, or a changed log).
@discardableResult
func importCleanly(_ importer: ImporterCase, _ path: String, into t: TemporaryLedger, context: String) -> String? {
    let before = t.ledger.lastSeq
    do {
        switch importer.kind {
        case let .orders(dialect): try t.importFile(dialect, path)
        case let .masterData(kind):
            _ = try MasterDataImport.run(kind, path: path, file: "hostile.csv", ledger: t.ledger, dryRun: false)
        }
        return nil
    } catch let issue as InputIssue {
        #expect(t.ledger.lastSeq == before, "\(context): a failed import wrote facts")
        #expect(issue.description.hasPrefix(path) && !issue.description.contains("internal"), "\(context): \(issue)")
        return issue.description
    } catch let error as MasterDataImportError {
        #expect(t.ledger.lastSeq == before, "\(context): a failed import wrote facts")
        #expect(
            !error.issues.isEmpty && error.issues.allSatisfy { $0.description.hasPrefix("hostile.csv") },
            "\(context): \(error)")
        return error.description
    } catch {
        Issue.record("\(context): not a clean input error: \(type(of: error)) \(error)")
        return "\(error)"
    }
}

/// The ledger verifies, and the engine previews and closes every month an accepted order or
/// activity falls in (a trap here would be a crash of `tally payout close`).
func checkLedgerStillWorks(_ t: TemporaryLedger, context: String) throws {
    let report = try t.ledger.verify()
    #expect(report.isClean, "\(context): \(report.problems)")
    let zone = t.ledger.settings.zone
    var months = Set<YearMonth>()
    try t.ledger.forEachFact { stored in months.insert(zone.month(of: stored.effectiveAt)) }
    for month in months.sorted().prefix(24) {
        _ = try? LedgerSession(t.ledger).previewPayouts(month)
    }
}

@Test(arguments: importerCases)
func mutatedExportsImportOrFailCleanly(_ importer: ImporterCase) throws {
    let t = try ledgerWithCreators()
    let original = try examplePrefix(importer.example, rows: 8)
    var failures = 0
    let base = hostileSeedBase()
    for seed in base..<(base + 40) {
        var rng = SplitMix64(state: seed)
        let path = t.path("mutated-\(seed).csv")
        try Data(mutate(original, &rng)).write(to: URL(fileURLWithPath: path))
        if importCleanly(importer, path, into: t, context: "\(importer) seed \(seed)") != nil { failures += 1 }
    }
    #expect(failures > 5, "\(importer): the mutations should break most files (\(failures) failed)")
    try checkLedgerStillWorks(t, context: "\(importer)")
}

/// Values that broke parsers elsewhere; each is put into every column of the first data row.
let hostileValues = [
    "1e309", "123456789012345678901234567890", "-123456789012345678901234567890.99", "-5000.00", "NaN",
    "0000-01-01", "0000-01-01 00:00:00 +0000", "9999-12-31", "9999-12-31 23:59:59 -1800", "9999-12-31T23:59:59-18:00",
    "\u{0}", "\u{FFFD}\u{FFFD}", "\"", "", String(repeating: "9", count: 4_000)
]

/// Replaces field `column` of record 1 (the first data row) with `value`, quoted.
func replacingField(_ bytes: [UInt8], column: Int, with value: String) -> [UInt8]? {
    var reader = CSVReader(bytes: bytes)
    var records: [[String]] = []
    while (try? reader.next()) == true { records.append((0..<reader.fieldCount).map { reader.string($0) }) }
    guard records.count > 1, column < records[1].count else { return nil }
    records[1][column] = value
    let text =
        records.map { $0.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",") }
        .joined(separator: "\n") + "\n"
    return Array(text.utf8)
}

@Test(arguments: importerCases)
func hostileValuesInEveryColumnImportOrFailCleanly(_ importer: ImporterCase) throws {
    let t = try ledgerWithCreators()
    let original = try examplePrefix(importer.example, rows: 2)
    var reader = CSVReader(bytes: original)
    _ = try reader.next()
    let columns = reader.fieldCount
    var failures = 0, imports = 0
    for column in 0..<columns {
        for (n, value) in hostileValues.enumerated() {
            guard let bytes = replacingField(original, column: column, with: value) else { continue }
            let path = t.path("hostile-\(column)-\(n).csv")
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            imports += 1
            if importCleanly(
                importer, path, into: t,
                context: "\(importer) column \(column + 1) value \(value.prefix(30).debugDescription)") != nil
            {
                failures += 1
            }
        }
    }
    #expect(imports == columns * hostileValues.count)
    #expect(failures > 0, "\(importer): no hostile value was refused")
    try checkLedgerStillWorks(t, context: "\(importer)")
}
