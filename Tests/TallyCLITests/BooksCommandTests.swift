import Foundation
import TestSupport
import Testing

// `tally journal` and `tally accounts` end to end on the example shop (cli.md "Books").

@Suite("books: journal and accounts")
struct BooksCommandTests {
    static let months = ["2026-07", "2026-08", "2026-09", "2026-10"]

    /// The example shop closed July to October; September's payouts to brew-bea (PayPal) and matcha-mo
    /// (bank) paid in October, October's to steep-sam in November.
    static func booksLedger() throws -> URL {
        let dir = try makeTemporaryDirectory()
        try examplesLedger(in: dir, closing: months)
        for (creator, ref, date, method) in [
            ("brew-bea", "PP-9", "2026-10-03", "paypal"),
            ("matcha-mo", "B-9", "2026-10-31", "bank"),
            ("steep-sam", "B-10", "2026-11-02", "bank")
        ] {
            let month = creator == "steep-sam" ? "2026-10" : "2026-09"
            let paid = try runTally(
                [
                    "payout", "mark-paid", "--month", month, "--creator", creator, "--reference", ref,
                    "--date", date, "--method", method
                ], in: dir)
            try #require(paid.status == 0, "\(paid.stderr)")
        }
        return dir
    }

    /// The rows of a CSV after its header (RFC 4180 quotes; no line break inside a field here).
    static func rows(_ csv: String) -> [[String]] {
        csv.split(separator: "\n").dropFirst().map { line in
            var fields: [String] = [], field = "", quoted = false
            var chars = Array(line)[...]
            while let c = chars.popFirst() {  // bounded by the line
                if quoted {
                    if c == "\"" {
                        if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
                    } else {
                        field.append(c)
                    }
                } else if c == "\"" {
                    quoted = true
                } else if c == "," {
                    fields.append(field); field = ""
                } else {
                    field.append(c)
                }
            }
            return fields + [field]
        }
    }

    static func cents(_ text: String) -> Int64 {
        text.isEmpty ? 0 : Int64(text.replacingOccurrences(of: ".", with: ""))!
    }

    @Test func everyCloseOfTheExampleShopBalancesAndReconcilesWithPayoutShowCreatorByCreator() throws {
        let dir = try Self.booksLedger(); defer { try? FileManager.default.removeItem(at: dir) }
        for month in Self.months {
            let journal = try runTally(["journal", "--month", month], in: dir)
            try #require(journal.status == 0, "\(journal.stderr)")
            #expect(journal.stdout.hasPrefix("journal,date,account,debit,credit,creator,memo\n"))
            let lines = Self.rows(journal.stdout)
            let close = lines.filter { $0[0] == "TALLY-CLOSE-\(month)" }
            #expect(!close.isEmpty && close.allSatisfy { $0[1] == lastDay(month) })
            for id in Set(lines.map { $0[0] }) {
                let own = lines.filter { $0[0] == id }
                #expect(
                    own.reduce(0) { $0 + Self.cents($1[3]) } == own.reduce(0) { $0 + Self.cents($1[4]) },
                    "\(id) does not balance")
                #expect(own.allSatisfy { $0[3].isEmpty != $0[4].isEmpty })
                #expect(own.allSatisfy { !$0[3].hasPrefix("-") && !$0[4].hasPrefix("-") })
            }
            let show = try runTally(["payout", "show", "--month", month, "--format", "csv"], in: dir)
            let header = show.stdout.split(separator: "\n")[0].split(separator: ",").map(String.init)
            for row in Self.rows(show.stdout) {
                func figure(_ name: String) -> Int64 { Self.cents(row[header.firstIndex(of: name)!]) }
                let creator = row[1]
                func net(_ account: String) -> Int64 {
                    close.filter { $0[5] == creator && $0[2] == account }
                        .reduce(0) { $0 + Self.cents($1[3]) - Self.cents($1[4]) }
                }
                #expect(
                    net("Creator commissions") == figure("commissions") - figure("clawbacks"),
                    "\(month) \(creator)")
                #expect(net("Creator fees") == figure("fees"), "\(month) \(creator)")
                #expect(net("Creator adjustments") == figure("adjustments"), "\(month) \(creator)")
                #expect(net("Creator payouts payable") == -figure("payout"), "\(month) \(creator)")
                #expect(
                    net("Creator balances carried") == figure("carried_in") - figure("carried_out"),
                    "\(month) \(creator)")
            }
        }
        // The payments are booked in the month the money left, under the month they pay.
        let october = Self.rows(try runTally(["journal", "--month", "2026-10"], in: dir).stdout)
        let paid = october.filter { $0[0].hasPrefix("TALLY-PAID-") }
        #expect(
            paid.map { "\($0[0]) \($0[1]) \($0[2]) \($0[3])\($0[4])" } == [
                "TALLY-PAID-2026-09-brew-bea 2026-10-03 Creator payouts payable 276.98",
                "TALLY-PAID-2026-09-brew-bea 2026-10-03 Payout clearing 276.98",
                "TALLY-PAID-2026-09-matcha-mo 2026-10-31 Creator payouts payable 1513.01",
                "TALLY-PAID-2026-09-matcha-mo 2026-10-31 Payout clearing 1513.01"
            ])
        let september = try runTally(["journal", "--month", "2026-09"], in: dir).stdout
        #expect(!september.contains("TALLY-PAID-"), "paid in October, booked in October")
    }

    /// The example shop's October in each format, compared with Tests/Golden/books (QuickBooks and
    /// Xero with accounts set, codes and a PayPal cash account).
    @Test func theExampleShopsOctoberInEachFormat() throws {
        let dir = try Self.booksLedger(); defer { try? FileManager.default.removeItem(at: dir) }
        let csv = try runTally(["journal", "--month", "2026-10", "--format", "csv"], in: dir)
        try expectGolden(csv.stdout, "books/journal-2026-10.csv")
        for (key, name, code) in [
            ("commissions", "Marketing:Creator commissions", "6100"),
            ("fees", "Marketing:Creator fees", "6110"),
            ("adjustments", "Marketing:Creator adjustments", "6120"),
            ("payable", "Creator payouts payable", "2100"),
            ("carried", "Creator balances carried", "2110"),
            ("cash", "Business checking", "1000"),
            ("cash:paypal", "PayPal", "1010")
        ] {
            let set = try runTally(["accounts", "set", key, name, "--code", code], in: dir)
            try #require(set.status == 0, "\(set.stderr)")
        }
        let quickbooks = try runTally(["journal", "--month", "2026-10", "--format", "quickbooks"], in: dir)
        #expect(quickbooks.status == 0 && quickbooks.stderr.isEmpty, "\(quickbooks.stderr)")
        try expectGolden(quickbooks.stdout, "books/journal-2026-10-quickbooks.csv")
        let output = dir.appendingPathComponent("xero.csv").path
        let xero = try runTally(["journal", "--month", "2026-10", "--format", "xero", "--output", output], in: dir)
        #expect(xero.status == 0 && xero.stderr.isEmpty, "codes are set: no note; \(xero.stderr)")
        let xeroText = try String(contentsOfFile: output, encoding: .utf8)
        try expectGolden(xeroText, "books/journal-2026-10-xero.csv")
        #expect(xeroText.hasPrefix("*Narration,*Date,Description,*AccountCode,*TaxRate,*Amount\n"))
        #expect(xeroText.contains("TALLY-PAID-2026-09-brew-bea,03/10/2026,"))
        #expect(xeroText.contains(",1010,Tax Exempt,-276.98"))
        let paid = "TP-2026-09-brew-bea,10/03/2026,PayPal,,276.98,\"TALLY-PAID-2026-09-brew-bea: "
        #expect(quickbooks.stdout.contains(paid), "the full id starts the Description")
        // QuickBooks Online keeps journal numbers of at most 21 characters.
        #expect(Self.rows(quickbooks.stdout).allSatisfy { $0[0].count <= 21 })
        #expect(quickbooks.stdout.contains(",Creator payouts payable,276.98,,"))
        #expect(quickbooks.stdout.contains("Beatriz Souza"))
        // QuickBooks: no negative numbers; Xero: each narration's amounts add up to 0.
        #expect(!quickbooks.stdout.contains(",-"))
        var sums: [String: Int64] = [:]
        for row in Self.rows(xeroText) { sums[row[0], default: 0] += Self.cents(row[5]) }
        #expect(!sums.isEmpty && sums.values.allSatisfy { $0 == 0 }, "\(sums)")
    }

    @Test func refusalsAndTheNoteAboutAccountCodes() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try examplesLedger(in: dir, closing: ["2026-07"])
        let open = try runTally(["journal", "--month", "2026-08"], in: dir)
        #expect(open.status == 1 && open.stderr.contains("2026-08 is not closed"), "\(open.stderr)")
        let unknown = try runTally(["accounts", "set", "revenue", "Sales"], in: dir)
        #expect(unknown.status == 1 && unknown.stderr.contains("unknown account key 'revenue'"), "\(unknown.stderr)")
        let newline = try runTally(["accounts", "set", "fees", "Creator\nfees"], in: dir)
        #expect(newline.status == 1 && newline.stderr.contains("control character"), "\(newline.stderr)")
        let longCode = try runTally(["accounts", "set", "fees", "Fees", "--code", "12345678901"], in: dir)
        #expect(longCode.status == 1 && longCode.stderr.contains("at most 10"), "\(longCode.stderr)")
        #expect(try factCount(dir.appendingPathComponent("tally.sqlite").path, type: "account.set") == 0)

        let xero = try runTally(["journal", "--month", "2026-07", "--format", "xero"], in: dir)
        #expect(xero.status == 0)
        #expect(xero.stderr.components(separatedBy: "no account code set").count == 2, "once: \(xero.stderr)")
        #expect(xero.stdout.contains(",Creator commissions,Tax Exempt,"), "names stand in for codes")

        let set = try runTally(["accounts", "set", "fees", "Creator fees", "--code", "6110"], in: dir)
        #expect(set.status == 0 && set.stdout.contains("code 6110"))
        let again = try runTally(["accounts", "set", "fees", "Creator fees"], in: dir)
        #expect(again.status == 0 && again.stdout.contains("unchanged"), "the code is kept: \(again.stdout)")
        let taxRate = try runTally(["accounts", "set", "tax-rate", "No VAT"], in: dir)
        #expect(taxRate.status == 0)
        let listed = try runTally(["accounts", "--format", "csv"], in: dir)
        #expect(
            listed.stdout.contains("fees,Creator fees,6110,set\n")
                && listed.stdout.contains("tax-rate,No VAT,,set\n")
                && listed.stdout.contains("cash:wise,Payout clearing,,default: cash\n"), "\(listed.stdout)")
        let withRate = try runTally(["journal", "--month", "2026-07", "--format", "xero"], in: dir)
        #expect(withRate.stdout.contains(",6110,No VAT,"), "\(withRate.stdout)")
        let ledger = dir.appendingPathComponent("tally.sqlite").path
        #expect(try factCount(ledger, type: "account.set") == 2)
        let intoLedger = try runTally(["journal", "--month", "2026-07", "--output", ledger], in: dir)
        #expect(intoLedger.status == 1 && intoLedger.stderr.contains("is the ledger itself"))
        // Nor the key file, and a report's --force does not make the ledger writable over either.
        #expect(try runTally(["key", "export", "copy.key"], in: dir).status == 0)
        let key = try String(contentsOf: dir.appendingPathComponent("copy.key"), encoding: .utf8)
        let intoKey = try runTally(
            ["journal", "--month", "2026-07", "--key-file", "copy.key", "--output", "copy.key"],
            in: dir)
        #expect(
            intoKey.status == 1 && intoKey.stderr.contains("copy.key is the ledger's key file"),
            "\(intoKey.stderr)")
        #expect(try String(contentsOf: dir.appendingPathComponent("copy.key"), encoding: .utf8) == key)
        let report = try runTally(["report", "--month", "2026-07", "--output", ledger, "--force"], in: dir)
        #expect(report.status == 1 && report.stderr.contains("is the ledger itself"), "\(report.stderr)")
        let statement = try runTally(
            [
                "statement", "anna-bakes", "--month", "2026-07", "--format", "html",
                "--key-file", "copy.key", "--output", "copy.key", "--force"
            ], in: dir)
        #expect(statement.status == 1 && statement.stderr.contains("is the ledger's key file"), "\(statement.stderr)")
        #expect(try runTally(["verify"], in: dir).status == 0)
    }
}

/// `2026-09-30` for `2026-09`.
private func lastDay(_ month: String) -> String {
    ["2026-07": "2026-07-31", "2026-08": "2026-08-31", "2026-09": "2026-09-30", "2026-10": "2026-10-31"][month]!
}

@Suite("books: Xero's 300 lines a file")
struct XeroSplitTests {
    /// 160 creators with a paid post fee each: 320 close lines, more than one Xero file takes.
    @Test func aBigMonthIsWrittenAsNumberedFilesEachBalanced() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let ids = (100..<260).map { "c\($0)" }
        _ = try write(
            "id,name,email\n" + ids.map { "\($0),Creator \($0),\($0)@example.com\n" }.joined(),
            to: "creators.csv", in: dir)
        _ = try write(
            "id,creator,date,platform,fee,url,impressions,engagements\n"
                + ids.map { "P-\($0),\($0),2026-07-10,instagram,100.00,,,\n" }.joined(), to: "posts.csv", in: dir)
        for step in [
            ["init", "--currency", "USD"], ["import", "creators", "creators.csv"],
            ["import", "posts", "posts.csv"], ["payout", "close", "--month", "2026-07"]
        ] {
            let result = try runTally(step, in: dir)
            try #require(result.status == 0, "\(step): \(result.stderr)")
        }
        let toStdout = try runTally(["journal", "--month", "2026-07", "--format", "xero"], in: dir)
        #expect(toStdout.status == 1 && toStdout.stderr.contains("give --output"), "\(toStdout.stderr)")
        let written = try runTally(
            ["journal", "--month", "2026-07", "--format", "xero", "--output", "july.csv"],
            in: dir)
        #expect(written.status == 0 && written.stdout.contains("july-1.csv, july-2.csv"), "\(written.stdout)")
        var lines = 0
        for name in ["july-1.csv", "july-2.csv"] {
            let rows = BooksCommandTests.rows(try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8))
            #expect(rows.count <= 300 && rows.reduce(0) { $0 + BooksCommandTests.cents($1[5]) } == 0, "\(name)")
            lines += rows.count
        }
        #expect(lines == 320 && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("july.csv").path))
    }
}

@Suite("books: journals written for the books")
struct JournalExportTests {
    /// A journal written with --output is recorded: writing it again says so, a reopen of the month
    /// is refused until --not-booked names it as not in the books, and the reopen names it to void.
    @Test func aReopenNamesTheJournalWrittenForTheBooks() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try examplesLedger(in: dir, closing: BooksCommandTests.months)
        let args = ["journal", "--month", "2026-10", "--format", "quickbooks", "--output", "books-10.csv"]
        let first = try runTally(args, in: dir)
        #expect(first.status == 0 && !first.stderr.contains("already"), "\(first.stderr)")
        let again = try runTally(args, in: dir)
        #expect(
            again.status == 0
                && again.stderr.contains(
                    "the journal TALLY-CLOSE-2026-10 was written on 2026-11-21 to books-10.csv (quickbooks) already"),
            "\(again.stderr)")
        // The same journals to the same file are recorded once (a re-run's log is one run's); another file counts.
        let journalFacts = {
            try runTally(["log", "--format", "json"], in: dir).stdout
                .components(separatedBy: "\"type\":\"journal.exported\"").count - 1
        }
        #expect(try journalFacts() == 1)
        let refused = try runTally(["payout", "reopen", "--month", "2026-10", "--reason", "late refund"], in: dir)
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(
            refused.stderr.contains(
                "cannot reopen 2026-10 yet: the journal TALLY-CLOSE-2026-10 was written on 2026-11-21 to "
                    + "books-10.csv (quickbooks): void it in the books")
                && refused.stderr.contains("give --not-booked"), "\(refused.stderr)")
        let closed = try runTally(["payout", "show", "--month", "2026-10"], in: dir)
        #expect(closed.status == 0, "the refused reopen left the month closed: \(closed.stderr)")
        let reopened = try runTally(
            ["payout", "reopen", "--month", "2026-10", "--reason", "late refund", "--not-booked"], in: dir)
        #expect(reopened.status == 0, "\(reopened.stderr)")
        #expect(
            reopened.stderr.contains("TALLY-CLOSE-2026-10 was written on 2026-11-21 to books-10.csv (quickbooks)")
                && reopened.stderr.contains("void it in the books if it was imported"), "\(reopened.stderr)")
        #expect(try runTally(["payout", "close", "--month", "2026-10"], in: dir).status == 0)
        // The new close's journal: not "already" (the earlier one is of the close taken back), but named.
        let after = try runTally(args, in: dir)
        #expect(after.status == 0 && !after.stderr.contains("already"), "\(after.stderr)")
        #expect(after.stderr.contains("for a close of 2026-10 taken back since"), "\(after.stderr)")
        #expect(try journalFacts() == 2)
        #expect(try runTally(Array(args.dropLast()) + ["books-10b.csv"], in: dir).status == 0)
        #expect(try journalFacts() == 3)
        #expect(try runTally(["verify"], in: dir).status == 0)
    }
}

@Suite("books: what journal --output replaces")
struct JournalOutputTests {
    /// Trial 5: `journal --output` replaced a ledger backup, a payment file and an exported key with a
    /// journal, silently. Only a journal file is replaced without --force; the refusal says what the
    /// file is, and a file replaced is named.
    @Test func onlyAJournalFileIsReplacedWithoutForce() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try examplesLedger(in: dir, closing: ["2026-07"])
        func text(_ name: String) throws -> String {
            try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
        }
        #expect(try runTally(["backup", "backup.sqlite"], in: dir).status == 0)
        let backup = try Data(contentsOf: dir.appendingPathComponent("backup.sqlite"))
        let intoBackup = try runTally(["journal", "--month", "2026-07", "--output", "backup.sqlite"], in: dir)
        #expect(
            intoBackup.status == 1
                && intoBackup.stderr.contains(
                    "backup.sqlite exists and is not a journal tally wrote (it is a SQLite database"),
            "\(intoBackup.stderr)")
        #expect(try Data(contentsOf: dir.appendingPathComponent("backup.sqlite")) == backup)
        #expect(try runTally(["key", "export", "saved.key"], in: dir).status == 0)
        let key = try text("saved.key")
        let intoKey = try runTally(["journal", "--month", "2026-07", "--output", "saved.key"], in: dir)
        #expect(intoKey.status == 1 && intoKey.stderr.contains("(it is a tally key file)"), "\(intoKey.stderr)")
        #expect(try text("saved.key") == key)
        _ = try write("creator,reference\nanna-bakes,PP-1\n", to: "paid.csv", in: dir)
        let intoPayments = try runTally(["journal", "--month", "2026-07", "--output", "paid.csv"], in: dir)
        #expect(intoPayments.status == 1 && intoPayments.stderr.contains("--force"), "\(intoPayments.stderr)")
        #expect(try text("paid.csv") == "creator,reference\nanna-bakes,PP-1\n")
        #expect(try factCount(dir.appendingPathComponent("tally.sqlite").path, type: "journal.exported") == 0)
        // A journal file (any of the three layouts) is replaced, and named when it was not this month's.
        let csv = try runTally(["journal", "--month", "2026-07", "--output", "books.csv"], in: dir)
        #expect(csv.status == 0, "\(csv.stderr)")
        let quickbooks = try runTally(
            ["journal", "--month", "2026-07", "--format", "quickbooks", "--output", "books.csv"], in: dir)
        #expect(quickbooks.status == 0 && quickbooks.stderr.contains("already"), "\(quickbooks.stderr)")
        #expect(try text("books.csv").hasPrefix("Journal No,Journal Date,"))
        let forced = try runTally(["journal", "--month", "2026-07", "--output", "paid.csv", "--force"], in: dir)
        #expect(
            forced.status == 0 && forced.stderr.contains("replaced the existing paid.csv"), "\(forced.stderr)")
        #expect(try text("paid.csv").hasPrefix("journal,date,account,"))
        // A payment file recorded for a close in force is the record of what was sent: never replaced.
        let export = try runTally(
            ["payout", "export", "--month", "2026-07", "--to", "generic", "--output", "sent.csv"], in: dir)
        try #require(export.status == 0, "\(export.stderr)")
        let sent = try text("sent.csv")
        let intoSent = try runTally(["journal", "--month", "2026-07", "--output", "sent.csv", "--force"], in: dir)
        #expect(
            intoSent.status == 1 && intoSent.stderr.contains("sent.csv is the generic file ")
                && intoSent.stderr.contains("recorded for the 2026-07 close: write the journal elsewhere"),
            "\(intoSent.stderr)")
        #expect(try text("sent.csv") == sent)
        #expect(try runTally(["verify"], in: dir).status == 0)
    }
}

@Suite("books: payments of a year")
struct PaymentsCommandTests {
    @Test func thePaymentsOfEachYearWithTheirMethodsAndThresholds() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try examplesLedger(in: dir, closing: BooksCommandTests.months)
        // anna-bakes: PayPal by her payout details, then by bank; matcha-mo twice by wise (her details);
        // brew-bea's September payout paid in January 2027.
        let marks: [(String, String, String, [String])] = [
            ("anna-bakes", "2026-07", "2026-08-04", []), ("anna-bakes", "2026-08", "2026-09-03", ["--method", "bank"]),
            ("matcha-mo", "2026-09", "2026-10-05", []), ("matcha-mo", "2026-10", "2026-11-20", []),
            ("brew-bea", "2026-09", "2027-01-04", ["--method", "bank"])
        ]
        for (creator, month, day, more) in marks {
            let result = try runTally(
                [
                    "payout", "mark-paid", "--month", month, "--creator", creator,
                    "--reference", "R-\(creator)-\(month)", "--date", day
                ] + more, in: dir,
                environment: ["TALLY_NOW": "2027-01-10T12:00:00Z"])
            try #require(result.status == 0, "\(result.stderr)")
        }
        let y2026 = try runTally(["payments", "--year", "2026", "--format", "csv"], in: dir)
        #expect(y2026.status == 0, "\(y2026.stderr)")
        // The amounts are the payouts of `payout show`: anna-bakes 200.00 (July) and 556.51 (August),
        // matcha-mo 1513.01 (September) and 1575.40 (October).
        #expect(
            y2026.stdout == """
                year,creator,name,payments,paid,paid_by_paypal,nec_amount,threshold,needs_1099_nec,tax_form
                2026,anna-bakes,Anna Becker,2,756.51,200.00,556.51,2000.00,false,w9
                2026,matcha-mo,Mo Tanaka,2,3088.41,0.00,3088.41,2000.00,true,w8ben

                """)
        // 2027's threshold is indexed for inflation: the IRS figure, set (TaxFormAndThresholdTests).
        #expect(try runTally(["settings", "set", "1099-nec-threshold:2027", "2100.00"], in: dir).status == 0)
        let y2027 = try runTally(["payments", "--year", "2027", "--format", "csv"], in: dir)
        #expect(y2027.stdout.hasSuffix("\n2027,brew-bea,Beatriz Souza,1,276.98,0.00,276.98,2100.00,false,\n"))
        #expect(y2027.status == 0 && y2027.stderr.isEmpty, "\(y2027.stderr)")
        let none = try runTally(["payments", "--year", "2025"], in: dir)
        #expect(none.status == 0 && !none.stdout.contains("2025 ") && none.stderr.contains("no payment dated in 2025"))
        let bad = try runTally(["payments", "--year", "26"], in: dir)
        #expect(bad.status == 2 && bad.stderr.contains("expected a year"), "\(bad.stderr)")
    }
}
