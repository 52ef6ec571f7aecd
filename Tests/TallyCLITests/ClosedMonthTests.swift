import ArgumentParser
import Foundation
import LedgerStore
import TallyCLI
import TestSupport
import Testing

// Closed months stay closed: after `payout close`, no command changes a frozen statement. Late
// facts dated inside a closed month land in the next month closed; closing a month again is refused.
//
// The harness: `ClosedMonthTests.commands` holds one line per writing command, aimed at the closed
// months July to September 2026 of the examples ledger. Each runs in turn, and after each the frozen
// rows and the statement facts must be unchanged. `everyWritingCommandIsInTheHarness` walks the
// command tree: a new command fails it until it has its line here (or is listed as not writing).

/// One command aimed at the closed months: it lands (exit 0), or is refused (exit 1 saying `refusal`).
struct ClosedMonthCase: CustomStringConvertible {
    let arguments: [String]
    let refusal: String?

    static func lands(_ arguments: String...) -> ClosedMonthCase { ClosedMonthCase(arguments: arguments, refusal: nil) }
    static func refused(_ refusal: String, _ arguments: String...) -> ClosedMonthCase {
        ClosedMonthCase(arguments: arguments, refusal: refusal)
    }

    var description: String { "tally " + arguments.joined(separator: " ") }
}

/// The input files the commands below import: rows dated inside the closed months.
let lateFiles: [String: String] = [
    "late-orders.csv": """
    order_id,created_at,currency,subtotal,discount,shipping,taxes,total,codes,referral,email,financial_status,\
    refunded,cancelled_at,test
    LATE-1,2026-09-20T10:00:00-04:00,USD,85.00,15.00,0.00,0.00,85.00,ANNA15,,late.buyer@example.com,paid,0.00,,false

    """,
    "late-adjustments.csv": "id,creator,date,amount,reason\nLATE-A1,anna-bakes,2026-07-10,5.00,late bonus for July\n",
    "late-creators.csv": "id,name,email\nlate-lou,Lou Late,lou@example.com\n",
    "late-codes.csv": "code,creator,valid_from,valid_until\nLOU10,late-lou,2026-07-01,\n",
    "late-referrals.csv": "value,creator,valid_from,valid_until\nref=lou,late-lou,2026-07-01,\n",
    "late-terms.csv": "creator,effective_from,commission,per_order,holdback_days,min_payout\n"
        + "late-lou,2026-07-01,12%,,0,\n",
    "late-posts.csv": "id,creator,date,platform,fee,url,impressions,engagements\n"
        + "LATE-P1,anna-bakes,2026-08-02,tiktok,25.00,,,\n",
    "late-gifts.csv": "id,creator,date,value,note\nLATE-G1,anna-bakes,2026-07-20,40.00,late gift\n",
    "late-fx.csv": "date,currency,rate\n2026-07-15,CAD,0.70\n",
    "late-payments.csv": "creator,reference,date,method\nanna-bakes,TX-2,2026-09-03,bank\nchai-priya,TX-3,,\n"
]

@Suite("closed months stay closed")
struct ClosedMonthTests {
    static let closed = ["2026-07", "2026-08", "2026-09"]

    /// Every command that writes, aimed at the closed months, one line each, in the order they run.
    /// A new writing command adds its line here (see docs/reliability.md, "Closed months stay closed").
    static let commands: [ClosedMonthCase] = [
        .lands("adjust", "anna-bakes", "--date", "2026-09-15", "--amount", "-12.00", "--reason", "for September"),
        .lands("post", "add", "anna-bakes", "--date", "2026-08-20", "--platform", "instagram", "--fee", "100.00"),
        .lands("gift", "add", "anna-bakes", "--date", "2026-07-05", "--value", "30.00"),
        .lands("terms", "set", "anna-bakes", "--from", "2026-07-01", "--commission", "50%"),
        .lands(
            "terms", "set", "anna-bakes", "--from", "2026-07-15", "--tiers", "1:60%",
            "--new-customer-commission", "55%", "--lifetime-months", "6", "--bonus-threshold", "1",
            "--bonus", "20.00"),
        .lands("code", "assign", "LATE10", "--creator", "anna-bakes", "--from", "2026-07-01"),
        .lands("code", "house", "LATEHOUSE"),
        .lands("creator", "add", "zoe", "--name", "Zoe"),
        .lands("tiers", "set", "--micro", "500"),
        .lands("accounts", "set", "payable", "Liabilities:Creators payable", "--code", "2100"),
        .lands("settings", "set", "1099-nec-threshold:2027", "2100.00"),
        .lands("import", "orders", "late-orders.csv"),
        .lands("import", "shopify", "late-shopify.csv", "--source", "shopify-late"),
        .lands("import", "woocommerce", "late-woo.csv", "--source", "woo-late"),
        .lands("import", "creators", "late-creators.csv"),
        .lands("import", "codes", "late-codes.csv"),
        .lands("import", "referrals", "late-referrals.csv"),
        .lands("import", "terms", "late-terms.csv"),
        .lands("import", "posts", "late-posts.csv"),
        .lands("import", "gifts", "late-gifts.csv"),
        .lands("import", "adjustments", "late-adjustments.csv"),
        .lands("import", "fx", "late-fx.csv"),
        // The examples' WooCommerce import: its orders were paid in closed months.
        .lands("import", "undo", ClosedMonthTests.latestImportOf + "woocommerce", "--reason", "wrong file"),
        .lands("payout", "mark-paid", "--month", "2026-09", "--creator", "brew-bea", "--reference", "TX-1"),
        .lands("payout", "mark-paid", "--month", "2026-09", "--creator", "brew-bea", "--reference", "TX-1"),
        .lands("payout", "mark-paid", "--month", "2026-08", "--from-file", "late-payments.csv"),
        .lands("payout", "export", "--month", "2026-09", "--to", "generic", "--output", "late-payouts.csv"),
        .lands("journal", "--month", "2026-09", "--format", "quickbooks", "--output", "late-books.csv"),
        .refused("2026-08 is not the latest closed month", "payout", "reopen", "--month", "2026-08", "--reason", "x"),
        .refused("cannot reopen 2026-09", "payout", "reopen", "--month", "2026-09", "--reason", "late refund"),
        .refused(
            "its payment journal TALLY-PAID-2026-08-anna-bakes was written for the books",
            "payout", "unmark-paid", "--month", "2026-08", "--creator", "anna-bakes", "--reason", "wrong reference"),
        .lands("payout", "unmark-paid", "--month", "2026-09", "--creator", "brew-bea", "--reason", "wrong reference"),
        .lands("payout", "mark-paid", "--month", "2026-09", "--creator", "brew-bea", "--reference", "TX-1B"),
        .lands("rebuild"),
        .lands("key", "move-out"),
        .refused("2026-07 is already closed", "payout", "close", "--month", "2026-07"),
        .refused("2026-08 is already closed", "payout", "close", "--month", "2026-08"),
        .refused("2026-09 is already closed", "payout", "close", "--month", "2026-09"),
        .refused(
            "--first: the ledger's first payout month is 2026-07",
            "payout", "close", "--month", "2026-10", "--first"),
        .lands("payout", "close", "--month", "2026-10"),
        .lands("payout", "reopen", "--month", "2026-10", "--reason", "a refund came in late"),
        .lands("payout", "close", "--month", "2026-10")
    ]

    /// Commands that never write to an existing ledger (`init` refuses one; `backup`, `report`,
    /// `statement --format html` and `key export|import` write other files).
    static let notWriting: Set<String> = [
        "init", "creator list", "codes unknown", "payout preview", "payout show", "statement",
        "explain", "roi", "tiers show", "log", "verify", "backup", "debug tokenize", "balances", "creator history",
        "list", "referrals unknown", "imports", "report", "terms show", "accounts show", "payments",
        "settings show",
        "key export", "key import"  // they write a key file, never the ledger
    ]

    /// An argument that stands for the id of the latest import of the source that follows it (ids
    /// are the ledger's sequence numbers, known only once the ledger is written).
    static let latestImportOf = "latest-import-of:"

    static func resolved(_ arguments: [String], in dir: URL) throws -> [String] {
        try arguments.map { argument in
            guard argument.hasPrefix(latestImportOf) else { return argument }
            let source = argument.dropFirst(latestImportOf.count)
            let rows = try runTally(["imports", "--format", "csv"], in: dir).stdout.split(separator: "\n").dropFirst()
            let ids = rows.map { $0.split(separator: ",").map(String.init) }
                .filter { $0[3] == source && $0.last == "no" }.map { $0[0] }
            return try #require(ids.last, "no import of \(source)")
        }
    }

    @Test func noCommandChangesAClosedMonth() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try examplesLedger(in: dir, closing: Self.closed)
        try writeLateFiles(in: dir)
        let path = dir.appendingPathComponent("tally.sqlite").path
        let before = try frozenState(in: dir, months: Self.closed)
        let frozenRows = try Self.frozenRows(path)
        let octoberBefore = try previewFigures("2026-10", creator: "anna-bakes", in: dir)
        for command in Self.commands {
            let result = try runTally(try Self.resolved(command.arguments, in: dir), in: dir)
            if let refusal = command.refusal {
                #expect(result.status == 1 && result.stderr.contains(refusal), "\(command): \(result.stderr)")
            } else {
                #expect(result.status == 0, "\(command): \(result.stderr)")
            }
            #expect(try Self.frozenRows(path) == frozenRows, "\(command) changed a closed month")
        }
        #expect(try frozenState(in: dir, months: Self.closed) == before)
        let verify = try runTally(["verify"], in: dir)
        #expect(verify.status == 0, "\(verify.stderr)")

        // The late facts landed in October, the next month closed.
        let october = try closedFigures("2026-10", creator: "anna-bakes", in: dir)
        #expect(cents(october["adjustments"]) - cents(octoberBefore["adjustments"]) == -1_200 + 500)
        #expect(cents(october["fees"]) - cents(octoberBefore["fees"]) == 10_000 + 2_500)
        #expect(cents(october["commissions"]) > cents(octoberBefore["commissions"]), "late orders earn in October")
    }

    /// Each leaf of the command tree is in the harness or listed as not writing, and each entry
    /// names a real command: a new command fails here until it has its line.
    @Test func everyWritingCommandIsInTheHarness() {
        let tree = Set(commandPaths(Tally.self).map { $0.dropFirst().joined(separator: " ") })
        // A line's command: the longest start of its arguments that names a command of the tree.
        let harnessed = Set(
            Self.commands.compactMap { command in
                (1...command.arguments.count).reversed().map { command.arguments.prefix($0).joined(separator: " ") }
                    .first(where: tree.contains)
            })
        for command in tree.subtracting(harnessed).subtracting(Self.notWriting).sorted() {
            let advice =
                "add one line to ClosedMonthTests.commands (its arguments aimed at July-September 2026), "
                + "or to notWriting if it never writes to the ledger"
            Issue.record(Comment(rawValue: "tally \(command) is not in the closed-month harness: \(advice)"))
        }
        #expect(Self.notWriting.subtracting(tree).isEmpty, "no such commands: \(Self.notWriting.subtracting(tree))")
        #expect(
            Self.commands.count
                == Self.commands.filter { command in
                    tree.contains { command.arguments.starts(with: $0.split(separator: " ").map(String.init)) }
                }.count, "a harness line names no command")
    }

    /// The frozen rows and the statement facts of July to September: cheap enough to compare after
    /// every command.
    static func frozenRows(_ path: String) throws -> [String] {
        let frozen = "month <= '2026-09'"
        var rows = try dumpRows(path, "SELECT * FROM statements WHERE \(frozen) ORDER BY month, creator")
        rows += try dumpRows(path, "SELECT * FROM statement_lines WHERE \(frozen) ORDER BY month, creator, line_no")
        rows += try dumpRows(path, "SELECT * FROM closed_months WHERE \(frozen) ORDER BY month")
        rows += try dumpRows(
            path,
            """
            SELECT seq, hash FROM facts WHERE type IN ('statement.issued', 'month.closed')
              AND json_extract(payload, '$.month') <= '2026-09' ORDER BY seq
            """)
        return rows
    }
}

/// Writes `lateFiles`, and copies of the example shop exports with other bytes (CRLF line ends),
/// so that they import as new files under another source: every order of them is late.
func writeLateFiles(in dir: URL) throws {
    for (name, text) in lateFiles { try write(text, to: name, in: dir) }
    let examples = packageRoot().appendingPathComponent("examples")
    for (source, copy) in [
        ("shopify/orders_export_2026-07-01_2026-08-31.csv", "late-shopify.csv"),
        ("woocommerce/orders_export_woo.csv", "late-woo.csv")
    ] {
        let text = try String(contentsOf: examples.appendingPathComponent(source), encoding: .utf8)
        try write(text.replacingOccurrences(of: "\n", with: "\r\n"), to: copy, in: dir)
    }
}

/// Every command path of the tree under `command`, its own name first.
func commandPaths(_ command: ParsableCommand.Type) -> [[String]] {
    let name = command.configuration.commandName ?? command._commandName
    let children = command.configuration.subcommands
    if children.isEmpty { return [[name]] }
    return children.flatMap { commandPaths($0).map { [name] + $0 } }
}

/// Everything frozen for the closed months, as the ledger file and the commands show it.
func frozenState(in dir: URL, months: [String]) throws -> [String] {
    let path = dir.appendingPathComponent("tally.sqlite").path
    var state = try ClosedMonthTests.frozenRows(path)
    for month in months {
        // The figures only: the payment columns after them fill in when a payout is marked paid.
        let show = try runTally(["payout", "show", "--month", month, "--format", "csv"], in: dir).stdout
        state.append(
            show.split(separator: "\n").map {
                $0.split(separator: ",", omittingEmptySubsequences: false)
                    .prefix(11).joined(separator: ",")
            }.joined(separator: "\n"))
        state.append(try runTally(["statement", "anna-bakes", "--month", month, "--format", "csv"], in: dir).stdout)
    }
    return state
}

/// anna-bakes's figures in a month's preview, by column name (empty when she has no row).
func previewFigures(_ month: String, creator: String, in dir: URL) throws -> [String: String] {
    try figures(of: creator, in: try runTally(["payout", "preview", "--month", month, "--format", "csv"], in: dir))
}

/// The same from a closed month's frozen statements.
func closedFigures(_ month: String, creator: String, in dir: URL) throws -> [String: String] {
    try figures(of: creator, in: try runTally(["payout", "show", "--month", month, "--format", "csv"], in: dir))
}

private func figures(of creator: String, in result: RunResult) throws -> [String: String] {
    try #require(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n")
        .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    guard let header = lines.first, let row = lines.dropFirst().first(where: { $0.count > 1 && $0[1] == creator })
    else { return [:] }
    return Dictionary(uniqueKeysWithValues: zip(header, row))
}

func cents(_ text: String?) -> Int {
    guard let text, let value = Double(text) else { return 0 }
    return Int((value * 100).rounded())
}
