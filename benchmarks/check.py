#!/usr/bin/env python3
"""Check benchmarks/generate.py: determinism, structure, invariants, --variant 2, speed, memory.

    python3 benchmarks/check.py [--orders 100000] [--seed 1]

Generates into a temporary folder, parses everything back with Python's csv module, and prints
timings with an extrapolation to 1,000,000 orders. Exits non-zero on a broken invariant.
"""

import argparse
import csv
import datetime as dt
import hashlib
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import zoneinfo

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import generate as G  # noqa: E402

NY = zoneinfo.ZoneInfo("America/New_York")
MONEY = re.compile(r"^\d+\.\d{2}$")
H = G.HEADER.split(",")
I = {h: i for i, h in enumerate(H)}
CONT_ALLOWED = [i for i, h in enumerate(H) if h in ("Name", "Email", "Created at", "Vendor", "Lineitem discount")
                or h.startswith("Lineitem ")]
VARIABLE = {I["Lineitem name"], I["Notes"]}     # the only columns --variant 2 may change


def cents(s):
    a, _, b = s.partition(".")
    return int(a) * 100 + int(b)


def run_gen(n, seed, out, variant=1):
    t = time.perf_counter()
    subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), "--orders", str(n), "--seed", str(seed),
                    "--out", out, "--variant", str(variant)], check=True, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def sha(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def offset_ok_cache():
    cache = {}

    def ok(s):
        key = s[:13] + s[-5:]                        # date, hour and offset: enough to decide
        if key not in cache:
            t = dt.datetime.strptime(s, "%Y-%m-%d %H:%M:%S %z")
            cache[key] = s[-5:] == t.astimezone(NY).strftime("%z")
        return cache[key]
    return ok


def check_orders(path, codes, n_expected):
    ok_offset = offset_ok_cache()
    stats = dict(orders=0, rows=0, coded=0, refunded=0, partially_refunded=0, cancelled=0, test=0, pending=0,
                 mixed_case=0, multiline_notes=0, comma_street=0)
    ids = set()
    prev_created = None
    cur = None
    lines_sum = 0

    def close(o, items):
        if o is None:
            return
        assert items - cents(o[I["Discount Amount"]]) == cents(o[I["Subtotal"]]), f"subtotal identity {o[0]}"
        assert cents(o[I["Subtotal"]]) + cents(o[I["Shipping"]]) + cents(o[I["Taxes"]]) == cents(o[I["Total"]]), o[0]

    with open(path, encoding="utf-8", newline="") as f:
        rd = csv.reader(f)
        assert next(rd) == H
        for n, r in enumerate(rd, 2):
            stats["rows"] += 1
            assert len(r) == 79, f"line {n}: {len(r)} fields"
            q, p = int(r[I["Lineitem quantity"]]), cents(r[I["Lineitem price"]])
            if r[I["Financial Status"]]:
                close(cur, lines_sum)
                cur, lines_sum = r, 0
                stats["orders"] += 1
                for h in ("Subtotal", "Shipping", "Taxes", "Total", "Discount Amount", "Refunded Amount"):
                    assert MONEY.match(r[I[h]]), (n, h)
                oid = int(r[I["Id"]])
                assert len(r[I["Id"]]) == 13 and oid not in ids
                ids.add(oid)
                for h in ("Created at", "Paid at", "Fulfilled at", "Cancelled at"):
                    if r[I[h]]:
                        assert ok_offset(r[I[h]]), f"line {n}: wrong New York offset in {h} {r[I[h]]}"
                created = r[I["Created at"]]
                assert created.startswith("2025-")
                c = dt.datetime.strptime(created, "%Y-%m-%d %H:%M:%S %z")
                assert prev_created is None or c <= prev_created, f"line {n}: not newest first"
                prev_created = c
                st = r[I["Financial Status"]]
                code = r[I["Discount Code"]]
                if code and code not in ("WELCOME10", "Custom discount"):
                    assert code.upper() in codes, code
                    stats["coded"] += 1
                    stats["mixed_case"] += code != code.upper()
                if st in ("refunded", "partially_refunded", "pending"):
                    stats[st] += 1
                if st == "refunded":
                    assert r[I["Refunded Amount"]] == r[I["Total"]]
                if st == "partially_refunded":
                    assert 0 < cents(r[I["Refunded Amount"]]) < cents(r[I["Total"]])
                if r[I["Cancelled at"]]:
                    stats["cancelled"] += 1
                    assert st == "voided" and not r[I["Paid at"]]
                stats["test"] += r[I["Payment Method"]] == "(for testing) Bogus Gateway"
                stats["multiline_notes"] += "\n" in r[I["Notes"]]
                stats["comma_street"] += "," in r[I["Billing Street"]]
                assert r[I["Billing Zip"]].startswith("'")
            else:
                assert cur is not None
                nonempty = [k for k, v in enumerate(r) if v]
                assert set(nonempty) <= set(CONT_ALLOWED), f"line {n}: continuation row fields {nonempty}"
                for h in ("Name", "Email", "Created at"):
                    assert r[I[h]] == cur[I[h]], (n, h)
            lines_sum += q * p
        close(cur, lines_sum)
    assert stats["orders"] == n_expected, stats
    return stats


def compare_variant(p1, p2):
    """Same orders, same order-level fields; only Lineitem name / Notes differ; bytes differ."""
    with open(p1, encoding="utf-8", newline="") as a, open(p2, encoding="utf-8", newline="") as b:
        ra, rb = csv.reader(a), csv.reader(b)
        changed = 0
        for x, y in zip(ra, rb, strict=True):
            for k in range(79):
                if x[k] != y[k]:
                    assert k in VARIABLE, f"--variant 2 changed {H[k]}: {x[k]!r} -> {y[k]!r}"
                    changed += 1
    return changed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--orders", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        d1, d2, dv, ds = (os.path.join(tmp, x) for x in ("a", "b", "v2", "small"))
        t_small = run_gen(a.orders // 10, a.seed, ds)
        rss_small = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        t1 = run_gen(a.orders, a.seed, d1)
        rss_big = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        run_gen(a.orders, a.seed, d2)
        for f in ("orders.csv", "creators.csv", "codes.csv", "terms.csv", "posts.csv"):
            assert sha(os.path.join(d1, f)) == sha(os.path.join(d2, f)), f"not deterministic: {f}"
        tv = run_gen(a.orders, a.seed, dv, variant=2)
        assert sha(os.path.join(d1, "orders.csv")) != sha(os.path.join(dv, "orders.csv"))

        # master data
        with open(os.path.join(d1, "creators.csv"), newline="") as f:
            creators = list(csv.DictReader(f))
        assert len(creators) == 2000 and len({c["id"] for c in creators}) == 2000
        ids = {c["id"] for c in creators}
        with open(os.path.join(d1, "codes.csv"), newline="") as f:
            codes = {r["code"].upper(): r["creator"] for r in csv.DictReader(f)}
        assert all(c in ids for c in codes.values() if c) and len(codes) == 2001
        for fn in ("terms.csv", "posts.csv"):
            with open(os.path.join(d1, fn), newline="") as f:
                rows = list(csv.DictReader(f))
            assert all(r["creator"] in ids for r in rows), fn
            print(f"{fn}: {len(rows)} rows")
        tiers = {"nano": 0, "micro": 0, "macro": 0, "mega": 0}
        for c in creators:
            top = max(int(c[p]) for p in ("instagram", "tiktok", "youtube") if c[p])
            tiers["nano" if top < 1000 else "micro" if top < 100_000 else "macro" if top < 1_000_000 else "mega"] += 1
        print("creator tiers:", tiers)

        t = time.perf_counter()
        stats = check_orders(os.path.join(d1, "orders.csv"), codes, a.orders)
        t_check = time.perf_counter() - t
        changed = compare_variant(os.path.join(d1, "orders.csv"), os.path.join(dv, "orders.csv"))
        size = os.path.getsize(os.path.join(d1, "orders.csv"))
        print("orders.csv:", stats)
        n = stats["orders"]
        print(f"  shares: coded {stats['coded'] / n:.1%} (mixed case {stats['mixed_case'] / max(1, stats['coded']):.0%}), "
              f"refunded {stats['refunded'] / n:.1%}, partially refunded {stats['partially_refunded'] / n:.1%}, "
              f"cancelled {stats['cancelled'] / n:.1%}, pending {stats['pending'] / n:.1%}, test {stats['test']}")
        print(f"  {size:,} bytes, {size / stats['rows']:.0f} B/row; --variant 2 differs in {changed:,} cells "
              f"(Lineitem name / Notes only)")
        print(f"timing: {a.orders // 10:,} orders {t_small:.2f} s; {a.orders:,} orders {t1:.2f} s "
              f"(variant 2 {tv:.2f} s) -> 1,000,000 orders ~{t1 * 1_000_000 / a.orders:.0f} s; "
              f"parse+check {t_check:.1f} s")
        print(f"max RSS of generator children: after {a.orders // 10:,} orders {rss_small / 1024:.0f} MiB, "
              f"after {a.orders:,} {rss_big / 1024:.0f} MiB")
    print("OK")


if __name__ == "__main__":
    main()
