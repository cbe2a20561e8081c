"""Where a network's run stands: one answer for train, status, results and submit.

    from transfer_study.runs import runstate
    s = runstate.of(root, 'half0A', max_iter=450000)
    s.state        # 'not started' | 'running' | 'interrupted' | 'failed' | 'done' | 'broken'
    s.evidence     # why: the lock's holder, the final snapshot and the log line, ...
    s.last_iter, s.max_iter, s.final, s.run (the parsed logs, caffelog.Run)
    s.resumes      # [(iteration, snapshot)] of every attempt that resumed

The solver Caffe reads is the truth for iterations: max_iter, the snapshot
prefix and interval come from the root's solver as it is now (edited by hand
or not), the catalog's profile only while the solver is not written yet.
Apart from the solver and its net, only the network's results directory is
read (logs, snapshots, lock, provenance records), so it works on a
cluster's shared filesystem too:

  broken       the solver or the net it names does not parse (evidence:
               "file:line:column: message"); nothing else is judged
  done         the final snapshot exists, a log says "Optimization Done" (not
               after "Optimization stopped early", which caffe.cpp also
               follows with it) and no run holds the lock.  The final
               snapshot is the first at or past max_iter: a max_iter lowered
               below what was trained is done at the snapshot already there
               (any complete one past max_iter counts without the log line);
               a raised one is interrupted until Caffe trains on to it
  running      a run holds the lock (flock), or a log was written within
               RECENT_SECONDS by an attempt not known to be over (a job on
               another node, whose lock this host may not see)
  not started  no log
  failed       the newest attempt ended with Caffe failing (its provenance
               record says so, or the newest log has a fatal glog line)
  interrupted  anything else that started: stopped by a signal, killed,
               or finished in its log but without its final snapshot; the
               next run resumes from the newest snapshot

A log archive (a directory of logs without snapshots, such as the original
study's; of_archive) is judged by its logs alone: done when a log finished or
the logs reached max_iter.
"""
import json
import os
import re
import socket
import time

from transfer_study import layout, locks
from transfer_study import caffelog
from transfer_study.nets import prototxt

STATES = ("not started", "running", "interrupted", "failed", "done", "broken")

# A log written this recently counts as a live run on some node.  Caffe is
# silent during a test pass (1000 batches on the paper profile: minutes).
RECENT_SECONDS = 20 * 60

_FATAL = re.compile(rb"^F\d{4} [^\n]*", re.M)


class RunState(object):
    """A network's state and the evidence for it."""

    def __init__(self, name, run_dir):
        self.name = name
        self.run_dir = run_dir
        self.state = "not started"
        self.evidence = ""
        self.run = None          # caffelog.Run of the directory's logs
        self.log_error = None    # why the logs could not be read
        self.last_iter = None    # the newest of the logs' and the snapshots' iterations
        self.max_iter = None
        self.final = None        # path of the final snapshot (None for a log archive)
        self.locked = False
        self.record = None       # the newest provenance record, when any
        self.resumes = []        # [(iteration, snapshot)] of the attempts that resumed
        self.snapshot_every = None   # the solver's snapshot interval (None: no readable solver)

    @property
    def done(self):
        return self.state == "done"

    def __str__(self):
        return "%s (%s)" % (self.state, self.evidence) if self.evidence else self.state

    def __repr__(self):
        return "RunState(%r, %r, %r)" % (self.name, self.state, self.evidence)


# ------------------------------------------------------------------ lock --

# ------------------------------------------------------------- the state --

# A solver or net prototxt Caffe could not read: "file:line:column: message"
# (.path, .where(root)); the state "broken".
Broken = prototxt.Unreadable


class SolverFacts(object):
    """What the solver Caffe reads says about iterations and snapshots."""

    def __init__(self, max_iter, prefix=None, every=None):
        self.max_iter = max_iter
        self.prefix = prefix       # snapshot_prefix, root-relative (None: layout's)
        self.every = every         # snapshot interval (None: no solver written yet, 0: none)


def solver_facts(root, name, max_iter=None):
    """SolverFacts from the root's solver of the network when it exists (raises
    Broken when it or its net does not parse), else max_iter as given."""
    sp = layout.solver(root, name)
    if not os.path.exists(sp):
        return SolverFacts(max_iter)
    from transfer_study.nets import netgen   # pycaffe's caffe_pb2: only when a solver is there
    sv = netgen.read_solver(sp)
    net = sv.net or sv.train_net
    if net:
        netgen.read_net(os.path.join(root, net))
    return SolverFacts(sv.max_iter, sv.snapshot_prefix or None, sv.snapshot)


def final_of(root, name, max_iter, prefix=None):
    """The final snapshot: the first .caffemodel at or past max_iter (a max_iter
    lowered below what was trained ends at the snapshot already there), else
    the one Caffe writes at max_iter."""
    past = [(it, p) for it, p in layout.snapshots(root, name, "caffemodel", prefix)
            if it >= max_iter]
    return min(past)[1] if past else layout.final_snapshot(root, name, max_iter, prefix)


def final_snapshot(root, name, max_iter=None):
    """The final snapshot's path as the root's solver defines it (else for max_iter);
    raises Broken when the solver or its net does not parse."""
    f = solver_facts(root, name, max_iter)
    return final_of(root, name, f.max_iter, f.prefix)


def of(root, name, max_iter=None, now=None, lock_is_ours=False):
    """The state of `name`'s run under a study root.  max_iter and the snapshot
    prefix come from the root's solver when it exists, else max_iter as given
    (the profile's), else from the logs.  lock_is_ours: the caller holds the
    network's lock (train.py judging the attempt it just ran)."""
    s = RunState(name, layout.results_dir(root, name))
    try:
        facts = solver_facts(root, name, max_iter)
    except Broken as e:
        facts = SolverFacts(max_iter)
        s.state = "broken"
        s.evidence = e.where(root)
    _read_logs(s)
    s.max_iter = facts.max_iter or (s.run.max_iter if s.run else None)
    s.snapshot_every = facts.every
    prefix = facts.prefix
    if s.max_iter:
        s.final = final_of(root, name, s.max_iter, prefix)
    states = layout.snapshots(root, name, "solverstate", prefix)
    if states and (s.last_iter is None or states[0][0] > s.last_iter):
        # an interrupted run snapshots after its last logged iteration
        s.last_iter = states[0][0]
    s.locked = not lock_is_ours and locks.is_locked(layout.lock(root, name))
    s.record = _newest_record(s.run_dir, name)
    s.resumes = _resumes(s.run_dir, name)
    if s.state != "broken":
        _decide(s, root, now, archive=False)
    elif s.locked:
        # a live Caffe read the files before they broke: it is still running
        broken = s.evidence
        _decide(s, root, now, archive=False)
        s.evidence += "; now broken: %s" % broken
    return s


def of_archive(run_dir, name=None, max_iter=None, now=None):
    """The state of a directory of logs without the run's snapshots (the original
    study's logs, or any RESULTS= that is not a root's results/)."""
    name = name or os.path.basename(os.path.normpath(run_dir))
    s = RunState(name, run_dir)
    _read_logs(s)
    s.max_iter = (s.run.max_iter if s.run else None) or max_iter
    s.locked = locks.is_locked(layout.lock_in(run_dir, name))
    s.record = _newest_record(run_dir, name)
    _decide(s, None, now, archive=True)
    return s


def _read_logs(s):
    try:
        s.run = caffelog.parse_run(s.run_dir)
    except caffelog.LogError as e:
        s.log_error = str(e)
        s.run = caffelog.Run(s.run_dir)
        s.run.files = caffelog.log_files(s.run_dir)
    s.last_iter = s.run.last_iter


def _decide(s, root, now, archive):
    """Set s.state and s.evidence from what was read; the order matters."""
    now = time.time() if now is None else now
    run = s.run
    newest = _newest_log(run.files)
    reached = s.max_iter is not None and s.last_iter is not None and s.last_iter >= s.max_iter
    if archive:
        finished = run.finished or reached
        final_ok = True
    else:
        final_ok = s.final is not None and os.path.exists(s.final)
        finished = run.finished or (final_ok and _past_max_iter(s, root))
    if finished and final_ok and not s.locked:
        s.state = "done"
        s.evidence = _done_evidence(s, root, archive)
    elif s.locked:
        s.state = "running"
        holder = locks.lock_holder(layout.lock_in(s.run_dir, s.name))
        s.evidence = "lock %s.lock held%s" % (s.name, " by " + holder if holder else "")
    elif not run.files:
        s.state = "not started"
        s.evidence = "no log in %s" % _rel(s.run_dir, root)
    elif now - os.path.getmtime(newest) < RECENT_SECONDS and not _attempt_over(s.record, newest):
        s.state = "running"
        s.evidence = "%s written %ds ago" % (os.path.basename(newest), now - os.path.getmtime(newest))
    elif _record_of(s.record, newest) and s.record.get("outcome") in ("failed", "interrupted",
                                                                       "done"):
        rec = s.record
        if rec["outcome"] == "failed":
            s.state = "failed"
            s.evidence = "Caffe's exit status %s, see %s" % (rec.get("exit_status"),
                                                               rec.get("log"))
        else:
            s.state = "interrupted"
            s.evidence = _interrupted_evidence(s, root, rec)
    else:
        fatal = _fatal_line(newest)
        if fatal:
            s.state = "failed"
            s.evidence = "fatal error in %s: %s" % (os.path.basename(newest), fatal)
        else:
            s.state = "interrupted"
            s.evidence = _interrupted_evidence(s, root, s.record if _record_of(s.record, newest)
                                               else None)
    if s.log_error:
        s.evidence += "; unreadable log: %s" % s.log_error


def _past_max_iter(s, root):
    """The final snapshot is past max_iter (max_iter lowered after training) and
    its pair is complete: trained at least as far as the solver asks."""
    from transfer_study.runs import snapshots
    it = layout.snapshot_iteration(s.final)
    if it is None or it <= s.max_iter:
        return False
    return snapshots.complete(layout.snapshot_twin(s.final, "solverstate"), root)


def _done_evidence(s, root, archive):
    said = "a log says Optimization Done" if s.run.finished else \
        "the logs reached iteration %d" % s.last_iter
    if archive:
        return said
    it = layout.snapshot_iteration(s.final)
    if it is not None and s.max_iter is not None and it > s.max_iter:
        return "%s exists, past the solver's max_iter %d" % (_rel(s.final, root), s.max_iter)
    return "%s exists, %s" % (_rel(s.final, root), said)


def _interrupted_evidence(s, root, rec):
    parts = []
    if rec is not None and rec.get("signal"):
        parts.append("stopped by %s" % rec["signal"])
    elif rec is not None and rec.get("outcome") is None and rec.get("end") is None:
        parts.append("%s ended without a record (killed?)" % rec.get("log"))
    if s.last_iter is not None:
        parts.append("at iteration %d" % s.last_iter)
    if s.run.finished and s.final is not None and s.last_iter is not None \
            and s.max_iter and s.last_iter < s.max_iter:
        parts.append("max_iter is now %d: the next run trains on from its snapshot"
                     % s.max_iter)
    elif s.run.finished and s.final is not None:
        parts.append("a log finished but %s is missing" % _rel(s.final, root))
    elif s.final is not None and s.max_iter and s.last_iter is not None \
            and s.last_iter >= s.max_iter:
        parts.append("max_iter %d reached but %s is missing" % (s.max_iter, _rel(s.final, root)))
    return ", ".join(parts) or "started, not finished"


def _attempt_over(rec, newest_log):
    """The newest log's attempt has ended: its record says so, or it ran on this
    host, where the (free) flock is the truth."""
    if not _record_of(rec, newest_log):
        return False
    return bool(rec.get("end")) or rec.get("host") == socket.gethostname()


def _record_of(rec, log):
    return bool(rec) and log is not None and rec.get("log") == os.path.basename(log)


def _resumes(run_dir, name):
    """[(iteration, snapshot)] of the attempts whose provenance says they resumed."""
    out = []
    for path in layout.provenances_in(run_dir, name):
        try:
            with open(path) as f:
                rec = json.load(f)
        except (IOError, OSError, ValueError):
            continue
        snap = rec.get("resumed_from")
        if snap:
            out.append((rec.get("resumed_at", layout.snapshot_iteration(snap)), snap))
    return out


def _newest_record(run_dir, name):
    recs = layout.provenances_in(run_dir, name)
    if not recs:
        return None
    try:
        with open(recs[-1]) as f:
            return json.load(f)
    except (IOError, OSError, ValueError):
        return None


def _newest_log(files):
    files = [f for f in files if os.path.isfile(f)]
    return max(files, key=os.path.getmtime) if files else None


def _fatal_line(path):
    """The first fatal glog line ('F1126 12:00:00 ...') of a log, or ''."""
    try:
        data = caffelog.read_log(path)
    except caffelog.LogError:
        return ""
    m = _FATAL.search(data)
    return m.group(0).decode("utf-8", "replace")[:200] if m else ""


def _rel(path, root):
    return os.path.relpath(path, root) if root else path
