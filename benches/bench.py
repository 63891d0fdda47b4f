#!/usr/bin/env python3
"""Throughput benchmark for unlint, compared with ripgrep on the same corpus.

Builds a corpus from seeds/ (100 files of about 200 KB, one 20 MB file and one 40 MB file),
lints it with the full default rule set (release build, JSON output), and runs
`rg -c -i` with the alternation of every terminology variant over the same files.
Reports MB/s, peak RSS, the ratio to rg single-threaded and with all cores, linearity
(40 MB vs 20 MB) and start-up time. Results go to stdout and benches/RESULTS.md.

    python3 benches/bench.py            # needs rg (apt-get install ripgrep)

Timings are the best of N runs (BENCH_RUNS, default 5). Nothing here is a test: CI does not
run it, and no test asserts a time.
"""

import json
import os
import pathlib
import shutil
import subprocess
import sys
import time
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = pathlib.Path(os.environ.get("BENCH_DIR", ROOT / "target" / "bench"))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
CORES = os.cpu_count() or 1
UNLINT = ROOT / "target" / "release" / "unlint"


def build():
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)


def make_corpus():
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    texts = [p.read_bytes() for p in seeds]
    small = OUT / "corpus" / "small"
    large = OUT / "corpus" / "large"
    large2 = OUT / "corpus" / "large2"
    for d in (small, large, large2):
        if d.exists():
            shutil.rmtree(d)
        d.mkdir(parents=True)
    # 100 files of ~200 KB: every seed once, in a rotating order, so files differ.
    for i in range(100):
        k = i % len(texts)
        body = b"\n\n".join(texts[k:] + texts[:k])
        (small / f"report_{i:03}.txt").write_bytes(body)
    one = b"\n\n".join(texts)
    big = one * (20 * 1024 * 1024 // len(one) + 1)
    (large / "big.txt").write_bytes(big[: 20 * 1024 * 1024].rsplit(b"\n", 1)[0] + b"\n")
    (large2 / "big2.txt").write_bytes(((large / "big.txt").read_bytes()) * 2)
    return small, large, large2


def variants():
    """Every term form of the shipped terminology sets, as fixed strings for rg -F."""
    forms = set()

    def walk(v, key=""):
        if isinstance(v, dict):
            for k, x in v.items():
                walk(x, k)
        elif isinstance(v, list):
            for x in v:
                walk(x, key)
        elif isinstance(v, str) and key not in ("note", "source", "id", "message", "help", "severity", "kind", "lang", "language", "scope", "name"):
            if 2 < len(v) < 60:
                forms.add(v)

    for f in sorted((ROOT / "rules").glob("terminology-*.toml")):
        walk(tomllib.loads(f.read_text(encoding="utf-8")).get("terminology", {}))
    return sorted(forms)


def size(path):
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def best_time(cmd, ok=(0, 1)):
    best = None
    for _ in range(RUNS):
        t = time.perf_counter()
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        dt = time.perf_counter() - t
        if r.returncode not in ok:
            sys.exit(f"command failed ({r.returncode}): {' '.join(map(str, cmd))}")
        best = dt if best is None else min(best, dt)
    return best


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
    small, large, large2 = make_corpus()
    pats = OUT / "variants.txt"
    forms = variants()
    pats.write_text("\n".join(forms) + "\n", encoding="utf-8")
    rows = []
    results = {}

    def unlint(path, threads):
        return [str(UNLINT), "--isolated", "--format", "json", "-j", str(threads), str(path)]

    def rg(path, threads):
        return ["rg", "-c", "-i", "-F", "-f", str(pats), "-j", str(threads), str(path)]

    for name, path in (("100 files x 200 KB", small), ("one 20 MB file", large)):
        mb = size(path) / 1e6
        for threads in (1, CORES):
            tu = best_time(unlint(path, threads))
            tr = best_time(rg(path, threads))
            rows.append((name, threads, mb / tu, mb / tr, tr / tu))
            results[f"{name} j{threads}"] = {"unlint_mb_s": mb / tu, "rg_mb_s": mb / tr, "ratio": tr / tu}

    t20 = best_time(unlint(large, 1))
    t40 = best_time(unlint(large2, 1))
    rss = peak_rss_mb(unlint(large, 1))
    tiny = OUT / "tiny.txt"
    tiny.write_text("1. Texte.\n", encoding="utf-8")
    startup = best_time(unlint(tiny, 1)) * 1000
    ts1 = best_time(unlint(small, 1))
    tsn = best_time(unlint(small, CORES))

    lines = [
        f"Corpus from seeds/: {size(small)/1e6:.1f} MB in 100 files, {size(large)/1e6:.1f} MB in one file; "
        f"{len(forms)} terminology variants for rg; best of {RUNS} runs; {CORES} cores.",
        "",
        "| corpus | threads | unlint MB/s | rg -c -i MB/s | unlint / rg |",
        "|---|---|---|---|---|",
    ]
    for name, threads, u, r, ratio in rows:
        lines.append(f"| {name} | {threads} | {u:.1f} | {r:.1f} | {ratio:.2f} |")
    lines += [
        "",
        f"- linearity: 40 MB takes {t40 / t20:.2f}x the time of 20 MB (target at most 2.1)",
        f"- thread speed-up on 100 files: {ts1 / tsn:.2f}x with {CORES} threads",
        f"- peak RSS on the 20 MB file: {rss:.0f} MB (target within 3x the file + a constant)",
        f"- start-up (tiny file, embedded config parse and automaton build, process included): {startup:.1f} ms",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    (ROOT / "benches" / "RESULTS.md").write_text("# Benchmark results\n\n" + text, encoding="utf-8")
    (OUT / "results.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
