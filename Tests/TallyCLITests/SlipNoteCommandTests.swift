import Foundation
import TestSupport
import Testing

/// The notes of the master-data slips, as the binary prints them (standard error, exit 0).
@Suite("notes on ignored columns and half plans, end to end")
struct SlipNoteCommandTests {
    @Test func ignoredColumnsAndHalfPlansAreNamedOnStandardError() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try runTally(["init", "--currency", "USD", "--timezone", "America/New_York"], in: dir).status == 0)
        try write("id,name,email\nchai,Chai,\n", to: "creators.csv", in: dir)
        #expect(try runTally(["import", "creators", "creators.csv"], in: dir).status == 0)
        try write(
            "creator,effective_from,commission,per_order,holdback_days,min_payout,bonus_threshold,notes\n"
                + "chai,2026-10-01,10%,,,,6,signed in June\n", to: "terms.csv", in: dir)
        let terms = try runTally(["import", "terms", "terms.csv"], in: dir)
        #expect(terms.status == 0, "\(terms.stderr)")
        #expect(
            terms.stderr.contains(
                "tally: note: chai from 2026-10-01: bonus_threshold 6 but no bonus: no bonus is paid; give bonus, "
                    + "or bonus_threshold 0 (docs/plans.md)"), "\(terms.stderr)")
        #expect(
            terms.stderr.contains(
                "tally: note: terms.csv: column 'notes' ignored: not read by a terms file (it reads creator, "),
            "\(terms.stderr)")
        let set = try runTally(["terms", "set", "chai", "--from", "2026-11-01", "--bonus-threshold", "5"], in: dir)
        #expect(set.status == 0, "\(set.stderr)")
        #expect(
            set.stderr.contains("tally: note: chai from 2026-11-01: bonus_threshold 5 but no bonus"), "\(set.stderr)")
        let fixed = try runTally(["terms", "set", "chai", "--from", "2026-12-01", "--bonus", "50.00"], in: dir)
        #expect(fixed.status == 0 && fixed.stderr.isEmpty, "\(fixed.stderr)")
        try write(
            "creator,effective_from,commission,per_order,holdback_days,min_payout,Bonus Threshold\n"
                + "chai,2027-01-01,,,,,8\n", to: "near.csv", in: dir)
        let near = try runTally(["import", "terms", "near.csv"], in: dir)
        #expect(near.status == 1)
        #expect(
            near.stderr.contains(
                "near.csv:1:7: found 'Bonus Threshold', expected a column a terms file reads: did you mean "
                    + "bonus_threshold?"), "\(near.stderr)")
    }
}
