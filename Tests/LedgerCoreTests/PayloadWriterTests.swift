import LedgerCore
import TestSupport
import Testing

/// The direct payload writer must produce exactly the bytes of the JSON tree (the canonical form
/// that the hash chain covers), for every shape of the orders' facts.
@Suite("payload writer equals the canonical JSON encoding")
struct PayloadWriterTests {
    static let texts: [String?] = [
        nil, "", "#1042", "Zoë \"Q\" \\ back", "tab\there\nnew\rline", "\u{01}ctl", "日本語", "-0"
    ]
    static let ints: [Int64] = [0, 1, -1, 9, 10, -10, 1_735_689_600, -18_000, Int64.max, Int64.min + 1, Int64.min]

    static func bytes(_ fact: Fact) -> [UInt8] {
        var out: [UInt8] = [9, 9]  // the writer appends: existing bytes stay
        fact.writePayload(into: &out)
        return Array(out.dropFirst(2))
    }

    @Test func orderSeen() {
        var n = 0
        for text in Self.texts {
            for (k, value) in Self.ints.enumerated() {
                let cancelled: Timestamp? =
                    k % 3 == 0 ? nil : Timestamp(Instant(unixSeconds: value / 2), offsetSeconds: -14_400 * (k % 2))
                let codes = Array(["SAVE10", text ?? "", "x\"y"].prefix(k % 4))
                let seen = OrderSeen(
                    key: OrderKey(source: "shopify", orderId: text ?? "7"), name: text,
                    createdAt: Timestamp(Instant(unixSeconds: value), offsetSeconds: 3600 * (k % 5) - 7200),
                    currency: Currency(code: k % 2 == 0 ? "USD" : "JPY")!, subtotalMinor: value,
                    discountMinor: -(value / 3),
                    shippingMinor: Int64(k), taxesMinor: value / 7, totalMinor: value / 11, codes: codes,
                    referral: k % 2 == 0 ? text : nil, emailHash: k % 3 == 1 ? nil : "ab12",
                    state: OrderState(
                        status: FinancialStatus.allCases[k % 8], refundedMinor: value / 13, cancelledAt: cancelled),
                    test: k % 2 == 1, asOf: Instant(unixSeconds: value / 17), importRef: text ?? "")
                let fact = Fact.orderSeen(seen)
                #expect(Self.bytes(fact) == fact.payload.encoded(), "case \(n)")
                n += 1
            }
        }
    }

    @Test func orderChanged() {
        let cancellations: [OrderChanged.Cancellation?] = [
            nil, .uncancelled, .cancelled(Timestamp(Instant(unixSeconds: 1_750_000_000), offsetSeconds: -14_400))
        ]
        for text in Self.texts {
            for (k, value) in Self.ints.enumerated() {
                for cancellation in cancellations {
                    let changed = OrderChanged(
                        key: OrderKey(source: text ?? "orders", orderId: "42"),
                        status: k % 3 == 0 ? nil : FinancialStatus.allCases[k % 8],
                        refundedMinor: k % 2 == 0 ? nil : value, cancellation: cancellation,
                        effectiveAt: Instant(unixSeconds: value), asOf: Instant(unixSeconds: -(value / 2)),
                        importRef: text ?? "ff")
                    let fact = Fact.orderChanged(changed)
                    #expect(Self.bytes(fact) == fact.payload.encoded())
                }
            }
        }
    }

    /// The code list the projection stores and the one-read re-import compares in place.
    @Test func codesJSONIsTheJSONArrayOfTheCodes() {
        let lists: [[String]] = [
            [], ["A"], ["SUMMER10", "vip"], ["quo\"te", "back\\slash", "tab\t", "nl\n", "\u{1}"], ["ZOË", "€5", ""]
        ]
        for codes in lists {
            let expected = codes.isEmpty ? "[]" : JSON.array(codes.map(JSON.string)).encodedString
            #expect(OrderSeen.codesJSON(codes) == expected)
            var out: [UInt8] = [7]
            OrderSeen.writeCodesJSON(codes, into: &out)
            #expect(out == [7] + Array(expected.utf8))
        }
    }

    @Test func otherFactsTakeTheTree() {
        let fact = Fact.houseCodeDeclared(HouseCodeDeclared(code: "STAFF\"1", at: Instant(unixSeconds: -5)))
        #expect(Self.bytes(fact) == fact.payload.encoded())
        #expect(String(decoding: fact.payload.encoded(), as: UTF8.self).contains("-5"))
    }

    @Test func statementIssued() {
        let lines = [
            StatementLine(
                kind: .commission, ref: "shopify:1", date: CivilDate(year: 2026, month: 1, day: 2)!, amountMinor: 1250),
            StatementLine(
                kind: .clawback, ref: "shop\"x:2", date: CivilDate(year: 2026, month: 1, day: 31)!, amountMinor: -5),
            StatementLine(kind: .fee, ref: "P-1", date: CivilDate(year: 2026, month: 1, day: 3)!, amountMinor: 0)
        ]
        for count in 0...lines.count {
            let figures = PayoutFigures(
                carriedInMinor: -3, commissionsMinor: 1250, clawbacksMinor: 5, feesMinor: 0, adjustmentsMinor: 7,
                balanceMinor: 1249, payoutMinor: 0, carriedOutMinor: 1249)
            let fact = Fact.statementIssued(
                StatementIssued(
                    month: YearMonth(year: 2026, month: 1)!, creator: "ann", currency: .usd, figures: figures,
                    minPayoutMinor: 5000, lines: Array(lines.prefix(count)),
                    effectiveAt: Instant(unixSeconds: 1_769_922_000)))
            #expect(Self.bytes(fact) == fact.payload.encoded())
            let scanned = Self.bytes(fact).withUnsafeBytes { Fact.decodeCanonical(type: fact.typeName, payload: $0) }
            let expected: Fact? = count >= 2 ? nil : fact  // an escaped ref is left to the generic decoder
            #expect(scanned == expected)
            #expect((try? Fact.decode(type: fact.typeName, version: fact.version, payload: Self.bytes(fact))) == fact)
        }
    }

    /// A hand-checked payload: the layout itself must not drift.
    @Test func handCheckedOrderChanged() {
        let changed = OrderChanged(
            key: OrderKey(source: "shopify", orderId: "9"), status: .refunded, refundedMinor: 1250,
            cancellation: .uncancelled, effectiveAt: Instant(unixSeconds: 100), asOf: Instant(unixSeconds: 200),
            importRef: "ab")
        #expect(
            String(decoding: Self.bytes(.orderChanged(changed)), as: UTF8.self)
                == #"{"source":"shopify","order_id":"9","status":"refunded","refunded_minor":1250,"cancelled_at":null,"#
                + #""effective_at":100,"as_of":200,"import":"ab"}"#)
    }
}

/// The canonical scanner used by `rebuild` reads back exactly what the writer wrote, and leaves
/// anything else to the generic decoder.
@Suite("canonical payload scanner")
struct PayloadScannerTests {
    static func roundTrip(_ fact: Fact) -> (fast: Fact?, generic: Fact?) {
        let bytes = fact.payload.encoded()
        let fast = bytes.withUnsafeBytes { Fact.decodeCanonical(type: fact.typeName, payload: $0) }
        return (fast, try? Fact.decode(type: fact.typeName, version: fact.version, payload: bytes))
    }

    @Test func readsBackEveryOrderFactTheWriterWrites() {
        var answered = 0
        for text in PayloadWriterTests.texts {
            // Int64.min is left out: the generic parser reads magnitudes up to Int64.max only.
            for (k, value) in PayloadWriterTests.ints.enumerated() where value != Int64.min {
                let cancelled: Timestamp? =
                    k % 3 == 0 ? nil : Timestamp(Instant(unixSeconds: value / 2), offsetSeconds: -14_400 * (k % 2))
                let seen = OrderSeen(
                    key: OrderKey(source: "shopify", orderId: text ?? "7"), name: text,
                    createdAt: Timestamp(Instant(unixSeconds: value), offsetSeconds: 3600), currency: .usd,
                    subtotalMinor: value, discountMinor: 0, shippingMinor: Int64(k), taxesMinor: 1,
                    totalMinor: value / 11,
                    codes: Array(["SAVE10", text ?? "", "B"].prefix(k % 4)), referral: text,
                    emailHash: k % 2 == 0 ? nil : "ab",
                    state: OrderState(
                        status: FinancialStatus.allCases[k % 8], refundedMinor: value / 13, cancelledAt: cancelled),
                    test: k % 2 == 1, asOf: Instant(unixSeconds: value / 17), importRef: "ff")
                for cancellation: OrderChanged.Cancellation? in [
                    nil, .uncancelled, .cancelled(Timestamp(Instant(unixSeconds: value), offsetSeconds: -3600))
                ] {
                    let changed = OrderChanged(
                        key: seen.key, status: k % 2 == 0 ? nil : .refunded, refundedMinor: k % 3 == 0 ? nil : value,
                        cancellation: cancellation, effectiveAt: Instant(unixSeconds: value),
                        asOf: Instant(unixSeconds: 5), importRef: "ff")
                    for fact in [Fact.orderSeen(seen), .orderChanged(changed)] {
                        // Compared as Bool: describing an extreme timestamp in a failure message would trap.
                        let (fast, generic) = Self.roundTrip(fact)
                        let genericOK = generic == fact
                        #expect(genericOK, "generic: \(fact.typeName) k=\(k) text=\(text ?? "nil")")
                        if let fast {
                            let fastOK = fast == fact
                            #expect(fastOK, "fast: \(fact.typeName) k=\(k) text=\(text ?? "nil")")
                            answered += 1
                        }
                    }
                }
            }
        }
        #expect(answered > 100)  // the plain cases take the fast path
    }

    @Test func leavesNonCanonicalBytesToTheGenericDecoder() {
        let canonical = #"{"source":"shopify","order_id":"9","effective_at":100,"as_of":200,"import":"ab"}"#
        let others = [
            #"{"source":"shopify","order_id":"9","effective_at":0100,"as_of":200,"import":"ab"}"#,  // leading zero
            #"{"source":"shopify","order_id":"9","effective_at":-0,"as_of":200,"import":"ab"}"#,
            #"{"source":"shop\"ify","order_id":"9","effective_at":100,"as_of":200,"import":"ab"}"#,  // an escape
            #"{ "source":"shopify","order_id":"9","effective_at":100,"as_of":200,"import":"ab"}"#,  // whitespace
            #"{"order_id":"9","source":"shopify","effective_at":100,"as_of":200,"import":"ab"}"#,  // key order
            #"{"source":"shopify","order_id":"9","status":null,"effective_at":100,"as_of":200,"import":"ab"}"#,
            #"{"source":"shopify","order_id":"9","effective_at":100,"as_of":200,"import":"ab"} "#
        ]
        #expect(
            Array(canonical.utf8).withUnsafeBytes { Fact.decodeCanonical(type: "order.changed", payload: $0) } != nil)
        for text in others {
            #expect(
                Array(text.utf8).withUnsafeBytes { Fact.decodeCanonical(type: "order.changed", payload: $0) } == nil,
                "\(text)")
        }
    }
}
