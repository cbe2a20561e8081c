"""The batch script of one network's SLURM job (written by make submit into
results/<name>/<name>.sbatch): its #SBATCH lines, the train.py command it
runs, and the signal handling that snapshots and requeues before the time
limit.  transfer_study/cluster/slurm.py submits it."""
import os
import shlex

from transfer_study import PROJECT_ROOT, layout
from transfer_study.runs import train


class SlurmError(Exception):
    """A user-facing problem with submitting or querying jobs."""


SCRIPT = """\
#!/bin/bash
# SLURM batch job for network {name} ({profile} profile), written by
# scripts/submit.py.  Resubmit with `make submit NETWORKS={name}`; do not edit.
{sbatch_lines}

# What train.py runs, with cwd={root}:
#   {caffe_command}

cd {root_q} || exit 1
echo "[$(date '+%F %T')] job $SLURM_JOB_ID (restart ${{SLURM_RESTART_COUNT:-0}}) on $(hostname): {name}"

# Training runs in the background so that this shell can take signals
# while it runs (bash runs a trap only between commands).
#   USR1: the time limit is near (--signal=B:USR1@{signal_seconds}): Caffe
#         snapshots on SIGINT, then this job requeues itself.
#   TERM: preemption, scancel or `scontrol requeue`: SLURM requeues (or
#         cancels) the job itself; train.py turns TERM into a snapshot too.
stop=
signalled=
train_pid=
on_signal() {{
    signalled=1
    [ -z "$stop" ] || return 0
    stop=$1
    echo "[$(date '+%F %T')] $1: asking Caffe to snapshot and stop"
    [ -z "$train_pid" ] || kill -INT "$train_pid" 2>/dev/null
}}
trap 'on_signal time-limit' USR1
trap 'on_signal terminated' TERM

# Caffe's log goes to results/{name}/{name}.<date>.log (train.py), not here.
{train_command} >/dev/null &
train_pid=$!
[ -z "$stop" ] || kill -INT "$train_pid"   # a signal that came before the start
# `wait` returns early when a trapped signal arrives; wait again until the
# training itself has exited (bash keeps a finished child's status).
while :; do
    signalled=
    wait "$train_pid"
    status=$?
    [ -n "$signalled" ] || break
done
echo "[$(date '+%F %T')] training exited with status $status"

# train.py exits {no_gpu} when this node has no usable GPU: Caffe never
# started, and a requeue would only land on the same problem.
if [ "$status" -eq {no_gpu} ]; then
    echo "[$(date '+%F %T')] no usable GPU (the reason is above): the job fails, not requeued"
    exit "$status"
fi
# train.py exits 130 when Caffe stopped on SIGINT with a snapshot (143 for
# SIGTERM); 0 means the network finished anyway, anything else is a failure.
if [ "$stop" = time-limit ] && {{ [ "$status" -eq 130 ] || [ "$status" -eq 143 ]; }}; then
    echo "[$(date '+%F %T')] requeueing job $SLURM_JOB_ID to resume from the snapshot"
    scontrol requeue "$SLURM_JOB_ID" && exit 0
    echo "scontrol requeue failed: resubmit with make submit NETWORKS={name}" >&2
fi
exit "$status"
"""


def _q(s):
    return shlex.quote(str(s))


def uses_gpu(cat, profile, cfg):
    """The paper profile trains on GPUs; the tiny one (solver_mode CPU) does not."""
    return cat.profile(profile)["solver_mode"] == "GPU" and cfg["gpus"] > 0


def sbatch_options(cat, name, root, profile, cfg):
    """The #SBATCH options of a network's job, in order."""
    opts = [
        "--job-name=%s" % name,
        "--chdir=%s" % root,
        "--output=%s" % layout.slurm_output(root, name),
        "--open-mode=append",
        "--requeue",
        "--signal=B:USR1@%d" % cfg["signal_seconds"],
        "--time=%s" % cfg["time_limit"],
        "--nodes=1",
        "--ntasks=1",
        "--cpus-per-task=%d" % cfg["cpus_per_task"],
    ]
    if cfg.get("mem"):
        opts.append("--mem=%s" % cfg["mem"])
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
    job trains one network on all its GPUs).  --gres makes SLURM set
    CUDA_VISIBLE_DEVICES, so the job's own GPUs are always numbered from 0;
    an explicit list avoids counting them."""
    if not uses_gpu(cat, profile, cfg):
        return None
    return ",".join(str(i) for i in range(cfg["gpus"]))


def train_argv(cat, name, root, profile, cfg):
    argv = [os.path.join(PROJECT_ROOT, "scripts", "in-env"), "python3",
            os.path.join(PROJECT_ROOT, "scripts", "train.py"), name,
            "--root", root, "--profile", profile, "--keep-snapshots", cfg["keep_snapshots"]]
    gpu = gpu_argument(cat, profile, cfg)
    if gpu is not None:
        argv += ["--gpu", gpu]
        if cfg["gpus"] > 1:
            argv += ["--gpus-per-net", str(cfg["gpus"])]
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


def batch_script(cat, name, root, profile, cfg):
    root = os.path.abspath(root)
    if any(c.isspace() for c in root):
        raise SlurmError("the root %r contains white space, which #SBATCH lines cannot "
                         "carry: use a path (or a symlink) without spaces" % root)
    return SCRIPT.format(
        name=name, profile=profile, root=root, root_q=_q(root),
        sbatch_lines="\n".join("#SBATCH " + o for o in sbatch_options(cat, name, root, profile, cfg)),
        caffe_command=caffe_command(cat, name, root, profile, cfg),
        signal_seconds=cfg["signal_seconds"], no_gpu=train.NO_GPU_EXIT,
        train_command=" ".join(_q(a) for a in train_argv(cat, name, root, profile, cfg)))


# --------------------------------------------------------------------------
# records and queue state
