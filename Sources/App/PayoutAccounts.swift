import LedgerCore
import LedgerStore

extension LedgerSession {
    /// A creator's payout account in clear. The one place that opens a sealed account: the payment
    /// files and the masked listings both come through here, so that where the sealing key lives
    /// (the ledger today, a key file apart from it with issue 19) is this function's business only.
    func payoutAccountInClear(_ details: PayoutDetails) throws -> String {
        try ledger.openPayoutAccount(details.account)
    }
}
