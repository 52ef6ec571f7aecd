#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import LedgerCore

public enum ImportPhase: String, Sendable {
    case hashing = "checking"
    case scanning = "reading"
    case importing = "importing"
}

/// Called now and then with the phase, the bytes done and the file's size.
public typealias ImportProgress = (ImportPhase, Int, Int?) -> Void

/// The passes over an order file that need no ledger, by the file's dialect (the import's pass
/// that writes is in App, on an `OrderPipe`). Each dispatches to its dialect's reader statically,
/// so that the reading loops are specialized for it.
public enum OrderFiles {
    /// Whether pass 1 has a fast form for this dialect (`quickScan`); else it reads whole orders.
    public static func hasQuickScan(_ dialect: OrderDialectKind) -> Bool {
        switch dialect {
        case .shopify: return ShopifyReader.hasQuickScan
        case .woocommerce: return WooCommerceReader.hasQuickScan
        case .orders: return CanonicalReader.hasQuickScan
        }
    }

    /// Pass 1: the latest timestamp of the file's valid orders, and which of their ids may repeat.
    /// Unless `skipInvalid`, it stops at the first bad order.
    public static func latestTimestamp(
        _ dialect: OrderDialectKind, path: String, options: DialectOptions,
        skipInvalid: Bool, progress: ImportProgress?
    ) throws(InputIssue) -> QuickScan {
        let skip = skipInvalid
        switch dialect {
        case .shopify: return try latestTimestamp(ShopifyReader.self, path, options, skipInvalid: skip, progress)
        case .woocommerce:
            return try latestTimestamp(WooCommerceReader.self, path, options, skipInvalid: skip, progress)
        case .orders: return try latestTimestamp(CanonicalReader.self, path, options, skipInvalid: skip, progress)
        }
    }

    /// Pass 1's fast form (where `hasQuickScan`).
    public static func quickScan(
        _ dialect: OrderDialectKind, path: String, options: DialectOptions,
        progress: ImportProgress?
    ) throws(InputIssue) -> QuickScan {
        switch dialect {
        case .shopify: return try quickScan(ShopifyReader.self, path, options, progress)
        case .woocommerce: return try quickScan(WooCommerceReader.self, path, options, progress)
        case .orders: return try quickScan(CanonicalReader.self, path, options, progress)
        }
    }

    /// Pass 1 (only without `--as-of`): the latest timestamp of the file's valid orders. Without
    /// `--skip-invalid` it stops at the first bad order, before the ledger is touched.
    private static func latestTimestamp<D: OrderDialect>(
        _: D.Type, _ path: String, _ options: DialectOptions,
        skipInvalid: Bool,
        _ progress: ImportProgress?
    ) throws(InputIssue) -> QuickScan {
        var orders = try OrderFile<D>(path: path, options: options)
        var scan = QuickScan()
        let census = OrderIdCensus()
        var units = 0
        while let unit = try orders.next() {  // bounded by the file
            switch unit {
            case let .order(o, _):
                scan.latest = max(scan.latest ?? o.latestAt, o.latestAt)
                census.add(o.orderId)
            case let .invalid(issue, _): if !skipInvalid { throw issue }
            }
            units += 1
            if units & 1023 == 0 { progress?(.scanning, orders.bytesConsumed, orders.totalBytes) }
        }
        scan.repeats = census.finish()
        return scan
    }

    /// Pass 1, fast form: takes the latest timestamp of every order's first
    /// row, parsing only the timestamp columns. It may count an order that pass 2 then finds
    /// invalid; without `--skip-invalid` such an order stops the import, so the as-of of an
    /// import that lands is always the latest over valid orders, as with `latestTimestamp`.
    ///
    /// It also finds which order ids may appear twice (`OrderIdCensus`): pass 2 checks only those
    /// (one SQLite insert per order checked). None when the ids come in strictly increasing or
    /// decreasing byte order, as Shopify writes them (newest first).
    private static func quickScan<D: OrderDialect>(
        _: D.Type, _ path: String, _ options: DialectOptions,
        _ progress: ImportProgress?
    ) throws(InputIssue) -> QuickScan {
        var orders = try OrderFile<D>(path: path, options: options)
        var scan = QuickScan()
        let census = OrderIdCensus()
        var records = 0
        while try orders.quickNext({ latest, id in  // bounded by the file
            if let latest { scan.latest = max(scan.latest ?? latest, latest) }
            census.add(id)
        }) {
            records += 1
            if records & 4095 == 0 { progress?(.scanning, orders.bytesConsumed, orders.totalBytes) }
        }
        scan.repeats = census.finish()
        return scan
    }
}

/// What pass 1 found.
public struct QuickScan: Sendable {
    public var latest: Instant?
    /// Which order ids may appear more than once (pass 2 checks those).
    public var repeats = RepeatedIds.unknown
}

/// Whether a sequence of ids is strictly increasing or strictly decreasing in byte order (which
/// proves them distinct), keeping only the last one. Non-ASCII ids count as not monotone: pass 2
/// trims Unicode spaces too, which could make two different byte strings the same id.
public struct MonotoneIds {
    private var last: [UInt8] = []
    private var count = 0
    private var direction = 0  // -1 decreasing, +1 increasing, 0 not known yet
    public private(set) var strict = true
    /// The ids' byte order so far: true increasing, false decreasing, nil before a second id.
    public var increasing: Bool? { direction == 0 ? nil : direction > 0 }

    public init() {}

    public mutating func add(_ id: String) {
        var id = id
        id.withUTF8 { add($0) }
    }

    public mutating func add(_ id: UnsafeBufferPointer<UInt8>) {
        guard strict else { return }
        guard id.allSatisfy({ $0 < 0x80 }) else { strict = false; return }
        if count > 0 {
            let order = compareBytes(last, id)
            if order == 0 || (direction != 0 && order != direction) { strict = false; return }
            direction = order
        }
        last.removeAll(keepingCapacity: true)
        last.append(contentsOf: id)
        count += 1
    }

    /// -1 when a > b, +1 when a < b (the direction from a to b), 0 when equal.
    private func compareBytes(_ a: [UInt8], _ b: UnsafeBufferPointer<UInt8>) -> Int {
        for (x, y) in zip(a, b) where x != y { return x < y ? 1 : -1 }
        return a.count == b.count ? 0 : (a.count < b.count ? 1 : -1)
    }
}

/// The order file being read: the CSV reader, its header and the dialect on top.
struct OrderFile<D: OrderDialect>: ~Copyable {
    private var csv: CSVReader
    private var dialect: D
    let header: HeaderMap

    init(path: String, options: DialectOptions) throws(InputIssue) {
        // Everything that can throw comes first: a half-initialized value with a noncopyable
        // field cannot be destroyed.
        var csv = try Self.openCSV(path)
        let header = try HeaderMap(file: path, csv: &csv)
        let dialect = try D(header: header, options: options)
        self.header = header
        self.dialect = dialect
        self.csv = csv
    }

    private static func openCSV(_ path: String) throws(InputIssue) -> CSVReader {
        do { return try CSVReader(path: path) } catch { throw InputIssue(file: path, error) }
    }

    mutating func next() throws(InputIssue) -> OrderUnit? { try dialect.next(&csv) }

    /// Pass 1's fast form: advances one record (false at the end) and hands an order's first row
    /// to `body` (`OrderDialect.quickScan`).
    mutating func quickNext(_ body: (Instant?, UnsafeBufferPointer<UInt8>) -> Void) throws(InputIssue) -> Bool {
        let more: Bool
        do { more = try csv.next() } catch { throw InputIssue(file: header.file, error.withNotCSVHint) }
        guard more else { return false }
        dialect.quickScan(csv, body)
        return true
    }

    var bytesConsumed: Int { csv.bytesConsumed }
    var totalBytes: Int? { csv.totalBytes }
}

/// The last part of a path: the file name an import records.
public func baseName(_ path: String) -> String {
    path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
}

/// The size of a file in bytes, nil when it cannot be read.
public func fileSize(_ path: String) -> Int? {
    var st = stat()
    guard stat(path, &st) == 0 else { return nil }
    return Int(st.st_size)
}
