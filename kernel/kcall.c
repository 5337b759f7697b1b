/* SPDX-License-Identifier: MIT */
/*
 * Kernel calls: one handler per call, in a table with the call's name.
 * Each handler distrusts every argument: endpoints are looked up (a stale
 * one fails), addresses and lengths are range- and overflow-checked and
 * reach memory only through the target space's page tables, so a bad
 * pointer is -EFAULT and never an oops. docs/kernel-calls.md is the table.
 */
#include <axolotl/errno.h>
#include <kernel/alarm.h>
#include <kernel/boot.h>
#include <kernel/cpu.h>
#include <kernel/crashtest.h>
#include <kernel/grant.h>
#include <kernel/ipc.h>
#include <kernel/irq.h>
#include <kernel/kcall.h>
#include <kernel/kmalloc.h>
#include <kernel/page_alloc.h>
#include <kernel/printk.h>
#include <kernel/procmgr.h>
#include <kernel/string.h>
#include <kernel/thread.h>
#include <kernel/timer.h>
#include <kernel/tunable.h>

#define DEBUG_WRITE_MAX 256
#define SAFECOPY_MAX (1UL << 20)
#define NAME_MAX 64
#define USER_MMIO_BASE 0x2000000000UL /* device mappings in user space */

int vm_copy_between(struct vm_space *dst_vm, vaddr_t dst,
		    struct vm_space *src_vm, vaddr_t src, size_t len,
		    bool force);

int vm_clear(struct vm_space *vm, vaddr_t va, size_t len);

#define ARG(m, i) ((m)->m_u64[i])
#define BIT(k) (1ULL << (k))

static const uint64_t user_kcalls =
	BIT(KC_NULL) | BIT(KC_GETINFO) | BIT(KC_DEBUG_WRITE) | BIT(KC_EXIT) |
	BIT(KC_YIELD) | BIT(KC_SLEEP) | BIT(KC_UPTIME) | BIT(KC_VM_MAP) |
	BIT(KC_VM_UNMAP) | BIT(KC_GRANT_CREATE) | BIT(KC_GRANT_REVOKE) |
	BIT(KC_SAFECOPY_FROM) | BIT(KC_SAFECOPY_TO) | BIT(KC_ALARM) |
	BIT(KC_PROC_INFO) | BIT(KC_MEM_INFO) | BIT(KC_TUNABLE_GET) |
	BIT(KC_LOG_READ) | BIT(KC_TUNABLE_LIST);

bool priv_from_id(unsigned id, struct priv *out)
{
	*out = (struct priv){ 0 };
	switch (id) {
	case PRIV_ID_USER:
		out->kcalls = user_kcalls;
		out->send_to_any = true;
		return true;
	case PRIV_ID_SYSTEM:
		out->flags = PRIV_SYS;
		out->kcalls = BIT(KC_COUNT) - 1;
		out->send_to_any = true;
		return true;
	case PRIV_ID_RTC_DRIVER:
		/* Least privilege: its device's page and line, no IPC peers. */
		out->kcalls = user_kcalls | BIT(KC_MMIO_MAP) | BIT(KC_IRQ_CTL);
		if (boot_platform.rtc.present) {
			out->mmio[0].base =
				ALIGN_DOWN(boot_platform.rtc.base, PAGE_SIZE);
			out->mmio[0].size = PAGE_SIZE;
			out->irqs[0] = boot_platform.rtc.irq;
		}
		return true;
	case PRIV_ID_RESTRICTED:
		out->kcalls = BIT(KC_NULL) | BIT(KC_GETINFO) |
			      BIT(KC_DEBUG_WRITE) | BIT(KC_EXIT) |
			      BIT(KC_UPTIME);
		return true;
	default:
		return false;
	}
}

/* A copy of a NUL-terminated user string of at most max-1 bytes. */
static int user_string(vaddr_t uaddr, char *buf, size_t max)
{
	for (size_t i = 0; i < max; i++) {
		if (arch_copy_from_user(&buf[i], uaddr + i, 1))
			return -EFAULT;
		if (!buf[i])
			return 0;
	}
	return -ENAMETOOLONG;
}

/*
 * The address space of the process ep names, if caller may act on it (it
 * is the caller or the caller's child and not dying), with a reference
 * the caller drops with arch_vm_destroy() when done.
 */
static struct vm_space *target_vm(struct proc *caller, endpoint_t ep, int *err)
{
	struct vm_space *vm = NULL;
	struct proc *t;

	spin_lock(&ipc_lock);
	t = ep == ENDPOINT_SELF ? caller : proc_lookup(ep);
	if (!t || (t->rts & RTS_DYING) || !t->vm)
		*err = -EDEADSRCDST;
	else if (t != caller && t->parent != caller->ep)
		*err = -EPERM;
	else
		vm = t->vm;
	if (vm)
		arch_vm_get(vm);
	spin_unlock(&ipc_lock);
	return vm;
}

/* The child process ep names, for start and destroy. */
static struct proc *child(struct proc *caller, endpoint_t ep, int *err)
{
	struct proc *t;

	spin_lock(&ipc_lock);
	t = proc_lookup(ep);
	if (!t)
		*err = -EDEADSRCDST;
	else if (t == caller)
		*err = -EINVAL;
	else if (t->parent != caller->ep)
		*err = -EPERM;
	spin_unlock(&ipc_lock);
	return *err ? NULL : t;
}

static int kc_null(struct proc *p, message_t *m)
{
	(void)p, (void)m;
	return 0;
}

static int kc_getinfo(struct proc *p, message_t *m)
{
	ARG(m, 0) = (uint64_t)(int64_t)p->ep;
	ARG(m, 1) = (uint64_t)(int64_t)p->parent;
	ARG(m, 2) = p->priv.flags;
	ARG(m, 3) = p->slot;
	return 0;
}

static int kc_debug_write(struct proc *p, message_t *m)
{
	size_t len = ARG(m, 1);
	char buf[DEBUG_WRITE_MAX + 1];

	if (len > DEBUG_WRITE_MAX)
		return -EINVAL;
	if (arch_copy_from_user(buf, ARG(m, 0), len))
		return -EFAULT;
	while (len && buf[len - 1] == '\n')
		len--;
	if (!len)
		return 0; /* nothing worth a log line */
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)buf[i] < ' ' || buf[i] == 0x7f)
			buf[i] = '?';
	buf[len] = '\0';
	printk(LOG_INFO, "%s[%d]: %s\n", p->name, p->ep, buf);
	return 0;
}

static int kc_exit(struct proc *p, message_t *m)
{
	proc_exit(p, (int)ARG(m, 0), EXIT_REASON_EXIT);
}

static int kc_yield(struct proc *p, message_t *m)
{
	(void)p, (void)m;
	thread_yield();
	return 0;
}

static int kc_sleep(struct proc *p, message_t *m)
{
	(void)p;
	if (ARG(m, 0) > 3600 * 1000)
		return -EINVAL;
	thread_sleep_ms((unsigned)ARG(m, 0));
	return 0;
}

static int kc_uptime(struct proc *p, message_t *m)
{
	(void)p;
	ARG(m, 0) = uptime_ms();
	ARG(m, 1) = this_cpu()->ticks;
	return 0;
}

static int kc_proc_create(struct proc *p, message_t *m)
{
	char name[PROC_NAME_MAX];
	struct priv priv;
	struct proc *child;
	int err = user_string(ARG(m, 0), name, sizeof(name));

	if (err)
		return err;
	if (!priv_from_id((unsigned)ARG(m, 1), &priv))
		return -EINVAL;
	child = proc_create(name, &priv, p->ep, &err);
	if (!child)
		return err;
	ARG(m, 0) = (uint64_t)(int64_t)child->ep;
	return 0;
}

static int kc_proc_start(struct proc *p, message_t *m)
{
	int err = 0;
	struct proc *t = child(p, (endpoint_t)ARG(m, 0), &err);

	return t ? proc_start(t, ARG(m, 1), ARG(m, 2), ARG(m, 3)) : err;
}

static int kc_proc_destroy(struct proc *p, message_t *m)
{
	int err = 0;
	struct proc *t = child(p, (endpoint_t)ARG(m, 0), &err);

	return t ? proc_kill(t, EXIT_REASON_KILLED, 0) : err;
}

static int kc_vm_map(struct proc *p, message_t *m)
{
	int err = 0;
	struct vm_space *vm;

	if (ARG(m, 3) > 7)
		return -EINVAL;
	vm = target_vm(p, (endpoint_t)ARG(m, 0), &err);
	if (!vm)
		return err;
	err = arch_vm_map(vm, ARG(m, 1), ARG(m, 2), (unsigned)ARG(m, 3));
	arch_vm_destroy(vm);
	return err;
}

static int kc_vm_unmap(struct proc *p, message_t *m)
{
	int err = 0;
	struct vm_space *vm = target_vm(p, (endpoint_t)ARG(m, 0), &err);

	if (!vm)
		return err;
	err = arch_vm_unmap(vm, ARG(m, 1), ARG(m, 2));
	arch_vm_destroy(vm);
	return err;
}

static int kc_vm_copy(struct proc *p, message_t *m)
{
	int err = 0;
	struct vm_space *src, *dst = NULL;

	if (ARG(m, 3) > SAFECOPY_MAX * 64)
		return -EINVAL;
	src = target_vm(p, (endpoint_t)ARG(m, 0), &err);
	if (src)
		dst = target_vm(p, (endpoint_t)ARG(m, 1), &err);
	if (dst)
		err = vm_copy_between(dst, ARG(m, 2), src, ARG(m, 2), ARG(m, 3),
				      true);
	arch_vm_destroy(src);
	arch_vm_destroy(dst);
	return err;
}

static int kc_vm_clear(struct proc *p, message_t *m)
{
	vaddr_t va = ARG(m, 1);
	size_t len = ARG(m, 2);
	struct vm_space *vm;
	int err = 0;

	if (va + len < va || !IS_ALIGNED(va | len, PAGE_SIZE))
		return -EINVAL;
	vm = target_vm(p, (endpoint_t)ARG(m, 0), &err);
	if (!vm)
		return err;
	err = vm_clear(vm, va, len);
	arch_vm_destroy(vm);
	return err;
}

static int kc_vm_write(struct proc *p, message_t *m)
{
	int err = 0;
	struct vm_space *vm;

	if (ARG(m, 3) > SAFECOPY_MAX * 64)
		return -EINVAL;
	vm = target_vm(p, (endpoint_t)ARG(m, 0), &err);
	if (!vm)
		return err;
	err = vm_copy_between(vm, ARG(m, 1), p->vm, ARG(m, 2), ARG(m, 3), true);
	arch_vm_destroy(vm);
	return err;
}

static int kc_mmio_map(struct proc *p, message_t *m)
{
	paddr_t pa = ARG(m, 0);
	size_t len = ARG(m, 1);
	int err;

	if (!len || pa + len < pa || !IS_ALIGNED(pa | len, PAGE_SIZE) ||
	    pa + len > USER_TOP - USER_MMIO_BASE)
		return -EINVAL;
	for (unsigned i = 0; i < PRIV_MAX_MMIO; i++) {
		paddr_t lo = p->priv.mmio[i].base;
		paddr_t hi = lo + p->priv.mmio[i].size;

		if (p->priv.mmio[i].size && pa >= lo && pa + len <= hi) {
			err = arch_vm_map_device(p->vm, USER_MMIO_BASE + pa, pa,
						 len);
			if (err)
				return err;
			ARG(m, 0) = USER_MMIO_BASE + pa;
			return 0;
		}
	}
	return -EPERM;
}

static int kc_irq_ctl(struct proc *p, message_t *m)
{
	(void)p, (void)m;
	return irq_user_ctl(p, (unsigned)ARG(m, 0), (unsigned)ARG(m, 1));
}

static int kc_grant_create(struct proc *p, message_t *m)
{
	grant_id_t id;

	spin_lock(&ipc_lock);
	id = grant_create(p, (endpoint_t)ARG(m, 0), ARG(m, 1), ARG(m, 2),
			  (unsigned)ARG(m, 3));
	spin_unlock(&ipc_lock);
	if (id < 0)
		return (int)id;
	ARG(m, 0) = (uint64_t)id;
	return 0;
}

static int kc_grant_revoke(struct proc *p, message_t *m)
{
	int err;

	spin_lock(&ipc_lock);
	err = grant_revoke(p, (grant_id_t)ARG(m, 0));
	spin_unlock(&ipc_lock);
	return err;
}

/*
 * Copy through a grant. ipc_lock is held for the copy, so the grantor can
 * neither revoke nor free its memory under it (its exit takes the lock).
 */
static int safecopy(struct proc *p, message_t *m, unsigned access)
{
	size_t len = ARG(m, 4);
	struct proc *owner;
	vaddr_t addr;
	int err;

	if (len > SAFECOPY_MAX)
		return -EINVAL;
	spin_lock(&ipc_lock);
	owner = proc_lookup((endpoint_t)ARG(m, 0));
	if (!owner) {
		spin_unlock(&ipc_lock);
		return -EDEADSRCDST;
	}
	err = grant_check(owner, (grant_id_t)ARG(m, 1), p, ARG(m, 2), len,
			  access, &addr);
	if (!err && len) {
		if (access == GRANT_READ)
			err = vm_copy_between(p->vm, ARG(m, 3), owner->vm, addr,
					      len, false);
		else
			err = vm_copy_between(owner->vm, addr, p->vm, ARG(m, 3),
					      len, false);
	}
	spin_unlock(&ipc_lock);
	return err;
}

static int kc_safecopy_from(struct proc *p, message_t *m)
{
	return safecopy(p, m, GRANT_READ);
}

static int kc_safecopy_to(struct proc *p, message_t *m)
{
	return safecopy(p, m, GRANT_WRITE);
}

static int kc_sched_set(struct proc *p, message_t *m)
{
	endpoint_t ep = (endpoint_t)ARG(m, 0);
	struct proc *t;
	int err = 0;

	if (ARG(m, 1) >= SCHED_NR_PRIO || ARG(m, 2) == 0 || ARG(m, 2) > 10000)
		return -EINVAL;
	spin_lock(&ipc_lock);
	t = ep == ENDPOINT_SELF ? p : proc_lookup(ep);
	if (!t || (t->rts & RTS_DYING)) {
		err = -EDEADSRCDST;
	} else {
		t->prio = (unsigned)ARG(m, 1);
		t->quantum_ms = (unsigned)ARG(m, 2);
		if (t->thread) /* else it applies when the process starts */
			err = sched_set_params(t->thread, t->prio,
					       t->quantum_ms);
	}
	spin_unlock(&ipc_lock);
	return err;
}

static int kc_alarm(struct proc *p, message_t *m)
{
	if (ARG(m, 0) > 3600 * 1000)
		return -EINVAL;
	return alarm_set(p, ARG(m, 0));
}

static int kc_kill(struct proc *p, message_t *m)
{
	struct proc *t;

	spin_lock(&ipc_lock);
	t = proc_lookup((endpoint_t)ARG(m, 0));
	spin_unlock(&ipc_lock);
	if (!t)
		return -EDEADSRCDST;
	if (t == p)
		return -EINVAL;
	return proc_kill(t, EXIT_REASON_KILLED, (int)ARG(m, 1));
}

static int kc_proc_info(struct proc *p, message_t *m)
{
	unsigned slot = (unsigned)ARG(m, 0);
	struct proc *t;

	(void)p;
	if (slot >= NR_PROCS)
		return -EINVAL;
	t = &proc_table[slot];
	spin_lock(&ipc_lock);
	if (t->rts & RTS_SLOT_FREE) {
		spin_unlock(&ipc_lock);
		return -ESRCH;
	}
	ARG(m, 0) = (uint64_t)(int64_t)t->ep;
	ARG(m, 1) = t->rts;
	ARG(m, 2) = t->prio;
	ARG(m, 3) = t->thread ? (uint64_t)(int64_t)t->thread->cpu : ~0ULL;
	ARG(m, 4) = t->vm ? arch_vm_pages(t->vm) : 0;
	memcpy(&ARG(m, 5), t->name, sizeof(t->name));
	spin_unlock(&ipc_lock);
	return 0;
}

static int kc_mem_info(struct proc *p, message_t *m)
{
	struct page_stats ps;
	struct kmalloc_stats ks;

	(void)p;
	page_get_stats(&ps);
	kmalloc_get_stats(&ks);
	ARG(m, 0) = ps.total;
	ARG(m, 1) = ps.free;
	ARG(m, 2) = ks.bytes_in_use;
	ARG(m, 3) = proc_count();
	ARG(m, 4) = thread_count();
	return 0;
}

/* The tunable named by the user string at [0]: its id, or -errno. */
static int tunable_arg(message_t *m)
{
	char name[NAME_MAX];
	int err = user_string(ARG(m, 0), name, sizeof(name));

	return err ? err : tunable_lookup(name);
}

static int kc_tunable_get(struct proc *p, message_t *m)
{
	int id = tunable_arg(m);

	(void)p;
	if (id < 0)
		return id;
	ARG(m, 0) = (uint64_t)tunable_get((enum tunable_id)id);
	return 0;
}

static int kc_tunable_set(struct proc *p, message_t *m)
{
	int id = tunable_arg(m);

	(void)p;
	if (id < 0)
		return id;
	return tunable_set_id((enum tunable_id)id, (int64_t)ARG(m, 1));
}

static int kc_reboot(struct proc *p, message_t *m)
{
	if (ARG(m, 0) > 1)
		return -EINVAL;
	pr_notice("%s[%d]: %s\n", p->name, p->ep,
		  ARG(m, 0) ? "reboot" : "power off");
	arch_system_reset(ARG(m, 0) == 1);
}

static int kc_crashtest(struct proc *p, message_t *m)
{
	char name[NAME_MAX];
	int err = user_string(ARG(m, 0), name, sizeof(name));

	(void)p;
	if (err)
		return err;
	return crashtest_start(name);
}

/*
 * Whole console lines of the kernel log from sequence number [0] on, of
 * level <= [3], into the caller's buffer; [0] comes back as the cursor
 * for the next call and [1] as the bytes stored (0: nothing newer).
 */
static int kc_log_read(struct proc *p, message_t *m)
{
	static char buf[MAX_CPUS][LOG_READ_MAX]; /* one per hart: no lock */
	char *out = buf[this_cpu()->id];
	uint64_t seq = ARG(m, 0);
	size_t len = ARG(m, 2), n;

	(void)p;
	if (len == 0 || len > LOG_READ_MAX || ARG(m, 3) > LOG_DEBUG)
		return -EINVAL;
	n = log_read(&seq, out, len, (int)ARG(m, 3));
	if (n && arch_copy_to_user(ARG(m, 1), out, n))
		return -EFAULT;
	ARG(m, 0) = seq;
	ARG(m, 1) = n;
	return 0;
}

/* Tunable number [0]: its name into [1] (size [2]), value and range. */
static int kc_tunable_list(struct proc *p, message_t *m)
{
	const struct tunable *t;
	size_t len;

	(void)p;
	if (ARG(m, 0) >= TUNABLE_COUNT)
		return -ENOENT;
	t = tunable_at((unsigned)ARG(m, 0));
	len = strlen(t->name) + 1;
	if (ARG(m, 2) < len)
		return -ENAMETOOLONG;
	if (arch_copy_to_user(ARG(m, 1), t->name, len))
		return -EFAULT;
	ARG(m, 0) = (uint64_t)tunable_value(t);
	ARG(m, 1) = (uint64_t)t->min;
	ARG(m, 2) = (uint64_t)t->max;
	ARG(m, 3) = t->type == TUNABLE_BOOL ? TUNABLE_TYPE_BOOL :
					      TUNABLE_TYPE_INT;
	return 0;
}

struct kcall_entry {
	const char *name;
	int (*fn)(struct proc *p, message_t *m);
};

static const struct kcall_entry kcalls[KC_COUNT] = {
	[KC_NULL] = { "null", kc_null },
	[KC_GETINFO] = { "getinfo", kc_getinfo },
	[KC_DEBUG_WRITE] = { "debug_write", kc_debug_write },
	[KC_EXIT] = { "exit", kc_exit },
	[KC_YIELD] = { "yield", kc_yield },
	[KC_SLEEP] = { "sleep", kc_sleep },
	[KC_UPTIME] = { "uptime", kc_uptime },
	[KC_PROC_CREATE] = { "proc_create", kc_proc_create },
	[KC_PROC_START] = { "proc_start", kc_proc_start },
	[KC_PROC_DESTROY] = { "proc_destroy", kc_proc_destroy },
	[KC_VM_MAP] = { "vm_map", kc_vm_map },
	[KC_VM_UNMAP] = { "vm_unmap", kc_vm_unmap },
	[KC_VM_COPY] = { "vm_copy", kc_vm_copy },
	[KC_VM_CLEAR] = { "vm_clear", kc_vm_clear },
	[KC_VM_WRITE] = { "vm_write", kc_vm_write },
	[KC_MMIO_MAP] = { "mmio_map", kc_mmio_map },
	[KC_IRQ_CTL] = { "irq_ctl", kc_irq_ctl },
	[KC_GRANT_CREATE] = { "grant_create", kc_grant_create },
	[KC_GRANT_REVOKE] = { "grant_revoke", kc_grant_revoke },
	[KC_SAFECOPY_FROM] = { "safecopy_from", kc_safecopy_from },
	[KC_SAFECOPY_TO] = { "safecopy_to", kc_safecopy_to },
	[KC_SCHED_SET] = { "sched_set", kc_sched_set },
	[KC_ALARM] = { "alarm", kc_alarm },
	[KC_KILL] = { "kill", kc_kill },
	[KC_PROC_INFO] = { "proc_info", kc_proc_info },
	[KC_MEM_INFO] = { "mem_info", kc_mem_info },
	[KC_TUNABLE_GET] = { "tunable_get", kc_tunable_get },
	[KC_TUNABLE_SET] = { "tunable_set", kc_tunable_set },
	[KC_REBOOT] = { "reboot", kc_reboot },
	[KC_CRASHTEST] = { "crashtest", kc_crashtest },
	[KC_LOG_READ] = { "log_read", kc_log_read },
	[KC_TUNABLE_LIST] = { "tunable_list", kc_tunable_list },
};

const char *kcall_name(unsigned k)
{
	return k < KC_COUNT && kcalls[k].name ? kcalls[k].name : "?";
}

void kcall_dispatch(struct proc *caller, message_t *m)
{
	unsigned k = (unsigned)m->m_type;
	int r;

	if ((uint32_t)m->m_type >= KC_COUNT || !kcalls[k].fn) {
		r = -ENOSYS;
	} else if (!priv_may_kcall(caller, k)) {
		if (caller->denied_logged++ < 4 ||
		    caller->denied_logged % 1000 == 0)
			pr_warn("kcall: %s[%d] may not call %s: EPERM (%u denied)\n",
				caller->name, caller->ep, kcall_name(k),
				caller->denied_logged);
		r = -EPERM;
	} else {
		r = kcalls[k].fn(caller, m);
	}
	m->m_source = ENDPOINT_KERNEL;
	m->m_type = r;
}
