#!/usr/bin/env bash
# Builds tally and runs every test (unit, property and end-to-end). The README's test command.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
export TZ=UTC LC_ALL=C
swift build
swift test
