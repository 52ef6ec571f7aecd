import App
import ArgumentParser
import LedgerCore

/// `tally imports`: the order imports, with the ids `import undo` takes.
struct ImportsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imports",
        abstract: "List the order imports, with their ids.",
        discussion: """
            One row per order import, in the order they were recorded: id (what 'tally import undo' takes), \
            file name, the first 12 hex digits of its SHA-256, source, as-of, when it was recorded (ledger time \
            zone), its counts (orders in the file, new, changed, unchanged, stale) and whether it was undone.
            """
    )
    @OptionGroup var options: LedgerOptions
    @Option(help: "table, csv or json.") var format: OutputFormat = .table

    func run() throws {
        let session = try options.open(readOnly: true)
        let zone = session.zone
        var report = Report(columns: [
            "id", "file", "sha256", "source", "as_of", "recorded", "orders", "new", "changed",
            "unchanged", "stale", "undone"
        ])
        for i in try session.orderImports() {
            let counts = ["orders", "orders_new", "orders_changed", "orders_unchanged", "orders_stale"]
                .map { i.counts[$0].map(Cell.int) ?? .none }
            report.rows.append(
                [
                    .int(i.id), .text(i.fileName), .text(String(i.sha256.prefix(12))), .text(i.source),
                    .text(zone.timestamp(i.asOf).description),
                    .text(zone.timestamp(i.recordedAt).description)
                ]
                    + counts + [.text(i.undoneBy == nil ? "no" : "yes")])
        }
        print(report.render(format), terminator: "")
    }
}

/// `tally import undo ID --reason TEXT [--dry-run]`.
struct ImportUndoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Undo the latest order import of a source (a fact, never a deletion).",
        discussion: """
            ID is the import's id from 'tally imports'. Only the latest import of its source that is not undone \
            yet can be undone; for any other, tally names the import to undo first. From then on the facts the \
            import recorded count as never recorded: the orders it first saw are unknown again, the changes it \
            recorded are reversed, the orders it showed get back their earlier as-of, and its file is no longer \
            'already imported', so the right file can be imported next. Closed months stay as they are; the \
            differences land in the next close like any other correction. --dry-run shows what would change: the \
            counts, and the money by creator (commission and net revenue as known now, before and after).
            """
    )
    @OptionGroup var options: LedgerOptions
    @Argument(help: ArgumentHelp("The import's id (tally imports).", valueName: "id")) var id: Int64
    @Option(help: ArgumentHelp("Why: shown in the log.", valueName: "text")) var reason: String
    @Flag(help: "Show what the undo would change; write nothing.") var dryRun = false

    func run() throws {
        let session = try options.open(readOnly: dryRun)
        let outcome = try session.undoImport(id, reason: reason, dryRun: dryRun)
        let i = outcome.undone, e = outcome.effect
        let what = "import \(i.id) (\(i.fileName), source \(i.source), as of \(session.zone.timestamp(i.asOf)))"
        print(outcome.dryRun ? "Dry run, nothing was written. Undoing \(what) would:" : "Undid \(what):")
        print("  orders forgotten:  \(e.ordersForgotten) (first seen by this import: unknown again)")
        print("  changes reversed:  \(e.changesReversed) on \(e.ordersChanged) \(noun(e.ordersChanged, "order"))")
        // Disjoint: an order the import confirmed is one it showed unchanged.
        let movedBack = e.ordersChanged + e.ordersConfirmed
        print("  as-of moved back:  \(movedBack) \(noun(movedBack, "order"))")
        if let money = outcome.money { printUndoMoney(money, currency: session.baseCurrency) }
        if let seq = outcome.seq { print("  fact:              \(seq) (import.undone)") }
        if let closed = outcome.lastClosedMonth {
            print(
                "Closed months (through \(closed)) stay as they are: the differences land in the close of "
                    + "\(closed.next) like any other correction.")
        }
        if !outcome.dryRun { print("Its file is no longer 'already imported': import the right file next.") }
    }
}

/// `--dry-run`'s money: per creator whose figures change, commission and net revenue before and after
/// (as known now, maturity left aside), then the total change.
private func printUndoMoney(_ money: [UndoMoney], currency: Currency) {
    let e = currency.minorUnitExponent
    let amount = { (minor: Int64) in formatMinorGrouped(minor, exponent: e) }
    let change = { (minor: Int64) in (minor > 0 ? "+" : "") + amount(minor) }
    guard !money.isEmpty else {
        print("  money:             none (no creator's commission or attributed revenue changes)")
        return
    }
    print("  money, as known now (the closes to come settle it; \(currency.code)):")
    for m in money {
        print(
            "    \(m.creator): commission \(amount(m.commissionBeforeMinor)) -> \(amount(m.commissionAfterMinor)) "
                + "(\(change(m.commissionChangeMinor))), net revenue \(amount(m.revenueBeforeMinor)) -> "
                + "\(amount(m.revenueAfterMinor)) (\(change(m.revenueChangeMinor))), "
                + "\(m.ordersBefore) -> \(m.ordersAfter) \(noun(m.ordersAfter, "order"))")
    }
    let commission = money.reduce(0) { $0 + $1.commissionChangeMinor }
    let revenue = money.reduce(0) { $0 + $1.revenueChangeMinor }
    print("    total: commission \(change(commission)), net revenue \(change(revenue))")
}
