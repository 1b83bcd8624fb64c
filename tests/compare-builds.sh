#!/usr/bin/env bash
# compare-builds.sh - do two builds write the same records and bodies?
#
# Runs a fixed set of jobs (lists with failures of every kind, --serial,
# --body, -o, -w, --broken, --stats, a crawl of a generated site with
# robots.txt and a sitemap) with each build against its own test server,
# removes what differs by nature (times, the port), and compares the
# results byte for byte. Exit 0 when they are the same, 1 with a diff.
#
# Usage: tests/compare-builds.sh OLD [NEW]
#   OLD, NEW: a greenfetch binary, or a git revision to build in a
#   temporary worktree. NEW defaults to ./greenfetch.
#   The test server comes from $BUILD (default build); KEEP=1 keeps the
#   results (their directory is printed).
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${BUILD:-build}
SRV=$(realpath "$BUILD/gf-testserver")
W=$(mktemp -d /tmp/gf-compare.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; git -C "$ROOT" worktree prune; [ -n "${KEEP:-}" ] && echo "kept $W" || rm -rf "$W"' EXIT

# binary SPEC NAME: a path to a binary for SPEC (a file, or a revision).
binary() {
	if [ -x "$1" ] && [ -f "$1" ]; then
		realpath "$1"
		return
	fi
	git -C "$ROOT" worktree add -q --detach "$W/src-$2" "$1" >&2 || exit 2
	make -s -C "$W/src-$2" -j2 greenfetch >&2 || exit 2
	echo "$W/src-$2/greenfetch"
}

OLD=$(binary "$1" old)
NEW=$(binary "${2:-./greenfetch}" new)

# The site for the crawl: a tree of pages with links up, across and out,
# a redirect, broken links, robots.txt rules and a sitemap.
make_site() { # DIR
	mkdir -p "$1/s/a" "$1/s/b" "$1/private"
	for i in $(seq 0 29); do
		{
			echo "<html><head><title>p$i</title></head><body>"
			echo "<a href=\"/s/a/$(((i * 7) % 30)).html\">x</a>"
			echo "<a href=\"../b/$(((i * 11 + 3) % 30)).html#f\">y</a>"
			echo "<a href=\"/missing-$((i % 5)).html\">m</a>"
			echo "<a href=\"/private/$i.html\">p</a> <img src=\"/img/$((i % 4)).png\">"
			echo "<a href=\"/redirect-to?url=/s/b/$(((i + 1) % 30)).html\">r</a>"
			echo "</body></html>"
		} > "$1/s/a/$i.html"
		sed 's/x</z</' "$1/s/a/$i.html" > "$1/s/b/$i.html"
		echo "<p>secret $i</p>" > "$1/private/$i.html"
	done
	echo '<a href="/s/a/0.html">start</a> <a href="/s/b/0.html">b</a>' > "$1/index.html"
	printf 'User-agent: *\nDisallow: /private/\nAllow: /private/3.html\nSitemap: /sitemap.xml\n' \
		> "$1/robots.txt"
	printf '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/s/a/29.html</loc></url></urlset>\n' \
		> "$1/sitemap.xml"
}

# The list: successes, HTTP errors, redirects, a loop, lines that are no
# URL, a refused port, a timeout, a retried flaky URL, a duplicate.
make_list() { # BASE
	local b=$1
	cat <<-LIST
	$b/get
	$b/status/404
	$b/status/500
	$b/bytes/1000
	$b/redirect/3
	$b/loop/0

	not a url
	ftp://127.0.0.1:1/x
	http://127.0.0.1:1/refused
	$b/delay/2
	$b/flaky/k/1
	$b/page/%C3%A9t%C3%A9?q=1&r=%zz
	$b/get
	http://user:secret@127.0.0.1:${b##*:}/get
	$b/s/a/1.html
	LIST
	printf '%s/page/%05000d\n' "$b" 0
}

# Times and the port vary by nature: out of the way.
untime() { # PORT
	sed -E -e "s/:$1\b/:PORT/g" \
		-e 's/"time":[0-9.]+/"time":T/g' \
		-e 's/(^|\t)([0-9]{3}\t[0-9]+\t)[0-9]+\.[0-9]+\t/\1\2T\t/' \
		-e 's/ in [0-9]+\.[0-9]+ s / in T s /' \
		-e 's/[0-9]+\.[0-9]+ s \(-m\)/T s (-m)/' \
		-e 's/after [0-9]+ (ms|milliseconds)/after T \1/'
}

WO='%{index} %{http_code} %{url} %{url_effective} %{num_redirects} %{num_retries} %{size_download} %{content_type} %{exitcode} %{errormsg} %{header{content-length}} [%{filename_effective}]\n'

# run_all GF DIR [PORT]: every job with binary GF, results under DIR; the
# server on PORT (default: a free one, in $W/port for the next run, as
# -o names hash the whole URL).
run_all() {
	local gf=$1 d=$2 port
	mkdir -p "$d/site"
	make_site "$d/site"
	"$SRV" -p "${3:-0}" -d "$d/site" > "$d/port" &
	for _ in $(seq 100); do [ -s "$d/port" ] && break; sleep 0.02; done
	port=$(head -n 1 "$d/port")
	local b=http://127.0.0.1:$port
	make_list "$b" > "$d/list"
	(
		cd "$d" || exit 1
		run() { # NAME ARGS...
			local name=$1; shift
			"$gf" "$@" > "$name.out" 2> "$name.err"
			echo "exit $?" >> "$name.err"
		}
		run text -m 1 --retry 1 --retry-delay 0.1 list
		run json -m 1 --json list
		run wo -m 1 -w "$WO" list
		run serial -m 1 --serial list
		run serial_json -m 1 --serial --json list
		run broken -m 1 --broken list
		run stats -m 1 --stats -c 3 list
		run body -m 1 --body --separator '<sep>' list
		run body_json -m 1 --body --json list
		run files -m 1 -o files list
		run files_tpl -m 1 -o tpl --output-template '{index}-{host}-{name}' list
		run crawl --crawl "$b/"
		run crawl_json --crawl --json -c 4 "$b/"
		run crawl_depth --crawl --depth 2 -w "$WO" "$b/s/a/0.html"
		run crawl_broken --crawl --broken "$b/"
		run crawl_files --crawl -o crawl_files "$b/"
		run crawl_serial --crawl --serial "$b/s/a/5.html"
		run crawl_body --crawl --body --separator "<sep>" "$b/s/b/0.html"
		for t in files tpl crawl_files; do
			(cd "$t" 2>/dev/null && find . -type f | sort | xargs -r md5sum) > "$t.tree"
			rm -rf "$t"
		done
	)
	kill %1; wait 2>/dev/null
	echo "$port" > "$W/port"
	rm -rf "$d/site" "$d/port"
	for f in "$d"/*.*; do
		untime "$port" < "$f" > "$f.u" && mv "$f.u" "$f"
	done
}

run_all "$OLD" "$W/old"
run_all "$NEW" "$W/new" "$(cat "$W/port")"
if diff -r "$W/old" "$W/new"; then
	echo "same records, bodies and files: $(ls "$W/new" | wc -l) results compared"
else
	echo "the builds differ" >&2
	exit 1
fi
