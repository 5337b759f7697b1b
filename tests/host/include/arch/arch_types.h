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

#define TF_RA(tf) ((tf)->regs[1])
#define TF_SP(tf) ((tf)->regs[2])
#define TF_FP(tf) ((tf)->regs[8])
/* The IPC trap's registers (<axolotl/ipc.h>): t0, t1, a0..a7. */
#define tf_cause_code(tf) ((tf)->cause)
#define TF_IPC_OP(tf) ((tf)->regs[5])
#define TF_IPC_EP(tf) ((tf)->regs[6])
#define TF_MSG_WORD(tf, i) ((tf)->regs[10 + (i)])

struct arch_context {
	uint64_t unused;
};

struct arch_cpu {
	uint64_t hartid;
};

/* BUG(): see kernel/bug.h. */
#define ARCH_BUG(file, line) ((void)(file), (void)(line), __builtin_trap())

#endif
