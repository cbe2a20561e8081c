"""The provenance record of an attempt, written beside its log as
results/NAME/NAME.<stamp>.provenance.json: the catalog entry, the command,
what it resumed from (resumed_from, resumed_at) or copied (weights), the md5
of the solver, nets and dataset lists, Caffe's version, the git commit, the
host and device, and once Caffe exits its end, exit status and outcome.
"""
import datetime
import os
import socket

from transfer_study import PROJECT_ROOT, files, layout
from transfer_study.nets import netgen
from transfer_study.runs import caffe_process


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


def record(cat, name, attempt, profile, log_path):
    """The record of one attempt, written beside its log."""
    exp = cat.get(name)
    rec = {
        "name": name,
        "catalog": {"path": cat.path, "group": exp.group, "train": exp.train_set,
                    "valid": exp.valid_set, "schedule": exp.schedule, "init": exp.init,
                    "base": exp.base, "n": exp.n, "frozen": exp.frozen},
        "profile": profile,
        "root": attempt.root,
        "command": attempt.command,
        "run_solver": attempt.run_solver,
        "log": os.path.basename(log_path),
        "resumed_from": attempt.snapshot,
        # a resumed run is statistically, not bit-for-bit, the uninterrupted one
        # (docs/training.md): the record says where each resume began
        "resumed_at": layout.snapshot_iteration(attempt.snapshot),
        "weights": attempt.weights,
        "solver": {os.path.relpath(attempt.solver, attempt.root): files.file_md5(attempt.solver)},
        "nets": {},
        "datasets": {},
        "caffe_version": caffe_process.caffe_version(attempt.command[0]),
        "git_commit": git_commit(),
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "device": "GPU %s" % attempt.gpu if attempt.gpu is not None else "CPU",
        "start": now_iso(),
        "end": None,
        "exit_status": None,
        "outcome": None,
    }
    solver = netgen.read_solver(attempt.solver)
    net_rel = solver.net or solver.train_net
    nets = [net_rel] if net_rel else []
    deploy = layout.deploy("", name)
    if os.path.exists(os.path.join(attempt.root, deploy)):
        nets.append(deploy)
    for rel in nets:
        path = os.path.join(attempt.root, rel)
        if os.path.exists(path):
            rec["nets"][rel] = files.file_md5(path)
    if net_rel and os.path.exists(os.path.join(attempt.root, net_rel)):
        net = netgen.read_net(os.path.join(attempt.root, net_rel))
        for source, mean in netgen.data_files(net):
            ds = layout.dataset_of(source)
            data = os.path.join(attempt.root, os.path.dirname(os.path.dirname(source)))
            lst = layout.files_txt(data, ds)
            rec["datasets"][ds] = {"files.txt": files.file_md5(lst) if os.path.exists(lst) else None,
                                   "lmdb": source, "mean": mean or None}
    return rec


def device_record(attempt, held):
    """The provenance record's device fields: the GPUs and what runs them."""
    rec = {"gpus": held.ids if held else None}
    if held is not None and held.nets_per_gpu > 1:   # the GPU was shared: with how many, in which slot
        rec.update(nets_per_gpu=held.nets_per_gpu, gpu_slots=held.slots)
    if attempt.gpu is None:
        return rec
    pr = attempt.probe
    rec["device"] = "GPU %s" % attempt.gpu
    rec["gpu"] = None if pr is None else {
        "devices": [d for d in pr.devices if held is None or d["id"] in held.ids],
        "driver": pr.driver, "cuda_runtime": pr.cuda, "cuda_driver": pr.cuda_driver,
        "cudnn": pr.cudnn}
    for var in ("CUDA_VISIBLE_DEVICES", "SLURM_JOB_GPUS"):
        if var in os.environ:
            rec[var] = os.environ[var]
    return rec


def now_iso():
    return datetime.datetime.now().strftime("%Y-%m-%dT%H:%M:%S")
