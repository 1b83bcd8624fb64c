# completion.sh - the shells' completion scripts, written from the option
# table: bash's function driven as bash drives it, fish asked what it
# would offer, zsh's script read by zsh.

# complete_bash WORD...: what _greenfetch offers for the last word of
# "greenfetch WORD...", one a line, sorted.
complete_bash() {
	bash --norc -c '
		source "$1"; shift
		COMP_WORDS=(greenfetch "$@"); COMP_CWORD=$#
		_greenfetch
		printf "%s\n" "${COMPREPLY[@]}"' bash "$PWD/gf.bash" "$@" | sort
}

test_bash_completes_options_their_values_and_files() {
	"$GF" --completion bash > gf.bash || fail "no bash script"
	mkdir -p dir.d
	: > urls.txt
	expect_eq "$(complete_bash --sco)" "--scope" "an option"
	expect_eq "$(complete_bash --http)" "$(printf -- '--http1.1\n--http2')" "options by prefix"
	expect_eq "$(complete_bash --scope d)" "domain" "a closed set"
	expect_eq "$(complete_bash --scope = p)" "prefix" "a closed set after '='"
	expect_eq "$(complete_bash -K url)" "urls.txt" "a file"
	expect_eq "$(complete_bash --output-dir d)" "dir.d" "a directory"
	expect_eq "$(complete_bash -c 1)" "" "a number: nothing"
	expect_eq "$(complete_bash -v ur)" "urls.txt" "an input"
	# Every option of --help is offered.
	"$GF" --help | grep -o -- '--[a-z0-9.-]*' | sort -u > help.opts
	expect_eq "$(comm -23 help.opts <(complete_bash --))" "" "options --help has and bash not"
}

test_fish_offers_what_the_table_says() {
	command -v fish > /dev/null || fail "fish is not installed"
	"$GF" --completion fish > gf.fish || fail "no fish script"
	: > urls.txt
	fish --no-config -c "source gf.fish; complete -C'greenfetch --sco'" > out
	expect_match "$(cat out)" "^--scope	" "an option"
	fish --no-config -c "source gf.fish; complete -C'greenfetch --scope '" | sort > out
	expect_eq "$(cut -f1 out | tr '\n' ' ')" "any domain host prefix " "a closed set"
	fish --no-config -c "source gf.fish; complete -C'greenfetch -K url'" > out
	expect_eq "$(cut -f1 out)" "urls.txt" "a file"
}

test_zsh_reads_its_script() {
	command -v zsh > /dev/null || fail "zsh is not installed"
	"$GF" --completion zsh > _greenfetch || fail "no zsh script"
	zsh -n _greenfetch || fail "zsh cannot parse the script"
	expect_eq "$(head -n 1 _greenfetch)" "#compdef greenfetch"
	# One spec for each option of the table, --help's.
	for o in $("$GF" --help | grep -o -- '--[a-z0-9.-]*' | sort -u); do
		grep -q -- "$o[]=[}]" _greenfetch || fail "$o has no spec"
	done
}

test_completion_for_another_shell_is_a_usage_error() {
	"$GF" --completion tcsh > out 2> err; rc=$?
	expect_eq "$rc" 2
	expect_eq "$(head -n 1 err)" "greenfetch: --completion: 'tcsh' is not bash, zsh or fish"
}

test_make_install_puts_the_scripts_where_the_shells_look() {
	env -u BUILD make -s -C "$OLDPWD" install PREFIX=/usr DESTDIR="$PWD/root" > log 2>&1 ||
		fail "make install: $(cat log)"
	for f in share/bash-completion/completions/greenfetch share/zsh/site-functions/_greenfetch \
		 share/fish/vendor_completions.d/greenfetch.fish; do
		[ -s "root/usr/$f" ] || fail "$f not installed"
	done
	cmp root/usr/share/bash-completion/completions/greenfetch <("$GF" --completion bash) ||
		fail "the installed bash script is not the generated one"
}
