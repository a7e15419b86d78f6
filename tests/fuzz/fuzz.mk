# tests/fuzz/fuzz.mk - libFuzzer targets (included by the Makefile after
# config.mk; docs/fuzzing.md).
#
#   make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS="cfg spamd"]
#                      build with clang (-fsanitize=fuzzer,address,undefined)
#                      into build-fuzz/ and run each target on its seeds
#   make fuzz-regress  the same binaries over tests/fuzz/regress/ and the
#                      seeds, once each
#
# make check replays the same inputs without clang: every target is also
# linked with tests/fuzz/replay.c by $(CC) into $(B)/tests/fuzz/, and
# tests/cli/t_fuzz_regress runs those (under ASan/UBSan with SAN=1).

FUZZ_ALL     = $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FZ           = build-fuzz
FUZZ_SAN     = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_BINS    = $(patsubst %,$(FZ)/fuzz_%,$(FUZZ_TARGETS))
FUZZ_REPLAY  = $(patsubst %,$(B)/tests/fuzz/fuzz_%-replay,$(FUZZ_ALL))
FUZZ_LIB_SRC = $(LIB_SRC) policyd/pd_proto.c
FUZZ_HDRS    = $(wildcard tests/fuzz/*.h)

.PHONY: fuzz fuzz-regress fuzz-build

# Everything in build-fuzz/ is compiled by clang with the sanitizers and
# libFuzzer's coverage instrumentation; only the link adds libFuzzer.
$(FZ)/%.o: CFLAGS = -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN)
$(FZ)/%.o: %.c config.h $(FUZZ_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(filter-out -Werror,$(ALL_CFLAGS)) $(INC_tests) \
	    -fsanitize=fuzzer-no-link $(DEPFLAGS) -c -o $@ $<

$(FZ)/libgatepost-fuzz.a: $(patsubst %.c,$(FZ)/%.o,$(FUZZ_LIB_SRC))
	$(mkar)

$(FZ)/fuzz_%: $(FZ)/tests/fuzz/fuzz_%.o $(FZ)/libgatepost-fuzz.a
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(LIBS_ALL)

fuzz-build: $(FUZZ_BINS)

# make fuzz also runs the From differential (issue 14) on 100000 fields
FROM_DIFF_FUZZ_COUNT ?= 100000
# a new seed each run by default; CI passes a fixed one (reproducible)
FROM_DIFF_SEED ?= $$(date +%s)

fuzz: $(FUZZ_BINS) $(B)/tests/from_verdict
	sh tests/fuzz/run-fuzz --seconds $(FUZZ_SECONDS) $(FZ) $(FUZZ_TARGETS)
	GP_BUILD=$(abspath $(B)) python3 tests/cli/t_from_differential \
	    --count $(FROM_DIFF_FUZZ_COUNT) --seed $(FROM_DIFF_SEED) --show 3

fuzz-regress: $(FUZZ_BINS)
	sh tests/fuzz/run-fuzz --regress $(FZ) $(FUZZ_TARGETS)

# The replay build: the normal compiler and flags (SAN=1 adds the
# sanitizers), for make check.
$(patsubst %,$(B)/tests/fuzz/fuzz_%.o,$(FUZZ_ALL)) \
    $(B)/tests/fuzz/replay.o: $(FUZZ_HDRS)
$(B)/tests/fuzz/fuzz_%-replay: $(B)/tests/fuzz/fuzz_%.o \
	    $(B)/tests/fuzz/replay.o $(LIBPD) $(LIBGP)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS_ALL)
