import Foundation
import TestSupport
import Testing

// Values each importer accepts on their own, but whose product overflows: a 10-trillion-dollar
// order (the amount limit is 10^15 minor units) converted at a rate of 922,337,203 yen per dollar.
// Found by fxConversionOverflowIsReportedNotTrapped: `tally explain` trapped ("fx conversion
// overflow"). Now every command answers; the order counts as one without a usable rate.

@Suite("hostile values through the engine")
struct HostileValueCLITests {
    @Test func fxOverflowDoesNotCrashTheEngine() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let files = [
            ("creators.csv", "id,name,email\nann,Ann,ann@example.com\n"),
            ("codes.csv", "code,creator,valid_from,valid_until\nANN,ann,2026-01-01,\n"),
            (
                "terms.csv",
                "creator,effective_from,commission,per_order,holdback_days,min_payout\nann,2026-01-01,10%,1,0,0\n"
            ),
            ("fx.csv", "date,currency,rate\n2026-01-01,USD,922337203\n")
        ]
        #expect(try runTally(["init", "--currency", "JPY"], in: dir).status == 0)
        for (name, text) in files {
            try write(text, to: name, in: dir)
            let result = try runTally(["import", String(name.dropLast(4)), name], in: dir)
            #expect(result.status == 0, "\(name): \(result.stderr)")
        }
        try write(
            """
            order_id,created_at,currency,subtotal,discount,shipping,taxes,total,\
            codes,referral,email,financial_status,refunded,cancelled_at,test
            X1,2026-02-10T10:00:00Z,USD,10000000000000.00,5.00,0.00,0.00,10000000000000.00,ANN,,,paid,0.00,,false

            """, to: "orders.csv", in: dir)
        #expect(try runTally(["import", "orders", "orders.csv"], in: dir).status == 0)
        for command in [
            ["explain", "X1"], ["payout", "preview", "--month", "2026-02"], ["payout", "close", "--month", "2026-02"],
            ["roi", "--from", "2026-02-01", "--to", "2026-02-28"], ["verify"]
        ] {
            let result = try runTally(command, in: dir)
            #expect(
                result.status == 0 || result.status == 1,
                "\(command): status \(result.status): \(result.stderr.prefix(300))")
            #expect(!result.stderr.contains("Fatal error"), "\(command): \(result.stderr.prefix(300))")
        }
    }
}
