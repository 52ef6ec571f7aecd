import LedgerCore
import Testing

/// The direct payload writer must produce exactly the bytes of the JSON tree (the canonical form
/// that the hash chain covers), for every shape of the orders' facts.
@Suite("payload writer equals the canonical JSON encoding")
struct PayloadWriterTests {
    static let texts: [String?] = [nil, "", "#1042", "Zoë \"Q\" \\ back", "tab\there\nnew\rline", "\u{01}ctl", "日本語", "-0"]
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
                let cancelled: Timestamp? = k % 3 == 0 ? nil : Timestamp(Instant(unixSeconds: value / 2), offsetSeconds: -14_400 * (k % 2))
                let codes = Array(["SAVE10", text ?? "", "x\"y"].prefix(k % 4))
                let seen = OrderSeen(key: OrderKey(source: "shopify", orderId: text ?? "7"), name: text,
                                     createdAt: Timestamp(Instant(unixSeconds: value), offsetSeconds: 3600 * (k % 5) - 7200),
                                     currency: Currency(code: k % 2 == 0 ? "USD" : "JPY")!, subtotalMinor: value, discountMinor: -(value / 3),
                                     shippingMinor: Int64(k), taxesMinor: value / 7, totalMinor: value / 11, codes: codes,
                                     referral: k % 2 == 0 ? text : nil, emailHash: k % 3 == 1 ? nil : "ab12",
                                     state: OrderState(status: FinancialStatus.allCases[k % 8], refundedMinor: value / 13, cancelledAt: cancelled),
                                     test: k % 2 == 1, asOf: Instant(unixSeconds: value / 17), importRef: text ?? "")
                let fact = Fact.orderSeen(seen)
                #expect(Self.bytes(fact) == fact.payload.encoded(), "case \(n)")
                n += 1
            }
        }
    }

    @Test func orderChanged() {
        let cancellations: [OrderChanged.Cancellation?] = [nil, .uncancelled, .cancelled(Timestamp(Instant(unixSeconds: 1_750_000_000), offsetSeconds: -14_400))]
        for text in Self.texts {
            for (k, value) in Self.ints.enumerated() {
                for cancellation in cancellations {
                    let changed = OrderChanged(key: OrderKey(source: text ?? "orders", orderId: "42"),
                                               status: k % 3 == 0 ? nil : FinancialStatus.allCases[k % 8],
                                               refundedMinor: k % 2 == 0 ? nil : value, cancellation: cancellation,
                                               effectiveAt: Instant(unixSeconds: value), asOf: Instant(unixSeconds: -(value / 2)), importRef: text ?? "ff")
                    let fact = Fact.orderChanged(changed)
                    #expect(Self.bytes(fact) == fact.payload.encoded())
                }
            }
        }
    }

    @Test func otherFactsTakeTheTree() {
        let fact = Fact.houseCodeDeclared(HouseCodeDeclared(code: "STAFF\"1", at: Instant(unixSeconds: -5)))
        #expect(Self.bytes(fact) == fact.payload.encoded())
        #expect(String(decoding: fact.payload.encoded(), as: UTF8.self).contains("-5"))
    }

    /// A hand-checked payload: the layout itself must not drift.
    @Test func handCheckedOrderChanged() {
        let changed = OrderChanged(key: OrderKey(source: "shopify", orderId: "9"), status: .refunded, refundedMinor: 1250,
                                   cancellation: .uncancelled, effectiveAt: Instant(unixSeconds: 100), asOf: Instant(unixSeconds: 200), importRef: "ab")
        #expect(String(decoding: Self.bytes(.orderChanged(changed)), as: UTF8.self)
            == #"{"source":"shopify","order_id":"9","status":"refunded","refunded_minor":1250,"cancelled_at":null,"effective_at":100,"as_of":200,"import":"ab"}"#)
    }
}
