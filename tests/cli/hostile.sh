# hostile.sh - servers that misbehave: each gets an error record (or
# curl's safe reading), never a crash, a false success or a lost record;
# the other URLs go on. The test server's /raw endpoints script the bytes.

# raw_record NAME [ARGS]: the record for /raw/NAME.
raw() { "$GF" "${@:2}" --json "$BASE/raw/$1" | jq -r '[.status, .bytes, (.error // "")] | @tsv'; }

test_silent_and_stalled_servers_time_out_alone() {
	start_server
	t0=$(now)
	"$GF" -m 1 --json $BASE/raw/silent $BASE/raw/stall-body $BASE/bytes/3 > out
	took=$(elapsed "$t0")
	expect_match "$(jq -r .error out | sed -n 1p)" "[Tt]imed out"
	expect_match "$(jq -r .error out | sed -n 2p)" "[Tt]imed out after .* 10 out of 100 bytes"
	expect_eq "$(jq -r '[.status, .bytes] | @tsv' out | sed -n 3p)" "200	3" "the other URL"
	lt "$took" 1.6 || fail "took $took s"
}

test_slow_drip_is_cut_by_speed_limit() {
	start_server
	t0=$(now)
	"$GF" --json --speed-limit 100 --speed-time 1 $BASE/drip/20/10 > out
	took=$(elapsed "$t0")
	expect_match "$(jq -r .error out)" "[Oo]peration too slow"
	lt "$took" 3 || fail "took $took s"
	"$GF" --speed-time 3 $BASE/ > /dev/null 2>&1; expect_eq $? 2 "--speed-time alone"
}

test_broken_bodies_are_never_success() {
	start_server
	mkdir -p dir
	for n in reset short chunk-noend chunk-negative chunk-huge chunk-nonhex; do
		rec=$(raw $n -o dir)
		[ -n "$(cut -f3 <<< "$rec")" ] || fail "$n was a success: $rec"
	done
	find dir -type f | grep -q . && fail "a broken body was saved"
	expect_match "$(raw reset)" "reset by peer"
	expect_match "$(raw short)" "990 bytes remaining"
	expect_match "$(raw chunk-huge)" "[Tt]oo long hexadecimal"
	return 0
}

test_framing_conflicts_do_not_corrupt_the_next_request() {
	start_server
	for n in cl-and-te long-body; do
		"$GF" -c 1 --json "$BASE/raw/$n" $BASE/bytes/3 $BASE/bytes/4 > out
		expect_eq "$(jq -r '[.status, .bytes] | @tsv' out | sed -n 2,3p | tr '\n' ' ')" \
			"200	3 200	4 " "the requests after $n"
	done
	expect_eq "$(raw cl-and-te)" "200	5	" "chunked wins over Content-Length"
	expect_match "$(raw two-cl -m 1)" "[Tt]imed out|Content-Length"
}

test_header_floods_are_capped() {
	start_server
	"$GF" --json $BASE/big-header/1000000 $BASE/many-headers/10000 $BASE/bytes/2 > out
	[ "$(jq -r .error out | sed -n 1p)" != null ] || fail "a 1 MB header line passed"
	expect_eq "$(jq -r '[.status, .bytes] | @tsv' out | sed -n 3p)" "200	2" "the next URL"
	jq -e . out > /dev/null || fail "records are not JSON"
}

test_interim_responses_are_ignored() {
	start_server
	expect_eq "$(raw interim)" "200	5	"
	mkdir -p dir
	"$GF" -o dir --json $BASE/raw/interim > out
	expect_eq "$(cat "$(jq -r .file out)")" hello
}

test_not_http_is_an_error_with_nothing_saved() {
	start_server
	mkdir -p dir
	for n in garbage-status not-http; do
		rec=$(raw $n -o dir)
		expect_match "$rec" "^0	0	.+" "$n"
	done
	find dir -type f | grep -q . && fail "saved a body"
	return 0
}

test_endless_body_stops_at_max_filesize() {
	start_server
	mkdir -p dir
	/usr/bin/time -f %M -o rss "$GF" --json -o dir --max-filesize 5M $BASE/raw/endless > out
	expect_match "$(jq -r .error out)" "^maximum file size exceeded"
	check_rss rss 40000
	find dir -type f | grep -q . && fail "a partial file under its name"
	return 0
}

test_escapes_from_servers_are_neutralised() {
	start_server
	"$GF" -w '%{content_type}|%{header{X-Evil}}\n' $BASE/raw/evil-header > out
	grep -q $'\x1b' out && fail "ESC reached the terminal"
	grep -q $'\x07' out && fail "BEL reached the terminal"
	expect_eq "$(cat out)" 'text/\x1b[2Jhtml|\x1b]0;pwned\x07'
	"$GF" --json $BASE/raw/evil-header | jq -e . > /dev/null || fail "JSON does not parse"
}

test_bytewise_server_is_read_right() {
	start_server
	expect_eq "$("$GF" --json "$BASE/raw/interim?bytewise" | jq -r '[.status, .bytes] | @tsv')" "200	5"
}

test_strange_locations() {
	start_server
	long=$(head -c 2000000 /dev/zero | tr '\0' a)
	for loc in "/page/a%20b" "/page/with space" "\\\\evil" "//localhost:$PORT/page/x" "/$long"; do
		enc=$(printf '%s' "$loc" | jq -sRr @uri)
		echo "$BASE/redirect-to?url=$enc"
	done > urls
	"$GF" --json urls > out
	expect_eq "$(wc -l < out)" 5 "records"
	jq -e . out > /dev/null || fail "records are not JSON"
	expect_eq "$(jq -r .status out | sed -n 1p)" 200 "an encoded space"
	expect_eq "$(jq -r .effective_url out | sed -n 4p)" "http://localhost:$PORT/page/x" "//host"
}

test_a_hanging_head_keeps_memory_bounded() {
	start_server
	{ echo $BASE/delay/3; for i in $(seq 20000); do echo $BASE/bytes/1; done; } > urls
	/usr/bin/time -f %M -o rss "$GF" -c 20 --per-host 0 urls > out
	expect_eq "$(wc -l < out)" 20001 "records"
	check_rss rss 30000
}

test_every_codec_bomb_is_capped() {
	for tool in gzip brotli zstd; do
		command -v $tool > /dev/null || fail "$tool is not installed"
	done
	# 200 MiB of zeros in each codec (deflate: gzip's stream without its
	# header and trailer, as curl also takes it).
	mkdir www
	head -c 200M /dev/zero | gzip -9n > www/z.gz
	tail -c +11 www/z.gz | head -c -8 > www/z.deflate
	head -c 200M /dev/zero | brotli -q 4 -c > www/z.br
	head -c 200M /dev/zero | zstd -q -3 -c > www/z.zst
	start_server -d "$PWD/www"
	for c in gz:gzip deflate:deflate br:br zst:zstd; do
		/usr/bin/time -f %M -o rss "$GF" --json -o dir --max-filesize 1M \
			"$BASE/z.${c%%:*}?ce=${c#*:}" > out
		expect_eq "$(jq -r '[.status, (.file | tostring)] | @tsv' out)" "200	null" "${c#*:}"
		expect_match "$(jq -r .error out)" "^maximum file size exceeded" "${c#*:}"
		[ "$(jq -r .bytes out)" -lt 2000000 ] || fail "${c#*:}: $(jq .bytes out) bytes decoded"
		check_rss rss 40000
	done
	find dir -type f | grep -q . && fail "a file was left"
	# Without a cap the body is decoded in full: the codecs really work.
	"$GF" --json "$BASE/z.zst?ce=zstd" > out
	expect_eq "$(jq -r .bytes out)" 209715200 "zstd decoded"
	# A chain of 1,000 encodings is refused before any decoding.
	chain=$(printf 'gzip,%.0s' $(seq 999))gzip
	/usr/bin/time -f %M -o rss "$GF" --json -o dir "$BASE/z.gz?ce=$chain" $BASE/z.zst > out
	expect_match "$(jq -r .error out | head -n 1)" "more than [0-9]+ content encodings"
	expect_eq "$(jq -r '[.status, .bytes] | @tsv' out | tail -n 1)" \
		"200	$(stat -c %s www/z.zst)" "the next URL, not encoded"
	check_rss rss 40000
}

test_a_full_disk_fails_the_records_it_cuts() {
	start_server
	for i in 1 2 3 4 5; do echo "$BASE/bytes/300000?$i"; done > urls
	mkdir dir
	# A 1 MiB tmpfs as the output directory, in a mount namespace of our
	# own (or, where none may be made, the same error injected).
	cmd=("$GF" --json -c 1 -o dir urls)
	if unshare -rm true 2> /dev/null; then
		unshare -rm sh -c 'mount -t tmpfs -o size=1m tmpfs dir || exit 9
			"$@"; rc=$?; find dir -type f -printf "%s %f\n" > files; exit $rc' \
			sh "${cmd[@]}" > out 2> err; rc=$?
	else
		echo "no mount namespace: ENOSPC injected instead"
		GF_FAIL=write:40 LD_PRELOAD=$(realpath "$BUILD/tests/inject.so") \
			"${cmd[@]}" > out 2> err; rc=$?
		find dir -type f -printf "%s %f\n" > files
	fi
	# What is left is whole: no temporary file, no cut body.
	expect_eq "$(awk '$1 != 300000' files)" "" "files left that are not whole"
	expect_eq "$(wc -l < files)" "$(jq -r 'select(.error == null) | .file' out | wc -l)" \
		"files, one per record that says saved"
	expect_eq "$rc" 1 "exit status"
	expect_match "$(jq -r '.error // empty' out | head -n 1)" "No space left on device"
	ok=$(jq -r 'select(.error == null) | .file' out | wc -l)
	[ "$ok" -ge 1 ] && [ "$ok" -le 4 ] || fail "$ok files saved on 1 MiB"
	expect_eq "$(wc -l < out)" 5 "records"
}
