"""The batch script of a SLURM job (written by make submit into
results/<name>/<name>.sbatch): its #SBATCH lines, the train.py command(s) it
runs, and the signal handling that snapshots and requeues before the time
limit.  A job trains one network, or with NETS_PER_GPU=k up to k at once on
the same GPUs (results/<first>/<first>+<second>.sbatch).
transfer_study/cluster/slurm.py submits it."""
import os
import re
import shlex

from transfer_study import PROJECT_ROOT, layout
from transfer_study.runs import train


class SlurmError(Exception):
    """A user-facing problem with submitting or querying jobs."""


SCRIPT = """\
#!/bin/bash
# SLURM batch job for {what} ({profile} profile), written by
# scripts/submit.py.  Resubmit with `make submit NETWORKS="{names}"`; do not edit.
{sbatch_lines}

# What train.py runs, with cwd={root}:
{caffe_commands}

cd {root_q} || exit 1
echo "[$(date '+%F %T')] job $SLURM_JOB_ID (restart ${{SLURM_RESTART_COUNT:-0}}) on $(hostname): {names}"

# Training runs in the background so that this shell can take signals
# while it runs (bash runs a trap only between commands).
#   USR1: the time limit is near (--signal=B:USR1@{signal_seconds}): Caffe
#         snapshots on SIGINT, then this job requeues itself.
#   TERM: preemption, scancel or `scontrol requeue`: SLURM requeues (or
#         cancels) the job itself; train.py turns TERM into a snapshot too.
stop=
signalled=
train_pids=
on_signal() {{
    signalled=1
    [ -z "$stop" ] || return 0
    stop=$1
    echo "[$(date '+%F %T')] $1: asking Caffe to snapshot and stop"
    [ -z "$train_pids" ] || kill -INT $train_pids 2>/dev/null
}}
trap 'on_signal time-limit' USR1
trap 'on_signal terminated' TERM

# Caffe's logs go to results/<network>/<network>.<date>.log (train.py), not here.
{train_commands}
[ -z "$stop" ] || kill -INT $train_pids   # a signal that came before the start
# `wait` returns early when a trapped signal arrives; wait again until each
# training itself has exited (bash keeps a finished child's status).
statuses=
for pid in $train_pids; do
    while :; do
        signalled=
        wait "$pid"
        status=$?
        [ -n "$signalled" ] || break
    done
    statuses="$statuses $status"
done
echo "[$(date '+%F %T')] training exited with status$statuses ({names})"
# the GPU locks of this job's networks (train.py): nobody else takes them
rm -f -- {locks_q}/*.job"$SLURM_JOB_ID".gpu*.lock

# train.py exits {no_gpu} when this node has no usable GPU: Caffe never
# started, and a requeue would only land on the same problem.
for status in $statuses; do
    if [ "$status" -eq {no_gpu} ]; then
        echo "[$(date '+%F %T')] no usable GPU (the reason is above): the job fails, not requeued"
        exit "$status"
    fi
done
# train.py exits 130 when Caffe stopped on SIGINT with a snapshot (143 for
# SIGTERM); 0 means the network finished anyway, anything else is a failure
# (of the whole job: its dependants are cancelled; the others resume on the
# next make submit).
status=0
resumable=$([ "$stop" = time-limit ] && echo 1)
for s in $statuses; do
    [ "$status" -ne 0 ] || status=$s
    case $s in 0|130|143) ;; *) resumable= ;; esac
done
if [ -n "$resumable" ] && [ "$status" -ne 0 ]; then
    echo "[$(date '+%F %T')] requeueing job $SLURM_JOB_ID to resume from the snapshot"
    scontrol requeue "$SLURM_JOB_ID" && exit 0
    echo "scontrol requeue failed: resubmit with make submit NETWORKS=\"{names}\"" >&2
fi
exit "$status"
"""


def _q(s):
    return shlex.quote(str(s))


def uses_gpu(cat, profile, cfg):
    """The paper profile trains on GPUs; the tiny one (solver_mode CPU) does not."""
    return cat.profile(profile)["solver_mode"] == "GPU" and cfg["gpus"] > 0


def scaled_mem(mem, k):
    """sbatch --mem for k networks of `mem` each ("16G" -> "32G"; no unit: MB)."""
    m = re.match(r"^(\d+)([KMGT]?)$", mem.strip(), re.I)
    if m is None:
        raise SlurmError("mem must be a whole number with an optional unit K, M, G or T "
                         "(sbatch --mem), like 16G, not %r" % mem)
    return "%d%s" % (int(m.group(1)) * k, m.group(2))


def sbatch_options(cat, names, root, profile, cfg):
    """The #SBATCH options of the job of `names` (one network, or the networks a
    packed job trains at once: each gets cpus_per_task and mem), in order."""
    opts = [
        "--job-name=%s" % layout.slurm_job_name(names),
        "--chdir=%s" % root,
        "--output=%s" % layout.slurm_output(root, names),
        "--open-mode=append",
        "--requeue",
        "--signal=B:USR1@%d" % cfg["signal_seconds"],
        "--time=%s" % cfg["time_limit"],
        "--nodes=1",
        "--ntasks=1",
        "--cpus-per-task=%d" % (cfg["cpus_per_task"] * len(names)),
    ]
    if cfg.get("mem"):
        opts.append("--mem=%s" % scaled_mem(cfg["mem"], len(names)))
    if cfg.get("partition"):
        opts.append("--partition=%s" % cfg["partition"])
    if cfg.get("account"):
        opts.append("--account=%s" % cfg["account"])
    if uses_gpu(cat, profile, cfg):
        opts.append("--gres=gpu:%d" % cfg["gpus"])
    opts.extend(cfg.get("extra_sbatch") or [])
    return opts


def gpu_argument(cat, profile, cfg):
    """train.py's --gpu inside the job (with --gpus-per-net the same count: the
    job trains each network on all its GPUs).  --gres makes SLURM set
    CUDA_VISIBLE_DEVICES, so the job's own GPUs are always numbered from 0;
    an explicit list avoids counting them."""
    if not uses_gpu(cat, profile, cfg):
        return None
    return ",".join(str(i) for i in range(cfg["gpus"]))


def train_argv(cat, name, root, profile, cfg, nets=1):
    """train.py's command line for `name` in a job of `nets` networks, which
    share the job's GPUs (each takes a slot of them: --nets-per-gpu)."""
    argv = [os.path.join(PROJECT_ROOT, "scripts", "in-env"), "python3",
            os.path.join(PROJECT_ROOT, "scripts", "train.py"), name,
            "--root", root, "--profile", profile, "--keep-snapshots", cfg["keep_snapshots"]]
    gpu = gpu_argument(cat, profile, cfg)
    if gpu is not None:
        argv += ["--gpu", gpu]
        if cfg["gpus"] > 1:
            argv += ["--gpus-per-net", str(cfg["gpus"])]
        if nets > 1:
            argv += ["--nets-per-gpu", str(nets)]
    from transfer_study.nets import catalog
    if os.path.abspath(cat.path) != os.path.abspath(catalog.DEFAULT_PATH):
        argv += ["--catalog", os.path.abspath(cat.path)]
    return argv


def train_attempt(cat, name, root, profile, cfg):
    """What train.py would decide for `name` as the job would see it now
    (writes nothing).  The submitting host is usually a login node without a
    GPU, so Caffe's GPU probe is answered for the compute node: the job asks
    SLURM for its GPUs."""
    gpu = gpu_argument(cat, profile, cfg)
    try:
        return train.prepare(cat, name, root, profile, gpu, dry_run=True,
                             assume_gpu=gpu is not None,
                             gpus_per_net=cfg["gpus"] if gpu is not None else 1)
    except train.TrainError as e:
        raise SlurmError(str(e))


def caffe_command(cat, name, root, profile, cfg):
    """The Caffe command line train.py would run for `name` now, as text
    for the script's header (the job itself calls train.py, which decides
    again when it starts: --snapshot once a snapshot exists)."""
    a = train_attempt(cat, name, root, profile, cfg)
    return " ".join(_q(arg) for arg in a.command)


def batch_script(cat, names, root, profile, cfg):
    """The batch script of the job training `names` (a list: one network, or
    those a packed job trains at once on the same GPUs)."""
    root = os.path.abspath(root)
    if any(c.isspace() for c in root):
        raise SlurmError("the root %r contains white space, which #SBATCH lines cannot "
                         "carry: use a path (or a symlink) without spaces" % root)
    headers = []
    for name in names:
        if len(names) > 1:
            headers.append("#   %s:" % name)
        headers.append("#   " + caffe_command(cat, name, root, profile, cfg))
    trains = []
    for name in names:
        argv = train_argv(cat, name, root, profile, cfg, nets=len(names))
        trains.append(" ".join(_q(a) for a in argv) + " >/dev/null &")
        trains.append('train_pids="$train_pids $!"')
    return SCRIPT.format(
        what="network %s" % names[0] if len(names) == 1 else
             "%d networks at once (NETS_PER_GPU=%d)" % (len(names), len(names)),
        names=" ".join(names), profile=profile, root=root, root_q=_q(root),
        sbatch_lines="\n".join("#SBATCH " + o for o in sbatch_options(cat, names, root, profile, cfg)),
        caffe_commands="\n".join(headers),
        signal_seconds=cfg["signal_seconds"], no_gpu=train.NO_GPU_EXIT,
        locks_q=_q(layout.gpu_locks(root)), train_commands="\n".join(trains))
