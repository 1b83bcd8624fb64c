#!/usr/bin/env bash
# demo.sh - what blocking costs: three URLs that each take 2 s, fetched
# --serial (about 6 s) and then concurrently (about 2 s), against the
# bundled server on a free port of 127.0.0.1.
set -eu
cd "$(dirname "$0")/.."
BUILD=${1:-build}
GF=${GREENFETCH:-./greenfetch}
portfile=$(mktemp)
"$BUILD/gf-testserver" -p 0 > "$portfile" &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$portfile"' EXIT
for _ in $(seq 100); do [ -s "$portfile" ] && break; sleep 0.02; done
base=http://127.0.0.1:$(head -n 1 "$portfile")
urls=("$base/delay/2" "$base/delay/2" "$base/delay/2")

echo "== greenfetch --serial --stats (one at a time, blocking)"
"$GF" --serial --stats "${urls[@]}"
echo
echo "== greenfetch --stats (concurrent, on the hub)"
"$GF" --stats "${urls[@]}"
