# faults.sh - calls that fail: the N-th allocation, write() or rename() of
# greenfetch's own code fails (tests/fault/inject.c, preloaded), for every
# N in turn. Each run must end without a crash or a hang, with records
# that parse; and it either succeeds in full (every record ok, every file
# saved) or says what failed: a non-zero exit with a message on stderr or
# an error in a record. Skipped under ASan and valgrind, which own malloc.

INJECT=$(realpath "$BUILD/tests/inject.so")

# each_failure KIND NURLS ARGS...: fail each call of KIND in turn. With
# --body the records are on stderr, and a run that exits 0 must have
# written the same bodies as the run without a failure.
each_failure() {
	local kind=$1 nurls=$2 total n rc ok recs=out; shift 2
	[[ " $* " != *" --body "* ]] || recs=err
	GF_FAIL=$kind:0 GF_FAIL_COUNT=count LD_PRELOAD=$INJECT "$GF" "$@" > out 2> err
	total=$(cat count)
	[ "$total" -gt 0 ] || fail "no $kind call counted"
	expect_eq "$(grep '^{' $recs | jq -r 'select(.error == null) | .url' | wc -l)" \
		"$nurls" "$kind: records of the run without a failure"
	cp out good
	for n in $(seq 1 "$total"); do
		rm -rf dir
		GF_FAIL=$kind:$n LD_PRELOAD=$INJECT timeout 20 "$GF" "$@" > out 2> err; rc=$?
		[ "$rc" -le 2 ] || fail "$kind:$n: exit status $rc: $(head -c 300 err)"
		grep '^{' $recs | jq -e . > /dev/null 2>&1 || ! grep -q '^{' $recs ||
			fail "$kind:$n: records that do not parse: $(head -c 300 $recs)"
		ok=$(grep '^{' $recs | jq -r 'select(.error == null) | .url' | wc -l)
		if [ "$rc" = 0 ]; then
			[ "$ok" = "$nurls" ] || fail "$kind:$n: exit 0 with $ok of $nurls records ok"
			[ "$recs" = out ] || cmp -s out good || fail "$kind:$n: exit 0, other bodies"
		elif ! grep -qv '^{' err && ! grep -q '"error":"' $recs; then
			fail "$kind:$n: exit $rc and nothing says why"
		fi
	done
	echo "$kind: $total calls failed in turn"
}

fault_urls() {
	printf '%s\n' "$BASE/bytes/1000" "$BASE/redirect/1" "$BASE/gzip-bomb/1" \
		"http://localhost:$PORT/bytes/5" "$BASE/bytes/70000"
}

skip_when_malloc_is_owned() {
	[ -n "${ASAN_OPTIONS:-}${VG_LOGS:-}" ] && echo "under ASan or valgrind: skipped"
}

test_each_allocation_may_fail() {
	skip_when_malloc_is_owned && return 0
	start_server
	fault_urls > urls
	each_failure malloc 5 --json -o dir urls
	each_failure malloc 5 --json --body --buffer-size 1K urls
	each_failure malloc 5 --json -j 2 --per-host 0 urls
}

test_each_file_write_and_rename_may_fail() {
	skip_when_malloc_is_owned && return 0
	start_server
	fault_urls > urls
	each_failure write 5 --json -o dir urls
	each_failure rename 5 --json -o dir urls
	each_failure write 5 --json --body --buffer-size 1K urls
}

test_each_allocation_of_a_crawl_may_fail() {
	skip_when_malloc_is_owned && return 0
	mkdir site
	echo '<a href="a.html">a</a> <a href="b.html">b</a>' > site/index.html
	echo '<a href="b.html">b</a>' > site/a.html
	echo 'b' > site/b.html
	start_server -d "$PWD/site"
	each_failure malloc 3 --json --crawl -o dir $BASE/
}
