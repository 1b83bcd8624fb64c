# http.sh - transfers: statuses, redirects, timeouts, headers, names on the
# hub, IPv6.

test_http_errors_fail_the_record() {
	start_server
	"$GF" $BASE/status/404 $BASE/status/500 $BASE/status/204 $BASE/status/299 > out; rc=$?
	expect_eq "$rc" 1 "exit status"
	expect_eq "$(cut -f1 out | tr '\n' ' ')" "404 500 204 299 " "statuses"
	expect_eq "$(sed -n 1p out | cut -f5)" "HTTP 404 Not Found"
	expect_eq "$(sed -n 2p out | cut -f5)" "HTTP 500 Internal Server Error"
	expect_eq "$(sed -n 3p out | cut -f5)" "" "204 is no error"
}

test_redirects_are_followed() {
	start_server -l log
	"$GF" --json $BASE/redirect/3 > out
	expect_eq "$(jq -r '[.status, .redirects, .effective_url, .error] | @tsv' out)" \
		"200	3	$BASE/redirect/0	" "record"
	expect_eq "$(grep -c ' GET /redirect/' log)" 4 "requests"
}

test_max_redirs_limits_and_zero_disables() {
	start_server
	"$GF" --max-redirs 2 $BASE/redirect/3 > out; rc=$?
	expect_eq "$rc" 1 "exit status over the limit"
	expect_eq "$(cut -f1,5 out)" "302	too many redirects: stopped after 2"
	"$GF" --max-redirs 3 $BASE/redirect/3 > out; rc=$?
	expect_eq "$rc" 0 "exit status at the limit"
	"$GF" --json --max-redirs 0 $BASE/redirect/3 > out; rc=$?
	expect_eq "$rc" 0 "a 302 not followed is a success"
	expect_eq "$(jq -r '[.status, .redirects, .error] | @tsv' out)" "302	0	"
	"$GF" $BASE/redirect/11 > out
	expect_eq "$(cut -f5 out)" "too many redirects: stopped after 10" "default 10"
}

test_redirect_to_other_scheme_refused() {
	start_server
	"$GF" "$BASE/redirect-to?url=file:///etc/passwd" \
		"$BASE/redirect-to?url=ftp://127.0.0.1/x" > out; rc=$?
	expect_eq "$rc" 1
	expect_eq "$(sed -n 1p out | cut -f5)" "redirect to file:///etc/passwd refused: only http and https"
	expect_eq "$(sed -n 2p out | cut -f5)" "redirect to ftp://127.0.0.1/x refused: only http and https"
}

test_redirect_to_another_host_is_resolved() {
	start_server -l log
	"$GF" --json "$BASE/redirect-to?url=http://localhost:$PORT/bytes/3" > out
	expect_eq "$(jq -r '[.status, .bytes, .effective_url] | @tsv' out)" \
		"200	3	http://localhost:$PORT/bytes/3"
	grep -q ' H Host: localhost:' log || fail "second hop did not go to localhost"
}

test_relative_redirect() {
	start_server
	"$GF" --json "$BASE/redirect-to?url=../bytes/4%3Fq" > out
	expect_eq "$(jq -r '[.status, .bytes] | @tsv' out)" "200	4"
}

test_max_time_bounds_a_transfer() {
	start_server
	t0=$(now)
	"$GF" -m 0.5 $BASE/delay/5 $BASE/bytes/2 > out; rc=$?
	took=$(elapsed "$t0")
	expect_eq "$rc" 1
	expect_match "$(sed -n 1p out)" "^000	0	0\.[5-9][0-9]*	.*	.*[Tt]imed out"
	expect_eq "$(sed -n 2p out | cut -f1,2)" "200	2" "the other URL"
	lt "$took" 2 || fail "took $took s"
}

test_max_time_covers_redirects() {
	start_server
	# Two hops of 0.4 s each: each fits in 0.6 s, the two together do not.
	url="$BASE/redirect-to?delay=0.4&url=%2Fdelay%2F0.4"
	"$GF" -m 1.5 "$url" > out; rc=$?
	expect_eq "$rc" 0 "both hops within 1.5 s"
	"$GF" -m 0.6 "$url" > out; rc=$?
	expect_eq "$rc" 1 "both hops within 0.6 s"
	expect_match "$(cut -f5 out)" "[Tt]imed out|timeout"
	lt "$(cut -f3 out)" 0.75 || fail "stopped after $(cut -f3 out) s"
}

test_connection_refused() {
	start_server
	kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null
	"$GF" $BASE/ > out; rc=$?
	expect_eq "$rc" 1
	expect_match "$(cat out)" "^000	0	.*	$BASE/	.*([Cc]onnect|refused)"
}

test_headers_and_user_agent_are_sent() {
	start_server -l log
	"$GF" -H 'X-One: 1' --header 'X-Two: two words' -A 'probe/1.0' $BASE/ > out
	grep -q '^1 H X-One: 1$' log || fail "X-One missing"
	grep -q '^1 H X-Two: two words$' log || fail "X-Two missing"
	grep -q '^1 H User-Agent: probe/1.0$' log || fail "User-Agent missing"
	"$GF" $BASE/ > out
	grep -q 'H User-Agent: greenfetch/' log || fail "default User-Agent missing"
}

# greenfetch's own User-Agent and Accept-Encoding lines give way to -H's
# (an empty one leaves the header out), once each, also through a proxy.
test_a_header_line_replaces_the_default_one() {
	start_server -l log
	"$GF" -A ours/1 -H 'User-Agent: mine/2' -H 'accept-encoding: identity' \
		$BASE/get > out
	expect_eq "$(grep -c '^1 H User-Agent:' log)" 1 "User-Agent lines"
	grep -q '^1 H User-Agent: mine/2$' log || fail "-H User-Agent not sent"
	expect_eq "$(grep -ci '^1 H Accept-Encoding:' log)" 1 "Accept-Encoding lines"
	grep -q '^1 H accept-encoding: identity$' log || fail "-H Accept-Encoding not sent"
	"$GF" -H 'User-Agent:' $BASE/get > out
	grep -q '^2 H User-Agent' log && fail "an empty -H User-Agent still sends one"
	"$GF" -x "$BASE" http://target.test/get > out
	expect_eq "$(grep -c '^3 H User-Agent: greenfetch/' log)" 1 "User-Agent lines through a proxy"
	expect_eq "$(grep -c '^3 H Accept-Encoding: ' log)" 1 "Accept-Encoding lines through a proxy"
}

test_ipv6_literal() {
	ip -6 addr show lo 2>/dev/null | grep -q '::1' || { echo "no IPv6 on lo: skipped"; return 0; }
	start_server -b ::1
	"$GF" --json "http://[::1]:$PORT/bytes/6" > out
	expect_eq "$(jq -r '[.status, .bytes] | @tsv' out)" "200	6"
}

test_names_resolve_on_the_hub() {
	start_server
	"$GF" --json "http://localhost:$PORT/bytes/3" "http://LocalHost:$PORT/bytes/4" > out
	expect_eq "$(jq -r '[.status, .bytes] | @tsv' out | tr '\n' ' ')" "200	3 200	4 "
}

test_connect_timeout() {
	# A server that never accepts, its one-place backlog filled by a
	# connection this test holds: the kernel drops every further SYN, so
	# each connect waits until --connect-timeout, well before -m.
	start_server -a
	exec 3<>"/dev/tcp/127.0.0.1/$PORT"
	sleep 0.1
	t0=$(now)
	"$GF" --connect-timeout 0.5 -m 5 $BASE/1 $BASE/2 $BASE/3 > out; rc=$?
	took=$(elapsed "$t0")
	exec 3<&-
	expect_eq "$rc" 1
	# libcurl words it two ways, depending on which timer fires first.
	expect_eq "$(grep -cE 'onnect.* after 50[0-9] ms' out)" 3 "connect timeouts"
	lt "$took" 2 || fail "took $took s"
}

# auth_by_path: "PATH AUTHORIZATION" for each request the server logged
# with an Authorization header, in order.
auth_by_path() {
	awk '$2 == "GET" { path = $3 } $2 == "H" && $3 == "Authorization:" { print path, $5 }' log
}

test_user_credentials_go_to_their_origin_only() {
	start_server -l log
	"$GF" -c 1 -v -u bob:s3cret "$BASE/redirect-to?url=http://localhost:$PORT/get" \
		"$BASE/redirect-to?url=/bytes/2" > out 2> err
	expect_eq "$(cut -f1 out | tr '\n' ' ')" "200 200 " "records"
	# bob:s3cret in base64; the hop to localhost, another origin, has none
	expect_eq "$(auth_by_path | tr '\n' ' ')" \
		"/redirect-to?url=http://localhost:$PORT/get Ym9iOnMzY3JldA== /redirect-to?url=/bytes/2 Ym9iOnMzY3JldA== /bytes/2 Ym9iOnMzY3JldA== " \
		"Authorization by request"
	grep -q s3cret out err && fail "the password is shown"
	"$GF" -u bob:s3cret --warc-file arc $BASE/get > out
	zcat arc.warc.gz | grep -a -q 'bob:\*\*\*' || fail "warcinfo does not mask -u"
	zcat arc.warc.gz | grep -a -q s3cret && fail "the password is in warcinfo"
	true
}

test_a_missing_password_is_asked_on_the_terminal() {
	command -v script > /dev/null || fail "script (util-linux) is not installed"
	start_server -l log
	# typed once the prompt is out (the terminal echoes what comes before)
	{ sleep 0.5; printf 'pa ss\n'; } | script -qec "$GF -u bob $BASE/get" /dev/null > out
	expect_match "$(cat out)" "Enter host password for user 'bob':" "the prompt"
	grep -q 'pa ss' out && fail "the password was echoed"
	expect_eq "$(auth_by_path)" "/get $(printf bob:pa\ ss | base64)" "Authorization"
	# No terminal: an empty password, as curl sends.
	setsid "$GF" -u bob $BASE/get < /dev/null > out 2> err
	expect_eq "$(auth_by_path | tail -n 1)" "/get $(printf bob: | base64)" "without a terminal"
}

test_netrc_credentials_go_to_their_origin_only() {
	start_server -l log
	printf 'machine 127.0.0.1 login nora password n3trc\nmachine localhost login other password 0ther\n' > rc
	"$GF" -c 1 --netrc-file rc "$BASE/redirect-to?url=http://localhost:$PORT/get" > out
	expect_eq "$(auth_by_path | tr '\n' ' ')" \
		"/redirect-to?url=http://localhost:$PORT/get $(printf nora:n3trc | base64) " \
		"Authorization by request"
	cp rc .netrc
	chmod 600 .netrc
	HOME=$PWD "$GF" --netrc $BASE/bytes/3 > out
	expect_eq "$(auth_by_path | tail -n 1)" "/bytes/3 $(printf nora:n3trc | base64)" "--netrc reads ~/.netrc"
	"$GF" $BASE/bytes/4 > out
	expect_eq "$(auth_by_path | grep -c /bytes/4)" 0 "no --netrc: none"
}
