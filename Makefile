# Makefile - gatepost (plain GNU make; ./configure writes config.mk)
#
#   make                build everything into $(B)/
#   make demo           the two-faced gateway on loopback, narrated (root)
#   make check          unit tests, then the integration tests (root)
#   make check-unit     unit tests only
#   make check-full     integration tests under ASan+UBSan, TSan, valgrind
#   make install        PREFIX=/usr/local DESTDIR=   (make uninstall)
#   make deb            the Debian package, into build-deb/
#   make clean | distclean | dist
#   make bench          benchmarks (figures, not tests; QUICK=1 smoke run)
#   make fuzz           libFuzzer targets with clang (FUZZ_SECONDS=60 each)
#
#   SAN=1               AddressSanitizer + UBSan build (into build-san/)
#   WERROR=1            warnings are errors (CI)

VERSION   = 0.1.0
SAN      ?= 0
WERROR   ?= 0
ifeq ($(SAN),1)
B        ?= build-san
else
B        ?= build
endif

NOCONF_GOALS = clean distclean deps help deb
ifeq ($(filter-out $(NOCONF_GOALS),$(or $(MAKECMDGOALS),all)),)
else
include config.mk
endif

PREFIX   ?= $(prefix)
SBINDIR  ?= $(PREFIX)/sbin
MANDIR   ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
UNITDIR  ?= /lib/systemd/system
SYSUSERSDIR ?= /usr/lib/sysusers.d
DOCDIR   ?= $(PREFIX)/share/doc/gatepost

# GLib/GMime headers are not ours: keep their warnings out of -Werror.
sys = $(patsubst -I%,-isystem %,$(1))
WARN     = -Wall -Wextra -Wformat=2 -Wshadow -Wpointer-arith \
	   -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
ifeq ($(WERROR),1)
WARN    += -Werror
endif
OPT      = -O2 -g
ifeq ($(SAN),1)
OPT      = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined
endif
CFLAGS  ?= $(OPT)

# lib/ is layered (docs/HACKING.md): each layer is its own folder and
# archive, and is compiled with the include paths of the layers below it
# only, so a header included in the wrong direction fails the build.
#
#   util  <  mail  <  cfg  <  policy  <  mime, scan
#                          <  postfix, report
#
# The programs sit on top: gatepost-policyd links util..policy (no GMime),
# gatepost-milter adds mime and scan, gatepostctl links everything.
INC_util    = -Ilib/util $(call sys,$(NETTLE_CFLAGS))
INC_mail    = $(INC_util) -Ilib/mail $(call sys,$(IDN2_CFLAGS))
INC_cfg     = $(INC_mail) -Ilib/cfg
INC_policy  = $(INC_cfg) -Ilib/policy
INC_postfix = $(INC_cfg) -Ilib/postfix
INC_report  = $(INC_cfg) -Ilib/report $(call sys,$(GLIB_CFLAGS))
INC_mime    = $(INC_policy) -Ilib/mime $(call sys,$(GMIME_CFLAGS))
INC_scan    = $(INC_policy) -Ilib/scan
INC_policyd = $(INC_policy) -Ipolicyd $(call sys,$(EVENT_CFLAGS)) \
	      $(call sys,$(HIREDIS_CFLAGS))
INC_milter  = $(INC_mime) -Ilib/scan -Imilter
INC_ctl     = $(INC_mime) -Ilib/scan -Ilib/postfix -Ilib/report -Ictl \
	      $(call sys,$(CURL_CFLAGS)) $(call sys,$(HIREDIS_CFLAGS))
INC_tests   = $(INC_ctl) -Ipolicyd -Imilter -Itests/support \
	      $(call sys,$(EVENT_CFLAGS)) $(call sys,$(HIREDIS_CFLAGS))

ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(CPPFLAGS) $(CFLAGS) $(WARN) -I. \
	   $(JANSSON_CFLAGS) $(call sys,$(MHD_CFLAGS))
DEPFLAGS = -MMD -MP
SANFLAGS = -fsanitize=address,undefined
ALL_LDFLAGS = $(LDFLAGS) $(if $(filter 1,$(SAN)),$(SANFLAGS))
LIBS_BASE = $(JANSSON_LIBS) $(IDN2_LIBS) $(NETTLE_LIBS) -lpthread -lm
LIBS_ALL = $(JANSSON_LIBS) $(IDN2_LIBS) $(NETTLE_LIBS) $(GMIME_LIBS) -lpthread -lm

LAYERS   = util mail cfg policy postfix report mime scan
PD_SRC   = $(filter-out policyd/pd_main.c,$(wildcard policyd/*.c))
MF_SRC   = $(filter-out milter/mf_main.c milter/mf_smfi.c,$(wildcard milter/*.c))
CTL_SRC  = $(wildcard ctl/*.c)
TEST_SRC = $(wildcard tests/unit/*/check_*.c)
TSUP_SRC = $(wildcard tests/support/*.c)
LIB_SRC  = $(foreach l,$(LAYERS),$(wildcard lib/$(l)/*.c))

obj = $(patsubst %.c,$(B)/%.o,$(1))
lib = $(B)/lib/libgp-$(1).a
# link order: higher layers first
LIBS_POLICY = $(call lib,policy) $(call lib,cfg) $(call lib,mail) \
	   $(call lib,util)
LIBS_MILTER = $(call lib,scan) $(call lib,mime) $(LIBS_POLICY)
LIBS_CTL = $(call lib,report) $(call lib,postfix) $(LIBS_MILTER)
LIBGP    = $(LIBS_CTL)
LIBPD    = $(B)/libpd.a
LIBMF    = $(B)/libmf.a
PROGS    = $(B)/gatepost-policyd $(B)/gatepost-milter $(B)/gatepostctl
TESTS    = $(patsubst %,$(B)/tests/%,$(basename $(notdir $(TEST_SRC))))
HELPERS  = $(patsubst tests/helpers/%.c,$(B)/tests/%,$(wildcard tests/helpers/*.c))
BENCH_TOOLS = $(patsubst tests/bench/%.c,$(B)/bench/%,$(wildcard tests/bench/*.c))

.PHONY: all check check-unit check-integration check-full install clean \
	distclean bench bench-tools demo \
	dist deps help uninstall deb
.SUFFIXES:
# no .SECONDARY: (it would keep a new source file of an existing
# archive from being compiled when the archive is newer than the file)

all: $(PROGS)

include tests/fuzz/fuzz.mk

config.mk: config.mk.in configure
	./configure
configure: configure.ac
	sh scripts/ensure-deps
	autoreconf -fi
config.h: config.mk

deps:
	sh scripts/ensure-deps

# Each object's include paths: its layer's, or its program's.
$(foreach l,$(LAYERS),$(eval $(B)/lib/$(l)/%.o: LINC = $(INC_$(l))))
$(B)/policyd/%.o: LINC = $(INC_policyd)
$(B)/milter/%.o: LINC = $(INC_milter)
$(B)/ctl/%.o: LINC = $(INC_ctl)
$(B)/tests/%.o: LINC = $(INC_tests)

$(B)/%.o: %.c config.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LINC) $(DEPFLAGS) -c -o $@ $<

# an empty member list (no milter sources yet) still makes a valid archive
mkar = rm -f $@ && if [ -n "$^" ]; then $(AR) rc $@ $^; \
	else printf '!<arch>\n' >$@; fi && $(RANLIB) $@

$(foreach l,$(LAYERS),$(eval $(call lib,$(l)): \
	$(call obj,$(wildcard lib/$(l)/*.c)) ; $$(mkar)))
$(LIBPD): $(call obj,$(PD_SRC))
	$(mkar)
$(LIBMF): $(call obj,$(MF_SRC))
	$(mkar)

$(B)/gatepost-policyd: $(B)/policyd/pd_main.o $(LIBPD) $(LIBS_POLICY)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(HIREDIS_LIBS) $(EVENT_LIBS) $(MHD_LIBS) \
	    $(LIBS_BASE)
$(B)/gatepost-milter: $(B)/milter/mf_main.o $(B)/milter/mf_smfi.o $(LIBMF) \
	    $(LIBS_MILTER)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(MHD_LIBS) $(MILTER_LIBS) $(LIBS_ALL)
$(B)/gatepostctl: $(call obj,$(CTL_SRC)) $(LIBS_CTL)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(ZLIB_LIBS) $(CURL_LIBS) $(HIREDIS_LIBS) \
	    $(LIBS_ALL)

# Unit tests live in tests/unit/LAYER/ and build to $(B)/tests/check_NAME.
vpath check_%.c $(sort $(dir $(TEST_SRC)))
$(B)/tests/check_%.o: check_%.c config.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(INC_tests) $(CHECK_CFLAGS) $(DEPFLAGS) -c -o $@ $<
$(B)/tests/check_%: $(B)/tests/check_%.o $(call obj,$(TSUP_SRC)) $(LIBMF) $(LIBPD) $(LIBGP)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(HIREDIS_LIBS) $(EVENT_LIBS) \
	    $(MHD_LIBS) $(LIBS_ALL)
# Test programs and bench tools: one .c file each, plus the header-only
# tests/support/milter_listen.h.
$(B)/tests/%: tests/helpers/%.c tests/support/milter_listen.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/support $(ALL_LDFLAGS) -o $@ $< \
	    $(MILTER_LIBS) $(EVENT_LIBS)
# from_verdict calls into lib/ (the From differential test, issue 14)
$(B)/tests/from_verdict: tests/helpers/from_verdict.c $(LIBGP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(INC_tests) $(ALL_LDFLAGS) -o $@ $^ $(LIBS_ALL)

-include $(shell find $(B) -name '*.d' 2>/dev/null)

check-unit: all $(TESTS) $(FUZZ_REPLAY) $(B)/tests/from_verdict
	sh tests/run-tests --unit-only $(B)

check: all $(TESTS) $(HELPERS) $(FUZZ_REPLAY)
	sh scripts/ensure-deps
	sh tests/run-tests $(B)

check-integration: all $(HELPERS)
	sh tests/run-tests --integration-only $(B)

# Heavy checks (tests/full/README.md, root): the integration tests against
# ASan+UBSan builds (build-san/), the milter built with ThreadSanitizer
# (build-tsan/) under load and reloads, valgrind over both daemons.
check-full: all bench-tools
	sh scripts/ensure-deps
	$(MAKE) SAN=1 B=build-san all \
	    $(patsubst $(B)/%,build-san/%,$(TESTS) $(HELPERS))
	$(MAKE) SAN=0 B=build-tsan CFLAGS='-O1 -g -fsanitize=thread' \
	    LDFLAGS=-fsanitize=thread build-tsan/gatepost-milter
	sh tests/full/run-full $(B) build-san build-tsan

# The gateway demo on loopback (README); KEEP=1 leaves it running.
demo: all
	sh scripts/ensure-deps
	/usr/bin/python3 tests/demo/run-demo $(if $(filter 1,$(KEEP)),--keep) $(B)

# Benchmarks print figures and never fail for being slow (docs/bench.md).
$(B)/bench/%: tests/bench/%.c tests/bench/hist.h \
	    tests/support/milter_listen.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/support $(ALL_LDFLAGS) -o $@ $< \
	    $(MILTER_LIBS)

bench-tools: $(BENCH_TOOLS)

bench: all bench-tools $(HELPERS)
	/usr/bin/python3 tests/bench/run-bench --build $(B) \
	    $(if $(filter 1,$(QUICK)),--quick)

# make install never overwrites what an administrator may have edited:
# gatepost.json and send-as.json are installed only when absent (the
# examples always, as *.example), and a unit that differs from the one
# being installed is left alone, with the new one beside it as
# UNIT.service.new (systemd ignores that name).  Overrides belong in
# "systemctl edit" drop-ins anyway.
TMPFILESDIR ?= /usr/lib/tmpfiles.d
INSTALLED_DOCS = README.md docs/*.md

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(SYSCONFDIR)/gatepost \
	    $(DESTDIR)$(DOCDIR)/docs $(DESTDIR)$(DOCDIR)/examples
	install -m 755 $(PROGS) $(DESTDIR)$(SBINDIR)/
	for f in man/*.8; do [ -f "$$f" ] && install -m 644 "$$f" \
	    $(DESTDIR)$(MANDIR)/man8/ || true; done
	for f in man/*.5; do [ -f "$$f" ] && install -m 644 "$$f" \
	    $(DESTDIR)$(MANDIR)/man5/ || true; done
	for c in gatepost send-as; do \
	    install -m 644 contrib/$$c.json \
	        $(DESTDIR)$(SYSCONFDIR)/gatepost/$$c.json.example || exit 1; \
	    [ -e $(DESTDIR)$(SYSCONFDIR)/gatepost/$$c.json ] || \
	    install -m 644 contrib/$$c.json \
	        $(DESTDIR)$(SYSCONFDIR)/gatepost/$$c.json || exit 1; done
	install -m 644 README.md $(DESTDIR)$(DOCDIR)/
	install -m 644 docs/*.md $(DESTDIR)$(DOCDIR)/docs/
	install -d $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) \
	    $(DESTDIR)$(TMPFILESDIR) $(DESTDIR)$(DOCDIR)/postfix \
	    $(DESTDIR)$(DOCDIR)/examples/prometheus \
	    $(DESTDIR)$(DOCDIR)/examples/grafana
	for u in contrib/systemd/*.service; do \
	    t=$(DESTDIR)$(UNITDIR)/$${u##*/}; \
	    sed -e 's|/usr/sbin/|$(SBINDIR)/|g' \
	    -e 's|/etc/gatepost/|$(SYSCONFDIR)/gatepost/|g' "$$u" >"$$t.tmp" && \
	    chmod 644 "$$t.tmp" || exit 1; \
	    if [ -e "$$t" ] && ! cmp -s "$$t" "$$t.tmp"; then \
	        mv "$$t.tmp" "$$t.new"; \
	        echo "install: kept the edited $$t; the new one is $$t.new"; \
	    else mv "$$t.tmp" "$$t"; fi; done
	install -m 644 contrib/systemd/gatepost.sysusers \
	    $(DESTDIR)$(SYSUSERSDIR)/gatepost.conf
	install -m 644 contrib/systemd/gatepost.tmpfiles \
	    $(DESTDIR)$(TMPFILESDIR)/gatepost.conf
	install -m 644 contrib/postfix/README.md contrib/postfix/main.cf \
	    contrib/postfix/master.cf $(DESTDIR)$(DOCDIR)/postfix/
	install -m 644 contrib/gatepost.json contrib/send-as.json \
	    $(DESTDIR)$(DOCDIR)/examples/
	install -m 644 contrib/prometheus/README.md \
	    contrib/prometheus/gatepost-alerts.yml \
	    contrib/prometheus/prometheus.yml \
	    $(DESTDIR)$(DOCDIR)/examples/prometheus/
	install -m 644 contrib/grafana/README.md \
	    contrib/grafana/gatepost-dashboard.json \
	    $(DESTDIR)$(DOCDIR)/examples/grafana/

# make uninstall removes what make install wrote, except the
# configuration (/etc/gatepost/*.json, kept like a removed but not purged
# package) and the gatepost user (userdel gatepost, if nothing else owns
# files of it).
uninstall:
	rm -f $(patsubst $(B)/%,$(DESTDIR)$(SBINDIR)/%,$(PROGS))
	for f in man/*.8; do rm -f $(DESTDIR)$(MANDIR)/man8/$${f##*/}; done
	for f in man/*.5; do rm -f $(DESTDIR)$(MANDIR)/man5/$${f##*/}; done
	for u in contrib/systemd/*.service; do \
	    rm -f $(DESTDIR)$(UNITDIR)/$${u##*/} \
	        $(DESTDIR)$(UNITDIR)/$${u##*/}.new; done
	rm -f $(DESTDIR)$(SYSUSERSDIR)/gatepost.conf \
	    $(DESTDIR)$(TMPFILESDIR)/gatepost.conf \
	    $(DESTDIR)$(SYSCONFDIR)/gatepost/gatepost.json.example \
	    $(DESTDIR)$(SYSCONFDIR)/gatepost/send-as.json.example
	rm -rf $(DESTDIR)$(DOCDIR)
	-rmdir $(DESTDIR)$(SYSCONFDIR)/gatepost 2>/dev/null
	@if [ -d $(DESTDIR)$(SYSCONFDIR)/gatepost ]; then \
	    echo "uninstall: kept $(DESTDIR)$(SYSCONFDIR)/gatepost (your configuration)"; fi

# make deb: the Debian package (debian/), built from a copy of the tree
# (tracked and new files, as they are in the work tree; without git, the
# tree but its build products) in $(DEBDIR), so
# the build does not touch this tree's configure, config.mk or $(B).
# dh_auto_test runs the unit tests only; DEB_BUILD_OPTIONS=nocheck skips
# them.  The packages land in $(DEBDIR).
DEBDIR ?= build-deb
deb:
	rm -rf $(DEBDIR)/gatepost-$(VERSION)
	mkdir -p $(DEBDIR)/gatepost-$(VERSION)
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	    git ls-files -co --exclude-standard | \
	    while read -r f; do [ -e "$$f" ] && echo "$$f"; done | \
	    tar -cf - -T -; else \
	    tar --exclude='./build*' --exclude=./config.mk \
	    --exclude=./config.h --exclude=./config.status -cf - .; fi | \
	    tar -xf - -C $(DEBDIR)/gatepost-$(VERSION)
	cd $(DEBDIR)/gatepost-$(VERSION) && dpkg-buildpackage -us -uc -b
	rm -rf $(DEBDIR)/gatepost-$(VERSION)
	@ls $(DEBDIR)/gatepost_*.deb

dist: configure
	rm -rf gatepost-$(VERSION)
	mkdir gatepost-$(VERSION)
	git ls-files | tar -cf - -T - | tar -xf - -C gatepost-$(VERSION)
	cp configure gatepost-$(VERSION)/
	tar -czf gatepost-$(VERSION).tar.gz gatepost-$(VERSION)
	rm -rf gatepost-$(VERSION)
	@echo "wrote gatepost-$(VERSION).tar.gz"

clean:
	rm -rf build build-san build-tsan build-fuzz build-deb gatepost-*.tar.gz

distclean: clean
	rm -rf config.mk config.h config.log config.status configure \
	    autom4te.cache aclocal.m4 config.h.in config.h.in~ compile \
	    install-sh missing

help:
	@sed -n '2,16p' Makefile

# print-inc-LAYER: a layer's (or program's) include paths, for tests/cli/t_layers
print-inc-%:
	@echo $(INC_$*)
