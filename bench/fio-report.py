#!/usr/bin/env python3
"""Turn the RESULT lines of bench/fio-llbitmap.guest into a Markdown table."""
import sys

raw, runtime, size = sys.argv[1], sys.argv[2], sys.argv[3]
rows = []
for line in open(raw):
    if line.startswith("RESULT "):
        rows.append(dict(kv.split("=", 1) for kv in line.split()[1:]))


def find(tool, level, bitmap, assume):
    for r in rows:
        if (r["tool"], r["level"], r["bitmap"], r["assume"]) == (tool, level, bitmap, assume):
            return r
    return None


def ratio(a, b):
    if not a or not b or "iops" not in a or "iops" not in b or float(b["iops"]) == 0:
        return "n/a"
    return "%.2f" % (float(a["iops"]) / float(b["iops"]))


print("# fio 4k random write: none vs classic bitmap vs lockless bitmap\n")
print("Arrays made by our `mdadm --create` inside the md VM (QEMU/TCG, Linux 7.2.13), "
      "%s members, fio randwrite bs=4k iodepth=16 direct=1, %ss per array. "
      "Absolute IOPS are emulation numbers; read the ratios.\n" % (size, runtime))
print("| level | assume-clean | none IOPS | bitmap IOPS | llbitmap IOPS | llbitmap/bitmap | llbitmap/none |")
print("|---|---|---|---|---|---|---|")
for level in ("raid1", "raid10", "raid5"):
    for assume in ("0", "1"):
        n, b, l = (find("ours", level, x, assume) for x in ("none", "internal", "lockless"))
        print("| %s | %s | %s | %s | %s | %s | %s |" % (
            level, "yes" if assume == "1" else "no",
            n["iops"] if n else "error", b["iops"] if b else "error", l["iops"] if l else "error",
            ratio(l, b), ratio(l, n)))
print("\n## Bytes moved on the members from create to the end of the initial resync\n")
print("| level | assume-clean | none | bitmap | llbitmap | resync seconds none/bitmap/llbitmap |")
print("|---|---|---|---|---|---|")
for level in ("raid1", "raid10", "raid5"):
    for assume in ("0", "1"):
        cells, secs = [], []
        for x in ("none", "internal", "lockless"):
            r = find("ours", level, x, assume)
            cells.append("%.1f MiB" % (int(r["create_io_bytes"]) / 1048576.0) if r and "create_io_bytes" in r else "error")
            secs.append(r.get("resync_seconds", "?") if r else "?")
        print("| %s | %s | %s | %s | %s | %s |" % (level, "yes" if assume == "1" else "no",
                                                 cells[0], cells[1], cells[2], "/".join(secs)))
p = find("ours", "raid1", "lockless", "0")
peer = [r for r in rows if r["tool"] == "peer"]
if peer and p:
    print("\nControl: lockless RAID1 created by the peer (upstream mdadm 4.6): %s IOPS, "
          "ours/peer = %s (the kernel does the I/O; the creating tool should not matter)."
          % (peer[0].get("iops", "error"), ratio(p, peer[0])))
