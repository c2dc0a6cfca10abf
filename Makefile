# mdadm with first-class llbitmap support
VERSION    := 0.1.0
VERS_DATE  := 2026-11-24

CC        ?= cc
PKG_CONFIG ?= pkg-config
PREFIX    ?= /usr
SBINDIR   ?= $(PREFIX)/sbin
MANDIR    ?= $(PREFIX)/share/man
DESTDIR   ?=

# Our own flags are added to whatever CPPFLAGS/CFLAGS/LDFLAGS come from the
# command line or the environment (dpkg-buildflags, rpm's optflags), never
# replaced by them. -Werror is on for development and CI (our default
# CFLAGS); a build with its own CFLAGS (a distro's) gets the warnings but
# is not failed by a newer compiler's new ones: add WERROR=-Werror to force.
ifeq ($(origin CFLAGS),undefined)
WERROR    ?= -Werror
endif
WERROR    ?=
WARN      := -Wall -Wextra $(WERROR) -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS    ?= -O2 -g
MD_CPPFLAGS := -D_GNU_SOURCE -DVERSION='"$(VERSION)"' -DVERS_DATE='"$(VERS_DATE)"'
override CPPFLAGS += $(MD_CPPFLAGS)
override CFLAGS += -std=gnu11 $(WARN)

PKGS      := libudev blkid
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
# libudev and libblkid are opened with dlopen() where needed (dynlib.c), so
# that a process which never uses them does not load them at exec
PKG_LIBS   := -ldl

# pure code (codecs, planners, parsers: no device or kernel I/O), linked into
# the unit tests; config.c also holds conf_load, the one reader of mdadm.conf
CODEC_SRCS := diag.c super1.c bitmap.c llbitmap.c geometry.c shape.c config.c mdstat.c bitmap_convert.c policy.c bitmap_kind.c outname.c super0.c sha1.c monitor_events.c
# everything else in the binary
TOOL_SRCS  := mdadm.c jobs.c options.c util.c json.c devio.c member.c sysfs.c bitmap_type.c Create.c Grow.c GrowBitmap.c GrowSize.c offline.c member_set.c Assemble.c Build.c discover.c Detail.c DetailJson.c Query.c Misc.c ZeroSuperblock.c ManageDevices.c mdarray.c mdstat_file.c devnames.c md_ioctl.c mapfile.c dynlib.c mdkernel.c \
              Examine.c Examine0.c ExamineBitmap.c ExamineBadblocks.c Incremental.c Run.c GrowDevices.c GrowReshape.c Monitor.c
SRCS       := $(CODEC_SRCS) $(TOOL_SRCS)
OBJS       := $(SRCS:.c=.o)
CODEC_OBJS := $(CODEC_SRCS:.c=.o)

UNIT_SRCS  := $(wildcard tests/unit/test_*.c)
# unit tests that also need the sysfs layer (tested on a fake tree)
UNIT_SYSFS_TESTS := test_bitmap_type test_mdkernel
UNIT_SYSFS_SRCS  := bitmap_type.c sysfs.c mdkernel.c
unit_srcs = $(CODEC_SRCS) $(if $(filter $(UNIT_SYSFS_TESTS),$(1)),$(UNIT_SYSFS_SRCS))
UNIT_BINS  := $(UNIT_SRCS:.c=)
FUZZ_SRCS  := $(wildcard tests/fuzz/fuzz_*.c)

all: mdadm mdadm.8 mdadm.conf.5

check-deps:
	@$(PKG_CONFIG) --exists $(PKGS) || { \
	  echo "missing build dependencies: run 'make deps' (as root) first" >&2; exit 1; }

# check-deps is order-only: it runs first but does not force a relink
mdadm: $(OBJS) | check-deps
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(PKG_LIBS)

$(OBJS): | check-deps

%.o: %.c $(wildcard *.h)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -c -o $@ $<

mdadm.8 mdadm.conf.5: %: %.in Makefile
	sed -e 's/@VERSION@/$(VERSION)/g' -e 's/@VERS_DATE@/$(VERS_DATE)/g' $< > $@

# ---- tests ---------------------------------------------------------------
# Each unit test links the codec objects the tool is built from (compiled
# once, `make -j` builds them side by side); the sysfs tests add the sysfs
# layer's objects.
UNIT_SYSFS_OBJS := $(UNIT_SYSFS_SRCS:.c=.o)
tests/unit/%: tests/unit/%.c $(CODEC_OBJS) tests/unit/unit.h tests/unit/xxd.h
	$(CC) $(CPPFLAGS) -I. $(CFLAGS) -o $@ $< $(filter %.o,$^)

$(addprefix tests/unit/,$(UNIT_SYSFS_TESTS)): $(UNIT_SYSFS_OBJS)
tests/unit/test_jobs: jobs.o

unit: $(UNIT_BINS)
	@rc=0; for t in $(UNIT_BINS); do ./$$t || rc=1; done; exit $$rc

# the lockless bitmap's state table for the VM test helpers (tests/vm/lib.bash)
build/llb-states: tests/tools/llb-states.c llbitmap.c diag.c $(wildcard *.h)
	@mkdir -p build
	$(CC) $(CPPFLAGS) -I. $(CFLAGS) -o $@ tests/tools/llb-states.c llbitmap.c diag.c

# one process that zeroes the ends of the VM's disks (tests/vm/lib.bash)
build/wipe-ends: tests/tools/wipe-ends.c
	@mkdir -p build
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $<

# whether two sparse image files are equal, reading only their data
# (tests/vm/68-hostile-members.bats)
build/extent-cmp: tests/tools/extent-cmp.c
	@mkdir -p build
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $<

# the writer and checker of the power-loss rounds (tests/vm/multiboot/guest-powerloss)
build/powerloss-io: tests/tools/powerloss-io.c
	@mkdir -p build
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $<

# ASan/UBSan builds: every source compiled once into build/san/, then the
# unit tests and the whole tool linked from those objects
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SAN_BINS  := $(addprefix build/san/,$(notdir $(UNIT_BINS)))
build/san/%.o: %.c $(wildcard *.h) | check-deps
	@mkdir -p build/san
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) -std=gnu11 $(WARN) $(SAN_FLAGS) -c -o $@ $<

build/san/test_%: tests/unit/test_%.c $(addprefix build/san/,$(CODEC_OBJS)) tests/unit/unit.h tests/unit/xxd.h
	$(CC) $(CPPFLAGS) -I. -std=gnu11 $(WARN) $(SAN_FLAGS) -o $@ $< $(filter %.o,$^)

$(addprefix build/san/,$(UNIT_SYSFS_TESTS)): $(addprefix build/san/,$(UNIT_SYSFS_OBJS))
build/san/test_jobs: build/san/jobs.o

unit-san: $(SAN_BINS)
	@rc=0; for b in $(SAN_BINS); do ./$$b || rc=1; done; exit $$rc

# the whole tool with ASan/UBSan, for the hostile-input command-line tests
build/mdadm-san: $(addprefix build/san/,$(OBJS))
	$(CC) $(SAN_FLAGS) -o $@ $^ $(PKG_LIBS)

# libFuzzer targets (clang); FUZZ_SECONDS per target for `make fuzz-run`.
# Every source but main's is compiled once for all targets into one
# archive, from which each target's link takes only what it calls;
# `make -j fuzz-run` runs as many targets side by side and prints their
# results in order.
FUZZ_SECONDS ?= 20
FUZZ_FLAGS := -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_BINS  := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRCS))
FUZZ_OBJS  := $(addprefix build/fuzz/obj/,$(filter-out mdadm.o,$(OBJS)))
build/fuzz/obj/%.o: %.c $(wildcard *.h) | check-deps
	@mkdir -p build/fuzz/obj
	clang $(CPPFLAGS) $(PKG_CFLAGS) -std=gnu11 $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/libmdadm.a: $(FUZZ_OBJS)
	@rm -f $@
	ar rcs $@ $^

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c build/fuzz/libmdadm.a $(wildcard *.h)
	clang $(CPPFLAGS) $(PKG_CFLAGS) -I. -std=gnu11 $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< build/fuzz/libmdadm.a $(PKG_LIBS)

fuzz: $(FUZZ_BINS)

# one target's run: its TAP line (and on failure the end of its log) in
# build/fuzz/NAME.result; the recipe itself never fails, fuzz-run judges
build/fuzz/%.result: build/fuzz/% FORCE
	@n=$*; mkdir -p build/fuzz/corpus-$$n; \
	seeds=tests/fuzz/seeds/$$n; [ -d $$seeds ] || seeds=; \
	if ./build/fuzz/$$n -max_total_time=$(FUZZ_SECONDS) -max_len=262144 \
	    build/fuzz/corpus-$$n $$seeds >build/fuzz/$$n.log 2>&1; then \
	  echo "ok - fuzz $$n: $$(grep -o 'Done [0-9]* runs in [0-9]* second' build/fuzz/$$n.log), no crash"; \
	else echo "not ok - fuzz $$n"; tail -30 build/fuzz/$$n.log; fi > $@

fuzz-run: $(FUZZ_BINS:=.result)
	@cat $^; ! grep -q '^not ok' $^

FORCE:

test: all
	./tests/run

# ---- install -------------------------------------------------------------
# Everything goes under $(PREFIX) (and $(DESTDIR)). With the default
# PREFIX=/usr the udev, systemd and completion directories are the ones the
# system's pkg-config files name, so ours replace a distro mdadm's; with any
# other PREFIX (/usr/local) they are the same paths under PREFIX, which udev
# (/usr/local/lib/udev/rules.d), systemd (/usr/local/lib/systemd/system) and
# bash-completion also read, ahead of /usr: nothing a distro package owns is
# written. systemd runs shutdown hooks only from its own directory, so with
# PREFIX=/usr/local mdadm.shutdown is installed but not run.
DATADIR    ?= $(PREFIX)/share
ifeq ($(PREFIX),/usr)
pc_var = $(or $(shell $(PKG_CONFIG) --variable=$(1) $(2) 2>/dev/null),$(3))
UDEVDIR       ?= $(call pc_var,udevdir,udev,/usr/lib/udev)
SYSTEMDDIR    ?= $(call pc_var,systemdsystemunitdir,systemd,/usr/lib/systemd/system)
SHUTDOWNDIR   ?= $(call pc_var,systemdshutdowndir,systemd,/usr/lib/systemd/system-shutdown)
COMPLETIONDIR ?= $(call pc_var,completionsdir,bash-completion,/usr/share/bash-completion/completions)
else
UDEVDIR       ?= $(PREFIX)/lib/udev
SYSTEMDDIR    ?= $(PREFIX)/lib/systemd/system
SHUTDOWNDIR   ?= $(PREFIX)/lib/systemd/system-shutdown
COMPLETIONDIR ?= $(DATADIR)/bash-completion/completions
endif
MDCHECK    := $(DATADIR)/mdadm/mdcheck

# udev rules, units and the shutdown hook are templates: @BINDIR@ becomes
# the directory mdadm is installed in, @SYSTEMDDIR@ the unit directory,
# @MDCHECK@ the scrub script
SUBST_PATHS = sed -e 's,@BINDIR@,$(SBINDIR),g' -e 's,@SYSTEMDDIR@,$(SYSTEMDDIR),g' \
                  -e 's,@MDCHECK@,$(MDCHECK),g'
UDEV_RULES    := $(notdir $(basename $(wildcard udev/*.rules.in)))
SYSTEMD_UNITS := $(notdir $(basename $(wildcard systemd/*.service.in systemd/*.timer.in)))

# install_subst MODE TEMPLATE TARGET
install_subst = mkdir -p "$(dir $(3))" && $(SUBST_PATHS) "$(2)" > "$(3).tmp" && \
                chmod $(1) "$(3).tmp" && mv "$(3).tmp" "$(3)"

install: install-bin install-man install-udev install-systemd install-completion

install-bin: mdadm
	install -D -m 0755 mdadm $(DESTDIR)$(SBINDIR)/mdadm
	install -D -m 0755 systemd/mdcheck $(DESTDIR)$(MDCHECK)

install-man: mdadm.8 mdadm.conf.5
	install -D -m 0644 mdadm.8 $(DESTDIR)$(MANDIR)/man8/mdadm.8
	install -D -m 0644 mdadm.conf.5 $(DESTDIR)$(MANDIR)/man5/mdadm.conf.5

install-udev:
	@set -e; for r in $(UDEV_RULES); do \
	  $(call install_subst,0644,udev/$$r.in,$(DESTDIR)$(UDEVDIR)/rules.d/$$r); done

install-systemd:
	@set -e; for u in $(SYSTEMD_UNITS); do \
	  $(call install_subst,0644,systemd/$$u.in,$(DESTDIR)$(SYSTEMDDIR)/$$u); done
	@$(call install_subst,0755,systemd/mdadm.shutdown.in,$(DESTDIR)$(SHUTDOWNDIR)/mdadm.shutdown)

install-completion:
	install -D -m 0644 completion/mdadm $(DESTDIR)$(COMPLETIONDIR)/mdadm

# exactly the files install writes (a directory goes only when it is empty
# and ours alone)
uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/mdadm $(DESTDIR)$(MDCHECK) \
	      $(DESTDIR)$(MANDIR)/man8/mdadm.8 $(DESTDIR)$(MANDIR)/man5/mdadm.conf.5 \
	      $(addprefix $(DESTDIR)$(UDEVDIR)/rules.d/,$(UDEV_RULES)) \
	      $(addprefix $(DESTDIR)$(SYSTEMDDIR)/,$(SYSTEMD_UNITS)) \
	      $(DESTDIR)$(SHUTDOWNDIR)/mdadm.shutdown $(DESTDIR)$(COMPLETIONDIR)/mdadm
	-rmdir $(DESTDIR)$(DATADIR)/mdadm 2>/dev/null

# Debian 12 packages needed to build and to run every test tier, and the
# peer (upstream mdadm 4.6) for the interoperability tests: one list, kept
# in tests/install-deps
deps:
	tests/install-deps

clean:
	rm -f mdadm mdadm.8 mdadm.conf.5 *.o $(UNIT_BINS)
	rm -rf build

.PHONY: all check-deps unit unit-san fuzz fuzz-run FORCE test install install-bin install-man \
        install-udev install-systemd install-completion uninstall deps clean
