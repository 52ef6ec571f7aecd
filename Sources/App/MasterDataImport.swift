import LedgerCore
import LedgerStore
import OrderImport

/// Imports one master-data CSV file: all of it or nothing.
public enum MasterDataImport {
    /// Problems listed before "... and N more".
    public static let issuesMax = MasterDataFileReader.issuesMax

    /// Reads `path` (named `file` in messages) and appends one fact per new or changed row, in
    /// one transaction. Any problem: throws `MasterDataImportError` and writes nothing.
    /// `dryRun`: does the same work, then rolls back.
    public static func run(_ kind: MasterDataKind, path: String, file: String, ledger: Ledger,
                           dryRun: Bool) throws -> MasterDataSummary {
        var reader = try MasterDataFileReader(kind, path: path, file: file)
        do {
            return try ledger.write { ledger throws -> MasterDataSummary in
                var book = try MasterDataBook.load(from: ledger, for: kind)
                let key = try ledger.payoutKey()
                let context = RowContext(now: ledger.clock.now(), emailHash: ledger.emailHash,
                                         sealAccount: { PayoutSealing.seal($0, key: key) },
                                         platformColumns: reader.platformColumns)
                let summary = try reader.apply(to: &book, context: context, dryRun: dryRun) { try ledger.append($0) }
                if dryRun { throw DryRunRollback(summary: summary) }
                return summary
            }
        } catch let rollback as DryRunRollback {
            return rollback.summary
        }
    }
}

/// Thrown at the end of a dry run so that the transaction rolls back; carries the summary out.
private struct DryRunRollback: Error {
    let summary: MasterDataSummary
}
