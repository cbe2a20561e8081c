"""make submit against a real one-node SLURM (tests/slurm_cluster.py) with
real Caffe training of tiny-profile networks on small real LMDBs."""
import io
import os
import re
import shutil
import subprocess
import time

import lmdb
import numpy as np
import pytest

from transfer_study import PROJECT_ROOT, layout
from transfer_study.cluster import jobscript, slurm
from transfer_study.nets import catalog
from slurm_cluster import SlurmCluster

BASES = ["half0A", "half0B"]
TRANSFERS = ["transfer0A0B_1_3", "transfer0B0A_1_3"]
DATASETS = ["half0A_train", "half0A_valid", "half0B_train", "half0B_valid"]

# What the test cluster can give: 1 CPU per job (2 jobs at once on 2 cores),
# no GPUs, no memory limit; a short time limit is never reached.
TEST_CFG = dict(partition=None, account=None, time_limit="10:00", gpus=0,
                cpus_per_task=1, mem=None, signal_seconds=60, extra_sbatch=[],
                keep_snapshots="final", nets_per_gpu=1)


@pytest.fixture(scope="module")
def cat():
    return catalog.load()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    missing = [tool for tool in ("munged", "slurmctld", "slurmd", "sbatch", "squeue", "scontrol",
                                 "caffe") if shutil.which(tool) is None]
    if missing and not os.path.exists("/.env-complete"):
        # Your own Caffe (CAFFE_ENV=native): no private SLURM to start here.
        pytest.skip("CAFFE_ENV=native: %s not on PATH; the one-node SLURM these tests start "
                    "comes with the Debian env (make env)" % ", ".join(missing))
    if missing:
        pytest.fail("%s is not on PATH: run the tests inside the env (make test)" % missing[0])
    try:
        with open("/proc/self/setgroups") as f:
            no_setgroups = f.read().strip() == "deny"
    except OSError:
        no_setgroups = False
    if no_setgroups:
        pytest.skip("env built without root and without a subuid range: its user namespace "
                    "denies setgroups, which slurmd needs (root or a subuid range runs these)")
    c = SlurmCluster(str(tmp_path_factory.mktemp("slurm")))
    try:
        c.start()
        yield c
    finally:
        c.stop()


def job_env(cluster):
    # One BLAS thread per job: the cluster hands each job one CPU.
    return cluster.env({"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"})


def make_dataset(root, name, n=48, size=64, classes=4, seed=0, mean_size=None):
    """A Caffe Datum LMDB of n random size x size images and its mean
    (mean_size: a mean of another size, which Caffe refuses)."""
    import caffe
    d = os.path.join(root, "data", name)
    os.makedirs(d)
    rng = np.random.RandomState(seed)
    env = lmdb.open(os.path.join(d, "lmdb"), map_size=1 << 26)
    with env.begin(write=True) as txn:
        for i in range(n):
            img = rng.randint(0, 256, size=(3, size, size)).astype(np.uint8)
            # (what caffe.io.array_to_datum does, without its deprecated ndarray.tostring)
            datum = caffe.proto.caffe_pb2.Datum(channels=3, height=size, width=size,
                                                data=img.tobytes(), label=i % classes)
            txn.put(("%08d_img%d.JPEG" % (i, i)).encode("ascii"), datum.SerializeToString())
    env.close()
    m = mean_size or size
    mean = caffe.io.array_to_blobproto(np.full((1, 3, m, m), 127.0, dtype=np.float32))
    with open(os.path.join(d, "mean.binaryproto"), "wb") as f:
        f.write(mean.SerializeToString())


def tiny_root(tmp_path, cat, datasets):
    root = str(tmp_path / "root")
    size = cat.profile("tiny")["resize"]
    for k, name in enumerate(datasets):
        make_dataset(root, name, size=size, seed=k)
    return root


def run(cluster, *argv):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       env=cluster.env(), universal_newlines=True)
    assert p.returncode == 0, "%s failed: %s" % (" ".join(argv), p.stdout)
    return p.stdout


def job_info(cluster, job_id):
    out = run(cluster, "scontrol", "--oneliner", "show", "job", str(job_id))
    return dict(f.split("=", 1) for f in out.split() if "=" in f)


def wait_for(what, ready, timeout, cluster):
    deadline = time.time() + timeout
    while time.time() < deadline:
        got = ready()
        if got:
            return got
        time.sleep(0.3)
    pytest.fail("timed out after %ss waiting for %s\nsqueue:\n%s\nslurmctld log tail:\n%s" % (
        timeout, what, run(cluster, "squeue", "--states=all"), cluster.log("slurmctld")[-3000:]))


def logs(root, name):
    d = os.path.join(root, "results", name)
    return sorted(os.path.join(d, f) for f in os.listdir(d)
                  if re.match(re.escape(name) + r"\.\d{8}-\d{6}\.log$", f))


def read(path):
    with open(path) as f:
        return f.read()


def last_iteration(root, name):
    its = [int(m) for p in logs(root, name) for m in re.findall(r"\] Iteration (\d+)", read(p))]
    return max(its) if its else -1


RECORD = slurm.RECORD_NAME
FINAL_STATES = ("COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY")


# --------------------------------------------------------------------------
# against the real cluster

def test_chain_requeue_and_resubmit(cluster, cat, tmp_path):
    """Two tiny base nets and a transfer net on each; one base is requeued
    mid-run (scontrol requeue, as preemption does), the other gets the
    time-limit signal; both resume from the snapshot they wrote, and each
    transfer net starts only after its base succeeded and loads its weights."""
    root = tiny_root(tmp_path, cat, DATASETS)
    env = job_env(cluster)
    out = io.StringIO()
    report = slurm.submit(cat, TRANSFERS, root, profile="tiny", cfg=TEST_CFG, env=env, out=out)
    # the bases come along, before the transfer nets
    assert [(n, a) for n, a, _ in report] == [
        ("half0A", "submitted"), ("transfer0A0B_1_3", "submitted"),
        ("half0B", "submitted"), ("transfer0B0A_1_3", "submitted")]
    ids = dict((n, j) for n, _, j in report)
    assert sorted(ids) == sorted(BASES + TRANSFERS)
    for t, b in (("transfer0A0B_1_3", "half0A"), ("transfer0B0A_1_3", "half0B")):
        rec = slurm.read_record(root, t)
        assert rec["job_id"] == int(ids[t]) and rec["depends_on"] == [ids[b]]
        assert "--dependency=afterok:%s" % ids[b] in rec["sbatch"]
        assert "--kill-on-invalid-dep=yes" in rec["sbatch"]
        info = job_info(cluster, ids[t])
        assert info["Dependency"].startswith("afterok:%s" % ids[b])
    for b in BASES:
        assert job_info(cluster, ids[b]).get("Dependency") in (None, "(null)")

    # submitting again while they are queued or running queues nothing twice
    again = slurm.submit(cat, TRANSFERS + BASES, root, profile="tiny", cfg=TEST_CFG, env=env,
                         out=io.StringIO())
    assert sorted((n, a, j) for n, a, j in again) == sorted(
        (n, "queued", ids[n]) for n in ids)
    n_jobs = len(run(cluster, "squeue", "--noheader", "--states=all").splitlines())
    assert n_jobs == 4

    # interrupt both bases between their periodic snapshots (every 60 iterations)
    interrupted = {}

    def interrupt():
        for name, how in (("half0A", "requeue"), ("half0B", "usr1")):
            if name not in interrupted and last_iteration(root, name) >= 70:
                if how == "requeue":
                    run(cluster, "scontrol", "requeue", ids[name])
                else:   # exactly what SLURM does at --signal=B:USR1@N
                    run(cluster, "scancel", "--batch", "--signal=USR1", ids[name])
                interrupted[name] = time.time()
        return len(interrupted) == 2
    wait_for("both bases to pass iteration 70", interrupt, 90, cluster)

    def all_final():
        states = dict((n, job_info(cluster, j)["JobState"]) for n, j in ids.items())
        return states if all(s in FINAL_STATES for s in states.values()) else None
    states = wait_for("all four jobs to finish", all_final, 150, cluster)
    assert states == dict((n, "COMPLETED") for n in ids), states

    max_iter = cat.schedule("half0A", "tiny")["max_iter"]
    for b in BASES:
        attempts = logs(root, b)
        assert len(attempts) == 2, attempts
        first, second = read(attempts[0]), read(attempts[1])
        stopped = re.findall(r"Snapshotting solver state to binary proto file "
                             r"(results/%s/%s_iter_(\d+)\.solverstate)" % (b, b), first)
        assert stopped, "first attempt of %s wrote no snapshot" % b
        state, it = stopped[-1]
        assert 70 <= int(it) < max_iter and int(it) % 60 != 0, \
            "%s was not snapshotted when interrupted (last snapshot %s)%s" % (
                b, state, "; Caffe died of the SIGTERM SLURM sends to every process of "
                "the job: train.py must keep it from Caffe" if "SIGTERM" in first else "")
        # (caffe.cpp prints "Optimization Done." after an early stop too)
        assert "Optimization stopped early" in first and "SIGTERM" not in first
        assert "Resuming from %s" % state in second
        assert "Iteration %d" % max_iter in second and "Optimization Done" in second
        assert os.path.exists(os.path.join(root, "results", b, "%s_iter_%d.caffemodel"
                                           % (b, max_iter)))
        assert job_info(cluster, ids[b])["Restarts"] == "1"

    for t, b in (("transfer0A0B_1_3", "half0A"), ("transfer0B0A_1_3", "half0B")):
        ti, bi = job_info(cluster, ids[t]), job_info(cluster, ids[b])
        assert ti["StartTime"] >= bi["EndTime"], (t, ti["StartTime"], bi["EndTime"])
        assert ti["Restarts"] == "0"
        (log,) = logs(root, t)
        text = read(log)
        assert "Finetuning from results/%s/%s_iter_%d.caffemodel" % (b, b, max_iter) in text
        assert "Optimization Done" in text

    # make status's view: every network with its job id and final state
    assert slurm.queue_states(root, env=env) == dict(
        (n, ("COMPLETED", ids[n])) for n in ids)

    # resubmission skips the finished networks and queues nothing
    out = io.StringIO()
    final = slurm.submit(cat, TRANSFERS, root, profile="tiny", cfg=TEST_CFG, env=env, out=out)
    assert sorted(final) == sorted((n, "done", None) for n in ids)
    assert "done: not submitted" in out.getvalue()
    assert len(run(cluster, "squeue", "--noheader", "--states=all").splitlines()) == 4


def test_failed_base_cancels_dependants(cluster, cat, tmp_path):
    """half1A's mean has the wrong size: Caffe aborts, the job fails, and the
    transfer net waiting on it is cancelled by SLURM instead of waiting forever."""
    root = tiny_root(tmp_path, cat, ["half1A_valid", "half1B_train", "half1B_valid"])
    make_dataset(root, "half1A_train", size=cat.profile("tiny")["resize"], mean_size=32)
    env = job_env(cluster)
    report = slurm.submit(cat, ["transfer1A1B_1_3"], root, profile="tiny", cfg=TEST_CFG,
                          env=env, out=io.StringIO())
    ids = dict((n, j) for n, _, j in report)
    assert sorted(ids) == ["half1A", "transfer1A1B_1_3"]

    def done():
        s = [job_info(cluster, ids[n])["JobState"] for n in ("half1A", "transfer1A1B_1_3")]
        return s if all(x in FINAL_STATES for x in s) else None
    states = wait_for("the failed base and its dependant", done, 60, cluster)
    assert states == ["FAILED", "CANCELLED"]
    info = job_info(cluster, ids["transfer1A1B_1_3"])
    assert info["Reason"] == "DependencyNeverSatisfied"
    assert info["RunTime"] == "00:00:00"
    (log,) = logs(root, "half1A")
    assert re.search(r"^F\d{4} .*data_transformer", read(log), re.M)
    assert not logs(root, "transfer1A1B_1_3")
    assert slurm.queue_states(root, env=env) == {
        "half1A": ("FAILED", ids["half1A"]),
        "transfer1A1B_1_3": ("CANCELLED", ids["transfer1A1B_1_3"])}


def test_gpu_job_without_a_gpu_fails_and_is_not_requeued(cluster, cat, tmp_path):
    """A network whose solver says solver_mode GPU, on this CPU-only Caffe: the
    job stops before Caffe starts, says why in its .out, and ends FAILED with
    train.py's no-GPU status; SLURM does not requeue it."""
    from transfer_study.runs import train
    root = tiny_root(tmp_path, cat, ["half2A_train", "half2A_valid"])
    train.ensure_prototxts(cat, "half2A", root, "tiny")
    sp = layout.solver(root, "half2A")
    with open(sp) as f:
        text = f.read()
    with open(sp, "w") as f:
        f.write(text.replace("solver_mode: CPU", "solver_mode: GPU"))
    env = job_env(cluster)
    report = slurm.submit(cat, ["half2A"], root, profile="tiny", cfg=TEST_CFG, env=env,
                          out=io.StringIO())
    ((_, action, job_id),) = report
    assert action == "submitted"

    def ended():
        info = job_info(cluster, job_id)
        return info if info["JobState"] in FINAL_STATES else None
    info = wait_for("the job without a GPU to end", ended, 60, cluster)
    assert info["JobState"] == "FAILED" and info["ExitCode"] == "%d:0" % train.NO_GPU_EXIT
    # The batch script requeues (scontrol requeue) only before it exits; a job
    # that ended FAILED after saying "not requeued" has no requeue to come.
    assert info["JobState"] == "FAILED" and info["Restarts"] == "0"
    out = read(os.path.join(root, "results", "half2A", "half2A.slurm-%s.out" % job_id))
    assert "half2A trains on the GPU (solver_mode GPU in solvers/half2A.prototxt)" in out
    assert "CPU-only Caffe" in out and "SOLVER_MODE=CPU" in out
    assert "no usable GPU (the reason is above): the job fails, not requeued" in out
    assert "Traceback" not in out
    assert logs(root, "half2A") == []   # Caffe never started
    assert slurm.queue_states(root, env=env) == {"half2A": ("FAILED", job_id)}


def test_packed_jobs_share_requeue_and_chain(cluster, cat, tmp_path):
    """NETS_PER_GPU=2: the two bases train at once in one job, the two transfer
    nets in a second job that waits for it.  The time-limit signal stops both
    bases with a snapshot; the job requeues once and both resume."""
    if _node_cpus(cluster) < 2:
        pytest.skip("the test cluster's node has one CPU: a job of two networks asks for two")
    root = tiny_root(tmp_path, cat, DATASETS)
    env = job_env(cluster)
    cfg = dict(TEST_CFG, nets_per_gpu=2)
    out = io.StringIO()
    report = slurm.submit(cat, TRANSFERS, root, profile="tiny", cfg=cfg, env=env, out=out)
    ids = dict((n, j) for n, _, j in report)
    assert [a for _, a, _ in report] == ["submitted"] * 4
    bases_job, transfers_job = ids["half0A"], ids["transfer0A0B_1_3"]
    assert ids["half0B"] == bases_job and ids["transfer0B0A_1_3"] == transfers_job
    assert bases_job != transfers_job
    assert "half0A                   submitted as job %s with half0B\n" % bases_job in out.getvalue()
    info = job_info(cluster, transfers_job)
    assert info["JobName"] == "transfer0A0B_1_3+transfer0B0A_1_3"
    assert info["Dependency"].startswith("afterok:%s" % bases_job)
    assert job_info(cluster, bases_job)["NumCPUs"] == "2"   # cpus_per_task for each network
    for n in ids:
        rec = slurm.read_record(root, n)
        assert rec["job_id"] == int(ids[n])
        first = "half0A" if n.startswith("half") else "transfer0A0B_1_3"
        job = info["JobName"] if first != "half0A" else "half0A+half0B"
        assert rec["job_networks"] == job.split("+")
        assert rec["script"] == os.path.join(root, "results", first, job + ".sbatch")
        assert rec["output"] == os.path.join(root, "results", first, "%s.slurm-%s.out" % (job, ids[n]))

    # submitting again queues nothing twice
    again = slurm.submit(cat, TRANSFERS, root, profile="tiny", cfg=cfg, env=env, out=io.StringIO())
    assert sorted(again) == sorted((n, "queued", ids[n]) for n in ids)

    def both_past_70():
        if min(last_iteration(root, b) for b in BASES) >= 70:
            # exactly what SLURM does at --signal=B:USR1@N
            run(cluster, "scancel", "--batch", "--signal=USR1", bases_job)
            return True
    wait_for("both bases to pass iteration 70 in their one job", both_past_70, 90, cluster)

    def all_final():
        states = dict((j, job_info(cluster, j)["JobState"]) for j in (bases_job, transfers_job))
        return states if all(s in FINAL_STATES for s in states.values()) else None
    states = wait_for("both jobs to finish", all_final, 150, cluster)
    assert states == {bases_job: "COMPLETED", transfers_job: "COMPLETED"}, states
    assert job_info(cluster, bases_job)["Restarts"] == "1"
    assert job_info(cluster, transfers_job)["Restarts"] == "0"
    max_iter = cat.schedule("half0A", "tiny")["max_iter"]
    for b in BASES:
        first, second = [read(p) for p in logs(root, b)]
        # one signal stopped both: they were training at once
        assert "Optimization stopped early" in first and "SIGTERM" not in first
        (state,) = re.findall(r"Snapshotting solver state to binary proto file "
                              r"(results/%s/%s_iter_\d+\.solverstate)" % (b, b), first)[-1:]
        assert "Resuming from %s" % state in second and "Iteration %d" % max_iter in second
    tinfo, binfo = job_info(cluster, transfers_job), job_info(cluster, bases_job)
    assert tinfo["StartTime"] >= binfo["EndTime"]
    for t, b in (("transfer0A0B_1_3", "half0A"), ("transfer0B0A_1_3", "half0B")):
        (log,) = logs(root, t)
        assert "Finetuning from results/%s/%s_iter_%d.caffemodel" % (b, b, max_iter) in read(log)
    job_out = read(slurm.read_record(root, "half0A")["output"])
    assert "requeueing job %s" % bases_job in job_out
    assert "training exited with status 130 130 (half0A half0B)" in job_out
    assert "training exited with status 0 0 (half0A half0B)" in job_out
    assert slurm.queue_states(root, env=env) == dict((n, ("COMPLETED", ids[n])) for n in ids)


def test_packed_job_with_a_failing_network(cluster, cat, tmp_path):
    """One network of a packed job fails (its mean has the wrong size): the
    other still finishes, the job ends FAILED and the job waiting for it is
    cancelled; the finished network is not trained again."""
    if _node_cpus(cluster) < 2:
        pytest.skip("the test cluster's node has one CPU: a job of two networks asks for two")
    size = cat.profile("tiny")["resize"]
    root = tiny_root(tmp_path, cat, ["half1A_valid", "half1B_train", "half1B_valid"])
    make_dataset(root, "half1A_train", size=size, mean_size=32)
    env = job_env(cluster)
    cfg = dict(TEST_CFG, nets_per_gpu=2)
    report = slurm.submit(cat, ["transfer1A1B_1_3", "transfer1B1A_1_3"], root, profile="tiny",
                          cfg=cfg, env=env, out=io.StringIO())
    ids = dict((n, j) for n, _, j in report)
    assert ids["half1A"] == ids["half1B"] != ids["transfer1A1B_1_3"] == ids["transfer1B1A_1_3"]

    def done():
        s = [job_info(cluster, ids[n])["JobState"] for n in ("half1A", "transfer1A1B_1_3")]
        return s if all(x in FINAL_STATES for x in s) else None
    assert wait_for("the failed job and its dependant", done, 120, cluster) == [
        "FAILED", "CANCELLED"]
    assert job_info(cluster, ids["transfer1A1B_1_3"])["Reason"] == "DependencyNeverSatisfied"
    assert re.search(r"^F\d{4} .*data_transformer", read(logs(root, "half1A")[0]), re.M)
    assert "Optimization Done" in read(logs(root, "half1B")[0])
    out = io.StringIO()
    again = slurm.submit(cat, ["half1B"], root, profile="tiny", cfg=cfg, env=env, out=out)
    assert again == [("half1B", "done", None)]


def _node_cpus(cluster):
    out = run(cluster, "scontrol", "--oneliner", "show", "node")
    return int(re.search(r"\bCPUTot=(\d+)", out).group(1))


def test_missing_dataset_submits_nothing(cat, tmp_path):
    """Checked before queueing; there is no SLURM client call at all."""
    root = tiny_root(tmp_path, cat, ["half2A_train", "half2A_valid", "half2B_valid"])
    with pytest.raises(slurm.SlurmError) as e:
        slurm.submit(cat, ["transfer2A2B_1_3"], root, profile="tiny", cfg=TEST_CFG,
                     env={"PATH": "/nonexistent"}, out=io.StringIO())
    # the transfer net subtracts its base's mean, half2A_train's, which is there
    assert str(e.value) == (
        "nothing submitted: a job would fail at once:\n"
        "  %s/data/half2B_train/lmdb/data.mdb is missing (read by transfer2A2B_1_3); "
        "build it with `make derived`" % root)
    os.remove(os.path.join(root, "data", "half2A_train", "mean.binaryproto"))
    with pytest.raises(slurm.SlurmError) as e:
        slurm.submit(cat, ["transfer2A2B_1_3"], root, profile="tiny", cfg=TEST_CFG,
                     env={"PATH": "/nonexistent"}, out=io.StringIO())
    assert "%s/data/half2A_train/mean.binaryproto is missing (read by half2A, " \
        "transfer2A2B_1_3)" % root in str(e.value)
    written = [f for _, _, files in os.walk(root) for f in files
               if f.endswith((".sbatch", RECORD))]
    assert written == []


def test_records_of_forgotten_and_held_jobs(cluster, cat, tmp_path):
    """A record whose job SLURM no longer knows does not block a new
    submission; a held job counts as queued."""
    root = tiny_root(tmp_path, cat, ["half3A_train", "half3A_valid", "half3B_train",
                                     "half3B_valid"])
    env = job_env(cluster)
    held = run(cluster, "sbatch", "--parsable", "--hold", "--wrap", "true").strip()
    try:
        for name, job_id in (("half3A", 999999), ("half3B", int(held))):
            os.makedirs(os.path.join(root, "results", name))
            with open(slurm.record_path(root, name), "w") as f:
                f.write('{"job_id": %d, "name": "%s"}\n' % (job_id, name))
        assert slurm.queue_states(root, env=env) == {
            "half3A": ("UNKNOWN", "999999"), "half3B": ("PENDING", held)}
        out = io.StringIO()
        report = slurm.submit(cat, ["half3A", "half3B"], root, profile="tiny", cfg=TEST_CFG,
                              dry_run=True, env=env, out=out)
        assert report == [("half3A", "dry-run", None), ("half3B", "queued", held)]
        assert "half3B                   already queued as job %s (PENDING)" % held \
            in out.getvalue()
        # a transfer net submitted later waits for the base job already queued
        out = io.StringIO()
        report = slurm.submit(cat, ["transfer3B3A_1_3"], root, profile="tiny", cfg=TEST_CFG,
                              dry_run=True, env=env, out=out)
        assert report == [("half3B", "queued", held), ("transfer3B3A_1_3", "dry-run", None)]
        assert "$ sbatch --parsable --dependency=afterok:%s --kill-on-invalid-dep=yes " \
            "%s/results/transfer3B3A_1_3/transfer3B3A_1_3.sbatch\n" % (held, root) in out.getvalue()
    finally:
        run(cluster, "scancel", held)


# --------------------------------------------------------------------------
# the batch script itself

def paper_cfg():
    cfg = slurm.load_config(os.path.join(PROJECT_ROOT, "slurm.yaml"),
                            dict(partition="gpu", account="lab", time_limit="1-12:00:00"))
    assert cfg["gpus"] == 1 and cfg["signal_seconds"] == 600
    return cfg


def test_paper_script(cat, tmp_path):
    root = str(tmp_path / "study")
    os.makedirs(root)
    script = jobscript.batch_script(cat, ["transfer0A0B_1_3"], root, "paper", paper_cfg())
    lines = script.splitlines()
    assert lines[0] == "#!/bin/bash"
    sbatch = [l[len("#SBATCH "):] for l in lines if l.startswith("#SBATCH ")]
    results = os.path.join(root, "results", "transfer0A0B_1_3")
    assert sbatch == [
        "--job-name=transfer0A0B_1_3",
        "--chdir=%s" % root,
        "--output=%s/transfer0A0B_1_3.slurm-%%j.out" % results,
        "--open-mode=append",
        "--requeue",
        "--signal=B:USR1@600",
        "--time=1-12:00:00",
        "--nodes=1",
        "--ntasks=1",
        "--cpus-per-task=4",
        "--mem=16G",
        "--partition=gpu",
        "--account=lab",
        "--gres=gpu:1",
    ]
    # the exact Caffe command train.py runs in the job (fresh start: base weights)
    assert "#   caffe train --solver=solvers/transfer0A0B_1_3.prototxt " \
        "--weights=results/half0A/half0A_iter_450000.caffemodel --gpu=0 " \
        "-sigint_effect stop -sighup_effect snapshot" in lines
    train_line = "%s/scripts/in-env python3 %s/scripts/train.py transfer0A0B_1_3 " \
        "--root %s --profile paper --keep-snapshots final --gpu 0 >/dev/null &" \
        % (PROJECT_ROOT, PROJECT_ROOT, root)
    assert train_line in lines
    # signal handling: USR1 and TERM trapped, SIGINT to the training, requeue
    # only after a time-limit stop that left the network unfinished
    assert "trap 'on_signal time-limit' USR1" in lines
    assert "trap 'on_signal terminated' TERM" in lines
    assert '    [ -z "$train_pids" ] || kill -INT $train_pids 2>/dev/null' in lines
    assert 'resumable=$([ "$stop" = time-limit ] && echo 1)' in lines
    assert '    case $s in 0|130|143) ;; *) resumable= ;; esac' in lines
    assert '    scontrol requeue "$SLURM_JOB_ID" && exit 0' in lines
    # no usable GPU (train.py's own exit status): the job fails, never requeued
    assert '    if [ "$status" -eq 3 ]; then' in lines
    assert lines.index('    if [ "$status" -eq 3 ]; then') < lines.index('    scontrol requeue "$SLURM_JOB_ID" && exit 0')
    assert lines.index("trap 'on_signal time-limit' USR1") < lines.index(train_line)
    assert lines[lines.index(train_line) + 1] == 'train_pids="$train_pids $!"'
    # the job's own GPU locks go with it
    assert 'rm -f -- %s/results/.gpu-locks/*.job"$SLURM_JOB_ID".gpu*.lock' % root in lines
    assert subprocess.run(["bash", "-n"], input=script, universal_newlines=True).returncode == 0


def test_paper_script_gpus_and_tiny_profile(cat, tmp_path):
    root = str(tmp_path / "study")
    os.makedirs(root)
    cfg = slurm.load_config(None, dict(gpus="2"))
    script = jobscript.batch_script(cat, ["half0A"], root, "paper", cfg)
    assert "#SBATCH --gres=gpu:2" in script.splitlines()
    # the job trains one network on both its GPUs (batch split, effective batch kept)
    assert " --profile paper --keep-snapshots final --gpu 0,1 --gpus-per-net 2 >/dev/null &" in script
    assert "#   caffe train --solver=results/half0A/solver.gpus2_iter_size1.prototxt --gpu=0,1 " \
        "-sigint_effect stop -sighup_effect snapshot" in script.splitlines()
    tiny = jobscript.batch_script(cat, ["half0A"], root, "tiny", cfg)
    assert "--gres" not in tiny and "--gpu" not in tiny
    assert "#   caffe train --solver=solvers/half0A.prototxt -sigint_effect stop " \
        "-sighup_effect snapshot" in tiny.splitlines()


def test_packed_paper_script(cat, tmp_path):
    """NETS_PER_GPU=2: one job, one GPU, two train.py that each take a slot of it."""
    root = str(tmp_path / "study")
    os.makedirs(root)
    cfg = slurm.load_config(None, dict(nets_per_gpu="2"))
    script = jobscript.batch_script(cat, ["half0A", "half0B"], root, "paper", cfg)
    lines = script.splitlines()
    sbatch = [l[len("#SBATCH "):] for l in lines if l.startswith("#SBATCH ")]
    assert "--job-name=half0A+half0B" in sbatch
    assert "--output=%s/results/half0A/half0A+half0B.slurm-%%j.out" % root in sbatch
    # cpus_per_task and mem are each network's: the job asks for both networks'
    assert "--cpus-per-task=8" in sbatch and "--mem=32G" in sbatch and "--gres=gpu:1" in sbatch
    trains = [l for l in lines if "scripts/train.py" in l and not l.startswith("#")]
    assert [t.split("scripts/train.py ")[1] for t in trains] == [
        "%s --root %s --profile paper --keep-snapshots final --gpu 0 --nets-per-gpu 2 "
        ">/dev/null &" % (n, root) for n in ("half0A", "half0B")]
    assert "#   half0B:" in lines and "#   caffe train --solver=solvers/half0B.prototxt --gpu=0 " \
        "-sigint_effect stop -sighup_effect snapshot" in lines
    assert "# SLURM batch job for 2 networks at once (NETS_PER_GPU=2) (paper profile), " \
        "written by" in lines
    assert subprocess.run(["bash", "-n"], input=script, universal_newlines=True).returncode == 0
    with pytest.raises(slurm.SlurmError, match=r"slurm.yaml: mem must be a whole number .* not '16GB'"):
        slurm.load_config(None, dict(mem="16GB"))
    with pytest.raises(slurm.SlurmError, match="nets_per_gpu >= 1"):
        slurm.load_config(None, dict(nets_per_gpu="0"))
    # a slurm.yaml written before nets_per_gpu existed: one network a job
    old = tmp_path / "old-slurm.yaml"
    with open(os.path.join(PROJECT_ROOT, "slurm.yaml")) as f:
        old.write_text("".join(l for l in f if not l.startswith("nets_per_gpu:")))
    assert slurm.load_config(str(old))["nets_per_gpu"] == 1


def test_packs_never_hold_a_network_and_its_base(cat):
    names = cat.expand(["halves", "transfers", "natman"], with_bases=True)
    assert slurm.packs(cat, names, 1) == [[n] for n in names]   # one job each, in order
    for k in (2, 3, 4, 7):
        jobs = slurm.packs(cat, names, k)
        assert sorted(n for job in jobs for n in job) == sorted(names)
        earlier = set()
        for job in jobs:
            assert 1 <= len(job) <= k
            for n in job:
                # each base is in an earlier job (or not submitted now)
                assert all(d in earlier or d not in names for d in cat.get(n).depends), (n, job)
            earlier.update(job)
        # no more jobs than filling each dependency level by itself would need
        level = {}
        for n in names:   # bases come first
            level[n] = 1 + max([level[d] for d in cat.get(n).depends if d in level] or [-1])
        per_level = [list(level.values()).count(v) for v in set(level.values())]
        assert len(jobs) <= sum(-(-c // k) for c in per_level), (k, per_level, len(jobs))
    assert slurm.packs(cat, ["half0A", "half0B", "half1A"], 2) == [["half0A", "half0B"], ["half1A"]]


def test_packed_dry_run(cat, tmp_path):
    root = str(tmp_path / "study")
    os.makedirs(root)
    out = io.StringIO()
    cfg = dict(paper_cfg(), nets_per_gpu=2)
    report = slurm.submit(cat, ["transfer0A0B_1_3", "transfer0B0A_1_3"], root, profile="paper",
                          cfg=cfg, dry_run=True, out=out)
    assert report == [(n, "dry-run", None) for n in
                      ("half0A", "transfer0A0B_1_3", "half0B", "transfer0B0A_1_3")]
    text = out.getvalue()
    assert "$ sbatch --parsable %s/results/half0A/half0A+half0B.sbatch\n" % root in text
    assert "$ sbatch --parsable '--dependency=afterok:<job id of half0A+half0B>' " \
        "--kill-on-invalid-dep=yes %s/results/transfer0A0B_1_3/transfer0A0B_1_3+transfer0B0A_1_3" \
        ".sbatch\n" % root in text
    assert not os.path.exists(os.path.join(root, "results"))


def test_dry_run_prints_and_submits_nothing(cat, tmp_path):
    root = str(tmp_path / "study")
    os.makedirs(root)
    out = io.StringIO()
    report = slurm.submit(cat, ["transfer0A0B_1_3"], root, profile="paper",
                          cfg=paper_cfg(), dry_run=True, out=out)
    assert [(n, a) for n, a, _ in report] == [("half0A", "dry-run"), ("transfer0A0B_1_3", "dry-run")]
    text = out.getvalue()
    assert "$ sbatch --parsable %s/results/half0A/half0A.sbatch\n" % root in text
    assert "$ sbatch --parsable '--dependency=afterok:<job id of half0A>' " \
        "--kill-on-invalid-dep=yes %s/results/transfer0A0B_1_3/transfer0A0B_1_3.sbatch\n" % root in text
    assert not os.path.exists(os.path.join(root, "results"))


def test_config_errors_name_the_file(tmp_path):
    bad = tmp_path / "slurm.yaml"
    bad.write_text("partition: gpu\ngpu: 1\n")
    with pytest.raises(slurm.SlurmError, match=r"slurm.yaml: unknown setting 'gpu'"):
        slurm.load_config(str(bad))
    bad.write_text("partition: [gpu\n")
    with pytest.raises(slurm.SlurmError, match=r"slurm.yaml:\d+: not valid YAML"):
        slurm.load_config(str(bad))
    with pytest.raises(slurm.SlurmError, match="gpus must be a whole number"):
        slurm.load_config(None, dict(gpus="two"))
    with pytest.raises(slurm.SlurmError, match=r"slurm.yaml: keep_snapshots: .* every:N"):
        slurm.load_config(None, dict(keep_snapshots="some"))
    cfg = slurm.load_config(None, dict(keep_snapshots="every:50000"))
    assert "--keep-snapshots every:50000" in " ".join(
        jobscript.train_argv(catalog.load(), "half0A", str(tmp_path), "paper", cfg))


def test_unknown_network_suggests(cat, tmp_path):
    with pytest.raises(catalog.CatalogError, match="half0A"):
        slurm.submit(cat, ["half0a"], str(tmp_path), dry_run=True, out=io.StringIO())


def test_submit_cli_reports_errors_without_traceback(tmp_path):
    p = subprocess.run(["python3", os.path.join(PROJECT_ROOT, "scripts", "submit.py"),
                        "--dry-run", "--root", str(tmp_path), "--profile", "tiny", "halvez"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    assert p.returncode == 2
    assert p.stderr.startswith("submit: ") and "halves" in p.stderr
    assert "Traceback" not in p.stderr


def test_queue_states_without_slurm(tmp_path):
    """make status on a machine without SLURM clients, with a damaged record."""
    root = str(tmp_path)
    for name, text in (("half0A", '{"job_id": 17}\n'), ("half0B", '{"job_id": \n')):
        os.makedirs(os.path.join(root, "results", name))
        with open(slurm.record_path(root, name), "w") as f:
            f.write(text)
    os.makedirs(os.path.join(root, "results", "half1A"))   # never submitted
    assert slurm.queue_states(root, env={"PATH": "/nonexistent"}) == {
        "half0A": ("UNKNOWN", "17"), "half0B": ("BAD-RECORD", None)}
    with pytest.raises(slurm.SlurmError, match=r"half0B/slurm-job.json: not a valid job record"):
        slurm.read_record(root, "half0B")
