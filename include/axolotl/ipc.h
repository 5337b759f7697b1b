/* SPDX-License-Identifier: MIT */
/*
 * The IPC and kernel-call ABI between user processes and the kernel.
 *
 * A trap is an ecall from U-mode with:
 *   t0 = operation (IPC_*), t1 = endpoint (destination or source),
 *   a0..a7 = the 64-byte message (word 0: m_source | m_type << 32).
 * On return:
 *   t0 = 0 or a negative errno, a0..a7 = the message received (receive,
 *   sendrec, kernel call) or unchanged (send, notify).
 * Every other register is preserved. docs/ipc.md has the semantics.
 */
#ifndef AXOLOTL_IPC_H
#define AXOLOTL_IPC_H

#include <stdint.h>

typedef int32_t endpoint_t;

/*
 * An endpoint names one incarnation of a process: slot | generation <<
 * ENDPOINT_SLOT_BITS. The generation changes each time the slot is
 * reused, so an endpoint of a dead process never reaches its successor.
 */
#define ENDPOINT_SLOT_BITS 10
#define ENDPOINT_GEN_MAX ((1 << (31 - ENDPOINT_SLOT_BITS)) - 1)
#define ENDPOINT(slot, gen) ((endpoint_t)((gen) << ENDPOINT_SLOT_BITS | (slot)))
#define ENDPOINT_SLOT(ep) ((unsigned)(ep) & ((1u << ENDPOINT_SLOT_BITS) - 1))
#define ENDPOINT_GEN(ep) ((unsigned)(ep) >> ENDPOINT_SLOT_BITS)

/* Not processes: values no real endpoint can take. */
#define ENDPOINT_ANY ((endpoint_t)-2) /* receive from anyone */
#define ENDPOINT_NONE ((endpoint_t)-1)
#define ENDPOINT_SELF ((endpoint_t)-3)
#define ENDPOINT_KERNEL ((endpoint_t)-4)   /* source of kernel replies */
#define ENDPOINT_HARDWARE ((endpoint_t)-5) /* source of IRQ notifications */
#define ENDPOINT_CLOCK ((endpoint_t)-6)	   /* source of alarm notifications */

/* Operations (t0). */
#define IPC_SEND 1	  /* block until the destination receives */
#define IPC_RECEIVE 2	  /* block until a message from t1 (or ANY) */
#define IPC_SENDREC 3	  /* send, then receive the reply from the same */
#define IPC_NOTIFY 4	  /* never blocks; coalesces; no payload */
#define IPC_SENDNB 5	  /* send only if the destination is waiting */
#define IPC_KERNEL_CALL 6 /* m_type = KC_*; the reply comes back at once */
/*
 * Reply and receive (a server's loop): send a0..a7 to t1 only if t1 waits
 * for it (as IPC_SENDNB; its error is returned and nothing received),
 * then receive from ANY, as IPC_RECEIVE. One trap instead of two.
 */
#define IPC_REPLYRECV 7

#define IPC_MSG_WORDS 8

/* A message: 64 bytes. The kernel fills m_source; m_type is free. */
typedef struct {
	int32_t m_source;
	int32_t m_type;
	uint64_t m_u64[IPC_MSG_WORDS - 1];
} message_t;

_Static_assert(sizeof(message_t) == 64, "messages are 64 bytes");

/* m_type of a notification; m_u64[0] holds the pending sources. */
#define NOTIFY_MESSAGE 0x1000
/* For a notification from ENDPOINT_HARDWARE: bit n = IRQ line n's slot. */

#endif
