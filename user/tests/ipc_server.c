/* SPDX-License-Identifier: MIT */
/*
 * ipc_server: the server half of the IPC round-trip test (see
 * ipc_client.c). It receives from anyone, and answers each request
 * (m_type PING_REQUEST) with m_type PING_REPLY and m_u64[0] + 1, sent with
 * ipc_send to the requester, which is waiting in the receive half of its
 * sendrec. Notifications and anything else are ignored, so a stray
 * message cannot make the server block on a sender that is not waiting
 * for a reply. Never exits; prints
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
	endpoint_t self = ENDPOINT_NONE;
	message_t m;
	int r;

	kc_getinfo(&self, NULL, NULL);
	printf("ipc_server: ready, endpoint %d\n", self);
	for (;;) {
		r = ipc_receive(ENDPOINT_ANY, &m);
		if (r) {
			if (errors++ < 10)
				printf("ipc_server: receive failed: %d\n", r);
			continue;
		}
		if (m.m_type != PING_REQUEST || m.m_source < 0)
			continue;
		m.m_type = PING_REPLY;
		m.m_u64[0]++;
		r = ipc_send(m.m_source, &m);
		if (r && errors++ < 10)
			printf("ipc_server: reply to %d failed: %d\n",
			       m.m_source, r);
	}
}
