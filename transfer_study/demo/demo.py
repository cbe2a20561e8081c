"""`make demo`: the whole study in miniature, on a CPU, in minutes.

Every stage runs the project's own entry points -- the ones the paper run
uses -- with the catalog's 'tiny' profile, under the demo's own root
(default demo/; never the checkout's data/, prototxt/, solvers/, results/):

  1 images     the embedded ImageNet (demo_dataset.py) -> <root>/imagenet/
  2 lists      data_prep/make_lists.py -> data/whole_{train,valid}/files.txt
  3 lmdbs      data_prep/warp_imageset.py at the profile's warp size, and
               data_prep/compute_mean.py -> whole_{train,valid}/lmdb, mean
  4 splits     data_prep/make_splits.py: random halves (seed 0), natural /
               man-made halves (real WordNet), reduced sets
  5 derived    data_prep/derive_lmdb.py: the derived LMDBs and means
  6 prototxts  scripts/make_prototxts.py --profile tiny
  7 training   scripts/train.py NAME --profile tiny, real Caffe on the CPU,
               two networks at a time, each transfer net after its base
  8 results    scripts/results.py -> <root>/report/: Table S1, Figure S1,
               transfer figures, summary.csv, training curves

Each stage prints one line with its wall time; the tools' own progress bars
show inside it and their output goes to <root>/logs/<stage>.log (training:
<root>/logs/train/<network>.log).  A finished stage leaves a record in
<root>/stages/ and is skipped the next time; an interrupted one is rerun,
and the tools resume where they stopped (training from its newest
snapshot).  A root made with other settings (size, dataset, the catalog's
'tiny' profile) is refused, never mixed: make demo-clean first.  Stage times
go to <root>/timings.json (make bench-demo prints them).

    from transfer_study.demo import demo
    demo.Demo('demo', size='full').run()   # or size='quick': every stage, smaller
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import time

from transfer_study import PROJECT_ROOT, files
from transfer_study.demo import demo_dataset
from transfer_study.nets import catalog

PROFILE = "tiny"
DEFAULT_ROOT = os.path.join(PROJECT_ROOT, "demo")


def _transfers(ns):
    """Selffer and transfer nets of seed 0, frozen and fine-tuned, for each n."""
    out = []
    for n in ns:
        out += ["transfer0A0A_1_%d" % n, "transfer-ft0A0A_1_%d" % n,
                "transfer0A0B_1_%d" % n, "transfer-ft0A0B_1_%d" % n]
    return out


# What each size of the demo trains (catalog names) and on how many images.
# Base nets first: the scheduler starts a transfer net once its base is done.
SIZES = {
    "full": dict(
        train_per_class=150, val_per_class=40,
        networks=(["half0A", "half0B", "halfnatmanA", "halfnatmanB", "netbase"]
                  + _transfers((1, 3, 5, 7))
                  + ["transfernatmanAB_1_%d" % n for n in (2, 5)]
                  + ["transfernatmanBA_1_%d" % n for n in (2, 5)]
                  + ["nolearn_1_%d" % n for n in (1, 3, 5)]
                  + ["reduced-%04d" % n for n in (1, 5, 10, 25, 50, 100, 1300)])),
    # Every stage and every kind of network, once: for tests/test_demo.py.
    "quick": dict(
        train_per_class=80, val_per_class=20,
        networks=["half0A", "half0B", "halfnatmanA", "transfer0A0A_1_3", "transfer0A0B_1_3",
                  "transfer-ft0A0B_1_3", "nolearn_1_3", "reduced-0010"]),
}

STAGES = ("images", "lists", "lmdbs", "splits", "derived", "prototxts", "training", "results")


class DemoError(Exception):
    """A stage failed; the message says which, why, and where its log is."""


class Interrupted(Exception):
    pass


# ------------------------------------------------------------------ runner --

class Demo(object):
    def __init__(self, root=DEFAULT_ROOT, size="full", jobs=None, out=sys.stdout,
                 stop_after=None, catalog_path=None):
        if size not in SIZES:
            raise DemoError("unknown demo size %r (choose %s)" % (size, ", ".join(sorted(SIZES))))
        self.root = os.path.abspath(root)
        if os.path.realpath(self.root) == os.path.realpath(PROJECT_ROOT):
            raise DemoError("the demo runs under its own root, never in the checkout itself")
        self.size = size
        self.conf = SIZES[size]
        self.jobs = jobs or _cpu_count()
        self.out = out
        self.catalog_path = os.path.abspath(catalog_path) if catalog_path else None
        self.cat = catalog.load(self.catalog_path)
        self.prof = self.cat.profile(PROFILE)
        for name in self.conf["networks"]:
            self.cat.get(name)   # an unknown name fails here, suggesting near matches
        self.networks = self.cat.order(self.conf["networks"])
        self.data = os.path.join(self.root, "data")
        self.imagenet = os.path.join(self.root, "imagenet")
        self.logs = os.path.join(self.root, "logs")
        self.report = os.path.join(self.root, "report")
        self.timings = []
        if stop_after is not None and stop_after not in STAGES:
            raise DemoError("unknown stage %r (stages: %s)" % (stop_after, ", ".join(STAGES)))
        self.stop_after = stop_after

    # -- helpers ----------------------------------------------------------

    def say(self, msg):
        print(msg, file=self.out)
        self.out.flush()

    def datasets(self):
        """Every dataset the chosen networks read, whole sets first."""
        names = []
        for n in self.networks:
            e = self.cat.get(n)
            for d in (e.train_set, e.valid_set):
                if d not in names:
                    names.append(d)
        whole = ["whole_train", "whole_valid"]   # the lmdbs stage builds both
        return whole, [d for d in names if d not in whole]

    def tool(self, stage, args, cwd=None):
        """Run one of the project's entry points inside this env; its stdout
        goes to the stage's log, its stderr (progress bars) to the terminal
        and the log's tail is shown when it fails."""
        os.makedirs(self.logs, exist_ok=True)
        log_path = os.path.join(self.logs, "%s.log" % stage)
        cmd = [sys.executable] + args
        with open(log_path, "a") as log:
            log.write("$ %s\n" % " ".join(cmd))
            log.flush()
            proc = subprocess.Popen(cmd, cwd=cwd or PROJECT_ROOT, stdout=log,
                                    stderr=subprocess.PIPE, env=_tool_env())
            tail = _relay_stderr(proc, log)
            rc = proc.wait()
        if rc in (-signal.SIGINT, 130):
            raise Interrupted()
        if rc != 0:
            raise DemoError("%s: %s exited with status %d%s\n  full log: %s"
                            % (stage, os.path.relpath(args[0], PROJECT_ROOT), rc,
                               _format_tail(tail), log_path))
        return log_path

    def catalog_args(self):
        return ["--catalog", self.catalog_path] if self.catalog_path else []

    def marker(self, stage):
        return os.path.join(self.root, "stages", "%s.json" % stage)

    def stage_params(self, stage):
        """What a stage's result depends on: when it changes the stage reruns."""
        p = dict(size=self.size, profile=PROFILE, resize=self.prof["resize"],
                 dataset=demo_dataset.params(
                     train_per_class=self.conf["train_per_class"],
                     val_per_class=self.conf["val_per_class"]))
        if stage in ("derived", "prototxts", "training", "results"):
            p["networks"] = list(self.networks)
        if stage in ("prototxts", "training"):
            p["catalog_profile"] = self.prof
        return p

    def is_done(self, stage):
        """True when the stage finished with the current parameters; an error
        when it finished with others (never mix two demos in one root)."""
        try:
            with open(self.marker(stage)) as f:
                have = json.load(f)
        except (IOError, OSError, ValueError):
            return False
        if have != json.loads(json.dumps(self.stage_params(stage))):
            changed = sorted(k for k in set(have) | set(self.stage_params(stage))
                             if have.get(k) != json.loads(json.dumps(
                                 self.stage_params(stage))).get(k))
            raise DemoError("%s holds a demo whose '%s' stage was made with other settings "
                            "(changed: %s; e.g. another size or an edited '%s' profile in "
                            "experiments.yaml): remove it first (make demo-clean, or "
                            "scripts/demo.py --clean --root %s)"
                            % (_rel(self.root), stage, ", ".join(changed), PROFILE,
                               _rel(self.root)))
        return True

    def mark_done(self, stage):
        path = self.marker(stage)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        files.write_atomic(path, json.dumps(self.stage_params(stage), sort_keys=True, indent=1))

    # -- the run ----------------------------------------------------------

    def run(self):
        t0 = time.time()
        self.say("Demo: the study in miniature under %s (%s size, '%s' profile: %dx%d warp, "
                 "%d crop; %d networks)"
                 % (_rel(self.root), self.size, PROFILE, self.prof["resize"], self.prof["resize"],
                    self.prof["crop"], len(self.networks)))
        for i, stage in enumerate(STAGES, 1):
            label = "[%d/%d] %-9s" % (i, len(STAGES), stage)
            if self.is_done(stage):
                self.say("%s  skipped: done in an earlier run" % label)
                self.timings.append((stage, None))
                continue
            self.say("%s  ..." % label)
            start = time.time()
            summary = getattr(self, "stage_" + stage)()
            took = time.time() - start
            self.mark_done(stage)
            self.timings.append((stage, took))
            self.say("%s  %7.1f s  %s" % (label, took, summary))
            if stage == self.stop_after:
                break
        total = time.time() - t0
        self.write_timings(total)
        if self.stop_after and self.stop_after != STAGES[-1]:
            self.say("Stopped after the %s stage (%.1f s); run again without --stop-after "
                     "to go on." % (self.stop_after, total))
            return total
        self.say("Demo finished in %.1f s (%s)." % (total, _minutes(total)))
        self.finale()
        return total

    def write_timings(self, total):
        path = os.path.join(self.root, "timings.json")
        rec = dict(size=self.size, total_seconds=total,
                   stages=[dict(stage=s, seconds=t) for s, t in self.timings])
        files.write_atomic(path, json.dumps(rec, indent=1))

    # -- stages -----------------------------------------------------------

    def stage_images(self):
        drawn = demo_dataset.generate(self.imagenet, train_per_class=self.conf["train_per_class"],
                                      val_per_class=self.conf["val_per_class"])
        kinds = {}
        for _, _, kind in demo_dataset.CLASSES:
            kinds[kind] = kinds.get(kind, 0) + 1
        n = len(demo_dataset.WNIDS)
        return ("%d JPEGs drawn under %s/ (%d classes: %d organism, %d artifact; "
                "%d train + %d val per class, with ImageNet's odd files)"
                % (drawn, _rel(self.imagenet), n, kinds.get("organism", 0),
                   kinds.get("artifact", 0), self.conf["train_per_class"],
                   self.conf["val_per_class"]))

    def stage_lists(self):
        self.tool("lists", [os.path.join(PROJECT_ROOT, "data_prep", "make_lists.py"),
                            "--imagenet", self.imagenet, "--data", self.data,
                            "--synsets", os.path.join(self.imagenet, "synsets.txt"),
                            # the embedded set's train.txt is in a random order: see
                            # demo_dataset's docstring for why the order matters
                            "--train-list", os.path.join(self.imagenet, "train.txt"),
                            "--val-list", os.path.join(self.imagenet, "val.txt")])
        counts = [(d, _count_lines(os.path.join(self.data, d, "files.txt")))
                  for d in ("whole_train", "whole_valid")]
        return ", ".join("%s %d images" % c for c in counts)

    def stage_lmdbs(self):
        size = str(self.prof["resize"])
        for d, sub in (("whole_train", "train"), ("whole_valid", "val")):
            ds = os.path.join(self.data, d)
            # as make data: the training set shuffled (seed recorded), validation in list order
            shuffle = ["--shuffle"] if d == "whole_train" else []
            self.tool("lmdbs", [os.path.join(PROJECT_ROOT, "data_prep", "warp_imageset.py"),
                                "--resize_height", size, "--resize_width", size] + shuffle + [
                                os.path.join(self.imagenet, sub) + os.sep,
                                os.path.join(ds, "files.txt"), os.path.join(ds, "lmdb")])
        ds = os.path.join(self.data, "whole_train")
        self.tool("lmdbs", [os.path.join(PROJECT_ROOT, "data_prep", "compute_mean.py"),
                            os.path.join(ds, "lmdb"), os.path.join(ds, "mean.binaryproto")])
        return "whole_train and whole_valid warped to %sx%s, whole_train's mean" % (size, size)

    def stage_splits(self):
        log = self.tool("splits", [os.path.join(PROJECT_ROOT, "data_prep", "make_splits.py"),
                                   "--data", self.data, "--seeds", "0",
                                   "--num-classes", str(len(demo_dataset.WNIDS)),
                                   "--synsets", os.path.join(self.imagenet, "synsets.txt")])
        classes = dict((name, _count_classes(os.path.join(self.data, name, "files.txt")))
                       for name in ("half0A_train", "half0B_train", "halfnatmanA_train",
                                    "halfnatmanB_train"))
        return ("random halves A/B %d/%d classes, natural/man-made %d/%d (WordNet), reduced "
                "sets; see %s" % (classes["half0A_train"], classes["half0B_train"],
                                  classes["halfnatmanA_train"], classes["halfnatmanB_train"],
                                  _rel(log)))

    def stage_derived(self):
        _, derived = self.datasets()
        self.tool("derived", [os.path.join(PROJECT_ROOT, "data_prep", "derive_lmdb.py"),
                              "--data", self.data] + derived)
        return "%d derived LMDBs copied from the whole sets (no JPEG decoded), with means" \
            % len(derived)

    def stage_prototxts(self):
        self.tool("prototxts", [os.path.join(PROJECT_ROOT, "scripts", "make_prototxts.py"),
                                "--profile", PROFILE, "--root", self.root]
                  + self.catalog_args() + list(self.networks))
        return "nets and solvers of %d networks under %s/prototxt, %s/solvers" \
            % (len(self.networks), _rel(self.root), _rel(self.root))

    def stage_training(self):
        t = Trainer(self, self.networks, self.jobs)
        t.run()
        return "%d networks trained with Caffe on the CPU (%d at a time); logs in %s/results/" \
            % (len(self.networks), t.jobs, _rel(self.root))

    def stage_results(self):
        self.tool("results", [os.path.join(PROJECT_ROOT, "scripts", "results.py"),
                              "--results", os.path.join(self.root, "results"),
                              "--out", self.report])
        return "tables and figures in %s/" % _rel(self.report)

    # -- the end ------------------------------------------------------------

    def finale(self):
        from transfer_study.results import logparse
        self.say("")
        self.say("Validation top-1 of the networks trained from scratch (mean of the 10 best "
                 "test passes, as the paper reports; chance = 1/classes):")
        for name in self.networks:
            e = self.cat.get(name)
            if e.group != "base":
                continue
            run = logparse.parse_run(os.path.join(self.root, "results", name))
            k = _count_classes(os.path.join(self.data, e.valid_set, "files.txt"))
            top = logparse.top10_mean(run)
            self.say("  %-12s %2d classes  top-1 %s  (chance %.3f; last test pass %s)"
                     % (name, k, "%.3f" % top if top is not None else "  -  ", 1.0 / k,
                        "%.3f" % run.test_acc[-1] if run.test_acc else "-"))
        self.say("")
        self.say("Results: %s/" % _rel(self.report))
        for f in ("summary.csv", "table_s1.md", "figure_s1.png", "figure_2.png",
                  "figure_3.png", "scorecard.md", "curves/"):
            path = os.path.join(self.report, f)
            if os.path.exists(path):
                self.say("  %s" % _rel(path))


# ---------------------------------------------------------------- training --

class Trainer(object):
    """Runs scripts/train.py for each network, `jobs` at a time, a transfer
    net only once its base is done.  One progress bar for the stage; each
    network's console output goes to <root>/logs/train/<name>.log."""

    def __init__(self, demo, names, jobs):
        self.demo = demo
        self.names = list(names)
        self.jobs = max(1, min(jobs, len(self.names)))
        self.logdir = os.path.join(demo.logs, "train")

    def deps(self, name):
        return [d for d in self.demo.cat.get(name).depends if d in self.names]

    def start(self, name):
        os.makedirs(self.logdir, exist_ok=True)
        log = open(os.path.join(self.logdir, "%s.log" % name), "a")
        cmd = [sys.executable, os.path.join(PROJECT_ROOT, "scripts", "train.py"), name,
               "--root", self.demo.root, "--profile", PROFILE] + self.demo.catalog_args()
        log.write("$ %s\n" % " ".join(cmd))
        log.flush()
        env = _tool_env()
        # Networks train side by side: one BLAS thread each keeps the cores
        # busy without oversubscribing them.
        if self.jobs > 1:
            env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
        proc = subprocess.Popen(cmd, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, env=env)
        return proc, log

    def run(self):
        from tqdm import tqdm
        pending = list(self.names)
        running = {}          # name -> (proc, log file)
        done, failed = [], {}
        bar = tqdm(total=len(self.names), desc="training", unit="net", file=sys.stderr,
                   leave=False, dynamic_ncols=True)
        try:
            while pending or running:
                for name in list(pending):
                    if len(running) >= self.jobs:
                        break
                    deps = self.deps(name)
                    if any(d in failed for d in deps):
                        pending.remove(name)
                        failed[name] = "its base %s failed" % ", ".join(
                            d for d in deps if d in failed)
                        bar.update(1)
                    elif all(d in done for d in deps):
                        pending.remove(name)
                        running[name] = self.start(name)
                shown = " ".join(sorted(running))
                if shown != bar.postfix:
                    bar.set_postfix_str(shown)
                time.sleep(0.2)
                for name, (proc, log) in list(running.items()):
                    rc = proc.poll()
                    if rc is None:
                        continue
                    log.close()
                    del running[name]
                    if rc in (130, -signal.SIGINT, 143, -signal.SIGTERM):
                        raise Interrupted()
                    if rc == 0:
                        done.append(name)
                    else:
                        failed[name] = "scripts/train.py exited with status %d" % rc
                    bar.update(1)
        except (KeyboardInterrupt, Interrupted):
            # Caffe snapshots on SIGINT; train.py turns SIGTERM into SIGINT.
            for proc, log in running.values():
                if proc.poll() is None:
                    proc.send_signal(signal.SIGINT)
            for proc, log in running.values():
                proc.wait()
                log.close()
            bar.close()
            raise Interrupted()
        bar.close()
        if failed:
            lines = []
            for name in self.names:
                if name in failed:
                    path = os.path.join(self.logdir, "%s.log" % name)
                    lines.append("  %s: %s; log: %s%s" % (name, failed[name], path,
                                                         _format_tail(_tail(path, 6))))
            raise DemoError("training: %d of %d networks did not finish:\n%s"
                            % (len(failed), len(self.names), "\n".join(lines)))


# ------------------------------------------------------------------ utils --

def _cpu_count():
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    import multiprocessing
    return multiprocessing.cpu_count()


def _tool_env():
    env = dict(os.environ)
    env["PYTHONPATH"] = PROJECT_ROOT + (os.pathsep + env["PYTHONPATH"]
                                        if env.get("PYTHONPATH") else "")
    # Caffe's INFO lines are its log (test accuracy, "Optimization Done"):
    # the training and results stages read them, so they must not be muted.
    env.pop("GLOG_minloglevel", None)
    return env


def _relay_stderr(proc, log):
    """Copy the child's stderr to ours (its progress bars) and to its log;
    return the last lines (for an error message)."""
    tail = []
    buf = b""
    while True:
        chunk = proc.stderr.read1(4096) if hasattr(proc.stderr, "read1") \
            else proc.stderr.read(4096)
        if not chunk:
            break
        try:
            sys.stderr.buffer.write(chunk)
            sys.stderr.flush()
        except (AttributeError, ValueError):
            pass
        buf += chunk
        # progress bars redraw with \r: keep only real lines for the log
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            line = line.split(b"\r")[-1].decode("utf-8", "replace")
            if line.strip():
                log.write(line + "\n")
                tail = (tail + [line])[-8:]
    if buf.strip():
        line = buf.split(b"\r")[-1].decode("utf-8", "replace")
        if line.strip():
            log.write(line + "\n")
            tail = (tail + [line])[-8:]
    log.flush()
    return tail


def _tail(path, n):
    try:
        with open(path, errors="replace") as f:
            return [l.rstrip("\n").split("\r")[-1] for l in f.readlines()[-n:]]
    except (IOError, OSError):
        return []


def _format_tail(lines):
    return "".join("\n    | %s" % l for l in lines if l.strip())


def _count_lines(path):
    with open(path, "rb") as f:
        return sum(1 for _ in f)


def _count_classes(path):
    labels = set()
    with open(path) as f:
        for line in f:
            labels.add(line.rsplit(" ", 1)[-1].strip())
    return len(labels)


def _rel(path):
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def _minutes(seconds):
    return "%d min %02d s" % (seconds // 60, seconds % 60)


def clean(root=DEFAULT_ROOT, out=sys.stdout):
    root = os.path.abspath(root)
    if os.path.realpath(root) == os.path.realpath(PROJECT_ROOT):
        raise DemoError("refusing to remove the checkout itself")
    if os.path.isdir(root):
        shutil.rmtree(root)
        print("removed %s" % _rel(root), file=out)
    else:
        print("nothing to remove (%s does not exist)" % _rel(root), file=out)


def print_timings(root=DEFAULT_ROOT, out=sys.stdout):
    path = os.path.join(os.path.abspath(root), "timings.json")
    try:
        with open(path) as f:
            rec = json.load(f)
    except (IOError, OSError, ValueError):
        raise DemoError("no stage timings at %s: run the demo first" % path)
    print("Demo stage wall times (%s size, %d CPU cores):" % (rec["size"], _cpu_count()), file=out)
    for s in rec["stages"]:
        t = s["seconds"]
        print("  %-10s %s" % (s["stage"], "%8.1f s" % t if t is not None else "  skipped"),
              file=out)
    print("  %-10s %8.1f s  (%s; target: 600 s)" % ("total", rec["total_seconds"],
                                                     _minutes(rec["total_seconds"])), file=out)
    return rec
