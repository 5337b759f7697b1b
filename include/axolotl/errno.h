/* SPDX-License-Identifier: MIT */
/*
 * Error numbers shared by the kernel and user space. Kernel functions
 * return them negated (-EINVAL); user space sees them positive in errno.
 * The values are those of the C library user programs link with (picolibc,
 * newlib's numbering), so that errno and strerror() agree with the kernel.
 */
#ifndef AXOLOTL_ERRNO_H
#define AXOLOTL_ERRNO_H

#define EPERM 1
#define ENOENT 2
#define ESRCH 3
#define EINTR 4
#define EIO 5
#define E2BIG 7
#define ENOEXEC 8
#define EBADF 9
#define ECHILD 10
#define EAGAIN 11
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define ENODEV 19
#define EINVAL 22
#define ENOSPC 28
#define ERANGE 34
#define ENAMETOOLONG 91
#define EDEADLK 45
#define ENOSYS 88
#define ETIMEDOUT 116
/* Axolotl-specific: the endpoint names a process that is dead or restarted. */
#define EDEADSRCDST 200

#endif
