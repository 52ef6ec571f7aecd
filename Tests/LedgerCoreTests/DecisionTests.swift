import LedgerCore
import TestSupport
import Testing

/// The decisions the commands ask the core for, without a ledger or a process.
@Suite("decisions: close order, statements, mark-paid, tiers, sources, codes")
struct DecisionTests {
    func date(_ text: String) -> CivilDate { CivilDate.parse(text)! }
    let ny = Zone(identifier: "America/New_York")!

    @Test func monthsCloseOnceInOrderAfterTheyEnd() {
        let now = at("2026-10-15T00:00:00Z")
        // The first close of a ledger may be any month that has ended.
        #expect(closeObstacles(ym("2026-08"), closedMonths: [], now: now, zone: .utc).isEmpty)
        #expect(closeObstacles(ym("2026-08"), closedMonths: [ym("2026-08")], now: now, zone: .utc) == [.closed])
        #expect(
            closeObstacles(ym("2026-07"), closedMonths: [ym("2026-08")], now: now, zone: .utc)
                == [.beforeLastClosed(lastClosed: ym("2026-08"))])
        #expect(closeObstacles(ym("2026-09"), closedMonths: [ym("2026-08")], now: now, zone: .utc).isEmpty)
        #expect(
            closeObstacles(ym("2026-10"), closedMonths: [ym("2026-08")], now: now, zone: .utc)
                == [.earlierMonthOpen(firstOpen: ym("2026-09")), .notEnded(end: day("2026-11-01"))])
        // A month ends at midnight in the ledger's zone: 04:00 UTC in New York in summer.
        let end = at("2026-09-01T04:00:00Z")
        let before = end.adding(seconds: -1)
        #expect(closeObstacles(ym("2026-08"), closedMonths: [], now: before, zone: ny) == [.notEnded(end: end)])
        #expect(closeObstacles(ym("2026-08"), closedMonths: [], now: end, zone: ny).isEmpty)
    }

    @Test func aFirstCloseNeedsFirstWhenItFoldsOrPrecedesTheFacts() {
        let now = at("2026-10-15T00:00:00Z")
        let august = EarlierMoneyFacts(orders: 2, posts: 0, adjustments: 1, earliest: at("2026-08-03T10:00:00Z"))
        #expect(
            closeObstacles(ym("2026-09"), closedMonths: [], now: now, zone: .utc, earlier: august)
                == [.foldsEarlierMonths(august, earliest: ym("2026-08"))])
        #expect(
            closeObstacles(ym("2026-09"), closedMonths: [], now: now, zone: .utc, earlier: august, first: true)
                .isEmpty)
        let firstFact = at("2026-08-03T10:00:00Z")
        #expect(
            closeObstacles(ym("2026-07"), closedMonths: [], now: now, zone: .utc, firstFact: firstFact)
                == [.beforeFirstFacts(firstFacts: ym("2026-08"))])
        #expect(closeObstacles(ym("2026-08"), closedMonths: [], now: now, zone: .utc, firstFact: firstFact).isEmpty)
        #expect(
            closeObstacles(
                ym("2026-07"), closedMonths: [], now: now, zone: .utc, firstFact: firstFact,
                first: true
            ).isEmpty)
        #expect(
            closeObstacles(ym("2026-09"), closedMonths: [ym("2026-08")], now: now, zone: .utc, first: true)
                == [.notFirst(firstClosed: ym("2026-08"))])
    }

    @Test func aPreviewRefusesOnlyMonthsThatCanNeverClose() {
        let now = at("2026-10-15T00:00:00Z")
        let obstacles = closeObstacles(ym("2026-10"), closedMonths: [ym("2026-08")], now: now, zone: .utc)
        #expect(obstacles.allSatisfy { !$0.refusesPreview })
        #expect(
            obstacles.map { $0.previewMessage(ym("2026-10")) } == [
                "2026-09 is not closed yet: this preview includes its facts, and 2026-10 can be closed only after it",
                "2026-10 has not ended yet: the figures will change"
            ])
        #expect(CloseObstacle.closed.refusesPreview)
        #expect(CloseObstacle.beforeLastClosed(lastClosed: ym("2026-08")).refusesPreview)
        #expect(
            CloseObstacle.notEnded(end: day("2026-11-01")).closeRefusal(ym("2026-10"), zone: .utc)
                == "2026-10 has not ended yet: it can be closed from 2026-11-01T00:00:00Z")
        #expect(
            CloseObstacle.earlierMonthOpen(firstOpen: ym("2026-09")).closeRefusal(ym("2026-10"), zone: .utc)
                == "close 2026-09 first: months are closed in order")
    }

    @Test func aClosedMonthShowsItsFrozenStatementAnOpenOneAPreview() {
        let closed = ClosedMonth(month: ym("2026-08"), statements: 1, payoutTotalMinor: 0)
        #expect(statementSource(ym("2026-08"), closedMonths: [closed]) == .frozen)
        #expect(statementSource(ym("2026-09"), closedMonths: [closed]) == .preview)
    }

    /// anna is owed 11.00 for August (closed), bea nothing.
    func closedAugust() -> LedgerSnapshot {
        var s = Scenario()
        s.creator("anna")
        s.creator("bea")
        s.code("ANNA", "anna", from: "2026-07-01")
        s.terms("anna", from: "2026-07-01", rate: "10%", perOrder: 100, holdbackDays: 0)
        s.order("1", created: "2026-08-03T10:00:00Z", subtotal: 10_000, codes: ["ANNA"])
        s.close("2026-08")
        return s.snapshot
    }

    @Test func aClosedMonthsPayoutIsMarkedPaidOnce() throws {
        var snapshot = closedAugust()
        let paidAt = at("2026-09-05T00:00:00Z")
        let today = date("2026-09-05")
        let mark = PaymentMark(creator: "anna", reference: "PP-1", paidOn: date("2026-09-04"))
        let results = try markPaid(month: ym("2026-08"), marks: [mark], today: today, at: paidAt, snapshot: snapshot)
        let payment = PaidPayout(
            month: ym("2026-08"), creator: "anna", amountMinor: 1_100, reference: "PP-1",
            paidOn: date("2026-09-04"), method: .other)
        #expect(results.map(\.0) == [.recorded(payment)])
        #expect(
            results.map(\.1) == [
                PayoutPaid(
                    month: ym("2026-08"), creator: "anna", amountMinor: 1_100,
                    reference: "PP-1", paidOn: date("2026-09-04"), method: .other,
                    at: paidAt)
            ])
        snapshot.payoutsPaid.append(payment)
        // The same reference again: nothing written; a different date is named, the record stays.
        let again = try markPaid(
            month: ym("2026-08"), marks: [PaymentMark(creator: "anna", reference: "PP-1")],
            today: today, at: paidAt, snapshot: snapshot)
        #expect(again.map(\.0) == [.alreadyRecorded(payment, differs: [])] && again[0].1 == nil)
        let otherDay = try markPaid(
            month: ym("2026-08"),
            marks: [PaymentMark(creator: "anna", reference: "PP-1", paidOn: today)],
            today: today, at: paidAt, snapshot: snapshot)
        #expect(otherDay.map(\.0) == [.alreadyRecorded(payment, differs: ["date 2026-09-04"])])
        func refusal(_ marks: [PaymentMark], _ month: String = "2026-08") -> [MarkProblem] {
            do {
                _ = try markPaid(month: ym(month), marks: marks, today: today, at: paidAt, snapshot: snapshot)
                return []
            } catch let refusal as MarkPaidRefusal { return refusal.problems } catch { return [] }
        }
        #expect(refusal([PaymentMark(creator: "anna", reference: "PP-2")]).map(\.field) == [.reference])
        #expect(
            refusal([PaymentMark(creator: "bea", reference: "X", line: 3)])
                == [
                    MarkProblem(
                        line: 3, field: .creator,
                        message: "bea has no payout for 2026-08: nothing was owed to them in its close")
                ])
        // An id the ledger never heard of is said to be one, with the id meant (ids compare exactly).
        #expect(
            refusal([PaymentMark(creator: "Anna", reference: "X")]).map(\.message)
                == ["unknown creator 'Anna': expected a registered creator id (did you mean 'anna'?)"])
        #expect(
            refusal([PaymentMark(creator: "nobody", reference: "X")]).map(\.message)
                == [
                    "unknown creator 'nobody': expected a registered creator id (register it first: "
                        + "tally import creators / tally creator add)"
                ])
        #expect(refusal([PaymentMark(creator: "anna", reference: "X")], "2026-09").count == 1)  // not closed
        #expect(
            refusal([PaymentMark(creator: "anna", reference: "PP-1", paidOn: date("2026-09-06"))]).map(\.field)
                == [.date])  // after today
        #expect(
            refusal([PaymentMark(creator: "anna", reference: "PP-1", paidOn: date("2026-08-31"))]).map(\.field)
                == [.date])  // before the month ended
    }

    /// A creator whose balance stayed under the minimum payout has none to mark paid: said so, with
    /// the balance, the minimum and the month it is carried to (not just "has no payout").
    @Test func aBalanceBelowTheMinimumIsSaidToBeCarried() throws {
        var s = Scenario()
        s.creator("cam")
        s.code("CAM", "cam", from: "2026-07-01")
        s.terms("cam", from: "2026-07-01", rate: "10%", holdbackDays: 0, minPayout: 5_000)
        s.order("1", created: "2026-08-03T10:00:00Z", subtotal: 10_000, codes: ["CAM"])
        s.close("2026-08")
        do {
            _ = try markPaid(
                month: ym("2026-08"), marks: [PaymentMark(creator: "cam", reference: "X")],
                today: date("2026-09-10"), at: at("2026-09-10T12:00:00Z"), snapshot: s.snapshot)
            Issue.record("marked paid")
        } catch {
            #expect(
                error.problems.map(\.message) == [
                    "cam has no payout for 2026-08: their balance of 10.00 USD is below their minimum "
                        + "payout of 50.00 USD "
                        + "and is carried to 2026-09 (see tally statement cam --month 2026-08)"
                ])
        }
    }

    @Test func aFileOfMarksIsAllOrNothingAndNamesEveryBadLine() throws {
        var s = Scenario()
        s.creator("anna", payout: PayoutDetails(method: "paypal", account: "anna@example.com"))
        s.creator("bea")
        s.code("ANNA", "anna", from: "2026-07-01")
        s.code("BEA", "bea", from: "2026-07-01")
        s.terms("anna", from: "2026-07-01", rate: "10%", holdbackDays: 0)
        s.terms("bea", from: "2026-07-01", rate: "10%", holdbackDays: 0)
        s.order("1", created: "2026-08-03T10:00:00Z", subtotal: 10_000, codes: ["ANNA"])
        s.order("2", created: "2026-08-04T10:00:00Z", subtotal: 20_000, codes: ["BEA"])
        s.close("2026-08")
        let today = date("2026-09-10")
        let marks = [
            PaymentMark(creator: "anna", reference: "A", line: 2),
            PaymentMark(creator: "cam", reference: "C", line: 3),
            PaymentMark(creator: "anna", reference: "A2", line: 4)
        ]
        #expect(
            throws: MarkPaidRefusal(problems: [
                MarkProblem(
                    line: 3, field: .creator,
                    message: "unknown creator 'cam': expected a registered creator id "
                        + "(register it first: tally import creators / tally creator add)"),
                MarkProblem(line: 4, field: .creator, message: "anna is marked twice (first on line 2)")
            ])
        ) {
            try markPaid(
                month: ym("2026-08"), marks: marks, today: today, at: at("2026-09-10T12:00:00Z"),
                snapshot: s.snapshot)
        }
        let both = try markPaid(
            month: ym("2026-08"),
            marks: [
                PaymentMark(creator: "anna", reference: "A", line: 2),
                PaymentMark(creator: "bea", reference: "B", method: .bank, line: 3)
            ],
            today: today, at: at("2026-09-10T12:00:00Z"), snapshot: s.snapshot)
        // Without --method: the creator's payout method, else other.
        #expect(both.map(\.0.payment.method) == [.paypal, .bank])
        #expect(both.map(\.0.payment.amountMinor) == [1_000, 2_000])
        #expect(both.map(\.0.payment.paidOn) == [today, today])
    }

    @Test func onlyTheLatestUnpaidCloseIsReopenedAndItsFilesOnlyWhenNotUploaded() throws {
        var snapshot = closedAugust()
        let now = at("2026-09-10T00:00:00Z")
        func refusal(_ month: String, notUploaded: Bool = false) -> String? {
            do {
                _ = try reopenMonth(ym(month), reason: "r", at: now, snapshot: snapshot, filesNotUploaded: notUploaded)
                return nil
            } catch { return error.description }
        }
        #expect(refusal("2026-07") == "2026-07 is not closed: only the latest closed month, 2026-08, can be reopened")
        #expect(refusal("2026-08") == nil)
        let file = PayoutExported(
            month: ym("2026-08"), format: "paypal", file: "pp.csv", creators: ["anna"],
            totalMinor: 1_100, at: now)
        snapshot.paymentFiles = [PaymentFileRecord(export: file, reopened: false)]
        #expect(
            refusal("2026-08")?.hasPrefix(
                "cannot reopen 2026-08 yet: payment files were written for its close: "
                    + "paypal file pp.csv (1 payout)") == true)
        let (fact, files, _) = try reopenMonth(
            ym("2026-08"), reason: "typo", at: now, snapshot: snapshot,
            filesNotUploaded: true)
        #expect(fact == MonthReopened(month: ym("2026-08"), reason: "typo", at: now) && files == [file])
        snapshot.payoutsPaid = [
            PaidPayout(
                month: ym("2026-08"), creator: "anna", amountMinor: 1_100, reference: "PP",
                paidOn: date("2026-09-02"), method: .paypal)
        ]
        #expect(
            refusal("2026-08", notUploaded: true)?.hasPrefix(
                "cannot reopen 2026-08: 1 of its payouts is marked paid: anna (paid on 2026-09-02, reference PP)")
                == true)
    }

    /// A journal written for the books holds the close journal: a reopen is refused until
    /// `journalsNotBooked` says it is not in the books, and names it; a journal of an earlier close
    /// taken back, or of another month, does not count.
    @Test func aCloseWhoseJournalWasWrittenIsReopenedOnlyWhenNotBooked() throws {
        var snapshot = closedAugust()
        let now = at("2026-09-10T00:00:00Z")
        let journal = JournalExported(
            month: ym("2026-08"), format: "quickbooks", files: ["books-08.csv"],
            journals: ["TALLY-CLOSE-2026-08"], debitsMinor: 1_100, at: at("2026-09-02T12:00:00Z"))
        func refusal(notBooked: Bool = false) -> String? {
            do {
                _ = try reopenMonth(
                    ym("2026-08"), reason: "r", at: now, snapshot: snapshot, journalsNotBooked: notBooked)
                return nil
            } catch { return error.description }
        }
        snapshot.journalFiles = [
            JournalFileRecord(export: journal, reopened: true),
            JournalFileRecord(
                export: JournalExported(
                    month: ym("2026-07"), format: "csv", files: ["j7.csv"],
                    journals: [], debitsMinor: 0, at: now), reopened: false)
        ]
        #expect(refusal() == nil)
        snapshot.journalFiles.append(JournalFileRecord(export: journal, reopened: false))
        #expect(
            refusal()
                == "cannot reopen 2026-08 yet: the journal TALLY-CLOSE-2026-08 was written on 2026-09-02 to "
                + "books-08.csv (quickbooks): void it in the books (QuickBooks, Xero) before re-closing, or a "
                + "second TALLY-CLOSE-2026-08 with other figures joins it; once it is voided there (or if it was "
                + "never imported), give --not-booked")
        let (_, _, journals) = try reopenMonth(
            ym("2026-08"), reason: "r", at: now, snapshot: snapshot, journalsNotBooked: true)
        #expect(journals == [journal])
    }

    @Test func tierThresholdsMustRise() {
        let t = TierThresholds.default
        #expect(t.problem == nil)
        let lower = TierThresholds(microFrom: 500, macroFrom: 100_000, megaFrom: 1_000_000)
        #expect(t.changing(micro: 500, macro: nil, mega: nil) == lower)
        #expect(t.changing(micro: 0, macro: nil, mega: nil).problem != nil)
        #expect(
            t.changing(micro: nil, macro: 1_000, mega: nil).problem
                == "tier thresholds must rise: 0 < micro (1000) < macro (1000) < mega (1000000)")
        #expect(t.changing(micro: nil, macro: nil, mega: 50_000).problem != nil)
    }

    @Test func sourceNamesAreLowerCaseSlugsWithoutColons() {
        for good in ["shopify", "shopify-eu", "shop_2", "a", String(repeating: "x", count: 40)] {
            #expect(SourceName.isValid(good), "\(good)")
        }
        for bad in ["", "Shop", "shop eu", "shop:eu", "-shop", "_shop", "shöp", String(repeating: "x", count: 41)] {
            #expect(!SourceName.isValid(bad), "\(bad)")
        }
    }

    @Test func unknownCodesAreThoseWithNoCreatorAtTheOrdersTime() {
        var s = Scenario()
        s.creator("anna")
        s.creator("ben")
        s.code("ANNA", "anna", from: "2026-08-01")
        s.code("BEN", "ben", from: "2026-07-01", until: "2026-07-15")
        s.house("WELCOME")
        // ANNA is assigned only after order 1, BEN had expired: both paid nobody on that order.
        s.order("1", created: "2026-07-20T10:00:00Z", subtotal: 1_000, codes: ["anna", "Summer", "welcome", "ben"])
        s.order("2", created: "2026-08-02T10:00:00Z", subtotal: 2_500, codes: ["SUMMER", " summer ", "ANNA"])
        s.order("3", created: "2026-08-03T10:00:00Z", subtotal: 9_999, codes: ["SUMMER"], test: true)
        let rows = unknownCodes(s.snapshot)
        #expect(rows.map(\.code) == ["ANNA", "BEN", "SUMMER"])
        #expect(rows.first?.orders == 1 && rows.first?.revenueMinor == 1_000)  // order 2 was ANNA's
        #expect(rows.last?.orders == 2 && rows.last?.revenueMinor == 3_500)
        #expect(rows.last?.firstSeen == CivilDate.parse("2026-07-20"))
        #expect(rows.last?.lastSeen == CivilDate.parse("2026-08-02"))
        let known = KnownCodes(assigned: ["ANNA"], house: ["WELCOME"])
        #expect(known.contains("ANNA") && known.contains("WELCOME") && !known.contains("SUMMER"))
    }

    @Test func unknownReferralsAreThoseWithNoCreatorAtTheOrdersTime() {
        var s = Scenario()
        s.creator("anna")
        s.referral("ANNA", "anna", from: "2026-08-01")
        s.order("1", created: "2026-07-20T10:00:00Z", subtotal: 1_000, referral: "anna")
        s.order("2", created: "2026-08-02T10:00:00Z", subtotal: 2_500, referral: "anna")
        s.order("3", created: "2026-08-02T11:00:00Z", subtotal: 700, referral: " Nobody ")
        s.order("4", created: "2026-08-02T12:00:00Z", subtotal: 700, referral: "nobody", test: true)
        let rows = unknownReferrals(s.snapshot)
        #expect(rows.map(\.code) == ["ANNA", "NOBODY"])
        #expect(rows.map(\.orders) == [1, 1])
        #expect(rows.map(\.revenueMinor) == [1_000, 700])
    }

    @Test func anAssignmentFromTodayCountsTheEarlierOrdersItLeavesBehind() {
        var s = Scenario()
        s.creator("anna")
        s.creator("ben")
        s.code("BEN", "ben", from: "2026-07-01")
        s.order("1", created: "2026-07-20T10:00:00Z", subtotal: 1_000, codes: ["anna"])
        s.order("2", created: "2026-07-10T10:00:00Z", subtotal: 1_000, codes: ["ben", "Anna"])  // BEN's
        s.order("3", created: "2026-07-05T10:00:00Z", subtotal: 1_000, codes: ["x", "ANNA"])
        s.order("4", created: "2026-07-04T10:00:00Z", subtotal: 1_000, codes: ["ANNA"], test: true)
        s.order("5", created: "2026-08-02T10:00:00Z", subtotal: 1_000, codes: ["ANNA"])  // after the start
        let left = unattributedOrders(carrying: "ANNA", before: day("2026-08-01"), snapshot: s.snapshot)
        #expect(left.count == 2)
        #expect(left.earliest == at("2026-07-05T10:00:00Z"))
    }

    @Test func payableMeansAPayableStatusAndNotCancelled() {
        let cancelled = Timestamp.parse("2026-08-01T00:00:00Z")
        #expect(OrderState(status: .paid, refundedMinor: 0, cancelledAt: nil).isPayable)
        #expect(OrderState(status: .refunded, refundedMinor: 100, cancelledAt: nil).isPayable)
        #expect(!OrderState(status: .paid, refundedMinor: 0, cancelledAt: cancelled).isPayable)
        #expect(!OrderState(status: .pending, refundedMinor: 0, cancelledAt: nil).isPayable)
    }

    @Test func termDefaultsAreOneTable() {
        let first = Terms(
            effectiveFrom: day("2026-07-01"), commission: .zero, perOrderMinor: 0,
            holdbackDays: Terms.defaults.holdbackDays, minPayoutMinor: 0)
        #expect(Terms.initial(from: day("2026-07-01")) == first)
        #expect(Terms.holdbackDays(nil) == 30)
        let terms = Terms(
            effectiveFrom: day("2026-07-01"), commission: .zero, perOrderMinor: 0, holdbackDays: 7,
            minPayoutMinor: 0)
        let created = CivilDate(year: 2026, month: 7, day: 10)!
        #expect(maturityDate(createdDate: created, terms: terms) == CivilDate(year: 2026, month: 7, day: 17))
        #expect(maturityDate(createdDate: created, terms: nil) == CivilDate(year: 2026, month: 8, day: 9))
    }
}

/// Which order a reference names, and who a payment file pays.
@Suite("decisions: order references, payment files")
struct LookupDecisionTests {
    func orders() -> [OrderRecord] {
        var s = Scenario()
        s.order("1042", created: "2026-08-01T10:00:00Z", subtotal: 100, name: "#1042")
        s.order("7", created: "2026-08-01T10:00:00Z", subtotal: 100, source: "woocommerce")
        s.order("7", created: "2026-08-01T10:00:00Z", subtotal: 100, source: "orders")
        return s.snapshot.orders
    }

    @Test func aReferenceIsAKeyANameOrABareId() {
        let all = orders()
        guard case let .found(byKey) = findOrder("woocommerce:7", in: all) else { Issue.record("by key"); return }
        #expect(byKey.key == OrderKey(source: "woocommerce", orderId: "7"))
        guard case let .found(byName) = findOrder(" #1042 ", in: all) else { Issue.record("by name"); return }
        #expect(byName.key.orderId == "1042")
        guard case let .found(bare) = findOrder("1042", in: all) else { Issue.record("bare id"); return }
        #expect(bare.key.orderId == "1042")
        #expect(
            findOrder("7", in: all)
                == .ambiguous([
                    OrderKey(source: "orders", orderId: "7"),
                    OrderKey(source: "woocommerce", orderId: "7")
                ]))
        #expect(findOrder("9999", in: all) == .notFound)
    }

    @Test func aPaymentFileForAMethodPaysOnlyThatMethodAndNeedsEveryonesDetails() {
        let anna = PaymentItem(
            creator: "anna", name: "Anna", amountMinor: 1_100,
            details: PayoutDetails(method: "paypal", account: "anna@example.com"))
        let bea = PaymentItem(
            creator: "bea", name: "Bea", amountMinor: 500,
            details: PayoutDetails(method: "Wise", account: "DE89370400440532013000"))
        let cam = PaymentItem(creator: "cam", name: "Cam", amountMinor: 300, details: nil)
        let month = YearMonth(year: 2026, month: 8)!
        let empty = LedgerSnapshot(baseCurrency: .eur, zone: .utc)
        func select(_ items: [PaymentItem], _ options: ExportOptions) -> PaymentSelection {
            selectPayments(items, month: month, options: options, snapshot: empty)
        }
        #expect(select([anna, bea, cam], ExportOptions(method: nil)).paid == [anna, bea, cam])
        let wise = select([anna, bea], ExportOptions(method: "wise"))
        #expect(wise.paid == [bea] && wise.leftOut.map(\.item) == [anna] && wise.missingDetails.isEmpty)
        #expect(wise.leftOut.map(\.reason) == [.otherMethod("paypal")])
        let missing = select([anna, bea, cam], ExportOptions(method: "paypal"))
        #expect(missing.missingDetails == [cam] && missing.paid == [anna])
        let skipped = select([anna, bea, cam], ExportOptions(method: "paypal", skipMissing: true))
        #expect(skipped.missingDetails.isEmpty && skipped.paid == [anna])
        #expect(skipped.leftOut.map(\.reason) == [.otherMethod("wise"), .noDetails])
        let blank = PaymentItem(
            creator: "dan", name: "Dan", amountMinor: 1,
            details: PayoutDetails(method: "paypal", account: " "))
        #expect(select([blank], ExportOptions(method: "paypal")).missingDetails == [blank])
    }

    @Test func aPayoutGoesIntoOneFileUnlessPaidOrExportedIsAskedFor() {
        let anna = PaymentItem(creator: "anna", name: "Anna", amountMinor: 1_100, details: nil)
        let bea = PaymentItem(creator: "bea", name: "Bea", amountMinor: 500, details: nil)
        let month = YearMonth(year: 2026, month: 8)!
        var snapshot = LedgerSnapshot(baseCurrency: .eur, zone: .utc)
        let paid = PaidPayout(
            month: month, creator: "anna", amountMinor: 1_100, reference: "PP-1",
            paidOn: CivilDate(year: 2026, month: 9, day: 2)!, method: .paypal)
        snapshot.payoutsPaid = [paid]
        let file = PayoutExported(
            month: month, format: "generic", file: "a.csv", creators: ["bea"], totalMinor: 500,
            at: .epoch)
        snapshot.paymentFiles = [PaymentFileRecord(export: file, reopened: false)]
        let plain = selectPayments([anna, bea], month: month, options: ExportOptions(method: nil), snapshot: snapshot)
        #expect(plain.paid.isEmpty && plain.leftOut.map(\.reason) == [.paid(paid), .exported(file)])
        let all = selectPayments(
            [anna, bea], month: month,
            options: ExportOptions(method: nil, includePaid: true, includeExported: true),
            snapshot: snapshot)
        #expect(all.paid == [anna, bea])
        // A file written for a close that was reopened since does not count.
        snapshot.paymentFiles = [PaymentFileRecord(export: file, reopened: true)]
        #expect(
            selectPayments([bea], month: month, options: ExportOptions(method: nil), snapshot: snapshot).paid
                == [bea])
        // Another month's payments do not count either.
        #expect(
            selectPayments([anna], month: month.next, options: ExportOptions(method: nil), snapshot: snapshot).paid
                == [anna])
    }
}
