import LedgerCore

/// The charts of the close report, drawn from its view model.
struct ReportCharts {
    let report: CloseReport
    static let barsMax = 20

    private var currency: Currency { report.currency }
    private var money: ValueFormat { .money(currency) }
    private var period: String { "\(report.roiPeriod.from) to \(report.roiPeriod.to)" }

    /// Payouts by creator: the largest 20 and the rest as one bar.
    var payouts: ChartDrawing {
        let paid = report.payouts.filter { $0.figures.payoutMinor != 0 }
        let (top, rest) = largest(paid, limit: ReportCharts.barsMax, amount: \.figures.payoutMinor, key: \.creator)
        var bars = top.map { BarChart.Bar(label: $0.name, value: $0.figures.payoutMinor) }
        if !rest.isEmpty {
            bars.append(
                BarChart.Bar(
                    label: "\(rest.count) other creators",
                    value: rest.reduce(0) { $0 + $1.figures.payoutMinor }, isAggregate: true))
        }
        return BarChart(
            id: "chart-payouts", title: "Payouts by creator, \(Display.monthName(report.month))",
            subtitle: "Largest first; \(currency.code)", labelHeading: "Creator",
            valueAxisTitle: "Payout (\(currency.code))", format: money, bars: bars,
            emptyMessage: "No creator has a payout this month."
        ).draw()
    }

    /// Cost per conversion and ROAS by tier: two charts, since a money axis and a ratio axis
    /// cannot share one scale.
    var tiers: [ChartDrawing] {
        let costs = report.tiers.map { BarChart.Bar(label: $0.tier, value: $0.figures.costPerConversionMinor) }
        let roas = report.tiers.map {
            BarChart.Bar(
                label: $0.tier,
                value: ratioTenThousandths($0.figures.netRevenueMinor, $0.figures.totalCostMinor))
        }
        let empty = "No conversions or costs from \(period)."
        return [
            BarChart(
                id: "chart-tier-cost", title: "Cost per conversion by tier",
                subtitle: "Commissions, fees, gifts and adjustments per order that counts; lower is better",
                labelHeading: "Tier", valueAxisTitle: "Cost per conversion (\(currency.code))", format: money,
                bars: costs, emptyMessage: empty
            ).draw(),
            BarChart(
                id: "chart-tier-roas", title: "ROAS by tier",
                subtitle: "Net revenue per 1 \(currency.code) spent; higher is better",
                labelHeading: "Tier", valueAxisTitle: "ROAS (net revenue ÷ total cost)", format: .ratio,
                bars: roas, emptyMessage: empty
            ).draw()
        ]
    }

    /// Flat fees against commissions per creator, with the effective rate of everything paid.
    var feesAgainstCommissions: ChartDrawing {
        let costed = report.creatorCosts.filter { $0.figures.feeCostMinor != 0 || $0.figures.commissionCostMinor != 0 }
        let (top, rest) = largest(
            costed, limit: ReportCharts.barsMax,
            amount: { $0.figures.feeCostMinor + $0.figures.commissionCostMinor },
            key: \.creator)
        var groups = top.map { group($0.name, $0.figures) }
        if !rest.isEmpty {
            groups.append(group("\(rest.count) other creators", rest.reduce(ROIFigures()) { $0 + $1.figures }))
        }
        return GroupedBarChart(
            id: "chart-fees-commissions", title: "Flat fees against commissions by creator",
            subtitle: "From \(period); effective rate = total cost ÷ net revenue, as in tally roi",
            labelHeading: "Creator", valueAxisTitle: "Cost (\(currency.code))", noteHeading: "Effective rate",
            format: money,
            series: [
                GroupedBarChart.Series(name: "Flat fees", style: .solidBlue),
                GroupedBarChart.Series(name: "Commissions", style: .hatchedOrange)
            ],
            groups: groups, emptyMessage: "No fees or commissions from \(period)."
        ).draw()
    }

    private func group(_ label: String, _ figures: ROIFigures) -> GroupedBarChart.Group {
        GroupedBarChart.Group(
            label: label, values: [figures.feeCostMinor, figures.commissionCostMinor],
            note: Display.ratio(figures.totalCostMinor, figures.netRevenueMinor))
    }

    /// The last 12 months of commissions, clawbacks, fees, gifts and payouts.
    var history: ChartDrawing {
        let months = report.history
        let categories = months.enumerated().map { index, figures in
            LineChart.Category(
                label: Display.monthAbbreviation(figures.month),
                detail: index == 0 || figures.month.month == 1 ? String(figures.month.year) : nil,
                fullName: Display.monthName(figures.month))
        }
        let series: [LineChart.Series] = [
            .init(name: "Payouts", style: .black, values: months.map(\.payoutsMinor)),
            .init(name: "Commissions", style: .dashedBlue, values: months.map(\.commissionsMinor)),
            .init(name: "Fees", style: .vermillion, values: months.map(\.feesMinor)),
            .init(name: "Gifts", style: .green, values: months.map(\.giftsMinor)),
            .init(name: "Clawbacks", style: .purple, values: months.map(\.clawbacksMinor))
        ]
        let span =
            months.isEmpty
            ? ""
            : "\(Display.monthName(months.first!.month)) to "
                + Display.monthName(months.last!.month)
        let title = months.count == 1 ? "This month" : "The last \(months.count) months"
        return LineChart(
            id: "chart-history", title: title, subtitle: span, categoryHeading: "Month",
            valueAxisTitle: "Amount (\(currency.code))", format: money, categories: categories,
            series: series, emptyMessage: "No months to show yet."
        ).draw()
    }

    /// Unknown codes by the revenue of their orders: a creator code nobody set up is money unpaid.
    var unknownCodes: ChartDrawing {
        let (top, rest) = largest(
            report.unknownCodes, limit: ReportCharts.barsMax, amount: \.revenueMinor,
            key: \.code)
        var bars = top.map { BarChart.Bar(label: $0.code, value: $0.revenueMinor) }
        if !rest.isEmpty {
            bars.append(
                BarChart.Bar(
                    label: "\(rest.count) other codes", value: rest.reduce(0) { $0 + $1.revenueMinor },
                    isAggregate: true))
        }
        return BarChart(
            id: "chart-unknown-codes", title: "Unknown codes by revenue",
            subtitle: "Codes on orders that no creator or house code covers: a creator to set up?",
            labelHeading: "Code", valueAxisTitle: "Revenue (subtotal, \(currency.code))", format: money,
            bars: bars, emptyMessage: "Every code on this month's orders is known."
        ).draw()
    }
}
