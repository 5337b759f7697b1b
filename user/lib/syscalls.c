/* SPDX-License-Identifier: MIT */
/*
 * Kernel-call helpers of libaxo: one function per call of
 * <axolotl/kcall.h>.
 *
 * A kernel call is IPC_KERNEL_CALL with m_type = KC_* and argument n in
 * m_u64[n]. Each helper builds that message, traps through axo_ipc(), and
 * returns the trap's error if there was one, else the reply's m_type (0 or
 * a negative errno); results are copied out of the reply's m_u64[] through
 * the pointers the caller passed, each of which may be NULL. Endpoints
 * travel sign-extended to 64 bits, as the kernel sends them back.
 */
#include <string.h>
#include <axo.h>

#define EP_ARG(ep) ((uint64_t)(int64_t)(ep))
#define PTR_ARG(p) ((uint64_t)(uintptr_t)(p))

int kcall(int kc, message_t *m)
{
	int r;

	m->m_source = 0;
	m->m_type = kc;
	r = axo_ipc(IPC_KERNEL_CALL, ENDPOINT_KERNEL, m);
	return r ? r : m->m_type;
}

int kcall_args(int kc, message_t *reply, uint64_t a0, uint64_t a1, uint64_t a2,
	       uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6)
{
	message_t m = {
		.m_u64 = { a0, a1, a2, a3, a4, a5, a6 },
	};
	int r = kcall(kc, &m);

	if (reply)
		*reply = m;
	return r;
}

/* The common shapes: up to five arguments, the reply kept in *m. */
static int kc5(int kc, message_t *m, uint64_t a0, uint64_t a1, uint64_t a2,
	       uint64_t a3, uint64_t a4)
{
	*m = (message_t){ .m_u64 = { a0, a1, a2, a3, a4 } };
	return kcall(kc, m);
}

static int kc0(int kc, message_t *m)
{
	return kc5(kc, m, 0, 0, 0, 0, 0);
}

int kc_null(void)
{
	message_t m;

	return kc0(KC_NULL, &m);
}

int kc_getinfo(endpoint_t *self, endpoint_t *parent, uint64_t *priv_flags)
{
	message_t m;
	int r = kc0(KC_GETINFO, &m);

	if (r)
		return r;
	if (self)
		*self = (endpoint_t)m.m_u64[0];
	if (parent)
		*parent = (endpoint_t)m.m_u64[1];
	if (priv_flags)
		*priv_flags = m.m_u64[2];
	return 0;
}

int kc_debug_write(const void *buf, size_t len)
{
	message_t m;

	return kc5(KC_DEBUG_WRITE, &m, PTR_ARG(buf), len, 0, 0, 0);
}

void kc_exit(int status)
{
	message_t m;

	kc5(KC_EXIT, &m, (uint64_t)(int64_t)status, 0, 0, 0, 0);
	/* Not reached unless the kernel refused: never run main's caller. */
	for (;;)
		kc0(KC_YIELD, &m);
}

int kc_yield(void)
{
	message_t m;

	return kc0(KC_YIELD, &m);
}

int kc_sleep(uint64_t ms)
{
	message_t m;

	return kc5(KC_SLEEP, &m, ms, 0, 0, 0, 0);
}

int kc_uptime(uint64_t *ms, uint64_t *ticks)
{
	message_t m;
	int r = kc0(KC_UPTIME, &m);

	if (r)
		return r;
	if (ms)
		*ms = m.m_u64[0];
	if (ticks)
		*ticks = m.m_u64[1];
	return 0;
}

int kc_proc_create(const char *name, uint64_t priv_id, endpoint_t *ep)
{
	message_t m;
	int r = kc5(KC_PROC_CREATE, &m, PTR_ARG(name), priv_id, 0, 0, 0);

	if (!r && ep)
		*ep = (endpoint_t)m.m_u64[0];
	return r;
}

int kc_proc_start(endpoint_t ep, uintptr_t pc, uintptr_t sp, uint64_t a0)
{
	message_t m;

	return kc5(KC_PROC_START, &m, EP_ARG(ep), pc, sp, a0, 0);
}

int kc_proc_destroy(endpoint_t ep)
{
	message_t m;

	return kc5(KC_PROC_DESTROY, &m, EP_ARG(ep), 0, 0, 0, 0);
}

int kc_vm_map(endpoint_t ep, uintptr_t va, size_t len, unsigned rights)
{
	message_t m;

	return kc5(KC_VM_MAP, &m, EP_ARG(ep), va, len, rights, 0);
}

int kc_vm_unmap(endpoint_t ep, uintptr_t va, size_t len)
{
	message_t m;

	return kc5(KC_VM_UNMAP, &m, EP_ARG(ep), va, len, 0, 0);
}

int kc_vm_copy(endpoint_t src, endpoint_t dst, uintptr_t va, size_t len)
{
	message_t m;

	return kc5(KC_VM_COPY, &m, EP_ARG(src), EP_ARG(dst), va, len, 0);
}

int kc_vm_clear(endpoint_t ep, uintptr_t va, size_t len)
{
	message_t m;

	return kc5(KC_VM_CLEAR, &m, EP_ARG(ep), va, len, 0, 0);
}

int kc_vm_write(endpoint_t ep, uintptr_t dst, const void *src, size_t len)
{
	message_t m;

	return kc5(KC_VM_WRITE, &m, EP_ARG(ep), dst, PTR_ARG(src), len, 0);
}

int kc_mmio_map(uint64_t phys, size_t len, uintptr_t *va)
{
	message_t m;
	int r = kc5(KC_MMIO_MAP, &m, phys, len, 0, 0, 0);

	if (!r && va)
		*va = (uintptr_t)m.m_u64[0];
	return r;
}

int kc_irq_ctl(unsigned op, unsigned irq)
{
	message_t m;

	return kc5(KC_IRQ_CTL, &m, op, irq, 0, 0, 0);
}

int kc_grant_create(endpoint_t grantee, uintptr_t va, size_t len,
		    unsigned access, axo_grant_t *id)
{
	message_t m;
	int r = kc5(KC_GRANT_CREATE, &m, EP_ARG(grantee), va, len, access, 0);

	if (!r && id)
		*id = (axo_grant_t)m.m_u64[0];
	return r;
}

int kc_grant_revoke(axo_grant_t id)
{
	message_t m;

	return kc5(KC_GRANT_REVOKE, &m, (uint64_t)id, 0, 0, 0, 0);
}

int kc_safecopy_from(endpoint_t grantor, axo_grant_t grant, size_t offset,
		     void *dst, size_t len)
{
	message_t m;

	return kc5(KC_SAFECOPY_FROM, &m, EP_ARG(grantor), (uint64_t)grant,
		   offset, PTR_ARG(dst), len);
}

int kc_safecopy_to(endpoint_t grantor, axo_grant_t grant, size_t offset,
		   const void *src, size_t len)
{
	message_t m;

	return kc5(KC_SAFECOPY_TO, &m, EP_ARG(grantor), (uint64_t)grant, offset,
		   PTR_ARG(src), len);
}

int kc_sched_set(endpoint_t ep, unsigned prio, unsigned quantum_ms)
{
	message_t m;

	return kc5(KC_SCHED_SET, &m, EP_ARG(ep), prio, quantum_ms, 0, 0);
}

int kc_alarm(uint64_t ms)
{
	message_t m;

	return kc5(KC_ALARM, &m, ms, 0, 0, 0, 0);
}

int kc_kill(endpoint_t ep, int reason)
{
	message_t m;

	return kc5(KC_KILL, &m, EP_ARG(ep), (uint64_t)(int64_t)reason, 0, 0, 0);
}

int kc_proc_info(unsigned slot, struct axo_proc_info *info)
{
	message_t m;
	int r = kc5(KC_PROC_INFO, &m, slot, 0, 0, 0, 0);

	if (r || !info)
		return r;
	info->ep = (endpoint_t)m.m_u64[0];
	info->state = m.m_u64[1];
	info->prio = m.m_u64[2];
	info->cpu = m.m_u64[3];
	info->pages = m.m_u64[4];
	/* [5..6]: up to 16 bytes of name, not necessarily terminated */
	memcpy(info->name, &m.m_u64[5], 16);
	info->name[16] = '\0';
	return 0;
}

int kc_mem_info(uint64_t *total_pages, uint64_t *free_pages,
		uint64_t *kmalloc_bytes)
{
	message_t m;
	int r = kc0(KC_MEM_INFO, &m);

	if (r)
		return r;
	if (total_pages)
		*total_pages = m.m_u64[0];
	if (free_pages)
		*free_pages = m.m_u64[1];
	if (kmalloc_bytes)
		*kmalloc_bytes = m.m_u64[2];
	return 0;
}

int kc_tunable_get(const char *name, int64_t *value)
{
	message_t m;
	int r = kc5(KC_TUNABLE_GET, &m, PTR_ARG(name), 0, 0, 0, 0);

	if (!r && value)
		*value = (int64_t)m.m_u64[0];
	return r;
}

int kc_tunable_set(const char *name, int64_t value)
{
	message_t m;

	return kc5(KC_TUNABLE_SET, &m, PTR_ARG(name), (uint64_t)value, 0, 0, 0);
}

int kc_reboot(int reboot)
{
	message_t m;

	return kc5(KC_REBOOT, &m, (uint64_t)(int64_t)reboot, 0, 0, 0, 0);
}

int kc_crashtest(const char *name)
{
	message_t m;

	return kc5(KC_CRASHTEST, &m, PTR_ARG(name), 0, 0, 0, 0);
}

int kc_log_read(uint64_t *seq, char *buf, size_t len, int max_level)
{
	message_t m;
	int r = kc5(KC_LOG_READ, &m, *seq, PTR_ARG(buf), len,
		    (uint64_t)(int64_t)max_level, 0);

	if (r)
		return r;
	*seq = m.m_u64[0];
	return (int)m.m_u64[1];
}

int kc_tunable_list(unsigned index, char *name, size_t size,
		    struct axo_tunable *t)
{
	message_t m;
	int r = kc5(KC_TUNABLE_LIST, &m, index, PTR_ARG(name), size, 0, 0);

	if (r || !t)
		return r;
	t->value = (int64_t)m.m_u64[0];
	t->min = (int64_t)m.m_u64[1];
	t->max = (int64_t)m.m_u64[2];
	t->type = (int)m.m_u64[3];
	return 0;
}
