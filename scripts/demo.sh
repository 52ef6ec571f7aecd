#!/usr/bin/env bash
# The main job on the bundled examples: build tally, create a ledger in out/demo, load the tea
# shop's master data and order exports, close July to October 2026, show the figures and write
# October's journals for QuickBooks Online and Xero.
# Usage: scripts/demo.sh            (re-running starts from a fresh ledger)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build --product tally 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\]|^Building|^Build complete' || true
TALLY="$(swift build --show-bin-path)/tally"
OUT=out/demo
KEYS=out/demo-keys
rm -rf "$OUT" "$KEYS" && mkdir -p "$OUT" "$KEYS" && chmod 700 "$KEYS"
export TALLY_LEDGER="$OUT/tally.sqlite"
# The demo ledger's key (the e-mail salt and the payout-account key): in a folder of its own, apart
# from the ledger's, and removed with it on the next run. Without TALLY_KEY_FILE, init would put a
# new one in ~/.config/tally/keys on every run (docs/security.md).
export TALLY_KEY_FILE="$KEYS/tally.key"
run() { echo; echo "\$ tally $*"; "$TALLY" "$@"; }

run init --currency USD --timezone America/New_York
for kind in creators codes referrals terms posts gifts adjustments fx; do
    run import "$kind" "examples/$kind.csv"
done
run import shopify examples/shopify/orders_export_2026-07-01_2026-08-31.csv
run import shopify examples/shopify/orders_export_2026-08-15_2026-10-31.csv
run import shopify examples/shopify/orders_export_2026-08-15_2026-10-31.csv   # again: skipped, nothing doubled
run import woocommerce examples/woocommerce/orders_export_woo.csv
run import orders examples/orders/popup-and-tiktok.csv
run imports    # the order imports and their ids: 'tally import undo ID --reason ...' takes back the latest of a source
run codes unknown
run payout preview --month 2026-07
for month in 2026-07 2026-08 2026-09 2026-10; do
    run payout close --month "$month"
done
run payout show --month 2026-09
run statement anna-bakes --month 2026-09
run payout export --month 2026-09 --to generic --output "$OUT/payouts-2026-09.csv" || true
run explain 7209192468671
run explain 7207087988286      # no code: tea-with-tess's by her 3-month lifetime link to the customer
run statement leafy-lena --month 2026-10   # her September bonus, and August's clawed back by a refund
run roi --from 2026-07-01 --to 2026-10-31 --by tier
run roi --from 2026-07-01 --to 2026-10-31 --by creator
run report --month 2026-10 --brand "Maple & Moss Tea Co." --output "$OUT/report-2026-10.html"
run journal --month 2026-10 --format quickbooks --output "$OUT/books-2026-10-quickbooks.csv"   # docs/books.md
run journal --month 2026-10 --format xero --output "$OUT/books-2026-10-xero.csv"
run verify
echo
echo "The ledger is $OUT/tally.sqlite, its key $KEYS/tally.key, October's close report"
echo "$OUT/report-2026-10.html, its books $OUT/books-2026-10-quickbooks.csv and $OUT/books-2026-10-xero.csv"
echo "(docs/books.md); try: TALLY_LEDGER=$OUT/tally.sqlite TALLY_KEY_FILE=$KEYS/tally.key $TALLY --help"
