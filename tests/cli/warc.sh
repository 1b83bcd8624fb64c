# warc.sh - --warc-file: every hop archived as WARC 1.1 request and
# response records, checked by tests/warc/check_warc.py (framing, gzip
# members, both digests, ties, the CDXJ index), against wget's payload
# digests, and by warcio where npm can install it.

CHECK=${CHECK:-$OLDPWD/tests/warc/check_warc.py}

# The WARC digest of stdin: sha1, base32.
sha1b32() {
	python3 -c 'import sys, hashlib, base64
print("sha1:" + base64.b32encode(hashlib.sha1(sys.stdin.buffer.read()).digest()).decode())'
}

# check_archive FILE... [--cdx CDX]: the checker's listing in listing;
# fails on any problem.
check_archive() {
	python3 "$CHECK" "$@" > listing || fail "the checker: $(grep PROBLEM listing | head -n 5)"
}

test_every_hop_is_archived_as_it_came() {
	start_server
	printf '%s\n' $BASE/bytes/100 $BASE/redirect/2 $BASE/raw/chunked $BASE/raw/interim \
		$BASE/gzip-bomb/1 $BASE/raw/short $BASE/status/404 $BASE/bytes/3000000 > urls
	"$GF" --warc-file arc --warc-cdx -o dir urls > out
	[ -s arc.warc.gz ] || fail "no arc.warc.gz"
	check_archive --cdx arc.cdxj arc.warc.gz
	expect_eq "$(head -n 1 listing)" "warcinfo - -" "the first record"
	expect_eq "$(grep -c '^response ' listing)" 10 "responses (one a hop)"
	expect_eq "$(grep -c '^request ' listing)" 10 "requests"
	expect_eq "$(wc -l < arc.cdxj)" 10 "index lines"
	# A big body, deflated as it came and spliced into its member.
	expect_eq "$(awk '$1 == "response" && $2 ~ /3000000/ { print $3 }' listing)" \
		"$(sha1b32 < dir/127.0.0.1:$PORT/bytes/3000000)" \
		"payload digest of a big body"
	expect_eq "$(LC_ALL=C sort arc.cdxj)" "$(cat arc.cdxj)" "the index, sorted"
	# The chunked body: its payload is "hello world" without the framing.
	expect_eq "$(awk '$1 == "response" && $2 ~ /chunked/ { print $3 }' listing)" \
		"$(printf 'hello world' | sha1b32)" \
		"payload digest of the chunked body"
	# The gzip'ed body is archived as it came, and saved decoded.
	zcat arc.warc.gz | grep -aq '^Content-Encoding: gzip' || fail "no gzip'ed response archived"
	expect_eq "$(stat -c %s dir/127.0.0.1:$PORT/gzip-bomb/1)" 1048576 "the saved body, decoded"
	zcat arc.warc.gz | grep -aq '^WARC-Truncated: disconnect' || fail "the cut response is not marked"
	zcat arc.warc.gz | grep -aq "^command: .*--warc-file arc" || fail "warcinfo has no command line"
	zcat arc.warc.gz | grep -aq '^WARC-Date: 20[0-9-]*T[0-9:]*\.[0-9]\{6\}Z' ||
		fail "no WARC-Date with microseconds"
}

test_payload_digests_agree_with_wget() {
	command -v wget > /dev/null || fail "wget is not installed"
	start_server
	printf '%s\n' $BASE/bytes/100 $BASE/redirect/2 $BASE/page/x $BASE/links/5/1 > urls
	wget -q -P wdir -i urls --warc-file=wget --no-warc-compression --no-warc-keep-log
	"$GF" --warc-file ours.warc.gz urls > /dev/null
	python3 "$CHECK" wget.warc > w.listing || fail "wget's archive: $(grep PROBLEM w.listing)"
	check_archive ours.warc.gz
	expect_eq "$(grep '^response ' listing | cut -d' ' -f2,3 | sort)" \
		"$(grep '^response ' w.listing | cut -d' ' -f2,3 | sort)" "payload digests, ours and wget's"
}

test_a_crawl_archives_robots_and_sitemaps() {
	mkdir -p site
	echo '<a href="a.html">a</a>' > site/index.html
	echo 'a' > site/a.html
	echo 'b' > site/b.html
	start_server -d "$PWD/site"
	printf 'User-agent: *\nSitemap: /sitemap.xml\n' > site/robots.txt
	echo "<urlset><url><loc>$BASE/b.html</loc></url></urlset>" > site/sitemap.xml
	"$GF" --crawl --sitemap --warc-file crawl.warc $BASE/ > out
	check_archive crawl.warc
	expect_eq "$(grep '^response ' listing | cut -d' ' -f2 | sed "s|$BASE||" | sort | tr '\n' ' ')" \
		"/ /a.html /b.html /robots.txt /sitemap.xml " "what was archived"
}

test_the_archive_is_split_past_max_size() {
	start_server
	for i in $(seq 30); do echo "$BASE/bytes/1000?$i"; done > urls
	"$GF" --warc-file part --warc-max-size 8K urls > /dev/null
	local n; n=$(ls part-*.warc.gz | wc -l)
	lt 2 "$n" || fail "$n files"
	[ -e part-00001.warc.gz ] || fail "no part-00001.warc.gz"
	check_archive part-*.warc.gz
	expect_eq "$(grep -c '^warcinfo' listing)" "$n" "a warcinfo record for each file"
	expect_eq "$(grep -c '^response' listing)" 30 "responses in all"
}

test_a_304_to_since_is_a_revisit() {
	start_nginx
	echo hello > www/a.html
	local u=https://127.0.0.1:$HTTPS_PORT/a.html
	"$GF" --cacert cert.pem --json $u > first.json
	"$GF" --cacert cert.pem --since first.json --warc-file again --warc-cdx $u > /dev/null
	check_archive --cdx again.cdxj again.warc.gz
	expect_eq "$(grep -c '^revisit ' listing)" 1 "revisit records"
	zcat again.warc.gz | grep -aq '^WARC-Profile: http://netpreserve.org/warc/1.1/revisit/server-not-modified' ||
		fail "no server-not-modified profile"
}

test_big_bodies_that_compress_or_not() {
	mkdir www
	head -c 3000000 /dev/urandom > www/random
	seq 600000 > www/text
	start_server -d www
	printf '%s\n' $BASE/random $BASE/text > urls
	"$GF" --warc-file arc urls > out || fail "exit $?"
	check_archive arc.warc.gz
	expect_eq "$(awk '$1 == "response" && $2 ~ /random/ { print $3 }' listing)" \
		"$(sha1b32 < www/random)" "payload digest of the random body"
	expect_eq "$(awk '$1 == "response" && $2 ~ /text/ { print $3 }' listing)" \
		"$(sha1b32 < www/text)" "payload digest of the text"
	# The text is deflated, the random bytes (stored) are not made bigger
	# than a few bytes a block.
	local size=$(stat -c %s arc.warc.gz) text=$(stat -c %s www/text)
	[ "$size" -gt 3000000 ] && [ "$size" -lt $((3000000 + text / 3)) ] ||
		fail "archive of $size bytes for 3000000 random and $text of text"
}

test_a_body_dropped_by_sigint_leaves_a_valid_archive() {
	start_server
	"$GF" --warc-file arc "$BASE/bytes/100" "$BASE/bytes/4000000000" > out 2> err &
	local pid=$!
	sleep 0.7
	kill -INT $pid
	wait $pid
	expect_eq $? 130 "exit status"
	grep -q 'stopped in flight' err || fail "no word of the job in flight: $(cat err)"
	# The job in flight is dropped, as from the output and the journal;
	# the body it was deflating on the writer is freed there.
	check_archive arc.warc.gz
	expect_eq "$(grep -c '^response ' listing)" 1 "responses"
	grep -q '^response .*/bytes/100 ' listing || fail "the done job is not archived"
}

test_a_killed_archive_stays_valid_and_resumes() {
	start_server
	for i in $(seq 400); do echo "$BASE/bytes/$((500 + i))"; done > urls
	local pid
	for _ in $(seq 8); do
		"$GF" --rate 800 --journal j --resume --warc-file arc urls > /dev/null 2>> err &
		pid=$!
		sleep "0.$(printf '%03d' $((20 + RANDOM % 250)))"
		kill -KILL $pid 2>/dev/null
		wait $pid 2>/dev/null
	done
	"$GF" --journal j --resume --warc-file arc urls > /dev/null 2>> err
	check_archive arc.warc.gz
	# Each URL of the journal is archived.
	for u in $(jq -r .url j | sort -u); do
		grep -q "^response $u " listing || fail "$u is in the journal, not in the archive"
	done
	expect_eq "$(jq -r .url j | sort -u | wc -l)" 400 "URLs in the journal"
}

test_warcio_reads_the_archives() {
	command -v npm > /dev/null || { echo "npm is not installed"; exit 77; }
	start_server
	printf '%s\n' $BASE/bytes/100 $BASE/redirect/1 $BASE/raw/chunked > urls
	"$GF" --warc-file arc urls > /dev/null
	mkdir -p js && cd js || fail "no js"
	if ! timeout 60 npm install --offline --no-audit --no-fund warcio > npm.log 2>&1; then
		echo "warcio (warcio.js) cannot be installed from the npm registry here (no network)"
		exit 77
	fi
	cat > read.mjs <<-'JS'
	import { WARCParser } from 'warcio';
	import fs from 'fs';
	const parser = new WARCParser(fs.createReadStream(process.argv[2]));
	for await (const record of parser) {
		await record.readFully();
		console.log(record.warcType, record.warcTargetURI || '-');
	}
	JS
	node read.mjs ../arc.warc.gz > ../warcio.out || fail "warcio could not read the archive"
	expect_eq "$(grep -c '^response' ../warcio.out)" 4 "responses warcio read"
}

test_dedup_archives_a_payload_once() {
	start_server
	printf '%s\n' "$BASE/bytes/5000?a" "$BASE/bytes/5000?b" $BASE/bytes/10 > urls
	"$GF" --warc-file d --warc-dedup --warc-cdx urls > /dev/null
	check_archive --cdx d.cdxj d.warc.gz
	expect_eq "$(grep -c '^response ' listing) $(grep -c '^revisit ' listing)" "2 1" \
		"responses and revisits"
	zcat d.warc.gz | grep -aq "^WARC-Refers-To-Target-URI: $BASE/bytes/5000?a" ||
		fail "the revisit does not name the first capture"
	zcat d.warc.gz | grep -aq '^WARC-Profile: .*revisit/identical-payload-digest' ||
		fail "no identical-payload-digest profile"
	lt "$(stat -c %s d.warc.gz)" 8000 || fail "the payload was archived twice"
	"$GF" --warc-dedup urls > /dev/null 2> err; rc=$?
	expect_eq "$rc" 2 "--warc-dedup without --warc-file"
}
