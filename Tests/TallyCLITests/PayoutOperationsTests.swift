import Foundation
import LedgerCore
import LedgerStore
import TestSupport
import Testing

// Issue 14 end to end, through the built binary: paid status, payment files that never pay a payout
// twice by accident, mark-paid in bulk, reopen, the first close, balances and history, listings.
// The ledger is `seedPayoutLedger`'s (anna PayPal, bea Wise, cam no payout details), with two more
// creators from `addDanAndEve` where a file needs them.

/// dan (no payout details) and eve (bank) with a +20.00 and a +30.00 adjustment in August 2026.
func addDanAndEve(in dir: URL) throws {
    let ledger = try Ledger.open(
        path: dir.appendingPathComponent("tally.sqlite").path,
        clock: .fixed(Instant(unixSeconds: 1_780_000_100)))
    let zero = Instant(unixSeconds: 0)
    let day = { (text: String) in Zone.utc.startOfDay(CivilDate.parse(text)!) }
    try ledger.write { l in
        try l.append(
            .creatorRegistered(
                CreatorRegistered(
                    id: "dan", name: "Dan Ruiz", emailHash: nil, followers: [:],
                    payout: nil, at: zero)))
        try l.append(
            .creatorRegistered(
                CreatorRegistered(
                    id: "eve", name: "Eve O'Neil, Ltd", emailHash: nil, followers: [:],
                    payout: PayoutDetails(method: "bank", account: "GB33 BUKB 2020 1555 5555 55"), at: zero)))
        let adjustments: [(String, String, String, Int64)] = [
            ("D1", "dan", "2026-08-26", 2_000),
            ("E1", "eve", "2026-08-27", 3_000)
        ]
        for (id, creator, date, amount) in adjustments {
            try l.append(
                .adjustmentRecorded(
                    AdjustmentRecorded(
                        id: id, creator: creator, date: CivilDate.parse(date)!,
                        effectiveAt: day(date), amountMinor: amount,
                        reason: "launch")))
        }
    }
}

/// The CSV rows of `payout show`, by creator.
func shownRows(_ month: String, in dir: URL) throws -> [String: String] {
    let show = try runTally(["payout", "show", "--month", month, "--format", "csv"], in: dir)
    try #require(show.status == 0, "\(show.stderr)")
    var rows: [String: String] = [:]
    for line in show.stdout.split(separator: "\n").dropFirst() {
        rows[String(line.split(separator: ",")[1])] = String(line)
    }
    return rows
}

func factCount(_ type: String, in dir: URL) throws -> Int {
    let log = try runTally(["log", "--format", "json"], in: dir)
    return log.stdout.components(separatedBy: "\"type\":\"\(type)\"").count - 1
}

func fileMode(_ url: URL) throws -> Int {
    (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

@Suite("payout operations end to end (issue 14)")
struct PayoutOperationsTests {
    /// Item 1: a payout marked paid shows its day, method and reference; an export leaves it out and
    /// names it; an export is recorded, so that the next one leaves its payouts out too, and `payout
    /// show` names the file.
    @Test func paidStatusAndExportsThatNeverListAPayoutTwice() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try seedPayoutLedger(in: dir)
        #expect(try runTally(["payout", "close", "--month", "2026-08"], in: dir).status == 0)
        let paid = try runTally(
            [
                "payout", "mark-paid", "--month", "2026-08", "--creator", "anna", "--reference",
                "PP-1", "--date", "2026-09-02", "--method", "paypal"
            ], in: dir)
        #expect(paid.status == 0, "\(paid.stderr)")
        #expect(
            paid.stdout == "Marked the 2026-08 payout of 19.31 USD to anna paid on 2026-09-02 by paypal "
                + "(reference PP-1).\n")
        let rows = try shownRows("2026-08", in: dir)
        #expect(
            rows["anna"]
                == "2026-08,anna,USD,0.00,19.31,0.00,0.00,0.00,19.31,19.31,0.00,Anna Becker,2026-09-02,paypal,PP-1")
        #expect(rows["bea"] == "2026-08,bea,USD,0.00,10.00,0.00,0.00,-5.00,5.00,5.00,0.00,Beatriz Souza,,,")

        let first = try runTally(
            ["payout", "export", "--month", "2026-08", "--to", "generic", "--output", "g.csv"],
            in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(
            try String(contentsOf: dir.appendingPathComponent("g.csv"), encoding: .utf8)
                == "creator,name,currency,amount,month,reference\n"
                + "bea,Beatriz Souza,USD,5.00,2026-08,TALLY-2026-08-bea\n")
        #expect(
            first.stderr.contains(
                "left out of this generic file, already marked paid: anna (2026-09-02, paypal, PP-1)"),
            "\(first.stderr)")
        #expect(try fileMode(dir.appendingPathComponent("g.csv")) == 0o600)
        let table = try runTally(["payout", "show", "--month", "2026-08"], in: dir)
        #expect(
            table.stdout.contains("exported: the generic file g.csv (exported 2026-11-21T12:00:00Z)"),
            "\(table.stdout)")
        #expect(table.stdout.contains("): 1 payout\n"), "\(table.stdout)")

        // Everything is paid or exported: nothing to write, and nothing is written.
        let second = try runTally(
            ["payout", "export", "--month", "2026-08", "--to", "generic", "--output", "g2.csv"],
            in: dir)
        #expect(second.status == 1)
        #expect(second.stderr.contains("already in the generic file g.csv"), "\(second.stderr)")
        #expect(second.stderr.contains("already marked paid: anna"), "\(second.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("g2.csv").path))
        #expect(try factCount("payout.exported", in: dir) == 1)

        // --include-paid puts the paid one back in (bea stays out: exported).
        let withPaid = try runTally(
            ["payout", "export", "--month", "2026-08", "--to", "generic", "--include-paid"],
            in: dir)
        #expect(withPaid.status == 0, "\(withPaid.stderr)")
        #expect(
            withPaid.stdout == "creator,name,currency,amount,month,reference\n"
                + "anna,Anna Becker,USD,19.31,2026-08,TALLY-2026-08-anna\n")

        // A file that exists is not replaced without --force: it may be a file not uploaded yet.
        let over = try runTally(
            [
                "payout", "export", "--month", "2026-08", "--to", "generic", "--output", "g.csv",
                "--include-exported"
            ], in: dir)
        #expect(over.status == 1 && over.stderr.contains("g.csv exists"), "\(over.stderr)")
        let forced = try runTally(
            [
                "payout", "export", "--month", "2026-08", "--to", "generic", "--output", "g.csv",
                "--include-exported", "--force"
            ], in: dir)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stdout == "Wrote 1 payout totalling 5.00 USD to g.csv.\n")
        let ledgerFile = try runTally(
            [
                "payout", "export", "--month", "2026-08", "--to", "generic", "--output",
                "tally.sqlite", "--include-exported", "--force"
            ], in: dir)
        #expect(
            ledgerFile.status == 1 && ledgerFile.stderr.contains("tally.sqlite is the ledger itself"),
            "\(ledgerFile.stderr)")
        #expect(try factCount("payout.exported", in: dir) == 3)
        #expect(try runTally(["verify"], in: dir).status == 0)
    }

    /// Item 2: --skip-missing writes the payouts that can be paid and names each one left out; the
    /// bank file has the account details, mode 0600 and a warning.
    @Test func skipMissingAndTheBankFile() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try seedPayoutLedger(in: dir)
        try addDanAndEve(in: dir)
        #expect(try runTally(["payout", "close", "--month", "2026-08"], in: dir).status == 0)
        let noOutput = try runTally(["payout", "export", "--month", "2026-08", "--to", "bank"], in: dir)
        #expect(noOutput.status == 2 && noOutput.stderr.contains("--output"), "\(noOutput.stderr)")
        let refused = try runTally(
            ["payout", "export", "--month", "2026-08", "--to", "bank", "--output", "bank.csv"],
            in: dir)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("1 creator has a payout but no payout details: dan"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--skip-missing"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("bank.csv").path))
        #expect(try factCount("payout.exported", in: dir) == 0)

        let bank = try runTally(
            [
                "payout", "export", "--month", "2026-08", "--to", "bank", "--output", "bank.csv",
                "--skip-missing"
            ], in: dir)
        #expect(bank.status == 0, "\(bank.stderr)")
        #expect(bank.stdout == "Wrote 1 payout totalling 30.00 USD to bank.csv.\n")
        #expect(
            try String(contentsOf: dir.appendingPathComponent("bank.csv"), encoding: .utf8) == """
                creator,name,currency,amount,month,reference,account_holder,account
                eve,"Eve O'Neil, Ltd",USD,30.00,2026-08,TALLY-2026-08-eve,"Eve O'Neil, Ltd",GB33 BUKB 2020 1555 5555 55

                """)
        #expect(try fileMode(dir.appendingPathComponent("bank.csv")) == 0o600)
        for left in ["paid by paypal: anna", "paid by wise: bea", "no payout details: dan"] {
            #expect(bank.stderr.contains("left out of this bank file, \(left)"), "\(bank.stderr)")
        }
        #expect(bank.stderr.contains("bank.csv holds bank account numbers"), "\(bank.stderr)")

        // The generic file needs no details: the others, eve left out (in the bank file).
        let generic = try runTally(["payout", "export", "--month", "2026-08", "--to", "generic"], in: dir)
        #expect(generic.status == 0, "\(generic.stderr)")
        #expect(
            generic.stdout.split(separator: "\n").map { $0.split(separator: ",")[0] }
                == ["creator", "anna", "bea", "dan"])
        #expect(generic.stderr.contains("already in the bank file bank.csv"), "\(generic.stderr)")
    }

    /// Item 3: a file of payments is one transaction: every bad line named, nothing recorded; a clean
    /// one marks all, with each row's date and method or the command's defaults.
    @Test func markPaidInBulkAllOrNothing() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try seedPayoutLedger(in: dir)
        try addDanAndEve(in: dir)
        #expect(try runTally(["payout", "close", "--month", "2026-08"], in: dir).status == 0)
        try write(
            "creator,reference,date,method\nanna,PP-1,2026-09-02,\ncam,X-1,,\nbea,W-1,,\nzoe,Z-1,,\n",
            to: "bad.csv", in: dir)
        let bad = try runTally(["payout", "mark-paid", "--month", "2026-08", "--from-file", "bad.csv"], in: dir)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("bad.csv:3:1"), "\(bad.stderr)")
        #expect(bad.stderr.contains("cam has no payout for 2026-08"), "\(bad.stderr)")
        #expect(bad.stderr.contains("bad.csv:5:1"), "\(bad.stderr)")
        #expect(bad.stderr.contains("no payout was marked paid"), "\(bad.stderr)")
        #expect(try factCount("payout.paid", in: dir) == 0)
        // Re-saved by a spreadsheet with ';', or another kind of file: said as such.
        try write("creator;reference;date\nanna;PP-1;2026-09-02\n", to: "semi.csv", in: dir)
        let semi = try runTally(["payout", "mark-paid", "--month", "2026-08", "--from-file", "semi.csv"], in: dir)
        #expect(semi.status == 1 && semi.stderr.contains("this file uses ';' and looks re-saved by a spreadsheet"))
        try write("creator,date,platform,fee\nanna,2026-08-02,tiktok,10.00\n", to: "posts.csv", in: dir)
        let posts = try runTally(["payout", "mark-paid", "--month", "2026-08", "--from-file", "posts.csv"], in: dir)
        #expect(posts.status == 1 && posts.stderr.contains("this looks like a posts file: tally import posts"))
        try write("creator,reference,date,method\nanna,PP-1,2026-09-31,\nbea,W-1,,cash\n", to: "typo.csv", in: dir)
        let typo = try runTally(["payout", "mark-paid", "--month", "2026-08", "--from-file", "typo.csv"], in: dir)
        #expect(typo.status == 1)
        #expect(typo.stderr.contains("typo.csv:2:3"), "\(typo.stderr)")
        #expect(typo.stderr.contains("typo.csv:3:4"), "\(typo.stderr)")
        #expect(try factCount("payout.paid", in: dir) == 0)
        // A row's own problem and the ledger's problems with the other rows, in one round, by line.
        try write("creator,reference,date,method\nzoe,Z-1,,\nanna,,,\ncam,X-1,,\n", to: "both.csv", in: dir)
        let oneRound = try runTally(["payout", "mark-paid", "--month", "2026-08", "--from-file", "both.csv"], in: dir)
        #expect(oneRound.status == 1)
        let lines = oneRound.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(oneRound.stderr)")
        #expect(
            lines.first?.hasPrefix("tally: error: both.csv:2:1: unknown creator 'zoe'") == true,
            "\(oneRound.stderr)")
        #expect(lines.dropFirst().first?.hasPrefix("both.csv:3:2: found ''") == true, "\(oneRound.stderr)")
        #expect(lines.dropFirst(2).first?.hasPrefix("both.csv:4:1: cam has no payout for 2026-08") == true)
        #expect(lines.last == "both.csv: 3 problems; no payout was marked paid", "\(oneRound.stderr)")
        #expect(try factCount("payout.paid", in: dir) == 0)
        // Another month's payment file (tally's files carry a month column) never marks this month's payouts.
        try write(
            "creator,name,currency,amount,month,reference\nanna,Anna,USD,19.31,2026-09,TALLY-2026-09-anna\n",
            to: "september.csv", in: dir)
        let other = try runTally(["payout", "mark-paid", "--month", "2026-08", "--from-file", "september.csv"], in: dir)
        #expect(other.status == 1)
        #expect(other.stderr.contains("september.csv:2:5"), "\(other.stderr)")
        #expect(other.stderr.contains("2026-08, the month being marked"), "\(other.stderr)")
        #expect(try factCount("payout.paid", in: dir) == 0)
        // Trial 5: the PayPal and Wise files tally wrote for the upload, given as the record of what was paid.
        try write(
            "anna@example.com,19.31,USD,TALLY-2026-08-anna,Creator payout 2026-08,PAYPAL\n", to: "pp.csv", in: dir)
        try write(
            "name,recipientEmail,paymentReference,receiverType,amountCurrency,amount,sourceCurrency,"
                + "targetCurrency,IBAN\n"
                + "Bea,,TALLY-2026-08-bea,PERSON,target,20.00,USD,USD,DE89370400440532013000\n", to: "wise.csv", in: dir
        )
        for (name, layout) in [("pp.csv", "PayPal"), ("wise.csv", "Wise")] {
            let upload = try runTally(["payout", "mark-paid", "--month", "2026-08", "--from-file", name], in: dir)
            #expect(upload.status == 1)
            #expect(
                upload.stderr.contains(
                    "this is the \(layout) file tally wrote for the upload, not a record of what was "
                        + "paid"), "\(upload.stderr)")
        }
        // Trial 5: the export edited in a spreadsheet: Excel rewrote the month (2026-08 as Aug-26) and a day was
        // typed with slashes. Neither is "another month" or a bare "expected a date": both say what happened.
        try write(
            "creator,amount,month,reference,date\nanna,19.31,Aug-26,PP-1,9/3/2026\n", to: "excel.csv", in: dir)
        let excel = try runTally(["payout", "mark-paid", "--month", "2026-08", "--from-file", "excel.csv"], in: dir)
        #expect(excel.status == 1)
        #expect(!excel.stderr.contains("this row is for another month"), "\(excel.stderr)")
        #expect(
            excel.stderr.contains("a spreadsheet rewrites months: Excel shows 2026-08 as Aug-26"), "\(excel.stderr)")
        #expect(
            excel.stderr.contains(
                "excel.csv:2:5: found '9/3/2026', expected a date like 2026-10-05; '9/3/2026' is a date with slashes, "
                    + "as a spreadsheet writes it: it is 2026-09-03 or 2026-03-09"), "\(excel.stderr)")
        #expect(try factCount("payout.paid", in: dir) == 0)

        try write(
            "reference,creator,date,method\nPP-1,anna,2026-09-02,\nW-1,bea,,bank\nB-1,eve,,\n", to: "good.csv",
            in: dir)
        // --dry-run: every check, what would be recorded, nothing recorded.
        let dry = try runTally(
            [
                "payout", "mark-paid", "--month", "2026-08", "--from-file", "good.csv",
                "--date", "2026-09-03", "--dry-run"
            ], in: dir)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(
            dry.stdout == """
                Would mark 3 payouts of 2026-08 paid from good.csv, totalling 54.31 USD (--dry-run: nothing recorded):
                  anna: 19.31 USD paid on 2026-09-02 by paypal (reference PP-1)
                  bea: 5.00 USD paid on 2026-09-03 by bank (reference W-1)
                  eve: 30.00 USD paid on 2026-09-03 by bank (reference B-1)

                """)
        #expect(try factCount("payout.paid", in: dir) == 0)
        let dryBad = try runTally(
            ["payout", "mark-paid", "--month", "2026-08", "--from-file", "bad.csv", "--dry-run"],
            in: dir)
        #expect(dryBad.status == 1 && dryBad.stderr.contains("cam has no payout for 2026-08"))
        let good = try runTally(
            [
                "payout", "mark-paid", "--month", "2026-08", "--from-file", "good.csv",
                "--date", "2026-09-03"
            ], in: dir)
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout == "Marked 3 payouts of 2026-08 paid from good.csv, totalling 54.31 USD.\n")
        let rows = try shownRows("2026-08", in: dir)
        #expect(rows["anna"]?.hasSuffix(",Anna Becker,2026-09-02,paypal,PP-1") == true)  // the creator's method
        #expect(rows["bea"]?.hasSuffix(",Beatriz Souza,2026-09-03,bank,W-1") == true)  // the row's, the command's day
        #expect(rows["eve"]?.hasSuffix(",2026-09-03,bank,B-1") == true)
        #expect(rows["dan"]?.hasSuffix(",Dan Ruiz,,,") == true)
        // Again: nothing changes, each one is named.
        let again = try runTally(["payout", "mark-paid", "--month", "2026-08", "--from-file", "good.csv"], in: dir)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.hasPrefix("Marked 0 payouts of 2026-08"), "\(again.stdout)")
        #expect(again.stderr.contains("anna: already marked paid with reference PP-1; nothing changed"))
        #expect(try factCount("payout.paid", in: dir) == 3)

        // One payout: the day the money left is neither in the future nor before the month ended.
        let future = try runTally(
            [
                "payout", "mark-paid", "--month", "2026-08", "--creator", "dan", "--reference", "D",
                "--date", "2026-11-22"
            ], in: dir)
        #expect(future.status == 1 && future.stderr.contains("is after today"), "\(future.stderr)")
        let early = try runTally(
            [
                "payout", "mark-paid", "--month", "2026-08", "--creator", "dan", "--reference", "D",
                "--date", "2026-08-31"
            ], in: dir)
        #expect(early.status == 1 && early.stderr.contains("before 2026-08 ended"), "\(early.stderr)")
        let both = try runTally(
            [
                "payout", "mark-paid", "--month", "2026-08", "--creator", "dan", "--reference", "D",
                "--from-file", "good.csv"
            ], in: dir)
        #expect(both.status == 2)
        let dryDan = try runTally(
            [
                "payout", "mark-paid", "--month", "2026-08", "--creator", "dan", "--reference", "D",
                "--dry-run"
            ], in: dir)
        #expect(
            dryDan.stdout == "Would mark the 2026-08 payout of 20.00 USD to dan paid on 2026-11-21 by other "
                + "(reference D); --dry-run: nothing recorded.\n")
        #expect(try factCount("payout.paid", in: dir) == 3)
        let dan = try runTally(
            ["payout", "mark-paid", "--month", "2026-08", "--creator", "dan", "--reference", "D"],
            in: dir)
        #expect(dan.stdout.contains("to dan paid on 2026-11-21 by other (reference D)"), "\(dan.stdout)")
        #expect(try runTally(["verify"], in: dir).status == 0)
    }

    /// Item 4: the latest closed month can be reopened while nothing of it is paid (and its payment
    /// files were not uploaded); its statements stop counting, it closes again, verify and rebuild
    /// agree, and the log keeps both closes.
    /// tally's own bank file fed back as the record of payments: marked (docs/payouts.md allows it),
    /// with a note that its references are tally's and that rows without a date were marked today.
    @Test func ownPaymentFileAsProofOfPaymentIsNoted() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try seedPayoutLedger(in: dir)
        try addDanAndEve(in: dir)
        #expect(try runTally(["payout", "close", "--month", "2026-08"], in: dir).status == 0)
        let export = ["payout", "export", "--month", "2026-08", "--to", "bank", "--skip-missing", "--output", "b.csv"]
        #expect(try runTally(export, in: dir).status == 0)
        // A dated mark with the bank's reference (a dry run): no note.
        let rows = try String(contentsOf: dir.appendingPathComponent("b.csv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let column = try #require(rows[0].firstIndex(of: "creator"))
        let one = try runTally(
            [
                "payout", "mark-paid", "--month", "2026-08", "--creator", String(rows[1][column]), "--reference",
                "BANK-77", "--date", "2026-11-20", "--dry-run"
            ], in: dir)
        #expect(one.status == 0 && one.stderr.isEmpty, "\(one.stdout) \(one.stderr)")
        let marked = try runTally(["payout", "mark-paid", "--month", "2026-08", "--from-file", "b.csv"], in: dir)
        #expect(marked.status == 0, "\(marked.stderr)")
        #expect(marked.stderr.contains("of b.csv had no date: marked paid today, 2026-11-21;"), "\(marked.stderr)")
        #expect(
            marked.stderr.contains("marked with the reference tally wrote into the payment file (TALLY-2026-08-"),
            "\(marked.stderr)")
    }

    @Test func reopenTheLatestClosedMonth() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try seedPayoutLedger(in: dir)
        #expect(try runTally(["payout", "close", "--month", "2026-08"], in: dir).status == 0)
        try addSeptember(in: dir)
        #expect(try runTally(["payout", "close", "--month", "2026-09"], in: dir).status == 0)
        let september = try runTally(["payout", "show", "--month", "2026-09", "--format", "csv"], in: dir).stdout
        let reason = ["--reason", "refund missed"]
        let august = try runTally(["payout", "reopen", "--month", "2026-08"] + reason, in: dir)
        #expect(
            august.status == 1
                && august.stderr.contains("2026-08 is not the latest closed month: reopen 2026-09 first"))
        let open = try runTally(["payout", "reopen", "--month", "2026-10"] + reason, in: dir)
        #expect(open.status == 1 && open.stderr.contains("2026-10 is not closed"), "\(open.stderr)")
        #expect(try runTally(["payout", "reopen", "--month", "2026-09"], in: dir).status == 2)  // no reason

        #expect(
            try runTally(
                ["payout", "export", "--month", "2026-09", "--to", "generic", "--output", "sep.csv"],
                in: dir
            ).status == 0)
        let exported = try runTally(["payout", "reopen", "--month", "2026-09"] + reason, in: dir)
        #expect(exported.status == 1)
        #expect(
            exported.stderr.contains(
                "payment files were written for its close: generic file "
                    + "\(dir.appendingPathComponent("sep.csv").standardizedFileURL.path) (1 payout)"),
            "\(exported.stderr)")
        #expect(exported.stderr.contains("--not-uploaded"))
        let reopened = try runTally(["payout", "reopen", "--month", "2026-09", "--not-uploaded"] + reason, in: dir)
        #expect(reopened.status == 0, "\(reopened.stderr)")
        #expect(reopened.stdout.hasPrefix("Reopened 2026-09: its 2 statements no longer count"), "\(reopened.stdout)")
        #expect(reopened.stderr.contains("the generic file sep.csv"), "\(reopened.stderr)")
        #expect(reopened.stderr.contains("do not upload it"), "\(reopened.stderr)")
        let show = try runTally(["payout", "show", "--month", "2026-09"], in: dir)
        #expect(show.status == 1 && show.stderr.contains("2026-09 is not closed (reopened"), "\(show.stderr)")
        let mark = try runTally(
            ["payout", "mark-paid", "--month", "2026-09", "--creator", "cam", "--reference", "X"],
            in: dir)
        #expect(mark.status == 1 && mark.stderr.contains("it was reopened: refund missed"), "\(mark.stderr)")
        let preview = try runTally(["payout", "preview", "--month", "2026-09", "--format", "csv"], in: dir)
        #expect(preview.stdout == september)
        for step in [["verify"], ["rebuild"], ["verify"]] {
            #expect(try runTally(step, in: dir).status == 0, "\(step)")
        }

        #expect(try runTally(["payout", "close", "--month", "2026-09"], in: dir).status == 0)
        #expect(try runTally(["payout", "show", "--month", "2026-09", "--format", "csv"], in: dir).stdout == september)
        #expect(try factCount("month.closed", in: dir) == 3)  // August, and September twice
        #expect(try factCount("month.reopened", in: dir) == 1)
        // The file of the close taken back does not count: cam is exported again, with a warning.
        let again = try runTally(
            ["payout", "export", "--month", "2026-09", "--to", "generic", "--output", "sep2.csv"],
            in: dir)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("sep.csv") && again.stderr.contains("was reopened: do not upload it"))
        #expect(
            try runTally(
                ["payout", "mark-paid", "--month", "2026-09", "--creator", "cam", "--reference", "X"],
                in: dir
            ).status == 0)
        let paid = try runTally(["payout", "reopen", "--month", "2026-09", "--not-uploaded"] + reason, in: dir)
        #expect(paid.status == 1)
        #expect(
            paid.stderr.contains(
                "cannot reopen 2026-09: 1 of its payouts is marked paid: cam (paid on 2026-11-21, "
                    + "reference X)"), "\(paid.stderr)")
        for step in [["verify"], ["rebuild"], ["verify"]] {
            #expect(try runTally(step, in: dir).status == 0, "\(step)")
        }
    }

    /// Item 5: the ledger's first close refuses a month with money facts in earlier months unless
    /// --first, and says what it folded in.
    @Test func theFirstClose() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try seedPayoutLedger(in: dir)
        try addSeptember(in: dir)
        let preview = try runTally(["payout", "preview", "--month", "2026-09"], in: dir)
        #expect(preview.status == 0)
        #expect(
            preview.stderr.contains(
                "no month is closed yet: this preview folds in 6 orders and 1 adjustment from "
                    + "2026-08 on"), "\(preview.stderr)")
        let refused = try runTally(["payout", "close", "--month", "2026-09"], in: dir)
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains(
                "2026-09 would be the ledger's first closed month, but earlier months hold "
                    + "6 orders and 1 adjustment (from 2026-08 on): close 2026-08 first"),
            "\(refused.stderr)")
        #expect(try factCount("month.closed", in: dir) == 0)
        // A month before every fact (a typo of the year, say) would leave every month up to August to
        // be closed, empty: refused too.
        let typo = try runTally(["payout", "close", "--month", "2025-08"], in: dir)
        #expect(typo.status == 1)
        #expect(
            typo.stderr.contains(
                "2025-08 would be the ledger's first closed month, but no order, post or "
                    + "adjustment is dated in it or before it (the first is in 2026-08)"),
            "\(typo.stderr)")
        #expect(try factCount("month.closed", in: dir) == 0)
        let first = try runTally(["payout", "close", "--month", "2026-09", "--first"], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        // anna 8.31 (1001 was refunded in September: never paid), bea 10.00, cam 3.00.
        #expect(first.stdout.hasPrefix("Closed 2026-09: 3 statements, 3 payouts totalling 116.31 USD.\n"))
        #expect(
            first.stdout.contains(
                "Folded into 2026-09 from 2026-08-10 on: 6 orders (commissions 21.31 USD), "
                    + "1 adjustment (-5.00 USD)."), "\(first.stdout)")
        let again = try runTally(
            ["payout", "close", "--month", "2026-10", "--first"], in: dir,
            environment: ["TALLY_NOW": "2026-11-21T12:00:00Z"])
        #expect(again.status == 1 && again.stderr.contains("--first: the ledger's first payout month is 2026-09"))
        // Before the first payout month, nothing can be closed any more.
        #expect(try runTally(["payout", "close", "--month", "2026-08"], in: dir).status == 1)
    }

    /// Item 6: balances as of a day (unpaid payouts, carried, held back) and a creator's history.
    @Test func balancesAndHistory() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try seedPayoutLedger(in: dir)
        #expect(try runTally(["payout", "close", "--month", "2026-08"], in: dir).status == 0)
        #expect(
            try runTally(
                [
                    "payout", "mark-paid", "--month", "2026-08", "--creator", "anna", "--reference", "PP-1",
                    "--date", "2026-09-02"
                ], in: dir
            ).status == 0)
        try addSeptember(in: dir)
        // bea: 30 days' holdback from September on, and a 100.00 order on September 20 (20.00).
        let ledger = try Ledger.open(
            path: dir.appendingPathComponent("tally.sqlite").path,
            clock: .fixed(Instant(unixSeconds: 1_790_000_100)))
        try ledger.write { l in
            let september = Zone.utc.startOfDay(CivilDate.parse("2026-09-01")!)
            try l.append(.termsSet(TermsSet(creator: "bea", effectiveFrom: september, holdbackDays: 30)))
            let t = Timestamp.parse("2026-09-20T10:00:00Z")!
            try l.append(
                .orderSeen(
                    OrderSeen(
                        key: OrderKey(source: "shopify", orderId: "1006"), name: "#1006", createdAt: t, currency: .usd,
                        subtotalMinor: 10_000, discountMinor: 0, shippingMinor: 0, taxesMinor: 0, totalMinor: 10_000,
                        codes: ["BEA10"], referral: nil, emailHash: nil,
                        state: OrderState(status: .paid, refundedMinor: 0, cancelledAt: nil), test: false,
                        asOf: t.instant,
                        importRef: "file3")))
        }
        #expect(try runTally(["payout", "close", "--month", "2026-09"], in: dir).status == 0)
        let header = "creator,name,unpaid_payouts,carried,held_back\n"
        let beforePaid = try runTally(["balances", "--as-of", "2026-09-01", "--format", "csv"], in: dir)
        #expect(
            beforePaid.stdout == header + "anna,Anna Becker,19.31,0.00,0.00\n"
                + "bea,Beatriz Souza,5.00,0.00,0.00\ncam,Cameron Blake,0.00,3.00,0.00\n", "\(beforePaid.stdout)")
        let monthEnd = try runTally(["balances", "--as-of", "2026-09-30", "--format", "csv"], in: dir)
        #expect(
            monthEnd.stdout == header + "anna,Anna Becker,0.00,-11.00,0.00\n"
                + "bea,Beatriz Souza,5.00,0.00,20.00\ncam,Cameron Blake,103.00,0.00,0.00\n", "\(monthEnd.stdout)")
        // By October 20 the order has matured: no longer held back (it is paid in October's close).
        let matured = try runTally(["balances", "--as-of", "2026-10-20", "--format", "csv"], in: dir)
        #expect(matured.stdout.contains("bea,Beatriz Souza,5.00,0.00,0.00\n"), "\(matured.stdout)")
        // A day after today (a year typed wrong) would show every holdback matured: refused.
        let future = try runTally(["balances", "--as-of", "2027-09-30"], in: dir)
        #expect(
            future.status == 1 && future.stdout.isEmpty
                && future.stderr.contains("--as-of 2027-09-30 is after today (2026-11-21)"), "\(future.stderr)")

        let history = try runTally(["creator", "history", "anna", "--format", "csv"], in: dir)
        #expect(history.status == 0, "\(history.stderr)")
        #expect(
            history.stdout == """
                month,creator,currency,carried_in,commissions,clawbacks,fees,adjustments,balance,payout,carried_out,\
                paid_on,method,reference
                2026-08,anna,USD,0.00,19.31,0.00,0.00,0.00,19.31,19.31,0.00,2026-09-02,paypal,PP-1
                2026-09,anna,USD,0.00,0.00,11.00,0.00,0.00,-11.00,0.00,-11.00,,,

                """)
        let table = try runTally(["creator", "history", "anna"], in: dir)
        let total = table.stdout.split(separator: "\n").first { $0.hasPrefix("2026 total") }.map(String.init) ?? ""
        #expect(
            total.split(separator: " ", omittingEmptySubsequences: true)
                == [
                    "2026", "total", "USD", "0.00", "19.31", "11.00", "0.00", "0.00", "8.31", "19.31", "-11.00", "paid",
                    "19.31"
                ], "\(table.stdout)")
        let other = try runTally(["creator", "history", "anna", "--year", "2025"], in: dir)
        #expect(other.status == 0 && other.stderr.contains("anna has no statement in a closed month of 2025"))
        #expect(try runTally(["creator", "history", "zoe"], in: dir).status == 1)
        #expect(try runTally(["balances", "--as-of", "2026-09-31"], in: dir).status == 2)
        #expect(try runTally(["creator", "history", "anna", "--year", "26"], in: dir).status == 2)
    }

    /// Item 7 for a statement frozen before version 2 (lines without their figures): `statement`
    /// derives base, rate and fixed part from the ledger as known now, and says so.
    @Test func aStatementFrozenBeforeLineDetailsShowsThemDerived() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try seedPayoutLedger(in: dir)
        let ledger = try Ledger.open(
            path: dir.appendingPathComponent("tally.sqlite").path,
            clock: .fixed(Instant(unixSeconds: 1_790_000_100)))
        let august = YearMonth(year: 2026, month: 8)!
        let end = Zone.utc.startOfMonth(august.next)
        try ledger.write { l in
            let lines = [
                StatementLine(
                    kind: .commission, ref: "shopify:1001", date: CivilDate.parse("2026-08-10")!,
                    amountMinor: 1_100),
                StatementLine(
                    kind: .commission, ref: "shopify:1003", date: CivilDate.parse("2026-08-15")!,
                    amountMinor: 831)
            ]
            let figures = PayoutFigures(
                carriedInMinor: 0, commissionsMinor: 1_931, clawbacksMinor: 0, feesMinor: 0,
                adjustmentsMinor: 0, balanceMinor: 1_931, payoutMinor: 1_931,
                carriedOutMinor: 0)
            let statement = StatementIssued(
                month: august, creator: "anna", currency: .usd, figures: figures,
                minPayoutMinor: 0, lines: lines, effectiveAt: end)
            #expect(Fact.statementIssued(statement).version == 1)
            try l.append(.statementIssued(statement))
            try l.append(
                .monthClosed(
                    MonthClosed(
                        month: august, statements: 1, payoutTotalMinor: 1_931,
                        effectiveAt: end)))
        }
        let shown = try runTally(["statement", "anna", "--month", "2026-08", "--format", "csv"], in: dir)
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(
            shown.stdout == PayoutCommandTests.statementHeader
                + "2026-08,anna,commission,shopify:1001,2026-08-10,11.00,#1001,100.00,10%,1.00,\n"
                + "2026-08,anna,commission,shopify:1003,2026-08-15,8.31,#1003,73.12,10%,1.00,\n")
        #expect(shown.stderr.contains("frozen before tally kept each order line's base and rate"), "\(shown.stderr)")
        #expect(try runTally(["verify"], in: dir).status == 0)
    }

    /// Item 8: master data as the rules read it, terms resolved with when each value started.
    @Test func listMasterData() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try seedPayoutLedger(in: dir)
        let ledger = try Ledger.open(
            path: dir.appendingPathComponent("tally.sqlite").path,
            clock: .fixed(Instant(unixSeconds: 1_780_000_100)))
        try ledger.write { l in
            let september = Zone.utc.startOfDay(CivilDate.parse("2026-09-01")!)
            try l.append(.termsSet(TermsSet(creator: "bea", effectiveFrom: september, holdbackDays: 30)))
        }
        let creators = try runTally(["list", "creators", "--format", "csv"], in: dir)
        #expect(creators.status == 0, "\(creators.stderr)")
        let lines = creators.stdout.split(separator: "\n").map(String.init)
        #expect(
            lines.first == "id,name,email_on_file,followers_max,tier,followers,payout_method,payout_account,"
                + "tax_form")
        #expect(lines.count == 4 && lines[1].hasPrefix("anna,Anna Becker,yes,"), "\(creators.stdout)")
        #expect(!creators.stdout.contains("DE89 3704"), "an account shows its last 4 characters only")
        let codes = try runTally(["list", "codes", "--creator", "bea", "--format", "csv"], in: dir)
        #expect(codes.stdout == "code,creator,valid_from,valid_until\nBEA10,bea,2026-07-01,\n", "\(codes.stdout)")
        let terms = try runTally(["list", "terms", "--creator", "bea", "--format", "json"], in: dir)
        #expect(terms.status == 0, "\(terms.stderr)")
        // September's terms keep July's rate (since July) and set the holdback (since September).
        #expect(
            terms.stdout.contains(
                "\"effective_from\": \"2026-09-01\", \"commission\": \"20%\", "
                    + "\"commission_since\": \"2026-07-01\""), "\(terms.stdout)")
        #expect(
            terms.stdout.contains("\"holdback_days\": 30, \"holdback_days_since\": \"2026-09-01\""),
            "\(terms.stdout)")
        let adjustments = try runTally(["list", "adjustments", "--format", "csv"], in: dir)
        #expect(adjustments.stdout == "id,creator,date,amount,reason\nA1,bea,2026-08-25,-5.00,sample\n")
        let fx = try runTally(["list", "fx", "--format", "csv"], in: dir)
        #expect(fx.stdout == "date,currency,rate\n2026-08-01,CAD,0.7312\n", "\(fx.stdout)")
        #expect(try runTally(["list", "payouts"], in: dir).status == 2)
        let unknown = try runTally(["list", "codes", "--creator", "zoe"], in: dir)
        #expect(unknown.status == 1 && unknown.stderr.contains("unknown creator 'zoe'"), "\(unknown.stderr)")
        let fxOfCreator = try runTally(["list", "fx", "--creator", "anna"], in: dir)
        #expect(fxOfCreator.status == 1 && fxOfCreator.stderr.contains("exchange rates belong to no creator"))
    }
}
