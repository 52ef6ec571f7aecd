// The close's inner loop runs once per order of the ledger (a million and more): here creators are
// numbered once, and codes, terms and calendar dates are looked up through per-run caches, so that an
// order costs about one string hash. Same rules as `AttributionIndex` and `TermsIndex` (a property
// test checks that both paths agree).

/// A span with its creator as a number.
struct NumberedSpan {
    let validFrom: Instant
    let validUntil: Instant?
    let creator: Int
}

struct CloseTables {
    /// Creator ids by number, and back.
    private(set) var ids: [String] = []
    private var numbers: [String: Int] = [:]
    private var termsByNumber: [[Terms]] = []
    private var emailByNumber: [String?] = []
    /// Spans per code slot; house codes have none (skipped like unknown codes).
    private var codeSlots: [[NumberedSpan]] = []
    private var codeSlotByName: [String: Int] = [:]
    private var referralSlotByName: [String: [NumberedSpan]] = [:]
    /// Raw listed code (as the shop wrote it) -> slot, or -1 when skipped: saves normalizing each time.
    private var memo: [String: Int] = [:]
    private var referralMemo: [String: [NumberedSpan]?] = [:]
    var days: DayCache

    init(_ snapshot: LedgerSnapshot, rules: RuleIndex) {
        days = DayCache(zone: snapshot.zone)
        for id in snapshot.creators.keys.sorted() { _ = number(id) }
        for (name, spans) in rules.attribution.codeSpans where !rules.attribution.houseCodes.contains(name) {
            codeSlotByName[name] = codeSlots.count
            codeSlots.append(
                spans.map {
                    NumberedSpan(validFrom: $0.validFrom, validUntil: $0.validUntil, creator: number($0.creator))
                })
        }
        for (name, spans) in rules.attribution.referralSpans {
            referralSlotByName[name] = spans.map {
                NumberedSpan(validFrom: $0.validFrom, validUntil: $0.validUntil, creator: number($0.creator))
            }
        }
        for (creator, history) in rules.terms.history { let n = number(creator); termsByNumber[n] = history }
        for (id, record) in snapshot.creators { let n = number(id); emailByNumber[n] = record.emailHash }
    }

    /// The creator's number, adding it when new.
    mutating func number(_ id: String) -> Int {
        if let n = numbers[id] { return n }
        numbers[id] = ids.count
        ids.append(id)
        termsByNumber.append([])
        emailByNumber.append(nil)
        return ids.count - 1
    }

    /// The creator's number, nil when it has none.
    func find(_ id: String) -> Int? { numbers[id] }

    /// Section 4 (`firstOwner`), as `AttributionIndex.creator(of:)`, with creators as numbers.
    mutating func creator(of order: OrderDetails) -> (creator: Int, selfReferral: Bool)? {
        let at = order.createdAt.instant
        let found = firstOwner(
            codes: order.codes, referral: order.referral,
            codeOwner: { raw -> Int? in
                let slot: Int
                if let known = memo[raw] {
                    slot = known
                } else {
                    slot = codeSlotByName[normalizeCode(raw)] ?? -1
                    memo[raw] = slot
                }
                return slot >= 0 ? CloseTables.creator(in: codeSlots[slot], at: at) : nil
            },
            referralOwner: { raw -> Int? in
                let spans: [NumberedSpan]?
                if let known = referralMemo[raw] {
                    spans = known
                } else {
                    spans = referralSlotByName[normalizeCode(raw)]
                    referralMemo[raw] = .some(spans)
                }
                return spans.flatMap { CloseTables.creator(in: $0, at: at) }
            })
        guard let creator = found else { return nil }
        return (creator, isSelfReferral(customer: order.emailHash, creator: emailByNumber[creator]))
    }

    /// Section 4.5 for a customer credited to `creator` by other means (a lifetime link).
    func selfReferral(customer: String?, creator: Int) -> Bool {
        let email: String? = emailByNumber[creator]
        return isSelfReferral(customer: customer, creator: email)
    }

    /// Creators with terms, by number.
    var creatorsWithTerms: [Int] { termsByNumber.indices.filter { !termsByNumber[$0].isEmpty } }

    /// The creator's terms over time.
    func termsHistory(_ creator: Int) -> [Terms] { termsByNumber[creator] }

    static func creator(in spans: [NumberedSpan], at instant: Instant) -> Int? {
        guard let s = latest(in: spans, atOrBefore: instant, \.validFrom) else { return nil }
        return s.validUntil.map { instant < $0 } ?? true ? s.creator : nil
    }

    /// As `TermsIndex.terms(for:at:)`.
    func terms(_ creator: Int, at instant: Instant) -> Terms? {
        latest(in: termsByNumber[creator], atOrBefore: instant, \.effectiveFrom)
    }
}

/// Calendar dates in the ledger's zone with the UTC offset cached per hour (time-zone rules change
/// offsets on the hour; an hour whose two ends disagree is computed directly, never cached).
struct DayCache {
    let zone: Zone
    private var offsets: [Int64: Int] = [:]

    init(zone: Zone) { self.zone = zone }

    mutating func civilDate(of instant: Instant) -> CivilDate {
        let hour = instant.unixSeconds >= 0 ? instant.unixSeconds / 3_600 : (instant.unixSeconds - 3_599) / 3_600
        let offset: Int
        if let cached = offsets[hour] {
            offset = cached
        } else {
            let first = zone.offsetSeconds(at: Instant(unixSeconds: hour * 3_600))
            let last = zone.offsetSeconds(at: Instant(unixSeconds: hour * 3_600 + 3_599))
            guard first == last else { return zone.civilDate(of: instant) }
            offsets[hour] = first
            offset = first
        }
        let local = instant.unixSeconds + Int64(offset)
        return CivilDate(daysSinceEpoch: local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
    }
}
