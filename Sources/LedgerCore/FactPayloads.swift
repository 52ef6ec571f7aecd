// The payload of every fact type, with its canonical JSON layout (version 1, but for the first fact:
// `ledger.initialized` is version 2 since key files).
// Key names carry units: `_minor` is minor units of the named currency, `_ppm` parts per million,
// times are Unix seconds, dates `YYYY-MM-DD` in the ledger's zone.

/// The first fact of a ledger (version 2): its fixed settings, its id and the fingerprint of its
/// key. The key itself (the e-mail salt, the sealing key) is in a key file, never in the ledger:
/// the log is hash-chained and never edited, so whatever a fact holds stays in the file for good.
public struct LedgerInitialized: Equatable, Sendable {
    public var baseCurrency: Currency
    public var zone: String
    /// Names the key file (`LedgerKey.ledgerId`).
    public var ledgerId: String
    /// `LedgerKey.fingerprint`: a key whose fingerprint differs is not this ledger's.
    public var keyFingerprint: String
    public var at: Instant
    public init(baseCurrency: Currency, zone: String, ledgerId: String, keyFingerprint: String, at: Instant) {
        self.baseCurrency = baseCurrency; self.zone = zone; self.ledgerId = ledgerId
        self.keyFingerprint = keyFingerprint; self.at = at
    }

    public static let version = 2
}

extension LedgerInitialized: FieldTable {
    /// No projection: the ledger's settings are read from this first fact.
    @inlinable public static var blank: Self {
        LedgerInitialized(baseCurrency: .usd, zone: "", ledgerId: "", keyFingerprint: "", at: .epoch)
    }

    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout LedgerInitialized) throws(C.Failure) {
        try c.currency("base_currency", &o.baseCurrency)
        try c.string("zone", &o.zone)
        try c.string("ledger_id", &o.ledgerId)
        try c.string("key_fingerprint", &o.keyFingerprint)
        try c.instant("at", &o.at)
    }
}

/// The first fact of a ledger made before key files (version 1): the e-mail salt in the log. Read,
/// never written by `init`; `tally key move-out` replaces it with a version 2 (`LedgerRedacted`).
public struct LedgerInitializedV1: Equatable, Sendable {
    public var baseCurrency: Currency
    public var zone: String
    /// Random per-ledger salt for e-mail hashes (hex).
    public var emailSalt: String
    public var at: Instant
    public init(baseCurrency: Currency, zone: String, emailSalt: String, at: Instant) {
        self.baseCurrency = baseCurrency; self.zone = zone; self.emailSalt = emailSalt; self.at = at
    }
}

extension LedgerInitializedV1: FieldTable {
    @inlinable public static var blank: Self {
        LedgerInitializedV1(baseCurrency: .usd, zone: "", emailSalt: "", at: .epoch)
    }

    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout LedgerInitializedV1) throws(C.Failure) {
        try c.currency("base_currency", &o.baseCurrency)
        try c.string("zone", &o.zone)
        try c.string("email_salt", &o.emailSalt)
        try c.instant("at", &o.at)
    }
}

/// `tally key move-out` replaced the payload of fact `factSeq` (the first, a version `factVersion`
/// holding the e-mail salt) with a redacted one whose SHA-256 is `redactedSHA256`; the stored hash of
/// that fact is still the hash of the original payload. Being in the chain, this fact pins the
/// redacted payload: `verify` checks the redacted fact against it without the key, and against the
/// stored hash with the key (docs/security.md).
public struct LedgerRedacted: Equatable, Sendable {
    public var factSeq: Int64
    public var factVersion: Int64
    /// Hex SHA-256 of the redacted payload's bytes.
    public var redactedSHA256: String
    public var at: Instant
    public init(factSeq: Int64, factVersion: Int64, redactedSHA256: String, at: Instant) {
        self.factSeq = factSeq; self.factVersion = factVersion; self.redactedSHA256 = redactedSHA256; self.at = at
    }
}

extension LedgerRedacted: FieldTable {
    /// No projection: `verify` reads it from the log.
    @inlinable public static var blank: Self {
        LedgerRedacted(factSeq: 0, factVersion: 0, redactedSHA256: "", at: .epoch)
    }

    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout LedgerRedacted) throws(C.Failure) {
        try c.int("fact_seq", &o.factSeq)
        try c.int("fact_version", &o.factVersion)
        try c.string("redacted_sha256", &o.redactedSHA256)
        try c.instant("at", &o.at)
    }
}

/// Where and how a creator is paid: only what a payment file needs.
public struct PayoutDetails: Equatable, Sendable {
    public var method: String  // paypal, wise, bank
    public var account: String  // e-mail, IBAN, account number
    public init(method: String, account: String) { self.method = method; self.account = account }
}

/// The US tax form a creator gave the team (docs/books.md, "Payments of a year"): `w9` from a US
/// person, whose payments may need a Form 1099-NEC; `w8ben` from a foreign individual. Only which form
/// is on file: never the taxpayer identification number on it.
public enum TaxForm: String, CaseIterable, Sendable {
    case w9, w8ben
}

public struct CreatorRegistered: Equatable, Sendable {
    public var id: String
    public var name: String
    public var emailHash: String?
    /// Follower count per platform, sorted by platform name.
    public var followers: [String: Int64]
    public var payout: PayoutDetails?
    /// Nil: none on file.
    public var taxForm: TaxForm?
    public var at: Instant
    public init(
        id: String, name: String, emailHash: String?, followers: [String: Int64], payout: PayoutDetails?,
        taxForm: TaxForm? = nil, at: Instant
    ) {
        self.id = id; self.name = name; self.emailHash = emailHash; self.followers = followers; self.payout = payout
        self.taxForm = taxForm; self.at = at
    }

    /// The layout: 2 when a tax form is on file, else 1 (the bytes without one are the same in both).
    public var version: Int { taxForm == nil ? 1 : 2 }
}

extension CreatorRegistered: FieldTable {
    /// With the columns of `creators` (the row of the creator as now: updates change it).
    @inlinable public static var blank: Self {
        CreatorRegistered(id: "", name: "", emailHash: nil, followers: [:], payout: nil, at: .epoch)
    }

    /// Versions 1 and 2 share the table: version 2 adds `tax_form`, written only when there is one.
    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout CreatorRegistered) throws(C.Failure) {
        try c.string("id", &o.id)
        try c.string("name", &o.name)
        try c.optionalString("email_hash", &o.emailHash)
        try c.counts("followers", &o.followers)
        try c.payoutDetails("payout_method", "payout_account", &o.payout)
        try c.omittableEnumeration("tax_form", &o.taxForm)
        try c.instant("at", &o.at, column: .notProjected)
    }
}

/// Only the fields that changed; nil means unchanged. `followers` replaces the whole map. `taxForm`
/// `.some(nil)`: the tax form on file was cleared.
public struct CreatorUpdated: Equatable, Sendable {
    public var id: String
    public var name: String?
    public var emailHash: String?
    public var followers: [String: Int64]?
    public var payout: PayoutDetails?
    public var taxForm: Clearable<TaxForm>
    public var at: Instant
    public init(
        id: String, name: String? = nil, emailHash: String? = nil, followers: [String: Int64]? = nil,
        payout: PayoutDetails? = nil, taxForm: Clearable<TaxForm> = nil, at: Instant
    ) {
        self.id = id; self.name = name; self.emailHash = emailHash; self.followers = followers; self.payout = payout
        self.taxForm = taxForm; self.at = at
    }
    public var isEmpty: Bool { name == nil && emailHash == nil && followers == nil && payout == nil && taxForm == nil }

    /// The layout: 2 when it changes the tax form, else 1.
    public var version: Int { taxForm == nil ? 1 : 2 }
}

extension CreatorUpdated: FieldTable {
    /// Projected by UPDATEs of `creators`, one per changed field.
    @inlinable public static var blank: Self {
        CreatorUpdated(id: "", at: .epoch)
    }

    /// Versions 1 and 2 share the table: version 2 adds `tax_form`, written only when it changed
    /// (`none`: cleared).
    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout CreatorUpdated) throws(C.Failure) {
        try c.string("id", &o.id)
        try c.optionalString("name", &o.name)
        try c.optionalString("email_hash", &o.emailHash)
        try c.optionalCounts("followers", &o.followers)
        try c.payoutDetails("payout_method", "payout_account", &o.payout)
        var taxForm = C.decodes ? nil : o.taxForm.map { $0?.rawValue ?? "none" }
        try c.omittableString("tax_form", &taxForm, column: .notProjected)
        try c.instant("at", &o.at)
        guard C.decodes else { return }
        switch taxForm {
        case nil: o.taxForm = nil
        case "none": o.taxForm = .some(nil)
        case let raw?:
            guard let form = TaxForm(rawValue: raw) else {
                return try c.reject("tax_form", "has an unknown value \(raw)")
            }
            o.taxForm = .some(form)
        }
    }
}

extension FieldCoder {
    /// Where a creator is paid: two fields, both null for none (a decoder needs both).
    @inlinable
    public mutating func payoutDetails(
        _ methodKey: StaticString, _ accountKey: StaticString,
        _ value: inout PayoutDetails?
    ) throws(Failure) {
        var method = value?.method
        var account = value?.account
        try optionalString(methodKey, &method)
        try optionalString(accountKey, &account)
        guard Self.decodes else { return }
        if let method, let account { value = PayoutDetails(method: method, account: account) } else { value = nil }
    }
}

/// A discount code given to a creator from `validFrom` (inclusive) to `validUntil` (exclusive).
/// A later assignment of the same code ends this one at its own `validFrom`.
public struct CodeAssigned: Equatable, Sendable {
    public var code: String  // normalized: trimmed, upper-cased
    public var creator: String
    public var validFrom: Instant
    public var validUntil: Instant?
    public init(code: String, creator: String, validFrom: Instant, validUntil: Instant?) {
        self.code = code; self.creator = creator; self.validFrom = validFrom; self.validUntil = validUntil
    }
}

extension CodeAssigned: FieldTable {
    /// With the columns of `code_assignments`.
    @inlinable public static var blank: Self {
        CodeAssigned(code: "", creator: "", validFrom: .epoch, validUntil: nil)
    }

    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout CodeAssigned) throws(C.Failure) {
        try c.string("code", &o.code)
        try c.string("creator", &o.creator)
        try c.instant("valid_from", &o.validFrom)
        try c.optionalInstant("valid_until", &o.validUntil)
    }
}

/// A code that belongs to no creator (a sitewide sale, a welcome code): never attributed.
public struct HouseCodeDeclared: Equatable, Sendable {
    public var code: String
    public var at: Instant
    public init(code: String, at: Instant) { self.code = code; self.at = at }
}

extension HouseCodeDeclared: FieldTable {
    /// With the columns of `house_codes`.
    @inlinable public static var blank: Self {
        HouseCodeDeclared(code: "", at: .epoch)
    }

    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout HouseCodeDeclared) throws(C.Failure) {
        try c.string("code", &o.code)
        try c.instant("at", &o.at, column: .notProjected)
    }
}

/// A referral value (`ref=anna`, a utm value) given to a creator, with validity as for codes.
public struct ReferralAssigned: Equatable, Sendable {
    public var value: String  // normalized: trimmed, upper-cased
    public var creator: String
    public var validFrom: Instant
    public var validUntil: Instant?
    public init(value: String, creator: String, validFrom: Instant, validUntil: Instant?) {
        self.value = value; self.creator = creator; self.validFrom = validFrom; self.validUntil = validUntil
    }
}

extension ReferralAssigned: FieldTable {
    /// With the columns of `referral_assignments`.
    @inlinable public static var blank: Self {
        ReferralAssigned(value: "", creator: "", validFrom: .epoch, validUntil: nil)
    }

    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout ReferralAssigned) throws(C.Failure) {
        try c.string("value", &o.value)
        try c.string("creator", &o.creator)
        try c.instant("valid_from", &o.validFrom)
        try c.optionalInstant("valid_until", &o.validUntil)
    }
}

/// Commission terms from `effectiveFrom`. A field left out (nil) keeps its value from the terms
/// in force before; a clearable field given as `.some(nil)` was cleared (`none`, section 8).
public struct TermsSet: Equatable, Sendable {
    public var creator: String
    public var effectiveFrom: Instant
    public var commission: CommissionRate?
    public var perOrderMinor: Int64?
    public var holdbackDays: Int64?
    public var minPayoutMinor: Int64?
    public var newCustomerCommission: Clearable<CommissionRate>
    public var lifetimeMonths: Int64?
    public var lifetimeCommission: Clearable<CommissionRate>
    public var tiers: Clearable<RateTiers>
    public var tiersApply: TiersApply?
    public var bonusThreshold: Int64?
    public var bonusMinor: Clearable<Int64>
    public var retainerMinor: Clearable<Int64>

    public init(
        creator: String, effectiveFrom: Instant, commission: CommissionRate? = nil, perOrderMinor: Int64? = nil,
        holdbackDays: Int64? = nil, minPayoutMinor: Int64? = nil,
        newCustomerCommission: Clearable<CommissionRate> = nil, lifetimeMonths: Int64? = nil,
        lifetimeCommission: Clearable<CommissionRate> = nil, tiers: Clearable<RateTiers> = nil,
        tiersApply: TiersApply? = nil, bonusThreshold: Int64? = nil, bonusMinor: Clearable<Int64> = nil,
        retainerMinor: Clearable<Int64> = nil
    ) {
        self.creator = creator; self.effectiveFrom = effectiveFrom; self.commission = commission
        self.perOrderMinor = perOrderMinor; self.holdbackDays = holdbackDays; self.minPayoutMinor = minPayoutMinor
        self.newCustomerCommission = newCustomerCommission; self.lifetimeMonths = lifetimeMonths
        self.lifetimeCommission = lifetimeCommission; self.tiers = tiers; self.tiersApply = tiersApply
        self.bonusThreshold = bonusThreshold; self.bonusMinor = bonusMinor; self.retainerMinor = retainerMinor
    }

    /// The layout of the payload: 2 when it gives or clears any field of section 8, else 1 (the
    /// bytes of terms without plan fields are the same in both).
    public var version: Int {
        newCustomerCommission == nil && lifetimeMonths == nil && lifetimeCommission == nil && tiers == nil
            && tiersApply == nil && bonusThreshold == nil && bonusMinor == nil && retainerMinor == nil ? 1 : 2
    }

    /// The clearable fields given as `none`, comma-separated in `ClearableTermsField` order; nil when none.
    public var clearedNames: String? {
        let cleared: [(ClearableTermsField, Bool)] = [
            (.newCustomerCommission, newCustomerCommission == .some(nil)),
            (.lifetimeCommission, lifetimeCommission == .some(nil)),
            (.tiers, tiers == .some(nil)), (.bonus, bonusMinor == .some(nil)), (.retainer, retainerMinor == .some(nil))
        ]
        let names = cleared.filter(\.1).map(\.0.rawValue)
        return names.isEmpty ? nil : names.joined(separator: ",")
    }
}

extension TermsSet: FieldTable {
    /// With the columns of `terms`.
    @inlinable public static var blank: Self {
        TermsSet(creator: "", effectiveFrom: .epoch)
    }

    /// Versions 1 and 2 share the table: version 2 (section 8) adds fields written only when given,
    /// and `cleared`, the clearable fields given as `none`.
    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout TermsSet) throws(C.Failure) {
        try c.string("creator", &o.creator)
        try c.instant("effective_from", &o.effectiveFrom)
        var ppm = o.commission?.partsPerMillion
        try c.optionalInt("commission_ppm", &ppm)
        if C.decodes { o.commission = ppm.map(CommissionRate.init(partsPerMillion:)) }
        try c.optionalInt("per_order_minor", &o.perOrderMinor)
        try c.optionalInt("holdback_days", &o.holdbackDays)
        try c.optionalInt("min_payout_minor", &o.minPayoutMinor)
        var newCustomer = o.newCustomerCommission.flatMap { $0 }?.partsPerMillion
        var lifetime = o.lifetimeCommission.flatMap { $0 }?.partsPerMillion
        var tiers = o.tiers.flatMap { $0 }
        var bonus = o.bonusMinor.flatMap { $0 }
        var retainer = o.retainerMinor.flatMap { $0 }
        var cleared = C.decodes ? nil : o.clearedNames
        try c.omittableInt("new_customer_ppm", &newCustomer, column: .key)
        try c.omittableInt("lifetime_months", &o.lifetimeMonths, column: .key)
        try c.omittableInt("lifetime_ppm", &lifetime, column: .key)
        try c.omittableText("tiers", &tiers, parse: RateTiers.parsed, problem: "is not a tier list")
        try c.omittableEnumeration("tiers_apply", &o.tiersApply)
        try c.omittableInt("bonus_threshold", &o.bonusThreshold, column: .key)
        try c.omittableInt("bonus_minor", &bonus, column: .key)
        try c.omittableInt("retainer_minor", &retainer, column: .key)
        try c.omittableString("cleared", &cleared, column: .key)
        guard C.decodes else { return }
        let names = Set((cleared ?? "").split(separator: ",").map(String.init))
        for name in names where ClearableTermsField(rawValue: name) == nil {
            try c.reject("cleared", "names an unknown field \(name)")
        }
        func rate(
            _ key: StaticString, _ ppm: Int64?,
            _ field: ClearableTermsField
        ) throws(C.Failure) -> Clearable<CommissionRate> {
            guard let ppm else { return names.contains(field.rawValue) ? .some(nil) : nil }
            if !(0...1_000_000).contains(ppm) { try c.reject(key, "is not a rate") }
            if names.contains(field.rawValue) { try c.reject("cleared", "clears a field it gives") }
            return .some(CommissionRate(partsPerMillion: min(max(ppm, 0), 1_000_000)))
        }
        func amount(
            _ key: StaticString, _ minor: Int64?,
            _ field: ClearableTermsField
        ) throws(C.Failure) -> Clearable<Int64> {
            guard let minor else { return names.contains(field.rawValue) ? .some(nil) : nil }
            if minor < 0 { try c.reject(key, "is negative") }
            if names.contains(field.rawValue) { try c.reject("cleared", "clears a field it gives") }
            return .some(minor)
        }
        o.newCustomerCommission = try rate("new_customer_ppm", newCustomer, .newCustomerCommission)
        o.lifetimeCommission = try rate("lifetime_ppm", lifetime, .lifetimeCommission)
        if let tiers {
            if names.contains("tiers") { try c.reject("cleared", "clears a field it gives") }
            o.tiers = .some(tiers)
        } else {
            o.tiers = names.contains("tiers") ? .some(nil) : nil
        }
        o.bonusMinor = try amount("bonus_minor", bonus, .bonus)
        o.retainerMinor = try amount("retainer_minor", retainer, .retainer)
        if (o.lifetimeMonths ?? 0) < 0 { try c.reject("lifetime_months", "is negative") }
        if (o.bonusThreshold ?? 0) < 0 { try c.reject("bonus_threshold", "is negative") }
    }
}

public struct PostPublished: Equatable, Sendable {
    public var id: String
    public var creator: String
    public var date: CivilDate
    public var effectiveAt: Instant  // 00:00 of `date` in the ledger's zone
    public var platform: String
    public var feeMinor: Int64  // base currency
    public var url: String?
    public var impressions: Int64?
    public var engagements: Int64?
    public init(
        id: String, creator: String, date: CivilDate, effectiveAt: Instant, platform: String, feeMinor: Int64,
        url: String?, impressions: Int64?, engagements: Int64?
    ) {
        self.id = id; self.creator = creator; self.date = date; self.effectiveAt = effectiveAt; self.platform = platform
        self.feeMinor = feeMinor; self.url = url; self.impressions = impressions; self.engagements = engagements
    }
}

extension PostPublished: FieldTable {
    /// With the columns of `posts`.
    @inlinable public static var blank: Self {
        PostPublished(
            id: "", creator: "", date: .epoch, effectiveAt: .epoch, platform: "",
            feeMinor: 0, url: nil, impressions: nil, engagements: nil)
    }

    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout PostPublished) throws(C.Failure) {
        try c.string("id", &o.id)
        try c.string("creator", &o.creator)
        try c.date("date", &o.date)
        try c.instant("effective_at", &o.effectiveAt)
        try c.string("platform", &o.platform)
        try c.int("fee_minor", &o.feeMinor)
        try c.optionalString("url", &o.url)
        try c.optionalInt("impressions", &o.impressions)
        try c.optionalInt("engagements", &o.engagements)
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
        self.id = id; self.creator = creator; self.date = date; self.effectiveAt = effectiveAt;
        self.valueMinor = valueMinor; self.note = note
    }
}

extension GiftSent: FieldTable {
    /// With the columns of `gifts`.
    @inlinable public static var blank: Self {
        GiftSent(id: "", creator: "", date: .epoch, effectiveAt: .epoch, valueMinor: 0, note: nil)
    }

    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout GiftSent) throws(C.Failure) {
        try c.string("id", &o.id)
        try c.string("creator", &o.creator)
        try c.date("date", &o.date)
        try c.instant("effective_at", &o.effectiveAt)
        try c.int("value_minor", &o.valueMinor)
        try c.optionalString("note", &o.note)
    }
}

public struct AdjustmentRecorded: Equatable, Sendable {
    public var id: String
    public var creator: String
    public var date: CivilDate
    public var effectiveAt: Instant
    public var amountMinor: Int64  // signed, base currency
    public var reason: String
    public init(id: String, creator: String, date: CivilDate, effectiveAt: Instant, amountMinor: Int64, reason: String)
    {
        self.id = id; self.creator = creator; self.date = date; self.effectiveAt = effectiveAt;
        self.amountMinor = amountMinor; self.reason = reason
    }
}

extension AdjustmentRecorded: FieldTable {
    /// With the columns of `adjustments`.
    @inlinable public static var blank: Self {
        AdjustmentRecorded(
            id: "", creator: "", date: .epoch, effectiveAt: .epoch, amountMinor: 0,
            reason: "")
    }

    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout AdjustmentRecorded) throws(C.Failure) {
        try c.string("id", &o.id)
        try c.string("creator", &o.creator)
        try c.date("date", &o.date)
        try c.instant("effective_at", &o.effectiveAt)
        try c.int("amount_minor", &o.amountMinor)
        try c.string("reason", &o.reason)
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
}

extension FXRateSet: FieldTable {
    /// With the columns of `fx_rates`.
    @inlinable public static var blank: Self {
        FXRateSet(date: .epoch, effectiveAt: .epoch, currency: .usd, rate: FXRate(scaled: 1))
    }

    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout FXRateSet) throws(C.Failure) {
        try c.date("date", &o.date)
        try c.instant("effective_at", &o.effectiveAt)
        try c.currency("currency", &o.currency)
        var scaled = o.rate.scaled
        try c.int("rate_e10", &scaled)
        guard C.decodes else { return }
        guard scaled > 0 else { return try c.reject("rate_e10", "must be positive") }
        o.rate = FXRate(scaled: scaled)
    }
}
