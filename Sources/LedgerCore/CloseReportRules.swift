/// The sums of one month in the close report's series of the last 12 months: its statements (frozen,
/// or the preview of an open month) and the gifts dated in it (gifts are costs, never on a statement).
public struct MonthTotals: Equatable, Sendable {
    public var month: YearMonth
    public var commissionsMinor: Int64 = 0
    public var clawbacksMinor: Int64 = 0
    public var feesMinor: Int64 = 0
    public var giftsMinor: Int64 = 0
    public var payoutsMinor: Int64 = 0

    public init(month: YearMonth) { self.month = month }

    public init(month: YearMonth, statements: [PayoutFigures], gifts: [GiftSent], zone: Zone) {
        self.month = month
        for f in statements {
            commissionsMinor += f.commissionsMinor
            clawbacksMinor += f.clawbacksMinor
            feesMinor += f.feesMinor
            payoutsMinor += f.payoutMinor
        }
        for gift in gifts where zone.month(of: gift.effectiveAt) == month { giftsMinor += gift.valueMinor }
    }

    public var isZero: Bool {
        commissionsMinor == 0 && clawbacksMinor == 0 && feesMinor == 0 && giftsMinor == 0 && payoutsMinor == 0
    }
}

/// The months the series shows: the 12 ending with `month`, oldest first, without the leading
/// months in which nothing happened (a young ledger draws its own history, not a year of zeros).
public func reportHistory(_ totals: [MonthTotals]) -> [MonthTotals] {
    Array(totals.sorted { $0.month < $1.month }.suffix(12).drop { $0.isZero })
}

/// The 12 months ending with `month`, oldest first.
public func twelveMonths(endingWith month: YearMonth) -> [YearMonth] {
    var months = [month]
    while months.count < 12 { months.insert(months[0].previous, at: 0) }
    return months
}

/// `codes unknown` over the orders created in `month` only: the codes the close report lists for it.
public func unknownCodes(_ snapshot: LedgerSnapshot, createdIn month: YearMonth) -> [UnknownCode] {
    var inMonth = snapshot
    inMonth.orders = snapshot.orders.filter { snapshot.zone.month(of: $0.seen.createdAt.instant) == month }
    return unknownCodes(inMonth)
}

/// The last instant of `month` in `zone`: the terms in force "at the end of the month" (the minimum
/// payout a close applies is read there too).
public func lastInstant(of month: YearMonth, zone: Zone) -> Instant {
    zone.startOfMonth(month.next).adding(seconds: -1)
}
