# hubs.sh - -j N: transfers on N hub threads, records as with one hub.

mixed_urls() {
	echo $BASE/delay/0.6; echo $BASE/status/404; echo "garbage"
	echo $BASE/redirect/2; echo $BASE/bytes/1000; echo "ftp://x/"
	echo "$BASE/redirect-to?url=file:///x"; echo $BASE/delay/0.2
	echo "http://localhost:$PORT/bytes/7"; echo "http://127.0.0.1:1/"
	for i in $(seq 40); do echo "$BASE/bytes/$i"; done
}

# Records without their times (also "after 0 ms" in a connect error).
plain() { untimed | sed -E 's/after [0-9]+ ms/after N ms/'; }

test_hubs_write_the_same_records() {
	start_server
	mixed_urls > urls
	"$GF" urls > one; rc1=$?
	"$GF" -j 3 urls > three; rc3=$?
	"$GF" -j 3 --per-host 0 -c 7 urls > spread; rc4=$?
	expect_eq "$rc3" "$rc1" "exit status"
	expect_eq "$rc4" "$rc1" "exit status, --per-host 0"
	expect_eq "$(plain < three)" "$(plain < one)" "records"
	expect_eq "$(plain < spread)" "$(plain < one)" "records, --per-host 0"
	"$GF" --json urls | jq -c 'del(.time, .timings)' | plain > one.json
	"$GF" -j 2 --per-host 0 --json urls | jq -c 'del(.time, .timings)' | plain > two.json
	cmp one.json two.json || fail "JSON records differ"
}

test_hubs_are_threads_and_only_those() {
	command -v strace > /dev/null || fail "strace is not installed"
	start_dns
	start_server
	for i in $(seq 200); do echo "http://a.test:$PORT/bytes/1"; done > urls
	no_lsan
	strace -f -qq -e trace=clone,clone3 -o trace "$GF" -j 3 --per-host 0 \
		--dns-servers "$DNS" urls > out
	expect_eq "$(cut -f1 out | sort | uniq -c | tr -s ' ')" " 200 200" "records"
	# One thread per hub, and no resolver thread on any of them.
	expect_eq "$(grep -c clone trace)" 3 "threads created"
	# Each hub asks for a name once (A and AAAA) at most.
	n=$(dns_queries a.test)
	[ "$n" -ge 2 ] && [ "$n" -le 6 ] || fail "$n queries for a.test"
}

test_hubs_keep_per_host_limits() {
	start_server
	{ for i in $(seq 20); do echo $BASE/delay/0.2; done
	  for i in $(seq 20); do echo "http://localhost:$PORT/delay/0.2"; done; } > urls
	"$GF" -j 4 -c 1000 --per-host 2 urls > out
	expect_eq "$(cut -f1 out | sort | uniq -c | tr -s ' ')" " 40 200" "records"
	# Two host names, two transfers each, whichever hubs they land on.
	expect_eq "$(curl -s $BASE/stats | head -n 1)" "max_inflight 4" "--per-host 2, two hosts"
}

test_hubs_share_the_concurrency() {
	start_server
	for i in $(seq 40); do echo $BASE/delay/0.5; done > urls
	t0=$(now)
	"$GF" -j 2 -c 20 --per-host 0 urls > out
	took=$(elapsed "$t0")
	expect_eq "$(curl -s $BASE/stats | head -n 1)" "max_inflight 20" "-c 20 over two hubs"
	lt "$took" 1.5 || fail "took $took s"
}

test_hubs_close_idle_connections_once_the_input_is_over() {
	# Each hub learns that the input is over: the quick URLs' connections
	# close as they end, but one a hub, while the slow URL runs.
	closes_during_slow_url -j 2 -c 20 --per-host 0
	[ "$EARLY" -ge $((QUICK - 2)) ] ||
		fail "$EARLY of $QUICK connections closed during the slow URL"
}

test_hubs_save_files() {
	start_server
	for i in 1 2 3 4 5 6; do echo "$BASE/bytes/$((i * 100))"; done > urls
	"$GF" -j 2 --per-host 0 -o dir --json urls > out
	expect_eq "$(jq -r '.file' out | xargs -n 1 stat -c %s | tr '\n' ' ')" \
		"100 200 300 400 500 600 "
}

test_hubs_stop_on_a_signal() {
	start_server
	# As output.sh's one-hub test: the same records, the same counts.
	{ for i in 1 2 3; do echo $BASE/bytes/$i; done; echo $BASE/delay/30
	  for i in 4 5 6; do echo $BASE/bytes/$i; done; } > urls
	for i in $(seq 20); do echo $BASE/bytes/1; done >> urls
	interrupt_after 0.5 -j 2 -c 2 urls
	expect_eq "$rc" 130
	expect_eq "$(cut -f2 out | tr '\n' ' ')" "1 2 3 4 5 6 1 1 1 1 " "records done, in order"
	expect_eq "$(cat err)" "interrupted: 10 done, 1 stopped in flight, 16 not started"
	lt "$took" 3 || fail "took $took s after the signal"
}

test_hubs_usage() {
	"$GF" -j 2 --serial http://127.0.0.1:1/ > out 2> err; rc=$?
	expect_eq "$rc" 2 "-j with --serial"
	expect_match "$(cat err)" "cannot be used together"
	"$GF" -j 65 http://127.0.0.1:1/ > out 2> err; rc=$?
	expect_eq "$rc" 2 "-j 65"
}

test_one_site_keeps_every_hub_at_work() {
	# A crawl of one site, --per-host on (the default): the transfers
	# still go to both hubs, each connecting from its own thread.
	command -v strace > /dev/null || fail "strace is not installed"
	start_server
	no_lsan
	strace -f -qq -e trace=connect -o trace "$GF" -j 2 --crawl --no-robots \
		-c 8 --per-host 8 "$BASE/links/40/0" > out
	expect_eq "$(wc -l < out)" 40 "pages"
	threads=$(grep "htons($PORT)" trace | cut -d' ' -f1 | sort -u | wc -l)
	expect_eq "$threads" 2 "threads that connected to the server"
}

test_hubs_crawl_and_bodies_as_one_hub() {
	# A crawl and ordered bodies on two hubs: the same records and the
	# same bytes as on one.
	start_server
	"$GF" --crawl --no-robots --json --per-host 8 "$BASE/links/40/0" | jq -c 'del(.time)' > one
	"$GF" -j 2 --crawl --no-robots --json --per-host 8 "$BASE/links/40/0" | jq -c 'del(.time)' > two
	expect_eq "$(wc -l < one)" 40 "pages"
	cmp -s one two || fail "the crawl differs on two hubs: $(diff one two | head -n 4)"
	{ for i in $(seq 30); do echo "$BASE/bytes/$((i * 997))"; echo "$BASE/delay/0.0$((i % 10))"; done; } > urls
	"$GF" --body --per-host 0 urls > body1
	"$GF" -j 2 --body --per-host 0 urls > body2
	cmp -s body1 body2 || fail "bodies differ on two hubs"
	expect_eq "$(stat -c %s body2)" "$(cat body1 | wc -c)" "bytes"
}

test_hubs_share_rate_delay_and_per_host() {
	# The waits are the main hub's: they hold across the hubs, at the
	# server.
	start_server -l log
	for i in $(seq 20); do echo "http://h$((i % 4)).test:$PORT/bytes/1"; done > urls
	pins=(); for h in 0 1 2 3; do pins+=(--resolve "h$h.test:$PORT:127.0.0.1"); done
	"$GF" -j 2 -c 100 --per-host 0 --rate 10 "${pins[@]}" urls > out
	expect_eq "$(cut -f1 out | sort -u)" 200 "statuses"
	t=($(request_times /bytes/))
	span=$(echo "${t[19]} - ${t[0]}" | bc -l)
	lt 1.85 "$span" || fail "20 requests at --rate 10 on two hubs in $span s"
	mkdir delay && cd delay
	start_server -l log
	for i in $(seq 4); do echo $BASE/bytes/$i; done > urls
	"$GF" -j 2 --delay 0.3 urls > out
	t=($(request_times /bytes/))
	for i in 1 2 3; do
		gap=$(echo "${t[$i]} - ${t[$((i - 1))]}" | bc -l)
		lt 0.28 "$gap" || fail "--delay 0.3 on two hubs: requests $gap s apart"
	done
	start_server
	for i in $(seq 30); do echo $BASE/delay/0.2; done > urls
	"$GF" -j 2 -c 100 --per-host 3 urls > out
	expect_eq "$(curl -s $BASE/stats | head -n 1)" "max_inflight 3" "--per-host 3 on two hubs"
}

test_hubs_end_when_nothing_is_fetched() {
	# The run is over before the loop starts: it must not wait for ever.
	printf '' | timeout 5 "$GF" -j 2 > out; rc=$?
	expect_eq "$rc" 0 "empty input"
	printf 'garbage\nftp://x/\n' | timeout 5 "$GF" -j 2 > out; rc=$?
	expect_eq "$rc" 1 "no URL to fetch"
	expect_eq "$(wc -l < out)" 2 "records"
}

test_more_hubs_than_cores_is_warned_about() {
	start_server
	cores=$(nproc)
	"$GF" -j $((cores + 1)) $BASE/bytes/1 > out 2> err; rc=$?
	expect_eq "$rc" 0 "exit status"
	expect_eq "$(cat err)" "greenfetch: -j $((cores + 1)): this machine has $cores core$([ "$cores" = 1 ] || echo s); hubs beyond that only add threads"
	"$GF" -j "$cores" $BASE/bytes/1 > out 2> err
	[ -s err ] && fail "warned at -j $cores: $(cat err)"
	return 0
}
