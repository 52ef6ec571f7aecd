import Foundation
import TestSupport
import Testing

// Issue 16, second round: the tax form on file per creator, the 1099-NEC thresholds of the years
// indexed for inflation, and the slips found in the first round's books commands.

@Suite("books: tax forms and indexed thresholds")
struct TaxFormAndThresholdTests {
    @Test func theTaxFormComesFromTheCreatorsFileAndNeverChangesUnasked() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try runTally(["init", "--currency", "USD"], in: dir).status == 0)
        _ = try write(
            "id,name,email,tax_form,instagram\nann,Ann,ann@example.com,W-9,10\nbo,Bo,,w8ben,\ncy,Cy,,,\n",
            to: "creators.csv", in: dir)
        let first = try runTally(["import", "creators", "creators.csv"], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        let listed = try runTally(["list", "creators", "--format", "csv"], in: dir)
        #expect(
            listed.stdout.hasPrefix(
                "id,name,email_on_file,followers_max,tier,followers,payout_method,"
                    + "payout_account,tax_form\n"), "\(listed.stdout)")
        #expect(
            listed.stdout.contains("\nann,Ann,yes,10,nano,instagram=10,,,w9\n")
                && listed.stdout.contains("\nbo,Bo,no,0,nano,,,,w8ben\n")
                && listed.stdout.contains("\ncy,Cy,no,0,nano,,,,\n"), "\(listed.stdout)")
        let ledger = dir.appendingPathComponent("tally.sqlite").path
        #expect(
            try dumpRows(ledger, "SELECT version FROM facts WHERE type = 'creator.registered' ORDER BY seq")
                == ["int(2)", "int(2)", "int(1)"], "a tax form makes version 2; none keeps version 1")

        // A file without the column, or an empty cell, keeps the form; `none` clears it.
        _ = try write("id,name,email\nann,Ann,\nbo,Bo,\n", to: "again.csv", in: dir)
        let again = try runTally(["import", "creators", "again.csv"], in: dir)
        #expect(again.status == 0 && again.stdout.contains("0 new, 0 changed, 2 unchanged"), "\(again.stdout)")
        _ = try write("id,name,email,tax_form\nann,Ann,,none\nbo,Bo,,\ncy,Cy,,w9\n", to: "change.csv", in: dir)
        let change = try runTally(["import", "creators", "change.csv"], in: dir)
        #expect(change.status == 0 && change.stdout.contains("2 changed, 1 unchanged"), "\(change.stdout)")
        let added = try runTally(["creator", "add", "dee", "--name", "Dee", "--tax-form", "w8ben"], in: dir)
        #expect(added.status == 0, "\(added.stderr)")
        let after = try runTally(["creator", "list", "--format", "csv"], in: dir)
        #expect(
            after.stdout.contains("\nann,Ann,yes,10,nano,instagram=10,,,\n")
                && after.stdout.contains("\nbo,Bo,no,0,nano,,,,w8ben\n")
                && after.stdout.contains("\ncy,Cy,no,0,nano,,,,w9\n")
                && after.stdout.contains("\ndee,Dee,no,0,nano,,,,w8ben\n"), "\(after.stdout)")
        #expect(
            try dumpRows(ledger, "SELECT version FROM facts WHERE type = 'creator.updated' ORDER BY seq")
                == ["int(2)", "int(2)"])
        let verify = try runTally(["verify"], in: dir)
        #expect(verify.status == 0, "the projection equals a rebuild: \(verify.stdout)\(verify.stderr)")
    }

    @Test func aBadTaxFormNamesFileLineColumnAndNeverRepeatsANumber() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try runTally(["init", "--currency", "USD"], in: dir).status == 0)
        _ = try write("id,name,email,tax_form\nann,Ann,,w8\nbo,Bo,,123-45-6789\n", to: "creators.csv", in: dir)
        let bad = try runTally(["import", "creators", "creators.csv"], in: dir)
        #expect(bad.status == 1)
        #expect(
            bad.stderr.contains("creators.csv:2:4") && bad.stderr.contains("w8")
                && bad.stderr.contains("w9 or w8ben"), "\(bad.stderr)")
        #expect(
            bad.stderr.contains("creators.csv:3:4") && !bad.stderr.contains("6789")
                && bad.stderr.contains("not shown"), "\(bad.stderr)")
        #expect(try factCount(dir.appendingPathComponent("tally.sqlite").path, type: "creator.registered") == 0)
        let option = try runTally(["creator", "add", "ann", "--name", "Ann", "--tax-form", "987654321"], in: dir)
        #expect(
            option.status == 1 && !option.stderr.contains("4321") && option.stderr.contains("--tax-form"),
            "\(option.stderr)")
    }

    /// The example shop pays matcha-mo (w8ben in the examples) over 2,000.00 in 2026; brew-bea (no form)
    /// is paid in January 2027, a year whose threshold is indexed for inflation.
    @Test func paymentsShowTheTaxFormAndAnIndexedYearNeedsItsThresholdSet() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try examplesLedger(in: dir, closing: BooksCommandTests.months)
        let now = ["TALLY_NOW": "2027-01-10T12:00:00Z"]
        for (creator, month, day) in [
            ("matcha-mo", "2026-09", "2026-10-05"), ("matcha-mo", "2026-10", "2026-11-20"),
            ("anna-bakes", "2026-07", "2026-08-04"), ("brew-bea", "2026-09", "2027-01-04")
        ] {
            let result = try runTally(
                [
                    "payout", "mark-paid", "--month", month, "--creator", creator,
                    "--reference", "R-\(creator)-\(month)", "--date", day
                ],
                in: dir, environment: now)
            try #require(result.status == 0, "\(result.stderr)")
        }
        let y2026 = try runTally(["payments", "--year", "2026", "--format", "csv"], in: dir)
        #expect(y2026.status == 0)
        #expect(
            y2026.stdout == """
                year,creator,name,payments,paid,paid_by_paypal,nec_amount,threshold,needs_1099_nec,tax_form
                2026,anna-bakes,Anna Becker,1,200.00,200.00,0.00,2000.00,false,w9
                2026,matcha-mo,Mo Tanaka,2,3088.41,0.00,3088.41,2000.00,true,w8ben

                """)
        #expect(
            y2026.stderr.contains("matcha-mo: over the threshold with a W-8BEN on file")
                && !y2026.stderr.contains("no tax form on file"), "\(y2026.stderr)")
        #expect(
            try runTally(
                ["creator", "add", "matcha-mo", "--name", "Mo Tanaka", "--tax-form", "none"],
                in: dir
            ).status == 0)
        let noForm = try runTally(["payments", "--year", "2026", "--format", "csv"], in: dir)
        #expect(noForm.stdout.contains("\n2026,matcha-mo,Mo Tanaka,2,3088.41,0.00,3088.41,2000.00,true,\n"))
        #expect(
            noForm.stderr.contains("no tax form on file for matcha-mo, over the 1099-NEC threshold of 2026")
                && !noForm.stderr.contains("W-8BEN on file"), "\(noForm.stderr)")

        let unknown = try runTally(["payments", "--year", "2027"], in: dir)
        #expect(unknown.status == 1 && unknown.stdout.isEmpty, "\(unknown.stdout)")
        #expect(
            unknown.stderr.contains("the 1099-NEC threshold of 2027 is not set")
                && unknown.stderr.contains("tally settings set 1099-nec-threshold:2027 AMOUNT"), "\(unknown.stderr)")
        #expect(try runTally(["payments", "--year", "2028"], in: dir).status == 0, "no payments: nothing to decide")

        // Not a number, a comma, a two-digit year: usage errors (exit 2), as a value that does not parse is.
        for (key, value) in [
            ("1099-nec-threshold:2027", "2,500.00"), ("1099-nec-threshold:2027", "abc"),
            ("1099-nec-threshold:27", "2100.00"), ("1099-misc-threshold:2027", "2100.00")
        ] {
            let bad = try runTally(["settings", "set", key, value], in: dir)
            #expect(bad.status == 2, "\(key) \(value): \(bad.status) \(bad.stderr)")
            #expect(bad.stderr.contains("'"), "\(bad.stderr)")
        }
        let typo = try runTally(["settings", "set", "1099-nec-threshold:2027", "2050.00"], in: dir)
        #expect(typo.status == 1 && typo.stderr.contains("multiple of 100.00"), "\(typo.stderr)")
        let law = try runTally(["settings", "set", "1099-nec-threshold:2026", "2100.00"], in: dir)
        #expect(law.status == 1 && law.stderr.contains("the law's"), "\(law.stderr)")
        let set = try runTally(["settings", "set", "1099-nec-threshold:2027", "2100.00"], in: dir)
        #expect(set.status == 0 && set.stdout == "Setting 1099-nec-threshold:2027: 2100.00.\n", "\(set.stdout)")
        let same = try runTally(["settings", "set", "1099-nec-threshold:2027", "2100.00"], in: dir)
        #expect(same.status == 0 && same.stdout.contains("unchanged"))
        let corrected = try runTally(["settings", "set", "1099-nec-threshold:2027", "2200.00"], in: dir)
        #expect(corrected.stdout == "Setting 1099-nec-threshold:2027: 2200.00 (was 2100.00).\n", "\(corrected.stdout)")
        let ledger = dir.appendingPathComponent("tally.sqlite").path
        #expect(try factCount(ledger, type: "threshold.set") == 2)
        let settings = try runTally(["settings", "--format", "csv"], in: dir)
        #expect(
            settings.stdout == """
                key,value,source
                1099-nec-threshold:2025,600.00,law
                1099-nec-threshold:2026,2000.00,law
                1099-nec-threshold:2027,2200.00,set

                """, "\(settings.stdout)")
        let y2027 = try runTally(["payments", "--year", "2027", "--format", "csv"], in: dir)
        #expect(y2027.status == 0 && y2027.stderr.isEmpty, "\(y2027.stderr)")
        #expect(y2027.stdout.hasSuffix("\n2027,brew-bea,Beatriz Souza,1,276.98,0.00,276.98,2200.00,false,\n"))
        #expect(try runTally(["verify"], in: dir).status == 0)
    }

    @Test func aYearIsFourDigits() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try runTally(["init", "--currency", "USD"], in: dir).status == 0)
        for year in ["02026", "26", "2026.0", "1969"] {
            let payments = try runTally(["payments", "--year", year], in: dir)
            #expect(
                payments.status == 2 && payments.stderr.contains("expected a year of four digits"),
                "\(year): \(payments.stderr)")
        }
        let history = try runTally(["creator", "history", "ann", "--year", "02026"], in: dir)
        #expect(history.status == 2 && history.stderr.contains("expected a year of four digits"), "\(history.stderr)")
        #expect(try runTally(["payments", "--year", "2026"], in: dir).status == 0)
    }
}

@Suite("books: the first round's slips")
struct BooksSlipTests {
    @Test func aMarkPaidRowPayingAnotherAmountIsRefusedWithBothAmounts() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try examplesLedger(in: dir, closing: ["2026-07", "2026-08", "2026-09"])
        let export = try runTally(
            ["payout", "export", "--month", "2026-09", "--to", "generic", "--output", "sep.csv"],
            in: dir)
        try #require(export.status == 0, "\(export.stderr)")
        let exported = try String(contentsOf: dir.appendingPathComponent("sep.csv"), encoding: .utf8)
        let rows = BooksCommandTests.rows(exported)
        let first = 0
        try #require(rows.count >= 2, "\(exported)")
        // The generic file, as paid: the first row's amount typed over with 1.00 less.
        var lines = exported.split(separator: "\n").map(String.init)
        let amount = rows[first][3]
        let lower = String(format: "%.2f", (Double(amount) ?? 0) - 1)
        lines[first + 1] = lines[first + 1].replacingOccurrences(of: ",\(amount),", with: ",\(lower),")
        _ = try write(lines.joined(separator: "\n") + "\n", to: "paid.csv", in: dir)
        let refused = try runTally(
            [
                "payout", "mark-paid", "--month", "2026-09", "--from-file", "paid.csv",
                "--date", "2026-10-03"
            ], in: dir)
        #expect(refused.status == 1, "\(refused.stdout)")
        #expect(
            refused.stderr.contains("paid.csv:\(first + 2):4")
                && refused.stderr.contains("pays \(lower) USD to \(rows[first][0])")
                && refused.stderr.contains("payout is \(amount)"), "\(refused.stderr)")
        #expect(try factCount(dir.appendingPathComponent("tally.sqlite").path, type: "payout.paid") == 0)
        let asExported = try runTally(
            [
                "payout", "mark-paid", "--month", "2026-09", "--from-file", "sep.csv",
                "--date", "2026-10-03"
            ], in: dir)
        #expect(asExported.status == 0, "the amounts as closed: \(asExported.stderr)")
    }

    @Test func aDamagedKeyFileIsSaidToBeDamagedBesideAListing() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try examplesLedger(in: dir)
        let damaged = dir.appendingPathComponent("damaged.key").path
        #expect(
            FileManager.default.createFile(
                atPath: damaged, contents: Data("not a key\n".utf8),
                attributes: [.posixPermissions: 0o600]))
        for command in [["creator", "list"], ["list", "creators"]] {
            let listing = try runTally(command + ["--key-file", damaged], in: dir)
            #expect(listing.status == 0 && listing.stdout.contains("****(sealed)"), "\(listing.stderr)")
            #expect(
                listing.stderr.contains("payout accounts are shown ****(sealed)")
                    && listing.stderr.contains(damaged), "\(command): \(listing.stderr)")
            let absent = try runTally(command + ["--key-file", dir.appendingPathComponent("none.key").path], in: dir)
            #expect(absent.status == 0 && absent.stderr.isEmpty, "no key file is no key: \(absent.stderr)")
        }
    }

    @Test func accountCodesAreOneAccountsAndTaxRatesHaveNone() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try runTally(["init", "--currency", "USD"], in: dir).status == 0)
        #expect(try runTally(["accounts", "set", "cash", "Business checking", "--code", "1000"], in: dir).status == 0)
        let shared = try runTally(["accounts", "set", "cash:paypal", "PayPal", "--code", "1000"], in: dir)
        #expect(shared.status == 1 && shared.stderr.contains("the code 1000 is the code of cash"), "\(shared.stderr)")
        let same = try runTally(["accounts", "set", "cash:paypal", "Business checking", "--code", "1000"], in: dir)
        #expect(same.status == 0, "one account, two keys: \(same.stderr)")
        let taxCode = try runTally(["accounts", "set", "tax-rate", "No VAT", "--code", "7"], in: dir)
        #expect(taxCode.status == 1 && taxCode.stderr.contains("it has no code"), "\(taxCode.stderr)")
        #expect(try factCount(dir.appendingPathComponent("tally.sqlite").path, type: "account.set") == 2)
    }

    @Test func aJournalToADirectoryIsSaidToBeOne() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try examplesLedger(in: dir, closing: ["2026-07"])
        for output in [".", dir.path, "out/"] {
            try FileManager.default.createDirectory(
                at: dir.appendingPathComponent("out"),
                withIntermediateDirectories: true)
            let result = try runTally(["journal", "--month", "2026-07", "--output", output], in: dir)
            #expect(
                result.status == 1 && result.stderr.contains("\(output) is a directory")
                    && !result.stderr.contains("busy"), "\(output): \(result.stderr)")
        }
    }

    @Test func aNegativeBonusIsAValueAndIsRefusedAsOne() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try runTally(["init", "--currency", "USD"], in: dir).status == 0)
        #expect(try runTally(["creator", "add", "ann", "--name", "Ann"], in: dir).status == 0)
        for (option, value) in [
            ("--bonus", "-5"), ("--bonus=-5", nil), ("--retainer", "-300.00"),
            ("--bonus-threshold", "-1"), ("--lifetime-months", "-3"), ("--holdback-days", "-30")
        ] {
            let arguments =
                ["terms", "set", "ann", "--from", "2026-07-01", "--commission", "10%", option]
                + (value.map { [$0] } ?? [])
            let result = try runTally(arguments, in: dir)
            #expect(result.status == 1 && !result.stderr.contains("Missing value"), "\(option): \(result.stderr)")
            let name = option.split(separator: "=")[0]
            #expect(result.stderr.contains(name), "\(option) is named: \(result.stderr)")
        }
        #expect(try factCount(dir.appendingPathComponent("tally.sqlite").path, type: "terms.set") == 0)
    }
}
