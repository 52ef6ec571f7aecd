import LedgerCore
import LedgerStore
import OrderImport

// `tally list KIND`: the master data as the ledger holds it now, resolved the way the rules read it.

/// A code's or a referral value's owner over one span of time: the timeline the rules resolve
/// (section 4.6), each span ending where the next one starts or at its own end.
public struct AssignmentListing: Equatable, Sendable {
    /// The code or referral value, normalized.
    public var value: String
    /// Nil for a house code.
    public var creator: String?
    public var validFrom: Instant?
    /// Where the span ends (nil: open).
    public var validUntil: Instant?
}

/// What `tally list KIND` shows: the part of the master data of that kind, sorted for reading.
public struct MasterDataListing: Sendable {
    public var kind: MasterDataKind
    /// By id.
    public var creators: [CreatorListing] = []
    /// By code (value), then start; house codes have no creator and no start.
    public var assignments: [AssignmentListing] = []
    /// By creator, then effective-from: every field in force, with when it started.
    public var terms: [(creator: String, terms: ResolvedTerms)] = []
    /// By date, then id.
    public var posts: [PostPublished] = []
    public var gifts: [GiftSent] = []
    public var adjustments: [AdjustmentRecorded] = []
    /// By currency, then date.
    public var fxRates: [FXRateSet] = []
}

extension LedgerSession {
    /// `list KIND [--creator ID]`: refuses a creator the ledger does not know, and `--creator` with
    /// exchange rates (they belong to no creator).
    public func list(_ kind: MasterDataKind, creator: String?) throws -> MasterDataListing {
        let data = try ledger.masterData([.creators, kind.parts])
        if let creator {
            guard kind != .fx else { throw UserError("--creator: exchange rates belong to no creator") }
            guard data.creators[creator] != nil else { throw UserError("unknown creator '\(creator)'") }
        }
        let mine = { (id: String) in creator == nil || creator == id }
        var listing = MasterDataListing(kind: kind)
        switch kind {
        case .creators: listing.creators = try creatorListings(data).filter { mine($0.creator.id) }
        case .codes:
            let codes = data.codeAssignments.map { ($0.code, $0.creator, $0.validFrom, $0.validUntil) }
            listing.assignments = assignments(codes).filter { $0.creator.map(mine) ?? (creator == nil) }
            if creator == nil {
                listing.assignments += data.houseCodes.map { AssignmentListing(value: $0, creator: nil) }
                listing.assignments.sort {
                    ($0.value, $0.validFrom?.unixSeconds ?? 0) < ($1.value, $1.validFrom?.unixSeconds ?? 0)
                }
            }
        case .referrals:
            let values = data.referralAssignments.map { ($0.value, $0.creator, $0.validFrom, $0.validUntil) }
            listing.assignments = assignments(values).filter { $0.creator.map(mine) ?? false }
        case .terms:
            let history = resolveTermsHistory(data.terms)
            listing.terms = history.keys.sorted().filter(mine).flatMap { id in history[id]!.map { (id, $0) } }
        case .posts:
            listing.posts = data.posts.filter { mine($0.creator) }.sorted { ($0.date, $0.id) < ($1.date, $1.id) }
        case .gifts:
            listing.gifts = data.gifts.filter { mine($0.creator) }.sorted { ($0.date, $0.id) < ($1.date, $1.id) }
        case .adjustments:
            listing.adjustments = data.adjustments.filter { mine($0.creator) }
                .sorted { ($0.date, $0.id) < ($1.date, $1.id) }
        case .fx: listing.fxRates = data.fxRates.sorted { ($0.currency.code, $0.date) < ($1.currency.code, $1.date) }
        }
        return listing
    }

    /// Each value's timeline (`resolveSpans`), by value, then start.
    private func assignments(_ recorded: [(value: String, creator: String, from: Instant, until: Instant?)])
        -> [AssignmentListing]
    {
        var byValue: [String: [(creator: String, validFrom: Instant, validUntil: Instant?)]] = [:]
        for a in recorded { byValue[a.value, default: []].append((a.creator, a.from, a.until)) }
        return byValue.keys.sorted().flatMap { value in
            resolveSpans(byValue[value]!).map {
                AssignmentListing(value: value, creator: $0.creator, validFrom: $0.validFrom, validUntil: $0.validUntil)
            }
        }
    }
}

extension AssignmentListing {
    init(value: String, creator: String?) { self.init(value: value, creator: creator, validFrom: nil, validUntil: nil) }
}
