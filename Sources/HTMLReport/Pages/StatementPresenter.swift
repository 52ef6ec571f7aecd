import LedgerCore

// A statement as the `statement` template reads it: every value already text.

struct StatementContext: TemplateValue {
    var anchor: String
    var brand: String
    var name: String
    var creator: String
    var monthName: String
    var currency: String
    var madeAt: String
    var isPreview: Bool
    var previewNotice: String
    var arithmetic: [ArithmeticRow]
    var payout: String
    var payoutExplanation: String
    var paymentText: String
    var paymentReference: String?
    var sections: [EntrySection]
    var hasEntries: Bool
    var hasTerms: Bool
    var terms: [TermClause]
}

struct ArithmeticRow: TemplateValue {
    var sign: String
    var label: String
    var amount: String
    var rowClass: String
}

struct EntrySection: TemplateValue {
    var title: String
    var referenceHeading: String
    var showBaseAndRate: Bool
    var noteHeading: String?
    var rows: [EntryRow]
    var total: String
    /// The columns before the amount, which the total's label spans.
    var totalColumns: String
}

struct EntryRow: TemplateValue {
    var reference: String
    var tag: String?
    var date: String
    var base: String
    var rate: String
    var note: String
    var amount: String
}

struct TermClause: TemplateValue {
    var label: String
    var value: String
}

/// The anchor of a creator's statement, `creator-ID`, the same in the `id` and in every link to
/// it: anything but letters, digits, `-`, `_` and `.` is percent-encoded (ids are slugs today).
func statementAnchor(_ creator: String) -> String {
    var anchor = "creator-"
    for byte in creator.utf8 {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
            anchor.append(Character(Unicode.Scalar(byte)))
        default:
            anchor +=
                "%" + String(byte >> 4, radix: 16, uppercase: true)
                + String(byte & 15, radix: 16, uppercase: true)
        }
    }
    return anchor
}

let previewNotice = "Preview: this month is open. These figures can still change until the month is closed."

struct StatementPresenter {
    let page: StatementPage

    private var currency: Currency { page.currency }
    private func money(_ minor: Int64) -> String { Display.money(minor, currency) }

    var context: StatementContext {
        StatementContext(
            anchor: statementAnchor(page.creator), brand: page.brand, name: page.name, creator: page.creator,
            monthName: Display.monthName(page.month), currency: currency.code,
            madeAt: Display.timestamp(page.madeAt), isPreview: page.state == .open, previewNotice: previewNotice,
            arithmetic: arithmetic, payout: money(page.figures.payoutMinor), payoutExplanation: payoutExplanation,
            paymentText: paymentText, paymentReference: paymentReference, sections: sections,
            hasEntries: !page.entries.isEmpty, hasTerms: page.terms != nil, terms: page.terms.map(clauses) ?? [])
    }

    /// `balance = carried_in + commissions - clawbacks + fees + adjustments`, then the payout and
    /// what is carried: the rules' arithmetic, line by line.
    var arithmetic: [ArithmeticRow] {
        let f = page.figures
        let bonuses = page.entries.filter { $0.kind == .bonus }.reduce(0) { $0 + $1.amountMinor }
        let retainers = page.entries.filter { $0.kind == .retainer }.reduce(0) { $0 + $1.amountMinor }
        let previous = Display.monthName(page.month.previous)
        let next = Display.monthName(page.month.next)
        let commissions = bonuses == 0 ? "Commissions" : "Commissions, with bonuses of \(money(bonuses))"
        return [
            ArithmeticRow(
                sign: "", label: "Carried in from \(previous)", amount: money(f.carriedInMinor),
                rowClass: ""),
            ArithmeticRow(sign: "+", label: commissions, amount: money(f.commissionsMinor), rowClass: ""),
            ArithmeticRow(sign: "−", label: "Clawbacks", amount: money(f.clawbacksMinor), rowClass: ""),
            ArithmeticRow(
                sign: "+", label: retainers == 0 ? "Fees" : "Fees, with retainers of \(money(retainers))",
                amount: money(f.feesMinor), rowClass: ""),
            ArithmeticRow(sign: "+", label: "Adjustments", amount: money(f.adjustmentsMinor), rowClass: ""),
            ArithmeticRow(sign: "=", label: "Balance", amount: money(f.balanceMinor), rowClass: "result"),
            ArithmeticRow(sign: "", label: "Payout", amount: money(f.payoutMinor), rowClass: "payout"),
            ArithmeticRow(sign: "", label: "Carried to \(next)", amount: money(f.carriedOutMinor), rowClass: "")
        ]
    }

    /// Why the payout is what it is (ledger rules section 6).
    var payoutExplanation: String {
        let f = page.figures
        let next = Display.monthName(page.month.next)
        if f.payoutMinor > 0 { return "The balance is paid out in full." }
        if f.balanceMinor < 0 { return "A negative balance is not paid: it is carried to \(next)." }
        if f.balanceMinor == 0 { return "Nothing is owed this month." }
        return "The balance is below the minimum payout of \(money(page.minPayoutMinor)) \(currency.code): "
            + "it is carried to \(next)."
    }

    var paymentText: String {
        switch page.payment {
        case .noPayout: return "No payment this month."
        case .unpaid: return page.state == .open ? "Payable once the month is closed." : "Not paid yet."
        case let .paid(payment):
            var text = "Paid"
            if let date = payment.date { text += " on \(date)" }
            if let method = payment.method { text += " by \(Display.paymentMethod(method))" }
            if payment.amountMinor != page.figures.payoutMinor { text += ": \(money(payment.amountMinor))" }
            return text + "."
        }
    }

    /// On a line of its own: references are copied into bank searches whole.
    var paymentReference: String? {
        if case let .paid(payment) = page.payment { return payment.reference }
        return nil
    }

    var sections: [EntrySection] {
        typealias Group = (
            title: String, reference: String, kinds: Set<StatementEntry.Kind>, baseAndRate: Bool,
            note: String?
        )
        let groups: [Group] = [
            ("Orders", "Order", [.commission, .clawback], true, nil),
            ("Bonuses", "Bonus", [.bonus], false, nil),
            ("Fees and retainers", "Post", [.fee, .retainer], false, "Platform"),
            ("Adjustments", "Adjustment", [.adjustment], false, "Reason")
        ]
        return groups.compactMap { group in
            let entries = page.entries.filter { group.kinds.contains($0.kind) }
            guard !entries.isEmpty else { return nil }
            // An order line's note says why it corrects what earlier statements paid: a column only when one does.
            let note = group.note ?? (group.baseAndRate && entries.contains { $0.note != nil } ? "Change" : nil)
            let columns = 2 + (group.baseAndRate ? 2 : 0) + (note == nil ? 0 : 1)
            return EntrySection(
                title: group.title, referenceHeading: group.reference, showBaseAndRate: group.baseAndRate,
                noteHeading: note, rows: entries.map(row),
                total: money(entries.reduce(0) { $0 + $1.amountMinor }), totalColumns: String(columns))
        }
    }

    private func row(_ entry: StatementEntry) -> EntryRow {
        let tag: String? =
            switch entry.kind {
            case .clawback: "clawback"
            case .retainer: "retainer"
            default: nil
            }
        return EntryRow(
            reference: entry.reference, tag: tag, date: entry.date.description,
            base: Display.money(entry.baseMinor, currency), rate: rateText(entry), note: entry.note ?? "",
            amount: money(entry.amountMinor))
    }

    /// `10%`, or `10% + 1.00` with the terms' fixed amount per order.
    private func rateText(_ entry: StatementEntry) -> String {
        guard let rate = entry.rate else { return Display.undefined }
        guard let fixed = entry.perOrderMinor, fixed != 0 else { return rate.description }
        return "\(rate) + \(money(fixed))"
    }

    func clauses(_ terms: TermsInForce) -> [TermClause] {
        var clauses = [
            TermClause(label: "In force since", value: terms.effectiveFrom.description),
            TermClause(
                label: "Commission",
                value: "\(terms.commission) of each order's subtotal, after discounts and refunds")
        ]
        if terms.perOrderMinor != 0 {
            clauses.append(TermClause(label: "Per order", value: "\(money(terms.perOrderMinor)) \(currency.code)"))
        }
        if let rate = terms.newCustomerCommission {
            clauses.append(TermClause(label: "New customers", value: "\(rate) on a customer's first order"))
        }
        if terms.lifetimeMonths > 0 {
            let rate = terms.lifetimeCommission.map { "at \($0)" } ?? "at the usual rate"
            clauses.append(
                TermClause(
                    label: "Returning customers",
                    value: "orders without a code for \(terms.lifetimeMonths) months, \(rate)"))
        }
        if !terms.tiers.isEmpty {
            let steps = terms.tiers.map { "\($0.rate) from conversion \($0.afterConversions + 1)" }
            let applies = terms.tiersApply == .month ? "to the whole month" : "from that conversion on"
            clauses.append(TermClause(label: "Tiers", value: steps.joined(separator: "; ") + " (\(applies))"))
        }
        if terms.bonusThreshold > 0, let bonus = terms.bonusMinor {
            clauses.append(
                TermClause(
                    label: "Bonus",
                    value: "\(money(bonus)) \(currency.code) in a month of at least "
                        + "\(terms.bonusThreshold) conversions"))
        }
        if let retainer = terms.retainerMinor {
            clauses.append(TermClause(label: "Retainer", value: "\(money(retainer)) \(currency.code) a month"))
        }
        clauses += [
            TermClause(label: "Holdback", value: "\(terms.holdbackDays) days before an order's commission is paid"),
            TermClause(label: "Minimum payout", value: "\(money(terms.minPayoutMinor)) \(currency.code)")
        ]
        return clauses
    }
}
