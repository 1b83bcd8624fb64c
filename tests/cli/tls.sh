# tls.sh - HTTPS and HTTP/2 against nginx: certificates, multiplexing.

test_https_needs_a_trusted_certificate() {
	start_nginx
	echo hello > www/index.html
	url=https://127.0.0.1:$HTTPS_PORT/index.html
	"$GF" "$url" > out; rc=$?
	expect_eq "$rc" 1 "self-signed, no --cacert"
	expect_eq "$(cut -f1,5 out)" "000	SSL certificate problem: self-signed certificate"
	"$GF" --cacert cert.pem "$url" > out; expect_eq $? 0 "--cacert"
	expect_eq "$(cut -f1,2 out)" "200	6"
	"$GF" -k "$url" > out; expect_eq $? 0 "-k"
	"$GF" --cacert cert.pem "https://localhost:$HTTPS_PORT/index.html" > out
	expect_eq "$(cut -f1 out)" 200 "by name"
}

test_http2_multiplexes_a_thousand_urls() {
	start_nginx
	echo small > www/f.txt
	for i in $(seq 1000); do echo "https://127.0.0.1:$HTTPS_PORT/f.txt?$i"; done > urls
	"$GF" -c 64 --cacert cert.pem -w '%{http_code} %{http_version}\n' urls > out
	expect_eq "$(sort out | uniq -c | tr -s ' ')" " 1000 200 2" "1000 over HTTP/2"
	expect_eq "$(grep -c 'HTTP/2.0 /f.txt' ngx/logs/access.log)" 1000 "requests at nginx"
	conns=$(awk '{ print $1 }' ngx/logs/access.log | sort -u | wc -l)
	[ "$conns" -le 4 ] || fail "$conns connections for 1000 URLs"
}

test_http11_when_asked() {
	start_nginx
	echo small > www/f.txt
	for i in $(seq 20); do echo "https://127.0.0.1:$HTTPS_PORT/f.txt?$i"; done > urls
	"$GF" --http1.1 --cacert cert.pem -w '%{http_version}\n' urls > out
	expect_eq "$(sort -u out)" "1.1"
	expect_eq "$(grep -c 'HTTP/1.1 /f.txt' ngx/logs/access.log)" 20
}

test_a_crawl_sends_no_token_in_clear_text() {
	# An https seed links to plain http on the same host: in scope, but
	# another origin, and the token would travel in clear text.
	start_server -l log
	start_nginx
	printf '<a href="http://127.0.0.1:%s/page/plain">plain</a> <a href="/b.html">b</a>' \
		"$PORT" > www/index.html
	echo b > www/b.html
	"$GF" --crawl --no-robots --cacert cert.pem -H 'Authorization: Bearer s3cret' \
		--json "https://127.0.0.1:$HTTPS_PORT/index.html" > out
	expect_eq "$(jq -r .status out | tr '\n' ' ')" "200 200 200 " "pages"
	grep -q ' GET /page/plain ' log || fail "the http link was not followed"
	grep -qi 'authorization' log && fail "the token went over plain http"
	return 0
}

test_tls_has_a_phase_of_its_own() {
	# time_appconnect: the TLS handshake's end, after the connect and
	# before the first byte; 0 over plain HTTP, and 0 on a connection
	# reused. The waterfall draws it as TLS.
	start_nginx
	echo small > www/f.txt
	"$GF" --cacert cert.pem -c 1 --per-host 1 --waterfall wf.svg \
		-w '%{time_connect} %{time_appconnect} %{time_starttransfer}\n' \
		"https://127.0.0.1:$HTTPS_PORT/f.txt?1" "https://127.0.0.1:$HTTPS_PORT/f.txt?2" > out
	read -r c a s < out
	awk -v c="$c" -v a="$a" -v s="$s" 'BEGIN { exit !(c > 0 && a > c && s >= a) }' ||
		fail "connect $c, TLS $a, first byte $s"
	expect_eq "$(sed -n 2p out | cut -d' ' -f2)" "0.000000" "TLS on the connection reused"
	expect_eq "$(grep -c '<rect class="tls"' wf.svg)" 2 "TLS drawn (the legend and one bar)"
	start_server
	"$GF" -w '%{time_appconnect}\n' $BASE/bytes/1 > plain
	expect_eq "$(cat plain)" "0.000000" "TLS over plain HTTP"
}
