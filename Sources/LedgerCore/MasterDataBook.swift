/// What one master-data row or command did to the ledger.
public enum MasterDataChange: Equatable, Sendable {
    case added
    case changed
    case unchanged
}

/// A row or command that contradicts what the ledger already holds (unknown creator, a code that
/// would be both a house code and a creator's). `field` says which value is to blame.
public struct MasterDataConflict: Error, Equatable, Sendable {
    public enum Field: Sendable { case creator, key }
    public var field: Field
    public var found: String
    public var expected: String
}

/// One assignment of a code or referral value, as the latest fact for its (value, valid_from) says.
public struct Assignment: Equatable, Sendable {
    public var creator: String
    public var validFrom: Instant
    public var validUntil: Instant?
    public init(creator: String, validFrom: Instant, validUntil: Instant?) {
        self.creator = creator; self.validFrom = validFrom; self.validUntil = validUntil
    }
}

/// The master data as the ledger holds it, kept up to date as rows are applied, so that a file
/// is compared with the ledger *and* with its own earlier rows. Every `apply...` returns whether
/// the input is new, a change or already known, and the fact that records it (nil when unchanged).
public struct MasterDataBook {
    public let baseCurrency: Currency
    public let zone: Zone
    public internal(set) var creators: [String: CreatorRecord] = [:]
    /// code -> valid_from -> the latest assignment recorded at that valid_from.
    var codes: [String: [Instant: Assignment]] = [:]
    var houseCodes: Set<String> = []
    var referrals: [String: [Instant: Assignment]] = [:]
    /// creator -> effective_from -> the latest terms recorded at that effective_from.
    var terms: [String: [Instant: TermsSet]] = [:]
    /// creator -> every terms fact, in log order: what the terms in force resolve from.
    var termsLog: [String: [TermsSet]] = [:]
    var posts: [String: PostPublished] = [:]
    var gifts: [String: GiftSent] = [:]
    var adjustments: [String: AdjustmentRecorded] = [:]
    var fxRates: [String: FXRate] = [:]  // "CUR YYYY-MM-DD"
    /// The keyed rows of the file being read (a code or referral value and valid_from, a creator
    /// and effective_from, a creator id, an explicit post, gift or adjustment id, a currency and
    /// date): the first line that gave each key, with its value and cells. Two rows of one file with
    /// one key and different values are refused: "recorded later replaces" is for a later file, not
    /// for row order (docs/master-data.md).
    public var keysInFile: [String: KeyInFile] = [:]
    /// The assignments of the file being read, by code (or referral value): a row ended by a later
    /// row of the file for another creator before the end it states contradicts the file.
    public var assignmentsInFile: [String: [(line: Int, assignment: Assignment)]] = [:]

    /// Notes on the rows applied (a rate far from its neighbours), for the import to show.
    public var notes: [String] = []

    /// The rates of this file already named in a note: not the neighbour of the next row.
    public var fxNoted: Set<String> = []

    /// The rows without an id of the file being read: the id derived from their content, and the
    /// first line that gave it (a second line with the same content is the same item).
    public var idlessInFile: [String: Int] = [:]
    /// The posts, gifts and adjustments the file being read gave: not the ledger's earlier items.
    public var itemsFromFile: Set<String> = []

    /// Notes for a post, gift or adjustment row without an id (docs/master-data.md): the rules
    /// identify it by its content, so the same content on another line is one item (counted once),
    /// and other content beside an id-less item of the ledger of the same creator, day (and
    /// platform) with another amount is a second item: both count, which is what a corrected typo
    /// does by mistake. Nothing is refused: the figures are the rules'.
    public mutating func noteIdless(
        id: String, line: Int, file: String, what: String, creator: String, date: CivilDate,
        platform: String?, amountMinor: Int64, amountName: String
    ) {
        defer { itemsFromFile.insert(id) }
        if let first = idlessInFile[id] {
            // Said again when the file is imported again: a row added since with the content of an
            // earlier one may be meant as a second item, and nothing tells the two cases apart.
            notes.append(
                "\(file):\(line): the same as line \(first) (rows without an id are identified by their "
                    + "content): counted once; give each row an id if both count")
            return
        }
        idlessInFile[id] = line
        let prefix = String(id.prefix { $0 != "-" }) + "-"
        let e = baseCurrency.minorUnitExponent
        func neighbour(
            _ otherID: String, _ otherCreator: String, _ otherDate: CivilDate, _ otherPlatform: String?,
            _ otherAmount: Int64
        ) -> Bool {
            otherID != id && !itemsFromFile.contains(otherID) && isContentID(otherID, prefix: prefix)
                && otherCreator == creator && otherDate == date && otherPlatform == platform
                && otherAmount != amountMinor
        }
        let earlier: (id: String, amountMinor: Int64)?
        switch prefix {
        case "post-":
            earlier = posts.values.filter { neighbour($0.id, $0.creator, $0.date, $0.platform, $0.feeMinor) }
                .map { ($0.id, $0.feeMinor) }.min { $0.id < $1.id }
        case "gift-":
            earlier = gifts.values.filter { neighbour($0.id, $0.creator, $0.date, nil, $0.valueMinor) }
                .map { ($0.id, $0.valueMinor) }.min { $0.id < $1.id }
        default:
            earlier = adjustments.values.filter { neighbour($0.id, $0.creator, $0.date, nil, $0.amountMinor) }
                .map { ($0.id, $0.amountMinor) }.min { $0.id < $1.id }
        }
        guard let earlier, posts[id] == nil, gifts[id] == nil, adjustments[id] == nil else { return }
        let kind = platform.map { "\($0) " } ?? ""
        notes.append(
            "\(file):\(line): a new \(kind)\(what) of \(creator) on \(date) (\(amountName) "
                + "\(formatMinor(amountMinor, exponent: e))) beside \(earlier.id) of that day (\(amountName) "
                + "\(formatMinor(earlier.amountMinor, exponent: e))), both without an id: both count; to correct "
                + "that one instead, give this row the id \(earlier.id)")
    }

    /// The rate of `currency` recorded for the date nearest `date` (the same date first), with that
    /// date; rates already noted as far from theirs are passed over.
    public func nearestFXRate(_ currency: Currency, _ date: CivilDate) -> (date: String, rate: FXRate)? {
        let prefix = currency.code + " "
        var best: (date: String, rate: FXRate, distance: Int64)?
        for (key, rate) in fxRates where key.hasPrefix(prefix) && !fxNoted.contains(key) {
            let other = String(key.dropFirst(prefix.count))
            guard let otherDay = CivilDate.parse(other) else { continue }
            let distance = abs(otherDay.daysSinceEpoch - date.daysSinceEpoch)
            if best == nil || distance < best!.distance || (distance == best!.distance && other < best!.date) {
                best = (other, rate, distance)
            }
        }
        return best.map { ($0.date, $0.rate) }
    }

    /// A keyed row of the file being read: its line, its value (compared with a later row's) and its
    /// cells of the value's columns (to name the first that differs).
    public struct KeyInFile: Sendable {
        public var line: Int
        public var value: any Equatable & Sendable
        public var cells: [String]
        public init(line: Int, value: any Equatable & Sendable, cells: [String]) {
            self.line = line; self.value = value; self.cells = cells
        }

        /// Whether `other` is the value this row gave.
        public func holds<V: Equatable>(_ other: V) -> Bool { (value as? V) == other }
    }

    public init(baseCurrency: Currency, zone: Zone) {
        self.baseCurrency = baseCurrency
        self.zone = zone
    }

    /// The book of the master data loaded in `data` (in log order, so that the latest fact wins).
    public init(_ data: LedgerSnapshot) {
        self.init(baseCurrency: data.baseCurrency, zone: data.zone)
        creators = data.creators
        for a in data.codeAssignments {
            codes[a.code, default: [:]][a.validFrom] = Assignment(
                creator: a.creator, validFrom: a.validFrom,
                validUntil: a.validUntil)
        }
        houseCodes = data.houseCodes
        for a in data.referralAssignments {
            referrals[a.value, default: [:]][a.validFrom] = Assignment(
                creator: a.creator, validFrom: a.validFrom,
                validUntil: a.validUntil)
        }
        for t in data.terms {
            terms[t.creator, default: [:]][t.effectiveFrom] = t
            termsLog[t.creator, default: []].append(t)
        }
        for p in data.posts { posts[p.id] = p }
        for g in data.gifts { gifts[g.id] = g }
        for a in data.adjustments { adjustments[a.id] = a }
        for f in data.fxRates { fxRates[Self.fxKey(f)] = f.rate }
    }

    // MARK: Creators

    /// Registers a new creator, or records only what changed. Nil inputs (empty cells) never
    /// erase a stored value; `followers` holds only the platforms given and is merged.
    /// `taxForm` nil keeps the tax form on file (a creators file without the column, or an empty
    /// cell); `.some(nil)` clears it.
    public mutating func applyCreator(
        id: String, name: String, emailHash: String?, followers: [String: Int64],
        payout: PayoutDetails?, taxForm: Clearable<TaxForm> = nil,
        at: Instant
    ) -> (MasterDataChange, Fact?) {
        guard let stored = creators[id] else {
            let form = taxForm ?? nil
            creators[id] = CreatorRecord(
                id: id, name: name, emailHash: emailHash, followers: followers, payout: payout,
                taxForm: form)
            return (
                .added,
                .creatorRegistered(
                    CreatorRegistered(
                        id: id, name: name, emailHash: emailHash,
                        followers: followers, payout: payout, taxForm: form,
                        at: at))
            )
        }
        var update = CreatorUpdated(id: id, at: at)
        if name != stored.name { update.name = name }
        if let emailHash, emailHash != stored.emailHash { update.emailHash = emailHash }
        let merged = stored.followers.merging(followers) { _, new in new }
        if merged != stored.followers { update.followers = merged }
        if let payout, payout != stored.payout { update.payout = payout }
        if let taxForm, taxForm != stored.taxForm { update.taxForm = .some(taxForm) }
        if update.isEmpty { return (.unchanged, nil) }
        creators[id] = CreatorRecord(
            id: id, name: name, emailHash: update.emailHash ?? stored.emailHash, followers: merged,
            payout: update.payout ?? stored.payout, taxForm: update.taxForm ?? stored.taxForm)
        return (.changed, .creatorUpdated(update))
    }

    /// Other creators with the e-mail or the payout account of `id` (accounts are compared sealed:
    /// the same account seals to the same text), by id: likely the same person registered twice,
    /// whose payouts would be split between the two ids.
    public func lookAlikes(of id: String) -> [(id: String, sameEmail: Bool, sameAccount: Bool)] {
        guard let creator = creators[id] else { return [] }
        var result: [(id: String, sameEmail: Bool, sameAccount: Bool)] = []
        for (other, record) in creators where other != id {
            let sameEmail = creator.emailHash != nil && record.emailHash == creator.emailHash
            let sameAccount = creator.payout != nil && record.payout?.account == creator.payout?.account
            if sameEmail || sameAccount { result.append((other, sameEmail, sameAccount)) }
        }
        return result.sorted { $0.id < $1.id }
    }

    /// Refuses an id that was never registered (with a hint when only the case differs).
    public func requireCreator(_ id: String) throws(MasterDataConflict) {
        guard creators[id] == nil else { return }
        throw MasterDataConflict(
            field: .creator, found: id,
            expected: unknownCreatorExpectation(id, among: creators.keys))
    }

    // MARK: Codes and referral values

    /// Assigns a normalized code. At the same valid_from a changed assignment is recorded again:
    /// the later fact supersedes the earlier one.
    public mutating func applyCode(_ code: String, _ assignment: Assignment) throws(MasterDataConflict) -> (
        MasterDataChange, Fact?
    ) {
        if houseCodes.contains(code) {
            throw MasterDataConflict(
                field: .key, found: code,
                expected: "a code that is not a house code "
                    + "(\(code) was declared a house code, so it cannot also belong to a creator)")
        }
        try requireCreator(assignment.creator)
        let change = Self.record(assignment, for: code, in: &codes)
        guard change != .unchanged else { return (.unchanged, nil) }
        return (
            change,
            .codeAssigned(
                CodeAssigned(
                    code: code, creator: assignment.creator, validFrom: assignment.validFrom,
                    validUntil: assignment.validUntil))
        )
    }

    public mutating func applyHouseCode(_ code: String, at: Instant) throws(MasterDataConflict) -> (
        MasterDataChange, Fact?
    ) {
        if let assigned = codes[code] {
            let owners = Set(assigned.values.map(\.creator)).sorted().joined(separator: ", ")
            throw MasterDataConflict(
                field: .key, found: code,
                expected: "a code that belongs to no creator "
                    + "(\(code) is assigned to \(owners), so it cannot also be a house code)")
        }
        if houseCodes.contains(code) { return (.unchanged, nil) }
        houseCodes.insert(code)
        return (.added, .houseCodeDeclared(HouseCodeDeclared(code: code, at: at)))
    }

    public mutating func applyReferral(_ value: String, _ assignment: Assignment) throws(MasterDataConflict) -> (
        MasterDataChange, Fact?
    ) {
        try requireCreator(assignment.creator)
        let change = Self.record(assignment, for: value, in: &referrals)
        guard change != .unchanged else { return (.unchanged, nil) }
        return (
            change,
            .referralAssigned(
                ReferralAssigned(
                    value: value, creator: assignment.creator, validFrom: assignment.validFrom,
                    validUntil: assignment.validUntil))
        )
    }

    /// The assignment of `code` in force at `instant` (the latest valid_from at or before it,
    /// not yet ended), or nil.
    public func codeAssignment(_ code: String, at instant: Instant) -> Assignment? {
        guard let byStart = codes[code], let start = byStart.keys.filter({ $0 <= instant }).max(),
            let a = byStart[start]
        else { return nil }
        if let until = a.validUntil, until <= instant { return nil }
        return a
    }

    public func isHouseCode(_ code: String) -> Bool { houseCodes.contains(code) }

    private static func record(_ a: Assignment, for key: String, in table: inout [String: [Instant: Assignment]])
        -> MasterDataChange
    {
        let previous = table[key]?[a.validFrom]
        if previous == a { return .unchanged }
        table[key, default: [:]][a.validFrom] = a
        return previous == nil ? .added : .changed
    }

    // MARK: Terms, posts, gifts, adjustments, rates

    /// Terms for a known effective-from that resolve to the same terms (a file without the plan
    /// columns after one with them: the left-out fields carry over) are unchanged: no fact.
    public mutating func applyTerms(_ t: TermsSet) throws(MasterDataConflict) -> (MasterDataChange, Fact?) {
        try requireCreator(t.creator)
        let previous = terms[t.creator]?[t.effectiveFrom]
        if previous == t { return (.unchanged, nil) }
        let history = termsLog[t.creator] ?? []
        if previous != nil, resolveTermsHistory(history + [t]) == resolveTermsHistory(history) {
            return (.unchanged, nil)
        }
        terms[t.creator, default: [:]][t.effectiveFrom] = t
        termsLog[t.creator, default: []].append(t)
        return (previous == nil ? .added : .changed, .termsSet(t))
    }

    public mutating func applyPost(_ p: PostPublished) throws(MasterDataConflict) -> (MasterDataChange, Fact?) {
        try requireCreator(p.creator)
        return outcome(Self.replace(&posts, p.id, p), .postPublished(p))
    }

    public mutating func applyGift(_ g: GiftSent) throws(MasterDataConflict) -> (MasterDataChange, Fact?) {
        try requireCreator(g.creator)
        return outcome(Self.replace(&gifts, g.id, g), .giftSent(g))
    }

    public mutating func applyAdjustment(_ a: AdjustmentRecorded) throws(MasterDataConflict) -> (
        MasterDataChange, Fact?
    ) {
        try requireCreator(a.creator)
        return outcome(Self.replace(&adjustments, a.id, a), .adjustmentRecorded(a))
    }

    public mutating func applyFXRate(_ f: FXRateSet) -> (MasterDataChange, Fact?) {
        outcome(Self.replace(&fxRates, Self.fxKey(f), f.rate), .fxRateSet(f))
    }

    private static func fxKey(_ f: FXRateSet) -> String { "\(f.currency.code) \(f.date)" }

    private static func replace<V: Equatable>(_ table: inout [String: V], _ key: String, _ value: V) -> MasterDataChange
    {
        let previous = table.updateValue(value, forKey: key)
        if previous == value { return .unchanged }
        return previous == nil ? .added : .changed
    }
}

/// The fact only when something changed.
private func outcome(_ change: MasterDataChange, _ fact: Fact) -> (MasterDataChange, Fact?) {
    (change, change == .unchanged ? nil : fact)
}

/// The facts for dated rows, built the same way by the importer and by the single commands, so
/// that the same post gets the same id whichever way it arrives.
extension MasterDataBook {
    /// The calendar day of `instant` in the ledger's zone, and 00:00 of that day.
    public func day(of instant: Instant) -> (date: CivilDate, at: Instant) {
        let date = zone.civilDate(of: instant)
        return (date, zone.startOfDay(date))
    }

    /// A post on the day of `at`; without an id, one derived from its content.
    public func post(
        id: String?, creator: String, at: Instant, platform: String, feeMinor: Int64, url: String?,
        impressions: Int64?, engagements: Int64?
    ) -> PostPublished {
        let day = day(of: at)
        let id =
            id
            ?? contentID(
                "post",
                [
                    creator, day.date.description, platform, String(feeMinor), url ?? "",
                    optionalText(impressions), optionalText(engagements)
                ])
        return PostPublished(
            id: id, creator: creator, date: day.date, effectiveAt: day.at, platform: platform,
            feeMinor: feeMinor, url: url, impressions: impressions, engagements: engagements)
    }

    public func gift(id: String?, creator: String, at: Instant, valueMinor: Int64, note: String?) -> GiftSent {
        let day = day(of: at)
        let id = id ?? contentID("gift", [creator, day.date.description, String(valueMinor), note ?? ""])
        return GiftSent(
            id: id, creator: creator, date: day.date, effectiveAt: day.at, valueMinor: valueMinor,
            note: note)
    }

    public func adjustment(
        id: String?, creator: String, at: Instant, amountMinor: Int64,
        reason: String
    ) -> AdjustmentRecorded {
        let day = day(of: at)
        let id = id ?? contentID("adj", [creator, day.date.description, String(amountMinor), reason])
        return AdjustmentRecorded(
            id: id, creator: creator, date: day.date, effectiveAt: day.at,
            amountMinor: amountMinor, reason: reason)
    }
}

private func optionalText(_ n: Int64?) -> String { n.map(String.init) ?? "" }

/// Whether `id` has the shape of `contentID(prefix-less kind, ...)`: `prefix` and 12 hex digits.
func isContentID(_ id: String, prefix: String) -> Bool {
    guard id.hasPrefix(prefix) else { return false }
    let rest = id.dropFirst(prefix.count)
    return rest.count == 12 && rest.allSatisfy { $0.isHexDigit && !$0.isUppercase }
}

/// The id of a row without an `id` cell: `prefix-` and the first 12 hex digits of the SHA-256
/// of its normalized values, so the same row always gets the same id.
public func contentID(_ prefix: String, _ parts: [String]) -> String {
    prefix + "-" + String(sha256Hex(Array(parts.joined(separator: "\u{1F}").utf8)).prefix(12))
}

/// What an unknown creator id is told: the registered id it is probably a typo of (one or two
/// letters off, or another case), else how to register it.
public func unknownCreatorExpectation(_ id: String, among registered: some Collection<String>) -> String {
    if let near = closestMatch(to: id, among: registered.sorted(), maxDistance: 2) {
        return "a registered creator id (did you mean '\(near)'?)"
    }
    // The start of an id (`anna` for `anna-bakes`): the ids it begins, when they are few.
    let start = id.lowercased()
    let begun = registered.filter { $0.count > id.count && $0.lowercased().hasPrefix(start) }.sorted()
    if id.count >= 3, !begun.isEmpty, begun.count <= 3 {
        return "a registered creator id (did you mean \(begun.map { "'\($0)'" }.joined(separator: " or "))?)"
    }
    return "a registered creator id (register it first: tally import creators / tally creator add)"
}
