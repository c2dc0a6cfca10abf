#!/usr/bin/env python3
"""Turn the output of bench/assemble-speed.guest into a Markdown report.

usage: assemble-report.py RAW_FILE WALL_SECONDS VM_STATUS
"""
import datetime
import os
import statistics
import sys

raw, wall, vm_status = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
results, infos, details = [], [], []
done = False
for line in open(raw, errors="replace"):
    line = line.rstrip("\n")
    if line.startswith("RESULT "):
        fields = {}
        for kv in line.split()[1:]:
            if "=" in kv:
                k, v = kv.split("=", 1)
                fields[k] = v
        results.append(fields)
    elif line.startswith("INFO "):
        infos.append(line[5:])
    elif line.startswith("DETAIL"):
        details.append(line)
    elif line == "DONE":
        done = True


def info(key, default="?"):
    for i in infos:
        if i.startswith(key + "="):
            return i.split("=", 1)[1]
    return default


def reps(case, tool):
    return [r for r in results if r.get("case") == case and r.get("tool") == tool]


def ms(us_values):
    return [v / 1000.0 for v in us_values]


def samples(case, tool, kind):
    """(ok values in ms, number of failed reps, number of reps)"""
    rs = reps(case, tool)
    ok = [r for r in rs if r.get("status") == "ok"]
    vals = []
    for r in ok:
        if kind == "us":
            vals.append(int(r["us"]))
        elif kind == "total":
            vals.append(int(r["total_us"]))
        else:
            calls = [int(c) for c in r["calls"].split(",")]
            n = int(r.get("arrays", "8"))     # calls are disk by disk: n per disk
            if kind == "call":
                vals.extend(calls)
            elif kind == "start-call":      # calls 25..32 start the arrays
                vals.extend(calls[-8:])
            elif kind == "add-call":        # calls 1..24 only add a member
                vals.extend(calls[:-8])
            elif kind == "many-first":      # first disk: each call makes a new md device
                vals.extend(calls[:n])
            elif kind == "many-add":        # second and third disk: only add
                vals.extend(calls[n:-n])
            elif kind == "many-start":      # last disk: each call starts an array
                vals.extend(calls[-n:])
    return ms(vals), len(rs) - len(ok), len(rs)


def fmt(v):
    return "%.1f" % v


rows = [
    ("not an md member: `--incremental --export DEV --offroot` (udev rule)", "nonmember-udev", "us"),
    ("not an md member: `--incremental DEV`", "nonmember-plain", "us"),
    ("8x4 members, our arrays: 32 udev-style `--incremental` calls, total", "incr-ours-created", "total"),
    ("  same, per call (all 32 calls of every rep)", "incr-ours-created", "call"),
    ("  same, per call that only adds a member (calls 1-24)", "incr-ours-created", "add-call"),
    ("  same, per call that starts an array (calls 25-32)", "incr-ours-created", "start-call"),
    ("8x4 members, peer's arrays: 32 udev-style `--incremental` calls, total", "incr-peer-created", "total"),
    ("  same, per call (all 32 calls of every rep)", "incr-peer-created", "call"),
    ("`--assemble --scan --config=FILE` (ARRAY lines from `--examine --scan`), 8 arrays", "scan-conf", "us"),
    ("`--assemble --scan`, no config file, 8 arrays", "scan-noconf", "us"),
]
many = next((r.get("arrays") for r in results if r.get("case", "").startswith("incr-many-")
             and r.get("arrays") != "8"), None)
if many:
    for n in ("8", many):
        case = "incr-many-" + n
        rows += [
            ("%sx4 dm-linear members (of %s arrays): %d udev-style calls, total" % (n, many, 4 * int(n)),
             case, "total"),
            ("  same, per call", case, "call"),
            ("  same, per call on the 1st disk (makes a new md device)", case, "many-first"),
            ("  same, per call on the 2nd/3rd disk (adds a member)", case, "many-add"),
            ("  same, per call on the 4th disk (starts an array; %s arrays present)" % n,
             case, "many-start"),
        ]

print("# Assembly speed: our mdadm vs the peer (upstream mdadm 4.6)\n")
print("- date: %s" % datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
print("- guest kernel: %s (`uname -r` in the VM), %s vCPUs, hostname `%s`"
      % (info("kernel"), info("cpus"), info("hostname")))
print("- ours: %s" % info("ours_version"))
print("- peer: %s (run as %s)" % (info("peer_version"), {
    "ld.so-direct": "sid's ld.so on sid's mdadm, the exec line of build/peer/mdadm "
                    "without its /bin/sh hop",
    "wrapper": "the build/peer/mdadm shell wrapper: every call pays a /bin/sh start"}
    .get(info("peer_invocation"), info("peer_invocation"))))
print("- VM: QEMU/TCG (no KVM) on a %d-CPU host; absolute times are only comparable "
      "within one run. Host root filesystem over 9p, warm page cache (each tool is "
      "run once untimed first), no udevd in the guest, so the tools make their own "
      "/dev/md links." % (os.cpu_count() or 0))
print("- host load average (1/5/15 min) at the start: %s, at the end: %s; the host's "
      "CPUs were shared with other work during the run, so times are noisy."
      % (info("hostload-start"), info("hostload-end")))
print("- disks: 4 virtio disks, each cut into 8 partitions of 64 MiB (%s) plus a "
      "blank 16 MiB vda9 on the first; array i = partition i+1 of every disk: "
      "md0-md5 RAID5, md6 RAID1 (4 mirrors), md7 RAID10, all `--bitmap=lockless "
      "--assume-clean`, metadata 1.2." % {
          "sfdisk-gpt": "GPT written by sfdisk",
          "addpart-no-table": "kernel partitions added with addpart; sfdisk is not "
                              "installed, so there is no on-disk partition table"}
      .get(info("partitions"), info("partitions")))
print("- %s; wall time of the whole benchmark (VM boot to power-off): %d s%s."
      % ("repetitions: " + info("reps"), wall,
         "" if vm_status == 0 and done else
         " — **the VM run did not finish normally (status %d%s)**"
         % (vm_status, "" if done else ", no DONE line")))
print("- Timing: bash `$EPOCHREALTIME` right before and after each call (the "
      "process's wall time incl. fork/exec); stopping arrays and clearing "
      "/run/mdadm/* and /dev/md between repetitions is not timed. The tools "
      "alternate which one runs first in each repetition. Stops are done with "
      "the peer's `--stop --scan`.\n")

print("| case | ours median (ms) | peer median (ms) | ratio ours/peer | reps (ours/peer) "
      "| ours min-max (ms) | peer min-max (ms) |")
print("|---|---|---|---|---|---|---|")
failed_rows = []
for label, case, kind in rows:
    o, ofail, on = samples(case, "ours", kind)
    p, pfail, pn = samples(case, "peer", kind)
    if on == 0 and pn == 0:
        skipped = [i for i in infos if i.startswith(case + " skipped")]
        print("| %s | not run%s | | | | | |" % (label, (": " + skipped[0]) if skipped else ""))
        continue

    def cell(vals, nfail, n):
        if n == 0:
            return "not run"
        if nfail == n:
            return "**FAILED** (%d/%d reps)" % (nfail, n)
        s = fmt(statistics.median(vals))
        if nfail:
            s += " (**FAILED %d/%d reps**; median of the rest)" % (nfail, n)
        return s

    oc, pc = cell(o, ofail, on), cell(p, pfail, pn)
    ratio = "%.2f" % (statistics.median(o) / statistics.median(p)) if o and p else "n/a"
    if ofail or pfail:
        failed_rows.append(label.strip())
    count = lambda vals, n: str(n) + ("" if kind in ("us", "total") else " (%d calls)" % len(vals))
    mm = lambda vals: "%s-%s" % (fmt(min(vals)), fmt(max(vals))) if vals else "-"
    print("| %s | %s | %s | %s | %s / %s | %s | %s |"
          % (label, oc, pc, ratio, count(o, on), count(p, pn), mm(o), mm(p)))

print("\nRatio < 1: ours is faster.\n")

floor = [int(r["us"]) / 1000.0 for r in results if r.get("case") == "floor" and r.get("status") == "ok"]
if floor:
    f = statistics.median(floor)
    print("## Above the process floor\n")
    print("`/bin/true` timed the same way: median %.1f ms (%d reps, %.1f-%.1f). What each "
          "tool spends beyond starting a process (target: ours at most half of the peer's):\n"
          % (f, len(floor), min(floor), max(floor)))
    print("| case | ours - floor (ms) | peer - floor (ms) | ratio |")
    print("|---|---|---|---|")
    for label, case in (("`-I --export DEV --offroot`, not a member", "nonmember-udev"),
                        ("`-I DEV`, not a member", "nonmember-plain"),
                        ("`--assemble --scan --config=FILE`, 8 arrays", "scan-conf"),
                        ("`--assemble --scan`, no config file, 8 arrays", "scan-noconf")):
        o, _, _ = samples(case, "ours", "us")
        p, _, _ = samples(case, "peer", "us")
        if not o or not p:
            continue
        om, pm = statistics.median(o) - f, statistics.median(p) - f
        print("| %s | %.1f | %.1f | %s |" % (label, om, pm, "%.2f" % (om / pm) if pm > 0 else "n/a"))
    print()

if many:
    print("## Time per `--incremental` as the number of arrays grows\n")
    print("Median per call, 8 arrays vs %s arrays of the same dm-linear set (flat = 1.00):\n" % many)
    print("| calls | ours 8 | ours %s | ours growth | peer 8 | peer %s | peer growth |" % (many, many))
    print("|---|---|---|---|---|---|---|")
    for label, kind in (("every call", "call"), ("1st disk (new md device)", "many-first"),
                        ("2nd/3rd disk (add)", "many-add"), ("4th disk (start)", "many-start")):
        cells = []
        for tool in ("ours", "peer"):
            a, _, _ = samples("incr-many-8", tool, kind)
            b, _, _ = samples("incr-many-" + many, tool, kind)
            if a and b:
                ma, mb = statistics.median(a), statistics.median(b)
                cells += [fmt(ma), fmt(mb), "%.2f" % (mb / ma)]
            else:
                cells += ["-", "-", "-"]
        print("| %s | %s |" % (label, " | ".join(cells)))
    print()

print("## What each tool left behind\n")
print("| case | tool | md devices after the first rep | arrays read-only (auto-read-only) |")
print("|---|---|---|---|")
for case in ("incr-ours-created", "incr-peer-created", "scan-conf", "scan-noconf") + \
        (("incr-many-8", "incr-many-" + many) if many else ()):
    for tool in ("ours", "peer"):
        rs = reps(case, tool)
        if rs:
            devs = rs[0].get("devs", "%s arrays" % rs[0].get("arrays", "?"))
            print("| %s | %s | %s | %s |" % (case, tool, devs.replace("+", " "),
                                             rs[0].get("ro", "?")))
msgs = [i[4:] for i in infos if i.startswith("msg ")]
if msgs:
    print("\nNon-member messages (first rep):\n")
    for m in msgs:
        print("- `%s`" % m)
created = [i for i in infos if i.startswith("created-by-")]
if created:
    print("\nArrays as created: " + "; ".join(c.replace("+", " ") for c in created))

setup_errors = [r for r in results if r.get("case") in ("setup", "cleanup", "many-setup")
                or r.get("case", "").startswith("create-")]
if failed_rows or details or setup_errors or vm_status != 0 or not done:
    print("\n## Failures\n")
    for r in setup_errors:
        print("- %s: %s" % (r.get("case"), r.get("reason")))
    seen = []
    for r in results:
        if r.get("status") == "error" and "rep" in r and (r["case"], r["tool"]) not in seen:
            seen.append((r["case"], r["tool"]))
    for case, tool in seen:
        rs = reps(case, tool)
        bad = [r for r in rs if r.get("status") == "error"]
        reasons = sorted(set(r.get("reason", "?") for r in bad))
        print("- %s, %s: %d of %d repetitions failed (%s); those rows are marked FAILED"
              % (case, tool, len(bad), len(rs), ", ".join(reasons)))
    if not done:
        print("- the guest script did not reach its end (VM status %d)" % vm_status)
    if details:
        print("\n```")
        for d in details:
            print(d)
        print("```")
