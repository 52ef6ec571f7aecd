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
                var dated: [(creator: String, at: Instant)] = []
                var touched: [(creator: String, from: Instant)] = []
                var summary = try reader.apply(to: &book, context: context, dryRun: dryRun) { fact in
                    switch fact {
                    case let .termsSet(t):
                        dated.append((t.creator, t.effectiveFrom))
                        touched.append((t.creator, t.effectiveFrom))
                    case let .codeAssigned(a): dated.append((a.creator, a.validFrom))
                    case let .referralAssigned(a): dated.append((a.creator, a.validFrom))
                    default: break
                    }
                    try ledger.append(fact)
                }
                if let note = try closedMonthsNote(dated, file: file, ledger: ledger) { summary.notes.append(note) }
                summary.planNotes = try ledger.unpayablePlanNotes(touched: touched)
                if dryRun { throw DryRunRollback(summary: summary) }
                return summary
            }
        } catch let rollback as DryRunRollback {
            return rollback.summary
        }
    }
}

/// Terms or assignments of a file dated in closed months: those months' statements stay as they
/// are, their orders are re-priced in the next close (docs/master-data.md). Named with the months
/// and creators; by how much is the next month's preview (computing it before and after every
/// import would cost two previews each time).
private func closedMonthsNote(_ dated: [(creator: String, at: Instant)], file: String, ledger: Ledger) throws
    -> String?
{
    guard let lastClosed = try ledger.lastClosedMonth() else { return nil }
    let zone = ledger.settings.zone
    let reaching = dated.filter { zone.month(of: $0.at) <= lastClosed }
    guard let earliest = reaching.map(\.at).min() else { return nil }
    let from = zone.month(of: earliest)
    let months = from == lastClosed ? "the closed month \(from)" : "the closed months \(from)..\(lastClosed)"
    let creators = Set(reaching.map(\.creator)).sorted().joined(separator: ", ")
    let rows = reaching.count == 1 ? "1 row reaches" : "\(reaching.count) rows reach"
    return "\(file): \(rows) into \(months) (\(creators)), whose statements stay as they are: their orders "
        + "are re-priced in the next close (\(lastClosed.next)); tally payout preview --month \(lastClosed.next) "
        + "shows by how much"
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
