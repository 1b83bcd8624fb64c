# robust.sh - retries, politeness limits, methods and headers, caps, safe
# redirects: measured at the test server where it counts.

# Request times for lines of the server log matching a pattern.

test_retry_until_success() {
	start_server -l log
	"$GF" --json --retry 3 --retry-delay 0.2 $BASE/flaky/a/2 > out
	expect_eq "$(jq -r '[.status, .attempts, .error] | @tsv' out)" "200	3	" "after two 503s"
	expect_eq "$(grep -c ' GET /flaky/a/2 ' log)" 3 "requests"
	t=($(request_times /flaky/a/))
	gap1=$(echo "${t[1]} - ${t[0]}" | bc -l); gap2=$(echo "${t[2]} - ${t[1]}" | bc -l)
	lt 0.14 "$gap1" && lt "$gap1" 0.3 || fail "first wait $gap1 s (0.2 +- 25 %)"
	lt 0.29 "$gap2" && lt "$gap2" 0.55 || fail "second wait $gap2 s (0.4 +- 25 %)"
	"$GF" --json $BASE/flaky/b/1 > out
	expect_eq "$(jq -r '[.status, .attempts] | @tsv' out)" "503	1" "no --retry"
	"$GF" --json --retry 1 --retry-delay 0.1 $BASE/flaky/c/5 > out
	expect_eq "$(jq -r '[.status, .attempts, .error] | @tsv' out)" \
		"503	2	HTTP 503 Service Unavailable" "retries run out"
	"$GF" -w '%{num_retries}\n' --retry 2 --retry-delay 0.1 $BASE/flaky/d/1 > out
	expect_eq "$(cat out)" 1 "%{num_retries}"
}

test_retry_transport_failures() {
	start_server
	"$GF" --json --retry 2 --retry-delay 0.1 "$BASE/flaky/e/1?mode=close" > out
	expect_eq "$(jq -r '[.status, .attempts] | @tsv' out)" "200	2" "empty reply"
	"$GF" --json --retry 2 --retry-delay 0.1 $BASE/status/404 > out
	expect_eq "$(jq -r .attempts out)" 1 "no retry for a 404"
	kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null
	"$GF" --json --retry 2 --retry-delay 0.1 $BASE/ > out
	expect_eq "$(jq -r .attempts out)" 3 "connection refused"
}

test_retry_after_is_honoured() {
	start_server -l log
	"$GF" --json --retry 1 --retry-delay 0.05 "$BASE/status/429?retry-after=1" > out
	t=($(request_times /status/429))
	gap=$(echo "${t[1]} - ${t[0]}" | bc -l)
	lt 0.95 "$gap" || fail "waited $gap s, Retry-After said 1"
	when=$(date -u -d '+3 sec' '+%a, %d %b %Y %H:%M:%S GMT' | jq -sRr @uri)
	"$GF" --json --retry 1 --retry-delay 0.05 "$BASE/status/503?retry-after=$when" > out
	t=($(request_times /status/503))
	gap=$(echo "${t[1]} - ${t[0]}" | bc -l)
	lt 1.5 "$gap" || fail "waited $gap s for an HTTP date 3 s ahead"
}

test_retry_waits_free_the_slot() {
	# The retried URL on a host of its own: a 503 slows its host as a
	# whole, and that is not what is looked at here.
	start_server
	{ echo http://localhost:$PORT/flaky/f/1; for i in 1 2 3 4 5; do echo $BASE/bytes/$i; done; } > urls
	"$GF" -c 1 --unordered --json --retry 1 --retry-delay 1 urls > out
	expect_eq "$(jq -r .bytes out | tr '\n' ' ')" "1 2 3 4 5 11 " "others ran while it waited"
	"$GF" -c 1 --json --retry 1 --retry-delay 1 urls > out
	expect_eq "$(jq -r .index out | tr '\n' ' ')" "1 2 3 4 5 6 " "its place in the order"
}

test_retry_limits_in_time() {
	start_server
	"$GF" --json --retry 5 --retry-delay 1 --retry-max-time 1.5 $BASE/status/503 > out
	expect_eq "$(jq -r .attempts out)" 2 "--retry-max-time"
	t0=$(now)
	"$GF" --json -m 1 --retry 9 --retry-delay 0.2 $BASE/status/503 > out
	took=$(elapsed "$t0")
	lt "$took" 1.2 || fail "-m 1 with retries took $took s"
	[ "$(jq -r .attempts out)" -ge 2 ] || fail "no retry within -m"
}

test_per_host_limit_at_the_server() {
	start_server -l log
	for i in $(seq 30); do echo $BASE/delay/0.2; done > urls
	"$GF" -c 1000 --per-host 3 urls > out
	expect_eq "$(wc -l < out)" 30
	expect_eq "$(curl -s $BASE/stats | head -n 1)" "max_inflight 3" "--per-host 3 under -c 1000"
	start_server
	for i in $(seq 30); do echo $BASE/delay/0.2; done > urls
	"$GF" -c 1000 urls > out
	expect_eq "$(curl -s $BASE/stats | head -n 1)" "max_inflight 6" "default 6"
	start_server
	for i in $(seq 30); do echo $BASE/delay/0.3; done > urls
	"$GF" -c 1000 --per-host 0 urls > out
	expect_eq "$(curl -s $BASE/stats | head -n 1)" "max_inflight 30" "--per-host 0"
}

test_waiting_for_a_host_frees_the_slot() {
	start_server
	{ for i in $(seq 6); do echo $BASE/delay/0.5; done
	  for i in $(seq 6); do echo "http://localhost:$PORT/delay/0.5"; done; } > urls
	"$GF" -c 4 --per-host 2 urls > out
	expect_eq "$(curl -s $BASE/stats | head -n 1)" "max_inflight 4" "two hosts, two each"
}

test_delay_spaces_requests_to_a_host() {
	start_server -l log
	for i in $(seq 5); do echo $BASE/bytes/$i; done > urls
	"$GF" -c 1000 --delay 0.3 urls > out
	t=($(request_times /bytes/))
	for i in 1 2 3 4; do
		gap=$(echo "${t[$i]} - ${t[$((i - 1))]}" | bc -l)
		lt 0.28 "$gap" || fail "requests $i and $((i + 1)) $gap s apart"
	done
}

test_rate_caps_starts_overall() {
	start_server -l log
	for i in $(seq 20); do
		echo "http://h$((i % 4)).test:$PORT/bytes/1"
	done > urls
	pins=(); for h in 0 1 2 3; do pins+=(--resolve "h$h.test:$PORT:127.0.0.1"); done
	"$GF" -c 1000 --per-host 0 --rate 10 "${pins[@]}" urls > out
	expect_eq "$(cut -f1 out | sort -u)" 200
	t=($(request_times /bytes/))
	span=$(echo "${t[19]} - ${t[0]}" | bc -l)
	lt 1.85 "$span" || fail "20 requests at 10/s in $span s"
	"$GF" --rate 600/m $BASE/ > /dev/null || fail "--rate N/m"
	"$GF" --rate fast $BASE/ > /dev/null 2>&1; expect_eq $? 2 "a bad --rate"
}

test_methods_and_request_headers() {
	start_server -l log
	"$GF" --json -I $BASE/bytes/100 > out
	expect_eq "$(jq -r '[.status, .bytes] | @tsv' out)" "200	0" "-I"
	grep -q '^1 HEAD /bytes/100 ' log || fail "no HEAD at the server"
	"$GF" -X DELETE -e http://ref.example/ -b 'sid=42; lang=en' $BASE/ > out
	grep -q '^2 DELETE / ' log || fail "no DELETE"
	grep -q '^2 H Referer: http://ref.example/$' log || fail "no Referer"
	grep -q '^2 H Cookie: sid=42; lang=en$' log || fail "no Cookie"
	grep -q '^2 H Accept-Encoding: .*gzip' log || fail "not compressed by default"
	"$GF" --no-compressed $BASE/ > out
	grep '^3 H' log | grep -q Accept-Encoding && fail "--no-compressed still asks"
	printf '127.0.0.1\tFALSE\t/\tFALSE\t0\tjar\tyes\n' > cookies.txt
	"$GF" -b cookies.txt $BASE/ > out
	grep -q '^4 H Cookie: jar=yes$' log || fail "cookie file not used"
	"$GF" -I -X GET $BASE/ > /dev/null 2>&1; expect_eq $? 2 "-I with -X"
}

test_compressed_bytes_are_decoded_and_capped() {
	start_server
	"$GF" --json $BASE/gzip-bomb/2 > out
	expect_eq "$(jq -r '[.status, .bytes] | @tsv' out)" "200	2097152" "decoded bytes"
	/usr/bin/time -f %M -o rss "$GF" --json -o dir --max-filesize 1M $BASE/gzip-bomb/200 > out
	expect_eq "$(jq -r '[.status, (.file | tostring)] | @tsv' out)" "200	null" "capped"
	expect_match "$(jq -r .error out)" "^maximum file size exceeded: over 1048576 bytes$"
	check_rss rss 40000
	find dir -type f | grep -q . && fail "a file was left"
	"$GF" --json --max-filesize 100K $BASE/bytes/1000000 > out
	expect_match "$(jq -r .error out)" "^maximum file size exceeded" "by Content-Length"
	"$GF" --json --max-filesize 100K $BASE/bytes/1000 > out
	expect_eq "$(jq -r .error out)" null "under the cap"
}

test_header_size_is_capped() {
	start_server
	"$GF" --json $BASE/big-header/1000000 $BASE/bytes/3 > out 2> err; rc=$?
	expect_eq "$(jq -r .status out | sed -n 2p)" 200 "the next URL"
	[ "$(jq -r .error out | head -n 1)" != null ] || fail "a 1 MB header line was accepted"
	expect_match "$(jq -r .error out | head -n 1)" "header too large" "the error"
	# curl says "out of memory" (27) for it: the record's, not the run's.
	expect_eq "$rc" 1 "exit status"
	[ -s err ] && fail "a server's header raised a notice: $(cat err)"
	return 0
}

# The header lines the server logged for the request to TARGET.
headers_of() {
	awk -v t="$1" '$3 == t && $2 ~ /^[A-Z]+$/ { id = $1; on = 1; next }
		       on && $1 == id && $2 == "H" { print; next } { on = 0 }' log
}

test_credentials_stay_on_their_origin() {
	start_server -l log
	creds=(-H 'Authorization: Bearer secret' -H 'X-Keep: 1' -b 'sid=1')
	"$GF" "${creds[@]}" "$BASE/redirect-to?url=http://localhost:$PORT/page/other" > out
	expect_eq "$(cut -f1 out)" 200
	headers_of /page/other > other.h
	grep -q 'Host: localhost' other.h || fail "the redirect did not leave the host"
	grep -q 'X-Keep: 1' other.h || fail "other headers were dropped too"
	grep -qi -e 'Authorization' -e 'Cookie' other.h && fail "credentials sent to another host"
	"$GF" "${creds[@]}" "$BASE/redirect-to?url=/page/same" > out
	headers_of /page/same > same.h
	grep -q 'Authorization: Bearer secret' same.h || fail "Authorization dropped on the same host"
	grep -q 'Cookie: sid=1' same.h || fail "Cookie dropped on the same host"
}

test_credentials_of_any_spelling_stay_on_their_origin() {
	start_server -l log
	printf '127.0.0.1\tFALSE\t/\tFALSE\t0\tjar\tyes\n' > cookies.txt
	p2=$PORT; start_server -l log; p1=$PORT
	# The same host, another port: another origin.
	"$GF" -H ' Authorization: one' -H 'authorization : two' -H 'X-Api-Key: k' \
		-H 'X-Keep: 1' -b cookies.txt \
		"$BASE/redirect-to?url=http://127.0.0.1:$p2/page/other" > out
	expect_eq "$(cut -f1 out)" 200
	headers_of /page/other > other.h
	grep -q 'X-Keep: 1' other.h || fail "other headers were dropped too"
	grep -qi -e 'Authorization' -e 'Cookie' -e 'Api-Key' other.h &&
		fail "credentials sent to another port: $(cat other.h)"
	"$GF" -H ' Authorization: one' -b cookies.txt "$BASE/redirect-to?url=/page/same" > out
	headers_of /page/same > same.h
	grep -q 'Authorization: one' same.h || fail "Authorization dropped on the same origin"
	grep -q 'Cookie: jar=yes' same.h || fail "cookie file dropped on the same origin"
	"$GF" -H 'Bad Name: x' $BASE/ 2> err; expect_eq $? 2 "a name with a space"
}

test_redirect_loops_are_named() {
	start_server
	"$GF" $BASE/loop/0 $BASE/redirect/100 > out
	expect_eq "$(sed -n 1p out | cut -f5)" \
		"too many redirects: stopped after 10, in a loop of 3 back to $BASE/loop/2"
	expect_eq "$(sed -n 2p out | cut -f5)" "too many redirects: stopped after 10"
}

test_serial_retries_and_paces_too() {
	start_server -l log
	"$GF" --serial --json --retry 2 --retry-delay 0.1 $BASE/flaky/s/1 > out
	expect_eq "$(jq -r '[.status, .attempts] | @tsv' out)" "200	2"
	for i in 1 2 3; do echo $BASE/bytes/$i; done > urls
	"$GF" --serial --delay 0.3 urls > out
	t=($(request_times /bytes/))
	gap=$(echo "${t[2]} - ${t[0]}" | bc -l)
	lt 0.58 "$gap" || fail "--serial --delay: 3 requests in $gap s"
}

test_nothing_waits_for_ever() {
	start_server
	# A server that accepts and never answers: the read timeout ends it
	# (no -m), and the records behind it come out.
	{ echo $BASE/raw/silent; for i in $(seq 200); do echo $BASE/bytes/1; done; } > urls
	t0=$(now)
	"$GF" --read-timeout 1 urls > out; rc=$?
	took=$(elapsed "$t0")
	expect_eq "$rc" 1 "exit status"
	expect_eq "$(wc -l < out)" 201 "records"
	expect_match "$(head -n 1 out)" "timed out: nothing received for 1 s \(--read-timeout\)$" "the silent one"
	lt "$took" 3 || fail "took $took s"
	"$GF" --help | grep -q -- '--read-timeout SEC .*default 60' || fail "the default is not in --help"
	# Retry-After of a day, of "inf", of a date far ahead: no wait.
	t0=$(now)
	"$GF" --json --retry 3 --retry-delay 0.1 "$BASE/status/503?retry-after=86400" \
		"$BASE/status/503?retry-after=inf" \
		"$BASE/status/503?retry-after=Fri,%2001%20Jan%202100%2000:00:00%20GMT" > out
	took=$(elapsed "$t0")
	expect_eq "$(jq -r .attempts out | tr '\n' ' ')" "1 4 1 " "attempts (inf is no number: backoff)"
	lt "$took" 3 || fail "took $took s"
	# -m covers the wait for a host's turn (--delay 5), not only curl.
	t0=$(now)
	"$GF" --json -m 1 --delay 5 $BASE/bytes/1 $BASE/bytes/2 > out
	took=$(elapsed "$t0")
	expect_eq "$(jq -r '.error // "ok"' out | tr '\n' '|')" "ok|timed out: not done within 1 s (-m)|" "records"
	lt "$took" 2 || fail "-m 1 with --delay 5 took $took s"
}

test_a_host_that_says_429_is_slowed_as_a_whole() {
	# /limit/40 answers 429 past 40 requests a second. Retrying each URL
	# alone would hit it hundreds of times; slowing the host on the first
	# 429s and speeding up on successes keeps it to a few dozen.
	start_server
	for i in $(seq 200); do echo "$BASE/limit/40/$i"; done > urls
	"$GF" -c 50 --per-host 50 --retry 10 --stats -v urls > out 2> err
	expect_eq "$(grep -c '^200' out)" 200 "URLs that succeeded"
	limited=$(curl -s $BASE/stats | sed -n 's/^limited //p')
	[ "$limited" -lt 120 ] || fail "the server sent $limited 429s"
	grep -q '127.0.0.1 answered 429: slowed to' err || fail "-v did not say the host was slowed"
	grep -q '^hosts slowed [0-9]* times\? for answering 429 or 503$' err ||
		fail "--stats did not say: $(tail -n 3 err)"
	# With Retry-After, the whole host waits for it.
	sleep 1
	sed 's/$/?retry-after=1/' urls > urls2
	"$GF" -c 50 --per-host 50 --retry 10 urls2 > out 2> err
	expect_eq "$(grep -c '^200' out)" 200 "URLs that succeeded with Retry-After"
	after=$(curl -s $BASE/stats | sed -n 's/^limited //p')
	[ $((after - limited)) -lt 120 ] || fail "the server sent $((after - limited)) 429s with Retry-After"
}

test_cookie_jar_keeps_the_cookies_received_for_a_later_run() {
	start_server -l log
	"$GF" --cookie-jar jar $BASE/set-cookie/a=1 $BASE/set-cookie/b=2 \
		"$BASE/redirect-to?url=http://localhost:$PORT/set-cookie/c=3" > out
	expect_eq "$(head -n 1 jar)" "# Netscape HTTP Cookie File" "the jar's header"
	expect_eq "$(grep -v '^#' jar | grep . | cut -f1,6,7 | sort | tr '\t\n' ': ')" \
		"127.0.0.1:a:1 127.0.0.1:b:2 " "cookies of the URLs' own origin, not another's"
	"$GF" -b jar --cookie-jar jar $BASE/set-cookie/d=4 > out
	expect_eq "$(awk '$2 == "H" && $3 == "Cookie:" { print $4, $5 }' log | tail -n 1 |
		tr -d ';' | tr ' ' '\n' | sort | tr '\n' ' ')" \
		"a=1 b=2 " "a later run sends them back (in any order)"
	expect_eq "$(grep -c $'\t[abd]\t' jar)" 3 "and keeps them with its own"
	# Every hub's cookies go in.
	for i in 1 2 3 4 5 6; do echo $BASE/set-cookie/h$i=$i; done > urls
	"$GF" -j 2 -c 6 --per-host 0 --cookie-jar jar2 urls > out
	expect_eq "$(grep -c $'\th[1-6]\t' jar2)" 6 "cookies of both hubs"
	"$GF" --serial --cookie-jar jar3 $BASE/set-cookie/s=1 > out
	expect_eq "$(grep -c $'\ts\t1$' jar3)" 1 "--serial"
	"$GF" --cookie-jar nodir/jar $BASE/get > out 2> err; rc=$?
	expect_eq "$rc" 2 "a jar that cannot be written"
	expect_eq "$(cat err)" "greenfetch: --cookie-jar nodir/jar: No such file or directory"
	[ -s out ] && fail "fetched with a jar that cannot be written"
	true
}

# A lower bound only: the limit cannot make a run faster, and a slow
# machine only makes it slower.
test_limit_rate_holds_the_whole_pool() {
	start_server
	for i in $(seq 10); do echo $BASE/bytes/20000; done > urls
	for mode in "-c 10" "-j 2 -c 10 --per-host 0" "--serial"; do
		t0=$(date +%s.%N)
		"$GF" $mode --limit-rate 100K urls > out; rc=$?
		took=$(echo "$(date +%s.%N) - $t0" | bc)
		expect_eq "$rc" 0 "exit status ($mode)"
		expect_eq "$(cut -f1,2 out | sort | uniq -c | tr -s ' ')" " 10 200	20000" "records ($mode)"
		# 200,000 bytes at 102,400 a second, less a tenth of a second's burst
		[ "$(echo "$took >= 1.6" | bc)" = 1 ] || fail "$mode: 200 kB at 100K/s in $took s"
	done
	"$GF" --limit-rate 0 urls > out
	expect_eq "$(wc -l < out)" 10 "0: no limit"
}
