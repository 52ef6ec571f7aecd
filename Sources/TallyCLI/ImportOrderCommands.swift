import App
import ArgumentParser
import Foundation
import LedgerCore

/// `import shopify|woocommerce|orders`.
let orderImportCommands: [ParsableCommand.Type] = [
    ImportShopifyCommand.self, ImportWooCommerceCommand.self, ImportOrdersCommand.self, ImportUndoCommand.self
]

private let orderImportDiscussion = """
    Each order is identified by (source, order id). A new order is recorded as seen; a known one adds \
    only what changed (status, refunded amount, cancellation), effective at the export's as-of. An \
    export older than what the ledger knows of an order leaves that order as it is (stale). A file \
    whose SHA-256 was imported before is skipped. One transaction per file: all or nothing.
    """

struct ImportShopifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shopify",
        abstract: "Import Shopify's admin order export (Orders > Export, CSV) as it is.",
        discussion: orderImportDiscussion + """


            One row per line item; the first row of an order carries its fields. Orders are identified by \
            the Id column (by Name only in old exports without Id); a file keyed the other way than the \
            orders its source holds is refused (the same order twice would be paid twice). Orders paid through \
            "(for testing) Bogus Gateway" are recorded as test orders.
            """
    )
    @OptionGroup var options: LedgerOptions
    @OptionGroup var importOptions: OrderImportOptions

    func run() throws { try runOrderImport(.shopify, options, importOptions, siteZone: nil) }
}

struct ImportWooCommerceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "woocommerce",
        abstract: "Import a WooCommerce order export "
            + "of the 'Order Export & Order Import for WooCommerce' plugin (WebToffee).",
        discussion: orderImportDiscussion + """


            Subtotal is order_subtotal - discount_total; codes come from coupon_items; each refund in \
            refund_items is recorded at its own date. order_date has no offset: it is read in the ledger's \
            time zone, or in --site-timezone.
            """
    )
    @OptionGroup var options: LedgerOptions
    @OptionGroup var importOptions: OrderImportOptions
    @Option(
        name: .customLong("site-timezone"),
        help: ArgumentHelp(
            "The shop's IANA time zone, for order and refund dates written without an offset (default: the ledger's).",
            valueName: "zone"))
    var siteTimezone: String?

    func validate() throws {
        if let siteTimezone, case let .failure(problem) = Zone.named(siteTimezone) {
            throw ValidationError("--site-timezone: found '\(siteTimezone)', expected \(problem.expected)")
        }
    }

    func run() throws {
        let zone = try siteTimezone.map { try Zone.named($0).get() }
        try runOrderImport(.woocommerce, options, importOptions, siteZone: zone)
    }
}

struct ImportOrdersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orders",
        abstract: "Import orders in the canonical CSV, for any other shop.",
        discussion: orderImportDiscussion + """


            Timestamps carry their offset; codes are comma-separated in one cell, in the order applied; \
            referral feeds referral attribution; test is true/false/1/0/yes/no or empty. The header \
            (any column order; extra columns ignored):

            order_id,created_at,currency,subtotal,discount,shipping,taxes,total,codes,referral,email,\
            financial_status,refunded,cancelled_at,test
            """
    )
    @OptionGroup var options: LedgerOptions
    @OptionGroup var importOptions: OrderImportOptions

    func run() throws { try runOrderImport(.orders, options, importOptions, siteZone: nil) }
}

/// The options every order import shares.
struct OrderImportOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The export file (CSV, UTF-8).", valueName: "file"))
    var file: String

    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp(
            "When the export was taken: "
                + "YYYY-MM-DD (00:00 in the ledger's zone) "
                + "or an ISO 8601 timestamp with offset. Changes it shows take effect then. "
                + "Default: the latest timestamp in the file.", valueName: "date"))
    var asOf: DateArgument?

    @Flag(
        name: .customLong("dry-run"),
        help: "Report what the import would change, and write nothing (neither the ledger nor a rejects file).")
    var dryRun = false

    @Option(
        name: .customLong("skip-invalid"),
        help: ArgumentHelp(
            "Import the valid orders "
                + "and write each invalid one (its rows, the reason in an extra column) to this file. "
                + "Without it, one bad row fails the whole file.", valueName: "rejects.csv"))
    var skipInvalid: String?

    @Flag(
        help: ArgumentHelp(
            "With --skip-invalid: replace its file even if it is not a rejects file tally wrote "
                + "(the ledger and its key file never)."))
    var force = false

    @Option(
        help: ArgumentHelp(
            "The source in each order's identity "
                + "(default: shopify, woocommerce or orders), e.g. shopify-eu for a second shop.", valueName: "name"))
    var source: String?

    @Flag(help: "No progress bar and no summary (warnings and errors are still shown).")
    var quiet = false

    func validate() throws {
        if let source, !SourceName.isValid(source) {
            throw ValidationError("--source '\(source)': expected \(SourceName.expected)")
        }
        if force && skipInvalid == nil { throw ValidationError("--force applies to --skip-invalid FILE only") }
        if let skipInvalid, skipInvalid == file {
            throw ValidationError("--skip-invalid must name another file than the one imported")
        }
    }
}

private func runOrderImport(
    _ dialect: OrderDialectKind, _ options: LedgerOptions, _ args: OrderImportOptions, siteZone: Zone?
) throws {
    let session = try options.open()
    let asOf = args.asOf?.instant(in: session.zone)
    var request = OrderImportRequest(
        dialect: dialect, path: args.file, source: args.source, asOf: asOf, dryRun: args.dryRun,
        rejectsPath: args.skipInvalid, siteZone: siteZone)
    request.replaceRejects = args.force
    let bar = ProgressBar(
        enabled: !args.quiet && isatty(STDERR_FILENO) != 0, label: (args.file as NSString).lastPathComponent)
    let summary: OrderImportSummary
    do {
        summary = try session.importOrders(request, progress: bar.update)
        bar.clear()
    } catch let issue as InputIssue {
        bar.clear()
        throw UserError(issue.description + "\nnothing was imported; the ledger is unchanged")
    } catch {
        bar.clear()
        throw error
    }
    for warning in summary.warnings { printWarning(warning) }
    if summary.warningsOmitted > 0 {
        let more = summary.warningsOmitted
        printWarning("... and \(more) more \(noun(more, "order")) whose first-export fields differ")
    }
    if let warning = takenBackWarning(summary) { printWarning(warning) }
    if let warning = sameOrdersWarning(summary) { printWarning(warning) }
    if !args.quiet { print(renderSummary(summary, zone: session.zone), terminator: "") }
}

/// `noun` as many times as `count` says: "1 order", "2 orders" (the count itself printed apart).
func noun(_ count: some BinaryInteger, _ noun: String) -> String { count == 1 ? noun : noun + "s" }

/// The summary printed after an import (standard output).
/// Rules §3 record a newer snapshot's changes as shown, a smaller refund or a lifted cancellation
/// too; an older export stated at a later --as-of does that by mistake, so it is said, with the way back.
func takenBackWarning(_ s: OrderImportSummary) -> String? {
    guard s.takenBack > 0 else { return nil }
    let shown = s.takenBackExamples.map { t -> String in
        let money = { formatMinor($0, exponent: t.currency.minorUnitExponent) }
        var parts: [String] = []
        if t.to.refundedMinor < t.from.refundedMinor {
            parts.append("refunded \(money(t.from.refundedMinor)) -> \(money(t.to.refundedMinor)) \(t.currency.code)")
        }
        if t.from.cancelledAt != nil && t.to.cancelledAt == nil { parts.append("cancelled -> not cancelled") }
        return "\(t.name ?? t.orderId) \(parts.joined(separator: ", "))"
    }
    let more = s.takenBack - shown.count
    let list = shown.joined(separator: "; ") + (more > 0 ? "; and \(more) more" : "")
    let verb = s.dryRun ? "would record" : "recorded"
    let undo =
        s.dryRun
        ? ""
        : "; to take this import back: 'tally imports' lists it, "
            + "'tally import undo ID --reason TEXT' undoes it"
    return "this file \(verb) a smaller refund or a cancellation lifted on \(plural(Int64(s.takenBack), "order")) "
        + "(\(list)): an older export stated at a later --as-of? an older export needs no new import\(undo)"
}

/// A shop's orders already held by another source: the same shop under two sources counts them twice.
func sameOrdersWarning(_ s: OrderImportSummary) -> String? {
    guard let same = s.sameOrdersElsewhere, same.count > 0 else { return nil }
    let verb = s.dryRun ? "would count" : "counted"
    let undo =
        s.dryRun
        ? "import it with --source \(same.source) instead"
        : "'tally import undo ID --reason TEXT' takes this import back ('tally imports' lists it), "
            + "then import it with --source \(same.source)"
    return "\(plural(Int64(same.count), "order")) of this file (the first: \(same.first)) "
        + "are already in the ledger as source '\(same.source)' with the same \(same.matched): "
        + "the same shop under two sources \(verb) them twice; if it is the same shop, \(undo)"
}

func renderSummary(_ s: OrderImportSummary, zone: Zone) -> String {
    if let previous = s.previous {
        return "Skipped \(s.file): the same file (SHA-256 \(s.sha256.prefix(12))...) "
            + "was already imported as '\(previous.fileName)' "
            + "(source \(previous.source), as of \(zone.timestamp(previous.asOf)), import \(previous.seq)). "
            + "Nothing was written. "
            + "(An older export needs no new import: the ledger already holds what it shows. --as-of is for these "
            + "bytes stated at a later time, the moment this same file was downloaded again.)\n"
    }
    let c = s.counts
    let asOfText =
        (s.asOf.map { zone.timestamp($0).description } ?? "?")
        + (s.asOfFromClock
            ? " (now: no valid time in the file)"
            : s.asOfFromFile ? " (the latest time in the file)" : " (--as-of)")
    var out =
        s.dryRun
        ? "Dry run, nothing was written. Importing \(s.file) as \(s.source) would record:\n"
        : "Imported \(s.file) as \(s.source), as of \(asOfText).\n"
    if s.dryRun { out += "  as of:    \(asOfText)\n" }
    out +=
        "  orders:   \(c.orders) in the file: \(c.new) new, "
        + "\(c.changed) changed, \(c.unchanged) unchanged, \(c.stale) stale\n"
    if c.stale > 0 {
        out += "            (stale: the ledger knows a newer export of them; never rolled back)\n"
        out +=
            "            (an export older than one the ledger holds: what it shows of these orders counts at the "
            + "newer export's time, not its own, so a refund may count in another month than imported in order; "
            + "a backlog is imported oldest first: docs/importing.md)\n"
        out +=
            "  stale with news: \(c.staleNews) (a larger refund or a cancellation, recorded at the ledger's "
            + "newer as-of)\n"
    }
    out += "  test:     \(c.test) test \(noun(c.test, "order")) (recorded, excluded from every figure)\n"
    out += "  refunds:  \(c.refunds) new or larger \(noun(c.refunds, "refund"))\n"
    let codes = s.codesNeverSeen
    out +=
        "  codes never seen before: \(codes.count)"
        + (codes.isEmpty ? "" : ": " + codes.prefix(20).joined(separator: ", ") + (codes.count > 20 ? ", ..." : ""))
        + "\n"
    if c.amountsDiffer > 0 {
        out +=
            "  first-export fields differ on \(c.amountsDiffer) \(noun(c.amountsDiffer, "order")) (warnings above); "
            + "the ledger keeps the first\n"
    }
    if let late = s.datedInClosedMonths {
        let closed = late.lastClosedMonth
        out +=
            "  closed months: \(late.facts) "
            + (late.facts == 1 ? "new order or change is" : "new orders or changes are")
            + " dated in closed months (through \(closed)); "
            + "closed months never change: they land in the close of \(closed.next)\n"
    }
    if c.rejected > 0 {
        let whereTo =
            s.rejectsPath.map { ", written to \($0) with the reasons" }
            ?? (s.dryRun ? " (a real run writes them to the rejects file)" : "")
        out += "  rejected: \(c.rejected) \(noun(c.rejected, "order"))\(whereTo)\n"
        for reason in s.rejectReasons.prefix(5) { out += "    \(reason)\n" }
    }
    return out
}

/// A one-line progress bar on standard error, only when it is a terminal.
final class ProgressBar {
    private let enabled: Bool
    private let label: String
    private var lastShown = -1
    private var shown = false

    init(enabled: Bool, label: String) { self.enabled = enabled; self.label = label }

    func update(_ phase: ImportPhase, _ done: Int, _ total: Int?) {
        guard enabled, let total, total > 0 else { return }
        let permille = min(1000, done * 1000 / total)
        let key = permille / 10 + 1000 * phaseIndex(phase)
        guard key != lastShown else { return }
        lastShown = key
        shown = true
        let width = 30
        let filled = permille * width / 1000
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(permille / 10)% \(phase.rawValue) \(label)\u{1B}[K".utf8))
    }

    func clear() {
        guard shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        shown = false
    }

    private func phaseIndex(_ phase: ImportPhase) -> Int {
        switch phase {
        case .hashing: return 0
        case .scanning: return 1
        case .importing: return 2
        }
    }
}
