# chis: Creative Health in Systems.
#
#   make run     install what is missing, build, create ./chis.db with the demo, serve it
#   make test    install what is missing, build, run the whole suite
#   make check   the suite again under AddressSanitizer and UndefinedBehaviorSanitizer
#   make bench   benchmarks (wrk) into bench/out and docs/performance.md figures
#   make fuzz    build the libFuzzer harnesses (clang)

CC      ?= cc
PKGS    := libmicrohttpd jansson sqlite3 libsodium
DEB_PKGS := build-essential pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev \
            libsodium-dev libcmocka-dev libcsv-dev libmimalloc-dev chromium wrk clang curl
BUILD   ?= build

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
HARDEN  := -fstack-protector-strong -D_FORTIFY_SOURCE=2 -fPIE
OPT     ?= -O2 -g
CFLAGS_ALL = -std=c11 -D_GNU_SOURCE $(WARN) $(HARDEN) $(OPT) -Isrc -I$(BUILD) \
             $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(EXTRA_CFLAGS)
LDFLAGS_ALL = -pie -Wl,-z,relro,-z,now $(EXTRA_LDFLAGS)
LIBS    = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lm -lpthread
# The binary allocates with mimalloc (SQLite, jansson and ours alike): an
# import of 100,000 services spent a quarter of its time in glibc's malloc
# and free (docs/performance.md). Linked first, so its malloc is the one
# every library finds; left out of the sanitizer build, whose own allocator
# does the checking.
MALLOC_LIB ?= -Wl,--no-as-needed -lmimalloc -Wl,--as-needed

SRC     := $(sort $(wildcard src/base/*.c src/store/*.c src/domain/*.c src/http/*.c \
                             src/api/*.c src/web/*.c src/cli/*.c))
LIB_SRC := $(filter-out src/cli/main.c,$(SRC))
OBJ     := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(LIB_SRC)) $(BUILD)/obj/assets_gen.o
TEST_SRC := $(sort $(wildcard tests/*/test_*.c))
TEST_BIN := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRC))

.PHONY: all deps run test check bench fuzz clean unit format

all: $(BUILD)/chis

# ---- dependencies: Debian packages (apt-get as root, else say the line) and npm ----
DEPS_STAMP := $(BUILD)/.deps-ok
deps: $(DEPS_STAMP) node_modules/nhsuk-frontend/package.json

$(DEPS_STAMP): tools/deps.sh
	@sh tools/deps.sh $(DEB_PKGS)
	@mkdir -p $(@D) && touch $@

# ---- embedded web assets (NHS.UK frontend from npm, our CSS/JS, the OpenAPI document) ----
NPM_STAMP   := node_modules/nhsuk-frontend/package.json
ASSET_FILES := $(shell sed -n 's/^[^=]*=//p' tools/assets.list)

$(NPM_STAMP): package.json package-lock.json | $(DEPS_STAMP)
	npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

$(filter node_modules/%,$(ASSET_FILES)): | $(NPM_STAMP)
	@test -f $@ || { echo "error: $@ is missing after npm ci (check tools/assets.list)" >&2; exit 1; }

$(BUILD)/tools/embed: tools/embed.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) -std=c11 -Wall -Wextra -Werror -O2 -o $@ $<

$(BUILD)/assets_gen.c: $(BUILD)/tools/embed tools/assets.list $(ASSET_FILES)
	@mkdir -p $(@D)
	$(BUILD)/tools/embed $@ $$(cat tools/assets.list)

$(BUILD)/obj/assets_gen.o: $(BUILD)/assets_gen.c src/web/assets.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -Wno-overlength-strings -c -o $@ $<

# ---- the binary ----
$(BUILD)/obj/%.o: src/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

$(BUILD)/libchis.a: $(OBJ)
	@rm -f $@ && ar rcs $@ $^

$(BUILD)/chis: $(BUILD)/obj/cli/main.o $(BUILD)/libchis.a
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_ALL) $(LDFLAGS_ALL) -o $@ $(MALLOC_LIB) $^ $(LIBS)

-include $(OBJ:.o=.d) $(BUILD)/obj/cli/main.d

# ---- tests ----
# Each test also depends on the headers it includes (tests/domain/*_world.h
# and the like), through the dependency file the compiler writes beside it.
$(BUILD)/tests/%: tests/%.c tests/unit.h $(BUILD)/libchis.a
	@mkdir -p $(@D)
	@echo "  TEST    $<"
	@$(CC) $(CFLAGS_ALL) -Itests -MMD -MP -MT $@ -MF $@.d $(LDFLAGS_ALL) -o $@ $< \
	  $(BUILD)/libchis.a $(LIBS) -lcmocka

-include $(TEST_BIN:=.d)

unit: $(TEST_BIN)

test: deps $(BUILD)/chis $(TEST_BIN)
	@CHIS_BIN=$(BUILD)/chis BUILD=$(BUILD) sh tests/run.sh $(TEST_BIN)

# The same suite built with ASan+UBSan in its own build folder.
check: deps
	@$(MAKE) --no-print-directory BUILD=build/asan OPT="-O1 -g -fno-omit-frame-pointer" MALLOC_LIB= \
	  EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all" \
	  EXTRA_LDFLAGS="-fsanitize=address,undefined" HARDEN="-fstack-protector-strong -fPIE" \
	  build/asan/chis $(patsubst $(BUILD)/%,build/asan/%,$(TEST_BIN))
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  CHIS_BIN=build/asan/chis BUILD=build/asan CHIS_SKIP_BROWSER=1 \
	  sh tests/run.sh $(patsubst $(BUILD)/%,build/asan/%,$(TEST_BIN))

# ---- running the demo ----
run: deps $(BUILD)/chis
	@if [ ! -f chis.db ]; then \
	  (umask 077 && $(BUILD)/chis demo --db chis.db > .chis-demo-logins.tmp) && \
	  mv .chis-demo-logins.tmp .chis-demo-logins; \
	fi
	@echo; echo "chis: the demo is served at http://localhost:8080/"; \
	if [ -f .chis-demo-logins ]; then cat .chis-demo-logins; \
	else echo "(chis.db was not made by 'make run': sign in with your own accounts)"; fi; echo
	$(BUILD)/chis serve --db chis.db --listen 127.0.0.1:8080 --migrate

bench: deps $(BUILD)/chis
	@sh bench/run.sh $(BUILD)/chis
	@sh bench/network.sh $(BUILD)/chis

fuzz: deps
	@$(MAKE) --no-print-directory -f fuzz/Makefile

format:
	clang-format -i $(SRC) $(wildcard src/*/*.h) $(TEST_SRC)

clean:
	rm -rf build
