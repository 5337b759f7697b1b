/* SPDX-License-Identifier: MIT */
/* Bring up the board's devices in dependency order. */
#include <plat/platform.h>

void uart_init(const struct dt_device *dev);
void plic_init(const struct platform_info *p);

void plat_init(const struct platform_info *p)
{
	uart_init(&p->uart);
	plic_init(p);
	plat_init_cpu(0);
}
