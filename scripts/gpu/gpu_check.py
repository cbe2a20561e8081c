#!/usr/bin/env python3
"""What do the study's networks cost on this GPU, and does Caffe run right on it?

    make gpu-check [CUDA=11.2|13] [GPU=0,1]            # in the env
    ./run-gpu-check [--gpu 0,1]                        # from an unpacked gpu-bundle
    scripts/gpu/gpu_check.py --dry-run                 # the steps, without running them

One call of at most ~8 minutes on one GPU (--minutes; a step that no longer
fits is skipped, saying so); exit 0 only if every step passed.  The steps
(STEPS below), each a row of the table and of the CSV (--csv):

  probe          runs/gpu_probe.py: a CUDA Caffe, a driver, the GPUs: device, driver,
                 CUDA; else "no GPU: <reason>" and exit 1 before Caffe is started
  device         `caffe device_query -gpu N`: model, compute capability, memory
  caffe-tests    Caffe's own GPU-typed tests of CaffeNet's layers and solvers (the
                 binary `make caffe-tests` builds; the bundle carries it)
  caffenet       `caffe time` of the paper's CaffeNet (netbase, batch 256): forward,
                 backward, s/iteration against the paper's K20
  throughput-K   K = 1, 2, 4 networks training at once on the GPU, each with its Data
                 layer (one prefetch thread) on a synthetic 256x256 LMDB: s/iteration
                 of each, GPU memory they use
  projection     GPU-days of the study's networks at the best K (runs/cost.py's
                 figures, prepared with the assets); its s/iteration is what
                 `make cost SEC_PER_ITER=<the CSV>` reads
  train-200      200 iterations of netbase's paper solver: the loss must fall
  tiny           the catalog's tiny netbase trained on GPU and on CPU (same seed): the
                 final test accuracies must agree (within 0.10) and beat chance 3x
  2-gpu          with two or more GPUs: netbase on GPUs 0,1 at batch 128 each

Two phases, so that a GPU node without the env can run it:
  --prepare DIR   (in the env: gpu_assets.py, needs pycaffe, lmdb, numpy) writes the
                  nets, solvers, synthetic LMDBs and the study's size under DIR;
  --assets DIR    (standard library only) runs the checks with the `caffe` binary.
Without either, it prepares into the work directory and runs.
"""
import argparse
import csv
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
try:  # in the checkout: scripts/gpu/ -> the project root
    sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))
    from transfer_study.runs import gpu_probe
except ImportError:  # in a bundle: gpu_probe.py lies beside this file
    sys.path.insert(0, HERE)
    import gpu_probe
sys.path.insert(0, HERE)
from bundle_libs import BUNDLE_ENV_MARK, bundle_setup  # noqa: E402

NET = "netbase"
CLASSES = 10
TRAIN_ITERS = 200
THROUGHPUT = (1, 2, 4)                  # networks at once on one GPU
THROUGHPUT_ITERS = 50                   # each; s/iteration from the displays after 10
TWO_GPU_ITERS = 60
AGREE = 0.10                            # |accuracy GPU - accuracy CPU|
TWO_GPU_SOLVER = "solver.2gpu.prototxt"  # gpu_assets.TWO_GPU_SOLVER (the bundle has no gpu_assets)
STUDY = "study.json"                    # gpu_assets.STUDY
MINUTES = 8.0

# (step, what it measures, seconds it may take on a current GPU): --dry-run
# lists these; a step starts only if its budget fits in what is left of --minutes.
STEPS = [
    ("probe", "driver, CUDA runtime, the GPUs (no Caffe started)", 15),
    ("device", "caffe device_query -gpu N: model, compute capability, memory", 15),
    ("caffe-tests", "Caffe's GPU-typed tests of CaffeNet's layers and solvers: passed/failed", 90),
    ("caffenet", "caffe time, CaffeNet batch 256, 10 iterations: forward, backward, "
                 "s/iteration vs the paper's K20", 40),
] + [("throughput-%d" % k, "%d network%s training at once with the Data layer, %d iterations "
      "each: s/iteration, GPU memory" % (k, "" if k == 1 else "s", THROUGHPUT_ITERS), 20 + 12 * k)
     for k in THROUGHPUT] + [
    ("projection", "GPU-days of the study's networks at the best of 1, 2, 4 networks per GPU", 0),
    ("train-200", "200 iterations of the paper solver on the synthetic LMDB: the loss falls", 60),
    ("tiny", "tiny netbase on GPU and on CPU, same seed: test accuracies agree", 60),
    ("2-gpu", "netbase on two GPUs at batch 128 each (only with 2 or more GPUs)", 40),
]
BUDGET = dict((s, b) for s, _, b in STEPS)

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


def caffe_tests_binary(caffe, bundle=None):
    """(caffe_tests, GPU filter, directory to run in) of this Caffe, or None.

    The bundle's bin/caffe_tests, else the one `make caffe-tests` built in the
    env for this CUDA build (/usr/local/src/caffe-tests/<ver>/)."""
    if bundle:
        d = os.path.join(bundle, "caffe-tests")
    else:
        prefix = os.path.basename(os.path.dirname(os.path.dirname(os.path.realpath(caffe))))
        if not prefix.startswith("caffe-cuda-"):
            return None
        d = os.path.join("/usr/local/src/caffe-tests", prefix[len("caffe-cuda-"):])
    exe, filt = os.path.join(d, "caffe_tests"), os.path.join(d, "gpu-filter.txt")
    if not (os.access(exe, os.X_OK) and os.path.exists(filt)):
        return None
    with open(filt) as f:
        return exe, f.read().strip(), os.path.join(d, "testroot")


class Check(object):
    def __init__(self, caffe, gpus, work, env, log, minutes=MINUTES):
        self.caffe, self.gpus, self.work, self.env, self.log = caffe, gpus, work, env, log
        self.rows = []      # (step, PASS|FAIL|SKIP, detail)
        self.metrics = []   # (step, metric, value)
        self.deadline = time.time() + 60 * minutes
        self.n_copies = 0

    def row(self, name, ok, detail, **metrics):
        status = {True: "PASS", False: "FAIL", None: "SKIP"}[ok]
        self.rows.append((name, status, detail))
        for k, v in metrics.items():
            self.metrics.append((name, k, v))
        self.log("%-12s %-4s %s" % (name, status, detail))
        return ok

    def fits(self, name):
        """Is there time left for step `name`?  Else a SKIP row says so."""
        left = self.deadline - time.time()
        if left < BUDGET[name]:
            self.row(name, None, "skipped: %.0f s left of the check's time, the step needs ~%d s"
                     % (max(left, 0), BUDGET[name]))
            return False
        return True

    def timeout(self, name):
        """A step may overrun its budget (a slow GPU), never the check's end."""
        return max(30, min(4 * BUDGET[name] + 30, self.deadline - time.time() + 60))

    def caffe_run(self, args, cwd, tag, timeout=300):
        """Run caffe, its whole log to work/<tag>.log; (rc, log text)."""
        return self.run_logged([self.caffe] + args, cwd, tag, timeout)

    def run_logged(self, argv, cwd, tag, timeout):
        path = os.path.join(self.work, tag + ".log")
        with open(path, "wb") as out:
            try:
                rc = subprocess.run(argv, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                    timeout=timeout,
                                    env=dict(self.env, GLOG_logtostderr="1")).returncode
            except subprocess.TimeoutExpired:
                rc = "timeout after %d s" % timeout
        with open(path, encoding="utf-8", errors="replace") as f:
            return rc, f.read()

    def failure(self, rc, text, tag):
        return "rc %s: %s (log %s)" % (rc, gpu_probe.caffe_failure(text),
                                        os.path.join(self.work, tag + ".log"))

    def run_copy(self, root, solver_fields, variant=None):
        """A run copy of netbase's solver (and net) under work/, paths relative to root."""
        sv = os.path.join(root, variant or os.path.join("solvers", NET + ".prototxt"))
        with open(sv) as f:
            text = f.read()
        net = re.search(r'(?m)^net: "([^"]+)"', text).group(1)
        self.n_copies += 1
        fields = dict(snapshot=0, snapshot_after_train=False,
                      snapshot_prefix=os.path.join(self.work, "snap%d" % self.n_copies),
                      net=os.path.join(root, net))
        fields.update(solver_fields)
        path = os.path.join(self.work, "solver.%d.prototxt" % self.n_copies)
        with open(path, "w") as f:
            f.write(set_fields(text, **fields))
        return path

    def gpu_args(self):
        return ["-gpu", str(self.gpus[0])] if self.gpus else []

    # -- the steps ----------------------------------------------------------

    def device(self):
        for g in self.gpus:
            rc, text = self.caffe_run(["device_query", "-gpu", str(g)], self.work, "device%d" % g,
                                      self.timeout("device"))
            if rc != 0:
                return self.row("device", False, self.failure(rc, text, "device%d" % g))

            def get(key):
                m = re.search(r"%s:\s+(.+)" % key, text)
                return m.group(1).strip() if m else "?"
            self.row("device", True, "GPU %d: %s, sm_%s%s, %.1f GiB" % (
                g, get("Name"), get("Major revision number"), get("Minor revision number"),
                int(get("Total global memory").replace("?", "0")) / 2.0 ** 30))
        return True

    def caffe_tests(self, found):
        if found is None:
            return self.row("caffe-tests", None, "no caffe_tests binary for this build "
                            "(make caffe-tests CUDA=<ver> builds it; the bundle carries it)")
        exe, filt, cwd = found
        rc, text = self.run_logged([exe, "--gtest_filter=" + filt, str(self.gpus[0])], cwd,
                                   "caffe-tests", self.timeout("caffe-tests"))
        passed = len(re.findall(r"(?m)^\[       OK \]", text))
        m = re.search(r"(?m)^\[  FAILED  \] (\d+) tests?, listed below", text)
        failed = int(m.group(1)) if m else 0
        ok = rc == 0 and failed == 0 and passed > 0
        names = sorted(set(re.findall(r"(?m)^\[  FAILED  \] (\S+\.\S+)", text)))[:5]
        return self.row("caffe-tests", ok, "Caffe's GPU tests: %d passed, %d failed%s" % (
            passed, failed, ("" if ok else ": " + (", ".join(names) or self.failure(
                rc, text, "caffe-tests")))), passed=passed, failed=failed)

    def caffenet_time(self, paper, k20):
        tv = os.path.join(paper, "prototxt", NET, "train_val.prototxt")
        rc, text = self.caffe_run(["time", "-model", tv, "-iterations", "10"] + self.gpu_args(),
                                  paper, "caffenet-time", self.timeout("caffenet"))
        got = dict((k, re.search(r"Average %s: ([\d.]+) ms" % k, text))
                   for k in ("Forward pass", "Backward pass", "Forward-Backward"))
        if rc != 0 or not all(got.values()):
            return self.row("caffenet", False, self.failure(rc, text, "caffenet-time"))
        fw, bw, fb = (float(got[k].group(1)) for k in ("Forward pass", "Backward pass",
                                                       "Forward-Backward"))
        return self.row("caffenet", True, "CaffeNet batch 256: forward %.0f ms, backward %.0f ms, "
                        "%.3f s/iteration: %.1fx the paper's K20 (%.1f s/iteration)" % (
                            fw, bw, fb / 1000, k20 * 1000 / fb, k20),
                        forward_ms=fw, backward_ms=bw, sec_per_iter=fb / 1000)

    @staticmethod
    def losses(text):
        return [(int(i), float(v)) for i, v in
                re.findall(r"Iteration (\d+)(?: \([^)]*\))?, loss = ([-\d.eE+naif]+)", text)]

    @staticmethod
    def sec_per_iter(text, after=10):
        """Mean seconds per iteration from Caffe's displays past iteration `after`
        ("Iteration 20 (3.1 iter/s, 3.2s/10 iters)"): start-up excluded."""
        rates = [float(r) for i, r in re.findall(r"Iteration (\d+) \(([\d.eE+-]+) iter/s", text)
                 if int(i) > after]
        return sum(1.0 / r for r in rates if r > 0) / len(rates) if rates else None

    def throughput(self, paper, k, iters=THROUGHPUT_ITERS):
        """k networks training at once on the first GPU: (s/iteration of each, MiB) or None."""
        name = "throughput-%d" % k
        sampler = gpu_probe.MemorySampler(self.gpus[0]) if self.gpus else None
        procs = []
        try:
            for j in range(k):
                sv = self.run_copy(paper, dict(max_iter=iters, display=10, test_interval=10 ** 7,
                                               test_initialization=False,
                                               solver_mode="GPU" if self.gpus else "CPU",
                                               random_seed=j + 1))
                log = open(os.path.join(self.work, "%s.%d.log" % (name, j)), "wb")
                procs.append((subprocess.Popen([self.caffe, "train", "-solver", sv] + self.gpu_args(),
                                               cwd=paper, stdout=log, stderr=subprocess.STDOUT,
                                               env=dict(self.env, GLOG_logtostderr="1")), log))
            end = time.time() + self.timeout(name)
            for p, _ in procs:
                try:
                    p.wait(max(1, end - time.time()))
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        finally:
            for p, log in procs:
                if p.poll() is None:
                    p.kill()
                    p.wait()
                log.close()
            mem = sampler.stop() if sampler else None
        each = []
        for j, (p, _) in enumerate(procs):
            tag = "%s.%d" % (name, j)
            with open(os.path.join(self.work, tag + ".log"), encoding="utf-8", errors="replace") as f:
                text = f.read()
            s = self.sec_per_iter(text)
            if p.returncode != 0 or s is None:
                self.row(name, False, self.failure(p.returncode, text, tag))
                return None
            each.append(s)
        mean = sum(each) / k
        self.row(name, True, "%d network%s at once: %s s/iteration%s; %.3f GPU-seconds per "
                 "network-iteration" % (k, "" if k == 1 else "s", ", ".join("%.3f" % s for s in each),
                                        ", GPU memory %d MiB" % mem if mem is not None else "",
                                        mean / k),
                 sec_per_iter=round(mean, 4), gpu_memory_mib=mem)
        return mean, mem

    def projection(self, measured, study):
        """The study's GPU-days at the best number of networks per GPU."""
        if not measured:
            return self.row("projection", None, "no throughput measured")
        k, (s, _) = min(measured.items(), key=lambda kv: kv[1][0] / kv[0])
        eff = s / k
        days = study["gpu_days_at_1_sec_per_iter"] * eff
        return self.row("projection", True, "%d networks, %s iterations: %.0f GPU-days at %d "
                        "network%s per GPU (%.3f GPU-s/iteration), vs %.0f at the K20's %.1f s"
                        % (study["networks"], "{:,}".format(study["iterations"]), days, k,
                           "" if k == 1 else "s", eff, study["gpu_days_paper"],
                           study["paper_sec_per_iter"]),
                        sec_per_iter=round(eff, 4), gpu_days=round(days, 1), nets_per_gpu=k,
                        gpu_days_k20=round(study["gpu_days_paper"], 1))

    def loss_falls(self, name, rc, text, tag, extra=""):
        ls = self.losses(text)
        if rc != 0 or len(ls) < 3:
            return self.row(name, False, self.failure(rc, text, tag))
        first, last = ls[0][1], sum(v for _, v in ls[-2:]) / 2
        ok = all(math.isfinite(v) for _, v in ls) and last < 0.9 * first
        return self.row(name, ok, "loss %.3f at iteration %d -> %.3f at %d%s%s" % (
            first, ls[0][0], ls[-1][1], ls[-1][0], extra, "" if ok else ": the loss did not fall"),
            loss_first=first, loss_last=ls[-1][1])

    def train(self, paper, iters=TRAIN_ITERS, name="train-200"):
        fields = dict(max_iter=iters, display=max(1, iters // 10), test_interval=10 ** 7,
                      test_initialization=False, solver_mode="GPU" if self.gpus else "CPU")
        sv = self.run_copy(paper, fields)
        rc, text = self.caffe_run(["train", "-solver", sv] + self.gpu_args(), paper, name,
                                  self.timeout(name) if name in BUDGET else 300)
        s = self.sec_per_iter(text, after=iters // 10)
        return self.loss_falls(name, rc, text, name, ", %.3f s/iteration" % s if s else "")

    @staticmethod
    def accuracy(text):
        """Mean of the last 3 test accuracies (one test alone is noisy on 100 images)."""
        acc = [float(a) for a in re.findall(r"Test net output #\d+: accuracy = ([\d.]+)", text)]
        return sum(acc[-3:]) / len(acc[-3:]) if acc else None

    def tiny(self, tiny):
        results = {}
        for mode, args in (("gpu", self.gpu_args()), ("cpu", [])):
            sv = self.run_copy(tiny, dict(solver_mode=mode.upper()))
            t0 = time.time()
            rc, text = self.caffe_run(["train", "-solver", sv] + args, tiny, "tiny-" + mode,
                                      self.timeout("tiny"))
            acc = self.accuracy(text)
            if rc != 0 or acc is None:
                return self.row("tiny", False, "%s: %s" % (mode, self.failure(rc, text, "tiny-" + mode)))
            results[mode] = (acc, time.time() - t0)
        (ag, tg), (ac, tc) = results["gpu"], results["cpu"]
        chance = 1.0 / CLASSES
        ok = abs(ag - ac) <= AGREE and min(ag, ac) >= 3 * chance
        return self.row("tiny", ok, "tiny netbase test accuracy (mean of the last 3) GPU %.3f "
                        "(%.0f s), CPU %.3f (%.0f s)%s" % (
                            ag, tg, ac, tc, "" if ok else ": must agree within %.2f and reach %.2f"
                            % (AGREE, 3 * chance)), accuracy_gpu=ag, accuracy_cpu=ac)

    def two_gpu(self, paper):
        if len(self.gpus) < 2:
            return self.row("2-gpu", None, "one GPU: no multi-GPU run")
        sv = self.run_copy(paper, dict(max_iter=TWO_GPU_ITERS, display=TWO_GPU_ITERS // 6,
                                       test_interval=10 ** 7, test_initialization=False),
                           variant=TWO_GPU_SOLVER)
        with open(sv) as f:
            net = re.search(r'(?m)^net: "([^"]+)"', f.read()).group(1)
        with open(net) as f:
            b = int(re.search(r"batch_size: (\d+)", f.read()).group(1))
        gl = "%d,%d" % tuple(self.gpus[:2])
        rc, text = self.caffe_run(["train", "-solver", sv, "-gpu", gl], paper, "two-gpu",
                                  self.timeout("2-gpu"))
        if "NCCL" in text and rc != 0:
            return self.row("2-gpu", False, self.failure(rc, text, "two-gpu") +
                            " (the node needs NCCL: pip install nvidia-nccl-cu11/cu13, or CUDA's libnccl)")
        return self.loss_falls("2-gpu", rc, text, "two-gpu",
                               ", GPUs %s at batch %d each = effective batch %d" % (gl, b, 2 * b))

    def run_all(self, paper, tiny, study, tests):
        """Every step after the probe, in STEPS' order, each only if it still fits."""
        if not (self.fits("device") and self.device()):
            return
        if self.fits("caffe-tests"):
            self.caffe_tests(tests)
        if self.fits("caffenet"):
            self.caffenet_time(paper, study["paper_sec_per_iter"])
        measured = {}
        for k in THROUGHPUT:
            if self.fits("throughput-%d" % k):
                got = self.throughput(paper, k)
                if got:
                    measured[k] = got
        self.projection(measured, study)
        if self.fits("train-200"):
            self.train(paper)
        if self.fits("tiny"):
            self.tiny(tiny)
        if len(self.gpus) < 2 or self.fits("2-gpu"):
            self.two_gpu(paper)


def table(rows):
    w = max(len(r[0]) for r in rows)
    lines = ["%-*s  %-6s %s" % (w, "step", "result", "detail"), "-" * (w + 60)]
    lines += ["%-*s  %-6s %s" % (w, n, s, d) for n, s, d in rows]
    return "\n".join(lines)


def write_csv(path, rows, metrics):
    """One line per step (metric 'detail') and per measured figure, for the README
    and make cost (runs/cost.py reads its MEASURED_ROW)."""
    tmp = path + ".tmp"
    status = dict((n, s) for n, s, _ in rows)
    with open(tmp, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["step", "result", "metric", "value", "detail"])
        for n, s, d in rows:
            w.writerow([n, s, "detail", "", d])
            for step, k, v in metrics:
                if step == n:
                    w.writerow([n, status[n], k, "" if v is None else v, ""])
    os.replace(tmp, path)


def dry_run(a):
    print("gpu-check --dry-run: the steps, in order, within %.0f minutes (a step that no longer "
          "fits is skipped):" % a.minutes)
    total = 0
    for name, what, budget in STEPS:
        total += budget
        print("  %-12s ~%3d s  %s" % (name, budget, what))
    print("  (~%d s in all on a current GPU; each row also goes to the CSV, %s)"
          % (total, a.csv or "<work>/gpu-check.csv"))
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--gpu", default="all", help="GPU ids (default all); the first is used "
                    "for the single-GPU steps, the first two for the 2-GPU run")
    ap.add_argument("--caffe", help="caffe executable (default: $CAFFE_BIN or caffe on PATH)")
    ap.add_argument("--prepare", metavar="DIR", help="only write the nets and synthetic data")
    ap.add_argument("--assets", metavar="DIR", help="prepared nets and data (a bundle's assets/)")
    ap.add_argument("--work", metavar="DIR", help="logs and run copies (default: a temp dir)")
    ap.add_argument("--csv", metavar="FILE", help="the table as CSV (default <work>/gpu-check.csv)")
    ap.add_argument("--minutes", type=float, default=MINUTES,
                    help="the whole check's time (default %g)" % MINUTES)
    ap.add_argument("--dry-run", action="store_true", help="list the steps and exit")
    ap.add_argument("--bundle", metavar="DIR", help="run from an unpacked gpu-bundle: its "
                    "caffe and assets, this node's driver and CUDA runtime libraries")
    ap.add_argument("--cpu-smoke", action="store_true",
                    help="no GPU needed: the training steps in CPU mode on the tiny net, "
                    "to test this script and a build's CPU path")
    a = ap.parse_args(argv)
    if a.dry_run:
        return dry_run(a)

    if a.prepare:
        import gpu_assets
        made = gpu_assets.prepare(os.path.abspath(a.prepare))
        print("gpu-check: prepared %s" % ", ".join(sorted(made.values())))
        return 0

    bundle = None
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
    caffe = gpu_probe.find_caffe(a.caffe)
    t0 = time.time()
    log = lambda s: print("gpu-check: " + s, flush=True)
    work = os.path.abspath(a.work) if a.work else tempfile.mkdtemp(prefix="gpu-check.")
    os.makedirs(work, exist_ok=True)
    csv_path = os.path.abspath(a.csv) if a.csv else os.path.join(work, "gpu-check.csv")

    c = Check(caffe, [], work, dict(os.environ), log, a.minutes)
    if a.cpu_smoke:
        if caffe is None:
            print("gpu-check: no caffe executable")
            return 1
        c.row("probe", None, "CPU smoke test: %s" % gpu_probe.probe(None, caffe=caffe,
                                                                     query=False).line())
    else:
        p = gpu_probe.probe(a.gpu, caffe=caffe)
        if not p.ok:
            print(p.line())
            c.row("probe", False, p.line())
            print(table(c.rows))
            write_csv(csv_path, c.rows, c.metrics)
            return 1
        c.gpus = [d["id"] for d in p.devices]
        c.row("probe", True, p.line(), devices="; ".join(d["name"] for d in p.devices),
              driver=p.driver, cuda_driver=p.cuda_driver, cuda_runtime=p.cuda)

    assets = os.path.abspath(a.assets) if a.assets else None
    if assets is None:
        assets = os.path.join(work, "assets")
        import gpu_assets
        gpu_assets.prepare(assets)
    paper, tiny = os.path.join(assets, "paper"), os.path.join(assets, "tiny")
    with open(os.path.join(assets, STUDY)) as f:
        study = json.load(f)
    if a.cpu_smoke:
        # the GPU steps' code on the CPU, with the tiny net; no projection (this
        # is no GPU's figure, and make cost must never read one)
        c.train(tiny, iters=60, name="train-cpu")
        c.throughput(tiny, 2, iters=30)
    else:
        c.run_all(paper, tiny, study, caffe_tests_binary(caffe, bundle))
    print()
    print(table(c.rows))
    write_csv(csv_path, c.rows, c.metrics)
    failed = [r[0] for r in c.rows if r[1] == "FAIL"]
    print("gpu-check: %s in %.0f s (logs in %s; the table as CSV: %s)" % (
        "FAILED: " + ", ".join(failed) if failed else "all passed", time.time() - t0, work,
        csv_path))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
