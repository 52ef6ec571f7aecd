#!/usr/bin/env bash
# Runs the kill tests, the concurrent-verify test and the waiting tests again and again in their
# long form (TALLY_TEST_FULL=1: every pause point, five timed kills per command, more meetings and
# more commits), and prints how many runs of each suite passed and how long a run took.
# Usage: scripts/reliability-loop.sh [RUNS] [SUITE ...]   (default: 20 runs of the three suites)
# The log of every run is kept in .build/reliability-loop/.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
set +e
export TZ=UTC LC_ALL=C TALLY_TEST_FULL=1
runs=${1:-20}
shift || true
suites=("$@")
[ ${#suites[@]} -eq 0 ] && suites=(KillTests ConcurrentVerifyTests WaitingTests)
logs=.build/reliability-loop
mkdir -p "$logs"
swift build --build-tests >"$logs/build.log" 2>&1 || { echo "build failed: $logs/build.log" >&2; exit 1; }
for suite in "${suites[@]}"; do
    passed=0
    seconds=()
    for run in $(seq 1 "$runs"); do
        log="$logs/$suite-$run.log"
        started=$(date +%s.%N)
        if swift test --skip-build --filter "TallyCLITests.$suite" >"$log" 2>&1 && grep -q "passed after" "$log"; then
            passed=$((passed + 1))
        else
            echo "$suite run $run failed: $log" >&2
        fi
        seconds+=("$(echo "$(date +%s.%N) - $started" | bc)")
    done
    summary=$(printf '%s\n' "${seconds[@]}" | sort -n | awk '{ a[NR] = $1; s += $1 }
        END { printf "%.1f s mean, %.1f-%.1f s", s / NR, a[1], a[NR] }')
    echo "$suite: $passed of $runs runs passed ($summary a run)"
done
