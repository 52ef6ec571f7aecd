import Foundation

/// Debian's headless Chromium (`chromium-headless-shell`), run on a page with no network: in a
/// network namespace of its own when `unshare -n` works here, and always through a proxy that does
/// not exist and a resolver that finds nothing. Its net log lists every request it attempted.
public struct Browser: Sendable {
    public let executable: String

    /// `TALLY_CHROMIUM`, else `chromium-headless-shell` on the PATH.
    public static let installed: Browser? = {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["TALLY_CHROMIUM"], FileManager.default.isExecutableFile(atPath: path) {
            return Browser(executable: path)
        }
        for directory in (environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let path = "\(directory)/chromium-headless-shell"
            if FileManager.default.isExecutableFile(atPath: path) { return Browser(executable: path) }
        }
        return nil
    }()

    public static let missingMessage =
        "chromium-headless-shell is not installed: scripts/setup.sh installs it "
        + "(apt-get install chromium-headless-shell); the browser tests are skipped"

    /// Whether this process may make a network namespace (root, or user namespaces allowed).
    public static let canUnshareNetwork: Bool = {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else { return false }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        probe.arguments = ["-n", "true"]
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()  // once, and `true` ends at once
        return probe.terminationStatus == 0
    }()

    public struct Run: Sendable {
        public var status: Int32
        public var stdout: Data
        public var stderr: String
        /// Every URL the browser's network stack saw, from its net log.
        public var requestedURLs: Set<String>
    }

    /// What leaves the page: every URL but the page's own file (and `data:`/`about:` ones).
    public static func outsideRequests(_ urls: Set<String>) -> [String] {
        urls.filter { !$0.hasPrefix("file://") && !$0.hasPrefix("data:") && !$0.hasPrefix("about:") }.sorted()
    }

    /// Runs the browser on `page` with `mode` (`--dump-dom`, `--screenshot=FILE`, `--print-to-pdf=FILE`).
    public func open(
        _ page: URL, _ mode: String, windowSize: String = "1100,1500",
        in directory: URL
    ) async throws -> Run {
        let netLog = directory.appendingPathComponent("net-log-\(UUID().uuidString).json")
        var arguments = [
            "--headless", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--user-data-dir=\(directory.appendingPathComponent("profile").path)",
            "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--log-net-log=\(netLog.path)", "--net-log-capture-mode=Default",
            "--window-size=\(windowSize)", "--no-pdf-header-footer"
        ]
        if geteuid() == 0 { arguments.append("--no-sandbox") }  // Chromium refuses to run as root otherwise
        arguments += [mode, page.absoluteString]
        var command = Browser.canUnshareNetwork ? ["/usr/bin/unshare", "-n", executable] : [executable]
        // At low priority: other suites time their own processes (the crash tests' kills), and a
        // browser starting beside them should not shift those timings.
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/nice") {
            command = ["/usr/bin/nice", "-n", "10"] + command
        }
        let started = Date()
        // The timeout only guards against a hang: inside the full suite on a busy machine a first
        // start, at low priority and with the kill tests writing, has taken 107 s.
        var result = try await Browser.run(command[0], Array(command.dropFirst()) + arguments, timeoutSeconds: 300)
        print("chromium \(mode.prefix { $0 != "=" }): \(Int(Date().timeIntervalSince(started) * 1000)) ms")
        result.requestedURLs = try Browser.urls(inNetLog: netLog)
        return result
    }

    public static func urls(inNetLog file: URL) throws -> Set<String> {
        let data = try Data(contentsOf: file)
        guard let log = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let events = log["events"] as? [[String: Any]]
        else {
            throw PNGProbe.Failure(description: "unreadable net log \(file.path)")
        }
        var urls = Set<String>()
        for event in events {
            guard let params = event["params"] as? [String: Any] else { continue }
            for key in ["url", "original_url"] { if let url = params[key] as? String { urls.insert(url) } }
        }
        return urls
    }

    /// Runs a program with its output in files (a DOM is larger than a pipe's buffer), ending it
    /// after `timeoutSeconds`. Waits without holding a thread: the test runner's threads are few.
    public static func run(_ executable: String, _ arguments: [String], timeoutSeconds: Double) async throws -> Run {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tally-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("stdout"), err = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        let exit = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in exit.continuation.finish() }
        try process.run()
        let timedOut = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in exit.stream {}; return false
            }
            group.addTask {
                try? await Task.sleep(nanoseconds: UInt64(timeoutSeconds * 1_000_000_000))
                return true
            }
            let first = await group.next()!
            group.cancelAll()
            return first
        }
        if timedOut {
            process.terminate()
            process.waitUntilExit()
            throw PNGProbe.Failure(description: "\(executable) still running after \(timeoutSeconds) s")
        }
        process.waitUntilExit()  // already ended: this only settles the exit status
        return Run(
            status: process.terminationStatus, stdout: try Data(contentsOf: out),
            stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self), requestedURLs: [])
    }
}
