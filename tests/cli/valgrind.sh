# valgrind.sh - the main paths under valgrind: no invalid access, no use of
# uninitialised memory, no leak (definite or indirect). Skipped under the
# sanitizers, which do the same job their way.

vg() { # LOG ARGS...: run greenfetch under valgrind; fail on any error
	local log=$1; shift
	valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect --log-file="$log" "$GF" "$@"
	local rc=$?
	[ "$rc" = 99 ] && fail "valgrind errors: $(head -n 40 "$log")"
	return 0
}

test_clean_under_valgrind() {
	[ -z "${ASAN_OPTIONS:-}${VG_LOGS:-}" ] || { echo "under ASan or valgrind: skipped"; return 0; }
	command -v valgrind > /dev/null || fail "valgrind is not installed"
	start_server -l log
	{
		echo $BASE/redirect/2; echo $BASE/status/404; echo garbage
		echo "http://localhost:$PORT/bytes/1000"; echo $BASE/gzip-bomb/1
		echo "$BASE/redirect-to?url=file:///etc/passwd"; echo $BASE/delay/0.2
		echo $BASE/raw/reset; echo "$BASE/flaky/v/1"
	} > urls
	vg plain.vg --json --retry 1 --retry-delay 0.1 urls > out
	expect_eq "$(wc -l < out)" 9 "records"
	vg body.vg --body --buffer-size 1K -o dir -w '%{http_code} %{header{content-type}}\n' urls > body
	vg serial.vg --serial urls > serial
	vg warc.vg --warc-file arc --warc-cdx --journal wj urls > /dev/null
	python3 "$OLDPWD/tests/warc/check_warc.py" --cdx arc.cdxj arc.warc.gz > /dev/null ||
		fail "the archive written under valgrind"
	vg hubs.vg -j 2 --per-host 0 --json --retry 1 --retry-delay 0.1 urls > hubs
	expect_eq "$(wc -l < hubs)" 9 "records on two hubs"
	mkdir -p site
	echo '<a href="a.html">a</a><a href="/b.html">b</a>' > site/index.html
	echo '<base href="/x/"><a href="../index.html">i</a>' > site/a.html
	echo 'b' > site/b.html
	start_server -d "$PWD/site"
	vg crawl.vg --crawl --json --journal j $BASE/ > crawl
	expect_eq "$(wc -l < crawl)" 4 "pages (/, a, b and /index.html)"
	head -n 2 j > j2
	vg resume.vg --crawl --journal j2 --resume -o mirror $BASE/ > resumed
	expect_eq "$(wc -l < resumed)" 2 "pages of the resumed crawl"
	vg since.vg --crawl --since j --json $BASE/ > since
	expect_eq "$(wc -l < since)" 4 "pages of the crawl --since"
	head -n 3 out > list.j
	vg list.vg --journal list.j --resume urls > list
}
