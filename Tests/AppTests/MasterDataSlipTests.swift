@testable import App
import Foundation
import LedgerCore
import LedgerStore
import TestSupport
import Testing
@testable import OrderImport

/// One file, one value per key: two rows of one file that give the same key different values are
/// refused (row order must not decide money), the same row twice is fine.
@Suite("master data: one value per key in a file")
struct OneValuePerKeyTests {
    @Test func termsRowsOfOneCreatorAndDateThatDisagreeAreRefused() throws {
        let f = try TemporaryLedger()
        try f.registerAnna()
        let header = "creator,effective_from,commission,per_order,holdback_days,min_payout,bonus\n"
        let error = try f.importFailing(
            .terms, "t.csv",
            header + "anna-bakes,2026-07-01,10%,1.00,30,,\nbrew-bea,2026-07-01,5%,,,,\n"
                + "anna-bakes,2026-07-01,10%,1.00,30,,80.00\n")
        #expect(
            error.issues.map(\.description) == [
                "t.csv:4:7: found '80.00', expected one terms row per creator and effective_from in a file: "
                    + "line 2 gives anna-bakes from 2026-07-01 an empty bonus; keep the right row (the same row "
                    + "twice is fine) (column 'bonus')"
            ])
        let same = try f.importText(
            .terms, "t.csv", header + "anna-bakes,2026-07-01,10%,1.00,30,,\nanna-bakes,2026-07-01,10.0%,1,30,,\n")
        #expect(same.added == 1 && same.unchanged == 1, "\(same)")
        // Another file still replaces: recorded later wins across files.
        let later = try f.importText(.terms, "t2.csv", header + "anna-bakes,2026-07-01,12%,1.00,30,,\n")
        #expect(later.changed == 1, "\(later)")
    }

    @Test func creatorsRowsOfOneIdThatDisagreeAreRefused() throws {
        let f = try TemporaryLedger()
        let header = "id,name,email,payout_method,payout_account,tax_form,instagram\n"
        let error = try f.importFailing(
            .creators, "c.csv",
            header + "anna-bakes,Anna,anna@example.com,paypal,anna@example.com,w9,100\n"
                + "anna-bakes,Anna,anna@example.com,paypal,anna@example.com,w8ben,100\n")
        #expect(
            error.issues.map(\.description) == [
                "c.csv:3:6: found 'w8ben', expected one row per creator id in a file: line 2 gives anna-bakes "
                    + "tax_form 'w9'; keep the right row (the same row twice is fine) (column 'tax_form')"
            ])
        let account = try f.importFailing(
            .creators, "c.csv",
            header + "anna-bakes,Anna,,bank,DE89370400440532013000,,\nanna-bakes,Anna,,bank,DE89370400440532013001,,\n")
        let message = account.issues.first?.description ?? ""
        #expect(message.contains("line 2 gives anna-bakes payout_account '****3000'"), "\(message)")
        #expect(!message.contains("DE89"), "an account is never printed: \(message)")
        let same = try f.importText(
            .creators, "c.csv",
            header + "anna-bakes,Anna,,paypal,a@example.com,W-9,\nanna-bakes,Anna,,PayPal,a@example.com,w9,\n")
        #expect(same.added == 1 && same.unchanged == 1, "\(same)")
    }

    @Test func ratesOfOneDateAndCurrencyThatDisagreeAreRefused() throws {
        let f = try TemporaryLedger()
        let error = try f.importFailing(
            .fx, "fx.csv", "date,currency,rate\n2026-10-02,EUR,1.08\n2026-10-02,CAD,0.73\n2026-10-02,eur,1.09\n")
        #expect(
            error.issues.map(\.description) == [
                "fx.csv:4:3: found '1.09', expected one rate per date and currency in a file: line 2 gives EUR on "
                    + "2026-10-02 rate '1.08'; keep the right row (the same row twice is fine) (column 'rate')"
            ])
        let same = try f.importText(.fx, "fx.csv", "date,currency,rate\n2026-10-02,EUR,1.08\n2026-10-02,EUR,1.080\n")
        #expect(same.added == 1 && same.unchanged == 1, "\(same)")
    }

    @Test func postsGiftsAndAdjustmentsWithOneIdThatDisagreeAreRefused() throws {
        let f = try TemporaryLedger()
        try f.registerAnna()
        let adjustments = try f.importFailing(
            .adjustments, "a.csv",
            "id,creator,date,amount,reason\nA1,anna-bakes,2026-08-01,5.00,fix\nA1,anna-bakes,2026-08-01,6.00,fix\n")
        #expect(
            adjustments.issues.map(\.description) == [
                "a.csv:3:4: found '6.00', expected one row per adjustment id in a file: line 2 gives A1 amount "
                    + "'5.00'; keep the right row (the same row twice is fine) (column 'amount')"
            ])
        let posts = try f.importFailing(
            .posts, "p.csv",
            "id,creator,date,platform,fee\nP1,anna-bakes,2026-08-01,instagram,50.00\n"
                + "P1,brew-bea,2026-08-01,instagram,50.00\n")
        #expect(
            posts.issues.first?.description.hasPrefix("p.csv:3:2: found 'brew-bea', expected one row per post id")
                == true)
        let gifts = try f.importFailing(
            .gifts, "g.csv", "id,creator,date,value\nG1,anna-bakes,2026-08-01,48.00\nG1,anna-bakes,2026-08-02,48.00\n")
        #expect(
            gifts.issues.first?.description.hasPrefix("g.csv:3:3: found '2026-08-02', expected one row per gift id")
                == true)
        let same = try f.importText(
            .adjustments, "a.csv",
            "id,creator,date,amount,reason\nA1,anna-bakes,2026-08-01,5.00,fix\nA1,anna-bakes,2026-08-01,5.00,fix\n")
        #expect(same.added == 1 && same.unchanged == 1, "\(same)")
    }

    @Test func aCodesRowWithAnotherValidUntilFromTheSameDateIsRefused() throws {
        let f = try TemporaryLedger()
        try f.registerAnna()
        let error = try f.importFailing(
            .codes, "c.csv",
            "code,creator,valid_from,valid_until\nW,anna-bakes,2026-07-01,2026-09-30\nW,anna-bakes,2026-07-01,\n")
        #expect(
            error.issues.map(\.description) == [
                "c.csv:3:4: found '', expected one valid_until per code and valid_from in a file: line 2 gives W "
                    + "valid_until 2026-09-30 from the same date; keep the right row (column 'valid_until')"
            ])
    }

    /// A file that gives a code to one creator up to a date and, in a later row, to another from an
    /// earlier date contradicts itself: refused whichever row comes first, at the row that comes second.
    @Test func aCodesFileWhoseLaterRowCutsAnEarlierRowsStatedEndIsRefused() throws {
        let f = try TemporaryLedger()
        try f.registerAnna()
        let header = "code,creator,valid_from,valid_until\n"
        let error = try f.importFailing(
            .codes, "c.csv", header + "WINTER,anna-bakes,2026-07-01,2026-09-30\nWINTER,brew-bea,2026-08-01,\n")
        #expect(
            error.issues.map(\.description) == [
                "c.csv:3:3: found '2026-08-01', expected a valid_from on or after 2026-09-30, the valid_until "
                    + "line 2 gives WINTER for anna-bakes; the file cannot say both: give the earlier row "
                    + "valid_until 2026-08-01, or the later row valid_from 2026-09-30 (a later valid_from ends the "
                    + "earlier assignment) (column 'valid_from')"
            ])
        let reversed = try f.importFailing(
            .codes, "c.csv", header + "WINTER,brew-bea,2026-08-01,\nWINTER,anna-bakes,2026-07-01,2026-09-30\n")
        #expect(
            reversed.issues.first?.description.hasPrefix(
                "c.csv:3:4: found '2026-09-30', expected a valid_until on or before 2026-08-01, when line 2 gives "
                    + "WINTER to brew-bea") == true, "\(reversed)")
        let referrals = try f.importFailing(
            .referrals, "r.csv",
            "value,creator,valid_from,valid_until\nref=w,anna-bakes,2026-07-01,2026-09-30\nref=w,brew-bea,2026-08-01,\n"
        )
        #expect(referrals.issues.count == 1, "\(referrals)")
        // Ends that meet, an open row moved by a later one, and the same creator twice are fine.
        let fine = try f.importText(
            .codes, "c.csv",
            header + "WINTER,anna-bakes,2026-07-01,2026-08-01\nWINTER,brew-bea,2026-08-01,\n"
                + "SUMMER,anna-bakes,2026-07-01,\nSUMMER,brew-bea,2026-08-01,\n"
                + "FALL,anna-bakes,2026-07-01,2026-09-30\nFALL,anna-bakes,2026-08-01,\n")
        #expect(fine.added == 6, "\(fine)")
    }
}

/// A header close to a column the kind reads and lacks is refused with the column it was probably
/// meant to be: ignored, its cells (a plan column) would never apply. Other unknown columns are
/// ignored and named.
@Suite("master data: near misses of known columns")
struct NearMissColumnTests {
    @Test func nearMissesOfAColumnTheKindReadsAreRefused() throws {
        let f = try TemporaryLedger()
        try f.registerAnna()
        let terms = "creator,effective_from,commission,per_order,holdback_days,min_payout"
        let cases: [(MasterDataKind, String, Int, String)] = [
            (.terms, terms + ",bonus_treshold,bonus", 7, "bonus_threshold"),
            (.terms, terms + ",Bonus Threshold", 7, "bonus_threshold"),
            (.terms, terms + ",new customer commission", 7, "new_customer_commission"),
            (.terms, terms + ",new-customer-commission", 7, "new_customer_commission"),
            (.terms, terms + ",tier", 7, "tiers"),
            (.terms, terms + ",retainer_fee", 7, "retainer"),
            (.terms, terms + ",notes,Lifetime Month", 8, "lifetime_months"),
            (.creators, "id,name,email,Tax Form", 4, "tax_form"),
            (.creators, "id,name,email,payout-method,payout_account", 4, "payout_method"),
            (.posts, "creator,date,platform,fee,impression", 5, "impressions"),
            (.gifts, "creator,date,value,notes", 4, "note"),
            (.adjustments, "creator,date,amount,reason,IDs", 5, "id")
        ]
        for (kind, header, column, near) in cases {
            let error = try f.importFailing(kind, "x.csv", header + "\n")
            let message = error.issues.first?.description ?? ""
            #expect(
                message.hasPrefix("x.csv:1:\(column): found '")
                    && message.contains("expected a column a \(kind.rawValue) file reads: did you mean \(near)?"),
                "\(header): \(message)")
        }
    }

    @Test func unrelatedColumnsAreIgnoredAndNamedAndPlatformsStayPlatforms() throws {
        let f = try TemporaryLedger()
        let creators = try f.importText(.creators, "c.csv", "id,name,email,x,vk,threads\nanna-bakes,Anna,,1,2,3\n")
        #expect(creators.added == 1 && creators.ignoredColumns.isEmpty, "\(creators)")
        #expect(try f.ledger.snapshot().creators["anna-bakes"]?.followers == ["x": 1, "vk": 2, "threads": 3])
        let terms = try f.importText(
            .terms, "t.csv",
            "creator,effective_from,commission,per_order,holdback_days,min_payout,Notes,source\n"
                + "anna-bakes,2026-07-01,10%,,,,signed in June,email\n")
        #expect(terms.added == 1 && terms.ignoredColumns == ["Notes", "source"], "\(terms)")
        // A near miss of a column the header has is another column: ignored.
        let fx = try f.importText(.fx, "fx.csv", "date,currency,rate,rates\n2026-10-02,EUR,1.08,x\n")
        #expect(fx.added == 1 && fx.ignoredColumns == ["rates"], "\(fx)")
    }

    @Test func nearMissColumnRules() {
        let plan = MasterDataKind.planColumns
        #expect(nearMissColumn("bonus_treshold", among: plan) == "bonus_threshold")
        #expect(nearMissColumn("monthly_bonus", among: plan) == "bonus")
        #expect(nearMissColumn("bonus_threshold_count", among: plan) == "bonus_threshold")
        #expect(nearMissColumn("notes", among: plan) == nil)
        #expect(nearMissColumn("x", among: ["id"]) == nil)
        #expect(nearMissColumn("vk", among: ["id"]) == nil)
        #expect(nearMissColumn("IDs", among: ["id"]) == "id")
        #expect(nearMissColumn("order_id", among: ["id"]) == nil)
        #expect(nearMissColumn("source", among: ["url", "impressions", "engagements", "id"]) == nil)
    }
}
