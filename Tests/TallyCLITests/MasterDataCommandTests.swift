import Foundation
import TestSupport
import Testing

/// The number of facts in the ledger, from `tally verify` ("OK: N facts, ...").
private func factCount(in dir: URL) throws -> Int {
    let verify = try runTally(["verify"], in: dir)
    #expect(verify.status == 0, "\(verify.stderr)")
    guard let range = verify.stdout.range(of: #"OK: (\d+) facts"#, options: .regularExpression) else { return -1 }
    return Int(verify.stdout[range].dropFirst(4).prefix { $0.isNumber }) ?? -1
}

private func initLedger(_ dir: URL) throws {
    let result = try runTally(["init", "--currency", "USD", "--timezone", "America/New_York"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
}

@Suite("tally import (master data), end to end")
struct MasterDataImportCommandTests {
    static let kinds = ["creators", "codes", "referrals", "terms", "posts", "gifts", "adjustments", "fx"]

    @Test func bundledExamplesImportInOrderThenVerify() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try initLedger(dir)
        let examples = packageRoot().appendingPathComponent("examples")
        let rows = [
            "creators": 12, "codes": 18, "referrals": 5, "terms": 13, "posts": 27, "gifts": 16, "adjustments": 4,
            "fx": 54
        ]
        for kind in Self.kinds {
            let path = examples.appendingPathComponent("\(kind).csv").path
            let result = try runTally(["import", kind, path], in: dir)
            #expect(result.status == 0, "\(kind): \(result.stderr)")
            #expect(result.stdout == "\(path): \(rows[kind]!) rows, \(rows[kind]!) new, 0 changed, 0 unchanged\n")
        }
        #expect(try factCount(in: dir) == 150)
        for kind in Self.kinds {
            let again = try runTally(["import", kind, examples.appendingPathComponent("\(kind).csv").path], in: dir)
            #expect(again.stdout.hasSuffix(" 0 new, 0 changed, \(rows[kind]!) unchanged\n"), "\(again.stdout)")
        }
        #expect(try factCount(in: dir) == 150)
    }

    @Test func aFileWithProblemsExitsOneListsThemAllAndWritesNothing() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try initLedger(dir)
        try write("id,name,email\nanna-bakes,Anna,anna@example.com\n", to: "creators.csv", in: dir)
        #expect(try runTally(["import", "creators", "creators.csv"], in: dir).status == 0)
        try write(
            "code,creator,valid_from,valid_until\nANNA15,anna-bakes,2026-07-01,\nZED10,zed,"
                + "2026-07-01,\nX,anna-bakes,July 1,\n", to: "codes.csv", in: dir)
        let result = try runTally(["import", "codes", "codes.csv"], in: dir)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(
            result.stderr == """
                tally: error: codes.csv:3:2: found 'zed', expected a registered creator id \
                (register it first: tally import creators / tally creator add) (column 'creator')
                codes.csv:4:3: found 'July 1', expected a date like 2026-07-01 or a timestamp with offset like \
                2026-07-01T09:30:00-04:00 (column 'valid_from')
                codes.csv: 2 problems; nothing was imported

                """)
        #expect(try factCount(in: dir) == 2)
        try write("creator,date,platform\nanna-bakes,2026-08-01,instagram\n", to: "posts.csv", in: dir)
        let missing = try runTally(["import", "posts", "posts.csv"], in: dir)
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("tally: error: posts.csv:1: missing column 'fee' in the header"))
    }

    /// Two rows of one codes file giving a code to two creators from one date: refused, both lines named
    /// (the last row used to win without a word). The same row twice, or another date, is fine.
    @Test func aCodesFileGivingACodeToTwoCreatorsFromOneDateIsRefused() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try initLedger(dir)
        try write("id,name,email\nanna-bakes,Anna,\nbrew-bea,Bea,\n", to: "creators.csv", in: dir)
        #expect(try runTally(["import", "creators", "creators.csv"], in: dir).status == 0)
        let facts = try factCount(in: dir)
        let header = "code,creator,valid_from,valid_until\n"
        try write(header + "SUMMER10,anna-bakes,2026-07-01,\nsummer10,brew-bea,2026-07-01,\n", to: "codes.csv", in: dir)
        let result = try runTally(["import", "codes", "codes.csv"], in: dir)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "codes.csv:3:2: found 'brew-bea', expected one creator per code and valid_from "
                    + "in a file: line 2 gives SUMMER10 to anna-bakes from the same date"),
            "\(result.stderr)")
        #expect(try factCount(in: dir) == facts)
        try write(
            header + "SUMMER10,anna-bakes,2026-07-01,\nSUMMER10,anna-bakes,2026-07-01,\n"
                + "SUMMER10,brew-bea,2026-08-01,\n", to: "codes.csv", in: dir)
        let fine = try runTally(["import", "codes", "codes.csv"], in: dir)
        #expect(fine.status == 0, "\(fine.stderr)")
    }

    /// A rate far (more than 1.5 times) from the nearest rate known of its currency is likely inverted:
    /// recorded as given (the rules convert with it), and named with its line on stderr.
    @Test func anExchangeRateFarFromItsNeighboursIsNamed() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try initLedger(dir)
        try write("date,currency,rate\n2026-08-01,CAD,0.736\n2026-08-02,CAD,0.74\n", to: "fx.csv", in: dir)
        let first = try runTally(["import", "fx", "fx.csv"], in: dir)
        #expect(first.status == 0 && first.stderr.isEmpty, "\(first.stderr)")
        try write("date,currency,rate\n2026-08-02,CAD,1.358\n2026-08-05,CAD,0.75\n", to: "inv.csv", in: dir)
        let inverted = try runTally(["import", "fx", "inv.csv"], in: dir)
        #expect(inverted.status == 0, "\(inverted.stderr)")
        #expect(
            inverted.stderr.contains(
                "inv.csv:2: rate 1.358 for CAD on 2026-08-02 replaces 0.74, recorded for that day (it is 1.84 "
                    + "times that rate): expected units of USD per unit of CAD; one of the two is likely inverted"),
            "\(inverted.stderr)")
        #expect(!inverted.stderr.contains("inv.csv:3"), "\(inverted.stderr)")
        #expect(inverted.stdout.contains("2 rows, 1 new, 1 changed"), "\(inverted.stdout)")
        // A new day far from its neighbour is the outlier: called inverted.
        try write("date,currency,rate\n2026-08-07,CAD,1.36\n", to: "day.csv", in: dir)
        let outlier = try runTally(["import", "fx", "day.csv"], in: dir)
        #expect(
            outlier.stderr.contains(
                "day.csv:2: rate 1.36 for CAD on 2026-08-07 is 1.81 times the rate of 2026-08-05 (0.75): expected "
                    + "units of USD per unit of CAD; an inverted rate? recorded as given"), "\(outlier.stderr)")
        // The correction of the inverted day is not called inverted.
        try write("date,currency,rate\n2026-08-02,CAD,0.74\n", to: "fix.csv", in: dir)
        let fix = try runTally(["import", "fx", "fix.csv"], in: dir)
        #expect(fix.status == 0 && !fix.stderr.contains("an inverted rate?"), "\(fix.stderr)")
    }

    /// Rows without an id are identified by their content (the figures stay the rules'): a corrected
    /// fee beside the ledger's id-less post of the same creator, day and platform is named (both
    /// count), and so is a row repeating an earlier line of the file (counted once).
    @Test func idlessRowsBesideAnotherOrRepeatedAreNamed() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try initLedger(dir)
        try write("id,name,email\nbrew-bea,Bea,\n", to: "creators.csv", in: dir)
        #expect(try runTally(["import", "creators", "creators.csv"], in: dir).status == 0)
        try write("creator,date,platform,fee\nbrew-bea,2026-08-10,tiktok,2000.00\n", to: "posts.csv", in: dir)
        let first = try runTally(["import", "posts", "posts.csv"], in: dir)
        #expect(first.status == 0 && first.stderr.isEmpty, "\(first.stderr)")
        try write(
            "creator,date,platform,fee\nbrew-bea,2026-08-10,tiktok,200.00\nbrew-bea,2026-08-10,instagram,150.00\n"
                + "brew-bea,2026-08-10,instagram,150.00\n", to: "fixed.csv", in: dir)
        let fixed = try runTally(["import", "posts", "fixed.csv"], in: dir)
        #expect(fixed.status == 0 && fixed.stdout.contains("3 rows, 2 new, 0 changed, 1 unchanged"), "\(fixed.stdout)")
        #expect(
            fixed.stderr.contains(
                "fixed.csv:2: a new tiktok post of brew-bea on 2026-08-10 (fee 200.00) beside post-")
                && fixed.stderr.contains("(fee 2000.00), both without an id: both count"), "\(fixed.stderr)")
        #expect(
            fixed.stderr.contains(
                "fixed.csv:4: the same as line 3 (rows without an id are identified by their content): counted once"),
            "\(fixed.stderr)")
        #expect(!fixed.stderr.contains("fixed.csv:3"), "another platform is another post: \(fixed.stderr)")
        // The same file again: nothing new, so no neighbour named; the repeated line still is (a row
        // added since with the content of another may be meant as a second post, counted once).
        let again = try runTally(["import", "posts", "fixed.csv"], in: dir)
        #expect(!again.stderr.contains("fixed.csv:2") && again.stderr.contains("fixed.csv:4"), "\(again.stderr)")
        try write(
            "creator,date,amount,reason\nbrew-bea,2026-08-10,25.00,x\nbrew-bea,2026-08-10,25.00,x\n",
            to: "adj.csv", in: dir)
        let adjustments = try runTally(["import", "adjustments", "adj.csv"], in: dir)
        #expect(adjustments.stderr.contains("adj.csv:3: the same as line 2"), "\(adjustments.stderr)")
    }

    /// Terms or a code dated in closed months re-price their orders in the next close: the command
    /// names the months and what moves in the next month's preview (the same as payout preview says);
    /// a terms file names the months and the creators.
    @Test func termsAndCodesDatedInClosedMonthsSayWhatTheNextCloseRePrices() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try examplesLedger(in: dir, closing: ["2026-07", "2026-08"])
        func balance(_ creator: String) throws -> String {
            let preview = try runTally(["payout", "preview", "--month", "2026-09", "--format", "csv"], in: dir)
            let row = preview.stdout.split(separator: "\n").first { $0.split(separator: ",")[1] == creator }
            return row.map { String($0.split(separator: ",")[8]) } ?? "0.00"
        }
        let before = try balance("anna-bakes")
        let set = try runTally(["terms", "set", "anna-bakes", "--from", "2026-07-01", "--commission", "20%"], in: dir)
        #expect(set.status == 0, "\(set.stderr)")
        let after = try balance("anna-bakes")
        #expect(before != after)
        #expect(
            set.stderr.contains(
                "these terms reach into the closed months 2026-07..2026-08, whose statements stay as they are: "
                    + "their orders are re-priced in the next close (2026-09); in 2026-09's preview: anna-bakes +")
                && set.stderr.contains("(balance \(before) -> \(after))"), "\(set.stderr)")
        let later = try runTally(["terms", "set", "anna-bakes", "--from", "2026-09-01", "--commission", "20%"], in: dir)
        #expect(later.status == 0 && !later.stderr.contains("closed month"), "\(later.stderr)")
        try write(
            "creator,effective_from,commission,per_order,holdback_days,min_payout\n"
                + "steep-sam,2026-08-01,15%,,,\nsteep-sam,2026-12-01,15%,,,\n", to: "terms.csv", in: dir)
        let file = try runTally(["import", "terms", "terms.csv"], in: dir)
        #expect(
            file.status == 0
                && file.stderr.contains(
                    "terms.csv: 1 row reaches into the closed month 2026-08 (steep-sam), whose statements stay as "
                        + "they are: their orders are re-priced in the next close (2026-09)"),
            "\(file.stderr)")
    }

    /// A terms file without the plan columns after the full one (and back): the left-out fields
    /// carry over, the resolved terms are equal, so the rows are unchanged and no fact is added; a
    /// real change is still a change.
    @Test func termsResolvingToTheSameAreUnchanged() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try initLedger(dir)
        for kind in ["creators", "terms"] {
            let path = examplesDirectory().appendingPathComponent("\(kind).csv").path
            #expect(try runTally(["import", kind, path], in: dir).status == 0)
        }
        let full = try String(contentsOf: examplesDirectory().appendingPathComponent("terms.csv"), encoding: .utf8)
        let cut =
            full.split(separator: "\n").map {
                $0.split(separator: ",", omittingEmptySubsequences: false)
                    .prefix(6).joined(separator: ",")
            }.joined(separator: "\n") + "\n"
        try write(cut, to: "cut.csv", in: dir)
        let facts = try factCount(in: dir)
        for file in ["cut.csv", examplesDirectory().appendingPathComponent("terms.csv").path, "cut.csv"] {
            let result = try runTally(["import", "terms", file], in: dir)
            #expect(result.status == 0 && result.stdout.contains("0 new, 0 changed"), "\(file): \(result.stdout)")
        }
        #expect(try factCount(in: dir) == facts)
        let raised = try runTally(
            ["terms", "set", "anna-bakes", "--from", "2026-07-01", "--commission", "11%"], in: dir)
        #expect(raised.stdout.contains("Replaced the terms of anna-bakes"), "\(raised.stdout)")
        #expect(try factCount(in: dir) == facts + 1)
    }

    /// A payout account not of its method's shape is recorded as given, with a warning naming the
    /// line and the account's last 4 characters only.
    @Test func aPayoutAccountNotOfItsMethodsShapeIsNamed() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try initLedger(dir)
        try write(
            "id,name,email,payout_method,payout_account\nann,Ann,,paypal,ann becker\nbo,Bo,,wise,DE12 3456\n"
                + "cy,Cy,,wise,DE89370400440532013000\n", to: "creators.csv", in: dir)
        let result = try runTally(["import", "creators", "creators.csv"], in: dir)
        #expect(result.status == 0 && result.stdout.contains("3 new"), "\(result.stderr)")
        #expect(
            result.stderr.contains("creators.csv:2: payout_account ****cker of ann: expected a PayPal e-mail address")
                && result.stderr.contains("creators.csv:3: payout_account ****3456 of bo: expected an IBAN")
                && !result.stderr.contains("creators.csv:4") && !result.stderr.contains("ann becker"),
            "\(result.stderr)")
    }

    @Test func dryRunWritesNothing() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try initLedger(dir)
        try write("id,name,email,instagram\nanna-bakes,Anna,,100\nbrew-bea,Bea,,\n", to: "creators.csv", in: dir)
        let dry = try runTally(["import", "creators", "creators.csv", "--dry-run"], in: dir)
        #expect(dry.status == 0)
        #expect(dry.stdout == "creators.csv: 2 rows, 2 new, 0 changed, 0 unchanged (dry run: nothing written)\n")
        #expect(try factCount(in: dir) == 1)
    }

    @Test func emailIsNotInTheLedgerFiles() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try initLedger(dir)
        try write("id,name,email\nanna-bakes,Anna,Anna.Private@Example.org\n", to: "creators.csv", in: dir)
        #expect(try runTally(["import", "creators", "creators.csv"], in: dir).status == 0)
        #expect(
            try runTally(["creator", "add", "brew-bea", "--name", "Bea", "--email", "bea.private@example.org"], in: dir)
                .status == 0)
        var bytes = Data()
        for name in ["tally.sqlite", "tally.sqlite-wal"] {
            if let data = try? Data(contentsOf: dir.appendingPathComponent(name)) { bytes.append(data) }
        }
        let text = String(decoding: bytes, as: UTF8.self).lowercased()
        #expect(text.contains("brew-bea"))
        #expect(!text.contains("anna.private"))
        #expect(!text.contains("bea.private"))
        #expect(!text.contains("example.org"))
    }

    @Test func helpNamesTheColumns() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let help = try runTally(["import", "creators", "--help"], in: dir)
        #expect(help.stdout.contains("payout_method"))
        #expect(help.stdout.contains("--dry-run"))
        let top = try runTally(["--help"], in: dir)
        for command in ["creator", "code", "terms", "post", "gift", "adjust"] {
            #expect(top.stdout.contains("  \(command) "), "\(command)")
        }
    }
}

@Suite("tally creator / code / terms / post / gift / adjust")
struct MasterDataSingleCommandTests {
    @Test func creatorAddIsIdempotentAndValidatesOptions() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try initLedger(dir)
        let args = [
            "creator", "add", "anna-bakes", "--name", "Anna Becker", "--followers", "instagram=48200", "tiktok=12900",
            "--payout-method", "wise", "--payout-account", "DE89370400440532013000"
        ]
        let first = try runTally(args, in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == "Registered creator anna-bakes.\n")
        #expect(
            try runTally(args, in: dir).stdout
                == "Creator anna-bakes with these details is already in the ledger; nothing added.\n")
        #expect(try factCount(in: dir) == 2)
        let bad = try runTally(["creator", "add", "brew-bea", "--name", "Bea", "--followers", "instagram=12k"], in: dir)
        #expect(bad.status == 1)
        #expect(
            bad.stderr == "tally: error: --followers: found 'instagram=12k', expected "
                + "platform=count with a whole number, like instagram=48200\n")
        let slug = try runTally(["creator", "add", "Brew Bea", "--name", "Bea"], in: dir)
        #expect(slug.status == 1)
        #expect(slug.stderr.contains("creator id: found 'Brew Bea', expected a creator id of lower-case letters"))
        let halfPayout = try runTally(
            ["creator", "add", "brew-bea", "--name", "Bea", "--payout-method", "paypal"], in: dir)
        #expect(halfPayout.status == 2)
        #expect(try factCount(in: dir) == 2)
        let list = try runTally(["creator", "list", "--format", "csv"], in: dir)
        #expect(
            list.stdout == """
                id,name,email_on_file,followers_max,tier,followers,payout_method,payout_account,tax_form
                anna-bakes,Anna Becker,no,48200,micro,instagram=48200 tiktok=12900,wise,****3000,

                """)
    }

    @Test func codeAssignAndHouse() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try initLedger(dir)
        #expect(try runTally(["creator", "add", "anna-bakes", "--name", "Anna"], in: dir).status == 0)
        // TALLY_NOW is 2026-11-21T12:00:00Z: today in New York starts at 05:00Z.
        let assign = try runTally(["code", "assign", "anna15", "--creator", "anna-bakes"], in: dir)
        #expect(assign.stdout == "Assigned ANNA15 to anna-bakes from 2026-11-21.\n")
        #expect(
            try runTally(["code", "assign", "ANNA15", "--creator", "anna-bakes"], in: dir).stdout
                == "Nothing added: ANNA15 already belongs to anna-bakes (since 2026-11-21).\n")
        let dated = try runTally(
            ["code", "assign", "SUMMER", "--creator", "anna-bakes", "--from", "2026-07-01", "--until", "2026-09-01"],
            in: dir)
        #expect(dated.stdout == "Assigned SUMMER to anna-bakes from 2026-07-01 until 2026-09-01.\n")
        #expect(try runTally(["code", "house", "welcome10"], in: dir).stdout == "Declared WELCOME10 a house code.\n")
        #expect(try factCount(in: dir) == 5)
        let conflict = try runTally(
            ["code", "assign", "Welcome10", "--creator", "anna-bakes", "--from", "2026-07-01"], in: dir)
        #expect(conflict.status == 1)
        #expect(
            conflict.stderr == "tally: error: code: found 'WELCOME10', expected a code that is "
                + "not a house code (WELCOME10 was declared a house code, so it cannot also belong to "
                + "a creator)\n")
        let other = try runTally(["code", "house", "anna15"], in: dir)
        #expect(other.status == 1)
        #expect(other.stderr.contains("ANNA15 is assigned to anna-bakes"))
        let unknown = try runTally(["code", "assign", "ZED", "--creator", "zed", "--from", "2026-07-01"], in: dir)
        #expect(unknown.stderr.hasPrefix("tally: error: --creator: found 'zed', expected a registered creator id"))
        #expect(try factCount(in: dir) == 5)
    }

    @Test func termsPostGiftAdjust() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try initLedger(dir)
        #expect(try runTally(["creator", "add", "anna-bakes", "--name", "Anna"], in: dir).status == 0)
        let noPercent = try runTally(
            ["terms", "set", "anna-bakes", "--from", "2026-07-01", "--commission", "10"], in: dir)
        // A malformed rate is a usage error (exit 2); the parser's message names the option and its help.
        #expect(noPercent.status == 2)
        #expect(
            noPercent.stderr.hasPrefix(
                """
                Error: The value '10' is invalid for '--commission <rate>': expected a rate with its % sign, \
                like 12.5%, from 0% to 100%
                Help:  --commission <rate>  Commission on the order subtotal, with a % sign, like 12.5%.
                """))
        let terms = [
            "terms", "set", "anna-bakes", "--from", "2026-07-01", "--commission", "12.5%", "--per-order", "2.00",
            "--holdback-days", "14"
        ]
        #expect(try runTally(terms, in: dir).stdout == "Set the terms of anna-bakes from 2026-07-01.\n")
        #expect(try runTally(terms, in: dir).stdout.contains("nothing added"))
        let comma = try runTally(
            ["post", "add", "anna-bakes", "--date", "2026-08-01", "--platform", "instagram", "--fee", "12,50"], in: dir)
        #expect(comma.status == 2)
        #expect(comma.stderr.hasPrefix("Error: The value '12,50' is invalid for '--fee <amount>'"))
        // A well-formed amount that the ledger's currency cannot hold is the user's mistake (exit 1).
        let decimals = try runTally(
            [
                "post", "add", "anna-bakes", "--date", "2026-08-01", "--platform", "instagram",
                "--fee", "12.505"
            ], in: dir)
        #expect(decimals.status == 1)
        #expect(
            decimals.stderr
                == "tally: error: --fee: found '12.505', expected at most 2 decimals (USD has 2), like 1234.50\n")
        let post = [
            "post", "add", "anna-bakes", "--date", "2026-08-01", "--platform", "Instagram", "--fee", "250.00", "--id",
            "P1"
        ]
        #expect(try runTally(post, in: dir).stdout == "Recorded post P1.\n")
        #expect(try runTally(post, in: dir).stdout == "The post P1 is already in the ledger; nothing added.\n")
        #expect(
            try runTally(
                [
                    "gift", "add", "anna-bakes", "--date", "2026-08-02", "--value", "80.00", "--note", "box", "--id",
                    "G1"
                ], in: dir
            ).stdout == "Recorded gift G1.\n")
        let adjust = try runTally(
            [
                "adjust", "anna-bakes", "--date", "2026-08-03", "--amount", "-12.00", "--reason", "sample not returned",
                "--id", "A1"
            ], in: dir)
        #expect(adjust.status == 0, "\(adjust.stderr)")
        #expect(adjust.stdout == "Recorded adjustment A1.\n")
        #expect(try factCount(in: dir) == 6)
        let log = try runTally(["log", "--since", "6", "--format", "json"], in: dir)
        #expect(log.stdout.contains("\"amount_minor\":-1200"))
        #expect(log.stdout.contains("\"reason\":\"sample not returned\""))
    }
}
