#!/usr/bin/env python3
"""Process start to first frame: `parallax corpus` against `less` on the first seed file,
both in the same pseudo-terminal harness, interleaved in one run. Target: parallax ≤ 3× less.

Usage: scripts/bench-startup.py [BINARY] [RUNS]
"""
import fcntl
import os
import pty
import signal
import struct
import sys
import termios
import time

BIN = sys.argv[1] if len(sys.argv) > 1 else ".build/release/parallax"
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 25
FIRST = "corpus/000_f96229f3062a7620.txt"


def time_to_marker(argv, marker, cols=160, rows=45, timeout=10.0):
    """Milliseconds from fork to the first appearance of `marker` in the terminal output."""
    t0 = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8", LESS="", NO_COLOR="")
        os.execvpe(argv[0], argv, env)
    buf = b""
    elapsed = None
    deadline = t0 + timeout
    try:
        while time.perf_counter() < deadline:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
            if marker in buf:
                elapsed = (time.perf_counter() - t0) * 1000
                break
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
        raise SystemExit(f"no first frame from {argv!r}; output: {buf[-300:]!r}")
    return elapsed


def median(xs):
    s = sorted(xs)
    return s[len(s) // 2]


def main():
    par, les = [], []
    for _ in range(RUNS):
        par.append(time_to_marker([BIN, "corpus"], b"NORMAL"))
        les.append(time_to_marker(["less", FIRST], b"Trump asked Georgia"))
    p, l = median(par), median(les)
    print(f"start to first frame, median of {RUNS}: parallax {p:.2f} ms, less {l:.2f} ms, "
          f"ratio {p / l:.2f}× (target ≤ 3×) {'ok' if p <= 3 * l else 'SLOW'}")


if __name__ == "__main__":
    main()
