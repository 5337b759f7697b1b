/* SPDX-License-Identifier: MIT */
/*
 * The ns16550a UART that the device tree names as the console. Output is
 * polled (it must work with interrupts off and in a panic, so it takes no
 * lock: printk serialises normal output, and in emergency mode a lost or
 * interleaved byte is better than silence). Input arrives by interrupt
 * into a small ring that a kernel thread drains.
 */
#include <arch/mmu.h>
#include <kernel/irq.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/thread.h>
#include <plat/platform.h>

#define UART_RBR 0 /* receive buffer (read) */
#define UART_THR 0 /* transmit holding (write) */
#define UART_IER 1 /* interrupt enable */
#define UART_FCR 2 /* FIFO control (write) */
#define UART_LCR 3 /* line control */
#define UART_LSR 5 /* line status */
#define IER_RX 0x01
#define FCR_ENABLE_CLEAR 0x07
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20

#define RX_RING 256

static volatile uint8_t *uart;
static unsigned uart_irq;
static char rx_ring[RX_RING];
static unsigned rx_head, rx_tail; /* rx_lock */
static struct spinlock rx_lock = SPINLOCK_INIT("uart_rx");

static void uart_putc(char c)
{
	unsigned spins = 0;

	/* Bounded: a wedged UART must not hang a panic. */
	while (!(uart[UART_LSR] & LSR_THR_EMPTY) && ++spins < 1000000)
		;
	uart[UART_THR] = (uint8_t)c;
}

static void uart_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			uart_putc('\r');
		uart_putc(s[i]);
	}
}

static void uart_rx_interrupt(void *arg)
{
	(void)arg;
	spin_lock(&rx_lock);
	while (uart[UART_LSR] & LSR_DATA_READY) {
		char c = (char)uart[UART_RBR];

		if (rx_head - rx_tail < RX_RING)
			rx_ring[rx_head++ % RX_RING] = c;
	}
	spin_unlock(&rx_lock);
	thread_wakeup(&rx_ring);
}

char arch_console_getc(void)
{
	char c;

	spin_lock(&rx_lock);
	while (rx_head == rx_tail)
		thread_sleep_on(&rx_ring, &rx_lock);
	c = rx_ring[rx_tail++ % RX_RING];
	spin_unlock(&rx_lock);
	return c;
}

int arch_console_input_enable(void)
{
	int err;

	if (!uart || !uart_irq)
		return -1;
	err = irq_register(uart_irq, uart_rx_interrupt, NULL, "uart", 0);
	if (err)
		return err;
	uart[UART_IER] = IER_RX;
	return 0;
}

void uart_init(const struct dt_device *dev)
{
	if (!dev->present)
		return;
	uart = ioremap(dev->base, dev->size ? dev->size : 0x100);
	if (!uart) {
		pr_err("uart: cannot map %#lx\n", (unsigned long)dev->base);
		return;
	}
	uart_irq = dev->irq;
	uart[UART_IER] = 0;
	uart[UART_FCR] = FCR_ENABLE_CLEAR;
	console_register(uart_write);
	pr_info("uart: ns16550a at %#lx irq %u is the console\n",
		(unsigned long)dev->base, uart_irq);
}
