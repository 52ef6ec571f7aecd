import LedgerCore
import LedgerStore

extension MasterDataBook {
    /// Loads what `kind` needs from the projection tables (creators always; the rest only for its
    /// own kind, so that a code assignment does not read every post). Call inside `ledger.write`
    /// so that nothing changes between reading and appending.
    public static func load(from ledger: Ledger, for kind: MasterDataKind) throws -> MasterDataBook {
        var book = MasterDataBook(baseCurrency: ledger.settings.baseCurrency, zone: ledger.settings.zone)
        let c = ledger.connection
        try rows(c, "SELECT id, name, email_hash, followers, payout_method, payout_account FROM creators") { st in
            var followers: [String: Int64] = [:]
            if case let .object(pairs) = try JSON.decode(st.text(3)) { for (k, v) in pairs { followers[k] = v.intValue ?? 0 } }
            let payout = st.optionalText(4).flatMap { m in st.optionalText(5).map { PayoutDetails(method: m, account: $0) } }
            book.creators[st.text(0)] = CreatorRecord(id: st.text(0), name: st.text(1), emailHash: st.optionalText(2), followers: followers, payout: payout)
        }
        switch kind {
        case .creators: break
        case .codes:
            try rows(c, "SELECT code, creator, valid_from, valid_until FROM code_assignments ORDER BY seq") { st in
                book.codes[st.text(0), default: [:]][instant(st, 2)] = assignment(st)
            }
            try rows(c, "SELECT code FROM house_codes") { st in book.houseCodes.insert(st.text(0)) }
        case .referrals:
            try rows(c, "SELECT value, creator, valid_from, valid_until FROM referral_assignments ORDER BY seq") { st in
                book.referrals[st.text(0), default: [:]][instant(st, 2)] = assignment(st)
            }
        case .terms:
            try rows(c, "SELECT creator, effective_from, commission_ppm, per_order_minor, holdback_days, min_payout_minor FROM terms ORDER BY seq") { st in
                let t = TermsSet(creator: st.text(0), effectiveFrom: instant(st, 1), commission: st.optionalInt(2).map(CommissionRate.init(partsPerMillion:)),
                                 perOrderMinor: st.optionalInt(3), holdbackDays: st.optionalInt(4), minPayoutMinor: st.optionalInt(5))
                book.terms[t.creator, default: [:]][t.effectiveFrom] = t
            }
        case .posts:
            try rows(c, "SELECT id, creator, date, effective_at, platform, fee_minor, url, impressions, engagements FROM posts") { st in
                book.posts[st.text(0)] = PostPublished(id: st.text(0), creator: st.text(1), date: try date(st, 2), effectiveAt: instant(st, 3),
                                                       platform: st.text(4), feeMinor: st.int(5), url: st.optionalText(6),
                                                       impressions: st.optionalInt(7), engagements: st.optionalInt(8))
            }
        case .gifts:
            try rows(c, "SELECT id, creator, date, effective_at, value_minor, note FROM gifts") { st in
                book.gifts[st.text(0)] = GiftSent(id: st.text(0), creator: st.text(1), date: try date(st, 2), effectiveAt: instant(st, 3),
                                                  valueMinor: st.int(4), note: st.optionalText(5))
            }
        case .adjustments:
            try rows(c, "SELECT id, creator, date, effective_at, amount_minor, reason FROM adjustments") { st in
                book.adjustments[st.text(0)] = AdjustmentRecorded(id: st.text(0), creator: st.text(1), date: try date(st, 2), effectiveAt: instant(st, 3),
                                                                  amountMinor: st.int(4), reason: st.text(5))
            }
        case .fx:
            try rows(c, "SELECT currency, date, rate_e10 FROM fx_rates") { st in
                book.fxRates["\(st.text(0)) \(st.text(1))"] = FXRate(scaled: st.int(2))
            }
        }
        return book
    }
}

private func rows(_ c: Connection, _ sql: String, _ body: (Statement) throws -> Void) throws {
    let st = try c.prepared(sql)
    defer { st.reset() }
    while try st.step() { try body(st) }
}

private func instant(_ st: Statement, _ i: Int32) -> Instant { Instant(unixSeconds: st.int(i)) }

private func assignment(_ st: Statement) -> Assignment {
    Assignment(creator: st.text(1), validFrom: instant(st, 2), validUntil: st.optionalInt(3).map(Instant.init(unixSeconds:)))
}

private func date(_ st: Statement, _ i: Int32) throws -> CivilDate {
    guard let d = CivilDate.parse(st.text(i)) else { throw LedgerError.corrupt("bad date \(st.text(i)) in a projection") }
    return d
}
