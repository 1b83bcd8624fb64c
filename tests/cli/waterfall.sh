# waterfall.sh - --waterfall FILE: the run drawn as an SVG, checked as
# XML against the records' own times, and as a person sees it, in the
# pixels chromium renders.

WF_TIMES='%{index} %{time_queue} %{time_redirect} %{time_namelookup} %{time_connect} %{time_appconnect} %{time_starttransfer} %{time_total} %{exitcode}\n'

# times FILE: -w's lines with the exit code made a failed flag (an HTTP
# error has exit code 0 here, but a record's error all the same).
failed_flags() { awk '{ $9 = ($9 != 0 || $10 != "") ? 1 : 0; NF = 9; print }' "$1"; }

test_waterfall_draws_each_record_as_its_times_say() {
	command -v chromium > /dev/null || fail "chromium is not installed"
	start_server
	{ echo $BASE/delay/0.6; echo $BASE/redirect/2; echo $BASE/drip/4/0.4
	  echo "http://localhost:$PORT/bytes/100"; echo "http://127.0.0.1:1/"
	  echo garbage; echo $BASE/status/404; echo "http://u:secret@127.0.0.1:$PORT/delay/0.3"; } > urls
	"$GF" -c 3 --per-host 2 -w "$WF_TIMES%{errormsg}\n" --waterfall wf.svg urls > raw
	# One line per record: the times, then the error line (maybe empty).
	paste -d' ' - - < raw | failed_flags /dev/stdin > times
	expect_eq "$(wc -l < times)" 8 "records"
	expect_eq "$(awk '$9 == 1' times | wc -l)" 3 "failed records"
	chromium --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
		--hide-scrollbars --user-data-dir="$PWD/profile" --window-size=1200,400 \
		--screenshot="$PWD/wf.png" "file://$PWD/wf.svg" > /dev/null 2>&1
	[ -s wf.png ] || fail "chromium drew no picture"
	mkdir -p "$BUILD/artifacts" && cp wf.png "$BUILD/artifacts/waterfall.png"
	python3 "$OLDPWD/tests/waterfall/check.py" wf.svg times wf.png > check.out ||
		fail "the picture differs from the records: $(head -n 5 check.out)"
	# What a person reads: the legend, the axis, a tooltip with the URL.
	for word in queue DNS connect TLS "waiting for the first byte" receiving seconds; do
		grep -qF "$word" wf.svg || fail "no '$word' in the picture"
	done
	grep -qF "<title>$BASE/delay/0.6" wf.svg || fail "no tooltip with the URL"
	! grep -q secret wf.svg || fail "a password is in the picture"
	grep -qF "http://u:***@127.0.0.1" wf.svg || fail "the URL with a password is not drawn"
	! grep -qiE '<script|href=|xlink' wf.svg || fail "the SVG is not self-contained"
}

test_waterfall_keeps_the_first_rows_and_notes_the_rest() {
	# Memory and size are bounded by the rows drawn, not the records.
	start_server
	# Lines that XML must not take as they are, among them.
	{ printf '%s\n' "$BASE/bytes/1?a=<b>&c=\"d\"" ; printf 'bad\377\001line\n'
	  for i in $(seq 58); do echo $BASE/bytes/$i; done; } > urls
	"$GF" -c 8 --waterfall-rows 10 --waterfall wf.svg urls > out
	expect_eq "$(wc -l < out)" 60 "records"
	expect_eq "$(grep -c '<g class="rec' wf.svg)" 10 "rows drawn"
	grep -q "and 50 more records, not drawn" wf.svg || fail "no note of the 50 left out"
	python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' wf.svg ||
		fail "not XML"
}

test_waterfall_span_gives_two_runs_one_axis() {
	start_server
	echo $BASE/delay/0.2 > urls
	"$GF" --waterfall a.svg --waterfall-span 10 urls > /dev/null
	"$GF" --serial --waterfall b.svg --waterfall-span 10 urls > /dev/null
	a=$(grep -o 'data-px-per-second="[0-9.]*"' a.svg)
	b=$(grep -o 'data-px-per-second="[0-9.]*"' b.svg)
	expect_eq "$a" "$b" "scales of the two pictures"
	grep -q '>10</text>' a.svg || fail "the axis does not reach 10 s"
	"$GF" --waterfall c.svg urls > /dev/null
	[ "$(grep -o 'data-px-per-second="[0-9.]*"' c.svg)" != "$a" ] ||
		fail "without --waterfall-span the axis is the run's"
}

test_waterfall_to_a_file_that_cannot_be_written() {
	start_server -l log
	echo $BASE/bytes/1 > urls
	"$GF" --waterfall /nonexistent/dir/wf.svg urls > out 2> err
	rc=$?
	[ "$rc" -ne 0 ] || fail "exit status 0"
	grep -q -- "--waterfall /nonexistent/dir/wf.svg: No such file or directory" err ||
		fail "no clear error: $(cat err)"
	[ ! -s out ] || fail "records written: $(cat out)"
	! grep -q "GET /bytes/1" log || fail "a URL was fetched"
}

test_the_demo_draws_6_s_against_2_s() {
	# make demo's story as two pictures on one axis: the three URLs of
	# 2 s end near 2, 4 and 6 s --serial, all near 2 s on the hub.
	here=$PWD
	(cd "$OLDPWD" && WATERFALL_DIR="$here" GREENFETCH="$GF" tests/demo.sh "$BUILD") \
		> demo.out || fail "the demo failed"
	grep -q "waterfall-serial.svg" demo.out || fail "the demo does not say where the pictures are"
	for f in serial hub; do
		python3 - "waterfall-$f.svg" > "$f.ends" <<-'PY' || fail "$f: not XML"
		import sys, xml.etree.ElementTree as E
		root = E.parse(sys.argv[1]).getroot()
		px, x0 = float(root.get("data-px-per-second")), float(root.get("data-chart-x"))
		for g in root.iter("{http://www.w3.org/2000/svg}g"):
		    if "rec" in g.get("class", "").split():
		        r = [float(e.get("x")) + float(e.get("width")) for e in g.iter("{http://www.w3.org/2000/svg}rect")]
		        print(round((max(r) - x0) / px, 1))
		PY
	done
	expect_eq "$(grep -o 'data-px-per-second="[0-9.]*"' waterfall-serial.svg)" \
		"$(grep -o 'data-px-per-second="[0-9.]*"' waterfall-hub.svg)" "one axis"
	expect_eq "$(tr '\n' ' ' < serial.ends)" "2.0 4.0 6.0 " "--serial bars end at"
	expect_eq "$(tr '\n' ' ' < hub.ends)" "2.0 2.0 2.0 " "hub bars end at"
}
