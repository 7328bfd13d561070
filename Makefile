# i2prd: GNU make.  Objects and programs go to $(BUILD) (default build/);
# "make sanitize" builds into build-san/ with ASan+UBSan and runs the unit
# tests there.

PREFIX		?= /usr/local
SBINDIR		?= $(PREFIX)/sbin
LIBEXECDIR	?= $(PREFIX)/libexec/i2prd
# the daemon reads $(SYSCONFDIR)/i2prd.conf; /etc whatever the prefix
SYSCONFDIR	?= /etc
MANDIR		?= $(PREFIX)/share/man
DESTDIR		?=
BUILD		?= build

CC		?= cc
BISON		?= bison
PKG_CONFIG	?= pkg-config
PKGS		:= libcrypto libssl libevent libseccomp zlib libbsd
CHECK_PKG	:= check

PKG_CFLAGS	:= $(shell $(PKG_CONFIG) --cflags $(PKGS))
PKG_LIBS	:= $(shell $(PKG_CONFIG) --libs $(PKGS))
CHECK_CFLAGS	:= $(shell $(PKG_CONFIG) --cflags $(CHECK_PKG) 2>/dev/null)
CHECK_LIBS	:= $(shell $(PKG_CONFIG) --libs $(CHECK_PKG) 2>/dev/null)

OPTFLAGS	?= -O2 -g
WARNFLAGS	:= -Wall -Wextra -Werror -Wno-unused-parameter
CFLAGS		+= $(OPTFLAGS) $(WARNFLAGS) -std=gnu11 -D_GNU_SOURCE \
		   -Icommon -Iimsg -I$(BUILD)/obj/i2prd -I$(BUILD)/obj \
		   $(PKG_CFLAGS)
LDFLAGS		+=
LDLIBS		+= $(PKG_LIBS)

PROGS		:= i2prd i2prd-netd i2prd-cryptod i2prd-routerd i2prd-tunneld i2pctl

COMMON_SRCS	:= $(sort $(wildcard common/*.c))
IMSG_SRCS	:= $(sort $(wildcard imsg/*.c))
# parse.y is compiled as part of the parent; the config unit test links it too
PARENT_SRCS	:= $(filter-out i2prd/parse.c,$(sort $(wildcard i2prd/*.c)))
NETD_SRCS	:= $(sort $(wildcard netd/*.c))
CRYPTOD_SRCS	:= $(sort $(wildcard cryptod/*.c))
ROUTERD_SRCS	:= $(sort $(wildcard routerd/*.c))
TUNNELD_SRCS	:= $(sort $(wildcard tunneld/*.c))
I2PCTL_SRCS	:= $(sort $(wildcard i2pctl/*.c))
UNIT_SRCS	:= $(sort $(wildcard tests/unit/test_*.c))
SANDBOX_SRCS	:= $(sort $(wildcard tests/sandbox/*.c))
BENCH_SRCS	:= $(sort $(wildcard tests/bench/*.c))

O		:= $(BUILD)/obj
obj		= $(patsubst %.c,$(O)/%.o,$(1))

LIBCOMMON	:= $(BUILD)/libcommon.a
LIBIMSG		:= $(BUILD)/libimsg.a
LIBS_OURS	:= $(LIBCOMMON) $(LIBIMSG)
PARSE_OBJ	:= $(O)/i2prd/parse.o
PARENT_LIB_OBJS	:= $(O)/i2prd/printconf.o $(O)/i2prd/tunconv.o \
    $(O)/i2prd/tunini.o $(PARSE_OBJ)

UNIT_BINS	:= $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
SANDBOX_BINS	:= $(patsubst tests/sandbox/%.c,$(BUILD)/tests/%,$(SANDBOX_SRCS))
BENCH_BINS	:= $(patsubst tests/bench/%.c,$(BUILD)/tests/%,$(BENCH_SRCS))

# FORCE is a prerequisite only, never built
.PHONY: FORCE all check cryptod-check unit-check system-check sandbox-check sanitize install \
	clean deps run bench bench-net lint fuzz fuzz-check
.SUFFIXES:

all: $(addprefix $(BUILD)/,$(PROGS)) $(UNIT_BINS) $(SANDBOX_BINS) $(BENCH_BINS) \
    $(BUILD)/tests/cryptod_test $(BUILD)/tests/ntcp2_probe $(BUILD)/tests/tunnel_probe \
    $(BUILD)/tests/hostile_probe $(BUILD)/tests/ntcp2_core_probe \
    $(BUILD)/tests/session_probe $(BUILD)/tests/privkey_tool \
    $(BUILD)/tests/ssu2_probe

$(O)/%.o: %.c $(wildcard common/*.h imsg/*.h */*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# installation paths compiled into the parent; rewritten only when they
# change, so "make install PREFIX=..." after "make" rebuilds what uses them
$(O)/paths.h: FORCE
	@mkdir -p $(dir $@)
	@printf '#define I2PRD_LIBEXECDIR "%s"\n#define I2PRD_CONFFILE "%s"\n' \
	    '$(LIBEXECDIR)' '$(SYSCONFDIR)/i2prd.conf' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
$(O)/i2prd/i2prd.o: $(O)/paths.h
FORCE:

$(O)/i2prd/parse.c: i2prd/parse.y
	@mkdir -p $(dir $@)
	$(BISON) -o $@ $<

$(O)/i2prd/parse.o: $(O)/i2prd/parse.c $(wildcard common/*.h i2prd/*.h)
	$(CC) $(CFLAGS) -Ii2prd -Wno-unused-function -c -o $@ $<

$(LIBCOMMON): $(call obj,$(COMMON_SRCS))
	@rm -f $@
	$(AR) rcs $@ $^

$(LIBIMSG): $(call obj,$(IMSG_SRCS))
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/i2prd: $(call obj,$(PARENT_SRCS)) $(PARSE_OBJ) $(LIBS_OURS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BUILD)/i2prd-netd: $(call obj,$(NETD_SRCS)) $(LIBS_OURS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BUILD)/i2prd-cryptod: $(call obj,$(CRYPTOD_SRCS)) $(LIBS_OURS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BUILD)/i2prd-routerd: $(call obj,$(ROUTERD_SRCS)) $(LIBS_OURS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BUILD)/i2prd-tunneld: $(call obj,$(TUNNELD_SRCS)) $(LIBS_OURS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BUILD)/i2pctl: $(call obj,$(I2PCTL_SRCS)) $(LIBS_OURS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Unit tests: one Check program per module; test_config also links the
# parent's parser and printer, test_i2pctl_* i2pctl's modules (not main).
I2PCTL_LIB_OBJS	:= $(filter-out $(O)/i2pctl/i2pctl.o,$(call obj,$(I2PCTL_SRCS)))
ROUTERD_LIB_OBJS := $(filter-out $(O)/routerd/routerd.o,$(call obj,$(ROUTERD_SRCS)))
NETD_LIB_OBJS	:= $(filter-out $(O)/netd/netd.o,$(call obj,$(NETD_SRCS)))
CRYPTOD_LIB_OBJS := $(filter-out $(O)/cryptod/cryptod.o,$(call obj,$(CRYPTOD_SRCS)))
TUNNELD_LIB_OBJS := $(filter-out $(O)/tunneld/tunneld.o,$(call obj,$(TUNNELD_SRCS)))
$(BUILD)/tests/test_config: EXTRA_OBJS = $(PARENT_LIB_OBJS)
$(BUILD)/tests/test_i2prd%: EXTRA_OBJS = $(PARENT_LIB_OBJS)
$(BUILD)/tests/test_i2pctl%: EXTRA_OBJS = $(I2PCTL_LIB_OBJS)
$(BUILD)/tests/test_routerd%: EXTRA_OBJS = $(ROUTERD_LIB_OBJS)
$(BUILD)/tests/test_netd%: EXTRA_OBJS = $(NETD_LIB_OBJS)
$(BUILD)/tests/test_tunneld%: EXTRA_OBJS = $(TUNNELD_LIB_OBJS)
$(BUILD)/tests/test_cryptod%: EXTRA_OBJS = $(CRYPTOD_LIB_OBJS)
# su3 files are signed with cryptod's reseed key code in the test
$(BUILD)/tests/test_routerd_su3: EXTRA_OBJS = $(ROUTERD_LIB_OBJS) \
    $(CRYPTOD_LIB_OBJS)
$(BUILD)/tests/test_routerd_su3: $(CRYPTOD_LIB_OBJS)
$(BUILD)/tests/test_%: $(O)/tests/unit/test_%.o $(PARENT_LIB_OBJS) \
    $(I2PCTL_LIB_OBJS) $(ROUTERD_LIB_OBJS) $(NETD_LIB_OBJS) \
    $(TUNNELD_LIB_OBJS) $(CRYPTOD_LIB_OBJS) $(LIBS_OURS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(CHECK_CFLAGS) $(LDFLAGS) -o $@ $< $(EXTRA_OBJS) \
	    $(LIBS_OURS) $(CHECK_LIBS) $(LDLIBS)
$(O)/tests/unit/%.o: tests/unit/%.c $(wildcard common/*.h imsg/*.h */*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(CHECK_CFLAGS) -DTESTS_DIR='"tests"' -c -o $@ $<

$(BUILD)/tests/%: $(O)/tests/sandbox/%.o $(LIBS_OURS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BUILD)/tests/%: $(O)/tests/bench/%.o $(LIBS_OURS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# cryptod's IPC test and benchmark run the real i2prd-cryptod through
# a harness that plays the parent and the other processes
HARNESS_OBJ	:= $(O)/tests/cryptod/harness.o
$(BUILD)/tests/cryptod_test: $(O)/tests/cryptod/cryptod_test.o $(HARNESS_OBJ) \
    $(CRYPTOD_LIB_OBJS) $(LIBS_OURS) $(BUILD)/i2prd-cryptod
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.o %.a,$^) $(LDLIBS)
$(BUILD)/tests/cryptod_bench: $(O)/tests/bench/cryptod_bench.o $(HARNESS_OBJ) \
    $(LIBS_OURS) $(BUILD)/i2prd-cryptod
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.o %.a,$^) $(LDLIBS)

$(BUILD)/tests/ntcp2_bench: $(O)/tests/bench/ntcp2_bench.o $(NETD_LIB_OBJS) \
    $(LIBS_OURS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BUILD)/tests/transit_bench: $(O)/tests/bench/transit_bench.o \
    $(ROUTERD_LIB_OBJS) $(LIBS_OURS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BUILD)/tests/dgram_bench: $(O)/tests/bench/dgram_bench.o \
    $(O)/tunneld/dgram.o $(LIBS_OURS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# drivers of live routers over the NTCP2 core: crafted message 1s and
# handshakes (tests/interop), load for the network benchmark (tests/bench)
TESTPEER_OBJ	:= $(O)/tests/interop/testpeer.o
$(BUILD)/tests/ntcp2_probe $(BUILD)/tests/ntcp2_core_probe \
    $(BUILD)/tests/ssu2_probe: \
    $(BUILD)/tests/%: $(O)/tests/interop/%.o $(TESTPEER_OBJ) $(NETD_LIB_OBJS) \
    $(LIBS_OURS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
# the session probe holds sessions and stores a RouterInfo at i2prd
$(BUILD)/tests/session_probe: $(O)/tests/interop/session_probe.o \
    $(TESTPEER_OBJ) $(O)/routerd/dsm.o $(NETD_LIB_OBJS) $(LIBS_OURS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
# the tunnel probe builds tunnels and stores at a floodfill as a router;
# the hostile probe mounts the audit's attacks the same way
$(BUILD)/tests/tunnel_probe $(BUILD)/tests/hostile_probe: \
    $(BUILD)/tests/%: $(O)/tests/interop/%.o $(TESTPEER_OBJ) \
    $(O)/routerd/build.o $(O)/routerd/buildrec.o $(O)/routerd/dsm.o \
    $(O)/routerd/lookup.o $(O)/routerd/tmsg.o $(NETD_LIB_OBJS) $(LIBS_OURS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
# SAM private keys as cryptod makes and reads them, for samkeys.sh
$(BUILD)/tests/privkey_tool: $(O)/tests/interop/privkey_tool.o $(LIBS_OURS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BUILD)/tests/ntcp2_load $(BUILD)/tests/ssu2_load $(BUILD)/tests/netdb_gen \
    $(BUILD)/tests/netdb_load: \
    $(BUILD)/tests/%: $(O)/tests/bench/%.o $(TESTPEER_OBJ) \
    $(NETD_LIB_OBJS) $(LIBS_OURS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BUILD)/tests/transit_load: $(O)/tests/bench/transit_load.o $(TESTPEER_OBJ) \
    $(O)/routerd/build.o $(O)/routerd/buildrec.o $(NETD_LIB_OBJS) $(LIBS_OURS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lpthread

cryptod-check: $(BUILD)/tests/cryptod_test
	@$(BUILD)/tests/cryptod_test $(BUILD)

unit-check: $(UNIT_BINS)
	@sh tests/run-unit.sh $(BUILD) $(UNIT_BINS)

sandbox-check: $(SANDBOX_BINS)
	@sh tests/sandbox/run.sh $(BUILD)

system-check: $(addprefix $(BUILD)/,$(PROGS))
	@sh tests/system/run.sh $(BUILD)

lint:
	mandoc -Tlint -Wwarning man/*.[58]

# all tests: unit, config, sandbox, man pages, whole-suite system test
check: all
	@sh tests/run-all.sh $(BUILD)

sanitize:
	$(MAKE) BUILD=build-san OPTFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    LDFLAGS="-fsanitize=address,undefined" unit-check

# benchmarks print figures; they assert nothing
bench: $(BENCH_BINS)
	$(BUILD)/tests/imsg_bench
	$(BUILD)/tests/crypto_bench
	$(BUILD)/tests/cryptod_bench $(BUILD)
	$(BUILD)/tests/ntcp2_bench
	$(BUILD)/tests/transit_bench
	$(BUILD)/tests/dgram_bench

# against live routers, i2pd next to i2prd, in a namespace (root):
# NTCP2 handshakes and throughput, floodfill lookups, tunnel building,
# transit forwarding, datagrams and streams between destinations, HTTP
# through the proxies and server tunnels
bench-net: all
	bash tests/bench/ntcp2_net.sh $(BUILD)
	bash tests/bench/ssu2_net.sh $(BUILD)
	bash tests/bench/netdb_net.sh $(BUILD)
	bash tests/bench/tunnels_net.sh $(BUILD)
	bash tests/bench/transit_net.sh $(BUILD)
	bash tests/bench/dgram_net.sh $(BUILD)
	bash tests/bench/stream_net.sh $(BUILD)
	bash tests/bench/http_net.sh $(BUILD)

deps:
	sh tests/deps.sh

run: all
	sh etc/run-local.sh $(BUILD)

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(LIBEXECDIR) \
	    $(DESTDIR)$(SYSCONFDIR) $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8
	install -m 0555 $(BUILD)/i2prd $(BUILD)/i2pctl $(DESTDIR)$(SBINDIR)
	install -m 0555 $(BUILD)/i2prd-netd $(BUILD)/i2prd-cryptod \
	    $(BUILD)/i2prd-routerd $(BUILD)/i2prd-tunneld $(DESTDIR)$(LIBEXECDIR)
	test -e $(DESTDIR)$(SYSCONFDIR)/i2prd.conf || \
	    install -m 0644 etc/i2prd.conf $(DESTDIR)$(SYSCONFDIR)/i2prd.conf
	install -d $(DESTDIR)$(SYSCONFDIR)/i2prd/reseed
	install -m 0444 etc/reseed/*.crt $(DESTDIR)$(SYSCONFDIR)/i2prd/reseed
	install -m 0444 man/i2prd.8 man/i2pctl.8 $(DESTDIR)$(MANDIR)/man8
	install -m 0444 man/i2prd.conf.5 $(DESTDIR)$(MANDIR)/man5

clean:
	rm -rf build build-san build-fuzz

# keep bison output and objects between runs
.SECONDARY:

# Fuzz targets (libFuzzer, clang): "make fuzz" builds each
# tests/fuzz/fuzz_NAME.c into build-fuzz/fuzz/fuzz_NAME, the libraries
# and objects instrumented for coverage with ASan+UBSan; "make
# fuzz-check" runs each for FUZZ_SECONDS (tests/fuzz/run.sh).
FUZZ_SRCS	:= $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS	:= $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRCS))
FUZZ_SECONDS	?= 10
FUZZ_SAN	:= -fsanitize=address,undefined -fno-sanitize-recover=all

.PHONY: fuzz-targets

fuzz:
	$(MAKE) BUILD=build-fuzz CC=clang \
	    OPTFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link $(FUZZ_SAN)" \
	    fuzz-targets

fuzz-check: fuzz
	sh tests/fuzz/run.sh build-fuzz $(FUZZ_SECONDS)

fuzz-targets: $(FUZZ_BINS)

# fuzz_config links the parent's parser, fuzz_tunconv its tunnels.conf
# converter, fuzz_i2pctl_* i2pctl's modules
$(BUILD)/fuzz/fuzz_config $(BUILD)/fuzz/fuzz_tunconv: \
    FUZZ_OBJS = $(PARENT_LIB_OBJS)
$(BUILD)/fuzz/fuzz_i2pctl%: FUZZ_OBJS = $(I2PCTL_LIB_OBJS)
$(BUILD)/fuzz/fuzz_keyfile: FUZZ_OBJS = $(CRYPTOD_LIB_OBJS)
$(BUILD)/fuzz/fuzz_destfile $(BUILD)/fuzz/fuzz_dgram \
    $(BUILD)/fuzz/fuzz_ratchet $(BUILD)/fuzz/fuzz_destkeys \
    $(BUILD)/fuzz/fuzz_sam $(BUILD)/fuzz/fuzz_streampkt \
    $(BUILD)/fuzz/fuzz_streamopts $(BUILD)/fuzz/fuzz_stream \
    $(BUILD)/fuzz/fuzz_samstream $(BUILD)/fuzz/fuzz_socks \
    $(BUILD)/fuzz/fuzz_ircfilter $(BUILD)/fuzz/fuzz_proxyhttp \
    $(BUILD)/fuzz/fuzz_hosts $(BUILD)/fuzz/fuzz_feed: \
    FUZZ_OBJS = $(TUNNELD_LIB_OBJS)
$(BUILD)/fuzz/fuzz_ntcp2 $(BUILD)/fuzz/fuzz_http $(BUILD)/fuzz/fuzz_ca \
    $(BUILD)/fuzz/fuzz_ssu2 $(BUILD)/fuzz/fuzz_ssu2_track: \
    FUZZ_OBJS = $(NETD_LIB_OBJS)
$(BUILD)/fuzz/fuzz_dsm $(BUILD)/fuzz/fuzz_lookup $(BUILD)/fuzz/fuzz_zip \
    $(BUILD)/fuzz/fuzz_su3 $(BUILD)/fuzz/fuzz_tmsg $(BUILD)/fuzz/fuzz_buildrec \
    $(BUILD)/fuzz/fuzz_build \
    $(BUILD)/fuzz/fuzz_garlic $(BUILD)/fuzz/fuzz_profile \
    $(BUILD)/fuzz/fuzz_clientdb: \
    FUZZ_OBJS = $(ROUTERD_LIB_OBJS)
$(BUILD)/fuzz/%: $(O)/tests/fuzz/%.o $(PARENT_LIB_OBJS) $(I2PCTL_LIB_OBJS) \
    $(CRYPTOD_LIB_OBJS) $(NETD_LIB_OBJS) $(ROUTERD_LIB_OBJS) \
    $(TUNNELD_LIB_OBJS) $(LIBS_OURS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fsanitize=fuzzer $(FUZZ_SAN) $(LDFLAGS) -o $@ $< \
	    $(FUZZ_OBJS) $(LIBS_OURS) $(LDLIBS)
