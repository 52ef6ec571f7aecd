import Foundation
import TestSupport
import Testing

/// Section 8's worked example through the command line: plans set by `terms set` (creator a) and by
/// a terms file (creator b), orders imported, January and February closed.
@Suite("commission plans, end to end")
struct PlanCommandTests {
    static let header =
        "order_id,created_at,currency,subtotal,discount,shipping,taxes,total,codes,referral,email,"
        + "financial_status,refunded,cancelled_at,test\n"

    static func order(
        _ id: String, _ created: String, _ code: String, _ email: String,
        refunded: Bool = false
    ) -> String {
        "\(id),\(created)T10:00:00Z,USD,100.00,0,0,0,100.00,\(code),,\(email),"
            + (refunded ? "refunded,100.00,,\n" : "paid,0,,\n")
    }

    static func january(refundA1: Bool) -> String {
        header + order("a1", "2026-01-05", "ACODE", "x1@example.com", refunded: refundA1)
            + order("a2", "2026-01-06", "ACODE", "x2@example.com")
            + order("a3", "2026-01-07", "ACODE", "x3@example.com")
            + order("q1", "2026-01-10", "BCODE", "q@example.com") + order("q2", "2026-01-31", "", "q@example.com")
            + order("q4", "2026-01-12", "BCODE", "q@example.com")
    }

    @Test func theWorkedExampleOfSection8() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func run(_ arguments: [String]) throws -> String {
            let r = try runTally(arguments, in: dir)
            #expect(r.status == 0, "\(arguments): \(r.stderr)")
            return r.stdout
        }
        _ = try run(["init", "--currency", "USD", "--timezone", "UTC"])
        _ = try write("id,name,email\na,A,a@example.com\nb,B,b@example.com\n", to: "creators.csv", in: dir)
        _ = try write(
            "code,creator,valid_from,valid_until\nACODE,a,2026-01-01,\nBCODE,b,2026-01-01,\n",
            to: "codes.csv", in: dir)
        let columns =
            "creator,effective_from,commission,per_order,holdback_days,min_payout,new_customer_commission,"
            + "lifetime_months,lifetime_commission,bonus_threshold,bonus,retainer"
        _ = try write(columns + "\nb,2026-01-01,10%,,0,,30%,1,5%,2,15.00,none\n", to: "terms.csv", in: dir)
        for kind in ["creators", "codes", "terms"] { _ = try run(["import", kind, "\(kind).csv"]) }
        _ = try run([
            "terms", "set", "a", "--from", "2026-01-01", "--commission", "10%", "--holdback-days", "0",
            "--tiers", "2:20%"
        ])
        _ = try write(Self.january(refundA1: false), to: "jan.csv", in: dir)
        _ = try run(["import", "orders", "jan.csv", "--as-of", "2026-02-01"])
        _ = try run(["payout", "close", "--month", "2026-01"])
        #expect(
            try run(["payout", "show", "--month", "2026-01", "--format", "csv"]).contains(
                """
                2026-01,a,USD,0.00,40.00,0.00,0.00,0.00,40.00,40.00,0.00
                """))
        #expect(
            try run(["payout", "show", "--month", "2026-01", "--format", "csv"]).contains(
                """
                2026-01,b,USD,0.00,45.00,0.00,0.00,0.00,45.00,45.00,0.00
                """))
        _ = try write(Self.january(refundA1: true), to: "feb.csv", in: dir)
        _ = try run(["import", "orders", "feb.csv", "--as-of", "2026-02-02"])
        _ = try write(Self.header + Self.order("q3", "2026-02-28", "", "q@example.com"), to: "q3.csv", in: dir)
        _ = try run(["import", "orders", "q3.csv"])
        _ = try run(["payout", "close", "--month", "2026-02"])
        let feb = try run(["payout", "show", "--month", "2026-02", "--format", "csv"])
        #expect(feb.contains("2026-02,a,USD,0.00,0.00,20.00,0.00,0.00,-20.00,0.00,-20.00"))
        #expect(feb.contains("2026-02,b,USD,0.00,15.00,0.00,0.00,0.00,15.00,15.00,0.00"))
        let b = try run(["statement", "b", "--month", "2026-02", "--format", "csv"])
        #expect(b.contains("2026-02,b,bonus,bonus:2026-01,2026-01-31,15.00"))
        let a = try run(["statement", "a", "--month", "2026-02", "--format", "csv"])
        #expect(a.contains("2026-02,a,clawback,orders:a1,2026-01-05,-10.00"))
        #expect(a.contains("2026-02,a,clawback,orders:a3,2026-01-07,-10.00"))
        // explain: the rule that set each rate, the lifetime link, the month's bonus count.
        let q2 = try run(["explain", "q2"])
        #expect(
            q2.contains(
                "=> b, by lifetime link: the customer's first order attributed by code or referral is "
                    + "orders:q1 of 2026-01-10T10:00:00Z; linked until 2026-02-10T10:00:00Z"))
        #expect(q2.contains("Rate 5%: lifetime commission"))
        #expect(q2.contains("  plan: new customer 30%, lifetime 1 month at 5%, bonus 15.00 USD from 2 conversions\n"))
        #expect(q2.contains("Bonus of b for 2026-01: 3 conversions as known now, threshold 2: reached: 15.00 USD"))
        #expect(try run(["explain", "q1"]).contains("Rate 30%: new-customer commission"))
        #expect(
            try run(["explain", "a3"]).contains(
                "Rate 10%: no tier of 2:20% reached by position 2 (marginal tiers); position 2, "
                    + "2 conversions in its month"))
        #expect(try run(["explain", "a2"]).contains("Rate 10%: no tier of 2:20% reached by position 1"))
        #expect(try run(["explain", "q3"]).contains("=> unattributed"))
        // ROI: b's commission cost is its three orders (30.00 + 5.00 + 10.00) and January's bonus.
        let roi = try run(["roi", "--from", "2026-01-01", "--to", "2026-02-28", "--format", "csv"])
        #expect(roi.contains("\nb,nano,3,300.00,60.00,0.00,0.00,0.00,60.00,20.00,0.00,5.0000,0.2000,0.00\n"), "\(roi)")
        #expect(roi.contains("\na,nano,2,200.00,20.00,"), "\(roi)")
        // `none` clears: a's tiers end from March on.
        _ = try run(["terms", "set", "a", "--from", "2026-03-01", "--tiers", "none"])
        let shown = try run(["terms", "show", "a", "--format", "csv"])
        #expect(try shown == run(["list", "terms", "--creator", "a", "--format", "csv"]))
        let terms = try run(["list", "terms", "--format", "csv"])
        #expect(terms.contains("a,2026-01-01,10%"))
        #expect(terms.split(separator: "\n").contains { $0.hasPrefix("a,2026-03-01,") && !$0.contains("2:20%") })
    }

    @Test func planValuesAreCheckedLikeEveryOther() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try runTally(["init", "--currency", "USD"], in: dir).status == 0)
        #expect(try runTally(["creator", "add", "a", "--name", "A"], in: dir).status == 0)
        let bad = try runTally(["terms", "set", "a", "--from", "2026-01-01", "--tiers", "50:15%;25:12.5%"], in: dir)
        #expect(bad.status == 1 && bad.stderr.contains("--tiers: found '50:15%;25:12.5%', expected a tier list"))
        let header = "creator,effective_from,commission,per_order,holdback_days,min_payout,bonus\n"
        _ = try write(header + "a,2026-01-01,,,,,lots\n", to: "terms.csv", in: dir)
        let file = try runTally(["import", "terms", "terms.csv"], in: dir)
        #expect(file.status == 1 && file.stderr.contains("terms.csv:2:7"), "\(file.stderr)")
    }
}
