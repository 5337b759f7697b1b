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
#include <kernel/ksyms.h>

extern char boot_stack_top[], __text_start[], __text_end[];

static bool is_text(uintptr_t pc)
{
	return pc >= (uintptr_t)__text_start && pc < (uintptr_t)__text_end;
}

static bool is_stack(uintptr_t addr)
{
	uintptr_t boot_top = (uintptr_t)boot_stack_top;

	if (addr >= boot_top - 16384 + 16 && addr <= boot_top)
		return true; /* the boot hart's first stack, until it moves */
	return kstack_contains(addr - 16, 16);
}

static bool same_function(uintptr_t a, uintptr_t b)
{
	const char *name;
	unsigned long off, size;

	if (!ksym_lookup(a, &name, &off, &size))
		return false;
	return b >= a - off && b < a - off + size;
}

/*
 * Whether the trapped function is a leaf whose caller is found only in
 * the trapped ra; moves *fp past the leaf's frame when it has one.
 * - s0-8 holds a stack address above s0: a leaf that saved only s0.
 * - otherwise ra outside the trapped function, and not the return address
 *   stored in the frame at s0: a leaf that has no frame (or already
 *   restored s0), so s0 is still its caller's frame.
 */
static bool leaf_return(const struct trap_frame *tf, uintptr_t *fp)
{
	uintptr_t saved, ra = TF_RA(tf);

	if (is_stack(*fp) && safe_read_uint64_t(*fp - 8, &saved) &&
	    is_stack(saved) && saved > *fp) {
		*fp = saved;
		return is_text(ra);
	}
	if (!is_text(ra) || same_function(ra, tf->sepc))
		return false;
	return !(is_stack(*fp) && safe_read_uint64_t(*fp - 8, &saved) &&
		 saved == ra);
}

void arch_backtrace(const struct trap_frame *tf,
		    void (*fn)(uintptr_t pc, void *cookie), void *cookie,
		    unsigned max)
{
	uintptr_t fp, pc;
	unsigned n = 0;

	if (tf) {
		pc = tf->sepc;
		fp = TF_FP(tf);
		fn(pc, cookie);
		n++;
		if (leaf_return(tf, &fp) && n < max) {
			fn(TF_RA(tf), cookie);
			n++;
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
