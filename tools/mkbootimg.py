#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Pack the first user programs into an Axolotl boot image.

The kernel carries the image (it is .incbin'd into the kernel) and starts
its programs at boot; kernel/bootimage.c reads it. The format is described
byte by byte in docs/boot-image.md. In short, all little-endian:

    header   24 bytes   "AXBI", version 1, count, total_size, table_crc, 0
    entries  40 bytes   name[16], offset, size, flags, priv_index, u64 0
    files               each at an 8-aligned offset, zero padding between

Usage:
    mkbootimg.py -o OUT NAME=PATH[:FLAGS[:PRIV]] ...
    mkbootimg.py --list IMAGE
    mkbootimg.py --self-test

NAME is 1 to 15 characters of [A-Za-z0-9._-], unique in the image. FLAGS
is a comma-separated list of words (start) or a number; PRIV is the index
of the program's privileges in the kernel's boot table (default 0). PATH
must be a 64-bit little-endian RISC-V ELF executable: anything else is
refused here rather than by the kernel at boot. The output is written
only when everything is valid, and is the same bytes for the same inputs.
Exit status: 0 on success, 1 for an error, 2 for bad usage.
"""

import argparse
import os
import re
import struct
import sys
import tempfile
import zlib

MAGIC = b"AXBI"
VERSION = 1
HEADER = struct.Struct("<4sIIIII")  # magic version count total crc reserved
ENTRY = struct.Struct("<16sIIIIQ")  # name offset size flags priv reserved
CRC_OFFSET = 16  # of table_crc inside the header
NAME_MAX = 15  # characters; name[16] keeps a NUL
MAX_ENTRIES = 64  # BOOTIMAGE_MAX_ENTRIES in kernel/include/kernel/bootimage.h
ALIGN = 8
FLAG_WORDS = {"start": 1}  # BOOTIMAGE_START: start at boot
KNOWN_FLAGS = 1
NAME_RE = re.compile(r"[A-Za-z0-9._-]{1,%d}\Z" % NAME_MAX)

EM_RISCV = 243
ET_EXEC = 2


class Error(Exception):
    """A problem with the inputs: reported as one line, exit status 1."""


def align_up(n, a=ALIGN):
    return (n + a - 1) // a * a


def table_crc(image_head):
    """CRC-32 of header and entry table with the crc field read as zero."""
    zeroed = (
        image_head[:CRC_OFFSET]
        + b"\0\0\0\0"
        + image_head[CRC_OFFSET + 4 :]
    )
    return zlib.crc32(zeroed) & 0xFFFFFFFF


def parse_flags(text, spec):
    if text == "":
        return 0
    if re.fullmatch(r"0[xX][0-9a-fA-F]+", text):
        value = int(text, 16)
    elif re.fullmatch(r"[0-9]+", text):
        value = int(text, 10)
    else:
        value = 0
        for word in text.split(","):
            if word not in FLAG_WORDS:
                raise Error(
                    "%s: unknown flag %r (known: %s, or a number)"
                    % (spec, word, ", ".join(sorted(FLAG_WORDS)))
                )
            value |= FLAG_WORDS[word]
    if value & ~KNOWN_FLAGS:
        raise Error(
            "%s: unknown flag bits 0x%x" % (spec, value & ~KNOWN_FLAGS)
        )
    return value


def parse_spec(spec):
    """NAME=PATH[:FLAGS[:PRIV]] -> (name, path, flags, priv)."""
    name, eq, rest = spec.partition("=")
    if not eq:
        raise Error("%s: expected NAME=PATH[:FLAGS[:PRIV]]" % spec)
    if not NAME_RE.match(name):
        if len(name) > NAME_MAX:
            why = "longer than %d characters" % NAME_MAX
        elif not name:
            why = "empty"
        else:
            why = "not made of A-Z a-z 0-9 . _ -"
        raise Error("%s: name %r is %s" % (spec, name, why))
    parts = rest.split(":")
    if len(parts) > 3:
        raise Error("%s: too many ':' (paths may not contain ':')" % spec)
    path = parts[0]
    if not path:
        raise Error("%s: no path" % spec)
    flags = parse_flags(parts[1], spec) if len(parts) > 1 else 0
    priv = 0
    if len(parts) > 2 and parts[2] != "":
        if not re.fullmatch(r"[0-9]+", parts[2]) or int(parts[2]) >= 2**32:
            raise Error(
                "%s: priv index %r is not a 32-bit number" % (spec, parts[2])
            )
        priv = int(parts[2])
    return name, path, flags, priv


def check_elf(name, path, data):
    """Refuse what the kernel would refuse for not being ours at all."""
    if data[:4] != b"\x7fELF":
        raise Error("%s: %s is not an ELF file" % (name, path))
    if len(data) < 64:
        raise Error("%s: %s is too short for an ELF header" % (name, path))
    ei_class, ei_data = data[4], data[5]
    e_type, e_machine = struct.unpack_from("<HH", data, 16)
    if (ei_class, ei_data, e_machine, e_type) != (2, 1, EM_RISCV, ET_EXEC):
        raise Error(
            "%s: %s is not a 64-bit little-endian RISC-V executable "
            "(class %d, data %d, machine %d, type %d)"
            % (name, path, ei_class, ei_data, e_machine, e_type)
        )


def build(specs):
    """The image bytes for a list of NAME=PATH[:FLAGS[:PRIV]] strings."""
    if len(specs) > MAX_ENTRIES:
        raise Error("%d programs; at most %d fit" % (len(specs), MAX_ENTRIES))
    entries = []
    seen = set()
    for spec in specs:
        name, path, flags, priv = parse_spec(spec)
        if name in seen:
            raise Error("%s: name %r is used twice" % (spec, name))
        seen.add(name)
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            raise Error("%s: cannot read %s: %s" % (name, path, e.strerror))
        check_elf(name, path, data)
        entries.append((name, data, flags, priv))

    # Header and table are 24 + 40n bytes, so the first file is aligned.
    img = bytearray(HEADER.size + ENTRY.size * len(entries))
    table = b""
    for name, data, flags, priv in entries:
        offset = len(img)
        img += data
        img += bytes(align_up(len(img)) - len(img))
        table += ENTRY.pack(
            name.encode("ascii"), offset, len(data), flags, priv, 0
        )
    if len(img) >= 2**32:
        raise Error(
            "the image would be %d bytes; the format holds < 4 GiB" % len(img)
        )
    head = HEADER.pack(MAGIC, VERSION, len(entries), len(img), 0, 0) + table
    crc = struct.pack("<I", table_crc(head))
    img[: len(head)] = head[:CRC_OFFSET] + crc + head[CRC_OFFSET + 4 :]
    return bytes(img)


def read_image(img):
    """The main checks of kernel/bootimage.c; a list of the entries."""
    if len(img) < HEADER.size:
        raise Error("shorter than the header")
    magic, version, count, total, crc, reserved = HEADER.unpack_from(img)
    if magic != MAGIC:
        raise Error("bad magic %r" % magic)
    if version != VERSION:
        raise Error("version %d, not %d" % (version, VERSION))
    if count > MAX_ENTRIES:
        raise Error("count %d > %d" % (count, MAX_ENTRIES))
    end_of_table = HEADER.size + ENTRY.size * count
    if total > len(img) or total < end_of_table:
        raise Error(
            "total_size %d does not fit the %d-byte file" % (total, len(img))
        )
    if table_crc(img[:end_of_table]) != crc:
        raise Error("table_crc does not match")
    if reserved:
        raise Error("header reserved field is not 0")
    out = []
    for i in range(count):
        raw, off, size, flags, priv, res = ENTRY.unpack_from(
            img, HEADER.size + ENTRY.size * i
        )
        name = raw.split(b"\0", 1)[0].decode("ascii", "replace")
        if not NAME_RE.match(name) or raw != name.encode().ljust(16, b"\0"):
            raise Error("entry %d: bad name %r" % (i, raw))
        if flags & ~KNOWN_FLAGS or res:
            raise Error("entry %d (%s): unknown flags or reserved" % (i, name))
        if off % ALIGN or off < end_of_table or size == 0:
            raise Error("entry %d (%s): bad offset/size" % (i, name))
        if off + size > total:
            raise Error("entry %d (%s): beyond total_size" % (i, name))
        for other in out:
            if other[0] == name:
                raise Error("entry %d: name %s used twice" % (i, name))
            if off < other[1] + other[2] and other[1] < off + size:
                raise Error("entries %s and %s overlap" % (other[0], name))
        out.append((name, off, size, flags, priv))
    return out


def write_image(path, img):
    """Write beside the target and rename: never a half-written image."""
    outdir = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(dir=outdir, prefix=".mkbootimg-")
    except OSError as e:
        raise Error("cannot write %s: %s" % (path, e.strerror))
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(img)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as e:
        os.unlink(tmp)
        raise Error("cannot write %s: %s" % (path, e.strerror))
    except BaseException:
        os.unlink(tmp)
        raise


def list_image(path):
    try:
        with open(path, "rb") as f:
            img = f.read()
    except OSError as e:
        raise Error("cannot read %s: %s" % (path, e.strerror))
    try:
        entries = read_image(img)
    except Error as e:
        raise Error("%s: %s" % (path, e))
    for name, off, size, flags, priv in entries:
        words = [w for w, bit in FLAG_WORDS.items() if flags & bit]
        print(
            "%-15s offset 0x%08x size %8d flags %-6s priv %d"
            % (name, off, size, ",".join(words) or "-", priv)
        )


def self_test():
    """Exercise the tool on fake ELF headers in a temporary directory."""

    def fake_elf(machine=EM_RISCV, cls=2, size=200):
        head = b"\x7fELF" + bytes([cls, 1, 1]) + b"\0" * 9
        head += struct.pack("<HH", ET_EXEC, machine)
        return head + b"\xaa" * (size - len(head))

    def must_fail(specs, what):
        try:
            build(specs)
        except Error as e:
            assert what in str(e), (what, str(e))
            return
        raise AssertionError("accepted: %r" % (specs,))

    with tempfile.TemporaryDirectory() as tmp:
        files = {}
        for fname, data in (
            ("a.elf", fake_elf(size=201)),
            ("b.elf", fake_elf(size=64)),
            ("x86.elf", fake_elf(machine=62)),
            ("rv32.elf", fake_elf(cls=1)),
            ("text.txt", b"hello\n"),
        ):
            files[fname] = os.path.join(tmp, fname)
            with open(files[fname], "wb") as f:
                f.write(data)
        a, b = files["a.elf"], files["b.elf"]

        img = build(["init=%s:start:3" % a, "b.c-d_e=%s" % b])
        ents = read_image(img)
        assert [e[0] for e in ents] == ["init", "b.c-d_e"], ents
        assert ents[0][3:] == (1, 3) and ents[1][3:] == (0, 0), ents
        assert all(e[1] % ALIGN == 0 for e in ents), ents
        assert img[ents[0][1] : ents[0][1] + ents[0][2]] == fake_elf(size=201)
        assert len(img) % ALIGN == 0
        assert build(["init=%s:start:3" % a, "b.c-d_e=%s" % b]) == img
        assert read_image(build([])) == []
        assert read_image(build(["n=%s:0x1" % a]))[0][3] == 1
        assert read_image(build(["n=%s:01:007" % a]))[0][3:] == (1, 7)
        assert read_image(build(["n=%s::" % a]))[0][3:] == (0, 0)

        bad = bytearray(img)
        bad[HEADER.size] ^= 1  # a name byte: the crc must notice
        try:
            read_image(bytes(bad))
            raise AssertionError("crc missed a change")
        except Error:
            pass

        must_fail(["%s=%s" % ("x" * 16, a)], "longer than 15")
        must_fail(["=%s" % a], "empty")
        must_fail(["a/b=%s" % a], "not made of")
        must_fail(["a=%s" % a, "a=%s" % b], "used twice")
        must_fail(["a=%s" % os.path.join(tmp, "missing")], "cannot read")
        must_fail(["a=%s" % files["text.txt"]], "not an ELF file")
        must_fail(["a=%s" % files["x86.elf"]], "not a 64-bit")
        must_fail(["a=%s" % files["rv32.elf"]], "not a 64-bit")
        must_fail(["a=%s:bogus" % a], "unknown flag")
        must_fail(["a=%s:0x4" % a], "unknown flag bits")
        must_fail(["a=%s:start:-1" % a], "priv index")
        must_fail(["a%s" % a], "expected NAME=PATH")
        must_fail(["a=%s:start:1:2" % a], "too many")
        too_many = ["p%d=%s" % (i, a) for i in range(MAX_ENTRIES + 1)]
        must_fail(too_many, "at most")
    print("mkbootimg: self-test passed")


def main(argv):
    ap = argparse.ArgumentParser(
        prog="mkbootimg.py",
        description="Pack user programs into an Axolotl boot image "
        "(docs/boot-image.md).",
        epilog="FLAGS: comma-separated words (start = start at boot) or a "
        "number. PRIV: index into the kernel's boot privilege table "
        "(default 0). Example: mkbootimg.py -o build/boot.img "
        "init=build/user/init.elf:start:1 hello=build/user/hello.elf",
    )
    ap.add_argument("-o", "--output", metavar="OUT", help="image to write")
    ap.add_argument("--list", metavar="IMAGE", help="check and list an image")
    ap.add_argument("--self-test", action="store_true", help="test this tool")
    ap.add_argument("programs", nargs="*", metavar="NAME=PATH[:FLAGS[:PRIV]]")
    args = ap.parse_args(argv)

    try:
        if args.self_test:
            self_test()
            return 0
        if args.list:
            if args.output or args.programs:
                ap.error("--list takes only the image")
            list_image(args.list)
            return 0
        if not args.output:
            ap.error("-o OUT is required")
        write_image(args.output, build(args.programs))
    except Error as e:
        print("mkbootimg: error: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
