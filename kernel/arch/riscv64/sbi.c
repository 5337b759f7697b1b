/* SPDX-License-Identifier: MIT */
/*
 * SBI calls. These work from the first instruction on, before the kernel
 * knows anything about the machine, which is why the early console and the
 * early trap report print through sbi_putchar.
 */
#include <arch/sbi.h>

struct sbi_ret sbi_call(long ext, long fid, long a0, long a1, long a2)
{
	register long r_a0 __asm__("a0") = a0;
	register long r_a1 __asm__("a1") = a1;
	register long r_a2 __asm__("a2") = a2;
	register long r_a6 __asm__("a6") = fid;
	register long r_a7 __asm__("a7") = ext;

	__asm__ volatile("ecall"
			 : "+r"(r_a0), "+r"(r_a1)
			 : "r"(r_a2), "r"(r_a6), "r"(r_a7)
			 : "memory");
	return (struct sbi_ret){ .error = r_a0, .value = r_a1 };
}

/* The legacy console extension: every OpenSBI has it, and it needs no setup. */
void sbi_putchar(char c)
{
	sbi_call(SBI_LEGACY_PUTCHAR, 0, (unsigned char)c, 0, 0);
}

void sbi_set_timer(uint64_t when)
{
	sbi_call(SBI_EXT_TIME, 0, (long)when, 0, 0);
}

long sbi_send_ipi(unsigned long hart_mask, unsigned long hart_base)
{
	return sbi_call(SBI_EXT_IPI, 0, (long)hart_mask, (long)hart_base, 0)
		.error;
}

long sbi_hart_start(unsigned long hartid, unsigned long start_pa,
		    unsigned long opaque)
{
	return sbi_call(SBI_EXT_HSM, 0, (long)hartid, (long)start_pa,
			(long)opaque)
		.error;
}

void __noreturn sbi_system_reset(unsigned type, unsigned reason)
{
	sbi_call(SBI_EXT_SRST, 0, type, reason, 0);
	/* SRST missing or refused: nothing else can reset us, so stop here. */
	for (;;)
		__asm__ volatile("csrci sstatus, 2; wfi");
}

bool sbi_probe(long ext)
{
	struct sbi_ret r = sbi_call(SBI_EXT_BASE, 3, ext, 0, 0);

	return r.error == 0 && r.value != 0;
}
