// Values of an order export that cannot be true: input errors (file:line:column), never imported
// and never guessed. Adjustments and post fees are master data and keep their own sign rules.

/// An amount of an imported order, for naming the column to blame.
public enum OrderAmountField: Equatable, Sendable {
    case subtotal, discount, shipping, taxes, total, refunded
}

/// Why an order's amounts cannot be true, and what was expected instead.
public struct ImplausibleAmount: Equatable, Sendable {
    public var field: OrderAmountField
    public var expected: String
}

extension ImportedOrder {
    /// The first amount of the order that cannot be true: a negative one, a refund above the total,
    /// a subtotal (after discounts) above the total. `subtotalAllowanceMinor`: how far the subtotal
    /// may exceed the total (WooCommerce's negative fees, which lower the total); 0 elsewhere.
    /// Nil for every plausible order: a few comparisons, on the reading thread of an import.
    public func implausibleAmount(subtotalAllowanceMinor: Int64 = 0) -> ImplausibleAmount? {
        if subtotalMinor < 0 || discountMinor < 0 || shippingMinor < 0 || taxesMinor < 0 || totalMinor < 0
            || state.refundedMinor < 0
        {
            return negativeAmount()
        }
        if state.refundedMinor > totalMinor {
            return ImplausibleAmount(
                field: .refunded,
                expected: "a refunded amount of at most the order's total "
                    + "\(formatMinor(totalMinor, exponent: currency.minorUnitExponent)): a shop "
                    + "cannot refund more than it took")
        }
        if subtotalMinor > totalMinor + subtotalAllowanceMinor {
            return ImplausibleAmount(
                field: .subtotal,
                expected: "a subtotal of at most the order's total "
                    + "\(formatMinor(totalMinor, exponent: currency.minorUnitExponent)) (the "
                    + "subtotal is after discounts, before shipping and taxes): are two columns "
                    + "swapped?")
        }
        return nil
    }

    private func negativeAmount() -> ImplausibleAmount {
        let fields: [(OrderAmountField, Int64)] = [
            (.subtotal, subtotalMinor), (.discount, discountMinor),
            (.shipping, shippingMinor), (.taxes, taxesMinor),
            (.total, totalMinor), (.refunded, state.refundedMinor)
        ]
        let field = fields.first { $0.1 < 0 }!.0
        let what =
            field == .discount
            ? "a discount of zero or more (a discount is written as a positive amount)"
            : "an amount of zero or more (an order's amounts cannot be negative; a correction of a creator's "
                + "money is an adjustment: tally adjust)"
        return ImplausibleAmount(field: field, expected: what)
    }
}

/// The latest time an export may show, a day after `now`: later is a typo in a date (a year, a
/// month and day swapped), and taken as it is it would make the file's as-of so late that every
/// export after it looked stale. A day of slack for clocks and zones.
public func latestPlausibleTime(now: Instant) -> Instant { now.adding(seconds: 86_400) }

/// What a time later than `latestPlausibleTime` is told.
public func futureTimeExpectation(latest: Instant, zone: Zone) -> String {
    "a time no later than \(zone.timestamp(latest)), a day after now: an export cannot show the future "
        + "(is the year right?)"
}
