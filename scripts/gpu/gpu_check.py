#!/usr/bin/env python3
"""Does this machine run the study right on its GPUs?  One table, exit 0 only if so.

    make gpu-check [CUDA=11.2|13] [GPU=0,1]            # in the env
    ./run-gpu-check [--gpu 0,1]                        # from an unpacked gpu-bundle

Checks, each a row of the table (about 3-6 minutes on a recent GPU):

  probe        transfer_study/runs/gpu.py: a CUDA Caffe, a driver, the GPUs; else
               "no GPU: <reason>" and exit 1 before Caffe is started
  device       `caffe device_query -gpu N`: model, compute capability, memory
  caffenet     `caffe time` of the paper's CaffeNet (netbase, batch 256), forward+
               backward ms/iteration, and its speed-up on the paper's 1.7 s/iteration (K20)
  train-200    200 iterations of netbase's paper solver (lr 0.01, momentum 0.9, ...)
               on a synthetic 256x256 LMDB: the loss must fall
  tiny-gpu/cpu the catalog's tiny netbase trained on GPU and on CPU (same seed): the
               final test accuracies must agree (within 0.10) and beat chance 3x
  2-gpu        with two or more GPUs: netbase on GPUs 0,1 at batch 128 each
               (effective batch 256, NCCL), the loss must be finite and falling

Two phases, so that a GPU node without the env can run it:
  --prepare DIR   (in the env: needs pycaffe, lmdb, numpy) writes the nets, solvers
                  and synthetic LMDBs of both profiles under DIR;
  --assets DIR    (standard library only) runs the checks with the `caffe` binary.
Without either, it prepares into a temporary directory and runs.
"""
import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
try:  # in the checkout
    sys.path.insert(0, os.path.dirname(HERE))
    from transfer_study.runs import gpu as gpuprobe
except ImportError:  # in a bundle: gpu.py lies beside this file
    sys.path.insert(0, HERE)
    import gpu as gpuprobe

PAPER_SEC_PER_ITER = 1.7  # the paper's K20, CaffeNet batch 256, forward+backward+update
NET = "netbase"
CLASSES = 10
PAPER_TRAIN, PAPER_VALID = 256, 50      # 256x256 images: one training batch
TINY_TRAIN, TINY_VALID = 400, 100       # 64x64 images: the tiny profile's resize
TRAIN_ITERS = 200
TWO_GPU_ITERS = 60
AGREE = 0.10                            # |accuracy GPU - accuracy CPU|
STEP_TIMEOUT = 300
TWO_GPU_SOLVER = "solver.2gpu.prototxt"  # paper root: netbase's solver for 2 GPUs x 128

# ---------------------------------------------------------------- bundle ---

BUNDLE_ENV_MARK = "GPU_CHECK_BUNDLE_ENV"


def _system_libs():
    """{soname: path} of the dynamic loader's cache (ldconfig -p), {} without one."""
    for exe in ("ldconfig", "/sbin/ldconfig", "/usr/sbin/ldconfig"):
        try:
            out = subprocess.run([exe, "-p"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                 timeout=30).stdout.decode("utf-8", "replace")
        except (OSError, subprocess.SubprocessError):
            continue
        libs = {}
        for m in re.finditer(r"^\s*(\S+) \(([^)]*)\) => (\S+)", out, re.M):
            if "x86-64" in m.group(2) or "64bit" in m.group(2):
                libs.setdefault(m.group(1), m.group(3))
        return libs
    return {}


def library_dirs(cuda):
    """Where CUDA's runtime libraries and NCCL may lie on a node, most explicit first."""
    import glob
    dirs = [d for d in os.environ.get("CUDA_LIBS", "").split(":") if d]
    for var in ("CUDA_HOME", "CUDA_PATH", "CUDA_ROOT"):
        if os.environ.get(var):
            dirs += [os.path.join(os.environ[var], s) for s in ("lib64", "lib",
                                                                  "targets/x86_64-linux/lib")]
    major = cuda.split(".")[0]
    tops = ["/usr/local/cuda"] + sorted(glob.glob("/usr/local/cuda-%s*" % major), reverse=True)
    dirs += [os.path.join(t, s) for t in tops for s in ("lib64", "targets/x86_64-linux/lib")]
    # NVIDIA's wheels: nvidia/<component>/lib (CUDA 11, 12) or nvidia/cu13/lib (13)
    import site
    paths = list(sys.path)
    try:
        paths += site.getsitepackages() + [site.getusersitepackages()]
    except AttributeError:  # virtualenv's old site.py
        pass
    for p in paths:
        dirs += sorted(glob.glob(os.path.join(p, "nvidia", "*", "lib")))
    seen, out = set(), []
    for d in dirs:
        if os.path.isdir(d) and os.path.realpath(d) not in seen:
            seen.add(os.path.realpath(d))
            out.append(d)
    return out


def bundle_setup(bundle):
    """(env, problems): LD_LIBRARY_PATH for a bundle's caffe on this node."""
    with open(os.path.join(bundle, "BUNDLE.json")) as f:
        info = json.load(f)
    problems = []
    have = os.confstr("CS_GNU_LIBC_VERSION").split()[-1] if hasattr(os, "confstr") else "0"
    vt = lambda v: tuple(int(x) for x in v.split(".") if x.isdigit())
    if vt(have) < vt(info["glibc_min"]):
        problems.append("this node's glibc %s is older than the bundle needs (%s)"
                        % (have, info["glibc_min"]))
    dirs = library_dirs(info["cuda"])
    system = _system_libs()
    picked, missing = [], []
    for name in info["cuda_libraries"] + [info["nccl"]]:
        where = next((d for d in dirs if os.path.exists(os.path.join(d, name))), None)
        if where is None and name in system:
            where = os.path.dirname(system[name])
        if where is None:
            if name != info["nccl"]:
                missing.append(name)
        elif where not in picked:
            picked.append(where)
    if missing:
        problems.append("CUDA %s runtime libraries not found: %s (looked in $CUDA_LIBS, "
                        "$CUDA_HOME, /usr/local/cuda*, NVIDIA's Python wheels (nvidia/*/lib) "
                        "and the loader's cache; set CUDA_LIBS=dir1:dir2)"
                        % (info["cuda"], ", ".join(missing)))
    lib = os.path.join(bundle, "lib")
    old = [d for d in os.environ.get("LD_LIBRARY_PATH", "").split(":") if d]
    env = dict(os.environ)
    # the stub last: a real NCCL anywhere before it wins
    env["LD_LIBRARY_PATH"] = ":".join([lib] + picked + old + [os.path.join(lib, "nccl-stub")])
    env[BUNDLE_ENV_MARK] = "1"
    return env, problems


# --------------------------------------------------------------- prepare ---


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


def prepare(assets):
    """Nets, solvers and synthetic data of both profiles under assets/{paper,tiny}/."""
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
    return made


# ------------------------------------------------------------------ run ---


def set_fields(text, **fields):
    """A prototxt's top-level `key: value` lines replaced (or added) by fields."""
    for k, v in fields.items():
        text = re.sub(r"(?m)^%s:.*\n" % re.escape(k), "", text)
        if isinstance(v, bool):
            v = "true" if v else "false"
        elif isinstance(v, str) and not v.isupper():
            v = '"%s"' % v
        text += "%s: %s\n" % (k, v)
    return text


def set_train_batch(text, batch):
    """The TRAIN Data layer's batch_size (the first Data layer netgen writes)."""
    return re.sub(r"batch_size: \d+", "batch_size: %d" % batch, text, count=1)


class Check(object):
    def __init__(self, caffe, gpus, work, env, log):
        self.caffe, self.gpus, self.work, self.env, self.log = caffe, gpus, work, env, log
        self.rows = []

    def row(self, name, ok, detail):
        status = {True: "PASS", False: "FAIL", None: "SKIP"}[ok]
        self.rows.append((name, status, detail))
        self.log("%-10s %-4s %s" % (name, status, detail))

    def caffe_run(self, args, cwd, tag, timeout=STEP_TIMEOUT):
        """Run caffe, its whole log to work/<tag>.log; (rc, log text)."""
        path = os.path.join(self.work, tag + ".log")
        with open(path, "wb") as out:
            try:
                rc = subprocess.run([self.caffe] + args, cwd=cwd, stdout=out,
                                    stderr=subprocess.STDOUT, timeout=timeout,
                                    env=dict(self.env, GLOG_logtostderr="1")).returncode
            except subprocess.TimeoutExpired:
                rc = "timeout after %d s" % timeout
        with open(path, encoding="utf-8", errors="replace") as f:
            return rc, f.read()

    def failure(self, rc, text, tag):
        return "rc %s: %s (log %s)" % (rc, gpuprobe.caffe_failure(text),
                                        os.path.join(self.work, tag + ".log"))

    def run_copy(self, root, solver_fields, train_batch=None, variant=None):
        """A run copy of netbase's solver (and net) under work/, paths relative to root."""
        sv = os.path.join(root, variant or os.path.join("solvers", NET + ".prototxt"))
        with open(sv) as f:
            text = f.read()
        net = re.search(r'(?m)^net: "([^"]+)"', text).group(1)
        if train_batch:
            with open(os.path.join(root, net)) as f:
                tv = set_train_batch(f.read(), train_batch)
            net = os.path.join(self.work, "train_val.b%d.prototxt" % train_batch)
            with open(net, "w") as f:
                f.write(tv)
        fields = dict(snapshot=0, snapshot_after_train=False,
                      snapshot_prefix=os.path.join(self.work, "snap"), net=os.path.join(root, net))
        fields.update(solver_fields)
        path = os.path.join(self.work, "solver.%d.prototxt" % len(os.listdir(self.work)))
        with open(path, "w") as f:
            f.write(set_fields(text, **fields))
        return path

    # -- the checks ---------------------------------------------------------

    def device(self):
        for g in self.gpus:
            rc, text = self.caffe_run(["device_query", "-gpu", str(g)], self.work, "device%d" % g)
            if rc != 0:
                self.row("device", False, self.failure(rc, text, "device%d" % g))
                return False

            def get(key):
                m = re.search(r"%s:\s+(.+)" % key, text)
                return m.group(1).strip() if m else "?"
            self.row("device", True, "GPU %d: %s, sm_%s%s, %.1f GiB" % (
                g, get("Name"), get("Major revision number"), get("Minor revision number"),
                int(get("Total global memory").replace("?", "0")) / 2.0 ** 30))
        return True

    def caffenet_time(self, paper):
        tv = os.path.join(paper, "prototxt", NET, "train_val.prototxt")
        rc, text = self.caffe_run(["time", "-model", tv, "-gpu", str(self.gpus[0]),
                                   "-iterations", "10"], paper, "caffenet-time")
        m = re.search(r"Average Forward-Backward: ([\d.]+) ms", text)
        if rc != 0 or not m:
            self.row("caffenet", False, self.failure(rc, text, "caffenet-time"))
            return
        ms = float(m.group(1))
        self.row("caffenet", True, "CaffeNet batch 256 forward+backward %.0f ms/iteration: "
                 "%.1fx the paper's K20 (%.1f s/iteration)" % (
                     ms, PAPER_SEC_PER_ITER * 1000 / ms, PAPER_SEC_PER_ITER))

    @staticmethod
    def losses(text):
        return [(int(i), float(v)) for i, v in
                re.findall(r"Iteration (\d+)(?: \([^)]*\))?, loss = ([-\d.eE+naif]+)", text)]

    def loss_falls(self, name, rc, text, tag, extra=""):
        ls = self.losses(text)
        if rc != 0 or len(ls) < 3:
            self.row(name, False, self.failure(rc, text, tag))
            return False
        first, last = ls[0][1], sum(v for _, v in ls[-2:]) / 2
        ok = all(math.isfinite(v) for _, v in ls) and last < 0.9 * first
        self.row(name, ok, "loss %.3f at iteration %d -> %.3f at %d%s%s" % (
            first, ls[0][0], ls[-1][1], ls[-1][0], extra, "" if ok else ": the loss did not fall"))
        return ok

    def train(self, paper, iters=TRAIN_ITERS, batch=None, mode_args=None, name="train-200"):
        fields = dict(max_iter=iters, display=max(1, iters // 10),
                      test_interval=10 ** 7, test_initialization=False)
        if mode_args == []:
            fields["solver_mode"] = "CPU"
        sv = self.run_copy(paper, fields, train_batch=batch)
        t0 = time.time()
        args = ["train", "-solver", sv] + (mode_args if mode_args is not None
                                          else ["-gpu", str(self.gpus[0])])
        rc, text = self.caffe_run(args, paper, name)
        dt = time.time() - t0
        return self.loss_falls(name, rc, text, name, ", %.2f s/iteration (incl. start-up)"
                               % (dt / iters))

    @staticmethod
    def accuracy(text):
        """Mean of the last 3 test accuracies (one test alone is noisy on 100 images)."""
        acc = [float(a) for a in re.findall(r"Test net output #\d+: accuracy = ([\d.]+)", text)]
        return sum(acc[-3:]) / len(acc[-3:]) if acc else None

    def tiny(self, tiny):
        results = {}
        for mode, args in (("gpu", ["-gpu", str(self.gpus[0])]), ("cpu", [])):
            sv = self.run_copy(tiny, dict(solver_mode="GPU" if mode == "gpu" else "CPU"))
            t0 = time.time()
            rc, text = self.caffe_run(["train", "-solver", sv] + args, tiny, "tiny-" + mode)
            acc = self.accuracy(text)
            if rc != 0 or acc is None:
                self.row("tiny-" + mode, False, self.failure(rc, text, "tiny-" + mode))
                return False
            results[mode] = (acc, time.time() - t0)
        (ag, tg), (ac, tc) = results["gpu"], results["cpu"]
        chance = 1.0 / CLASSES
        ok = abs(ag - ac) <= AGREE and min(ag, ac) >= 3 * chance
        self.row("tiny", ok, "tiny netbase test accuracy (mean of the last 3) GPU %.3f (%.0f s), CPU %.3f (%.0f s)"
                 "%s" % (ag, tg, ac, tc, "" if ok else ": must agree within %.2f and reach %.2f"
                         % (AGREE, 3 * chance)))
        return ok

    def two_gpu(self, paper):
        if len(self.gpus) < 2:
            self.row("2-gpu", None, "one GPU: no multi-GPU run")
            return True
        sv = self.run_copy(paper, dict(max_iter=TWO_GPU_ITERS, display=TWO_GPU_ITERS // 6,
                                       test_interval=10 ** 7, test_initialization=False),
                           variant=TWO_GPU_SOLVER)
        with open(sv) as f:
            net = re.search(r'(?m)^net: "([^"]+)"', f.read()).group(1)
        with open(net) as f:
            b = int(re.search(r"batch_size: (\d+)", f.read()).group(1))
        gl = "%d,%d" % tuple(self.gpus[:2])
        rc, text = self.caffe_run(["train", "-solver", sv, "-gpu", gl], paper, "two-gpu")
        if "NCCL" in text and rc != 0:
            self.row("2-gpu", False, self.failure(rc, text, "two-gpu") +
                     " (the node needs NCCL: pip install nvidia-nccl-cu11/cu13, or CUDA's libnccl)")
            return False
        return self.loss_falls("2-gpu", rc, text, "two-gpu",
                               ", GPUs %s at batch %d each = effective batch %d" % (gl, b, 2 * b))


def table(rows):
    w = max(len(r[0]) for r in rows)
    lines = ["%-*s  %-6s %s" % (w, "check", "result", "detail"), "-" * (w + 60)]
    lines += ["%-*s  %-6s %s" % (w, n, s, d) for n, s, d in rows]
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--gpu", default="all", help="GPU ids (default all); the first is used "
                    "for the single-GPU checks, the first two for the 2-GPU run")
    ap.add_argument("--caffe", help="caffe executable (default: $CAFFE_BIN or caffe on PATH)")
    ap.add_argument("--prepare", metavar="DIR", help="only write the nets and synthetic data")
    ap.add_argument("--assets", metavar="DIR", help="prepared nets and data (a bundle's assets/)")
    ap.add_argument("--work", metavar="DIR", help="logs and run copies (default: a temp dir)")
    ap.add_argument("--bundle", metavar="DIR", help="run from an unpacked gpu-bundle: its "
                    "caffe and assets, this node's driver and CUDA runtime libraries")
    ap.add_argument("--cpu-smoke", action="store_true",
                    help="no GPU needed: the training checks in CPU mode at a small batch, "
                    "to test this script and a build's CPU path")
    a = ap.parse_args(argv)

    if a.prepare:
        made = prepare(os.path.abspath(a.prepare))
        print("gpu-check: prepared %s" % ", ".join(sorted(made.values())))
        return 0

    if a.bundle:
        bundle = os.path.abspath(a.bundle)
        if os.environ.get(BUNDLE_ENV_MARK) != "1":
            env, problems = bundle_setup(bundle)
            if problems:
                print("no GPU: " + "; ".join(problems))
                return 1
            # the loader reads LD_LIBRARY_PATH at start-up: run again with it
            os.execve(sys.executable, [sys.executable] + sys.argv, env)
        a.caffe = a.caffe or os.path.join(bundle, "bin", "caffe")
        a.assets = a.assets or os.path.join(bundle, "assets")
    caffe = gpuprobe.find_caffe(a.caffe)
    t0 = time.time()
    log = lambda s: print("gpu-check: " + s, flush=True)
    if not a.cpu_smoke:
        p = gpuprobe.probe(a.gpu, caffe=caffe)
        if not p.ok:
            print(p.line())
            print(table([("probe", "FAIL", p.line())]))
            return 1
        log(p.line())
        gpus = [d["id"] for d in p.devices]
    else:
        if caffe is None:
            print("gpu-check: no caffe executable")
            return 1
        gpus = []

    work = os.path.abspath(a.work) if a.work else tempfile.mkdtemp(prefix="gpu-check.")
    os.makedirs(work, exist_ok=True)
    assets = os.path.abspath(a.assets) if a.assets else None
    if assets is None:
        assets = os.path.join(work, "assets")
        prepare(assets)
    paper, tiny = os.path.join(assets, "paper"), os.path.join(assets, "tiny")
    c = Check(caffe, gpus, work, dict(os.environ), log)
    if a.cpu_smoke:
        c.row("probe", None, "CPU smoke test: %s" % gpuprobe.probe(None, caffe=caffe,
                                                                    query=False).line())
        c.train(paper, iters=20, batch=8, mode_args=[], name="train-cpu")
        sv = c.run_copy(tiny, dict(solver_mode="CPU"))
        rc, text = c.caffe_run(["train", "-solver", sv], tiny, "tiny-cpu")
        acc = c.accuracy(text)
        c.row("tiny-cpu", rc == 0 and acc is not None and acc >= 3.0 / CLASSES,
              "tiny netbase final test accuracy %s" % acc if acc is not None
              else c.failure(rc, text, "tiny-cpu"))
    else:
        c.row("probe", True, p.line())
        if c.device():
            c.caffenet_time(paper)
            c.train(paper)
            c.tiny(tiny)
            c.two_gpu(paper)
    print()
    print(table(c.rows))
    failed = [r[0] for r in c.rows if r[1] == "FAIL"]
    print("gpu-check: %s in %.0f s (logs in %s)" % (
        "FAILED: " + ", ".join(failed) if failed else "all passed", time.time() - t0, work))
    with open(os.path.join(work, "gpu-check.json"), "w") as f:
        json.dump({"rows": c.rows, "seconds": time.time() - t0}, f, indent=1)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
