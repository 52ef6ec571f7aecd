/// A discount code or referral value as compared by the ledger: trimmed (spaces and invisible
/// format characters), then upper-cased with Unicode rules (`anna15`, ` Anna15 ` -> `ANNA15`).
public func normalizeCode(_ raw: String) -> String {
    raw.trimmingASCIISpaces().uppercased()
}
