import Foundation
import LedgerCore
import LedgerStore
import TestSupport
import Testing

/// A small tea-shop ledger written directly as facts (orders cannot be imported by command here):
/// anna (PayPal) 10% + 1.00, bea (Wise, IBAN) 20%, cam (no payout details) 10% with a 50.00 minimum;
/// every holdback 0 days. August: anna 11.00 + 8.31 (CAD), bea 10.00 - 5.00, cam 3.00 carried.
func seedPayoutLedger(in dir: URL, name: String = "tally.sqlite", salt: String = "salt-1") throws {
    let path = dir.appendingPathComponent(name).path
    let key = testKey(salt: salt)
    try installKey(key)
    let ledger = try Ledger.create(
        path: path, baseCurrency: Currency(code: "USD")!, zone: .utc,
        clock: .fixed(Instant(unixSeconds: 1_780_000_000)), key: key)
    let zero = Instant(unixSeconds: 0)
    func day(_ text: String) -> Instant { Zone.utc.startOfDay(CivilDate.parse(text)!) }
    func order(
        _ source: String, _ id: String, _ created: String, _ subtotal: Int64, _ codes: [String],
        currency: String = "USD"
    ) throws -> Fact {
        let t = Timestamp.parse(created)!
        return .orderSeen(
            OrderSeen(
                key: OrderKey(source: source, orderId: id), name: source == "shopify" ? "#\(id)" : nil, createdAt: t,
                currency: Currency(code: currency)!, subtotalMinor: subtotal, discountMinor: 0, shippingMinor: 500,
                taxesMinor: 0,
                totalMinor: subtotal + 500, codes: codes, referral: nil,
                emailHash: try ledger.emailHash("customer@example.com"),
                state: OrderState(status: .paid, refundedMinor: 0, cancelledAt: nil), test: false, asOf: t.instant,
                importRef: "file"))
    }
    func terms(_ creator: String, _ ppm: Int64, perOrder: Int64? = nil, min: Int64? = nil) -> Fact {
        .termsSet(
            TermsSet(
                creator: creator, effectiveFrom: day("2026-07-01"), commission: CommissionRate(partsPerMillion: ppm),
                perOrderMinor: perOrder, holdbackDays: 0, minPayoutMinor: min))
    }
    try ledger.write { l in
        try l.append(
            .creatorRegistered(
                CreatorRegistered(
                    id: "anna", name: "Anna Becker",
                    emailHash: try l.emailHash("anna@example.com"),
                    followers: [:],
                    payout: PayoutDetails(method: "paypal", account: "anna@example.com"), at: zero)))
        try l.append(
            .creatorRegistered(
                CreatorRegistered(
                    id: "bea", name: "Beatriz Souza", emailHash: nil, followers: [:],
                    payout: PayoutDetails(method: "wise", account: "DE89 3704 0044 0532 0130 00"), at: zero)))
        try l.append(
            .creatorRegistered(
                CreatorRegistered(
                    id: "cam", name: "Cameron Blake", emailHash: nil, followers: [:], payout: nil, at: zero)))
        for (code, creator) in [("ANNA15", "anna"), ("BEA10", "bea"), ("CAM5", "cam")] {
            try l.append(
                .codeAssigned(CodeAssigned(code: code, creator: creator, validFrom: day("2026-07-01"), validUntil: nil))
            )
        }
        try l.append(.houseCodeDeclared(HouseCodeDeclared(code: "WELCOME10", at: zero)))
        try l.append(terms("anna", 100_000, perOrder: 100))
        try l.append(terms("bea", 200_000))
        try l.append(terms("cam", 100_000, min: 5_000))
        try l.append(
            .fxRateSet(
                FXRateSet(
                    date: CivilDate.parse("2026-08-01")!, effectiveAt: day("2026-08-01"),
                    currency: Currency(code: "CAD")!, rate: FXRate(scaled: 7_312_000_000))))
        try l.append(try order("shopify", "1001", "2026-08-10T10:00:00Z", 10_000, ["welcome10", "anna15"]))
        try l.append(try order("shopify", "1002", "2026-08-12T10:00:00Z", 5_000, ["BEA10"]))
        try l.append(try order("shopify", "1003", "2026-08-15T10:00:00Z", 10_000, ["ANNA15"], currency: "CAD"))
        try l.append(try order("shopify", "1004", "2026-08-20T10:00:00Z", 3_000, ["CAM5"]))
        try l.append(try order("shopify", "1005", "2026-08-21T10:00:00Z", 4_000, ["Mystery"]))
        try l.append(try order("woocommerce", "1001", "2026-08-22T10:00:00Z", 2_000, ["MYSTERY"]))
        try l.append(
            .adjustmentRecorded(
                AdjustmentRecorded(
                    id: "A1", creator: "bea", date: CivilDate.parse("2026-08-25")!, effectiveAt: day("2026-08-25"),
                    amountMinor: -500, reason: "sample")))
    }
}

/// September's facts: 1001 refunded in full (a clawback for anna), a 100.00 post for cam.
func addSeptember(in dir: URL, name: String = "tally.sqlite") throws {
    let ledger = try Ledger.open(
        path: dir.appendingPathComponent(name).path, clock: .fixed(Instant(unixSeconds: 1_790_000_000)))
    let day = Zone.utc.startOfDay(CivilDate.parse("2026-09-05")!)
    try ledger.write { l in
        try l.append(
            .orderChanged(
                OrderChanged(
                    key: OrderKey(source: "shopify", orderId: "1001"), status: .refunded, refundedMinor: 10_500,
                    effectiveAt: day, asOf: day, importRef: "file2")))
        try l.append(
            .postPublished(
                PostPublished(
                    id: "P1", creator: "cam", date: CivilDate.parse("2026-09-03")!, effectiveAt: day,
                    platform: "youtube",
                    feeMinor: 10_000, url: nil, impressions: nil, engagements: nil)))
    }
}

@Suite("payout commands end to end")
struct PayoutCommandTests {
    /// A month no order export reaches past: its preview and close name each source's newest as-of
    /// (orders and refunds after them are not known); a month an export reaches past says nothing.
    @Test func aMonthNoExportReachesPastIsNamedWithTheNewestExports() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try examplesLedger(in: dir, closing: ["2026-07", "2026-08", "2026-09"])
        let october = try runTally(["payout", "close", "--month", "2026-10"], in: dir)
        #expect(october.status == 0 && !october.stderr.contains("no order export"), "\(october.stderr)")
        let expected =
            "no order export reaches past the end of 2026-11: the newest are orders as of 2026-10-31T23:59:59-04:00, "
            + "shopify as of 2026-11-02T08:53:48-05:00, woocommerce as of 2026-10-30T19:08:14-04:00"
        let preview = try runTally(["payout", "preview", "--month", "2026-11"], in: dir)
        #expect(preview.status == 0 && preview.stderr.contains(expected), "\(preview.stderr)")
        let close = try runTally(
            ["payout", "close", "--month", "2026-11"], in: dir, environment: ["TALLY_NOW": "2026-12-02T12:00:00Z"])
        #expect(close.status == 0 && close.stderr.contains(expected), "\(close.stderr)")
    }

    static let augustCSV = """
        month,creator,currency,carried_in,commissions,clawbacks,fees,adjustments,balance,payout,carried_out,\
        name,paid_on,method,reference
        2026-08,anna,USD,0.00,19.31,0.00,0.00,0.00,19.31,19.31,0.00,Anna Becker,,,
        2026-08,bea,USD,0.00,10.00,0.00,0.00,-5.00,5.00,5.00,0.00,Beatriz Souza,,,
        2026-08,cam,USD,0.00,3.00,0.00,0.00,0.00,3.00,0.00,3.00,Cameron Blake,,,

        """

    static let statementHeader = "month,creator,kind,ref,date,amount,order_name,base,rate,per_order,change\n"

    @Test func previewCloseShowAndTheRefusals() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try seedPayoutLedger(in: dir)
        let preview = try runTally(["payout", "preview", "--month", "2026-08", "--format", "csv"], in: dir)
        #expect(preview.status == 0, "\(preview.stderr)")
        #expect(preview.stdout == PayoutCommandTests.augustCSV)
        let notClosed = try runTally(["payout", "show", "--month", "2026-08"], in: dir)
        #expect(notClosed.status == 1)
        #expect(notClosed.stderr.contains("2026-08 is not closed"))
        let close = try runTally(["payout", "close", "--month", "2026-08"], in: dir)
        #expect(close.status == 0, "\(close.stderr)")
        let closeLines = close.stdout.split(separator: "\n").map(String.init)
        #expect(closeLines.first == "Closed 2026-08: 3 statements, 2 payouts totalling 24.31 USD.")
        // The head after the close is the chain's head that verify reports: the anchor to write down.
        let verifyHead = try runTally(["verify"], in: dir).stdout.split(separator: "\n").last.map(String.init)
        #expect(closeLines.count == 2 && closeLines.last == verifyHead, "\(close.stdout)")
        #expect(verifyHead?.hasPrefix("head: ") == true)
        #expect(
            try runTally(["payout", "show", "--month", "2026-08", "--format", "csv"], in: dir).stdout
                == PayoutCommandTests.augustCSV)
        let again = try runTally(["payout", "close", "--month", "2026-08"], in: dir)
        #expect(again.status == 1)
        #expect(again.stderr.contains("2026-08 is already closed"))
        let skip = try runTally(["payout", "close", "--month", "2026-10"], in: dir)
        #expect(skip.status == 1)
        #expect(skip.stderr.contains("close 2026-09 first"))
        let early = try runTally(
            ["payout", "close", "--month", "2026-09"], in: dir, environment: ["TALLY_NOW": "2026-09-30T23:59:59Z"])
        #expect(early.status == 1)
        #expect(early.stderr.contains("2026-09 has not ended yet"))
        let table = try runTally(["payout", "show", "--month", "2026-08"], in: dir)
        #expect(table.stdout.contains("total"))
        #expect(table.stdout.contains("24.31"))
        let json = try runTally(["payout", "show", "--month", "2026-08", "--format", "json"], in: dir)
        #expect(
            json.stdout.contains(
                "{\"month\": \"2026-08\", \"creator\": \"anna\", "
                    + "\"currency\": \"USD\", \"carried_in\": 0.00, \"commissions\": 19.31,"))
        #expect(try runTally(["payout", "preview", "--month", "2026-13"], in: dir).status == 2)
        #expect(try runTally(["verify"], in: dir).status == 0)
    }

    @Test func septemberClawsBackTheRefundAndCarriesTheDebt() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try seedPayoutLedger(in: dir)
        #expect(try runTally(["payout", "close", "--month", "2026-08"], in: dir).status == 0)
        try addSeptember(in: dir)
        #expect(try runTally(["payout", "close", "--month", "2026-09"], in: dir).status == 0)
        let show = try runTally(["payout", "show", "--month", "2026-09", "--format", "csv"], in: dir)
        #expect(
            show.stdout == """
                month,creator,currency,carried_in,commissions,clawbacks,fees,adjustments,balance,payout,carried_out,\
                name,paid_on,method,reference
                2026-09,anna,USD,0.00,0.00,11.00,0.00,0.00,-11.00,0.00,-11.00,Anna Becker,,,
                2026-09,cam,USD,3.00,0.00,0.00,100.00,0.00,103.00,103.00,0.00,Cameron Blake,,,

                """)
        let statement = try runTally(["statement", "anna", "--month", "2026-09", "--format", "csv"], in: dir)
        #expect(
            statement.stdout == Self.statementHeader
                + "2026-09,anna,clawback,shopify:1001,2026-08-10,-11.00,#1001,0.00,10%,0.00,refund\n")
        let explain = try runTally(["explain", "shopify:1001"], in: dir)
        #expect(explain.status == 0, "\(explain.stderr)")
        #expect(explain.stdout.contains("code 1 WELCOME10: a house code: skipped"))
        #expect(explain.stdout.contains("code 2 ANNA15: assigned to anna at that time: matched"))
        #expect(explain.stdout.contains("2026-08 anna: commission 11.00 USD"))
        #expect(explain.stdout.contains("2026-09 anna: clawback -11.00 USD"))
        #expect(try runTally(["verify"], in: dir).status == 0)
        #expect(try runTally(["rebuild"], in: dir).status == 0)
        #expect(try runTally(["verify"], in: dir).status == 0)
    }

    @Test func statementListsTheLinesOfClosedAndOpenMonths() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try seedPayoutLedger(in: dir)
        let open = try runTally(["statement", "anna", "--month", "2026-08", "--format", "csv"], in: dir)
        #expect(open.status == 0)
        #expect(open.stderr.contains("2026-08 is not closed"))
        let expected =
            Self.statementHeader
            + "2026-08,anna,commission,shopify:1001,2026-08-10,11.00,#1001,100.00,10%,1.00,\n"
            + "2026-08,anna,commission,shopify:1003,2026-08-15,8.31,#1003,73.12,10%,1.00,\n"
        #expect(open.stdout == expected)
        #expect(try runTally(["payout", "close", "--month", "2026-08"], in: dir).status == 0)
        let closed = try runTally(["statement", "anna", "--month", "2026-08", "--format", "csv"], in: dir)
        #expect(closed.stdout == expected)
        #expect(closed.stderr.isEmpty)
        let bea = try runTally(["statement", "bea", "--month", "2026-08", "--format", "csv"], in: dir)
        #expect(
            bea.stdout == Self.statementHeader
                + "2026-08,bea,commission,shopify:1002,2026-08-12,10.00,#1002,50.00,20%,0.00,\n"
                + "2026-08,bea,adjustment,A1,2026-08-25,-5.00,,,,,\n")
        let unknown = try runTally(["statement", "zoe", "--month", "2026-08"], in: dir)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("unknown creator 'zoe'"))
    }

    @Test func paymentFilesAndMarkPaid() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try seedPayoutLedger(in: dir)
        // not closed
        #expect(try runTally(["payout", "export", "--month", "2026-08", "--to", "generic"], in: dir).status == 1)
        #expect(try runTally(["payout", "close", "--month", "2026-08"], in: dir).status == 0)
        let generic = try runTally(["payout", "export", "--month", "2026-08", "--to", "generic"], in: dir)
        #expect(
            generic.stdout == """
                creator,name,currency,amount,month,reference
                anna,Anna Becker,USD,19.31,2026-08,TALLY-2026-08-anna
                bea,Beatriz Souza,USD,5.00,2026-08,TALLY-2026-08-bea

                """)
        // The generic file lists both payouts: a second file leaves them out unless told otherwise.
        let twice = try runTally(["payout", "export", "--month", "2026-08", "--to", "paypal"], in: dir)
        #expect(twice.status == 1 && twice.stdout.isEmpty, "\(twice.stdout)")
        #expect(twice.stderr.contains("nothing to put in a paypal file for 2026-08: every payout is left out"))
        #expect(twice.stderr.contains("already in the generic file written to standard output"))
        // A look at the payouts that records nothing is named (the walkthrough once used stdout for that).
        #expect(
            twice.stderr.contains(
                "without recording an export (as an export to standard output is): "
                    + "tally payout show --month 2026-08"), "\(twice.stderr)")
        let paypal = try runTally(
            ["payout", "export", "--month", "2026-08", "--to", "paypal", "--include-exported"],
            in: dir)
        #expect(paypal.status == 0)
        #expect(paypal.stdout == "anna@example.com,19.31,USD,TALLY-2026-08-anna,Creator payout 2026-08,PAYPAL\n")
        #expect(paypal.stderr.contains("paid by wise: bea"), "\(paypal.stderr)")
        let wise = try runTally(
            [
                "payout", "export", "--month", "2026-08", "--to", "wise", "--output", "wise.csv",
                "--include-exported"
            ], in: dir)
        #expect(wise.status == 0, "\(wise.stderr)")
        #expect(wise.stdout == "Wrote 1 payout totalling 5.00 USD to wise.csv.\n")
        #expect(
            try String(contentsOf: dir.appendingPathComponent("wise.csv"), encoding: .utf8) == """
                name,recipientEmail,paymentReference,receiverType,amountCurrency,amount,\
                sourceCurrency,targetCurrency,IBAN
                Beatriz Souza,,TALLY-2026-08-bea,PERSON,target,5.00,USD,USD,DE89370400440532013000

                """)
        // September: cam has a payout and no payout details: an error, nothing written.
        try addSeptember(in: dir)
        #expect(try runTally(["payout", "close", "--month", "2026-09"], in: dir).status == 0)
        let missing = try runTally(
            ["payout", "export", "--month", "2026-09", "--to", "paypal", "--output", "sep.csv"], in: dir)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no payout details: cam"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("sep.csv").path))

        let paid = try runTally(
            ["payout", "mark-paid", "--month", "2026-08", "--creator", "anna", "--reference", "PP-123"], in: dir)
        #expect(paid.status == 0, "\(paid.stderr)")
        #expect(paid.stdout.contains("Marked the 2026-08 payout of 19.31 USD to anna paid"))
        let repeated = try runTally(
            ["payout", "mark-paid", "--month", "2026-08", "--creator", "anna", "--reference", "PP-123"], in: dir)
        #expect(repeated.status == 0)
        #expect(repeated.stdout.contains("Already marked paid"))
        let different = try runTally(
            ["payout", "mark-paid", "--month", "2026-08", "--creator", "anna", "--reference", "PP-999"], in: dir)
        #expect(different.status == 1)
        #expect(different.stderr.contains("with reference 'PP-123', not 'PP-999'"), "\(different.stderr)")
        let nothing = try runTally(
            ["payout", "mark-paid", "--month", "2026-08", "--creator", "cam", "--reference", "X"], in: dir)
        #expect(nothing.status == 1)
        #expect(nothing.stderr.contains("cam has no payout for 2026-08: their balance of "), "\(nothing.stderr)")
        #expect(nothing.stderr.contains("is below their minimum payout of 50.00 USD and is carried to 2026-09"))
        let typo = try runTally(
            ["payout", "mark-paid", "--month", "2026-08", "--creator", "Anna", "--reference", "X"],
            in: dir)
        #expect(typo.status == 1)
        #expect(
            typo.stderr.contains("unknown creator 'Anna': expected a registered creator id (did you mean 'anna'?)"),
            "\(typo.stderr)")
        let log = try runTally(["log", "--format", "json"], in: dir)
        #expect(log.stdout.components(separatedBy: "\"type\":\"payout.paid\"").count == 2)
    }

    /// An existing --output file is named as recorded in the ledger or not; a recorded file missing
    /// at its name (an export killed between its commit and the rename) is said by `payout show`
    /// and by the next export, with the way to write it again.
    @Test func anExistingOrMissingPaymentFileIsNamedForWhatTheLedgerKnows() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try seedPayoutLedger(in: dir)
        #expect(try runTally(["payout", "close", "--month", "2026-08"], in: dir).status == 0)
        let export = ["payout", "export", "--month", "2026-08", "--to", "generic", "--output", "pay.csv"]
        try "left by hand\n".write(to: dir.appendingPathComponent("pay.csv"), atomically: true, encoding: .utf8)
        let stranger = try runTally(export, in: dir)
        #expect(stranger.status == 1)
        #expect(
            stranger.stderr.contains("pay.csv exists: no payment file of this ledger was exported to that name"),
            "\(stranger.stderr)")
        try FileManager.default.removeItem(at: dir.appendingPathComponent("pay.csv"))
        #expect(try runTally(export, in: dir).status == 0)
        let again = try runTally(export + ["--include-exported"], in: dir)
        #expect(again.status == 1)
        #expect(again.stderr.contains("pay.csv exists: it is the generic file pay.csv (exported "), "\(again.stderr)")
        #expect(again.stderr.contains("for 2026-08, recorded in this ledger"), "\(again.stderr)")
        // No temporary file is left beside it.
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(!names.contains { $0.contains("tally-tmp") }, "\(names)")
        try FileManager.default.removeItem(at: dir.appendingPathComponent("pay.csv"))
        let show = try runTally(["payout", "show", "--month", "2026-08"], in: dir)
        let recorded = dir.appendingPathComponent("pay.csv").standardizedFileURL.path
        #expect(show.stderr.contains("\(recorded) is not found (an export interrupted"), "\(show.stderr)")
        #expect(show.stderr.contains("'tally payout export --month 2026-08 --to generic --include-exported'"))
        let next = try runTally(
            ["payout", "export", "--month", "2026-08", "--to", "generic", "--output", "p2.csv"],
            in: dir)
        #expect(next.status == 1)
        #expect(next.stderr.contains("\(recorded) is not found"), "\(next.stderr)")
    }

    /// A payment file is recorded with its absolute path: seen from another folder (a colleague's,
    /// a cron job's) it is found, and shown relative to the folder it lies under. `--force` does not
    /// replace a recorded payment file with one that leaves its payouts out.
    @Test func aPaymentFileIsCheckedFromAnyFolderAndNotReplacedByAnother() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try seedPayoutLedger(in: dir)
        #expect(try runTally(["payout", "close", "--month", "2026-08"], in: dir).status == 0)
        let sub = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        let ledger = ["--ledger", dir.appendingPathComponent("tally.sqlite").path]
        let export = ["payout", "export", "--month", "2026-08", "--to", "generic"]
        #expect(try runTally(export + ["--output", "out/pay.csv"], in: dir).status == 0)
        let here = try runTally(["payout", "show", "--month", "2026-08"], in: dir)
        #expect(here.stdout.contains("exported: the generic file out/pay.csv (exported "), "\(here.stdout)")
        let elsewhere = try runTally(["payout", "show", "--month", "2026-08"] + ledger, in: sub)
        #expect(!elsewhere.stderr.contains("not found"), "\(elsewhere.stderr)")
        #expect(elsewhere.stdout.contains("exported: the generic file pay.csv (exported "), "\(elsewhere.stdout)")
        let log = try runTally(["log", "--format", "json"], in: dir)
        let absolute = sub.appendingPathComponent("pay.csv").standardizedFileURL.path
        #expect(log.stdout.contains("\"file\":\"\(absolute)\""), "\(log.stdout)")

        // Another month's file forced over it would leave its payouts in no file: refused.
        let before = try String(contentsOf: sub.appendingPathComponent("pay.csv"), encoding: .utf8)
        #expect(try runTally(["payout", "close", "--month", "2026-09"], in: dir).status == 0)
        let september = ["payout", "export", "--month", "2026-09", "--to", "generic", "--output", "pay.csv"]
        let forced = try runTally(september + ["--force"] + ledger, in: sub)
        #expect(forced.status == 1, "\(forced.stdout)")
        #expect(
            forced.stderr.contains("pay.csv is the generic file pay.csv (exported ")
                && forced.stderr.contains("payouts in no file"),
            "\(forced.stderr)")
        #expect(try String(contentsOf: sub.appendingPathComponent("pay.csv"), encoding: .utf8) == before)
        // The same payouts written again into it (--include-exported) may replace it.
        let again = try runTally(export + ["--output", "pay.csv", "--force", "--include-exported"] + ledger, in: sub)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try runTally(["verify"], in: dir).status == 0)
    }

    @Test func explainFindsOrdersByIdAndName() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try seedPayoutLedger(in: dir)
        let ambiguous = try runTally(["explain", "1001"], in: dir)
        #expect(ambiguous.status == 1)
        #expect(ambiguous.stderr.contains("'1001' is ambiguous: it matches shopify:1001, woocommerce:1001"))
        let byName = try runTally(["explain", "#1003"], in: dir)
        #expect(try runTally(["explain", "#1001"], in: dir).stdout.contains("Order shopify:1001 (#1001)"))
        #expect(byName.status == 0)
        #expect(byName.stdout.contains("Order shopify:1003 (#1003)"))
        #expect(byName.stdout.contains("Exchange rate 0.7312 USD per CAD, dated 2026-08-01: subtotal 73.12 USD"))
        #expect(byName.stdout.contains("commission 10%, per order 1.00 USD, holdback 0 days"))
        #expect(byName.stdout.contains("10% of the base = 7.31 USD; fixed per order 1.00 USD; total 8.31 USD"))
        #expect(byName.stdout.contains("none yet"))
        let unattributed = try runTally(["explain", "woocommerce:1001"], in: dir)
        #expect(unattributed.stdout.contains("code 1 MYSTERY: never assigned: unknown, skipped"))
        #expect(unattributed.stdout.contains("=> unattributed"))
        #expect(try runTally(["explain", "9999"], in: dir).status == 1)
    }

    @Test func unknownCodes() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try seedPayoutLedger(in: dir)
        let csv = try runTally(["codes", "unknown", "--format", "csv"], in: dir)
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout == "code,orders,first_seen,last_seen,revenue\nMYSTERY,2,2026-08-21,2026-08-22,60.00\n")
    }

    @Test func anAssignmentWithoutFromSaysWhichEarlierOrdersStayUnattributed() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try seedPayoutLedger(in: dir)
        let assign = try runTally(["code", "assign", "mystery", "--creator", "anna"], in: dir)
        #expect(assign.status == 0, "\(assign.stderr)")
        #expect(
            assign.stderr.contains(
                "2 earlier orders carry MYSTERY (the first on 2026-08-21) and they stay unattributed"))
        #expect(assign.stderr.contains("tally code assign MYSTERY --creator anna --from 2026-08-21"))
        // Assigned only after its orders: still a code that paid nobody.
        let csv = try runTally(["codes", "unknown", "--format", "csv"], in: dir)
        #expect(csv.stdout == "code,orders,first_seen,last_seen,revenue\nMYSTERY,2,2026-08-21,2026-08-22,60.00\n")
        let cover = try runTally(["code", "assign", "MYSTERY", "--creator", "anna", "--from", "2026-08-21"], in: dir)
        #expect(cover.status == 0 && !cover.stderr.contains("earlier order"), "\(cover.stderr)")
        let none = try runTally(["codes", "unknown", "--format", "csv"], in: dir)
        #expect(none.stdout == "code,orders,first_seen,last_seen,revenue\n")
        let referrals = try runTally(["referrals", "unknown", "--format", "csv"], in: dir)
        #expect(referrals.status == 0 && referrals.stdout == "value,orders,first_seen,last_seen,revenue\n")
    }

    @Test func closingTheSameFactsInAFreshLedgerIsByteIdentical() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        var outputs: [String] = []
        for (name, salt) in [("a.sqlite", "salt-a"), ("b.sqlite", "salt-b")] {
            try seedPayoutLedger(in: dir, name: name, salt: salt)
            #expect(try runTally(["payout", "close", "--month", "2026-08", "--ledger", name], in: dir).status == 0)
            try addSeptember(in: dir, name: name)
            #expect(try runTally(["payout", "close", "--month", "2026-09", "--ledger", name], in: dir).status == 0)
            var text = ""
            for month in ["2026-08", "2026-09"] {
                text += try runTally(["payout", "show", "--month", month, "--format", "csv", "--ledger", name], in: dir)
                    .stdout
                text += try runTally(
                    ["statement", "anna", "--month", month, "--format", "csv", "--ledger", name], in: dir
                ).stdout
            }
            outputs.append(text)
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0].contains("2026-09,cam,USD,3.00,0.00,0.00,100.00,0.00,103.00,103.00,0.00"))
    }
}
