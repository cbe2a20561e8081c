"""The demo's stage wall times, <root>/timings.json, as the runs that did the
work took them (make bench-demo prints them).

    stagetimes.write(root, "full", [("images", 12.3), ("lists", None), ...], total)
    stagetimes.show(stagetimes.read(root), sys.stdout)
"""
import json
import os

from transfer_study import files

TARGET_SECONDS = 600


def path(root):
    return os.path.join(root, "timings.json")


def write(root, size, timings, total):
    """Record [(stage, seconds or None)]: a skipped stage (None) keeps the time
    recorded when it ran, and a run that did nothing writes nothing."""
    if all(t is None for _, t in timings):
        return
    old = read(root) or {}
    try:
        earlier = dict((st["stage"], st["seconds"]) for st in old.get("stages", []))
    except (KeyError, TypeError):
        earlier = {}
    stages = [dict(stage=s, seconds=t if t is not None else earlier.get(s)) for s, t in timings]
    if any(t is None for _, t in timings):
        # some stages ran earlier: the total is the sum of what each took
        total = sum(st["seconds"] or 0.0 for st in stages)
    rec = dict(size=size, total_seconds=total, stages=stages)
    files.write_atomic(path(root), json.dumps(rec, indent=1))


def read(root):
    """The record, or None when there is none (or it does not parse)."""
    try:
        with open(path(root)) as f:
            return json.load(f)
    except (IOError, OSError, ValueError):
        return None


def show(rec, out):
    print("Demo stage wall times (%s size, %d CPU cores):" % (rec["size"], cpu_count()), file=out)
    for s in rec["stages"]:
        t = s["seconds"]
        print("  %-10s %s" % (s["stage"], "%8.1f s" % t if t is not None else "  skipped"),
              file=out)
    print("  %-10s %8.1f s  (%s; target: %d s)" % ("total", rec["total_seconds"],
                                                   minutes(rec["total_seconds"]), TARGET_SECONDS),
          file=out)


def cpu_count():
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    import multiprocessing
    return multiprocessing.cpu_count()


def minutes(seconds):
    return "%d min %02d s" % (seconds // 60, seconds % 60)
