import App
import ArgumentParser
import LedgerCore

/// `tally creator add|list`.
struct CreatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "creator",
        abstract: "Register creators, list them, and read a creator's payout history.",
        subcommands: [CreatorAddCommand.self, CreatorListCommand.self, CreatorHistoryCommand.self]
    )
}

struct CreatorAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Register a creator, or record what changed about a registered one.",
        discussion: """
            Same rules as one row of 'tally import creators': an option left out never erases a stored value, \
            follower counts are merged per platform, and running the same command again adds nothing. The e-mail \
            is stored only as a salted hash (to detect self-referrals), never in clear.
            """
    )

    @OptionGroup var options: LedgerOptions

    @Argument(
        help: ArgumentHelp(
            "The creator's id: lower-case letters, digits, '-', '_', '.' (like anna-bakes).", valueName: "id"))
    var id: String

    @Option(help: ArgumentHelp("The creator's name, as shown in statements and payout files.", valueName: "name"))
    var name: String

    @Option(
        help: ArgumentHelp(
            "The creator's e-mail, used only to detect self-referrals (kept as a salted hash).", valueName: "email"))
    var email: String?

    @Option(
        parsing: .upToNextOption,
        help: ArgumentHelp(
            "Follower counts, like instagram=48200 tiktok=12900 (the largest decides the tier).",
            valueName: "platform=count"))
    var followers: [String] = []

    @Option(
        help: ArgumentHelp(
            "How the creator is paid: paypal, wise or bank (needs --payout-account).", valueName: "method"))
    var payoutMethod: String?

    @Option(
        help: ArgumentHelp(
            "The PayPal e-mail, IBAN or account number to pay (needs --payout-method).", valueName: "account"))
    var payoutAccount: String?

    @Option(
        help: ArgumentHelp(
            "The US tax form on file: w9 or w8ben (never the number on it); none clears it.",
            valueName: "form"))
    var taxForm: String?

    func validate() throws {
        if (payoutMethod == nil) != (payoutAccount == nil) {
            throw ValidationError("--payout-method and --payout-account go together: give both or neither")
        }
    }

    func run() throws {
        let session = try options.open()
        let id = try parseOption("creator id", self.id) { MasterValues.slug($0) }
        let name = try requiredText("--name", self.name)
        let email = try parseOption("--email", self.email, MasterValues.email)
        let counts = try parseFollowers(followers)
        var payout: PayoutDetails? = nil
        if let payoutMethod, let payoutAccount {
            let method = try parseOption("--payout-method", payoutMethod, MasterValues.payoutMethod)
            let account = try requiredText("--payout-account", payoutAccount)
            if let problem = MasterValues.payoutAccountProblem(method: method, account: account) {
                printWarning(
                    "--payout-account \(maskedAccountTail(account)): expected \(problem.expected); recorded as given "
                        + "(the upload would be refused)")
            }
            payout = PayoutDetails(method: method, account: account)
        }
        let taxForm = try self.taxForm.map { text in
            guard case let .success(form) = MasterValues.taxForm(text) else {
                throw UserError(
                    "--tax-form: found \(MasterValues.shownTaxFormCell(text)), expected w9 or w8ben (the "
                        + "form on file, never the taxpayer identification number), or none to clear it")
            }
            return form
        }
        let details = CreatorDetails(
            id: id, name: name, email: email, followers: counts, payout: payout,
            taxForm: taxForm ?? nil)
        var lookAlike: String?
        let change = try session.addCreator(details) { lookAlike = $0 }
        switch change {
        case .added: print("Registered creator \(id).")
        case .changed: print("Updated creator \(id).")
        case .unchanged: print(unchangedNote("Creator \(id) with these details"))
        }
        if let lookAlike { printNote(lookAlike) }
    }
}

/// `--followers instagram=48200 tiktok=12900`: one count per platform.
func parseFollowers(_ values: [String]) throws -> [String: Int64] {
    var counts: [String: Int64] = [:]
    for value in values {
        let parts = value.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
            String($0).trimmingASCIISpaces()
        }
        guard parts.count == 2, case let .success(platform) = MasterValues.platform(parts[0]),
            case let .success(count) = MasterValues.count(parts[1])
        else {
            throw UserError(
                "--followers: found '\(value)', expected platform=count with a whole number, like instagram=48200")
        }
        guard counts[platform] == nil else {
            throw UserError("--followers: found '\(value)', expected each platform once (\(platform) is given twice)")
        }
        counts[platform] = count
    }
    return counts
}

struct CreatorListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the registered creators with their follower counts, tier and (masked) payout account.",
        discussion: """
            Columns: id,name,email_on_file,followers_max,tier,followers,payout_method,payout_account,tax_form. The \
            tier comes from the largest platform's follower count. Payout accounts show only their last 4 characters \
            (with the ledger's key; without it, ****(sealed)), or in full with --unmasked, which needs the key; \
            e-mails are never stored in clear, so only whether one is on file is shown.
            """
    )

    @OptionGroup var options: LedgerOptions
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    @Flag(help: "Show payout accounts in full (needs the ledger's key).") var unmasked = false

    func run() throws {
        let session = try options.open(readOnly: true)
        let listings = try session.creators(unmasked: unmasked)
        print(creatorsReport(listings).render(format), terminator: "")
        if listings.contains(where: { $0.creator.payout != nil }), let problem = session.keyFileProblem() {
            printNote(problem)
        }
    }
}
