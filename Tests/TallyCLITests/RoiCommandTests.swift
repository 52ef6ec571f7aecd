import Foundation
import TestSupport
import Testing

/// A small shop whose ROI figures were worked out by hand (see the comments).
@Suite("tally roi, end to end")
struct RoiCommandTests {
    static let files: [String: String] = [
        "creators.csv": """
        id,name,email,instagram,tiktok
        anna,Anna,anna@example.com,48200,12900
        mo,Mo,mo@example.com,,2340000
        kate,Kate,,740,

        """,
        "codes.csv": "code,creator,valid_from,valid_until\nANNA10,anna,2026-01-01,\nMO5,mo,2026-01-01,\n",
        "terms.csv": "creator,effective_from,commission,per_order,holdback_days,min_payout\nanna,"
            + "2026-01-01,10%,,30,\nmo,2026-01-01,5%,1.00,30,\n",
        "posts.csv": """
        id,creator,date,platform,fee,url,impressions,engagements
        P1,anna,2026-09-02,instagram,200.00,,40000,2410
        P2,mo,2026-09-05,tiktok,1500.00,,1000000,
        P3,kate,2026-09-10,instagram,50.00,,,

        """,
        "gifts.csv": "id,creator,date,value,note\nG1,kate,2026-09-03,80.00,tea set\n",
        "adjustments.csv": "id,creator,date,amount,reason\nA1,anna,2026-09-20,-25.00,sample not returned\n",
        "fx.csv": "date,currency,rate\n2026-09-01,CAD,0.75\n",
        // O1 anna: net 90.00, commission 9.00, discount 10.00.
        // O2 anna: refunded base round(20 * 45 / 50) = 18.00, net 27.00, commission 2.70, discount 5.00.
        // O3 anna: fully refunded: payable, net 0, commission 0, no conversion.
        // O4 pending, O7 cancelled, O8 test, O9 out of range: left out.
        // O5 mo: CAD 100.00 at 0.75 = 75.00 USD, commission 5% = 3.75 + 1.00 per order = 4.75.
        // O6 mo: self-referral (mo's own e-mail): net 60.00, commission 0, discount 6.00.
        "orders.csv": """
        order_id,created_at,currency,subtotal,discount,shipping,taxes,total,\
        codes,referral,email,financial_status,refunded,cancelled_at,test
        O1,2026-09-03T10:00:00Z,USD,90.00,10.00,5.00,5.00,100.00,anna10,,c1@example.com,paid,0.00,,false
        O2,2026-09-04T10:00:00Z,USD,45.00,5.00,0.00,5.00,50.00,ANNA10,,c2@example.com,partially_refunded,20.00,,false
        O3,2026-09-05T10:00:00Z,USD,40.00,0.00,0.00,0.00,40.00,ANNA10,,c3@example.com,refunded,40.00,,false
        O4,2026-09-06T10:00:00Z,USD,30.00,3.00,0.00,0.00,30.00,ANNA10,,c4@example.com,pending,0.00,,false
        O5,2026-09-07T10:00:00Z,CAD,100.00,0.00,0.00,0.00,100.00,MO5,,c5@example.com,paid,0.00,,false
        O6,2026-09-08T10:00:00Z,USD,60.00,6.00,0.00,0.00,60.00,MO5,,Mo@Example.com,paid,0.00,,false
        O7,2026-09-09T10:00:00Z,USD,25.00,0.00,0.00,0.00,25.00,ANNA10,,c7@example.com,\
        paid,0.00,2026-09-10T00:00:00Z,false
        O8,2026-09-09T11:00:00Z,USD,99.00,0.00,0.00,0.00,99.00,ANNA10,,c8@example.com,paid,0.00,,true
        O9,2026-10-01T10:00:00Z,USD,70.00,0.00,0.00,0.00,70.00,ANNA10,,c9@example.com,paid,0.00,,false

        """
    ]

    func shop() throws -> URL {
        let dir = try makeTemporaryDirectory()
        for (name, text) in Self.files { try write(text, to: name, in: dir) }
        #expect(try runTally(["init", "--currency", "USD", "--timezone", "UTC"], in: dir).status == 0)
        for kind in ["creators", "codes", "terms", "posts", "gifts", "adjustments", "fx"] {
            let r = try runTally(["import", kind, "\(kind).csv"], in: dir)
            #expect(r.status == 0, "\(kind): \(r.stderr)")
        }
        let r = try runTally(["import", "orders", "orders.csv"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        return dir
    }

    @Test func byCreatorIsHandChecked() throws {
        let dir = try shop(); defer { try? FileManager.default.removeItem(at: dir) }
        let r = try runTally(["roi", "--from", "2026-09-01", "--to", "2026-09-30", "--format", "csv"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        // anna: total 11.70 + 200.00 - 25.00 = 186.70; per conversion 93.35; roas 117 / 186.70 = 0.6267;
        //   effective rate 186.70 / 117 = 1.5957.
        // kate: fees and a gift, no conversions: per-conversion figures and effective rate undefined.
        // mo: total 1504.75; per conversion 752.375 -> 752.38 (half to even); roas 0.0897; rate 11.1463.
        #expect(
            r.stdout == """
                creator,tier,conversions,net_revenue,commission_cost,fee_cost,gift_cost,adjustment_cost,\
                total_cost,cost_per_conversion,fee_per_conversion,roas,effective_rate,discount_given
                anna,micro,2,117.00,11.70,200.00,0.00,-25.00,186.70,93.35,100.00,0.6267,1.5957,15.00
                kate,nano,0,0.00,0.00,50.00,80.00,0.00,130.00,,,0.0000,,0.00
                mo,mega,2,135.00,4.75,1500.00,0.00,0.00,1504.75,752.38,750.00,0.0897,11.1463,6.00

                """)
    }

    @Test func byTierAndComparedWithAPureCommission() throws {
        let dir = try shop(); defer { try? FileManager.default.removeItem(at: dir) }
        let tiers = try runTally(
            ["roi", "--from", "2026-09-01", "--to", "2026-09-30", "--by", "tier", "--format", "csv"], in: dir)
        #expect(
            tiers.stdout.split(separator: "\n").map(String.init) == [
                "tier,conversions,net_revenue,commission_cost,fee_cost,gift_cost,adjustment_cost,"
                    + "total_cost,cost_per_conversion,fee_per_conversion,roas,effective_rate,"
                    + "discount_given",
                "nano,0,0.00,0.00,50.00,80.00,0.00,130.00,,,0.0000,,0.00",
                "micro,2,117.00,11.70,200.00,0.00,-25.00,186.70,93.35,100.00,0.6267,1.5957,15.00",
                "mega,2,135.00,4.75,1500.00,0.00,0.00,1504.75,752.38,750.00,0.0897,11.1463,6.00"
            ])
        // At a pure 10%: anna 9.00 + 2.70 + 0 = 11.70; mo 7.50 (the self-referral earns nothing); kate 0.
        let compare = try runTally(
            ["roi", "--from", "2026-09-01", "--to", "2026-09-30", "--compare-commission", "10%", "--format", "csv"],
            in: dir)
        let lines = compare.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0].hasSuffix(",discount_given,commission_at_rate,cost_vs_commission"))
        #expect(lines[1].hasSuffix(",15.00,11.70,175.00"))
        #expect(lines[2].hasSuffix(",0.00,0.00,130.00"))
        #expect(lines[3].hasSuffix(",6.00,7.50,1497.25"))
    }

    @Test func jsonAndTableForms() throws {
        let dir = try shop(); defer { try? FileManager.default.removeItem(at: dir) }
        let json = try runTally(["roi", "--from", "2026-09-01", "--to", "2026-09-30", "--format", "json"], in: dir)
        #expect(json.stdout.contains(#"{"creator": "kate", "tier": "nano", "conversions": 0, "net_revenue": 0.00"#))
        #expect(
            json.stdout.contains(
                #""cost_per_conversion": null, "fee_per_conversion": null, "roas": 0.0000, "effective_rate": null"#))
        let table = try runTally(["roi", "--from", "2026-09-01", "--to", "2026-09-30", "--reach"], in: dir)
        let last = table.stdout.split(separator: "\n").last.map(String.init) ?? ""
        // Totals: 4 conversions, 252.00 revenue, 1,821.45 cost; CPM over posts with impressions:
        // (200 + 1500) / 1,040,000 * 1000 = 1.63; engagement 2410 / 48200 = 0.0500.
        #expect(last.hasPrefix("total"))
        #expect(last.contains("1,821.45"))
        #expect(last.contains("1,040,000"))
        #expect(last.contains("1.63"))
        #expect(last.hasSuffix("0.0500"))
    }

    @Test func platformFiguresAddUpToTheCreators() throws {
        let dir = try shop(); defer { try? FileManager.default.removeItem(at: dir) }
        let r = try runTally(
            ["roi", "--from", "2026-09-01", "--to", "2026-09-30", "--by", "platform", "--format", "csv"], in: dir)
        #expect(
            r.stdout.split(separator: "\n").map(String.init) == [
                "platform,conversions,net_revenue,commission_cost,fee_cost,gift_cost,adjustment_cost,"
                    + "total_cost,cost_per_conversion,fee_per_conversion,roas,effective_rate,"
                    + "discount_given",
                "instagram,2,117.00,11.70,250.00,80.00,-25.00,316.70,158.35,125.00,0.3694,2.7068,15.00",
                "tiktok,2,135.00,4.75,1500.00,0.00,0.00,1504.75,752.38,750.00,0.0897,11.1463,6.00"
            ])
    }

    @Test func badRangesAreUsageErrors() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try runTally(["init", "--currency", "USD"], in: dir).status == 0)
        let backwards = try runTally(["roi", "--from", "2026-09-30", "--to", "2026-09-01"], in: dir)
        #expect(backwards.status == 2)
        #expect(backwards.stderr.contains("is after --to"))
        #expect(try runTally(["roi", "--from", "2026-09", "--to", "2026-09-30"], in: dir).status == 2)
        #expect(
            try runTally(["roi", "--from", "2026-09-01", "--to", "2026-09-30", "--compare-commission", "10"], in: dir)
                .status == 2)
    }
}
