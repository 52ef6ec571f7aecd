import Foundation
import LedgerCore
@testable import LedgerStore
import TestSupport
import Testing

/// Chain continuity is asserted before a write commits: a fact written around the log (not by
/// `append`) is a bug of tally's, and the write traps instead of committing a forked chain.
@Suite("fact log: chain continuity")
struct ChainContinuityTests {
    @Test func appendsContinueTheChain() throws {
        let t = try storeLedger()
        try t.ledger.write { l in for fact in sampleFacts(count: 5) { try l.append(fact) } }
        try t.ledger.write { l in try l.append(sampleFacts(count: 6).last!) }
        #expect(t.ledger.lastSeq == 7)
        #expect(try t.ledger.verify().isClean)
    }

    @Test func aFactWrittenAroundTheLogTraps() async {
        await #expect(processExitsWith: .failure) {
            let t = try storeLedger()
            try t.ledger.write { l in
                try l.append(sampleFacts(count: 1)[0])
                try l.connection.run(
                    """
                    INSERT INTO facts (seq, type, version, effective_at, recorded_at, payload, hash)
                    VALUES (3, 'code.house', 1, 0, 0, '{}', zeroblob(32))
                    """)
            }
        }
    }
}
