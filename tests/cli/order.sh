# order.sh - the pile: input order, streaming release, --unordered, the
# reorder window, and concurrency itself.

test_input_order_with_shuffled_delays() {
	start_server
	printf '%s\n' $BASE/delay/3 $BASE/delay/1 $BASE/delay/2 $BASE/delay/0 > urls
	t0=$(now)
	"$GF" urls > out; rc=$?
	took=$(elapsed "$t0")
	expect_eq "$rc" 0 "exit status"
	expect_eq "$(cut -f4 out | tr '\n' ' ')" \
		"$BASE/delay/3 $BASE/delay/1 $BASE/delay/2 $BASE/delay/0 " "order"
	expect_eq "$(cut -f1 out | sort -u)" 200 "statuses"
	# Concurrent: about the longest delay (3 s), not the sum (6 s).
	lt "$took" 4.5 || fail "took $took s, expected about 3"
	lt 2.9 "$took" || fail "took $took s, less than the slowest URL"
}

test_head_record_streams_before_the_rest() {
	start_server
	printf '%s\n' $BASE/delay/0 $BASE/delay/3 > urls
	t0=$(now)
	"$GF" urls | stamp_lines "$t0" > out
	first=$(head -n 1 out | cut -d' ' -f1)
	lt "$first" 1.5 || fail "first record after $first s: not streamed"
	expect_match "$(head -n 1 out)" "delay/0$" "first record"
}

test_unordered_releases_as_completed() {
	start_server
	printf '%s\n' $BASE/delay/2 $BASE/delay/0.2 $BASE/delay/1 > urls
	"$GF" --unordered urls > out
	expect_eq "$(cut -f4 out | sed 's|.*/||' | tr '\n' ' ')" "0.2 1 2 " "completion order"
	"$GF" urls > out2
	expect_eq "$(cut -f4 out2 | sed 's|.*/||' | tr '\n' ' ')" "2 0.2 1 " "input order"
}

test_window_holds_back_new_starts() {
	start_server -l log
	{ echo $BASE/delay/2; for i in $(seq 40); do echo $BASE/bytes/$i; done; } > urls
	"$GF" -c 2 urls > out &
	pid=$!
	sleep 1
	started=$(grep -c ' GET ' log)
	wait $pid
	# -c 2 gives a window of 8: the slow head and 7 behind it.
	expect_eq "$started" 8 "requests started while the head was slow"
	expect_eq "$(wc -l < out)" 41 "records"
	expect_eq "$(grep -c ' GET ' log)" 41 "requests in the end"
}

test_concurrency_bounds_requests_in_flight() {
	start_server -l log
	for i in $(seq 12); do echo $BASE/delay/1; done > urls
	t0=$(now)
	"$GF" -c 4 urls > out
	took=$(elapsed "$t0")
	expect_eq "$(wc -l < out)" 12 "records"
	# 12 one-second URLs, 4 at a time: three rounds.
	lt 2.9 "$took" || fail "took $took s: more than 4 in flight"
	lt "$took" 4.5 || fail "took $took s: fewer than 4 in flight"
}

test_thousand_slow_urls_at_once() {
	start_server
	for i in $(seq 1000); do echo $BASE/delay/1; done > urls
	t0=$(now)
	"$GF" -c 1000 --per-host 0 --stats urls > out 2> err
	took=$(elapsed "$t0")
	expect_eq "$(cut -f1 out | sort | uniq -c | tr -s ' ')" " 1000 200" "all 200"
	lt "$took" 4 || fail "1000 one-second URLs at -c 1000 took $took s"
	expect_match "$(cat err)" "^1000 URLs, 1000 ok, 0 failed in [0-9.]+ s \(concurrency 1000\)$" "stats"
}

test_idle_connections_close_once_the_input_is_over() {
	# The input is over at once. The quick URLs' connections close as
	# they end, but one, while the slow URL runs: not all at exit.
	closes_during_slow_url -c 20 --per-host 0
	[ "$EARLY" -ge $((QUICK - 2)) ] ||
		fail "$EARLY of $QUICK connections closed during the slow URL"
}

test_past_64_in_flight_no_connection_stays_once_the_input_is_over() {
	# Each connection closes as its URL ends, none kept for a redirect:
	# libcurl would walk all of them each time one is kept.
	NQUICK=80 closes_during_slow_url -c 100 --per-host 0
	expect_eq "$EARLY" "$QUICK" "connections closed during the slow URL"
}

test_many_instant_failures_past_a_batch() {
	start_server
	{ for i in $(seq 300); do echo "bad$i"; echo $BASE/bytes/$i; done; } > urls
	# Past -c 64 the pool starts jobs in batches between turns of the hub;
	# failures that end at once must not stall it.
	timeout 20 "$GF" -c 500 --per-host 0 urls > out; rc=$?
	"$GF" urls > ref; rc_ref=$?
	expect_eq "$rc" "$rc_ref" "exit status"
	expect_eq "$(wc -l < out)" 600 "records"
	expect_eq "$(untimed < out)" "$(untimed < ref)" "records as at -c 20"
	# Nothing but failures: no transfer keeps the hub awake.
	seq 1000 | sed 's/^/bad/' > bad
	timeout 20 "$GF" -c 500 bad > out
	expect_eq "$(wc -l < out)" 1000 "records of malformed lines"
}

test_connections_are_reused() {
	start_server -l log
	for i in $(seq 30); do echo $BASE/bytes/10; done > urls
	"$GF" -c 2 urls > out
	expect_eq "$(wc -l < out)" 30 "records"
	conns=$(awk '$2 == "GET" { print $1 }' log | sort -u | wc -l)
	[ "$conns" -le 3 ] || fail "30 URLs at -c 2 used $conns connections"
}

test_connections_are_reused_per_host() {
	start_server -l log
	# Two origins taking turns: each transfer that ends leaves a connection
	# its origin's next transfer takes, not a fresh one.
	for i in $(seq 20); do
		echo "http://127.0.0.1:$PORT/bytes/10"; echo "http://localhost:$PORT/bytes/10"
	done > urls
	"$GF" -c 2 --per-host 1 urls > out
	expect_eq "$(cut -f1 out | sort | uniq -c | tr -s ' ')" " 40 200" "records"
	conns=$(awk '$2 == "GET" { print $1 }' log | sort -u | wc -l)
	[ "$conns" -le 4 ] || fail "40 URLs on two origins at -c 2 used $conns connections"
}

test_a_burst_of_instant_failures_after_a_transfer_loses_nothing() {
	# The quick URL ends on the hub and frees its slot; the 500 lines
	# behind it fail at once, more than one batch of them. Every one
	# still gets its record, at any -c.
	start_server
	{ echo $BASE/delay/0; for i in $(seq 500); do echo ftp://x/$i; done; } > urls
	for c in 1 3 20 100; do
		"$GF" -c $c urls > out; rc=$?
		expect_eq "$(wc -l < out)" 501 "records at -c $c"
		expect_eq "$rc" 1 "exit status at -c $c"
		expect_eq "$(tail -n 1 out | cut -f4)" ftp://x/500 "last record at -c $c"
	done
}
