/* SPDX-License-Identifier: MIT */
/*
 * Calls into the SBI firmware (OpenSBI), per the RISC-V SBI specification:
 * a7 = extension id, a6 = function id, result in a0 (error) and a1 (value).
 */
#ifndef ARCH_SBI_H
#define ARCH_SBI_H

#include <kernel/types.h>

#define SBI_EXT_BASE 0x10
#define SBI_EXT_TIME 0x54494D45
#define SBI_EXT_IPI 0x735049
#define SBI_EXT_HSM 0x48534D
#define SBI_EXT_SRST 0x53525354
#define SBI_LEGACY_PUTCHAR 0x01

#define SBI_SRST_SHUTDOWN 0
#define SBI_SRST_COLD_REBOOT 1
#define SBI_SRST_REASON_NONE 0
#define SBI_SRST_REASON_FAILURE 1

struct sbi_ret {
	long error;
	long value;
};

struct sbi_ret sbi_call(long ext, long fid, long a0, long a1, long a2);
void sbi_putchar(char c);
void sbi_set_timer(uint64_t when);
long sbi_send_ipi(unsigned long hart_mask, unsigned long hart_base);
long sbi_hart_start(unsigned long hartid, unsigned long start_pa,
		    unsigned long opaque);
void __noreturn sbi_system_reset(unsigned type, unsigned reason);
bool sbi_probe(long ext);

#endif
