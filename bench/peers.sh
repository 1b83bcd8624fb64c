#!/usr/bin/env bash
# peers.sh - greenfetch side by side with curl, wget2, aria2 and wget on the
# same work, against nginx on loopback. Commands of a case run alternately
# (A B C A B C ...) RUNS times each (default 5); each line gives wall time
# min/median/max, URLs/s at the median, CPU seconds (user+sys) and peak RSS
# at the median, and greenfetch's median wall time as a ratio of the peer's.
#
# Usage: bench/peers.sh [BUILD]      (CASES="small slow many h2 large stream crawl
#                                     crawl_text doc since warc demo" picks cases; RUNS=5)
#
# BASELINE=/path/to/another/greenfetch adds, next to each greenfetch line,
# the same command with that binary ("[baseline]"), in the same rotation:
# a change measured before and after, side by side.
set -u
cd "$(dirname "$0")/.."
BUILD=${1:-build}
GF=$(realpath "${GREENFETCH:-./greenfetch}")
RUNS=${RUNS:-5}
CASES=${CASES:-small slow many h2 large stream crawl crawl_text doc since warc demo}
W=$(mktemp -d /tmp/gf-peers.XXXXXX)
trap 'kill $(cat "$W/nginx.pid" 2>/dev/null) 2>/dev/null; rm -rf "$W"' EXIT
mk/deps.sh nginx libnginx-mod-http-echo curl wget wget2 aria2 wrk openssl python3-doc jq || exit 1

# ---------------------------------------------------------------- nginx
port() { echo $((20000 + RANDOM % 40000)); }
mkdir -p "$W/www" "$W/logs" "$W/tmp"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
	-addext 'subjectAltName=IP:127.0.0.1' -keyout "$W/key.pem" -out "$W/cert.pem" 2>/dev/null
write_conf() {
cat > "$W/nginx.conf" <<CONF
$([ "$(id -u)" = 0 ] && echo "user root;")
load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;
worker_processes 1;
pid $W/nginx.pid;
error_log $W/logs/error.log;
worker_rlimit_nofile 20000;
events { worker_connections 16384; }
http {
    access_log off;
    client_body_temp_path $W/tmp; proxy_temp_path $W/tmp;
    fastcgi_temp_path $W/tmp; uwsgi_temp_path $W/tmp; scgi_temp_path $W/tmp;
    keepalive_requests 10000000;
    etag off;   # wget2 skips pages whose ETag it saw: generated pages share one
    server {
        listen 127.0.0.1:$HTTP;
        listen 127.0.0.1:$HTTPS ssl http2;
        ssl_certificate $W/cert.pem;
        ssl_certificate_key $W/key.pem;
        root $W/www;
        location /since/ { etag on; }
        location /sleep { echo_sleep 1; echo ok; }
        location /sleep2 { echo_sleep 2; echo ok; }
    }
}
CONF
}
ulimit -n "$(ulimit -Hn)"
for try in 1 2 3 4 5; do
	HTTP=$(port); HTTPS=$((HTTP + 1))
	write_conf
	nginx -p "$W" -c "$W/nginx.conf" 2> "$W/nginx.err" && break
	[ "$try" = 5 ] && { cat "$W/nginx.err"; exit 1; }
done
sleep 0.3
H=http://127.0.0.1:$HTTP S=https://127.0.0.1:$HTTPS

# ---------------------------------------------------------- measuring
# run NAME CMD: one timed run, appending "wall cpu rss" to $W/NAME.t
run_one() {
	local name=$1; shift
	/usr/bin/time -f "%e %U %S %M" -o "$W/t" bash -c "$*" > /dev/null 2> "$W/last.err"
	awk '/^Command/ { next } { printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$W/t" >> "$W/$name.t"
	[ -z "${BENCH_DEBUG:-}" ] || { echo "[$name] $*"; tail -n 3 "$W/last.err"; }
}

# bench CASE NURLS NAME1 CMD1 NAME2 CMD2 ...: alternate, then report.
bench() {
	local case=$1 n=$2; shift 2
	local names=() cmds=()
	while [ $# -gt 0 ]; do
		names+=("$1"); cmds+=("$2")
		if [ -n "${BASELINE:-}" ] && [[ $1 == greenfetch* ]]; then
			names+=("$1 [baseline]"); cmds+=("${2//$GF/$BASELINE}")
		fi
		shift 2
	done
	rm -f "$W"/*.t
	for r in $(seq "$RUNS"); do
		for i in "${!names[@]}"; do run_one "${names[$i]}" "${cmds[$i]}"; done
	done
	local gf_med
	gf_med=$(sort -n "$W/${names[0]}.t" | awk -v r="$RUNS" 'NR == int((r + 1) / 2) { print $1 }')
	echo "== $case ($n URLs, $RUNS runs each)"
	for name in "${names[@]}"; do
		sort -n "$W/$name.t" | awk -v name="$name" -v n="$n" -v r="$RUNS" -v gf="$gf_med" '
			{ w[NR] = $1; c[NR] = $2; m[NR] = $3 }
			END {
				mid = int((r + 1) / 2)
				rate = (w[mid] > 0) ? n / w[mid] : 0
				ratio = (w[mid] > 0) ? gf / w[mid] : 0
				printf "  %-34s wall %6.2f / %6.2f / %6.2f s  %8.0f URL/s  cpu %6.2f s  rss %7.1f MiB  greenfetch/peer %.2f\n",
				       name, w[1], w[mid], w[r], rate, c[mid], m[mid] / 1024, ratio
			}'
	done
}

urls() { # BASE PREFIX N SUFFIX: N URLs
	for i in $(seq 0 $(($3 - 1))); do echo "$1/$2$i$4"; done
}

curl_cfg() { sed 's/^\(.*\)$/url = "\1"\noutput = "\/dev\/null"/' "$1" > "$2"; }

# --------------------------------------------------------------- cases
case_small() {
	for i in $(seq 0 19999); do printf '%0200d' "$i" > "$W/www/f$i.txt"; done
	urls "$H" f 20000 .txt > "$W/small"
	curl_cfg "$W/small" "$W/small.curl"
	bench "small files, HTTP/1.1 keep-alive, 64 in flight" 20000 \
		"greenfetch -j 2" "$GF -j 2 -c 64 --per-host 0 $W/small" \
		"greenfetch (one hub)" "$GF -c 64 --per-host 0 $W/small" \
		"curl --parallel" "curl -s --parallel --parallel-max 64 -K $W/small.curl" \
		"curl --parallel-immediate" "curl -s --parallel --parallel-immediate --parallel-max 64 -K $W/small.curl" \
		"xargs -P64 -n100 curl" "xargs -P 64 -n 100 curl -s -o /dev/null < $W/small" \
		wget2 "wget2 -q --max-threads=64 -O /dev/null -i $W/small" \
		aria2c "aria2c -q -j 64 -d $W/aria -i $W/small --allow-overwrite=true"
	wrk -c 64 -t 1 -d 3 "$H/f1.txt" | awk '/Requests\/sec/ { printf "  wrk -c64 (reference)       %8.0f requests/s on one URL\n", $2 }'
}

case_slow() {
	urls "$H" "sleep?" 2000 "" > "$W/slow"
	curl_cfg "$W/slow" "$W/slow.curl"
	head -n 1000 "$W/slow" > "$W/slow1k"
	bench "1 s each, 1,000 URLs all at once" 1000 \
		"greenfetch -c 1000" "$GF -c 1000 --per-host 0 $W/slow1k" \
		"greenfetch -j 2 -c 1000" "$GF -j 2 -c 1000 --per-host 0 $W/slow1k" \
		wget2 "wget2 -q --max-threads=1000 -O /dev/null -i $W/slow1k"
	bench "1 s each, 2,000 URLs" 2000 \
		"greenfetch -c 1000" "$GF -c 1000 --per-host 0 $W/slow" \
		"greenfetch -c 2000" "$GF -c 2000 --per-host 0 $W/slow" \
		"curl --parallel-max 1000" "curl -s --parallel --parallel-immediate --parallel-max 1000 -K $W/slow.curl"
}

# Memory per transfer far past -c 1000: RSS at 10,000 in flight less RSS
# at 5,000, over 5,000 (ulimit -n permitting).
case_many() {
	urls "$H" "sleep?" 10000 "" > "$W/many"
	head -n 5000 "$W/many" > "$W/many5k"
	bench "1 s each, 5,000 URLs all at once" 5000 \
		"greenfetch -c 5000" "$GF -c 5000 --per-host 0 $W/many5k"
	bench "1 s each, 10,000 URLs all at once" 10000 \
		"greenfetch -c 10000" "$GF -c 10000 --per-host 0 $W/many"
}

case_h2() {
	for i in $(seq 0 4999); do [ -f "$W/www/f$i.txt" ] || printf '%0200d' "$i" > "$W/www/f$i.txt"; done
	urls "$S" f 5000 .txt > "$W/h2"
	curl_cfg "$W/h2" "$W/h2.curl"
	bench "HTTPS, HTTP/2, 5,000 small files, 64 in flight" 5000 \
		"greenfetch -j 2" "$GF -j 2 -c 64 --per-host 0 --cacert $W/cert.pem $W/h2" \
		"greenfetch (one hub)" "$GF -c 64 --per-host 0 --cacert $W/cert.pem $W/h2" \
		"curl --parallel" "curl -s --parallel --parallel-max 64 --cacert $W/cert.pem -K $W/h2.curl" \
		wget2 "wget2 -q --max-threads=64 --ca-certificate=$W/cert.pem -O /dev/null -i $W/h2"
}

case_large() {
	for i in $(seq 0 9); do truncate -s 100M "$W/www/big$i"; done
	urls "$H" big 10 "" > "$W/large"
	curl_cfg "$W/large" "$W/large.curl"
	bench "10 x 100 MiB to /dev/null" 10 \
		greenfetch "$GF --per-host 0 $W/large" \
		"curl --parallel" "curl -s --parallel -K $W/large.curl" \
		aria2c "aria2c -q -j 10 -d $W/aria2 --allow-overwrite=true -i $W/large; rm -rf $W/aria2"
	bench "10 x 100 MiB to a directory" 10 \
		"greenfetch -o" "$GF --per-host 0 -o $W/out $W/large; rm -rf $W/out"
}

case_stream() {
	printf '%0200d' 1 > "$W/www/s.txt"
	for n in 100000 1000000; do
		/usr/bin/time -f "%e %M" -o "$W/t" bash -c \
			"yes $H/s.txt | head -n $n | $GF -c 64 --per-host 0 > /dev/null"
		read -r wall rss < "$W/t"
		echo "== streaming $n URLs from a pipe: wall $wall s, peak RSS $((rss / 1024)) MiB ($rss KiB)"
	done
	for r in 1 2 3; do
		start=$(date +%s.%N)
		(echo "$H/s.txt"; sleep 1) | $GF | { head -n 1 > /dev/null; date +%s.%N > "$W/t2"; }
		echo "  first record $(echo "($(cat "$W/t2") - $start) * 1000" | bc -l | cut -d. -f1) ms after the start (run $r)"
	done
}

case_crawl() {
	mkdir -p "$W/www/site"
	for i in $(seq 0 19999); do
		{
			echo "<html><body>"
			for k in 1 7 31 53 97; do echo "<a href=\"p$(( (i * k + 13) % 20000 )).html\">x</a>"; done
			echo "</body></html>"
		} > "$W/www/site/p$i.html"
	done
	echo '<a href="p0.html">start</a>' > "$W/www/site/index.html"
	bench "crawl of 20,001 pages" 20001 \
		greenfetch "$GF --crawl --depth 100000 -c 64 --per-host 16 --no-robots $H/site/" \
		"wget2 -r --spider" "wget2 -q -r -l inf --no-parent --spider --max-threads=16 --robots=off -P $W/w2 $H/site/" \
		"wget -r --spider" "wget -q -r -l inf --no-parent --spider -e robots=off -P $W/w1 $H/site/"
}

# Pages of a real size: 2,000 of about 24 KB, mostly text, 61 links each.
case_crawl_text() {
	mkdir -p "$W/www/text"
	awk -v dir="$W/www/text" 'BEGIN {
		split("lorem ipsum dolor sit amet consectetur adipiscing elit sed do " \
		      "eiusmod tempor incididunt ut labore et dolore magna aliqua", w, " ")
		n = 2000; seed = 1
		for(i = 0; i < n; i++) {
			f = dir "/p" i ".html"
			printf "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">" > f
			printf "<title>Page %d</title>\n<link rel=\"stylesheet\" href=\"/style.css\">", i > f
			printf "</head>\n<body><div class=\"nav\"><ul>" > f
			for(k = 0; k < 20; k++)
				printf "<li><a href=\"p%d.html\" class=\"nav-item\">Section %d</a></li>", (i * 7 + k * 13) % n, k > f
			printf "</ul></div>\n<main>" > f
			for(p = 0; p < 40; p++) {
				printf "<p class=\"text\">" > f
				for(k = 0; k < 80; k++) {
					seed = (seed * 1103515245 + 12345) % 2147483648
					printf "%s ", w[1 + int(seed / 65536) % 19] > f
				}
				printf "<a href=\"p%d.html\">more</a> <em>%s</em></p>\n", (i * 31 + p * 17) % n, w[1 + p % 19] > f
			}
			printf "</main><footer><a href=\"index.html\">home</a></footer></body></html>\n" > f
			close(f)
		}
	}'
	echo '<a href="p0.html">start</a>' > "$W/www/text/index.html"
	bench "crawl of 2,001 pages of 24 KB" 2001 \
		greenfetch "$GF --crawl --depth 100000 -c 64 --per-host 16 --no-robots $H/text/" \
		"greenfetch -j 2" "$GF -j 2 --crawl --depth 100000 -c 64 --per-host 16 --no-robots $H/text/" \
		"wget2 -r --spider" "wget2 -q -r -l inf --no-parent --spider --max-threads=16 --robots=off -P $W/w2t $H/text/" \
		"wget -r --spider" "wget -q -r -l inf --no-parent --spider -e robots=off -P $W/w1t $H/text/"
}

# A real site: the Python 3.11 documentation (python3-doc, built by
# Sphinx), 530 pages of 10-200 KB with their stylesheets, scripts and
# images, as a crawl with assets.
case_doc() {
	cp -rL /usr/share/doc/python3.11/html "$W/www/doc"
	bench "crawl of the Python documentation" 1 \
		greenfetch "$GF --crawl --assets --scope prefix --depth 100000 -c 16 --per-host 16 --no-robots $H/doc/index.html" \
		"greenfetch -j 2" "$GF -j 2 --crawl --assets --scope prefix --depth 100000 -c 16 --per-host 16 --no-robots $H/doc/index.html" \
		"wget2 -r --spider" "wget2 -q -r -l inf --no-parent --spider --max-threads=16 --robots=off -P $W/w2d $H/doc/index.html"
}

# The same documentation crawled again with --since and the journal of a
# first crawl: nginx (ETags on here) answers 304 to all but nothing.
case_since() {
	cp -rL /usr/share/doc/python3.11/html "$W/www/since"
	local crawl="$GF --crawl --assets --scope prefix --depth 100000 -c 16 --per-host 16 --no-robots"
	$crawl --journal "$W/since.jsonl" $H/since/index.html > /dev/null
	bench "a crawl again, and with --since its journal" 1 \
		greenfetch "$crawl $H/since/index.html" \
		"greenfetch --since" "$crawl --since $W/since.jsonl $H/since/index.html"
	for since in "" "--since $W/since.jsonl"; do
		$crawl --json $since $H/since/index.html | jq -s \
			'"  \(length) URLs, \(map(.bytes) | add) body bytes, \(map(select(.status == 304)) | length) answered 304"' -r
	done
}

# What --warc-file costs: 20,000 small files and 1 GiB of large bodies,
# each with and without an archive (in $W, removed after each run).
case_warc() {
	[ -e "$W/small" ] || { for i in $(seq 0 19999); do printf '%0200d' "$i" > "$W/www/f$i.txt"; done
			       urls "$H" f 20000 .txt > "$W/small"; }
	[ -e "$W/large" ] || { for i in $(seq 0 9); do truncate -s 100M "$W/www/big$i"; done
			       urls "$H" big 10 "" > "$W/large"; }
	bench "20,000 small files, with --warc-file" 20000 \
		greenfetch "$GF -c 64 --per-host 0 $W/small" \
		"greenfetch --warc-file" "$GF -c 64 --per-host 0 --warc-file $W/a $W/small; rm -f $W/a.warc.gz" \
		"greenfetch -j 2" "$GF -j 2 -c 64 --per-host 0 $W/small" \
		"greenfetch -j 2 --warc-file" "$GF -j 2 -c 64 --per-host 0 --warc-file $W/a $W/small; rm -f $W/a.warc.gz"
	bench "10 x 100 MiB, with --warc-file" 10 \
		greenfetch "$GF --per-host 0 $W/large" \
		"greenfetch --warc-file" "$GF --per-host 0 --warc-file $W/b $W/large; rm -f $W/b.warc.gz" \
		"greenfetch -j 2 --warc-file" "$GF -j 2 --per-host 0 --warc-file $W/b $W/large; rm -f $W/b.warc.gz"
	# Most big bodies of the web do not compress (images, video, archives).
	for i in 0 1 2 3; do head -c 256M /dev/urandom > "$W/www/rnd$i"; done
	urls "$H" rnd 4 "" > "$W/random"
	sync
	bench "4 x 256 MiB of random bytes, with --warc-file" 4 \
		greenfetch "$GF --per-host 0 $W/random" \
		"greenfetch --warc-file" "$GF --per-host 0 --warc-file $W/b $W/random; rm -f $W/b.warc.gz"
}

case_demo() {
	bench "the demo: 3 URLs of 2 s" 3 \
		greenfetch "$GF $H/sleep2?a $H/sleep2?b $H/sleep2?c" \
		"greenfetch --serial" "$GF --serial $H/sleep2?a $H/sleep2?b $H/sleep2?c" \
		"curl --parallel-immediate" "curl -s -o /dev/null -o /dev/null -o /dev/null --parallel --parallel-immediate $H/sleep2?a $H/sleep2?b $H/sleep2?c"
}

echo "$(date -u +%F) on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for c in $CASES; do "case_$c"; done
