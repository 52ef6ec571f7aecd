import LedgerCore

/// `2026-09-14T10:00:00Z` (or any offset) as an instant.
public func at(_ text: String) -> Instant { Timestamp.parse(text)!.instant }

/// 00:00 UTC of a date.
public func day(_ text: String) -> Instant { Zone.utc.startOfDay(CivilDate.parse(text)!) }

public func ym(_ text: String) -> YearMonth { YearMonth.parse(text)! }

public let usd = Currency(code: "USD")!
public let cad = Currency(code: "CAD")!
public let jpy = Currency(code: "JPY")!

/// Builds a ledger as a list of facts (log order), folds it into a snapshot and closes months with
/// the pure engine, the way the store does.
public struct Scenario {
    public var facts: [Fact]
    public var zone: Zone

    public init(base: Currency = usd, zone: Zone = .utc) {
        self.zone = zone
        facts = [.ledgerInitialized(testInitialized(base, zone: zone.identifier))]
    }

    public var snapshot: LedgerSnapshot { LedgerSnapshot.fold(facts)! }

    public mutating func creator(_ id: String, emailHash: String? = nil, payout: PayoutDetails? = nil) {
        facts.append(
            .creatorRegistered(
                CreatorRegistered(
                    id: id, name: id.uppercased(), emailHash: emailHash, followers: [:], payout: payout,
                    at: Instant(unixSeconds: 0))))
    }

    public mutating func code(_ code: String, _ creator: String, from: String, until: String? = nil) {
        facts.append(
            .codeAssigned(
                CodeAssigned(
                    code: normalizeCode(code), creator: creator, validFrom: day(from), validUntil: until.map(day))))
    }

    public mutating func house(_ code: String) {
        facts.append(.houseCodeDeclared(HouseCodeDeclared(code: normalizeCode(code), at: Instant(unixSeconds: 0))))
    }

    public mutating func referral(_ value: String, _ creator: String, from: String, until: String? = nil) {
        facts.append(
            .referralAssigned(
                ReferralAssigned(
                    value: normalizeCode(value), creator: creator, validFrom: day(from), validUntil: until.map(day))))
    }

    public mutating func terms(
        _ creator: String, from: String, rate: String? = nil, perOrder: Int64? = nil,
        holdbackDays: Int64? = nil, minPayout: Int64? = nil
    ) {
        let commission = rate.map { r -> CommissionRate in
            guard case let .success(value) = CommissionRate.parse(r) else { preconditionFailure("bad rate \(r)") }
            return value
        }
        facts.append(
            .termsSet(
                TermsSet(
                    creator: creator, effectiveFrom: day(from), commission: commission, perOrderMinor: perOrder,
                    holdbackDays: holdbackDays, minPayoutMinor: minPayout)))
    }

    // swiftlint:disable:next function_parameter_count
    public mutating func order(
        _ id: String, created: String, subtotal: Int64, total: Int64? = nil,
        currency: Currency = usd, codes: [String] = [], referral: String? = nil,
        email: String? = nil,
        status: FinancialStatus = .paid, refunded: Int64 = 0, cancelledAt: String? = nil,
        test: Bool = false, source: String = "shopify", name: String? = nil
    ) {
        let createdAt = Timestamp.parse(created) ?? Timestamp(day(created), offsetSeconds: 0)
        let state = OrderState(
            status: status, refundedMinor: refunded, cancelledAt: cancelledAt.map { Timestamp.parse($0)! })
        let total = total ?? subtotal
        facts.append(
            .orderSeen(
                OrderSeen(
                    key: OrderKey(source: source, orderId: id), name: name, createdAt: createdAt, currency: currency,
                    subtotalMinor: subtotal, discountMinor: 0, shippingMinor: total - subtotal, taxesMinor: 0,
                    totalMinor: total,
                    codes: codes, referral: referral, emailHash: email, state: state, test: test,
                    asOf: createdAt.instant, importRef: "test")))
    }

    public mutating func change(
        _ id: String, effective: String, status: FinancialStatus? = nil, refunded: Int64? = nil,
        cancelledAt: String? = nil, source: String = "shopify"
    ) {
        let when = Timestamp.parse(effective)?.instant ?? day(effective)
        facts.append(
            .orderChanged(
                OrderChanged(
                    key: OrderKey(source: source, orderId: id), status: status, refundedMinor: refunded,
                    cancellation: cancelledAt.map { .cancelled(Timestamp.parse($0)!) },
                    effectiveAt: when, asOf: when, importRef: "test")))
    }

    public mutating func post(_ id: String, _ creator: String, date: String, fee: Int64) {
        facts.append(
            .postPublished(
                PostPublished(
                    id: id, creator: creator, date: CivilDate.parse(date)!,
                    effectiveAt: zone.startOfDay(CivilDate.parse(date)!),
                    platform: "instagram", feeMinor: fee, url: nil, impressions: nil, engagements: nil)))
    }

    public mutating func adjustment(_ id: String, _ creator: String, date: String, amount: Int64) {
        facts.append(
            .adjustmentRecorded(
                AdjustmentRecorded(
                    id: id, creator: creator, date: CivilDate.parse(date)!,
                    effectiveAt: zone.startOfDay(CivilDate.parse(date)!),
                    amountMinor: amount, reason: "test")))
    }

    public mutating func fx(_ date: String, _ currency: Currency, _ rate: String) {
        guard case let .success(r) = FXRate.parse(rate) else { preconditionFailure("bad rate") }
        facts.append(
            .fxRateSet(
                FXRateSet(
                    date: CivilDate.parse(date)!, effectiveAt: zone.startOfDay(CivilDate.parse(date)!),
                    currency: currency, rate: r)))
    }

    public func preview(_ month: String) -> MonthResult { computeMonth(ym(month), snapshot: snapshot) }

    /// Computes and freezes a month, as `payout close` does (without the store's checks).
    @discardableResult
    public mutating func close(_ month: String) -> MonthResult {
        let result = preview(month)
        precondition(result.blocking.isEmpty, "blocking orders in \(month)")
        facts.append(contentsOf: result.facts(zone: zone))
        return result
    }
}

extension MonthResult {
    public func figures(_ creator: String) -> PayoutFigures? { statements.first { $0.creator == creator }?.figures }
    /// The lines without their order details (`detailedLines` keeps them): what the amounts are.
    public func lines(_ creator: String) -> [StatementLine] {
        detailedLines(creator).map { line in
            var bare = line
            bare.order = nil
            return bare
        }
    }
    public func detailedLines(_ creator: String) -> [StatementLine] {
        statements.first { $0.creator == creator }?.lines ?? []
    }
}

public func line(_ kind: StatementLine.Kind, _ ref: String, _ date: String, _ amount: Int64) -> StatementLine {
    StatementLine(kind: kind, ref: ref, date: CivilDate.parse(date)!, amountMinor: amount)
}

/// The figures in the order of the payout table: carried_in, commissions, clawbacks, fees,
/// adjustments, balance, payout, carried_out.
public func figures(_ values: Int64...) -> PayoutFigures {
    PayoutFigures(
        carriedInMinor: values[0], commissionsMinor: values[1], clawbacksMinor: values[2], feesMinor: values[3],
        adjustmentsMinor: values[4], balanceMinor: values[5], payoutMinor: values[6], carriedOutMinor: values[7])
}
