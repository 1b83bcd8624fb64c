# dns.sh - names on the hub: c-ares against a real DNS server (dnsmasq),
# shared and cached lookups, pins, families, errors, proxies, no threads.
# start_dns comes before start_server: both set PORT.

test_no_resolver_thread_on_the_hub() {
	command -v strace > /dev/null || fail "strace is not installed"
	start_dns
	start_server
	for h in a.test alias.test v4.test short.test; do
		echo "http://$h:$PORT/bytes/1"
	done > urls
	echo "$BASE/redirect-to?url=http://a.test:$PORT/bytes/2" >> urls
	no_lsan
	strace -f -qq -e trace=clone,clone3 -o trace "$GF" --dns-servers "$DNS" urls > out
	expect_eq "$(cut -f1 out | sort -u)" 200 "all fetched"
	expect_eq "$(grep -c clone trace)" 0 "threads created on the hub"
	# The check can see threads: --serial lets curl start its resolver.
	strace -f -qq -e trace=clone,clone3 -o trace2 "$GF" --serial \
		"http://a.test:$PORT/" > /dev/null
	[ "$(grep -c clone trace2)" -ge 1 ] || fail "strace saw no thread in --serial either"
}

test_one_query_for_many_urls_on_one_host() {
	start_dns
	start_server
	for i in $(seq 10000); do echo "http://a.test:$PORT/bytes/1"; done > urls
	"$GF" -c 100 --dns-servers "$DNS" urls > out
	expect_eq "$(cut -f1 out | sort | uniq -c | tr -s ' ')" " 10000 200" "records"
	expect_eq "$(dns_queries a.test)" 2 "queries (one A, one AAAA)"
}

test_an_answer_without_ttl_is_kept_a_moment() {
	start_dns
	start_server
	# As a name from /etc/hosts: TTL 0. Asked once (A, AAAA), not per URL.
	for i in $(seq 200); do echo "http://zero.test:$PORT/bytes/1"; done > urls
	"$GF" -c 20 --dns-servers "$DNS" urls > out
	expect_eq "$(cut -f1 out | sort | uniq -c | tr -s ' ')" " 200 200" "records"
	n=$(grep -c 'query\[A\] zero.test' dns.log)
	[ "$n" -le 3 ] || fail "zero.test asked $n times for 200 URLs"
}

test_answers_cached_for_their_ttl_failures_briefly() {
	start_dns
	start_server
	(echo "http://short.test:$PORT/"; echo "http://a.test:$PORT/"; echo http://nx.test/
	 sleep 1.6
	 echo "http://short.test:$PORT/"; echo "http://a.test:$PORT/"; echo http://nx.test/) |
		"$GF" --dns-servers "$DNS" > out
	expect_eq "$(cut -f1 out | tr '\n' ' ')" "200 200 000 200 200 000 " "records"
	expect_eq "$(grep -c 'query\[A\] short.test' dns.log)" 2 "short.test (TTL 1 s) asked again"
	expect_eq "$(grep -c 'query\[A\] a.test' dns.log)" 1 "a.test answered from the cache"
	expect_eq "$(grep -c 'query\[A\] nx.test' dns.log)" 1 "NXDOMAIN answered from the cache"
}

test_lookup_errors_are_clear() {
	start_dns
	"$GF" --dns-servers "$DNS" --connect-timeout 1 http://nx.test/ \
		http://x.servfail.test/ http://x.blackhole.test/ http://nothing.example/ > out; rc=$?
	expect_eq "$rc" 1
	expect_eq "$(sed -n 1p out | cut -f1,5)" "000	could not resolve host: nx.test (no such domain)"
	expect_eq "$(sed -n 2p out | cut -f5)" "could not resolve host: x.servfail.test (server failure)"
	expect_eq "$(sed -n 3p out | cut -f5)" "could not resolve host: x.blackhole.test (timed out after 1 s)"
	expect_eq "$(sed -n 4p out | cut -f5)" "could not resolve host: nothing.example (refused by the server)"
}

test_a_name_that_hangs_does_not_slow_the_others() {
	start_dns
	start_server
	{ echo http://x.blackhole.test/; for i in $(seq 200); do echo "http://a.test:$PORT/bytes/1"; done; } > urls
	"$GF" --unordered -c 50 -m 2 --dns-servers "$DNS" urls | stamp_lines "$(now)" > out
	expect_eq "$(wc -l < out)" 201 "records"
	expect_match "$(tail -n 1 out)" "x.blackhole.test/	could not resolve host: x.blackhole.test \(timed out after 2 s\)$" "last"
	last_ok=$(grep -v blackhole out | tail -n 1 | cut -d' ' -f1)
	lt "$last_ok" 1 || fail "the other URLs took until $last_ok s"
}

test_dns_servers_is_checked() {
	"$GF" --dns-servers 'not an address' http://a.test/ > out 2> err; rc=$?
	expect_eq "$rc" 2
	expect_match "$(cat err)" "^greenfetch: --dns-servers: "
}

test_resolve_pins_a_name_without_lookup() {
	start_dns
	start_server
	"$GF" --dns-servers "$DNS" --resolve "pinned.test:$PORT:127.0.0.1" \
		"http://pinned.test:$PORT/bytes/4" > out
	expect_eq "$(cut -f1,2 out)" "200	4"
	expect_eq "$(dns_queries pinned.test)" 0 "queries for a pinned name"
	"$GF" --serial --resolve "pinned.test:$PORT:127.0.0.1" "http://pinned.test:$PORT/bytes/4" > out
	expect_eq "$(cut -f1,2 out)" "200	4" "--serial"
	"$GF" --resolve "bad" http://x/ > out 2> err; expect_eq $? 2 "a bad --resolve"
}

test_ipv6_and_families() {
	ip -6 addr show lo 2>/dev/null | grep -q '::1' || { echo "no IPv6 on lo: skipped"; return 0; }
	start_dns
	start_server -b ::1
	"$GF" --dns-servers "$DNS" "http://v6.test:$PORT/bytes/6" "http://a.test:$PORT/bytes/7" > out
	expect_eq "$(cut -f1,2 out | tr '\n' ' ')" "200	6 200	7 " "AAAA answers used"
	"$GF" --dns-servers "$DNS" -4 "http://v6.test:$PORT/" "http://a.test:$PORT/" > out
	expect_eq "$(sed -n 1p out | cut -f5)" "could not resolve host: v6.test (no address for the name)" "-4"
	expect_match "$(sed -n 2p out)" "^000	.*([Cc]onnect|refused)" "-4 a.test goes to 127.0.0.1, where nothing listens"
	"$GF" --dns-servers "$DNS" -6 "http://a.test:$PORT/bytes/3" > out
	expect_eq "$(cut -f1,2 out)" "200	3" "-6"
	"$GF" -4 -6 http://a.test/ > /dev/null 2>&1; expect_eq $? 2 "-4 with -6"
}

test_proxy_is_resolved_on_the_hub_and_resolves_targets() {
	start_dns --host-record=proxy.test,127.0.0.1
	start_server -l log
	"$GF" --dns-servers "$DNS" -x "http://proxy.test:$PORT" \
		http://target.test/bytes/5 http://other.test/bytes/6 > out
	expect_eq "$(cut -f1,2 out | tr '\n' ' ')" "200	5 200	6 " "records"
	grep -q ' GET http://target.test/bytes/5' log || fail "the proxy was not asked"
	expect_eq "$(dns_queries target.test)" 0 "queries for the target"
	expect_eq "$(grep -c 'query\[A\] proxy.test' dns.log)" 1 "queries for the proxy"
	"$GF" -x socks5://127.0.0.1:1 http://a.test/ > /dev/null 2> err; expect_eq $? 2 "socks5://"
	expect_match "$(cat err)" "socks5h://"
}

test_redirect_hosts_resolve_through_c_ares() {
	start_dns
	start_server
	"$GF" --dns-servers "$DNS" --json \
		"$BASE/redirect-to?url=http://alias.test:$PORT/redirect/1" > out
	expect_eq "$(jq -r '[.status, .redirects, .effective_url] | @tsv' out)" \
		"200	2	http://alias.test:$PORT/redirect/0"
	expect_eq "$(grep -c 'query\[A\] alias.test' dns.log)" 1 "alias.test asked"
}

test_a_slow_name_delays_only_its_own_urls() {
	start_dns
	start_server
	{ echo "http://x.slow.test:$PORT/bytes/1"; for i in $(seq 100); do echo "http://a.test:$PORT/bytes/2"; done; } > urls
	"$GF" --unordered --json --dns-servers "$DNS" urls > out
	expect_eq "$(jq -r .url out | tail -n 1)" "http://x.slow.test:$PORT/bytes/1" "the slow name ends last"
	expect_eq "$(jq -r .status out | sort | uniq -c | tr -s ' ' | tr '\n' ' ')" " 101 200 " "all fetched"
	jq -se '[.[] | select(.url | test("slow"))][0].time >= 0.19' out > /dev/null ||
		fail "the slow name took less than its DNS delay"
	jq -se '[.[] | select(.url | test("a.test")) | .time] | max < 0.15' out > /dev/null ||
		fail "a URL on a fast name took as long as the slow one"
	expect_eq "$(grep -c 'query\[A\] x.slow.test' dns.log)" 1 "one query for the slow name"
}

test_servfail_is_retried_not_cached() {
	start_dns
	"$GF" --json --retry 2 --retry-delay 0.1 --dns-servers "$DNS" http://x.servfail.test/ > out
	expect_eq "$(jq -r '[.attempts, .error] | @tsv' out)" \
		"3	could not resolve host: x.servfail.test (server failure)"
	expect_eq "$(grep -c 'query\[A\] x.servfail.test' dns.log)" 3 "asked each time"
	"$GF" --json --retry 2 --retry-delay 0.1 --dns-servers "$DNS" http://nx.test/ > out
	expect_eq "$(jq -r .attempts out)" 1 "NXDOMAIN is not retried"
}

test_a_dead_host_in_a_long_queue_costs_no_stack() {
	# 8,000 URLs wait at one host's gate and each fails at once from the
	# cached NXDOMAIN: handing the gate on must not recurse down the queue
	# (a hub thread's stack is small here: 256 KiB).
	start_dns
	for i in $(seq 8000); do echo "http://nx.test/$i"; done > urls
	for j in 1 2; do
		(ulimit -s 256; "$GF" -j $j -c 8000 --dns-servers "$DNS" urls > out 2> err); rc=$?
		expect_eq "$rc" 1 "exit status with -j $j"
		expect_eq "$(wc -l < out)" 8000 "records with -j $j"
		expect_eq "$(cut -f5 out | sort -u)" "could not resolve host: nx.test (no such domain)" "errors with -j $j"
	done
}

test_localhost_names_are_the_loopback_without_asking() {
	# RFC 6761: no /etc/hosts entry needed for sub.localhost, nor a
	# server asked (dnsmasq logs every query).
	start_dns
	start_server
	"$GF" --dns-servers "$DNS" "http://app.localhost:$PORT/bytes/1" \
		"http://A.B.LOCALHOST.:$PORT/bytes/2" "http://localhost:$PORT/bytes/3" > out; rc=$?
	expect_eq "$rc" 0 "exit status"
	expect_eq "$(cut -f1,2 out | tr '\n' ' ')" "200	1 200	2 200	3 " "records"
	grep -qi 'localhost' dns.log && fail "a localhost name was asked: $(grep -i localhost dns.log)"
	start_server -b ::1
	"$GF" -6 --dns-servers "$DNS" "http://app.localhost:$PORT/bytes/4" > out
	expect_eq "$(cut -f1,2 out)" "200	4" "-6: ::1"
}
