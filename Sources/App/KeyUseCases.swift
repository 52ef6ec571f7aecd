import Foundation
import LedgerCore
import LedgerStore
import PrivateFiles

/// What `tally key import` did.
public enum KeyImportOutcome: Sendable, Equatable {
    case imported(keyFile: String)
    /// The same key was already there: nothing written.
    case alreadyInPlace(keyFile: String)
}

/// What `tally key move-out` did.
public enum KeyMoveOutcome: Sendable, Equatable {
    /// The secrets left the ledger file for `keyFile`.
    case movedOut(keyFile: String)
    /// An earlier move-out had not finished overwriting the old bytes: now it has.
    case finished(keyFile: String)
    /// Nothing to do: the ledger holds no key (`keyFile`: where it is looked for).
    case alreadyOutside(keyFile: String)
}

extension LedgerSession {
    /// Where this ledger's key is looked for: `--key-file`, else `TALLY_KEY_FILE`, else the file named
    /// after its id in the user's configuration folder; nil while the key is inside the ledger.
    public var keyFile: String? {
        guard ledger.ledgerId != nil, case let .file(path) = ledger.keySource else { return nil }
        return path
    }

    /// The one-line warnings every command prints after opening the ledger: a key still inside it,
    /// or a key file other users may read (unless not `aboutKey`), and, for a command that writes
    /// (`writing`), a ledger that other users may read.
    public func warnings(writing: Bool, aboutKey: Bool = true) -> [String] {
        var warnings: [String] = []
        if aboutKey && ledger.keyIsInside {
            warnings.append(
                "the ledger \(path) still holds its key (the e-mail salt and the payout-account key): "
                    + "run 'tally key move-out' to keep it in a key file apart from the ledger")
        } else if aboutKey && ledger.scrubPending {
            warnings.append(
                "the key of the ledger \(path) was moved out, but its old bytes are not overwritten yet: "
                    + "run 'tally key move-out' again to finish")
        }
        // Whatever the command: a key others can read (a copy made with `cp` under a lax umask) is
        // worse than a ledger they can read, and a stat costs nothing.
        if aboutKey, let keyFile, KeyFile.isOpenToOthers(keyFile) {
            let mode = "0" + String(PrivateFile.mode(keyFile) ?? 0, radix: 8)
            warnings.append(
                "the key file \(keyFile) of the ledger \(path) can be read by other users (mode \(mode)): "
                    + "run 'chmod go-rwx \(shellQuoted(keyFile))'")
        }
        if writing {
            let open = ([""] + Ledger.companionSuffixes).map { path + $0 }.filter(PrivateFile.isOpenToOthers)
            if let first = open.first {
                let mode = "0" + String(PrivateFile.mode(first) ?? 0, radix: 8)
                // go-rwx, not 600, for the ledger: one its owner made read-only stays so. SQLite's files
                // beside it must stay writable by the owner (600), or the next write fails.
                let companions = open.filter { $0 != path }.map(shellQuoted).joined(separator: " ")
                let commands =
                    (open.contains(path) ? ["chmod go-rwx \(shellQuoted(path))"] : [])
                    + (companions.isEmpty ? [] : ["chmod 600 \(companions)"])
                warnings.append(
                    "the ledger \(path) can be read by other users (\(first) has mode \(mode)): "
                        + "run '\(commands.joined(separator: " && "))'")
            }
        }
        return warnings
    }

    /// `key export FILE`: a copy of the key, owner-only. Refuses an existing FILE unless `replacing`.
    public func exportKey(to file: String, replacing: Bool) throws -> LedgerKey {
        guard !ledger.keyIsInside else {
            throw UserError(
                "the ledger \(path) still holds its key: run 'tally key move-out' first, which puts it "
                    + "in a key file; then 'tally key export FILE' copies it")
        }
        let key = try ledger.key(for: .exportKey)
        try KeyFile.write(key, to: file, replacing: replacing, environment: environment)
        return key
    }

    /// `key import FILE`: puts the key in FILE where this ledger looks for it, once its fingerprint
    /// shows that it is this ledger's. Replaces another file there only when `replacing`.
    public func importKey(from file: String, replacing: Bool) throws -> KeyImportOutcome {
        guard !ledger.keyIsInside else {
            throw UserError(
                "the ledger \(path) still holds its own key (it was made before key files): there is "
                    + "nothing to import; 'tally key move-out' takes the key out into a key file")
        }
        guard let key = try KeyFile.read(file) else { throw UserError("no key file at \(file)") }
        try ledger.check(key, keyFile: file)
        guard let destination = keyFile else {
            throw UserError(
                "nowhere to put the key of the ledger \(path): "
                    + (ledger.keySource.whyNowhere ?? ledger.keySource.place))
        }
        let existing = try? KeyFile.read(destination)
        if existing == key { return .alreadyInPlace(keyFile: destination) }
        if existing == nil, FileManager.default.fileExists(atPath: destination), !replacing {
            throw UserError("\(destination) exists and is not a tally key file; add --force to replace it")
        }
        if existing != nil, !replacing {
            throw UserError("\(destination) already holds another key (not this ledger's); add --force to replace it")
        }
        try KeyFile.write(key, to: destination, replacing: replacing, environment: environment)
        return .imported(keyFile: destination)
    }

    /// `key move-out`: the salt and the sealing key leave the ledger file for a key file (created
    /// first; removed again if the ledger cannot be changed), and their old bytes are overwritten
    /// (`Ledger.moveKeyOut`, `Ledger.scrub`). Run again, it finishes an interrupted overwrite.
    public func moveKeyOut() throws -> KeyMoveOutcome {
        guard ledger.keyIsInside else {
            let place = keyFile ?? ledger.keySource.place
            guard ledger.scrubPending else { return .alreadyOutside(keyFile: place) }
            try ledger.scrub()
            return .finished(keyFile: place)
        }
        let secrets = try ledger.secretsInside()
        let fresh = LedgerKey.generate()
        let key = LedgerKey(
            ledgerId: fresh.ledgerId, emailSalt: secrets.emailSalt,
            sealingKey: secrets.sealingKey ?? fresh.sealingKey)
        guard
            case let .file(destination) = KeyFile.source(
                option: keyOption, ledgerId: key.ledgerId,
                environment: environment)
        else {
            throw UserError(
                "nowhere to put the key of the ledger \(path): neither XDG_CONFIG_HOME nor HOME is set; "
                    + "give --key-file or TALLY_KEY_FILE")
        }
        try LedgerSession.writeNewKey(key, to: destination, environment: environment)
        do {
            try ledger.moveKeyOut(key)
        } catch {
            // The ledger still holds its secrets: the key file would only be a stray copy of them.
            if ledger.keyIsInside { unlink(destination) }
            throw error
        }
        ledger.keySource = .file(destination)
        do {
            try ledger.scrub()
        } catch {
            // The move-out itself committed: say so, and how to finish.
            throw UserError(
                "moved the key of the ledger \(path) out to \(destination), but its old bytes are not "
                    + "overwritten yet (\(error)): run 'tally key move-out' again when no other tally command "
                    + "has the ledger open")
        }
        return .movedOut(keyFile: destination)
    }
}

/// A path as a shell reads it back (single quotes where needed).
func shellQuoted(_ path: String) -> String {
    let plain = path.unicodeScalars.allSatisfy {
        CharacterSet.alphanumerics.contains($0) || "/._-+".unicodeScalars.contains($0)
    }
    return plain ? path : "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
