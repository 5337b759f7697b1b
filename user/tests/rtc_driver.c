/* SPDX-License-Identifier: MIT */
/*
 * rtc_driver: a user-space driver of QEMU's goldfish RTC, to show that a
 * driver gets its device and interrupt only through its privileges.
 *
 * Its privilege set (PRIV_ID_RTC_DRIVER) lists the RTC's register page and
 * interrupt line, taken by the kernel from the device tree; the start
 * argument is that page's physical address and the line, packed as
 * (irq << 48 | phys). It maps the page, subscribes to the line, and three
 * times arms the RTC alarm 10 ms ahead, waits for the kernel's
 * notification from ENDPOINT_HARDWARE, clears the device's interrupt and
 * acknowledges the line. It also checks that it may not map the UART's
 * page nor subscribe to the UART's line (both -EPERM).
 */
#include <axolotl/errno.h>
#include <stdint.h>
#include <stdio.h>

#include <axo.h>

#define RTC_TIME_LOW 0x00
#define RTC_TIME_HIGH 0x04
#define RTC_ALARM_LOW 0x08
#define RTC_ALARM_HIGH 0x0c
#define RTC_IRQ_ENABLED 0x10
#define RTC_CLEAR_INTERRUPT 0x1c

#define UART_PAGE 0x10000000UL
#define UART_IRQ 10
#define ROUNDS 3

static volatile uint32_t *regs;

static uint32_t rd(unsigned off)
{
	return regs[off / 4];
}

static void wr(unsigned off, uint32_t v)
{
	regs[off / 4] = v;
}

static uint64_t rtc_now(void)
{
	uint64_t lo = rd(RTC_TIME_LOW); /* reading low latches high */

	return (uint64_t)rd(RTC_TIME_HIGH) << 32 | lo;
}

static void arm_alarm(uint64_t ns_ahead)
{
	uint64_t when = rtc_now() + ns_ahead;

	wr(RTC_ALARM_HIGH, (uint32_t)(when >> 32));
	wr(RTC_ALARM_LOW, (uint32_t)when); /* writing low arms it */
	wr(RTC_IRQ_ENABLED, 1);
}

static int wait_interrupt(unsigned round)
{
	message_t m;
	int r = ipc_receive(ENDPOINT_ANY, &m);

	if (r || m.m_source != ENDPOINT_HARDWARE ||
	    m.m_type != NOTIFY_MESSAGE || !(m.m_u64[0] & 1)) {
		printf("rtc_driver: round %u: got r=%d source %d type %#x bits %#lx (FAIL)\n",
		       round, r, m.m_source, m.m_type,
		       (unsigned long)m.m_u64[0]);
		return -1;
	}
	return 0;
}

static int check_denied(void)
{
	uintptr_t va = 0;
	int r1 = kc_mmio_map(UART_PAGE, 4096, &va);
	int r2 = kc_irq_ctl(IRQ_SUBSCRIBE, UART_IRQ);

	printf("rtc_driver: map the UART page = %d, subscribe to line %d = %d\n",
	       r1, UART_IRQ, r2);
	return r1 == -EPERM && r2 == -EPERM ? 0 : -1;
}

int main(long arg)
{
	uint64_t phys = (uint64_t)arg & 0xffffffffffffUL;
	unsigned irq = (unsigned)((uint64_t)arg >> 48);
	uintptr_t va = 0;
	int r;

	if (check_denied())
		return 1;
	r = kc_mmio_map(phys, 4096, &va);
	if (r) {
		printf("rtc_driver: map %#lx = %d (FAIL)\n",
		       (unsigned long)phys, r);
		return 1;
	}
	regs = (volatile uint32_t *)(uintptr_t)va;
	r = kc_irq_ctl(IRQ_SUBSCRIBE, irq);
	if (r) {
		printf("rtc_driver: subscribe to line %u = %d (FAIL)\n", irq,
		       r);
		return 1;
	}
	printf("rtc_driver: RTC at %#lx mapped at %#lx, line %u subscribed\n",
	       (unsigned long)phys, (unsigned long)va, irq);
	for (unsigned i = 1; i <= ROUNDS; i++) {
		arm_alarm(10 * 1000 * 1000);
		if (wait_interrupt(i))
			return 1;
		wr(RTC_CLEAR_INTERRUPT, 1);
		r = kc_irq_ctl(IRQ_ACK, irq);
		printf("rtc_driver: interrupt %u of %u received, acknowledged (%d)\n",
		       i, ROUNDS, r);
	}
	return 0;
}
