"""Reading a program's terminal output until a marker, shared by the benchmarks that drive the
reader in a pseudo-terminal (scripts/bench-startup.py, scripts/bench-signal.py)."""
import os
import time


def read_until(fd, marker, timeout):
    """Reads from `fd` until `marker` appears; returns all bytes read then, or None when the
    output ends or `timeout` seconds pass first."""
    buf = b""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        buf += chunk
        if marker in buf:
            return buf
    return None
