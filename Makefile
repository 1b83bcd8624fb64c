# greenfetch - the single entry point: make, make check, make demo,
# make install, make asan.

PREFIX   ?= /usr/local
DESTDIR  ?=
BUILD    ?= build
BIN      ?= greenfetch
CC       ?= cc
CFLAGS   ?= -O2 -g
WARN     := -Wall -Wextra -Werror
CPPFLAGS += -D_DEFAULT_SOURCE -Icommon -Icli -Ipool -Ifetch -Icrawl -I/usr/include/libxml2
ALLFLAGS  = -std=c11 -pthread $(WARN) $(CFLAGS) $(EXTRA_CFLAGS)
LIBS     := -lcurl -lcares -lev -lxml2 -lpsl -lhiredis -lcrypto -lz -lm -pthread

# Debian packages: to build, and to run the tests and the demo.
BUILD_DEPS := gcc make libc6-dev pkg-config libcurl4-openssl-dev libc-ares-dev libev-dev \
              zlib1g-dev libxml2-dev libpsl-dev libssl-dev libhiredis-dev
TEST_DEPS  := jq procps mandoc curl bc dnsmasq-base strace iproute2 tmux valgrind zstd brotli \
              nginx openssl wget time python3 python3-html5lib chromium python3-doc redis-server \
              zsh fish

COMMON_SRC := common/gf.c common/record.c common/strset.c common/fpset.c common/utf8.c \
              common/url.c common/url_resolve.c
POOL_SRC   := pool/hub.c pool/pool.c pool/pile.c pool/gate.c
FETCH_SRC  := fetch/css.c fetch/html_fast.c fetch/html_names.c fetch/relink.c fetch/xfer.c fetch/xfer_setup.c fetch/xfer_end.c fetch/meter.c fetch/dns.c fetch/multi.c fetch/fetch.c fetch/hubs.c fetch/backend.c \
              fetch/serial.c fetch/html.c fetch/html_tag.c fetch/html_token.c fetch/html_tree.c fetch/links.c fetch/links_charset.c
CRAWL_SRC  := crawl/frontier.c crawl/frontier_mem.c crawl/frontier_redis.c crawl/frontier_lua.c crawl/frontier_share.c crawl/frontier_take.c crawl/redis.c crawl/scope.c crawl/robots.c crawl/sitemap.c crawl/crawl.c crawl/refs.c crawl/origins.c crawl/sitemaps.c
CLI_SRC    := cli/input.c cli/format.c cli/outname.c cli/sink.c cli/sink_records.c \
              cli/sink_bodies.c cli/sink_files.c cli/mirror.c cli/jsonline.c cli/journal.c cli/journal_read.c cli/resume.c cli/since.c cli/warc.c cli/warc_write.c cli/warc_cdx.c cli/sink_warc.c cli/writer.c cli/progress.c cli/optvalue.c cli/opthelp.c cli/options.c cli/optfile.c cli/optcomp.c cli/stats.c cli/waterfall.c cli/job.c cli/collect.c cli/run.c
LIB_SRC    := $(COMMON_SRC) $(POOL_SRC) $(FETCH_SRC) $(CRAWL_SRC) $(CLI_SRC)
LIB_OBJ    := $(LIB_SRC:%.c=$(BUILD)/%.o)

SERVER_SRC := tests/server/server.c tests/server/routes.c tests/server/bodies.c tests/server/udp.c
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

# Fuzz targets: libFuzzer binaries with clang (make fuzz-build, make fuzz),
# and the same targets with a plain driver that replays the corpora and
# crash reproducers in make check.
FUZZ_TARGETS := input format urlnorm outname links robots resolve journal
FUZZ_SECONDS ?= 60
REPLAY_BIN   := $(FUZZ_TARGETS:%=$(BUILD)/tests/replay_%)

.PHONY: all deps test-deps check check-valgrind demo asan bench install uninstall clean fuzz fuzz-build

# Keep intermediate objects (and keep make quiet after the test summary).
.SECONDARY:

all: deps $(BIN) $(BUILD)/gf-testserver $(UNIT_BIN) $(REPLAY_BIN) $(BUILD)/tests/inject.so \
     $(BUILD)/tests/html-tokens $(BUILD)/tests/html-links

deps:
	@mk/deps.sh $(BUILD_DEPS)

test-deps:
	@mk/deps.sh $(TEST_DEPS)

# The packages come first, also under make -j: order-only, so that an
# object is not rebuilt for them.
$(BUILD)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALLFLAGS) -MMD -MP -c $< -o $@

# The fault injector (tests/cli/faults.sh): no sanitizer, it replaces malloc.
$(BUILD)/tests/inject.so: tests/fault/inject.c | deps
	@mkdir -p $(dir $@)
	$(CC) -std=c11 $(WARN) -O2 -g -shared -fPIC -o $@ $< -ldl

$(BIN): $(BUILD)/cli/main.o $(LIB_OBJ)
	$(CC) $(ALLFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/html-tokens: $(BUILD)/tests/html5lib/tokens.o $(LIB_OBJ)
	$(CC) $(ALLFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/html-links: $(BUILD)/tests/html5lib/links_of.o $(LIB_OBJ)
	$(CC) $(ALLFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/gf-testserver: $(SERVER_SRC:%.c=$(BUILD)/%.o)
	$(CC) $(ALLFLAGS) $(LDFLAGS) -o $@ $^ -lev -lz -lm

$(BUILD)/tests/test_%: $(BUILD)/tests/unit/test_%.o $(LIB_OBJ)
	$(CC) $(ALLFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/replay_%: $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/replay.o $(LIB_OBJ)
	$(CC) $(ALLFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

fuzz-build:
	@mk/deps.sh clang libclang-rt-14-dev
	@mkdir -p build-fuzz
	@for t in $(FUZZ_TARGETS); do \
		echo "clang fuzz_$$t"; \
		clang $(CPPFLAGS) -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
			tests/fuzz/fuzz_$$t.c $(LIB_SRC) -o build-fuzz/fuzz_$$t $(LIBS) || exit 1; \
	done

# Each target for FUZZ_SECONDS, from its seeds; new crashes are kept in
# tests/fuzz/crashes/TARGET for make check to replay.
fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p build-fuzz/corpus/$$t tests/fuzz/crashes/$$t; \
		build-fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
			-rss_limit_mb=2048 -print_final_stats=1 \
			-artifact_prefix=tests/fuzz/crashes/$$t/ \
			build-fuzz/corpus/$$t tests/fuzz/corpus/$$t || exit 1; \
	done

check: all test-deps
	@GREENFETCH=./$(BIN) tests/run.sh $(BUILD)

demo: deps $(BIN) $(BUILD)/gf-testserver
	@GREENFETCH=./$(BIN) tests/demo.sh $(BUILD)

# The same tests on a build with AddressSanitizer and UndefinedBehaviorSanitizer.
asan:
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	$(MAKE) BUILD=build-asan BIN=build-asan/greenfetch \
		CFLAGS="-O1 -g -fno-omit-frame-pointer" \
		EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" check

# The command-line tests with greenfetch under valgrind (slow: see README).
check-valgrind: all test-deps
	@GREENFETCH=./$(BIN) tests/valgrind/run.sh $(BUILD)

# Benchmarks on loopback (not tests: they measure, they do not judge).
bench: all test-deps
	@for b in bench/*.sh; do GREENFETCH=./$(BIN) $$b $(BUILD) || exit 1; done

# Where bash-completion, zsh and fish look for a command's completion.
BASH_COMP := share/bash-completion/completions/greenfetch
ZSH_COMP  := share/zsh/site-functions/_greenfetch
FISH_COMP := share/fish/vendor_completions.d/greenfetch.fish

install: greenfetch
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 greenfetch $(DESTDIR)$(PREFIX)/bin/greenfetch
	install -m 644 man/greenfetch.1 $(DESTDIR)$(PREFIX)/share/man/man1/greenfetch.1
	for c in bash:$(BASH_COMP) zsh:$(ZSH_COMP) fish:$(FISH_COMP); do \
		install -d "$(DESTDIR)$(PREFIX)/$$(dirname $${c#*:})" && \
		./greenfetch --completion $${c%%:*} > "$(DESTDIR)$(PREFIX)/$${c#*:}" || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/greenfetch $(DESTDIR)$(PREFIX)/share/man/man1/greenfetch.1
	rm -f $(DESTDIR)$(PREFIX)/$(BASH_COMP) $(DESTDIR)$(PREFIX)/$(ZSH_COMP) $(DESTDIR)$(PREFIX)/$(FISH_COMP)

clean:
	rm -rf build build-asan build-fuzz greenfetch

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
