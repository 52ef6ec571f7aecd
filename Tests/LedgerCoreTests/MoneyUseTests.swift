import LedgerCore
import Testing

/// `Money` where an amount leaves its currency: conversions and an order's amounts.
@Suite("money across currencies")
struct MoneyUseTests {
    @Test func aConversionTakesTheAmountWithItsCurrency() throws {
        let cadToUsd = try FXRate.parse("0.7336425").get()
        let cad = Currency(code: "CAD")!
        #expect(cadToUsd.convertChecked(Money(10_000, cad), to: .usd) == Money(7_336, .usd))
        let half = try FXRate.parse("0.5").get()
        #expect(half.convertChecked(Money(3, cad), to: .usd) == Money(2, .usd))  // 1.5 -> 2, half-even
        #expect(
            try FXRate.parse("92233720.3").get().convertChecked(Money(1_000_000_000_000_000, .usd), to: .jpy) == nil)
    }

    @Test func anOrderShowsItsAmountsInItsCurrency() {
        let order = OrderDetails(
            key: OrderKey(source: "shopify", orderId: "1"), name: nil,
            createdAt: Timestamp(Instant(unixSeconds: 0), offsetSeconds: 0), currency: .jpy, subtotalMinor: 4_500,
            discountMinor: 500, shippingMinor: 0, taxesMinor: 0, totalMinor: 5_000, codes: [], referral: nil,
            emailHash: nil, state: OrderState(status: .paid, refundedMinor: 0, cancelledAt: nil), test: false)
        #expect(
            order.subtotal == Money(4_500, .jpy) && order.discount == Money(500, .jpy)
                && order.total == Money(5_000, .jpy))
        #expect(order.money(1_250).withCode == "1250 JPY")
        #expect(Money(-5, .usd).withCode == "-0.05 USD")
    }
}
