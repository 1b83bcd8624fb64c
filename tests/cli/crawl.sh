# crawl.sh - --crawl against a generated site with a known link graph:
# order per scope and depth, robots.txt, determinism, --broken, sitemaps,
# and the same page set as wget on a site served by nginx.

# make_site: the site under site/, served by a test server (sets BASE).
make_site() {
	mkdir -p site/sub/x site/deep site/private
	start_server -d "$PWD/site" -l log
	cat > site/index.html <<-HTML
	<html><head><link rel="stylesheet" href="style.css"><link rel="next" href="d.html"></head><body>
	<a href="a.html">A</a> <a href="sub/b.html">B</a> <a href="../c.html#top">C</a>
	<a href="http://localhost:$PORT/other.html">other host</a>
	<a href="mailto:x@example.org">mail</a> <a href="javascript:void(0)">js</a>
	<a href="data:text/plain,hi">data</a> <a href="#self">self</a>
	<a href="/redirect-to?url=http%3A%2F%2Flocalhost%3A$PORT%2Fother.html">out</a>
	<a href="private/secret.html">secret</a> <a href="private/ok.html">ok</a>
	<a href="doc.pdf">pdf</a> <a href="missing.html">missing</a>
	<img src="pic.png" srcset="pic2.png 2x">
	</body></html>
	HTML
	echo '<a href="/">home</a> <a href="deep/1.html">deep</a>' > site/a.html
	echo '<base href="/sub/x/"><a href="y.html">y</a> <a href="../c.html">c</a> <a href="/a.html">a</a>' > site/sub/b.html
	echo '<meta http-equiv="refresh" content="0; url=e.html">' > site/c.html
	echo '<a href="c.html">c</a>' > site/d.html
	for i in 1 2 3 4 5 6; do echo "<a href=\"$((i + 1)).html\">next</a>" > site/deep/$i.html; done
	echo 'the end' > site/deep/7.html
	for f in e sub/x/y sub/c private/ok private/secret other from-sitemap; do
		echo "<p>$f</p>" > site/$f.html
	done
	echo pdf > site/doc.pdf
	echo 'body {}' > site/style.css
	echo png > site/pic.png
	echo png > site/pic2.png
	printf 'User-agent: *\nDisallow: /private/\nAllow: /private/ok.html\nDisallow: /*.pdf$\nSitemap: /sitemap.xml\n' > site/robots.txt
	cat > site/sitemap.xml <<-XML
	<?xml version="1.0" encoding="UTF-8"?>
	<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
	<url><loc>$BASE/from-sitemap.html</loc></url>
	</urlset>
	XML
}

# The paths of the records in out, in order.
paths() { cut -f4 out | sed "s|^$BASE||" | tr '\n' ' '; }

REDIRECT=""
order_default() {
	echo "/ /d.html /a.html /sub/b.html /c.html /redirect-to?url=http%3A%2F%2Flocalhost%3A$PORT%2Fother.html /private/ok.html /missing.html /deep/1.html /sub/x/y.html /sub/c.html /e.html /deep/2.html /deep/3.html /deep/4.html "
}

test_crawl_breadth_first_within_the_host() {
	make_site
	"$GF" --crawl $BASE/ > out; rc=$?
	expect_eq "$rc" 1 "exit status (a 404)"
	expect_eq "$(paths)" "$(order_default)" "pages, breadth first"
	expect_eq "$(grep -c ' GET /robots.txt ' log)" 1 "robots.txt once"
	expect_eq "$(awk '$2 == "GET" { print $3 }' log | head -n 1)" /robots.txt "robots.txt first"
	grep -q ' GET /private/secret.html ' log && fail "fetched a disallowed page"
	grep -q ' GET /doc.pdf ' log && fail "fetched a disallowed pdf"
	grep -q ' GET /style.css ' log && fail "fetched an asset without --assets"
	grep -q ' GET /other.html' log && fail "left the host"
	expect_eq "$(grep -c ' GET /c.html ' log)" 1 "a page fetched twice"
}

test_crawl_records_depth_parent_links() {
	make_site
	"$GF" --crawl --json $BASE/ > out
	expect_eq "$(jq -r 'select(.url == "'$BASE/'") | [.depth, (.parent|tostring), .links] | @tsv' out)" "0	null	14" "seed"
	expect_eq "$(jq -r 'select(.url == "'$BASE/sub/x/y.html'") | [.depth, .parent] | @tsv' out)" "2	$BASE/sub/b.html" "base href"
	expect_eq "$(jq -r 'select(.url == "'$BASE/e.html'") | .parent' out)" "$BASE/c.html" "meta refresh"
	expect_eq "$(jq -r 'select(.url == "'$BASE/private/secret.html'") | [.status, .error] | @tsv' out)" \
		"0	disallowed by robots.txt" "disallowed, in JSON"
	expect_eq "$(jq -r 'select(.url | test("redirect-to")) | [.status, .redirects, (.error|tostring)] | @tsv' out)" \
		"302	0	null" "a redirect out of scope is recorded, not followed"
}

test_crawl_depth_limits() {
	make_site
	"$GF" --crawl --depth 0 $BASE/ > out
	expect_eq "$(paths)" "/ " "--depth 0"
	"$GF" --crawl --depth 1 $BASE/ > out
	expect_eq "$(paths)" "/ /d.html /a.html /sub/b.html /c.html /redirect-to?url=http%3A%2F%2Flocalhost%3A$PORT%2Fother.html /private/ok.html /missing.html " "--depth 1"
	"$GF" --crawl --max-pages 3 $BASE/ > out
	expect_eq "$(paths)" "/ /d.html /a.html " "--max-pages 3"
}

test_crawl_scopes() {
	make_site
	"$GF" --crawl --scope prefix $BASE/deep/1.html > out
	expect_eq "$(paths)" "/deep/1.html /deep/2.html /deep/3.html /deep/4.html /deep/5.html /deep/6.html " "prefix"
	"$GF" --crawl --scope any --depth 1 --json $BASE/ > out
	expect_eq "$(jq -r .effective_url out | grep -c "localhost:$PORT/other.html")" 2 "any: the link and the redirect"
	"$GF" --crawl --exclude '/(deep|sub)/' $BASE/ > out
	cut -f4 out | grep -qE '/(deep|sub)/' && fail "--exclude"
	"$GF" --crawl --depth 1 --include '^[^?]*\.html$' $BASE/ > out
	expect_eq "$(paths)" "/ /d.html /a.html /sub/b.html /c.html /private/ok.html /missing.html " "--include"
	"$GF" --crawl --scope domain --depth 1 "http://localhost:$PORT/other.html" > out
	expect_eq "$(cut -f1 out)" 200 "domain"
	"$GF" --crawl --include '(' $BASE/ > out 2> err; expect_eq $? 2 "a bad regex"
}

test_crawl_is_deterministic() {
	make_site
	"$GF" --crawl -c 8 $BASE/ | untimed > one
	"$GF" --crawl -c 3 $BASE/ | untimed > two
	"$GF" --crawl --serial $BASE/ | untimed > three
	cmp one two || fail "two concurrent crawls differ"
	cmp one three || fail "--serial differs"
	"$GF" --crawl --json $BASE/ | jq -c 'del(.time)' > j1
	"$GF" --crawl --serial --json $BASE/ | jq -c 'del(.time)' > j2
	cmp j1 j2 || fail "JSON records differ"
}

test_crawl_robots() {
	make_site
	"$GF" --crawl --no-robots --depth 1 $BASE/ > out
	expect_match "$(paths)" "/private/secret.html" "--no-robots"
	grep -q ' GET /robots.txt ' log && fail "--no-robots fetched robots.txt"
	"$GF" --crawl $BASE/private/secret.html > out; rc=$?
	expect_eq "$(cut -f1,4,5 out)" "000	$BASE/private/secret.html	disallowed by robots.txt" "a seed"
	"$GF" --crawl -v --depth 1 $BASE/ > out 2> /dev/null
	expect_match "$(paths)" "/private/secret.html" "-v shows disallowed pages"
	printf 'User-agent: greenfetch\nDisallow: /a.html\nCrawl-delay: 0.3\n\nUser-agent: *\nDisallow: /\n' > site/robots.txt
	: > log
	"$GF" --crawl --depth 1 $BASE/ > out
	cut -f4 out | grep -q '/a.html' && fail "our own group was not used"
	expect_match "$(paths)" "/d.html" "the * group applied to us"
	t=($(awk '$2 == "GET" && $3 != "/robots.txt" { print $4 }' log))
	for i in 1 2; do
		gap=$(echo "${t[$i]} - ${t[$((i - 1))]}" | bc -l)
		lt 0.28 "$gap" || fail "Crawl-delay 0.3: requests $gap s apart"
	done
	printf 'nope' > site/robots.txt; rm site/robots.txt
	"$GF" --crawl --depth 0 $BASE/ > out
	expect_eq "$(cut -f1 out)" 200 "no robots.txt (404): all allowed"
}

test_crawl_broken_links() {
	make_site
	"$GF" --crawl --broken $BASE/ > out
	expect_eq "$(cat out)" "404	$BASE/missing.html	$BASE/	HTTP 404 Not Found"
}

test_crawl_assets_and_sitemap() {
	make_site
	"$GF" --crawl --assets --depth 1 --json $BASE/ > out
	for a in style.css pic.png pic2.png; do
		expect_eq "$(jq -r 'select(.url == "'$BASE/$a'") | [.status, .links] | @tsv' out)" "200	0" "$a"
	done
	"$GF" --crawl --sitemap --depth 0 $BASE/ > out
	expect_eq "$(paths)" "/ /from-sitemap.html " "--sitemap"
	gzip -c site/sitemap.xml > site/sitemap.xml.gz
	printf 'User-agent: *\nSitemap: /index.xml\n' > site/robots.txt
	printf '<sitemapindex><sitemap><loc>%s/sitemap.xml.gz</loc></sitemap></sitemapindex>' "$BASE" > site/index.xml
	rm site/sitemap.xml
	"$GF" --crawl --sitemap --depth 0 $BASE/ > out
	expect_eq "$(paths)" "/ /from-sitemap.html " "an index of a gzip sitemap"
}

test_crawl_mirror() {
	make_site
	"$GF" --crawl -o mirror --depth 1 $BASE/ > out
	[ -f "mirror/127.0.0.1:$PORT/index.html" ] || fail "no index.html"
	cmp site/sub/b.html "mirror/127.0.0.1:$PORT/sub/b.html" || fail "sub/b.html differs"
	[ -e "mirror/127.0.0.1:$PORT/missing.html" ] && fail "a 404 was saved"
	[ -e "mirror/127.0.0.1:$PORT/private/secret.html" ] &&
		fail "a page robots.txt forbids was saved"
	return 0
}

test_crawl_finds_what_wget_finds() {
	command -v wget > /dev/null || fail "wget is not installed"
	start_nginx
	# 150 pages, each linking to 3 others by a fixed rule, and a few dead ends.
	for i in $(seq 0 149); do
		{
			echo "<html><body><h1>$i</h1>"
			for k in 7 31 53; do
				j=$(( (i * k + 11) % 170 ))
				echo "<a href=\"/p$j.html\">p$j</a>"
			done
			echo '<a href="sub/">sub</a></body></html>'
		} > www/p$i.html
	done
	mkdir -p www/sub
	echo '<a href="../p1.html">up</a>' > www/sub/index.html
	echo '<a href="p0.html">start</a>' > www/index.html
	base=https://127.0.0.1:$HTTPS_PORT
	"$GF" --crawl --depth 1000 --cacert cert.pem $base/ | awk '$1 == 200 { print $4 }' | sort > ours
	wget -r -l inf -np --spider --ca-certificate=cert.pem -o wget.log $base/ || true
	grep -oE "^--[0-9: -]+--  $base[^ ]*" wget.log | sed 's/^--[0-9: -]*--  //' |
		grep -v '/robots.txt$' | sort -u > all
	# wget lists the dead links too; keep what nginx answered 200.
	awk '$4 == 200 { print $3 }' ngx/logs/access.log | sort -u > answered
	while read -r u; do
		p=${u#$base}
		grep -qxF "$p" answered && echo "$u"
	done < all | sort > theirs
	[ "$(wc -l < ours)" -gt 100 ] || fail "only $(wc -l < ours) pages"
	diff ours theirs > diff.out || fail "page sets differ: $(head diff.out)"
}

test_crawl_goes_on_after_many_disallowed_links() {
	# 150 links robots.txt forbids come before 50 it allows: the
	# forbidden ones end at once, the allowed ones are all fetched.
	mkdir -p site/no site/yes
	start_server -d "$PWD/site" -l log
	printf 'User-agent: *\nDisallow: /no/\n' > site/robots.txt
	{ for i in $(seq 150); do echo "<a href=\"no/$i.html\">n</a>"; done
	  for i in $(seq 50); do echo "<a href=\"yes/$i.html\">y</a>"; done; } > site/index.html
	for i in $(seq 50); do echo "y$i" > site/yes/$i.html; done
	"$GF" --crawl --json $BASE/ > out; rc=$?
	expect_eq "$rc" 0 "exit status"
	expect_eq "$(jq -r 'select(.status == 200) | .url' out | grep -c /yes/)" 50 "allowed pages fetched"
	expect_eq "$(jq -r 'select(.skipped or (.error // "" | test("robots"))) | .url' out | wc -l)" 150 "disallowed records"
	expect_eq "$(grep -c ' GET /yes/' log)" 50 "allowed pages requested"
}

test_crawl_credentials_go_to_the_seeds_origins_only() {
	# A seed on one port links to the same host on another port and to
	# another name of it: in scope (host for the port, any for the name),
	# but other origins. Credentials go to the seed's origin alone.
	mkdir -p site2
	start_server -d "$PWD/site2" -l log2; p2=$PORT
	echo '<p>two</p>' > site2/two.html
	mkdir -p site
	start_server -d "$PWD/site" -l log
	cat > site/index.html <<-HTML
	<a href="mine.html">mine</a>
	<a href="http://127.0.0.1:$p2/two.html">other port</a>
	<a href="http://localhost:$PORT/mine.html?by-name">other name</a>
	HTML
	echo '<p>mine</p>' > site/mine.html
	printf '127.0.0.1\tFALSE\t/\tFALSE\t0\tjar\tyes\n' > cookies.txt
	"$GF" --crawl --scope any -H 'Authorization: Bearer s3cret' -b cookies.txt \
		--json $BASE/ > out
	expect_eq "$(jq -r 'select(.status == 200) | .url' out | wc -l)" 4 "pages"
	grep -q 'Authorization: Bearer s3cret' log || fail "no credentials for the seed's origin"
	# Each request: its Host, and whether it carried the cookie.
	awk '$2 == "GET" { if(n) print host, ck; n = 1; host = ""; ck = "-" }
	     $2 == "H" && $3 == "Host:" { host = $4 }
	     $2 == "H" && $3 == "Cookie:" { ck = $4 }
	     END { if(n) print host, ck }' log | sort | uniq -c | tr -s ' ' > requests
	expect_eq "$(cat requests)" " 3 127.0.0.1:$PORT jar=yes
 2 localhost:$PORT -" "requests by host, with cookies"
	grep -q 'Authorization' log2 && fail "credentials sent to another port"
	grep -q 'Cookie' log2 && fail "cookies sent to another port"
	awk '$2 == "GET" && $3 == "/mine.html?by-name" { id = $1 } $1 == id && $2 == "H"' log > byname.h
	grep -q 'Host: localhost' byname.h || fail "the other name was not fetched by name"
	grep -qi -e 'Authorization' -e 'Cookie' byname.h && fail "credentials sent to another host name"
	return 0
}

test_an_endless_robots_txt_does_not_hold_the_crawl() {
	# robots.txt that never ends: read up to its cap (500 KiB), then the
	# crawl goes on with what was read.
	mkdir -p site
	echo '<a href="a.html">a</a>' > site/index.html
	echo a > site/a.html
	start_server -d "$PWD/site" -R endless
	t0=$(now)
	"$GF" --crawl --json $BASE/ > out; rc=$?
	took=$(elapsed "$t0")
	expect_eq "$rc" 0 "exit status"
	expect_eq "$(jq -r .status out | tr '\n' ' ')" "200 200 " "pages"
	lt "$took" 10 || fail "took $took s"
}

test_sitemaps_take_turns_with_pages() {
	# Two levels of indexes of 10, then sitemaps of 10 pages: 111
	# sitemaps, 1000 pages. Each sitemap's pages come before the next
	# sitemap is read, not all sitemaps first; the order is the same
	# every time.
	mkdir -p site
	echo '<p>seed</p>' > site/index.html
	printf 'User-agent: *\nAllow: /\nSitemap: /sitemaps/2/0/10\n' > site/robots.txt
	start_server -d "$PWD/site" -l log
	"$GF" --crawl --sitemap --json $BASE/ > out; rc=$?
	expect_eq "$rc" 0 "exit status (no /sitemap.xml is no failure)"
	expect_eq "$(jq -r 'select(.url | test("/page/sm-")) | .url' out | sort -u | wc -l)" 1000 "pages"
	expect_eq "$(grep -c ' GET /sitemaps/' log)" 111 "sitemaps read"
	first_page=$(awk '$2 == "GET" { n++ } $3 ~ /^\/page\/sm-/ { print n; exit }' log)
	[ "$first_page" -le 10 ] || fail "the first sitemap page was request $first_page"
	jq -r .url out > order1
	"$GF" --crawl --sitemap --json -c 50 $BASE/ | jq -r .url > order2
	cmp -s order1 order2 || fail "another order at -c 50"
	# --max-pages bounds the sitemaps read too.
	: > log
	"$GF" --crawl --sitemap --max-pages 30 --json $BASE/ > out
	expect_eq "$(wc -l < out)" 30 "records with --max-pages 30"
	[ "$(grep -c ' GET /sitemaps/' log)" -le 8 ] || fail "$(grep -c ' GET /sitemaps/' log) sitemaps read for 30 pages"
}

test_sitemaps_stay_in_scope() {
	# robots.txt and an index name sitemaps elsewhere: none is fetched,
	# and no page they name either.
	start_server -l otherlog; other=$PORT
	mkdir -p site
	echo '<p>seed</p>' > site/index.html
	printf 'Sitemap: http://localhost:%s/s.xml\nSitemap: /index.xml\n' "$other" > site/robots.txt
	start_server -d "$PWD/site" -l log
	printf '<sitemapindex><sitemap><loc>http://localhost:%s/t.xml</loc></sitemap><sitemap><loc>/mine.xml</loc></sitemap></sitemapindex>' "$other" > site/index.xml
	printf '<urlset><url><loc>/a.html</loc></url><url><loc>http://localhost:%s/b.html</loc></url></urlset>' "$other" > site/mine.xml
	echo a > site/a.html
	"$GF" --crawl --sitemap --json --scope host -H 'Authorization: Bearer s' $BASE/ > out
	expect_eq "$(jq -r .url out | sed "s|$BASE||" | tr '\n' ' ')" "/ /a.html " "pages"
	grep -q ' GET ' otherlog && fail "fetched out of scope: $(grep ' GET ' otherlog)"
	return 0
}

test_sitemap_bombs_are_bounded() {
	# 3 million entries, about 100 MB of XML, gzip'ed to little: read in
	# bounded memory, and --max-pages 3 stops it at once.
	mkdir -p site
	echo '<p>seed</p>' > site/index.html
	printf 'Sitemap: /bomb.xml.gz\n' > site/robots.txt
	{ echo '<urlset>'; seq 3000000 | sed 's|.*|<url><loc>/page/&</loc></url>|'; echo '</urlset>'; } |
		gzip -c > site/bomb.xml.gz
	start_server -d "$PWD/site" -l log
	t0=$(now)
	/usr/bin/time -f %M -o rss "$GF" --crawl --sitemap --max-pages 3 --json $BASE/ > out
	took=$(elapsed "$t0")
	expect_eq "$(wc -l < out)" 3 "records"
	check_rss rss 60000
	lt "$took" 10 || fail "took $took s"
}

test_a_long_index_of_dead_sitemaps_costs_no_stack() {
	# 50,000 sitemaps on a host that does not resolve, each failing at
	# once from the cached NXDOMAIN; then a signal during another such
	# crawl. Neither may crash.
	start_dns
	mkdir -p site
	echo '<p>seed</p>' > site/index.html
	printf 'Sitemap: /index.xml\n' > site/robots.txt
	{ echo '<sitemapindex>'; seq 50000 | sed 's|.*|<sitemap><loc>http://nx.test/s&.xml</loc></sitemap>|'; echo '</sitemapindex>'; } > site/index.xml
	start_server -d "$PWD/site"
	"$GF" --crawl --sitemap --scope any --dns-servers "$DNS" --json $BASE/ > out 2> err; rc=$?
	expect_eq "$rc" 0 "exit status"
	expect_eq "$(jq -r .url out)" "$BASE/" "records"
	interrupt_after 0.3 --crawl --sitemap --scope any --dns-servers "$DNS" $BASE/
	[ "$rc" = 130 ] || [ "$rc" = 0 ] || fail "exit status $rc after a signal: $(tail -n 3 err)"
}

test_a_link_farm_is_crawled_in_bounded_memory() {
	# 500 new links a page, for ever: after a few seconds the queue
	# holds far more than --buffer-size, the rest is in a file, and the
	# seen set is fingerprints.
	export TMPDIR=$PWD/tmp; mkdir -p "$TMPDIR"
	start_server
	/usr/bin/time -f %M -o rss "$GF" --crawl --depth 100 --no-robots -c 50 \
		--per-host 50 --buffer-size 1M "$BASE/farm/500/0" > out 2> err &
	tpid=$!
	sleep 3
	pid=$(pgrep -P $tpid || true)
	[ -n "$pid" ] || fail "the crawl is not running"
	ls -l /proc/$pid/fd 2> /dev/null | grep -q 'greenfetch-queue-.*(deleted)' ||
		fail "no spill file was open"
	kill -INT $pid
	wait $tpid
	pages=$(wc -l < out)
	found=$(sed -n 's/^interrupted: \([0-9]*\) done, \([0-9]*\) stopped in flight, \([0-9]*\) not started$/\1 + \2 + \3/p' err | bc)
	# (Under the sanitizers it is slower, and memory is not judged.)
	min=100000; [ -z "${ASAN_OPTIONS:-}" ] || min=10000
	[ "$pages" -gt 50 ] || fail "only $pages pages in 3 s"
	[ "${found:-0}" -gt $min ] || fail "only ${found:-0} URLs found in 3 s"
	# The seen set costs 16 to 64 bytes a URL (a table of fingerprints, at
	# most half full); about 100 more would be a queue kept in memory.
	check_rss rss $((20000 + found * 72 / 1024))
	expect_eq "$(ls -A "$TMPDIR")" "" "spill files left"
}

test_crawl_reads_links_as_browsers_do() {
	# A page with no charset anywhere, in UTF-8; a link cut by a newline;
	# an empty href (the page itself, not its directory); a host in
	# another script; and a page of gzip'ed comment that never ends.
	mkdir -p site/dir
	start_server -d "$PWD/site" -l log
	idn=xn--v9ju72g90p.xn--wgv71a
	printf '<a href="p_\xc3\xa9.txt">e</a> <a href="second\r\npage.htm">2</a>
	<a href="dir/index.htm">d</a> <a href="http://\xe4\xbb\x8a\xe6\x97\xa5\xe3\x81\xaf.\xe6\x97\xa5\xe6\x9c\xac:%s/far.htm">idn</a>
	<a href="big.htm?ce=gzip">big</a>' "$PORT" > site/index.htm
	echo e > 'site/p_%C3%A9.txt'
	echo 2 > site/secondpage.htm
	echo far > site/far.htm
	printf '<a href="">self</a> <a href="#top">top</a> <a href="../index.htm">up</a>' > site/dir/index.htm
	{ printf '<a href="ok.htm">ok</a><!--'; head -c 100000000 /dev/zero | tr '\0' x; } | gzip -c > site/big.htm
	echo ok > site/ok.htm
	/usr/bin/time -f %M -o rss "$GF" --crawl --scope any --no-robots --json \
		--resolve "$idn:$PORT:127.0.0.1" $BASE/index.htm > out; rc=$?
	expect_eq "$rc" 0 "exit status"
	grep -q ' GET /p_%C3%A9.txt ' log || fail "the UTF-8 link was not requested as UTF-8: $(awk '$2 == "GET" { print $3 }' log)"
	grep -q ' GET /secondpage.htm ' log || fail "a link with a newline in it was dropped"
	grep -q ' GET /dir/ ' log && fail "an empty href fetched the directory"
	expect_eq "$(grep -c ' GET /dir/index.htm ' log)" 1 "the page of the empty href"
	grep -q "H Host: $idn:$PORT" log || fail "the IDN host was not asked for as $idn"
	grep -q ' GET /ok.htm ' log || fail "the link before the endless comment"
	check_rss rss 60000
}

test_crawl_assets_of_style_sheets() {
	# What a browser loads from CSS: @import and url() in sheets (their own
	# imports too), in <style> and in style="", with --assets only.
	mkdir -p site/css
	start_server -d "$PWD/site" -l log
	cat > site/index.html <<'HTML'
<html><head><link rel="stylesheet" href="css/main.css?2022.1">
<link rel="search" type="application/opensearchdescription+xml" href="os.xml">
<style>@import url("inline.css"); h1 { background: url(h1.png) }</style></head>
<body style="background: url('body.png')"><a href="p.html">p</a></body></html>
HTML
	printf '@import url("basic.css");\na { background: url(../file.png) }\n/* url(no.png) */\n' > site/css/main.css
	printf 'b::after { content: url(caret-down.svg) }\n' > site/css/basic.css
	echo 'i { background: url(from-inline.png) }' > site/inline.css
	for f in h1.png body.png file.png css/caret-down.svg from-inline.png os.xml p.html; do
		echo x > "site/$f"
	done
	"$GF" --crawl --assets --no-robots $BASE/ | awk '{ print $1, $4 }' | sed "s|$BASE||" | sort > got
	for u in /css/main.css?2022.1 /css/basic.css /css/caret-down.svg /file.png \
		/inline.css /from-inline.png /h1.png /body.png /os.xml /p.html; do
		grep -qxF "200 $u" got || fail "$u was not fetched: $(tr '\n' ' ' < got)"
	done
	grep -q 'no.png' log && fail "a URL in a CSS comment was fetched"
	"$GF" --crawl --no-robots $BASE/ | awk '{ print $4 }' | sed "s|$BASE||" | sort > got
	expect_eq "$(tr '\n' ' ' < got)" "/ /p.html " "without --assets"
}

test_crawl_honours_robots_directives() {
	# <meta name=robots content=nofollow> and X-Robots-Tag: the page is
	# fetched, its links are not followed; --no-robots follows them.
	start_server -d "$PWD/site"
	mkdir -p site
	cat > site/index.html <<'HTML'
<a href="meta.html">m</a> <a href="header.html?xrt=nofollow">h</a>
<a href="other.html?xrt=otherbot:+nofollow">o</a> <a href="none.html?xrt=none">n</a>
HTML
	echo '<meta name="ROBOTS" content="noindex, NoFollow"><a href="from-meta.html">x</a>' > site/meta.html
	for f in header other none; do echo "<a href=\"from-$f.html\">x</a>" > site/$f.html; done
	for f in meta header other none; do echo x > site/from-$f.html; done
	"$GF" --crawl $BASE/ | awk '{ print $4 }' | sed "s|$BASE||" | sort > got
	for u in /meta.html /header.html?xrt=nofollow /from-other.html; do
		grep -qxF "$u" got || fail "$u was not fetched: $(tr '\n' ' ' < got)"
	done
	for u in /from-meta.html /from-header.html /from-none.html; do
		grep -qxF "$u" got && fail "$u was followed from a nofollow page"
	done
	"$GF" --crawl --no-robots $BASE/ | grep -c 'from-' > n
	expect_eq "$(cat n)" 4 "links followed with --no-robots"
}

test_crawl_mirror_converts_links() {
	# --convert-links: saved files by relative path (a query and a '%'
	# escaped for file://), what was not saved by absolute URL, fragments
	# kept, a <base> emptied; every other byte as it was.
	make_site
	"$GF" --crawl --assets --depth 2 -o mirror --convert-links $BASE/ > out
	m=mirror/127.0.0.1:$PORT
	grep -q 'href="a.html"' $m/index.html || fail "a.html: $(cat $m/index.html)"
	grep -q 'href="sub/b.html"' $m/index.html || fail "sub/b.html"
	grep -q 'href="c.html#top"' $m/index.html || fail "a fragment was lost: $(grep -o 'href="[^"]*c.html[^"]*"' $m/index.html)"
	grep -q "href=\"$BASE/missing.html\"" $m/index.html || fail "a link to what was not saved is not absolute"
	grep -q 'href="mailto:x@example.org"' $m/index.html || fail "mailto: was changed"
	grep -q 'href="#self"' $m/index.html || fail "a fragment alone was changed"
	grep -q 'srcset="pic2.png 2x"' $m/index.html || fail "srcset: $(grep -o 'srcset="[^"]*"' $m/index.html)"
	# sub/b.html had <base href="/sub/x/">: its links now hold without it.
	expect_eq "$(cat $m/sub/b.html)" '<base href=""><a href="x/y.html">y</a> <a href="c.html">c</a> <a href="../a.html">a</a>' "sub/b.html"
	grep -q 'url=e.html' $m/c.html || fail "refresh: $(cat $m/c.html)"
	# The same, in a file whose query made its name.
	printf '<link rel=stylesheet href="t.css?v=1"><a href="p%%20q.html">pq</a>' > site/q.html
	printf 'a { background: url(pic.png) }' > site/t.css
	echo pq > 'site/p%20q.html'   # the test server does not decode paths
	"$GF" --crawl --assets -o m2 --convert-links $BASE/q.html > out
	css=$(cd m2/127.0.0.1:$PORT && ls t*.css)
	[ -n "$css" ] && [ "$css" != t.css ] || fail "the sheet with a query was saved as '$css'"
	href=$(grep -o 'href="t[^"]*"' m2/127.0.0.1:$PORT/q.html)
	expect_eq "$href" "href=\"$(printf %s "$css" | sed 's/%/%25/g; s/?/%3F/g')\"" "the sheet's link"
	grep -q 'href="p%2520q.html"' m2/127.0.0.1:$PORT/q.html || fail "a '%' in a name: $(cat m2/127.0.0.1:$PORT/q.html)"
	"$GF" --convert-links $BASE/ > out 2> err; rc=$?
	expect_eq "$rc" 2 "--convert-links without -o"
}

test_a_mirror_browses_offline_in_chromium() {
	# A documentation site (the Python docs of python3-doc, built by
	# Sphinx: stylesheets named with a query, CSS that imports CSS and
	# loads images) crawled with --assets -o --convert-links, opened from
	# file:// in headless chromium: every file of the mirror it asks for
	# is there (strace sees each stat and open). Without --convert-links
	# it asks for pydoctheme.css?2022.1, which no file is named. The
	# screenshots are kept in $BUILD/artifacts.
	command -v chromium > /dev/null || fail "chromium is not installed"
	docs=/usr/share/doc/python3.11/html
	[ -f $docs/index.html ] || fail "python3-doc is not installed"
	start_server -d "$docs"
	"$GF" --crawl --assets --scope prefix --depth 100 --no-robots -o m --convert-links \
		$BASE/index.html > out
	m=$PWD/m/127.0.0.1:$PORT
	[ "$(grep -c '^200' out)" -gt 500 ] || fail "only $(grep -c '^200' out) files saved"
	grep -q "127.0.0.1:$PORT" $m/library/os.html &&
		fail "links to the server are left: $(grep -o "[^\"]*127.0.0.1:$PORT[^\"]*" $m/library/os.html | head -3)"
	mkdir -p "$BUILD/artifacts"
	for page in index.html library/os.html tutorial/index.html; do
		timeout 60 strace -f -qq -e trace=openat,open,stat,newfstatat,statx,access -o st.log \
			chromium --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars \
			--user-data-dir="$PWD/profile" --window-size=1200,900 \
			--screenshot="$PWD/shot.png" "file://$m/$page" > /dev/null 2>&1
		grep -F "\"$m/" st.log | grep -v ENOENT | grep -q "$page" || fail "chromium did not open $page"
		grep -F "\"$m/" st.log | grep ENOENT | awk -F'"' '{ print $2 }' | sort -u > missing
		[ -s missing ] && fail "opening $page asked for files not in the mirror: $(head -5 missing)"
		[ -s shot.png ] || fail "no screenshot of $page"
		cp shot.png "$BUILD/artifacts/mirror-$(echo $page | tr / -).png"
	done
	return 0
}

test_seeds_come_from_a_file_or_stdin_too() {
	start_server
	printf '%s\n' "$BASE/links/3/0" > seeds
	"$GF" --crawl --json seeds > from_file
	"$GF" --crawl --json < seeds > from_stdin
	for f in from_file from_stdin; do
		expect_eq "$(jq -r .url "$f" | sort | tr '\n' ' ')" \
			"$BASE/links/3/0 $BASE/links/3/1 $BASE/links/3/2 " "pages crawled ($f)"
		expect_eq "$(jq -r .depth "$f" | sort -u | tr '\n' ' ')" "0 1 " "depths ($f)"
	done
}
