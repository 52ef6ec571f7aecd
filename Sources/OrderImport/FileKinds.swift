import LedgerCore

/// The file a header belongs to, when a command is given another's: every required column of that
/// kind is in the header. Said instead of the closest-header guesses, which for a file of another
/// kind pair unrelated names ('created_at' ~ 'name').
public struct RecognizedFile: Equatable, Sendable {
    /// `a Shopify order export`.
    public var what: String
    /// The command that reads it, with the file: `tally import shopify orders.csv`.
    public var command: String

    /// `this looks like a Shopify order export: tally import shopify FILE`.
    public var hint: String { "this looks like \(what): \(command)" }
}

/// The kinds tally reads, most specific first (a Shopify export has `Id`, `Name` and `Email`, the
/// columns of a creators file; a posts file has the creator and date of gifts and adjustments).
/// `except`: the kind the command reads (its own header is not "another file"), as named here:
/// `shopify`, `woocommerce`, `orders`, a master-data kind, or `payments`.
public func recognizeFile(_ header: [String], file: String, except: String) -> RecognizedFile? {
    let names = Set(header.map { $0.trimmingASCIISpaces().lowercased() })
    func has(_ columns: [String]) -> Bool { columns.allSatisfy { names.contains($0.lowercased()) } }
    var kinds: [(name: String, what: String, command: String, columns: [String])] = [
        ("shopify", "a Shopify order export", "tally import shopify \(file)", ShopifyReader.requiredColumns),
        (
            "woocommerce", "a WooCommerce order export", "tally import woocommerce \(file)",
            WooCommerceReader.requiredColumns
        ),
        ("orders", "a canonical orders file", "tally import orders \(file)", CanonicalReader.requiredColumns)
    ]
    let masterOrder: [MasterDataKind] = [.terms, .codes, .referrals, .posts, .adjustments, .gifts, .fx, .creators]
    for kind in masterOrder {
        kinds.append(
            (
                kind.rawValue, "\(kind.article) \(kind.rawValue) file", "tally import \(kind.rawValue) \(file)",
                kind.requiredColumns
            ))
    }
    kinds.append(
        (
            "payments", "a file of payments", "tally payout mark-paid --month YYYY-MM --from-file \(file)",
            ["creator", "reference"]
        ))
    // A header with most of an order export's columns is an order export, whatever else it has: a
    // Shopify export holds `Id`, `Name` and `Email`, which are a creators file's columns too.
    let orderLike = kinds.prefix(3).contains { kind in
        kind.columns.filter { names.contains($0.lowercased()) }.count * 2 >= kind.columns.count
    }
    if orderLike { kinds = Array(kinds.prefix(3)) }
    guard let found = kinds.first(where: { has($0.columns) }), found.name != except else { return nil }
    return RecognizedFile(what: found.what, command: found.command)
}

extension MasterDataKind {
    /// `a` or `an`: "an adjustments file".
    public var article: String { rawValue.first.map { "aeiou".contains($0) } == true ? "an" : "a" }
}
