/* SPDX-License-Identifier: MIT */
/* BUG() on the host: stop the test at once. */
#ifndef ARCH_BUG_H
#define ARCH_BUG_H

#define ARCH_BUG(file, line) ((void)(file), (void)(line), __builtin_trap())

#endif
