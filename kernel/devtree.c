/* SPDX-License-Identifier: MIT */
/*
 * The platform description, taken from the device tree once at boot.
 *
 * devtree_parse() validates the blob with fdt_check() and then reads the
 * few nodes the kernel cares about into a struct platform_info. Anything
 * required (RAM, a hart, the timebase, a UART, a PLIC) that is missing is
 * an error with a sentence saying what is missing; optional devices that
 * are absent are simply not present. A node that is there but malformed
 * (a reg that is not a whole number of entries, a string without its NUL)
 * is an error too: a blob that is wrong in one place is not trusted in
 * others. devtree_print() summarises the result without needing a console.
 */
#include <kernel/arch.h>
#include <kernel/devtree.h>
#include <kernel/fdt.h>
#include <kernel/string.h>
#include <axolotl/errno.h>

#define IRQ_S_EXT 9 /* supervisor external interrupt, in the cpu-intc */

struct parser {
	const void *fdt;
	struct platform_info *p;
	const char *why;
};

static int fail(struct parser *ps, int err, const char *why)
{
	ps->why = why;
	return err;
}

static bool type_is(const void *fdt, int node, const char *type)
{
	const char *s;

	return fdt_prop_string(fdt, node, "device_type", &s) == 0 &&
	       strcmp(s, type) == 0;
}

/* Is the node compatible with any of the NULL-terminated list? */
static bool compatible_any(const void *fdt, int node, const char *const *c)
{
	for (; *c; c++)
		if (fdt_node_is_compatible(fdt, node, *c))
			return true;
	return false;
}

/* The first available node, in document order, compatible with any of c. */
static int find_any(const void *fdt, const char *const *c)
{
	int node;

	for (node = fdt_root(fdt); node >= 0; node = fdt_next_node(fdt, node))
		if (compatible_any(fdt, node, c) &&
		    fdt_node_is_available(fdt, node))
			return node;
	return -ENOENT;
}

/* First reg entry and first interrupts cell of a device node. */
static int read_device(struct parser *ps, int node, struct dt_device *dev,
		       const char *bad_reg)
{
	const void *irq;
	int len;

	if (fdt_reg(ps->fdt, node, 0, &dev->base, &dev->size))
		return fail(ps, -EINVAL, bad_reg);
	irq = fdt_getprop(ps->fdt, node, "interrupts", &len);
	dev->irq = irq && len >= 4 ? fdt_be32(irq) : 0;
	dev->present = true;
	return 0;
}

/* ---- memory ---- */

static int add_resv(struct parser *ps, uint64_t base, uint64_t size)
{
	struct platform_info *p = ps->p;

	if (size == 0)
		return 0;
	if (base + (size - 1) < base)
		return fail(ps, -EINVAL, "a reserved range wraps around");
	if (p->nresv == DT_MAX_RESV)
		return fail(ps, -ENOSPC,
			    "more than DT_MAX_RESV (16) reserved ranges");
	p->resv[p->nresv].base = base;
	p->resv[p->nresv].size = size;
	p->nresv++;
	return 0;
}

static int add_memory(struct parser *ps, int node, int ac, int sc)
{
	struct platform_info *p = ps->p;
	uint64_t base, size;
	int i, err;

	for (i = 0;; i++) {
		err = fdt_reg_cells(ps->fdt, node, ac, sc, i, &base, &size);
		if (err == -ENOENT)
			return 0;
		if (err)
			return fail(ps, -EINVAL,
				    "a /memory node has a malformed reg");
		if (size == 0)
			continue;
		if (p->nmem == DT_MAX_MEM) {
			p->mem_ignored++;
			continue;
		}
		p->mem[p->nmem].base = base;
		p->mem[p->nmem].size = size;
		p->nmem++;
	}
}

static int parse_memory(struct parser *ps)
{
	const void *fdt = ps->fdt;
	int root = fdt_root(fdt);
	int ac = fdt_address_cells(fdt, root);
	int sc = fdt_size_cells(fdt, root);
	int node, err;

	if (ac < 0 || sc < 0)
		return fail(ps, -EINVAL, "bad #address-cells/#size-cells at /");
	for (node = fdt_first_child(fdt, root); node >= 0;
	     node = fdt_next_sibling(fdt, node)) {
		if (!type_is(fdt, node, "memory") ||
		    !fdt_node_is_available(fdt, node))
			continue;
		err = add_memory(ps, node, ac, sc);
		if (err)
			return err;
	}
	if (ps->p->nmem == 0 && ps->p->mem_ignored == 0)
		return fail(ps, -EINVAL, "no /memory node with a reg property");
	return 0;
}

static int parse_memreserve(struct parser *ps)
{
	uint64_t base, size;
	int i, err;

	for (i = 0; fdt_get_memreserve(ps->fdt, i, &base, &size) == 0; i++) {
		err = add_resv(ps, base, size);
		if (err)
			return err;
	}
	return 0;
}

/* Every reg entry of one /reserved-memory child. */
static int add_resv_node(struct parser *ps, int node, int ac, int sc)
{
	uint64_t base, size;
	int i, err;

	for (i = 0;; i++) {
		err = fdt_reg_cells(ps->fdt, node, ac, sc, i, &base, &size);
		if (err == -ENOENT)
			return 0;
		if (err)
			return fail(ps, -EINVAL,
				    "a /reserved-memory child has a "
				    "malformed reg");
		err = add_resv(ps, base, size);
		if (err)
			return err;
	}
}

static int parse_reserved_memory(struct parser *ps)
{
	const void *fdt = ps->fdt;
	int parent = fdt_path_offset(fdt, "/reserved-memory");
	int ac, sc, node, err;

	if (parent < 0)
		return 0;
	ac = fdt_address_cells(fdt, parent);
	sc = fdt_size_cells(fdt, parent);
	if (ac < 0 || sc < 0)
		return fail(ps, -EINVAL,
			    "bad #address-cells/#size-cells in "
			    "/reserved-memory");
	for (node = fdt_first_child(fdt, parent); node >= 0;
	     node = fdt_next_sibling(fdt, node)) {
		if (!fdt_node_is_available(fdt, node))
			continue;
		err = add_resv_node(ps, node, ac, sc);
		if (err)
			return err;
	}
	return 0;
}

static int parse_initrd(struct parser *ps, int chosen)
{
	uint64_t start, end;
	int e1 = fdt_prop_u64(ps->fdt, chosen, "linux,initrd-start", &start);
	int e2 = fdt_prop_u64(ps->fdt, chosen, "linux,initrd-end", &end);

	if (e1 == -ENOENT && e2 == -ENOENT)
		return 0;
	if (e1 || e2 || end < start)
		return fail(ps, -EINVAL,
			    "/chosen has a malformed linux,initrd-start/end");
	ps->p->initrd.base = start;
	ps->p->initrd.size = end - start;
	return add_resv(ps, start, end - start);
}

static int parse_reserved(struct parser *ps, const void *blob)
{
	int chosen = fdt_path_offset(ps->fdt, "/chosen");
	int err = parse_memreserve(ps);

	if (!err)
		err = parse_reserved_memory(ps);
	if (!err && chosen >= 0)
		err = parse_initrd(ps, chosen);
	if (err)
		return err;
	ps->p->fdt.base = arch_virt_to_phys(blob);
	ps->p->fdt.size = fdt_totalsize(blob);
	return add_resv(ps, ps->p->fdt.base, ps->p->fdt.size);
}

/* ---- harts ---- */

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Does the riscv,isa string name the multi-letter extension ext? */
static bool isa_has_ext(const char *isa, const char *ext)
{
	size_t n = strlen(ext);

	while ((isa = strchr(isa, '_')) != NULL) {
		size_t i = 0;

		isa++;
		while (i < n && lower(isa[i]) == ext[i])
			i++;
		if (i == n && (isa[n] == '_' || isa[n] == '\0'))
			return true;
	}
	return false;
}

static bool hart_has_ext(const void *fdt, int cpu, const char *isa,
			 const char *ext)
{
	const char *list;
	int len;

	if (isa && isa_has_ext(isa, ext))
		return true;
	list = fdt_getprop(fdt, cpu, "riscv,isa-extensions", &len);
	return list && fdt_stringlist_contains(list, len, ext);
}

static uint32_t intc_phandle(const void *fdt, int cpu)
{
	int node;

	for (node = fdt_first_child(fdt, cpu); node >= 0;
	     node = fdt_next_sibling(fdt, node))
		if (fdt_node_is_compatible(fdt, node, "riscv,cpu-intc"))
			return fdt_get_phandle(fdt, node);
	return 0;
}

static bool hartid_seen(const struct platform_info *p, uint32_t id)
{
	unsigned i;

	for (i = 0; i < p->nharts; i++)
		if (p->harts[i].hartid == id)
			return true;
	return false;
}

static int add_hart(struct parser *ps, int cpu, int ac, int sc)
{
	struct platform_info *p = ps->p;
	struct dt_hart *h = &p->harts[p->nharts];
	const char *isa = NULL;
	uint64_t id, unused;
	int err;

	if (fdt_reg_cells(ps->fdt, cpu, ac, sc, 0, &id, &unused))
		return fail(ps, -EINVAL,
			    "a cpu node has no valid reg (hartid)");
	if (id > 0xffffffffu)
		return fail(ps, -EINVAL, "a cpu hartid does not fit 32 bits");
	if (hartid_seen(p, (uint32_t)id))
		return fail(ps, -EINVAL, "two cpu nodes have the same hartid");
	err = fdt_prop_string(ps->fdt, cpu, "riscv,isa", &isa);
	if (err == -EINVAL)
		return fail(ps, err, "a cpu riscv,isa is not a string");
	if (p->nharts == DT_MAX_HARTS) {
		p->harts_ignored++;
		return 0;
	}
	h->hartid = (uint32_t)id;
	h->intc_phandle = intc_phandle(ps->fdt, cpu);
	strlcpy(h->isa, isa ? isa : "", sizeof(h->isa));
	h->has_sstc = hart_has_ext(ps->fdt, cpu, isa, "sstc");
	p->nharts++;
	return 0;
}

static bool is_usable_cpu(const void *fdt, int node)
{
	return type_is(fdt, node, "cpu") && fdt_node_is_available(fdt, node);
}

static int parse_timebase(struct parser *ps, int cpus)
{
	const void *fdt = ps->fdt;
	uint64_t hz;
	int node, err;

	err = fdt_prop_u64(fdt, cpus, "timebase-frequency", &hz);
	/* The spec also allows it in each cpu node. */
	for (node = fdt_first_child(fdt, cpus); err == -ENOENT && node >= 0;
	     node = fdt_next_sibling(fdt, node))
		if (is_usable_cpu(fdt, node))
			err = fdt_prop_u64(fdt, node, "timebase-frequency",
					   &hz);
	if (err == -ENOENT)
		return fail(ps, -EINVAL, "/cpus has no timebase-frequency");
	if (err)
		return fail(ps, -EINVAL,
			    "timebase-frequency is not one or two cells");
	if (hz == 0)
		return fail(ps, -EINVAL, "timebase-frequency is zero");
	ps->p->timebase_hz = hz;
	return 0;
}

static int parse_cpus(struct parser *ps)
{
	const void *fdt = ps->fdt;
	int cpus = fdt_path_offset(fdt, "/cpus");
	int ac, sc, node, err;

	if (cpus < 0)
		return fail(ps, -EINVAL, "no /cpus node");
	ac = fdt_address_cells(fdt, cpus);
	sc = fdt_size_cells(fdt, cpus);
	if (ac != 1 && ac != 2)
		return fail(ps, -EINVAL, "/cpus #address-cells is not 1 or 2");
	if (sc < 0)
		return fail(ps, -EINVAL, "/cpus has a malformed #size-cells");
	for (node = fdt_first_child(fdt, cpus); node >= 0;
	     node = fdt_next_sibling(fdt, node)) {
		if (!is_usable_cpu(fdt, node))
			continue;
		err = add_hart(ps, node, ac, sc);
		if (err)
			return err;
	}
	if (ps->p->nharts == 0)
		return fail(ps, -EINVAL,
			    "no usable hart (device_type \"cpu\", status "
			    "okay) under /cpus");
	return parse_timebase(ps, cpus);
}

/* ---- the UART ---- */

static const char *const uart_compat[] = { "ns16550a", "ns16550", NULL };

/* The UART /chosen/stdout-path names, if it is a usable ns16550. */
static int stdout_uart(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *path;
	int len, node;

	if (chosen < 0)
		return -ENOENT;
	if (fdt_prop_string(fdt, chosen, "stdout-path", &path) &&
	    fdt_prop_string(fdt, chosen, "linux,stdout-path", &path))
		return -ENOENT;
	for (len = 0; path[len] != '\0' && path[len] != ':'; len++)
		;
	node = fdt_path_offset_n(fdt, path, len);
	if (node < 0 || !compatible_any(fdt, node, uart_compat) ||
	    !fdt_node_is_available(fdt, node))
		return -ENOENT;
	return node;
}

static int read_optional_u32(struct parser *ps, int node, const char *name,
			     uint32_t *out, const char *bad)
{
	uint64_t v;
	int err = fdt_prop_u64(ps->fdt, node, name, &v);

	if (err == -ENOENT)
		return 0;
	if (err || v > 0xffffffffu)
		return fail(ps, -EINVAL, bad);
	*out = (uint32_t)v;
	return 0;
}

static int parse_uart(struct parser *ps)
{
	struct platform_info *p = ps->p;
	int node = stdout_uart(ps->fdt);
	int err;

	if (node < 0)
		node = find_any(ps->fdt, uart_compat);
	if (node < 0)
		return fail(ps, -EINVAL, "no ns16550a UART");
	err = read_device(ps, node, &p->uart, "the UART has no valid reg");
	if (!err)
		err = read_optional_u32(
			ps, node, "clock-frequency", &p->uart_clock_hz,
			"the UART clock-frequency is malformed");
	if (!err)
		err = read_optional_u32(ps, node, "reg-shift",
					&p->uart_reg_shift,
					"the UART reg-shift is malformed");
	if (!err)
		err = read_optional_u32(ps, node, "reg-io-width",
					&p->uart_reg_io_width,
					"the UART reg-io-width is malformed");
	return err;
}

/* ---- the PLIC ---- */

static const char *const plic_compat[] = { "riscv,plic0", "sifive,plic-1.0.0",
					   NULL };

/* Context ctx goes to the intc with phandle ph, at its interrupt irq. */
static void plic_context(struct platform_info *p, uint32_t ph, uint32_t irq,
			 int32_t ctx)
{
	unsigned i;

	if (irq != IRQ_S_EXT)
		return;
	for (i = 0; i < p->nharts; i++)
		if (p->harts[i].intc_phandle == ph && p->plic_s_context[i] < 0)
			p->plic_s_context[i] = ctx;
}

/* How many cells follow phandle ph in an interrupts-extended list. */
static int specifier_cells(const void *fdt, uint32_t ph)
{
	int parent = fdt_node_by_phandle(fdt, ph);
	uint32_t n;

	if (parent < 0 || fdt_prop_u32(fdt, parent, "#interrupt-cells", &n) ||
	    n > 4)
		return -EINVAL;
	return (int)n;
}

static int parse_plic_contexts(struct parser *ps, int node)
{
	const uint8_t *cells;
	int len, pos, n;
	int32_t ctx = 0;

	cells = fdt_getprop(ps->fdt, node, "interrupts-extended", &len);
	if (!cells)
		return 0;
	for (pos = 0; pos < len; pos += 4 * (1 + n), ctx++) {
		uint32_t ph;

		if (len - pos < 4)
			return fail(ps, -EINVAL,
				    "the PLIC interrupts-extended is "
				    "truncated");
		ph = fdt_be32(cells + pos);
		n = specifier_cells(ps->fdt, ph);
		if (n < 0)
			return fail(ps, -EINVAL,
				    "the PLIC interrupts-extended names a "
				    "phandle without #interrupt-cells");
		if (len - pos - 4 < 4 * n)
			return fail(ps, -EINVAL,
				    "the PLIC interrupts-extended is "
				    "truncated");
		if (n >= 1)
			plic_context(ps->p, ph, fdt_be32(cells + pos + 4), ctx);
	}
	return 0;
}

static int parse_plic(struct parser *ps)
{
	struct platform_info *p = ps->p;
	int node = find_any(ps->fdt, plic_compat);
	int err;

	if (node < 0)
		return fail(ps, -EINVAL,
			    "no PLIC (riscv,plic0 or sifive,plic-1.0.0)");
	err = read_device(ps, node, &p->plic, "the PLIC has no valid reg");
	if (err)
		return err;
	p->plic.irq = 0;
	if (fdt_prop_u32(ps->fdt, node, "riscv,ndev", &p->plic_ndev))
		return fail(ps, -EINVAL, "the PLIC has no valid riscv,ndev");
	return parse_plic_contexts(ps, node);
}

/* ---- CLINT, virtio, PCI ---- */

static int parse_clint(struct parser *ps)
{
	static const char *const clint[] = { "riscv,clint0", "sifive,clint0",
					     NULL };
	static const char *const sswi[] = { "riscv,aclint-sswi", NULL };
	static const char *const mswi[] = { "riscv,aclint-mswi", NULL };
	struct platform_info *p = ps->p;
	int node;

	p->clint_kind = DT_CLINT_CLINT;
	node = find_any(ps->fdt, clint);
	if (node < 0) {
		p->clint_kind = DT_CLINT_ACLINT_SSWI;
		node = find_any(ps->fdt, sswi);
	}
	if (node < 0) {
		p->clint_kind = DT_CLINT_ACLINT_MSWI;
		node = find_any(ps->fdt, mswi);
	}
	if (node < 0) {
		p->clint_kind = DT_CLINT_NONE;
		return 0;
	}
	return read_device(ps, node, &p->clint, "the CLINT has no valid reg");
}

/* The goldfish RTC, a simple interrupting device (optional). */
static int parse_rtc(struct parser *ps)
{
	static const char *const rtc[] = { "google,goldfish-rtc", NULL };
	int node = find_any(ps->fdt, rtc);

	if (node < 0)
		return 0;
	return read_device(ps, node, &ps->p->rtc, "the RTC has no valid reg");
}

/* Insert dev into the virtio table, keeping it sorted by base. */
static void add_virtio(struct platform_info *p, const struct dt_device *dev)
{
	unsigned i = p->nvirtio;

	if (p->nvirtio == DT_MAX_VIRTIO) {
		p->virtio_ignored++;
		return;
	}
	for (; i > 0 && p->virtio[i - 1].base > dev->base; i--)
		p->virtio[i] = p->virtio[i - 1];
	p->virtio[i] = *dev;
	p->nvirtio++;
}

static int parse_virtio(struct parser *ps)
{
	const void *fdt = ps->fdt;
	int node, err;

	for (node = fdt_find_compatible(fdt, -1, "virtio,mmio"); node >= 0;
	     node = fdt_find_compatible(fdt, node, "virtio,mmio")) {
		struct dt_device dev = { 0 };

		if (!fdt_node_is_available(fdt, node))
			continue;
		err = read_device(ps, node, &dev,
				  "a virtio,mmio node has no valid reg");
		if (err)
			return err;
		add_virtio(ps->p, &dev);
	}
	return 0;
}

/* One window of "ranges": 3 PCI address cells, CPU address, size. */
static int pci_window(struct dt_pci *pci, const uint8_t *e, int pac, int sc)
{
	uint64_t pci_addr = fdt_be64(e + 4), cpu, size;
	uint32_t space = (fdt_be32(e) >> 24) & 3;

	if (fdt_cells(e + 12, pac, &cpu) ||
	    fdt_cells(e + 12 + 4 * pac, sc, &size))
		return -EINVAL;
	if (space == 1 && !pci->io_size) {
		pci->io_base = cpu;
		pci->io_size = size;
		pci->io_pci = pci_addr;
	} else if (space == 2 && !pci->mmio_size) {
		pci->mmio_base = cpu;
		pci->mmio_size = size;
		pci->mmio_pci = pci_addr;
	} else if (space == 3 && !pci->mmio64_size) {
		pci->mmio64_base = cpu;
		pci->mmio64_size = size;
		pci->mmio64_pci = pci_addr;
	}
	return 0;
}

static int pci_ranges(struct parser *ps, int node)
{
	const void *fdt = ps->fdt;
	int ac = fdt_address_cells(fdt, node);
	int sc = fdt_size_cells(fdt, node);
	int parent = fdt_parent(fdt, node);
	int pac = parent < 0 ? -EINVAL : fdt_address_cells(fdt, parent);
	const uint8_t *r;
	int len, entry, i;

	r = fdt_getprop(fdt, node, "ranges", &len);
	if (!r)
		return 0;
	if (ac != 3 || sc < 0 || pac < 0)
		return fail(ps, -EINVAL, "the PCI host has bad #address-cells");
	entry = 4 * (3 + pac + sc);
	if (len % entry)
		return fail(ps, -EINVAL,
			    "the PCI ranges property is malformed");
	for (i = 0; i < len; i += entry)
		if (pci_window(&ps->p->pci, r + i, pac, sc))
			return fail(ps, -EINVAL,
				    "a PCI ranges value does not fit 64 bits");
	return 0;
}

static int pci_bus_range(struct parser *ps, int node)
{
	struct dt_pci *pci = &ps->p->pci;
	const uint8_t *r;
	uint64_t buses;
	int len;

	r = fdt_getprop(ps->fdt, node, "bus-range", &len);
	if (!r) {
		buses = pci->ecam_size >> 20; /* 1 MiB of ECAM per bus */
		if (buses == 0)
			return fail(ps, -EINVAL,
				    "the PCI ECAM is smaller than one bus");
		pci->bus_start = 0;
		pci->bus_end = buses > 256 ? 255 : (uint32_t)buses - 1;
		return 0;
	}
	if (len != 8 || fdt_be32(r) > fdt_be32(r + 4) || fdt_be32(r + 4) > 255)
		return fail(ps, -EINVAL, "the PCI bus-range is malformed");
	pci->bus_start = fdt_be32(r);
	pci->bus_end = fdt_be32(r + 4);
	return 0;
}

static int parse_pci(struct parser *ps)
{
	static const char *const ecam[] = { "pci-host-ecam-generic", NULL };
	struct dt_pci *pci = &ps->p->pci;
	int node = find_any(ps->fdt, ecam);
	int err;

	if (node < 0)
		return 0;
	if (fdt_reg(ps->fdt, node, 0, &pci->ecam_base, &pci->ecam_size))
		return fail(ps, -EINVAL, "the PCI host has no valid reg");
	err = pci_bus_range(ps, node);
	if (!err)
		err = pci_ranges(ps, node);
	pci->present = err == 0;
	return err;
}

/* ---- /chosen ---- */

static int parse_bootargs(struct parser *ps)
{
	struct platform_info *p = ps->p;
	int chosen = fdt_path_offset(ps->fdt, "/chosen");
	const char *args;
	int err;

	if (chosen < 0)
		return 0;
	err = fdt_prop_string(ps->fdt, chosen, "bootargs", &args);
	if (err == -ENOENT)
		return 0;
	if (err)
		return fail(ps, -EINVAL, "/chosen/bootargs is not a string");
	if (strlcpy(p->bootargs, args, sizeof(p->bootargs)) >=
	    sizeof(p->bootargs))
		p->bootargs_truncated = true;
	return 0;
}

static void init_info(struct platform_info *p)
{
	unsigned i;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < DT_MAX_HARTS; i++)
		p->plic_s_context[i] = -1;
	p->uart_reg_io_width = 1;
}

int devtree_parse(const void *blob, size_t max_size, struct platform_info *out,
		  const char **why)
{
	static int (*const steps[])(struct parser *) = {
		parse_memory, parse_cpus,  parse_uart,
		parse_plic,   parse_clint, parse_rtc,
		parse_virtio, parse_pci,   parse_bootargs,
	};
	struct parser ps = { .fdt = blob, .p = out, .why = NULL };
	unsigned i;
	int err;

	init_info(out);
	err = fdt_check(blob, max_size, &ps.why);
	if (!err) {
		out->boot_hartid = fdt_boot_cpuid(blob);
		err = parse_reserved(&ps, blob);
	}
	for (i = 0; !err && i < ARRAY_SIZE(steps); i++)
		err = steps[i](&ps);
	if (err && why)
		*why = ps.why;
	return err;
}

/* ---- devtree_print ---- */

/* One line of output being built; cut (never overrun) if too long. */
struct line {
	char buf[DT_BOOTARGS_LEN + 32];
	size_t n;
	void (*out)(const char *line, void *ctx);
	void *ctx;
};

static void put_str(struct line *l, const char *s)
{
	while (*s && l->n < sizeof(l->buf) - 1)
		l->buf[l->n++] = *s++;
}

static void put_num(struct line *l, uint64_t v, unsigned base)
{
	char digits[24];
	int i = 0;

	do {
		digits[i++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (base == 16)
		put_str(l, "0x");
	while (i > 0 && l->n < sizeof(l->buf) - 1)
		l->buf[l->n++] = digits[--i];
}

static void put_dec(struct line *l, uint64_t v)
{
	put_num(l, v, 10);
}

static void put_hex(struct line *l, uint64_t v)
{
	put_num(l, v, 16);
}

static void emit(struct line *l)
{
	l->buf[l->n] = '\0';
	l->out(l->buf, l->ctx);
	l->n = 0;
}

/* "0x80000000..0x8fffffff (256 MiB)" */
static void put_range(struct line *l, uint64_t base, uint64_t size)
{
	put_hex(l, base);
	put_str(l, "..");
	put_hex(l, base + size - 1);
	put_str(l, " (");
	if (size >= (1 << 20)) {
		put_dec(l, size >> 20);
		put_str(l, " MiB)");
	} else {
		put_dec(l, size >> 10);
		put_str(l, " KiB)");
	}
}

static void print_memory(const struct platform_info *p, struct line *l)
{
	unsigned i;

	for (i = 0; i < p->nmem; i++) {
		put_str(l, "memory: ");
		put_range(l, p->mem[i].base, p->mem[i].size);
		emit(l);
	}
	for (i = 0; i < p->nresv; i++) {
		put_str(l, "reserved: ");
		put_range(l, p->resv[i].base, p->resv[i].size);
		emit(l);
	}
}

static void print_harts(const struct platform_info *p, struct line *l)
{
	unsigned i;

	put_str(l, "harts: ");
	put_dec(l, p->nharts);
	if (p->harts_ignored) {
		put_str(l, " (");
		put_dec(l, p->harts_ignored);
		put_str(l, " more ignored)");
	}
	put_str(l, ", timebase ");
	put_dec(l, p->timebase_hz);
	put_str(l, " Hz");
	emit(l);
	for (i = 0; i < p->nharts; i++) {
		put_str(l, "hart ");
		put_dec(l, p->harts[i].hartid);
		put_str(l, ": ");
		put_str(l, p->harts[i].isa);
		put_str(l, p->harts[i].has_sstc ? ", sstc" : "");
		put_str(l, ", plic s-context ");
		if (p->plic_s_context[i] < 0)
			put_str(l, "none");
		else
			put_dec(l, (uint64_t)p->plic_s_context[i]);
		emit(l);
	}
}

static void put_device(struct line *l, const char *name,
		       const struct dt_device *d)
{
	put_str(l, name);
	put_hex(l, d->base);
	put_str(l, " irq ");
	put_dec(l, d->irq);
}

static void print_devices(const struct platform_info *p, struct line *l)
{
	static const char *const clint_names[] = { "none", "clint",
						   "aclint-sswi",
						   "aclint-mswi" };
	unsigned i;

	put_device(l, "uart: ns16550a at ", &p->uart);
	put_str(l, ", clock ");
	put_dec(l, p->uart_clock_hz);
	put_str(l, " Hz");
	emit(l);
	put_str(l, "plic: ");
	put_hex(l, p->plic.base);
	put_str(l, ", ");
	put_dec(l, p->plic_ndev);
	put_str(l, " sources");
	emit(l);
	put_str(l, "clint: ");
	put_str(l, clint_names[p->clint_kind]);
	if (p->clint.present) {
		put_str(l, " at ");
		put_hex(l, p->clint.base);
	}
	emit(l);
	if (p->rtc.present) {
		put_device(l, "rtc: goldfish at ", &p->rtc);
		emit(l);
	}
	for (i = 0; i < p->nvirtio; i++) {
		put_str(l, "virtio");
		put_dec(l, i);
		put_device(l, ": ", &p->virtio[i]);
		emit(l);
	}
}

static void print_pci(const struct platform_info *p, struct line *l)
{
	put_str(l, "pci: ");
	if (!p->pci.present) {
		put_str(l, "none");
		emit(l);
		return;
	}
	put_str(l, "ecam ");
	put_range(l, p->pci.ecam_base, p->pci.ecam_size);
	put_str(l, ", buses ");
	put_dec(l, p->pci.bus_start);
	put_str(l, "-");
	put_dec(l, p->pci.bus_end);
	if (p->pci.mmio_size) {
		put_str(l, ", mem ");
		put_range(l, p->pci.mmio_base, p->pci.mmio_size);
	}
	emit(l);
}

void devtree_print(const struct platform_info *p,
		   void (*out)(const char *line, void *ctx), void *ctx)
{
	struct line l = { .n = 0, .out = out, .ctx = ctx };

	print_memory(p, &l);
	print_harts(p, &l);
	print_devices(p, &l);
	print_pci(p, &l);
	put_str(&l, "bootargs: ");
	put_str(&l, p->bootargs);
	put_str(&l, p->bootargs_truncated ? " [truncated]" : "");
	emit(&l);
}
