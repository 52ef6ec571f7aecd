#!/usr/bin/env bash
# The module boundaries that a grep can see (docs/architecture.md, shared/style.md 9-10):
# - SQL lives in Sources/LedgerStore only: no other module holds SQL text, calls sqlite3_ or
#   reaches for the store's connection;
# - each module imports only the modules below it:
#   TallyCLI -> App -> {OrderImport, LedgerStore, HTMLReport} -> LedgerCore (TallyCLI renders LedgerCore's
#   values and HTMLReport's pages); PrivateFiles (creating owner-only files) below App, OrderImport and
#   LedgerStore, importing nothing.
# Usage: scripts/check-architecture.sh [ROOT]   (default: the repository). Exit 1 names each breach.
set -uo pipefail
root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
cd "$root/Sources" || { echo "no Sources folder in $root" >&2; exit 2; }
status=0

# SQL in a string ("SELECT ...) or on a line of its own (a multi-line string literal).
inline='"(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA|BEGIN|WITH) '
own_line='^[[:space:]]*(SELECT|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM|CREATE (TEMP )?(TABLE|INDEX)|PRAGMA) '
sql="sqlite3_|\\.connection\\b|import CSQLite|$inline|$own_line"
while IFS= read -r hit; do
    echo "SQL outside the store: $hit"
    status=1
done < <(grep -rnE "$sql" --include='*.swift' . | grep -vE '^\./(LedgerStore|CSQLite)/')

# module -> the project modules it may import
declare -A allowed=(
    [LedgerCore]=""
    [PrivateFiles]=""
    [LedgerStore]="LedgerCore CSQLite PrivateFiles"
    [OrderImport]="LedgerCore PrivateFiles"
    [App]="LedgerCore LedgerStore OrderImport HTMLReport PrivateFiles"
    [TallyCLI]="App LedgerCore HTMLReport"
    [tally]="TallyCLI"
    [HTMLReport]="LedgerCore"
    [HTMLReportSamples]="HTMLReport LedgerCore"
    [report-sample]="HTMLReportSamples HTMLReport"
)
attributes='[[:space:]]*(@testable[[:space:]]+)?(@_exported[[:space:]]+)?'
modules="LedgerCore PrivateFiles LedgerStore OrderImport App TallyCLI tally CSQLite HTMLReport HTMLReportSamples"
for dir in */; do
    module="${dir%/}"
    [ "$module" = CSQLite ] && continue
    if [ -z "${allowed[$module]+set}" ]; then
        echo "unknown module $module: add it to scripts/check-architecture.sh with the modules it may import"
        status=1
        continue
    fi
    while IFS=: read -r file line text; do
        imported=$(sed -E "s/^${attributes}import[[:space:]]+([A-Za-z_]+).*/\\3/" <<<"$text")
        case " $modules " in *" $imported "*) ;; *) continue ;; esac
        case " ${allowed[$module]} " in *" $imported "*) ;; *)
            echo "$module imports $imported ($file:$line):" \
                 "$module may import only: ${allowed[$module]:-no project module}"
            status=1 ;;
        esac
    done < <(grep -rnE "^${attributes}import[[:space:]]+[A-Za-z_]+" --include='*.swift' "$module")
done
exit $status
