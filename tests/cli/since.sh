# since.sh - --since FILE: validators of an earlier run's records sent
# again (If-None-Match, If-Modified-Since), 304s as successes, files under
# -o kept, and a crawl that goes on through pages that did not change.
# Against nginx, whose ETags and 304s are a real server's.

# The status nginx sent for each request, in order.
statuses() { awk '{ print $4 }' ngx/logs/access.log | tr '\n' ' '; }

test_since_asks_only_for_what_changed() {
	start_nginx
	for f in a b c; do echo "page $f" > www/$f.html; done
	local u=https://127.0.0.1:$HTTPS_PORT
	printf '%s\n' $u/a.html $u/b.html $u/c.html > urls
	"$GF" --cacert cert.pem --json -o dir urls > first.json || fail "first run"
	expect_eq "$(jq -r '.etag != null and .last_modified != null' first.json | sort -u)" true \
		"validators in the records"
	sleep 1.1                   # a Last-Modified of another second
	echo "page b, changed" > www/b.html
	: > ngx/logs/access.log
	"$GF" --cacert cert.pem --json -o dir --since first.json urls > second.json; rc=$?
	expect_eq "$rc" 0 "exit status (a 304 is a success)"
	expect_eq "$(jq -r '[.status, .unchanged // false, .bytes] | @tsv' second.json | tr '\t\n' '  ')" \
		"304 true 0 200 false 16 304 true 0 " "records"
	expect_eq "$(statuses)" "304 200 304 " "what nginx sent"
	expect_eq "$(cat dir/127.0.0.1:$HTTPS_PORT/a.html)" "page a" "an unchanged file, kept"
	expect_eq "$(cat dir/127.0.0.1:$HTTPS_PORT/b.html)" "page b, changed" "the changed one, saved"
	expect_eq "$(jq -r .file second.json | sed 's|.*/||' | tr '\n' ' ')" "a.html b.html c.html " \
		"the records name the files"
	expect_eq "$(jq -r .etag second.json | head -n 1)" "$(jq -r .etag first.json | head -n 1)" \
		"the ETag of an unchanged page"
	"$GF" --since missing.json urls > /dev/null 2> err; rc=$?
	expect_eq "$rc" 2 "exit status with no such file"
	expect_match "$(cat err)" "--since missing.json: No such file"
}

test_a_crawl_since_its_journal_finds_the_same_pages() {
	start_nginx
	local u=https://127.0.0.1:$HTTPS_PORT
	for i in $(seq 0 49); do
		echo "<a href=\"p$(((i * 7 + 1) % 50)).html\">x</a> <a href=\"p$(((i + 1) % 50)).html\">y</a>" > www/p$i.html
	done
	"$GF" --cacert cert.pem --crawl --depth 100 --no-robots --journal j1 $u/p0.html > first || fail "first crawl"
	expect_eq "$(wc -l < first)" 50 "pages"
	sleep 1.1
	echo '<a href="p1.html">x</a> <a href="new.html">new</a>' > www/p7.html
	echo 'a new page' > www/new.html
	: > ngx/logs/access.log
	"$GF" --cacert cert.pem --crawl --depth 100 --no-robots --since j1 --journal j2 --json \
		$u/p0.html > second.json || fail "second crawl"
	expect_eq "$(jq -r .url second.json | sed 's|.*/||' | sort | tr '\n' ' ')" \
		"$( (cut -f4 first; echo $u/new.html) | sed 's|.*/||' | sort | tr '\n' ' ')" \
		"the same pages, and the new one"
	expect_eq "$(awk '{ print $4 }' ngx/logs/access.log | sort | uniq -c | tr -s ' \n' '  ')" \
		" 2 200 49 304 " "what nginx sent: only the changed and the new page"
	# And its journal serves the next --since as well.
	: > ngx/logs/access.log
	"$GF" --cacert cert.pem --crawl --depth 100 --no-robots --since j2 $u/p0.html > third
	expect_eq "$(wc -l < third)" 51 "pages of the third crawl"
	expect_eq "$(awk '{ print $4 }' ngx/logs/access.log | sort -u)" 304 "what nginx sent the third time"
}
