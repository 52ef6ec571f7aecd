@testable import App
import Foundation
import LedgerCore
@testable import LedgerStore
import TestSupport
import Testing
@testable import OrderImport

@Suite("master data: re-importing adds only the changes")
struct MasterDataIdempotencyTests {
    static let creators = """
        id,name,email,payout_method,payout_account,instagram,tiktok
        anna-bakes,Anna Becker,anna@example.com,paypal,pay-anna@example.com,48200,12900
        brew-bea,Bea Souza,,,,9400,

        """

    @Test func creatorsTwiceThenChangedThenReordered() throws {
        let f = try TemporaryLedger()
        #expect(try f.importText(.creators, "creators.csv", Self.creators).added == 2)
        let afterFirst = f.ledger.lastSeq
        let again = try f.importText(.creators, "creators.csv", Self.creators)
        #expect((again.rows, again.added, again.changed, again.unchanged) == (2, 0, 0, 2))
        #expect(f.ledger.lastSeq == afterFirst)

        // Bea's name and instagram count change; Anna's empty cells erase nothing.
        let changed = try f.importText(
            .creators, "creators.csv",
            """
            tiktok,id,name,email,instagram
            ,anna-bakes,Anna Becker,,
            800,brew-bea,Beatriz Souza,,9500
            """)
        #expect((changed.added, changed.changed, changed.unchanged) == (0, 1, 1))
        let facts = try f.facts(after: afterFirst)
        let followers: [String: Int64] = ["instagram": 9500, "tiktok": 800]
        let now = TemporaryLedger.defaultNow
        let update = CreatorUpdated(id: "brew-bea", name: "Beatriz Souza", followers: followers, at: now)
        #expect(facts == [.creatorUpdated(update)])
        let anna = try f.ledger.snapshot().creators["anna-bakes"]
        #expect(anna?.followers == ["instagram": 48200, "tiktok": 12900])
        #expect(try anna?.emailHash == f.ledger.emailHash("anna@example.com"))
        #expect(anna?.payout?.method == "paypal")
        #expect(anna?.payout.map { PayoutSealing.isSealed($0.account) } == true)  // never stored in clear
        #expect(try anna.map { try f.ledger.openPayoutAccount($0.payout!.account) } == "pay-anna@example.com")

        // The same rows in another order (and another column order) add nothing.
        let seq = f.ledger.lastSeq
        let reordered = try f.importText(
            .creators, "creators.csv",
            """
            instagram,name,id,tiktok,email
            9500,Beatriz Souza,brew-bea,800,
            48200,Anna Becker,anna-bakes,12900,ANNA@example.com
            """)
        #expect(reordered.unchanged == 2)
        #expect(f.ledger.lastSeq == seq)
    }

    @Test func codesChangedValidUntilIsRecordedAgainWithTheSameStart() throws {
        let f = try TemporaryLedger()
        try f.registerAnna()
        let file =
            "code,creator,valid_from,valid_until\nANNA15,anna-bakes,2026-07-01,\n anna15 ,"
            + "anna-bakes,2026-07-01,\nWELCOME10,,2026-01-01,\n"
        let first = try f.importText(.codes, "codes.csv", file)
        #expect((first.rows, first.added, first.unchanged) == (3, 2, 1))  // the second row is the first one again
        let seq = f.ledger.lastSeq
        #expect(try f.importText(.codes, "codes.csv", file).factsAppended == 0)
        let changed = try f.importText(
            .codes, "codes.csv",
            "code,creator,valid_from,valid_until\nWELCOME10,,,\nanna15,anna-bakes,2026-07-01,2026-10-01\n")
        #expect((changed.added, changed.changed, changed.unchanged) == (0, 1, 1))
        #expect(
            try f.facts(after: seq) == [
                .codeAssigned(
                    CodeAssigned(
                        code: "ANNA15", creator: "anna-bakes", validFrom: f.instant("2026-07-01"),
                        validUntil: f.instant("2026-10-01")))
            ])
        // The original file now differs from the latest fact again: it is recorded again (the file wins).
        #expect(try f.importText(.codes, "codes.csv", file).changed == 1)
    }

    @Test func referralsAreNormalizedAndIdempotent() throws {
        let f = try TemporaryLedger()
        try f.registerAnna()
        let file = "value,creator,valid_from,valid_until\nref=anna,anna-bakes,2026-07-01,2026-12-31\n"
        #expect(try f.importText(.referrals, "referrals.csv", file).added == 1)
        let reordered = "creator,value,valid_from,valid_until\nanna-bakes,REF=ANNA,2026-08-01,\n"
        #expect(try f.importText(.referrals, "referrals.csv", reordered).added == 1)
        #expect(try f.importText(.referrals, "referrals.csv", file).unchanged == 1)
        #expect(try f.ledger.snapshot().referralAssignments.map(\.value) == ["REF=ANNA", "REF=ANNA"])
        let missing = try f.importFailing(
            .referrals, "r.csv",
            "value,creator,valid_from,valid_until\nref=x,,2026-07-01,\n")
        #expect(
            missing.issues.map(\.description) == [
                "r.csv:2:2: found '', expected the creator id the referral value belongs to (column 'creator')"
            ])
    }

    @Test func termsIdenticalAddNothingChangedAddOne() throws {
        let f = try TemporaryLedger()
        try f.registerAnna()
        let file =
            "creator,effective_from,commission,per_order,holdback_days,min_payout\n"
            + "anna-bakes,2026-07-01,12.5%,1.00,,50\n"
        #expect(try f.importText(.terms, "terms.csv", file).added == 1)
        let seq = f.ledger.lastSeq
        #expect(try f.importText(.terms, "terms.csv", file).unchanged == 1)
        #expect(f.ledger.lastSeq == seq)
        #expect(try f.importText(.terms, "terms.csv", file.replacingOccurrences(of: "12.5%", with: "15%")).changed == 1)
        #expect(
            try f.facts(after: seq) == [
                .termsSet(
                    TermsSet(
                        creator: "anna-bakes", effectiveFrom: f.instant("2026-07-01"),
                        commission: CommissionRate(partsPerMillion: 150_000), perOrderMinor: 100,
                        holdbackDays: nil, minPayoutMinor: 5000))
            ])
    }

    @Test func postsWithAndWithoutIds() throws {
        let f = try TemporaryLedger()
        try f.registerAnna()
        let file = """
            creator,date,platform,fee,url,impressions,engagements,id
            anna-bakes,2026-08-01,Instagram,200.00,https://x/1,1000,,P1
            anna-bakes,2026-08-02,tiktok,0,,,,

            """
        #expect(try f.importText(.posts, "posts.csv", file).added == 2)
        let posts = try f.ledger.snapshot().posts
        #expect(posts.map(\.platform) == ["instagram", "tiktok"])
        let contentID = try #require(posts.last?.id)
        #expect(contentID.hasPrefix("post-") && contentID.count == 17)
        let seq = f.ledger.lastSeq
        // Reordered rows add nothing; the content id does not depend on the row's position.
        let reordered =
            "id,creator,date,platform,fee\n,anna-bakes,2026-08-02,TikTok,0.00\nP1,anna-bakes,2026-08-01,instagram,200\n"
        #expect(try f.importText(.posts, "posts.csv", reordered).changed == 1)  // P1 lost its url and impressions
        #expect(try f.facts(after: seq).count == 1)
        let p1 = try f.ledger.snapshot().posts.first { $0.id == "P1" }
        #expect(p1?.url == nil && p1?.impressions == nil && p1?.feeMinor == 20000)
        #expect(try f.ledger.snapshot().posts.count == 2)
        #expect(try f.importText(.posts, "posts.csv", reordered).unchanged == 2)
    }

    @Test func giftsAdjustmentsAndRatesReplaceByKey() throws {
        let f = try TemporaryLedger()
        try f.registerAnna()
        #expect(
            try f.importText(
                .gifts, "gifts.csv", "creator,date,value,note\nanna-bakes,2026-08-01,48.00,\"Box, large\"\n"
            ).added == 1)
        #expect(
            try f.importText(.gifts, "gifts.csv", "note,value,date,creator\n\"Box, large\",48,2026-08-01,anna-bakes\n")
                .unchanged == 1)
        #expect(
            try f.importText(
                .adjustments, "adj.csv", "id,creator,date,amount,reason\nA1,anna-bakes,2026-08-20,40.00,bonus\n"
            ).added == 1)
        #expect(
            try f.importText(
                .adjustments, "adj.csv",
                "id,creator,date,amount,reason\nA1,anna-bakes,2026-08-20,-40.00,bonus reversed\n"
            ).changed == 1)
        #expect(try f.ledger.snapshot().adjustments.map(\.amountMinor) == [-4000])
        #expect(
            try f.importText(.fx, "fx.csv", "date,currency,rate\n2026-07-01,EUR,1.08\n2026-07-01,JPY,0.0064\n").added
                == 2)
        let seq = f.ledger.lastSeq
        let changed = try f.importText(
            .fx, "fx.csv", "date,currency,rate\n2026-07-01,JPY,0.0064000\n2026-07-01,eur,1.09\n")
        #expect((changed.changed, changed.unchanged) == (1, 1))
        #expect(
            try f.facts(after: seq) == [
                .fxRateSet(
                    FXRateSet(
                        date: CivilDate(year: 2026, month: 7, day: 1)!, effectiveAt: f.instant("2026-07-01"),
                        currency: .eur, rate: FXRate(scaled: 10_900_000_000)))
            ])
    }

    @Test func dryRunReportsAndWritesNothing() throws {
        let f = try TemporaryLedger()
        let dry = try f.importText(.creators, "creators.csv", Self.creators, dryRun: true)
        #expect((dry.rows, dry.added, dry.dryRun) == (2, 2, true))
        #expect(dry.description == "creators.csv: 2 rows, 2 new, 0 changed, 0 unchanged (dry run: nothing written)")
        #expect(f.ledger.lastSeq == 1)
        #expect(try f.ledger.snapshot().creators.isEmpty)
        let real = try f.importText(.creators, "creators.csv", Self.creators)
        #expect(real.description == "creators.csv: 2 rows, 2 new, 0 changed, 0 unchanged")
        #expect(f.ledger.lastSeq == 3)
    }

    @Test func bomHeaderCaseBlankLinesAndExtraColumns() throws {
        let f = try TemporaryLedger()
        try f.registerAnna()
        let text =
            "\u{FEFF}Valid_From,CODE,comment,Creator,VALID_UNTIL\r\n2026-07-01,bea10,our best,brew-bea,\r\n\r\n"
            + "2026-07-01, TESS ,,anna-bakes,\r\n"
        let summary = try f.importText(.codes, "codes.csv", text)
        #expect((summary.rows, summary.added) == (2, 2))
        #expect(try f.ledger.snapshot().codeAssignments.map(\.code) == ["BEA10", "TESS"])
    }

    @Test func timestampsAreReducedToTheLedgerDay() throws {
        let f = try TemporaryLedger()
        try f.registerAnna()
        // 02:00Z on Aug 2 is still Aug 1 in New York.
        try f.importText(
            .adjustments, "adj.csv", "creator,date,amount,reason\nanna-bakes,2026-08-02T02:00:00Z,5.00,late bonus\n")
        let adjustment = try #require(try f.ledger.snapshot().adjustments.first)
        #expect(adjustment.date.description == "2026-08-01")
        #expect(adjustment.effectiveAt == f.instant("2026-08-01"))
        try f.importText(
            .codes, "codes.csv",
            "code,creator,valid_from,valid_until\nNIGHT,anna-bakes,2026-08-02T02:00:00Z,\n")
        #expect(try f.ledger.snapshot().codeAssignments.first?.validFrom == Instant(unixSeconds: 1_785_636_000))
    }
}

@Suite("master data: e-mails are never stored in clear")
struct MasterDataPrivacyTests {
    @Test func emailAddressIsNotInTheLedgerFile() throws {
        let f = try TemporaryLedger()
        try f.importText(
            .creators, "creators.csv",
            "id,name,email,payout_method,payout_account\n"
                + "secret-sam,Sam,Secret.Sam@Example.COM,wise,DE89370400440532013000\n")
        try f.importText(.creators, "creators.csv", "id,name,email\nsecret-sam,Sam,other.address@example.net\n")
        try f.ledger.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: f.ledger.path))
        if let wal = try? Data(contentsOf: URL(fileURLWithPath: f.ledger.path + "-wal")) { bytes.append(wal) }
        let text = String(decoding: bytes, as: UTF8.self).lowercased()
        #expect(text.contains("secret-sam"))  // the check reads the right file
        #expect(!text.contains("secret.sam@example.com"))
        #expect(!text.contains("other.address@example.net"))
        #expect(!text.contains("example.net"))
        #expect(!text.contains("de89370400440532013000"))  // the payout account is sealed too
        let hash = try f.ledger.emailHash("other.address@example.net")
        #expect(text.contains(try #require(hash)))
    }
}
