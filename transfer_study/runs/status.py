"""`make status`: where every network stands, one line each, from its results
directory alone (runstate: logs, snapshots, lock, provenance records), so it
also works on a cluster's shared filesystem; SLURM's view of submitted jobs,
given by the caller (scripts/status.py asks cluster/slurm.py), is added as a
note.

    from transfer_study.nets import catalog
    from transfer_study.runs import status
    for s in status.collect(catalog.load(), root): print(status.format_line(s))

The states and their evidence are runstate's (not started, running,
interrupted, failed, done, broken: a solver or net that does not parse, with
file:line): train.py, make results and make submit say the
same of every network.  A running network's note names the GPU(s) it holds
of this host's GPU pool.
"""
from transfer_study.runs import gpu_pool, runstate

STATES = runstate.STATES


class Status(object):
    """A network's line: its run state, the progress its logs show, the ETA."""

    def __init__(self, name, run_state):
        self.name = name
        self.run_state = run_state
        self.state = run_state.state
        self.last_iter = run_state.last_iter
        self.max_iter = run_state.max_iter
        self.latest_acc = None
        self.best_acc = None
        self.sec_per_iter = None
        self.eta_seconds = None
        self.note = ""


def network_status(cat, root, name, profile="paper", now=None):
    rs = runstate.of(root, name, cat.max_iter(name, profile), now=now)
    s = Status(name, rs)
    run = rs.run
    s.sec_per_iter = run.sec_per_iter
    if run.test_acc:
        s.latest_acc = run.test_acc[-1]
        s.best_acc = max(run.test_acc)
    if s.last_iter is not None and s.sec_per_iter and not rs.done:
        s.eta_seconds = max(0, s.max_iter - s.last_iter) * s.sec_per_iter
    # the evidence is the note of the states that need one
    if s.state in ("running", "failed", "broken") or rs.log_error:
        s.note = rs.evidence
    if rs.resumes:
        # a resumed run is statistically, not bit-for-bit, the uninterrupted one
        said = "resumed %d time%s, at iteration %s" % (
            len(rs.resumes), "" if len(rs.resumes) == 1 else "s",
            ", ".join(str(it) for it, _ in rs.resumes))
        s.note = "%s; %s" % (s.note, said) if s.note else said
    return s


def collect(cat, root, names=None, profile="paper", jobs=None):
    """Status rows; jobs: {name: (SLURM state, job id)} from the layer above
    (scripts/status.py asks cluster/slurm.py: cluster depends on runs, not
    the reverse)."""
    rows = [network_status(cat, root, n, profile) for n in (names or cat.names())]
    on_gpu = gpu_pool.holders(root)   # this host's GPU pool
    for s in rows:
        if s.state == "running" and s.name in on_gpu:
            s.note = ("%s; " % s.note if s.note else "") + "GPU %s" % ",".join(map(str, on_gpu[s.name]))
    jobs = jobs or {}
    for s in rows:
        if s.name in jobs:
            state, job = jobs[s.name]
            s.note = ("%s; " % s.note if s.note else "") + "SLURM job %s %s" % (job, state)
    return rows


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
    it = "%s/%s" % ("-" if s.last_iter is None else s.last_iter,
                    "-" if s.max_iter is None else s.max_iter)
    line = "%-22s %-12s %17s %8s %8s %9s %9s" % (
        s.name, s.state, it, _acc(s.latest_acc), _acc(s.best_acc),
        "-" if not s.sec_per_iter else "%.3f" % s.sec_per_iter, fmt_duration(s.eta_seconds))
    if s.note:
        line += "  (%s)" % s.note
    return line.rstrip()


def report(cat, root, names=None, profile="paper", jobs=None):
    rows = collect(cat, root, names, profile, jobs)
    lines = [HEADER] + [format_line(s) for s in rows]
    counts = dict((st, 0) for st in STATES)
    for s in rows:
        counts[s.state] += 1
    lines.append("%d networks: %s" % (len(rows), ", ".join(
        "%d %s" % (counts[st], st) for st in STATES if counts[st])))
    return "\n".join(lines)
