#!/usr/bin/env bash
# Renders a report and photographs it in Debian's headless Chromium, with no network, for a person to
# look at: KIND.html, KIND.png (the screen, 1100 px wide) and, when pdftoppm is there (Debian:
# poppler-utils), KIND-print-N.png (the pages as printed on A4; PAPER=letter for Letter).
#
#   october    `tally report --month 2026-10` on the example ledger (out/demo/tally.sqlite; scripts/demo.sh
#              makes it when it is missing), the report time pinned (TALLY_NOW) so the page is the same
#   statement  `tally statement anna-bakes --month 2026-10 --format html` on the same ledger
#   october-preview, strained   fixed samples (Sources/HTMLReportSamples): an open month's preview, and
#              a report that strains the layout (long and hostile names, many creators)
#
#   scripts/report-screenshot.sh [october|statement|october-preview|strained] [OUTPUT_DIR]
#   HEIGHT=3000 scripts/report-screenshot.sh   # a taller screenshot (default 1500 px)
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-october}
out=${2:-out/report}
browser=${TALLY_CHROMIUM:-$(command -v chromium-headless-shell || true)}
if [ -z "$browser" ]; then
    echo "report-screenshot: chromium-headless-shell is missing (scripts/setup.sh installs it)" >&2
    exit 1
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
case "$kind" in
    october|statement)
        swift build --product tally >/dev/null
        ledger=out/demo/tally.sqlite
        [ -f "$ledger" ] || scripts/demo.sh >/dev/null
        export TALLY_LEDGER=$ledger TALLY_NOW=${TALLY_NOW:-2026-11-05T09:30:00-05:00}
        brand="Maple & Moss Tea Co."
        if [ "$kind" = october ]; then
            .build/debug/tally report --month 2026-10 --brand "$brand" --output "$out/$kind.html" --force >/dev/null
        else
            .build/debug/tally statement anna-bakes --month 2026-10 --format html --brand "$brand" \
                >"$out/$kind.html"
        fi
        ;;
    *)
        swift build --product report-sample >/dev/null
        .build/debug/report-sample "$kind" "$out/$kind.html"
        ;;
esac

# The page must need nothing from outside: no network namespace to reach out of when unshare
# works here, and a proxy and resolver that go nowhere in any case.
run=("$browser" --disable-gpu --hide-scrollbars --no-first-run --disable-extensions
     --disable-background-networking --disable-component-update --user-data-dir="$(mktemp -d)"
     --proxy-server=http://127.0.0.1:9 --proxy-bypass-list='<-loopback>' '--host-resolver-rules=MAP * ~NOTFOUND')
[ "$(id -u)" = 0 ] && run+=(--no-sandbox)
unshare -n true 2>/dev/null && run=(unshare -n "${run[@]}")

"${run[@]}" --window-size="1100,${HEIGHT:-1500}" --screenshot="$out/$kind.png" "file://$out/$kind.html" 2>/dev/null
echo "$out/$kind.png"
if command -v pdftoppm >/dev/null 2>&1; then
    # The page leaves the paper size to the printer; this copy asks for one, as a print dialog would.
    sed "s|</head>|<style>@page { size: ${PAPER:-A4}; }</style></head>|" "$out/$kind.html" >"$out/$kind-print.html"
    rm -f "$out/$kind-print"-*.png
    "${run[@]}" --no-pdf-header-footer --print-to-pdf="$out/$kind.pdf" "file://$out/$kind-print.html" 2>/dev/null
    pdftoppm -r 60 -png "$out/$kind.pdf" "$out/$kind-print"
    ls "$out/$kind-print"-*.png
else
    echo "report-screenshot: no pdftoppm (Debian: poppler-utils), so no print pages" >&2
fi
