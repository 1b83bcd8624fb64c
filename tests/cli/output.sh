# output.sh - -w templates, ordered bodies with bounded memory, files,
# head-of-pipe, signals, progress, -s and -v.

test_write_out_variables() {
	start_server
	"$GF" -w '%{index}|%{http_code}|%{response_code}|%{size_download}|%{content_type}|%{remote_ip}|%{http_version}|%{num_redirects}|%{url}|%{url_effective}|%{exitcode}|%{header{Content-Length}}|%{errormsg}\n' \
		$BASE/redirect/2 $BASE/status/404 > out
	expect_eq "$(sed -n 1p out)" "1|200|200|11|text/plain|127.0.0.1|1.1|2|$BASE/redirect/2|$BASE/redirect/0|0|11|"
	expect_eq "$(sed -n 2p out)" "2|404|404|11|text/plain|127.0.0.1|1.1|0|$BASE/status/404|$BASE/status/404|22|11|HTTP 404 Not Found"
	echo "garbage" > bad
	"$GF" -w '%{http_code} %{exitcode} %{url_effective}\n' bad > out
	expect_eq "$(cat out)" "000 3 garbage" "a line that is not a URL"
}

test_write_out_times_and_json() {
	start_server
	"$GF" -w '%{time_namelookup} %{time_connect} %{time_starttransfer} %{time_total}\n%{json}\n' \
		$BASE/delay/0.3 > out
	read -r nl conn start total < <(sed -n 1p out)
	lt "$nl" "$conn" || [ "$nl" = "$conn" ] || fail "namelookup $nl after connect $conn"
	lt "$conn" "$start" || fail "connect $conn after starttransfer $start"
	lt 0.29 "$start" || fail "starttransfer $start before the 0.3 s delay"
	lt "$start" "$total" || [ "$start" = "$total" ] || fail "starttransfer after total"
	expect_eq "$(sed -n 2p out | jq -r .status)" 200 "%{json}"
}

test_write_out_escapes_and_file() {
	start_server
	"$GF" -w 'a\tb\\c%%d\n' $BASE/ > out
	expect_eq "$(cat out)" $'a\tb\\c%d'
	printf '%s' '%{http_code}\n' > fmt
	"$GF" -w @fmt $BASE/ > out
	expect_eq "$(cat out)" 200 "@file"
	"$GF" -w '%{nope}' $BASE/ > out 2> err; rc=$?
	expect_eq "$rc" 2
	expect_match "$(head -n 1 err)" "unknown variable 'nope'"
	"$GF" -w @missing $BASE/ > out 2> err; expect_eq $? 2 "-w @missing"
	"$GF" -w '%{url}' --json $BASE/ > out 2> err; expect_eq $? 2 "-w with --json"
}

test_write_out_neutralises_control_characters() {
	start_server
	"$GF" -w '%{url_effective}|%{header{X-Evil}}\n' \
		"$BASE/redirect-to?url=%2F%1B%5B2J" > out
	grep -q $'\x1b' out && fail "raw ESC in -w output"
	expect_match "$(cat out)" '%1B%5B2J'
}

# A list whose bodies finish out of order: the slowest first.
shuffled_list() {
	echo $BASE/delay/1
	for n in 5000 17 300000 1 99999; do echo $BASE/bytes/$n; done
	echo $BASE/delay/0.5
	echo $BASE/status/404
	echo $BASE/bytes/70000
}

test_body_is_in_input_order_like_serial() {
	start_server
	shuffled_list > urls
	"$GF" --body urls > conc 2> err
	"$GF" --serial --body urls > ser 2> /dev/null
	cmp conc ser || fail "--body differs from --serial --body"
	expect_eq "$(wc -c < conc)" $((14 + 5000 + 17 + 300000 + 1 + 99999 + 14 + 70000)) "bytes"
	expect_match "$(cat err)" "status/404: HTTP 404 Not Found" "failed URL on stderr"
	"$GF" --body -s urls > /dev/null 2> err
	[ -s err ] && fail "-s still printed: $(cat err)"
	"$GF" --body --json urls > /dev/null 2> records
	expect_eq "$(jq -s length records)" 9 "--json records on stderr"
	# Bodies concatenate like cat: the same as each fetched alone.
	: > one
	while read -r u; do "$GF" --serial --body "$u" >> one 2> /dev/null; done < urls
	cmp conc one || fail "not the concatenation of the bodies"
}

test_body_separator() {
	start_server
	printf '%s\n' $BASE/bytes/3 $BASE/status/500 $BASE/bytes/2 > urls
	"$GF" --body --separator '\n==\n' urls > out 2> /dev/null
	expect_eq "$(cat out)" $'abc\n==\n\n==\nab'
	"$GF" --separator x urls > /dev/null 2>&1; expect_eq $? 2 "--separator without --body"
}

test_body_head_streams_while_others_wait() {
	start_server
	printf '%s\n' $BASE/drip/4/2 $BASE/bytes/10 > urls
	t0=$(now)
	"$GF" --body urls | { head -c 1 > /dev/null; elapsed "$t0" > first; cat > /dev/null; }
	lt "$(cat first)" 1.2 || fail "first body byte after $(cat first) s: not streamed"
}

test_spill_past_the_budget_and_gone_after() {
	start_server
	export TMPDIR=$PWD/tmp; mkdir -p "$TMPDIR"
	{ echo $BASE/delay/1.5; for i in $(seq 10); do echo $BASE/bytes/200000; done; } > urls
	"$GF" --body --buffer-size 100K urls > out &
	pid=$!
	sleep 0.8
	spills=$(ls -l /proc/$pid/fd 2>/dev/null | grep -c 'greenfetch-spill-.*(deleted)')
	wait $pid
	[ "$spills" -ge 5 ] || fail "$spills spill files open past a 100K budget"
	expect_eq "$(ls -A "$TMPDIR")" "" "files left in TMPDIR"
	expect_eq "$(wc -c < out)" $((14 + 10 * 200000)) "bytes"
	"$GF" --serial --body urls > ser
	cmp out ser || fail "spilled bodies differ"
	# Within the budget nothing spills.
	"$GF" --body --buffer-size 64M urls > out &
	pid=$!
	sleep 0.8
	spills=$(ls -l /proc/$pid/fd 2>/dev/null | grep -c 'greenfetch-spill')
	wait $pid
	expect_eq "$spills" 0 "spill files within the budget"
}

test_output_dir_names() {
	start_server -l log
	{
		echo $BASE/bytes/1; echo $BASE/bytes/1; echo "$BASE/bytes/2?a=1"
		echo "$BASE/bytes/2?a=2"; echo $BASE/; echo "$BASE/page/a/b/"
		echo $BASE/status/404
	} > urls
	"$GF" -o dir --json urls > out
	expect_eq "$(jq -r '.file' out | tr '\n' ' ')" \
		"dir/127.0.0.1:$PORT/bytes/1 dir/127.0.0.1:$PORT/bytes/1-2 dir/127.0.0.1:$PORT/bytes/2-$(jq -r .file out | sed -n 3p | sed 's/.*-//') dir/127.0.0.1:$PORT/bytes/2-$(jq -r .file out | sed -n 4p | sed 's/.*-//') dir/127.0.0.1:$PORT/index.html dir/127.0.0.1:$PORT/page/a/b/index.html null " "names"
	[ "$(jq -r .file out | sed -n 3p)" != "$(jq -r .file out | sed -n 4p)" ] || fail "queries collide"
	expect_eq "$(cat "dir/127.0.0.1:$PORT/bytes/1")" a "content"
	expect_eq "$(find dir -type f | wc -l)" 6 "files (none for the 404)"
	find dir -name '*.part' | grep -q . && fail "temporary files left"
	# The same list again names the files the same way.
	"$GF" -o dir2 --json urls > out2
	expect_eq "$(jq -r .file out2 | sed 's/^dir2/dir/')" "$(jq -r .file out)" "stable names"
}

test_output_dir_saves_a_file_and_a_directory_of_one_name() {
	# /page/x and /page/x/y: one name is a file and a directory. Both are
	# saved, in either order, at any -c, named the same way every time.
	start_server
	h=127.0.0.1:$PORT
	for c in 1 8; do
		printf '%s\n' $BASE/page/x $BASE/page/x/y $BASE/page/x/y/z > urls
		rm -rf dir
		"$GF" -c $c -o dir --json urls > out; rc=$?
		expect_eq "$rc" 0 "exit status, file first, -c $c"
		expect_eq "$(jq -r .file out | tr '\n' ' ')" \
			"dir/$h/page/x dir/$h/page/x.d/y dir/$h/page/x.d/y.d/z " "names, file first"
		expect_eq "$(cat dir/$h/page/x.d/y)" "page /page/x/y" "content"
		printf '%s\n' $BASE/page/x/y/z $BASE/page/x/y $BASE/page/x > urls
		rm -rf dir
		"$GF" -c $c -o dir --json urls > out; rc=$?
		expect_eq "$rc" 0 "exit status, directory first, -c $c"
		expect_eq "$(jq -r .file out | tr '\n' ' ')" \
			"dir/$h/page/x/y/z dir/$h/page/x/y/index.html dir/$h/page/x/index.html " "names, directory first"
		expect_eq "$(find dir -type f | wc -l)" 3 "files"
	done
}

test_output_dir_stays_inside() {
	start_server
	long=$(head -c 300 /dev/zero | tr '\0' 'L')
	deep=$(for i in $(seq 40); do printf '/%s' "$(head -c 100 /dev/zero | tr '\0' d)"; done)
	{
		echo "$BASE/x/../../../../etc/passwd"
		echo "$BASE/%2e%2e/%2e%2e/escape"
		echo "$BASE/..%2f..%2fescape2"
		echo "$BASE//etc/passwd"
		echo "$BASE/a\\..\\..\\b"
		echo "$BASE/$long"
		echo "$BASE$deep"
	} > urls
	mkdir dir
	"$GF" -o dir --json urls > out 2> err
	expect_eq "$(jq -r .status out | sort -u)" 404 "all requested"
	"$GF" -o dir --output-template '../../{index}/{name}' --json urls > /dev/null
	"$GF" -o dir --output-template '/abs/{index}' --json urls > /dev/null
	top=$(realpath dir)
	while IFS= read -r f; do
		case "$(realpath "$f")" in "$top"/*) ;; *) fail "$f is outside dir" ;; esac
	done < <(find dir -mindepth 1)
	expect_eq "$(find . -path ./dir -prune -o -type f -newer urls -print | grep -v -e '^./out' -e '^./err' -e 'server\.' )" "" "files outside dir"
}

test_output_files_are_saved_whole_or_not_at_all() {
	start_server
	# 404s are not saved; a long name is shortened; a planted symlink is
	# not followed.
	mkdir -p dir elsewhere
	ln -s ../elsewhere "dir/127.0.0.1:$PORT"
	"$GF" -o dir $BASE/bytes/4 > out; rc=$?
	expect_eq "$rc" 1 "through a symlink"
	expect_match "$(cut -f5 out)" "cannot save to dir/127.0.0.1:$PORT/bytes/4"
	expect_eq "$(ls -A elsewhere)" "" "written through the symlink"
	rm "dir/127.0.0.1:$PORT"
	# Killed mid-body: nothing under the final name.
	"$GF" -o dir $BASE/drip/20/4 > /dev/null &
	pid=$!
	sleep 1
	kill -9 $pid; wait $pid 2>/dev/null
	[ -e "dir/127.0.0.1:$PORT/drip/20/4" ] && fail "a truncated file under the final name"
	ls -A "dir/127.0.0.1:$PORT/drip/20" | grep -q '\.part$' || fail "no temporary file was in use"
	"$GF" -o dir --output-template '{index}.bin' $BASE/bytes/3 $BASE/bytes/4 > /dev/null
	expect_eq "$(cat dir/1.bin)$(cat dir/2.bin)" "abcabcd" "--output-template"
}

test_head_of_pipe_stops_starts() {
	start_server -l log
	for i in $(seq 20000); do echo $BASE/bytes/1; done > urls
	t0=$(now)
	"$GF" urls 2> err | head -n 1 > out
	took=$(elapsed "$t0")
	lt "$took" 1.5 || fail "took $took s"
	[ -s err ] && fail "stderr: $(cat err)"
	n=$(grep -c ' GET ' log)
	[ "$n" -lt 20000 ] || fail "all $n URLs were fetched after the reader left"
}

test_line_buffered_flushes_each_record() {
	start_server
	for i in $(seq 40); do echo $BASE/bytes/1; done > urls
	no_lsan
	strace -f -qq -e trace=write -o plain "$GF" urls > /dev/null
	strace -f -qq -e trace=write -o lines "$GF" --line-buffered urls > /dev/null
	w1=$(grep -c '^[0-9]* *write(1,' plain)
	w2=$(grep -c '^[0-9]* *write(1,' lines)
	expect_eq "$w2" 40 "writes with --line-buffered"
	[ "$w1" -lt 40 ] || fail "$w1 writes without it: not block-buffered"
}

test_sigint_writes_done_records_and_exits_130() {
	start_server
	# -c 2: a window of 8 from the slow fourth URL, so the twelfth waits.
	{ for i in 1 2 3; do echo $BASE/bytes/$i; done; echo $BASE/delay/30
	  for i in 4 5 6; do echo $BASE/bytes/$i; done; } > urls
	for i in $(seq 20); do echo $BASE/bytes/1; done >> urls
	interrupt_after 0.5 -c 2 urls
	expect_eq "$rc" 130
	expect_eq "$(cut -f2 out | tr '\n' ' ')" "1 2 3 4 5 6 1 1 1 1 " "records done, in order"
	expect_eq "$(cat err)" "interrupted: 10 done, 1 stopped in flight, 16 not started"
	lt "$took" 3 || fail "took $took s after the signal"
	lt 1.9 "$took" || fail "no grace for the transfer in flight ($took s)"
}

test_sigint_with_an_endless_input_stops_reading() {
	# A producer that never ends: after the signal nothing more is read
	# (nor counted), and the run ends after the grace.
	interrupt_after 0.5 -c 1 /dev/urandom
	expect_eq "$rc" 130
	lt "$took" 3 || fail "took $took s after the signal"
	expect_match "$(tail -n 1 err)" "^interrupted: [0-9]+ done, [01] stopped in flight, [0-9]+ not started \(and the rest of the input, not read\)$"
}

test_waiting_urls_are_not_counted_as_stopped() {
	# Eight URLs of one host at --per-host 2: two in flight, six waiting
	# for their host when the signal comes (the file's rest unread).
	start_server
	{ for i in $(seq 8); do echo $BASE/delay/30; done; echo $BASE/bytes/1; } > urls
	interrupt_after 0.5 -c 20 --per-host 2 urls
	expect_eq "$rc" 130
	expect_eq "$(cat err)" "interrupted: 0 done, 2 stopped in flight, 7 not started"
}

test_second_signal_exits_at_once() {
	start_server
	export TMPDIR=$PWD/tmp; mkdir -p "$TMPDIR"
	printf '%s\n' $BASE/delay/30 $BASE/bytes/300000 $BASE/drip/50/20 > urls
	"$GF" --body --buffer-size 1K -o dir urls > out 2> err &
	pid=$!
	sleep 1
	ls -l /proc/$pid/fd | grep -q 'greenfetch-spill-.*(deleted)' ||
		fail "no spill file was open before the signals"
	t0=$(now)
	kill -TERM $pid; sleep 0.1; kill -TERM $pid
	wait $pid; rc=$?
	took=$(elapsed "$t0")
	expect_eq "$rc" 130
	lt "$took" 1 || fail "took $took s after the second signal"
	expect_match "$(cat err)" "^interrupted: 1 done, 2 stopped in flight, 0 not started$"
	expect_eq "$(ls -A "$TMPDIR")" "" "spill files left"
	find dir -name '*.part' | grep -q . && fail "temporary files left"
	expect_eq "$(find dir -type f | wc -l)" 1 "the one finished file"
}

test_progress_knows_the_total_and_does_not_flicker() {
	start_server
	# 300 URLs, far more than the reader takes ahead (4 x -c): the total
	# is counted from the file. Records go to a file, so the line is
	# never taken off: every capture shows it.
	for i in $(seq 300); do echo $BASE/delay/0.05; done > urls
	in_terminal "$GF -c 2 urls > out"
	sleep 1
	missing=0
	for i in $(seq 20); do
		pane=$(screen)
		grep -q 'in flight' <<< "$pane" || missing=$((missing + 1))
		sleep 0.07
	done
	end_terminal
	expect_match "$pane" "[0-9]+/300 done, 2 in flight, .* elapsed, ETA [0-9]+:[0-9]+" "total and ETA"
	expect_eq "$missing" 0 "captures without the progress line"
}

test_progress_line_in_a_terminal() {
	start_server
	for i in $(seq 8); do echo $BASE/delay/1; done > urls
	in_terminal "$GF -c 2 urls"
	sleep 1.5
	during=$(screen)
	sleep 4
	after=$(screen)
	end_terminal
	expect_match "$during" "[0-9]+/([0-9]+|\?) done, 2 in flight, 0 failed, [0-9]+ URL/s, .*/s, 0:0[0-9] elapsed" "progress while running"
	expect_eq "$(grep -c 'delay/1' <<< "$after")" 8 "records after"
	grep -q 'in flight' <<< "$after" && fail "the progress line was left on the screen"
	echo "$after" | grep 'delay/1' | grep -vq '^200' && fail "a record mixed with the progress line"
	# Not a terminal: no progress unless asked.
	"$GF" $BASE/ 2> err > /dev/null; [ -s err ] && fail "progress when stderr is a file"
	"$GF" --progress $BASE/delay/0.5 2> err > /dev/null
	grep -q 'done' err || fail "--progress did not draw"
}

test_silent_and_verbose() {
	start_server
	"$GF" -v $BASE/redirect/1 > out 2> err
	expect_match "$(sed -n 1p err)" "^\[ *[0-9]+\.[0-9]{3}\] #1 request $BASE/redirect/1$"
	grep -q "#1 redirect 302 to $BASE/redirect/0" err || fail "no redirect line: $(cat err)"
	grep -q "#1 end 200, 11 bytes" err || fail "no end line"
	"$GF" -v "http://localhost:$PORT/" > out 2> err
	grep -q '#1 resolved localhost: ' err || fail "no lookup line"
	"$GF" -s --body $BASE/status/500 > out 2> err
	[ -s err ] && fail "-s printed: $(cat err)"
	return 0
}

test_passwords_in_urls_are_masked_everywhere() {
	start_server
	url="http://bob:s3cret@127.0.0.1:$PORT/redirect-to?url=http://al:pw2@127.0.0.1:$PORT/status/404"
	"$GF" -v "$url" > out 2> err
	"$GF" --json "$url" >> out
	"$GF" -w '%{url} %{url_effective} %{errormsg}\n' "$url" >> out
	"$GF" --crawl --json --no-robots "http://bob:s3cret@127.0.0.1:$PORT/links/2/0" >> out 2>> err
	grep -q -e s3cret -e pw2 out err && fail "a password was shown: $(grep -h -e s3cret -e pw2 out err | head -n 3)"
	grep -q 'bob:\*\*\*@' out || fail "no masked URL in the records"
	grep -q 'al:\*\*\*@' err || fail "no masked URL in -v"
	expect_match "$(grep "^{" out | jq -r 'select(.depth == 1) | .parent' | head -n 1)" "^http://bob:\*\*\*@" "parent"
}
