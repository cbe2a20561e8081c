"""Submitting the study's networks to a SLURM cluster.

One network = one batch job that runs scripts/train.py (which resumes from
the newest .solverstate and exits 0 only when the network is done); with
nets_per_gpu k > 1 (NETS_PER_GPU=k) a job trains up to k networks at once on
the same GPUs, none of them waiting for another of its job.  A
transfer network's job waits for its base network's job (afterok).  Before
the time limit SLURM signals the batch shell (--signal=B:USR1@N); the shell
makes Caffe snapshot (SIGINT) and requeues the job, which then resumes from
that snapshot.  Preemption and `scontrol requeue` send SIGTERM, which
train.py turns into a snapshot as well; --requeue brings the job back.

Each submission leaves, in <root>/results/<name>/:
  <name>.sbatch           the batch script (what ran, for the record)
  <name>.slurm-<id>.out   the job's stdout/stderr, appended across requeues
  slurm-job.json          the job record: job id, submit time, command
(a packed job's script and output are in its first network's directory,
named <first>+<second>..., and each network's record names them).
The record is how a second `make submit` finds networks already queued and
how `make status` shows their SLURM state.
"""
import datetime
import json
import os
import shlex
import subprocess

from transfer_study import PROJECT_ROOT, files, layout
from transfer_study.cluster import jobscript
from transfer_study.cluster.jobscript import SlurmError
from transfer_study.runs import datasets, runstate, train

CONFIG_PATH = os.path.join(PROJECT_ROOT, "slurm.yaml")
RECORD_NAME = layout.SLURM_RECORD

# Job states in which the network's job is still alive (queued, running,
# being requeued or held): submitting again would train it twice.
ACTIVE_STATES = frozenset([
    "PENDING", "RUNNING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED",
    "SUSPENDED", "CONFIGURING", "COMPLETING", "RESIZING", "SIGNALING",
    "STAGE_OUT", "RESV_DEL_HOLD", "STOPPED", "SPECIAL_EXIT",
])

CONFIG_KEYS = {
    "partition": (str, type(None)), "account": (str, type(None)),
    "time_limit": (str,), "gpus": (int,), "cpus_per_task": (int,),
    "mem": (str, type(None)), "signal_seconds": (int,), "extra_sbatch": (list,),
    "keep_snapshots": (str,), "nets_per_gpu": (int,),
}


# --------------------------------------------------------------------------
# configuration

def load_config(path=None, overrides=None):
    """slurm.yaml as a dict, with non-empty `overrides` (make variables)
    applied on top.  Unknown keys and wrong types name the file."""
    import yaml
    path = path or CONFIG_PATH
    try:
        with open(path) as f:
            cfg = yaml.safe_load(f) or {}
    except IOError as e:
        raise SlurmError("cannot read the SLURM settings %s: %s" % (path, e.strerror))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = "%s:%d" % (path, mark.line + 1) if mark else path
        raise SlurmError("%s: not valid YAML: %s" % (where, getattr(e, "problem", e)))
    if not isinstance(cfg, dict):
        raise SlurmError("%s: expected a mapping of settings" % path)
    for key, value in (overrides or {}).items():
        if value is None or value == "":
            continue
        if key in ("gpus", "cpus_per_task", "signal_seconds", "nets_per_gpu"):
            try:
                value = int(value)
            except ValueError:
                raise SlurmError("%s must be a whole number, not %r" % (key, value))
        cfg[key] = value
    for key, value in cfg.items():
        if key not in CONFIG_KEYS:
            raise SlurmError("%s: unknown setting %r (known: %s)"
                             % (path, key, ", ".join(sorted(CONFIG_KEYS))))
        if not isinstance(value, CONFIG_KEYS[key]) or isinstance(value, bool):
            raise SlurmError("%s: %s must be %s, not %r" % (
                path, key, " or ".join(t.__name__ for t in CONFIG_KEYS[key]), value))
    cfg.setdefault("nets_per_gpu", 1)   # a slurm.yaml from before it existed still works
    missing = sorted(k for k in CONFIG_KEYS if k not in cfg)
    if missing:
        raise SlurmError("%s: missing settings: %s" % (path, ", ".join(missing)))
    if cfg["gpus"] < 0 or min(cfg["cpus_per_task"], cfg["signal_seconds"], cfg["nets_per_gpu"]) < 1:
        raise SlurmError("%s: gpus must be >= 0, cpus_per_task, signal_seconds and "
                         "nets_per_gpu >= 1" % path)
    if cfg["mem"] is not None:
        try:
            jobscript.scaled_mem(cfg["mem"], 1)
        except SlurmError as e:
            raise SlurmError("%s: %s" % (path, e))
    from transfer_study.runs import snapshots
    try:
        snapshots.parse_policy(cfg["keep_snapshots"])
    except snapshots.PolicyError as e:
        raise SlurmError("%s: keep_snapshots: %s" % (path, e))
    return cfg


def record_path(root, name):
    return layout.slurm_record(root, name)


def read_record(root, name):
    path = record_path(root, name)
    if not os.path.exists(path):
        return None
    try:
        with open(path) as f:
            rec = json.load(f)
        int(rec["job_id"])
    except (ValueError, KeyError, TypeError) as e:
        raise SlurmError("%s: not a valid job record (%s); delete it if no job of "
                         "this network is queued" % (path, e))
    return rec


def _run(argv, env=None):
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True, env=env)
    except OSError as e:
        raise SlurmError("cannot run %s: %s (is this a SLURM login node?)" % (argv[0], e))
    return p


def job_states(job_ids, env=None):
    """{job id: state} for the jobs SLURM still knows (queued, running, or
    finished within MinJobAge).  Jobs it has forgotten are absent."""
    job_ids = sorted(set(str(j) for j in job_ids))
    if not job_ids:
        return {}
    p = _run(["squeue", "--noheader", "--states=all", "--format=%i %T",
              "--jobs=" + ",".join(job_ids)], env)
    states = {}
    if p.returncode == 0:
        for line in p.stdout.splitlines():
            parts = line.split()
            if len(parts) == 2:
                states[parts[0]] = parts[1]
        return states
    # squeue fails when it knows none of the ids (20.11), or in some versions
    # any of them: ask one by one, skipping the forgotten ones.
    for j in job_ids:
        p = _run(["scontrol", "--oneliner", "show", "job", j], env)
        if p.returncode != 0:
            if "Invalid job id" in p.stderr:
                continue
            raise SlurmError("scontrol show job %s failed: %s" % (j, p.stderr.strip()))
        for field in p.stdout.split():
            if field.startswith("JobState="):
                states[j] = field.split("=", 1)[1]
    return states


def queue_states(root, env=None):
    """{network name: (state, job id)} for every network with a job record
    under <root>/results; state is SLURM's (PENDING, RUNNING, COMPLETED,
    FAILED, ...) or 'UNKNOWN' once SLURM has forgotten the job (or when no
    SLURM client is installed), or 'BAD-RECORD' (job id None) for a record
    that cannot be read.  For `make status`."""
    results = os.path.join(root, layout.RESULTS)
    records, bad = {}, {}
    if os.path.isdir(results):
        for name in sorted(os.listdir(results)):
            if not os.path.isdir(os.path.join(results, name)):
                continue
            try:
                rec = read_record(root, name)
            except SlurmError:
                bad[name] = ("BAD-RECORD", None)   # status shows it; submit explains
                continue
            if rec is not None:
                records[name] = str(rec["job_id"])
    states = {}
    if records:
        try:
            states = job_states(records.values(), env)
        except SlurmError:
            pass
    out = dict((name, (states.get(j, "UNKNOWN"), j)) for name, j in records.items())
    out.update(bad)
    return out


# --------------------------------------------------------------------------
# submitting

def missing_data(cat, names, root, profile, dry_run):
    """The dataset files (LMDBs, means) that the nets of `names` read and
    that do not exist, one line each with the networks that need them.
    Checked before queueing: on a cluster a missing dataset would otherwise
    show up only when the job starts, maybe days later."""
    from transfer_study.nets import catalog, netgen
    needed_by = {}
    order = []
    for name in names:
        net = layout.train_val(root, name)
        if not os.path.exists(net):
            if dry_run:
                continue
            train.ensure_prototxts(cat, name, root, profile)   # what train.py does first
        try:
            layers = netgen.data_files(netgen.read_net(net))
        except catalog.CatalogError as e:
            raise SlurmError(str(e))
        for source, mean in layers:
            for path in (os.path.join(root, source, "data.mdb") if source else None,
                         os.path.join(root, mean) if mean else None):
                if path and not os.path.exists(path):
                    if path not in needed_by:
                        order.append(path)
                    needed_by.setdefault(path, [])
                    if name not in needed_by[path]:
                        needed_by[path].append(name)
    lines = []
    for path in order:
        nets = needed_by[path]
        target = datasets.data_target(layout.dataset_of(os.path.relpath(path, root)))
        lines.append("%s is missing (read by %s%s); build it with `make %s`" % (
            path, ", ".join(nets[:3]), " and %d more" % (len(nets) - 3) if len(nets) > 3 else "",
            target))
    return lines


def submit(cat, tokens, root, profile="paper", cfg=None, dry_run=False, env=None,
           out=None):
    """Submit the networks named by `tokens` (names or groups, and the bases they
    need).  Returns [(name, action, job id or None)] in submission order, action
    one of 'done', 'running' (outside SLURM), 'broken' (a solver or net that does
    not parse, or such a base: not submitted, the others are), 'queued'
    (already), 'submitted', 'dry-run', 'base broken' (its base is broken: not
    submitted).  Checks every network's datasets first: on a problem nothing
    at all is submitted."""
    import sys
    out = out or sys.stdout
    root = os.path.abspath(root)
    cfg = cfg or load_config()
    if not tokens or not "".join(tokens).strip():
        raise SlurmError("no networks given: name networks or groups, "
                         "e.g. make submit NETWORKS=halves")
    names = cat.expand(tokens, with_bases=True)
    decided, states = _decide(cat, names, root, profile, dry_run, env)
    problems = missing_data(cat, [n for n, a, _, _ in decided if a in ("submit", "dry-run")],
                            root, profile, dry_run)
    if problems and not dry_run:
        raise SlurmError("nothing submitted: a job would fail at once:\n  %s"
                         % "\n  ".join(problems))
    for p in problems:
        out.write("# warning: %s\n" % p)

    job_of = {}   # name -> job id (a placeholder in a dry run) to depend on
    ended = {}    # name -> (action, job id) for the report
    for n, action, j, state in decided:
        if action in ("done", "running", "broken"):
            out.write("%-24s %s: not submitted (%s)\n" % (n, action, state.evidence))
        elif action == "base broken":
            out.write("%-24s not submitted: its base %s is broken (%s is %s)\n"
                      % (n, j, n, state.state))
            j = None
        elif action == "queued":
            out.write("%-24s already queued as job %s (%s)\n" % (n, j, states[j]))
            job_of[n] = j
        else:
            continue
        ended[n] = (action, j)
    state_of = dict((n, state) for n, _, _, state in decided)
    for job in packs(cat, [n for n, _, _, _ in decided if n not in ended], cfg["nets_per_gpu"]):
        deps = []
        for n in job:
            deps += [job_of[d] for d in cat.get(n).depends if d in job_of and job_of[d] not in deps]
        j = _sbatch(cat, job, root, profile, cfg, deps, [state_of[n] for n in job], dry_run, env, out)
        for n in job:
            job_of[n] = j
            ended[n] = ("dry-run", None) if dry_run else ("submitted", j)
    return [(n,) + ended[n] for n, _, _, _ in decided]


def packs(cat, names, k):
    """`names` (bases before the networks that copy them) as jobs of at most k
    networks each: a job's networks train at once, so none may wait for
    another of its own job; its bases are in earlier jobs, or not submitted now."""
    left, jobs = list(names), []
    while left:
        job = [n for n in left if not any(d in left for d in cat.get(n).depends)][:k]
        if not job:
            raise SlurmError("these networks wait for each other: %s" % ", ".join(left))
        left = [n for n in left if n not in job]
        jobs.append(job)
    return jobs


def _decide(cat, names, root, profile, dry_run, env):
    """([(name, action, job id, runstate)], {job id: SLURM state}): done or
    running networks (runstate, as train.py and make status see them) and
    those SLURM still holds a job of are not submitted again."""
    records = {}
    for n in names:
        rec = read_record(root, n)
        if rec is not None:
            records[n] = str(rec["job_id"])
    try:
        states = job_states(records.values(), env)
    except SlurmError:
        if not dry_run:
            raise
        states = {}
    decided = []
    for n in names:
        j = records.get(n)
        state = runstate.of(root, n, cat.max_iter(n, profile))
        broken_base = [d for d, a, _, _ in decided if a == "broken" and d in cat.get(n).depends]
        if state.state == "broken":
            decided.append((n, "broken", None, state))
        elif broken_base and not state.done:
            # its job would wait for a job never submitted
            decided.append((n, "base broken", broken_base[0], state))
        elif state.done:
            decided.append((n, "done", None, state))
        elif j is not None and states.get(j) in ACTIVE_STATES:
            decided.append((n, "queued", j, state))
        elif state.state == "running":
            decided.append((n, "running", None, state))
        else:
            decided.append((n, "dry-run" if dry_run else "submit", None, state))
    return decided, states


def _sbatch(cat, names, root, profile, cfg, deps, states, dry_run, env, out):
    """Write the batch script of the job training `names` and submit it (print
    both in a dry run); returns its job id (a placeholder in a dry run)."""
    script = jobscript.batch_script(cat, names, root, profile, cfg)
    path = layout.sbatch(root, names)
    argv = ["sbatch", "--parsable"]
    if deps:
        argv += ["--dependency=afterok:" + ":".join(deps), "--kill-on-invalid-dep=yes"]
    argv.append(path)
    if dry_run:
        for n, state in zip(names, states):
            out.write("# %s is %s\n" % (n, state))
        out.write("# ---- %s\n%s" % (path, script))
        out.write("$ %s\n\n" % " ".join(shlex.quote(a) for a in argv))
        return "<job id of %s>" % layout.slurm_job_name(names)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    files.write_atomic(path, script, mode=0o755)   # sbatch runs it
    p = _run(argv, env)
    if p.returncode != 0:
        raise SlurmError("sbatch failed for %s (%s): %s" % (
            " ".join(names), " ".join(argv), p.stderr.strip() or p.stdout.strip()))
    job_id = p.stdout.strip().split(";")[0]
    if not job_id.isdigit():
        raise SlurmError("sbatch printed no job id for %s: %r" % (" ".join(names), p.stdout))
    submitted = datetime.datetime.now().isoformat(timespec="seconds")
    output = layout.slurm_output(root, names).replace("%j", job_id)
    for n in names:
        files.write_json(record_path(root, n), dict(
            name=n, job_id=int(job_id), profile=profile, script=path, output=output,
            job_networks=names, depends_on=deps, sbatch=argv, submitted=submitted))
        others = [m for m in names if m != n]
        out.write("%-24s submitted as job %s%s%s\n" % (
            n, job_id, " with %s" % ", ".join(others) if others else "",
            " after job %s" % ",".join(deps) if deps else ""))
    return job_id
