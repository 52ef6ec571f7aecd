import LedgerCore
import Testing

/// What an order export cannot show, and the one "did you mean".
@Suite("plausible values and suggestions")
struct PlausibilityTests {
    func order(
        subtotal: Int64 = 9_000, discount: Int64 = 1_000, shipping: Int64 = 500, taxes: Int64 = 720,
        total: Int64 = 10_220, refunded: Int64 = 0
    ) -> ImportedOrder {
        ImportedOrder(
            orderId: "1", name: nil, createdAt: Timestamp(Instant(unixSeconds: 0), offsetSeconds: 0),
            currency: Currency(code: "USD")!, subtotalMinor: subtotal, discountMinor: discount,
            shippingMinor: shipping, taxesMinor: taxes, totalMinor: total, codes: [], referral: nil,
            email: nil,
            state: OrderState(status: .paid, refundedMinor: refunded, cancelledAt: nil), test: false,
            refunds: [], stateBeforeRefunds: nil, latestAt: Instant(unixSeconds: 0), line: 2, idColumn: 1)
    }

    @Test func amountsThatCannotBeTrue() {
        #expect(order().implausibleAmount() == nil)
        #expect(order(subtotal: 0, discount: 0, shipping: 0, taxes: 0, total: 0).implausibleAmount() == nil)
        #expect(order(refunded: 10_220).implausibleAmount() == nil)
        #expect(order(subtotal: -1).implausibleAmount()?.field == .subtotal)
        #expect(order(discount: -1).implausibleAmount()?.field == .discount)
        #expect(order(shipping: -1).implausibleAmount()?.field == .shipping)
        #expect(order(taxes: -1).implausibleAmount()?.field == .taxes)
        #expect(order(total: -1, refunded: -1).implausibleAmount()?.field == .total)
        #expect(order(refunded: -1).implausibleAmount()?.field == .refunded)
        #expect(order(refunded: 10_221).implausibleAmount()?.field == .refunded)
        #expect(
            order(refunded: 10_221).implausibleAmount()?.expected
                .contains("at most the order's total 102.20") == true)
        #expect(order(subtotal: 10_221).implausibleAmount()?.field == .subtotal)
        #expect(order(subtotal: 10_221).implausibleAmount(subtotalAllowanceMinor: 1) == nil)
    }

    @Test func aDayOfSlackAfterNow() {
        let now = Instant(unixSeconds: 1_795_000_000)
        #expect(latestPlausibleTime(now: now) == Instant(unixSeconds: 1_795_086_400))
    }

    @Test func theClosestNameIgnoresCase() {
        #expect(editDistance("Discount Code", "discount codes") == 1)
        #expect(editDistance("", "abc") == 3 && editDistance("kitten", "sitting") == 3)
        #expect(
            closestMatch(to: "Discount Code", among: ["Discount Amount", "Discount Codes", "Name"])
                == "Discount Codes")
        #expect(closestMatch(to: "anna-bakse", among: ["brew-bea", "anna-bakes"], maxDistance: 2) == "anna-bakes")
        #expect(closestMatch(to: "zed", among: ["brew-bea", "anna-bakes"], maxDistance: 2) == nil)
        #expect(closestMatch(to: "x", among: []) == nil)
    }

    /// The start of an id (`anna` for `anna-bakes`, F9 of the fifth trial) is suggested too, when it
    /// begins a few ids; a near spelling still comes first.
    @Test func theStartOfACreatorIdSuggestsTheIdsItBegins() {
        let ids = ["anna-bakes", "brew-bea", "brew-ben", "bob", "steep-sam"]
        #expect(unknownCreatorExpectation("anna", among: ids) == "a registered creator id (did you mean 'anna-bakes'?)")
        #expect(
            unknownCreatorExpectation("Brew", among: ids)
                == "a registered creator id (did you mean 'brew-bea' or 'brew-ben'?)")
        #expect(unknownCreatorExpectation("bo", among: ids).contains("did you mean 'bob'?"))  // one letter off
        #expect(unknownCreatorExpectation("ste", among: ids) == "a registered creator id (did you mean 'steep-sam'?)")
        #expect(unknownCreatorExpectation("zed", among: ids).contains("register it first"))
        #expect(unknownCreatorExpectation("b", among: ids + ["bz"]).contains("did you mean"))
    }
}
