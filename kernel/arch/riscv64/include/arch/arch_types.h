/* SPDX-License-Identifier: MIT */
/*
 * RISC-V register state that portable code holds by value: the trap frame
 * saved on every trap, and the callee-saved context of a kernel thread.
 * Offsets are used by the assembly in trapentry.S and switch.S; the
 * _Static_asserts in trap.c keep the two in step.
 */
#ifndef ARCH_ARCH_TYPES_H
#define ARCH_ARCH_TYPES_H

#include <stdint.h>

/* Saved by the trap entry: x1..x31 then the trap CSRs. */
struct trap_frame {
	uint64_t regs[32]; /* regs[0] unused (x0); regs[n] is xn */
	uint64_t sepc;
	uint64_t sstatus;
	uint64_t scause;
	uint64_t stval;
};

#define TF_RA(tf) ((tf)->regs[1])
#define TF_SP(tf) ((tf)->regs[2])
#define TF_FP(tf) ((tf)->regs[8])
/* The IPC trap's registers (<axolotl/ipc.h>): t0, t1, a0..a7. */
/* The exception code of a trap (scause without the interrupt bit). */
#define tf_cause_code(tf) ((tf)->scause & ~(1UL << 63))
#define TF_IPC_OP(tf) ((tf)->regs[5])
#define TF_IPC_EP(tf) ((tf)->regs[6])
#define TF_MSG_WORD(tf, i) ((tf)->regs[10 + (i)])

/* Callee-saved registers of a suspended kernel thread. */
struct arch_context {
	uint64_t ra;
	uint64_t sp;
	uint64_t s[12];
};

/*
 * The architecture's part of each hart's struct cpu, at offset 0 so that the
 * trap entry reaches it through tp. The offsets are fixed (asm uses them).
 */
struct arch_cpu {
	uint64_t scratch[3]; /* 0: spill slots for the trap entry */
	uint64_t kstack_lo;  /* 24: lowest valid byte of the stack in use */
	uint64_t emerg_top;  /* 32: top of this hart's emergency stack */
	uint64_t emerg_lo;   /* 40: its lowest valid byte */
	uint64_t on_emerg;   /* 48: nonzero while running on it */
	uint64_t hartid;     /* 56 */
	uint64_t kstack_top; /* 64: where a trap from user mode starts */
};

/* BUG(): see kernel/bug.h. */
#define ARCH_BUG(file, line)                                \
	__asm__ volatile("1: ebreak\n"                      \
			 ".pushsection .bug_table, \"a\"\n" \
			 ".balign 8\n"                      \
			 ".dword 1b, %0\n"                  \
			 ".word %1, 0\n"                    \
			 ".popsection\n" ::"i"(file),       \
			 "i"(line))

#endif
