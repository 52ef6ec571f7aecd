import App
import LedgerCore

/// Preview and close: names each creator whose attributed orders of the month earn nothing for want
/// of terms, with the command that would cover them (standard error; the figures stay as they are).
func noteCreatorsWithoutTerms(_ gaps: [CreatorWithoutTerms], _ session: LedgerSession, _ month: YearMonth) {
    for gap in gaps {
        let day = session.zone.civilDate(of: gap.firstCreatedAt)
        let orders = gap.orders == 1 ? "1 attributed order" : "\(gap.orders) attributed orders"
        printNote(
            "\(gap.creator) has \(orders) in \(month) and no terms at their time: commission 0. "
                + "Terms from \(day) would cover them: tally terms set \(gap.creator) --from \(day) "
                + "--commission RATE")
    }
}
