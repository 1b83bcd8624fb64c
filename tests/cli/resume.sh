# resume.sh - --journal and --resume: runs killed with SIGKILL or stopped
# with SIGINT, rerun until done, leave a journal with every URL once and
# the records of an uninterrupted run; torn lines, failures, -o DIR.

# kill_loop N ARGS...: greenfetch ARGS N times, each killed with SIGKILL
# at a random moment (10 to 300 ms in), then once more to its end (out).
kill_loop() {
	local n=$1 pid; shift
	for _ in $(seq "$n"); do
		"$GF" "$@" > /dev/null 2>> kill.err &
		pid=$!
		sleep "0.$(printf '%03d' $((10 + RANDOM % 290)))"
		kill -KILL $pid 2>/dev/null
		wait $pid 2>/dev/null
	done
	"$GF" "$@" > out 2>> kill.err
}

# The fields of the records in FILE that must not depend on the kills,
# one line each, sorted; the last line of an index wins.
fields() {
	jq -sr 'group_by(.index) | map(.[-1]) | .[] |
		[.index, .url, .status, .bytes, .depth, .parent, .links] | @tsv' "$1" | sort
}

# make_pages N: a site of N pages under site/, each linking to three
# others (so the crawl's order is a real breadth-first one), served by a
# test server (BASE).
make_pages() {
	mkdir -p site
	awk -v n="$1" 'BEGIN {
		for(i = 0; i < n; i++) {
			f = "site/p" i ".html"
			printf "<html><body><a href=\"p%d.html\">a</a> <a href=\"p%d.html\">b</a> " \
			       "<a href=\"/p%d.html\">c</a>%s</body></html>\n", (i * 7 + 1) % n,
			       (i * 13 + 5) % n, (i + 1) % n, substr("xxxxxxxxxxxxxxxx", 1, i % 16) > f
			close(f)
		}
	}'
	cp site/p0.html site/index.html
	start_server -d "$PWD/site"
}

test_a_killed_list_resumes_to_every_url_once() {
	start_server
	for i in $(seq 5000); do echo "$BASE/bytes/$((i % 97))?$i"; done > urls
	"$GF" --json urls > whole.json
	kill_loop 20 --rate 2000 --journal j --resume urls
	expect_eq "$(jq -r .index j | sort -n | uniq -d | wc -l)" 0 "indexes written twice"
	expect_eq "$(wc -l < j)" 5000 "journal lines"
	expect_eq "$(fields j)" "$(fields whole.json)" "records, against an uninterrupted run"
	lt 1 "$(jq -s 'map(.run) | max' j)" || fail "the list was done in one run"
	grep -q 'cut short' kill.err && expect_match "$(cat kill.err)" 'dropped, to be done again'
	true
}

test_a_killed_crawl_resumes_to_the_same_pages() {
	make_pages 2000
	"$GF" --crawl --depth 1000 --json $BASE/ > whole.json
	expect_eq "$(wc -l < whole.json)" 2001 "pages of the uninterrupted crawl (and /)"
	kill_loop 20 --crawl --depth 1000 --rate 1000 --journal j --resume $BASE/
	expect_eq "$(jq -r .url j | sort | uniq -d | wc -l)" 0 "URLs written twice"
	expect_eq "$(wc -l < j)" 2001 "journal lines"
	expect_eq "$(fields j)" "$(fields whole.json)" "records, against an uninterrupted crawl"
	lt 1 "$(jq -s 'map(.run) | max' j)" || fail "the crawl was done in one run"
}

test_a_killed_mirror_saves_each_file_once_and_whole() {
	make_pages 600
	kill_loop 12 --crawl --depth 1000 --rate 600 -o mirror --journal j --resume $BASE/
	expect_eq "$(jq -r .url j | sort | uniq -d | wc -l)" 0 "URLs written twice"
	expect_eq "$(find mirror -type f | wc -l)" 601 "files saved"
	expect_eq "$(find mirror -name '*.part' | wc -l)" 0 "temporary files left"
	expect_eq "$(jq -r .file j | sort -u | wc -l)" 601 "a file of its own for each page"
	for f in $(jq -r .file j); do
		cmp -s "$f" "site/${f##*/}" || [ "${f##*/}" = index.html ] ||
			fail "$f is not the page it saved"
	done
}

test_an_interrupted_run_resumes() {
	start_server
	for i in $(seq 300); do echo "$BASE/bytes/$i"; done > urls
	interrupt_after 0.5 --rate 200 --journal j urls
	expect_eq "$rc" 130 "exit status after SIGINT"
	local first; first=$(wc -l < j)
	lt "$first" 300 || fail "the run was not interrupted ($first records)"
	expect_eq "$(wc -l < out)" "$first" "records on stdout and in the journal"
	"$GF" --journal j --resume --stats urls > out2 2> err; rc=$?
	expect_eq "$rc" 0 "exit status of the resumed run"
	expect_match "$(cat err)" "^$((300 - first)) URLs, $((300 - first)) ok.*
$first done by earlier runs \(--resume\), not again" "the summary"
	expect_eq "$(wc -l < out2)" $((300 - first)) "records of the second run"
	expect_eq "$(jq -r .index j | sort -n | uniq | wc -l)" 300 "indexes"
	expect_eq "$(wc -l < j)" 300 "journal lines"
	# Records keep their index and the input's order.
	expect_eq "$(cut -f4 out2 | sed 's|.*/||' | tr '\n' ' ')" "$(seq $((first + 1)) 300 | tr '\n' ' ')" \
		"the second run's records, in order"
}

test_an_interrupted_crawl_resumes() {
	make_pages 400
	"$GF" --crawl --depth 1000 --json $BASE/ > whole.json
	interrupt_after 0.3 --crawl --depth 1000 --rate 400 --journal j $BASE/
	expect_eq "$rc" 130 "exit status after SIGINT"
	"$GF" --crawl --depth 1000 --journal j --resume $BASE/ > out2
	expect_eq "$(fields j)" "$(fields whole.json)" "records, against an uninterrupted crawl"
	expect_eq "$(wc -l < j)" 401 "journal lines"
}

test_a_torn_last_line_is_dropped_and_done_again() {
	start_server
	for i in 1 2 3 4; do echo "$BASE/bytes/$i"; done > urls
	"$GF" --journal j urls > /dev/null
	head -n 3 j > j2
	tail -n 1 j | head -c 40 >> j2    # the crash cut the fourth line short
	"$GF" --journal j2 --resume urls > out 2> err
	expect_match "$(cat err)" "--journal j2: its last line was cut short" "the repair said"
	expect_eq "$(cut -f4 out)" "$BASE/bytes/4" "the torn record, fetched again"
	jq -e . j2 > /dev/null || fail "the journal does not parse after the repair"
	expect_eq "$(jq -r .index j2 | tr '\n' ' ')" "1 2 3 4 " "journal indexes"
}

test_resume_fetches_failures_again_unless_skip_failed() {
	start_server -l log
	printf '%s\n' $BASE/bytes/1 $BASE/status/500 "not a url" $BASE/bytes/2 > urls
	"$GF" --journal j urls > /dev/null; rc=$?
	expect_eq "$rc" 1 "exit status with failures"
	"$GF" --journal j --resume urls > out; rc=$?
	expect_eq "$(cut -f1,4 out | tr '\t\n' '  ')" "500 $BASE/status/500 000 not a url " \
		"the failures, again"
	expect_eq "$(jq -r '[.index, .run] | @tsv' j | tail -n 2 | tr '\t\n' '  ')" "2 2 3 2 " \
		"their records keep their indexes"
	expect_eq "$(grep -c 'GET /bytes/' log)" 2 "successes fetched once"
	"$GF" --journal j --resume --skip-failed urls > out; rc=$?
	expect_eq "$rc" 0 "exit status with nothing to do"
	expect_eq "$(wc -c < out)" 0 "records with nothing to do"
	"$GF" --skip-failed urls > /dev/null 2> err; rc=$?
	expect_eq "$rc" 2 "--skip-failed without --resume"
	"$GF" --resume urls > /dev/null 2> err; rc=$?
	expect_eq "$rc" 2 "--resume without --journal"
	expect_match "$(cat err)" "--resume needs --journal"
}

test_a_journal_goes_with_every_output_mode() {
	start_server
	printf '%s\n' $BASE/bytes/3 $BASE/bytes/5 > urls
	for mode in "" --json "-w %{http_code}\n" --body "-o dir"; do
		rm -f j
		# shellcheck disable=SC2086
		"$GF" --journal j $mode urls > out || fail "$mode: the run failed"
		expect_eq "$(jq -r '[.index, .status, .bytes] | @tsv' j | tr '\t\n' '  ')" \
			"1 200 3 2 200 5 " "journal lines with '$mode'"
	done
	expect_eq "$(jq -r .file j | tr '\n' ' ')" "dir/127.0.0.1:$PORT/bytes/3 dir/127.0.0.1:$PORT/bytes/5 " \
		"the files in the journal"
	# Without --resume the journal starts afresh.
	"$GF" --journal j urls > /dev/null
	expect_eq "$(wc -l < j)" 2 "journal lines of a new run"
}

test_a_journal_that_cannot_be_written_stops_the_run() {
	start_server
	printf '%s\n' $BASE/bytes/3 > urls
	"$GF" --journal /nonexistent/j urls > out 2> err; rc=$?
	expect_eq "$rc" 2 "exit status"
	expect_match "$(cat err)" "--journal /nonexistent/j: No such file"
	[ -e /dev/full ] || return 0
	"$GF" --journal /dev/full urls > out 2> err; rc=$?
	expect_eq "$rc" 1 "exit status when the disk is full"
	expect_match "$(cat err)" "--journal /dev/full: No space left"
}

test_resuming_a_million_lines_costs_16_bytes_each() {
	start_server
	awk 'BEGIN { for(i = 1; i <= 1000000; i++)
		printf "{\"index\":%d,\"url\":\"http://h.test/%d\",\"failed\":false,\"run\":1}\n", i, i }' > j
	{ seq -f 'http://h.test/%.0f' 1000000; echo $BASE/bytes/7; } > urls
	/usr/bin/time -f %M -o rss "$GF" --journal j --resume urls > out
	expect_eq "$(cat out | cut -f1,2,4)" "$(printf '200\t7\t%s' $BASE/bytes/7)" "the one line left"
	expect_eq "$(tail -n 1 j | jq -r '[.index, .run] | @tsv')" "$(printf '1000001\t2')" "its record"
	# The same with one line done: the difference is the fingerprints'
	# (16 MiB for a million), give or take the input's buffers.
	head -n 1 j > j1
	/usr/bin/time -f %M -o rss1 "$GF" --journal j1 --resume $BASE/bytes/7 > /dev/null
	check_rss rss $(($(tail -n 1 rss1) + 18 * 1024))
}

test_an_unordered_list_and_hubs_resume_too() {
	start_server
	for i in $(seq 1500); do echo "$BASE/bytes/$((i % 13))?$i"; done > urls
	"$GF" --json urls > whole.json
	for mode in --unordered "-j 2"; do
		rm -f j
		# shellcheck disable=SC2086
		kill_loop 6 $mode --rate 2000 --journal j --resume urls
		expect_eq "$(jq -r .index j | sort -n | uniq -d | wc -l)" 0 "$mode: indexes written twice"
		expect_eq "$(wc -l < j)" 1500 "$mode: journal lines"
		expect_eq "$(fields j)" "$(fields whole.json)" "$mode: records"
	done
}

test_a_killed_crawl_with_sitemaps_resumes_to_the_same_pages() {
	make_pages 300
	# Pages no link leads to, named by the sitemap only.
	for i in 1 2 3; do echo "<p>only in the sitemap</p>" > site/s$i.html; done
	printf 'User-agent: *\nDisallow: /p13.html\nSitemap: /sitemap.xml\n' > site/robots.txt
	{
		echo '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
		for i in 1 2 3; do echo "<url><loc>$BASE/s$i.html</loc></url>"; done
		echo '</urlset>'
	} > site/sitemap.xml
	"$GF" --crawl --sitemap --depth 1000 --json $BASE/ > whole.json
	expect_eq "$(grep -c '/s[123].html' whole.json)" 3 "the sitemap's pages"
	kill_loop 10 --crawl --sitemap --depth 1000 --rate 600 --journal j --resume $BASE/
	expect_eq "$(jq -r .url j | sort | uniq -d | wc -l)" 0 "URLs written twice"
	expect_eq "$(fields j)" "$(fields whole.json)" "records, against an uninterrupted crawl"
}
