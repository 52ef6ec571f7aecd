// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "tally",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tally", targets: ["tally"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // SQLite's C API from the system (Debian: libsqlite3-dev). Module map and a shim only.
        .systemLibrary(
            name: "CSQLite",
            path: "Sources/CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // Pure domain: money, time, facts, attribution, commission, statements, ROI, and every
        // decision the commands take. No I/O; SHA-256 from swift-crypto (e-mail hashes, content ids).
        .target(name: "LedgerCore", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // SQLite wrapper, the hash-chained fact log, projections and migrations.
        // Creating files: owner-only (0600, folders 0700) whatever the umask. Every path that writes
        // a file goes through it: ledgers, backups, key files, payment and rejects files.
        .target(name: "PrivateFiles"),
        .target(
            name: "LedgerStore",
            dependencies: [
                "CSQLite", "LedgerCore", "PrivateFiles",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Files to values: the streaming CSV reader, the shop dialects (bytes to `ImportedOrder`)
        // and the master-data rows. Knows nothing of the store.
        .target(
            name: "OrderImport",
            dependencies: [
                "LedgerCore", "PrivateFiles",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The use cases (import, close, mark-paid, explain, ...): functions a test can call in
        // process, driving the importers and the store and returning values.
        // The close report's use case fills HTMLReport's view models.
        .target(name: "App", dependencies: ["LedgerCore", "LedgerStore", "OrderImport", "HTMLReport", "PrivateFiles"]),
        // The commands, as a library so that tests can run them in-process: parsing and rendering.
        .target(
            name: "TallyCLI",
            dependencies: [
                "App", "LedgerCore", "HTMLReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The close report and creator statements as self-contained HTML pages with SVG charts.
        // Pure like the core: view models in, a page out. Mustache escapes every value it inserts.
        .target(
            name: "HTMLReport",
            dependencies: ["LedgerCore", .product(name: "Mustache", package: "swift-mustache")]
        ),
        // Fixed sample reports (the example shop's October, and one that strains the layout) for the
        // page tests, independent of the ledger.
        .target(name: "HTMLReportSamples", dependencies: ["HTMLReport", "LedgerCore"]),
        .executableTarget(name: "tally", dependencies: ["TallyCLI"]),
        .executableTarget(name: "report-sample", dependencies: ["HTMLReportSamples", "HTMLReport"]),
        // What the test targets share: a temporary ledger, the scenario builders and random ledgers,
        // hostile-input mutators, running the built binary, the headless browser and its PNG probe.
        .target(name: "TestSupport", dependencies: ["LedgerCore", "LedgerStore"], path: "Tests/TestSupport"),
        .testTarget(name: "LedgerCoreTests", dependencies: ["LedgerCore", "TestSupport"]),
        .testTarget(name: "LedgerStoreTests", dependencies: ["LedgerStore", "LedgerCore", "CSQLite", "TestSupport"]),
        .testTarget(name: "OrderImportTests", dependencies: ["OrderImport", "LedgerCore", "TestSupport"]),
        .testTarget(
            name: "AppTests",
            dependencies: ["App", "OrderImport", "LedgerStore", "LedgerCore", "CSQLite", "TestSupport", "HTMLReport"]
        ),
        .testTarget(
            name: "HTMLReportTests",
            dependencies: ["HTMLReport", "HTMLReportSamples", "LedgerCore", "TestSupport",
                           .product(name: "Mustache", package: "swift-mustache")]
        ),
        .testTarget(
            name: "TallyCLITests",
            dependencies: [
                "TallyCLI", "LedgerStore", "LedgerCore", "CSQLite", "TestSupport", "HTMLReport",
                // The closed-month harness walks the command tree.
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ]
)
