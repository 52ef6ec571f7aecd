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
        // Pure domain: money, time, facts, attribution, commission, statements, ROI. No I/O.
        .target(name: "LedgerCore"),
        // SQLite wrapper, the hash-chained fact log, projections and migrations.
        .target(
            name: "LedgerStore",
            dependencies: [
                "CSQLite", "LedgerCore",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Streaming CSV reader and the shop / master-data importers.
        .target(
            name: "OrderImport",
            dependencies: [
                "LedgerCore", "LedgerStore",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The commands, as a library so that tests can run them in-process.
        .target(
            name: "TallyCLI",
            dependencies: [
                "LedgerCore", "LedgerStore", "OrderImport",
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
        // tests and for scripts/report-screenshot.sh until `tally report` renders the example ledger.
        .target(name: "HTMLReportSamples", dependencies: ["HTMLReport", "LedgerCore"]),
        .executableTarget(name: "tally", dependencies: ["TallyCLI"]),
        .executableTarget(name: "report-sample", dependencies: ["HTMLReportSamples", "HTMLReport"]),
        .testTarget(name: "LedgerCoreTests", dependencies: ["LedgerCore"]),
        .testTarget(name: "LedgerStoreTests", dependencies: ["LedgerStore", "LedgerCore", "CSQLite"]),
        .testTarget(name: "OrderImportTests", dependencies: ["OrderImport", "LedgerStore", "LedgerCore"]),
        .testTarget(
            name: "HTMLReportTests",
            dependencies: ["HTMLReport", "HTMLReportSamples", "LedgerCore",
                           .product(name: "Mustache", package: "swift-mustache")]
        ),
        .testTarget(
            name: "TallyCLITests",
            dependencies: [
                "TallyCLI", "LedgerStore", "LedgerCore", "CSQLite",
                // The closed-month harness walks the command tree.
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ]
)
