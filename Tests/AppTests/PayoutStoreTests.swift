@testable import App
import Foundation
import LedgerCore
@testable import LedgerStore
import TestSupport
import Testing

/// A fresh ledger (UTC, a fixed clock) for the close tests.
func temporaryLedger(
    base: Currency = usd, zone: Zone = .utc,
    now: String = "2030-01-01T00:00:00Z"
) throws -> TemporaryLedger {
    try TemporaryLedger(currency: base, zone: zone, now: at(now), salt: "s", fileName: "t.sqlite")
}

@Suite("payout close in the store: projections, verify, refusals")
struct PayoutStoreTests {
    /// The same random facts appended to a real ledger and closed by `closeMonth` give the same
    /// statements as the pure fold; the projections equal a rebuild (verify) after every close.
    /// With `plans`, random commission plans (section 8): the store's snapshots read the customers'
    /// other orders instead of every order, and must still give what the fold of every fact gives.
    @Test(arguments: Array(UInt64(1)...UInt64(25)), [false, true])
    func storeClosesEqualTheFoldedReferenceModel(seed: UInt64, plans: Bool) throws {
        let random = RandomLedger(seed: seed, plans: plans)
        let reference = closeAll(random)
        let temporary = try temporaryLedger()
        let ledger = temporary.ledger
        let session = LedgerSession(ledger)
        var results: [MonthResult] = []
        try ledger.write { l in for fact in random.header.dropFirst() { try l.append(fact) } }
        for (k, batch) in random.batches.enumerated() {
            try ledger.write { l in for fact in batch { try l.append(fact) } }
            if k < RandomLedger.months.count { results.append(try session.closeMonth(RandomLedger.months[k])) }
        }
        #expect(results == reference.results, "seed \(seed)")
        let stored = try ledger.snapshot()
        let folded = LedgerSnapshot.fold(reference.facts)!
        #expect(stored.statements == folded.statements, "seed \(seed)")
        #expect(stored.closedMonths.map(\.month) == folded.closedMonths.map(\.month), "seed \(seed)")
        // The next month computes the same from the projections as from the folded facts.
        let next = RandomLedger.months.last!.next
        #expect(computeMonth(next, snapshot: stored) == computeMonth(next, snapshot: folded), "seed \(seed)")
        let report = try ledger.verify()
        #expect(report.isClean, "seed \(seed): \(report.problems)")
        _ = try ledger.rebuild()
        #expect(try ledger.snapshot().statements == stored.statements, "seed \(seed)")
        #expect(try ledger.verify().isClean, "seed \(seed)")
    }

    func anna(_ ledger: Ledger) throws {
        try ledger.write { l in
            try l.append(
                .creatorRegistered(
                    CreatorRegistered(
                        id: "anna", name: "Anna", emailHash: nil, followers: [:],
                        payout: nil, at: Instant(unixSeconds: 0))))
            try l.append(
                .codeAssigned(
                    CodeAssigned(
                        code: "ANNA15", creator: "anna", validFrom: day("2026-07-01"),
                        validUntil: nil)))
            try l.append(
                .termsSet(
                    TermsSet(
                        creator: "anna", effectiveFrom: day("2026-07-01"),
                        commission: CommissionRate(partsPerMillion: 100_000), holdbackDays: 0)))
        }
    }

    func order(_ ledger: Ledger, _ id: String, created: String, currency: Currency = usd) throws {
        var s = Scenario()
        s.order(id, created: created, subtotal: 10_000, currency: currency, codes: ["ANNA15"])
        _ = try ledger.write { l in try l.append(s.facts.last!) }
    }

    @Test func closingTwiceOutOfOrderOrTooEarlyIsRefused() throws {
        let temporary = try temporaryLedger(now: "2026-10-15T00:00:00Z")
        let ledger = temporary.ledger
        let session = LedgerSession(ledger)
        try anna(ledger)
        try order(ledger, "1", created: "2026-08-10T00:00:00Z")
        let aug = try session.closeMonth(ym("2026-08"))  // the first close may be any month
        #expect(aug.statements.map(\.figures.payoutMinor) == [1_000])
        let count = try ledger.connection.scalarInt("SELECT count(*) FROM facts")
        #expect(throws: PayoutError.self) { try session.closeMonth(ym("2026-08")) }
        #expect(throws: PayoutError.self) { try session.closeMonth(ym("2026-07")) }
        #expect(throws: PayoutError.self) { try session.closeMonth(ym("2026-10")) }  // September first
        #expect(throws: PayoutError.self) { _ = try session.previewPayouts(ym("2026-08")) }
        #expect(try ledger.connection.scalarInt("SELECT count(*) FROM facts") == count)
        try session.closeMonth(ym("2026-09"))
        do {
            try session.closeMonth(ym("2026-10"))
            Issue.record("October has not ended on 2026-10-15")
        } catch let error as PayoutError {
            #expect(error.description == "2026-10 has not ended yet: it can be closed from 2026-11-01T00:00:00Z")
        }
        #expect(try ledger.verify().isClean)
    }

    @Test func missingRatesBlockTheCloseAndNameTheOrders() throws {
        let temporary = try temporaryLedger()
        let ledger = temporary.ledger
        let session = LedgerSession(ledger)
        try anna(ledger)
        try order(ledger, "1", created: "2026-08-10T00:00:00Z", currency: cad)
        do {
            try session.closeMonth(ym("2026-08"))
            Issue.record("expected a refusal")
        } catch let error as PayoutError {
            #expect(
                error.description == """
                    cannot close 2026-08: 1 attributed order in another currency has no exchange rate:
                      shopify:1 (anna): needs a CAD rate dated on or before 2026-08-10
                    add the rates (tally import fx FILE) and close again
                    """)
        }
        #expect(try ledger.snapshot().closedMonths.isEmpty)
        _ = try ledger.write { l in
            try l.append(
                .fxRateSet(
                    FXRateSet(
                        date: CivilDate.parse("2026-08-01")!, effectiveAt: day("2026-08-01"),
                        currency: cad, rate: FXRate(scaled: 7_000_000_000))))
        }
        #expect(try session.closeMonth(ym("2026-08")).statements.map(\.figures.payoutMinor) == [700])
    }

    @Test func markPaidRecordsTheReferenceOnce() throws {
        let temporary = try temporaryLedger()
        let ledger = temporary.ledger
        let session = LedgerSession(ledger)
        try anna(ledger)
        try order(ledger, "1", created: "2026-08-10T00:00:00Z")
        let august = ym("2026-08")
        func mark(_ creator: String, _ reference: String) throws -> MarkPaidOutcome {
            try session.markPaid(month: august, mark: PaymentMark(creator: creator, reference: reference))
        }
        // Not closed yet:
        #expect(throws: UserError.self) { try mark("anna", "PP-1") }
        try session.closeMonth(ym("2026-08"))
        let first = try mark("anna", "PP-1")
        guard case let .recorded(payment) = first else { Issue.record("not recorded: \(first)"); return }
        #expect(payment.amountMinor == 1_000 && payment.reference == "PP-1")
        #expect(try mark("anna", "PP-1") == .alreadyRecorded(payment, differs: []))
        #expect(throws: UserError.self) { try mark("anna", "PP-2") }
        #expect(throws: UserError.self) { try mark("bob", "PP-3") }
        #expect(try ledger.snapshot().payoutsPaid.map(\.reference) == ["PP-1"])
        #expect(try ledger.verify().isClean)
    }

    /// What the books and the tax forms read (issue 16): the payments whose money left in a range of
    /// days, by day, then creator, then month, with the day and method each was marked with.
    @Test func thePaymentsMadeInARangeOfDays() throws {
        let temporary = try temporaryLedger(now: "2026-12-15T00:00:00Z")
        let ledger = temporary.ledger
        let session = LedgerSession(ledger)
        try anna(ledger)
        try order(ledger, "1", created: "2026-08-10T00:00:00Z")
        try order(ledger, "2", created: "2026-09-10T00:00:00Z")
        try order(ledger, "3", created: "2026-10-10T00:00:00Z")
        for month in ["2026-08", "2026-09", "2026-10"] { try session.closeMonth(ym(month)) }
        func date(_ text: String) -> CivilDate { CivilDate.parse(text)! }
        _ = try session.markPaid(
            month: ym("2026-09"),
            mark: PaymentMark(
                creator: "anna", reference: "B",
                paidOn: date("2026-10-02"), method: .bank))
        _ = try session.markPaid(
            month: ym("2026-08"),
            mark: PaymentMark(
                creator: "anna", reference: "A",
                paidOn: date("2026-10-02")))
        _ = try session.markPaid(month: ym("2026-10"), mark: PaymentMark(creator: "anna", reference: "C"))
        let october = try session.paymentsMade(from: date("2026-10-01"), through: date("2026-10-31"))
        #expect(october.map(\.reference) == ["A", "B"])  // the same day: by month
        #expect(october.map(\.method) == [.other, .bank] && october.allSatisfy { $0.amountMinor == 1_000 })
        let all = try session.paymentsMade(from: date("2026-01-01"), through: date("2026-12-31"))
        #expect(all.map(\.reference) == ["A", "B", "C"] && all.last?.paidOn == date("2026-12-15"))
        #expect(try session.paymentsMade(from: date("2026-10-03"), through: date("2026-12-14")).isEmpty)
    }
}

/// Notes of payment files on a shop with thousands of creators: a count and the first names, not a
/// screen of names per reason.
@Suite("left-out lines")
struct LeftOutLineTests {
    @Test func aLongListIsCountedAfterTheFirstNames() {
        let few = (1...10).map { "c\($0)" }
        #expect(LedgerSession.listedLine("paid by wise", few) == "paid by wise: " + few.joined(separator: ", "))
        let many = (1...2000).map { "c\($0)" }
        let line = LedgerSession.listedLine("paid by wise", many)
        #expect(
            line == "paid by wise: 2000 payouts: " + few.joined(separator: ", ")
                + " and 1990 more (tally payout show lists every payout)")
    }
}
