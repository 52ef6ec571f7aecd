#!/usr/bin/env bash
# Fuzzes CSVReader with libFuzzer and AddressSanitizer (optional; not part of scripts/test.sh).
#
#   scripts/fuzz-csv.sh [seconds]        default 60 seconds
#
# Builds fuzz/CSVReaderFuzz.swift together with the reader's two source files with
# `swiftc -sanitize=fuzzer,address`, seeds a corpus from examples/ and the tests' tricky inputs,
# and runs. Crashing inputs are written to .build/fuzz-csv/crash-*; replay one with
#   .build/fuzz-csv/fuzz-csv .build/fuzz-csv/crash-<hash>
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
out=.build/fuzz-csv
mkdir -p "$out/corpus"

# ld.gold warns about ASan's local symbols; the log is shown only if the build fails.
if ! swiftc -sanitize=fuzzer,address -parse-as-library -O \
    Sources/OrderImport/CSVReader.swift Sources/OrderImport/CSVError.swift fuzz/CSVReaderFuzz.swift \
    -o "$out/fuzz-csv" > "$out/build.log" 2>&1; then
    cat "$out/build.log" >&2
    exit 1
fi

# Seeds: the first 4 KiB of every example CSV, plus a few hand-made edge cases.
while IFS= read -r -d '' file; do
    head -c 4096 "$file" > "$out/corpus/example-$(basename "$file")"
done < <(find examples -name '*.csv' -print0 2>/dev/null)
printf '\xef\xbb\xbfa,"b""c"\r\n"multi\nline",\r\rx' > "$out/corpus/tricky"
printf 'a,"unterminated\n1,2\n' > "$out/corpus/unterminated"

# Swift's own crash backtracer can stall under libFuzzer's signal handler: libFuzzer reports.
export SWIFT_BACKTRACE=enable=no
"$out/fuzz-csv" -max_total_time="$seconds" -max_len=8192 -artifact_prefix="$out/" -print_final_stats=1 "$out/corpus"
