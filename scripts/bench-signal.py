#!/usr/bin/env python3
"""How long the reader takes to end after SIGTERM or SIGHUP, idle and while busy on its input
loop (a search with no match through a long article, seconds of work), in a pseudo-terminal.
Target: ≤ 100 ms whatever the reader is doing, the terminal given back, status 128 + signal.

Usage: scripts/bench-signal.py [BINARY] [RUNS] [MEGABYTES]
Defaults: .build/release/parallax, 5 runs, a 300 MB article (written once to .bench-out/).
"""
import fcntl
import os
import pty
import signal
import struct
import sys
import termios
import time

from ptyread import read_until as read_output

BIN = sys.argv[1] if len(sys.argv) > 1 else ".build/release/parallax"
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 5
MB = int(sys.argv[3]) if len(sys.argv) > 3 else 300
LONG = f".bench-out/long-{MB}mb.txt"


def long_article():
    if os.path.exists(LONG) and os.path.getsize(LONG) >= MB * 1_000_000:
        return
    os.makedirs(".bench-out", exist_ok=True)
    paragraph = "The quick brown fox jumps over the lazy dog near the river today. " * 20 + "\n\n"
    with open(LONG, "w", encoding="utf-8") as f:
        f.write("Long\n\n")
        written = 0
        while written < MB * 1_000_000:
            f.write(paragraph)
            written += len(paragraph)


def read_until(fd, marker, timeout):
    buf = read_output(fd, marker, timeout)
    if buf is None:
        raise SystemExit(f"no {marker!r} from the reader within {timeout} s")
    return buf


def one(sig, busy):
    """Milliseconds from the signal to the reader's exit, and its exit status."""
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 45, 160, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8", NO_COLOR="1")
        os.execvpe(BIN, [BIN, "--panes", "1", LONG], env)
    read_until(fd, b"NORMAL", 30)
    if busy:
        os.write(fd, b"/zqzq")
        read_until(fd, b"zqzq", 5)  # the prompt is drawn; Enter starts the search
        os.write(fd, b"\r")
        time.sleep(0.3)
    t0 = time.perf_counter()
    os.kill(pid, sig)
    _, status = os.waitpid(pid, 0)
    elapsed = (time.perf_counter() - t0) * 1000
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass
    os.close(fd)
    return elapsed, os.waitstatus_to_exitcode(status)


def main():
    long_article()
    print(f"signal to exit, {RUNS} runs each, one {MB} MB article ({BIN}):")
    for name, sig in [("SIGTERM", signal.SIGTERM), ("SIGHUP", signal.SIGHUP)]:
        for busy in (False, True):
            times, codes = [], set()
            for _ in range(RUNS):
                ms, code = one(sig, busy)
                times.append(ms)
                codes.add(code)
            times.sort()
            worst = times[-1]
            verdict = "ok" if worst <= 100 and codes == {128 + sig} else "SLOW or wrong status"
            what = "busy (search with no match)" if busy else "idle"
            print(f"   {name} {what:<28} median {times[len(times) // 2]:7.1f} ms   worst {worst:7.1f} ms   "
                  f"status {sorted(codes)}   ({worst / 100:.2f} of the 100 ms target) {verdict}")


main()
