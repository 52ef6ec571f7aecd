import Foundation
import LedgerCore
@testable import LedgerStore
import TestSupport

let fixtureStart = Instant(unixSeconds: 1_788_220_800)  // 2026-09-01T00:00:00Z
let fixtureEmail = "Ana.Lopez@Example.com"
let fixtureAccount = "DE89370400440532013000"

/// What `fixtureLedger` wrote, by sequence number.
struct FixtureSeqs {
    var creator: Int64 = 0
    var code: Int64 = 0
    var terms: Int64 = 0
    var firstOrder: Int64 = 0
    var secondOrder: Int64 = 0
    var change: Int64 = 0
    var statement: Int64 = 0
    var monthClosed: Int64 = 0
}

func fixtureOrder(_ id: String, totalMinor: Int64, at: Instant, email: String, ledger: Ledger) throws -> OrderSeen {
    OrderSeen(
        key: OrderKey(source: "shopify", orderId: id), name: "#\(id)", createdAt: Timestamp(at, offsetSeconds: -14_400),
        currency: .usd, subtotalMinor: totalMinor, discountMinor: 500, shippingMinor: 0, taxesMinor: 0,
        totalMinor: totalMinor,
        codes: ["ANA10"], referral: nil, emailHash: try ledger.emailHash(email),
        state: OrderState(status: .paid, refundedMinor: 0, cancelledAt: nil), test: false,
        asOf: at.adding(seconds: 86_400), importRef: String(repeating: "ab", count: 32))
}

/// A small ledger with one fact of most kinds: a creator (e-mail hash, payout account), a code,
/// terms, two orders, a refund, a statement with lines and a closed month.
func fixtureLedger(at path: String) throws -> (Ledger, FixtureSeqs) {
    let ledger = try Ledger.create(
        path: path, baseCurrency: .usd, zone: .utc, clock: .fixed(fixtureStart.adding(seconds: 40 * 86_400)),
        key: testKey(salt: "5a1t5a1t5a1t5a1t"))
    var seqs = FixtureSeqs()
    let september = YearMonth(year: 2026, month: 9)!
    try ledger.write { l in
        seqs.creator = try l.append(
            .creatorRegistered(
                CreatorRegistered(
                    id: "ana", name: "Ana López", emailHash: try l.emailHash(fixtureEmail),
                    followers: ["instagram": 12_000],
                    payout: PayoutDetails(method: "iban", account: fixtureAccount), at: fixtureStart)))
        seqs.code = try l.append(
            .codeAssigned(CodeAssigned(code: "ANA10", creator: "ana", validFrom: fixtureStart, validUntil: nil)))
        seqs.terms = try l.append(
            .termsSet(
                TermsSet(
                    creator: "ana", effectiveFrom: fixtureStart, commission: CommissionRate(partsPerMillion: 100_000))))
        seqs.firstOrder = try l.append(
            .orderSeen(
                try fixtureOrder(
                    "1001", totalMinor: 5_000,
                    at: fixtureStart.adding(seconds: 3_600),
                    email: "buyer.one@example.org", ledger: l)))
        seqs.secondOrder = try l.append(
            .orderSeen(
                try fixtureOrder(
                    "1002", totalMinor: 7_250,
                    at: fixtureStart.adding(seconds: 7_200),
                    email: "buyer.two@example.org", ledger: l)))
        seqs.change = try l.append(
            .orderChanged(
                OrderChanged(
                    key: OrderKey(source: "shopify", orderId: "1002"), status: .partiallyRefunded, refundedMinor: 1_000,
                    effectiveAt: fixtureStart.adding(seconds: 86_400 * 3),
                    asOf: fixtureStart.adding(seconds: 86_400 * 4), importRef: String(repeating: "cd", count: 32))))
        let figures = PayoutFigures(
            carriedInMinor: 0, commissionsMinor: 1_125, clawbacksMinor: -100, feesMinor: 0, adjustmentsMinor: 0,
            balanceMinor: 1_025, payoutMinor: 1_025, carriedOutMinor: 0)
        let lines = [
            StatementLine(
                kind: .commission, ref: "shopify:1001", date: CivilDate(year: 2026, month: 9, day: 1)!, amountMinor: 500
            ),
            StatementLine(
                kind: .commission, ref: "shopify:1002", date: CivilDate(year: 2026, month: 9, day: 1)!, amountMinor: 625
            ),
            StatementLine(
                kind: .clawback, ref: "shopify:1002", date: CivilDate(year: 2026, month: 9, day: 4)!, amountMinor: -100)
        ]
        seqs.statement = try l.append(
            .statementIssued(
                StatementIssued(
                    month: september, creator: "ana", currency: .usd, figures: figures,
                    minPayoutMinor: 0, lines: lines, effectiveAt: Zone.utc.startOfMonth(september.next))))
        seqs.monthClosed = try l.append(
            .monthClosed(
                MonthClosed(
                    month: september, statements: 1, payoutTotalMinor: 1_025,
                    effectiveAt: Zone.utc.startOfMonth(september.next))))
    }
    return (ledger, seqs)
}
