#!/usr/bin/env bash
# run.sh - make check-valgrind: the command-line tests with greenfetch under
# valgrind. Tests that time things may fail under its slowdown; what this
# judges is valgrind's verdict on every run: no invalid access, no use of
# uninitialised memory, no leak. Ends with "N passed, N failed" over runs.
set -u
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
export VG_BIN=$(realpath "${GREENFETCH:-./greenfetch}")
export VG_LOGS=$(mktemp -d /tmp/gf-valgrind.XXXXXX)
trap 'rm -rf "$VG_LOGS"' EXIT
start=$(date +%s)
GREENFETCH=tests/valgrind/greenfetch tests/run.sh "$BUILD" "${2:-}" > "$VG_LOGS/suite.out" 2>&1
tail -n 1 "$VG_LOGS/suite.out" | sed 's/^/(the tests themselves, timing under valgrind: /; s/$/)/'
bad=0
for log in "$VG_LOGS"/*.log; do
	[ -s "$log" ] || continue
	bad=$((bad + 1))
	echo "== valgrind: $log"; head -n 40 "$log"
done
runs=$(grep -c . "$VG_LOGS/runs" 2>/dev/null || echo 0)
echo "valgrind over the suite: $(( $(date +%s) - start )) s"
echo "$((runs - bad)) passed, $bad failed"
[ "$bad" = 0 ]
