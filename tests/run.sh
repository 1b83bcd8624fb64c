#!/usr/bin/env bash
# run.sh - runs every test: the C unit tests, then the command-line tests
# against the bundled server. Ends with "N passed, N failed".
#
# Usage: tests/run.sh BUILD_DIR [FILTER]
#   GREENFETCH  the binary under test (default ./greenfetch)
#   FILTER      run only tests whose name contains it
set -u
cd "$(dirname "$0")/.."
# Absolute: each test runs in a directory of its own.
export BUILD=$(realpath "${1:-build}")
filter=${2:-}
export GREENFETCH=${GREENFETCH:-./greenfetch}
export SERVER=$BUILD/gf-testserver
export TEST_TMP=$(mktemp -d /tmp/gf-test.XXXXXX)
trap 'rm -rf "$TEST_TMP"' EXIT
passed=0 failed=0 skipped= failures=
# Under sanitizers, reports go to files per test, and any report fails it.
san_asan=${ASAN_OPTIONS:-} san_ubsan=${UBSAN_OPTIONS:-}

record() { # name status logfile (status 77: skipped, the log says why)
	if [ "$2" = 0 ]; then
		passed=$((passed + 1)); echo "ok   $1"
	elif [ "$2" = 77 ]; then
		skipped=$((skipped + 1)); echo "skip $1: $(tail -n 1 "$3")"
	else
		failed=$((failed + 1)); failures="$failures $1"
		echo "FAIL $1"; sed 's/^/     | /' "$3" | tail -n 30
	fi
}

# Unit tests print "ok NAME" or "not ok NAME" per case.
for bin in "$BUILD"/tests/test_*; do
	[ -x "$bin" ] || continue
	log=$TEST_TMP/unit.log
	timeout 60 "$bin" > "$log" 2>&1; rc=$?
	while read -r status name; do
		case "$status" in
		ok) [ -z "$filter" ] || [[ "$name" == *"$filter"* ]] && record "$name" 0 /dev/null ;;
		not) name=${name#ok }; record "$name" 1 "$log" ;;
		esac
	done < "$log"
	if [ $rc != 0 ] && ! grep -q '^not ok' "$log"; then
		record "$(basename "$bin") (exit $rc)" 1 "$log"
	fi
done

# Fuzz corpora and crash reproducers, replayed by each target.
for t in tests/fuzz/fuzz_*.c; do
	t=$(basename "$t" .c); t=${t#fuzz_}
	name=fuzz:replay_$t
	[ -z "$filter" ] || [[ "$name" == *"$filter"* ]] || continue
	dirs=()
	for d in tests/fuzz/corpus/$t tests/fuzz/crashes/$t; do [ -d "$d" ] && dirs+=("$d"); done
	timeout 120 "$BUILD/tests/replay_$t" "${dirs[@]}" > "$TEST_TMP/replay.log" 2>&1
	record "$name" $? "$TEST_TMP/replay.log"
done

# The HTML tokenizer against the html5lib tokenizer tests (tests/html5lib/data).
name=html5lib:tokenizer
if [ -z "$filter" ] || [[ "$name" == *"$filter"* ]]; then
	timeout 300 python3 tests/html5lib/tokenizer.py "$BUILD/tests/html-tokens" \
		tests/html5lib/data > "$TEST_TMP/html5lib.log" 2>&1
	record "$name" $? "$TEST_TMP/html5lib.log"
fi

# The links of real pages against python3-html5lib's parser: the Python
# documentation (Sphinx), valgrind's (DocBook) and libpsl's (gtk-doc).
name=html5lib:links_as_html5lib_finds_them
if [ -z "$filter" ] || [[ "$name" == *"$filter"* ]]; then
	timeout 300 /usr/bin/python3 tests/html5lib/differential.py "$BUILD/tests/html-links" \
		/usr/share/doc/python3.11/html /usr/share/doc/valgrind/html \
		/usr/share/doc/libpsl-dev/html > "$TEST_TMP/differential.log" 2>&1
	record "$name" $? "$TEST_TMP/differential.log"
fi
# ... and on 3,000 pages made of pieces of those with markup thrown in.
name=html5lib:links_as_html5lib_finds_them_in_broken_pages
if [ -z "$filter" ] || [[ "$name" == *"$filter"* ]]; then
	timeout 300 /usr/bin/python3 tests/html5lib/differential.py "$BUILD/tests/html-links" \
		--mutate 3000 /usr/share/doc/python3.11/html /usr/share/doc/valgrind/html \
		> "$TEST_TMP/mutants.log" 2>&1
	record "$name" $? "$TEST_TMP/mutants.log"
fi

# Command-line tests: every test_* function in tests/cli/*.sh, each in its
# own bash with its own servers, under a time limit.
for file in tests/cli/*.sh; do
	for fn in $(grep -oE '^test_[a-z0-9_]+' "$file"); do
		name=$(basename "$file" .sh):${fn#test_}
		[ -z "$filter" ] || [[ "$name" == *"$filter"* ]] || continue
		log=$TEST_TMP/${name/:/-}.log
		dir=$TEST_TMP/${name/:/-}.d
		mkdir -p "$dir"
		[ -z "$san_asan" ] || export ASAN_OPTIONS="$san_asan:log_path=$dir/sanitizer"
		[ -z "$san_ubsan" ] || export UBSAN_OPTIONS="$san_ubsan:log_path=$dir/sanitizer"
		timeout -k 5 120 bash -c 'source tests/lib.sh; source "$1"; cd_test "$2"; "$3"' \
			_ "$file" "$dir" "$fn" > "$log" 2>&1 < /dev/null
		rc=$?
		if ls "$dir"/sanitizer.* > /dev/null 2>&1; then
			cat "$dir"/sanitizer.* >> "$log"; rc=1
		fi
		record "$name" $rc "$log"
	done
done

[ -z "$failures" ] || echo "failed:$failures"
echo "$passed passed, $failed failed${skipped:+, $skipped skipped}"
[ "$failed" = 0 ]
