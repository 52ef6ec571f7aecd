import Dispatch
import Foundation
import LedgerCore

/// What the reading thread works out for an order besides the order itself, so that the writing
/// thread (SQLite's) has less to do: the salted e-mail hash, the code list as the projection
/// stores it and, on a source's first import, the canonical payload of its `order seen` fact
/// (`seenPayload`: its bytes in the batch's payload buffer, `OrderPipe.payload(_:)`; one buffer per
/// batch, not an allocation per order).
public struct OrderExtras: Sendable {
    public var emailHash: String?
    public var codesJSON: String
    public var seenPayload: Range<Int>?

    public init(_ o: ImportedOrder, hasher: EmailHasher) {
        emailHash = o.email.flatMap(hasher.hash)
        codesJSON = OrderSeen.codesJSON(o.codes)
    }
}

/// Pass 2 of an import on two cores: a reading thread tokenizes the file and turns its rows into
/// orders (with their `OrderExtras`), this thread reconciles them and writes to SQLite. Batches go
/// through a small bounded queue, so memory stays flat whatever the file's size; the units come
/// out in file order, and a problem of the file (CSV syntax) comes out where it was met, after the
/// units before it, exactly as a single-threaded read would deliver them.
public final class OrderPipe: @unchecked Sendable {  // every mutable field is guarded by `condition`
    public struct Start {
        public var headerNames: [String]
        public var totalBytes: Int?
    }

    private struct Batch {
        var units: [(OrderUnit, OrderExtras?)]
        var payloads: [UInt8]
        var bytesConsumed: Int
    }

    private static let batchUnits = 256
    private static let queuedBatchesMax = 8

    private let condition = NSCondition()
    private var start: Result<Start, InputIssue>?
    private var queue: [Batch] = []
    private var finished = false
    private var failure: InputIssue?
    private var cancelled = false
    private let exited = DispatchSemaphore(value: 0)

    // The consumer's side (one thread). `current`: the batch's units not yet taken, last first
    // (each batch is sent reversed, so that `next` moves a unit out with `popLast` instead of
    // copying it, a retain and a release of each of its strings).
    private var current: [(OrderUnit, OrderExtras?)] = []
    private var currentPayloads: [UInt8] = []
    public private(set) var bytesConsumed = 0

    /// Starts the reading thread on `path`, a file of `dialect`. `hasher`: work out the
    /// `OrderExtras` there too (nil: the writing thread does, when it has the lighter load: an
    /// import into a known source, where most orders are only looked up and compared).
    /// `seenContext` (with a hasher): write each order's `order seen` payload there too, for a
    /// source's first import, where every order is new.
    public init(
        _ dialect: OrderDialectKind, path: String, options: DialectOptions, hasher: EmailHasher?,
        seenContext: SeenContext? = nil
    ) {
        // One specialized reading loop per dialect.
        let context = seenContext
        switch dialect {
        case .shopify: start(ShopifyReader.self, path: path, options: options, hasher: hasher, seenContext: context)
        case .woocommerce:
            start(WooCommerceReader.self, path: path, options: options, hasher: hasher, seenContext: context)
        case .orders: start(CanonicalReader.self, path: path, options: options, hasher: hasher, seenContext: context)
        }
    }

    private func start<D: OrderDialect>(
        _: D.Type, path: String, options: DialectOptions, hasher: EmailHasher?,
        seenContext: SeenContext?
    ) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            defer { exited.signal() }
            produce(D.self, path: path, options: options, hasher: hasher, seenContext: seenContext)
        }
    }

    private func produce<D: OrderDialect>(
        _: D.Type, path: String, options: DialectOptions, hasher: EmailHasher?, seenContext: SeenContext?
    ) {
        var orders: OrderFile<D>
        do throws(InputIssue) {
            orders = try OrderFile<D>(path: path, options: options)
        } catch {
            locked {
                start = .failure(error); finished = true
            }
            return
        }
        let header = Start(headerNames: orders.header.names, totalBytes: orders.totalBytes)
        locked { start = .success(header) }
        var batch: [(OrderUnit, OrderExtras?)] = []
        var payloads: [UInt8] = []
        batch.reserveCapacity(Self.batchUnits)
        func send() -> Bool {
            defer {
                batch = []
                batch.reserveCapacity(Self.batchUnits)
                payloads = []
            }
            batch.reverse()  // taken last first (`next`)
            return batch.isEmpty || put(Batch(units: batch, payloads: payloads, bytesConsumed: orders.bytesConsumed))
        }
        do throws(InputIssue) {
            while let unit = try orders.next() {  // bounded by the file
                if let hasher, case let .order(o, _) = unit {
                    var extras = OrderExtras(o, hasher: hasher)
                    if let seenContext {
                        if payloads.isEmpty { payloads.reserveCapacity(Self.batchUnits * 640) }
                        let start = payloads.count
                        Fact.orderSeen(seenContext.seen(o, emailHash: extras.emailHash)).writePayload(into: &payloads)
                        extras.seenPayload = start..<payloads.count
                    }
                    batch.append((unit, extras))
                } else {
                    batch.append((unit, nil))
                }
                if batch.count == Self.batchUnits { guard send() else { return } }
            }
            guard send() else { return }
            locked { finished = true }
        } catch {
            guard send() else { return }
            locked {
                failure = error; finished = true
            }
        }
    }

    /// Waits for room in the queue; false when the consumer has stopped.
    private func put(_ batch: Batch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        // until the consumer takes one or stops
        while queue.count >= Self.queuedBatchesMax && !cancelled { condition.wait() }
        if cancelled { return false }
        queue.append(batch)
        condition.broadcast()
        return true
    }

    private func locked(_ body: () -> Void) {
        condition.lock()
        body()
        condition.broadcast()
        condition.unlock()
    }

    /// The file's header and size, once the reading thread has opened it.
    public func waitForStart() throws(InputIssue) -> Start {
        condition.lock()
        while start == nil { condition.wait() }  // until the reading thread has opened the file
        let result = start!
        condition.unlock()
        return try result.get()
    }

    /// The next unit in file order; nil at the end; throws the file's problem where it was met.
    public func next() throws(InputIssue) -> (OrderUnit, OrderExtras?)? {
        if current.isEmpty {
            guard var batch = try take() else { return nil }
            current = []
            swap(&current, &batch.units)  // the only reference: `popLast` moves out, no copy
            currentPayloads = batch.payloads
            bytesConsumed = batch.bytesConsumed
        }
        return current.popLast()
    }

    /// The bytes of an `OrderExtras.seenPayload` of the unit `next` returned last.
    public func payload(_ range: Range<Int>) -> ArraySlice<UInt8> { currentPayloads[range] }

    private func take() throws(InputIssue) -> Batch? {
        condition.lock()
        while queue.isEmpty && !finished { condition.wait() }  // until the reading thread delivers or ends
        if !queue.isEmpty {
            let batch = queue.removeFirst()
            condition.broadcast()
            condition.unlock()
            return batch
        }
        let failure = self.failure
        condition.unlock()
        if let failure { throw failure }
        return nil
    }

    /// Stops the reading thread (if still running) and waits for it to end: call once, always.
    public func stop() {
        locked { cancelled = true }
        exited.wait()
    }
}
