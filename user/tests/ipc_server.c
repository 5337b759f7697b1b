/* SPDX-License-Identifier: MIT */
/*
 * ipc_server: the server half of the IPC round-trip test (see
 * ipc_client.c). It receives from anyone, and answers each request
 * (m_type PING_REQUEST) with m_type PING_REPLY and m_u64[0] + 1, sent to
 * the requester, which is waiting in the receive half of its sendrec:
 * with ipc_replyrecv, whose trap also receives the next request, when
 * m_u64[0] + 1 is odd, else with ipc_send and then ipc_receive (so that
 * the kernel's fast and slow paths both answer the client). Notifications and
 * anything else are ignored (the server receives again), and a reply is
 * only ever a non-blocking send, so a stray message cannot make the
 * server block on a sender that is not waiting for a reply. Never exits;
 * prints
 *
 *	ipc_server: ready, endpoint <ep>
 *
 * once, and one line per failed receive or reply (at most 10).
 */
#include <stdio.h>
#include <axo.h>
#include "ping.h"

int main(void)
{
	unsigned long errors = 0;
	endpoint_t self = ENDPOINT_NONE, client;
	message_t m;
	int r;

	kc_getinfo(&self, NULL, NULL);
	printf("ipc_server: ready, endpoint %d\n", self);
	r = ipc_receive(ENDPOINT_ANY, &m);
	for (;;) {
		if (r) {
			if (errors++ < 10)
				printf("ipc_server: receive failed: %d\n", r);
		} else if (m.m_type == PING_REQUEST && m.m_source >= 0) {
			m.m_type = PING_REPLY;
			m.m_u64[0]++;
			client = m.m_source;
			if (m.m_u64[0] % 2) {
				/* Odd: a plain send, which the kernel's slow
				 * path delivers. */
				r = ipc_send(client, &m);
				if (r && errors++ < 10)
					printf("ipc_server: reply to %d failed: %d\n",
					       client, r);
				r = ipc_receive(ENDPOINT_ANY, &m);
				continue;
			}
			r = ipc_replyrecv(client, &m);
			if (r == 0)
				continue;
			/* Either half may have failed: receive afresh. */
			if (errors++ < 10)
				printf("ipc_server: replyrecv to %d failed: %d\n",
				       client, r);
		}
		r = ipc_receive(ENDPOINT_ANY, &m);
	}
}
