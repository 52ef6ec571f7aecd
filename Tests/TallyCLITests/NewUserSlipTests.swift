import Foundation
import TestSupport
import Testing

// Slips a new user met (session of 2026-12-02): each with the test that fails without its fix.
@Suite("slips a new user met")
struct NewUserSlipTests {
    /// A negative commission is refused as such; a rate above 100% is refused with what was expected
    /// (it would pay more than the order's subtotal), on the command line and in a terms file.
    @Test func aNegativeOrOverFullRateIsRefusedWithWhatWasExpected() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try seedPayoutLedger(in: dir)
        let terms = try factCount("terms.set", in: dir)
        let set = ["terms", "set", "anna", "--from", "2026-10-01", "--commission"]
        let negative = try runTally(set + ["-5%"], in: dir)
        #expect(
            negative.status == 1
                && negative.stderr.contains(
                    "--commission: found '-5%', expected a rate of 0% or more, like 5%: a commission is never "
                        + "negative"),
            "\(negative.stderr)")
        let over = try runTally(set + ["120%"], in: dir)
        #expect(
            over.status == 1
                && over.stderr.contains(
                    "--commission: found '120%', expected a rate of at most 100%: a higher rate pays the creator "
                        + "more than the order's subtotal"),
            "\(over.stderr)")
        let lifetime = try runTally(
            ["terms", "set", "anna", "--from", "2026-10-01", "--lifetime-commission", "-1%"], in: dir)
        #expect(lifetime.status == 1 && lifetime.stderr.contains("expected a rate of 0% or more"), "\(lifetime.stderr)")
        let file = dir.appendingPathComponent("terms.csv")
        try """
        creator,effective_from,commission,per_order,holdback_days,min_payout
        anna,2026-10-01,-5%,,,
        bea,2026-10-01,120%,,,

        """.write(to: file, atomically: true, encoding: .utf8)
        let imported = try runTally(["import", "terms", "terms.csv"], in: dir)
        #expect(imported.status == 1)
        #expect(
            imported.stderr.contains("terms.csv:2:3: found '-5%', expected a rate of 0% or more"), "\(imported.stderr)")
        #expect(
            imported.stderr.contains("terms.csv:3:3: found '120%', expected a rate of at most 100%"),
            "\(imported.stderr)")
        #expect(try factCount("terms.set", in: dir) == terms)
    }

    /// `import undo --dry-run` states the money the undo changes, by creator and in total: the
    /// differences `roi` shows once it is done.
    @Test func anUndoDryRunStatesTheMoneyByCreator() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try examplesLedger(in: dir)
        let rows = try runTally(["imports", "--format", "csv"], in: dir).stdout.split(separator: "\n")
            .map { $0.split(separator: ",").map(String.init) }
        let latest = try #require(rows.last { $0[3] == "shopify" })[0]
        func commissions() throws -> [String: String] {
            let roi = try runTally(["roi", "--from", "2026-01-01", "--to", "2026-11-20", "--format", "csv"], in: dir)
            try #require(roi.status == 0, "\(roi.stderr)")
            var result: [String: String] = [:]
            for line in roi.stdout.split(separator: "\n").dropFirst() {
                let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                result[cells[0]] = cells[4]
            }
            return result
        }
        let before = try commissions()
        let dry = try runTally(["import", "undo", latest, "--reason", "wrong file", "--dry-run"], in: dir)
        #expect(dry.status == 0, "\(dry.stderr)")
        let out = dry.stdout.replacingOccurrences(of: ",", with: "")
        #expect(out.contains("  money as known now (the closes to come settle it; USD):"), "\(dry.stdout)")
        #expect(try runTally(["import", "undo", latest, "--reason", "wrong file"], in: dir).status == 0)
        let after = try commissions()
        var changed = 0
        for creator in Set(before.keys).union(after.keys).sorted() {
            let (b, a) = (before[creator] ?? "0.00", after[creator] ?? "0.00")
            guard b != a else { continue }
            changed += 1
            #expect(out.contains("    \(creator): commission \(b) -> \(a) ("), "\(creator): \(dry.stdout)")
        }
        #expect(changed > 0, "the latest shopify export carries commission")
        #expect(out.contains("    total: commission -"), "\(dry.stdout)")
    }

    func freshLedger() throws -> URL {
        let dir = try makeTemporaryDirectory()
        let initialized = try runTally(["init", "--currency", "USD"], in: dir)
        try #require(initialized.status == 0, "\(initialized.stderr)")
        return dir
    }

    func write(_ text: String, _ name: String, in dir: URL) throws {
        try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// A second creator id with the e-mail or the payout account of another is likely the same person
    /// twice (their payouts would be split): noted on import and by `creator add`, recorded as given.
    @Test func aCreatorWithTheEmailOrAccountOfAnotherIsNoted() throws {
        let dir = try freshLedger(); defer { try? FileManager.default.removeItem(at: dir) }
        try write(
            """
            id,name,email,payout_method,payout_account
            bea,Bea Souza,bea@example.com,paypal,bea@example.com
            bea2,Beatriz Souza,Bea@Example.com,,
            cam,Cam,cam@example.com,wise,DE89370400440532013000

            """, "creators.csv", in: dir)
        let first = try runTally(["import", "creators", "creators.csv"], in: dir)
        #expect(first.status == 0 && first.stdout.contains("3 new"), "\(first.stderr)")
        #expect(
            first.stderr.contains(
                "creators.csv:3: bea2 has the e-mail of bea: likely the same person twice, whose payouts would be "
                    + "split between the ids; recorded as given"), "\(first.stderr)")
        #expect(!first.stderr.contains("creators.csv:4") && !first.stderr.contains("bea@example.com"))
        // The same file again: nothing new, nothing noted again.
        let again = try runTally(["import", "creators", "creators.csv"], in: dir)
        #expect(again.status == 0 && !again.stderr.contains("bea2 has"), "\(again.stderr)")
        let added = try runTally(
            [
                "creator", "add", "cam-2", "--name", "Cam", "--payout-method", "wise", "--payout-account",
                "DE89370400440532013000"
            ], in: dir)
        #expect(added.status == 0, "\(added.stderr)")
        #expect(
            added.stderr.contains("note: cam-2 has the payout account of cam: likely the same person twice"),
            "\(added.stderr)")
        let other = try runTally(["creator", "add", "dan", "--name", "Dan", "--email", "dan@example.com"], in: dir)
        #expect(other.status == 0 && other.stderr.isEmpty, "\(other.stderr)")
    }

    /// A file imported again repeats no note about rows the ledger already holds as they are: a payout
    /// account of the wrong shape is said when it comes (or changes), and the same id-less row twice
    /// is said the first time.
    @Test func notesAreNotRepeatedWhenTheSameFileIsImportedAgain() throws {
        let dir = try freshLedger(); defer { try? FileManager.default.removeItem(at: dir) }
        let header = "id,name,email,payout_method,payout_account\n"
        try write(header + "ann,Ann,,paypal,ann becker\n", "creators.csv", in: dir)
        let first = try runTally(["import", "creators", "creators.csv"], in: dir)
        #expect(first.stderr.contains("creators.csv:2: payout_account ****cker of ann"), "\(first.stderr)")
        let again = try runTally(["import", "creators", "creators.csv"], in: dir)
        #expect(again.status == 0 && !again.stderr.contains("payout_account"), "\(again.stderr)")
        try write(header + "ann,Ann B,,paypal,ann becker\n", "creators.csv", in: dir)
        let renamed = try runTally(["import", "creators", "creators.csv"], in: dir)
        #expect(renamed.stdout.contains("1 changed") && !renamed.stderr.contains("payout_account"), "\(renamed)")
        try write(header + "ann,Ann B,,paypal,ann b\n", "creators.csv", in: dir)
        let changed = try runTally(["import", "creators", "creators.csv"], in: dir)
        #expect(changed.stderr.contains("creators.csv:2: payout_account ****nn b of ann"), "\(changed.stderr)")

        try write("id,name,email\nann2,Ann,\n", "more.csv", in: dir)
        #expect(try runTally(["import", "creators", "more.csv"], in: dir).status == 0)
        let posts = "creator,date,platform,fee\nann,2026-10-01,instagram,50.00\nann,2026-10-01,instagram,50.00\n"
        try write(posts, "posts.csv", in: dir)
        let once = try runTally(["import", "posts", "posts.csv"], in: dir)
        #expect(once.status == 0 && once.stderr.contains("posts.csv:3: the same as line 2"), "\(once.stderr)")
        let twice = try runTally(["import", "posts", "posts.csv"], in: dir)
        // Said again: the second row may have been added since, meant as a second post (counted once).
        #expect(twice.status == 0 && twice.stderr.contains("posts.csv:3: the same as line 2"), "\(twice.stderr)")
    }

    /// Every near-miss column of a header is named in one message, not one per run.
    @Test func everyNearMissColumnIsNamedAtOnce() throws {
        let dir = try freshLedger(); defer { try? FileManager.default.removeItem(at: dir) }
        try write(
            "creator,effective_from,commission,per_order,holdback_days,min_payout,bonus_treshold,Retainer Fee,tier\n",
            "terms.csv", in: dir)
        let result = try runTally(["import", "terms", "terms.csv"], in: dir)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "terms.csv:1:7: found 'bonus_treshold', expected a column a terms file reads: "
                    + "did you mean bonus_threshold?"), "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "; the header has 2 more near misses: column 8 'Retainer Fee' (did you mean retainer?), "
                    + "column 9 'tier' (did you mean tiers?)"), "\(result.stderr)")
    }

    /// `--tiers` takes ',' between tiers (a shell leaves it alone; it cuts an unquoted value at ';'),
    /// and says the tiers it read.
    @Test func tiersTakeACommaAndAreEchoed() throws {
        let dir = try freshLedger(); defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try runTally(["creator", "add", "a", "--name", "A"], in: dir).status == 0)
        let set = try runTally(["terms", "set", "a", "--from", "2026-01-01", "--tiers", "25:12.5%,50:15%"], in: dir)
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdout.contains("Tiers: 25:12.5%;50:15% (2 tiers;"), "\(set.stdout)")
        let cut = try runTally(["terms", "set", "a", "--from", "2026-02-01", "--tiers", "25:12.5%"], in: dir)
        #expect(cut.stdout.contains("Tiers: 25:12.5% (1 tier; quote a list with ';'"), "\(cut.stdout)")
        let shown = try runTally(["terms", "show", "a"], in: dir)
        #expect(shown.stdout.contains("25:12.5%;50:15%"), "\(shown.stdout)")
        let grouped = try runTally(["terms", "set", "a", "--from", "2026-03-01", "--tiers", "1,000:15%"], in: dir)
        #expect(grouped.status == 1 && grouped.stderr.contains("expected a tier list"), "\(grouped.stderr)")
    }
}
