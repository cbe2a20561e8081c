"""The GPU check's prepared inputs (in the env: needs numpy, lmdb, the catalog).

    gpu_assets.prepare(DIR)   # DIR/{paper,tiny}/: nets, solvers, synthetic LMDBs
                              # DIR/study.json: what runs/cost.py says the study costs

The GPU node (a bundle: standard library only) reads these and never the
catalog: study.json carries the study's size and the paper's speed, so the
check's projection is cost.py's arithmetic done here, once per second of
iteration time.
"""
import json
import math
import os
import shutil

NET = "netbase"
CLASSES = 10
PAPER_TRAIN, PAPER_VALID = 256, 50      # 256x256 images: one training batch
TINY_TRAIN, TINY_VALID = 400, 100       # 64x64 images: the tiny profile's resize
TWO_GPU_SOLVER = "solver.2gpu.prototxt"  # paper root: netbase's solver for 2 GPUs x 128
STUDY = "study.json"


def _pattern(rng, cls, size, noise):
    """One synthetic image (3 x size x size uint8 bytes, Caffe's CHW order) of class cls.

    A grating whose frequency and colour name the class, at a random phase, so
    random crops and mirrors keep it learnable.  Without noise its rows repeat,
    which keeps the 256x256 LMDB tiny in an xz archive.
    """
    import numpy as np
    f = 2.0 + 1.5 * cls
    phase = rng.uniform(0, 2 * math.pi)
    x = np.arange(size, dtype=np.float64)
    tint = np.array([math.cos(cls), math.sin(1.7 * cls), math.cos(2.3 * cls)])
    row = np.sin(2 * math.pi * f * x / size + phase)
    img = 128 + 60 * tint[:, None, None] * row[None, None, :] * np.ones((1, size, 1))
    if noise:
        # coarse noise (3 levels) makes the task not quite trivial, still compressible
        img = img + noise * rng.randint(-1, 2, size=img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


def _write_lmdb(path, n, size, seed, noise):
    """A Datum LMDB as Caffe's convert_imageset writes (keys %08d_<name>, raw uint8)."""
    import lmdb
    import numpy as np
    from transfer_study.data import datum as dt
    rng = np.random.RandomState(seed)
    os.makedirs(path, exist_ok=True)
    env = lmdb.open(path, map_size=1 << 31, subdir=True)
    total = np.zeros((3, size, size), np.float64)
    with env.begin(write=True) as txn:
        for i in range(n):
            cls = i % CLASSES
            img = _pattern(rng, cls, size, noise)
            total += img
            txn.put(("%08d_synthetic_%d" % (i, cls)).encode(), dt.encode(img.transpose(1, 2, 0), cls))
    env.close()
    return total / n


def study(cat):
    """The whole paper study's size and cost, as runs/cost.py reckons it."""
    from transfer_study.runs import cost
    networks, iterations = cost.study_iterations(cat, profile="paper")
    return {"networks": networks, "iterations": iterations,
            "paper_sec_per_iter": cost.PAPER_SEC_PER_ITER,
            "gpu_days_at_1_sec_per_iter": cost.gpu_days(iterations, 1.0),
            "gpu_days_paper": cost.gpu_days(iterations, cost.PAPER_SEC_PER_ITER),
            "measured_row": list(cost.MEASURED_ROW)}


def prepare(assets):
    """Nets, solvers and synthetic data of both profiles under assets/{paper,tiny}/,
    and assets/study.json."""
    from transfer_study.data import mean as meanmod
    from transfer_study.nets import catalog, netgen
    cat = catalog.load()
    made = {}
    for profile, size, ntrain, nvalid, noise in (("paper", 256, PAPER_TRAIN, PAPER_VALID, 0),
                                                 ("tiny", 64, TINY_TRAIN, TINY_VALID, 40)):
        root = os.path.join(assets, profile)
        if os.path.exists(os.path.join(root, "READY")):
            made[profile] = root
            continue
        shutil.rmtree(root, ignore_errors=True)
        exp = cat.get(NET)
        netgen.write_experiment(cat, NET, root, profile=profile, force=True)
        if profile == "paper":  # the 2-GPU run's copy (netgen's): batch 128 per GPU
            paths = netgen.write_experiment(cat, NET, root, profile=profile, gpus=2)
            shutil.copyfile(paths["solver"], os.path.join(root, TWO_GPU_SOLVER))
        for kind, n, seed in (("train", ntrain, 1), ("valid", nvalid, 2)):
            ds = exp.train_set if kind == "train" else exp.valid_set
            d = os.path.join(root, "data", ds)
            m = _write_lmdb(os.path.join(d, "lmdb"), n, size, seed, noise)
            if kind == "train":
                meanmod.write_binaryproto(m, os.path.join(d, "mean.binaryproto"))
        with open(os.path.join(root, "READY"), "w") as f:
            f.write("%s synthetic %d classes\n" % (profile, CLASSES))
        made[profile] = root
    with open(os.path.join(assets, STUDY), "w") as f:
        json.dump(study(cat), f, indent=1)
    return made
