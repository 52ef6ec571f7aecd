@testable import App
import Foundation
import LedgerCore
import LedgerStore
import TestSupport
import Testing
@testable import OrderImport

/// What the master-data tests do with a `TemporaryLedger` (USD, America/New_York, fixed clock and salt).
extension TemporaryLedger {
    /// Writes `text` as `name` and imports it; messages name the file `name`.
    @discardableResult
    func importText(_ kind: MasterDataKind, _ name: String, _ text: String, dryRun: Bool = false) throws
        -> MasterDataSummary
    {
        let path = directory.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return try MasterDataImport.run(kind, path: path, file: name, ledger: ledger, dryRun: dryRun)
    }

    func importExample(_ kind: MasterDataKind) throws -> MasterDataSummary {
        let path = examplesDirectory().appendingPathComponent("\(kind.rawValue).csv").path
        return try MasterDataImport.run(kind, path: path, file: "\(kind.rawValue).csv", ledger: ledger, dryRun: false)
    }

    /// Imports a file that must fail; checks that nothing was written and returns the problems.
    func importFailing(
        _ kind: MasterDataKind, _ name: String, _ text: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> MasterDataImportError {
        let before = ledger.lastSeq
        do {
            let summary = try importText(kind, name, text)
            Issue.record("expected the import to fail, got \(summary)", sourceLocation: sourceLocation)
        } catch let error as MasterDataImportError {
            #expect(ledger.lastSeq == before, "a failed import wrote facts", sourceLocation: sourceLocation)
            return error
        }
        return MasterDataImportError(file: name, issues: [], moreCount: 0)
    }

    /// The facts appended after `seq`, decoded.
    func facts(after seq: Int64) throws -> [Fact] {
        var result: [Fact] = []
        try ledger.forEachFact(since: seq + 1) { result.append(try $0.decoded()) }
        return result
    }

    /// A creator everyone can refer to.
    func registerAnna() throws {
        try importText(
            .creators, "creators.csv",
            "id,name,email,instagram\nanna-bakes,Anna Becker,anna@example.com,48200\nbrew-bea,Bea Souza,,9400\n")
    }

    func instant(_ text: String) -> Instant { parseDateOrTimestamp(text, zone: ledger.settings.zone)! }
}
