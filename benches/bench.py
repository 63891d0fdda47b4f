#!/usr/bin/env python3
"""Throughput benchmark for unlint, compared with ripgrep on the same corpus.

Builds a corpus from seeds/ (100 files of about 200 KB, one 20 MB file and one 40 MB file, and
the 20 MB file written on one line in 5 and 10 MB pieces), lints it with the full default rule
set (release build, JSON output), and runs `rg -c -i -F` with every terminology form over the
same files. Reports MB/s, peak RSS, the ratio to rg single-threaded and with all cores,
linearity (40 MB vs 20 MB; 10 MB vs 5 MB on a single line), thread speed-up and start-up time.
Results go to stdout and benches/RESULTS.md. See docs/performance.md.

    python3 benches/bench.py            # needs rg (apt-get install ripgrep); about 2 minutes

Timings are the best of N runs (BENCH_RUNS, default 3). Nothing here is a test: CI does not
run it, and no test asserts a time.
"""

import json
import os
import pathlib
import resource
import shutil
import subprocess
import sys
import time
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = pathlib.Path(os.environ.get("BENCH_DIR", ROOT / "target" / "bench"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
CORES = os.cpu_count() or 1
UNLINT = ROOT / "target" / "release" / "unlint"


def build():
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)


def make_corpus():
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    texts = [p.read_bytes() for p in seeds]
    dirs = {name: OUT / "corpus" / name for name in ("small", "large", "large2", "oneline")}
    for d in dirs.values():
        if d.exists():
            shutil.rmtree(d)
        d.mkdir(parents=True)
    # 100 files of ~200 KB: every seed once, in a rotating order, so files differ.
    for i in range(100):
        k = i % len(texts)
        body = b"\n\n".join(texts[k:] + texts[:k])
        (dirs["small"] / f"report_{i:03}.txt").write_bytes(body)
    one = b"\n\n".join(texts)
    big = one * (20 * 1024 * 1024 // len(one) + 1)
    big = big[: 20 * 1024 * 1024].rsplit(b"\n", 1)[0] + b"\n"
    (dirs["large"] / "big.txt").write_bytes(big)
    (dirs["large2"] / "big2.txt").write_bytes(big * 2)
    # The same text with no line break: nothing may be linear in the length of a line.
    flat = big.replace(b"\n", b" ")
    for mb in (5, 10):
        (dirs["oneline"] / f"line{mb}.txt").write_bytes(flat[: mb * 1000 * 1000].rsplit(b" ", 1)[0])
    # Dates, séances and references in every sentence, on one line: the seeds' own text is too
    # sparse in dates to show a windowed scan merging its windows quadratically (one did).
    dense = ("Le Conseil de sécurité, rappelant sa résolution 2334 (2016) du 23 décembre 2016, "
             "a tenu sa 1re séance le 3 mars 2024 (voir A/78/123, par. 4). ").encode()
    for mb in (2, 4):
        (dirs["oneline"] / f"dense{mb}.txt").write_bytes(dense * (mb * 1000 * 1000 // len(dense)))
    return dirs


def variants():
    """The forms of every shipped term set (preferred, accepted, variants), as written in
    rules/terminology-*.toml: what terminology/* looks for (unlint also matches their
    inflections and solid spellings). Exceptions and acronyms are not searched for."""
    forms = set()
    for f in sorted((ROOT / "rules").glob("terminology-*.toml")):
        cfg = tomllib.loads(f.read_text(encoding="utf-8")).get("terminology", {})
        for s in cfg.get("set", []):
            for form in [s.get("preferred")] + s.get("accepted", []) + s.get("variants", []):
                if form:
                    forms.add(form)
    return sorted(forms)


def size(path):
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def best_time(cmd, ok=(0, 1)):
    """Best wall time of RUNS runs; the CPU time (user + sys) of that run goes to LAST_CPU."""
    global LAST_CPU
    best = None
    for _ in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        dt = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if r.returncode not in ok:
            sys.exit(f"command failed ({r.returncode}): {' '.join(map(str, cmd))}")
        if best is None or dt < best:
            best = dt
            LAST_CPU = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return best


LAST_CPU = 0.0


def stage_times(cmd):
    """Per-stage wall times (ms) printed by UNLINT_TIMINGS=1, best of RUNS runs per stage."""
    best = {}
    for _ in range(RUNS):
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                           env={**os.environ, "UNLINT_TIMINGS": "1"})
        for line in r.stderr.splitlines():
            parts = line.removeprefix("timings run:").split(None, 2)
            if len(parts) == 3 and parts[1] == "ms":
                ms, stage = float(parts[0]), parts[2]
                best[stage] = min(ms, best.get(stage, ms))
    return sorted(best.items(), key=lambda kv: -kv[1])


def peak_rss_mb(cmd):
    r = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        return int(r.stderr.strip().splitlines()[-1]) / 1024
    except (ValueError, IndexError):
        return float("nan")


def main():
    if not shutil.which("rg"):
        sys.exit("rg not found: apt-get install ripgrep (or cargo install ripgrep)")
    build()
    dirs = make_corpus()
    small, large, large2 = dirs["small"], dirs["large"], dirs["large2"]
    pats = OUT / "variants.txt"
    forms = variants()
    pats.write_text("\n".join(forms) + "\n", encoding="utf-8")
    rows = []
    results = {}
    times = {}

    def unlint(path, threads):
        return [str(UNLINT), "--isolated", "--format", "json", "-j", str(threads), str(path)]

    def rg(path, threads):
        return ["rg", "-c", "-i", "-F", "-f", str(pats), "-j", str(threads), str(path)]

    cpu = {}
    for name, path in (("100 files x 200 KB", small), ("one 20 MB file", large)):
        mb = size(path) / 1e6
        for threads in sorted({1, CORES}):
            tu = best_time(unlint(path, threads))
            cpu[(path, threads)] = LAST_CPU
            tr = best_time(rg(path, threads))
            times[(path, threads)] = tu
            rows.append((name, threads, mb / tu, mb / tr, tr / tu))
            results[f"{name} j{threads}"] = {"unlint_mb_s": mb / tu, "rg_mb_s": mb / tr, "ratio": tr / tu,
                                             "unlint_cpu_s": cpu[(path, threads)]}

    t20 = times[(large, 1)]
    t40 = best_time(unlint(large2, 1))
    t5 = best_time(unlint(dirs["oneline"] / "line5.txt", 1))
    t10 = best_time(unlint(dirs["oneline"] / "line10.txt", 1))
    d2 = best_time(unlint(dirs["oneline"] / "dense2.txt", 1))
    d4 = best_time(unlint(dirs["oneline"] / "dense4.txt", 1))
    tiny = OUT / "tiny.txt"
    tiny.write_text("1. Texte.\n", encoding="utf-8")
    rss = peak_rss_mb(unlint(large, 1))
    rss_all = peak_rss_mb(unlint(large, CORES))
    rss_small = peak_rss_mb(unlint(small, CORES))
    rss_tiny = peak_rss_mb(unlint(tiny, 1))
    startup = best_time(unlint(tiny, 1)) * 1000
    ts1 = times[(small, 1)]
    tsn = times[(small, CORES)]
    tl1 = times[(large, 1)]
    tln = times[(large, CORES)]
    big_mb = size(large) / 1e6
    stages = stage_times(unlint(large, 1))
    results.update(
        linearity=t40 / t20, one_line_linearity=t10 / t5, dense_line_linearity=d4 / d2, speedup=ts1 / tsn, speedup_one_file=tl1 / tln,
        peak_rss_mb=rss, peak_rss_all_cores_mb=rss_all, peak_rss_100_files_mb=rss_small,
        peak_rss_tiny_mb=rss_tiny, startup_ms=startup, stages_ms=dict(stages),
    )

    lines = [
        f"Corpus from seeds/: {size(small)/1e6:.1f} MB in 100 files, {big_mb:.1f} MB in one file; "
        f"{len(forms)} terminology forms for rg; best of {RUNS} runs; {CORES} cores.",
        "",
        "| corpus | threads | unlint MB/s | rg -c -i -F MB/s | unlint / rg |",
        "|---|---|---|---|---|",
    ]
    for name, threads, u, r, ratio in rows:
        lines.append(f"| {name} | {threads} | {u:.1f} | {r:.1f} | {ratio:.3f} |")
    lines += [
        "",
        f"- CPU time (user + sys) of the best single-threaded run: {cpu[(small, 1)]:.2f} s for the 100 files "
        f"({size(small) / 1e6 / cpu[(small, 1)]:.1f} MB/s), {cpu[(large, 1)]:.2f} s for the 20 MB file "
        f"({big_mb / cpu[(large, 1)]:.1f} MB/s)",
        f"- linearity: 40 MB takes {t40 / t20:.2f}x the time of 20 MB (target at most 2.1)",
        f"- one line: 10 MB on one line takes {t10 / t5:.2f}x the time of 5 MB on one line; "
        f"4 MB of dated sentences on one line takes {d4 / d2:.2f}x the time of 2 MB",
        f"- thread speed-up with {CORES} threads: {ts1 / tsn:.2f}x on the 100 files, "
        f"{tl1 / tln:.2f}x on the 20 MB file (its rules run as parallel tasks)",
        f"- peak RSS on the 20 MB file: {rss:.0f} MB with 1 thread, {rss_all:.0f} MB with {CORES} "
        f"({(rss - rss_tiny) / big_mb:.1f}x the file above the {rss_tiny:.0f} MB of a one-line file; "
        f"target within 3x the file + a constant); {rss_small:.0f} MB for the 100 files with {CORES} threads",
        f"- start-up (tiny file, embedded config parse and automaton build, process included): {startup:.1f} ms",
        "",
        "Where the time goes on the 20 MB file, single-threaded (`UNLINT_TIMINGS=1`, best of "
        f"{RUNS} per stage; stages under 1 ms left out):",
        "",
        "| stage | ms | MB/s |",
        "|---|---|---|",
    ]
    for stage, ms in stages:
        if ms >= 1.0:
            lines.append(f"| {stage} | {ms:.1f} | {big_mb / (ms / 1000):.0f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    (ROOT / "benches" / "RESULTS.md").write_text("# Benchmark results\n\n" + text, encoding="utf-8")
    (OUT / "results.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
