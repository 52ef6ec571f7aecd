@testable import App
import Foundation
import LedgerCore
import LedgerStore
import TestSupport
import Testing
@testable import OrderImport

@Suite("master data: the bundled examples")
struct MasterDataExampleTests {
    @Test func examplesImportCleanlyInOrderAndAgainAddNothing() throws {
        let f = try TemporaryLedger()
        let expected: [(MasterDataKind, Int)] = [
            (.creators, 12), (.codes, 18), (.referrals, 5), (.terms, 13),
            (.posts, 27), (.gifts, 16), (.adjustments, 4), (.fx, 54)
        ]
        for (kind, rows) in expected {
            let summary = try f.importExample(kind)
            #expect(
                summary.rows == rows && summary.added == rows && summary.changed == 0 && summary.unchanged == 0,
                "\(summary)")
        }
        #expect(f.ledger.lastSeq == 1 + 149)
        #expect(try f.ledger.verify().isClean)
        for (kind, rows) in expected {
            let summary = try f.importExample(kind)
            #expect(summary.unchanged == rows && summary.factsAppended == 0, "\(summary)")
        }
        #expect(f.ledger.lastSeq == 150)
        let snapshot = try f.ledger.snapshot()
        #expect(snapshot.houseCodes == ["WELCOME10", "FALLSALE"])
        #expect(snapshot.codeAssignments.filter { $0.code == "ANNABAKES" }.map(\.creator) == ["anna-bakes"])
        #expect(
            snapshot.terms.first { $0.creator == "leafy-lena" }?.commission == CommissionRate(partsPerMillion: 125_000))
        #expect(snapshot.adjustments.first { $0.id == "A002" }?.amountMinor == -2500)
        #expect(
            snapshot.fxRates.first { $0.currency == .eur && $0.date.description == "2026-07-01" }?.rate.scaled
                == 10_827_350_000)
        #expect(
            snapshot.creators["matcha-mo"]?.followers == ["instagram": 640_000, "tiktok": 2_340_000, "youtube": 412_000]
        )
    }
}

@Suite("master data: errors are file:line:column and write nothing")
struct MasterDataErrorTests {
    @Test func unknownCreatorBadDateAndBadRange() throws {
        let f = try TemporaryLedger()
        try f.registerAnna()
        let error = try f.importFailing(
            .codes, "codes.csv",
            """
            code,creator,valid_from,valid_until
            ANNA15,anna-bakes,2026-07-01,
            ZED10,zed,2026-07-01,
            ANNA20,anna-bakes,2026-13-01,
            ANNA25,Anna-Bakes,2026-07-01,2026-07-01

            """)
        #expect(
            error.issues.map(\.description) == [
                "codes.csv:3:2: found 'zed', expected a registered creator id (register it first: "
                    + "tally import creators / tally creator add) (column 'creator')",
                "codes.csv:4:3: found '2026-13-01', expected a date like 2026-07-01 or a timestamp "
                    + "with offset like 2026-07-01T09:30:00-04:00 (column 'valid_from')",
                "codes.csv:5:2: found 'Anna-Bakes', expected a registered creator id (did you mean "
                    + "'anna-bakes'?) (column 'creator')",
                "codes.csv:5:4: found '2026-07-01', expected a date after valid_from 2026-07-01 "
                    + "(valid_until is exclusive) (column 'valid_until')"
            ])
        #expect(error.description.hasSuffix("codes.csv: 4 problems; nothing was imported"))
    }

    @Test func badAmountsAndRatesInTerms() throws {
        let f = try TemporaryLedger()
        try f.registerAnna()
        let error = try f.importFailing(
            .terms, "terms.csv",
            """
            min_payout,creator,effective_from,commission,per_order,holdback_days
            50.00,anna-bakes,2026-07-01,10%,12,50,30
            $5,anna-bakes,2026-07-01,10,1.234,3651
            -1.00,anna-bakes,2026-07-01,101%,1e3,-3
            """)
        #expect(
            error.issues.map(\.description) == [
                // An unquoted 12,50 splits into two cells: the row is one cell too long.
                "terms.csv:2:7: found '30', expected nothing beyond the 6 columns of the header",
                "terms.csv:3:1: found '$5', expected a plain amount without a currency symbol, like "
                    + "1234.50 (column 'min_payout')",
                "terms.csv:3:4: found '10', expected a percentage with a % sign, like 12.5% (column 'commission')",
                "terms.csv:3:5: found '1.234', expected at most 2 decimals (USD has 2), like 1234.50 "
                    + "(column 'per_order')",
                "terms.csv:3:6: found '3651', expected a whole number of days from 0 to 3650, like 30 "
                    + "(column 'holdback_days')",
                "terms.csv:4:1: found '-1.00', expected an amount of zero or more, like 250.00 (column 'min_payout')",
                "terms.csv:4:4: found '101%', \(CommissionRate.overFullExpected) (column 'commission')",
                "terms.csv:4:5: found '1e3', expected a plain dot-decimal amount like 1234.50 (no "
                    + "scientific notation) (column 'per_order')",
                "terms.csv:4:6: found '-3', expected a whole number of days from 0 to 3650, like 30 "
                    + "(column 'holdback_days')"
            ])
    }

    @Test func commaAmountIsRefusedWithItsColumn() throws {
        let f = try TemporaryLedger()
        try f.registerAnna()
        let error = try f.importFailing(
            .posts, "posts.csv", "creator,date,platform,fee\nanna-bakes,2026-08-01,instagram,\"12,50\"\n")
        #expect(
            error.issues.map(\.description) == [
                "posts.csv:2:4: found '12,50', expected a dot-decimal amount like 1234.50 (a comma is "
                    + "neither a decimal mark nor a thousands separator) (column 'fee')"
            ])
    }

    @Test func missingColumnNamesFileAndHeader() throws {
        let f = try TemporaryLedger()
        let error = try f.importFailing(.codes, "codes.csv", "code,valid_until,creator\nANNA15,,anna-bakes\n")
        #expect(
            error.issues.map(\.description) == [
                "codes.csv:1: missing column 'valid_from' in the header (a codes file has "
                    + "code,creator,valid_from,valid_until, in any order; a column may hold empty cells, but it must "
                    + "be there)"
            ])
        let two = try f.importFailing(.fx, "fx.csv", "day,currency\n")
        let message = "fx.csv:1:1: missing columns 'date' (closest header: 'day', column 1), 'rate' in the header"
        #expect(two.issues.first?.description.hasPrefix(message) == true, "\(two)")
    }

    @Test func houseCodeAndCreatorCodeConflictBothWays() throws {
        let f = try TemporaryLedger()
        try f.registerAnna()
        try f.importText(
            .codes, "codes.csv",
            "code,creator,valid_from,valid_until\nANNA15,anna-bakes,2026-07-01,\nWELCOME10,,2026-01-01,\n")
        let error = try f.importFailing(
            .codes, "more.csv",
            """
            code,creator,valid_from,valid_until
            welcome10,anna-bakes,2026-07-01,
            anna15,,,
            SPLIT,anna-bakes,2026-07-01,
            split,,,
            HOUSE2,,2026-01-01,2026-02-01
            """)
        #expect(
            error.issues.map(\.description) == [
                "more.csv:2:1: found 'WELCOME10', expected a code that is not a house code (WELCOME10 "
                    + "was declared a house code, so it cannot also belong to a creator) (column "
                    + "'code')",
                "more.csv:3:1: found 'ANNA15', expected a code that belongs to no creator (ANNA15 is "
                    + "assigned to anna-bakes, so it cannot also be a house code) (column 'code')",
                "more.csv:5:1: found 'SPLIT', expected a code that belongs to no creator (SPLIT is "
                    + "assigned to anna-bakes, so it cannot also be a house code) (column 'code')",
                "more.csv:6:4: found '2026-02-01', expected an empty cell for a house code (a house "
                    + "code belongs to no creator and has no end; give the code a creator, or leave "
                    + "valid_until empty) (column 'valid_until')"
            ])
    }

    @Test func invalidCreatorRowsAndPlatformHeader() throws {
        let f = try TemporaryLedger()
        let error = try f.importFailing(
            .creators, "creators.csv",
            """
            id,name,email,instagram,payout_method,payout_account
            Anna Bakes,Anna,anna@example.com,12k,paypal,
            ok-one,,no-at-sign,,venmo,x@y.z
            ,Nobody,,,,acct-1234
            """)
        #expect(
            error.issues.map(\.description) == [
                "creators.csv:2:1: found 'Anna Bakes', expected a creator id of lower-case letters, "
                    + "digits, '-', '_' or '.' (at most 64, starting with a letter or digit, like "
                    + "anna-bakes) (column 'id')",
                "creators.csv:2:4: found '12k', expected a whole number from 0 to 1000000000000, like 48200 (a "
                    + "creators file reads every column other than id, name, email, payout_method, payout_account, "
                    + "tax_form as a platform's follower count: a column of other text, such as notes, "
                    + "has no place in it) (column 'instagram')",
                "creators.csv:2:6: found '', expected the payout account for payout method paypal "
                    + "(column 'payout_account')",
                "creators.csv:3:2: found '', expected the creator's name (column 'name')",
                "creators.csv:3:3: found '****sign', expected an e-mail address like name@example.com "
                    + "(column 'email')",  // never printed in clear
                "creators.csv:3:5: found 'venmo', expected a payout method: paypal, wise or bank "
                    + "(column 'payout_method')",
                "creators.csv:4:1: found '', expected a creator id like anna-bakes (column 'id')",
                "creators.csv:4:5: found '', expected a payout method (paypal, wise or bank) for "
                    + "payout account ****1234 (column 'payout_method')"
            ])
        let header = try f.importFailing(.creators, "c2.csv", "id,name,email,Insta Gram\n")
        #expect(
            header.issues.first?.description.hasPrefix("c2.csv:1:4: found 'Insta Gram', expected a platform name")
                == true)
        let twice = try f.importFailing(.creators, "c3.csv", "id,name,email,ID\n")
        #expect(
            twice.issues.first?.description
                == "c3.csv:1:4: found 'ID', expected each column once (column 1 has the same name) (column 'id')")
    }

    @Test func datedRowsFxAndShapeProblems() throws {
        let f = try TemporaryLedger()
        try f.registerAnna()
        let gifts = try f.importFailing(
            .gifts, "gifts.csv",
            "creator,date,value\nanna-bakes,2026-08-01,-5.00\nanna-bakes,08/01/2026,5.00\nanna-bakes,2026-08-01\n")
        #expect(
            gifts.issues.map(\.description) == [
                "gifts.csv:2:3: found '-5.00', expected an amount of zero or more, like 250.00 (column 'value')",
                "gifts.csv:3:2: found '08/01/2026', expected a date like 2026-07-01 or a timestamp with offset like "
                    + "2026-07-01T09:30:00-04:00; '08/01/2026' is a date with slashes, as a "
                    + "spreadsheet writes it: it is "
                    + "2026-08-01 or 2026-01-08 depending on the spreadsheet's language; write "
                    + "YYYY-MM-DD (column 'date')",
                "gifts.csv:4:3: found '2 fields', expected 3 fields, one for each column of the header (column 'value')"
            ])
        let adjustments = try f.importFailing(
            .adjustments, "adj.csv",
            "creator,date,amount,reason\nanna-bakes,2026-08-01,0.00,nothing\nanna-bakes,2026-08-01,5.00,\n")
        #expect(
            adjustments.issues.map(\.description) == [
                "adj.csv:2:3: found '0.00', expected a non-zero amount, like 40.00 or -12.00 (an "
                    + "adjustment of 0 changes nothing) (column 'amount')",
                "adj.csv:3:4: found '', expected the reason for the adjustment (column 'reason')"
            ])
        let fx = try f.importFailing(
            .fx, "fx.csv", "date,currency,rate\n2026-07-01,USD,1\n2026-07-01,EUR,10%\n2026-07-01,EUR,0.00000000001\n")
        #expect(
            fx.issues.map(\.description) == [
                "fx.csv:2:2: found 'USD', expected a currency other than the base currency USD (its "
                    + "rate is 1 by definition) (column 'currency')",
                "fx.csv:3:3: found '10%', expected a positive dot-decimal rate with at most 10 "
                    + "decimals, like 1.082735 (column 'rate')",
                "fx.csv:4:3: found '0.00000000001', expected at most 10 decimals in an exchange rate (column 'rate')"
            ])
    }

    @Test func problemsAreListedUpToTheLimit() throws {
        let f = try TemporaryLedger()
        try f.registerAnna()
        let rows = (1...60).map { "zed-\($0),2026-08-01,5.00" }.joined(separator: "\n")
        let error = try f.importFailing(.gifts, "gifts.csv", "creator,date,value\n" + rows + "\n")
        #expect(error.issues.count == MasterDataImport.issuesMax)
        #expect(error.moreCount == 10)
        #expect(error.issues.last?.line == 51)
        #expect(error.description.contains("... and 10 more problems\ngifts.csv: 60 problems; nothing was imported"))
    }

    @Test func brokenCSVIsReportedWithItsLine() throws {
        let f = try TemporaryLedger()
        let error = try f.importFailing(.creators, "creators.csv", "id,name,email\nok,Ok,\n\"open,x,\n")
        #expect(error.issues.map(\.description) == ["creators.csv:3:1: unterminated quoted field (opened here)"])
        let empty = try f.importFailing(.fx, "fx.csv", "")
        #expect(
            empty.issues.first?.description == "fx.csv: the file is empty; expected a header row: date,currency,rate")
    }
}
