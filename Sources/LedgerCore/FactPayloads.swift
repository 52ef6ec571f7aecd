// The payload of every fact type, with its canonical JSON layout (version 1).
// Key names carry units: `_minor` is minor units of the named currency, `_ppm` parts per million,
// times are Unix seconds, dates `YYYY-MM-DD` in the ledger's zone.

public struct LedgerInitialized: Equatable, Sendable {
    public var baseCurrency: Currency
    public var zone: String
    /// Random per-ledger salt for e-mail hashes (hex).
    public var emailSalt: String
    public var at: Instant
    public init(baseCurrency: Currency, zone: String, emailSalt: String, at: Instant) {
        self.baseCurrency = baseCurrency; self.zone = zone; self.emailSalt = emailSalt; self.at = at
    }
    var json: JSON { .object([("base_currency", .string(baseCurrency.code)), ("zone", .string(zone)), ("email_salt", .string(emailSalt)), ("at", .at(at))]) }
    init(_ r: PayloadReader) throws(FactDecodingError) {
        self.init(baseCurrency: try r.currency("base_currency"), zone: try r.string("zone"), emailSalt: try r.string("email_salt"), at: try r.instant("at"))
    }
}

/// Where and how a creator is paid: only what a payment file needs.
public struct PayoutDetails: Equatable, Sendable {
    public var method: String      // paypal, wise, bank
    public var account: String     // e-mail, IBAN, account number
    public init(method: String, account: String) { self.method = method; self.account = account }
}

public struct CreatorRegistered: Equatable, Sendable {
    public var id: String
    public var name: String
    public var emailHash: String?
    /// Follower count per platform, sorted by platform name.
    public var followers: [String: Int64]
    public var payout: PayoutDetails?
    public var at: Instant
    public init(id: String, name: String, emailHash: String?, followers: [String: Int64], payout: PayoutDetails?, at: Instant) {
        self.id = id; self.name = name; self.emailHash = emailHash; self.followers = followers; self.payout = payout; self.at = at
    }
    var json: JSON {
        .object([("id", .string(id)), ("name", .string(name)), ("email_hash", .opt(emailHash)),
                 ("followers", followersJSON(followers)), ("payout_method", .opt(payout?.method)),
                 ("payout_account", .opt(payout?.account)), ("at", .at(at))])
    }
    init(_ r: PayloadReader) throws(FactDecodingError) {
        let method = try r.optionalString("payout_method"), account = try r.optionalString("payout_account")
        self.init(id: try r.string("id"), name: try r.string("name"), emailHash: try r.optionalString("email_hash"),
                  followers: try readFollowers(r), payout: payoutDetails(method, account), at: try r.instant("at"))
    }
}

/// Only the fields that changed; nil means unchanged. `followers` replaces the whole map.
public struct CreatorUpdated: Equatable, Sendable {
    public var id: String
    public var name: String?
    public var emailHash: String?
    public var followers: [String: Int64]?
    public var payout: PayoutDetails?
    public var at: Instant
    public init(id: String, name: String? = nil, emailHash: String? = nil, followers: [String: Int64]? = nil, payout: PayoutDetails? = nil, at: Instant) {
        self.id = id; self.name = name; self.emailHash = emailHash; self.followers = followers; self.payout = payout; self.at = at
    }
    public var isEmpty: Bool { name == nil && emailHash == nil && followers == nil && payout == nil }
    var json: JSON {
        .object([("id", .string(id)), ("name", .opt(name)), ("email_hash", .opt(emailHash)),
                 ("followers", followers.map(followersJSON) ?? .null), ("payout_method", .opt(payout?.method)),
                 ("payout_account", .opt(payout?.account)), ("at", .at(at))])
    }
    init(_ r: PayloadReader) throws(FactDecodingError) {
        let hasFollowers = !(r.json["followers"]?.isNull ?? true)
        let method = try r.optionalString("payout_method"), account = try r.optionalString("payout_account")
        self.init(id: try r.string("id"), name: try r.optionalString("name"), emailHash: try r.optionalString("email_hash"),
                  followers: hasFollowers ? try readFollowers(r) : nil, payout: payoutDetails(method, account), at: try r.instant("at"))
    }
}

private func payoutDetails(_ method: String?, _ account: String?) -> PayoutDetails? {
    guard let method, let account else { return nil }
    return PayoutDetails(method: method, account: account)
}

/// Follower counts as facts and the `creators` projection keep them: an object sorted by platform.
public func followersJSON(_ followers: [String: Int64]) -> JSON {
    .object(followers.keys.sorted().map { ($0, .int(followers[$0]!)) })
}

private func readFollowers(_ r: PayloadReader) throws(FactDecodingError) -> [String: Int64] {
    guard case let .object(pairs)? = r.json["followers"] else { throw FactDecodingError("\(r.type): followers is not an object") }
    var result: [String: Int64] = [:]
    for (platform, count) in pairs {
        guard let n = count.intValue else { throw FactDecodingError("\(r.type): follower count is not an integer") }
        result[platform] = n
    }
    return result
}

/// A discount code given to a creator from `validFrom` (inclusive) to `validUntil` (exclusive).
/// A later assignment of the same code ends this one at its own `validFrom`.
public struct CodeAssigned: Equatable, Sendable {
    public var code: String          // normalized: trimmed, upper-cased
    public var creator: String
    public var validFrom: Instant
    public var validUntil: Instant?
    public init(code: String, creator: String, validFrom: Instant, validUntil: Instant?) {
        self.code = code; self.creator = creator; self.validFrom = validFrom; self.validUntil = validUntil
    }
    var json: JSON { .object([("code", .string(code)), ("creator", .string(creator)), ("valid_from", .at(validFrom)), ("valid_until", .opt(validUntil))]) }
    init(_ r: PayloadReader) throws(FactDecodingError) {
        self.init(code: try r.string("code"), creator: try r.string("creator"), validFrom: try r.instant("valid_from"), validUntil: try r.optionalInstant("valid_until"))
    }
}

/// A code that belongs to no creator (a sitewide sale, a welcome code): never attributed.
public struct HouseCodeDeclared: Equatable, Sendable {
    public var code: String
    public var at: Instant
    public init(code: String, at: Instant) { self.code = code; self.at = at }
    var json: JSON { .object([("code", .string(code)), ("at", .at(at))]) }
    init(_ r: PayloadReader) throws(FactDecodingError) { self.init(code: try r.string("code"), at: try r.instant("at")) }
}

/// A referral value (`ref=anna`, a utm value) given to a creator, with validity as for codes.
public struct ReferralAssigned: Equatable, Sendable {
    public var value: String         // normalized: trimmed, upper-cased
    public var creator: String
    public var validFrom: Instant
    public var validUntil: Instant?
    public init(value: String, creator: String, validFrom: Instant, validUntil: Instant?) {
        self.value = value; self.creator = creator; self.validFrom = validFrom; self.validUntil = validUntil
    }
    var json: JSON { .object([("value", .string(value)), ("creator", .string(creator)), ("valid_from", .at(validFrom)), ("valid_until", .opt(validUntil))]) }
    init(_ r: PayloadReader) throws(FactDecodingError) {
        self.init(value: try r.string("value"), creator: try r.string("creator"), validFrom: try r.instant("valid_from"), validUntil: try r.optionalInstant("valid_until"))
    }
}

/// Commission terms from `effectiveFrom`. A field left out (nil) keeps its value from the terms
/// in force before.
public struct TermsSet: Equatable, Sendable {
    public var creator: String
    public var effectiveFrom: Instant
    public var commission: CommissionRate?
    public var perOrderMinor: Int64?
    public var holdbackDays: Int64?
    public var minPayoutMinor: Int64?
    public init(creator: String, effectiveFrom: Instant, commission: CommissionRate? = nil, perOrderMinor: Int64? = nil, holdbackDays: Int64? = nil, minPayoutMinor: Int64? = nil) {
        self.creator = creator; self.effectiveFrom = effectiveFrom; self.commission = commission
        self.perOrderMinor = perOrderMinor; self.holdbackDays = holdbackDays; self.minPayoutMinor = minPayoutMinor
    }
    var json: JSON {
        .object([("creator", .string(creator)), ("effective_from", .at(effectiveFrom)),
                 ("commission_ppm", .opt(commission?.partsPerMillion)), ("per_order_minor", .opt(perOrderMinor)),
                 ("holdback_days", .opt(holdbackDays)), ("min_payout_minor", .opt(minPayoutMinor))])
    }
    init(_ r: PayloadReader) throws(FactDecodingError) {
        self.init(creator: try r.string("creator"), effectiveFrom: try r.instant("effective_from"),
                  commission: try r.optionalInt("commission_ppm").map(CommissionRate.init(partsPerMillion:)),
                  perOrderMinor: try r.optionalInt("per_order_minor"), holdbackDays: try r.optionalInt("holdback_days"),
                  minPayoutMinor: try r.optionalInt("min_payout_minor"))
    }
}

public struct PostPublished: Equatable, Sendable {
    public var id: String
    public var creator: String
    public var date: CivilDate
    public var effectiveAt: Instant   // 00:00 of `date` in the ledger's zone
    public var platform: String
    public var feeMinor: Int64        // base currency
    public var url: String?
    public var impressions: Int64?
    public var engagements: Int64?
    public init(id: String, creator: String, date: CivilDate, effectiveAt: Instant, platform: String, feeMinor: Int64, url: String?, impressions: Int64?, engagements: Int64?) {
        self.id = id; self.creator = creator; self.date = date; self.effectiveAt = effectiveAt; self.platform = platform
        self.feeMinor = feeMinor; self.url = url; self.impressions = impressions; self.engagements = engagements
    }
    var json: JSON {
        .object([("id", .string(id)), ("creator", .string(creator)), ("date", .string(date.description)), ("effective_at", .at(effectiveAt)),
                 ("platform", .string(platform)), ("fee_minor", .int(feeMinor)), ("url", .opt(url)),
                 ("impressions", .opt(impressions)), ("engagements", .opt(engagements))])
    }
    init(_ r: PayloadReader) throws(FactDecodingError) {
        self.init(id: try r.string("id"), creator: try r.string("creator"), date: try r.date("date"), effectiveAt: try r.instant("effective_at"),
                  platform: try r.string("platform"), feeMinor: try r.int("fee_minor"), url: try r.optionalString("url"),
                  impressions: try r.optionalInt("impressions"), engagements: try r.optionalInt("engagements"))
    }
}

public struct GiftSent: Equatable, Sendable {
    public var id: String
    public var creator: String
    public var date: CivilDate
    public var effectiveAt: Instant
    public var valueMinor: Int64
    public var note: String?
    public init(id: String, creator: String, date: CivilDate, effectiveAt: Instant, valueMinor: Int64, note: String?) {
        self.id = id; self.creator = creator; self.date = date; self.effectiveAt = effectiveAt; self.valueMinor = valueMinor; self.note = note
    }
    var json: JSON {
        .object([("id", .string(id)), ("creator", .string(creator)), ("date", .string(date.description)), ("effective_at", .at(effectiveAt)),
                 ("value_minor", .int(valueMinor)), ("note", .opt(note))])
    }
    init(_ r: PayloadReader) throws(FactDecodingError) {
        self.init(id: try r.string("id"), creator: try r.string("creator"), date: try r.date("date"), effectiveAt: try r.instant("effective_at"),
                  valueMinor: try r.int("value_minor"), note: try r.optionalString("note"))
    }
}

public struct AdjustmentRecorded: Equatable, Sendable {
    public var id: String
    public var creator: String
    public var date: CivilDate
    public var effectiveAt: Instant
    public var amountMinor: Int64     // signed, base currency
    public var reason: String
    public init(id: String, creator: String, date: CivilDate, effectiveAt: Instant, amountMinor: Int64, reason: String) {
        self.id = id; self.creator = creator; self.date = date; self.effectiveAt = effectiveAt; self.amountMinor = amountMinor; self.reason = reason
    }
    var json: JSON {
        .object([("id", .string(id)), ("creator", .string(creator)), ("date", .string(date.description)), ("effective_at", .at(effectiveAt)),
                 ("amount_minor", .int(amountMinor)), ("reason", .string(reason))])
    }
    init(_ r: PayloadReader) throws(FactDecodingError) {
        self.init(id: try r.string("id"), creator: try r.string("creator"), date: try r.date("date"), effectiveAt: try r.instant("effective_at"),
                  amountMinor: try r.int("amount_minor"), reason: try r.string("reason"))
    }
}

/// Units of base currency per unit of `currency`, valid from `date` until a later rate.
public struct FXRateSet: Equatable, Sendable {
    public var date: CivilDate
    public var effectiveAt: Instant
    public var currency: Currency
    public var rate: FXRate
    public init(date: CivilDate, effectiveAt: Instant, currency: Currency, rate: FXRate) {
        self.date = date; self.effectiveAt = effectiveAt; self.currency = currency; self.rate = rate
    }
    var json: JSON {
        .object([("date", .string(date.description)), ("effective_at", .at(effectiveAt)), ("currency", .string(currency.code)), ("rate_e10", .int(rate.scaled))])
    }
    init(_ r: PayloadReader) throws(FactDecodingError) {
        let scaled = try r.int("rate_e10")
        guard scaled > 0 else { throw FactDecodingError("fx.rate: rate must be positive") }
        self.init(date: try r.date("date"), effectiveAt: try r.instant("effective_at"), currency: try r.currency("currency"), rate: FXRate(scaled: scaled))
    }
}
