#!/usr/bin/env bash
# Formats the Swift code with the repository's .swift-format (4 spaces, at most 120 columns), in place.
# Usage: scripts/format.sh           format Sources, Tests, fuzz and scripts
#        scripts/format.sh --check   change nothing: list the files the formatter would change and every
#                                    .swift line over 120 columns; exit 1 if there is any
# The formatter does not split string literals: a line it leaves over 120 columns holds a long literal;
# split it by hand ("..." + "..." or a \ line continuation in a multi-line literal, the string unchanged).
set -euo pipefail
cd "$(dirname "$0")/.."
paths=(Sources Tests fuzz scripts)
limit=120
case "${1:-}" in
    "") exec swift format format --in-place --recursive --parallel --configuration .swift-format "${paths[@]}" ;;
    --check) ;;
    *) echo "usage: scripts/format.sh [--check]" >&2; exit 2 ;;
esac

status=0
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
cp -R .swift-format "${paths[@]}" "$copy/"
(cd "$copy" && swift format format --in-place --recursive --parallel --configuration .swift-format "${paths[@]}")
for path in "${paths[@]}"; do
    while IFS= read -r file; do
        echo "would reformat: $file"
        status=1
    done < <(diff -rq "$path" "$copy/$path" | sed -nE 's/^Files ([^ ]*) and .* differ$/\1/p')
done
# Columns are characters (a UTF-8 locale makes grep's . one character), as the formatter counts them.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    files=$(git ls-files '*.swift')
else
    files=$(find . -name '*.swift' -not -path './.build/*' | sed 's|^\./||')
fi
while IFS= read -r hit; do
    [ -n "$hit" ] || continue
    echo "over $limit columns: $hit"
    status=1
done < <(printf '%s\n' $files | LC_ALL=C.UTF-8 xargs grep -nE "^.{$((limit + 1)),}" /dev/null | cut -c1-160)
exit $status
