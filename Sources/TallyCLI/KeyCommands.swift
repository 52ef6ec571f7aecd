import App
import ArgumentParser
import LedgerCore

/// `tally key export|import|move-out`.
struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "The ledger's key file: the e-mail salt and the payout-account key, kept apart from the ledger.",
        discussion: """
            'tally init' writes the key to --key-file, else $TALLY_KEY_FILE, else a file named after the \
            ledger's id in $XDG_CONFIG_HOME/tally/keys (default ~/.config/tally/keys), readable by its owner only. \
            Imports of orders and creators, 'creator add --email', 'payout export' and 'creator list --unmasked' \
            need it; every other command works from the ledger file alone.
            """,
        subcommands: [KeyExportCommand.self, KeyImportCommand.self, KeyMoveOutCommand.self]
    )
}

struct KeyExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Copy the ledger's key to a file (mode 0600), to back it up or to take it to another machine.",
        discussion: "Refuses an existing FILE unless --force."
    )
    @OptionGroup var options: LedgerOptions
    @Argument(help: ArgumentHelp("The copy to write.", valueName: "file")) var file: String
    @Flag(help: "Replace FILE if it exists.") var force = false

    func run() throws {
        let session = try options.open(readOnly: true)
        let key = try session.exportKey(to: file, replacing: force)
        print(
            "Wrote the key of the ledger \(session.path) to \(file) "
                + "(fingerprint \(LedgerKey.shortFingerprint(key.fingerprint))).")
        print(
            "Keep it private and apart from the ledger; 'tally key import \(file)' puts it in place on another "
                + "machine.")
    }
}

struct KeyImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Put a copy of the ledger's key where this machine looks for it.",
        discussion: """
            Refuses a key whose fingerprint is not the one the ledger keeps (the key of another ledger), and \
            replaces another file at the destination only with --force.
            """
    )
    @OptionGroup var options: LedgerOptions
    @Argument(help: ArgumentHelp("The key file to import (from 'tally key export').", valueName: "file"))
    var file: String
    @Flag(help: "Replace a different file where the key goes.") var force = false

    func run() throws {
        let session = try options.open(readOnly: true)
        switch try session.importKey(from: file, replacing: force) {
        case let .imported(keyFile): print("Imported the key of the ledger \(session.path) to \(keyFile).")
        case let .alreadyInPlace(keyFile):
            print("The key of the ledger \(session.path) is already at \(keyFile); nothing changed.")
        }
    }
}

struct KeyMoveOutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "move-out",
        abstract: "Move the key out of a ledger made before key files, into a key file.",
        discussion: """
            The e-mail salt (in the ledger's first fact) and the payout-account key leave the ledger file in \
            one transaction, and their old bytes are overwritten; 'verify' still checks the whole hash chain \
            (docs/security.md). Copies and backups made before still hold the key.
            """
    )
    @OptionGroup var options: LedgerOptions

    func run() throws {
        let session = try options.open(aboutKey: false)
        switch try session.moveKeyOut() {
        case let .movedOut(keyFile):
            print(
                "Moved the key of the ledger \(session.path) out to \(keyFile): the e-mail salt and the "
                    + "payout-account key are no longer in the ledger file, and their old bytes are overwritten.")
            print(
                "Back the key file up apart from the ledger ('tally key export FILE'). Copies and backups of the "
                    + "ledger made before now still hold the key: delete or replace them.")
        case let .finished(keyFile):
            print(
                "Finished moving the key of the ledger \(session.path) out to \(keyFile): its old bytes are "
                    + "overwritten now.")
        case let .alreadyOutside(keyFile):
            print(
                "The key of the ledger \(session.path) is not in the ledger file (it is looked for at \(keyFile)); "
                    + "nothing to do.")
        }
    }
}
