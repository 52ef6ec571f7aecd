import LedgerCore
import LedgerStore
import OrderImport

extension MasterDataBook {
    /// Loads what `kind` needs from the projections (creators always; the rest only for its own
    /// kind, so that a code assignment does not read every post). Call inside `ledger.write` so
    /// that nothing changes between reading and appending.
    static func load(from ledger: Ledger, for kind: MasterDataKind) throws -> MasterDataBook {
        MasterDataBook(try ledger.masterData([.creators, kind.parts]))
    }
}

extension MasterDataKind {
    /// The master data a row of this kind is checked against, besides the creators.
    var parts: MasterDataParts {
        switch self {
        case .creators: return .creators
        case .codes: return .codes
        case .referrals: return .referrals
        case .terms: return .terms
        case .posts: return .posts
        case .gifts: return .gifts
        case .adjustments: return .adjustments
        case .fx: return .fx
        }
    }
}
