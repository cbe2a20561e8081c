"""GPU runs that are right (issue 14): a GPU run without a usable GPU stops
before Caffe starts; the GPU pool gives each run its own GPU id under make -j;
snapshots are pruned to the policy without ever leaving a run unable to resume.

Real Caffe on the CPU (Debian's CPU-only build: this machine is the test of
"no usable GPU"), the tiny profile on small real LMDBs, real flocks.  The
schedule is shortened further than test_train's (a snapshot every 4
iterations) so that random kills land between, during and after snapshots.
"""
import contextlib
import glob
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np
import pytest

from transfer_study import PROJECT_ROOT, layout
from transfer_study.nets import catalog
from transfer_study.nets import makefile
from transfer_study.runs import gpu_plan, gpu_pool, snapshots, train
from test_train import make_dataset, shortened_catalog_text

MAX_ITER = 300
SNAPSHOT = 4
SCHEDULE = ("{base_lr: 0.001, gamma: 0.1, stepsize: 40, max_iter: %d, momentum: 0.9, "
            "weight_decay: 0.0005, test_iter: 1, test_interval: 100, display: 1, snapshot: %d}"
            % (MAX_ITER, SNAPSHOT))
DATASETS = ("half0A", "half0B", "halfnatmanB")
TRAIN_PY = os.path.join(PROJECT_ROOT, "scripts", "train.py")


@pytest.fixture(scope="module")
def env(tmp_path_factory, caffe_tools):
    base = tmp_path_factory.mktemp("gpu_runs")
    cat_path = str(base / "experiments.yaml")
    with open(cat_path, "w") as f:
        f.write(shortened_catalog_text(SCHEDULE))
    cat = catalog.load(cat_path)
    mk = str(base / "experiments.mk")
    makefile.write_experiments_mk(cat, mk)
    return dict(base=str(base), catalog=cat_path, cat=cat, mk=mk)


def new_root(env, label):
    """A fresh root with the three datasets (each test its own results/)."""
    root = os.path.join(env["base"], label)
    width = env["cat"].profile("tiny")["resize"]
    for i, ds in enumerate(DATASETS):
        classes = env["cat"].datasets[ds + "_train"]["classes"]
        make_dataset(root, ds + "_train", 40, classes, width, 2 * i, True)
        make_dataset(root, ds + "_valid", 25, classes, width, 2 * i + 1, False)
    return root


def make_args(env, root, *args):
    return ["make", "--no-print-directory", "-C", PROJECT_ROOT, "PROFILE=tiny",
            "ROOT=%s" % root, "CATALOG=%s" % env["catalog"], "EXPERIMENTS_MK=%s" % env["mk"]] \
        + list(args)


@contextlib.contextmanager
def make_running(env, root, *args):
    """make (in its own session, stderr to a file) for the with-block's
    duration; killed with its runs if still going at the end."""
    err = tempfile.TemporaryFile("w+")
    proc = subprocess.Popen(make_args(env, root, *args), stdout=subprocess.DEVNULL, stderr=err,
                            universal_newlines=True, start_new_session=True)
    try:
        yield proc, err
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)


def pool_samples(proc, root, err, timeout):
    """(the pool's holders, make's stderr so far) every 20 ms while make runs."""
    t0 = time.time()
    while proc.poll() is None and time.time() - t0 < timeout:
        held = gpu_pool.holders(root)
        err.seek(0)
        yield held, err.read()
        time.sleep(0.02)


def run(argv, timeout=240):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=timeout)


def train_args(env, root, name, *args):
    return [sys.executable, TRAIN_PY, name, "--root", root, "--profile", "tiny",
            "--catalog", env["catalog"]] + list(args)


def rdir(root, name):
    return os.path.join(root, "results", name)


def logs(root, name):
    return sorted(glob.glob(os.path.join(rdir(root, name), "%s.*.log" % name)))


def records(root, name):
    return [json.load(open(p)) for p in
            sorted(glob.glob(os.path.join(rdir(root, name), "%s.*.provenance.json" % name)))]


def gpu_solver(env, root, name):
    """Write the root's prototxts for `name`, then set its solver to solver_mode GPU,
    as the paper profile's solvers are."""
    train.ensure_prototxts(env["cat"], name, root, "tiny")
    path = layout.solver(root, name)
    with open(path) as f:
        text = f.read()
    assert "solver_mode: CPU" in text
    with open(path, "w") as f:
        f.write(text.replace("solver_mode: CPU", "solver_mode: GPU"))


# ------------------------------------------------------------- 1. GPU or a clear stop

def test_gpu_solver_without_gpu_stops_before_caffe_then_cpu_trains(env):
    root = new_root(env, "stop")
    name = "half0A"
    gpu_solver(env, root, name)
    # make NAME: the reason (this Caffe is CPU-only) and the way out, no Caffe started
    p = run(make_args(env, root, name))
    assert p.returncode != 0
    assert "half0A trains on the GPU (solver_mode GPU in solvers/half0A.prototxt)" in p.stderr
    assert "CPU-only Caffe" in p.stderr and "SOLVER_MODE=CPU" in p.stderr
    assert "Caffe was not started" in p.stderr and "Traceback" not in p.stderr
    assert logs(root, name) == [] and records(root, name) == []
    # scripts/train.py: the same, with its own exit status (SLURM jobs key on it)
    p = run(train_args(env, root, name))
    assert p.returncode == train.NO_GPU_EXIT == 3
    assert "CPU-only Caffe" in p.stderr and "--solver-mode CPU" in p.stderr
    # --solver-mode GPU on a CPU solver, and an explicit pool, stop the same way
    p = run(train_args(env, root, "half0B", "--solver-mode", "GPU", "--gpu", "0,1"))
    assert p.returncode == 3 and "(--solver-mode GPU)" in p.stderr
    assert logs(root, name) == [] and logs(root, "half0B") == []
    # the probe the stop relies on answers plainly on this machine
    p = run([sys.executable, "-m", "transfer_study.runs.gpu_probe", "--gpu", "0"])
    assert p.returncode == 1 and p.stdout.startswith("no GPU: CPU-only Caffe")
    # make -n shows the GPU command and says the run would stop here
    p = run(make_args(env, root, "-n", name))
    assert p.returncode == 0
    assert "cd %s && caffe train --solver=solvers/half0A.prototxt --gpu=0 -sigint_effect stop " \
        "-sighup_effect snapshot" % root in p.stdout.splitlines()
    assert "# a run on this machine stops here: half0A trains on the GPU" in p.stdout
    # SOLVER_MODE=CPU: the explicit CPU path trains (a run-local CPU copy of the solver)
    p = run(make_args(env, root, name, "SOLVER_MODE=CPU"))
    assert p.returncode == 0, p.stderr[-3000:]
    (log,) = logs(root, name)
    assert "Optimization Done" in open(log).read()
    rec, = records(root, name)
    assert rec["device"] == "CPU" and rec["outcome"] == "done"
    assert "--gpu" not in " ".join(rec["command"])
    assert re.match(r"results/half0A/half0A\.\d{8}-\d{6}\.solver\.prototxt$", rec["run_solver"])


# ------------------------------------------------------------- 3. snapshot retention

def snapshot_files(root, name):
    """{iteration: sorted suffixes} of results/<name>/<name>_iter_N.{caffemodel,solverstate}."""
    out = {}
    for path in glob.glob(os.path.join(rdir(root, name), "%s_iter_*" % name)):
        m = re.search(r"_iter_(\d+)\.(caffemodel|solverstate)$", path)
        if m:
            out.setdefault(int(m.group(1)), []).append(m.group(2))
    return dict((k, sorted(v)) for k, v in out.items())


def witnessed_snapshots(log_text):
    """Iterations whose .solverstate Caffe had finished writing, as the log shows
    (a later line came after "Snapshotting solver state to ...")."""
    lines = log_text.splitlines()
    out = []
    for i, line in enumerate(lines[:-1]):
        m = re.search(r"Snapshotting solver state to binary proto file \S+_iter_(\d+)\.solverstate", line)
        if m:
            out.append(int(m.group(1)))
    return out


def wait_for_solving(root, name, n_logs, proc, timeout=60):
    """Until the attempt's new log shows Caffe training (or the attempt ended)."""
    t0 = time.time()
    while proc.poll() is None and time.time() - t0 < timeout:
        ls = logs(root, name)
        if len(ls) > n_logs and "] Solving " in open(ls[-1]).read():
            return
        time.sleep(0.01)


@pytest.mark.parametrize("policy,seed", [("final", 0), ("final", 1), ("final", 2), ("every:24", 3)])
def test_sigkill_at_random_points_always_resumes_and_leaves_the_policys_files(env, policy, seed):
    root = new_root(env, "keep-%s-%d" % (policy.replace(":", ""), seed))
    name = "half0B"
    cat = env["cat"]
    rng = np.random.RandomState(seed)
    job_env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    kills, done = 0, False
    finished_when_killed = False
    while not done:
        before = [it for it in snapshot_files(root, name)
                  if snapshots.complete(os.path.join(rdir(root, name), "%s_iter_%d.solverstate"
                                                     % (name, it)), root)]
        err = tempfile.TemporaryFile("w+")
        proc = subprocess.Popen(train_args(env, root, name, "--keep-snapshots", policy),
                                stdout=subprocess.DEVNULL, stderr=err, env=job_env,
                                universal_newlines=True, start_new_session=True)
        # the first 8 attempts are killed at a random moment of Caffe's run (its
        # steps, snapshots, the pruning, the end); then the run is left to finish
        if kills < 8:
            wait_for_solving(root, name, len(logs(root, name)), proc)
            time.sleep(rng.uniform(0, 1.0))
        try:
            proc.wait(timeout=0 if kills < 8 else 240)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)   # train.py and Caffe at once: a dead machine
            proc.wait()
            kills += 1
        err.seek(0)
        stderr = err.read()
        done = proc.returncode == 0
        assert done or proc.returncode == -signal.SIGKILL, stderr[-3000:]
        attempt_logs = [l for l in logs(root, name)]
        text = open(attempt_logs[-1]).read() if attempt_logs and "log: " in stderr else ""
        # it resumed from the newest complete pair there was
        if text and before:
            assert "Resuming from results/%s/%s_iter_%d.solverstate" % (name, name, max(before)) \
                in text, (before, stderr[-2000:])
        # whatever the kill hit, every snapshot Caffe had finished is still resumable
        witnessed = witnessed_snapshots(text)
        p = train.prepare(cat, name, root, "tiny", dry_run=True)
        if p.done and not done:
            # the kill came after Caffe had finished (final pair written, "Optimization
            # Done" logged): nothing is left to resume; the next train.py says done
            finished_when_killed = True
        elif witnessed and not done:
            resume_at = int(re.search(r"_iter_(\d+)\.", p.snapshot).group(1))
            assert resume_at >= max(witnessed), (witnessed, snapshot_files(root, name))
    assert kills >= 5
    # the kills hit runs at different points: most attempts resumed, from several snapshots
    resumed = set(re.findall(r"Resuming from (\S+)", "".join(open(l).read() for l in logs(root, name))))
    assert len(resumed) >= 3, resumed
    # exactly the policy's pairs remain
    want = {MAX_ITER} if policy == "final" else \
        set(range(24, MAX_ITER + 1, 24)) | {MAX_ITER}
    assert snapshot_files(root, name) == dict((it, ["caffemodel", "solverstate"]) for it in want)
    rec = records(root, name)[-1]
    # a train.py killed after Caffe finished may not have written its attempt's outcome
    assert rec["outcome"] == "done" or (finished_when_killed and rec["outcome"] is None), rec
    assert rec["snapshot_policy"] == policy
    # besides them only the run's records, and snapshot files of a pair a kill cut
    # short, which the next attempt set aside (renamed, never deleted) before
    # Caffe would have overwritten them
    for f in os.listdir(rdir(root, name)):
        assert re.match(r"%s(_iter_\d+\.(caffemodel|solverstate)(\.superseded-\d{8}-\d{6})?"
                        r"|\.\d{8}-\d{6}\.(log|provenance\.json)|\.lock)$" % name, f), f


def test_keep_all_is_caffes_own_behaviour(env):
    root = new_root(env, "keep-all")
    p = run(train_args(env, root, "half0A", "--keep-snapshots", "all"))
    assert p.returncode == 0, p.stderr[-2000:]
    assert sorted(snapshot_files(root, "half0A")) == list(range(SNAPSHOT, MAX_ITER + 1, SNAPSHOT))
    p = run(train_args(env, root, "half0B", "--keep-snapshots", "every:0"))
    assert p.returncode == 2 and "final, every:N or all" in p.stderr
    assert logs(root, "half0B") == []


# ------------------------------------------------------------- 2. the GPU pool

def caffe_children(pid):
    with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
        return [int(x) for x in f.read().split()]


def test_gpu_pool_one_run_per_id_a_killed_run_frees_its_gpu_the_third_waits(env):
    """make -j3 with GPU=0,1 and CPU runs standing in for GPU ones (this Caffe
    aborts on --gpu): the ids are handed out by the pool's locks and recorded;
    they reach Caffe's --gpu only on a GPU run (next test)."""
    from transfer_study.runs import status
    root = new_root(env, "pool")
    names = list(("half0A", "half0B", "halfnatmanB"))
    samples, killed, kill_time, shown = [], None, None, None
    with make_running(env, root, "-j3", "-k", "GPU=0,1", "SOLVER_MODE=CPU", *names) as (proc, err):
        for held, stderr in pool_samples(proc, root, err, 240):
            samples.append(held)
            waiting = "waits for 1 free GPU(s) among 0,1" in stderr
            started = all(records(root, n) for n in held)   # Caffe has started
            if killed is None and len(held) == 2 and waiting and started:
                # both ids busy, the third run waiting: make status names each one's GPU
                shown = dict((s.name, s.note) for s in status.collect(env["cat"], root, names, "tiny")
                             if s.name in held)
                shown_held = held
                killed = sorted(held)[0]
                (gpu_id,) = held[killed]
                line = open(gpu_pool.lock_path(root, gpu_id)).read().split()
                assert line[0] == killed
                pid = int(line[2])
                children = caffe_children(pid)
                os.kill(pid, signal.SIGKILL)
                for c in children:
                    os.kill(c, signal.SIGKILL)
                kill_time = time.strftime("%Y-%m-%dT%H:%M:%S")
    err.seek(0)
    stderr = err.read()
    assert killed is not None, stderr[-3000:]
    # make -k: the killed network's target failed, the other two finished
    assert proc.returncode != 0
    for n in names:
        assert (n == killed) != any("Optimization Done" in open(l).read() for l in logs(root, n)), n
    # never two networks on one id; at most two at once
    for held in samples:
        ids = [i for g in held.values() for i in g]
        assert len(ids) == len(set(ids)) and set(ids) <= {0, 1} and len(held) <= 2
    assert any(len(h) == 2 for h in samples)
    # the note ends with the GPU after the run state's evidence (the lock's holder)
    assert dict((n, note.rsplit("; ", 1)[-1]) for n, note in shown.items()) == \
        dict((n, "GPU %d" % g[0]) for n, g in shown_held.items())
    # each run recorded the slot it held; the third took the killed run's id
    rec = dict((n, records(root, n)[-1]) for n in names)
    third = [n for n in names if n not in shown][0]
    assert rec[third]["gpus"] == rec[killed]["gpus"]
    assert rec[third]["start"] >= kill_time and rec[killed]["end"] is None
    # one id's runs never overlap in time
    other = [n for n in shown if n != killed][0]
    assert rec[other]["gpus"] != rec[killed]["gpus"]
    for n in names:
        assert rec[n]["device"] == "CPU" and "--gpu" not in " ".join(rec[n]["command"])
    # and after make: every id is free again
    assert gpu_pool.holders(root) == {}


def test_nets_per_gpu_two_runs_share_an_id_the_third_waits(env):
    """make -j3 GPU=0 NETS_PER_GPU=2, CPU runs standing in for GPU ones: two
    networks train at once on GPU 0's two slots, the third waits for a slot
    and starts only when one of them has ended; each records its slot."""
    root = new_root(env, "shared")
    names = list(DATASETS)
    samples, saw_wait_while_two = [], False
    with make_running(env, root, "-j3", "GPU=0", "NETS_PER_GPU=2", "SOLVER_MODE=CPU",
                      *names) as (proc, err):
        for held, stderr in pool_samples(proc, root, err, 300):
            samples.append(held)
            if len(held) == 2 and "waits for 1 free GPU(s) among 0 (2 networks per GPU)" in stderr:
                saw_wait_while_two = True
    err.seek(0)
    stderr = err.read()
    assert proc.returncode == 0, stderr[-3000:]
    assert saw_wait_while_two, stderr[-3000:]
    # two at once on GPU 0, never three
    assert any(h == dict((n, [0]) for n in h) and len(h) == 2 for h in samples)
    assert all(len(h) <= 2 and all(g == [0] for g in h.values()) for h in samples)
    rec = dict((n, records(root, n)[-1]) for n in names)
    for n in names:
        assert "Optimization Done" in open(logs(root, n)[-1]).read()
        assert rec[n]["gpus"] == [0] and rec[n]["nets_per_gpu"] == 2
        assert rec[n]["device"] == "CPU" and "--gpu" not in " ".join(rec[n]["command"])
    # the third started after one of the first two had ended, in that one's slot
    order = sorted(names, key=lambda n: rec[n]["start"])
    first_two, third = order[:2], order[2]
    assert sorted(rec[n]["gpu_slots"] for n in first_two) == [[0], [1]]
    freed = [n for n in first_two if rec[n]["end"] <= rec[third]["start"]]
    assert freed and rec[third]["gpu_slots"] in [rec[n]["gpu_slots"] for n in freed]
    assert gpu_pool.holders(root) == {}


def test_pool_slots_spread_before_sharing(env):
    """NETS_PER_GPU=2 on GPUs 0,1: the first two runs get a GPU each, the next
    two share them, a fifth waits; the lock files are layout.gpu_lock's."""
    root = new_root(env, "slots")
    quiet = lambda m: None
    held = [gpu_pool.take(root, [0, 1], 1, "net%d" % i, quiet, nets_per_gpu=2) for i in range(4)]
    try:
        assert [(h.ids, h.slots) for h in held] == [([0], [0]), ([1], [0]), ([0], [1]), ([1], [1])]
        assert gpu_pool.holders(root) == {"net0": [0], "net1": [1], "net2": [0], "net3": [1]}
        assert os.path.exists(layout.gpu_lock(root, socket.gethostname(), 1, slot=1))
        fifth = []
        waiting = threading.Event()
        t = threading.Thread(target=lambda: fifth.append(
            gpu_pool.take(root, [0, 1], 1, "net4", lambda m: waiting.set(), poll=0.05,
                          nets_per_gpu=2)))
        t.start()
        assert waiting.wait(10), "the fifth run neither took a slot nor said it waits"
        assert fifth == []   # four slots busy: it waits
        held[3].release()
        t.join(10)
        assert fifth and (fifth[0].ids, fifth[0].slots) == ([1], [1])
        fifth[0].release()
        # two GPUs a run (GPUS_PER_NET=2) take a slot on each, all or nothing
        both = gpu_pool.take(root, [0, 1], 2, "wide", quiet, poll=0.05, nets_per_gpu=3)
        assert both.ids == [0, 1] and both.slots == [2, 1]
        both.release()
    finally:
        for h in held:
            h.release()
    with pytest.raises(gpu_pool.PoolError, match="NETS_PER_GPU must be >= 1"):
        gpu_pool.take(root, [0], 1, "x", quiet, nets_per_gpu=0)


def test_pool_inside_slurm_jobs(env, monkeypatch):
    """A SLURM job's GPU ids are its own (CUDA_VISIBLE_DEVICES counts from 0):
    the networks of one job (NETS_PER_GPU) share GPU 0 slot by slot, another
    job's GPU 0 on the same host is not theirs to wait for, and the
    workstation's pool outside any job is untouched."""
    root = new_root(env, "in-job")
    quiet = lambda m: None
    host = socket.gethostname()
    monkeypatch.setenv("SLURM_JOB_ID", "101")
    a = gpu_pool.take(root, [0], 1, "half0A", quiet, nets_per_gpu=2)
    b = gpu_pool.take(root, [0], 1, "half0B", quiet, nets_per_gpu=2)
    try:
        assert [(h.ids, h.slots) for h in (a, b)] == [([0], [0]), ([0], [1])]
        assert os.path.exists(layout.gpu_lock(root, host + ".job101", 0, slot=1))
        assert gpu_pool.holders(root) == {"half0A": [0], "half0B": [0]}
        third = []
        t = threading.Thread(target=lambda: third.append(
            gpu_pool.take(root, [0], 1, "half1A", quiet, poll=0.05, nets_per_gpu=2)))
        t.start()
        t.join(0.5)
        assert third == []   # the job's two slots are taken: a third run of it waits
        a.release()
        t.join(10)
        assert third and (third[0].ids, third[0].slots) == ([0], [0])
        # (the environment is the process's: no run of job 101 waits from here on)
        monkeypatch.setenv("SLURM_JOB_ID", "102")
        other = gpu_pool.take(root, [0], 1, "half1B", quiet, poll=0.05, nets_per_gpu=2)
        assert (other.ids, other.slots) == ([0], [0])   # job 102's own GPU 0
        assert gpu_pool.holders(root) == {"half1B": [0]}
        other.release()
        monkeypatch.delenv("SLURM_JOB_ID")
        assert gpu_pool.holders(root) == {}
        third[0].release()
    finally:
        a.release()
        b.release()


def test_pool_ids_reach_caffes_gpu_flag(env):
    """A GPU node's run (planned as SLURM's login node plans one: assume_gpu),
    taking its ids from the pool exactly as train.run does before Caffe starts."""
    root = new_root(env, "pool-gpu")
    cat = env["cat"]
    plans = [train.prepare(cat, n, root, "tiny", "0,1", "GPU", assume_gpu=True) for n in DATASETS]
    first = gpu_plan.take(plans[0])
    second = gpu_plan.take(plans[1])
    try:
        assert "--gpu=0" in plans[0].command and "--gpu=1" in plans[1].command
        assert gpu_pool.holders(root) == {"half0A": [0], "half0B": [1]}
        third = []
        waiting = threading.Event()
        t = threading.Thread(target=lambda: third.append(
            gpu_pool.take(root, plans[2].gpu_pool, 1, "halfnatmanB", lambda m: waiting.set(),
                          poll=0.05)))
        t.start()
        assert waiting.wait(10), "the third run neither took a GPU nor said it waits"
        assert third == []   # both ids busy: it waits
        first.release()
        t.join(10)
        assert third and third[0].ids == [0]
        third[0].release()
    finally:
        first.release()
        second.release()
    # GPUS_PER_NET=2: two ids each, Caffe's multi-GPU on a split batch (effective 32)
    p = train.prepare(cat, "half0A", root, "tiny", "0,1,2,3", "GPU", assume_gpu=True, gpus_per_net=2)
    assert p.variant == (2, 1) and p.run_solver == "results/half0A/solver.gpus2_iter_size1.prototxt"
    held = gpu_plan.take(p)
    try:
        assert "--gpu=0,1" in p.command and held.ids == [0, 1]
    finally:
        held.release()
    with pytest.raises(train.TrainError, match="GPUS_PER_NET=3 but the GPU pool 0,1"):
        train.prepare(cat, "half0A", root, "tiny", "0,1", "GPU", assume_gpu=True, gpus_per_net=3)
