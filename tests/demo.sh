#!/usr/bin/env bash
# demo.sh - what blocking costs: three URLs that each take 2 s, fetched
# --serial (about 6 s) and then concurrently (about 2 s), against the
# bundled server on a free port of 127.0.0.1; each run drawn as a
# waterfall on the same time axis, in doc/ (the README shows them; or in
# $WATERFALL_DIR).
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

out=${WATERFALL_DIR:-doc}
mkdir -p "$out"
out=$(realpath "$out")
span=(--waterfall-span 6.5)

echo "== greenfetch --serial --stats (one at a time, blocking)"
"$GF" --serial --stats --waterfall "$out/waterfall-serial.svg" "${span[@]}" "${urls[@]}"
echo
echo "== greenfetch --stats (concurrent, on the hub)"
"$GF" --stats --waterfall "$out/waterfall-hub.svg" "${span[@]}" "${urls[@]}"
echo
echo "The two runs as pictures, on one time axis:"
echo "  $out/waterfall-serial.svg"
echo "  $out/waterfall-hub.svg"
