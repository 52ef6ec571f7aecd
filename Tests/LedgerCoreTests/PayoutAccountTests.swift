import LedgerCore
import Testing

/// Payout accounts are checked against their method's shape (recorded as given, with a warning).
@Suite("payout accounts")
struct PayoutAccountTests {
    @Test func anIBANHoldsOnlyWithItsCheckDigits() {
        // ISO 13616's example, and the same with one digit changed or two swapped.
        #expect(MasterValues.ibanHolds("GB82 WEST 1234 5698 7654 32"))
        #expect(MasterValues.ibanHolds("DE89370400440532013000"))
        #expect(!MasterValues.ibanHolds("GB82 WEST 1234 5698 7654 33"))
        #expect(!MasterValues.ibanHolds("DE89370400440532010300"))
        #expect(!MasterValues.ibanHolds("DE12 3456"))
        #expect(!MasterValues.ibanHolds("DE8937040044053201300!"))
    }

    @Test func eachMethodHasItsShape() {
        func ok(_ method: String, _ account: String) -> Bool {
            MasterValues.payoutAccountProblem(method: method, account: account) == nil
        }
        #expect(ok("paypal", "anna@example.com") && ok("paypal", "ABCDEFGH12345"))
        #expect(!ok("paypal", "anna becker") && !ok("paypal", "abcdefgh12345"))
        #expect(ok("wise", "lena@example.org") && ok("wise", "DE89 3704 0044 0532 0130 00"))
        #expect(!ok("wise", "DE12 3456") && !ok("wise", "lena@") && !ok("wise", "DE89370400440532013001"))
        #expect(ok("bank", "12345") && ok("bank", "026009593/1478163327") && ok("bank", "DE89370400440532013000"))
        #expect(!ok("bank", "DE89370400440532013001"))
    }
}
