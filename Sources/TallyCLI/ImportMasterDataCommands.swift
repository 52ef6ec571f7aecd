import App
import ArgumentParser
import LedgerCore

/// `import creators|codes|referrals|terms|posts|gifts|adjustments|fx` (filled in by master data).
let masterDataImportCommands: [ParsableCommand.Type] = [
    ImportCreatorsCommand.self,
    ImportCodesCommand.self,
    ImportReferralsCommand.self,
    ImportTermsCommand.self,
    ImportPostsCommand.self,
    ImportGiftsCommand.self,
    ImportAdjustmentsCommand.self,
    ImportFXCommand.self
]

/// FILE, --dry-run and --ledger, shared by every master-data import.
struct MasterDataImportArguments: ParsableArguments {
    @OptionGroup var options: LedgerOptions

    @Argument(help: ArgumentHelp("The CSV file (UTF-8, header row, columns in any order).", valueName: "file"))
    var file: String

    @Flag(help: "Check the file and report what would be added, without writing anything.")
    var dryRun = false

    /// Imports the file and prints the one-line summary; every problem of the file is an error
    /// (exit 1) and nothing is written.
    func run(_ kind: MasterDataKind) throws {
        let session = try options.open()
        do {
            let summary = try session.importMasterData(kind, path: file, file: file, dryRun: dryRun)
            for note in summary.planNotes { printNote(note) }
            if !summary.ignoredColumns.isEmpty {
                let list = summary.ignoredColumns.map { "'\($0)'" }.joined(separator: ", ")
                let plural = summary.ignoredColumns.count == 1 ? "column" : "columns"
                printNote(
                    "\(file): \(plural) \(list) ignored: not read by a \(kind.rawValue) file "
                        + "(it reads \((kind.requiredColumns + kind.optionalColumns).joined(separator: ", ")))")
            }
            for note in summary.notes.prefix(10) { printWarning(note) }
            if summary.notes.count > 10 { printWarning("... and \(summary.notes.count - 10) more notes like these") }
            print(summary.description)
        } catch let error as MasterDataImportError {
            throw UserError(error.description)
        }
    }
}

private let allOrNothing = """
    All or nothing: a file with any problem writes nothing and lists every problem \
    (up to \(MasterDataImport.issuesMax)) as \
    file:line:column. Re-importing the same file adds nothing; a file with changed rows adds only the changes.
    """

private let sharedDiscussion =
    allOrNothing + """
         Every creator a row names must be registered first (tally import creators). See docs/master-data.md.
        """

struct ImportCreatorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "creators",
        abstract: "Register creators, or record what changed about them.",
        discussion: """
            Header: id,name,email, optional payout_method,payout_account (paypal, wise or bank) and tax_form (w9, \
            w8ben, or none to clear it; never the taxpayer identification number), and any further column named \
            after a platform holding its follower count (empty: not on that platform). Ids are slugs (lower-case \
            letters, digits, '-', '_', '.'). The e-mail is stored only as a salted hash. An empty cell never erases \
            a stored value.

            \(allOrNothing) Import creators before the files that name them (codes, terms, posts, ...). See \
            docs/master-data.md.
            """
    )
    @OptionGroup var arguments: MasterDataImportArguments
    func run() throws { try arguments.run(.creators) }
}

struct ImportCodesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codes",
        abstract: "Assign discount codes to creators, or declare house codes.",
        discussion: """
            Header: code,creator,valid_from, optional valid_until (exclusive). An empty creator declares a house \
            code (never attributed). Codes compare trimmed and upper-cased. A code is never both a house code and \
            a creator's. A new assignment of a code ends the previous one at its valid_from; a changed row with the \
            same valid_from is recorded again and supersedes the earlier one.

            \(sharedDiscussion)
            """
    )
    @OptionGroup var arguments: MasterDataImportArguments
    func run() throws { try arguments.run(.codes) }
}

struct ImportReferralsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "referrals",
        abstract: "Assign referral values (ref=anna, a utm value) to creators.",
        discussion: """
            Header: value,creator,valid_from, optional valid_until (exclusive). \
            Values compare trimmed and upper-cased. \
            Same rules as codes, without house values.

            \(sharedDiscussion)
            """
    )
    @OptionGroup var arguments: MasterDataImportArguments
    func run() throws { try arguments.run(.referrals) }
}

struct ImportTermsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "terms",
        abstract: "Set creators' commission terms from a date.",
        discussion: """
            Header: creator,effective_from,commission,per_order,holdback_days,min_payout. commission needs a % sign \
            (12.5%); per_order and min_payout are amounts in the base currency; holdback_days a whole number 0-3650. \
            An empty cell keeps that field from the terms in force before \
            (first terms: 0%, 0, \(Terms.defaults.holdbackDays) days, 0). Optional plan columns (section 8 of the \
            ledger rules): new_customer_commission, lifetime_months, lifetime_commission, tiers (25:12.5%;50:15%), \
            tiers_apply (marginal or month), bonus_threshold, bonus, retainer; none clears a rate, tiers, bonus or \
            retainer.

            \(sharedDiscussion)
            """
    )
    @OptionGroup var arguments: MasterDataImportArguments
    func run() throws { try arguments.run(.terms) }
}

struct ImportPostsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "posts",
        abstract: "Record creators' posts and their flat fees.",
        discussion: """
            Header: creator,date,platform,fee, optional url,impressions,engagements,id. fee is in the base currency, \
            0 or more. Without an id a row is identified by its content; a known id with changed content replaces \
            the earlier post.

            \(sharedDiscussion)
            """
    )
    @OptionGroup var arguments: MasterDataImportArguments
    func run() throws { try arguments.run(.posts) }
}

struct ImportGiftsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gifts",
        abstract: "Record product gifts to creators (a cost for ROI, never paid out).",
        discussion: """
            Header: creator,date,value, optional note,id. value is the product cost in the base currency, 0 or more. \
            Without an id a row is identified by its content.

            \(sharedDiscussion)
            """
    )
    @OptionGroup var arguments: MasterDataImportArguments
    func run() throws { try arguments.run(.gifts) }
}

struct ImportAdjustmentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adjustments",
        abstract: "Record signed adjustments to creators' balances (paid out like a fee).",
        discussion: """
            Header: creator,date,amount,reason, optional id. amount is signed and not zero (-25.00 takes money back). \
            Without an id a row is identified by its content.

            \(sharedDiscussion)
            """
    )
    @OptionGroup var arguments: MasterDataImportArguments
    func run() throws { try arguments.run(.adjustments) }
}

struct ImportFXCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fx",
        abstract: "Record exchange rates into the base currency.",
        discussion: """
            Header: date,currency,rate: units of the base currency per unit of `currency`, up to 10 decimals. An order \
            uses the latest rate dated on or before its created date. The base currency itself is refused. A \
            different rate for the same date and currency replaces the earlier one.

            \(sharedDiscussion)
            """
    )
    @OptionGroup var arguments: MasterDataImportArguments
    func run() throws { try arguments.run(.fx) }
}
