/* SPDX-License-Identifier: MIT */
/*
 * The trap from user mode: decode the IPC registers (<axolotl/ipc.h>), run
 * the operation, and write the result back. IPC runs under ipc_lock and
 * sleeps (in proc_ipc_wait) only after the state machine said the caller
 * must block. Every value from user mode is distrusted: ops and endpoints
 * are checked by ipc.c and kcall.c, never used as indexes unchecked here.
 *
 * Two shortcuts come first (docs/traps.md, docs/ipc.md): the lean path of
 * a null kernel call, and the fast path of sendrec and replyrecv, which
 * hands the hart to the partner; a thread it blocked resumes through
 * syscall_resume when the slow path wakes it.
 */
#include <axolotl/errno.h>
#include <kernel/ipc.h>
#include <kernel/ipc_fast.h>
#include <kernel/kcall.h>
#include <kernel/printk.h>
#include <kernel/procmgr.h>
#include <kernel/syscall.h>
#include <kernel/thread.h>

/*
 * The message is a0..a7, contiguous in the trap frame: the operations
 * read and write it there, so that it is copied only into and out of the
 * other process's state (-fno-strict-aliasing makes the view legal).
 */
static inline message_t *frame_message(struct trap_frame *tf)
{
	return (message_t *)&TF_MSG_WORD(tf, 0);
}

_Static_assert(sizeof(message_t) == IPC_MSG_WORDS * sizeof(uint64_t),
	       "a message is the eight argument registers");

/*
 * After an operation whose last step is a receive: wait if it said so,
 * then take the message into *m (the trap frame). ipc_lock held.
 */
static int finish_receive(struct proc *p, int r, message_t *m)
{
	if (r == IPC_BLOCKED)
		r = proc_ipc_wait(p);
	if (r == 0)
		*m = p->msg;
	return r;
}

/* Send (and for sendrec, receive the reply). Returns the status. */
static int do_send(struct proc *p, endpoint_t ep, message_t *m, unsigned flags)
{
	int r;

	spin_lock(&ipc_lock);
	r = ipc_send(p, ep, m, flags);
	if (flags & IPC_F_SENDREC)
		r = finish_receive(p, r, m);
	else if (r == IPC_BLOCKED)
		r = proc_ipc_wait(p);
	spin_unlock(&ipc_lock);
	return r;
}

static int do_receive(struct proc *p, endpoint_t src, message_t *m)
{
	int r;

	spin_lock(&ipc_lock);
	r = finish_receive(p, ipc_receive(p, src), m);
	spin_unlock(&ipc_lock);
	return r;
}

static int do_replyrecv(struct proc *p, endpoint_t ep, message_t *m)
{
	int r;

	spin_lock(&ipc_lock);
	r = finish_receive(p, ipc_replyrecv(p, ep, m), m);
	spin_unlock(&ipc_lock);
	return r;
}

static int do_notify(struct proc *p, endpoint_t ep)
{
	int r;

	spin_lock(&ipc_lock);
	r = ipc_notify(p, ep);
	spin_unlock(&ipc_lock);
	return r;
}

/*
 * Where a thread that the fast path blocked continues when the slow path
 * wakes it (thread_handoff): finish its sendrec or replyrecv from its
 * trap frame as syscall_entry() would have, then return to user mode.
 */
static void __noreturn syscall_resume(void *arg)
{
	struct trap_frame *tf = arg;
	struct proc *p = proc_current();
	int r;

	this_cpu()->ipc_resumed++;
	spin_lock(&ipc_lock);
	r = finish_receive(p, IPC_BLOCKED, frame_message(tf));
	spin_unlock(&ipc_lock);
	TF_IPC_OP(tf) = (uint64_t)(int64_t)r;
	arch_irq_disable();
	user_return(tf);
	arch_user_resume(tf, NULL);
}

/* a0..a7 from one frame to the other, m_source the kernel's word. */
static inline void pass_message(const struct trap_frame *from,
				struct trap_frame *to, endpoint_t src)
{
	const uint64_t *f = &TF_MSG_WORD(from, 0);
	uint64_t *t = &TF_MSG_WORD(to, 0);

	t[0] = (f[0] & ~0xffffffffULL) | (uint32_t)src;
	t[1] = f[1];
	t[2] = f[2];
	t[3] = f[3];
	t[4] = f[4];
	t[5] = f[5];
	t[6] = f[6];
	t[7] = f[7];
	TF_IPC_OP(to) = 0;
}

_Static_assert(offsetof(message_t, m_source) == 0,
	       "m_source is the low half of a0 (little-endian)");
_Static_assert(IPC_MSG_WORDS == 8, "pass_message copies eight words");

/*
 * The partner of a fast sendrec or replyrecv, with ipc_lock and then
 * sched_lock held (raw) on success; NULL, with neither, otherwise.
 */
static struct proc *fast_partner(struct cpu *c, struct proc *p, endpoint_t ep,
				 bool sendrec)
{
	struct proc *dst;

	spin_lock_raw(&ipc_lock, c->id);
	if (sendrec)
		dst = ipc_fast_sendrec(p, ep);
	else
		dst = ipc_fast_replyrecv(p, ep, p->exit_notices);
	if (dst && thread_handoff_ready(dst->thread))
		return dst;
	spin_unlock_raw(&ipc_lock);
	return NULL;
}

long syscall_lean(struct trap_frame *tf)
{
	struct cpu *c = this_cpu();
	struct proc *p;

	/* The entry sends only IPC_KERNEL_CALL here. */
	if (TF_MSG_WORD(tf, 0) >> 32 != KC_NULL)
		return 1;
	p = c->current->proc;
	if (c->need_resched || (p->rts & RTS_DYING) ||
	    !priv_may_kcall(p, KC_NULL))
		return 1;
	/* kcall_dispatch()'s reply to kc_null: m_type 0, from the kernel. */
	TF_MSG_WORD(tf, 0) = (uint32_t)ENDPOINT_KERNEL;
	TF_IPC_OP(tf) = 0;
	return 0;
}

/* kernel.ipc_fastpath, read on every sendrec and replyrecv. */
static bool fastpath_on = true;

void syscall_set_fastpath(int64_t on)
{
	WRITE_ONCE(fastpath_on, on != 0);
}

void syscall_fastpath(struct trap_frame *tf)
{
	uint64_t op = TF_IPC_OP(tf);
	struct cpu *c = this_cpu();
	struct proc *p, *dst;
	bool sendrec = op == IPC_SENDREC;

	if (!sendrec && op != IPC_REPLYRECV)
		return;
	p = c->current->proc;
	dst = READ_ONCE(fastpath_on) ?
		      fast_partner(c, p, (endpoint_t)TF_IPC_EP(tf), sendrec) :
		      NULL;
	if (!dst) {
		c->ipc_slow++;
		return;
	}
	ipc_fast_commit(p, dst, sendrec);
	pass_message(tf, arch_user_frame(dst->thread->stack_top), p->ep);
	spin_unlock_raw(&ipc_lock);
	c->ipc_fast++;
	thread_handoff(dst->thread, syscall_resume);
}

void syscall_entry(struct trap_frame *tf)
{
	struct proc *p = proc_current();
	endpoint_t ep = (endpoint_t)TF_IPC_EP(tf);
	message_t *m = frame_message(tf);
	int r;

	switch (TF_IPC_OP(tf)) {
	case IPC_SEND:
		r = do_send(p, ep, m, 0);
		break;
	case IPC_SENDNB:
		r = do_send(p, ep, m, IPC_F_NONBLOCK);
		break;
	case IPC_SENDREC:
		r = do_send(p, ep, m, IPC_F_SENDREC);
		break;
	case IPC_RECEIVE:
		r = do_receive(p, ep, m);
		break;
	case IPC_REPLYRECV:
		r = do_replyrecv(p, ep, m);
		break;
	case IPC_NOTIFY:
		r = do_notify(p, ep);
		break;
	case IPC_KERNEL_CALL:
		kcall_dispatch(p, m);
		r = 0;
		break;
	default:
		r = -ENOSYS;
		break;
	}
	TF_IPC_OP(tf) = (uint64_t)(int64_t)r;
}

void __noreturn user_fault(struct trap_frame *tf, const char *cause)
{
	struct proc *p = proc_current();

	pr_err("user fault: %s[%d] %s at pc 0x%lx, address 0x%lx: killed\n",
	       p->name, p->ep, cause, (unsigned long)arch_trap_pc(tf),
	       (unsigned long)arch_trap_addr(tf));
	proc_exit(p, (int)(tf_cause_code(tf)), EXIT_REASON_FAULT);
}

void user_return(struct trap_frame *tf)
{
	struct proc *p = proc_current();

	(void)tf;
	if (READ_ONCE(p->rts) & RTS_DYING)
		proc_exit(p, p->exit_status, p->exit_reason);
	sched_preempt_point();
	if (READ_ONCE(p->rts) & RTS_DYING)
		proc_exit(p, p->exit_status, p->exit_reason);
}
