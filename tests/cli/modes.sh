# modes.sh - --serial against concurrent, exit status, usage, --stats,
# --help and --version, the docs against the option table, the layout of
# the sources, make install.

test_serial_writes_the_same_records() {
	start_server
	{
		echo $BASE/delay/0.6; echo $BASE/status/404; echo "garbage"
		echo $BASE/redirect/2; echo $BASE/bytes/1000; echo "ftp://x/"
		echo "$BASE/redirect-to?url=file:///x"; echo $BASE/delay/0.2
	} > urls
	"$GF" urls > conc; rc1=$?
	"$GF" --serial urls > ser; rc2=$?
	expect_eq "$rc1" "$rc2" "exit status"
	expect_eq "$(untimed < ser)" "$(untimed < conc)" "records"
	"$GF" --json urls | jq -c 'del(.time)' > conc.json
	"$GF" --serial --json urls | jq -c 'del(.time)' > ser.json
	cmp conc.json ser.json || fail "JSON records differ"
}

test_serial_takes_the_sum_of_the_delays() {
	start_server
	printf '%s\n' $BASE/delay/1 $BASE/delay/1 $BASE/delay/1 > urls
	"$GF" --serial --stats urls > out 2> err
	expect_match "$(cat err)" "^3 URLs, 3 ok, 0 failed in (3\.[0-9]+) s \(serial\)$"
	"$GF" --stats urls > out 2> err
	expect_match "$(cat err)" "^3 URLs, 3 ok, 0 failed in (1\.[0-9]+) s \(concurrency 20, 6 per host\)$"
}

test_the_per_host_limit_is_said_where_it_matters() {
	start_server
	for i in 1 2 3 4; do echo $BASE/delay/0.3; done > urls
	"$GF" -v --stats --per-host 2 urls > out 2> err
	expect_eq "$(grep -c 'waits for 127.0.0.1: 2 transfers to it at once (--per-host 2)' err)" 2 \
		"URLs said to wait for their host"
	expect_match "$(tail -n 1 err)" "^4 URLs, 4 ok, 0 failed in .* \(concurrency 20, 2 per host\)$" "stats"
	"$GF" -v --delay 0.2 $BASE/bytes/1 $BASE/bytes/2 > out 2> err
	grep -q 'waits 0\.[12][0-9]* s to start (--delay, --rate or Crawl-delay)' err ||
		fail "a wait for --delay was not said: $(cat err)"
}

test_exit_status_and_usage_errors() {
	start_server
	"$GF" $BASE/ > /dev/null; expect_eq $? 0 "all ok"
	"$GF" $BASE/ $BASE/status/404 > /dev/null; expect_eq $? 1 "one failed"
	for bad in "-c 0" "-c 100001" "-c x" "--max-time -1" "--max-time abc" \
		   "--max-redirs -1" "--nope" "-H novalue" "-c"; do
		"$GF" $bad $BASE/ > out 2> err; rc=$?
		expect_eq "$rc" 2 "exit status of '$bad'"
		expect_eq "$(wc -l < err)" 2 "message lines of '$bad'"
		expect_match "$(tail -n 1 err)" "Try 'greenfetch --help'"
		[ -s out ] && fail "'$bad' wrote records"
	done
	"$GF" --help > out; expect_eq $? 0 "--help"
	expect_match "$(cat out)" "--concurrency N"
	"$GF" -V > out; expect_eq $? 0 "-V"
	expect_match "$(cat out)" "greenfetch [0-9.]+.*libcurl [0-9.]+.*c-ares [0-9.]+.*libev [0-9.]+"
}

test_long_options_are_matched_in_full() {
	start_server -l log
	# getopt alone would take --user-a for --user-agent (and before
	# --user existed, --user too, sending the password to every host).
	"$GF" --user-a alice:s3cret $BASE/ > out 2> err; rc=$?
	expect_eq "$rc" 2 "exit status of a prefix"
	expect_eq "$(head -n 1 err)" "greenfetch: unknown option '--user-a' (did you mean --user-agent?)"
	[ -s out ] && fail "a prefix ran"
	grep -q ' GET ' log && fail "a prefix fetched"
	"$GF" --crwal $BASE/ 2> err; expect_eq $? 2 "a typo"
	expect_eq "$(head -n 1 err)" "greenfetch: unknown option '--crwal' (did you mean --crawl?)"
	"$GF" --per-hos=2 $BASE/ 2> err; expect_eq $? 2 "a prefix with ="
	expect_eq "$(head -n 1 err)" "greenfetch: unknown option '--per-hos' (did you mean --per-host?)"
	"$GF" --qwertyuiop $BASE/ 2> err; expect_eq $? 2 "nothing near"
	expect_eq "$(head -n 1 err)" "greenfetch: unknown option '--qwertyuiop'"
	# Full names, with = or apart, and URLs among options, still work.
	"$GF" $BASE/bytes/1 --user-agent=x/1 --per-host 2 $BASE/bytes/2 -- $BASE/bytes/3 > out; rc=$?
	expect_eq "$rc" 0 "full names"
	expect_eq "$(cut -f2 out | tr '\n' ' ')" "1 2 3 " "inputs in order"
	grep -q 'User-Agent: x/1' log || fail "--user-agent= not applied"
}

test_output_closed_early_is_quiet() {
	start_server
	for i in $(seq 3000); do echo $BASE/bytes/1; done > urls
	t0=$(now)
	"$GF" urls 2> err | head -n 1 > out
	rc=${PIPESTATUS[0]}
	took=$(elapsed "$t0")
	expect_eq "$(wc -l < out)" 1
	[ -s err ] && fail "wrote to stderr: $(cat err)"
	[ "$rc" = 0 ] || [ "$rc" = 141 ] || fail "exit status $rc"
	lt "$took" 5 || fail "took $took s"
}

test_a_closed_pipe_is_noticed_while_waiting() {
	# The next record is 10 s away: the reader's end is seen at once
	# (--serial: at curl's next progress call, about a second).
	start_server
	printf '%s\n' $BASE/bytes/1 $BASE/delay/10 > urls
	for mode in "" --serial; do
		t0=$(now)
		"$GF" $mode urls 2> err | head -n 1 > out
		rc=${PIPESTATUS[0]}
		took=$(elapsed "$t0")
		expect_eq "$rc" 141 "exit status ($mode)"
		expect_eq "$(cut -f2 out)" 1 "the record read ($mode)"
		[ -s err ] && fail "wrote to stderr ($mode): $(cat err)"
		lt "$took" 2.5 || fail "took $took s to notice ($mode)"
	done
}

# --help is written from the option table: each option, its argument and
# its default must be the same in the man page and the README.
test_the_docs_match_the_option_table() {
	"$GF" --help | python3 "$OLDPWD/tests/docs_options.py" "$OLDPWD/man/greenfetch.1" \
		"$OLDPWD/README.md" > docs.err || fail "the docs and the option table differ: $(cat docs.err)"
	sed 's/\\-/-/g' "$OLDPWD/man/greenfetch.1" > man.txt
	opts=$("$GF" --help | grep -oE -- '--[a-z][a-z0-9.-]+' | sort -u)
	[ -n "$opts" ] || fail "no options in --help"
	for o in $opts; do
		grep -qE -- "Fl -${o#--}( |$)" man.txt || fail "$o is not in man/greenfetch.1"
		grep -q -- "$o" "$OLDPWD/README.md" || fail "$o is not in README.md"
	done
	listed=$(sed -n 's/^\.\\" \(--.*\)/\1/p' "$OLDPWD/man/greenfetch.1" | tr ' ' '\n' | grep -- '^--' | sort -u)
	expect_eq "$listed" "$opts" "the option list at the top of the man page"
	out=$(mandoc -Tlint -W warning "$OLDPWD/man/greenfetch.1" 2>&1)
	[ -z "$out" ] || fail "mandoc -Tlint: $out"
}

# Includes follow the flow (common <- pool <- fetch <- crawl <- cli; no
# libcurl, libev or c-ares in cli/), files and functions stay small.
test_the_layout_is_as_drawn() {
	python3 "$OLDPWD/tests/layout.py" "$OLDPWD" > layout.err ||
		fail "the layout is broken: $(cat layout.err)"
}

test_make_install_honours_prefix_and_destdir() {
	env -u BUILD make -s -C "$OLDPWD" install DESTDIR="$PWD/root" PREFIX=/opt/gf > log 2>&1 ||
		fail "make install: $(cat log)"
	[ -x root/opt/gf/bin/greenfetch ] || fail "binary not installed"
	[ -f root/opt/gf/share/man/man1/greenfetch.1 ] || fail "man page not installed"
}

test_concurrency_fits_the_fd_limit() {
	start_server
	for i in $(seq 300); do echo $BASE/delay/0.1; done > urls
	(ulimit -n 64; "$GF" -c 500 --per-host 0 urls > out 2> err); rc=$?
	expect_eq "$rc" 0 "every URL fetched"
	expect_eq "$(cut -f1 out | sort | uniq -c | tr -s ' ')" " 300 200"
	expect_match "$(cat err)" "^greenfetch: -c 500 lowered to [0-9]+: only 64 file descriptors may be open \(ulimit -n\)$"
}

test_a_failed_write_is_an_error() {
	start_server
	"$GF" $BASE/ > /dev/full 2> err; rc=$?
	expect_eq "$rc" 1 "exit status"
	expect_match "$(cat err)" "write error: No space left on device"
	"$GF" --serial $BASE/ > /dev/full 2> err; expect_eq $? 1 "--serial"
	"$GF" --body $BASE/bytes/100000 > /dev/full 2> err; expect_eq $? 1 "--body"
}

test_fail_fast_starts_nothing_after_a_failure() {
	start_server -l log
	{ echo $BASE/bytes/1; echo $BASE/status/404; for i in 2 3 4 5; do echo $BASE/bytes/$i; done; } > urls
	for mode in "-c 1" "--serial" "-j 2 -c 1"; do
		"$GF" --fail-fast $mode urls > out 2> err; rc=$?
		expect_eq "$rc" 3 "exit status ($mode)"
		expect_eq "$(cut -f1 out | tr '\n' ' ')" "200 404 " "records ($mode)"
		expect_eq "$(cat err)" "greenfetch: --fail-fast: stopped after #2 failed: 2 done, 4 not started" "($mode)"
	done
	expect_eq "$(grep -c ' GET /bytes/[2-5] ' log)" 0 "URLs started after the failure"
	# Retried, a failure is one when its last try failed; one at the end
	# leaves nothing unstarted: the usual status.
	"$GF" --fail-fast --retry 1 --retry-delay 0.01 $BASE/bytes/1 $BASE/status/503 > out; rc=$?
	expect_eq "$rc" 1 "a failure with nothing left"
	expect_eq "$(grep -c ' GET /status/503 ' log)" 2 "tries of the failing URL"
	# In flight when the failure came: it ends and is written.
	"$GF" --fail-fast -c 2 $BASE/delay/0.5 $BASE/status/500 $BASE/bytes/9 > out; rc=$?
	expect_eq "$rc" 3
	expect_eq "$(cut -f1 out | tr '\n' ' ')" "200 500 " "the slow URL in flight finished"
}

test_stats_json_counts_the_run() {
	start_server
	{ echo $BASE/bytes/10; echo $BASE/status/404; echo $BASE/status/503
	  echo "http://localhost:$PORT/bytes/20"; echo http://127.0.0.1:1/; echo bad; } > urls
	"$GF" --stats-json stats.json -c 4 urls > out; rc=$?
	expect_eq "$rc" 1
	expect_eq "$(jq -c '[.urls, .ok, .failed, .status["2xx"], .status["4xx"], .status["5xx"], .status.none, .bytes]' stats.json)" \
		"[6,2,4,2,1,1,2,52]" "counts (bytes: error pages too)"
	expect_eq "$(jq -c '[.errors[] | [.exitcode, .urls]]' stats.json)" "[[3,1],[7,1],[22,2]]" "errors"
	expect_eq "$(jq -c '[.hosts, .busiest_hosts[0].host, .busiest_hosts[0].urls, .busiest_hosts[1].host]' stats.json)" \
		'[2,"127.0.0.1",4,"localhost"]' "hosts"
	expect_eq "$(jq -r '[.mode, .concurrency, .peak_in_flight <= 4, .peak_in_flight >= 2] | @tsv' stats.json)" \
		"concurrent	4	true	true" "mode and peak"
	# The 6 s and 2 s story, as numbers: one at a time the URLs' times add
	# up to the wall time; on the hub they add up to more.
	for i in 1 2 3; do echo $BASE/delay/0.3; done > slow
	"$GF" --serial --stats-json - slow > out 2> serial.json
	"$GF" --stats-json - slow > out 2> hub.json
	expect_eq "$(jq -r '[.mode, .time_sum_s >= 0.9, .wall_s >= 0.9] | @tsv' serial.json)" "serial	true	true"
	expect_eq "$(jq -r '[.mode, .time_sum_s >= 0.9, .wall_s < 0.6, .peak_in_flight] | @tsv' hub.json)" "concurrent	true	true	3"
	"$GF" --stats-json /nonexistent/s.json $BASE/bytes/1 > out 2> err; rc=$?
	expect_eq "$rc" 1 "a summary that cannot be written fails the run"
	expect_match "$(cat err)" "^greenfetch: --stats-json /nonexistent/s.json: "
}
