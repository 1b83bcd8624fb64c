#!/usr/bin/env bash
# dns.sh - 1,000 URLs on 100 host names against dnsmasq on loopback, with
# every name answered at once, then with one name answered 200 ms late.
# Prints wall time min/median/max over RUNS runs and the DNS queries sent.
#
# Usage: bench/dns.sh [BUILD]   (RUNS=5 by default)
set -u
cd "$(dirname "$0")/.."
export BUILD=${1:-build} GREENFETCH=${GREENFETCH:-./greenfetch}
export SERVER=$BUILD/gf-testserver RUNS=${RUNS:-5}
work=$(mktemp -d /tmp/gf-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

bash -c '
source tests/lib.sh
cd "$1"
hosts=(); for i in $(seq 100); do hosts+=(--host-record=h$i.test,127.0.0.1); done
start_dns "${hosts[@]}"
start_server
for r in $(seq 10); do for i in $(seq 100); do echo "http://h$i.test:$PORT/bytes/100"; done; done > plain
sed "s/h100\.test/h100.slow.test/" plain > slow

measure() { # NAME FILE
	local times=() q0 q1 t0
	q0=$(grep -c "query\[" dns.log)
	for run in $(seq "$RUNS"); do
		t0=$(now)
		"$GF" -c 100 --dns-servers "$DNS" "$2" > out
		times+=("$(elapsed "$t0")")
		[ "$(cut -f1 out | sort -u)" = 200 ] || { echo "$1: not all 200"; exit 1; }
	done
	q1=$(grep -c "query\[" dns.log)
	printf "%s\n" "${times[@]}" | sort -n | awk -v name="$1" -v q=$(( (q1 - q0) / RUNS )) "
		{ t[NR] = \$1 }
		END { printf \"%-28s min %.3f s  median %.3f s  max %.3f s  queries/run %d\n\",
		      name, t[1], t[int((NR + 1) / 2)], t[NR], q }"
}
measure "1000 URLs, 100 names" plain
measure "same, one name +200 ms" slow
' _ "$work"
