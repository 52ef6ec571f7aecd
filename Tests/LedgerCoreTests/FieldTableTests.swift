import Foundation
import LedgerCore
import Testing

/// Every reader and writer of a payload is derived from its fact type's field table. These tests
/// pin what the table must reproduce (the released layouts, byte for byte) and catch a property
/// that the table leaves out (it would come back blank from every decoder).
@Suite("field tables")
struct FieldTableTests {
    /// `Tests/PayloadGoldens/v1.txt`: payloads written before the field tables existed.
    static func goldens() throws -> [(type: String, payload: [UInt8])] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("PayloadGoldens/v1.txt")
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { line in
            let parts = line.split(separator: "\t", maxSplits: 1)
            return (String(parts[0]), Array(parts[1].utf8))
        }
    }

    static func written(_ fact: Fact) -> [UInt8] {
        var out: [UInt8] = []
        fact.writePayload(into: &out)
        return out
    }

    static func scanned(_ fact: Fact, _ bytes: [UInt8]) -> Fact? {
        bytes.withUnsafeBytes { Fact.decodeCanonical(type: fact.typeName, payload: $0) }
    }

    @Test func releasedPayloadsComeOutOfTheWritersByteForByte() throws {
        let goldens = try Self.goldens()
        #expect(Set(goldens.map(\.type)).count == 18)  // every fact type
        for (type, payload) in goldens {
            let fact = try Fact.decode(type: type, version: 1, payload: payload)
            #expect(fact.typeName == type)
            #expect(Self.written(fact) == payload, "\(type): the canonical writer")
            #expect(fact.payload.encoded() == payload, "\(type): the JSON tree")
            if ["order.seen", "order.changed", "statement.issued"].contains(type) {
                #expect(Self.scanned(fact, payload) == fact, "\(type): the canonical scanner")
            } else {
                #expect(Self.scanned(fact, payload) == nil, "\(type): left to the generic decoder")
            }
        }
    }

    /// One value of each fact type with every property unlike the blank one: each property left out
    /// of its table would decode blank. (A new property is a new argument here: this must change too.)
    static let everyField: [Fact] = {
        let at = Instant(unixSeconds: 1_790_000_000)
        let ts = Timestamp(at, offsetSeconds: -14_400)
        let day = CivilDate(year: 2026, month: 9, day: 14)!
        let month = YearMonth(year: 2026, month: 9)!
        let state = OrderState(
            status: .partiallyRefunded, refundedMinor: 250,
            cancelledAt: Timestamp(at.adding(seconds: 60), offsetSeconds: 3_600))
        let seen = OrderSeen(
            key: OrderKey(source: "woocommerce", orderId: "5217"), name: "#5217", createdAt: ts, currency: .eur,
            subtotalMinor: 4_500, discountMinor: 500, shippingMinor: 399, taxesMinor: 855, totalMinor: 5_754,
            codes: ["ANNA15", "FALL"], referral: "ref=anna", emailHash: "ab12", state: state, test: true,
            asOf: at.adding(seconds: 86_400), importRef: "ff00")
        let lines = [
            StatementLine(kind: .commission, ref: "shopify:1", date: day, amountMinor: 1_200),
            StatementLine(kind: .fee, ref: "P1", date: day, amountMinor: 500)
        ]
        // Version 2: order lines with their figures (a correction with what changed, a clawback to 0).
        let detailed = [
            StatementLine(
                kind: .commission, ref: "shopify:1", date: day, amountMinor: 1_200,
                order: OrderLineDetail(
                    baseMinor: 10_000, rate: CommissionRate(partsPerMillion: 110_000),
                    perOrderMinor: 100, change: .rateChange)),
            StatementLine(
                kind: .clawback, ref: "shopify:2", date: day, amountMinor: -900,
                order: OrderLineDetail(
                    baseMinor: nil, rate: nil, perOrderMinor: nil,
                    change: .reattribution)),
            StatementLine(kind: .fee, ref: "P1", date: day, amountMinor: 500)
        ]
        let figures = PayoutFigures(
            carriedInMinor: 7, commissionsMinor: 1_200, clawbacksMinor: 0, feesMinor: 500, adjustmentsMinor: 0,
            balanceMinor: 1_707, payoutMinor: 1_707, carriedOutMinor: 0)
        return [
            .ledgerInitialized(
                LedgerInitialized(
                    baseCurrency: .eur, zone: "Europe/Berlin", ledgerId: "0123456789abcdef0123456789abcdef",
                    keyFingerprint: "f00d", at: at)),
            .ledgerInitializedV1(
                LedgerInitializedV1(baseCurrency: .eur, zone: "Europe/Berlin", emailSalt: "5a17", at: at)),
            .ledgerRedacted(LedgerRedacted(factSeq: 1, factVersion: 1, redactedSHA256: "ab12", at: at)),
            .creatorRegistered(
                CreatorRegistered(
                    id: "anna", name: "Anna", emailHash: "e1", followers: ["instagram": 48_200],
                    payout: PayoutDetails(method: "paypal", account: "sealed1:x"), at: at)),
            .creatorUpdated(
                CreatorUpdated(
                    id: "anna", name: "Anna B.", emailHash: "e2", followers: ["tiktok": 12_900],
                    payout: PayoutDetails(method: "wise", account: "sealed1:y"), at: at)),
            .creatorRegistered(  // version 2: a tax form on file
                CreatorRegistered(
                    id: "anna", name: "Anna", emailHash: "e1", followers: ["instagram": 48_200],
                    payout: PayoutDetails(method: "paypal", account: "sealed1:x"), taxForm: .w8ben, at: at)),
            .creatorUpdated(  // version 2: the tax form changed
                CreatorUpdated(
                    id: "anna", name: "Anna B.", emailHash: "e2", followers: ["tiktok": 12_900],
                    payout: PayoutDetails(method: "wise", account: "sealed1:y"), taxForm: .some(.w9), at: at)),
            .creatorUpdated(CreatorUpdated(id: "anna", taxForm: .some(nil), at: at)),  // version 2: cleared
            .codeAssigned(
                CodeAssigned(code: "ANNA15", creator: "anna", validFrom: at, validUntil: at.adding(seconds: 86_400))),
            .houseCodeDeclared(HouseCodeDeclared(code: "WELCOME10", at: at)),
            .referralAssigned(
                ReferralAssigned(
                    value: "REF=ANNA", creator: "anna", validFrom: at, validUntil: at.adding(seconds: 86_400))),
            .termsSet(
                TermsSet(
                    creator: "anna", effectiveFrom: at, commission: CommissionRate(partsPerMillion: 125_000),
                    perOrderMinor: 100,
                    holdbackDays: 14, minPayoutMinor: 5_000)),
            .termsSet(  // version 2: every plan field given
                TermsSet(
                    creator: "anna", effectiveFrom: at,
                    newCustomerCommission: .some(CommissionRate(partsPerMillion: 200_000)),
                    lifetimeMonths: 12, lifetimeCommission: .some(CommissionRate(partsPerMillion: 50_000)),
                    tiers: .some(
                        RateTiers([
                            RateTier(above: 25, rate: CommissionRate(partsPerMillion: 125_000)),
                            RateTier(above: 50, rate: CommissionRate(partsPerMillion: 150_000))
                        ])),
                    tiersApply: .month, bonusThreshold: 50, bonusMinor: .some(10_000), retainerMinor: .some(30_000))),
            .termsSet(  // version 2: every clearable field cleared
                TermsSet(
                    creator: "anna", effectiveFrom: at, newCustomerCommission: .some(nil), lifetimeMonths: 0,
                    lifetimeCommission: .some(nil), tiers: .some(nil), tiersApply: .marginal, bonusThreshold: 0,
                    bonusMinor: .some(nil), retainerMinor: .some(nil))),
            .postPublished(
                PostPublished(
                    id: "P1", creator: "anna", date: day, effectiveAt: at, platform: "instagram", feeMinor: 30_000,
                    url: "https://example.org/p/1", impressions: 120_000, engagements: 4_300)),
            .giftSent(
                GiftSent(id: "G1", creator: "anna", date: day, effectiveAt: at, valueMinor: 4_800, note: "Box, large")),
            .adjustmentRecorded(
                AdjustmentRecorded(
                    id: "A1", creator: "anna", date: day, effectiveAt: at, amountMinor: -2_500, reason: "x")),
            .fxRateSet(FXRateSet(date: day, effectiveAt: at, currency: .jpy, rate: FXRate(scaled: 66_000_000))),
            .orderSeen(seen),
            .orderChanged(
                OrderChanged(
                    key: seen.key, status: .refunded, refundedMinor: 5_754, cancellation: .cancelled(ts),
                    effectiveAt: at.adding(seconds: 3_600), asOf: at.adding(seconds: 7_200), importRef: "ee11")),
            .orderChanged(
                OrderChanged(key: seen.key, cancellation: .uncancelled, effectiveAt: at, asOf: at, importRef: "ee11")),
            .statementIssued(
                StatementIssued(
                    month: month, creator: "anna", currency: .eur, figures: figures, minPayoutMinor: 1_000,
                    lines: lines, effectiveAt: at)),
            .monthClosed(MonthClosed(month: month, statements: 3, payoutTotalMinor: 9_999, effectiveAt: at)),
            .statementIssued(
                StatementIssued(
                    month: month, creator: "anna", currency: .eur, figures: figures, minPayoutMinor: 1_000,
                    lines: detailed, effectiveAt: at)),
            .payoutPaid(
                PayoutPaid(
                    month: month, creator: "anna", amountMinor: 1_707, reference: "PP-1", paidOn: nil,
                    method: nil, at: at)),
            .payoutPaid(
                PayoutPaid(
                    month: month, creator: "anna", amountMinor: 1_707, reference: "PP-1",
                    paidOn: day.adding(days: 20), method: .bank, at: at)),
            .payoutExported(
                PayoutExported(
                    month: month, format: "wise", file: "out/wise.csv",
                    creators: ["anna", "bea"], totalMinor: 1_707, at: at)),
            .monthReopened(MonthReopened(month: month, reason: "refund missed", at: at)),
            .payoutUnmarked(
                PayoutUnmarked(month: month, creator: "anna", reference: "PP-1", reason: "wrong \"ref\"", at: at)),
            .journalExported(
                JournalExported(
                    month: month, format: "quickbooks", files: ["books-1.csv", "books-2.csv"],
                    journals: ["TALLY-CLOSE-2026-09", "TP-2026-08-anna"], debitsMinor: 4_526, at: at)),
            .importRecorded(
                ImportRecorded(
                    source: "shopify", fileName: "orders.csv", sha256: "ab", asOf: at, counts: ["orders": 3],
                    confirmedOrderIds: ["1001"])),
            .importUndone(
                ImportUndone(
                    importSeq: 42, source: "shopify", fileName: "orders.csv", sha256: "ab", reason: "wrong file",
                    asOfBefore: ["1001": 1_789_000_000], at: at)),
            .tiersSet(
                TiersSet(
                    thresholds: TierThresholds(microFrom: 2_000, macroFrom: 150_000, megaFrom: 2_000_000),
                    at: at)),
            .accountSet(AccountSet(key: "cash:paypal", name: "Bank:PayPal \"USD\"", code: "1010", at: at)),
            .thresholdSet(ThresholdSet(form: "1099-nec", year: 2027, amountMinor: 210_000, at: at))
        ]
    }()

    @Test(arguments: everyField)
    func everyPropertyGoesThroughTheTable(_ fact: Fact) throws {
        let bytes = Self.written(fact)
        #expect(try Fact.decode(type: fact.typeName, version: fact.version, payload: bytes) == fact)
        #expect(fact.payload.encoded() == bytes)
        if let scanned = Self.scanned(fact, bytes) { #expect(scanned == fact) }
    }

    /// Creator facts: a tax form makes version 2, and a payload's layout must be its version's (a
    /// version 1 fact holding `tax_form` is refused, not read as a creator without one); an unknown
    /// form is refused by name.
    @Test func creatorVersionsFollowTheTaxForm() throws {
        let at = Instant(unixSeconds: 1_790_000_000)
        let plain = CreatorRegistered(id: "anna", name: "Anna", emailHash: nil, followers: [:], payout: nil, at: at)
        var withForm = plain
        withForm.taxForm = .w9
        #expect(Fact.creatorRegistered(plain).version == 1 && Fact.creatorRegistered(withForm).version == 2)
        #expect(Fact.creatorUpdated(CreatorUpdated(id: "anna", name: "A", at: at)).version == 1)
        #expect(Fact.creatorUpdated(CreatorUpdated(id: "anna", taxForm: .some(nil), at: at)).version == 2)
        let bytes = Self.written(.creatorRegistered(withForm))
        #expect(String(decoding: bytes, as: UTF8.self).contains(#""payout_account":null,"tax_form":"w9","at":"#))
        #expect(throws: FactDecodingError.self) {
            try Fact.decode(type: "creator.registered", version: 1, payload: bytes)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let unknown = Array(text.replacingOccurrences(of: "\"w9\"", with: "\"ssn\"").utf8)
        #expect { try Fact.decode(type: "creator.registered", version: 2, payload: unknown) } throws: { error in
            "\(error)".contains("tax_form")
        }
        #expect(Fact.latestVersion(of: "creator.registered") == 2 && Fact.latestVersion(of: "creator.updated") == 2)
    }

    @Test func theScannerReadsWhatTheWriterWritesForItsTypes() {
        let types: Set = ["order.seen", "order.changed", "statement.issued"]
        for fact in Self.everyField where types.contains(fact.typeName) {
            #expect(Self.scanned(fact, Self.written(fact)) == fact, "\(fact.typeName)")
        }
    }
}

extension Fact: CustomTestStringConvertible {
    public var testDescription: String { typeName }
}
