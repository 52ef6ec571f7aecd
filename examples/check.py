#!/usr/bin/env python3
"""Check the example data set: determinism, exact headers and the invariants tests rely on.

    python3 examples/check.py [--dir DIR]     (default: regenerate into a temporary folder)

Parses every file back with Python's csv module. Exits non-zero on the first broken invariant.
Also prints a summary (row counts, overlap differences, attribution by a tiny reference model).
"""

import argparse
import csv
import datetime as dt
import filecmp
import os
import re
import subprocess
import sys
import tempfile
import zoneinfo

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import generate as G  # noqa: E402

NY = zoneinfo.ZoneInfo("America/New_York")
MONEY = re.compile(r"^\d+\.\d{2}$")
SHOP_TS = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4}$")
FILES = ["creators.csv", "codes.csv", "referrals.csv", "terms.csv", "posts.csv", "gifts.csv", "adjustments.csv",
         "fx.csv", "shopify/orders_export_2026-07-01_2026-08-31.csv", "shopify/orders_export_2026-08-15_2026-10-31.csv",
         "woocommerce/orders_export_woo.csv", "orders/popup-and-tiktok.csv"]
KNOWN_UNKNOWN = {"SUMMER2025", "CUSTOM DISCOUNT", "AUTOMATIC DISCOUNTS", "TEA4TWO"}


def cents(s):
    s = s[1:] if s.startswith("'") else s
    neg = s.startswith("-")
    s = s.lstrip("-")
    whole, _, frac = s.partition(".")
    v = int(whole) * 100 + int((frac + "00")[:2])
    return -v if neg else v


def read(path, bom=False):
    with open(path, encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def parse_shop_ts(s):
    t = dt.datetime.strptime(s, "%Y-%m-%d %H:%M:%S %z")
    expect = t.astimezone(NY).utcoffset()
    assert t.utcoffset() == expect, f"offset {s} should be {expect}"
    return t


def check_determinism(tmp):
    a, b, c = (os.path.join(tmp, x) for x in "abc")
    for d, seed in ((a, 42), (b, 42), (c, 43)):
        subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), "--out", d, "--seed", str(seed)], check=True)
    for f in FILES:
        assert filecmp.cmp(os.path.join(a, f), os.path.join(b, f), shallow=False), f"not deterministic: {f}"
    assert not filecmp.cmp(os.path.join(a, FILES[-4]), os.path.join(c, FILES[-4]), shallow=False), "seed ignored"
    return a


def load_orders_shopify(path):
    header, rows = read(path)
    assert header == G.SHOPIFY_HEADER and len(header) == 79, "Shopify header differs"
    with open(path, "rb") as f:
        assert not f.read(3).startswith(b"\xef\xbb\xbf"), "Shopify export must not have a BOM"
    H = {h: i for i, h in enumerate(header)}
    cont_allowed = {"Name", "Email", "Created at", "Vendor", "Lineitem discount"} | {h for h in header if h.startswith("Lineitem ")}
    orders, cur = [], None
    for n, r in enumerate(rows, 2):
        assert len(r) == 79, f"{path}:{n}: {len(r)} fields"
        if r[H["Financial Status"]]:
            cur = dict(row=r, lines=[], line=n)
            orders.append(cur)
        else:
            assert cur is not None, f"{path}:{n}: continuation row without order"
            for h, v in zip(header, r):
                if v:
                    assert h in cont_allowed, f"{path}:{n}: continuation row has {h}={v!r}"
            for h in ("Name", "Email", "Created at"):
                assert r[H[h]] == cur["row"][H[h]], f"{path}:{n}: continuation {h} differs"
        cur["lines"].append((int(r[H["Lineitem quantity"]]), cents(r[H["Lineitem price"]])))
        assert r[H["Vendor"]] == G.VENDOR
    prev = None
    for o in orders:
        r = o["row"]
        get = lambda h: r[H[h]]
        for h in ("Subtotal", "Shipping", "Taxes", "Total", "Discount Amount", "Refunded Amount"):
            assert MONEY.match(get(h)), f"{path}:{o['line']}: {h}={get(h)!r}"
        assert re.match(r"^-?\d+\.\d{2}$", get("Outstanding Balance"))
        items = sum(q * p for q, p in o["lines"])
        assert items - cents(get("Discount Amount")) == cents(get("Subtotal")), f"{path}:{o['line']}: subtotal identity"
        assert cents(get("Subtotal")) + cents(get("Shipping")) + cents(get("Taxes")) == cents(get("Total")), \
            f"{path}:{o['line']}: total identity"
        tax_sum = sum(cents(get(f"Tax {k} Value")) for k in range(1, 6) if get(f"Tax {k} Value"))
        assert tax_sum == cents(get("Taxes")), f"{path}:{o['line']}: tax lines"
        assert cents(get("Refunded Amount")) <= cents(get("Total"))
        assert re.match(r"^\d{13}$", get("Id")) and re.match(r"^#\d{4}$", get("Name"))
        for h in ("Created at", "Paid at", "Fulfilled at", "Cancelled at"):
            if get(h):
                assert SHOP_TS.match(get(h)), (h, get(h))
                parse_shop_ts(get(h))
        created = parse_shop_ts(get("Created at"))
        if prev is not None:
            assert created <= prev, f"{path}:{o['line']}: not newest first"
        prev = created
        st = get("Financial Status")
        assert st in {"paid", "pending", "authorized", "partially_paid", "partially_refunded", "refunded", "voided", "expired"}
        if st == "partially_refunded":
            assert 0 < cents(get("Refunded Amount")) < cents(get("Total"))
        if st in ("paid", "pending", "authorized", "voided", "expired"):
            assert cents(get("Refunded Amount")) == 0
        if st in ("voided", "expired"):
            assert get("Cancelled at") and not get("Paid at")
        zp = get("Billing Zip")
        if zp and get("Billing Country") == "US":
            assert re.match(r"^'\d{5}$", zp), zp
        o.update(id=get("Id"), name=get("Name"), created=created, status=st, refunded=get("Refunded Amount"),
                 cancelled=get("Cancelled at"), codes=get("Discount Code"), email=get("Email"),
                 test=get("Payment Method") == "(for testing) Bogus Gateway", total=get("Total"),
                 subtotal=get("Subtotal"), currency=get("Currency"), fulfillment=get("Fulfillment Status"))
    ids = [o["id"] for o in orders]
    assert len(ids) == len(set(ids)), "duplicate Id"
    assert len({o["name"] for o in orders}) == len(orders), "duplicate Name"
    return orders, len(rows)


class Attribution:
    """A deliberately small reference of ledger-rules §4 (validity intervals, first valid code, referral)."""

    def __init__(self, d):
        _, codes = read(os.path.join(d, "codes.csv"))
        _, refs = read(os.path.join(d, "referrals.csv"))
        self.house = {c.strip().upper() for c, cr, *_ in codes if not cr}
        self.codes = self._intervals([r for r in codes if r[1]])
        self.refs = self._intervals(refs)

    @staticmethod
    def _intervals(rows):
        by = {}
        for key, creator, vf, vu in rows:
            by.setdefault(key.strip().upper(), []).append((vf, vu, creator))
        out = {}
        for k, lst in by.items():
            lst.sort()
            res = []
            for i, (vf, vu, cr) in enumerate(lst):
                end = vu or "9999-12-31"
                if i + 1 < len(lst):
                    end = min(end, lst[i + 1][0])
                res.append((vf, end, cr))
            out[k] = res
        return out

    @staticmethod
    def _at(intervals, t):
        day_start = lambda s: dt.datetime.fromisoformat(s).replace(tzinfo=NY)
        for vf, end, cr in intervals:
            if day_start(vf) <= t < day_start(end):
                return cr
        return None

    def attribute(self, codes, referral, t):
        for c in [c.strip().upper() for c in codes.split(",") if c.strip()]:
            if c in self.house or c not in self.codes:
                continue
            cr = self._at(self.codes[c], t)
            if cr:
                return cr
        if referral and referral in self.refs:
            return self._at(self.refs[referral], t)
        return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", help="check this folder (default: a fresh generation)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        d = check_determinism(tmp)
        if args.dir:
            for f in FILES:
                assert filecmp.cmp(os.path.join(d, f), os.path.join(args.dir, f), shallow=False), \
                    f"{args.dir}/{f} differs from a fresh --seed 42 generation"
        run(d)
    print("OK")


def run(d):
    counts = {}
    # master data
    creators_h, creators = read(os.path.join(d, "creators.csv"))
    assert creators_h == ["id", "name", "email", "payout_method", "payout_account", "instagram", "tiktok", "youtube"]
    ids = [c[0] for c in creators]
    assert all(re.match(r"^[a-z0-9]+(-[a-z0-9]+)*$", i) for i in ids) and len(set(ids)) == len(ids)
    tiers = {}
    for c in creators:
        top = max(int(x) for x in c[5:8] if x)
        tiers[c[0]] = "nano" if top < 1000 else "micro" if top < 100_000 else "macro" if top < 1_000_000 else "mega"
        assert c[3] in ("paypal", "wise", "bank", "")
        if c[3] == "paypal":
            assert "@" in c[4]
    assert sum(1 for t in tiers.values() if t == "mega") == 1 and "nano" in tiers.values() and "macro" in tiers.values()
    assert sum(1 for c in creators if not c[3] and not c[4]) == 1
    expected = {"codes.csv": ["code", "creator", "valid_from", "valid_until"],
                "referrals.csv": ["value", "creator", "valid_from", "valid_until"],
                "terms.csv": ["creator", "effective_from", "commission", "per_order", "holdback_days", "min_payout"],
                "posts.csv": ["id", "creator", "date", "platform", "fee", "url", "impressions", "engagements"],
                "gifts.csv": ["id", "creator", "date", "value", "note"],
                "adjustments.csv": ["id", "creator", "date", "amount", "reason"],
                "fx.csv": ["date", "currency", "rate"]}
    tables = {}
    for f, h in expected.items():
        hh, rows = read(os.path.join(d, f))
        assert hh == h, f
        tables[f] = rows
        counts[f] = len(rows)
        for r in rows:
            assert len(r) == len(h)
            if "creator" in h and r[h.index("creator")]:
                assert r[h.index("creator")] in ids, f"{f}: unknown creator {r[h.index('creator')]}"
    counts["creators.csv"] = len(creators)
    for r in tables["terms.csv"]:
        assert re.match(r"^\d+(\.\d{1,2})?%$", r[2])
        assert r[3] == "" or MONEY.match(r[3])
        assert r[5] == "" or MONEY.match(r[5])
    assert "cuppa-cam" not in {r[0] for r in tables["terms.csv"]}
    for r in tables["posts.csv"]:
        assert r[3] in ("instagram", "tiktok", "youtube") and MONEY.match(r[4]) and 0 <= cents(r[4]) <= 150000
    assert any(cents(r[3]) < 0 for r in tables["adjustments.csv"])
    for r in tables["fx.csv"]:
        assert r[1] in ("CAD", "EUR") and re.match(r"^\d+\.\d{6}$", r[2])
    fx_dates = {r[0] for r in tables["fx.csv"]}
    assert all(f"2026-{m:02d}-01" in fx_dates for m in range(7, 12))
    code_rows = tables["codes.csv"]
    moved = [c for c in {r[0] for r in code_rows if r[1]} if sum(1 for r in code_rows if r[0] == c and r[1]) > 1]
    assert moved == ["COZYCUP"], moved
    known_codes = {r[0].upper() for r in code_rows}

    att = Attribution(d)

    # Shopify
    p1, p2 = (os.path.join(d, f) for f in FILES[8:10])
    o1, n1 = load_orders_shopify(p1)
    o2, n2 = load_orders_shopify(p2)
    counts[FILES[8]], counts[FILES[9]] = n1, n2
    lo1, hi1 = dt.datetime(2026, 7, 1, tzinfo=NY), dt.datetime(2026, 9, 1, tzinfo=NY)
    lo2, hi2 = dt.datetime(2026, 8, 15, tzinfo=NY), dt.datetime(2026, 11, 1, tzinfo=NY)
    assert all(lo1 <= o["created"] < hi1 for o in o1) and all(lo2 <= o["created"] < hi2 for o in o2)
    by2 = {o["id"]: o for o in o2}
    overlap = [o for o in o1 if o["created"] >= lo2]
    assert overlap and all(o["id"] in by2 for o in overlap), "overlap orders must keep their Id"
    assert {o["id"] for o in o2 if o["created"] < hi1} == {o["id"] for o in overlap}
    print(f"orders: export 1 {len(o1)}, export 2 {len(o2)}, overlap {len(overlap)}, distinct {len(o1) + len(o2) - len(overlap)}")
    print("overlap orders whose ledger-relevant state changed in export 2:")
    for o in overlap:
        b = by2[o["id"]]
        assert o["name"] == b["name"] and o["total"] == b["total"] and o["codes"] == b["codes"]
        diff = [(k, o[k], b[k]) for k in ("status", "refunded", "cancelled") if o[k] != b[k]]
        if diff:
            print(f"  {o['name']} Id {o['id']} codes {o['codes']!r}: " + "; ".join(f"{k} {x!r} -> {y!r}" for k, x, y in diff))
    print("  overlap orders with only a fulfilment change:",
          sum(1 for o in overlap if o["fulfillment"] != by2[o["id"]]["fulfillment"]
              and all(o[k] == by2[o["id"]][k] for k in ("status", "refunded", "cancelled"))))
    allo = {o["id"]: o for o in o1}
    allo.update(by2)   # the later snapshot wins
    all_orders = sorted(allo.values(), key=lambda o: o["created"])
    tests = [o for o in all_orders if o["test"]]
    assert 2 <= len(tests) <= 3, len(tests)
    unknown = {}
    per_creator = {}
    for o in all_orders:
        codes = [c.strip().upper() for c in o["codes"].split(",") if c.strip()]
        for c in codes:
            assert c in known_codes or c in KNOWN_UNKNOWN, f"{o['name']}: code {c!r} neither in codes.csv nor a deliberate unknown"
            if c not in known_codes and not o["test"]:
                unknown.setdefault(c, []).append(o)
        if not o["test"]:
            cr = att.attribute(o["codes"], "", o["created"])
            if cr:
                per_creator[cr] = per_creator.get(cr, 0) + 1
    raw = {o["codes"] for o in all_orders}
    for needed in ("anna15", "Anna15", " ANNA15 ", "FALLSALE, ANNA15", "Custom discount", "AUTOMATIC DISCOUNTS", "SUMMER2025"):
        assert needed in raw, needed
    assert any(o["total"] == "0.00" for o in all_orders), "zero-total order"
    assert sum(1 for o in all_orders if o["currency"] == "CAD") >= 3
    statuses = {o["status"] for o in all_orders}
    assert statuses >= {"paid", "pending", "authorized", "partially_paid", "partially_refunded", "refunded", "voided", "expired"}, statuses
    emails = {c[2].lower(): c[0] for c in creators}
    selfref = [o for o in all_orders if o["email"].strip().lower() in emails and not o["test"]]
    assert selfref and att.attribute(selfref[0]["codes"], "", selfref[0]["created"]) == emails[selfref[0]["email"]]
    print("codes unknown (non-test, Shopify only): " + ", ".join(
        f"{c} x{len(v)} first {min(x['created'] for x in v).astimezone(NY):%Y-%m-%d}" for c, v in sorted(unknown.items())))
    print("Shopify non-test orders attributed by code (reference model): " +
          ", ".join(f"{k} {v}" for k, v in sorted(per_creator.items())))

    # WooCommerce
    wpath = os.path.join(d, FILES[10])
    with open(wpath, "rb") as f:
        raw_bytes = f.read()
    assert raw_bytes.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw_bytes
    wh, wrows = read(wpath, bom=True)
    assert wh[:len(G.WOO_BASE_HEADER)] == G.WOO_BASE_HEADER and all(h.startswith("line_item_") for h in wh[len(G.WOO_BASE_HEADER):])
    counts[FILES[10]] = len(wrows)
    W = {h: i for i, h in enumerate(wh)}
    prev = None
    wstat = set()
    for n, r in enumerate(wrows, 2):
        g = lambda h: r[W[h]]
        assert len(r) == len(wh)
        for v in r:
            assert v[:1] not in ("=", "+", "-", "@"), f"woo:{n}: unescaped formula cell {v!r}"
        oid = int(g("order_id"))
        assert prev is None or oid < prev, "WebToffee exports ORDER BY ID DESC"
        prev = oid
        assert re.match(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", g("order_date"))
        if g("paid_date"):
            pdt = dt.datetime.fromisoformat(g("paid_date"))
            assert pdt.utcoffset() == pdt.astimezone(NY).utcoffset()
            assert pdt.replace(tzinfo=None) >= dt.datetime.fromisoformat(g("order_date"))
        wstat.add(g("status"))
        sub, disc = cents(g("order_subtotal")), cents(g("discount_total"))
        assert cents(g("cart_discount")) == cents(g("order_discount")) == disc
        total = sub - disc + cents(g("shipping_total")) + cents(g("fee_total")) + cents(g("tax_total"))
        assert total == cents(g("order_total")), f"woo:{n}: order_total identity"
        coupons = [dict(kv.split(":", 1) for kv in c.split("|")) for c in g("coupon_items").split(";") if c]
        assert sum(cents(c["amount"]) for c in coupons) == disc, f"woo:{n}: coupon amounts"
        for c in coupons:
            assert c["code"] == c["code"].lower() and (c["code"].upper() in known_codes or c["code"].upper() in KNOWN_UNKNOWN)
        refunds = [dict(kv.split(":", 1) for kv in x.split("|")) for x in g("refund_items").split(";") if x]
        rsum = sum(cents(x["amount"]) for x in refunds)
        assert rsum <= cents(g("order_total"))
        if g("status") == "refunded":
            assert rsum == cents(g("order_total"))
        lines = [dict(kv.split(":", 1) for kv in li.split("|")) for li in r[len(G.WOO_BASE_HEADER):] if li]
        assert sum(cents(x["sub_total"]) for x in lines) == sub and sum(cents(x["total"]) for x in lines) == sub - disc
        assert sum(cents(x.get("tax", "0.00")) for x in lines) == cents(g("tax_total"))
        assert g("billing_email")
    assert wstat == {"completed", "processing", "refunded", "cancelled", "on-hold", "pending", "failed"}, wstat
    assert any(r[W["fee_total"]].startswith("'-") for r in wrows) and any(r[W["billing_phone"]].startswith("'+") for r in wrows)

    # canonical
    ch, crows = read(os.path.join(d, FILES[11]))
    assert ch == G.CANONICAL_HEADER
    counts[FILES[11]] = len(crows)
    with open(os.path.join(d, FILES[11]), encoding="utf-8") as f:
        assert '"FALLSALE,ANNA15"' in f.read()
    cst = set()
    for n, r in enumerate(crows, 2):
        g = dict(zip(ch, r))
        t = dt.datetime.fromisoformat(g["created_at"])
        assert t.utcoffset() is not None
        for h in ("subtotal", "discount", "shipping", "taxes", "total"):
            assert MONEY.match(g[h]), (n, h)
        assert cents(g["subtotal"]) + cents(g["shipping"]) + cents(g["taxes"]) == cents(g["total"])
        assert g["refunded"] == "" or cents(g["refunded"]) <= cents(g["total"])
        assert g["test"] in ("true", "false", "")
        cst.add(g["financial_status"])
        refs = {r[0] for r in tables["referrals.csv"]}
        assert g["referral"] == "" or g["referral"] in refs or g["referral"] == "ref=unknown_blogger"
        for c in [c.strip().upper() for c in g["codes"].split(",") if c.strip()]:
            assert c in known_codes or c in KNOWN_UNKNOWN
    assert cst == {"paid", "pending", "authorized", "partially_paid", "partially_refunded", "refunded", "voided", "expired"}

    print("rows (excluding header):")
    for f in FILES:
        print(f"  {f}: {counts[f]}")
    print("tiers: " + ", ".join(f"{k}={v}" for k, v in sorted(tiers.items())))


if __name__ == "__main__":
    main()
