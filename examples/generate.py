#!/usr/bin/env python3
"""Write Tally's bundled example data set: "Maple & Moss Tea Co." and its creators.

Seeded and deterministic: the same --seed always gives byte-identical files (random.Random(seed)
only; no global RNG, no clock, no set iteration). Standard library only, Python 3.11+.

    python3 examples/generate.py [--out DIR] [--seed 42] [--list-edge-cases]

The story: a US tea shop (ledger base USD, zone America/New_York) works with 12 creators from
July to October 2026. Orders come from two overlapping Shopify exports, one WooCommerce
(WebToffee) export of a second shop, and one canonical CSV (pop-up market + TikTok Shop).
Deliberate edge cases are scripted (see EDGE below and --list-edge-cases); everything else is
seeded background noise.
"""

import argparse
import datetime as dt
import os
import random
import sys

UTC = dt.timezone.utc

SHOPIFY_HEADER = (
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,"
    "Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,"
    "Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,"
    "Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing Name,"
    "Billing Street,Billing Address1,Billing Address2,Billing Company,Billing City,Billing Zip,"
    "Billing Province,Billing Country,Billing Phone,Shipping Name,Shipping Street,Shipping Address1,"
    "Shipping Address2,Shipping Company,Shipping City,Shipping Zip,Shipping Province,Shipping Country,"
    "Shipping Phone,Notes,Note Attributes,Cancelled at,Payment Method,Payment Reference,"
    "Refunded Amount,Vendor,Outstanding Balance,Employee,Location,Device ID,Id,Tags,Risk Level,"
    "Source,Lineitem discount,Tax 1 Name,Tax 1 Value,Tax 2 Name,Tax 2 Value,Tax 3 Name,Tax 3 Value,"
    "Tax 4 Name,Tax 4 Value,Tax 5 Name,Tax 5 Value,Phone,Receipt Number,Duties,"
    "Billing Province Name,Shipping Province Name,Payment ID,Payment Terms Name,"
    "Next Payment Due At,Payment References"
).split(",")

WOO_BASE_HEADER = (
    "order_id,order_number,order_date,paid_date,status,shipping_total,shipping_tax_total,fee_total,"
    "fee_tax_total,tax_total,cart_discount,order_discount,discount_total,order_total,order_subtotal,"
    "order_key,order_currency,payment_method,payment_method_title,transaction_id,customer_ip_address,"
    "customer_user_agent,shipping_method,customer_id,customer_user,customer_email,billing_first_name,"
    "billing_last_name,billing_company,billing_email,billing_phone,billing_address_1,"
    "billing_address_2,billing_postcode,billing_city,billing_state,billing_country,"
    "shipping_first_name,shipping_last_name,shipping_company,shipping_phone,shipping_address_1,"
    "shipping_address_2,shipping_postcode,shipping_city,shipping_state,shipping_country,"
    "customer_note,wt_import_key,tax_items,shipping_items,fee_items,coupon_items,refund_items,"
    "order_notes,download_permissions,meta:_wc_order_attribution_device_type,"
    "meta:_wc_order_attribution_referrer,meta:_wc_order_attribution_session_count,"
    "meta:_wc_order_attribution_session_entry,meta:_wc_order_attribution_session_pages,"
    "meta:_wc_order_attribution_session_start_time,meta:_wc_order_attribution_source_type,"
    "meta:_wc_order_attribution_user_agent,meta:_wc_order_attribution_utm_source"
).split(",")

CANONICAL_HEADER = ("order_id,created_at,currency,subtotal,discount,shipping,taxes,total,codes,"
                    "referral,email,financial_status,refunded,cancelled_at,test").split(",")

VENDOR = "Maple & Moss Tea Co."

# ---------------------------------------------------------------------------------------------
# Small helpers: money in integer cents, time as aware UTC datetimes, New York offsets by rule.


def money(cents):
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def pct_of(cents, rate_ppm):
    """cents * rate (parts per million), rounded half up (what a shop cart does)."""
    return (cents * rate_ppm + 500_000) // 1_000_000


def _nth_sunday(year, month, n):
    d = dt.date(year, month, 1)
    d += dt.timedelta(days=(6 - d.weekday()) % 7)
    return d + dt.timedelta(weeks=n - 1)


def ny_offset_hours(utc_time):
    """America/New_York UTC offset at an instant (US rules since 2007)."""
    y = utc_time.year
    start = dt.datetime.combine(_nth_sunday(y, 3, 2), dt.time(7), UTC)   # 02:00 EST
    end = dt.datetime.combine(_nth_sunday(y, 11, 1), dt.time(6), UTC)    # 02:00 EDT
    return -4 if start <= utc_time < end else -5


def ny(y, mo, d, h=0, mi=0, s=0):
    """A New York wall-clock time -> aware UTC datetime (ambiguous hour: the EDT reading)."""
    naive = dt.datetime(y, mo, d, h, mi, s)
    for off in (-4, -5):
        t = (naive - dt.timedelta(hours=off)).replace(tzinfo=UTC)
        if ny_offset_hours(t) == off:
            return t
    raise ValueError(f"nonexistent New York time {naive}")


def local_parts(t):
    off = ny_offset_hours(t)
    return t.replace(tzinfo=None) + dt.timedelta(hours=off), off


def fmt_shopify(t):
    if t is None:
        return ""
    loc, off = local_parts(t)
    return loc.strftime("%Y-%m-%d %H:%M:%S") + f" {'-' if off < 0 else '+'}{abs(off):02d}00"


def fmt_iso(t, utc=False):
    if utc:
        return t.strftime("%Y-%m-%dT%H:%M:%S") + "+00:00"
    loc, off = local_parts(t)
    return loc.strftime("%Y-%m-%dT%H:%M:%S") + f"{'-' if off < 0 else '+'}{abs(off):02d}:00"


def fmt_local_naive(t):
    return local_parts(t)[0].strftime("%Y-%m-%d %H:%M:%S")


def write_csv(path, header, rows, quote_all=False):
    """RFC 4180, LF line ends, minimal quoting (Python's csv would do the same; this is explicit)."""
    def q(v):
        v = "" if v is None else str(v)
        if quote_all or any(c in v for c in ',"\r\n'):
            return '"' + v.replace('"', '""') + '"'
        return v
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(q(h) for h in header) + "\n")
        for r in rows:
            f.write(",".join(q(v) for v in r) + "\n")


def write_php_csv(path, header, rows):
    """PHP fputcsv as WebToffee uses it: UTF-8 BOM, LF, quotes a field holding , " space tab CR LF."""
    def q(v):
        v = "" if v is None else str(v)
        if any(c in v for c in ',"\r\n\t \\'):
            return '"' + v.replace('"', '""') + '"'
        return v
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("\ufeff" + ",".join(q(h) for h in header) + "\n")
        for r in rows:
            f.write(",".join(q(v) for v in r) + "\n")


def formula_escape(v):
    """WebToffee's escape_data: a cell starting with = + - @ gets a leading apostrophe."""
    v = "" if v is None else str(v)
    return "'" + v if v[:1] in ("=", "+", "-", "@") else v


# ---------------------------------------------------------------------------------------------
# Master data.

# id, name, email, payout_method, payout_account, instagram, tiktok, youtube
CREATORS = [
    ("anna-bakes", "Anna Becker", "anna.bakes@example.com", "paypal", "anna.bakes@example.com", 48200, 12900, None),
    ("brew-bea", "Beatriz Souza", "bea.souza@example.org", "", "", 9400, 15200, None),
    ("chai-priya", "Priya Raman", "priya@example.com", "paypal", "payments.priya@example.com", 23800, None, None),
    ("cuppa-cam", "Cameron Blake", "cam@example.org", "bank", "", 156000, None, 88000),
    ("herbal-hugo", "Hugo Martin", "hugo.martin@example.com", "paypal", "hugo.martin@example.com", 890, None, None),
    ("kettle-kate", "Kate Doyle", "kate.doyle@example.org", "paypal", "katedoyle@example.org", 740, 310, None),
    ("leafy-lena", "Lena Fischer", "lena@example.org", "wise", "", None, 86400, None),
    ("matcha-mo", "Mo Tanaka", "mo@example.com", "wise", "", 640000, 2340000, 412000),
    ("oolong-omar", "Omar Haddad", "omar.haddad@example.com", "bank", "", 4100, None, 31000),
    ("slow-sips", "Jonas Berg", "jonas@example.org", "wise", "", 2100, None, None),
    ("steep-sam", "Sam Okafor", "sam@example.com", "bank", "", 95000, None, 412500),
    ("tea-with-tess", "Tess Nguyen", "tess@example.org", "paypal", "tess@example.org", 18300, 64000, None),
]


# The US tax form on file (docs/books.md): W-9 from the creators paid in the US, W-8BEN from those
# paid in Germany (a foreign person), none yet from three.
TAX_FORMS = {"anna-bakes": "w9", "chai-priya": "w9", "cuppa-cam": "w9", "kettle-kate": "w9", "oolong-omar": "w9",
             "steep-sam": "w9", "leafy-lena": "w8ben", "matcha-mo": "w8ben", "slow-sips": "w8ben"}


def tier_of(creator):
    top = max(f for f in creator[5:8] if f is not None)
    return "nano" if top < 1000 else "micro" if top < 100_000 else "macro" if top < 1_000_000 else "mega"


# code, creator, valid_from, valid_until
CODES = [
    ("ANNA15", "anna-bakes", "2026-07-01", ""),
    ("annabakes", "anna-bakes", "2026-07-01", ""),
    ("BEA10", "brew-bea", "2026-07-01", ""),
    ("PRIYA20", "chai-priya", "2026-07-01", ""),
    ("CAM15", "cuppa-cam", "2026-07-01", ""),
    ("COZYCUP", "herbal-hugo", "2026-07-01", ""),
    ("HUGO15", "herbal-hugo", "2026-07-01", ""),
    ("KATE10", "kettle-kate", "2026-07-15", ""),
    ("LENA10", "leafy-lena", "2026-07-01", ""),
    ("MATCHAMO", "matcha-mo", "2026-08-01", ""),
    ("MO10", "matcha-mo", "2026-08-01", ""),
    ("OMAR12", "oolong-omar", "2026-07-01", ""),
    ("SLOWSIPS", "slow-sips", "2026-07-01", "2026-10-01"),
    ("STEEPSAM", "steep-sam", "2026-07-10", ""),
    ("TESS10", "tea-with-tess", "2026-07-01", ""),
    ("COZYCUP", "tea-with-tess", "2026-09-16", ""),
    ("WELCOME10", "", "2026-01-01", ""),
    ("FALLSALE", "", "2026-09-01", ""),
]

CODE_PERCENT = {"ANNA15": 15, "ANNABAKES": 15, "BEA10": 10, "PRIYA20": 20, "CAM15": 15,
                "COZYCUP": 10, "HUGO15": 15, "KATE10": 10, "LENA10": 10, "MATCHAMO": 15,
                "MO10": 10, "OMAR12": 12, "SLOWSIPS": 10, "STEEPSAM": 10, "TESS10": 10,
                "WELCOME10": 10, "FALLSALE": 20, "SUMMER2025": 10, "AUTOMATIC DISCOUNTS": 10,
                "TEA4TWO": 10}

REFERRALS = [
    ("ref=anna", "anna-bakes", "2026-07-01", ""),
    ("utm_source=leafy_lena", "leafy-lena", "2026-07-01", ""),
    ("ref=steepsam", "steep-sam", "2026-07-10", ""),
    ("utm_source=matchamo", "matcha-mo", "2026-08-01", ""),
    ("ref=tess", "tea-with-tess", "2026-07-01", "2026-12-31"),
]

# creator, effective_from, commission, per_order, holdback_days, min_payout, then the plan columns of
# ledger rules section 8 (empty: carried over from the terms before)
TERMS_HEADER = ["creator", "effective_from", "commission", "per_order", "holdback_days", "min_payout",
                "new_customer_commission", "lifetime_months", "lifetime_commission", "tiers", "tiers_apply",
                "bonus_threshold", "bonus", "retainer"]
PLAN = dict.fromkeys(TERMS_HEADER[6:], "")
TERMS = [
    ("anna-bakes", "2026-07-01", "10%", "1.00", "30", "50.00"),
    ("brew-bea", "2026-07-01", "10%", "0.50", "14", "20.00"),
    ("chai-priya", "2026-07-01", "10%", "", "30", "50.00"),
    ("chai-priya", "2026-09-15", "15%", "", "", ""),
    ("herbal-hugo", "2026-07-01", "12%", "", "30", ""),
    ("kettle-kate", "2026-07-15", "15%", "", "30", "50.00"),
    # a monthly bonus: 50.00 for a month of at least 6 conversions
    ("leafy-lena", "2026-07-01", "12.5%", "", "14", "25.00", dict(bonus_threshold="6", bonus="50.00")),
    # volume tiers, marginal: conversions 1-8 of a month at 5%, 9-12 at 7.5%, 13 and on at 10%
    ("matcha-mo", "2026-08-01", "5%", "2.00", "30", "", dict(tiers="8:7.5%;12:10%", tiers_apply="marginal")),
    ("oolong-omar", "2026-07-01", "10%", "", "", ""),
    ("slow-sips", "2026-07-01", "8%", "", "14", ""),
    ("steep-sam", "2026-07-01", "7.75%", "", "30", "100.00"),
    # a monthly retainer from September on, the rest carried over
    ("steep-sam", "2026-09-01", "", "", "", "", dict(retainer="250.00")),
    # a new customer's first order at 15%; the customers she brought in, for 3 months, at 5% without a code
    ("tea-with-tess", "2026-07-01", "10%", "", "30", "25.00",
     dict(new_customer_commission="15%", lifetime_months="3", lifetime_commission="5%")),
]


def terms_rows():
    return [list(t[:6]) + list({**PLAN, **(t[6] if len(t) > 6 else {})}.values()) for t in TERMS]


# name, sku, price cents, compare-at cents
PRODUCTS = [
    ("Earl Grey Crème - 100g", "MM-EGC-100", 1400, None),
    ("Earl Grey Crème - 250g", "MM-EGC-250", 2900, None),
    ("Maple Chai - 100g", "MM-MCH-100", 1350, None),
    ("Sencha Kyoto - 50g", "MM-SEN-050", 1600, None),
    ("Ceremonial Matcha - 30g", "MM-MAT-030", 2800, 3200),
    ("Moss Garden Herbal - 100g", "MM-MGH-100", 1200, None),
    ("Rooibos Vanilla - 100g", "MM-RBV-100", 1150, None),
    ("Darjeeling First Flush - 50g", "MM-DFF-050", 1950, None),
    ("Milk Oolong - 50g", "MM-OOL-050", 1700, None),
    ("Hojicha - 100g", "MM-HOJ-100", 1500, None),
    ("Lapsang Souchong - 100g", "MM-LAP-100", 1450, None),
    ("Tea Sampler, 6 x 10g", "MM-SMP-006", 2200, None),
    ('Gift Box "Autumn Leaves"', "MM-GBX-AUT", 4800, None),
    ("Cast Iron Teapot, 0.8 L", "MM-TPT-080", 6400, 7200),
    ("Glass Infuser Mug - 350ml", "MM-MUG-350", 2400, None),
    ("Bamboo Whisk (Chasen)", "MM-CHS-001", 1800, None),
    ("Café au Lait Pu-erh - 100g", "MM-CPE-100", 1650, None),
    ("Honeybush Citrus - 100g ", "MM-HBC-100", 1250, None),   # trailing space, as in real exports
    ("Pumpkin Spice Rooibos - 100g", "MM-PSR-100", 1300, None),
]
PRODUCT = {p[0]: p for p in PRODUCTS}

# code, name, tax name prefix, rate ppm, [(zip, city)]
US_STATES = [
    ("MA", "Massachusetts", 62500, [("02139", "Cambridge"), ("02116", "Boston"), ("01002", "Amherst"), ("02460", "Newton")]),
    ("NY", "New York", 88750, [("10025", "New York"), ("11211", "Brooklyn"), ("14850", "Ithaca")]),
    ("VT", "Vermont", 60000, [("05401", "Burlington"), ("05602", "Montpelier")]),
    ("NH", "New Hampshire", 0, [("03101", "Manchester")]),
    ("ME", "Maine", 55000, [("04101", "Portland")]),
    ("CT", "Connecticut", 63500, [("06511", "New Haven")]),
    ("NJ", "New Jersey", 66250, [("07030", "Hoboken")]),
    ("PA", "Pennsylvania", 60000, [("19104", "Philadelphia")]),
    ("CA", "California", 72500, [("94110", "San Francisco"), ("90026", "Los Angeles")]),
    ("IL", "Illinois", 62500, [("60614", "Chicago")]),
    ("WA", "Washington", 65000, [("98103", "Seattle")]),
    ("OR", "Oregon", 0, [("97214", "Portland")]),
    ("CO", "Colorado", 29000, [("80205", "Denver")]),
]
CA_PROVINCES = [
    ("ON", "Ontario", [("HST 13%", 130000)], [("M5V 2T6", "Toronto"), ("K1P 5J2", "Ottawa")]),
    ("QC", "Quebec", [("GST 5%", 50000), ("QST 9.975%", 99750)], [("H2X 1Y4", "Montréal")]),
    ("BC", "British Columbia", [("GST 5%", 50000)], [("V6B 1A1", "Vancouver")]),
]

FIRST = ["Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "Lucas", "Mia", "Mateo",
         "Chloé", "Aiden", "Zoe", "Ethan", "Nora", "Caleb", "Ines", "Owen", "Maya", "Theo",
         "Grace", "Ravi", "Hana", "Felix", "June", "Diego", "Clara", "Yusuf", "Ada", "Jonah"]
LAST = ["Smith", "Garcia", "Nguyen", "O'Brien", "Kowalski", "Patel", "Johnson", "Müller", "Lee",
        "Rossi", "Cohen", "Silva", "Kim", "Dubois", "Brown", "Haddad", "Larsen", "Walsh", "Ito",
        "Moreau", "Adeyemi", "Novak", "Reyes", "Fraser"]
STREETS = ["Elm St", "Maple Ave", "Beacon St", "Mass Ave", "Oak Ln", "Prospect St", "Main St",
           "Harvard St", "Willow Rd", "Pine St", "Church St", "River Rd"]
COMPANIES = ["", "", "", "", "", "", "Moss, Leaf & Co.", "Northwind Studio", "Acme Corp."]

NOTES = [
    "Please leave at the back door, by the \"blue\" shed.\nThanks!",
    "Gift - please don't include the receipt, it's for my mom's birthday, thank you",
    "Can you add a little note: \"Happy retirement, Joan!\"",
    "Ring twice.\nIf no answer, leave with the neighbour at #4, Mrs. Park",
    "Saw this on Instagram, love the packaging, keep it up",
    "Deliver after 5 pm, please.\r\nBuzzer code 1234",
]


class Ctx:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.plan_rng = random.Random(seed * 1000 + 15)   # data added for the commission plans (issue 15)
        self.edges = []   # (tag, file(s), order ref, description)

    def edge(self, tag, where, ref, text):
        self.edges.append((tag, where, ref, text))


def make_customers(rng, n_us, n_ca):
    custs = []
    used = {}
    for i in range(n_us + n_ca):
        fn, ln = rng.choice(FIRST), rng.choice(LAST)
        key = (fn + "." + ln).lower().replace("'", "").replace("ü", "u").replace("é", "e")
        used[key] = used.get(key, 0) + 1
        email = f"{key}{'' if used[key] == 1 else used[key]}@example.{rng.choice(['com', 'org'])}"
        a1 = f"{rng.randint(1, 480)} {rng.choice(STREETS)}"
        a2 = rng.choice(["", "", "", f"Apt {rng.randint(1, 40)}", f"Unit {rng.randint(1, 9)}B"])
        if i < n_us:
            st = rng.choice(US_STATES)
            zp, city = rng.choice(st[3])
            region = dict(country="US", prov=st[0], prov_name=st[1], zip="'" + zp, city=city,
                          taxes=([(f"{st[0]} State Tax {st[2] / 10000:g}%", st[2])] if st[2] else []),
                          currency="USD", phone=f"+1{rng.randint(201, 989)}555{rng.randint(100, 199):04d}")
        else:
            pv = CA_PROVINCES[(i - n_us) % len(CA_PROVINCES)]
            zp, city = rng.choice(pv[3])
            region = dict(country="CA", prov=pv[0], prov_name=pv[1], zip=zp, city=city, taxes=pv[2],
                          currency="CAD", phone=f"+1{rng.choice([416, 514, 604])}555{rng.randint(100, 199):04d}")
        custs.append(dict(first=fn, last=ln, email=email, a1=a1, a2=a2,
                          company=rng.choice(COMPANIES), accepts=rng.choice(["yes", "no", "no"]),
                          **region))
    return custs


def pick_lines(rng, lo=1500, hi=20000, products=None):
    products = products or PRODUCTS[:-1]   # the seasonal item is picked explicitly
    while True:
        n = rng.choices([1, 2, 3, 4], [50, 30, 15, 5])[0]
        chosen = rng.sample(products, n)
        lines = [(p[0], rng.choices([1, 2, 3], [70, 22, 8])[0]) for p in chosen]
        items = sum(PRODUCT[name][2] * q for name, q in lines)
        if lo <= items <= hi:
            return lines


def items_total(lines):
    return sum(PRODUCT[name][2] * q for name, q in lines)


# ---------------------------------------------------------------------------------------------
# Shopify orders: build every order with its life (payment, fulfilment, refunds, cancellation),
# then write each export as a snapshot of those lives at the export's own time.

def shopify_order(ctx, created, cust, lines, codes="", *, discount=None, fate="paid", **kw):
    rng = ctx.rng
    items = items_total(lines)
    if discount is None:
        discount = 0
        for c in [c.strip() for c in codes.split(",") if c.strip()]:
            discount += pct_of(items, CODE_PERCENT.get(c.upper(), 0) * 10000)
            if c.upper() == "CUSTOM DISCOUNT":
                discount += 500
    subtotal = items - discount
    currency = cust["currency"] if cust else "USD"
    if kw.get("pickup"):
        ship, method = 0, "Local Pickup"
    elif currency == "CAD":
        ship, method = 1200, "Canada Post Expedited"
    elif subtotal >= 5000 or subtotal == 0:
        ship, method = 0, "Free Shipping"
    else:
        ship, method = 695, "Standard Shipping"
    tax_lines = [(n, pct_of(subtotal, r)) for n, r in (cust["taxes"] if cust else [("NY State Tax 8.875%", 88750)])]
    if subtotal == 0:
        tax_lines = []
    taxes = sum(v for _, v in tax_lines)
    o = dict(created=created, cust=cust, lines=lines, codes=codes, items=items, discount=discount,
             subtotal=subtotal, shipping=ship, method=method, tax_lines=tax_lines, taxes=taxes,
             total=subtotal + ship + taxes, currency=currency, fate=fate,
             email=kw.get("email", cust["email"] if cust else ""),
             payment=kw.get("payment", rng.choices(
                 ["Shopify Payments", "PayPal Express Checkout", "Gift Card + Shopify Payments", "Shop Pay Installments"],
                 [70, 20, 5, 5])[0]),
             source=kw.get("source", rng.choices(["web", "web", "web", "shopify_draft_order", "580111"], [60, 20, 10, 5, 5])[0]),
             notes=kw.get("notes", rng.choice(NOTES) if rng.random() < 0.08 else ""),
             note_attrs=kw.get("note_attrs", ""),
             tags=kw.get("tags", rng.choice(["", "", "", "", "repeat", "vip, repeat", "wholesale-lead"])),
             risk=kw.get("risk", rng.choices(["Low", "Medium", "High"], [92, 6, 2])[0]),
             location=kw.get("location", ""), employee=kw.get("employee", ""),
             paid_delay=kw.get("paid_delay", rng.randint(1, 25)),
             fulfil_delay=kw.get("fulfil_delay", dt.timedelta(hours=rng.randint(8, 70), minutes=rng.randint(0, 59))),
             events=kw.get("events", {}), tag=kw.get("tag"), outstanding_bias=kw.get("outstanding_bias", 0),
             pay_ref=f"c{rng.randint(10**13, 10**14 - 1)}.{1}")
    if kw.get("pickup"):
        o["fulfil_delay"] = dt.timedelta(minutes=2)
    return o


def default_events(rng, o):
    """Random background life for an order, decided once (so both exports agree on history)."""
    f = o["fate"]
    c = o["created"]
    ev = dict(o["events"])
    later = lambda lo, hi: c + dt.timedelta(days=rng.randint(lo, hi), hours=rng.randint(0, 23), minutes=rng.randint(0, 59))
    if f in ("refund", "partial_refund", "cancel_refund") and "refund_at" not in ev:
        ev["refund_at"] = later(2, 25)
    if f == "partial_refund" and "refund_amount" not in ev:
        ev["refund_amount"] = min(o["total"] - 100, max(300, pct_of(o["total"], rng.choice([200000, 250000, 500000]))))
    if f in ("void", "expired") and "cancel_at" not in ev:
        ev["cancel_at"] = c + dt.timedelta(hours=rng.randint(1, 30)) if f == "void" else later(7, 8)
    if f == "pending_then_paid" and "paid_at" not in ev:
        ev["paid_at"] = later(1, 6)
    o["events"] = ev


def shopify_snapshot(o, at):
    """Order-level state as an export taken at `at` shows it."""
    ev, f, c = o["events"], o["fate"], o["created"]
    paid_at = c + dt.timedelta(seconds=o["paid_delay"])
    refunded, cancelled_at, outstanding = 0, None, 0
    status = "paid"
    if f in ("paid", "refund", "partial_refund", "cancel_refund", "cancelled_paid"):
        if f in ("refund", "partial_refund", "cancel_refund") and ev["refund_at"] <= at:
            refunded = o["total"] if f != "partial_refund" else ev["refund_amount"]
            status = "refunded" if refunded >= o["total"] else "partially_refunded"
            if f == "cancel_refund":
                cancelled_at = ev["refund_at"]
        if f == "cancelled_paid" and ev["cancel_at"] <= at:
            cancelled_at = ev["cancel_at"]
    elif f == "pending":
        status, paid_at, outstanding = "pending", None, o["total"]
    elif f == "pending_then_paid":
        if ev["paid_at"] <= at:
            paid_at = ev["paid_at"]
        else:
            status, paid_at, outstanding = "pending", None, o["total"]
    elif f == "authorized":
        status, paid_at, outstanding = "authorized", None, o["total"]
    elif f == "void":
        status, paid_at, outstanding = "authorized", None, o["total"]
        if ev["cancel_at"] <= at:
            status, cancelled_at, outstanding = "voided", ev["cancel_at"], 0
    elif f == "expired":
        status, paid_at, outstanding = "pending", None, o["total"]
        if ev["cancel_at"] <= at:
            status, cancelled_at, outstanding = "expired", ev["cancel_at"], 0
    elif f == "partially_paid":
        status, outstanding = "partially_paid", o["total"] - ev["paid_amount"]
    elif f == "refund_short":   # partly paid, then what was paid was refunded: refunded < total
        status, outstanding = "partially_paid", o["total"] - ev["paid_amount"]
        if ev["refund_at"] <= at:
            status, refunded = "refunded", ev["paid_amount"]
    else:
        raise ValueError(f)
    outstanding += o["outstanding_bias"]
    fulfilled_at = c + o["fulfil_delay"]
    if f == "pending_then_paid":
        fulfilled_at = ev["paid_at"] + o["fulfil_delay"]
    shipped = status in ("paid", "partially_refunded", "refunded", "partially_paid") and fulfilled_at <= at
    if cancelled_at is not None and cancelled_at <= fulfilled_at:
        shipped = False
    if f == "expired" and cancelled_at is not None:
        ful = "restocked"
    elif shipped:
        ful = "fulfilled"
    else:
        ful, fulfilled_at = "unfulfilled", None
    if not shipped:
        fulfilled_at = None
    return dict(status=status, paid_at=paid_at, refunded=refunded, cancelled_at=cancelled_at,
                outstanding=outstanding, fulfillment=ful, fulfilled_at=fulfilled_at,
                line_status="fulfilled" if ful == "fulfilled" else ("restocked" if ful == "restocked" else "pending"))


def shopify_rows(o, snap):
    cust = o["cust"]
    rows = []
    created = fmt_shopify(o["created"])
    for i, (name, qty) in enumerate(o["lines"]):
        p = PRODUCT[name]
        li = [str(qty), name, money(p[2]), money(p[3]) if p[3] else "", p[1], "true", "true", snap["line_status"]]
        r = dict.fromkeys(SHOPIFY_HEADER, "")
        r["Name"], r["Email"], r["Created at"] = o["name"], o["email"], created
        for k, v in zip(SHOPIFY_HEADER[16:24], li):
            r[k] = v
        r["Vendor"], r["Lineitem discount"] = VENDOR, "0.00"
        if i == 0:
            r.update({
                "Financial Status": snap["status"], "Paid at": fmt_shopify(snap["paid_at"]),
                "Fulfillment Status": snap["fulfillment"], "Fulfilled at": fmt_shopify(snap["fulfilled_at"]),
                "Accepts Marketing": cust["accepts"] if cust else "no", "Currency": o["currency"],
                "Subtotal": money(o["subtotal"]), "Shipping": money(o["shipping"]), "Taxes": money(o["taxes"]),
                "Total": money(o["total"]), "Discount Code": o["codes"], "Discount Amount": money(o["discount"]),
                "Shipping Method": o["method"], "Notes": o["notes"], "Note Attributes": o["note_attrs"],
                "Cancelled at": fmt_shopify(snap["cancelled_at"]), "Payment Method": o["payment"],
                "Payment Reference": o["pay_ref"], "Refunded Amount": money(snap["refunded"]),
                "Outstanding Balance": money(snap["outstanding"]), "Employee": o["employee"],
                "Location": o["location"], "Id": str(o["id"]), "Tags": o["tags"], "Risk Level": o["risk"],
                "Source": o["source"], "Payment ID": o["pay_ref"], "Payment References": o["pay_ref"],
            })
            if cust:
                street = cust["a1"] + (", " + cust["a2"] if cust["a2"] else "")
                full = cust["first"] + " " + cust["last"]
                for side in ("Billing", "Shipping"):
                    r.update({f"{side} Name": full, f"{side} Street": street, f"{side} Address1": cust["a1"],
                              f"{side} Address2": cust["a2"], f"{side} Company": cust["company"],
                              f"{side} City": cust["city"], f"{side} Zip": cust["zip"],
                              f"{side} Province": cust["prov"], f"{side} Country": cust["country"],
                              f"{side} Phone": cust["phone"], f"{side} Province Name": cust["prov_name"]})
            for k, (tn, tv) in enumerate(o["tax_lines"], 1):
                r[f"Tax {k} Name"], r[f"Tax {k} Value"] = tn, money(tv)
        rows.append([r[h] for h in SHOPIFY_HEADER])
    return rows


def build_shopify(ctx, custs, us, ca):
    rng = ctx.rng
    orders = []
    creator_codes = [("ANNA15", 14), ("annabakes", 4), ("BEA10", 5), ("PRIYA20", 7), ("CAM15", 6),
                     ("COZYCUP", 4), ("HUGO15", 3), ("KATE10", 2), ("LENA10", 10), ("MATCHAMO", 12),
                     ("MO10", 6), ("OMAR12", 4), ("SLOWSIPS", 3), ("STEEPSAM", 8), ("TESS10", 7)]
    code_from = {}
    for code, creator, valid_from, _until in CODES:
        if creator:
            code_from.setdefault(code, valid_from)

    # Background: ~2.1 orders a day, Jul 1 .. Oct 31, New York wall clock.
    day = dt.date(2026, 7, 1)
    while day <= dt.date(2026, 10, 31):
        for _ in range(rng.choices([0, 1, 2, 3, 4, 5], [8, 25, 30, 22, 10, 5])[0]):
            h = rng.choices(range(24), [1, 1, 0, 0, 0, 0, 1, 2, 3, 4, 5, 5, 6, 6, 5, 5, 5, 6, 7, 8, 8, 6, 4, 2])[0]
            created = ny(day.year, day.month, day.day, h, rng.randint(0, 59), rng.randint(0, 59))
            cust = rng.choice(us) if rng.random() > 0.03 else rng.choice(ca)
            codes = ""
            r = rng.random()
            if r < 0.32:
                valid = [(c, w) for c, w in creator_codes if code_from[c] <= day.isoformat()
                         and not (c == "SLOWSIPS" and day >= dt.date(2026, 10, 1))]
                c = rng.choices([c for c, _ in valid], [w for _, w in valid])[0]
                v = rng.random()
                codes = c if v < 0.85 else (c.lower() if v < 0.93 else c.title())
            elif r < 0.38:
                codes = "WELCOME10"
            elif r < 0.46 and day >= dt.date(2026, 9, 1):
                codes = "FALLSALE"
            fate = rng.choices(["paid", "partial_refund", "refund", "cancel_refund", "pending", "void",
                                "authorized", "expired"], [84, 4, 4, 1.5, 2, 2.5, 1, 1])[0]
            o = shopify_order(ctx, created, cust, pick_lines(rng), codes, fate=fate)
            orders.append(o)
        day += dt.timedelta(days=1)

    # Scripted edge cases. Each carries a tag; Names and Ids are given after sorting.
    A = lambda **kw: kw
    anna_cust = dict(rng.choice(us), email="anna.bakes@example.com", first="Anna", last="Becker")
    S = [
        A(tag="test-order-with-code", t=ny(2026, 7, 2, 10, 4, 11), codes="ANNA15", payment="(for testing) Bogus Gateway",
          email="staff.test@example.com", source="shopify_draft_order", tags="test"),
        A(tag="test-order-refunded", t=ny(2026, 7, 2, 10, 9, 40), payment="(for testing) Bogus Gateway",
          email="staff.test@example.com", fate="refund", events={"refund_at": ny(2026, 7, 2, 10, 15)}),
        A(tag="unknown-code-SUMMER2025-1", t=ny(2026, 7, 3, 19, 22, 5), codes="SUMMER2025"),
        A(tag="code-before-valid-from STEEPSAM (valid from 07-10)", t=ny(2026, 7, 8, 21, 3, 44), codes="STEEPSAM"),
        A(tag="code-lowercase anna15", t=ny(2026, 7, 9, 12, 30, 2), codes="anna15"),
        A(tag="KATE10 before valid_from 07-15 (unattributed)", t=ny(2026, 7, 14, 23, 59, 30), codes="KATE10"),
        A(tag="KATE10 on first valid day", t=ny(2026, 7, 15, 0, 0, 45), codes="KATE10"),
        A(tag="custom-discount label (fixed 5.00)", t=ny(2026, 7, 15, 14, 12, 9), codes="Custom discount"),
        A(tag="CAD order, Ontario HST", t=ny(2026, 7, 18, 16, 45, 0), cust="ca:ON"),
        A(tag="expired (Paid at empty, Cancelled at set, restocked)", t=ny(2026, 7, 19, 20, 20, 20), codes="HUGO15",
          fate="expired", events={"cancel_at": ny(2026, 7, 26, 20, 21, 0)}),
        A(tag="authorized, still authorized in the last export", t=ny(2026, 10, 25, 16, 0, 0), codes="BEA10", fate="authorized"),
        A(tag="pending, still pending in the last export", t=ny(2026, 10, 28, 11, 30, 0), codes="ANNA15", fate="pending"),
        A(tag="self-referral (customer e-mail = anna-bakes e-mail) with ANNA15", t=ny(2026, 7, 21, 9, 15, 27),
          codes="ANNA15", cust=anna_cust),
        A(tag="code-titlecase Anna15", t=ny(2026, 7, 24, 20, 1, 13), codes="Anna15"),
        A(tag="cancelled but still paid (Cancelled at set, status paid)", t=ny(2026, 7, 26, 11, 11, 11), codes="LENA10",
          fate="cancelled_paid", events={"cancel_at": ny(2026, 7, 26, 15, 0, 3)}),
        A(tag="unknown-code-SUMMER2025-2 (in both exports)", t=ny(2026, 8, 20, 8, 5, 50), codes="SUMMER2025"),
        A(tag="zero-total order: 100% Custom discount, no e-mail, draft order", t=ny(2026, 7, 30, 15, 30, 0),
          codes="Custom discount", discount="all", email="", source="shopify_draft_order", tags="seeding",
          notes="Seeding box for @kettle_kate, 100% off, do not invoice"),
        A(tag="code-padded ' ANNA15 '", t=ny(2026, 8, 5, 18, 48, 31), codes=" ANNA15 "),
        A(tag="partially_paid (Outstanding Balance > 0)", t=ny(2026, 8, 7, 13, 20, 0), codes="OMAR12",
          fate="partially_paid", events={"paid_amount": 2000}),
        A(tag="automatic-discount label AUTOMATIC DISCOUNTS", t=ny(2026, 8, 12, 10, 10, 10), codes="AUTOMATIC DISCOUNTS"),
        A(tag="POS order: no e-mail, Location + Employee set", t=ny(2026, 8, 8, 11, 0, 5), email="", source="pos",
          location="Maple & Moss Shop, Portland", employee="Ruth Ames", pickup=True, payment="Cash"),
        A(tag="Note Attributes carry utm_source=leafy_lena but no code (Shopify CSV has no referral column)",
          t=ny(2026, 8, 10, 17, 2, 2), note_attrs="utm_source: leafy_lena\nutm_medium: tiktok\nutm_campaign: back-to-school"),
        A(tag="notes with CRLF, comma and doubled quotes", t=ny(2026, 8, 13, 7, 45, 0), codes="MO10",
          notes="Deliver after 5 pm, please.\r\nBuzzer code \"1234\", then up the stairs"),
        # overlap window 08-15..08-31: in both exports; the later export shows a change
        A(tag="OVERLAP change: paid -> partially_refunded (annabakes)", t=ny(2026, 8, 18, 12, 0, 30), codes="annabakes",
          fate="partial_refund", events={"refund_at": ny(2026, 9, 3, 10, 0), "refund_amount": 1250}),
        A(tag="OVERLAP change: paid -> refunded (LENA10)", t=ny(2026, 8, 21, 19, 37, 15), codes="LENA10",
          fate="refund", events={"refund_at": ny(2026, 9, 8, 16, 20)}),
        A(tag="CAD order in overlap, Quebec GST+QST, LENA10, Outstanding Balance -0.01",
          t=ny(2026, 8, 22, 21, 14, 0), cust="ca:QC", codes="LENA10", outstanding_bias=-1),
        A(tag="OVERLAP change: paid -> cancelled + refunded (PRIYA20)", t=ny(2026, 8, 27, 9, 58, 1), codes="PRIYA20",
          fate="cancel_refund", events={"refund_at": ny(2026, 9, 2, 11, 30)}),
        A(tag="OVERLAP change: authorized -> voided + cancelled (BEA10)", t=ny(2026, 8, 29, 22, 10, 0), codes="BEA10",
          fate="void", events={"cancel_at": ny(2026, 9, 4, 9, 0)}),
        A(tag="OVERLAP change: pending -> paid (OMAR12)", t=ny(2026, 8, 30, 15, 45, 20), codes="OMAR12",
          fate="pending_then_paid", events={"paid_at": ny(2026, 9, 5, 12, 0)}),
        A(tag="OVERLAP no ledger change: unfulfilled -> fulfilled only (TESS10)", t=ny(2026, 8, 31, 22, 50, 0), codes="TESS10",
          fulfil_delay=dt.timedelta(days=2)),
        # second export only
        A(tag="test order voided with unknown code SUMMER2025 (must not appear in codes unknown)",
          t=ny(2026, 9, 2, 8, 0, 0), codes="summer2025", payment="(for testing) Bogus Gateway",
          email="staff.test@example.com", fate="void", events={"cancel_at": ny(2026, 9, 2, 8, 5)}),
        A(tag="COZYCUP before move (herbal-hugo)", t=ny(2026, 9, 10, 13, 0, 0), codes="COZYCUP"),
        A(tag="two codes 'FALLSALE, ANNA15' (house first -> anna-bakes)", t=ny(2026, 9, 12, 14, 3, 0), codes="FALLSALE, ANNA15"),
        A(tag="chai-priya at 10% (before terms change 09-15)", t=ny(2026, 9, 14, 18, 0, 0), codes="PRIYA20"),
        A(tag="COZYCUP 23:50 the evening before the move (herbal-hugo)", t=ny(2026, 9, 15, 23, 50, 0), codes="cozycup"),
        A(tag="COZYCUP 00:30 on the move day (tea-with-tess)", t=ny(2026, 9, 16, 0, 30, 0), codes="COZYCUP"),
        A(tag="chai-priya at 15% (after terms change)", t=ny(2026, 9, 16, 10, 20, 0), codes="priya20"),
        A(tag="unknown-code-SUMMER2025-3", t=ny(2026, 9, 20, 16, 16, 16), codes="SUMMER2025"),
        A(tag="COZYCUP after move (tea-with-tess)", t=ny(2026, 9, 20, 9, 5, 0), codes="COZYCUP"),
        A(tag="refunded with Refunded Amount < Total (Outstanding Balance > 0)", t=ny(2026, 9, 22, 12, 12, 0),
          codes="MATCHAMO", fate="refund_short", events={"paid_amount": 3000, "refund_at": ny(2026, 9, 29, 10, 0)}),
        A(tag="SLOWSIPS last evening of validity (slow-sips)", t=ny(2026, 9, 30, 23, 30, 0), codes="SLOWSIPS"),
        A(tag="SLOWSIPS after valid_until 2026-10-01 (unattributed, not unknown)", t=ny(2026, 10, 1, 0, 10, 0), codes="SLOWSIPS"),
        A(tag="two codes 'WELCOME10, cozycup' (house first -> tea-with-tess)", t=ny(2026, 10, 2, 11, 0, 0), codes="WELCOME10, cozycup"),
        A(tag="cuppa-cam order (creator without terms: commission 0)", t=ny(2026, 10, 5, 19, 0, 0), codes="CAM15"),
        A(tag="CAD order, British Columbia GST, matchamo", t=ny(2026, 10, 10, 10, 10, 0), cust="ca:BC", codes="matchamo"),
        A(tag="seasonal line item + Gift Card + Shopify Payments", t=ny(2026, 10, 14, 20, 0, 0), codes="STEEPSAM",
          lines=[("Pumpkin Spice Rooibos - 100g", 2), ('Gift Box "Autumn Leaves"', 1)], payment="Gift Card + Shopify Payments"),
        A(tag="pending -> paid at 2026-11-01 01:30 -0500 (repeated DST hour), first seen paid", t=ny(2026, 10, 30, 22, 0, 0),
          codes="LENA10", fate="pending_then_paid", events={"paid_at": dt.datetime(2026, 11, 1, 6, 30, 12, tzinfo=UTC)}),
        A(tag="last order; Fulfilled at 2026-11-02 -0500 (after DST end)", t=ny(2026, 10, 31, 21, 15, 0), codes="TESS10",
          fulfil_delay=dt.timedelta(hours=35, minutes=5)),
    ]
    ca_by_prov = {c["prov"]: c for c in reversed(ca)}
    for s in S:
        cust = s.get("cust")
        if cust is None:
            cust = rng.choice(us)
        elif isinstance(cust, str):
            cust = ca_by_prov[cust[3:]]
        lines = s.get("lines") or pick_lines(rng, 3000, 12000)
        kw = {k: v for k, v in s.items() if k not in ("t", "cust", "lines", "codes", "discount", "fate")}
        if "email" not in kw:
            kw["email"] = cust["email"]
        disc = items_total(lines) if s.get("discount") == "all" else None
        o = shopify_order(ctx, s["t"], cust, lines, s.get("codes", ""), discount=disc, fate=s.get("fate", "paid"), **kw)
        if s.get("discount") == "all":
            o["shipping"], o["method"], o["total"] = 0, "Free Shipping", 0
        if o["email"] == "" and o["source"] == "pos":
            o["cust"] = None
            o["tax_lines"] = [("ME State Tax 5.5%", pct_of(o["subtotal"], 55000))]
            o["taxes"] = o["tax_lines"][0][1]
            o["total"] = o["subtotal"] + o["shipping"] + o["taxes"]
        orders.append(o)

    orders.sort(key=lambda o: o["created"])
    next_id = 7203114563584
    for i, o in enumerate(orders):
        o["name"] = f"#{1001 + i}"
        next_id += rng.randint(3_000_000, 90_000_000)
        o["id"] = next_id
        default_events(rng, o)
    return orders


def export_shopify(ctx, orders, out):
    files = [
        ("shopify/orders_export_2026-07-01_2026-08-31.csv", ny(2026, 7, 1), ny(2026, 9, 1), ny(2026, 9, 1, 8, 30)),
        ("shopify/orders_export_2026-08-15_2026-10-31.csv", ny(2026, 8, 15), ny(2026, 11, 1), ny(2026, 11, 2, 9, 40)),
    ]
    for path, lo, hi, at in files:
        rows = []
        for o in sorted((o for o in orders if lo <= o["created"] < hi), key=lambda o: o["created"], reverse=True):
            rows.extend(shopify_rows(o, shopify_snapshot(o, at)))
        write_csv(os.path.join(out, path), SHOPIFY_HEADER, rows)
    for o in orders:
        if o["tag"]:
            where = ("both" if ny(2026, 8, 15) <= o["created"] < ny(2026, 9, 1)
                     else "export 1" if o["created"] < ny(2026, 8, 15) else "export 2")
            ctx.edge(o["tag"], "shopify " + where, f"{o['name']} Id {o['id']}", "")


# ---------------------------------------------------------------------------------------------
# WooCommerce (WebToffee) export of the second shop.

WOO_PRODUCT_IDS = {p[0]: 200 + 7 * i for i, p in enumerate(PRODUCTS)}


def woo_order(rng, us, t, status, coupons, special, refund_at=None):
    """One WooCommerce order; `special` decides its refunds (a "late refund" in full at `refund_at`)."""
    cust = rng.choice(us)
    while cust["country"] != "US":
        cust = rng.choice(us)
    lines = pick_lines(rng, 1800, 16000)
    sub = items_total(lines)
    # coupon amounts, each on the line subtotal (WooCommerce applies them sequentially off the same base)
    camt = [pct_of(sub, CODE_PERCENT.get(c.upper(), 10) * 10000) for c in coupons]
    disc = sum(camt)
    # distribute discount over lines (largest remainder), then tax per line
    line_rows = []
    left = disc
    for j, (name, q) in enumerate(lines):
        ls = PRODUCT[name][2] * q
        ld = left if j == len(lines) - 1 else (disc * ls) // sub
        left -= ld
        line_rows.append((name, q, ls, ls - ld))
    rate = next(s[2] for s in US_STATES if s[0] == cust["prov"])
    line_tax = [pct_of(lt, rate) for *_, lt in line_rows]
    tax = sum(line_tax)
    ship = 0 if sub - disc >= 6000 else 595
    fee = -500 if special == "negative fee" else 0
    total = sub - disc + ship + fee + tax
    refunds = []
    if special == "full refund":
        refunds = [(total, "Customer changed mind", t + dt.timedelta(days=rng.randint(3, 9), hours=2))]
    if special == "partial refund":
        refunds = [(1250, "Damaged in transit, tin dented", t + dt.timedelta(days=rng.randint(3, 9), hours=5))]
    if special == "late refund":
        refunds = [(total, "Returned unopened (60-day guarantee)", refund_at)]
    paid = status in ("completed", "processing", "refunded")
    if rng.random() < 0.5 or special == "self-referral lena":
        customer_email = ""
    else:
        customer_email = cust["email"]
    billing_email = "lena@example.org" if special == "self-referral lena" else cust["email"]
    utm = {"utm referral leafy_lena": "leafy_lena", "utm referral matchamo": "matchamo"}.get(special, "")
    pm = ("bacs", "Direct bank transfer") if status == "on-hold" else rng.choice(
        [("stripe", "Credit Card (Stripe)"), ("ppcp-gateway", "PayPal")])
    return dict(id=None, t=t, status=status, coupons=list(zip(coupons, camt)), lines=line_rows,
                line_tax=line_tax, tax=tax, rate=rate, ship=ship, fee=fee, total=total, sub=sub, disc=disc,
                refunds=refunds, paid=paid, cust=cust, customer_email=customer_email,
                billing_email=billing_email, utm=utm, pm=pm, special=special,
                key="wc_order_" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
                                          for _ in range(13)),
                ip=f"203.0.113.{rng.randint(2, 254)}", cid=rng.choice([0, 0, rng.randint(2, 400)]))


def build_woo(ctx, us):
    rng = ctx.rng
    plans = [  # (status, coupons, special)
        ("completed", ["anna15"], None), ("completed", [], None), ("completed", ["lena10"], None),
        ("completed", ["welcome10"], None), ("processing", [], None), ("completed", ["matchamo"], None),
        ("completed", ["priya20"], None), ("refunded", ["anna15"], "full refund"),
        ("completed", ["tess10"], "partial refund"), ("cancelled", ["steepsam"], None),
        ("on-hold", ["omar12"], "bank transfer"), ("pending", [], None), ("failed", ["anna15"], None),
        ("completed", ["fallsale", "anna15"], "two coupons"), ("completed", ["summer2025"], "unknown coupon"),
        ("completed", ["lena10"], "self-referral lena"), ("completed", [], "negative fee"),
        ("completed", [], "utm referral leafy_lena"), ("completed", ["tea4two"], "unknown coupon 2"),
        ("completed", ["cam15"], None), ("completed", ["mo10"], None), ("completed", ["cozycup"], "after move"),
        ("processing", ["bea10"], None), ("completed", ["kate10"], None), ("completed", [], "utm referral matchamo"),
        ("refunded", ["lena10"], "full refund"), ("completed", ["anna15"], "partial refund"),
        ("completed", ["hugo15"], None), ("completed", [], None), ("completed", ["welcome10"], None),
        ("completed", ["slowsips"], "before valid_until"), ("completed", ["slowsips"], "after valid_until"),
        ("processing", ["priya20"], None), ("on-hold", [], None), ("completed", ["steepsam"], None),
        ("completed", ["fallsale"], None), ("cancelled", [], None), ("completed", ["matchamo"], None),
        ("processing", ["annabakes"], None), ("completed", ["tess10"], None),
    ]
    # creation instants, spread over Sep 1 .. Oct 31 (slowsips pair pinned around Oct 1)
    times = []
    for _ in plans:
        day = dt.date(2026, 9, 1) + dt.timedelta(days=rng.randint(0, 60))
        times.append(ny(day.year, day.month, day.day, rng.randint(7, 23), rng.randint(0, 59), rng.randint(0, 59)))
    times.sort()
    order_id = 5183
    orders = []
    for i, (status, coupons, special) in enumerate(plans):
        t = times[i]
        if special == "before valid_until":
            t = ny(2026, 9, 28, 10, 0, 0)
        if special == "after valid_until":
            t = ny(2026, 10, 3, 10, 0, 0)
        if special == "after move":
            t = ny(2026, 9, 28, 12, 34, 51)
        orders.append(woo_order(rng, us, t, status, coupons, special))
    # order ids follow creation order, with gaps (refunds and drafts use ids too)
    for o in sorted(orders, key=lambda o: o["t"]):
        o["id"] = order_id
        order_id += rng.randint(1, 4)
    # An August order with leafy-lena's code, returned in full in October: it counted for her August
    # bonus (paid in September's close) and the refund claws the bonus back in October's close. Its
    # own random stream, so that the orders above keep their bytes.
    late = woo_order(ctx.plan_rng, us, ny(2026, 8, 24, 14, 5, 31), "refunded", ["lena10"], "late refund",
                     refund_at=ny(2026, 10, 6, 11, 20, 4))
    late["id"] = 5171
    return orders + [late]


def export_woo(ctx, orders, out):
    max_lines = max(len(o["lines"]) for o in orders)
    header = WOO_BASE_HEADER + [f"line_item_{i}" for i in range(1, max_lines + 1)]
    rows = []
    for o in sorted(orders, key=lambda o: o["id"], reverse=True):   # WebToffee: ORDER BY ID DESC
        c = o["cust"]
        t = o["t"]
        paid_date = fmt_iso(t + dt.timedelta(seconds=7)) if o["paid"] else ""
        tax_name = f"{c['prov']} Sales Tax"
        tax_items = (f"rate_id:{3 + US_STATES.index(next(s for s in US_STATES if s[0] == c['prov']))}|code:US-{c['prov']}-"
                     f"{tax_name.upper()}-1|total:{money(o['tax'])}|label:{tax_name}|tax_rate_compound:|"
                     f"rate_percent:{o['rate'] / 10000:g}") if o["tax"] else ""
        items_str = ", ".join(f"{n.strip()} &times; {q}" for n, q, _, _ in o["lines"])
        method = "flat_rate" if o["ship"] else "free_shipping"
        shipping_items = f'items:{items_str}|method_id:{method}|taxes:a:1:{{s:5:"total";a:0:{{}}}}'
        fee_items = f"name:Loyalty credit|total:{money(o['fee'])}|tax:0.00|tax_data:[]" if o["fee"] else ""
        coupon_items = ";".join(f"code:{cc}|amount:{money(a)}" for cc, a in o["coupons"])
        refund_items = ";".join(f"amount:{money(a)}|reason:{r}|date:{fmt_local_naive(d)}" for a, r, d in o["refunds"])
        notes = ["Order status changed from Pending payment to Processing."] if o["paid"] else []
        if o["status"] == "completed":
            notes.append("Order status changed from Processing to Completed.")
        if o["refunds"]:
            notes.append(f"Refunded {money(o['refunds'][0][0])} – {o['refunds'][0][1]}")
        li = []
        for (n, q, ls, lt), tx in zip(o["lines"], o["line_tax"]):
            s = f"name:{n}|product_id:{WOO_PRODUCT_IDS[n]}|sku:{PRODUCT[n][1]}|quantity:{q}|total:{money(lt)}|sub_total:{money(ls)}"
            if tx:
                s += f'|tax:{money(tx)}|tax_data:{{"total":{{"3":"{money(tx)}"}},"subtotal":{{"3":"{money(tx)}"}}}}'
            li.append(s)
        li += [""] * (max_lines - len(li))
        utm = o["utm"]
        r = {
            "order_id": o["id"], "order_number": o["id"], "order_date": fmt_local_naive(t), "paid_date": paid_date,
            "status": o["status"], "shipping_total": money(o["ship"]) if o["ship"] else "0", "shipping_tax_total": "0.00",
            "fee_total": money(o["fee"]), "fee_tax_total": "0.00", "tax_total": money(o["tax"]),
            "cart_discount": money(o["disc"]), "order_discount": money(o["disc"]), "discount_total": money(o["disc"]),
            "order_total": money(o["total"]), "order_subtotal": money(o["sub"]), "order_key": o["key"],
            "order_currency": "USD", "payment_method": o["pm"][0], "payment_method_title": o["pm"][1],
            "transaction_id": f"ch_3P{o['key'][9:21]}" if o["paid"] and o["pm"][0] == "stripe" else "",
            "customer_ip_address": o["ip"],
            "customer_user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1",
            "shipping_method": "Flat rate" if o["ship"] else "Free shipping", "customer_id": o["cid"],
            "customer_user": o["cid"], "customer_email": o["customer_email"] if o["cid"] else "",
            "billing_first_name": c["first"], "billing_last_name": c["last"], "billing_company": c["company"],
            "billing_email": o["billing_email"], "billing_phone": c["phone"][:2] + " " + c["phone"][2:5] + "-" + c["phone"][5:8] + "-" + c["phone"][8:],
            "billing_address_1": c["a1"], "billing_address_2": c["a2"], "billing_postcode": c["zip"][1:],
            "billing_city": c["city"], "billing_state": c["prov"], "billing_country": "US",
            "shipping_first_name": c["first"], "shipping_last_name": c["last"], "shipping_company": c["company"],
            "shipping_phone": "", "shipping_address_1": c["a1"], "shipping_address_2": c["a2"],
            "shipping_postcode": c["zip"][1:], "shipping_city": c["city"], "shipping_state": c["prov"],
            "shipping_country": "US",
            "customer_note": "Is the matcha tin resealable? Thanks, love your shop" if o["id"] % 7 == 0 else "",
            "wt_import_key": o["id"], "tax_items": tax_items, "shipping_items": shipping_items,
            "fee_items": fee_items, "coupon_items": coupon_items, "refund_items": refund_items,
            "order_notes": "||".join(notes), "download_permissions": 1 if o["paid"] else 0,
            "meta:_wc_order_attribution_device_type": "Mobile",
            "meta:_wc_order_attribution_referrer": "https://www.tiktok.com/" if utm else "",
            "meta:_wc_order_attribution_session_count": 1 + o["id"] % 3,
            "meta:_wc_order_attribution_session_entry": f"https://shop.mapleandmoss.example.com/?utm_source={utm}&utm_medium=social" if utm else "https://shop.mapleandmoss.example.com/",
            "meta:_wc_order_attribution_session_pages": 2 + o["id"] % 5,
            "meta:_wc_order_attribution_session_start_time": fmt_local_naive(t - dt.timedelta(minutes=9)),
            "meta:_wc_order_attribution_source_type": "utm" if utm else "typein",
            "meta:_wc_order_attribution_user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X)",
            "meta:_wc_order_attribution_utm_source": utm if utm else "(direct)",
        }
        row = [formula_escape(r[h]) for h in WOO_BASE_HEADER] + li
        rows.append(row)
        if o["special"] not in (None, "bank transfer"):
            ctx.edge(f"woo {o['special']} ({o['status']}, coupons {coupon_items or 'none'})", "woocommerce",
                     f"order_id {o['id']}", "")
    write_php_csv(os.path.join(out, "woocommerce/orders_export_woo.csv"), header, rows)


# ---------------------------------------------------------------------------------------------
# Canonical orders CSV: pop-up market stall (POP-...) and TikTok Shop (18-digit ids, UTC times).

def build_canonical(ctx, out):
    rng = ctx.rng
    rows = []
    # (id, created, currency, items, codes, referral, email, status, refunded, cancelled, test, tag, shipping, taxrate)
    spec = []
    pop_day = [ny(2026, 9, 12, 10), ny(2026, 9, 26, 10), ny(2026, 10, 10, 10), ny(2026, 10, 24, 10)]
    n = 0

    def add(t, tag=None, utc=False, currency="USD", codes="", referral="", email=None, status="paid",
            refunded=None, cancelled=None, test="false", items=None, tiktok=False):
        nonlocal n
        n += 1
        if tiktok:
            oid = str(576461413038592179 + n * 1_000_003 * 7919)
        else:
            oid = f"POP-{t.astimezone(UTC).strftime('%m%d')}-{n:02d}"
        items = items or rng.randint(15, 120) * 100 + rng.choice([0, 50])
        disc = sum(pct_of(items, CODE_PERCENT.get(c.strip().upper(), 0) * 10000) for c in codes.split(",") if c.strip())
        sub = items - disc
        ship = 499 if tiktok and sub < 3500 else 0
        taxes = pct_of(sub, 88750 if not tiktok else 60000) if currency == "USD" else pct_of(sub, 130000 if currency == "CAD" else 0)
        total = sub + ship + taxes
        if email is None:
            email = f"{rng.choice(FIRST).lower()}.{rng.choice(LAST).lower().replace(chr(39), '').replace('ü', 'u')}{rng.randint(1, 99)}@example.{rng.choice(['com', 'org'])}" if rng.random() < 0.8 else ""
        if refunded == "all":
            refunded = total
        elif refunded == "part":
            refunded = 1000
        spec.append(dict(oid=oid, t=t, utc=utc, currency=currency, sub=sub, disc=disc, ship=ship, taxes=taxes,
                         total=total, codes=codes, referral=referral, email=email, status=status,
                         refunded=refunded, cancelled=cancelled, test=test))
        if tag:
            ctx.edge(tag, "orders/popup-and-tiktok.csv", f"order_id {oid}", "")

    d = pop_day
    add(d[0] + dt.timedelta(minutes=12), "referral only ref=anna -> anna-bakes", referral="ref=anna")
    add(d[0] + dt.timedelta(minutes=40), "code TESS10 and referral utm_source=leafy_lena: code wins (tea-with-tess)",
        codes="TESS10", referral="utm_source=leafy_lena")
    add(d[0] + dt.timedelta(hours=1, minutes=5), "house code WELCOME10 + ref=anna: house skipped, referral -> anna-bakes",
        codes="WELCOME10", referral="ref=anna")
    add(d[0] + dt.timedelta(hours=2), "unknown referral ref=unknown_blogger (unattributed)", referral="ref=unknown_blogger")
    add(d[0] + dt.timedelta(hours=3, minutes=33), "two codes quoted \"FALLSALE,ANNA15\" -> anna-bakes", codes="FALLSALE,ANNA15")
    add(d[0] + dt.timedelta(hours=4), "self-referral: e-mail ' Anna.Bakes@Example.COM ' (trim + lower-case = anna-bakes)",
        codes="ANNA15", email=" Anna.Bakes@Example.COM ")
    add(d[0] + dt.timedelta(hours=5), test="")
    add(d[1] + dt.timedelta(minutes=20), "test=true with ANNA15 (excluded)", codes="ANNA15", test="true")
    add(d[1] + dt.timedelta(minutes=50), "pending (not payable yet)", codes="PRIYA20", status="pending")
    add(d[1] + dt.timedelta(hours=1, minutes=10), "authorized", codes="STEEPSAM", status="authorized")
    add(d[1] + dt.timedelta(hours=2), "partially_paid", codes="OMAR12", status="partially_paid")
    add(d[1] + dt.timedelta(hours=2, minutes=30), "partially_refunded, refunded 10.00", codes="LENA10",
        status="partially_refunded", refunded="part")
    add(d[1] + dt.timedelta(hours=3), "refunded in full", codes="MATCHAMO", status="refunded", refunded="all")
    add(d[1] + dt.timedelta(hours=4), "voided with cancelled_at", codes="BEA10", status="voided",
        cancelled=d[1] + dt.timedelta(hours=4, minutes=20))
    add(d[1] + dt.timedelta(hours=5), "expired with cancelled_at", codes="KATE10", status="expired",
        cancelled=d[1] + dt.timedelta(days=7))
    add(d[2] + dt.timedelta(minutes=5), "paid but cancelled (cancelled_at set): commission 0", codes="TESS10",
        cancelled=d[2] + dt.timedelta(hours=2))
    add(d[2] + dt.timedelta(minutes=45), "CAD order at the pop-up", currency="CAD", codes="LENA10")
    add(d[2] + dt.timedelta(hours=2), referral="ref=tess")
    add(d[3] + dt.timedelta(minutes=15), "EUR order", currency="EUR", referral="ref=steepsam")
    add(d[3] + dt.timedelta(hours=1), codes="cozycup")
    add(d[3] + dt.timedelta(hours=2), codes="Custom discount")
    # TikTok Shop: UTC timestamps, 18-digit numeric ids
    add(ny(2026, 9, 5, 20, 1, 7), "TikTok, utm_source=matchamo referral, UTC timestamp", utc=True,
        referral="utm_source=matchamo", tiktok=True)
    add(ny(2026, 9, 18, 13, 30), utc=True, codes="MO10", tiktok=True)
    add(dt.datetime(2026, 10, 1, 2, 30, tzinfo=UTC), "UTC 2026-10-01T02:30:00+00:00 = Sep 30 22:30 New York (September)",
        utc=True, codes="MATCHAMO", tiktok=True)
    add(ny(2026, 10, 3, 9, 0), utc=True, codes="matchamo", tiktok=True, test="")
    add(ny(2026, 10, 9, 19, 45), utc=True, referral="utm_source=leafy_lena", tiktok=True)
    add(ny(2026, 10, 17, 21, 5), utc=True, codes="SUMMER2025", tiktok=True)
    add(ny(2026, 10, 22, 12, 0), "TikTok partially_refunded", utc=True, codes="MO10", status="partially_refunded",
        refunded="part", tiktok=True)
    add(ny(2026, 10, 28, 18, 40), utc=True, codes="LENA10", tiktok=True)
    add(ny(2026, 10, 31, 23, 59, 59), "last second of October in New York (2026-11-01T03:59:59+00:00)", utc=True,
        codes="TESS10", tiktok=True)
    for s in sorted(spec, key=lambda s: s["t"]):
        rows.append([s["oid"], fmt_iso(s["t"], utc=s["utc"]), s["currency"], money(s["sub"]), money(s["disc"]),
                     money(s["ship"]), money(s["taxes"]), money(s["total"]), s["codes"], s["referral"], s["email"],
                     s["status"], money(s["refunded"]) if s["refunded"] is not None else ("0.00" if s["utc"] else ""),
                     fmt_iso(s["cancelled"]) if s["cancelled"] else "", s["test"]])
    write_csv(os.path.join(out, "orders/popup-and-tiktok.csv"), CANONICAL_HEADER, rows)


# ---------------------------------------------------------------------------------------------
# Master data files.

def write_master(ctx, out):
    rng = ctx.rng
    rows = []
    for c in CREATORS:
        acct = c[4]
        if c[3] == "wise":
            acct = "DE" + f"{rng.randint(10, 99)}" + "".join(str(rng.randint(0, 9)) for _ in range(18))
            # Valid check digits (ISO 13616, mod 97): tally refuses an IBAN whose digits do not hold.
            # The random ones are still drawn, so that every later value of the generator stays the same.
            bban = acct[4:]
            acct = "DE" + "%02d" % (98 - int("".join(str(int(ch, 36)) for ch in bban + "DE00")) % 97) + bban
        elif c[3] == "bank":
            acct = f"{rng.choice(['011000015', '021000021', '026009593'])}/{rng.randint(10**9, 10**10 - 1)}"
        rows.append([c[0], c[1], c[2], c[3], acct, TAX_FORMS.get(c[0], "")]
                    + ["" if f is None else str(f) for f in c[5:8]])
    write_csv(os.path.join(out, "creators.csv"),
              ["id", "name", "email", "payout_method", "payout_account", "tax_form", "instagram", "tiktok", "youtube"],
              rows)
    write_csv(os.path.join(out, "codes.csv"), ["code", "creator", "valid_from", "valid_until"], CODES)
    write_csv(os.path.join(out, "referrals.csv"), ["value", "creator", "valid_from", "valid_until"], REFERRALS)
    write_csv(os.path.join(out, "terms.csv"), TERMS_HEADER, terms_rows())

    fee_by_tier = {"nano": [0, 0, 50], "micro": [150, 200, 250, 300, 400], "macro": [650, 800, 1200],
                   "mega": [1500]}
    posts, n = [], 0
    host = {"instagram": "https://www.instagram.com/p/", "tiktok": "https://www.tiktok.com/@maplemoss/video/",
            "youtube": "https://www.youtube.com/watch?v="}
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
    for c in CREATORS:
        tier = tier_of(c)
        platforms = [p for p, f in zip(("instagram", "tiktok", "youtube"), c[5:8]) if f is not None]
        for k in range(rng.choice([1, 2, 2, 3])):
            n += 1
            plat = platforms[k % len(platforms)]
            day = dt.date(2026, 7, 3) + dt.timedelta(days=rng.randint(0, 115))
            if c[0] == "matcha-mo" and day < dt.date(2026, 8, 1):
                day = dt.date(2026, 8, 1) + dt.timedelta(days=rng.randint(0, 60))
            fee = rng.choice(fee_by_tier[tier]) * 100
            followers = [f for f in c[5:8] if f][0]
            imps = str(int(followers * rng.uniform(0.3, 2.5))) if rng.random() < 0.75 else ""
            eng = str(int(int(imps) * rng.uniform(0.01, 0.08))) if imps and rng.random() < 0.85 else ""
            vid = str(rng.randint(10**18, 10**19 - 1)) if plat == "tiktok" else "".join(rng.choice(alphabet) for _ in range(11))
            url = host[plat] + vid + ("/" if plat == "instagram" else "")
            posts.append([f"P{n:03d}", c[0], day.isoformat(), plat, money(fee), url, imps, eng])
    posts.sort(key=lambda p: (p[2], p[1]))
    posts = [[f"P{i + 1:03d}"] + p[1:] for i, p in enumerate(posts)]
    write_csv(os.path.join(out, "posts.csv"),
              ["id", "creator", "date", "platform", "fee", "url", "impressions", "engagements"], posts)

    gifts = []
    notes = ["Autumn sampler box", "Matcha starter kit (tin, chasen, bowl)", "Cast iron teapot + 2 teas",
             "Restock of 3 teas, shipping included", "Seeding box, 100% off order", "Holiday preview box"]
    for i, c in enumerate(CREATORS):
        for k in range(1 if i % 3 else 2):
            day = dt.date(2026, 7, 1) + dt.timedelta(days=rng.randint(0, 100))
            gifts.append([c[0], day.isoformat(), money(rng.choice([2400, 3650, 4800, 5575, 8500])), rng.choice(notes)])
    gifts.sort(key=lambda g: (g[1], g[0]))
    gifts = [[f"G{i + 1:03d}"] + g for i, g in enumerate(gifts)]
    write_csv(os.path.join(out, "gifts.csv"), ["id", "creator", "date", "value", "note"], gifts)

    write_csv(os.path.join(out, "adjustments.csv"), ["id", "creator", "date", "amount", "reason"], [
        ["A001", "anna-bakes", "2026-08-20", "40.00", "bonus: 100th order with her code"],
        ["A002", "brew-bea", "2026-09-03", "-25.00", "returned sample not shipped back"],
        ["A003", "steep-sam", "2026-09-30", "15.00", "reimbursed shipping for a reshoot, \"studio\" props"],
        ["A004", "kettle-kate", "2026-10-12", "12.00", "pop-up market table share"],
    ])

    fx = []
    rates = {"CAD": 0.731200, "EUR": 1.086400}
    dates = sorted({dt.date(2026, m, 1) for m in range(7, 12)} |
                   {dt.date(2026, 7, 6) + dt.timedelta(weeks=k) for k in range(22)})
    for d in dates:
        if d > dt.date(2026, 11, 30):
            continue
        for cur in ("CAD", "EUR"):
            rates[cur] *= 1 + rng.uniform(-0.006, 0.006)
            fx.append([d.isoformat(), cur, f"{rates[cur]:.6f}"])
    write_csv(os.path.join(out, "fx.csv"), ["date", "currency", "rate"], fx)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--list-edge-cases", action="store_true", help="print where each scripted edge case landed")
    args = ap.parse_args(argv)
    ctx = Ctx(args.seed)
    write_master(ctx, args.out)
    custs = make_customers(ctx.rng, 150, 6)
    us, ca = custs[:150], custs[150:]
    orders = build_shopify(ctx, custs, us, ca)
    export_shopify(ctx, orders, args.out)
    export_woo(ctx, build_woo(ctx, us), args.out)
    build_canonical(ctx, args.out)
    if args.list_edge_cases:
        for tag, where, ref, _ in ctx.edges:
            print(f"{where}\t{ref}\t{tag}")


if __name__ == "__main__":
    sys.exit(main())
