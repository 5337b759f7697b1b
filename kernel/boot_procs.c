/* SPDX-License-Identifier: MIT */
/*
 * The first user processes, from the boot image linked into the kernel.
 *
 * Which programs start is the boot parameter start=NAME[:ARG],... (ARG a
 * number, or "prev" for the endpoint of the program started just before,
 * so a client can be told its server); without it, every entry flagged
 * "start at boot" starts with argument 0. Each gets the privilege set its
 * boot-image entry names, its ELF segments, and a 64 KiB stack with an
 * unmapped guard page below.
 */
#include <axolotl/errno.h>
#include <kernel/bootimage.h>
#include <kernel/cmdline.h>
#include <kernel/elf.h>
#include <kernel/kcall.h>
#include <kernel/printk.h>
#include <kernel/procmgr.h>
#include <kernel/string.h>

extern const char bootimage_start[], bootimage_end[];

struct vm_space;
int vm_copy_from_kernel(struct vm_space *vm, vaddr_t dst, const void *src,
			size_t len);

static struct bootimage image;
static bool image_ok;

static int map_segment(void *ctx, uintptr_t va, size_t len, unsigned rights)
{
	return arch_vm_map(ctx, va, len, rights);
}

static int copy_segment(void *ctx, uintptr_t va, const void *src, size_t len)
{
	return vm_copy_from_kernel(ctx, va, src, len);
}

/* Create and start program name with a0 = arg; its endpoint or -errno. */
endpoint_t boot_procs_run(const char *name, uint64_t arg)
{
	struct bootimage_entry e;
	struct elf_info info;
	const char *why = "";
	struct priv priv;
	struct proc *p;
	int err;

	if (!image_ok)
		return -ENOENT;
	if (bootimage_find(&image, name, &e) < 0) {
		pr_err("boot: no program '%s' in the boot image\n", name);
		return -ENOENT;
	}
	err = elf_parse(e.data, e.size, &info, &why);
	if (err) {
		pr_err("boot: %s: not a valid program: %s\n", name, why);
		return err;
	}
	if (!priv_from_id(e.priv_index, &priv)) {
		pr_err("boot: %s: unknown privilege set %u\n", name,
		       e.priv_index);
		return -EINVAL;
	}
	p = proc_create(name, &priv, ENDPOINT_KERNEL, &err);
	if (!p)
		return err;
	err = elf_load(&info, e.data, map_segment, copy_segment, p->vm);
	if (!err)
		err = arch_vm_map(p->vm, USER_STACK_TOP - USER_STACK_SIZE,
				  USER_STACK_SIZE, VM_R | VM_W);
	if (!err) {
		/* Said before it runs: its first output may come at once. */
		pr_info("boot: started %s[%d] at %#lx (%zu pages)\n", name,
			p->ep, (unsigned long)info.entry, arch_vm_pages(p->vm));
		err = proc_start(p, info.entry, USER_STACK_TOP, arg);
	}
	if (err) {
		pr_err("boot: %s: cannot start: %d\n", name, err);
		proc_kill(p, EXIT_REASON_KILLED, err);
		return err;
	}
	return p->ep;
}

/* Start each NAME[:ARG] of the comma-separated list. */
static void start_list(const char *list)
{
	char buf[256], *item, *next;
	endpoint_t prev = ENDPOINT_NONE;

	strlcpy(buf, list, sizeof(buf));
	for (item = buf; item && *item; item = next) {
		char *colon;
		long long arg = 0;

		next = strchr(item, ',');
		if (next)
			*next++ = '\0';
		colon = strchr(item, ':');
		if (colon) {
			*colon++ = '\0';
			if (strcmp(colon, "prev") == 0) {
				arg = prev;
			} else if (kstrtoll(colon, 0, &arg)) {
				pr_err("boot: start=%s: bad argument '%s'\n",
				       item, colon);
				continue;
			}
		}
		prev = boot_procs_run(item, (uint64_t)arg);
	}
}

void boot_procs_start(void)
{
	const char *why = "";
	const char *list = cmdline_get("start");
	struct bootimage_entry e;

	if (bootimage_open(bootimage_start,
			   (size_t)(bootimage_end - bootimage_start), &image,
			   &why) < 0) {
		pr_err("boot: the boot image is unusable: %s\n", why);
		return;
	}
	image_ok = true;
	if (list) {
		start_list(list);
		return;
	}
	for (unsigned i = 0; bootimage_entry(&image, i, &e); i++)
		if (e.flags & BOOTIMAGE_START)
			boot_procs_run(e.name, 0);
}
