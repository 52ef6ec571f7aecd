import ArgumentParser
import Foundation
import LedgerCore
import LedgerStore

/// `tally roi`: cost-effectiveness per creator, tier or platform (section 7 of the ledger rules).
struct RoiCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roi",
        abstract: "Cost-effectiveness of creators over a date range: conversions, revenue, costs, ROAS, effective rate.",
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
    @Option(help: ArgumentHelp("First day of the range (inclusive), in the ledger's time zone.", valueName: "YYYY-MM-DD")) var from: String
    @Option(help: ArgumentHelp("Last day of the range (inclusive).", valueName: "YYYY-MM-DD")) var to: String
    @Option(help: "Group by creator, tier or platform.") var by: Grouping = .creator
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    @Option(help: ArgumentHelp("Compare with a pure commission at this rate, e.g. 10%.", valueName: "rate")) var compareCommission: String?
    @Flag(help: "Add reach columns: impressions, cpm, engagements, engagement_rate (from posts that recorded them).") var reach = false

    enum Grouping: String, ExpressibleByArgument, CaseIterable { case creator, tier, platform }

    func validate() throws {
        guard let start = CivilDate.parse(from) else { throw ValidationError("invalid --from '\(from)': expected a date like 2026-07-01") }
        guard let end = CivilDate.parse(to) else { throw ValidationError("invalid --to '\(to)': expected a date like 2026-10-31") }
        guard start <= end else { throw ValidationError("--from \(from) is after --to \(to)") }
        if let rate = compareCommission, case let .failure(error) = CommissionRate.parse(rate) {
            throw ValidationError("invalid --compare-commission '\(rate)': \(error)")
        }
    }

    func run() throws {
        let ledger = try options.open(readOnly: true)
        let snapshot = try ledger.snapshot()
        let range = ROIRange(from: CivilDate.parse(from)!, to: CivilDate.parse(to)!, zone: snapshot.zone)
        let (orders, missing) = roiOrders(snapshot: snapshot, index: RuleIndex(snapshot), range: range)
        if !missing.isEmpty {
            let currencies = Set(missing.compactMap { key in snapshot.orders.first { $0.key == key }?.seen.currency.code }).sorted()
            throw UserError("no exchange rate for \(missing.count) attributed order(s) in \(currencies.joined(separator: ", ")) "
                + "(\(missing.prefix(5).map(\.description).joined(separator: ", "))\(missing.count > 5 ? ", ..." : "")): "
                + "import fx rates dated on or before their created dates (tally import fx FILE)")
        }
        let rate = compareCommission.flatMap { try? CommissionRate.parse($0).get() }
        let byCreator = roiByCreator(orders: orders, snapshot: snapshot, range: range, compareAt: rate)
        let report = roiReport(byCreator: byCreator, snapshot: snapshot, range: range, rate: rate)
        print(report.render(format), terminator: "")
    }

    func roiReport(byCreator: [String: ROIFigures], snapshot: LedgerSnapshot, range: ROIRange, rate: CommissionRate?) -> Report {
        let e = snapshot.baseCurrency.minorUnitExponent
        let keyColumns: [String]
        var rows: [(keys: [Cell], figures: ROIFigures)] = []
        switch by {
        case .creator:
            keyColumns = ["creator", "tier"]
            for creator in byCreator.keys.sorted() where !byCreator[creator]!.isZero {
                rows.append(([.text(creator), .text(tier(of: creator, snapshot: snapshot))], byCreator[creator]!))
            }
        case .tier:
            keyColumns = ["tier"]
            let byTier = roiByTier(byCreator, snapshot: snapshot)
            for t in TierThresholds.tierNames { if let f = byTier[t], !f.isZero { rows.append(([.text(t)], f)) } }
        case .platform:
            keyColumns = ["platform"]
            let byPlatform = roiByPlatform(byCreator, snapshot: snapshot, range: range)
            for p in byPlatform.keys.sorted(by: platformOrder) where !byPlatform[p]!.isZero { rows.append(([.text(p)], byPlatform[p]!)) }
        }
        var report = Report(columns: keyColumns + roiColumns(rate: rate))
        var total = ROIFigures()
        for row in rows {
            report.rows.append(row.keys + roiCells(row.figures, exponent: e, rate: rate))
            total = total + row.figures
        }
        report.totals = [.text("total")] + Array(repeating: Cell.text(""), count: keyColumns.count - 1) + roiCells(total, exponent: e, rate: rate)
        return report
    }

    func roiColumns(rate: CommissionRate?) -> [String] {
        var columns = ["conversions", "net_revenue", "commission_cost", "fee_cost", "gift_cost", "adjustment_cost", "total_cost",
                       "cost_per_conversion", "fee_per_conversion", "roas", "effective_rate", "discount_given"]
        if reach { columns += ["impressions", "cpm", "engagements", "engagement_rate"] }
        if rate != nil { columns += ["commission_at_rate", "cost_vs_commission"] }
        return columns
    }

    func roiCells(_ f: ROIFigures, exponent e: Int, rate: CommissionRate?) -> [Cell] {
        func money(_ value: Int64?) -> Cell { value.map { .money($0, exponent: e) } ?? .none }
        var cells: [Cell] = [
            .int(f.conversions), money(f.netRevenueMinor), money(f.commissionCostMinor), money(f.feeCostMinor), money(f.giftCostMinor),
            money(f.adjustmentCostMinor), money(f.totalCostMinor), money(f.costPerConversionMinor), money(f.feePerConversionMinor),
            .ratio(numerator: f.netRevenueMinor, denominator: f.totalCostMinor), .ratio(numerator: f.totalCostMinor, denominator: f.netRevenueMinor),
            money(f.discountGivenMinor),
        ]
        if reach {
            cells += [.int(f.impressions), money(f.cpmMinor), .int(f.engagements), .ratio(numerator: f.engagements, denominator: f.engagementFollowers)]
        }
        if rate != nil { cells += [money(f.commissionAtRateMinor), money(f.totalCostMinor - f.commissionAtRateMinor)] }
        return cells
    }
}

/// Platforms by name, with `(none)` (creators without posts in the range) last.
private func platformOrder(_ a: String, _ b: String) -> Bool {
    if a == "(none)" { return false }
    if b == "(none)" { return true }
    return a < b
}
