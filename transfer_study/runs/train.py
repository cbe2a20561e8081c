"""Train one network of the catalog with the env's Caffe, resumably.

    from transfer_study.nets import catalog
    from transfer_study.runs import train
    cat = catalog.load()
    status = train.run(cat, 'transfer0A0B_1_3', root='/work/main', profile='paper', gpu='0')

What one call does, in order (see plan() for the decisions):

* takes an exclusive flock on results/<name>/<name>.lock (a second run of the
  same network refuses);
* does nothing when the final snapshot exists and a log says "Optimization Done";
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
import errno
import fcntl
import glob
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time

from transfer_study import PROJECT_ROOT, files

FINISHED = "Optimization Done"
STOPPED_EARLY = "Optimization stopped early"

# The make target that builds each kind of dataset (issues 3 and 4).
DATA_TARGET_WHOLE = "data"
DATA_TARGET_DERIVED = "derived"


class TrainError(Exception):
    """A user-facing problem: the message says what is wrong and what to do."""


class Locked(TrainError):
    """Another run of the same network holds its lock."""


# ---------------------------------------------------------------- paths ---

def results_dir(root, name):
    return os.path.join(root, "results", name)


def solver_path(root, name):
    return os.path.join(root, "solvers", "%s.prototxt" % name)


def lock_path(root, name):
    return os.path.join(results_dir(root, name), "%s.lock" % name)


def final_snapshot(root, name, max_iter, prefix=None):
    """<root>/<snapshot_prefix>_iter_<max_iter>.caffemodel (prefix default results/<name>/<name>)."""
    prefix = prefix or os.path.join("results", name, name)
    return os.path.join(root, "%s_iter_%d.caffemodel" % (prefix, max_iter))


def check_root(root, profile):
    """The tiny profile never writes into the checkout's prototxt/ and solvers/."""
    root = os.path.abspath(root)
    if profile != "paper" and os.path.realpath(root) == os.path.realpath(PROJECT_ROOT):
        raise TrainError("the %r profile runs under its own root, never in the checkout's "
                         "prototxt/ and solvers/: pass --root DIR (make ... ROOT=DIR, e.g. ROOT=demo)"
                         % profile)
    return root


# ------------------------------------------------------------ prototxts ---

def _read_text_proto(path, message):
    from google.protobuf import text_format
    try:
        with open(path) as f:
            text_format.Merge(f.read(), message)
    except (IOError, OSError) as e:
        raise TrainError("cannot read %s: %s" % (path, e.strerror or e))
    except text_format.ParseError as e:
        # ParseError's message starts with "line:column : ..."
        raise TrainError("%s:%s" % (path, e))
    return message


def read_solver(path):
    from caffe.proto import caffe_pb2
    return _read_text_proto(path, caffe_pb2.SolverParameter())


def read_net(path):
    from caffe.proto import caffe_pb2
    return _read_text_proto(path, caffe_pb2.NetParameter())


def solver_final(root, name, solver):
    """Final snapshot path of a network as its solver file defines it."""
    prefix = solver.snapshot_prefix or os.path.join("results", name, name)
    return final_snapshot(root, name, solver.max_iter, prefix)


def expected_final(cat, root, name, profile):
    """Final snapshot path: from the root's solver when it exists, else from the profile."""
    sp = solver_path(root, name)
    if os.path.exists(sp):
        return solver_final(root, name, read_solver(sp))
    return final_snapshot(root, name, cat.schedule(name, profile)["max_iter"])


def ensure_prototxts(cat, name, root, profile, dry_run=False):
    """Write the root's solver and nets for `name` when the solver is missing.
    Returns a note for the terminal, or None."""
    sp = solver_path(root, name)
    if os.path.exists(sp):
        return None
    if dry_run:
        return "would first write %s (profile %s)" % (os.path.relpath(sp, root), profile)
    from transfer_study.nets import netgen
    netgen.write_experiment(cat, name, root, profile=profile)
    if not os.path.exists(sp):
        raise TrainError("netgen.write_experiment(%r) did not write %s" % (name, sp))
    return "wrote %s and prototxt/%s/ (profile %s)" % (os.path.relpath(sp, root), name, profile)


def net_data_files(net):
    """(source, mean_file or '') of every Data layer of a NetParameter, in order."""
    out = []
    for layer in net.layer:
        if layer.type == "Data":
            out.append((layer.data_param.source, layer.transform_param.mean_file))
    return out


def data_target(dataset):
    return DATA_TARGET_WHOLE if dataset.startswith("whole_") else DATA_TARGET_DERIVED


def check_datasets(root, net_path):
    """Every LMDB and mean file the net reads must exist before Caffe starts."""
    net = read_net(net_path)
    for source, mean in net_data_files(net):
        for rel, what in ((source, "LMDB"), (mean, "mean")):
            if not rel:
                continue
            path = os.path.join(root, rel)
            want = os.path.join(path, "data.mdb") if what == "LMDB" else path
            # lmdb_io writes inputs.json first and complete.json last
            building = what == "LMDB" and os.path.exists(os.path.join(path, "inputs.json")) \
                and not os.path.exists(os.path.join(path, "complete.json"))
            if building:
                raise TrainError("dataset %s is incomplete: %s has no complete.json (still being "
                                 "built, or interrupted); finish it with `make %s`"
                                 % (_dataset_of(rel), path, data_target(_dataset_of(rel))))
            if not os.path.exists(want):
                dataset = _dataset_of(rel)
                hint = "make %s" % data_target(dataset)
                if os.path.realpath(root) != os.path.realpath(PROJECT_ROOT):
                    hint += " (for this root: %s must exist)" % os.path.join(root, "data", dataset)
                raise TrainError("dataset %s is missing: %s (the %s read by %s); build it with `%s`"
                                 % (dataset, want, what, os.path.relpath(net_path, root), hint))


def _dataset_of(rel):
    """data/half0A_train/lmdb -> half0A_train."""
    parts = os.path.normpath(rel).split(os.sep)
    if len(parts) >= 2 and parts[0] == "data":
        return parts[1]
    return os.path.basename(os.path.dirname(rel)) or rel


# ------------------------------------------------------------- snapshots ---

_STATE_RE = re.compile(r"_iter_(\d+)\.solverstate$")


def solverstates(root, name, solver):
    """[(iter, path)] of the run's .solverstate files, newest iteration first."""
    prefix = os.path.join(root, solver.snapshot_prefix or os.path.join("results", name, name))
    found = []
    for path in glob.glob(glob.escape(prefix) + "_iter_*.solverstate"):
        m = _STATE_RE.search(path)
        if m:
            found.append((int(m.group(1)), path))
    return sorted(found, reverse=True)


def usable_state(path, root):
    """A solverstate Caffe can restore: a complete pair (snapshots.complete).
    (A run killed while writing its snapshot leaves a truncated file, which
    may still parse.)"""
    from transfer_study.runs import snapshots
    return snapshots.complete(path, root)


_SNAP_RE = re.compile(r"_iter_(\d+)\.(caffemodel|solverstate)$")


def later_snapshots(root, name, solver, after):
    """Snapshot files of iterations > after: Caffe would overwrite them while
    training from `after` (a caffemodel whose solverstate a kill cut short, or
    a state that would not restore)."""
    prefix = os.path.join(root, solver.snapshot_prefix or os.path.join("results", name, name))
    out = []
    for path in glob.glob(glob.escape(prefix) + "_iter_*"):
        m = _SNAP_RE.search(path)
        if m and int(m.group(1)) > after:
            out.append(path)
    return sorted(out)


def set_aside(paths, stamp):
    """Rename (never delete, never overwrite) snapshot files Caffe would rewrite."""
    moved = []
    for path in paths:
        new = "%s.superseded-%s" % (path, stamp)
        os.rename(path, new)
        moved.append(new)
    return moved


def logs_of(root, name):
    return sorted(glob.glob(os.path.join(glob.escape(results_dir(root, name)), "%s.*.log" % name)))


def log_says(path, text):
    with open(path, "rb") as f:
        return text.encode() in f.read()


def log_finished(path):
    """The attempt logged in `path` reached max_iter.  caffe.cpp prints
    "Optimization Done." even after "Optimization stopped early." (SIGINT),
    so the first alone does not mean finished."""
    with open(path, "rb") as f:
        data = f.read()
    return FINISHED.encode() in data and STOPPED_EARLY.encode() not in data


def is_done(root, name, solver):
    """Final snapshot present and a log of this network says optimization is done."""
    if not os.path.exists(solver_final(root, name, solver)):
        return False
    return any(log_finished(p) for p in logs_of(root, name))


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


# ------------------------------------------------------------------ plan ---

class Plan(object):
    """Everything decided before Caffe starts; command is relative to root."""

    def __init__(self, name, root):
        self.name = name
        self.root = root
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


def plan(cat, name, root, profile="paper", gpu=None, solver_mode=None, dry_run=False,
         stamp=None, caffe="caffe", iter_size=1, assume_gpu=False, gpus_per_net=1):
    """Decide what `caffe train` would run for `name` now (writes nothing when dry_run).

    gpu: the GPU pool ("0", "0,1,2,3", "all"; None: "0" for a GPU run, none
    for a CPU run), of which the run takes gpus_per_net ids.
    assume_gpu: plan for a GPU node without probing this machine's Caffe
    (a cluster's login node plans the jobs its GPU nodes will run)."""
    exp = cat.get(name)
    root = check_root(root, profile)
    p = Plan(name, root)
    note = ensure_prototxts(cat, name, root, profile, dry_run=dry_run)
    if note:
        p.notes.append(note)
    p.solver = solver_path(root, name)
    if not os.path.exists(p.solver):   # dry run of a not-yet-generated root
        sched = cat.schedule(name, profile)
        p.max_iter = sched["max_iter"]
        p.final = final_snapshot(root, name, p.max_iter)
        solver = None
        file_mode = cat.profile(profile)["solver_mode"]
    else:
        solver = read_solver(p.solver)
        p.max_iter = solver.max_iter
        p.final = solver_final(root, name, solver)
        # caffe.cpp only switches to the GPU for an explicit solver_mode: GPU
        file_mode = "GPU" if (solver.HasField("solver_mode")
                              and solver.solver_mode == solver.GPU) else "CPU"
        prof_iter = cat.schedule(name, profile)["max_iter"]
        if solver.max_iter != prof_iter:
            p.notes.append("%s has max_iter %d, the %s profile %d: make's dependency files use %d"
                           % (os.path.relpath(p.solver, root), solver.max_iter, profile,
                              prof_iter, prof_iter))
        if is_done(root, name, solver):
            p.done = True
            return p

    # Resume beats copy-init: the state already holds the weights, and Caffe
    # refuses --snapshot together with --weights.
    if solver is not None:
        for it, path in solverstates(root, name, solver):
            if usable_state(path, root):
                p.snapshot = os.path.relpath(path, root)
                break
            p.notes.append("skipping unreadable or incomplete %s" % os.path.relpath(path, root))
    if p.snapshot is None and exp.init == "copy":
        base_final = expected_final(cat, root, exp.base, profile)
        p.weights = os.path.relpath(base_final, root)
        if not os.path.exists(base_final) and not dry_run:
            where = "" if os.path.realpath(root) == os.path.realpath(PROJECT_ROOT) else \
                " PROFILE=%s ROOT=%s" % (profile, root)
            raise TrainError("%s copies layers 1..%d from %s, which is not trained: %s is missing; "
                             "train it first with `make %s%s`"
                             % (name, exp.n, exp.base, base_final, exp.base, where))

    mode = (solver_mode or file_mode).upper()
    if mode not in ("CPU", "GPU"):
        raise TrainError("solver mode must be CPU or GPU, not %r" % solver_mode)
    _plan_gpus(p, mode, gpu, gpus_per_net, solver_mode, caffe, dry_run, assume_gpu)
    n_gpus = len(p.gpu.split(",")) if p.gpu is not None else 1
    run_solver = os.path.relpath(p.solver, root)
    if n_gpus > 1 or iter_size > 1:
        # Caffe multiplies the batch by the GPU count and iter_size: a run-local
        # copy with batch/(k*s) keeps the study's effective batch.
        from transfer_study.nets import netgen
        p.variant = (n_gpus, iter_size)
        run_solver = os.path.join("results", name, "solver.%s.prototxt"
                                  % netgen.variant_tag(n_gpus, iter_size))
        p.notes.append("%d GPU(s) x iter_size %d: Caffe reads %s (training batch divided by %d)"
                       % (n_gpus, iter_size, run_solver, n_gpus * iter_size))
    if mode == "CPU" and file_mode == "GPU":
        # Never edit the committed solver: Caffe reads a copy beside this attempt's log.
        p.cpu_copy = run_solver
        run_solver = os.path.join("results", name, "%s.%s.solver.prototxt"
                                  % (name, stamp or "YYYYmmdd-HHMMSS"))
        p.notes.append("%s says solver_mode GPU: Caffe reads the copy %s with solver_mode CPU"
                       % (p.cpu_copy, run_solver))
    p.run_solver = run_solver
    p.caffe = caffe
    p.command = caffe_command(p)
    return p


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
    solver = read_solver(p.solver)
    net_rel = solver.net or solver.train_net
    nets = [net_rel] if net_rel else []
    deploy = os.path.join("prototxt", name, "deploy.prototxt")
    if os.path.exists(os.path.join(p.root, deploy)):
        nets.append(deploy)
    for rel in nets:
        path = os.path.join(p.root, rel)
        if os.path.exists(path):
            rec["nets"][rel] = files.file_md5(path)
    if net_rel and os.path.exists(os.path.join(p.root, net_rel)):
        for source, mean in net_data_files(read_net(os.path.join(p.root, net_rel))):
            ds = _dataset_of(source)
            lst = os.path.join(p.root, os.path.dirname(source), "files.txt")
            rec["datasets"][ds] = {"files.txt": files.file_md5(lst) if os.path.exists(lst) else None,
                                   "lmdb": source, "mean": mean or None}
    return rec


def _now_iso():
    return datetime.datetime.now().strftime("%Y-%m-%dT%H:%M:%S")


# -------------------------------------------------------------------- run ---

def acquire_lock(root, name):
    """An exclusive flock held for the whole run (and by Caffe, which inherits it)."""
    os.makedirs(results_dir(root, name), exist_ok=True)
    path = lock_path(root, name)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (IOError, OSError) as e:
        os.close(fd)
        if e.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            holder = ""
            try:
                with open(path) as f:
                    holder = f.read().strip()
            except (IOError, OSError):
                pass
            raise Locked("%s is already being trained%s (lock %s held); not starting a second run"
                         % (name, " by " + holder if holder else "", path))
        raise
    os.ftruncate(fd, 0)
    os.write(fd, ("pid %d on %s since %s\n" % (os.getpid(), socket.gethostname(), _now_iso())).encode())
    return fd


def is_locked(root, name):
    """True when some process holds the network's lock (on this host's view of the file)."""
    path = lock_path(root, name)
    if not os.path.exists(path):
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except (IOError, OSError):
        return True
    finally:
        os.close(fd)
    return False


def _new_log(root, name):
    """Open a fresh results/<name>/<name>.<stamp>.log; never reuse an existing name."""
    while True:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = os.path.join(results_dir(root, name), "%s.%s.log" % (name, stamp))
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
    root = check_root(root, profile)
    cat.get(name)   # unknown names fail before anything is created
    sp = solver_path(root, name)
    if os.path.exists(sp):
        # before creating results/<name>/: a finished run needs nothing (not even
        # its datasets), an unfinished one needs its datasets
        solver = read_solver(sp)
        if is_done(root, name, solver):
            say("%s is done (%s exists and its log says %s); nothing to do"
                % (name, os.path.relpath(solver_final(root, name, solver), root), FINISHED))
            return "done", None
        check_datasets(root, os.path.join(root, solver.net or solver.train_net))
    lock_fd = acquire_lock(root, name)
    held = None
    try:
        stamp, log_path, log_f = None, None, None
        p = plan(cat, name, root, profile, gpu, solver_mode, stamp="PENDING", caffe=caffe,
                 iter_size=iter_size, gpus_per_net=gpus_per_net)
        for n in p.notes:
            say(n)
        if p.done:
            say("%s is done (%s exists and its log says %s); nothing to do"
                % (name, os.path.relpath(p.final, root), FINISHED))
            return "done", None
        solver = read_solver(p.solver)
        check_datasets(root, os.path.join(root, solver.net or solver.train_net))
        held = _take_gpus(p)
        stamp, log_path, log_f = _new_log(root, name)
        start_iter = int(_STATE_RE.search(p.snapshot).group(1)) if p.snapshot else 0
        for moved in set_aside(later_snapshots(root, name, solver, start_iter), stamp):
            say("set aside %s (training from iteration %d would overwrite it)"
                % (os.path.relpath(moved, root), start_iter))
        if p.variant:
            from transfer_study.nets import netgen
            netgen.write_variant(cat, name, root, p.variant[0], p.variant[1])
        if p.cpu_copy:
            from google.protobuf import text_format
            local = read_solver(os.path.join(root, p.cpu_copy))
            local.solver_mode = local.CPU
            p.run_solver = os.path.join("results", name, "%s.%s.solver.prototxt" % (name, stamp))
            files.write_atomic(os.path.join(root, p.run_solver),
                               text_format.MessageToString(local))
            p.command[2] = "--solver=%s" % p.run_solver
        rec_path = os.path.join(results_dir(root, name), "%s.%s.provenance.json" % (name, stamp))
        rec = provenance(cat, name, p, profile, log_path)
        rec.update(_device_record(p, held), snapshot_policy=snapshots.policy_name(policy))
        files.write_json(rec_path, rec)
        say("%s: %s" % ("resuming from " + p.snapshot if p.snapshot else
                        ("copying weights from " + p.weights if p.weights else "starting"), name))
        say("log: %s" % log_path)
        say("$ %s" % p.shell_command())
        retention = _Retention(root, name, solver, p.max_iter, policy)
        status, got = _run_caffe(p, log_f, echo, [lock_fd] + (held.fds if held else []),
                                 retention.after_line)
        log_f.close()
        retention.prune()   # Caffe has exited: its last snapshot is complete or never will be
        finished = log_finished(log_path) and os.path.exists(p.final)
        if finished:
            # The final snapshot is written before "Optimization Done" is logged;
            # Caffe 1.0 sometimes aborts while tearing the nets down after that
            # (BVLC/caffe#1333, "double free or corruption"): the run is complete.
            outcome = "done"
            if status != 0:
                say("warning: Caffe exited with status %s after finishing; the final snapshot "
                    "was written before, so %s is done" % (status, name))
        elif got is not None or log_says(log_path, STOPPED_EARLY):
            outcome = "interrupted"
        else:
            outcome = "failed"
        rec.update(end=_now_iso(), exit_status=status, outcome=outcome,
                   signal=(signal.Signals(got).name if got else None))
        files.write_json(rec_path, rec)
        if outcome == "done":
            say("%s done: %s" % (name, os.path.relpath(p.final, root)))
        elif outcome == "interrupted":
            say("%s interrupted; rerun the same command to resume from its newest snapshot" % name)
        else:
            say("%s failed: Caffe exited with status %s; see %s" % (name, status, log_path))
        return outcome, got
    finally:
        if held:
            held.release()
        os.close(lock_fd)


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
        self.prefix = os.path.join(root, solver.snapshot_prefix or os.path.join("results", name, name))
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
