/// The facts of the ledger: what happened, never edited. Everything else is computed from them.
///
/// Each fact has a stable type name and a version; its payload is canonical JSON written by
/// `payload` (keys in a fixed order, integers only: money in minor units, times in Unix seconds)
/// and read back by `Fact.decode`. A payload layout, once released, never changes: a new layout
/// is a new version, and `decode` keeps reading the old ones.
public enum Fact: Equatable, Sendable {
    case ledgerInitialized(LedgerInitialized)
    /// The first fact of a ledger made before key files, with the e-mail salt.
    case ledgerInitializedV1(LedgerInitializedV1)
    case ledgerRedacted(LedgerRedacted)
    case creatorRegistered(CreatorRegistered)
    case creatorUpdated(CreatorUpdated)
    case codeAssigned(CodeAssigned)
    case houseCodeDeclared(HouseCodeDeclared)
    case referralAssigned(ReferralAssigned)
    case termsSet(TermsSet)
    case postPublished(PostPublished)
    case giftSent(GiftSent)
    case adjustmentRecorded(AdjustmentRecorded)
    case fxRateSet(FXRateSet)
    case orderSeen(OrderSeen)
    case orderChanged(OrderChanged)
    case statementIssued(StatementIssued)
    case monthClosed(MonthClosed)
    case payoutPaid(PayoutPaid)
    case payoutUnmarked(PayoutUnmarked)
    case importRecorded(ImportRecorded)
    case importUndone(ImportUndone)
    case tiersSet(TiersSet)
    case payoutExported(PayoutExported)
    case monthReopened(MonthReopened)
    case journalExported(JournalExported)
    case accountSet(AccountSet)
    case thresholdSet(ThresholdSet)

    /// The newest payload layout of each type that changed since its first (the others are at 1).
    static let latestVersions: [String: Int] = [
        "statement.issued": 2, "payout.paid": 2, "terms.set": 2,
        "creator.registered": 2, "creator.updated": 2,
        "ledger.initialized": LedgerInitialized.version
    ]

    /// The newest layout of `type` this tally reads and writes.
    public static func latestVersion(of type: String) -> Int { latestVersions[type] ?? 1 }

    /// The layout of this fact's payload: a type's versions share one field table, and the value
    /// says which one it fills (`StatementIssued.version`, `PayoutPaid.version`); the first fact's
    /// two layouts are two types (version 1 held the e-mail salt, docs/security.md).
    public var version: Int {
        switch self {
        case let .statementIssued(f): return f.version
        case let .payoutPaid(f): return f.version
        case let .termsSet(f): return f.version
        case let .creatorRegistered(f): return f.version
        case let .creatorUpdated(f): return f.version
        case .ledgerInitialized: return LedgerInitialized.version
        default: return 1
        }
    }

    /// The base currency and zone of a first fact, whichever its version; nil for any other fact.
    public var initialSettings: (baseCurrency: Currency, zone: String)? {
        switch self {
        case let .ledgerInitialized(f): return (f.baseCurrency, f.zone)
        case let .ledgerInitializedV1(f): return (f.baseCurrency, f.zone)
        default: return nil
        }
    }

    public var typeName: String {
        switch self {
        case .ledgerInitialized, .ledgerInitializedV1: return "ledger.initialized"
        case .ledgerRedacted: return "ledger.redacted"
        case .creatorRegistered: return "creator.registered"
        case .creatorUpdated: return "creator.updated"
        case .codeAssigned: return "code.assigned"
        case .houseCodeDeclared: return "code.house"
        case .referralAssigned: return "referral.assigned"
        case .termsSet: return "terms.set"
        case .postPublished: return "post.published"
        case .giftSent: return "gift.sent"
        case .adjustmentRecorded: return "adjustment.recorded"
        case .fxRateSet: return "fx.rate"
        case .orderSeen: return "order.seen"
        case .orderChanged: return "order.changed"
        case .statementIssued: return "statement.issued"
        case .monthClosed: return "month.closed"
        case .payoutPaid: return "payout.paid"
        case .payoutUnmarked: return "payout.unmarked"
        case .importRecorded: return "import.recorded"
        case .importUndone: return "import.undone"
        case .tiersSet: return "settings.tiers"
        case .payoutExported: return "payout.exported"
        case .monthReopened: return "month.reopened"
        case .journalExported: return "journal.exported"
        case .accountSet: return "account.set"
        case .thresholdSet: return "threshold.set"
        }
    }

    /// The business time of the fact (not when it was recorded).
    public var effectiveAt: Instant {
        switch self {
        case let .ledgerInitialized(f): return f.at
        case let .ledgerInitializedV1(f): return f.at
        case let .ledgerRedacted(f): return f.at
        case let .creatorRegistered(f): return f.at
        case let .creatorUpdated(f): return f.at
        case let .codeAssigned(f): return f.validFrom
        case let .houseCodeDeclared(f): return f.at
        case let .referralAssigned(f): return f.validFrom
        case let .termsSet(f): return f.effectiveFrom
        case let .postPublished(f): return f.effectiveAt
        case let .giftSent(f): return f.effectiveAt
        case let .adjustmentRecorded(f): return f.effectiveAt
        case let .fxRateSet(f): return f.effectiveAt
        case let .orderSeen(f): return f.createdAt.instant
        case let .orderChanged(f): return f.effectiveAt
        case let .statementIssued(f): return f.effectiveAt
        case let .monthClosed(f): return f.effectiveAt
        case let .payoutPaid(f): return f.at
        case let .payoutUnmarked(f): return f.at
        case let .importRecorded(f): return f.asOf
        case let .importUndone(f): return f.at
        case let .tiersSet(f): return f.at
        case let .payoutExported(f): return f.at
        case let .monthReopened(f): return f.at
        case let .journalExported(f): return f.at
        case let .accountSet(f): return f.at
        case let .thresholdSet(f): return f.at
        }
    }

    public var payload: JSON {
        switch self {
        case let .ledgerInitialized(f): return f.payloadTree
        case let .ledgerInitializedV1(f): return f.payloadTree
        case let .ledgerRedacted(f): return f.payloadTree
        case let .creatorRegistered(f): return f.payloadTree
        case let .creatorUpdated(f): return f.payloadTree
        case let .codeAssigned(f): return f.payloadTree
        case let .houseCodeDeclared(f): return f.payloadTree
        case let .referralAssigned(f): return f.payloadTree
        case let .termsSet(f): return f.payloadTree
        case let .postPublished(f): return f.payloadTree
        case let .giftSent(f): return f.payloadTree
        case let .adjustmentRecorded(f): return f.payloadTree
        case let .fxRateSet(f): return f.payloadTree
        case let .orderSeen(f): return f.payloadTree
        case let .orderChanged(f): return f.payloadTree
        case let .statementIssued(f): return f.payloadTree
        case let .monthClosed(f): return f.payloadTree
        case let .payoutPaid(f): return f.payloadTree
        case let .payoutUnmarked(f): return f.payloadTree
        case let .importRecorded(f): return f.payloadTree
        case let .importUndone(f): return f.payloadTree
        case let .tiersSet(f): return f.payloadTree
        case let .payoutExported(f): return f.payloadTree
        case let .monthReopened(f): return f.payloadTree
        case let .journalExported(f): return f.payloadTree
        case let .accountSet(f): return f.payloadTree
        case let .thresholdSet(f): return f.payloadTree
        }
    }

    /// Reads any layout of `type` up to the newest this tally knows; the payload must be the layout
    /// its version says.
    public static func decode(type: String, version: Int, payload: [UInt8]) throws(FactDecodingError) -> Fact {
        guard version >= 1, version <= latestVersion(of: type) else {
            throw FactDecodingError("\(type) version \(version) is newer than this tally understands")
        }
        let json: JSON
        do { json = try JSON.decode(payload) } catch { throw FactDecodingError("\(type): \(error)") }
        let fact = try decode(type: type, version: version, PayloadReader(type: type, json: json))
        guard fact.version == version else {
            throw FactDecodingError("\(type): the payload has the layout of version \(fact.version), not \(version)")
        }
        return fact
    }

    private static func decode(type: String, version: Int, _ r: PayloadReader) throws(FactDecodingError) -> Fact {
        switch type {
        case "ledger.initialized" where version == 1: return .ledgerInitializedV1(try LedgerInitializedV1(r))
        case "ledger.initialized": return .ledgerInitialized(try LedgerInitialized(r))
        case "ledger.redacted": return .ledgerRedacted(try LedgerRedacted(r))
        case "creator.registered": return .creatorRegistered(try CreatorRegistered(r))
        case "creator.updated": return .creatorUpdated(try CreatorUpdated(r))
        case "code.assigned": return .codeAssigned(try CodeAssigned(r))
        case "code.house": return .houseCodeDeclared(try HouseCodeDeclared(r))
        case "referral.assigned": return .referralAssigned(try ReferralAssigned(r))
        case "terms.set": return .termsSet(try TermsSet(r))
        case "post.published": return .postPublished(try PostPublished(r))
        case "gift.sent": return .giftSent(try GiftSent(r))
        case "adjustment.recorded": return .adjustmentRecorded(try AdjustmentRecorded(r))
        case "fx.rate": return .fxRateSet(try FXRateSet(r))
        case "order.seen": return .orderSeen(try OrderSeen(r))
        case "order.changed": return .orderChanged(try OrderChanged(r))
        case "statement.issued": return .statementIssued(try StatementIssued(r))
        case "month.closed": return .monthClosed(try MonthClosed(r))
        case "payout.paid": return .payoutPaid(try PayoutPaid(r))
        case "payout.unmarked": return .payoutUnmarked(try PayoutUnmarked(r))
        case "import.recorded": return .importRecorded(try ImportRecorded(r))
        case "import.undone": return .importUndone(try ImportUndone(r))
        case "settings.tiers": return .tiersSet(try TiersSet(r))
        case "payout.exported": return .payoutExported(try PayoutExported(r))
        case "month.reopened": return .monthReopened(try MonthReopened(r))
        case "journal.exported": return .journalExported(try JournalExported(r))
        case "account.set": return .accountSet(try AccountSet(r))
        case "threshold.set": return .thresholdSet(try ThresholdSet(r))
        default: throw FactDecodingError("unknown fact type \(type)")
        }
    }
}

public struct FactDecodingError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}

/// Typed access to a payload object, throwing a clear error naming the missing field.
public struct PayloadReader {
    let type: String
    let json: JSON

    func value(_ key: String) throws(FactDecodingError) -> JSON {
        guard let v = json[key] else { throw FactDecodingError("\(type): missing field \(key)") }
        return v
    }
    public func string(_ key: String) throws(FactDecodingError) -> String {
        guard let s = try value(key).stringValue else { throw FactDecodingError("\(type): \(key) is not a string") }
        return s
    }
    public func optionalString(_ key: String) throws(FactDecodingError) -> String? {
        guard let v = json[key], !v.isNull else { return nil }
        guard let s = v.stringValue else { throw FactDecodingError("\(type): \(key) is not a string") }
        return s
    }
    public func int(_ key: String) throws(FactDecodingError) -> Int64 {
        guard let i = try value(key).intValue else { throw FactDecodingError("\(type): \(key) is not an integer") }
        return i
    }
    public func optionalInt(_ key: String) throws(FactDecodingError) -> Int64? {
        guard let v = json[key], !v.isNull else { return nil }
        guard let i = v.intValue else { throw FactDecodingError("\(type): \(key) is not an integer") }
        return i
    }
    public func bool(_ key: String) throws(FactDecodingError) -> Bool {
        guard let b = try value(key).boolValue else { throw FactDecodingError("\(type): \(key) is not a boolean") }
        return b
    }
    public func instant(_ key: String) throws(FactDecodingError) -> Instant { Instant(unixSeconds: try int(key)) }
    public func optionalInstant(_ key: String) throws(FactDecodingError) -> Instant? {
        try optionalInt(key).map(Instant.init(unixSeconds:))
    }
    public func currency(_ key: String) throws(FactDecodingError) -> Currency {
        let code = try string(key)
        guard let c = Currency(code: code) else { throw FactDecodingError("\(type): unknown currency \(code)") }
        return c
    }
    public func date(_ key: String) throws(FactDecodingError) -> CivilDate {
        let text = try string(key)
        guard let d = CivilDate.parse(text) else { throw FactDecodingError("\(type): \(key) is not a date") }
        return d
    }
    public func month(_ key: String) throws(FactDecodingError) -> YearMonth {
        let text = try string(key)
        guard let m = YearMonth.parse(text) else { throw FactDecodingError("\(type): \(key) is not a month") }
        return m
    }
    public func array(_ key: String) throws(FactDecodingError) -> [JSON] {
        guard let a = try value(key).arrayValue else { throw FactDecodingError("\(type): \(key) is not an array") }
        return a
    }
    public func counts(_ key: String) throws(FactDecodingError) -> [String: Int64] {
        guard case let .object(pairs) = try value(key) else {
            throw FactDecodingError("\(type): \(key) is not an object")
        }
        var result: [String: Int64] = [:]
        for (name, count) in pairs {
            guard let n = count.intValue else {
                throw FactDecodingError("\(type): \(key) holds a value that is not an integer")
            }
            result[name] = n
        }
        return result
    }
    public func nested(_ json: JSON) -> PayloadReader { PayloadReader(type: type, json: json) }
    public func timestamp(_ key: String) throws(FactDecodingError) -> Timestamp {
        Timestamp(try instant(key), offsetSeconds: Int(try int(key + "_offset")))
    }
    public func optionalTimestamp(_ key: String) throws(FactDecodingError) -> Timestamp? {
        guard let at = try optionalInstant(key) else { return nil }
        return Timestamp(at, offsetSeconds: Int(try int(key + "_offset")))
    }
}

extension JSON {
    static func opt(_ s: String?) -> JSON { s.map(JSON.string) ?? .null }
    static func opt(_ i: Int64?) -> JSON { i.map(JSON.int) ?? .null }
    static func opt(_ i: Instant?) -> JSON { i.map { JSON.int($0.unixSeconds) } ?? .null }
    static func at(_ i: Instant) -> JSON { .int(i.unixSeconds) }
    /// Counts by name, keys sorted: the one layout of followers and of an import's counts.
    public static func counts(_ counts: [String: Int64]) -> JSON {
        .object(counts.keys.sorted().map { ($0, .int(counts[$0]!)) })
    }
}
