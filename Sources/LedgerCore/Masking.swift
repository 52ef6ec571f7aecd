/// A payout account as messages and listings show it: `****` and its last 4 characters (nothing
/// more for a short one), enough to recognize it, never enough to use it.
public func maskedAccountTail(_ account: String) -> String {
    account.count > 4 ? "****" + String(account.suffix(4)) : "****"
}
