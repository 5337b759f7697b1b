/* SPDX-License-Identifier: MIT */
/*
 * The message types of the IPC round-trip test, shared by ipc_server.c
 * and ipc_client.c: a request carries a number in m_u64[0] and the reply
 * carries that number plus one.
 */
#ifndef USER_TESTS_PING_H
#define USER_TESTS_PING_H

#define PING_REQUEST 0x50494e47 /* "PING" */
#define PING_REPLY 0x504f4e47	/* "PONG" */

#endif
