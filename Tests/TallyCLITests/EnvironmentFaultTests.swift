import Foundation
import LedgerStore
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

// Environment faults: a ledger from a newer tally, a read-only ledger, a full disk, a file-size
// limit. Each gives one clear message, exit status 1, and leaves the ledger as it was (the same
// bytes, or the same facts and a clean verify).

/// The files of a directory with their digests: "nothing was written" means this is unchanged.
/// An empty -wal or -shm is left out: SQLite creates them for any reader where it may, and an
/// empty log holds nothing; a -wal with content does count.
func directoryState(_ dir: URL) throws -> [String: String] {
    var state: [String: String] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
        let path = dir.appendingPathComponent(name).path
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        if name.hasSuffix("-shm") || (name.hasSuffix("-wal") && size == 0) { continue }
        state[name] = fileDigest(path)
    }
    return state
}

@Suite("environment faults")
struct EnvironmentFaultTests {
    @Test func ledgerFromANewerTallyIsRefusedWithoutWriting() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try runTally(["init", "--currency", "USD"], in: dir).status == 0)
        let path = dir.appendingPathComponent("tally.sqlite").path
        do {
            let raw = try Connection(path: path)
            try raw.execute(
                "INSERT INTO schema_migrations (version, name, sql_sha256) VALUES (99, 'from the future', 'x')")
            try raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        }
        try? FileManager.default.removeItem(atPath: path + "-wal")
        try? FileManager.default.removeItem(atPath: path + "-shm")
        let before = try directoryState(dir)
        let expected =
            "tally.sqlite has schema version 99, newer than this tally understands "
            + "(\(Ledger.schemaVersion)); upgrade tally"
        for command in [
            ["log"], ["verify"], ["rebuild"], ["creator", "add", "zoe", "--name", "Zoe"],
            ["payout", "close", "--month", "2026-09"],
            ["import", "creators", packageRoot().appendingPathComponent("examples/creators.csv").path]
        ] {
            let result = try runTally(command, in: dir)
            #expect(result.status == 1, "\(command): \(result.stdout) \(result.stderr)")
            #expect(result.stderr.contains(expected), "\(command): \(result.stderr)")
            #expect(try directoryState(dir) == before, "\(command) changed the directory")
        }
    }

    /// Root ignores permissions, so as root tally runs as `nobody` (setpriv); as another user it
    /// runs directly. The ledger file and its directory are read-only: reads work, writes are
    /// refused with one clear message, and not a byte changes.
    @Test(.enabled(if: !runningAsRoot || canRunAsNobody, "needs a non-root user or setpriv to drop root's privileges"))
    func readOnlyLedgerReadsButRefusesWrites() throws {
        let dir = try makeTemporaryDirectory()
        defer { chmod(dir.path, 0o755); try? FileManager.default.removeItem(at: dir) }
        try examplesLedger(in: dir)
        let path = dir.appendingPathComponent("tally.sqlite").path
        let creators = try write("id,name,email\nzoe,Zoe,zoe@example.com\n", to: "new-creators.csv", in: dir)
        let binary = runningAsRoot ? try tallyCopy(in: dir) : tallyBinary()
        // The key where the user running tally may read it: the refusal met is the ledger's own.
        let keyFile = dir.appendingPathComponent("tally.key").path
        try #require(try runTally(["key", "export", keyFile], in: dir).status == 0)
        if runningAsRoot { try #require(chown(keyFile, 65_534, 65_534) == 0) }
        // A read-only command leaves the -wal and -shm it made (mode 0600, root's): a write removes them.
        try #require(try runTally(["rebuild"], in: dir).status == 0)
        for directoryMode: mode_t in [0o555, 0o777] {  // a read-only directory, then a writable one
            chmod(path, 0o444)
            chmod(dir.path, directoryMode)
            let before = try directoryState(dir)
            let wrapper = runningAsRoot ? dropPrivileges : ["/usr/bin/env"]
            let verify = try runTallyWrapped(wrapper, ["verify"], in: dir, binary: binary)
            #expect(verify.status == 0 && verify.stdout.hasPrefix("OK:"), "mode \(directoryMode): \(verify.stderr)")
            let preview = try runTallyWrapped(
                wrapper, ["payout", "preview", "--month", "2026-09", "--format", "csv"], in: dir, binary: binary)
            #expect(
                preview.status == 0 && preview.stdout.contains("anna-bakes"), "mode \(directoryMode): \(preview.stderr)"
            )
            for command in [
                ["rebuild"], ["creator", "add", "zoe", "--name", "Zoe"], ["payout", "close", "--month", "2026-07"],
                ["import", "creators", creators]
            ] {
                let result = try runTallyWrapped(
                    wrapper, command, in: dir, binary: binary,
                    environment: ["TALLY_KEY_FILE": keyFile])
                #expect(result.status == 1, "\(command) mode \(directoryMode): \(result.stdout)")
                #expect(
                    result.stderr.contains("the ledger tally.sqlite is read-only; nothing was written"),
                    "\(command): \(result.stderr)")
            }
            #expect(try directoryState(dir) == before)
            #expect(fileDigest(path) == before["tally.sqlite"])
        }
    }

    /// An 8 MiB tmpfs (a new ledger takes about 2.7 MB: 64 KiB pages), filled to the last byte: a write command
    /// fails with "full", the log keeps its facts, and after space is freed the ledger verifies. `init` on the full
    /// disk leaves no file.
    @Test(
        .enabled(
            if: canMountTmpfs,
            "needs root with mount rights for a tiny tmpfs (the file-size-limit test covers the rest)"))
    func fullDiskIsAClearErrorAndNothingHalfWritten() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let disk = dir.appendingPathComponent("disk")
        try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
        try #require(mountTmpfs(at: disk.path, sizeKiB: 8_192))
        defer { unmount(disk.path) }
        let ledger = "disk/tally.sqlite"
        let examples = packageRoot().appendingPathComponent("examples").path
        #expect(try runTally(["init", "--currency", "USD", "--ledger", ledger], in: dir).status == 0)
        #expect(
            try runTally(["import", "creators", "\(examples)/creators.csv", "--ledger", ledger], in: dir).status == 0)
        let factsBefore = try factCount(dir.appendingPathComponent(ledger).path)
        // Fill the disk to the last byte.
        let filler = disk.appendingPathComponent("filler")
        _ = FileManager.default.createFile(atPath: filler.path, contents: nil)
        let handle = try FileHandle(forWritingTo: filler)
        let block = Data(count: 4_096)
        while (try? handle.write(contentsOf: block)) != nil {}  // bounded: the tmpfs is 8 MiB
        try? handle.close()

        for command in [
            ["import", "codes", "\(examples)/codes.csv"],
            ["import", "shopify", "\(examples)/shopify/orders_export_2026-07-01_2026-08-31.csv"],
            ["rebuild"]
        ] {
            let result = try runTally(command + ["--ledger", ledger], in: dir)
            #expect(result.status == 1, "\(command): \(result.stdout)")
            #expect(
                result.stderr.contains("the disk holding disk/tally.sqlite is full; nothing was written"),
                "\(command): \(result.stderr)")
        }
        let fresh = try runTally(["init", "--currency", "EUR", "--ledger", "disk/new.sqlite"], in: dir)
        #expect(fresh.status == 1 && fresh.stderr.contains("full"), "\(fresh.stderr)")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: disk.path).filter { $0.hasPrefix("new.sqlite") } == [])

        try FileManager.default.removeItem(at: filler)
        let verify = try runTally(["verify", "--ledger", ledger], in: dir)
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(try factCount(dir.appendingPathComponent(ledger).path) == factsBefore)
        // With space again, the same import goes through.
        #expect(try runTally(["import", "codes", "\(examples)/codes.csv", "--ledger", ledger], in: dir).status == 0)
    }

    /// RLIMIT_FSIZE (`ulimit -f`): works without privileges. SIGXFSZ is ignored, as a shell's
    /// `trap '' XFSZ` does, so writes past the limit fail with EFBIG instead of killing tally.
    @Test func fileSizeLimitIsAClearErrorAndNothingHalfWritten() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let examples = packageRoot().appendingPathComponent("examples").path
        #expect(try runTally(["init", "--currency", "USD"], in: dir).status == 0)
        #expect(try runTally(["import", "creators", "\(examples)/creators.csv"], in: dir).status == 0)
        #expect(try runTally(["import", "codes", "\(examples)/codes.csv"], in: dir).status == 0)
        let path = dir.appendingPathComponent("tally.sqlite").path
        let factsBefore = try factCount(path)
        let limited = ["/bin/bash", "-c", "ulimit -f 64; trap '' XFSZ; exec \"$0\" \"$@\""]  // 64 KiB per file
        let result = try runTallyWrapped(
            limited, ["import", "shopify", "\(examples)/shopify/orders_export_2026-07-01_2026-08-31.csv"], in: dir)
        #expect(result.status == 1, "\(result.stdout)")
        #expect(
            result.stderr.contains("could not write to the ledger tally.sqlite")
                && result.stderr.contains("nothing was written"), "\(result.stderr)")
        #expect(try factCount(path) == factsBefore)
        let verify = try runTally(["verify"], in: dir)
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(
            try runTally(["import", "shopify", "\(examples)/shopify/orders_export_2026-07-01_2026-08-31.csv"], in: dir)
                .status == 0)
    }
}
