# config.sh - options from files: -K/--config FILE and the user's own
# file, curl's syntax.

test_config_file_lines_in_curl_syntax() {
	start_server -l log
	cat > cfg <<-EOF
	# a comment, then a blank line

	header = "X-One: two words"
	--header: X-Two:2
	-A "probe/\"3\""
	  json
	url = $BASE/bytes/7
	EOF
	HOME=$PWD "$GF" -K cfg > out; rc=$?
	expect_eq "$rc" 0 "exit status"
	expect_eq "$(jq -r '[.status, .bytes] | @tsv' out)" "200	7" "the file's url, as --json"
	grep -q '^1 H X-One: two words$' log || fail "quoted header not sent"
	grep -q '^1 H X-Two: 2$' log || fail "header after a colon not sent"
	grep -q '^1 H User-Agent: probe/"3"$' log || fail "escaped quotes in a value"
}

test_config_file_options_stand_where_k_is() {
	start_server -l log
	echo 'user-agent = from-file' > cfg
	HOME=$PWD "$GF" -A typed -K cfg $BASE/get > out
	HOME=$PWD "$GF" -K cfg -A typed $BASE/get > out
	HOME=$PWD "$GF" -sK cfg $BASE/get > out
	expect_eq "$(grep ' H User-Agent: ' log | cut -d' ' -f4 | tr '\n' ' ')" \
		"from-file typed from-file " "User-Agent of each run"
}

test_the_users_file_comes_first_and_q_skips_it() {
	start_server -l log
	mkdir -p xdg/greenfetch
	echo 'user-agent = home' > .greenfetchrc
	HOME=$PWD "$GF" $BASE/get > out
	HOME=$PWD "$GF" -A typed $BASE/get > out
	HOME=$PWD "$GF" -q $BASE/get > out
	echo 'user-agent = xdg' > xdg/greenfetch/config
	HOME=$PWD XDG_CONFIG_HOME=$PWD/xdg "$GF" $BASE/get > out
	HOME=$PWD XDG_CONFIG_HOME=$PWD/xdg "$GF" --disable $BASE/get > out
	expect_eq "$(grep ' H User-Agent: ' log | cut -d' ' -f4 | tr '\n' ' ')" \
		"home typed greenfetch/$("$GF" --version | head -n 1 | cut -d' ' -f2) xdg greenfetch/$("$GF" --version | head -n 1 | cut -d' ' -f2) " \
		"User-Agent of each run"
}

test_config_from_stdin_and_nested() {
	start_server -l log
	echo "url $BASE/bytes/3" > inner
	printf 'config inner\nurl %s\n' "$BASE/bytes/4" | HOME=$PWD "$GF" -K - > out
	expect_eq "$(cut -f2 out | tr '\n' ' ')" "3 4 " "inputs of both files, in order"
}

# config_error TEXT REGEX: a config file of TEXT is a usage error whose
# message matches REGEX, and nothing is fetched.
config_error() {
	printf "$1" > bad
	HOME=$PWD "$GF" -K bad http://127.0.0.1:1/ > out 2> err; rc=$?
	expect_eq "$rc" 2 "exit status for '$1'"
	expect_match "$(cat err)" "$2"
	[ -s out ] && fail "a record after a usage error"
	true
}

test_config_file_errors_name_the_line() {
	config_error 'verbose\nno-such-option 1\n' "^greenfetch: bad:2: unknown option 'no-such-option'$"
	config_error 'header "X-A: 1\n' "^greenfetch: bad:1: unclosed quote in the value of 'header'$"
	config_error 'header X-A: 1\n' "^greenfetch: bad:1: more than one value"
	config_error 'verbose yes\n' "^greenfetch: bad:1: a value for an option that takes none: 'verbose'$"
	config_error '\n\nmax-time\n' "^greenfetch: bad:3: no value for 'max-time'$"
	config_error 'config missing\n' "^greenfetch: cannot read the config file missing: No such file or directory$"
	config_error 'config bad\n' "^greenfetch: bad: config files nested more than 8 deep$"
}
