# frontier.sh - --frontier redis://...: workers sharing one crawl through a
# Redis of the test's own (redis-server on a free port, in the test's
# directory), with --collect as the judge: every page of the crawl once.
# Tests that want every worker to do pages give --per-host 0: under a
# per-host limit on one host, a slot freed is taken again at once by the
# worker whose commit freed it, and another worker may never get one.

# start_redis [ARGS...]: a redis-server on a free port; sets RPORT, REDIS.
start_redis() {
	RPORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	redis-server --port "$RPORT" --bind 127.0.0.1 --dir "$PWD" --save '' \
		--logfile "$PWD/redis.log" "$@" &
	redis_pid=$!
	pids+=($redis_pid)
	for _ in $(seq 100); do
		redis-cli -p "$RPORT" ping 2>/dev/null | grep -q PONG && break
		sleep 0.02
	done
	redis-cli -p "$RPORT" ping 2>/dev/null | grep -q PONG || fail "redis-server did not start"
	REDIS=redis://127.0.0.1:$RPORT
}

# leased N: wait (5 s at most) until N leases at least are out.
leased() {
	for _ in $(seq 250); do
		[ "$(redis-cli -p "$RPORT" eval "local n = 0 for _, k in ipairs(redis.call('KEYS', 'gf:*:leases')) do n = n + redis.call('ZCARD', k) end return n" 0)" -ge "$1" ] && return 0
		sleep 0.02
	done
	return 1
}

# start_workers N ARGS...: N workers running greenfetch ARGS, writing wI
# and errI; their pids in workers, in pid1..pidN, and in pids.
start_workers() {
	local n=$1 w
	shift
	workers=()
	for w in $(seq "$n"); do
		"$GF" "$@" > w$w 2> err$w &
		eval "pid$w=$!"
		workers+=($!)
		pids+=($!)
	done
}

# The pages a crawl of SEED finds alone, in memory: the judge of the
# shared ones.
crawl_alone() { # SEED ARGS...
	local seed=$1
	shift
	"$GF" --crawl "$@" "$seed" | awk '{ print $4 }' | sort
}

# collect SEED: the shared crawl's records, one URL a line, as they came.
collect() {
	"$GF" --frontier "$REDIS" --collect "$1" | jq -r .url
}

test_workers_share_a_crawl_and_a_killed_one_loses_nothing() {
	start_server
	start_redis
	local seed="$BASE/farm/10/0?delay=0.01" workers=()
	crawl_alone "$seed" --depth 3 > alone
	expect_eq "$(wc -l < alone)" 1000 "pages of the site"
	start_workers 3 --crawl --depth 3 -c 8 --per-host 0 --lease 2 --frontier "$REDIS" "$seed"
	sleep 0.5
	kill -KILL "$pid1"
	wait "$pid1" 2>/dev/null
	wait "$pid2" || fail "worker 2: exit $?: $(cat err2)"
	wait "$pid3" || fail "worker 3: exit $?: $(cat err3)"
	[ -s w2 ] && [ -s w3 ] || fail "a worker did no page"
	collect "$seed" > got
	expect_eq "$(wc -l < got)" 1000 "records collected"
	expect_eq "$(sort got)" "$(cat alone)" "the pages collected, once each"
	# The killed worker's leases came back: the others did its pages.
	[ "$(cat w2 w3 | wc -l)" -gt "$(wc -l < w1)" ] || fail "no work moved"
}

test_per_host_and_delay_hold_across_workers() {
	start_server
	start_redis
	local seed="$BASE/farm/10/0?delay=0.05" workers=()
	start_workers 3 --crawl --depth 2 --per-host 2 --frontier "$REDIS" "$seed"
	wait "${workers[@]}"
	expect_eq "$(curl -s "$BASE/stats" | awk '/max_inflight/ { print $2 }')" 2 \
		"requests at once at the server, three workers of --per-host 2"
	expect_eq "$(collect "$seed" | wc -l)" 100 "records"
	# --delay: 19 pages 0.1 s apart, whatever the number of workers.
	local start
	start=$(now)
	start_workers 2 --crawl --depth 1 --delay 0.1 --frontier "$REDIS" \
		--crawl-id delayed "$BASE/farm/19/0"
	wait "${workers[@]}"
	expect_eq "$(cat w1 w2 | wc -l)" 19 "pages with --delay"
	lt 1.7 "$(elapsed "$start")" || fail "19 pages 0.1 s apart took $(elapsed "$start") s"
}

test_robots_txt_is_fetched_once_for_all_workers() {
	mkdir site
	printf 'User-agent: *\nDisallow: /farm/10/5\n' > site/robots.txt
	start_server -d "$PWD/site"
	start_redis
	local seed="$BASE/farm/10/0?delay=0.01" workers=()
	"$GF" --json --crawl --depth 3 "$seed" | jq -r '[.url, .error // "ok"] | @tsv' |
		sort > alone
	grep -q 'robots.txt' alone || fail "robots.txt forbade nothing alone"
	expect_eq "$(curl -s "$BASE/stats" | awk '/^robots/ { print $2 }')" 1 "robots.txt alone"
	start_workers 3 --crawl --depth 3 -c 8 --per-host 0 --frontier "$REDIS" "$seed"
	wait "${workers[@]}" || fail "a worker failed: $(cat err1 err2 err3)"
	[ -s w1 ] && [ -s w2 ] && [ -s w3 ] || fail "a worker did no page"
	expect_eq "$(curl -s "$BASE/stats" | awk '/^robots/ { print $2 }')" 2 \
		"requests for robots.txt (one alone, one for three workers)"
	# Those that did not fetch it kept its rules all the same.
	"$GF" --frontier "$REDIS" --collect "$seed" | jq -r '[.url, .error // "ok"] | @tsv' |
		sort > got
	expect_eq "$(cat got)" "$(cat alone)" "pages and what robots.txt said of them"
}

test_sitemaps_are_shared_by_the_workers() {
	# robots.txt names an index of 10 indexes of 10 sitemaps of 10 pages:
	# whichever worker takes a sitemap, every page comes once, and each
	# sitemap is read once.
	mkdir site
	echo '<p>seed</p>' > site/index.html
	printf 'User-agent: *\nAllow: /\nSitemap: /sitemaps/2/0/10\n' > site/robots.txt
	start_server -d "$PWD/site" -l log
	start_redis
	local workers=()
	start_workers 3 --crawl --sitemap -c 8 --per-host 0 --frontier "$REDIS" "$BASE/"
	wait "${workers[@]}" || fail "a worker failed: $(cat err1 err2 err3)"
	[ -s w1 ] && [ -s w2 ] && [ -s w3 ] || fail "a worker did no page"
	"$GF" --frontier "$REDIS" --collect "$BASE/" | jq -r .url | sort > got
	expect_eq "$(grep -c '/page/sm-' got)" 1000 "sitemap pages collected"
	expect_eq "$(uniq -d got)" "" "pages collected twice"
	expect_eq "$(grep -c ' GET /sitemaps/' log)" 111 "sitemaps read"
}

test_a_host_slowed_by_one_worker_is_slowed_for_all() {
	start_server
	start_redis
	# Worker 1's one URL answers 429: its host is slowed for the crawl.
	echo "$BASE/status/429" > first
	"$GF" --frontier "$REDIS" --crawl-id slow first > w1 2> err1
	expect_eq "$(cut -f1 w1)" 429 "worker 1's record"
	[ -n "$(redis-cli -p "$RPORT" hget 'gf:{slow}:slow' 127.0.0.1)" ] ||
		fail "the host was not slowed in Redis"
	# Worker 2 never sees a 429, yet starts slowly: a few at once, more as
	# its successes come, not its 20.
	for i in $(seq 40); do echo "$BASE/delay/0.3?$i"; done > urls
	"$GF" --frontier "$REDIS" --crawl-id slow -c 20 --per-host 20 urls > w2 2> err2 ||
		fail "worker 2: exit $?: $(cat err2)"
	expect_eq "$(grep -c '^200' w2)" 40 "worker 2's successes"
	local most
	most=$(curl -s "$BASE/stats" | awk '/max_inflight/ { print $2 }')
	[ "$most" -le 10 ] || fail "$most requests at once at the server"
	# Its successes lift the slowing, step by step.
	local limit
	limit=$(redis-cli -p "$RPORT" hget 'gf:{slow}:slow' 127.0.0.1 | cut -d' ' -f1)
	[ "${limit:-20}" -gt 1 ] || fail "the limit did not rise with successes: $limit"
	echo "at most $most at once; the limit rose to ${limit:-none}"
}

test_hosts_at_their_limit_do_not_hide_the_others() {
	start_server
	start_redis
	# Worker A takes one URL of each of 40 slow hosts (--per-host 1); a
	# 41st host sorts after them. Worker B, taking 4 hosts' worth at a
	# time (-c 1), must not find only hosts at their limit.
	local i resolve=() pidA pidB
	for i in $(seq 40); do
		resolve+=(--resolve "h$i.test:$PORT:127.0.0.1")
		echo "http://h$i.test:$PORT/delay/3?a"
		echo "http://h$i.test:$PORT/delay/3?b"
	done > urls
	resolve+=(--resolve "z.test:$PORT:127.0.0.1")
	for i in $(seq 5); do echo "http://z.test:$PORT/get?$i"; done >> urls
	"$GF" --frontier "$REDIS" --crawl-id window -c 40 --per-host 1 "${resolve[@]}" urls \
		> wA 2> errA &
	pidA=$!
	pids+=($pidA)
	leased 40 || fail "worker A took fewer than 40"
	"$GF" --frontier "$REDIS" --crawl-id window -c 1 --per-host 1 "${resolve[@]}" urls \
		> wB 2> errB &
	pidB=$!
	pids+=($pidB)
	for i in $(seq 100); do
		[ "$(grep -c z.test wB)" = 5 ] && break
		sleep 0.02
	done
	expect_eq "$(grep -c z.test wB)" 5 "the free host's URLs done by B while A's are in flight"
	expect_eq "$(wc -l < wA)" 0 "A's records so far"
	wait "$pidA" "$pidB" || fail "a worker failed: $(cat errA errB)"
	expect_eq "$(cat wA wB | wc -l)" 85 "records"
}

test_redis_restarted_mid_crawl_loses_nothing() {
	start_server
	start_redis --appendonly yes --appendfsync always
	local seed="$BASE/farm/10/0?delay=0.01" workers=()
	crawl_alone "$seed" --depth 3 > alone
	start_workers 2 --crawl --depth 3 -c 8 --frontier "$REDIS" "$seed"
	sleep 0.6
	kill -KILL "$redis_pid"
	wait "$redis_pid" 2>/dev/null
	sleep 0.5
	redis-server --port "$RPORT" --bind 127.0.0.1 --dir "$PWD" --save '' \
		--appendonly yes --appendfsync always --logfile "$PWD/redis.log" &
	pids+=($!)
	wait "$pid1" || fail "worker 1: exit $?: $(cat err1)"
	wait "$pid2" || fail "worker 2: exit $?: $(cat err2)"
	collect "$seed" > got
	expect_eq "$(sort got)" "$(cat alone)" "the pages collected, once each"
}

test_a_lease_that_expired_is_fenced() {
	start_server
	start_redis
	local seed="$BASE/farm/1/7?delay=2"
	# Worker 1 takes the one page and stalls past its lease.
	"$GF" --crawl --depth 0 --lease 1 --frontier "$REDIS" "$seed" > w1 2> err1 &
	local pid1=$!
	pids+=($pid1)
	leased 1 || fail "worker 1 took nothing"
	kill -STOP "$pid1"
	sleep 1.5
	# Worker 2 gets the page once the lease is over, and commits it.
	"$GF" --crawl --depth 0 --lease 1 --frontier "$REDIS" "$seed" > w2 2> err2 ||
		fail "worker 2: exit $?: $(cat err2)"
	expect_eq "$(wc -l < w2)" 1 "worker 2's pages"
	kill -CONT "$pid1"
	wait "$pid1"
	grep -q 'lease .* had expired' err1 || fail "worker 1 was not fenced: $(cat err1)"
	expect_eq "$(collect "$seed")" "$seed" "the page collected once"
}

test_a_token_given_again_to_another_page_is_fenced() {
	# A Redis that lost its last second (appendfsync everysec) may give a
	# token again, to another page: the first holder's commit must not
	# end the second's lease.
	start_server
	start_redis
	local seed="$BASE/farm/1/7?delay=1" tok lease
	"$GF" --crawl --depth 0 --lease 3 --frontier "$REDIS" --crawl-id again "$seed" \
		> w1 2> err1 &
	local pid1=$!
	pids+=($pid1)
	leased 1 || fail "worker 1 took nothing"
	kill -STOP "$pid1"
	tok=$(redis-cli -p "$RPORT" hkeys 'gf:{again}:lease')
	lease=$(redis-cli -p "$RPORT" hget 'gf:{again}:lease' "$tok")
	redis-cli -p "$RPORT" hset 'gf:{again}:lease' "$tok" "${lease/farm\/1\/7/farm/1/8}" > /dev/null
	kill -CONT "$pid1"
	for _ in $(seq 150); do
		grep -q 'lease .* had expired' err1 && break
		sleep 0.02
	done
	grep -q 'lease .* had expired' err1 || fail "worker 1 was not fenced: $(cat err1)"
	expect_eq "$(redis-cli -p "$RPORT" hexists 'gf:{again}:lease' "$tok")" 1 \
		"the other page's lease"
	expect_eq "$(redis-cli -p "$RPORT" xlen 'gf:{again}:records')" 0 "records committed"
	kill -INT "$pid1"
	wait "$pid1"
	expect_eq $? 130 "exit status after SIGINT"
}

test_an_unreachable_redis_is_said_at_once() {
	local port
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	"$GF" --crawl --frontier "redis://127.0.0.1:$port" http://127.0.0.1:1/ > out 2> err
	expect_eq $? 2 "exit status"
	grep -q "cannot connect to Redis at 127.0.0.1:$port" err || fail "no clear error: $(cat err)"
	"$GF" --frontier redis://127.0.0.1:x --crawl http://127.0.0.1:1/ 2> err
	expect_eq $? 2 "exit status of a bad URL"
	"$GF" --crawl-id x http://127.0.0.1:1/ 2> err
	expect_eq $? 2 "exit status of --crawl-id alone"
}

test_sigint_hands_the_leases_back_at_once() {
	start_server
	start_redis
	local seed="$BASE/farm/10/0?delay=1"
	"$GF" --crawl --depth 2 -c 4 --frontier "$REDIS" --crawl-id handback "$seed" \
		> w1 2> err1 &
	local pid=$!
	pids+=($pid)
	sleep 1.6            # the seed is done: its pages are leased
	[ "$(redis-cli -p "$RPORT" zcard 'gf:{handback}:leases')" -gt 0 ] || fail "no lease out"
	kill -INT "$pid"
	wait "$pid"
	expect_eq $? 130 "exit status"
	# Not in a minute (--lease), but now: what it took and did not do is
	# queued again.
	expect_eq "$(redis-cli -p "$RPORT" zcard 'gf:{handback}:leases')" 0 "leases out"
	local queued done
	queued=$(redis-cli -p "$RPORT" llen 'gf:{handback}:q:127.0.0.1')
	done=$(redis-cli -p "$RPORT" xlen 'gf:{handback}:records')
	expect_eq "$done" "$(wc -l < w1)" "records committed"
	expect_eq "$((queued + done))" $((done * 10)) "pages queued or done (ten a page)"
}

test_sigint_while_robots_txt_is_fetched_hands_the_page_back() {
	# robots.txt never answers: the seed waits for it when SIGINT comes.
	# It is not done, so it goes back to the queue, not into the records.
	start_server -R silent
	start_redis
	"$GF" --crawl --frontier "$REDIS" --crawl-id robotsint "$BASE/farm/2/0" > w1 2> err1 &
	local pid=$!
	pids+=($pid)
	leased 1 || fail "the seed was not taken"
	sleep 0.3
	kill -INT "$pid"
	wait "$pid"
	expect_eq $? 130 "exit status"
	expect_eq "$(redis-cli -p "$RPORT" xlen 'gf:{robotsint}:records')" 0 "records committed"
	expect_eq "$(redis-cli -p "$RPORT" zcard 'gf:{robotsint}:leases')" 0 "leases out"
	expect_eq "$(redis-cli -p "$RPORT" llen 'gf:{robotsint}:q:127.0.0.1')" 1 "the seed queued again"
	expect_eq "$(redis-cli -p "$RPORT" exists 'gf:{robotsint}:robotsfetch:http://127.0.0.1:'"$PORT")" 0 \
		"the claim on robots.txt"
}

test_a_url_list_is_shared_each_line_once() {
	start_server
	start_redis
	local workers=()
	for i in $(seq 300); do
		echo "$BASE/delay/0.01?$((i % 299))"
		[ "$i" != 150 ] || echo "ftp://not/for/us"
	done > urls
	start_workers 3 --frontier "$REDIS" --crawl-id list -c 4 --per-host 0 urls
	wait "${workers[@]}"
	expect_eq $? 1 "a worker's exit status (a line is no http URL)"
	[ -s w1 ] && [ -s w2 ] && [ -s w3 ] || fail "a worker did no URL"
	expect_eq "$(cat w1 w2 w3 | grep -vc ftp:)" 300 "records of the workers"
	expect_eq "$(grep -h ftp: w1 w2 w3 | cut -f1 | sort -u)" 000 "the bad line's records"
	"$GF" --frontier "$REDIS" --crawl-id list --collect | jq -r '"\(.index)\t\(.url)"' |
		sort -n > got
	expect_eq "$(wc -l < got)" 300 "records collected (a line twice is two jobs)"
	# Numbered by their lines, whichever worker did them.
	expect_eq "$(cat got)" "$(awk '!/ftp:/ { print NR "\t" $0 }' urls)" "the lines collected"
	"$GF" --frontier "$REDIS" urls 2> err
	expect_eq $? 2 "a shared list without --crawl-id"
}

test_a_worker_still_reading_its_list_holds_no_lines() {
	start_server
	start_redis
	local i pidA
	for i in $(seq 1500); do echo "$BASE/get?$i"; done > urls
	# A offers the list in batches as it reads, and takes lines only
	# once its input is over: until then it must lease none.
	{ cat urls; sleep 5; } | "$GF" --frontier "$REDIS" --crawl-id reading -c 16 \
		--per-host 0 - > wA 2> errA &
	pidA=$!
	pids+=($pidA)
	sleep 0.5
	"$GF" --frontier "$REDIS" --crawl-id reading -c 16 --per-host 0 urls > wB 2> errB ||
		fail "worker B: exit $?: $(cat errB)"
	kill -0 "$pidA" 2> /dev/null || fail "worker A's input was over before B was done"
	expect_eq "$(wc -l < wB)" 1500 "lines done by B while A reads"
	wait "$pidA" || fail "worker A: exit $?: $(cat errA)"
	expect_eq "$(wc -l < wA)" 0 "lines done by A"
}

test_an_item_that_cannot_be_read_is_dropped() {
	start_server
	start_redis
	# Something else wrote into the crawl's queue: taken, it cannot be
	# read; its lease must end, or it comes back for ever.
	redis-cli -p "$RPORT" rpush 'gf:{bad}:q:127.0.0.1' 'no tabs at all' > /dev/null
	redis-cli -p "$RPORT" zadd 'gf:{bad}:hosts' 0 127.0.0.1 > /dev/null
	local i
	for i in 1 2 3; do echo "$BASE/get?$i"; done > urls
	timeout 30 "$GF" --frontier "$REDIS" --crawl-id bad urls > w1 2> err1
	expect_eq $? 0 "exit status"
	grep -q 'an item Redis gave cannot be read: dropped: no tabs at all' err1 ||
		fail "not said: $(cat err1)"
	expect_eq "$(wc -l < w1)" 3 "records"
	expect_eq "$(redis-cli -p "$RPORT" zcard 'gf:{bad}:leases')" 0 "leases out"
}

test_a_shared_crawl_is_clean_under_valgrind() {
	[ -z "${ASAN_OPTIONS:-}" ] || { echo "under ASan: skipped"; return 0; }
	command -v valgrind > /dev/null || fail "valgrind is not installed"
	start_server
	start_redis
	valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
		--log-file=vg.log "$GF" --crawl --depth 2 --frontier "$REDIS" "$BASE/farm/4/0" > w1
	[ "$?" = 99 ] && fail "valgrind errors: $(head -n 40 vg.log)"
	expect_eq "$(wc -l < w1)" 16 "pages"
	valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
		--log-file=vg2.log "$GF" --frontier "$REDIS" --collect "$BASE/farm/4/0" > got
	[ "$?" = 99 ] && fail "valgrind errors in --collect: $(head -n 40 vg2.log)"
	expect_eq "$(wc -l < got)" 16 "records collected"
}
