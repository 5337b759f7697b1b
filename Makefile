# SPDX-License-Identifier: MIT
# Axolotl: build the kernel, run it in QEMU, and run every test.
#
#   make run [SMP=n] [MEM=m] [BOOTARGS="..."]   boot in QEMU on this terminal
#   make check                                  every test (installs what is missing)
#   make gdb                                    QEMU halted at reset, gdb attached
#   make bench                                  instructions and time per operation
#   make help                                   all targets

SMP      ?= 4
MEM      ?= 256M
BOOTARGS ?=
V        ?= 0

CROSS    ?= riscv64-unknown-elf-
CC        = $(CROSS)gcc
OBJCOPY   = $(CROSS)objcopy
NM        = $(CROSS)nm
HOSTCC   ?= gcc
PYTHON    = /usr/bin/python3
QEMU      = qemu-system-riscv64

B        := build
KELF     := $(B)/axolotl.elf
KBIN     := $(B)/axolotl.bin

ifeq ($(V),0)
Q := @
endif

# ---- the kernel ----------------------------------------------------------
KINC     := -Iinclude -Ikernel/include -Ikernel/arch/riscv64/include \
	    -Ikernel/plat/qemu-virt/include
KCFLAGS  := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding -nostdlib \
	    -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany \
	    -mno-relax -fno-omit-frame-pointer -fno-stack-protector -fno-pic \
	    -fno-common -fno-strict-aliasing -MMD -MP $(KINC)
KLDFLAGS := -nostdlib -static -Wl,--no-relax -Wl,--build-id=sha1 \
	    -Wl,-T,kernel/arch/riscv64/kernel.ld
PORTABLE_SRCS := $(wildcard kernel/*.c kernel/lib/*.c kernel/mm/*.c)
KSRCS    := $(PORTABLE_SRCS) \
	    $(wildcard kernel/arch/riscv64/*.c kernel/arch/riscv64/*.S) \
	    $(wildcard kernel/plat/qemu-virt/*.c)
KOBJS    := $(patsubst %,$(B)/%.o,$(KSRCS))

.PHONY: all
all: $(KBIN)

$(B)/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(B)/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(KCFLAGS) -D__ASSEMBLY__ -c $< -o $@

# ---- user programs and the boot image --------------------------------------
include mk/user.mk

# Boot-image entries: NAME=ELF:FLAGS:PRIV (tools/mkbootimg.py). FLAGS
# "start" starts the program at boot; PRIV indexes the kernel's privilege
# sets (kernel/include/kernel/kcall.h: 0 user, 1 system, 2 restricted).
BOOT_PROGS := $(USER_PROGS)
BOOT_FLAGS_hello := start
BOOT_PRIV_fuzz := 1
BOOT_PRIV_restricted := 2
BOOT_PRIV_sched := 1
BOOT_PRIV_bench := 1
BOOT_PRIV_rtc_driver := 3
BOOT_PRIV_parent := 1
boot_flags = $(or $(BOOT_FLAGS_$(1)),0):$(or $(BOOT_PRIV_$(1)),0)
$(B)/bootimage.img: $(USER_ELFS) tools/mkbootimg.py
	$(Q)$(PYTHON) tools/mkbootimg.py -o $@ \
		$(foreach p,$(BOOT_PROGS),$(p)=$(B)/user/$(p).elf:$(call boot_flags,$(p)))

$(B)/kernel/arch/riscv64/bootimage.S.o: kernel/arch/riscv64/bootimage.S $(B)/bootimage.img
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(KCFLAGS) -D__ASSEMBLY__ -DBOOTIMAGE_PATH='"$(B)/bootimage.img"' -c $< -o $@

# The kernel carries its own symbol table (like kallsyms). Link once with an
# empty table, generate the table from that image, link again with it, and
# check that the second image's text symbols match the table it carries.
KSYMS_GEN := tools/gen_ksyms.py
$(B)/ksyms0.S: $(KSYMS_GEN)
	@mkdir -p $(B)
	$(Q)$(PYTHON) $(KSYMS_GEN) --empty > $@

$(B)/%.S.o: $(B)/%.S
	$(Q)$(CC) $(KCFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(B)/pass1.elf: $(KOBJS) $(B)/ksyms0.S.o kernel/arch/riscv64/kernel.ld
	$(Q)$(CC) $(KCFLAGS) $(KLDFLAGS) -o $@ $(KOBJS) $(B)/ksyms0.S.o

$(B)/ksyms1.S: $(B)/pass1.elf $(KSYMS_GEN)
	$(Q)$(NM) -n -S --defined-only $< | $(PYTHON) $(KSYMS_GEN) > $@

$(KELF): $(KOBJS) $(B)/ksyms1.S.o kernel/arch/riscv64/kernel.ld
	@echo "  LD      $@"
	$(Q)$(CC) $(KCFLAGS) $(KLDFLAGS) -o $@ $(KOBJS) $(B)/ksyms1.S.o
	$(Q)$(NM) -n -S --defined-only $@ | $(PYTHON) $(KSYMS_GEN) --check $(B)/ksyms1.S

$(KBIN): $(KELF)
	$(Q)$(OBJCOPY) -O binary $< $@

# A test image that faults before the real trap vector is installed, to
# prove that the early vector reports it (tests/qemu/test_boot.py).
$(B)/earlyfault/head.S.o: kernel/arch/riscv64/head.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(KCFLAGS) -D__ASSEMBLY__ -DEARLY_FAULT_TEST -c $< -o $@

$(B)/axolotl-earlyfault.bin: $(B)/earlyfault/head.S.o $(KOBJS) $(B)/ksyms1.S.o
	$(Q)$(CC) $(KCFLAGS) $(KLDFLAGS) -o $(B)/axolotl-earlyfault.elf \
		$(filter-out $(B)/kernel/arch/riscv64/head.S.o,$(KOBJS)) \
		$(B)/earlyfault/head.S.o $(B)/ksyms1.S.o
	$(Q)$(OBJCOPY) -O binary $(B)/axolotl-earlyfault.elf $@

TEST_IMAGES := $(KBIN) $(B)/axolotl-earlyfault.bin

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# ---- running it ------------------------------------------------------------
QEMUOPTS = -machine virt -bios default -nographic -smp $(SMP) -m $(MEM) \
	   -kernel $(KBIN) -append "$(BOOTARGS)" \
	   -global virtio-mmio.force-legacy=false

.PHONY: run gdb deps
deps:
	$(Q)tools/setup-deps.sh

run: deps
	$(Q)$(MAKE) --no-print-directory $(KBIN)
	@echo "Booting Axolotl: $(SMP) harts, $(MEM). Quit QEMU with Ctrl-A then X."
	$(QEMU) $(QEMUOPTS)

gdb: deps
	$(Q)$(MAKE) --no-print-directory $(KBIN)
	@echo "QEMU waits for gdb on :1234. In another terminal, or below:"
	@echo "  gdb-multiarch $(KELF) -ex 'target remote :1234'"
	$(QEMU) $(QEMUOPTS) -s -S & \
	gdb-multiarch $(KELF) -ex 'set architecture riscv:rv64' \
		-ex 'target remote :1234'; kill %1 2>/dev/null || true

# ---- host unit tests -------------------------------------------------------
# All portable code is built for the host with sanitizers; kernel/lib/string.c
# is left out there because the host's libc provides the same functions.
HOST_EXCLUDE := kernel/lib/string.c
HOSTCFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -fno-omit-frame-pointer \
	      -fsanitize=address,undefined -fno-sanitize-recover=all \
	      -DHOST_TEST -Iinclude -Ikernel/include -Itests/host/include -Itests/host \
	      -MMD -MP
HOST_SRCS  := $(filter-out $(HOST_EXCLUDE),$(PORTABLE_SRCS)) tests/host/host_arch.c \
	      tests/host/host_files.c
HOST_OBJS  := $(patsubst %,$(B)/host/%.o,$(HOST_SRCS))
HOST_TESTS := $(patsubst tests/host/%.c,$(B)/host/tests/%,$(wildcard tests/host/test_*.c))

$(B)/host/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOSTCFLAGS) -c $< -o $@

$(B)/host/libkernel.a: $(HOST_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

$(B)/host/tests/%: tests/host/%.c $(B)/host/libkernel.a
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOSTCFLAGS) -o $@ $< $(B)/host/libkernel.a -lcmocka

.PHONY: check check-host check-format check-qemu format
check: deps
	+$(Q)tools/run-checks.sh

check-host: $(HOST_TESTS)
	$(Q)tools/run-host-tests.sh $(HOST_TESTS)

FORMAT_FILES = $(wildcard $(shell git ls-files '*.c' '*.h' 2>/dev/null))
check-format:
	$(Q)clang-format --dry-run --Werror $(FORMAT_FILES) && echo "format: all files match .clang-format"

format:
	$(Q)clang-format -i $(FORMAT_FILES)

check-qemu: $(TEST_IMAGES)
	$(Q)cd tests/qemu && $(PYTHON) -m pytest -q $(PYTEST_ARGS)

# Numbers (instructions and wall time per operation) live here, never in
# pass/fail tests: see docs/performance.md.
.PHONY: bench
bench: deps
	$(Q)$(MAKE) --no-print-directory $(KBIN)
	$(Q)QEMU=$(QEMU) tools/run-bench.sh

.PHONY: clean help
clean:
	rm -rf $(B)

help:
	@sed -n '2,9p' Makefile | sed 's/^# \{0,1\}//'
	@echo "Other targets: bench check-host check-qemu check-format format clean"
