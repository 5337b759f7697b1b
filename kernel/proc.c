/* SPDX-License-Identifier: MIT */
/*
 * The life of a user process.
 *
 * A process is a slot of proc_table, an address space and a kernel thread.
 * It is created stopped, started at a pc and sp, and ends in proc_exit(),
 * always on its own thread: exit, a fault, or a kill noticed at its next
 * return to user mode (or wake-up from IPC). Ending revokes its grants,
 * releases everyone blocked on it with -EDEADSRCDST, frees its memory,
 * tells its parent, and bumps the slot's generation so that its endpoint
 * can never name a later process.
 */
#include <axolotl/errno.h>
#include <axolotl/kcall.h>
#include <kernel/cpu.h>
#include <kernel/alarm.h>
#include <kernel/grant.h>
#include <kernel/irq.h>
#include <kernel/ipc.h>
#include <kernel/printk.h>
#include <kernel/procmgr.h>
#include <kernel/string.h>
#include <kernel/thread.h>

#define EXIT_NOTICES 8 /* pending exit notices a parent can hold */

struct exit_notice {
	endpoint_t child;
	int reason;
	int status;
};

/* Per parent slot (ipc_lock): exits not yet received, p->exit_notices. */
static struct exit_notice notices[NR_PROCS][EXIT_NOTICES];

struct vm_space *arch_vm_create_asid(unsigned asid);

/* Only p's own thread ever sleeps on p (in proc_ipc_wait). */
static void wake_proc(struct proc *p)
{
	if (p->thread)
		thread_wake(p->thread, p);
}

static void report_denied(struct proc *p, endpoint_t dst, const char *what)
{
	/* Rate limit: the first few, then one in a thousand. */
	if (p->denied_logged++ < 4 || p->denied_logged % 1000 == 0)
		pr_warn("ipc: %s[%d] may not %s %d: EPERM (%u denied)\n",
			p->name, p->ep, what, dst, p->denied_logged);
}

static bool take_exit_notice(struct proc *p, message_t *m);

static const struct ipc_ops ops = { wake_proc, report_denied,
				    take_exit_notice };

void proc_init(void)
{
	for (unsigned i = 0; i < NR_PROCS; i++) {
		proc_table[i] = (struct proc){ 0 };
		proc_table[i].slot = i;
		proc_table[i].gen = 1;
		proc_table[i].ep = ENDPOINT_NONE;
		proc_table[i].rts = RTS_SLOT_FREE;
	}
	ipc_set_ops(&ops);
}

static struct proc *claim_slot(void)
{
	for (unsigned i = 0; i < NR_PROCS; i++)
		if (proc_table[i].rts & RTS_SLOT_FREE)
			return &proc_table[i];
	return NULL;
}

/* Back to a free slot with the next generation. ipc_lock held. */
static void release_slot(struct proc *p)
{
	p->gen = p->gen >= ENDPOINT_GEN_MAX ? 1 : p->gen + 1;
	p->ep = ENDPOINT_NONE;
	p->rts = RTS_SLOT_FREE;
	p->thread = NULL;
	p->exit_notices = 0;
}

struct proc *proc_create(const char *name, const struct priv *priv,
			 endpoint_t parent, int *err)
{
	struct vm_space *vm;
	struct proc *p;

	spin_lock(&ipc_lock);
	p = claim_slot();
	if (!p) {
		spin_unlock(&ipc_lock);
		*err = -EAGAIN;
		return NULL;
	}
	p->rts = RTS_STOPPED;
	p->ep = ENDPOINT(p->slot, p->gen);
	spin_unlock(&ipc_lock);

	vm = arch_vm_create_asid(p->slot + 1);
	if (!vm) {
		spin_lock(&ipc_lock);
		release_slot(p);
		spin_unlock(&ipc_lock);
		*err = -ENOMEM;
		return NULL;
	}
	strlcpy(p->name, name, sizeof(p->name));
	p->priv = *priv;
	p->parent = parent;
	p->vm = vm;
	p->sendto = p->getfrom = ENDPOINT_NONE;
	p->senders = p->next_sender = NULL;
	p->notify_pending = p->notify_hw = 0;
	p->notify_clock = false;
	p->in_sendrec = false;
	p->prio = PRIO_USER_DEFAULT;
	p->quantum_ms = SCHED_QUANTUM_MS;
	p->exit_status = p->exit_reason = 0;
	p->denied_logged = 0;
	grant_init(p);
	*err = 0;
	return p;
}

struct start_regs {
	uintptr_t pc, sp, a0;
};

static struct start_regs start_regs[NR_PROCS]; /* read once by the thread */

static void proc_thread_main(void *arg)
{
	struct proc *p = arg;
	struct start_regs r = start_regs[p->slot];

	if (READ_ONCE(p->rts) & RTS_DYING) /* killed before it first ran */
		proc_exit(p, p->exit_status, p->exit_reason);
	arch_user_enter(r.pc, r.sp, r.a0);
}

/*
 * The check and the transition out of RTS_STOPPED are one step under
 * ipc_lock, so a concurrent kill either finds the process stopped (and
 * frees it before we start it: we then fail) or running (and its thread,
 * once it runs, ends it).
 */
int proc_start(struct proc *p, uintptr_t pc, uintptr_t sp, uintptr_t a0)
{
	int tid;

	if (pc < USER_BASE || pc >= USER_TOP || sp <= USER_BASE ||
	    sp > USER_TOP || sp % 16)
		return -EINVAL;
	spin_lock(&ipc_lock);
	if (!(p->rts & RTS_STOPPED) || (p->rts & (RTS_DYING | RTS_SLOT_FREE)) ||
	    p->thread) {
		spin_unlock(&ipc_lock);
		return -EBUSY;
	}
	start_regs[p->slot] = (struct start_regs){ pc, sp, a0 };
	p->rts &= ~RTS_STOPPED;
	spin_unlock(&ipc_lock);
	tid = thread_create_user(p->name, proc_thread_main, p, p->vm, p,
				 p->prio, p->quantum_ms, &p->thread);
	if (tid < 0) {
		/* No thread: back to stopped; a kill meanwhile finds it so. */
		spin_lock(&ipc_lock);
		p->rts |= RTS_STOPPED;
		p->rts &= ~RTS_DYING;
		spin_unlock(&ipc_lock);
		return tid;
	}
	return 0;
}

/* Queue an exit notice for the parent, or hand it over if it waits. */
static void tell_parent(struct proc *p, int reason, int status)
{
	struct proc *parent = proc_lookup(p->parent);
	message_t *m;

	if (!parent)
		return;
	if ((parent->rts & RTS_RECEIVING) &&
	    (parent->getfrom == ENDPOINT_ANY ||
	     parent->getfrom == ENDPOINT_KERNEL)) {
		m = &parent->msg;
		*m = (message_t){ .m_source = ENDPOINT_KERNEL,
				  .m_type = EXIT_NOTICE };
		m->m_u64[0] = (uint64_t)(int64_t)p->ep;
		m->m_u64[1] = (uint64_t)reason;
		m->m_u64[2] = (uint64_t)(int64_t)status;
		parent->rts &= ~RTS_RECEIVING;
		parent->ipc_result = 0;
		wake_proc(parent);
		return;
	}
	if (parent->exit_notices < EXIT_NOTICES)
		notices[parent->slot][parent->exit_notices++] =
			(struct exit_notice){ p->ep, reason, status };
}

/* A pending exit notice for p (ipc.c's take_kernel_msg). ipc_lock held. */
static bool take_exit_notice(struct proc *p, message_t *m)
{
	struct exit_notice n;
	unsigned slot = p->slot;

	if (!p->exit_notices)
		return false;
	n = notices[slot][0];
	memmove(&notices[slot][0], &notices[slot][1],
		--p->exit_notices * sizeof(n));
	*m = (message_t){ .m_source = ENDPOINT_KERNEL, .m_type = EXIT_NOTICE };
	m->m_u64[0] = (uint64_t)(int64_t)n.child;
	m->m_u64[1] = (uint64_t)n.reason;
	m->m_u64[2] = (uint64_t)(int64_t)n.status;
	return true;
}

void __noreturn proc_exit(struct proc *p, int status, int reason)
{
	struct vm_space *vm = p->vm;
	struct thread *t = p->thread;

	alarm_set(p, 0);
	irq_user_release(p);
	spin_lock(&ipc_lock);
	p->rts |= RTS_DYING;
	ipc_cleanup(p);
	grant_revoke_all(p);
	tell_parent(p, reason, status);
	spin_unlock(&ipc_lock);
	if (reason == EXIT_REASON_EXIT)
		pr_info("proc: %s[%d] exited with status %d\n", p->name, p->ep,
			status);
	else if (reason == EXIT_REASON_KILLED)
		pr_info("proc: %s[%d] was killed\n", p->name, p->ep);
	/* Leave the space before freeing it: nothing may run on it after. */
	t->vm = NULL;
	arch_vm_activate(NULL);
	arch_vm_destroy(vm);
	spin_lock(&ipc_lock);
	p->vm = NULL;
	release_slot(p);
	spin_unlock(&ipc_lock);
	thread_exit();
}

int proc_kill(struct proc *p, int reason, int status)
{
	struct vm_space *vm = NULL;
	struct thread *t;
	int cpu;

	spin_lock(&ipc_lock);
	if (p->rts & (RTS_SLOT_FREE | RTS_DYING)) {
		spin_unlock(&ipc_lock);
		return -EDEADSRCDST;
	}
	p->exit_reason = reason;
	p->exit_status = status;
	if (p->rts & RTS_STOPPED) {
		/* Never started: there is no thread to end it. */
		p->rts |= RTS_DYING;
		ipc_cleanup(p);
		grant_revoke_all(p);
		tell_parent(p, reason, status);
		vm = p->vm;
		p->vm = NULL;
		release_slot(p);
		spin_unlock(&ipc_lock);
		arch_vm_destroy(vm); /* a process that never ran has no alarm */
		return 0;
	}
	p->rts |= RTS_DYING;
	wake_proc(p); /* if it sleeps in IPC, it wakes and ends itself */
	/*
	 * Read its hart under the lock: once unlocked it may finish exiting
	 * on another hart and its slot (and thread) go away.
	 */
	t = p->thread;
	cpu = t && t->state == THREAD_RUNNING ? t->cpu : -1;
	spin_unlock(&ipc_lock);
	if (cpu >= 0 && (unsigned)cpu != arch_cpu_id())
		arch_send_ipi((unsigned)cpu); /* trap it soon */
	return 0;
}

int proc_ipc_wait(struct proc *p)
{
	while ((p->rts & (RTS_SENDING | RTS_RECEIVING)) &&
	       !(p->rts & RTS_DYING))
		thread_sleep_on(p, &ipc_lock);
	if (p->rts & RTS_DYING)
		return -EINTR;
	return p->ipc_result;
}

unsigned proc_count(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < NR_PROCS; i++)
		n += !(READ_ONCE(proc_table[i].rts) & RTS_SLOT_FREE);
	return n;
}
