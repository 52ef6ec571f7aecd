#!/usr/bin/env bash
# Installs what tally needs to build on Debian/Ubuntu, when it is missing: SQLite's C library and
# headers (libsqlite3-dev) and the sqlite3 shell (used by some tests and the benchmark).
# Sourced by scripts/demo.sh and scripts/test.sh; safe to run again.
set -euo pipefail
if [ -f /usr/include/sqlite3.h ] && command -v sqlite3 >/dev/null 2>&1; then
    return 0 2>/dev/null || exit 0
fi
echo "tally setup: installing libsqlite3-dev and sqlite3 (Debian packages)" >&2
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq libsqlite3-dev sqlite3 >/dev/null
command -v swift >/dev/null 2>&1 || { echo "tally setup: Swift 6 is needed (https://www.swift.org/install/)" >&2; exit 1; }
