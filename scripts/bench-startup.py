#!/usr/bin/env python3
"""Process start to first frame: `parallax corpus` against `less` on the first seed file,
both in the same pseudo-terminal harness, interleaved in one run. Target: parallax ≤ 3× less.

With --store FILE (an annotation store, e.g. from `parallax-bench --make-store FILE`), times
`parallax annotate --session bench --store FILE corpus` against plain `parallax corpus` instead,
plus the same on a copy of the corpus where the first article gained a sentence at the top of
its body since it was annotated (so its annotations are re-anchored through the diff, not by the
unchanged-text fast path). Target: the annotated first frame ≤ 200 ms.

Usage: scripts/bench-startup.py [BINARY] [RUNS]
       scripts/bench-startup.py [BINARY] [RUNS] --store FILE
"""
import fcntl
import os
import pty
import shutil
import signal
import struct
import sys
import termios
import time

from ptyread import read_until

ARGS = sys.argv[1:]
STORE = None
if "--store" in ARGS:
    i = ARGS.index("--store")
    if i + 1 >= len(ARGS):
        raise SystemExit("--store needs a FILE")
    STORE = ARGS[i + 1]
    del ARGS[i:i + 2]
BIN = ARGS[0] if len(ARGS) > 0 else ".build/release/parallax"
RUNS = int(ARGS[1]) if len(ARGS) > 1 else 25
FIRST = "corpus/000_f96229f3062a7620.txt"
# The copy of the corpus with one article edited after annotating (made by changed_corpus()).
CHANGED = ".bench-out/corpus-changed"
INSERTED = "Editor's note: this article was updated on Tuesday after publication with new figures. "
# Drawn beside every line that holds an annotation: proof the first frame showed them.
GUTTER = "┃".encode()


def time_to_marker(argv, marker, cols=160, rows=45, timeout=10.0, output=None):
    """Milliseconds from fork to the first appearance of `marker` in the terminal output
    (which is appended to the list `output` when given)."""
    t0 = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8", LESS="", NO_COLOR="")
        os.execvpe(argv[0], argv, env)
    elapsed = None
    try:
        buf = read_until(fd, marker, t0 + timeout - time.perf_counter())
        if buf is not None:
            elapsed = (time.perf_counter() - t0) * 1000
    finally:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        # Drain so the child can exit, then reap it.
        try:
            while True:
                if not os.read(fd, 65536):
                    break
        except OSError:
            pass
        os.waitpid(pid, 0)
        os.close(fd)
    if elapsed is None:
        raise SystemExit(f"no first frame from {argv!r} within {timeout} s")
    if output is not None:
        output.append(buf)
    return elapsed


def median(xs):
    s = sorted(xs)
    return s[len(s) // 2]


def p90(xs):
    """Nearest-rank 90th percentile."""
    s = sorted(xs)
    return s[max(0, -(-9 * len(s) // 10) - 1)]


def changed_corpus():
    """Copies ./corpus to CHANGED with INSERTED at the start of the first article's body
    (after its title line); returns the edited article's file name."""
    shutil.rmtree(CHANGED, ignore_errors=True)
    shutil.copytree("corpus", CHANGED, ignore=shutil.ignore_patterns(".parallax"))
    name = os.path.basename(FIRST)
    path = os.path.join(CHANGED, name)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    title, sep, body = text.partition("\n\n")
    if not sep:
        raise SystemExit(f"{FIRST}: no blank line after the title")
    with open(path, "w", encoding="utf-8") as f:
        f.write(title + sep + INSERTED + body)
    return name


def annotation_main():
    """`parallax annotate --store STORE` against plain `parallax`, on the same corpus and pty size."""
    if not os.path.isfile(STORE):
        raise SystemExit(f"no annotation store {STORE} (make one with parallax-bench --make-store {STORE})")
    edited = changed_corpus()
    annotate = [BIN, "annotate", "--session", "bench", "--store", STORE]
    variants = [
        ("parallax corpus (no annotation)", [BIN, "corpus"]),
        ("parallax annotate --store (text unchanged)", annotate + ["corpus"]),
        (f"parallax annotate --store (text changed: {edited})", annotate + [CHANGED]),
    ]
    times = [[] for _ in variants]
    frames = [[] for _ in variants]
    for _ in range(RUNS):
        for i, (_, argv) in enumerate(variants):
            times[i].append(time_to_marker(argv, b"NORMAL", output=frames[i]))
    for i, (name, argv) in enumerate(variants[1:], 1):
        if not all(GUTTER in f for f in frames[i]):
            raise SystemExit(f"{name}: the first frame showed no annotations; is {STORE} a store for this corpus?")
    size = os.path.getsize(STORE) / 1048576
    print(f"start to first frame, 160×45, {RUNS} runs each, store {STORE} ({size:.1f} MB):")
    base = median(times[0])
    width = max(len(name) for name, _ in variants)
    for i, (name, _) in enumerate(variants):
        line = f"   {name:<{width}}  median {median(times[i]):7.2f} ms   p90 {p90(times[i]):7.2f} ms"
        if i > 0:
            m = median(times[i])
            line += f"   {m - base:+.2f} ms over plain   target ≤ 200 ms {'ok' if m <= 200 else 'SLOW'}"
        print(line)


def main():
    if STORE is not None:
        annotation_main()
        return
    par, les = [], []
    for _ in range(RUNS):
        par.append(time_to_marker([BIN, "corpus"], b"NORMAL"))
        les.append(time_to_marker(["less", FIRST], b"Trump asked Georgia"))
    p, l = median(par), median(les)
    print(f"start to first frame, median of {RUNS}: parallax {p:.2f} ms, less {l:.2f} ms, "
          f"ratio {p / l:.2f}× (target ≤ 3×) {'ok' if p <= 3 * l else 'SLOW'}")


if __name__ == "__main__":
    main()
