/* SPDX-License-Identifier: MIT */
/*
 * spin: print one line, then loop for ever without a single trap, so
 * that only the timer can take the CPU away from it. A test starts it
 * next to other programs and checks that they still run (preemption).
 *
 *	spin: spinning
 */
#include <stdio.h>
#include <axo.h>

int main(void)
{
	volatile unsigned long n = 0;

	printf("spin: spinning\n");
	for (;;)
		n++;
}
