import App
import ArgumentParser
import LedgerCore

/// `tally terms set`.
struct TermsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "terms",
        abstract: "Set a creator's commission terms, or show them over time.",
        subcommands: [TermsSetCommand.self, TermsShowCommand.self]
    )
}

/// `tally terms show CREATOR`: the resolved terms over time, as `tally list terms --creator` lists them.
struct TermsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "A creator's terms over time, plan fields included (the same as tally list terms --creator).",
        discussion: """
            One row per effective_from: every field in force from then, and when its value started \
            (<field>_since).
            """
    )
    @OptionGroup var options: LedgerOptions
    @Argument(help: ArgumentHelp("The creator's id.", valueName: "creator"))
    var creator: String
    @Option(help: "table, csv or json.") var format: OutputFormat = .table

    func run() throws {
        let session = try options.open(readOnly: true)
        let listing = try session.list(.terms, creator: creator.trimmingASCIISpaces())
        print(listingReport(listing, zone: session.zone, base: session.baseCurrency).render(format), terminator: "")
    }
}

struct TermsSetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Set a creator's commission terms from a date.",
        discussion: """
            An option left out keeps its value from the terms in force before --from; a creator's first terms start \
            from 0%, 0.00 per order, \(Terms.defaults.holdbackDays) holdback days and a 0.00 minimum payout, and no \
            plan (section 8 of the ledger rules: new-customer and lifetime rates, tiers, a bonus, a retainer). \
            Running the same command again adds \
            nothing; different values with the same --from replace the earlier terms of that date.
            """
    )

    @OptionGroup var options: LedgerOptions

    @Argument(help: ArgumentHelp("The creator's id.", valueName: "creator"))
    var creator: String

    @Option(
        help: ArgumentHelp(
            "In force from this DATE (YYYY-MM-DD at 00:00 in the ledger's zone, or a timestamp with offset).",
            valueName: "date"))
    var from: DateArgument

    @Option(
        parsing: .unconditional,  // `--commission -5%` is a (refused) value, not a missing one
        help: ArgumentHelp("Commission on the order subtotal, with a % sign, like 12.5%.", valueName: "rate"))
    var commission: RateArgument?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "A fixed amount per payable order, in the base currency, like 2.00.",
            valueName: "amount"))
    var perOrder: AmountArgument?

    @Option(
        parsing: .unconditional,  // `--holdback-days -5` is a (refused) value
        help: ArgumentHelp("Days after an order before its commission is paid (0-3650).", valueName: "days"))
    var holdbackDays: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "The smallest balance paid out; less is carried to the next month.",
            valueName: "amount"))
    var minPayout: AmountArgument?

    // Section 8 of the ledger rules: commission plans. `none` clears a rate, tier list, bonus or retainer.
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "The rate of a new customer's order (their first in the ledger), or none.",
            valueName: "rate"))
    var newCustomerCommission: String?

    @Option(
        parsing: .unconditional,  // `--lifetime-months -5` is a (refused) value
        help: ArgumentHelp(
            "Months a customer stays linked to the creator of their first coded order (0: off).",
            valueName: "months"))
    var lifetimeMonths: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("The rate of an order credited through a lifetime link, or none.", valueName: "rate"))
    var lifetimeCommission: String?

    @Option(
        help: ArgumentHelp(
            "Rates by the month's conversions, like 25:12.5%,50:15% (26th on: 12.5%), or none; "
                + "with ';' between tiers, quote the value (a shell cuts it at ';').",
            valueName: "tiers"))
    var tiers: String?

    @Option(
        help: ArgumentHelp(
            "marginal (a tier pays from the conversion that reaches it) or month (the whole month).",
            valueName: "how"))
    var tiersApply: String?

    @Option(
        parsing: .unconditional,  // `--bonus-threshold -5` is a (refused) value
        help: ArgumentHelp("Conversions in a month that earn the bonus (0: no bonus).", valueName: "count"))
    var bonusThreshold: String?

    @Option(
        parsing: .unconditional,  // `--bonus -5` is a (refused) value
        help: ArgumentHelp(
            "The bonus of a month that reaches the threshold, like 100.00, or none.",
            valueName: "amount"))
    var bonus: String?

    @Option(
        parsing: .unconditional,  // `--retainer -5` is a (refused) value
        help: ArgumentHelp("A fixed fee for every month, like 300.00, or none.", valueName: "amount"))
    var retainer: String?

    func run() throws {
        let session = try options.open()
        let base = session.baseCurrency
        let terms = TermsSet(
            creator: creator.trimmingASCIISpaces(),
            effectiveFrom: from.instant(in: session.zone),
            commission: try parseOption("--commission", commission?.text, MasterValues.commission),
            perOrderMinor: try parseOption("--per-order", perOrder?.text) {
                MasterValues.money($0, base, sign: .zeroOrMore)
            },
            holdbackDays: try parseOption("--holdback-days", holdbackDays, MasterValues.holdbackDays),
            minPayoutMinor: try parseOption("--min-payout", minPayout?.text) {
                MasterValues.money($0, base, sign: .zeroOrMore)
            },
            newCustomerCommission: try parseOption(
                "--new-customer-commission", newCustomerCommission,
                MasterValues.clearableCommission),
            lifetimeMonths: try parseOption("--lifetime-months", lifetimeMonths) { MasterValues.count($0, max: 1_200) },
            lifetimeCommission: try parseOption(
                "--lifetime-commission", lifetimeCommission,
                MasterValues.clearableCommission),
            tiers: try parseOption("--tiers", tiers, MasterValues.clearableTiers),
            tiersApply: try parseOption("--tiers-apply", tiersApply, MasterValues.tiersApply),
            bonusThreshold: try parseOption("--bonus-threshold", bonusThreshold) {
                MasterValues.count($0, max: 1_000_000_000)
            },
            bonusMinor: try parseOption("--bonus", bonus) { MasterValues.clearableMoney($0, base) },
            retainerMinor: try parseOption("--retainer", retainer) { MasterValues.clearableMoney($0, base) })
        let (change, repriced) = try session.repricing(from: terms.effectiveFrom) {
            try resolving(creatorLabel: "creator", keyLabel: "creator") { try session.setTerms(terms) }
        }
        switch change {
        case .added: print("Set the terms of \(creator) from \(from.text).")
        case .changed: print("Replaced the terms of \(creator) from \(from.text).")
        case .unchanged: print("These terms of \(creator) from \(from.text) are already in the ledger; nothing added.")
        }
        // The tiers as read: an unquoted `--tiers 25:12.5%;50:15%` reaches tally cut at the `;`.
        if case let .some(.some(list)) = terms.tiers {
            print(
                "Tiers: \(list) (\(plural(Int64(list.tiers.count), "tier")); quote a list with ';' on a command line).")
        }
        if change != .unchanged { noteRepricing(repriced, what: "these terms", currency: base) }
        for note in try session.unpayablePlanNotes(creator: terms.creator, from: terms.effectiveFrom) {
            printNote(note)
        }
    }
}

/// `tally post add`.
struct PostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "post",
        abstract: "Record a creator's post.",
        subcommands: [PostAddCommand.self]
    )
}

struct PostAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Record a creator's post and its flat fee (paid out in the month of the post).",
        discussion: """
            Without --id the post is identified by its content (the same post given twice is recorded once, \
            the same way as a row of 'tally import posts'); with --id, a changed post replaces the earlier one.
            """
    )

    @OptionGroup var options: LedgerOptions
    @Argument(help: ArgumentHelp("The creator's id.", valueName: "creator")) var creator: String
    @Option(help: ArgumentHelp("The day of the post (a DATE).", valueName: "date")) var date: DateArgument
    @Option(help: ArgumentHelp("The platform, like instagram (lower-cased).", valueName: "name")) var platform: String
    @Option(
        parsing: .unconditional,  // `--fee -200` is a (refused) value, not a missing one
        help: ArgumentHelp("The flat fee in the base currency, 0 or more, like 250.00.", valueName: "amount"))
    var fee: AmountArgument
    @Option(help: ArgumentHelp("The post's address.", valueName: "url")) var url: String?
    @Option(help: ArgumentHelp("Impressions, a whole number.", valueName: "n")) var impressions: String?
    @Option(help: ArgumentHelp("Likes, comments and shares, a whole number.", valueName: "n")) var engagements: String?
    @Option(help: ArgumentHelp("Your own id for the post (lets a later correction replace it).", valueName: "id"))
    var id: String?

    func run() throws {
        let session = try options.open()
        let id = try parseOption("--id", id, MasterValues.rowID)
        let creator = creator.trimmingASCIISpaces()
        let at = date.instant(in: session.zone)
        let platform = try parseOption("--platform", platform, MasterValues.platform)
        let fee = try parseOption("--fee", fee.text) { text in
            MasterValues.money(text, session.baseCurrency, sign: .zeroOrMore).mapError { problem in
                text.hasPrefix("-")
                    ? ValueProblem(
                        "a fee of zero or more, like 250.00 (money taken back from a "
                            + "creator is an adjustment: tally adjust \(creator) --amount "
                            + "\(text) ...)")
                    : problem
            }
        }
        let url = url.map { $0.trimmingASCIISpaces() }.flatMap { $0.isEmpty ? nil : $0 }
        let impressions = try parseOption("--impressions", impressions) { MasterValues.count($0) }
        let engagements = try parseOption("--engagements", engagements) { MasterValues.count($0) }
        let (change, recordedID) = try resolving(creatorLabel: "creator", keyLabel: "--id") {
            try session.addPost(
                id: id, creator: creator, at: at, platform: platform, feeMinor: fee, url: url,
                impressions: impressions, engagements: engagements)
        }
        print(recordedLine(change, "post", recordedID))
        if change != .unchanged { noteIfDatedInClosedMonth(session, at: at, what: "post's fee") }
    }
}

/// `tally gift add`.
struct GiftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gift",
        abstract: "Record a product gift to a creator.",
        subcommands: [GiftAddCommand.self]
    )
}

struct GiftAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Record a product gift: a cost for ROI, never paid out.",
        discussion:
            "Without --id the gift is identified by its content; with --id, a changed gift replaces the earlier one."
    )

    @OptionGroup var options: LedgerOptions
    @Argument(help: ArgumentHelp("The creator's id.", valueName: "creator")) var creator: String
    @Option(help: ArgumentHelp("The day the gift was sent (a DATE).", valueName: "date")) var date: DateArgument
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("The product cost in the base currency, 0 or more, like 80.00.", valueName: "amount"))
    var value: AmountArgument
    @Option(help: ArgumentHelp("What was sent.", valueName: "text")) var note: String?
    @Option(help: ArgumentHelp("Your own id for the gift.", valueName: "id")) var id: String?

    func run() throws {
        let session = try options.open()
        let id = try parseOption("--id", id, MasterValues.rowID)
        let creator = creator.trimmingASCIISpaces()
        let at = date.instant(in: session.zone)
        let base = session.baseCurrency
        let value = try parseOption("--value", value.text) { MasterValues.money($0, base, sign: .zeroOrMore) }
        let note = note.map { $0.trimmingASCIISpaces() }.flatMap { $0.isEmpty ? nil : $0 }
        let (change, recordedID) = try resolving(creatorLabel: "creator", keyLabel: "--id") {
            try session.addGift(id: id, creator: creator, at: at, valueMinor: value, note: note)
        }
        print(recordedLine(change, "gift", recordedID))
    }
}

/// `tally adjust`.
struct AdjustCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adjust",
        abstract: "Record a signed adjustment to a creator's balance (a bonus, a deduction).",
        discussion: """
            Paid out like a fee in the month of --date (or the next open month). A negative amount takes money back; \
            write it as --amount -12.00 or --amount=-12.00. Without --id the adjustment is identified by its content.
            """
    )

    @OptionGroup var options: LedgerOptions
    @Argument(help: ArgumentHelp("The creator's id.", valueName: "creator")) var creator: String
    @Option(help: ArgumentHelp("The day of the adjustment (a DATE).", valueName: "date")) var date: DateArgument
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("The signed amount in the base currency, not 0, like -12.00.", valueName: "amount"))
    var amount: AmountArgument
    @Option(help: ArgumentHelp("Why: shown to finance and in the log.", valueName: "text")) var reason: String
    @Option(help: ArgumentHelp("Your own id for the adjustment.", valueName: "id")) var id: String?

    func run() throws {
        let session = try options.open()
        let id = try parseOption("--id", id, MasterValues.rowID)
        let creator = creator.trimmingASCIISpaces()
        let at = date.instant(in: session.zone)
        let base = session.baseCurrency
        let amount = try parseOption("--amount", amount.text) { MasterValues.money($0, base, sign: .nonZero) }
        let reason = try requiredText("--reason", reason)
        let (change, recordedID) = try resolving(creatorLabel: "creator", keyLabel: "--id") {
            try session.addAdjustment(id: id, creator: creator, at: at, amountMinor: amount, reason: reason)
        }
        print(recordedLine(change, "adjustment", recordedID))
        if change != .unchanged { noteIfDatedInClosedMonth(session, at: at, what: "adjustment") }
    }
}

private func recordedLine(_ change: MasterDataChange, _ what: String, _ id: String) -> String {
    switch change {
    case .added: return "Recorded \(what) \(id)."
    case .changed: return "Replaced \(what) \(id) with the new details."
    case .unchanged: return unchangedNote("The \(what) \(id)")
    }
}
