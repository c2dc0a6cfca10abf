#!/usr/bin/env python3
"""mutate.py - hostile member images made from real ones, reproducibly.

  mutate.py OUTDIR FIRST COUNT SEED BASE...

writes OUTDIR/NNNN.img for NNNN from FIRST to FIRST+COUNT-1, image N a
copy of BASE number N modulo their count with its metadata damaged in one of several ways chosen from SEED:
random bytes in the superblock (checksum kept right or left wrong), a
superblock field set to an edge value with a right checksum, a hostile
array name (newlines, KEY=VALUE, shell syntax, control and UTF-8 bytes),
bitmap header fields at edge values, random lockless state bytes, random
device roles, and random bytes in a 0.90 superblock (its checksum kept
right). Copies are sparse: only the blocks of BASE that hold data are
written. Image N depends only on N, SEED and the bases, so a long run can
be made in batches and any image made again. One line per image on
stdout: "NNNN BASE what".
"""
import os
import random
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from imgedit import SB_FIELDS, BM_FIELDS, SB1_MAGIC, csum  # noqa: E402

SB0_MAGIC = 0xA92B4EFC
EDGES = [0, 1, 2, 3, 0x7F, 0x80, 0xFF, 0x100, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000,
         0xFFFFFFFE, 0xFFFFFFFF]
NAMES = [b"h:x\nSYSTEMD_WANTS=pwned.service", b"x\nSYSTEMD_READY=0\nID_FS_TYPE=x",
         b"$(touch /tmp/pwned)", b"`id`;|&&>x y", b"a/b/../../etc", b"\x1b[31mred\r",
         b"caf\xc3\xa9:\xe2\x98\x83", b"\xff\xfe\x80", b"'\"\\", b"devices=/dev/null",
         b" leading", b"", b"=\n=", b"x" * 32]


def sparse_copy(src, dst):
    with open(src, "rb") as f, open(dst, "wb") as g:
        size = os.fstat(f.fileno()).st_size
        g.truncate(size)
        pos = 0
        while pos < size:
            try:
                start = os.lseek(f.fileno(), pos, os.SEEK_DATA)
            except OSError:
                break
            end = os.lseek(f.fileno(), start, os.SEEK_HOLE)
            f.seek(start)
            g.seek(start)
            g.write(f.read(end - start))
            pos = end
    return size


def v1_offset(f, size):
    for off in (0, 4096, ((size // 512 - 16) & ~7) * 512):
        f.seek(off)
        if struct.unpack("<I", f.read(4))[0] == SB1_MAGIC:
            return off
    return None


def v0_offset(size):
    return ((size // 65536) - 1) * 65536


def fix_v1_csum(f, off):
    f.seek(off)
    sb = f.read(4096)
    max_dev = struct.unpack_from("<I", sb, 220)[0]
    if 256 + 2 * max_dev <= len(sb):
        f.seek(off + 216)
        f.write(struct.pack("<I", csum(sb)))


def fix_v0_csum(f, off):
    f.seek(off)
    sb = bytearray(f.read(4096))
    sb[152:156] = b"\0\0\0\0"
    total = sum(struct.unpack("<1024I", bytes(sb)))
    total = (total & 0xFFFFFFFF) + (total >> 32)
    f.seek(off + 152)
    f.write(struct.pack("<I", total & 0xFFFFFFFF))


def poke(f, off, data):
    f.seek(off)
    f.write(data)


def mutate(path, rng):
    with open(path, "r+b") as f:
        size = os.fstat(f.fileno()).st_size
        v1 = v1_offset(f, size)
        if v1 is None:
            off = v0_offset(size)
            n = rng.randint(1, 16)
            for _ in range(n):
                poke(f, off + rng.randrange(0, 1024), bytes([rng.randrange(256)]))
            fix_v0_csum(f, off)
            return "0.90 superblock: %d random bytes, checksum right" % n
        f.seek(v1 + 96)
        bitmap_offset = struct.unpack("<i", f.read(4))[0]
        kind = rng.randrange(7)
        if kind == 0:
            n = rng.randint(1, 12)
            for _ in range(n):
                poke(f, v1 + rng.randrange(0, 256), bytes([rng.randrange(256)]))
            keep = rng.random() < 0.7
            if keep:
                fix_v1_csum(f, v1)
            return "superblock: %d random bytes, checksum %s" % (n, "right" if keep else "wrong")
        if kind == 1:
            field = rng.choice(sorted(SB_FIELDS))
            foff, fmt = SB_FIELDS[field]
            value = rng.choice(EDGES + [rng.getrandbits(64)])
            value &= (1 << (8 * struct.calcsize(fmt))) - 1
            if fmt[-1] in "iq" and value >= 1 << (8 * struct.calcsize(fmt) - 1):
                value -= 1 << (8 * struct.calcsize(fmt))
            poke(f, v1 + foff, struct.pack(fmt, value))
            if field != "sb_csum":
                fix_v1_csum(f, v1)
            return "superblock %s = %d, checksum right" % (field, value)
        if kind == 2:
            name = rng.choice(NAMES)[:32]
            poke(f, v1 + 32, name + b"\0" * (32 - len(name)))
            fix_v1_csum(f, v1)
            return "array name %r" % name
        if kind == 3:
            f.seek(v1 + 220)
            max_dev = min(struct.unpack("<I", f.read(4))[0], 1920)
            n = rng.randint(1, 8)
            for _ in range(n):
                poke(f, v1 + 256 + 2 * rng.randrange(max(max_dev, 1)),
                     struct.pack("<H", rng.choice([0, 1, 2, 0xFFFE, 0xFFFF, rng.getrandbits(16)])))
            fix_v1_csum(f, v1)
            return "%d device roles changed, checksum right" % n
        bm = v1 + bitmap_offset * 512
        if bitmap_offset == 0 or not 0 <= bm < size - 4096:
            poke(f, v1 + rng.randrange(0, 256), bytes([rng.randrange(256)]))
            return "superblock: one random byte (no bitmap), checksum wrong"
        if kind == 4:
            field = rng.choice(sorted(BM_FIELDS))
            foff, fmt = BM_FIELDS[field]
            value = rng.choice(EDGES + [4, 5, 6, 7, rng.getrandbits(32)])
            value &= (1 << (8 * struct.calcsize(fmt))) - 1
            poke(f, bm + foff, struct.pack(fmt, value))
            return "bitmap %s = %d" % (field, value)
        if kind == 5:
            start, count = rng.randrange(0, 4096), rng.randint(1, 4096)
            poke(f, bm + 1024 + start, bytes(rng.randrange(256) for _ in range(count)))
            return "%d random state bytes from %d" % (count, start)
        n = rng.randint(1, 32)
        for _ in range(n):
            poke(f, bm + rng.randrange(0, 256), bytes([rng.randrange(256)]))
        return "bitmap header: %d random bytes" % n


def main():
    if len(sys.argv) < 6:
        sys.exit("usage: mutate.py OUTDIR FIRST COUNT SEED BASE...")
    outdir, first, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    bases = sys.argv[5:]
    for i in range(first, first + count):
        rng = random.Random(seed * 1000003 + i)
        base = bases[i % len(bases)]
        out = os.path.join(outdir, "%04d.img" % i)
        sparse_copy(base, out)
        what = mutate(out, rng)
        print("%04d %s %s" % (i, os.path.basename(base), what))


if __name__ == "__main__":
    main()
