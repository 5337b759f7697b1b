/* SPDX-License-Identifier: MIT */
/*
 * The platform as the device tree describes it.
 *
 * devtree_parse() checks the blob the firmware passed (see <kernel/fdt.h>)
 * and extracts, once, everything the kernel needs to know about the
 * machine: RAM, reserved regions, harts, the timebase, the UART, the PLIC
 * and its per-hart contexts, the CLINT, the virtio-mmio slots, the PCI host
 * bridge and the boot arguments. The rest of the kernel reads only the
 * struct platform_info it fills. See docs/devtree.md.
 */
#ifndef KERNEL_DEVTREE_H
#define KERNEL_DEVTREE_H

#include <kernel/types.h>
#include <kernel/config.h>

#define DT_MAX_MEM 8
#define DT_MAX_RESV 16
#define DT_MAX_HARTS 8 /* equals MAX_CPUS */
#define DT_MAX_VIRTIO 16
#define DT_ISA_LEN 96
#define DT_BOOTARGS_LEN 512

_Static_assert(DT_MAX_HARTS == MAX_CPUS, "DT_MAX_HARTS must equal MAX_CPUS");

struct dt_range {
	uint64_t base, size;
};

struct dt_hart {
	uint32_t hartid;
	uint32_t intc_phandle; /* its "riscv,cpu-intc" child; 0 if none */
	char isa[DT_ISA_LEN];  /* riscv,isa, truncated if longer */
	bool has_sstc;	       /* the Sstc extension (stimecmp) */
};

struct dt_device {
	uint64_t base, size; /* first reg entry */
	uint32_t irq;	     /* first interrupts cell; 0 if none */
	bool present;
};

enum dt_clint_kind {
	DT_CLINT_NONE,
	DT_CLINT_CLINT,	      /* riscv,clint0 / sifive,clint0 */
	DT_CLINT_ACLINT_SSWI, /* riscv,aclint-sswi (S-mode IPIs) */
	DT_CLINT_ACLINT_MSWI, /* riscv,aclint-mswi (M-mode IPIs) */
};

struct dt_pci {
	bool present;
	uint64_t ecam_base, ecam_size;
	uint32_t bus_start, bus_end;
	/* The windows from "ranges": CPU address, size, PCI address. */
	uint64_t mmio_base, mmio_size, mmio_pci;       /* 32-bit memory */
	uint64_t mmio64_base, mmio64_size, mmio64_pci; /* 64-bit memory */
	uint64_t io_base, io_size, io_pci;	       /* I/O ports */
};

struct platform_info {
	/* RAM: reg of every /memory node (device_type "memory"). */
	struct dt_range mem[DT_MAX_MEM];
	unsigned nmem;
	unsigned mem_ignored; /* ranges past DT_MAX_MEM */

	/*
	 * Must not be touched: /memreserve/ entries, /reserved-memory
	 * children with reg, the initrd, and the blob itself (last).
	 */
	struct dt_range resv[DT_MAX_RESV];
	unsigned nresv;
	struct dt_range fdt;	/* the blob: physical address, totalsize */
	struct dt_range initrd; /* /chosen/linux,initrd-*; size 0 if none */

	/* Harts: /cpus children, device_type "cpu", status okay or absent. */
	struct dt_hart harts[DT_MAX_HARTS];
	unsigned nharts;
	unsigned harts_ignored; /* usable harts past DT_MAX_HARTS */
	uint32_t boot_hartid;	/* boot_cpuid_phys from the header */
	uint64_t timebase_hz;

	struct dt_device uart;	    /* ns16550a / ns16550, stdout-path first */
	uint32_t uart_clock_hz;	    /* clock-frequency; 0 if absent */
	uint32_t uart_reg_shift;    /* reg-shift; 0 if absent */
	uint32_t uart_reg_io_width; /* reg-io-width; 1 if absent */

	struct dt_device plic; /* riscv,plic0 / sifive,plic-1.0.0 */
	uint32_t plic_ndev;    /* riscv,ndev */
	/* For harts[i], its S-mode (irq 9) context index; -1 if none. */
	int32_t plic_s_context[DT_MAX_HARTS];

	struct dt_device clint; /* present=false if absent */
	struct dt_device rtc;	/* google,goldfish-rtc, if present */
	enum dt_clint_kind clint_kind;

	/* virtio,mmio slots, sorted by base address. */
	struct dt_device virtio[DT_MAX_VIRTIO];
	unsigned nvirtio;
	unsigned virtio_ignored; /* slots past DT_MAX_VIRTIO */

	struct dt_pci pci; /* pci-host-ecam-generic */

	char bootargs[DT_BOOTARGS_LEN]; /* /chosen/bootargs; "" if absent */
	bool bootargs_truncated;
};

/*
 * Check the blob (at most max_size bytes at blob) and fill *out. Returns 0,
 * or a negative errno with *why (if not NULL) set to a constant sentence:
 * the fdt_check() reason for a malformed blob, or what is missing or wrong
 * ("no ns16550a UART", "/cpus has no timebase-frequency", ...). *out is
 * zeroed first and is only meaningful on success.
 */
int devtree_parse(const void *blob, size_t max_size, struct platform_info *out,
		  const char **why);

/*
 * Describe *p in a few lines (no newline at the end of each), each passed
 * to out(line, ctx). Uses no console or printk of its own.
 */
void devtree_print(const struct platform_info *p,
		   void (*out)(const char *line, void *ctx), void *ctx);

#endif
