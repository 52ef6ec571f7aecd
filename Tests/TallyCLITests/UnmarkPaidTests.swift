import Foundation
import TestSupport
import Testing

// A payout marked paid by mistake (wrong creator, month or reference) is taken back with
// `payout unmark-paid`: a correction fact, never an edit of the log; everything reads the payout as
// unpaid again, and it is marked paid anew with the right reference.
@Suite("payout unmark-paid")
struct UnmarkPaidTests {
    @Test func aWrongMarkIsTakenBackAndMarkedAgain() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try seedPayoutLedger(in: dir)
        #expect(try runTally(["payout", "close", "--month", "2026-08"], in: dir).status == 0)
        let wrong = try runTally(
            [
                "payout", "mark-paid", "--month", "2026-08", "--creator", "anna", "--reference", "PP-WRONG",
                "--date", "2026-09-02", "--method", "paypal"
            ], in: dir)
        try #require(wrong.status == 0, "\(wrong.stderr)")
        try addSeptember(in: dir)
        #expect(try runTally(["payout", "close", "--month", "2026-09"], in: dir).status == 0)
        let journal = try runTally(["journal", "--month", "2026-09", "--output", "books.csv"], in: dir)
        try #require(journal.status == 0, "\(journal.stderr)")

        let reason = ["--reason", "reference of another payment"]
        #expect(try runTally(["payout", "unmark-paid", "--month", "2026-08", "--creator", "anna"], in: dir).status == 2)
        let notMarked = try runTally(
            ["payout", "unmark-paid", "--month", "2026-08", "--creator", "bea"] + reason, in: dir)
        #expect(
            notMarked.status == 1
                && notMarked.stderr.contains(
                    "the 2026-08 payout to bea is not marked paid: there is no mark to take back"),
            "\(notMarked.stderr)")
        let unknown = try runTally(
            ["payout", "unmark-paid", "--month", "2026-08", "--creator", "zoe"] + reason, in: dir)
        #expect(unknown.status == 1 && unknown.stderr.contains("unknown creator 'zoe'"), "\(unknown.stderr)")
        // The payment journal is in a file written for the books: refused unless it is not booked.
        let booked = try runTally(
            ["payout", "unmark-paid", "--month", "2026-08", "--creator", "anna"] + reason, in: dir)
        #expect(booked.status == 1, "\(booked.stdout)")
        #expect(
            booked.stderr.contains("its payment journal TALLY-PAID-2026-08-anna was written for the books: csv ")
                && booked.stderr.contains("books.csv") && booked.stderr.contains("give --not-booked"),
            "\(booked.stderr)")
        #expect(try factCount("payout.unmarked", in: dir) == 0)

        let undone = try runTally(
            ["payout", "unmark-paid", "--month", "2026-08", "--creator", "anna", "--not-booked"] + reason, in: dir)
        #expect(undone.status == 0, "\(undone.stderr)")
        #expect(
            undone.stdout.hasPrefix(
                "Took back the mark of the 2026-08 payout of 19.31 USD to anna (paid on 2026-09-02 by paypal, "
                    + "reference PP-WRONG): it is unpaid again"), "\(undone.stdout)")
        #expect(undone.stderr.contains("TALLY-PAID-2026-08-anna was written for the books"), "\(undone.stderr)")
        #expect(try shownRows("2026-08", in: dir)["anna"]?.hasSuffix(",Anna Becker,,,") == true)
        let balances = try runTally(["balances", "--as-of", "2026-09-05", "--format", "csv"], in: dir)
        #expect(balances.stdout.contains("anna,Anna Becker,19.31,"), "\(balances.stdout)")
        let payments = try runTally(["payments", "--year", "2026", "--format", "csv"], in: dir)
        #expect(payments.status == 0 && !payments.stdout.contains("anna"), "\(payments.stdout)")
        let books = try runTally(["journal", "--month", "2026-09"], in: dir)
        #expect(books.status == 0 && !books.stdout.contains("TALLY-PAID-2026-08-anna"), "\(books.stdout)")
        let again = try runTally(
            ["payout", "unmark-paid", "--month", "2026-08", "--creator", "anna"] + reason, in: dir)
        #expect(again.status == 1 && again.stderr.contains("is not marked paid"), "\(again.stderr)")

        let right = try runTally(
            [
                "payout", "mark-paid", "--month", "2026-08", "--creator", "anna", "--reference", "PP-RIGHT",
                "--date", "2026-09-03", "--method", "paypal"
            ], in: dir)
        #expect(right.status == 0, "\(right.stderr)")
        #expect(try shownRows("2026-08", in: dir)["anna"]?.hasSuffix(",2026-09-03,paypal,PP-RIGHT") == true)
        #expect(try factCount("payout.unmarked", in: dir) == 1)
        #expect(try factCount("payout.paid", in: dir) == 2)
        for step in [["verify"], ["rebuild"], ["verify"]] {
            let run = try runTally(step, in: dir)
            #expect(run.status == 0, "\(step): \(run.stderr)")
        }
        #expect(try shownRows("2026-08", in: dir)["anna"]?.hasSuffix(",2026-09-03,paypal,PP-RIGHT") == true)
    }

    /// A mark taken back would let the month be reopened and closed again, paying money that left a
    /// second time: the reopen asks (--not-paid) while a mark was taken back since the close; and a
    /// mark made again with the reference taken back is noted.
    @Test func aReopenAfterATakenBackMarkAsksAndTheSameReferenceAgainIsNoted() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try seedPayoutLedger(in: dir)
        #expect(try runTally(["payout", "close", "--month", "2026-08"], in: dir).status == 0)
        let mark = ["payout", "mark-paid", "--month", "2026-08", "--creator", "anna", "--reference", "PP-1"]
        let unmark = ["payout", "unmark-paid", "--month", "2026-08", "--creator", "anna", "--reason", "wrong day"]
        try #require(try runTally(mark + ["--date", "2026-09-02"], in: dir).status == 0)
        try #require(try runTally(unmark, in: dir).status == 0)
        let again = try runTally(mark + ["--date", "2026-09-03"], in: dir)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(
            again.stderr.contains("note: anna: reference PP-1 was taken back from this payout on ")
                && again.stderr.contains("(wrong day); it is marked paid with it again"), "\(again.stderr)")
        let other = try runTally(
            ["payout", "mark-paid", "--month", "2026-08", "--creator", "bea", "--reference", "PP-2"], in: dir)
        #expect(other.status == 0 && !other.stderr.contains("taken back"), "\(other.stderr)")
        try #require(try runTally(unmark, in: dir).status == 0)
        try #require(
            try runTally(
                ["payout", "unmark-paid", "--month", "2026-08", "--creator", "bea", "--reason", "not sent"], in: dir
            ).status == 0)
        let reopen = ["payout", "reopen", "--month", "2026-08", "--reason", "figures wrong"]
        let refused = try runTally(reopen, in: dir)
        #expect(refused.status == 1, "\(refused.stdout)")
        #expect(
            refused.stderr.contains(
                "cannot reopen 2026-08 yet: the marks of 2 of its payouts were taken back since its close: anna "
                    + "(reference PP-1, taken back on ") && refused.stderr.contains(": not sent)")
                && refused.stderr.contains("if none of it left, give --not-paid"), "\(refused.stderr)")
        #expect(try factCount("month.reopened", in: dir) == 0)
        #expect(try runTally(reopen + ["--not-paid"], in: dir).status == 0)
        // Closed again: the marks taken back before the reopen belong to the close it took back.
        #expect(try runTally(["payout", "close", "--month", "2026-08"], in: dir).status == 0)
        #expect(try runTally(reopen, in: dir).status == 0)
        for step in [["verify"], ["rebuild"], ["verify"]] {
            let run = try runTally(step, in: dir)
            #expect(run.status == 0, "\(step): \(run.stderr)")
        }
    }
}
