import App
import ArgumentParser
import Foundation
import LedgerCore

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Why an order is attributed and paid as it is.",
        discussion: """
            Shows the order's facts, each listed code and what the rules made of it, the referral value, \
            the terms used, the commissionable base and commission as known now, when it matures, and the \
            statement lines that paid or clawed it back.
            """
    )
    @OptionGroup var options: LedgerOptions
    @Argument(
        help: ArgumentHelp("source:order_id, a bare order id, or Shopify's order name (#1042).", valueName: "order"))
    var order: String

    func run() throws {
        let session = try options.open(readOnly: true)
        let explanation = try session.explain(order)
        print(explain(explanation, zone: session.zone, base: session.baseCurrency), terminator: "")
    }
}

func explain(_ explanation: OrderExplanation, zone: Zone, base: Currency) -> String {
    let record = explanation.record
    let seen = record.seen
    let e = explanation.evaluation
    let own = { (v: Int64) in seen.money(v).withCode }
    let inBase = { (v: Int64) in Money(v, base).withCode }
    var out: [String] = []
    out.append(
        "Order \(seen.key)" + (seen.name.map { " (\($0))" } ?? "")
            + (seen.test ? "  [test order: excluded from every figure]" : ""))
    out.append("  created     \(seen.createdAt)  (\(zone.civilDate(of: seen.createdAt.instant)) in \(zone.identifier))")
    out.append(
        "  amounts     subtotal \(own(seen.subtotalMinor)), discount \(own(seen.discountMinor)), "
            + "shipping \(own(seen.shippingMinor)), taxes \(own(seen.taxesMinor)), "
            + "total \(own(seen.totalMinor))")
    out.append("  first seen  \(describe(seen.state, own))")
    for change in record.changes {
        out.append(
            "  changed     effective \(zone.timestamp(change.effectiveAt)): "
                + "\(describe(change.apply(to: record.state(before: change.effectiveAt)), own))")
    }
    out.append("  now         \(describe(e.state, own))")
    out.append("")
    out.append("Attribution (master data as known now, at the created time)")
    if e.attribution.codeChecks.isEmpty { out.append("  no discount codes") }
    for (i, check) in e.attribution.codeChecks.enumerated() {
        out.append("  code \(i + 1) \(check.code): \(describe(check.verdict, zone: zone))")
    }
    if let referral = e.attribution.referral {
        out.append("  referral \(referral.value): \(describe(referral.verdict, zone: zone))")
    } else {
        out.append("  no referral value")
    }
    switch e.attribution.via {
    case let .code(code): out.append("  => \(e.attribution.creator!), by code \(code)")
    case let .referral(value): out.append("  => \(e.attribution.creator!), by referral value \(value)")
    case .none:
        if let plan = e.plan, let link = plan.lifetime {
            out.append(
                "  => \(plan.creator), by lifetime link: the customer's first order attributed by code or "
                    + "referral is \(link.order) of \(zone.timestamp(link.start)); linked until "
                    + "\(zone.timestamp(link.end))")
        } else {
            out.append("  => unattributed (counted in shop totals only)")
        }
    }
    if e.attribution.selfReferral {
        out.append("  self-referral: the customer's e-mail is the creator's; commission 0")
    }
    out.append("")
    if seen.currency != base {
        if let rate = e.fxRate, let amounts = e.amounts {
            out.append(
                "Exchange rate \(rate.rate) \(base.code) per \(seen.currency.code), dated \(rate.date): "
                    + "subtotal \(inBase(amounts.subtotalMinor)), total \(inBase(amounts.totalMinor)), "
                    + "refunded \(inBase(amounts.refundedMinor))")
        } else {
            out.append(
                "Exchange rate: none dated on or before \(zone.civilDate(of: seen.createdAt.instant)) "
                    + "for \(seen.currency.code): "
                    + "the order blocks the close of any month that needs it")
        }
    }
    if let creator = e.attribution.creator {
        let unpaid = explanation.statementLines.isEmpty
        out.append(
            contentsOf: explainCommission(
                e, creator: creator, zone: zone, inBase: inBase,
                lastClosed: unpaid ? explanation.lastClosedMonth : nil))
    } else if seen.test {
        out.append("No commission: a test order (recorded, excluded from every figure)")
    }
    if let bonus = explanation.monthBonus {
        let reached = bonus.conversions >= bonus.threshold ? "reached: \(inBase(bonus.amountMinor))" : "not reached"
        out.append(
            "Bonus of \(bonus.creator) for \(bonus.month): \(bonus.conversions) conversion"
                + (bonus.conversions == 1 ? "" : "s") + " as known now, threshold \(bonus.threshold): \(reached)")
    }
    out.append("")
    out.append(contentsOf: paidBy(explanation.statementLines, inBase: inBase))
    return out.joined(separator: "\n") + "\n"
}

func explainCommission(
    _ e: OrderEvaluation, creator: String, zone: Zone, inBase: (Int64) -> String,
    lastClosed: YearMonth?
) -> [String] {
    var out: [String] = []
    if let t = e.terms {
        out.append(
            "Terms of \(creator) in force at the created time (from \(zone.timestamp(t.effectiveFrom))): "
                + "commission \(t.commission), per order \(inBase(t.perOrderMinor)), holdback \(t.holdbackDays) days, "
                + "minimum payout \(inBase(t.minPayoutMinor))")
    } else {
        out.append("Terms: \(creator) had no terms at the created time")
    }
    if let t = e.terms, t.hasPlan { out.append("  plan: " + describePlan(t, inBase: inBase)) }
    if let t = e.terms, let plan = e.plan, let rule = plan.rule, let rate = plan.rate {
        out.append(describe(rule, rate: rate, terms: t, plan: plan, zone: zone))
    }
    if let b = e.breakdown, let amounts = e.amounts {
        out.append(
            "Commission as known now: base = subtotal \(inBase(amounts.subtotalMinor)) - refunded share "
                + "\(inBase(b.refundedBaseMinor)) = \(inBase(b.baseMinor))")
        if b.payable {
            out.append(
                "  \(e.rate ?? e.terms!.commission) of the base = \(inBase(b.percentPartMinor)); "
                    + "fixed per order \(inBase(b.fixedPartMinor))"
                    + (b.fullyRefunded ? " (fully refunded: no fixed part)" : "")
                    + "; total \(inBase(b.commissionMinor))")
        }
    }
    switch e.zeroReason {
    case .test?: out.append("No commission: a test order (recorded, excluded from every figure)")
    case .selfReferral?: out.append("No commission: a self-referral (the customer's e-mail is the creator's)")
    case .noTerms?:
        out.append(
            "No commission: \(creator) had no terms at the created time (terms set from an earlier date "
                + "would pay it: tally terms set \(creator) --from DATE)")
    case .cancelled?: out.append("No commission: cancelled")
    case let .notPayable(status)?:
        out.append(
            "No commission: unpaid (status \(status.rawValue) is not payable; an export that shows it paid "
                + "earns it)")
    case nil: break
    }
    if let date = e.maturityDate {
        let matures = date.yearMonth
        // A month already closed never changes: an order no statement paid yet is paid in the first
        // open month (`lastClosed` is nil once a statement has a line for it).
        let open = lastClosed.map { max(matures, $0.next) } ?? matures
        let closedNote = open == matures ? "" : " (\(matures) is closed: the first open month)"
        out.append(
            "Matures: created date + \(Terms.holdbackDays(e.terms)) days = \(date); "
                + "first payable in the close of \(open)\(closedNote)")
    }
    return out
}

func paidBy(_ lines: [OrderExplanation.PaidLine], inBase: (Int64) -> String) -> [String] {
    var out = ["Statements:"]
    for paid in lines {
        let reference = paid.paidReference.map { " (payout marked paid, reference \($0))" } ?? ""
        let amount = inBase(paid.line.amountMinor)
        out.append("  \(paid.month) \(paid.creator): \(paid.line.kind.rawValue) \(amount)" + reference)
    }
    if out.count == 1 { out.append("  none yet") }
    return out
}

func describe(_ state: OrderState, _ money: (Int64) -> String) -> String {
    "status \(state.status.rawValue), refunded \(money(state.refundedMinor))"
        + (state.cancelledAt.map { ", cancelled at \($0)" } ?? "")
}

func describe(_ verdict: CodeVerdict, zone: Zone) -> String {
    switch verdict {
    case let .matched(creator): return "assigned to \(creator) at that time: matched"
    case .house: return "a house code: skipped"
    case .unknown: return "never assigned: unknown, skipped (see 'tally codes unknown')"
    case .notConsidered: return "not considered (an earlier code matched)"
    case let .notValidAt(spans):
        let list = spans.map { s -> String in
            var text = "\(s.creator) from \(zone.timestamp(s.validFrom))"
            if let until = s.validUntil {
                text += " until \(zone.timestamp(until))"
                if s.declaredUntil != s.validUntil { text += " (ended by the next assignment)" }
            }
            return text
        }
        return "not valid at the created time (assigned to " + list.joined(separator: "; ") + "): skipped"
    }
}

/// The rule of section 8 that set an order's rate.
func describe(_ rule: RateRule, rate: CommissionRate, terms: Terms, plan: OrderPlan, zone: Zone) -> String {
    let month = "\(plan.monthConversions) conversion" + (plan.monthConversions == 1 ? "" : "s") + " in its month"
    switch rule {
    case .base: return "Rate \(rate): the commission (no plan rule applies)"
    case .lifetime: return "Rate \(rate): lifetime commission (attributed through a lifetime link)"
    case .newCustomer: return "Rate \(rate): new-customer commission (the customer's first order in the ledger)"
    case let .tier(tier, n, apply):
        let position = plan.position.map { "position \($0), " } ?? "not a conversion, "
        let counted =
            apply == .month
            ? "the month's count \(n) (tiers apply to the month)"
            : "position \(n) (marginal tiers)"
        let reached = tier.map { "tier above \($0.above)" } ?? "no tier of \(terms.tiers?.description ?? "") reached"
        return "Rate \(rate): \(reached) by \(counted); \(position)\(month)"
    }
}

/// The plan fields of `terms` that are set (section 8), as `explain` lists them.
func describePlan(_ t: Terms, inBase: (Int64) -> String) -> String {
    var parts: [String] = []
    if let rate = t.newCustomerCommission { parts.append("new customer \(rate)") }
    if t.lifetimeMonths > 0 {
        parts.append(
            "lifetime \(t.lifetimeMonths) month" + (t.lifetimeMonths == 1 ? "" : "s")
                + (t.lifetimeCommission.map { " at \($0)" } ?? ""))
    }
    if let tiers = t.tiers { parts.append("tiers \(tiers) (\(t.tiersApply.rawValue))") }
    if let bonus = t.bonus { parts.append("bonus \(inBase(bonus.amountMinor)) from \(bonus.threshold) conversions") }
    if let retainer = t.retainerMinor { parts.append("retainer \(inBase(retainer)) a month") }
    return parts.joined(separator: ", ")
}
