/* SPDX-License-Identifier: MIT */
/* Host stand-ins for the architecture's register state (see host_arch.c). */
#ifndef ARCH_ARCH_TYPES_H
#define ARCH_ARCH_TYPES_H

#include <stdint.h>

struct trap_frame {
	uint64_t regs[32];
	uint64_t pc;
	uint64_t cause;
	uint64_t addr;
};

struct arch_context {
	uint64_t unused;
};

struct arch_cpu {
	uint64_t unused;
};

#endif
