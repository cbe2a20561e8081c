"""The GPU side of an attempt: the pool it takes its GPU(s) from, the probe's
answer, and taking free ids of the pool (runs/gpu_pool.py) until Caffe exits.
A GPU run without a usable GPU stops here (NoGPU), never quietly on the CPU.
"""
import os

from transfer_study.runs import caffe_process, gpu_pool
from transfer_study.runs.attempt import NoGPU, TrainError, say


def no_gpu_message(name, why_gpu, reason):
    return ("%s trains on the GPU (%s), but this machine cannot: %s. Caffe was not started. "
            "Run it where a CUDA build of Caffe sees a GPU, or train on the CPU explicitly "
            "with SOLVER_MODE=CPU (make %s SOLVER_MODE=CPU; scripts/train.py --solver-mode CPU), "
            "which for the paper profile takes months instead of days"
            % (name, why_gpu, reason, name))


def plan(attempt, mode, gpu, gpus_per_net, solver_mode, caffe, dry_run, assume_gpu):
    """The GPU side of the plan: the pool (attempt.gpu_pool), the ids Caffe gets until
    the pool hands out others (attempt.gpu, None on the CPU) and the probe's answer.
    A GPU run without a usable GPU raises NoGPU (a dry run notes it)."""
    from transfer_study.runs import gpu_probe
    if gpus_per_net < 1:
        raise TrainError("GPUS_PER_NET must be >= 1, not %d" % gpus_per_net)
    spec = gpu if gpu not in (None, "") else None
    if mode == "CPU":
        if spec is not None:
            # an explicit pool still limits how many CPU runs go at once; Caffe
            # gets no --gpu (a CPU-only Caffe aborts on it)
            attempt.gpu_pool = parse_pool(spec, None)
            attempt.gpus_per_net = gpus_per_net
        return
    spec = spec or "0"
    attempt.why_gpu = ("--solver-mode GPU" if (solver_mode or "").upper() == "GPU"
                       else "solver_mode GPU in %s" % os.path.relpath(attempt.solver, attempt.root))
    if not assume_gpu:
        # The build, driver and devices of the whole pool, without starting
        # Caffe on GPUs other runs may be using; `caffe device_query` asks
        # only the GPU(s) this run takes (take).
        pool = None if spec.strip().lower() == "all" else parse_pool(spec, None)
        probe = gpu_probe.probe(pool, caffe=caffe, query=False)
        if not probe.ok:
            msg = no_gpu_message(attempt.name, attempt.why_gpu, probe.reason)
            if not dry_run:
                raise NoGPU(msg)
            attempt.notes.append("a run on this machine stops here: " + msg)
        else:
            attempt.probe = probe
    visible = (lambda: len(attempt.probe.devices)) if attempt.probe else None
    attempt.gpu_pool = parse_pool(spec, visible)
    attempt.gpus_per_net = gpus_per_net
    if gpus_per_net > len(attempt.gpu_pool):
        raise TrainError("GPUS_PER_NET=%d but the GPU pool %s has %d id(s)"
                         % (gpus_per_net, spec, len(attempt.gpu_pool)))
    attempt.gpu = ",".join(str(i) for i in attempt.gpu_pool[:gpus_per_net])
    if len(attempt.gpu_pool) > gpus_per_net:
        attempt.notes.append("--gpu=%s until the run starts: it takes %d free GPU(s) of the "
                             "pool %s" % (attempt.gpu, gpus_per_net,
                                          ",".join(map(str, attempt.gpu_pool))))


def parse_pool(spec, visible):
    """GPU ids of a GPU= pool, its error a TrainError."""
    try:
        return gpu_pool.parse_ids(spec, visible)
    except gpu_pool.PoolError as e:
        raise TrainError(str(e))


def take(attempt):
    """The GPU ids of the pool this run trains on, locked until Caffe exits (it
    inherits the locks).  Waits while the pool has none free.  Inside a SLURM
    job the locks are the job's own (gpu_pool.lock_host).  Returns gpu_pool.Held
    or None."""
    if attempt.gpu_pool is None:
        return None
    try:
        held = gpu_pool.take(attempt.root, attempt.gpu_pool, attempt.gpus_per_net,
                             attempt.name, say, nets_per_gpu=attempt.nets_per_gpu)
    except gpu_pool.PoolError as e:
        raise TrainError(str(e))
    ids = ",".join(str(i) for i in held.ids)
    if attempt.gpu is not None:
        if attempt.probe is not None:   # planned on this machine: Caffe itself must see these GPUs
            from transfer_study.runs import gpu_probe
            probe = gpu_probe.probe(held.ids, caffe=attempt.caffe)
            if not probe.ok:
                held.release()
                raise NoGPU(no_gpu_message(attempt.name, attempt.why_gpu, probe.reason))
            attempt.probe = probe
        attempt.gpu = ids
        attempt.command = caffe_process.caffe_command(attempt)
        say("%s trains on GPU %s" % (attempt.name, ids))
    else:
        say("%s holds GPU slot %s of the pool (a CPU run: Caffe gets no --gpu)"
            % (attempt.name, ids))
    return held
