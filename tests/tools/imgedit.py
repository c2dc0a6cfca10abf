#!/usr/bin/env python3
"""imgedit.py - craft damaged member images for the command-line tests.

Independent of the C codecs on purpose: it computes the v1 superblock
checksum itself, so a test can change a field and keep (or break) the
checksum deliberately.

  imgedit.py IMG sb-offset                 print the byte offset of the v1 sb
  imgedit.py IMG set-sb FIELD VALUE [--keep-csum]
        set a superblock field (see FIELDS) and recompute the checksum
        unless --keep-csum (which leaves the old, now wrong, checksum)
  imgedit.py IMG set-name HEXBYTES          set the array name (set_name, up
        to 32 bytes, NUL padded) and recompute the checksum
  imgedit.py IMG poke OFFSET HEXBYTES       write raw bytes at a byte offset
  imgedit.py IMG set-bitmap FIELD VALUE     set a bitmap superblock field
  imgedit.py IMG fill-states START COUNT BYTE   write COUNT state bytes
  imgedit.py IMG digest                     print a SHA-256 of the size and of
        every data extent (offset, length, bytes); holes are skipped, so a
        sparse 320 MiB image costs what its written blocks do, and a write
        of zeros into a hole still changes the digest (it allocates)
"""
import hashlib
import os
import struct
import sys

# name: (offset, struct format)
SB_FIELDS = {
    "magic": (0, "<I"), "major_version": (4, "<I"), "feature_map": (8, "<I"),
    "pad0": (12, "<I"), "level": (72, "<i"), "layout": (76, "<I"),
    "size": (80, "<Q"), "chunksize": (88, "<I"), "raid_disks": (92, "<I"),
    "bitmap_offset": (96, "<i"), "data_offset": (128, "<Q"),
    "data_size": (136, "<Q"), "super_offset": (144, "<Q"),
    "dev_number": (160, "<I"), "bblog_offset": (188, "<i"),
    "events": (200, "<Q"), "sb_csum": (216, "<I"), "max_dev": (220, "<I"),
    "logical_block_size": (224, "<I"), "pad3": (228, "<I"),
}
BM_FIELDS = {
    "magic": (0, "<I"), "version": (4, "<I"), "events": (24, "<Q"),
    "sync_size": (40, "<Q"), "state": (48, "<I"), "chunksize": (52, "<I"),
    "daemon_sleep": (56, "<I"), "write_behind": (60, "<I"),
    "sectors_reserved": (64, "<I"), "nodes": (68, "<I"),
}
SB1_MAGIC = 0xA92B4EFC


def read_at(f, off, n):
    f.seek(off)
    return f.read(n)


def find_sb(f, size):
    """Byte offset of the v1 superblock (1.1, 1.2, then 1.0)."""
    cands = [0, 4096, ((size // 512 - 16) & ~7) * 512]
    for off in cands:
        if struct.unpack("<I", read_at(f, off, 4))[0] == SB1_MAGIC:
            return off
    sys.exit("no v1 superblock found")


def csum(sb):
    max_dev = struct.unpack_from("<I", sb, 220)[0]
    n = 256 + 2 * max_dev
    data = bytearray(sb[:n])
    data[216:220] = b"\0\0\0\0"
    total = 0
    for i in range(0, n - n % 4, 4):
        total += struct.unpack_from("<I", data, i)[0]
    if n % 4:
        total += struct.unpack_from("<H", data, n - 2)[0]
    total = (total & 0xFFFFFFFF) + (total >> 32)
    return total & 0xFFFFFFFF


def digest(path):
    h = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        h.update(struct.pack("<Q", size))
        pos = 0
        while pos < size:
            try:
                start = os.lseek(fd, pos, os.SEEK_DATA)
            except OSError:
                break  # no data after pos
            end = os.lseek(fd, start, os.SEEK_HOLE)
            h.update(struct.pack("<QQ", start, end - start))
            os.lseek(fd, start, os.SEEK_SET)
            left = end - start
            while left > 0:
                chunk = os.read(fd, min(left, 1 << 20))
                if not chunk:
                    break
                h.update(chunk)
                left -= len(chunk)
            pos = end
    finally:
        os.close(fd)
    return h.hexdigest()


def main():
    img, op = sys.argv[1], sys.argv[2]
    if op == "digest":
        print(digest(img))
        return
    with open(img, "r+b") as f:
        f.seek(0, 2)
        size = f.tell()
        sb_off = find_sb(f, size) if op not in ("poke",) else None
        if op == "sb-offset":
            print(sb_off)
        elif op == "set-sb":
            field, value = sys.argv[3], int(sys.argv[4], 0)
            off, fmt = SB_FIELDS[field]
            f.seek(sb_off + off)
            f.write(struct.pack(fmt, value))
            if "--keep-csum" not in sys.argv and field != "sb_csum":
                max_dev = struct.unpack("<I", read_at(f, sb_off + 220, 4))[0]
                sb = read_at(f, sb_off, min(256 + 2 * max_dev, 1 << 16))
                if len(sb) >= 256 + 2 * max_dev:
                    f.seek(sb_off + 216)
                    f.write(struct.pack("<I", csum(sb)))
        elif op == "set-name":
            name = bytes.fromhex(sys.argv[3])[:32]
            f.seek(sb_off + 32)
            f.write(name + b"\0" * (32 - len(name)))
            max_dev = struct.unpack("<I", read_at(f, sb_off + 220, 4))[0]
            sb = read_at(f, sb_off, min(256 + 2 * max_dev, 1 << 16))
            f.seek(sb_off + 216)
            f.write(struct.pack("<I", csum(sb)))
        elif op == "poke":
            off = int(sys.argv[3], 0)
            f.seek(off)
            f.write(bytes.fromhex(sys.argv[4]))
        elif op in ("set-bitmap", "fill-states"):
            sb = read_at(f, sb_off, 256)
            super_offset = struct.unpack_from("<Q", sb, 144)[0]
            bitmap_offset = struct.unpack_from("<i", sb, 96)[0]
            bm = (super_offset + bitmap_offset) * 512
            if op == "set-bitmap":
                field, value = sys.argv[3], int(sys.argv[4], 0)
                off, fmt = BM_FIELDS[field]
                f.seek(bm + off)
                f.write(struct.pack(fmt, value))
            else:
                start, count = int(sys.argv[3]), int(sys.argv[4])
                f.seek(bm + 1024 + start)
                f.write(bytes([int(sys.argv[5], 0)]) * count)
        else:
            sys.exit("unknown operation " + op)


if __name__ == "__main__":
    main()
