#!/usr/bin/env python3
"""Seeded generator of a big Shopify orders export plus matching master data, for benchmarks.

    python3 benchmarks/generate.py --orders 1000000 --seed 1 --out DIR [--variant 2]

Writes DIR/orders.csv (the real 79-column Shopify header, one row per line item, newest order
first, all orders in 2025 with America/New_York offsets), DIR/creators.csv, DIR/codes.csv,
DIR/terms.csv and DIR/posts.csv (2,000 creators). The rows stream; memory grows only by an array of
4 bytes per order (which customer placed it).

Customers come back: 40 % of the orders are placed by the customer of an earlier order (within
about 90 days of orders), most without a code, so that the lifetime links of section 8 credit
orders that carry no code. The terms give the creators a plan mix (see `plan_terms`): a fifth on
lifetime links, some on tiers (marginal and month-wide), with bonuses, retainers and new-customer
rates.

--variant 2 writes the same orders (same Ids, names, amounts, codes, statuses, timestamps) with
different bytes: other line-item names and Notes texts. A re-import of a variant-2 file must see
every order as known and unchanged (and its SHA-256 differs, so it is not skipped as a file).

Standard library only, deterministic: random.Random(seed), no clock.
"""

import argparse
import array
import datetime as dt
import os
import random
import sys

# The one copy of Shopify's 79-column header lives with the example generator.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples"))
from generate import SHOPIFY_HEADER  # noqa: E402  (examples/generate.py; its main() only runs as a script)

HEADER = ",".join(SHOPIFY_HEADER)
assert len(HEADER.split(",")) == 79

N_CREATORS = 2000
RETURNING = 0.40        # share of orders placed by an earlier order's customer
RETURN_WINDOW = 0.25    # how far back (a share of the year's orders) a returning customer's last order lies
TEMPLATES = 20000       # pre-rendered name/address blocks; a customer's e-mail is its own
VENDOR = "Maple & Moss Tea Co."
YEAR = 2025
UTC = dt.timezone.utc


def q(v):
    """Quote one CSV field the RFC 4180 way, only when needed (done once, while precomputing)."""
    return '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\r\n') else v


def money(c):
    return f"{'-' if c < 0 else ''}{abs(c) // 100}.{abs(c) % 100:02d}"


def nth_sunday(year, month, n):
    d = dt.date(year, month, 1)
    d += dt.timedelta(days=(6 - d.weekday()) % 7)
    return d + dt.timedelta(weeks=n - 1)


def epoch(d, hour):
    return int(dt.datetime.combine(d, dt.time(hour), UTC).timestamp())


# ------------------------------------------------------------------------------------------
# Fixed vocabularies (small; everything per order indexes into precomputed strings).

PRODUCTS = [  # name, sku, price cents, compare-at
    ("Earl Grey Crème - 100g", "MM-EGC-100", 1400, ""), ("Maple Chai - 100g", "MM-MCH-100", 1350, ""),
    ("Sencha Kyoto - 50g", "MM-SEN-050", 1600, ""), ("Ceremonial Matcha - 30g", "MM-MAT-030", 2800, "32.00"),
    ("Moss Garden Herbal - 100g", "MM-MGH-100", 1200, ""), ("Rooibos Vanilla - 100g", "MM-RBV-100", 1150, ""),
    ("Darjeeling First Flush - 50g", "MM-DFF-050", 1950, ""), ("Milk Oolong - 50g", "MM-OOL-050", 1700, ""),
    ("Hojicha - 100g", "MM-HOJ-100", 1500, ""), ("Tea Sampler, 6 x 10g", "MM-SMP-006", 2200, ""),
    ('Mug 12oz, "Creator Edition"', "MM-MUG-012", 1800, ""), ('Gift Box "Autumn Leaves"', "MM-GBX-AUT", 4800, ""),
    ("Cast Iron Teapot, 0.8 L", "MM-TPT-080", 6400, "72.00"), ("Bamboo Whisk (Chasen)", "MM-CHS-001", 1800, ""),
    ("Lapsang Souchong - 100g", "MM-LAP-100", 1450, ""), ("Honeybush Citrus - 100g ", "MM-HBC-100", 1250, ""),
]
NOTES = {
    1: ["Please leave at the back door, by the \"blue\" shed.\nThanks!",
        "Gift - no receipt please, it's for my mom, thank you",
        "Ring twice.\nIf no answer, leave with the neighbour, Mrs. Park"],
    2: ["Leave it with the concierge, please, \"front desk\".\nCheers",
        "It's a present, please skip the invoice, thanks a lot",
        "Knock loudly.\nOtherwise drop it at #4, Mr. Chen"],
}
FIRST = ["Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "Lucas", "Mia", "Mateo", "Zoe",
         "Ethan", "Nora", "Caleb", "Ines", "Owen", "Maya", "Theo", "Grace", "Ravi", "Hana", "Felix"]
LAST = ["Smith", "Garcia", "Nguyen", "OBrien", "Kowalski", "Patel", "Johnson", "Muller", "Lee", "Rossi",
        "Cohen", "Silva", "Kim", "Dubois", "Brown", "Haddad", "Larsen", "Walsh", "Ito", "Moreau"]
STATES = [("MA", "Massachusetts", 62500, "02139", "Cambridge"), ("NY", "New York", 88750, "11211", "Brooklyn"),
          ("VT", "Vermont", 60000, "05401", "Burlington"), ("NH", "New Hampshire", 0, "03101", "Manchester"),
          ("CT", "Connecticut", 63500, "06511", "New Haven"), ("NJ", "New Jersey", 66250, "07030", "Hoboken"),
          ("CA", "California", 72500, "94110", "San Francisco"), ("IL", "Illinois", 62500, "60614", "Chicago"),
          ("WA", "Washington", 65000, "98103", "Seattle"), ("OR", "Oregon", 0, "97214", "Portland"),
          ("TX", "Texas", 62500, "78701", "Austin"), ("CO", "Colorado", 29000, "80205", "Denver")]
STREETS = ["Elm St", "Maple Ave", "Beacon St", "Main St", "Oak Ln", "Prospect St", "River Rd", "Pine St"]
ADJ = ["leafy", "steep", "cozy", "slow", "misty", "golden", "amber", "herbal", "smoky", "bright", "quiet", "wild"]
NOUN = ["kettle", "cup", "leaf", "brew", "pot", "sip", "garden", "chai", "matcha", "oolong", "mug", "tin"]


def plan_terms(rng):
    """The plan columns of one creator's terms (section 8), drawn independently: 20 % lifetime links
    (6 or 12 months; most with their own rate, some falling back to the next rule's), 15 % tiers (half
    marginal, half month-wide; a creator has about 8 conversions a month at 1,000,000 orders),
    10 % a new-customer rate, 10 % a bonus at a threshold, 5 % a retainer."""
    new_rate = lifetime = lifetime_rate = tiers = tiers_apply = threshold = bonus = retainer = ""
    if rng.random() < 0.20:
        lifetime = ("6", "12")[rng.randrange(2)]
        lifetime_rate = ("5%", "8%", "")[rng.randrange(3)]
    if rng.random() < 0.15:
        tiers = ("4:12%;8:15%", "5:11%;10:14%;20:18%", "3:12.5%")[rng.randrange(3)]
        tiers_apply = ("marginal", "month")[rng.randrange(2)]
    if rng.random() < 0.10:
        new_rate = ("20%", "25%")[rng.randrange(2)]
    if rng.random() < 0.10:
        threshold, bonus = ("6", "10")[rng.randrange(2)], ("50.00", "150.00")[rng.randrange(2)]
    if rng.random() < 0.05:
        retainer = ("100.00", "250.00", "500.00")[rng.randrange(3)]
    return ",".join((new_rate, lifetime, lifetime_rate, tiers, tiers_apply, threshold, bonus, retainer))


def customer_of_orders(n_orders, seed):
    """Which customer places order k (k = 0 the oldest): a new one, or with RETURNING the customer of
    an earlier order. Numbered in the order of their first order. A stream of its own (seeded), so
    that the orders' other draws do not depend on it."""
    rng = random.Random(seed * 7919 + 17)
    rnd = rng.random
    window = max(1, int(n_orders * RETURN_WINDOW))
    who = array.array("i", bytes(4 * n_orders))
    customers = 0
    for k in range(n_orders):
        if k and rnd() < RETURNING:
            who[k] = who[k - 1 - int(rnd() * min(k, window))]
        else:
            who[k] = customers
            customers += 1
    return who, customers


def iban_de(draw):
    """A German IBAN with valid check digits: the draw's last 18 digits as the account (BBAN)."""
    bban = str(draw)[-18:]
    check = 98 - int(bban + "1314" + "00") % 97  # D=13, E=14, then the check digits as 00
    return f"DE{check:02d}{bban}"


def master_data(rng, out):
    """2,000 creators with codes, terms and posts. Returns [(code spellings, percent)] per creator."""
    creators, codes, terms, posts = [], [], [], []
    code_info = []
    plan_rng = random.Random(rng.random())  # its own stream: the plans do not move the other draws
    for i in range(1, N_CREATORS + 1):
        a, n = ADJ[rng.randrange(len(ADJ))], NOUN[rng.randrange(len(NOUN))]
        cid = f"{a}-{n}-{i}"
        r = rng.random()
        top = (rng.randint(200, 999) if r < 0.15 else rng.randint(1000, 99_999) if r < 0.85
               else rng.randint(100_000, 999_999) if r < 0.995 else rng.randint(1_000_000, 5_000_000))
        plats = ["", "", ""]
        plats[rng.randrange(3)] = str(top)
        if rng.random() < 0.4:
            k = rng.randrange(3)
            plats[k] = plats[k] or str(rng.randint(100, max(101, top // 2)))
        method = ("paypal", "wise", "bank")[rng.randrange(3)]
        acct = (f"{cid}@example.com" if method == "paypal" else
                iban_de(rng.randint(10**19, 10**20 - 1)) if method == "wise" else f"021000021/{rng.randint(10**9, 10**10 - 1)}")
        name = f"{FIRST[rng.randrange(len(FIRST))]} {LAST[rng.randrange(len(LAST))]}"
        creators.append(f"{cid},{name},{cid}@example.org,{method},{acct},{plats[0]},{plats[1]},{plats[2]}\n")
        code = f"{a}{n}{i}".upper()
        pct = (10, 15, 20)[rng.randrange(3)]
        codes.append(f"{code},{cid},{YEAR}-01-01,\n")
        code_info.append(((code, code.lower(), code.title()), pct))
        rate = ("5%", "8%", "10%", "12%", "15%")[rng.randrange(5)]
        per = ("", "", "1.00", "2.00")[rng.randrange(4)]
        terms.append(f"{cid},{YEAR}-01-01,{rate},{per},30,{('', '25.00', '50.00')[rng.randrange(3)]},"
                     f"{plan_terms(plan_rng)}\n")
        for k in range(rng.randint(1, 5)):
            d = dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randrange(365))
            fee = (0, 5000, 15000, 25000, 40000, 80000, 150000)[rng.randrange(7)]
            imp = str(rng.randint(500, 3 * top)) if rng.random() < 0.7 else ""
            eng = str(rng.randint(10, max(11, int(imp) // 20))) if imp else ""
            plat = ("instagram", "tiktok", "youtube")[rng.randrange(3)]
            posts.append(f"P{i:04d}-{k + 1},{cid},{d.isoformat()},{plat},{money(fee)},https://example.com/{cid}/{k + 1},{imp},{eng}\n")
    codes.append(f"WELCOME10,,{YEAR}-01-01,\n")
    files = {
        "creators.csv": ("id,name,email,payout_method,payout_account,instagram,tiktok,youtube\n", creators),
        "codes.csv": ("code,creator,valid_from,valid_until\n", codes),
        "terms.csv": ("creator,effective_from,commission,per_order,holdback_days,min_payout,"
                      "new_customer_commission,lifetime_months,lifetime_commission,tiers,tiers_apply,"
                      "bonus_threshold,bonus,retainer\n", terms),
        "posts.csv": ("id,creator,date,platform,fee,url,impressions,engagements\n", posts),
    }
    for name, (head, rows) in files.items():
        with open(os.path.join(out, name), "w", encoding="utf-8", newline="") as f:
            f.write(head)
            f.writelines(rows)
    return code_info


def generate(n_orders, seed, out, variant=1):
    os.makedirs(out, exist_ok=True)
    rng = random.Random(seed)
    code_info = master_data(rng, out)
    rnd = rng.random

    # Customer templates: pre-rendered billing+shipping block (20 columns), e-mail stem, tax,
    # province names. Customer c uses template c % TEMPLATES and an e-mail of its own.
    who, _ = customer_of_orders(n_orders, seed)
    customers = []
    for i in range(TEMPLATES):
        fn, ln = FIRST[rng.randrange(len(FIRST))], LAST[rng.randrange(len(LAST))]
        st = STATES[rng.randrange(len(STATES))]
        a1 = f"{rng.randint(1, 999)} {STREETS[rng.randrange(len(STREETS))]}"
        a2 = ("", "", f"Apt {rng.randint(1, 40)}")[rng.randrange(3)]
        street = a1 + (", " + a2 if a2 else "")
        company = ("", "", "", "", "Moss, Leaf & Co.")[rng.randrange(5)]
        phone = f"+1{rng.randint(201, 989)}555{rng.randint(0, 9999):04d}"
        side = ",".join(q(x) for x in (f"{fn} {ln}", street, a1, a2, company, st[4], "'" + st[3], st[0], "US", phone))
        taxname = f"{st[0]} State Tax {st[2] / 10000:g}%" if st[2] else ""
        customers.append((f"{fn.lower()}.{ln.lower()}", side + "," + side, st[2], taxname,
                          q(st[1]), ("yes", "no")[rng.randrange(2)]))

    # Line-item column blocks (8 columns) per (product, qty, fulfilment status).
    vprod = [(p[0] if variant == 1 else p[0].strip() + " (2025 harvest)", p[1], p[2], p[3]) for p in PRODUCTS]
    li = {}
    for pi, (name, sku, price, cmp) in enumerate(vprod):
        for qty in (1, 2, 3):
            for fs in ("fulfilled", "pending", "restocked"):
                li[(pi, qty, fs)] = (f"{qty},{q(name)},{money(price)},{cmp},{sku},true,true,{fs}", price * qty)
    n_prod = len(PRODUCTS)
    qty_pick = [1] * 14 + [2] * 5 + [3]
    lines_pick = [1] * 25 + [2] * 30 + [3] * 25 + [4] * 12 + [5] * 8      # mean ~2.5
    notes = [q(x) for x in NOTES[variant]]
    money_s = [money(c) for c in range(200_000)]

    def m(c):
        return money_s[c] if 0 <= c < 200_000 else money(c)

    # Time: UTC instants over 2025, formatted in New York wall time with the right offset.
    t0 = epoch(dt.date(YEAR, 1, 1), 5)                 # 2025-01-01 00:00 -0500
    t1 = epoch(dt.date(YEAR + 1, 1, 1), 5)
    dst_a = epoch(nth_sunday(YEAR, 3, 2), 7)           # 02:00 EST -> EDT
    dst_b = epoch(nth_sunday(YEAR, 11, 1), 6)          # 02:00 EDT -> EST
    local0 = t0 - 5 * 3600
    days = [(dt.date(YEAR, 1, 1) + dt.timedelta(days=k)).isoformat() + " " for k in range(375)]
    tods = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)]

    def ts(t):
        if dst_a <= t < dst_b:
            loc = t - 4 * 3600 - local0
            return days[loc // 86400] + tods[loc % 86400] + " -0400"
        loc = t - 5 * 3600 - local0
        return days[loc // 86400] + tods[loc % 86400] + " -0500"

    span = t1 - t0
    step = max(1, span // n_orders)
    C14 = "," * 14
    TAIL = "," * 27 + VENDOR + "," * 9 + "0.00" + "," * 19 + "\n"
    first_id = 6_100_000_000_000
    buf = []
    rows = 0
    path = os.path.join(out, "orders.csv")
    with open(path, "w", encoding="utf-8", newline="", buffering=1 << 20) as f:
        f.write(HEADER + "\n")
        for k in range(n_orders - 1, -1, -1):          # newest first
            t = t0 + (k * span) // n_orders + int(rnd() * step)
            oid = first_id + k * 7919 + int(rnd() * 7000)
            name = f"#{1001 + k}"
            c = who[k]
            cust = customers[c % TEMPLATES]
            email = f"{cust[0]}{c}@example.com"
            nl = lines_pick[int(rnd() * 100)]
            items = []
            total_items = 0
            r = rnd()
            fate = ("refunded" if r < 0.03 else "partially_refunded" if r < 0.06 else "cancelled" if r < 0.07
                    else "pending" if r < 0.08 else "test" if r < 0.08005 else "paid")
            lfs = "pending" if fate in ("pending", "cancelled") else "fulfilled"
            for _ in range(nl):
                key = (int(rnd() * n_prod), qty_pick[int(rnd() * 20)], lfs)
                s, c = li[key]
                items.append(s)
                total_items += c
            r = rnd()
            if r < 0.20:
                spellings, pct = code_info[int(r * 10 * N_CREATORS) % N_CREATORS]
                rc = rnd()
                code = spellings[0 if rc < 0.7 else 1 if rc < 0.85 else 2]
            elif r < 0.22:
                code, pct = "WELCOME10", 10
            elif r < 0.225:
                code, pct = "Custom discount", 5
            else:
                code, pct = "", 0
            disc = (total_items * pct + 50) // 100
            sub = total_items - disc
            ship = 0 if sub >= 5000 else 695
            tax = (sub * cust[2] + 500_000) // 1_000_000
            total = sub + ship + tax
            created = ts(t)
            paid = ts(t + 1 + int(rnd() * 20))
            ful_at = ts(t + 86400 + int(rnd() * 150000)) if lfs == "fulfilled" else ""
            refunded = 0
            cancelled = ""
            pm = "Shopify Payments"
            status = "paid"
            outstanding = "0.00"
            if fate == "refunded":
                status, refunded = "refunded", total
            elif fate == "partially_refunded":
                status, refunded = "partially_refunded", max(1, min(total - 1, total // 4))
            elif fate == "cancelled":
                status, paid, cancelled, ful_at = "voided", "", ts(t + 3600 + int(rnd() * 40000)), ""
            elif fate == "pending":
                status, paid, outstanding = "pending", "", m(total)
            elif fate == "test":
                pm = "(for testing) Bogus Gateway"
            note = notes[int(rnd() * len(notes))] if rnd() < 0.05 else ""
            ref = f"c{oid}.1"
            buf.append(
                f"{name},{email},{status},{paid},{'fulfilled' if ful_at else 'unfulfilled'},{ful_at},{cust[5]},USD,"
                f"{m(sub)},{m(ship)},{m(tax)},{m(total)},{code},{m(disc)},"
                f"{'Free Shipping' if ship == 0 else 'Standard Shipping'},{created},{items[0]},{cust[1]},{note},,"
                f"{cancelled},{pm},{ref},{m(refunded)},{VENDOR},{outstanding},,,,{oid},,Low,web,0.00,"
                f"{cust[3]},{m(tax) if cust[3] else ''},,,,,,,,,,,,{cust[4]},{cust[4]},{ref},,,{ref}\n")
            if nl > 1:
                pre = f"{name},{email}{C14}{created},"
                for s in items[1:]:
                    buf.append(pre + s + TAIL)
            rows += nl
            if len(buf) >= 20000:
                f.write("".join(buf))
                buf.clear()
        f.write("".join(buf))
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description="Seeded big Shopify export + master data for benchmarks")
    ap.add_argument("--orders", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--variant", type=int, choices=(1, 2), default=1,
                    help="2: same orders and states, different bytes (line-item names, Notes)")
    a = ap.parse_args(argv)
    rows = generate(a.orders, a.seed, a.out, a.variant)
    print(f"{a.orders} orders, {rows} rows -> {os.path.join(a.out, 'orders.csv')}", file=sys.stderr)


if __name__ == "__main__":
    main()
