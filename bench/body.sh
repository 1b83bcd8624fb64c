#!/usr/bin/env bash
# body.sh - peak memory of --body with 200 bodies of 10 MiB where the first
# URL is the slowest: everything behind it must wait, in memory up to
# --buffer-size and in spill files past it. Prints wall time and peak RSS
# for a few budgets, and the same run without --body for reference.
#
# Usage: bench/body.sh [BUILD]
set -u
cd "$(dirname "$0")/.."
export BUILD=${1:-build} GREENFETCH=${GREENFETCH:-./greenfetch}
export SERVER=$BUILD/gf-testserver
work=$(mktemp -d /tmp/gf-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

bash -c '
source tests/lib.sh
cd "$1"
start_server
{ echo "$BASE/delay/3"; for i in $(seq 199); do echo "$BASE/bytes/10485760"; done; } > urls
run() { # LABEL ARGS...
	local label=$1; shift
	/usr/bin/time -f "%e %M" -o t "$GF" "$@" urls > /dev/null 2> /dev/null
	read -r wall rss < t
	printf "%-34s wall %6.2f s  peak RSS %7.1f MiB\n" "$label" "$wall" "$(echo "$rss / 1024" | bc -l)"
}
run "records only (no --body)"
run "--body, --buffer-size 64M" --body
run "--body, --buffer-size 16M" --body --buffer-size 16M
run "--body, --buffer-size 256M" --body --buffer-size 256M
' _ "$work"
