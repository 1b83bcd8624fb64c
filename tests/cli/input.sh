# input.sh - every input line yields one record in its place, whatever it
# holds; sources in order; stdin streamed.

test_bad_lines_each_get_a_record() {
	start_server
	{
		printf '\xef\xbb\xbf%s\r\n' "$BASE/status/200"
		echo "garbage"
		echo "   "
		echo "# a comment"
		echo "ftp://example.org/file"
		echo "file:///etc/passwd"
		printf 'http://a/\x00b\n'
		head -c 102400 /dev/zero | tr '\0' 'x' | sed 's|^|http://h/|'; echo
		printf 'http://\xff\xfe/\n'
		echo "http://"
		printf '  %s  \t\n' "$BASE/bytes/5"
		echo "http://[::1"
		printf '%s' "$BASE/bytes/7"
	} > urls
	"$GF" urls > out; rc=$?
	expect_eq "$rc" 1 "exit status"
	expect_eq "$(wc -l < out)" 11 "records"
	expect_eq "$(sed -n 1p out | cut -f1,2,4)" "200	11	$BASE/status/200" "BOM and CRLF"
	expect_match "$(sed -n 2p out)" "^000	0	.*	garbage	not a URL: no http:// or https:// scheme$"
	expect_match "$(sed -n 3p out)" "	ftp://example.org/file	unsupported scheme 'ftp': only http and https$"
	expect_match "$(sed -n 4p out)" "	file:///etc/passwd	unsupported scheme 'file': only http and https$"
	expect_match "$(sed -n 5p out)" "	http://a/.+b	not a URL: contains a NUL byte$"
	expect_match "$(sed -n 6p out)" "	http://h/x+\.\.\.	not a URL: line too long \(102409 bytes; the limit is 65536\)$"
	expect_match "$(sed -n 7p out)" '	http://\\xff\\xfe/	not a URL: invalid UTF-8$'
	expect_match "$(sed -n 8p out)" "	http://	malformed URL: "
	expect_eq "$(sed -n 9p out | cut -f1,2,4)" "200	5	$BASE/bytes/5" "trimmed"
	expect_match "$(sed -n 10p out)" "	http://\[::1	malformed URL: "
	expect_eq "$(sed -n 11p out | cut -f1,2,4)" "200	7	$BASE/bytes/7" "no final newline"
}

test_json_records_parse_and_escape() {
	start_server
	{ echo "$BASE/redirect/2"; printf 'bad\x1b[2J"\\\n'; echo "$BASE/status/503"; } > urls
	"$GF" --json urls > out
	expect_eq "$(jq -s length out)" 3 "JSON lines"
	expect_eq "$(jq -r 'keys_unsorted | join(",")' out | sort -u)" \
		"index,url,effective_url,status,bytes,time,redirects,error,file,attempts,etag,last_modified" "keys"
	expect_eq "$(jq -r '[.index,.status,.redirects] | @tsv' out | tr '\n' ' ')" \
		"1	200	2 2	0	0 3	503	0 " "fields"
	expect_eq "$(jq -r .effective_url out | head -1)" "$BASE/redirect/0" "effective_url"
	expect_eq "$(jq -r .url out | sed -n 2p)" $'bad\x1b[2J"\\' "url round-trips"
	grep -q $'\x1b' out && fail "raw escape byte in JSON output"
	expect_eq "$(jq -r .error out | tr '\n' '|')" \
		"null|not a URL: no http:// or https:// scheme|HTTP 503 Service Unavailable|" "errors"
	jq -e '.time | type == "number"' out > /dev/null || fail "time is not a number"
}

test_sources_in_argument_order() {
	start_server
	printf '%s\n' $BASE/bytes/2 $BASE/bytes/3 > list
	echo $BASE/bytes/5 | "$GF" $BASE/bytes/1 list - $BASE/bytes/4 > out
	expect_eq "$(cut -f2 out | tr '\n' ' ')" "1 2 3 5 4 " "order"
}

test_missing_file_is_reported_and_others_run() {
	start_server
	echo $BASE/bytes/2 > list
	"$GF" nosuchfile list > out 2> err; rc=$?
	expect_eq "$rc" 1 "exit status"
	expect_eq "$(cut -f2 out)" 2 "the other file ran"
	expect_match "$(cat err)" "nosuchfile: No such file or directory"
}

test_no_argument_reads_stdin() {
	start_server
	printf '%s\n' $BASE/bytes/3 | "$GF" > out
	expect_eq "$(cut -f1,2 out)" "200	3"
}

test_stdin_pipe_streams_before_eof() {
	start_server
	t0=$(now)
	(echo $BASE/bytes/1; sleep 3; echo $BASE/bytes/2) | "$GF" | stamp_lines "$t0" > out
	first=$(head -n 1 out | cut -d' ' -f1)
	lt "$first" 1 || fail "first record after $first s: stdin was read to EOF first"
	expect_eq "$(wc -l < out)" 2 "records"
	expect_eq "$("$GF" --serial < /dev/null | wc -l)" 0 "empty stdin"
}

test_serial_stdin_streams_too() {
	start_server
	t0=$(now)
	(echo $BASE/bytes/1; sleep 2; echo $BASE/bytes/2) | "$GF" --serial | stamp_lines "$t0" > out
	first=$(head -n 1 out | cut -d' ' -f1)
	lt "$first" 1 || fail "first serial record after $first s"
}

test_closed_standard_streams_fail_clearly() {
	start_server -l log
	# No stdout: nothing is fetched, a clear error, a usage status.
	for mode in "" --serial; do
		"$GF" $mode "$BASE/bytes/1" >&- 2> err; rc=$?
		expect_eq "$rc" 2 "exit status with stdout closed ($mode)"
		expect_match "$(cat err)" "standard output is closed" "message ($mode)"
	done
	grep -q ' GET ' log && fail "fetched with nowhere to write"
	# No stdin: an error for that source, the others still read.
	"$GF" - "$BASE/bytes/2" <&- > out 2> err; rc=$?
	expect_eq "$rc" 1 "exit status with stdin closed"
	expect_match "$(cat err)" "stdin: closed" "message with stdin closed"
	expect_eq "$(cut -f1,2 out)" "200	2" "the other source"
	"$GF" <&- > out 2> err; rc=$?
	expect_eq "$rc" 1 "exit status, stdin closed and the only source"
	# No stderr: records as usual.
	printf '%s\nftp://x/\n' "$BASE/bytes/3" > urls
	"$GF" urls > out 2>&-; rc=$?
	expect_eq "$rc" 1 "exit status with stderr closed"
	expect_eq "$(cut -f1,2 out | head -n 1)" "200	3" "record with stderr closed"
	expect_eq "$(wc -l < out)" 2 "records with stderr closed"
}

test_a_host_without_a_scheme_gets_a_hint() {
	"$GF" example.org example.org:8080/docs/ > out 2> err; rc=$?
	expect_eq "$rc" 1 "exit status"
	expect_eq "$(sed -n 1p err)" "greenfetch: example.org: no such file (did you mean https://example.org/?)"
	expect_eq "$(sed -n 2p err)" "greenfetch: example.org:8080/docs/: no such file (did you mean https://example.org:8080/docs/?)"
	"$GF" no-such-list > out 2> err
	expect_eq "$(cat err)" "greenfetch: no-such-list: No such file or directory" "a plain missing file"
}
