# SPDX-License-Identifier: MIT
# User programs: the runtime library libaxo.a (user/lib) and the programs
# linked with it and picolibc, as static ELF executables for the kernel's
# loader. The top Makefile includes this fragment; it uses the includer's
# B (build directory), CROSS (toolchain prefix) and Q (@ when quiet) and
# defines no target named all, check or run.
#
#   USER_PROGS   names of every program
#   USER_ELFS    build/user/<name>.elf for each of them
#   user-progs   builds them all
#
# A program <name> is built from user/tests/<name>.c, or from the sources
# listed in USER_SRCS_<name> if that is set before this file is included.
# docs/user-programs.md explains the runtime and how to add a program.

B     ?= build
CROSS ?= riscv64-unknown-elf-

USER_CC  = $(CROSS)gcc
USER_AR  = $(CROSS)ar
USER_MK  := mk/user.mk
USER_LDS := user/lib/user.ld

# Compile for the kernel's target. Linking selects picolibc's library set
# by -march, and its multilib table knows "rv64imac" but not the
# "_zicsr_zifencei" spelling (that would silently pick the rv64gc/lp64d
# set and fail on the float ABI), so the link step says plain rv64imac.
USER_ARCH    := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany
USER_LDARCH  := -march=rv64imac -mabi=lp64 -mcmodel=medany
# -Wno-main: main may take the start argument as a long (crt0.S).
USER_CFLAGS  := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-main \
		$(USER_ARCH) -specs=picolibc.specs -static -mno-relax \
		-fno-pic -fno-common -fno-stack-protector \
		-fno-omit-frame-pointer -ffunction-sections -fdata-sections \
		-MMD -MP -Iinclude -Iuser/include
USER_LDFLAGS := $(USER_LDARCH) -specs=picolibc.specs -static -nostartfiles \
		-Wl,--no-relax -Wl,--gc-sections -Wl,--build-id=none \
		-T $(USER_LDS)

# ---- the runtime -----------------------------------------------------------
USER_OBJDIR   := $(B)/user/obj
USER_CRT0     := $(USER_OBJDIR)/user/lib/crt0.o
USER_LIB      := $(B)/user/libaxo.a
USER_LIB_SRCS := $(filter-out user/lib/crt0.S,\
		 $(sort $(wildcard user/lib/*.c user/lib/*.S)))
USER_LIB_OBJS := $(patsubst %,$(USER_OBJDIR)/%.o,$(basename $(USER_LIB_SRCS)))

$(USER_OBJDIR)/%.o: %.c $(USER_MK)
	@mkdir -p $(dir $@)
	$(Q)$(USER_CC) $(USER_CFLAGS) -c $< -o $@

$(USER_OBJDIR)/%.o: %.S $(USER_MK)
	@mkdir -p $(dir $@)
	$(Q)$(USER_CC) $(USER_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(USER_LIB): $(USER_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && $(USER_AR) rcs $@ $^

# ---- the programs ----------------------------------------------------------
# Every user/tests/<name>.c is a program (so adding one needs no edit here).
USER_TEST_PROGS := $(sort $(basename $(notdir $(wildcard user/tests/*.c))))
USER_PROGS      := $(USER_TEST_PROGS)
USER_ELFS       := $(patsubst %,$(B)/user/%.elf,$(USER_PROGS))

# $(1): program name, $(2): its default source list. libaxo.a and libc are
# searched as a group: picolibc calls back into libaxo (stdout, _exit).
define USER_PROG_RULE
USER_SRCS_$(1) ?= $(2)
USER_OBJS_$(1) := $$(patsubst %,$$(USER_OBJDIR)/%.o,$$(basename $$(USER_SRCS_$(1))))
$$(B)/user/$(1).elf: $$(USER_CRT0) $$(USER_OBJS_$(1)) $$(USER_LIB) $$(USER_LDS)
	@echo "  LD      $$@"
	$$(Q)$$(USER_CC) $$(USER_LDFLAGS) -o $$@ $$(USER_CRT0) \
		$$(USER_OBJS_$(1)) -Wl,--start-group $$(USER_LIB) -lc \
		-Wl,--end-group
endef
$(foreach p,$(USER_TEST_PROGS),\
	$(eval $(call USER_PROG_RULE,$(p),user/tests/$(p).c)))

.PHONY: user-progs
user-progs: $(USER_ELFS)

-include $(wildcard $(USER_OBJDIR)/user/*/*.d)
