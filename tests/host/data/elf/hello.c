/* SPDX-License-Identifier: MIT */
/*
 * The user program behind the ELF fixtures of tests/host/test_elf.c: code
 * and read-only data for the text segment, initialised data and bss for
 * the data segment. It is never run; only its layout matters.
 */
static const char msg[] = "hello from user mode\n";
long counter = 5;
char buf[4096];

void _start(void)
{
	for (unsigned i = 0; i < sizeof(msg); i++)
		buf[i] = msg[i] + counter;
	for (;;)
		__asm__ volatile("ecall");
}
