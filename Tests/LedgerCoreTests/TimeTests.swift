import TestSupport
import Testing
@testable import LedgerCore

@Suite("time: dates, timestamps, months in the ledger's zone")
struct TimeTests {
    let newYork = Zone(identifier: "America/New_York")!

    @Test func parsesTimestampsWithOffsets() throws {
        let shopify = try #require(Timestamp.parse("2026-09-14 10:23:45 -0400"))
        #expect(shopify.instant.unixSeconds == 1_789_395_825)
        #expect(shopify.offsetSeconds == -4 * 3600)
        #expect(shopify.description == "2026-09-14T10:23:45-04:00")
        let iso = try #require(Timestamp.parse("2026-09-14T14:23:45Z"))
        #expect(iso.instant == shopify.instant)
        #expect(Timestamp.parse("2026-09-14T16:23:45+02:00")?.instant == shopify.instant)
        #expect(Timestamp.parse("2026-09-14T10:23:45.123-04:00")?.instant == shopify.instant)
        #expect(Timestamp.parse("2026-09-14T10:23-04:00")?.instant == shopify.instant.adding(seconds: -45))
    }

    @Test(arguments: [
        "2026-09-14 10:23:45", "2026-09-14", "14/09/2026 10:23", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
        "2026-09-14T25:00:00Z", "0000-01-01T00:00:00Z", "2026-09-14T10:23:45+2500", "2026-09-14T10:23:45Zjunk"
    ])
    func refusesTimestampsWithoutOffsetOrInvalid(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func readsLocalTimesInTheZone() throws {
        let summer = try #require(Timestamp.parse("2026-07-01 00:00:00", defaultZone: newYork))
        #expect(summer.description == "2026-07-01T00:00:00-04:00")
        let winter = try #require(Timestamp.parse("2026-12-01 00:00:00", defaultZone: newYork))
        #expect(winter.description == "2026-12-01T00:00:00-05:00")
    }

    @Test func monthsAreMonthsInTheLedgerZone() throws {
        // 2026-10-01T02:30Z is still September 30 in New York.
        let late = try #require(Timestamp.parse("2026-10-01T02:30:00+00:00"))
        #expect(newYork.month(of: late.instant) == YearMonth(year: 2026, month: 9))
        #expect(Zone.utc.month(of: late.instant) == YearMonth(year: 2026, month: 10))
        let start = newYork.startOfMonth(YearMonth(year: 2026, month: 11)!)
        #expect(newYork.timestamp(start).description == "2026-11-01T00:00:00-04:00")  // DST ends at 02:00 that day
        #expect(
            newYork.timestamp(newYork.startOfMonth(YearMonth(year: 2026, month: 12)!)).description
                == "2026-12-01T00:00:00-05:00")
    }

    @Test func civilDatesRoundTrip() {
        for days in stride(from: Int64(-800_000), through: 2_900_000, by: 997) {
            let date = CivilDate(daysSinceEpoch: days)
            #expect(date.daysSinceEpoch == days)
        }
        #expect(CivilDate(year: 2024, month: 2, day: 29) != nil)
        #expect(CivilDate(year: 2026, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 1900, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 2000, month: 2, day: 29) != nil)
        #expect(CivilDate.parse("2026-09-14")?.description == "2026-09-14")
        #expect(CivilDate.parse("2026-9-14") == nil)
        #expect(YearMonth.parse("2026-12")?.next == YearMonth(year: 2027, month: 1))
        #expect(YearMonth.parse("2026-01")?.previous == YearMonth(year: 2025, month: 12))
        #expect(YearMonth.parse("2026-13") == nil)
    }

    @Test func dateArgumentsAreMidnightInTheZone() throws {
        let instant = try #require(parseDateOrTimestamp("2026-09-01", zone: newYork))
        #expect(newYork.timestamp(instant).description == "2026-09-01T00:00:00-04:00")
        #expect(parseDateOrTimestamp("2026-09-01T12:00:00Z", zone: newYork)?.unixSeconds == 1_788_264_000)
        #expect(parseDateOrTimestamp("Sept 1", zone: newYork) == nil)
    }
}

@Suite("codes and JSON payloads")
struct CodecTests {
    @Test func codesCompareAfterTrimAndUnicodeUppercase() {
        #expect(normalizeCode(" anna15 ") == "ANNA15")
        #expect(normalizeCode("Anna15\u{2060}") == "ANNA15")
        #expect(normalizeCode("straße") == "STRASSE")
        #expect(normalizeCode("émilie") == "ÉMILIE")
    }

    @Test func jsonIsCanonicalAndRoundTrips() throws {
        let value = JSON.object([
            ("b", .int(-12)), ("a", .string("quote \" backslash \\ newline \n tab \t é")),
            ("c", .array([.null, .bool(true)]))
        ])
        let text = value.encodedString
        #expect(text == #"{"b":-12,"a":"quote \" backslash \\ newline \n tab \t é","c":[null,true]}"#)
        #expect(try JSON.decode(text) == value)
        #expect((try? JSON.decode("{\"a\":1.5}")) == nil)
        #expect((try? JSON.decode("{\"a\":1} x")) == nil)
    }

    @Test func everyFactTypeRoundTripsThroughItsPayload() throws {
        let at = Instant(unixSeconds: 1_790_000_000)
        let ts = Timestamp(at, offsetSeconds: -14_400)
        let key = OrderKey(source: "shopify", orderId: "7209192468671")
        let facts: [Fact] = [
            .ledgerInitialized(testInitialized(.usd, zone: "America/New_York")),
            .ledgerInitializedV1(
                LedgerInitializedV1(baseCurrency: .usd, zone: "America/New_York", emailSalt: "00ff", at: at)),
            .ledgerRedacted(LedgerRedacted(factSeq: 1, factVersion: 1, redactedSHA256: "00ff", at: at)),
            .creatorRegistered(
                CreatorRegistered(
                    id: "anna-bakes", name: "Anna", emailHash: "ab", followers: ["tiktok": 5, "instagram": 48_200],
                    payout: PayoutDetails(method: "paypal", account: "a@example.com"), at: at)),
            .creatorUpdated(CreatorUpdated(id: "anna-bakes", followers: ["instagram": 50_000], at: at)),
            .codeAssigned(CodeAssigned(code: "ANNA15", creator: "anna-bakes", validFrom: at, validUntil: nil)),
            .houseCodeDeclared(HouseCodeDeclared(code: "WELCOME10", at: at)),
            .referralAssigned(
                ReferralAssigned(
                    value: "REF=ANNA", creator: "anna-bakes", validFrom: at, validUntil: at.adding(seconds: 86_400))),
            .termsSet(
                TermsSet(
                    creator: "anna-bakes", effectiveFrom: at, commission: CommissionRate(partsPerMillion: 125_000),
                    holdbackDays: 14)),
            .postPublished(
                PostPublished(
                    id: "P1", creator: "anna-bakes", date: CivilDate(year: 2026, month: 9, day: 1)!, effectiveAt: at,
                    platform: "instagram", feeMinor: 25_000, url: nil, impressions: 10_000, engagements: nil)),
            .giftSent(
                GiftSent(
                    id: "G1", creator: "anna-bakes", date: CivilDate(year: 2026, month: 9, day: 1)!, effectiveAt: at,
                    valueMinor: 8_000, note: "tea")),
            .adjustmentRecorded(
                AdjustmentRecorded(
                    id: "A1", creator: "anna-bakes", date: CivilDate(year: 2026, month: 9, day: 1)!, effectiveAt: at,
                    amountMinor: -2_500, reason: "sample not returned")),
            .fxRateSet(
                FXRateSet(
                    date: CivilDate(year: 2026, month: 9, day: 1)!, effectiveAt: at, currency: Currency(code: "CAD")!,
                    rate: FXRate(scaled: 7_336_430_000))),
            .orderSeen(
                OrderSeen(
                    key: key, name: "#1131", createdAt: ts, currency: .usd, subtotalMinor: 5_000, discountMinor: 750,
                    shippingMinor: 499,
                    taxesMinor: 400, totalMinor: 5_899, codes: ["annabakes"], referral: nil, emailHash: "cd",
                    state: OrderState(status: .paid, refundedMinor: 0, cancelledAt: nil), test: false, asOf: at,
                    importRef: "ff")),
            .orderChanged(
                OrderChanged(
                    key: key, status: .partiallyRefunded, refundedMinor: 1_250, cancellation: .cancelled(ts),
                    effectiveAt: at, asOf: at, importRef: "ee")),
            .orderChanged(
                OrderChanged(key: key, cancellation: .uncancelled, effectiveAt: at, asOf: at, importRef: "ee")),
            .statementIssued(
                StatementIssued(
                    month: YearMonth(year: 2026, month: 9)!, creator: "anna-bakes", currency: .usd,
                    figures: PayoutFigures(
                        carriedInMinor: 1, commissionsMinor: 2, clawbacksMinor: 3, feesMinor: 4, adjustmentsMinor: 5,
                        balanceMinor: 9, payoutMinor: 0, carriedOutMinor: 9),
                    minPayoutMinor: 5_000,
                    lines: [
                        StatementLine(
                            kind: .clawback, ref: "shopify:1", date: CivilDate(year: 2026, month: 9, day: 2)!,
                            amountMinor: -3)
                    ],
                    effectiveAt: at)),
            .monthClosed(
                MonthClosed(
                    month: YearMonth(year: 2026, month: 9)!, statements: 1, payoutTotalMinor: 0, effectiveAt: at)),
            .payoutPaid(
                PayoutPaid(
                    month: YearMonth(year: 2026, month: 9)!, creator: "anna-bakes", amountMinor: 9,
                    reference: "PP-1", paidOn: nil, method: nil, at: at)),
            .payoutPaid(
                PayoutPaid(
                    month: YearMonth(year: 2026, month: 9)!, creator: "anna-bakes", amountMinor: 9,
                    reference: "PP-1", paidOn: CivilDate(year: 2026, month: 10, day: 5)!, method: .wise,
                    at: at)),
            .payoutExported(
                PayoutExported(
                    month: YearMonth(year: 2026, month: 9)!, format: "paypal", file: "pay.csv",
                    creators: ["anna-bakes", "bea"], totalMinor: 1_234, at: at)),
            .monthReopened(MonthReopened(month: YearMonth(year: 2026, month: 9)!, reason: "late \"refund\"", at: at)),
            .importRecorded(
                ImportRecorded(
                    source: "shopify", fileName: "x.csv", sha256: "ab", asOf: at, counts: ["new": 3],
                    confirmedOrderIds: ["1"])),
            .tiersSet(
                TiersSet(thresholds: TierThresholds(microFrom: 2_000, macroFrom: 50_000, megaFrom: 500_000), at: at))
        ]
        for fact in facts {
            let bytes = fact.payload.encoded()
            let decoded = try Fact.decode(type: fact.typeName, version: fact.version, payload: bytes)
            #expect(decoded == fact, "\(fact.typeName)")
            #expect(decoded.payload.encoded() == bytes, "\(fact.typeName) re-encodes to the same bytes")
        }
        #expect(throws: FactDecodingError.self) {
            try Fact.decode(type: "order.seen", version: 2, payload: Array("{}".utf8))
        }
        #expect(throws: FactDecodingError.self) {
            try Fact.decode(type: "order.seen", version: 1, payload: Array("{}".utf8))
        }
    }
}
