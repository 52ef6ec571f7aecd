// Section 4 of the ledger rules: which creator an order belongs to, and why.

/// One creator's hold on a code (or referral value) after overlapping assignments are resolved:
/// from `validFrom` (inclusive) to `validUntil` (exclusive, nil: open-ended).
public struct AssignmentSpan: Equatable, Sendable {
    public var creator: String
    public var validFrom: Instant
    public var validUntil: Instant?
    /// The assignment as recorded said `declaredUntil`; a later assignment may have cut it short.
    public var declaredUntil: Instant?

    public init(creator: String, validFrom: Instant, validUntil: Instant?, declaredUntil: Instant?) {
        self.creator = creator; self.validFrom = validFrom; self.validUntil = validUntil;
        self.declaredUntil = declaredUntil
    }

    public func contains(_ instant: Instant) -> Bool {
        validFrom <= instant && (validUntil.map { instant < $0 } ?? true)
    }
}

/// Resolves the assignments of one code or referral value (in log order) into non-overlapping
/// spans sorted by `validFrom`: an assignment with the same `validFrom` as an earlier one replaces it
/// entirely (a re-imported row with a changed `valid_until`), and each assignment ends where the
/// next one begins (a code has at most one creator at a time).
public func resolveSpans(_ assignments: [(creator: String, validFrom: Instant, validUntil: Instant?)])
    -> [AssignmentSpan]
{
    // Stable sort by validFrom keeps log order among equal starts; the last of each group wins.
    let sorted = assignments.enumerated().sorted {
        ($0.element.validFrom, $0.offset) < ($1.element.validFrom, $1.offset)
    }.map(\.element)
    var kept: [(creator: String, validFrom: Instant, validUntil: Instant?)] = []
    for a in sorted {
        if let last = kept.last, last.validFrom == a.validFrom { kept[kept.count - 1] = a } else { kept.append(a) }
    }
    var spans: [AssignmentSpan] = []
    for (i, a) in kept.enumerated() {
        var until = a.validUntil
        if i + 1 < kept.count {
            let next = kept[i + 1].validFrom
            if until.map({ next < $0 }) ?? true { until = next }
        }
        spans.append(
            AssignmentSpan(creator: a.creator, validFrom: a.validFrom, validUntil: until, declaredUntil: a.validUntil))
    }
    return spans
}

/// The span holding `instant`, if any (binary search: spans do not overlap).
func span(in spans: [AssignmentSpan], at instant: Instant) -> AssignmentSpan? {
    guard let candidate = latest(in: spans, atOrBefore: instant, \.validFrom) else { return nil }
    return candidate.contains(instant) ? candidate : nil
}

/// The last element of `sorted` (ascending by `key`) whose key is at or before `bound`: a binary
/// search, for spans, terms and rates alike.
@inline(__always)
func latest<T, Key: Comparable>(in sorted: [T], atOrBefore bound: Key, _ key: (T) -> Key) -> T? {
    var low = 0, high = sorted.count
    while low < high {
        let mid = (low + high) / 2
        if key(sorted[mid]) <= bound { low = mid + 1 } else { high = mid }
    }
    return low > 0 ? sorted[low - 1] : nil
}

/// Section 4 of the ledger rules, the one definition of whom an order belongs to: the first listed
/// code that has a creator at the created time, else the referral value's creator, else nobody.
/// `codeOwner` and `referralOwner` answer for one code or value as the shop wrote it (nil: nobody
/// then, and a house code or an empty one never has anybody); the callers differ only in how they
/// look that up and what they keep (`AttributionIndex` for explanations, `CloseTables` for speed).
@inline(__always)
func firstOwner<Owner>(
    codes: [String], referral: String?, codeOwner: (String) -> Owner?,
    referralOwner: (String) -> Owner?
) -> Owner? {
    for raw in codes { if let owner = codeOwner(raw) { return owner } }
    return referral.flatMap(referralOwner)
}

/// A self-referral: the customer's e-mail hash is the creator's (attributed, commission 0).
@inline(__always)
func isSelfReferral(customer: String?, creator: String?) -> Bool {
    customer != nil && customer == creator
}

/// What the attribution rules made of one listed code (for `explain`).
public enum CodeVerdict: Equatable, Sendable {
    /// Valid at the order's created time: the order is this creator's.
    case matched(creator: String)
    /// A house code: belongs to no creator, skipped.
    case house
    /// Never assigned and not a house code: skipped (listed by `codes unknown`).
    case unknown
    /// Assigned, but to nobody at the order's created time; `spans` are its assignments.
    case notValidAt(spans: [AssignmentSpan])
    /// An earlier code already matched: not looked at.
    case notConsidered
}

public struct CodeCheck: Equatable, Sendable {
    /// Normalized (trimmed, upper-cased).
    public var code: String
    public var verdict: CodeVerdict
}

/// How an order was attributed.
public enum AttributionVia: Equatable, Sendable {
    case code(String)
    case referral(String)
    case none
}

public struct Attribution: Equatable, Sendable {
    /// The creator the order belongs to, nil when unattributed.
    public var creator: String?
    public var via: AttributionVia
    /// The customer's e-mail hash equals the creator's: attributed, shown, commission 0.
    public var selfReferral: Bool
    /// One entry per listed code (empty codes left out), in the order listed.
    public var codeChecks: [CodeCheck]
    /// The referral value (normalized) and what it gave; nil when the order carries none.
    public var referral: (value: String, verdict: CodeVerdict)?

    public static func == (a: Attribution, b: Attribution) -> Bool {
        a.creator == b.creator && a.via == b.via && a.selfReferral == b.selfReferral && a.codeChecks == b.codeChecks
            && a.referral?.value == b.referral?.value && a.referral?.verdict == b.referral?.verdict
    }
}

/// Code and referral assignments indexed for attribution: built once per run, then each order
/// costs a few dictionary look-ups and a binary search (no scan of all assignments).
public struct AttributionIndex: Sendable {
    public let codeSpans: [String: [AssignmentSpan]]
    public let referralSpans: [String: [AssignmentSpan]]
    public let houseCodes: Set<String>
    /// Every code ever assigned, and the house codes.
    public let known: KnownCodes
    let creatorEmailHashes: [String: String]

    public init(_ snapshot: LedgerSnapshot) {
        var codes: [String: [(creator: String, validFrom: Instant, validUntil: Instant?)]] = [:]
        for a in snapshot.codeAssignments {
            codes[normalizeCode(a.code), default: []].append((a.creator, a.validFrom, a.validUntil))
        }
        var referrals: [String: [(creator: String, validFrom: Instant, validUntil: Instant?)]] = [:]
        for a in snapshot.referralAssignments {
            referrals[normalizeCode(a.value), default: []].append((a.creator, a.validFrom, a.validUntil))
        }
        codeSpans = codes.mapValues(resolveSpans)
        referralSpans = referrals.mapValues(resolveSpans)
        houseCodes = Set(snapshot.houseCodes.map(normalizeCode))
        known = KnownCodes(assigned: Set(codeSpans.keys), house: houseCodes)
        var hashes: [String: String] = [:]
        for (id, creator) in snapshot.creators { if let h = creator.emailHash { hashes[id] = h } }
        creatorEmailHashes = hashes
    }

    /// True when the code was ever assigned or declared a house code (`codes unknown` lists the rest).
    public func isKnown(code normalized: String) -> Bool { known.contains(normalized) }

    /// Section 4 (`firstOwner`), with what the rules made of each listed code and of the referral value.
    public func attribute(_ order: OrderDetails) -> Attribution {
        let at = order.createdAt.instant
        var checks: [CodeCheck] = []
        var referral: (value: String, verdict: CodeVerdict)? = nil
        typealias Owner = (creator: String, via: AttributionVia)
        let owner = firstOwner(
            codes: order.codes, referral: order.referral,
            codeOwner: { raw -> Owner? in
                let code = normalizeCode(raw)
                guard !code.isEmpty else { return nil }
                let verdict = self.verdict(code: code, at: at)
                checks.append(CodeCheck(code: code, verdict: verdict))
                guard case let .matched(creator) = verdict else { return nil }
                return (creator, .code(code))
            },
            referralOwner: { raw -> Owner? in
                let value = normalizeCode(raw)
                guard !value.isEmpty else { return nil }
                let verdict = referralVerdict(value: value, at: at)
                referral = (value, verdict)
                guard case let .matched(creator) = verdict else { return nil }
                return (creator, .referral(value))
            })
        // What the rule did not need to look at once a code matched.
        if case .code? = owner?.via {
            let looked = checks.count
            for raw in order.codes.lazy.map(normalizeCode).filter({ !$0.isEmpty }).dropFirst(looked) {
                checks.append(CodeCheck(code: raw, verdict: .notConsidered))
            }
            if let raw = order.referral, case let value = normalizeCode(raw), !value.isEmpty {
                referral = (value, .notConsidered)
            }
        }
        let creator = owner?.creator
        let creatorHash = creator.flatMap { creatorEmailHashes[$0] }
        let selfReferral = isSelfReferral(customer: order.emailHash, creator: creatorHash)
        return Attribution(
            creator: creator, via: owner?.via ?? .none, selfReferral: selfReferral, codeChecks: checks,
            referral: referral)
    }

    /// The creator only: section 4 (`firstOwner`) without explanations.
    public func creator(of order: OrderDetails) -> (creator: String, selfReferral: Bool)? {
        let at = order.createdAt.instant
        let found = firstOwner(
            codes: order.codes, referral: order.referral,
            codeOwner: { raw -> String? in
                let code = normalizeCode(raw)
                guard !code.isEmpty, !houseCodes.contains(code), let spans = codeSpans[code] else { return nil }
                return span(in: spans, at: at)?.creator
            }, referralOwner: { raw in referralSpans[normalizeCode(raw)].flatMap { span(in: $0, at: at)?.creator } })
        guard let creator = found else { return nil }
        return (creator, isSelfReferral(customer: order.emailHash, creator: creatorEmailHashes[creator]))
    }

    func verdict(code: String, at: Instant) -> CodeVerdict {
        if houseCodes.contains(code) { return .house }
        guard let spans = codeSpans[code] else { return .unknown }
        if let s = span(in: spans, at: at) { return .matched(creator: s.creator) }
        return .notValidAt(spans: spans)
    }

    func referralVerdict(value: String, at: Instant) -> CodeVerdict {
        guard let spans = referralSpans[value] else { return .unknown }
        if let s = span(in: spans, at: at) { return .matched(creator: s.creator) }
        return .notValidAt(spans: spans)
    }
}
