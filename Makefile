# SPDX-License-Identifier: LGPL-2.1-or-later
#
# gannet: plain GNU make.  Everything it produces goes under build/.
#
#   make            library (static + shared), BPF objects and skeletons, tools, examples
#   make check      all of the above, an ASan+UBSan build, fuzz targets, then every test
#   make fuzz       libFuzzer targets in build/fuzz/
#   make bench      selftests/bench/run.sh
#   make demo       the lab tour: namespaces up, gannet at work in them, down (root)
#   make deps       install the Debian packages the build and tests need (if missing)
#   make install    PREFIX=/usr/local DESTDIR= ; make uninstall ; make clean
#   V=1             show the full commands

B := build

VERSION := $(shell sed -n 's/^\#define GN_VERSION "\(.*\)"/\1/p' user/include/gannet/gannet.h)
SOVERSION := $(firstword $(subst ., ,$(VERSION)))

ifeq ($(origin CC),default)
CC := gcc
endif
CLANG ?= clang
AR ?= ar
PKG_CONFIG ?= pkg-config
BPFTOOL ?= $(firstword $(wildcard /usr/sbin/bpftool /usr/bin/bpftool /usr/local/sbin/bpftool) bpftool)
ARCH_INCLUDE := /usr/include/$(shell uname -m)-linux-gnu

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig

# The libraries libgannet links against, resolved by pkg-config once the
# packages are there (see build/config.mk below).
PKGS := libpcap libbpf libxdp libmnl
PKGS_FALLBACK_LIBS := -lpcap -lbpf -lelf -lz -lxdp -lmnl

# Debian packages for building, testing and benchmarking (make deps).
DEB_PACKAGES := libbpf-dev libxdp-dev libpcap-dev libmnl-dev clang llvm bpftool \
	libcmocka-dev libclang-rt-14-dev python3-scapy tshark tcpdump pkg-config \
	iproute2 gcc make

CFLAGS ?= -O2 -g
GN_CPPFLAGS := -Iuser/include -Iuser -Iproto -I$(B)/bpf -D_GNU_SOURCE \
	-DGN_DATADIR='"$(DATADIR)"'
GN_CFLAGS = -std=gnu11 -Wall -Wextra -Werror -fPIC $(GN_CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS)
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
FUZZ_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
BPF_CFLAGS := -target bpf -O2 -g -Wall -Werror -I$(ARCH_INCLUDE)

# ---- sources (wildcards: files added by anyone are picked up) -------------

LIB_SRCS := $(sort $(wildcard user/*.c proto/*.c))
BPF_SRCS := $(sort $(wildcard bpf/*.bpf.c))
TOOLS := $(sort $(notdir $(patsubst %/,%,$(dir $(filter-out tools/examples/%,$(wildcard tools/*/*.c))))))
EXAMPLE_SRCS := $(sort $(wildcard tools/examples/*.c))
UNIT_SRCS := $(sort $(wildcard selftests/unit/test_*.c))
FUZZ_SRCS := $(sort $(wildcard selftests/fuzz/fuzz_*.c))

obj = $(patsubst %.c,$(B)/obj/%.o,$(1))
asan_obj = $(patsubst %.c,$(B)/asan/obj/%.o,$(1))
fuzz_obj = $(patsubst %.c,$(B)/fuzz/obj/%.o,$(1))

LIB_OBJS := $(call obj,$(LIB_SRCS))
ASAN_LIB_OBJS := $(call asan_obj,$(LIB_SRCS))
FUZZ_LIB_OBJS := $(call fuzz_obj,$(LIB_SRCS))

BPF_OBJS := $(patsubst bpf/%.bpf.c,$(B)/bpf/%.bpf.o,$(BPF_SRCS))
SKELS := $(patsubst bpf/%.bpf.c,$(B)/bpf/%.skel.h,$(BPF_SRCS))

STATIC_LIB := $(B)/libgannet.a
SHARED_REAL := $(B)/libgannet.so.$(VERSION)
SHARED_SONAME := libgannet.so.$(SOVERSION)
SHARED_LIBS := $(SHARED_REAL) $(B)/$(SHARED_SONAME) $(B)/libgannet.so
ASAN_LIB := $(B)/asan/libgannet.a
FUZZ_LIB := $(B)/fuzz/libgannet.a

TOOL_BINS := $(addprefix $(B)/,$(TOOLS))
EXAMPLE_BINS := $(patsubst tools/examples/%.c,$(B)/examples/%,$(EXAMPLE_SRCS))
UNIT_BINS := $(patsubst selftests/unit/%.c,$(B)/unit/%,$(UNIT_SRCS))
ASAN_UNIT_BINS := $(patsubst selftests/unit/%.c,$(B)/asan/unit/%,$(UNIT_SRCS))
FUZZ_BINS := $(patsubst selftests/fuzz/%.c,$(B)/fuzz/%,$(FUZZ_SRCS))

TOOL_OBJS := $(call obj,$(foreach t,$(TOOLS),$(wildcard tools/$(t)/*.c)))
ALL_OBJS := $(LIB_OBJS) $(TOOL_OBJS) $(call obj,$(EXAMPLE_SRCS) $(UNIT_SRCS)) \
	$(ASAN_LIB_OBJS) $(call asan_obj,$(UNIT_SRCS)) \
	$(FUZZ_LIB_OBJS) $(call fuzz_obj,$(FUZZ_SRCS))

# ---- output ----------------------------------------------------------------

ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-8s %s\n' '$(1)' '$(2)'
endif

# ---- goals -----------------------------------------------------------------

.DEFAULT_GOAL := all
.PHONY: all lib bpf tools examples asan fuzz check bench demo deps install uninstall clean

all: lib bpf tools examples
lib: $(STATIC_LIB) $(SHARED_LIBS)
bpf: $(BPF_OBJS) $(SKELS)
tools: $(TOOL_BINS)
examples: $(EXAMPLE_BINS)
asan: $(ASAN_LIB) $(ASAN_UNIT_BINS)
fuzz: $(FUZZ_BINS)

check: all $(UNIT_BINS) asan fuzz
	selftests/run.sh $(B)

bench: all
	selftests/bench/run.sh $(B)

# The lab is its own: it comes up, gannet works in it, it goes down.
demo: all
	GN_LAB=gannet-demo $(B)/gannet lab tour

# ---- dependencies: Debian packages ------------------------------------------

# Installs only what dpkg says is missing, so a second run does nothing.
# tshark asks whether non-root users may capture: preseed "no" so it installs
# unattended.
define install_deps
	@set -e; \
	if ! command -v dpkg-query >/dev/null 2>&1; then \
		echo "deps: not a Debian system; please install: $(DEB_PACKAGES)"; exit 0; \
	fi; \
	missing=; \
	for p in $(DEB_PACKAGES); do \
		case "$$(dpkg-query -W -f='$${db:Status-Abbrev}' $$p 2>/dev/null)" in \
		ii*) ;; \
		*) missing="$$missing $$p";; \
		esac; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "deps: installing$$missing"; \
		sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
		export DEBIAN_FRONTEND=noninteractive; \
		echo 'wireshark-common wireshark-common/install-setuid boolean false' | \
			$$sudo debconf-set-selections; \
		$$sudo apt-get update -q </dev/null; \
		$$sudo apt-get install -y -q --no-install-recommends $$missing </dev/null; \
	fi
endef

deps: $(B)/.gitignore
	$(install_deps)
	@touch $(B)/.deps-stamp

$(B)/.deps-stamp: Makefile | $(B)/.gitignore
	$(install_deps)
	@touch $@

# build/ is never part of the repository, and the top level has no .gitignore.
$(B)/.gitignore:
	@mkdir -p $(B)
	@echo '*' > $@

# Flags from pkg-config, computed once the packages are installed.  Make
# remakes an included makefile before anything else and then restarts, so
# the packages are there before the first compiler runs, even with -j.
$(B)/config.mk: Makefile | $(B)/.deps-stamp
	$(Q){ \
		echo "PKG_CFLAGS := $$($(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)"; \
		echo "PKG_LIBS := $$($(PKG_CONFIG) --libs $(PKGS) 2>/dev/null || echo '$(PKGS_FALLBACK_LIBS)')"; \
		echo "CMOCKA_LIBS := $$($(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)"; \
	} > $@.tmp && mv $@.tmp $@

NO_CONFIG_GOALS := clean uninstall deps
ifneq ($(MAKECMDGOALS),)
ifeq ($(filter-out $(NO_CONFIG_GOALS),$(MAKECMDGOALS)),)
SKIP_CONFIG := 1
endif
endif
ifneq ($(SKIP_CONFIG),1)
-include $(B)/config.mk
endif

# ---- BPF ---------------------------------------------------------------------

$(B)/bpf/%.bpf.o: bpf/%.bpf.c | $(B)/config.mk
	$(call msg,CLANG-BPF,$<)
	@mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -MMD -MP -c $< -o $@

$(B)/bpf/%.skel.h: $(B)/bpf/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $* > $@.tmp && mv $@.tmp $@

# ---- objects -------------------------------------------------------------------

# Skeletons come first: library and test code may include them.
$(B)/obj/%.o: %.c | $(B)/config.mk $(SKELS)
	$(call msg,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(GN_CFLAGS) -MMD -MP -c $< -o $@

$(B)/asan/obj/%.o: %.c | $(B)/config.mk $(SKELS)
	$(call msg,CC-ASAN,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(GN_CFLAGS) $(SAN_FLAGS) -MMD -MP -c $< -o $@

$(B)/fuzz/obj/%.o: %.c | $(B)/config.mk $(SKELS)
	$(call msg,CC-FUZZ,$<)
	@mkdir -p $(@D)
	$(Q)$(CLANG) $(GN_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

# ---- libraries -------------------------------------------------------------------

# The archive is rebuilt from scratch so a deleted source leaves no stale member.
$(STATIC_LIB) $(ASAN_LIB) $(FUZZ_LIB):
	$(call msg,AR,$@)
	@mkdir -p $(@D)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(STATIC_LIB): $(LIB_OBJS)
$(ASAN_LIB): $(ASAN_LIB_OBJS)
$(FUZZ_LIB): $(FUZZ_LIB_OBJS)

# Only gn_* symbols are exported (user/libgannet.map).
$(SHARED_REAL): $(LIB_OBJS) user/libgannet.map
	$(call msg,LD,$@)
	$(Q)$(CC) -shared -Wl,-soname,$(SHARED_SONAME) -Wl,--version-script=user/libgannet.map \
		-Wl,--no-undefined $(LDFLAGS) -o $@ $(LIB_OBJS) -Wl,--as-needed $(PKG_LIBS)

$(B)/$(SHARED_SONAME): $(SHARED_REAL)
	$(Q)ln -sf $(notdir $<) $@

$(B)/libgannet.so: $(B)/$(SHARED_SONAME)
	$(Q)ln -sf $(SHARED_SONAME) $@

# ---- programs ------------------------------------------------------------------

# Each directory tools/NAME/ (but examples/ and man/) is the program build/NAME.
define tool_rule
$(B)/$(1): $(call obj,$(wildcard tools/$(1)/*.c)) $(STATIC_LIB)
	$$(call msg,LD,$$@)
	$$(Q)$$(CC) $$(LDFLAGS) -o $$@ $$(filter %.o,$$^) $(STATIC_LIB) $$(PKG_LIBS)
endef
$(foreach t,$(TOOLS),$(eval $(call tool_rule,$(t))))

$(B)/examples/%: $(B)/obj/tools/examples/%.o $(STATIC_LIB)
	$(call msg,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(STATIC_LIB) $(PKG_LIBS)

$(B)/unit/%: $(B)/obj/selftests/unit/%.o $(STATIC_LIB)
	$(call msg,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(STATIC_LIB) $(CMOCKA_LIBS) $(PKG_LIBS)

$(B)/asan/unit/%: $(B)/asan/obj/selftests/unit/%.o $(ASAN_LIB)
	$(call msg,LD-ASAN,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(SAN_FLAGS) $(LDFLAGS) -o $@ $< $(ASAN_LIB) $(CMOCKA_LIBS) $(PKG_LIBS)

$(B)/fuzz/fuzz_%: $(B)/fuzz/obj/selftests/fuzz/fuzz_%.o $(FUZZ_LIB)
	$(call msg,LD-FUZZ,$@)
	@mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_FLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $< $(FUZZ_LIB) $(PKG_LIBS)

# Objects are kept between runs: make would otherwise delete them as intermediates.
.SECONDARY:
# A recipe that fails leaves no half-written target behind.
.DELETE_ON_ERROR:

-include $(ALL_OBJS:.o=.d) $(BPF_OBJS:.o=.d)

# ---- install -------------------------------------------------------------------

install: all
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/gannet $(DESTDIR)$(PKGCONFIGDIR) \
		$(DESTDIR)$(BINDIR)
	install -m 0644 $(STATIC_LIB) $(DESTDIR)$(LIBDIR)/
	install -m 0755 $(SHARED_REAL) $(DESTDIR)$(LIBDIR)/
	ln -sf $(notdir $(SHARED_REAL)) $(DESTDIR)$(LIBDIR)/$(SHARED_SONAME)
	ln -sf $(SHARED_SONAME) $(DESTDIR)$(LIBDIR)/libgannet.so
	install -m 0644 user/include/gannet/*.h $(DESTDIR)$(INCLUDEDIR)/gannet/
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@VERSION@|$(VERSION)|g' \
		-e 's|@LIBS_PRIVATE@|$(strip $(PKG_LIBS))|g' \
		user/gannet.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/gannet.pc
	$(if $(TOOL_BINS),install -m 0755 $(TOOL_BINS) $(DESTDIR)$(BINDIR)/)
	install -D -m 0755 selftests/lab/lab.sh $(DESTDIR)$(DATADIR)/gannet/lab.sh
	install -D -m 0644 tools/completion/gannet.bash \
		$(DESTDIR)$(DATADIR)/bash-completion/completions/gannet
	@set -e; for page in tools/man/*.[1-8]; do \
		[ -e "$$page" ] || continue; \
		sec=$${page##*.}; \
		echo "install -D -m 0644 $$page $(DESTDIR)$(MANDIR)/man$$sec/$${page##*/}"; \
		install -D -m 0644 "$$page" "$(DESTDIR)$(MANDIR)/man$$sec/$${page##*/}"; \
	done
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ] && command -v ldconfig >/dev/null; then \
		ldconfig; fi

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/libgannet.a $(DESTDIR)$(LIBDIR)/libgannet.so \
		$(DESTDIR)$(LIBDIR)/$(SHARED_SONAME) $(DESTDIR)$(LIBDIR)/libgannet.so.$(VERSION) \
		$(DESTDIR)$(PKGCONFIGDIR)/gannet.pc
	rm -rf $(DESTDIR)$(INCLUDEDIR)/gannet
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(TOOLS))
	rm -rf $(DESTDIR)$(DATADIR)/gannet
	rm -f $(DESTDIR)$(DATADIR)/bash-completion/completions/gannet
	@set -e; for page in tools/man/*.[1-8]; do \
		[ -e "$$page" ] || continue; \
		echo "rm -f $(DESTDIR)$(MANDIR)/man$${page##*.}/$${page##*/}"; \
		rm -f "$(DESTDIR)$(MANDIR)/man$${page##*.}/$${page##*/}"; \
	done

clean:
	rm -rf $(B)
