# lib.sh - helpers for the command-line tests (sourced by tests/run.sh).
#
# Each test is a bash function test_NAME in tests/cli/*.sh, run in a fresh
# bash inside its own directory; it fails by exiting non-zero. Servers it
# starts are stopped when it ends.

GF=$(realpath "$GREENFETCH")
SRV=$(realpath "$SERVER")
pids=()

cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
}
trap cleanup EXIT

cd_test() { cd "$1" || exit 1; }

fail() { echo "assertion failed: $*" >&2; exit 1; }

# start_server [SERVER ARGS...]: a test server on a free port; sets PORT
# and BASE (http://127.0.0.1:PORT). -b ::1 gives an IPv6 one.
start_server() {
	local out=server.$RANDOM.port
	"$SRV" -p 0 "$@" > "$out" &
	pids+=($!)
	for _ in $(seq 100); do
		[ -s "$out" ] && break
		sleep 0.02
	done
	PORT=$(head -n 1 "$out")
	[ -n "$PORT" ] || fail "test server did not start"
	BASE=http://127.0.0.1:$PORT
}

expect_eq() { # ACTUAL EXPECTED [WHAT]
	[ "$1" = "$2" ] || fail "${3:-value}: expected '$2', got '$1'"
}

expect_match() { # TEXT REGEX [WHAT]
	[[ "$1" =~ $2 ]] || fail "${3:-text}: '$1' does not match /$2/"
}

# For runs under strace: LeakSanitizer cannot work under ptrace.
no_lsan() { [ -z "${ASAN_OPTIONS:-}" ] || export ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0"; }

# Seconds since the epoch, as a float.
now() { date +%s.%N; }

# elapsed START: seconds since START.
elapsed() { echo "$(now) - $1" | bc -l; }

# lt A B: is A < B (floats)?
lt() { [ "$(echo "$1 < $2" | bc -l)" = 1 ]; }

# Print each stdin line prefixed with seconds since START.
stamp_lines() { # START
	local s=${1%.*} f=${1#*.} start t d line
	f=${f}000000; start=$((s * 1000000 + 10#${f:0:6}))
	# No process per line: the stamp must not include the stamping.
	while IFS= read -r line; do
		t=${EPOCHREALTIME/./}; d=$((t - start))
		printf '%d.%06d %s\n' $((d / 1000000)) $((d % 1000000)) "$line"
	done
}

# interrupt_after SEC ARGS...: run greenfetch with ARGS (out, err), send it
# SIGINT after SEC; sets rc and took (seconds from the signal to its end).
interrupt_after() {
	local secs=$1 pid t0; shift
	"$GF" "$@" > out 2> err &
	pid=$!
	sleep "$secs"
	t0=$(now)
	kill -INT $pid
	wait $pid; rc=$?
	took=$(elapsed "$t0")
}

# The records without the time column (for comparing runs).
untimed() { cut -f1,2,4-; }

# start_dns [DNSMASQ ARGS...]: dnsmasq on 127.0.0.1 and a free port, for
# the .test domain, logging queries to dns.log; sets DNS (ADDR:PORT).
# Built in, with a TTL of 300 s: a.test (A and AAAA), v4.test, v6.test, alias.test (CNAME to
# a.test), short.test (TTL 1 s), zero.test (127.0.0.1, TTL 0),
# x.servfail.test (SERVFAIL),
# x.blackhole.test (never answered), *.slow.test (127.0.0.1, answered
# after DNS_SLOW_DELAY seconds, default 0.2); any other .test name is
# NXDOMAIN.
start_dns() {
	command -v dnsmasq > /dev/null || fail "dnsmasq is not installed"
	local bh sf slow port
	start_server -u; bh=$PORT
	start_server -u -S; sf=$PORT
	start_server -u -D "${DNS_SLOW_DELAY:-0.2}"; slow=$PORT
	for _ in 1 2 3 4 5; do
		port=$((20000 + RANDOM % 40000))
		dnsmasq -k --port=$port --listen-address=127.0.0.1 --bind-interfaces \
			--no-resolv --no-hosts --log-queries --log-facility="$PWD/dns.log" \
			--user="$(id -un)" --group="$(id -gn)" --pid-file= --local=/test/ \
			--local-ttl=300 \
			--host-record=a.test,127.0.0.1,::1 --host-record=v4.test,127.0.0.1 \
			--host-record=v6.test,::1 --host-record=short.test,127.0.0.1,1 \
			--host-record=zero.test,127.0.0.1,0 \
			--cname=alias.test,a.test \
			--server=/servfail.test/127.0.0.1#$sf \
			--server=/blackhole.test/127.0.0.1#$bh \
			--server=/slow.test/127.0.0.1#$slow "$@" 2> dnsmasq.err &
		pids+=($!)
		for _ in $(seq 50); do
			grep -q 'started, version' dns.log 2>/dev/null && { DNS=127.0.0.1:$port; return 0; }
			kill -0 $! 2>/dev/null || break
			sleep 0.02
		done
	done
	fail "dnsmasq did not start: $(cat dnsmasq.err)"
}

# closes_during_slow_url [ARGS...]: a test server logging to log, then
# one URL of 2 s and NQUICK (8) quick ones, all at once, through greenfetch
# ARGS; checks the records and sets EARLY to how many connections the server
# saw close while the slow URL ran, QUICK to how many the quick URLs used
# (fewer than 8 when a hub started one after another had ended).
closes_during_slow_url() {
	local t0 n=${NQUICK:-8}
	start_server -l log
	{ echo $BASE/delay/2; for i in $(seq "$n"); do echo $BASE/bytes/10; done; } > urls
	"$GF" "$@" urls > out
	expect_eq "$(cut -f1 out | sort | uniq -c | tr -s ' ')" " $((n + 1)) 200" "records"
	t0=$(awk '$3 == "/delay/2" { print $4 }' log)
	EARLY=$(awk -v t="$t0" '$2 == "closed" && $3 < t + 1.5' log | wc -l)
	QUICK=$(awk '$3 == "/bytes/10" { print $1 }' log | sort -u | wc -l)
	[ "$QUICK" -ge 5 ] || fail "the quick URLs used only $QUICK connections"
}

# dns_queries NAME: how many queries for NAME reached dnsmasq.
dns_queries() { grep -c "query\[[A-Z]*\] $1 from" dns.log; }

# start_nginx: nginx on 127.0.0.1 and a free port with TLS and HTTP/2, a
# self-signed certificate for localhost and 127.0.0.1 made here (cert.pem),
# docroot www/ and an access log ngx/logs/access.log of
# "$connection $server_protocol $request_uri $status"; sets HTTPS_PORT.
start_nginx() {
	command -v nginx > /dev/null || fail "nginx is not installed"
	mkdir -p ngx/logs ngx/tmp www
	openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
		-addext 'subjectAltName=DNS:localhost,IP:127.0.0.1' \
		-keyout key.pem -out cert.pem > /dev/null 2>&1 || fail "openssl failed"
	local user=
	[ "$(id -u)" = 0 ] && user="user root;"
	for _ in 1 2 3 4 5; do
		HTTPS_PORT=$((20000 + RANDOM % 40000))
		cat > ngx/nginx.conf <<-CONF
		$user
		worker_processes 1;
		daemon off;
		pid $PWD/ngx/nginx.pid;
		error_log $PWD/ngx/logs/error.log;
		events { worker_connections 4096; }
		http {
		    log_format conns '\$connection \$server_protocol \$request_uri \$status';
		    access_log $PWD/ngx/logs/access.log conns;
		    client_body_temp_path $PWD/ngx/tmp;
		    proxy_temp_path $PWD/ngx/tmp;
		    fastcgi_temp_path $PWD/ngx/tmp;
		    uwsgi_temp_path $PWD/ngx/tmp;
		    scgi_temp_path $PWD/ngx/tmp;
		    keepalive_requests 100000;
		    http2_max_requests 100000;
		    server {
		        listen 127.0.0.1:$HTTPS_PORT ssl http2;
		        ssl_certificate $PWD/cert.pem;
		        ssl_certificate_key $PWD/key.pem;
		        root $PWD/www;
		    }
		}
		CONF
		nginx -p "$PWD/ngx" -c "$PWD/ngx/nginx.conf" 2> ngx/start.err &
		pids+=($!)
		for _ in $(seq 100); do
			curl -sk -o /dev/null "https://127.0.0.1:$HTTPS_PORT/" && return 0
			kill -0 $! 2>/dev/null || break
			sleep 0.05
		done
	done
	fail "nginx did not start: $(cat ngx/start.err ngx/logs/error.log 2>/dev/null)"
}

# check_rss FILE KIB: the peak RSS /usr/bin/time -f %M wrote to FILE is
# under KIB. Not under AddressSanitizer, whose quarantine keeps freed memory.
check_rss() {
	[ -z "${ASAN_OPTIONS:-}" ] || return 0
	[ "$(tail -n 1 "$1")" -lt "$2" ] || fail "peak RSS $(tail -n 1 "$1") KiB, over $2"
}

# in_terminal COMMAND: run COMMAND (then a pause) in a terminal of 150 x 20,
# a tmux session in this directory; screen prints what it shows now and
# end_terminal closes it.
in_terminal() {
	command -v tmux > /dev/null || fail "tmux is not installed"
	TMUX_SOCK=$PWD/tmux.sock
	tmux -S "$TMUX_SOCK" new-session -d -x 150 -y 20 "cd $PWD && $1; sleep 30"
}
screen() { tmux -S "$TMUX_SOCK" capture-pane -p; }
end_terminal() { tmux -S "$TMUX_SOCK" kill-server; }

# request_times PATTERN: the times the server (-l log) got requests whose
# target matches PATTERN, in order.
request_times() { awk -v p="$1" '$2 ~ /^[A-Z]+$/ && $3 ~ p { print $4 }' log; }
