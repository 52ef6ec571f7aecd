#!/usr/bin/env bash
# Compiles the pure engine with -O and times a month of 1,000,000 orders (see bench-close.swift).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
printf 'benchMain()\n' > "$out/main.swift"
swiftc -O -module-name LedgerCore Sources/LedgerCore/*.swift scripts/bench-close.swift "$out/main.swift" -o "$out/bench-close"
"$out/bench-close"
rm -rf "$out"
