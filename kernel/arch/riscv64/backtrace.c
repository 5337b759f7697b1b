/* SPDX-License-Identifier: MIT */
/*
 * Frame-pointer backtraces. The kernel is built with frame pointers: in a
 * function that saves ra, s0 points just above the pair (ra at s0-8, the
 * caller's s0 at s0-16). A leaf function saves only s0 (at s0-8), so in the
 * first frame of a trap a "return address" that is really a stack address
 * means a leaf; the real return address is then the trapped ra.
 *
 * Every read is a fault-safe load, every frame must lie in a kernel stack
 * and above the previous one, so a corrupt chain ends the walk instead of
 * faulting inside an oops report.
 */
#include <arch/extable.h>
#include <arch/mmu.h>
#include <kernel/arch.h>

extern char boot_stack_top[], __text_start[], __text_end[];

static bool is_text(uintptr_t pc)
{
	return pc >= (uintptr_t)__text_start && pc < (uintptr_t)__text_end;
}

static bool is_stack(uintptr_t addr)
{
	uintptr_t boot_top = (uintptr_t)boot_stack_top;

	if (addr >= boot_top - 16384 && addr <= boot_top)
		return true; /* the boot hart's first stack, until it moves */
	return kstack_contains(addr - 16, 16);
}

void arch_backtrace(const struct trap_frame *tf,
		    void (*fn)(uintptr_t pc, void *cookie), void *cookie,
		    unsigned max)
{
	uintptr_t fp, pc, saved;
	unsigned n = 0;

	if (tf) {
		pc = tf->sepc;
		fp = TF_FP(tf);
		fn(pc, cookie);
		n++;
		/* Leaf function: s0-8 holds the caller's fp, not a return. */
		if (is_stack(fp) && safe_read_uint64_t(fp - 8, &saved) &&
		    is_stack(saved) && saved > fp) {
			pc = TF_RA(tf);
			if (is_text(pc) && n < max) {
				fn(pc, cookie);
				n++;
			}
			fp = saved;
		}
	} else {
		fp = (uintptr_t)__builtin_frame_address(0);
	}
	while (n < max && is_stack(fp)) {
		uintptr_t ra, prev;

		if (!safe_read_uint64_t(fp - 8, &ra) ||
		    !safe_read_uint64_t(fp - 16, &prev))
			break;
		if (!is_text(ra))
			break;
		fn(ra, cookie);
		n++;
		if (prev <= fp)
			break;
		fp = prev;
	}
}
