"""Where every network stands, from its results directory alone (logs,
snapshots, lock, provenance records), so it also works on a cluster's shared
filesystem.

    from transfer_study.nets import catalog
    from transfer_study.runs import status
    for s in status.collect(catalog.load(), root): print(status.format_line(s))

States:
  not started   no log of the network
  running       its lock is held (flock, this host's view; the note names
                the GPU(s) it holds of the pool), or a log was
                written within RECENT_SECONDS and the run is not finished
                (a job on another node: flock may not cross NFS)
  done          final snapshot present and a log says "Optimization Done"
  failed        the newest attempt ended with Caffe failing (provenance
                record, or a fatal glog line 'F....' in the newest log)
  interrupted   anything else that started: rerun it to resume
"""
import glob
import json
import os
import re
import socket
import time

from transfer_study.results import logparse
from transfer_study.runs import gpus, train

# A log written this recently counts as a live run on some node.  Caffe is
# silent during a test pass (1000 batches on the paper profile: minutes).
RECENT_SECONDS = 20 * 60

STATES = ("not started", "running", "interrupted", "failed", "done")
_FATAL = re.compile(rb"^F\d{4} ", re.M)


class Status(object):
    def __init__(self, name):
        self.name = name
        self.state = "not started"
        self.last_iter = None
        self.max_iter = None
        self.latest_acc = None
        self.best_acc = None
        self.sec_per_iter = None
        self.eta_seconds = None
        self.note = ""


def _newest_provenance(run_dir, name):
    recs = sorted(glob.glob(os.path.join(glob.escape(run_dir), "%s.*.provenance.json" % name)))
    if not recs:
        return None
    try:
        with open(recs[-1]) as f:
            return json.load(f)
    except (IOError, OSError, ValueError):
        return None


def _newest_log(run):
    files = [f for f in run.files if os.path.isfile(f)]
    return max(files, key=os.path.getmtime) if files else None


def network_status(cat, root, name, profile="paper", now=None):
    now = time.time() if now is None else now
    s = Status(name)
    run_dir = train.results_dir(root, name)
    sp = train.solver_path(root, name)
    solver = train.read_solver(sp) if os.path.exists(sp) else None
    s.max_iter = solver.max_iter if solver else cat.schedule(name, profile)["max_iter"]
    final = train.solver_final(root, name, solver) if solver else \
        train.final_snapshot(root, name, s.max_iter)
    run = logparse.parse_run(run_dir)
    s.last_iter = run.last_iter
    if solver is not None:
        # an interrupted run snapshots after its last logged display line
        states = train.solverstates(root, name, solver)
        if states and (s.last_iter is None or states[0][0] > s.last_iter):
            s.last_iter = states[0][0]
    s.sec_per_iter = run.sec_per_iter
    if run.test_acc:
        s.latest_acc = run.test_acc[-1]
        s.best_acc = max(run.test_acc)
    if s.last_iter is not None and s.sec_per_iter:
        s.eta_seconds = max(0, s.max_iter - s.last_iter) * s.sec_per_iter
    locked = train.is_locked(root, name)
    newest = _newest_log(run)
    rec = _newest_provenance(run_dir, name)
    # not run.finished: it counts "Optimization Done" that caffe.cpp also prints
    # after a SIGINT stopped the run early
    finished = any(train.log_finished(f) for f in train.logs_of(root, name))
    if finished and os.path.exists(final) and not locked:
        s.state = "done"
        s.eta_seconds = None
    elif locked:
        s.state = "running"
    elif not run.files:
        s.state = "not started"
    elif newest is not None and now - os.path.getmtime(newest) < RECENT_SECONDS \
            and not _attempt_known_over(rec, newest):
        s.state = "running"
        s.note = "log written %ds ago" % (now - os.path.getmtime(newest))
    elif rec and rec.get("log") == os.path.basename(newest or "") and rec.get("outcome"):
        s.state = "failed" if rec["outcome"] == "failed" else "interrupted"
        if rec["outcome"] == "failed":
            s.note = "exit status %s, see %s" % (rec.get("exit_status"), rec.get("log"))
    elif newest is not None and _fatal_in(newest):
        s.state = "failed"
        s.note = "fatal error in %s" % os.path.basename(newest)
    else:
        s.state = "interrupted"
    return s


def _attempt_known_over(rec, newest_log):
    """The newest log's attempt has ended: its record says so, or it ran on this
    host, where the (free) flock is the truth."""
    if not rec or rec.get("log") != os.path.basename(newest_log):
        return False
    return bool(rec.get("end")) or rec.get("host") == socket.gethostname()


def _fatal_in(path):
    try:
        if path.endswith(".gz"):
            import gzip
            with gzip.open(path, "rb") as f:
                data = f.read()
        else:
            with open(path, "rb") as f:
                data = f.read()
    except (IOError, OSError):
        return False
    return bool(_FATAL.search(data))


def collect(cat, root, names=None, profile="paper"):
    rows = [network_status(cat, root, n, profile) for n in (names or cat.names())]
    on_gpu = gpus.holders(root)   # this host's GPU pool
    for s in rows:
        if s.state == "running" and s.name in on_gpu:
            s.note = ("%s; " % s.note if s.note else "") + "GPU %s" % ",".join(map(str, on_gpu[s.name]))
    jobs = _slurm_jobs(root)
    for s in rows:
        if s.name in jobs:
            state, job = jobs[s.name]
            if state == "RUNNING" and s.state in ("interrupted", "not started"):
                s.state = "running"
            s.note = ("%s; " % s.note if s.note else "") + "SLURM job %s %s" % (job, state)
    return rows


def _slurm_jobs(root):
    """{name: (SLURM state, job id)} of networks submitted with `make submit`."""
    try:
        from transfer_study.cluster import slurm
    except ImportError:
        return {}
    try:
        return slurm.queue_states(root)
    except (slurm.SlurmError, OSError):   # SLURM unreachable: the logs still tell
        return {}


def fmt_duration(sec):
    if sec is None:
        return "-"
    sec = int(round(sec))
    if sec >= 86400:
        return "%.1fd" % (sec / 86400.0)
    if sec >= 3600:
        return "%dh%02dm" % (sec // 3600, (sec % 3600) // 60)
    if sec >= 60:
        return "%dm%02ds" % (sec // 60, sec % 60)
    return "%ds" % sec


def _acc(a):
    return "-" if a is None else "%.4f" % a


HEADER = "%-22s %-12s %17s %8s %8s %9s %9s" % (
    "network", "state", "iteration", "latest", "best", "s/iter", "ETA")


def format_line(s):
    it = "%s/%d" % ("-" if s.last_iter is None else s.last_iter, s.max_iter)
    line = "%-22s %-12s %17s %8s %8s %9s %9s" % (
        s.name, s.state, it, _acc(s.latest_acc), _acc(s.best_acc),
        "-" if not s.sec_per_iter else "%.3f" % s.sec_per_iter, fmt_duration(s.eta_seconds))
    if s.note:
        line += "  (%s)" % s.note
    return line.rstrip()


def report(cat, root, names=None, profile="paper"):
    rows = collect(cat, root, names, profile)
    lines = [HEADER] + [format_line(s) for s in rows]
    counts = dict((st, 0) for st in STATES)
    for s in rows:
        counts[s.state] += 1
    lines.append("%d networks: %s" % (len(rows), ", ".join(
        "%d %s" % (counts[st], st) for st in STATES if counts[st])))
    return "\n".join(lines)
