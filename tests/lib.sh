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

# Seconds since the epoch, as a float.
now() { date +%s.%N; }

# elapsed START: seconds since START.
elapsed() { echo "$(now) - $1" | bc -l; }

# lt A B: is A < B (floats)?
lt() { [ "$(echo "$1 < $2" | bc -l)" = 1 ]; }

# Print each stdin line prefixed with seconds since START.
stamp_lines() { # START
	while IFS= read -r line; do
		printf '%s %s\n' "$(elapsed "$1")" "$line"
	done
}

# The records without the time column (for comparing runs).
untimed() { cut -f1,2,4-; }
