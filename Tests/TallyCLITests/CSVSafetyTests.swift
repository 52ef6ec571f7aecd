import Foundation
import TestSupport
import Testing

// Spreadsheet safety: every CSV that tally writes goes through the one CSV writer, which gives a
// text cell that starts like a formula (`=`, `+`, `-`, `@`, tab, carriage return) a leading
// apostrophe and leaves numbers alone. The test plants such text wherever a user can (creator
// names, payout accounts, codes, referral values, file names), runs every command that writes CSV,
// and reads each cell back. `everyCSVCommandIsWalked` fails for a command whose help mentions CSV
// until it is walked here (or listed as one that only reads CSV).

@Suite("spreadsheet-safe CSV")
struct CSVSafetyTests {
    /// Every command that writes CSV, with arguments that make it write some: the output file (nil:
    /// standard output) and a text the output must hold defused (nil: only the check of every cell).
    static let walks: [(arguments: [String], file: String?, planted: String?)] = [
        (["codes", "unknown", "--format", "csv"], nil, "'-FREE"),
        (["referrals", "unknown", "--format", "csv"], nil, "'+REF=X"),
        (["creator", "list", "--format", "csv"], nil, "'=HYPERLINK(\"\"http://evil\"\")"),
        (["payout", "preview", "--month", "2026-08", "--format", "csv"], nil, nil),
        (["payout", "show", "--month", "2026-07", "--format", "csv"], nil, nil),
        (["payout", "export", "--month", "2026-07", "--to", "generic"], nil, "'=HYPERLINK(\"\"http://evil\"\")"),
        // Each payout goes into one file of a close unless --include-exported.
        (["payout", "export", "--month", "2026-07", "--to", "paypal", "--include-exported"], nil, "'-anna@example.com"),
        (["payout", "export", "--month", "2026-07", "--to", "wise", "--include-exported"], nil, "'@Bea"),
        (
            [
                "payout", "export", "--month", "2026-07", "--to", "generic", "--include-exported", "--output",
                "generic.csv"
            ], "generic.csv", "'@Bea"
        ),
        (["balances", "--format", "csv"], nil, nil),
        (["list", "creators", "--format", "csv"], nil, "'=HYPERLINK(\"\"http://evil\"\")"),
        (["terms", "show", "anna", "--format", "csv"], nil, nil),
        (["creator", "history", "anna", "--format", "csv"], nil, nil),
        (["statement", "anna", "--month", "2026-07", "--format", "csv"], nil, nil),
        (["roi", "--from", "2026-07-01", "--to", "2026-07-31", "--format", "csv"], nil, nil),
        (["roi", "--from", "2026-07-01", "--to", "2026-07-31", "--by", "tier", "--format", "csv"], nil, nil),
        (["roi", "--from", "2026-07-01", "--to", "2026-07-31", "--by", "platform", "--format", "csv"], nil, nil),
        (["imports", "--format", "csv"], nil, "'=orders.csv"),
        (["journal", "--month", "2026-07"], nil, nil),
        // QuickBooks' Name column holds the creator's name on the payable lines.
        (["journal", "--month", "2026-07", "--format", "quickbooks"], nil, "'=HYPERLINK(\"\"http://evil\"\")"),
        (["journal", "--month", "2026-07", "--format", "xero"], nil, nil),
        (["accounts", "show", "--format", "csv"], nil, nil),
        (["payments", "--year", "2026", "--format", "csv"], nil, nil),
        (["settings", "show", "--format", "csv"], nil, nil),
        (["import", "orders", "=bad.csv", "--skip-invalid", "rejects.csv"], "rejects.csv", "'=bad.csv:3:")
    ]

    /// Commands whose help mentions CSV because they read it, and write none.
    static let readOnly: Set<String> = [
        "import", "import shopify", "import woocommerce", "import orders", "import creators", "import codes",
        "import referrals", "import terms", "import posts", "import gifts", "import adjustments", "import fx",
        "payout mark paid",
        ""  // tally --help
    ]

    @Test func everyCSVCellThatStartsLikeAFormulaIsANumber() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try hostileLedger(in: dir)
        for walk in Self.walks {
            let result = try runTally(walk.arguments, in: dir)
            #expect(result.status == 0, "tally \(walk.arguments.joined(separator: " ")): \(result.stderr)")
            let text =
                try walk.file.map { try String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8) }
                ?? result.stdout
            #expect(!text.isEmpty, "\(walk.arguments): no CSV")
            for cell in csvCells(text) where cell.first.map({ "=+-@\t\r".contains($0) }) == true {
                let command = walk.arguments.joined(separator: " ")
                #expect(
                    cell.range(of: #"^-?[0-9]+(\.[0-9]+)?$"#, options: .regularExpression) != nil,
                    "tally \(command): the text cell \(cell.debugDescription) runs as a formula")
            }
            if let planted = walk.planted {
                #expect(
                    text.contains(planted),
                    "tally \(walk.arguments.joined(separator: " ")) lacks \(planted):\n\(text)")
            }
        }
        // Negative money stays a number.
        let statement = try runTally(["statement", "anna", "--month", "2026-07", "--format", "csv"], in: dir).stdout
        #expect(statement.contains(",-12.00,") || statement.contains(",-12.00\n"), "\(statement)")
    }

    @Test func everyCSVCommandIsWalked() throws {
        let walked = Set(
            Self.walks.map { walk in
                walk.arguments.prefix { !$0.hasPrefix("-") && !$0.contains(".") && !$0.contains("=") }
                    .joined(separator: " ")
            })
        let help = goldenDirectory().appendingPathComponent("help")
        for name in try FileManager.default.contentsOfDirectory(atPath: help.path).sorted() {
            let text = try String(contentsOf: help.appendingPathComponent(name), encoding: .utf8)
            guard text.range(of: "csv", options: .caseInsensitive) != nil else { continue }
            let command = String(name.dropFirst("tally".count).dropLast(".txt".count))
                .split(separator: "-", omittingEmptySubsequences: true).joined(separator: " ")
            let known =
                walked.contains(command) || Self.readOnly.contains(command)
                || walked.contains { $0.hasPrefix(command + " ") }
            #expect(
                known,
                "tally \(command) mentions CSV: add it to CSVSafetyTests.walks, or to readOnly if it writes none")
        }
    }
}

/// Creators, codes, orders and files whose text starts like a formula; July 2026 closed.
private func hostileLedger(in dir: URL) throws {
    try write(
        """
        order_id,created_at,currency,subtotal,discount,shipping,taxes,total,codes,referral,email,financial_status,\
        refunded,cancelled_at,test
        A-1,2026-07-02T10:00:00Z,USD,100.00,0.00,0.00,0.00,100.00,ANNA,,a@example.com,paid,0.00,,false
        A-2,2026-07-03T10:00:00Z,USD,50.00,0.00,0.00,0.00,50.00,BEA,,b@example.com,paid,0.00,,false
        A-3,2026-07-04T10:00:00Z,USD,40.00,0.00,0.00,0.00,40.00,-free,+ref=x,c@example.com,paid,0.00,,false

        """, to: "=orders.csv", in: dir)
    try write(
        """
        order_id,created_at,currency,subtotal,discount,shipping,taxes,total,codes,referral,email,financial_status,\
        refunded,cancelled_at,test
        B-1,2026-07-05T10:00:00Z,USD,10.00,0.00,0.00,0.00,10.00,,,,paid,0.00,,false
        B-2,2026-07-05T10:00:00Z,USD,10,00,0.00,0.00,0.00,10.00,,,,paid,0.00,,false

        """, to: "=bad.csv", in: dir)
    let steps: [[String]] = [
        ["init", "--currency", "USD", "--timezone", "UTC"],
        [
            "creator", "add", "anna", "--name", "=HYPERLINK(\"http://evil\")", "--payout-method", "paypal",
            "--payout-account=-anna@example.com", "--followers", "instagram=5000"
        ],
        ["creator", "add", "bea", "--name", "@Bea", "--payout-method", "wise", "--payout-account", "bea@example.com"],
        ["code", "assign", "ANNA", "--creator", "anna", "--from", "2026-07-01"],
        ["code", "assign", "BEA", "--creator", "bea", "--from", "2026-07-01"],
        ["terms", "set", "anna", "--from", "2026-07-01", "--commission", "10%", "--holdback-days", "0"],
        ["terms", "set", "bea", "--from", "2026-07-01", "--commission", "10%", "--holdback-days", "0"],
        ["post", "add", "anna", "--date", "2026-07-03", "--platform", "instagram", "--fee", "30.00"],
        ["adjust", "anna", "--date", "2026-07-10", "--amount", "-12.00", "--reason=-returned sample"],
        ["import", "orders", "=orders.csv"],
        ["payout", "close", "--month", "2026-07"]
    ]
    for step in steps {
        let result = try runTally(step, in: dir)
        try #require(result.status == 0, "tally \(step.joined(separator: " ")): \(result.stderr)")
    }
}

/// The cells of a CSV text (RFC 4180: quoted cells may hold commas, quotes and line breaks).
func csvCells(_ text: String) -> [String] {
    var cells: [String] = []
    var cell = "", quoted = false, i = text.startIndex
    while i < text.endIndex {
        let c = text[i]
        if quoted {
            if c == "\"" {
                let next = text.index(after: i)
                if next < text.endIndex && text[next] == "\"" { cell.append("\""); i = next } else { quoted = false }
            } else {
                cell.append(c)
            }
        } else if c == "\"" && cell.isEmpty {
            quoted = true
        } else if c == "," || c == "\n" {
            cells.append(cell); cell = ""
        } else {
            cell.append(c)
        }
        i = text.index(after: i)
    }
    if !cell.isEmpty { cells.append(cell) }
    return cells
}
