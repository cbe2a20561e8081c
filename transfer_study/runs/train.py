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
* a GPU run asks runs/gpu_probe.py whether Caffe can use the GPUs and stops (NoGPU,
  exit NO_GPU_EXIT) when not -- no quiet CPU run; it then takes free ids of
  the GPU pool (runs/gpu_pool.py), waiting while none is free;
* runs `caffe train` with cwd = root, its log tee'd to
  results/<name>/<name>.<YYYYmmdd-HHMMSS>.log and the terminal, SIGTERM
  turned into SIGINT (Caffe snapshots and stops only on SIGINT/SIGHUP);
* writes a provenance record <name>.<stamp>.provenance.json beside the log;
* after each snapshot, and once Caffe exits, deletes the snapshots the
  policy does not keep (runs/snapshots.py).

The parts: attempt.py (the Attempt it decides, and the errors that stop one),
datasets.py (dataset checks), gpu_plan.py (GPU pool use), caffe_process.py
(the Caffe command line and process), provenance.py (the record).

Exit status of the CLI: 0 only when the network is done.
"""
import os
import signal
import socket

from transfer_study import cli, files, layout, locks
from transfer_study.nets import netgen
from transfer_study.runs import caffe_process, gpu_plan, provenance, runstate
from transfer_study.runs.attempt import (NO_GPU_EXIT, Attempt, Locked, NoGPU,  # noqa: F401
                                         TrainError, say)
from transfer_study.runs.datasets import check_datasets


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


# --------------------------------------------------------------- prepare ---

def prepare(cat, name, root, profile="paper", gpu=None, solver_mode=None, dry_run=False,
            stamp=None, caffe="caffe", iter_size=1, assume_gpu=False, gpus_per_net=1,
            nets_per_gpu=1):
    """Decide what `caffe train` would run for `name` now (writes nothing when dry_run).

    gpu: the GPU pool ("0", "0,1,2,3", "all"; None: "0" for a GPU run, none
    for a CPU run), of which the run takes gpus_per_net ids, each shared by at
    most nets_per_gpu runs.

    assume_gpu: decide for a GPU node without probing this machine's Caffe
    (a cluster's login node prepares the jobs its GPU nodes will run)."""
    exp = cat.get(name)
    root = layout.check_root(root, profile)
    attempt = Attempt(name, root)
    if nets_per_gpu < 1:
        raise TrainError("NETS_PER_GPU must be >= 1, not %d" % nets_per_gpu)
    attempt.nets_per_gpu = nets_per_gpu
    note = ensure_prototxts(cat, name, root, profile, dry_run=dry_run)
    if note:
        attempt.notes.append(note)
    attempt.solver = layout.solver(root, name)
    attempt.state = runstate.of(root, name, cat.max_iter(name, profile))
    if attempt.state.state == "broken":
        raise TrainError(broken_message(name, attempt.state, root, profile))
    attempt.max_iter, attempt.final = attempt.state.max_iter, attempt.state.final
    solver, file_mode = _committed_solver(cat, attempt, profile)
    if attempt.state.done:
        attempt.done = True
        return attempt
    _resume_or_copy(cat, exp, attempt, solver, profile, dry_run)
    mode = (solver_mode or file_mode).upper()
    if mode not in ("CPU", "GPU"):
        raise TrainError("solver mode must be CPU or GPU, not %r" % solver_mode)
    gpu_plan.plan(attempt, mode, gpu, gpus_per_net, solver_mode, caffe, dry_run, assume_gpu)
    _solver_for_caffe(attempt, mode, file_mode, iter_size, stamp)
    attempt.caffe = caffe
    attempt.command = caffe_process.caffe_command(attempt)
    return attempt


def broken_message(name, state, root, profile):
    """What to say of a network whose solver or net does not parse."""
    return ("%s is broken: %s; fix the file, or regenerate it from the catalog with "
            "`%s` (%s lists every difference)"
            % (name, state.evidence, cli.make_command("prototxts", root, profile, [name], force=True),
               cli.make_command("check-prototxts", root, profile)))


def _committed_solver(cat, attempt, profile):
    """(the root's solver or None, the solver mode it asks for).  None only in
    a dry run of a root whose files are not written yet: the profile decides."""
    if not os.path.exists(attempt.solver):
        return None, cat.profile(profile)["solver_mode"]
    solver = netgen.read_solver(attempt.solver)
    prof_iter = cat.max_iter(attempt.name, profile)
    if solver.max_iter != prof_iter:
        # the solver Caffe reads is the truth (runstate, make, status, submit)
        attempt.notes.append("%s has max_iter %d (the %s profile's is %d): training to %d"
                             % (os.path.relpath(attempt.solver, attempt.root), solver.max_iter,
                                profile, prof_iter, solver.max_iter))
    # caffe.cpp only switches to the GPU for an explicit solver_mode: GPU
    gpu = solver.HasField("solver_mode") and solver.solver_mode == solver.GPU
    return solver, "GPU" if gpu else "CPU"


def _resume_or_copy(cat, exp, attempt, solver, profile, dry_run):
    """Resume from the newest usable snapshot, else copy the base's final weights.
    Resume beats copy-init: the state already holds the weights, and Caffe
    refuses --snapshot together with --weights."""
    root = attempt.root
    if solver is not None:
        for it, path in layout.snapshots(root, attempt.name, "solverstate", solver.snapshot_prefix):
            if usable_state(path, root):
                attempt.snapshot = os.path.relpath(path, root)
                break
            attempt.notes.append("skipping unreadable or incomplete %s"
                                 % os.path.relpath(path, root))
    if attempt.snapshot is None and exp.init == "copy":
        try:
            base_final = runstate.final_snapshot(root, exp.base, cat.max_iter(exp.base, profile))
        except runstate.Broken as e:
            raise TrainError("%s copies layers 1..%d from %s, whose files are broken: %s"
                             % (attempt.name, exp.n, exp.base, e.where(root)))
        attempt.weights = os.path.relpath(base_final, root)
        if not os.path.exists(base_final) and not dry_run:
            raise TrainError("%s copies layers 1..%d from %s, which is not trained: %s is missing; "
                             "train it first with `%s`"
                             % (attempt.name, exp.n, exp.base, base_final,
                                cli.make_command(exp.base, root, profile)))


def _solver_for_caffe(attempt, mode, file_mode, iter_size, stamp):
    """The solver Caffe reads: the committed one, or a run-local copy for several
    GPUs / iter_size or for the CPU (the committed files are never edited)."""
    n_gpus = len(attempt.gpu.split(",")) if attempt.gpu is not None else 1
    run_solver = os.path.relpath(attempt.solver, attempt.root)
    if n_gpus > 1 or iter_size > 1:
        # Caffe multiplies the batch by the GPU count and iter_size: a run-local
        # copy with batch/(k*s) keeps the study's effective batch.
        attempt.variant = (n_gpus, iter_size)
        run_solver = layout.variant("", attempt.name, "solver",
                                    netgen.variant_tag(n_gpus, iter_size))
        attempt.notes.append("%d GPU(s) x iter_size %d: Caffe reads %s (training batch divided "
                             "by %d)" % (n_gpus, iter_size, run_solver, n_gpus * iter_size))
    if mode == "CPU" and file_mode == "GPU":
        # Never edit the committed solver: Caffe reads a copy beside this attempt's log.
        attempt.cpu_copy = run_solver
        run_solver = layout.cpu_solver_copy("", attempt.name, stamp or "YYYYmmdd-HHMMSS")
        attempt.notes.append("%s says solver_mode GPU: Caffe reads the copy %s with solver_mode "
                             "CPU" % (attempt.cpu_copy, run_solver))
    attempt.run_solver = run_solver


# -------------------------------------------------------------------- run ---

def acquire_lock(root, name):
    """An exclusive flock held for the whole run (and by Caffe, which inherits it)."""
    os.makedirs(layout.results_dir(root, name), exist_ok=True)
    path = layout.lock(root, name)
    fd = locks.try_lock(path)
    if fd is None:
        holder = locks.lock_holder(path)
        raise Locked("%s is already being trained%s (lock %s held); not starting a second run"
                     % (name, " by " + holder if holder else "", path))
    os.ftruncate(fd, 0)
    os.write(fd, ("pid %d on %s since %s\n" % (os.getpid(), socket.gethostname(),
                                                provenance.now_iso())).encode())
    return fd


def run(cat, name, root, profile="paper", gpu=None, solver_mode=None, caffe="caffe", echo=True,
        iter_size=1, gpus_per_net=1, keep=None, nets_per_gpu=1):
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
        attempt = prepare(cat, name, root, profile, gpu, solver_mode, stamp="PENDING",
                          caffe=caffe, iter_size=iter_size, gpus_per_net=gpus_per_net,
                          nets_per_gpu=nets_per_gpu)
        for n in attempt.notes:
            say(n)
        if attempt.done:
            say("%s is done (%s); nothing to do" % (name, attempt.state.evidence))
            return "done", None
        held = gpu_plan.take(attempt)
        rec_path, rec, log_f = _start_attempt(
            cat, attempt, profile, dict(provenance.device_record(attempt, held),
                                        snapshot_policy=snapshots.policy_name(policy)))
        solver = netgen.read_solver(attempt.solver)
        retention = _Retention(root, name, solver, attempt.max_iter, policy)
        status, got = caffe_process.run(attempt, log_f, echo,
                                        [lock_fd] + (held.fds if held else []),
                                        retention.after_line)
        log_f.close()
        retention.prune()   # Caffe has exited: its last snapshot is complete or never will be
        outcome = _outcome(attempt, status, got, rec["log"])
        rec.update(end=provenance.now_iso(), exit_status=status, outcome=outcome,
                   signal=(signal.Signals(got).name if got else None))
        files.write_json(rec_path, rec)
        if outcome == "done":
            say("%s done: %s" % (name, os.path.relpath(attempt.final, root)))
        elif outcome == "interrupted":
            say("%s interrupted; rerun the same command to resume from its newest snapshot" % name)
        else:
            say("%s failed: Caffe exited with status %s; see %s"
                % (name, status, layout.log(root, name, attempt.stamp)))
        return outcome, got
    finally:
        if held:
            held.release()
        os.close(lock_fd)


def _net_of(root, solver):
    return os.path.join(root, solver.net or solver.train_net)


def _start_attempt(cat, attempt, profile, record):
    """Everything between the decisions and Caffe: datasets checked, a new log,
    snapshots Caffe would overwrite set aside, the run-local solver copies, the
    provenance record (with `record`'s fields).  Returns (record path, record,
    open log file)."""
    root, name = attempt.root, attempt.name
    solver = netgen.read_solver(attempt.solver)
    check_datasets(root, _net_of(root, solver))
    attempt.stamp, log_path, log_f = caffe_process.new_log(root, name)
    start_iter = layout.snapshot_iteration(attempt.snapshot) if attempt.snapshot else 0
    for moved in set_aside(later_snapshots(root, name, solver, start_iter), attempt.stamp):
        say("set aside %s (training from iteration %d would overwrite it)"
            % (os.path.relpath(moved, root), start_iter))
    if attempt.variant:
        netgen.write_variant(cat, name, root, attempt.variant[0], attempt.variant[1])
    if attempt.cpu_copy:
        from google.protobuf import text_format
        local = netgen.read_solver(os.path.join(root, attempt.cpu_copy))
        local.solver_mode = local.CPU
        attempt.run_solver = layout.cpu_solver_copy("", name, attempt.stamp)
        files.write_atomic(os.path.join(root, attempt.run_solver),
                           text_format.MessageToString(local))
        attempt.command[2] = "--solver=%s" % attempt.run_solver
    rec_path = layout.provenance(root, name, attempt.stamp)
    rec = provenance.record(cat, name, attempt, profile, log_path)
    rec.update(record)
    files.write_json(rec_path, rec)
    say("%s: %s" % ("resuming from " + attempt.snapshot if attempt.snapshot else
                    ("copying weights from " + attempt.weights if attempt.weights
                     else "starting"), name))
    say("log: %s" % log_path)
    say("$ %s" % attempt.shell_command())
    return rec_path, rec, log_f


def _outcome(attempt, status, got, log_name):
    """done, interrupted or failed: what the provenance record says of the attempt."""
    if runstate.of(attempt.root, attempt.name, attempt.max_iter, lock_is_ours=True).done:
        # The final snapshot is written before "Optimization Done" is logged;
        # Caffe 1.0 sometimes aborts while tearing the nets down after that
        # (BVLC/caffe#1333, "double free or corruption"): the run is complete.
        if status != 0:
            say("warning: Caffe exited with status %s after finishing; the final snapshot "
                "was written before, so %s is done" % (status, attempt.name))
        return "done"
    log = os.path.join(layout.results_dir(attempt.root, attempt.name), log_name)
    if got is not None or caffe_process.log_says(log, caffe_process.STOPPED_EARLY):
        return "interrupted"
    return "failed"


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


