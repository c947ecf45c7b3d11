#!/usr/bin/env python3
"""`parallax analyze --format json` end to end (load, analysis, JSON) on the development texts of
the attribution corpus, and on corpora of 1,000 to 10,000 articles built from them, pinned to one
core. Target: at least 10 MB/s, and time growing linearly with the corpus.

    scripts/bench-analyze.py [BINARY] [--data DIR] [--baseline BINARY] [--sizes N,N,...] [--runs N]

DIR defaults to ../shared/data/polnear-dev (its text/ folder is read). The built corpora are
written once under .bench-out/analyze/ (local, never committed): article i of a corpus of N is
dev article i mod 84 with its body paragraphs rotated by i // 84 places, so every article is
different text while the quotations, names and layouts stay those of real news (and every
quotation recurs in about N / 84 articles, which the clustering must handle). With --baseline,
the same corpora are timed with another build, for the ratio between the two.
"""
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARGS = sys.argv[1:]


def option(name, default):
    if name in ARGS:
        i = ARGS.index(name)
        value = ARGS[i + 1]
        del ARGS[i:i + 2]
        return value
    return default


DATA = option("--data", os.path.join("..", "shared", "data", "polnear-dev"))
BASELINE = option("--baseline", None)
SIZES = [int(x) for x in option("--sizes", "84,1000,2500,5000,10000").split(",")]
RUNS = int(option("--runs", "3"))
BINARY = ARGS[0] if ARGS else os.path.join(ROOT, ".build", "release", "parallax")
OUT = os.path.join(ROOT, ".bench-out", "analyze")


def dev_texts():
    folder = os.path.join(DATA, "text")
    if not os.path.isdir(folder):
        sys.exit(f"bench-analyze: no development texts in {folder} (give --data DIR)")
    names = sorted(f for f in os.listdir(folder) if f.endswith(".txt"))
    return [(n, open(os.path.join(folder, n), encoding="utf-8").read()) for n in names]


def rotated(text, k):
    head, sep, body = text.partition("\n\n")
    if not sep:
        return text
    paragraphs = body.split("\n\n")
    if len(paragraphs) < 2:
        return text
    k %= len(paragraphs)
    return head + "\n\n" + "\n\n".join(paragraphs[k:] + paragraphs[:k])


def corpus(size, texts):
    if size == len(texts):
        return os.path.join(DATA, "text")
    folder = os.path.join(OUT, str(size))
    stamp = os.path.join(folder, ".complete")
    if os.path.exists(stamp):
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    for i in range(size):
        name, text = texts[i % len(texts)]
        with open(os.path.join(folder, f"{i:05d}_{name}"), "w", encoding="utf-8") as f:
            f.write(rotated(text, i // len(texts)))
    open(stamp, "w").close()
    return folder


def folder_bytes(folder):
    return sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder) if f.endswith(".txt"))


def timed(binary, folder):
    best = None
    for _ in range(RUNS):
        t0 = time.perf_counter()
        r = subprocess.run(["taskset", "-c", "0", binary, "analyze", "--format", "json", folder],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        dt = time.perf_counter() - t0
        if r.returncode != 0:
            sys.exit(f"bench-analyze: {binary} exited {r.returncode} on {folder}")
        best = dt if best is None else min(best, dt)
    return best


def main():
    texts = dev_texts()
    rows = []
    for size in SIZES:
        folder = corpus(size, texts)
        mb = folder_bytes(folder) / 1e6
        t = timed(BINARY, folder)
        b = timed(BASELINE, folder) if BASELINE else None
        rows.append((size, mb, t, b))
    base_per_mb = rows[0][2] / rows[0][1]
    print(f"parallax analyze --format json, one core, best of {RUNS} ({os.path.relpath(BINARY, ROOT)})")
    print(f"{'articles':>9} {'MB':>7} {'seconds':>8} {'MB/s':>7} {'s/MB vs first':>14}" + ("  baseline s   MB/s  speed-up" if BASELINE else ""))
    for size, mb, t, b in rows:
        line = f"{size:>9} {mb:>7.2f} {t:>8.2f} {mb / t:>7.1f} {t / mb / base_per_mb:>14.2f}"
        if b is not None:
            line += f"  {b:>10.2f} {mb / b:>6.1f} {b / t:>8.2f}×"
        print(line)
    worst = min(mb / t for _, mb, t, _ in rows)
    print(f"slowest: {worst:.1f} MB/s (target ≥ 10) {'ok' if worst >= 10 else 'SLOW'}")


if __name__ == "__main__":
    main()
