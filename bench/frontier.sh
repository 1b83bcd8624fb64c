#!/usr/bin/env bash
# frontier.sh [BUILD] - --frontier: 1, 2 and 4 workers sharing a crawl of
# a latency-bound site (the test server's link farm, each page 50 ms
# late), through a redis-server of its own; pages/s, speed-up, Redis
# commands a page; and Redis's bytes per seen URL at 1,000,000 URLs and
# per queued URL, in the keys the scripts write.
# RUNS=3 by default; WORKERS="1 2 4"; PAGES: the farm's depth 3 (1,000).
set -u
cd "$(dirname "$0")/.."
BUILD=${1:-build}
GF=$(realpath "${GREENFETCH:-./greenfetch}")
RUNS=${RUNS:-3}
WORKERS=${WORKERS:-1 2 4}
W=$(mktemp -d /tmp/gf-frontier.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$W"' EXIT
mk/deps.sh redis-server jq || exit 1

RPORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --port "$RPORT" --bind 127.0.0.1 --dir "$W" --save '' --appendonly no \
	--logfile "$W/redis.log" &
"$BUILD/gf-testserver" -p 0 > "$W/port" &
for _ in $(seq 100); do
	[ -s "$W/port" ] && redis-cli -p "$RPORT" ping 2>/dev/null | grep -q PONG && break
	sleep 0.05
done
PORT=$(head -n 1 "$W/port")
R() { redis-cli -p "$RPORT" "$@"; }
commands() { R info stats | awk -F: '/^total_commands_processed/ { print $2 + 0 }'; }
scripts() { R info commandstats | awk -F'[=,:]' '/^cmdstat_evalsha:/ { print $3 + 0 }'; }

echo "$(date -u +%F) on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(redis-server --version | cut -d' ' -f3)"
echo "== a crawl of 1,000 pages of 50 ms, -c 8 --per-host 0 a worker, $RUNS runs each"
base=""
for n in $WORKERS; do
	times=() cmds=0 evals=0
	for r in $(seq "$RUNS"); do
		R flushall > /dev/null
		before=$(commands)
		R config resetstat > /dev/null
		start=$(date +%s.%N)
		for w in $(seq "$n"); do
			"$GF" --crawl --depth 3 -c 8 --per-host 0 --frontier "redis://127.0.0.1:$RPORT" \
				"http://127.0.0.1:$PORT/farm/10/0?delay=0.05" > "$W/w$w" &
		done
		wait $(jobs -p | tail -n "$n")
		times+=("$(echo "$(date +%s.%N) - $start" | bc -l)")
		pages=$(cat "$W"/w* | wc -l)
		evals=$(scripts)
		cmds=$(commands)
		rm -f "$W"/w*
	done
	med=$(printf '%s\n' "${times[@]}" | sort -n | awk -v r="$RUNS" 'NR == int((r + 1) / 2)')
	[ -n "$base" ] || base=$med
	printf '  %d worker(s): wall %.2f s (min/median/max %s), %.0f pages/s, speed-up %.2f, %s pages, %.1f scripts and %.1f Redis commands (those in scripts too) a page\n' \
		"$n" "$med" "$(printf '%s\n' "${times[@]}" | sort -n | awk '{ printf "%.2f ", $1 }')" \
		"$(echo "1000 / $med" | bc -l)" "$(echo "$base / $med" | bc -l)" "$pages" \
		"$(echo "$evals / $pages" | bc -l)" "$(echo "$cmds / $pages" | bc -l)"
done

# Memory: the seen set as COMMIT writes it (HSETNX in 65,536 buckets) and
# a host's queue of items as the crawl encodes them.
used() { R info memory | awk -F: '/^used_memory:/ { print $2 + 0 }'; }
R flushall > /dev/null
before=$(used)
R eval "for i = 1, 1000000 do
  local fp = redis.sha1hex(tostring(i)):sub(1, 16)
  redis.call('HSETNX', 'gf:{b}:seen:' .. fp:sub(1, 4), fp:sub(5), '')
end return 0" 0 > /dev/null
after=$(used)
echo "== Redis memory: $(( (after - before) / 1000000 )) bytes a seen URL at 1,000,000 ($(( (after - before) / 1048576 )) MiB)"
before=$(used)
R eval "for i = 1, 100000 do
  redis.call('RPUSH', 'gf:{b}:q:127.0.0.1', '0\t3\t0\t0\t0\t0\thttp://127.0.0.1:$PORT/farm/10/' .. i .. '?delay=0.05\thttp://127.0.0.1:$PORT/farm/10/' .. (i * 10) .. '?delay=0.05')
end return 0" 0 > /dev/null
after=$(used)
echo "== Redis memory: $(( (after - before) / 100000 )) bytes a queued URL (100,000 of about 100 bytes each)"
