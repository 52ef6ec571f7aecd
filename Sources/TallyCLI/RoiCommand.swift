import App
import ArgumentParser
import Foundation
import LedgerCore

/// `tally roi`: cost-effectiveness per creator, tier or platform (section 7 of the ledger rules).
struct RoiCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roi",
        abstract:
            "Cost-effectiveness of creators over a date range: conversions, revenue, costs, ROAS, effective rate.",
        discussion: """
            Orders: attributed, non-test orders created in the range that are payable now (pending, voided and \
            cancelled orders are left out), with refunds and attribution as known now. Costs: commissions as known \
            now (maturity ignored), post fees, gifts and adjustments dated in the range.
            roas = net_revenue / total_cost; effective_rate = total_cost / net_revenue (what fees and gifts amount \
            to as a commission rate). Undefined ratios are empty (CSV), null (JSON) or '-' (table).
            --by platform shares each creator's order figures among the platforms of their posts in the range by \
            fee (see docs/roi.md). --compare-commission 10% adds what the same orders would have cost at that \
            pure commission rate instead of everything actually paid.
            """
    )

    @OptionGroup var options: LedgerOptions
    @Option(
        help: ArgumentHelp(
            "First day of the range (inclusive), in the ledger's time zone.",
            valueName: "YYYY-MM-DD"))
    var from: CivilDate
    @Option(help: ArgumentHelp("Last day of the range (inclusive).", valueName: "YYYY-MM-DD")) var to: CivilDate
    @Option(help: "Group by creator, tier or platform.") var by: Grouping = .creator
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    @Option(help: ArgumentHelp("Compare with a pure commission at this rate, e.g. 10%.", valueName: "rate"))
    var compareCommission: CommissionRate?
    @Flag(help: "Add reach columns: impressions, cpm, engagements, engagement_rate (from posts that recorded them).")
    var reach = false

    typealias Grouping = ROIGrouping

    func validate() throws {
        guard from <= to else { throw ValidationError("--from \(from) is after --to \(to)") }
    }

    func run() throws {
        let session = try options.open(readOnly: true)
        let rate = compareCommission
        let rows = try session.roi(from: from, to: to, by: by, compareAt: rate)
        let report = roiReport(rows, exponent: session.baseCurrency.minorUnitExponent, rate: rate)
        print(report.render(format), terminator: "")
    }

    func roiReport(_ rows: [(keys: [String], figures: ROIFigures)], exponent e: Int, rate: CommissionRate?) -> Report {
        let keyColumns: [String]
        switch by {
        case .creator: keyColumns = ["creator", "tier"]
        case .tier: keyColumns = ["tier"]
        case .platform: keyColumns = ["platform"]
        }
        var report = Report(columns: keyColumns + roiColumns(rate: rate))
        var total = ROIFigures()
        for row in rows {
            report.rows.append(row.keys.map(Cell.text) + roiCells(row.figures, exponent: e, rate: rate))
            total = total + row.figures
        }
        let padding = Array(repeating: Cell.text(""), count: keyColumns.count - 1)
        report.totals = [.text("total")] + padding + roiCells(total, exponent: e, rate: rate)
        return report
    }

    func roiColumns(rate: CommissionRate?) -> [String] {
        var columns = [
            "conversions", "net_revenue", "commission_cost", "fee_cost", "gift_cost", "adjustment_cost", "total_cost",
            "cost_per_conversion", "fee_per_conversion", "roas", "effective_rate", "discount_given"
        ]
        if reach { columns += ["impressions", "cpm", "engagements", "engagement_rate"] }
        if rate != nil { columns += ["commission_at_rate", "cost_vs_commission"] }
        return columns
    }

    func roiCells(_ f: ROIFigures, exponent e: Int, rate: CommissionRate?) -> [Cell] {
        func money(_ value: Int64?) -> Cell { value.map { .money($0, exponent: e) } ?? .none }
        var cells: [Cell] = [
            .int(f.conversions), money(f.netRevenueMinor), money(f.commissionCostMinor), money(f.feeCostMinor),
            money(f.giftCostMinor),
            money(f.adjustmentCostMinor), money(f.totalCostMinor), money(f.costPerConversionMinor),
            money(f.feePerConversionMinor),
            .ratio(numerator: f.netRevenueMinor, denominator: f.totalCostMinor),
            .ratio(numerator: f.totalCostMinor, denominator: f.netRevenueMinor),
            money(f.discountGivenMinor)
        ]
        if reach {
            cells += [
                .int(f.impressions), money(f.cpmMinor), .int(f.engagements),
                .ratio(numerator: f.engagements, denominator: f.engagementFollowers)
            ]
        }
        if rate != nil { cells += [money(f.commissionAtRateMinor), money(f.totalCostMinor - f.commissionAtRateMinor)] }
        return cells
    }
}

extension ROIGrouping: ExpressibleByArgument {}
