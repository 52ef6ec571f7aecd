import LedgerCore

// The close report as the `closeReport` template reads it: every value already text.

struct CloseReportContext: TemplateValue {
    var documentTitle: String
    var brand: String
    var heading: String
    var statusText: String
    var currency: String
    var madeAt: String
    var chainHead: String
    var isPreview: Bool
    var previewNotice: String
    var glance: [GlanceItem]
    var hasActivity: Bool
    var noActivityMessage: String
    var payoutTable: PayoutTableContext
    var chartGroups: [ChartGroup]
    var statements: [StatementContext]
    var footer: String
}

struct GlanceItem: TemplateValue {
    var label: String
    var value: String
    var detail: String?
    var isLead: Bool
}

struct PayoutTableContext: TemplateValue {
    var monthName: String
    var currency: String
    var rows: [PayoutRowContext]
    var totals: PayoutTotalsContext
}

struct PayoutRowContext: TemplateValue {
    var anchor: String
    var name: String
    var creator: String
    var carriedIn: String
    var commissions: String
    var clawbacks: String
    var fees: String
    var adjustments: String
    var balance: String
    var payout: String
    var carriedOut: String
    var status: String
    var statusClass: String
    var statusDetail: String?
}

struct PayoutTotalsContext: TemplateValue {
    var creators: String
    var carriedIn: String
    var commissions: String
    var clawbacks: String
    var fees: String
    var adjustments: String
    var balance: String
    var payout: String
    var carriedOut: String
    var paidCount: String
}

/// Charts shown together under a question; a single chart's own title is its heading.
struct ChartGroup: TemplateValue {
    var heading: String?
    var intro: String?
    var charts: [ChartDrawing]
}

struct CloseReportPresenter {
    let report: CloseReport

    private var currency: Currency { report.currency }
    private func money(_ minor: Int64) -> String { Display.money(minor, currency) }
    private var monthName: String { Display.monthName(report.month) }

    var context: CloseReportContext {
        let open = report.state == .open
        return CloseReportContext(
            documentTitle: Display.titled(report.brand, "creator payouts, \(monthName)\(open ? " (preview)" : "")"),
            brand: report.brand, heading: "Creator payouts, \(monthName)",
            statusText: open ? "Preview of an open month" : "Closed month", currency: currency.code,
            madeAt: Display.timestamp(report.madeAt), chainHead: "head: \(report.chainHead)", isPreview: open,
            previewNotice: previewNotice, glance: glance, hasActivity: report.hasActivity,
            noActivityMessage: "No activity in \(monthName): no commissions, fees, adjustments or carried balances.",
            payoutTable: payoutTable, chartGroups: chartGroups,
            statements: report.statements.map { StatementPresenter(page: $0).context },
            footer: "Made by Tally on \(Display.timestamp(report.madeAt)). Ledger head: \(report.chainHead).")
    }

    var glance: [GlanceItem] {
        let g = report.glance
        let paidDetail = "to \(g.creatorsPaid) of \(g.creators) creators; \(g.paymentsMade) marked paid"
        return [
            GlanceItem(
                label: "Payouts", value: "\(money(g.payoutTotalMinor)) \(currency.code)", detail: paidDetail,
                isLead: true),
            GlanceItem(
                label: "Commissions", value: money(g.commissionsMinor),
                detail: g.bonusesMinor == 0 ? nil : "with bonuses of \(money(g.bonusesMinor))", isLead: false),
            GlanceItem(label: "Clawbacks", value: money(g.clawbacksMinor), detail: nil, isLead: false),
            GlanceItem(
                label: "Fees", value: money(g.feesMinor),
                detail: g.retainersMinor == 0 ? nil : "with retainers of \(money(g.retainersMinor))",
                isLead: false),
            GlanceItem(label: "Adjustments", value: money(g.adjustmentsMinor), detail: nil, isLead: false),
            GlanceItem(
                label: "Carried in", value: money(g.carriedInMinor),
                detail: "from \(Display.monthName(report.month.previous))", isLead: false),
            GlanceItem(
                label: "Carried out", value: money(g.carriedOutMinor),
                detail: "to \(Display.monthName(report.month.next))", isLead: false)
        ]
    }

    var payoutTable: PayoutTableContext {
        let rows = report.payouts.map { row in
            let f = row.figures
            let (status, statusClass, detail) = paymentCell(row.payment)
            return PayoutRowContext(
                anchor: statementAnchor(row.creator), name: row.name, creator: row.creator,
                carriedIn: money(f.carriedInMinor), commissions: money(f.commissionsMinor),
                clawbacks: money(f.clawbacksMinor), fees: money(f.feesMinor), adjustments: money(f.adjustmentsMinor),
                balance: money(f.balanceMinor), payout: money(f.payoutMinor), carriedOut: money(f.carriedOutMinor),
                status: status, statusClass: statusClass, statusDetail: detail)
        }
        let g = report.glance
        let balance = report.payouts.reduce(0) { $0 + $1.figures.balanceMinor }
        let totals = PayoutTotalsContext(
            creators: Display.count(g.creators), carriedIn: money(g.carriedInMinor),
            commissions: money(g.commissionsMinor), clawbacks: money(g.clawbacksMinor), fees: money(g.feesMinor),
            adjustments: money(g.adjustmentsMinor), balance: money(balance), payout: money(g.payoutTotalMinor),
            carriedOut: money(g.carriedOutMinor), paidCount: "\(g.paymentsMade) of \(g.creatorsPaid)")
        return PayoutTableContext(monthName: monthName, currency: currency.code, rows: rows, totals: totals)
    }

    private func paymentCell(_ payment: PaymentStatus) -> (String, String, String?) {
        switch payment {
        case .noPayout: return ("-", "", nil)
        case .unpaid: return (report.state == .open ? "Not yet" : "Unpaid", "unpaid", nil)
        case let .paid(p):
            let method = p.method.map { Display.paymentMethod($0) + " " } ?? ""
            return (p.date.map { "Paid \($0)" } ?? "Paid", "paid", method + p.reference)
        }
    }

    var chartGroups: [ChartGroup] {
        let charts = ReportCharts(report: report)
        var groups: [ChartGroup] = []
        if report.hasActivity {
            groups.append(ChartGroup(heading: nil, intro: nil, charts: [charts.payouts]))
        }
        let period = "\(report.roiPeriod.from) to \(report.roiPeriod.to)"
        groups += [
            ChartGroup(
                heading: "Are micro-influencers more cost-effective?",
                intro: "Return on what was spent, by creator tier, from \(period) (the figures of tally roi).",
                charts: charts.tiers),
            ChartGroup(heading: nil, intro: nil, charts: [charts.feesAgainstCommissions]),
            ChartGroup(heading: nil, intro: nil, charts: [charts.history]),
            ChartGroup(heading: nil, intro: nil, charts: [charts.unknownCodes])
        ]
        return groups
    }
}

/// The close report of a month as one self-contained HTML file: inline styles and SVG charts, no
/// script, nothing loaded from anywhere; prints on A4 and Letter.
public func renderCloseReport(_ report: CloseReport) -> String {
    Templates.render(CloseReportPresenter(report: report).context, with: "closeReport")
}

/// The statement a creator receives, as one self-contained HTML file.
public func renderStatementPage(_ page: StatementPage) -> String {
    let context = StatementPageContext(
        documentTitle: Display.titled(
            page.brand,
            "statement for \(page.name), \(Display.monthName(page.month))"
                + (page.state == .open ? " (preview)" : "")),
        isPreview: page.state == .open, statement: StatementPresenter(page: page).context,
        footer: "Made by Tally on \(Display.timestamp(page.madeAt)).")
    return Templates.render(context, with: "statementPage")
}

struct StatementPageContext: TemplateValue {
    var documentTitle: String
    var isPreview: Bool
    var statement: StatementContext
    var footer: String
}
