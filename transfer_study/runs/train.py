"""Train one network of the catalog with the env's Caffe, resumably.

    from transfer_study.nets import catalog
    from transfer_study.runs import train
    cat = catalog.load()
    status = train.run(cat, 'transfer0A0B_1_3', root='/work/main', profile='paper', gpu='0')
    attempt = train.prepare(cat, 'half0A', root, dry_run=True)   # what run() would do now

What one call does, in order (see prepare() for the decisions):

* asks runstate where the run stands: does nothing when it is done (final
  snapshot and a log that says "Optimization Done"), refuses when it is
  running (its lock is held, or another node wrote its log just now);
* takes an exclusive flock on results/<name>/<name>.lock (a second run of the
  same network refuses);
* writes the root's solver/net prototxts when they are missing (netgen);
* checks that the dataset LMDBs and means the net reads exist, naming the
  file and the make target that builds it;
* resumes from the newest complete .solverstate (--snapshot), else copies the
  base network's final weights (--weights) for init: copy, else starts fresh;
* a GPU run asks runs/gpu.py whether Caffe can use the GPUs and stops (NoGPU,
  exit NO_GPU_EXIT) when not -- no quiet CPU run; it then takes free ids of
  the GPU pool (runs/gpus.py), waiting while none is free;
* runs `caffe train` with cwd = root, its log tee'd to
  results/<name>/<name>.<YYYYmmdd-HHMMSS>.log and the terminal, SIGTERM
  turned into SIGINT (Caffe snapshots and stops only on SIGINT/SIGHUP);
* writes a provenance record <name>.<stamp>.provenance.json beside the log;
* after each snapshot, and once Caffe exits, deletes the snapshots the
  policy does not keep (runs/snapshots.py).

Exit status of the CLI: 0 only when the network is done.
"""
import datetime
import os
import shlex
import signal
import socket
import subprocess
import sys
import time

from transfer_study import PROJECT_ROOT, files, layout
from transfer_study.data import lmdb_io
from transfer_study.nets import netgen
from transfer_study.runs import runstate

STOPPED_EARLY = "Optimization stopped early"

# The make target that builds each kind of dataset (issues 3 and 4).
DATA_TARGET_WHOLE = "data"
DATA_TARGET_DERIVED = "derived"


class TrainError(Exception):
    """A user-facing problem: the message says what is wrong and what to do."""


class Locked(TrainError):
    """Another run of the same network holds its lock."""


# ------------------------------------------------------------ prototxts ---

def ensure_prototxts(cat, name, root, profile, dry_run=False):
    """Write the root's solver and nets for `name` when the solver is missing.
    Returns a note for the terminal, or None."""
    sp = layout.solver(root, name)
    if os.path.exists(sp):
        return None
    if dry_run:
        return "would first write %s (profile %s)" % (os.path.relpath(sp, root), profile)
    netgen.write_experiment(cat, name, root, profile=profile)
    if not os.path.exists(sp):
        raise TrainError("netgen.write_experiment(%r) did not write %s" % (name, sp))
    return "wrote %s and prototxt/%s/ (profile %s)" % (os.path.relpath(sp, root), name, profile)


def data_target(dataset):
    return DATA_TARGET_WHOLE if dataset.startswith("whole_") else DATA_TARGET_DERIVED


def check_datasets(root, net_path):
    """Every LMDB and mean file the net reads must exist before Caffe starts."""
    net = netgen.read_net(net_path)
    for source, mean in netgen.data_files(net):
        for rel, what in ((source, "LMDB"), (mean, "mean")):
            if not rel:
                continue
            path = os.path.join(root, rel)
            want = os.path.join(path, "data.mdb") if what == "LMDB" else path
            # lmdb_io writes its inputs record first and its completion record last
            building = what == "LMDB" and lmdb_io.read_inputs(path) is not None \
                and not lmdb_io.is_complete(path)
            dataset = layout.dataset_of(rel)
            if building:
                raise TrainError("dataset %s is incomplete: %s has no %s (still being "
                                 "built, or interrupted); finish it with `make %s`"
                                 % (dataset, path, lmdb_io.COMPLETE, data_target(dataset)))
            if not os.path.exists(want):
                hint = "make %s" % data_target(dataset)
                if not layout.is_checkout(root):
                    hint += " (for this root: %s must exist)" % layout.dataset_dir(
                        layout.data_dir(root), dataset)
                raise TrainError("dataset %s is missing: %s (the %s read by %s); build it with `%s`"
                                 % (dataset, want, what, os.path.relpath(net_path, root), hint))


# ------------------------------------------------------------- snapshots ---

def usable_state(path, root):
    """A solverstate Caffe can restore: a complete pair (snapshots.complete).
    (A run killed while writing its snapshot leaves a truncated file, which
    may still parse.)"""
    from transfer_study.runs import snapshots
    return snapshots.complete(path, root)


def later_snapshots(root, name, solver, after):
    """Snapshot files of iterations > after: Caffe would overwrite them while
    training from `after` (a caffemodel whose solverstate a kill cut short, or
    a state that would not restore)."""
    return sorted(path for it, path in layout.snapshots(root, name, None, solver.snapshot_prefix)
                  if it > after)


def set_aside(paths, stamp):
    """Rename (never delete, never overwrite) snapshot files Caffe would rewrite."""
    moved = []
    for path in paths:
        new = "%s.superseded-%s" % (path, stamp)
        os.rename(path, new)
        moved.append(new)
    return moved


def log_says(path, text):
    with open(path, "rb") as f:
        return text.encode() in f.read()


# ---------------------------------------------------------------- device ---

# train.py's exit status when a GPU run finds no usable GPU: distinct, so that
# a SLURM job fails (and is not requeued) instead of retrying on the same node.
NO_GPU_EXIT = 3


class NoGPU(TrainError):
    """A GPU solver and no GPU Caffe can use: stop before Caffe starts."""


def no_gpu_message(name, why_gpu, reason):
    return ("%s trains on the GPU (%s), but this machine cannot: %s. Caffe was not started. "
            "Run it where a CUDA build of Caffe sees a GPU, or train on the CPU explicitly "
            "with SOLVER_MODE=CPU (make %s SOLVER_MODE=CPU; scripts/train.py --solver-mode CPU), "
            "which for the paper profile takes months instead of days"
            % (name, why_gpu, reason, name))


def _caffe_env():
    env = dict(os.environ)
    env["GLOG_logtostderr"] = "1"   # glog would also write files into /tmp
    return env


# --------------------------------------------------------------- prepare ---

class Attempt(object):
    """Everything decided before Caffe starts; command is relative to root."""

    def __init__(self, name, root):
        self.name = name
        self.root = root
        self.state = None           # runstate.RunState before this attempt
        self.stamp = None           # YYYYmmdd-HHMMSS of its log, once started
        self.done = False
        self.notes = []
        self.solver = None          # path of the committed/generated solver
        self.run_solver = None      # solver Caffe reads (a run-local copy when forcing CPU)
        self.cpu_copy = None        # root-relative solver that Caffe reads a CPU copy of
        self.variant = None         # (gpus, iter_size) when Caffe reads a run-local variant
        self.snapshot = None
        self.weights = None
        self.gpu = None             # the ids Caffe's --gpu gets (None: a CPU run)
        self.gpu_pool = None        # ids the run takes its GPU(s) from (None: no pool)
        self.gpus_per_net = 1
        self.probe = None           # gpu.Probe of a GPU run (None: CPU, or not probed)
        self.why_gpu = None         # what makes it a GPU run, for the no-GPU message
        self.caffe = "caffe"
        self.max_iter = None
        self.final = None
        self.command = []

    def shell_command(self):
        return "cd %s && %s" % (shlex.quote(self.root), " ".join(shlex.quote(c) for c in self.command))


def prepare(cat, name, root, profile="paper", gpu=None, solver_mode=None, dry_run=False,
            stamp=None, caffe="caffe", iter_size=1, assume_gpu=False, gpus_per_net=1):
    """Decide what `caffe train` would run for `name` now (writes nothing when dry_run).

    gpu: the GPU pool ("0", "0,1,2,3", "all"; None: "0" for a GPU run, none
    for a CPU run), of which the run takes gpus_per_net ids.

    assume_gpu: decide for a GPU node without probing this machine's Caffe
    (a cluster's login node prepares the jobs its GPU nodes will run)."""
    exp = cat.get(name)
    root = layout.check_root(root, profile)
    a = Attempt(name, root)
    note = ensure_prototxts(cat, name, root, profile, dry_run=dry_run)
    if note:
        a.notes.append(note)
    a.solver = layout.solver(root, name)
    a.state = runstate.of(root, name, cat.max_iter(name, profile))
    if a.state.state == "broken":
        raise TrainError(broken_message(name, a.state, root, profile))
    a.max_iter, a.final = a.state.max_iter, a.state.final
    solver, file_mode = _committed_solver(cat, a, profile)
    if a.state.done:
        a.done = True
        return a
    _resume_or_copy(cat, exp, a, solver, profile, dry_run)
    mode = (solver_mode or file_mode).upper()
    if mode not in ("CPU", "GPU"):
        raise TrainError("solver mode must be CPU or GPU, not %r" % solver_mode)
    _plan_gpus(a, mode, gpu, gpus_per_net, solver_mode, caffe, dry_run, assume_gpu)
    _solver_for_caffe(a, mode, file_mode, iter_size, stamp)
    a.caffe = caffe
    a.command = caffe_command(a)
    return a


def broken_message(name, state, root, profile):
    """What to say of a network whose solver or net does not parse."""
    where = "" if layout.is_checkout(root) else " PROFILE=%s ROOT=%s" % (profile, root)
    return ("%s is broken: %s; fix the file, or regenerate it from the catalog with "
            "`make prototxts EXPERIMENTS=%s FORCE=1%s` (make check-prototxts%s lists every "
            "difference)" % (name, state.evidence, name, where, where))


def _committed_solver(cat, a, profile):
    """(the root's solver or None, the solver mode it asks for).  None only in
    a dry run of a root whose files are not written yet: the profile decides."""
    if not os.path.exists(a.solver):
        return None, cat.profile(profile)["solver_mode"]
    solver = netgen.read_solver(a.solver)
    prof_iter = cat.max_iter(a.name, profile)
    if solver.max_iter != prof_iter:
        # the solver Caffe reads is the truth (runstate, make, status, submit)
        a.notes.append("%s has max_iter %d (the %s profile's is %d): training to %d"
                       % (os.path.relpath(a.solver, a.root), solver.max_iter, profile,
                          prof_iter, solver.max_iter))
    # caffe.cpp only switches to the GPU for an explicit solver_mode: GPU
    gpu = solver.HasField("solver_mode") and solver.solver_mode == solver.GPU
    return solver, "GPU" if gpu else "CPU"


def _resume_or_copy(cat, exp, a, solver, profile, dry_run):
    """Resume from the newest usable snapshot, else copy the base's final weights.
    Resume beats copy-init: the state already holds the weights, and Caffe
    refuses --snapshot together with --weights."""
    root = a.root
    if solver is not None:
        for it, path in layout.snapshots(root, a.name, "solverstate", solver.snapshot_prefix):
            if usable_state(path, root):
                a.snapshot = os.path.relpath(path, root)
                break
            a.notes.append("skipping unreadable or incomplete %s" % os.path.relpath(path, root))
    if a.snapshot is None and exp.init == "copy":
        base_final = runstate.final_snapshot(root, exp.base, cat.max_iter(exp.base, profile))
        a.weights = os.path.relpath(base_final, root)
        if not os.path.exists(base_final) and not dry_run:
            where = "" if layout.is_checkout(root) else " PROFILE=%s ROOT=%s" % (profile, root)
            raise TrainError("%s copies layers 1..%d from %s, which is not trained: %s is missing; "
                             "train it first with `make %s%s`"
                             % (a.name, exp.n, exp.base, base_final, exp.base, where))


def _solver_for_caffe(a, mode, file_mode, iter_size, stamp):
    """The solver Caffe reads: the committed one, or a run-local copy for several
    GPUs / iter_size or for the CPU (the committed files are never edited)."""
    n_gpus = len(a.gpu.split(",")) if a.gpu is not None else 1
    run_solver = os.path.relpath(a.solver, a.root)
    if n_gpus > 1 or iter_size > 1:
        # Caffe multiplies the batch by the GPU count and iter_size: a run-local
        # copy with batch/(k*s) keeps the study's effective batch.
        a.variant = (n_gpus, iter_size)
        run_solver = layout.variant("", a.name, "solver", netgen.variant_tag(n_gpus, iter_size))
        a.notes.append("%d GPU(s) x iter_size %d: Caffe reads %s (training batch divided by %d)"
                       % (n_gpus, iter_size, run_solver, n_gpus * iter_size))
    if mode == "CPU" and file_mode == "GPU":
        # Never edit the committed solver: Caffe reads a copy beside this attempt's log.
        a.cpu_copy = run_solver
        run_solver = layout.cpu_solver_copy("", a.name, stamp or "YYYYmmdd-HHMMSS")
        a.notes.append("%s says solver_mode GPU: Caffe reads the copy %s with solver_mode CPU"
                       % (a.cpu_copy, run_solver))
    a.run_solver = run_solver


def _plan_gpus(p, mode, gpu, gpus_per_net, solver_mode, caffe, dry_run, assume_gpu):
    """The GPU side of the plan: the pool (p.gpu_pool), the ids Caffe gets until
    the pool hands out others (p.gpu, None on the CPU) and the probe's answer.
    A GPU run without a usable GPU raises NoGPU (a dry run notes it)."""
    from transfer_study.runs import gpu as gpu_probe
    from transfer_study.runs import gpus
    if gpus_per_net < 1:
        raise TrainError("GPUS_PER_NET must be >= 1, not %d" % gpus_per_net)
    spec = gpu if gpu not in (None, "") else None
    if mode == "CPU":
        if spec is not None:
            # an explicit pool still limits how many CPU runs go at once; Caffe
            # gets no --gpu (a CPU-only Caffe aborts on it)
            p.gpu_pool = _parse_pool(gpus, spec, None)
            p.gpus_per_net = gpus_per_net
        return
    spec = spec or "0"
    p.why_gpu = ("--solver-mode GPU" if (solver_mode or "").upper() == "GPU"
                 else "solver_mode GPU in %s" % os.path.relpath(p.solver, p.root))
    if not assume_gpu:
        # The build, driver and devices of the whole pool, without starting
        # Caffe on GPUs other runs may be using; `caffe device_query` asks
        # only the GPU(s) this run takes (_take_gpus).
        probe = gpu_probe.probe(None if spec.strip().lower() == "all" else _parse_pool(gpus, spec, None),
                                caffe=caffe, query=False)
        if not probe.ok:
            msg = no_gpu_message(p.name, p.why_gpu, probe.reason)
            if not dry_run:
                raise NoGPU(msg)
            p.notes.append("a run on this machine stops here: " + msg)
        else:
            p.probe = probe
    visible = (lambda: len(p.probe.devices)) if p.probe else None
    p.gpu_pool = _parse_pool(gpus, spec, visible)
    p.gpus_per_net = gpus_per_net
    if gpus_per_net > len(p.gpu_pool):
        raise TrainError("GPUS_PER_NET=%d but the GPU pool %s has %d id(s)"
                         % (gpus_per_net, spec, len(p.gpu_pool)))
    p.gpu = ",".join(str(i) for i in p.gpu_pool[:gpus_per_net])
    if len(p.gpu_pool) > gpus_per_net:
        p.notes.append("--gpu=%s until the run starts: it takes %d free GPU(s) of the pool %s"
                       % (p.gpu, gpus_per_net, ",".join(map(str, p.gpu_pool))))


def _parse_pool(gpus, spec, visible):
    try:
        return gpus.parse_ids(spec, visible)
    except gpus.PoolError as e:
        raise TrainError(str(e))


def caffe_command(p):
    """`caffe train` for the plan as it stands (relative to p.root)."""
    cmd = [p.caffe, "train", "--solver=%s" % p.run_solver]
    if p.snapshot:
        cmd.append("--snapshot=%s" % p.snapshot)
    elif p.weights:
        cmd.append("--weights=%s" % p.weights)
    if p.gpu is not None:
        cmd.append("--gpu=%s" % p.gpu)
    # SIGINT: stop, and snapshot_after_train (default true) writes the
    # snapshot; 'snapshot' would snapshot and keep training.  SIGHUP: snapshot
    # and keep going.
    cmd += ["-sigint_effect", "stop", "-sighup_effect", "snapshot"]
    return cmd


# ----------------------------------------------------------- provenance ---

def git_commit(repo=PROJECT_ROOT):
    """The checkout's commit, read from .git directly (no git inside the env)."""
    gitdir = os.path.join(repo, ".git")
    try:
        if os.path.isfile(gitdir):   # worktree: "gitdir: PATH"
            with open(gitdir) as f:
                gitdir = os.path.join(repo, f.read().split(":", 1)[1].strip())
        with open(os.path.join(gitdir, "HEAD")) as f:
            head = f.read().strip()
        if not head.startswith("ref:"):
            return head
        ref = head.split(None, 1)[1]
        refpath = os.path.join(gitdir, ref)
        if os.path.exists(refpath):
            with open(refpath) as f:
                return f.read().strip()
        packed = os.path.join(gitdir, "packed-refs")
        if os.path.exists(packed):
            with open(packed) as f:
                for line in f:
                    parts = line.split()
                    if len(parts) == 2 and parts[1] == ref:
                        return parts[0]
    except (IOError, OSError, IndexError):
        pass
    return "unknown"


def caffe_version(caffe="caffe"):
    try:
        p = subprocess.run([caffe, "--version"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           env=_caffe_env(), timeout=60)
        return p.stdout.decode("utf-8", "replace").strip().splitlines()[-1]
    except (OSError, subprocess.TimeoutExpired, IndexError):
        return "unknown"


def provenance(cat, name, p, profile, log_path):
    """The record of one attempt (p: its Attempt), written beside its log."""
    exp = cat.get(name)
    rec = {
        "name": name,
        "catalog": {"path": cat.path, "group": exp.group, "train": exp.train_set,
                    "valid": exp.valid_set, "schedule": exp.schedule, "init": exp.init,
                    "base": exp.base, "n": exp.n, "frozen": exp.frozen},
        "profile": profile,
        "root": p.root,
        "command": p.command,
        "run_solver": p.run_solver,
        "log": os.path.basename(log_path),
        "resumed_from": p.snapshot,
        # a resumed run is statistically, not bit-for-bit, the uninterrupted one
        # (docs/training.md): the record says where each resume began
        "resumed_at": layout.snapshot_iteration(p.snapshot),
        "weights": p.weights,
        "solver": {os.path.relpath(p.solver, p.root): files.file_md5(p.solver)},
        "nets": {},
        "datasets": {},
        "caffe_version": caffe_version(p.command[0]),
        "git_commit": git_commit(),
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "device": "GPU %s" % p.gpu if p.gpu is not None else "CPU",
        "start": _now_iso(),
        "end": None,
        "exit_status": None,
        "outcome": None,
    }
    solver = netgen.read_solver(p.solver)
    net_rel = solver.net or solver.train_net
    nets = [net_rel] if net_rel else []
    deploy = layout.deploy("", name)
    if os.path.exists(os.path.join(p.root, deploy)):
        nets.append(deploy)
    for rel in nets:
        path = os.path.join(p.root, rel)
        if os.path.exists(path):
            rec["nets"][rel] = files.file_md5(path)
    if net_rel and os.path.exists(os.path.join(p.root, net_rel)):
        for source, mean in netgen.data_files(netgen.read_net(os.path.join(p.root, net_rel))):
            ds = layout.dataset_of(source)
            lst = layout.files_txt(os.path.join(p.root, os.path.dirname(os.path.dirname(source))),
                                   ds)
            rec["datasets"][ds] = {"files.txt": files.file_md5(lst) if os.path.exists(lst) else None,
                                   "lmdb": source, "mean": mean or None}
    return rec


def _now_iso():
    return datetime.datetime.now().strftime("%Y-%m-%dT%H:%M:%S")


# -------------------------------------------------------------------- run ---

def acquire_lock(root, name):
    """An exclusive flock held for the whole run (and by Caffe, which inherits it)."""
    os.makedirs(layout.results_dir(root, name), exist_ok=True)
    path = layout.lock(root, name)
    fd = runstate.try_lock(path)
    if fd is None:
        holder = runstate.lock_holder(path)
        raise Locked("%s is already being trained%s (lock %s held); not starting a second run"
                     % (name, " by " + holder if holder else "", path))
    os.ftruncate(fd, 0)
    os.write(fd, ("pid %d on %s since %s\n" % (os.getpid(), socket.gethostname(), _now_iso())).encode())
    return fd


def _new_log(root, name):
    """Open a fresh results/<name>/<name>.<stamp>.log; never reuse an existing name."""
    while True:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = layout.log(root, name, stamp)
        try:
            f = open(path, "xb")
            return stamp, path, f
        except FileExistsError:
            time.sleep(1.0 - (time.time() % 1.0) + 0.01)


def _set_pdeathsig():
    """Child side: SIGINT when the wrapper dies, so Caffe snapshots and stops."""
    try:
        import ctypes
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGINT)   # PR_SET_PDEATHSIG
    except Exception:
        pass
    # A dead terminal or pipe must not kill Caffe mid-snapshot.
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    # SLURM (requeue, preemption, scancel) sends SIGTERM to every process of
    # the job, and Caffe's glog failure handler dies on it without a snapshot
    # (ignoring it is not enough: glog installs its own handler).  Blocked, it
    # stays pending; the wrapper forwards it as SIGINT, and Caffe snapshots.
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM])


def say(msg):
    sys.stderr.write("train.py: %s\n" % msg)
    sys.stderr.flush()


def run(cat, name, root, profile="paper", gpu=None, solver_mode=None, caffe="caffe", echo=True,
        iter_size=1, gpus_per_net=1, keep=None):
    """Train `name` until done or interrupted.  Returns (outcome, signal): outcome is
    'done', 'interrupted' or 'failed', signal the SIGINT/SIGTERM received or None.
    keep: the snapshot policy (snapshots.parse_policy; None: the default, final).
    Raises TrainError for problems found before Caffe starts (NoGPU: a GPU run
    without a usable GPU)."""
    from transfer_study.runs import snapshots
    try:
        policy = snapshots.parse_policy(keep)
    except snapshots.PolicyError as e:
        raise TrainError(str(e))
    root = layout.check_root(root, profile)
    cat.get(name)   # unknown names fail before anything is created
    # Before results/<name>/ is created: a finished run needs nothing (not even
    # its datasets), a live one is left alone, any other needs its datasets.
    state = runstate.of(root, name, cat.max_iter(name, profile))
    if state.state == "broken":
        raise TrainError(broken_message(name, state, root, profile))
    if state.done:
        say("%s is done (%s); nothing to do" % (name, state.evidence))
        # a run killed after Caffe finished never pruned: do it now
        sp = layout.solver(root, name)
        if os.path.exists(sp):
            _Retention(root, name, netgen.read_solver(sp), layout.snapshot_iteration(state.final),
                       policy).prune()
        return "done", None
    if state.state == "running":
        raise Locked("%s is already being trained (%s); not starting a second run"
                     % (name, state.evidence))
    sp = layout.solver(root, name)
    if os.path.exists(sp):
        check_datasets(root, _net_of(root, netgen.read_solver(sp)))
    lock_fd = acquire_lock(root, name)
    held = None
    try:
        a = prepare(cat, name, root, profile, gpu, solver_mode, stamp="PENDING", caffe=caffe,
                    iter_size=iter_size, gpus_per_net=gpus_per_net)
        for n in a.notes:
            say(n)
        if a.done:
            say("%s is done (%s); nothing to do" % (name, a.state.evidence))
            return "done", None
        held = _take_gpus(a)
        rec_path, rec, log_f = _start_attempt(
            cat, a, profile, dict(_device_record(a, held), snapshot_policy=snapshots.policy_name(policy)))
        solver = netgen.read_solver(a.solver)
        retention = _Retention(root, name, solver, a.max_iter, policy)
        status, got = _run_caffe(a, log_f, echo, [lock_fd] + (held.fds if held else []),
                                 retention.after_line)
        log_f.close()
        retention.prune()   # Caffe has exited: its last snapshot is complete or never will be
        outcome = _outcome(a, status, got, rec["log"])
        rec.update(end=_now_iso(), exit_status=status, outcome=outcome,
                   signal=(signal.Signals(got).name if got else None))
        files.write_json(rec_path, rec)
        if outcome == "done":
            say("%s done: %s" % (name, os.path.relpath(a.final, root)))
        elif outcome == "interrupted":
            say("%s interrupted; rerun the same command to resume from its newest snapshot" % name)
        else:
            say("%s failed: Caffe exited with status %s; see %s"
                % (name, status, layout.log(root, name, a.stamp)))
        return outcome, got
    finally:
        if held:
            held.release()
        os.close(lock_fd)


def _net_of(root, solver):
    return os.path.join(root, solver.net or solver.train_net)


def _start_attempt(cat, a, profile, record):
    """Everything between the decisions and Caffe: datasets checked, a new log,
    snapshots Caffe would overwrite set aside, the run-local solver copies, the
    provenance record (with `record`'s fields).  Returns (record path, record,
    open log file)."""
    root, name = a.root, a.name
    solver = netgen.read_solver(a.solver)
    check_datasets(root, _net_of(root, solver))
    a.stamp, log_path, log_f = _new_log(root, name)
    start_iter = layout.snapshot_iteration(a.snapshot) if a.snapshot else 0
    for moved in set_aside(later_snapshots(root, name, solver, start_iter), a.stamp):
        say("set aside %s (training from iteration %d would overwrite it)"
            % (os.path.relpath(moved, root), start_iter))
    if a.variant:
        netgen.write_variant(cat, name, root, a.variant[0], a.variant[1])
    if a.cpu_copy:
        from google.protobuf import text_format
        local = netgen.read_solver(os.path.join(root, a.cpu_copy))
        local.solver_mode = local.CPU
        a.run_solver = layout.cpu_solver_copy("", name, a.stamp)
        files.write_atomic(os.path.join(root, a.run_solver), text_format.MessageToString(local))
        a.command[2] = "--solver=%s" % a.run_solver
    rec_path = layout.provenance(root, name, a.stamp)
    rec = provenance(cat, name, a, profile, log_path)
    rec.update(record)
    files.write_json(rec_path, rec)
    say("%s: %s" % ("resuming from " + a.snapshot if a.snapshot else
                    ("copying weights from " + a.weights if a.weights else "starting"), name))
    say("log: %s" % log_path)
    say("$ %s" % a.shell_command())
    return rec_path, rec, log_f


def _outcome(a, status, got, log_name):
    """done, interrupted or failed: what the provenance record says of the attempt."""
    if runstate.of(a.root, a.name, a.max_iter, lock_is_ours=True).done:
        # The final snapshot is written before "Optimization Done" is logged;
        # Caffe 1.0 sometimes aborts while tearing the nets down after that
        # (BVLC/caffe#1333, "double free or corruption"): the run is complete.
        if status != 0:
            say("warning: Caffe exited with status %s after finishing; the final snapshot "
                "was written before, so %s is done" % (status, a.name))
        return "done"
    if got is not None or log_says(os.path.join(layout.results_dir(a.root, a.name), log_name),
                                   STOPPED_EARLY):
        return "interrupted"
    return "failed"


def _take_gpus(p):
    """The GPU ids of the pool this run trains on, locked until Caffe exits (it
    inherits the locks).  Waits while the pool has none free.  Inside a SLURM
    job the job's GPUs are its own: no lock.  Returns gpus.Held or None."""
    from transfer_study.runs import gpus
    if p.gpu_pool is None:
        return None
    if gpus.in_slurm_job():
        held = gpus.Held(p.gpu_pool[:p.gpus_per_net], [])
    else:
        try:
            held = gpus.take(p.root, p.gpu_pool, p.gpus_per_net, p.name, say)
        except gpus.PoolError as e:
            raise TrainError(str(e))
    ids = ",".join(str(i) for i in held.ids)
    if p.gpu is not None:
        if p.probe is not None:   # planned on this machine: Caffe itself must see these GPUs
            from transfer_study.runs import gpu as gpu_probe
            probe = gpu_probe.probe(held.ids, caffe=p.caffe)
            if not probe.ok:
                held.release()
                raise NoGPU(no_gpu_message(p.name, p.why_gpu, probe.reason))
            p.probe = probe
        p.gpu = ids
        p.command = caffe_command(p)
        say("%s trains on GPU %s" % (p.name, ids))
    else:
        say("%s holds GPU slot %s of the pool (a CPU run: Caffe gets no --gpu)" % (p.name, ids))
    return held


def _device_record(p, held):
    """The provenance record's device fields: the GPUs and what runs them."""
    rec = {"gpus": held.ids if held else None}
    if p.gpu is None:
        return rec
    pr = p.probe
    rec["device"] = "GPU %s" % p.gpu
    rec["gpu"] = None if pr is None else {
        "devices": [d for d in pr.devices if held is None or d["id"] in held.ids],
        "driver": pr.driver, "cuda_runtime": pr.cuda, "cuda_driver": pr.cuda_driver,
        "cudnn": pr.cudnn}
    for var in ("CUDA_VISIBLE_DEVICES", "SLURM_JOB_GPUS"):
        if var in os.environ:
            rec[var] = os.environ[var]
    return rec


class _Retention(object):
    """Deletes snapshots the policy does not keep, each time Caffe has written one."""

    SNAPSHOT_LINE = b"Snapshotting solver state to binary proto file"

    def __init__(self, root, name, solver, max_iter, policy):
        self.root = root
        self.prefix = os.path.join(root, solver.snapshot_prefix or layout.snapshot_prefix(name))
        self.max_iter = max_iter
        self.policy = policy
        self.pending = False

    def after_line(self, line):
        # the line after "Snapshotting solver state ..." comes once the state is written
        if self.pending:
            self.pending = False
            self.prune()
        if self.SNAPSHOT_LINE in line:
            self.pending = True

    def prune(self):
        from transfer_study.runs import snapshots
        deleted = snapshots.prune(self.root, self.prefix, self.max_iter, self.policy)
        if deleted:
            say("snapshots kept by policy %s; deleted %s" % (
                snapshots.policy_name(self.policy),
                " ".join(os.path.relpath(d, self.root) for d in deleted)))


def _run_caffe(p, log_f, echo, lock_fds, on_line=None):
    """Run Caffe, tee its output, forward SIGINT/SIGTERM as SIGINT and SIGHUP as SIGHUP.
    Returns (exit status, stopping signal received or None).  Caffe inherits the
    locks, so the network (and its GPUs) stay locked while Caffe lives even if
    this process dies."""
    got = []
    proc = subprocess.Popen(p.command, cwd=p.root, env=_caffe_env(), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            preexec_fn=_set_pdeathsig, pass_fds=tuple(lock_fds))

    def forward(signum, frame):
        got.append(signum)
        try:
            proc.send_signal(signal.SIGHUP if signum == signal.SIGHUP else signal.SIGINT)
        except OSError:
            pass

    old = {}
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        old[s] = signal.signal(s, forward)
    try:
        out = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else sys.stdout
        for line in iter(proc.stdout.readline, b""):
            log_f.write(line)
            log_f.flush()
            if on_line:
                on_line(line)
            if echo:
                try:
                    out.write(line)
                    out.flush()
                except (IOError, OSError):
                    echo = False   # terminal gone: keep logging to the file
        status = proc.wait()
    finally:
        for s, h in old.items():
            signal.signal(s, h)
    stop = [s for s in got if s != signal.SIGHUP]
    return status, (stop[0] if stop else None)
