import App
import ArgumentParser
import LedgerCore

extension MasterDataKind: ExpressibleByArgument {}

/// `tally list KIND`: the master data as the ledger holds it now.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List master data: creators, codes, referrals, terms, posts, gifts, adjustments or fx rates.",
        discussion: """
            codes and referrals: each owner's span as the rules resolve it (a span ends where the next one \
            starts or at its own end; a house code has no creator). terms: every field in force from each \
            effective_from, and when its value started (<field>_since). Payout accounts show only their last \
            4 characters.
            """
    )
    @OptionGroup var options: LedgerOptions
    @Argument(
        help: ArgumentHelp(
            "creators, codes, referrals, terms, posts, gifts, adjustments or fx.",
            valueName: "kind"))
    var kind: MasterDataKind
    @Option(help: ArgumentHelp("Only this creator's rows.", valueName: "id")) var creator: String?
    @Option(help: "table, csv or json.") var format: OutputFormat = .table

    func run() throws {
        let session = try options.open(readOnly: true)
        let listing = try session.list(kind, creator: creator?.trimmingASCIISpaces())
        print(listingReport(listing, zone: session.zone, base: session.baseCurrency).render(format), terminator: "")
        if listing.creators.contains(where: { $0.creator.payout != nil }), let problem = session.keyFileProblem() {
            printNote(problem)
        }
    }
}

/// The columns of each kind follow its import file's, so that a listing reads like the file that
/// would record it.
func listingReport(_ listing: MasterDataListing, zone: Zone, base: Currency) -> Report {
    let e = base.minorUnitExponent
    let day = { (instant: Instant?) -> Cell in instant.map { .text(describe($0, zone: zone)) } ?? .none }
    switch listing.kind {
    case .creators: return creatorsReport(listing.creators)
    case .codes, .referrals:
        let key = listing.kind == .codes ? "code" : "value"
        var report = Report(columns: [key, "creator", "valid_from", "valid_until"])
        report.rows = listing.assignments.map {
            [
                .text($0.value), $0.creator.map(Cell.text) ?? .none, day($0.validFrom),
                day($0.validUntil)
            ]
        }
        return report
    case .terms:
        let fields = TermsField.all.flatMap { [$0.name, $0.name + "_since"] }
        var report = Report(columns: ["creator", "effective_from"] + fields)
        for (creator, resolved) in listing.terms {
            let fields = resolved.fields.flatMap { [cell($0.value, exponent: e), day($0.since)] }
            report.rows.append([.text(creator), day(resolved.terms.effectiveFrom)] + fields)
        }
        return report
    case .posts:
        var report = Report(columns: ["id", "creator", "date", "platform", "fee", "url", "impressions", "engagements"])
        report.rows = listing.posts.map { p in
            [
                .text(p.id), .text(p.creator), .text(p.date.description), .text(p.platform),
                .money(p.feeMinor, exponent: e),
                p.url.map(Cell.text) ?? .none, p.impressions.map(Cell.int) ?? .none,
                p.engagements.map(Cell.int) ?? .none
            ]
        }
        return report
    case .gifts:
        var report = Report(columns: ["id", "creator", "date", "value", "note"])
        report.rows = listing.gifts.map { g in
            [
                .text(g.id), .text(g.creator), .text(g.date.description), .money(g.valueMinor, exponent: e),
                g.note.map(Cell.text) ?? .none
            ]
        }
        return report
    case .adjustments:
        var report = Report(columns: ["id", "creator", "date", "amount", "reason"])
        report.rows = listing.adjustments.map { a in
            [
                .text(a.id), .text(a.creator), .text(a.date.description), .money(a.amountMinor, exponent: e),
                .text(a.reason)
            ]
        }
        return report
    case .fx:
        var report = Report(columns: ["date", "currency", "rate"])
        report.rows = listing.fxRates.map {
            [.text($0.date.description), .text($0.currency.code), .text($0.rate.description)]
        }
        return report
    }
}

private func cell(_ value: TermsValue, exponent: Int) -> Cell {
    switch value {
    case let .rate(rate): return .text(rate.description)
    case let .money(minor): return .money(minor, exponent: exponent)
    case let .days(days): return .int(days)
    case let .count(count): return .int(count)
    case let .text(text): return .text(text)
    case .none: return .none
    }
}

/// `creator list` and `list creators`.
func creatorsReport(_ listings: [CreatorListing]) -> Report {
    var report = Report(columns: [
        "id", "name", "email_on_file", "followers_max", "tier", "followers",
        "payout_method", "payout_account", "tax_form"
    ])
    for listing in listings {
        let creator = listing.creator
        let followers = creator.followers.keys.sorted().map { "\($0)=\(creator.followers[$0]!)" }.joined(separator: " ")
        report.rows.append([
            .text(creator.id), .text(creator.name), .text(creator.emailHash == nil ? "no" : "yes"),
            .int(creator.followersMax), .text(listing.tier), .text(followers),
            creator.payout.map { .text($0.method) } ?? .none,
            listing.account.map(Cell.text) ?? .none,
            creator.taxForm.map { .text($0.rawValue) } ?? .none
        ])
    }
    return report
}
