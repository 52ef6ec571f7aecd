/// A discount code or referral value as compared by the ledger: trimmed (spaces and invisible
/// format characters), then upper-cased with Unicode rules (`anna15`, ` Anna15 ` -> `ANNA15`).
public func normalizeCode(_ raw: String) -> String {
    raw.trimmingASCIISpaces().uppercased()
}

/// The codes a ledger knows (normalized): those ever assigned to a creator and the house codes.
/// `codes unknown` lists the others; an import names the others "never seen before" unless an
/// earlier order carried them.
public struct KnownCodes: Sendable {
    public var assigned: Set<String>
    public var house: Set<String>

    public init(assigned: Set<String>, house: Set<String>) { self.assigned = assigned; self.house = house }

    /// The one definition of a known code: ever assigned to a creator, or declared a house code.
    public func contains(_ normalized: String) -> Bool { house.contains(normalized) || assigned.contains(normalized) }
}
