/* SPDX-License-Identifier: MIT */
/*
 * ipc_client: the client half of the IPC round-trip test. Its start
 * argument is the endpoint of a running ipc_server.
 *
 * It makes 1000 sendrec round trips, each with a new number and a pattern
 * in every other word of the message, and checks that each reply comes
 * from the server, is a PING_REPLY, carries the number plus one and the
 * pattern unchanged (so all eight message words crossed both ways), and
 * that every register the ABI preserves came back unchanged
 * (axo_ipc_regcheck: the kernel's fast path switches straight between
 * the two processes' frames). Then it sends, and makes a sendrec, to the
 * server's slot with the generation after and the one before the
 * server's own: these name no live process and must fail at once with
 * -EDEADSRCDST. Output, on success:
 *
 *	ipc_client: 1000 round trips ok
 *	ipc_client: 1000 round trips in <n> ms
 *	ipc_client: stale endpoint refused
 *
 * and exit status 0; otherwise a line saying what went wrong and 1.
 */
#include <stdio.h>
#include <axo.h>
#include <axolotl/errno.h>
#include "ping.h"

#define ROUND_TRIPS 1000

static uint64_t pattern(unsigned long i, unsigned w)
{
	return (0x9e3779b97f4a7c15ULL * (i + 1)) ^ ((uint64_t)w << 56);
}

static int round_trips(endpoint_t server)
{
	unsigned long i, changed;
	message_t m;
	unsigned w;
	int r;

	for (i = 0; i < ROUND_TRIPS; i++) {
		m = (message_t){ .m_type = PING_REQUEST };
		m.m_u64[0] = 1000000 + i;
		for (w = 1; w < IPC_MSG_WORDS - 1; w++)
			m.m_u64[w] = pattern(i, w);
		changed = axo_ipc_regcheck(IPC_SENDREC, server, &m, &r);
		if (changed) {
			printf("ipc_client: round trip %lu: registers changed: %#lx\n",
			       i, changed);
			return 1;
		}
		if (r) {
			printf("ipc_client: round trip %lu: sendrec failed: %d\n",
			       i, r);
			return 1;
		}
		if (m.m_source != server || m.m_type != PING_REPLY ||
		    m.m_u64[0] != 1000000 + i + 1) {
			printf("ipc_client: round trip %lu: bad reply: source %d type %#x value %lu\n",
			       i, m.m_source, (unsigned)m.m_type,
			       (unsigned long)m.m_u64[0]);
			return 1;
		}
		for (w = 1; w < IPC_MSG_WORDS - 1; w++) {
			if (m.m_u64[w] != pattern(i, w)) {
				printf("ipc_client: round trip %lu: word %u changed\n",
				       i, w);
				return 1;
			}
		}
	}
	return 0;
}

static int stale_send(endpoint_t server, int delta, int op)
{
	unsigned gen = (ENDPOINT_GEN(server) + delta) & ENDPOINT_GEN_MAX;
	endpoint_t stale = ENDPOINT(ENDPOINT_SLOT(server), gen);
	message_t m = { .m_type = PING_REQUEST };
	int r = axo_ipc(op, stale, &m);

	if (r != -EDEADSRCDST) {
		printf("ipc_client: op %d to stale endpoint %d = %d, expected %d (BUG)\n",
		       op, stale, r, -EDEADSRCDST);
		return 1;
	}
	return 0;
}

int main(long arg)
{
	endpoint_t server = (endpoint_t)arg;
	uint64_t t0 = 0, t1 = 0;

	if (arg < 0 || arg > INT32_MAX) {
		printf("ipc_client: no server endpoint (start argument %ld)\n",
		       arg);
		return 2;
	}
	kc_uptime(&t0, NULL);
	if (round_trips(server))
		return 1;
	kc_uptime(&t1, NULL);
	printf("ipc_client: %d round trips ok\n", ROUND_TRIPS);
	printf("ipc_client: %d round trips in %lu ms\n", ROUND_TRIPS,
	       (unsigned long)(t1 - t0));

	if (stale_send(server, 1, IPC_SEND) ||
	    stale_send(server, -1, IPC_SEND) ||
	    stale_send(server, 1, IPC_SENDREC) ||
	    stale_send(server, -1, IPC_SENDREC))
		return 1;
	printf("ipc_client: stale endpoint refused\n");
	return 0;
}
