@testable import App
import Foundation
import LedgerCore
@testable import LedgerStore
import TestSupport
import Testing
@testable import OrderImport

/// Plans that can never pay a part, and retainers of months before the first payout month: said,
/// the figures unchanged (docs/plans.md).
@Suite("plans: notes on half plans and on the first close")
struct PlanNoteTests {
    @Test func aTermsImportNamesEachCreatorWhoseTermsCarryAPartThatCanNeverPay() throws {
        let f = try TemporaryLedger()
        try f.importText(
            .creators, "c.csv", "id,name,email\nchai,C,\nhugo,H,\nkate,K,\nomar,O,\nsam,S,\nfull,F,\n")
        let header =
            "creator,effective_from,commission,per_order,holdback_days,min_payout,lifetime_months,"
            + "lifetime_commission,tiers,tiers_apply,bonus_threshold,bonus,retainer\n"
        let file =
            header + "chai,2026-10-01,,,,,,,,,6,,\nhugo,2026-10-01,,,,,,,,,,75.00,\nkate,2026-10-01,,,,,,5%,,,,,\n"
            + "omar,2026-10-01,,,,,,,,month,,,\nsam,2026-10-01,,,,,6,,,,,,\n"
            + "full,2026-10-01,10%,,,,12,5%,5:12%,month,6,50.00,100.00\n"
        let dry = try f.importText(.terms, "t.csv", file, dryRun: true)
        let expected = [
            "chai from 2026-10-01: bonus_threshold 6 but no bonus: no bonus is paid; give bonus, or "
                + "bonus_threshold 0 (docs/plans.md)",
            "hugo from 2026-10-01: bonus 75.00 but no bonus_threshold: no bonus is paid; give bonus_threshold, "
                + "or bonus none (docs/plans.md)",
            "kate from 2026-10-01: lifetime_commission 5% but lifetime_months 0: no customer is linked, the rate "
                + "is never used; give lifetime_months, or lifetime_commission none (docs/plans.md)",
            "omar from 2026-10-01: tiers_apply month but no tiers: no effect; give tiers, or tiers_apply "
                + "marginal (docs/plans.md)"
        ]
        #expect(dry.planNotes == expected)
        let summary = try f.importText(.terms, "t.csv", file)
        #expect(summary.added == 6 && summary.planNotes == expected, "\(summary)")
        // The other half given later from another date: nothing to say of that date.
        let fixed = try f.importText(.terms, "t2.csv", header + "chai,2026-11-01,,,,,,,,,,40.00,\n")
        #expect(fixed.planNotes.isEmpty, "\(fixed.planNotes)")
        // terms set: the same rule, on the terms resolved at its date (carried over).
        let session = LedgerSession(f.ledger)
        let day = f.instant("2026-12-01")
        _ = try session.setTerms(TermsSet(creator: "kate", effectiveFrom: day, commission: .zero))
        #expect(
            try session.unpayablePlanNotes(creator: "kate", from: day)
                == [
                    "kate from 2026-12-01: lifetime_commission 5% but lifetime_months 0: no customer is linked, "
                        + "the rate is never used; give lifetime_months, or lifetime_commission none (docs/plans.md)"
                ])
        #expect(try session.unpayablePlanNotes(creator: "full", from: f.instant("2026-10-01")).isEmpty)
    }

    /// Terms with a retainer dated long before the first order: the first close pays every month
    /// since (the rules), and its preview and close say so per creator, with the way out.
    @Test func theFirstCloseNamesRetainersOfMonthsBeforeIt() throws {
        let temporary = try temporaryLedger(now: "2026-10-15T00:00:00Z")
        let ledger = temporary.ledger
        let session = LedgerSession(ledger)
        try ledger.write { l in
            try l.append(
                .creatorRegistered(
                    CreatorRegistered(
                        id: "sam", name: "Sam", emailHash: nil, followers: [:], payout: nil,
                        at: Instant(unixSeconds: 0))))
            try l.append(
                .codeAssigned(CodeAssigned(code: "SAM", creator: "sam", validFrom: day("2026-07-01"), validUntil: nil)))
            try l.append(
                .termsSet(
                    TermsSet(
                        creator: "sam", effectiveFrom: day("2026-03-01"),
                        commission: CommissionRate(partsPerMillion: 100_000), holdbackDays: 0, retainerMinor: 25_000)
                ))
        }
        var s = Scenario()
        s.order("1", created: "2026-08-05T12:00:00Z", subtotal: 10_000, codes: ["SAM"])
        _ = try ledger.write { l in try l.append(s.facts.last!) }
        let expected =
            "sam: 5 retainers for months before 2026-08, the ledger's first payout month (2026-03 to 2026-07), "
            + "1,250.00 USD, are in its close: the rules settle every month from the creator's first terms, a "
            + "contract already running (docs/plans.md). If they were paid before tally, leave them out: tally "
            + "terms set sam --from 2026-03-01 --retainer none, tally terms set sam --from 2026-08-01 --retainer "
            + "AMOUNT, before the close"
        let (preview, notes, _) = try session.previewPayoutsAndTermsGaps(ym("2026-08"))
        #expect(notes.contains(expected), "\(notes)")
        let (result, _, _, beforeFirst) = try session.closeMonthAndTermsGaps(ym("2026-08"), first: false)
        #expect(result == preview)
        // The figures are the rules': six retainers (March to August) and the order's commission.
        #expect(result.statements.map(\.figures.payoutMinor) == [6 * 25_000 + 1_000])
        #expect(
            beforeFirst == [
                expected.replacingOccurrences(of: "are in its close", with: "are in this close")
                    .replacingOccurrences(
                        of: "leave them out: tally terms",
                        with: "leave them out: tally payout reopen --month 2026-08 --reason ..., then tally terms"
                    )
                    .replacingOccurrences(of: "before the close", with: "and close 2026-08 again")
            ])
        // A later close is no first close: nothing to say.
        #expect(try session.previewPayoutsAndTermsGaps(ym("2026-09")).notes.allSatisfy { !$0.contains("retainer") })
    }

    /// Past 10 creators, the first close's notes name the first 10 in full and count the rest in one line.
    @Test func aFirstCloseWithManyRunningContractsCountsThePastTenInOneLine() throws {
        let temporary = try temporaryLedger(now: "2026-10-15T00:00:00Z")
        let ledger = temporary.ledger
        let session = LedgerSession(ledger)
        let ids = (1...12).map { String(format: "c%02d", $0) }
        try ledger.write { l in
            for id in ids {
                try l.append(
                    .creatorRegistered(
                        CreatorRegistered(
                            id: id, name: id, emailHash: nil, followers: [:], payout: nil, at: Instant(unixSeconds: 0)))
                )
                try l.append(
                    .termsSet(
                        TermsSet(
                            creator: id, effectiveFrom: day("2026-06-01"),
                            commission: CommissionRate(partsPerMillion: 100_000), holdbackDays: 0,
                            retainerMinor: 10_000)))
            }
        }
        let (_, notes, _) = try session.previewPayoutsAndTermsGaps(ym("2026-08"))
        let named = notes.filter { $0.contains("retainers for months before 2026-08") }
        #expect(named.map { String($0.prefix(3)) } == Array(ids.prefix(10)), "\(notes)")
        #expect(
            notes.contains(
                "2 more creators have retainers or bonuses for months before 2026-08, the ledger's first payout "
                    + "month, in its close: 4 lines, 400.00 USD (c11, c12); each creator's are the retainer: and "
                    + "bonus: lines of tally statement CREATOR --month 2026-08, left out the same way"), "\(notes)")
    }
}
