import Foundation
import TestSupport
import Testing

@Suite("payout rows (cli.md)")
struct PayoutRowTests {
    /// A +5.00 and a -5.00 adjustment in one month: every figure is 0, so no row is printed, but the
    /// statement (with its two lines) is frozen so that the lines are not settled again.
    @Test func aCreatorWhoseFiguresAreAllZeroHasNoRow() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try write("id,name,email\nc,Cleo,\nd,Dan,\n", to: "creators.csv", in: dir)
        try write(
            "id,creator,date,amount,reason\nx1,c,2026-02-03,5.00,bonus\nx2,c,2026-02-04,"
                + "-5.00,undo\nx3,d,2026-02-05,7.00,bonus\n",
            to: "adjustments.csv", in: dir)
        let env = ["TALLY_NOW": "2027-01-01T00:00:00Z"]
        #expect(try runTally(["init", "--currency", "USD"], in: dir, environment: env).status == 0)
        #expect(try runTally(["import", "creators", "creators.csv"], in: dir, environment: env).status == 0)
        #expect(try runTally(["import", "adjustments", "adjustments.csv"], in: dir, environment: env).status == 0)
        let header =
            "month,creator,currency,carried_in,commissions,clawbacks,fees,adjustments,balance,payout,"
            + "carried_out,name,paid_on,method,reference\n"
        let expected = header + "2026-02,d,USD,0.00,0.00,0.00,0.00,7.00,7.00,7.00,0.00,Dan,,,\n"
        #expect(
            try runTally(["payout", "preview", "--month", "2026-02", "--format", "csv"], in: dir, environment: env)
                .stdout == expected)
        #expect(try runTally(["payout", "close", "--month", "2026-02"], in: dir, environment: env).status == 0)
        #expect(
            try runTally(["payout", "show", "--month", "2026-02", "--format", "csv"], in: dir, environment: env).stdout
                == expected)
        let lines = try runTally(["statement", "c", "--month", "2026-02", "--format", "csv"], in: dir, environment: env)
        #expect(lines.stdout.contains("2026-02,c,adjustment,x1,2026-02-03,5.00"))
        #expect(lines.stdout.contains("2026-02,c,adjustment,x2,2026-02-04,-5.00"))
    }
}
