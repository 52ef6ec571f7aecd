#!/usr/bin/env bash
# Installs what tally needs to build and test on Debian/Ubuntu, when it is missing: SQLite's C library
# and headers (libsqlite3-dev), the sqlite3 shell (used by some tests and the benchmark), and
# Debian's headless Chromium (chromium-headless-shell) for the report's browser tests.
# Sourced by scripts/demo.sh and scripts/test.sh; safe to run again: it installs only what is missing.
set -euo pipefail
tally_missing_packages=()
[ -f /usr/include/sqlite3.h ] || tally_missing_packages+=(libsqlite3-dev)
command -v sqlite3 >/dev/null 2>&1 || tally_missing_packages+=(sqlite3)
command -v chromium-headless-shell >/dev/null 2>&1 || tally_missing_packages+=(chromium-headless-shell)
if [ "${#tally_missing_packages[@]}" -gt 0 ]; then
    echo "tally setup: installing ${tally_missing_packages[*]} (Debian packages)" >&2
    if [ "$(id -u)" = 0 ]; then tally_sudo=""; else tally_sudo="sudo"; fi
    if ! { $tally_sudo apt-get update -qq && $tally_sudo env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq "${tally_missing_packages[@]}" >/dev/null; }
    then
        # Without the browser only the browser tests are skipped; without SQLite nothing builds.
        if [ "${CI:-}" = true ] || [ ! -f /usr/include/sqlite3.h ]; then
            echo "tally setup: could not install ${tally_missing_packages[*]}" >&2
            exit 1
        fi
        echo "tally setup: could not install ${tally_missing_packages[*]}; the browser tests will be skipped" >&2
    fi
fi
unset tally_missing_packages tally_sudo
command -v swift >/dev/null 2>&1 || { echo "tally setup: Swift 6 is needed (https://www.swift.org/install/)" >&2; exit 1; }
