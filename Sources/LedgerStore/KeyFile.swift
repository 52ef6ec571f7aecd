import Foundation
import LedgerCore
import PrivateFiles

/// Where a ledger's key is to be found: what the command that opened it was told.
public enum KeySource: Sendable {
    /// A key file's path: `--key-file`, else `TALLY_KEY_FILE`, else the default (`KeyFile.defaultPath`).
    case file(String)
    /// The key itself (a ledger just created, tests).
    case given(LedgerKey)
    /// No place to look (no `--key-file`, `TALLY_KEY_FILE`, `XDG_CONFIG_HOME` or `HOME`): why.
    case nowhere(String)

    /// Why there is no place to look for the key, as a message's ending (nil: there is one).
    public var whyNowhere: String? {
        if case let .nowhere(reason) = self { return reason }
        return nil
    }

    /// Where the key is looked for, as messages say it.
    public var place: String {
        switch self {
        case let .file(path): return path
        case .given: return "(given)"
        case let .nowhere(reason): return "nowhere (\(reason))"
        }
    }
}

/// The key file of a ledger (docs/security.md): found by the ledger's id in the user's
/// configuration folder, or where `--key-file` / `TALLY_KEY_FILE` say; created owner-only.
public enum KeyFile {
    public static let environmentVariable = "TALLY_KEY_FILE"

    /// `--key-file PATH`, else `TALLY_KEY_FILE`, else `$XDG_CONFIG_HOME/tally/keys/ID.key`, else
    /// `$HOME/.config/tally/keys/ID.key`.
    public static func source(option: String?, ledgerId: String, environment: [String: String]) -> KeySource {
        if let option, !option.isEmpty { return .file(option) }
        if let named = environment[environmentVariable], !named.isEmpty { return .file(named) }
        guard let folder = defaultFolder(environment) else {
            return .nowhere("neither XDG_CONFIG_HOME nor HOME is set; give --key-file or TALLY_KEY_FILE")
        }
        return .file(folder + "/" + ledgerId + ".key")
    }

    /// The folder of the keys: `$XDG_CONFIG_HOME/tally/keys` (an absolute path, as the XDG
    /// specification requires; a relative one is ignored), else `$HOME/.config/tally/keys`.
    public static func defaultFolder(_ environment: [String: String]) -> String? {
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") { return trimmed(config) + "/tally/keys" }
        if let home = environment["HOME"], !home.isEmpty { return trimmed(home) + "/.config/tally/keys" }
        return nil
    }

    private static func trimmed(_ folder: String) -> String {
        folder.count > 1 && folder.hasSuffix("/") ? String(folder.dropLast()) : folder
    }

    /// A key file is a few hundred bytes: a larger file is not one, and is not read whole.
    static let sizeMax = 64 << 10

    /// The key in the file at `path`; nil when there is no such file.
    public static func read(_ path: String) throws(LedgerError) -> LedgerKey? {
        var info = stat()
        if stat(path, &info) != 0 {
            // A key in a folder this user may not enter is not a missing key: say which it is.
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw .keyUnreadable(keyFile: path, reason: String(cString: strerror(errno)))
        }
        if info.st_mode & S_IFMT == S_IFDIR { throw .keyUnreadable(keyFile: path, reason: "it is a folder") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .keyUnreadable(keyFile: path, reason: "cannot be read by this user")
        }
        defer { try? handle.close() }
        let data: Data
        do { data = try handle.read(upToCount: sizeMax + 1) ?? Data() } catch {
            throw .keyUnreadable(keyFile: path, reason: "\(error.localizedDescription)")
        }
        if data.count > sizeMax { throw .keyUnreadable(keyFile: path, reason: "not a tally key file: far too large") }
        switch LedgerKey.parse(fileText: String(decoding: data, as: UTF8.self)) {
        case let .success(key): return key
        case let .failure(problem): throw .keyUnreadable(keyFile: path, reason: "not a tally key file: \(problem)")
        }
    }

    /// Writes `key` to `path`, owner-only and atomically. The default folder is created (0700)
    /// when missing; a folder given by the user must exist. Without `replacing`, an existing file
    /// is refused (`.keyFileExists`).
    public static func write(
        _ key: LedgerKey, to path: String, replacing: Bool,
        environment: [String: String]
    ) throws(LedgerError) {
        let folder = PrivateFile.folderOf(path)
        do {
            if !folder.isEmpty && folder == defaultFolder(environment) { try PrivateFile.createFolders(folder) }
            try PrivateFile.write(Array(key.fileText.utf8), to: path, replacing: replacing)
        } catch {
            if error.isExists { throw .keyFileExists(keyFile: path) }
            throw .keyUnwritable(keyFile: path, reason: error.reason)
        }
    }

    /// Whether a user other than the owner may read the key file (a copy made with `cp` under a
    /// lax umask, a folder shared by mistake).
    public static func isOpenToOthers(_ path: String) -> Bool { PrivateFile.isOpenToOthers(path) }
}

extension LedgerKey {
    /// A new key: a random id, salt and sealing key (the system's random source).
    public static func generate() -> LedgerKey {
        var random = SystemRandomNumberGenerator()
        func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) } }
        return LedgerKey(ledgerId: hex(bytes(16)), emailSalt: hex(bytes(16)), sealingKey: bytes(sealingKeyBytes))
    }
}
