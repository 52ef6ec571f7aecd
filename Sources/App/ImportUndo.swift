import LedgerCore
import LedgerStore

/// What `tally import undo` did, or would do (`dryRun`).
public struct ImportUndoOutcome: Sendable {
    public var undone: ImportListing
    public var effect: UndoEffect
    public var dryRun: Bool
    /// The `import.undone` fact (nil on a dry run).
    public var seq: Int64?
    /// The latest closed month, if any: it stays as it is; the differences land in the next close.
    public var lastClosedMonth: YearMonth?
    /// On a dry run, the money it would change by creator (`undoMoney`); nil otherwise.
    public var money: [UndoMoney]?
}

extension LedgerSession {
    /// `tally imports`: every order import, in log order.
    public func orderImports() throws -> [ImportListing] {
        try ledger.read { try ledger.orderImports() }
    }

    /// `tally import undo ID --reason TEXT [--dry-run]`: undoes the latest import of a source that
    /// is not undone yet (ledger rules §3) with one `import.undone` fact; refuses any other import,
    /// naming the one to undo first.
    public func undoImport(_ id: Int64, reason: String, dryRun: Bool) throws -> ImportUndoOutcome {
        let reason = reason.trimmingASCIISpaces()
        guard !reason.isEmpty else { throw UserError("--reason: expected why the import is undone (shown in the log)") }
        func plan(_ ledger: Ledger) throws -> (ImportListing, UndoEffect, [String: Int64], YearMonth?) {
            let imports = try ledger.orderImports()
            let target: ImportListing
            do { target = try importToUndo(id, imports: imports) } catch { throw UserError(error.description) }
            let (effect, asOfBefore) = try ledger.undoPlan(target)
            return (target, effect, asOfBefore, try ledger.lastClosedMonth())
        }
        if dryRun {
            return try ledger.read {
                let (target, effect, _, closed) = try plan(ledger)
                let (forgotten, reversed) = try ledger.undoneOrders(target)
                let money = undoMoney(
                    snapshot: try ledger.snapshot(), source: target.source, forgotten: forgotten, reversed: reversed)
                return ImportUndoOutcome(
                    undone: target, effect: effect, dryRun: true, seq: nil, lastClosedMonth: closed, money: money)
            }
        }
        return try ledger.write { ledger in
            let (target, effect, asOfBefore, closed) = try plan(ledger)
            let fact = ImportUndone(
                importSeq: target.id, source: target.source, fileName: target.fileName,
                sha256: target.sha256, reason: reason, asOfBefore: asOfBefore,
                at: ledger.clock.now())
            let seq = try ledger.append(.importUndone(fact))
            return ImportUndoOutcome(undone: target, effect: effect, dryRun: false, seq: seq, lastClosedMonth: closed)
        }
    }
}
