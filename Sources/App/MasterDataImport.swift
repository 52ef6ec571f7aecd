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
    public static func run(
        _ kind: MasterDataKind, path: String, file: String, ledger: Ledger,
        dryRun: Bool
    ) throws -> MasterDataSummary {
        var reader = try MasterDataFileReader(kind, path: path, file: file)
        do {
            return try ledger.write { ledger throws -> MasterDataSummary in
                var book = try MasterDataBook.load(from: ledger, for: kind)
                let context = try rowContext(kind, ledger: ledger, platformColumns: reader.platformColumns)
                let summary = try reader.apply(to: &book, context: context, dryRun: dryRun) { try ledger.append($0) }
                if dryRun { throw DryRunRollback(summary: summary) }
                return summary
            }
        } catch let rollback as DryRunRollback {
            return rollback.summary
        }
    }
}

/// What the rows of `kind` need of the ledger. Creators files hash e-mails and seal accounts: they
/// need the key, and say so before a row is read; no other kind touches either.
private func rowContext(
    _ kind: MasterDataKind, ledger: Ledger,
    platformColumns: [(index: Int, platform: String)]
) throws -> RowContext {
    guard kind == .creators else {
        return RowContext(
            now: ledger.clock.now(),
            emailHash: { _ in preconditionFailure("only creators have e-mails") },
            sealAccount: { _ in preconditionFailure("only creators have payout accounts") },
            platformColumns: platformColumns)
    }
    let hasher = try ledger.emailHasher()
    let key = try ledger.sealingKey()
    return RowContext(
        now: ledger.clock.now(), emailHash: hasher.hash,
        sealAccount: { PayoutSealing.seal($0, key: key) },
        platformColumns: platformColumns)
}

/// Thrown at the end of a dry run so that the transaction rolls back; carries the summary out.
private struct DryRunRollback: Error {
    let summary: MasterDataSummary
}
