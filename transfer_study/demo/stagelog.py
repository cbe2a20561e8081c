"""A demo stage's output: make's stderr relayed to the terminal and to the
stage's log (<root>/logs/<stage>.log), and the tail shown when it fails.
"""
import sys


def relay_stderr(proc, log):
    """Copy the child's stderr to ours (its progress bars) and to its log;
    return the last lines (for an error message)."""
    tail = []
    buf = b""
    while True:
        chunk = proc.stderr.read1(4096) if hasattr(proc.stderr, "read1") \
            else proc.stderr.read(4096)
        if not chunk:
            break
        try:
            sys.stderr.buffer.write(chunk)
            sys.stderr.flush()
        except (AttributeError, ValueError):
            pass
        buf += chunk
        # progress bars redraw with \r: keep only real lines for the log
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            line = line.split(b"\r")[-1].decode("utf-8", "replace")
            if line.strip():
                log.write(line + "\n")
                tail = (tail + [line])[-8:]
    if buf.strip():
        line = buf.split(b"\r")[-1].decode("utf-8", "replace")
        if line.strip():
            log.write(line + "\n")
            tail = (tail + [line])[-8:]
    log.flush()
    return tail


def tail(path, n):
    try:
        with open(path, errors="replace") as f:
            return [l.rstrip("\n").split("\r")[-1] for l in f.readlines()[-n:]]
    except (IOError, OSError):
        return []


def format_tail(lines):
    return "".join("\n    | %s" % l for l in lines if l.strip())
