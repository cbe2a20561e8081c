"""Training with `make NAME`: real Caffe on the CPU, the tiny profile, small real LMDBs.

The runs use a copy of experiments.yaml whose tiny schedules are shorter (60
iterations, a snapshot every 20) and an experiments.mk generated from that copy
(CATALOG=, EXPERIMENTS_MK=), so the whole file costs well under a minute of
Caffe time; every other code path is the one `make PROFILE=tiny ROOT=demo` takes.
"""
import glob
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

import numpy as np
import pytest

from transfer_study import PROJECT_ROOT
from transfer_study.nets import catalog, makefile
from transfer_study.runs import cost

MAX_ITER = 60
SNAPSHOT = 20
TEST_SCHEDULE = ("{base_lr: 0.001, gamma: 0.1, stepsize: 40, max_iter: %d, momentum: 0.9, "
                 "weight_decay: 0.0005, test_iter: 2, test_interval: 20, display: 5, snapshot: %d}"
                 % (MAX_ITER, SNAPSHOT))
DATASETS = ("half0A", "half0B", "halfnatmanB")


def make_dataset(root, name, n, classes, width, seed, with_mean):
    """A real Caffe Datum LMDB of random images, its files.txt and mean."""
    import caffe
    import lmdb
    d = os.path.join(root, "data", name)
    os.makedirs(d)
    rng = np.random.RandomState(seed)
    imgs = rng.randint(0, 256, size=(n, 3, width, width)).astype(np.uint8)
    labels = rng.randint(0, classes, size=n)
    env = lmdb.open(os.path.join(d, "lmdb"), map_size=64 << 20)
    with env.begin(write=True) as txn:
        for i in range(n):
            # (what caffe.io.array_to_datum does, without its deprecated ndarray.tostring)
            datum = caffe.proto.caffe_pb2.Datum(channels=3, height=width, width=width,
                                                data=imgs[i].tobytes(), label=int(labels[i]))
            txn.put(b"%08d_n%08d.JPEG" % (i, i), datum.SerializeToString())
    env.close()
    with open(os.path.join(d, "files.txt"), "w") as f:
        for i in range(n):
            f.write("n%08d.JPEG %d\n" % (i, labels[i]))
    if with_mean:
        blob = caffe.io.array_to_blobproto(imgs.astype(np.float64).mean(axis=0)[np.newaxis])
        with open(os.path.join(d, "mean.binaryproto"), "wb") as f:
            f.write(blob.SerializeToString())


def shortened_catalog_text(schedule=TEST_SCHEDULE):
    """experiments.yaml with the tiny schedules replaced by `schedule` (same keys, same code paths)."""
    with open(catalog.DEFAULT_PATH) as f:
        text = f.read()
    tiny = text.index("\n  tiny:")
    head, tail = text[:tiny], text[tiny:]
    tail, k = re.subn(r"(\n      (base|reduced):\s+)\{[^}]*\}", r"\g<1>" + schedule, tail, count=2)
    assert k == 2, "could not find the tiny schedules in experiments.yaml"
    return head + tail


def tiny_root(base, datasets):
    """base/root with the datasets <name>_train/_valid (40 and 25 random images,
    the training set's mean), the shortened catalog and its experiments.mk."""
    root = str(base / "root")
    os.makedirs(root)
    cat_path = str(base / "experiments.yaml")
    with open(cat_path, "w") as f:
        f.write(shortened_catalog_text())
    cat = catalog.load(cat_path)
    assert cat.schedule("half0A", "tiny")["max_iter"] == MAX_ITER
    width = cat.profile("tiny")["resize"]
    for i, ds in enumerate(datasets):
        classes = cat.datasets[ds + "_train"]["classes"]
        make_dataset(root, ds + "_train", 40, classes, width, 2 * i, True)
        make_dataset(root, ds + "_valid", 25, classes, width, 2 * i + 1, False)
    mk = str(base / "experiments.mk")
    makefile.write_experiments_mk(cat, mk)
    return dict(root=root, catalog=cat_path, cat=cat, mk=mk, base=str(base))


@pytest.fixture(scope="module")
def env(tmp_path_factory, caffe_tools):
    return tiny_root(tmp_path_factory.mktemp("train"), DATASETS)


def make_args(env, *targets):
    return ["make", "--no-print-directory", "-C", PROJECT_ROOT, "PROFILE=tiny",
            "ROOT=%s" % env["root"], "CATALOG=%s" % env["catalog"],
            "EXPERIMENTS_MK=%s" % env["mk"]] + list(targets)


def run_make(env, *targets, **kw):
    return subprocess.run(make_args(env, *targets), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=kw.get("timeout", 120))


class Started(object):
    """make in its own session (process group), like a job on a terminal; its
    output goes to files (an unread pipe would fill up and stall Caffe)."""

    def __init__(self, env, *targets):
        self.out = tempfile.TemporaryFile("w+")
        self.err = tempfile.TemporaryFile("w+")
        self.proc = subprocess.Popen(make_args(env, *targets), stdout=self.out, stderr=self.err,
                                     universal_newlines=True, start_new_session=True)
        self.pid = self.proc.pid

    def poll(self):
        return self.proc.poll()

    @property
    def returncode(self):
        return self.proc.returncode

    def kill(self):
        os.killpg(self.pid, signal.SIGKILL)
        self.proc.wait()

    def communicate(self, timeout=None):
        self.proc.wait(timeout=timeout)
        self.out.seek(0)
        self.err.seek(0)
        return self.out.read(), self.err.read()


def start_make(env, *targets):
    return Started(env, *targets)


def rdir(env, name):
    return os.path.join(env["root"], "results", name)


def logs(env, name):
    return sorted(glob.glob(os.path.join(rdir(env, name), "%s.*.log" % name)))


def read(path):
    with open(path) as f:
        return f.read()


def final(env, name):
    return os.path.join(rdir(env, name), "%s_iter_%d.caffemodel" % (name, MAX_ITER))


def wait_for_iteration(env, name, it, proc, timeout=90):
    """Block until the run's newest log shows training at iteration >= it."""
    t0 = time.time()
    while time.time() - t0 < timeout:
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail("%s ended before iteration %d:\n%s\n%s" % (name, it, out[-2000:], err[-2000:]))
        ls = logs(env, name)
        if ls:
            done = [int(m) for m in re.findall(r"\] Iteration (\d+) \(", read(ls[-1]))]
            if done and max(done) >= it:
                return max(done)
        time.sleep(0.05)
    proc.kill()
    pytest.fail("%s did not reach iteration %d in %ds" % (name, it, timeout))


def provenance(env, name):
    recs = sorted(glob.glob(os.path.join(rdir(env, name), "%s.*.provenance.json" % name)))
    return [json.load(open(p)) for p in recs]


def md5(path):
    return hashlib.md5(open(path, "rb").read()).hexdigest()


def status_line(env, name):
    p = run_make(env, "status", "NETWORKS=%s" % name)
    assert p.returncode == 0, p.stderr
    line = [ln for ln in p.stdout.splitlines() if ln.split()[:1] == [name]]
    assert len(line) == 1, p.stdout
    return line[0]


def test_transfer_trains_its_base_first_and_copies_its_weights(env):
    assert not os.path.exists(final(env, "half0A"))
    p = run_make(env, "-j4", "transfer0A0B_1_3", timeout=240)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    assert os.path.exists(final(env, "half0A")) and os.path.exists(final(env, "transfer0A0B_1_3"))
    (base_log,), (tr_log,) = logs(env, "half0A"), logs(env, "transfer0A0B_1_3")
    base_text, tr_text = read(base_log), read(tr_log)
    assert "Optimization Done" in base_text and "Optimization Done" in tr_text
    # the base finished before the transfer net started
    assert os.path.getmtime(final(env, "half0A")) <= os.path.getmtime(tr_log)
    weights = "results/half0A/half0A_iter_%d.caffemodel" % MAX_ITER
    assert "Finetuning from %s" % weights in tr_text
    assert "Finetuning from" not in base_text and "Resuming from" not in tr_text
    # layers 4..8 of the base are not copied: the transfer net has conv4-new ... fc8-new
    for layer in ("conv4", "conv5", "fc6", "fc7", "fc8"):
        assert "Ignoring source layer %s\n" % layer in tr_text
    for layer in ("conv1", "conv2", "conv3"):
        assert "Ignoring source layer %s\n" % layer not in tr_text
    # frozen copied layers: still the base's weights after training
    import caffe
    root = env["root"]
    cwd = os.getcwd()
    os.chdir(root)   # the nets' data paths are relative to the root
    try:
        b = caffe.Net("prototxt/half0A/train_val.prototxt", final(env, "half0A"), caffe.TEST)
        t = caffe.Net("prototxt/transfer0A0B_1_3/train_val.prototxt",
                      final(env, "transfer0A0B_1_3"), caffe.TEST)
    finally:
        os.chdir(cwd)
    assert np.array_equal(b.params["conv3"][0].data, t.params["conv3"][0].data)
    # make cost's snapshot sizes count the parameters as Caffe does
    assert sum(blob.data.size for layer in b.params.values() for blob in layer) == \
        cost.param_count(env["cat"].profile("tiny"))
    assert "conv4" not in t.params and "conv4-new" in t.params
    rec, = provenance(env, "transfer0A0B_1_3")
    assert rec["weights"] == weights and rec["resumed_from"] is None
    assert rec["outcome"] == "done" and rec["exit_status"] == 0 and rec["end"]
    assert rec["catalog"]["base"] == "half0A" and rec["catalog"]["n"] == 3
    assert rec["solver"]["solvers/transfer0A0B_1_3.prototxt"] == \
        md5(os.path.join(root, "solvers", "transfer0A0B_1_3.prototxt"))
    assert rec["datasets"]["half0B_train"]["files.txt"] == \
        md5(os.path.join(root, "data", "half0B_train", "files.txt"))
    assert rec["caffe_version"].startswith("caffe version")
    assert re.match(r"^([0-9a-f]{40}|unknown)$", rec["git_commit"])
    # done: make's recipe (train.py, which asks runstate) starts nothing, and
    # neither does train.py called directly
    p = run_make(env, "transfer0A0B_1_3")
    assert p.returncode == 0 and "transfer0A0B_1_3 is done" in p.stderr, p.stderr
    assert "half0A is done" in p.stderr and "Resuming" not in p.stdout
    p = subprocess.run([sys.executable, os.path.join(PROJECT_ROOT, "scripts", "train.py"),
                        "transfer0A0B_1_3", "--root", root, "--profile", "tiny",
                        "--catalog", env["catalog"]], stderr=subprocess.PIPE,
                       universal_newlines=True, timeout=60)
    assert p.returncode == 0 and "nothing to do" in p.stderr
    assert len(logs(env, "transfer0A0B_1_3")) == 1
    assert status_line(env, "transfer0A0B_1_3").split()[1] == "done"


def test_sigterm_to_the_wrapper_snapshots_second_run_refuses_then_resume(env):
    name = "half0B"
    proc = start_make(env, name)
    try:
        wait_for_iteration(env, name, 25, proc)
        # freeze the run (make, train.py, Caffe) so that it cannot finish meanwhile
        os.killpg(proc.pid, signal.SIGSTOP)
        # a second run of the same network refuses, naming the lock
        p = run_make(env, name)
        assert p.returncode != 0
        assert "half0B is already being trained" in p.stderr
        line = status_line(env, name)
        assert line.split()[1] == "running", line
        # SIGTERM to train.py alone (as a batch system does): Caffe gets SIGINT, snapshots, stops
        pid = int(read(os.path.join(rdir(env, name), "half0B.lock")).split()[1])
        os.kill(pid, signal.SIGTERM)
        os.killpg(proc.pid, signal.SIGCONT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode != 0
    assert "interrupted" in err
    (log1,) = logs(env, name)
    text1 = read(log1)
    # caffe.cpp prints "Optimization Done." after an early stop too
    assert "Optimization stopped early" in text1 and "solver.cpp:332] Optimization Done" not in text1
    states = sorted(glob.glob(os.path.join(rdir(env, name), "*.solverstate")))
    stopped = max(int(re.search(r"_iter_(\d+)\.", s).group(1)) for s in states)
    assert 25 <= stopped < MAX_ITER and not os.path.exists(final(env, name))
    rec, = provenance(env, name)
    assert rec["outcome"] == "interrupted" and rec["signal"] == "SIGTERM"
    line = status_line(env, name)
    assert line.split()[1] == "interrupted" and line.split()[2] == "%d/%d" % (stopped, MAX_ITER), line
    before = md5(log1)
    resume_and_finish(env, name, stopped)
    assert md5(log1) == before   # the first attempt's log is untouched


def resume_and_finish(env, name, from_iter):
    p = run_make(env, name, timeout=240)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    new_log = logs(env, name)[-1]
    text = read(new_log)
    assert "Resuming from results/%s/%s_iter_%d.solverstate" % (name, name, from_iter) in text
    assert "Finetuning from" not in text
    assert "Optimization Done" in text and os.path.exists(final(env, name))
    its = [int(m) for m in re.findall(r"\] Iteration (\d+) \(", text)]
    assert its and min(its) >= from_iter   # no iteration before the snapshot is redone
    assert "] Iteration %d, loss = " % MAX_ITER in text
    assert provenance(env, name)[-1]["resumed_from"] == \
        "results/%s/%s_iter_%d.solverstate" % (name, name, from_iter)
    # a third run does nothing
    n_logs = len(logs(env, name))
    p = run_make(env, name)
    assert p.returncode == 0 and "%s is done" % name in p.stderr and "nothing to do" in p.stderr
    assert len(logs(env, name)) == n_logs


def test_ctrl_c_on_a_transfer_net_snapshots_and_rerun_resumes_without_weights(env):
    name = "transfer0A0A_1_1"   # copies conv1 from half0A (trained first if needed)
    proc = start_make(env, name)
    try:
        wait_for_iteration(env, name, 25, proc)
        os.killpg(proc.pid, signal.SIGINT)   # Ctrl-C: the whole foreground group
        proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode != 0
    text = read(logs(env, name)[0])
    assert "Finetuning from results/half0A/half0A_iter_%d.caffemodel" % MAX_ITER in text
    assert "Optimization stopped early" in text
    states = glob.glob(os.path.join(rdir(env, name), "*.solverstate"))
    stopped = max(int(re.search(r"_iter_(\d+)\.", s).group(1)) for s in states)
    assert 25 <= stopped < MAX_ITER
    assert provenance(env, name)[0]["outcome"] == "interrupted"
    # the state holds the weights: --snapshot alone (Caffe refuses it with --weights)
    resume_and_finish(env, name, stopped)
    rec = provenance(env, name)[-1]
    assert rec["weights"] is None and "--weights" not in " ".join(rec["command"])


def test_sigkill_midway_resumes_from_the_last_readable_snapshot(env):
    name = "halfnatmanB"
    # every snapshot kept: the older pair this test falls back on stays (under the
    # default policy a pair goes only once a newer one is complete: test_gpu_runs)
    proc = start_make(env, name, "KEEP_SNAPSHOTS=all")
    try:
        wait_for_iteration(env, name, 2 * SNAPSHOT + 5, proc)
        os.killpg(proc.pid, signal.SIGKILL)   # the machine died: no snapshot on the way out
        proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    states = glob.glob(os.path.join(rdir(env, name), "*.solverstate"))
    last = max(int(re.search(r"_iter_(\d+)\.", s).group(1)) for s in states)
    assert last % SNAPSHOT == 0 and 2 * SNAPSHOT <= last < MAX_ITER
    rec, = provenance(env, name)
    assert rec["end"] is None   # the record shows the attempt never ended cleanly
    line = status_line(env, name)
    assert line.split()[1] == "interrupted", line
    # as if the kill had hit while Caffe wrote its newest state: cut it short
    newest = os.path.join(rdir(env, name), "%s_iter_%d.solverstate" % (name, last))
    with open(newest, "r+b") as f:
        f.truncate(os.path.getsize(newest) // 2)
    model = newest[:-len("solverstate")] + "caffemodel"
    model_md5 = md5(model)
    resume_and_finish(env, name, last - SNAPSHOT)
    # the snapshots of iteration `last` were renamed, not overwritten
    aside = glob.glob(model + ".superseded-*")
    assert len(aside) == 1 and md5(aside[0]) == model_md5
    assert len(glob.glob(newest + ".superseded-*")) == 1


def test_missing_dataset_fails_before_caffe_naming_file_and_target(env):
    p = run_make(env, "half1A")
    assert p.returncode != 0
    assert "data/half1A_train/lmdb/data.mdb" in p.stderr and "make derived" in p.stderr
    assert logs(env, "half1A") == []   # Caffe never started
    p = run_make(env, "netbase")
    assert p.returncode != 0
    assert "data/whole_train/lmdb/data.mdb" in p.stderr and "make data" in p.stderr
    # a dataset whose LMDB exists but whose mean does not
    width = env["cat"].profile("tiny")["resize"]
    make_dataset(env["root"], "half1B_train", 8, 500, width, 7, False)
    make_dataset(env["root"], "half1B_valid", 8, 500, width, 8, False)
    p = run_make(env, "half1B")
    assert p.returncode != 0
    assert "data/half1B_train/mean.binaryproto" in p.stderr and "make derived" in p.stderr
    assert logs(env, "half1B") == []


def test_untrained_base_is_named_when_train_py_is_called_directly(env):
    p = subprocess.run([sys.executable, os.path.join(PROJECT_ROOT, "scripts", "train.py"),
                        "transfernatmanAB_1_2", "--root", os.path.join(env["root"], "elsewhere"),
                        "--profile", "tiny", "--catalog", env["catalog"]],
                       stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
    assert p.returncode == 2
    assert "halfnatmanA" in p.stderr and "make halfnatmanA" in p.stderr
    assert "Traceback" not in p.stderr


def test_make_n_shows_the_exact_caffe_command(env):
    p = run_make(env, "-n", "transfer0A0A_1_2")
    assert p.returncode == 0, p.stderr
    want = ("cd %s && caffe train --solver=solvers/transfer0A0A_1_2.prototxt "
            "--weights=results/half0A/half0A_iter_%d.caffemodel -sigint_effect stop "
            "-sighup_effect snapshot" % (env["root"], MAX_ITER))
    assert want in p.stdout.splitlines()
    assert not os.path.exists(os.path.join(env["root"], "solvers", "transfer0A0A_1_2.prototxt"))
    # the paper profile on this CPU-only Caffe: the GPU command, and the run would stop
    p = subprocess.run(["make", "--no-print-directory", "-C", PROJECT_ROOT, "-n", "half2A"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                       timeout=60)
    assert p.returncode == 0, p.stderr
    assert "cd %s && caffe train --solver=solvers/half2A.prototxt --gpu=0 " \
        "-sigint_effect stop -sighup_effect snapshot" % PROJECT_ROOT in p.stdout.splitlines()
    assert "# a run on this machine stops here: half2A trains on the GPU" in p.stdout
    # SOLVER_MODE=CPU: a run-local CPU copy, the committed solver untouched
    p = subprocess.run(["make", "--no-print-directory", "-C", PROJECT_ROOT, "-n", "half2A",
                        "SOLVER_MODE=CPU"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert "cd %s && caffe train --solver=results/half2A/half2A.YYYYmmdd-HHMMSS.solver.prototxt " \
        "-sigint_effect stop -sighup_effect snapshot" % PROJECT_ROOT in p.stdout.splitlines()
    assert not os.path.exists(os.path.join(PROJECT_ROOT, "results", "half2A"))


def test_tiny_profile_refuses_the_checkout_root(env):
    p = subprocess.run([sys.executable, os.path.join(PROJECT_ROOT, "scripts", "train.py"),
                        "half0A", "--profile", "tiny"], stderr=subprocess.PIPE,
                       universal_newlines=True, timeout=60)
    assert p.returncode == 2 and "ROOT=" in p.stderr


# ------------------------------------------------ the solver decides (issue 20) --

def edit_solver(env, name, old, new):
    path = os.path.join(env["root"], "solvers", name + ".prototxt")
    text = read(path)
    assert old in text, text
    with open(path, "w") as f:
        f.write(text.replace(old, new, 1))
    return path


def submit_line(env, name):
    p = run_make(env, "submit", "NETWORKS=%s" % name, "DRY_RUN=1")
    return p, "\n".join(ln for ln in (p.stdout + p.stderr).splitlines()
                        if ln.startswith(name + " ") or ln.startswith("# %s is" % name))


@pytest.fixture(scope="module")
def env3(tmp_path_factory, caffe_tools):
    return tiny_root(tmp_path_factory.mktemp("edited"), ("half3A", "half3B"))


def test_raised_and_lowered_max_iter_in_the_solver_decide(env3):
    env = env3
    name = "half3A"
    p = run_make(env, name, timeout=240)
    assert p.returncode == 0, p.stderr[-3000:]
    assert status_line(env, name).split()[1:3] == ["done", "%d/%d" % (MAX_ITER, MAX_ITER)]
    # raised: every entry point sees an interrupted run that resumes from its snapshot
    edit_solver(env, name, "max_iter: %d" % MAX_ITER, "max_iter: %d" % (MAX_ITER + 20))
    assert status_line(env, name).split()[1:3] == ["interrupted", "%d/%d" % (MAX_ITER, MAX_ITER + 20)]
    p = run_make(env, "-n", name)
    assert p.returncode == 0, p.stderr
    assert "--snapshot=results/%s/%s_iter_%d.solverstate" % (name, name, MAX_ITER) in p.stdout
    p, said = submit_line(env, name)
    assert p.returncode == 0 and "# %s is interrupted" % name in said, p.stdout + p.stderr
    p = run_make(env, name, timeout=240)
    assert p.returncode == 0, p.stderr[-3000:]
    assert "Resuming from results/%s/%s_iter_%d.solverstate" % (name, name, MAX_ITER) in p.stdout
    assert os.path.exists(os.path.join(rdir(env, name), "%s_iter_%d.caffemodel" % (name, MAX_ITER + 20)))
    line = status_line(env, name)
    assert line.split()[1:3] == ["done", "%d/%d" % (MAX_ITER + 20, MAX_ITER + 20)], line
    assert "resumed 1 time, at iteration %d" % MAX_ITER in line
    recs = provenance(env, name)
    assert [r["resumed_at"] for r in recs] == [None, MAX_ITER]
    p, said = submit_line(env, name)
    assert "done: not submitted" in said, said
    # lowered below what was trained: done at the first snapshot past it, never failed
    edit_solver(env, name, "max_iter: %d" % (MAX_ITER + 20), "max_iter: %d" % (MAX_ITER - 10))
    line = status_line(env, name)
    assert line.split()[1] == "done", line
    n_logs = len(logs(env, name))
    p = run_make(env, name)
    assert p.returncode == 0 and "%s is done" % name in p.stderr, p.stderr
    assert "_iter_%d.caffemodel exists, past the solver's max_iter %d" % (MAX_ITER + 20, MAX_ITER - 10) \
        in p.stderr
    assert len(logs(env, name)) == n_logs
    p, said = submit_line(env, name)
    assert "done: not submitted" in said, said
    # an edit that parses is the user's: check-prototxts lists it and exits 0 (STRICT=1: 1)
    p = run_make(env, "check-prototxts", "EXPERIMENTS=%s" % name)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "solvers/%s.prototxt: edited" % name in p.stdout
    assert "-max_iter: %d" % (MAX_ITER - 10) in p.stdout
    p = run_make(env, "check-prototxts", "EXPERIMENTS=%s" % name, "STRICT=1")
    assert p.returncode != 0 and "check-prototxts] Error 1" in p.stderr, p.stdout + p.stderr


def test_a_broken_solver_is_that_networks_problem_only(env3):
    env = env3
    name = "half3A"
    if not os.path.exists(os.path.join(rdir(env, name), "%s_iter_%d.caffemodel" % (name, MAX_ITER))):
        p = run_make(env, name, timeout=240)
    path = edit_solver(env, name, "base_lr: ", "base_lr ")
    line_no = [i for i, ln in enumerate(read(path).splitlines(), 1) if ln.startswith("base_lr ")][0]
    where = "solvers/%s.prototxt:%d:" % (name, line_no)
    # make NAME checks the solver even though the network was done
    p = run_make(env, name)
    assert p.returncode != 0 and where in p.stderr and "is broken" in p.stderr, p.stderr
    assert "make prototxts EXPERIMENTS=%s FORCE=1 PROFILE=tiny ROOT=%s" % (name, env["root"]) \
        in p.stderr
    assert "Traceback" not in p.stderr
    # status and cost list it as broken and show every other network
    p = run_make(env, "status")
    assert p.returncode == 0, p.stderr
    rows = p.stdout.splitlines()[1:-1]
    assert len(rows) == 170
    mine = [r for r in rows if r.split()[0] == name]
    assert mine[0].split()[1] == "broken" and where in mine[0], mine
    assert "1 broken" in p.stdout.splitlines()[-1]
    p = run_make(env, "cost")
    assert p.returncode == 0, p.stderr
    assert "Broken: 1" in p.stdout and "%s: %s" % (name, where) in p.stdout
    # submit skips it and what needs it, submits the others, and says so
    p = run_make(env, "submit", "NETWORKS=%s half3B transfer3A3B_1_1" % name, "DRY_RUN=1")
    assert p.returncode != 0
    assert re.search(r"^%s +broken: not submitted \(.*%s" % (name, re.escape(where)), p.stdout, re.M)
    assert re.search(r"^transfer3A3B_1_1 +not submitted: its base half3A is broken "
                     r"\(transfer3A3B_1_1 is not started\)", p.stdout, re.M), p.stdout
    assert "# half3B is not started" in p.stdout
    # make results gives it its state and goes on with the others
    out_dir = os.path.join(env["base"], "report")
    p = run_make(env, "results", "RESULTS=%s" % os.path.join(env["root"], "results"),
                 "OUT=%s" % out_dir, timeout=300)
    assert p.returncode == 0, p.stderr[-3000:]
    import csv
    with open(os.path.join(out_dir, "summary.csv")) as f:
        rows = dict((r["network"], r["status"]) for r in csv.DictReader(f))
    assert rows[name] == "broken" and rows["half3B"] == "not started", rows
    # check-prototxts: an error with file:line, exit 1
    p = run_make(env, "check-prototxts", "EXPERIMENTS=%s" % name)
    assert p.returncode != 0 and "check-prototxts] Error 1" in p.stderr, p.stdout + p.stderr
    assert "solvers/%s.prototxt: broken: %s" % (name, where) in p.stdout, p.stdout
    assert "make prototxts EXPERIMENTS=%s PROFILE=tiny ROOT=" % name in p.stdout
    # fixed again: done, nothing lost
    edit_solver(env, name, "base_lr ", "base_lr: ")
    p = run_make(env, name)
    assert p.returncode == 0 and "%s is done" % name in p.stderr, p.stderr
