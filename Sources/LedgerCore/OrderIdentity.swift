/// Which column of a Shopify export identified an order: `Id`, or `Name` in an export without an
/// `Id` column (docs/importing.md, "Identity"). The same order keyed both ways is two orders to the
/// ledger, so one source keeps one way.
public enum OrderIdentity: String, Sendable, Equatable, CaseIterable {
    case id = "Id"
    case name = "Name"

    /// Derived from an order as stored or imported: only a Name-keyed order has its name as its id
    /// (an `Id` is numeric, a Shopify `Name` is `#1021` or an own prefix and number).
    public static func of(orderId: String, name: String?) -> OrderIdentity {
        name == orderId ? .name : .id
    }

    /// Whether a Shopify file keyed by `file` must be refused for a source whose stored orders are keyed
    /// by `stored` (empty: no orders yet). A source that already holds both (a ledger from before
    /// this rule) refuses neither: it cannot tell which way is the right one.
    public static func conflicts(file: OrderIdentity, stored: Set<OrderIdentity>) -> Bool {
        !stored.isEmpty && !stored.contains(file)
    }

    /// What to say when `conflicts` holds (the import is refused; nothing is written).
    public static func refusal(file: OrderIdentity, source: String) -> String {
        switch file {
        case .name:
            return "an export with an 'Id' column (this one has none, so its orders would be told apart by 'Name'); "
                + "the orders of source '\(source)' were imported by 'Id', and the same order keyed by 'Name' "
                + "would be counted twice: use the export with the 'Id' column (Shopify's exports have one since "
                + "2014), or, if this file is from a separate shop, give it its own --source NAME"
        case .id:
            return "an export without an 'Id' column like the ones before it: the orders of source '\(source)' "
                + "were imported from exports without 'Id' (told apart by 'Name'), and the same order keyed by "
                + "'Id' would be counted twice: remove the 'Id' column from this file to "
                + "keep this source's orders keyed by 'Name', or, if this file is from a separate shop, give it "
                + "its own --source NAME"
        }
    }
}
