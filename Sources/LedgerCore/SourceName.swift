/// The source part of an order's identity (`shopify`, `shopify-eu`): lower-case ASCII letters,
/// digits, `-` and `_`, at most 40, not starting with `-` or `_`. Never a colon: a statement line
/// names an order as `source:order_id` (`orderKey(fromRef:)`).
public enum SourceName {
    public static let lengthMax = 40

    public static func isValid(_ name: String) -> Bool {
        let bytes = name.utf8
        guard let first = bytes.first, bytes.count <= lengthMax else { return false }
        guard first != UInt8(ascii: "-"), first != UInt8(ascii: "_") else { return false }
        // Statement lines of bonuses and retainers have refs `bonus:YYYY-MM` and `retainer:YYYY-MM`.
        guard name != "bonus", name != "retainer" else { return false }
        return bytes.allSatisfy { isLowerLetterOrDigit($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }

    /// What a refused name should have been, for "expected ...".
    public static let expected =
        "lower-case letters, digits, '-' or '_' (at most \(lengthMax)), not bonus or retainer, like shopify-eu"

    private static func isLowerLetterOrDigit(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
    }
}
