"""One run state: train.py, make status, make results and make submit DRY_RUN=1
say the same of a network in every state a results directory can be in.

Real Caffe runs of the tiny profile (a catalog copy with 60-iteration
schedules, as in test_train.py) leave results directories that are: done;
running with the lock held; stopped by SIGINT with a snapshot; killed with
SIGKILL; failed; holding only an empty log; and finished in the log but
without the final snapshot.  Each of the four entry points is asked, through
its own command line, what it makes of each.
"""
import csv
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from transfer_study import PROJECT_ROOT
from transfer_study.runs import runstate

from test_train import MAX_ITER, Started, tiny_root, wait_for_iteration

# network -> (how its results directory is made, the state every entry point must report)
CASES = {
    "half0A": ("trained to the end", "done"),
    "half0B": ("make stopped (SIGSTOP) while training: lock held", "running"),
    "halfnatmanB": ("Ctrl-C (SIGINT) while training: Caffe snapshots", "interrupted"),
    "half2A": ("SIGKILL to make, train.py and Caffe while training", "interrupted"),
    "half1A": ("Caffe fails on a dataset that is not an LMDB", "failed"),
    "half1B": ("an empty log, written an hour ago", "interrupted"),
    "transfer0A0A_1_1": ("trained to the end, then its final snapshot deleted", "interrupted"),
}


@pytest.fixture(scope="module")
def env(tmp_path_factory, caffe_tools):
    env = tiny_root(tmp_path_factory.mktemp("runstate"),
                    ("half0A", "half0B", "halfnatmanB", "half2A"))
    root = env["root"]
    for ds in ("half1A_train", "half1A_valid"):   # Caffe fails opening these
        os.makedirs(os.path.join(root, "data", ds, "lmdb"))
        with open(os.path.join(root, "data", ds, "lmdb", "data.mdb"), "wb") as f:
            f.write(b"this is not an lmdb file\n" * 10)
    with open(os.path.join(root, "data", "half1A_train", "mean.binaryproto"), "wb") as f:
        f.write(b"")
    return env


def make_argv(env, *args):
    return ["make", "--no-print-directory", "-C", PROJECT_ROOT, "PROFILE=tiny",
            "ROOT=%s" % env["root"], "CATALOG=%s" % env["catalog"],
            "EXPERIMENTS_MK=%s" % env["mk"]] + list(args)


def run(argv, timeout=240):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=timeout)


def rdir(env, name):
    return os.path.join(env["root"], "results", name)


def final(env, name):
    return os.path.join(rdir(env, name), "%s_iter_%d.caffemodel" % (name, MAX_ITER))


# ------------------------------------------------------- what each one says --

def train_says(env, name):
    p = run([sys.executable, os.path.join(PROJECT_ROOT, "scripts", "train.py"), name,
             "--root", env["root"], "--profile", "tiny", "--catalog", env["catalog"],
             "--print-command"], timeout=60)
    assert p.returncode == 0, p.stderr
    m = re.search(r"^# %s is (not started|running|interrupted|failed|done)\b" % re.escape(name),
                  p.stdout, re.M)
    assert m, p.stdout
    # and what it would do about it: nothing, refuse, or run Caffe
    runs_caffe = any(line.startswith("cd ") and " caffe train " in line
                     for line in p.stdout.splitlines())
    assert runs_caffe == (m.group(1) not in ("done", "running")), p.stdout
    return m.group(1)


def status_says(env, names):
    p = run(make_argv(env, "status", "NETWORKS=%s" % " ".join(names)), timeout=120)
    assert p.returncode == 0, p.stderr
    out = {}
    for line in p.stdout.splitlines()[1:-1]:
        m = re.match(r"^(\S+)\s+(not started|running|interrupted|failed|done)\s", line)
        assert m, line
        out[m.group(1)] = m.group(2)
    return out


def results_say(env, names):
    out_dir = os.path.join(env["base"], "report-%d" % time.time())
    p = run(make_argv(env, "results", "RESULTS=%s" % os.path.join(env["root"], "results"),
                      "OUT=%s" % out_dir), timeout=300)
    assert p.returncode == 0, p.stderr
    with open(os.path.join(out_dir, "summary.csv")) as f:
        rows = dict((r["network"], r["status"]) for r in csv.DictReader(f))
    return dict((n, rows[n]) for n in names)


def submit_says(env, names):
    p = run(make_argv(env, "submit", "NETWORKS=%s" % " ".join(names), "DRY_RUN=1"), timeout=120)
    assert p.returncode == 0, p.stderr
    out = {}
    for name in names:
        m = re.search(r"^%s +(done|running): not submitted \(" % re.escape(name), p.stdout, re.M) \
            or re.search(r"^# %s is (not started|interrupted|failed)\b" % re.escape(name),
                         p.stdout, re.M)
        assert m, (name, p.stdout[-3000:])
        out[name] = m.group(1)
        submitted = "# ---- %s\n" % os.path.join(rdir(env, name), name + ".sbatch") in p.stdout
        assert submitted == (m.group(1) not in ("done", "running")), name
    return out


def check_agreement(env, names):
    want = dict((n, CASES[n][1]) for n in names)
    said = {
        "train.py": dict((n, train_says(env, n)) for n in names),
        "make status": status_says(env, names),
        "make results": results_say(env, names),
        "make submit DRY_RUN=1": submit_says(env, names),
    }
    for who, got in said.items():
        assert got == want, "%s disagrees: %s (want %s)" % (who, got, want)


# ------------------------------------------------------------------ states --

def test_every_entry_point_agrees_on_every_state(env):
    # done, and done-in-the-log-but-the-final-snapshot-deleted
    p = run(make_argv(env, "transfer0A0A_1_1"))
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-2000:]
    os.remove(final(env, "transfer0A0A_1_1"))
    # failed: Caffe exits non-zero
    p = run(make_argv(env, "half1A"))
    assert p.returncode != 0 and "half1A failed" in p.stderr, p.stderr[-2000:]
    # an empty log an hour old (an attempt that died before Caffe wrote a line)
    os.makedirs(rdir(env, "half1B"))
    empty = os.path.join(rdir(env, "half1B"), "half1B.20260101-000000.log")
    open(empty, "w").close()
    os.utime(empty, (time.time() - 3600, time.time() - 3600))
    # Ctrl-C: the whole foreground process group gets SIGINT; Caffe snapshots
    proc = Started(env, "halfnatmanB")
    try:
        wait_for_iteration(env, "halfnatmanB", 25, proc)
        os.killpg(proc.pid, signal.SIGINT)
        proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    # running: a run frozen mid-way holds its lock; killed: SIGKILL to make,
    # train.py and Caffe (no snapshot on the way out, no end in the record)
    running = Started(env, "half0B")
    killed = None
    try:
        wait_for_iteration(env, "half0B", 25, running)
        os.killpg(running.pid, signal.SIGSTOP)
        killed = Started(env, "half2A")
        wait_for_iteration(env, "half2A", 25, killed)
        killed.kill()
        assert os.path.exists(final(env, "half0A"))
        check_agreement(env, sorted(CASES))
        # the same run, now killed: its lock is free again
        os.killpg(running.pid, signal.SIGKILL)
        running.proc.wait()
        names = ["half0B"]
        want = {"half0B": "interrupted"}
        assert dict((n, train_says(env, n)) for n in names) == want
        assert status_says(env, names) == want
        assert submit_says(env, names) == want
    finally:
        for p in (running, killed):
            if p is not None and p.poll() is None:
                p.kill()


def test_the_evidence_names_what_decided(env):
    """runstate's evidence: the lock's holder, the snapshot, the log line."""
    root = env["root"]
    s = runstate.of(root, "half0A")
    assert s.state == "done" and "half0A_iter_%d.caffemodel exists" % MAX_ITER in s.evidence
    assert "Optimization Done" in s.evidence and s.last_iter == MAX_ITER
    s = runstate.of(root, "transfer0A0A_1_1")
    assert s.state == "interrupted" and "is missing" in s.evidence
    s = runstate.of(root, "half1A")
    assert s.state == "failed" and "exit status" in s.evidence
    s = runstate.of(root, "halfnatmanB")
    assert s.state == "interrupted" and "SIGINT" in s.evidence
    assert 25 <= s.last_iter < MAX_ITER
    s = runstate.of(root, "netbase")
    assert s.state == "not started"
    # a log archive (no snapshots kept, as the original study's logs) is judged by its logs
    s = runstate.of_archive(rdir(env, "transfer0A0A_1_1"))
    assert s.state == "done" and "Optimization Done" in s.evidence
