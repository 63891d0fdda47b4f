#!/usr/bin/env python3
"""Estimated cycles of one run, from callgrind's cache and branch simulation (no hardware
counters on the virtual machines here, and wall time on a shared 2-core host is noise).

    python3 benches/cycles.py BIN TARGET [OUT] [PATTERN...]

runs `BIN --isolated --format json -j1 TARGET` under callgrind and prints its instructions (Ir)
and an estimate of its cycles,

    est = Ir + 10*(I1mr+D1mr+D1mw) + 100*(ILmr+DLmr+DLmw) + 15*(Bcm+Bim)

(first-level misses, last-level misses, mispredicted branches), then for each PATTERN the
inclusive Ir and est of the first function (most instructions) whose name contains it.
Deterministic, so two builds compare on a loaded host; round 14 of docs/performance.md."""
import re, subprocess, sys
binary, target = sys.argv[1], sys.argv[2]
out = sys.argv[3] if len(sys.argv) > 3 else "/tmp/cyc.out"
pats = sys.argv[4:]
subprocess.run(["valgrind", "--tool=callgrind", "--cache-sim=yes", "--branch-sim=yes",
                f"--callgrind-out-file={out}", binary, "--isolated", "--format", "json", "-j1", target],
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
EV = "Ir,I1mr,D1mr,D1mw,ILmr,DLmr,DLmw,Bcm,Bim"
def est(v):
    ir, i1, d1r, d1w, il, dlr, dlw, bcm, bim = v
    return ir + 10 * (i1 + d1r + d1w) + 100 * (il + dlr + dlw) + 15 * (bcm + bim)
def rows(inclusive):
    txt = subprocess.run(["callgrind_annotate", f"--inclusive={'yes' if inclusive else 'no'}", f"--show={EV}",
                          "--sort=Ir", "--threshold=100", out], capture_output=True, text=True).stdout
    for line in txt.splitlines():
        m = re.match(r"^\s*((?:(?:[0-9][0-9,]*|\.)(?:\s+\([ 0-9.]+%\))?\s+){9})(.*)$", line)
        if not m: continue
        vals = [0 if x == "." else int(x.replace(",", "")) for x in re.findall(r"([0-9][0-9,]*|\.)(?:\s+\([ 0-9.]+%\))?", m.group(1))][:9]
        if len(vals) == 9: yield vals, m.group(2)
total = next((v for v, name in rows(False) if "PROGRAM TOTALS" in name), None)
if total is None:
    sys.exit(f"no callgrind profile in {out}: are valgrind and callgrind_annotate installed?")
print(f"{binary} on {target}: Ir {total[0]/1e6:.1f} M  est {est(total)/1e6:.1f} M  "
      f"(Bm {(total[7]+total[8])/1e6:.2f} M, L1m {(total[1]+total[2]+total[3])/1e6:.2f} M, LLm {(total[4]+total[5]+total[6])/1e6:.3f} M)")
if pats:
    found = {}
    for v, name in rows(True):
        fn = name.split(":", 1)[-1].split(" [")[0]
        for p in pats:
            if p in fn and p not in found:
                found[p] = (v, fn)
    for p in pats:
        if p in found:
            v, fn = found[p]
            print(f"  {v[0]/1e6:8.2f} M Ir {est(v)/1e6:8.2f} M est  {fn[:140]}")
