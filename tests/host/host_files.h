/* SPDX-License-Identifier: MIT */
/* Test fixtures from files (host_files.c). */
#ifndef HOST_FILES_H
#define HOST_FILES_H

#include <stddef.h>
#include <stdint.h>

/* The whole file dir/name in a malloc'd buffer; fails the test if absent. */
uint8_t *host_load(const char *dir, const char *name, size_t *size);
/*
 * A copy of n bytes in a buffer of exactly n bytes, so that ASan catches
 * a read one byte past the end.
 */
uint8_t *host_dup_exact(const uint8_t *src, size_t n);

#endif
