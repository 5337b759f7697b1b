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

/* Callee-saved registers of a suspended kernel thread. */
struct arch_context {
	uint64_t ra;
	uint64_t sp;
	uint64_t s[12];
};

#endif
