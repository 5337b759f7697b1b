/* SPDX-License-Identifier: MIT */
/*
 * Device interrupts: handlers registered per interrupt number, dispatched
 * from the external-interrupt trap after the controller names the source.
 * Handlers run with interrupts off and must be short: record and defer.
 */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include <kernel/types.h>

#define IRQ_MAX 128

typedef void (*irq_handler_fn)(void *arg);

/* Register handler for irq and route it to cpu; 0 or -errno. */
int irq_register(unsigned irq, irq_handler_fn fn, void *arg, const char *name,
		 unsigned cpu);
/* From the trap handler: claim, dispatch and complete pending sources. */
void irq_external_interrupt(void);
/* Times irq was handled, and times a claimed irq had no handler. */
uint64_t irq_count(unsigned irq);
uint64_t irq_spurious_count(void);
const char *irq_name(unsigned irq);

struct proc;
/* KC_IRQ_CTL for p: IRQ_SUBSCRIBE, IRQ_ACK or IRQ_UNSUBSCRIBE. */
int irq_user_ctl(struct proc *p, unsigned op, unsigned irq);
/* p is ending: drop every line it subscribed to. */
void irq_user_release(struct proc *p);

#endif
