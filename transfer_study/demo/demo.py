"""`make demo`: the whole study in miniature, on a CPU, in minutes.

Every stage after the first runs the make targets a user runs for the paper
(the same recipes, the same scripts), with the catalog's 'tiny' profile,
under the demo's own root (default demo/; never the checkout's data/,
prototxt/, solvers/, results/):

  1 images     the embedded ImageNet (demo_dataset.py) -> <root>/imagenet/
  2 lists      make lists -> data/whole_{train,valid}/files.txt
  3 lmdbs      make data RESIZE=<the profile's warp size>: whole_{train,valid}
               LMDBs and whole_train's mean
  4 splits     make splits SEEDS=0: random halves, natural / man-made halves
               (real WordNet), reduced sets
  5 derived    make derived: the derived LMDBs and means
  6 prototxts  make prototxts PROFILE=tiny ROOT=<root>
  7 training   make -j<cores> PROFILE=tiny ROOT=<root> NAME...: real Caffe on
               the CPU; make's prerequisites train each transfer net after
               its base (the one scheduler, as for the paper's runs)
  8 results    make results -> <root>/report/: Table S1, Figure S1, transfer
               figures, summary.csv, training curves

What is the demo's own: its images, which networks it trains (SIZES), the
stage records and timings, and the summary at the end.  Each stage prints
one line with its wall time; the tools' own progress bars show inside it and
make's output goes to <root>/logs/<stage>.log.  A finished stage leaves a record in
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

from transfer_study import PROJECT_ROOT, files, layout, locks
from transfer_study.demo import demo_dataset, stagelog, stagetimes
from transfer_study.nets import catalog
from transfer_study.runs import runstate

PROFILE = "tiny"
DEFAULT_ROOT = os.path.join(PROJECT_ROOT, "demo")


def _members(cat, group, ns, base=None):
    """The catalog's networks of `group` with n in ns (and the given base)."""
    return [e.name for e in map(cat.get, cat.group(group))
            if e.n in ns and (base is None or e.base == base)]


# What each size of the demo trains (catalog names) and on how many images.
# make trains a transfer net once its base is done (experiments.mk).
SIZES = {
    "full": dict(
        train_per_class=150, val_per_class=40,
        # names, or (group, n values, base): that group's networks per the catalog
        networks=(["half0A", "half0B", "halfnatmanA", "halfnatmanB", "netbase",
                   # selffer and transfer nets of seed 0, frozen and fine-tuned
                   ("transfers", (1, 3, 5, 7), "half0A"),
                   ("transfers-natman", (2, 5), None),
                   ("random-filters", (1, 3, 5), None)]
                  + ["reduced-%04d" % n for n in (1, 5, 10, 25, 50, 100, 1300)])),
    # Every stage and every kind of network, once: for tests/test_demo.py.
    "quick": dict(
        train_per_class=80, val_per_class=20,
        networks=["half0A", "half0B", "halfnatmanA", "transfer0A0A_1_3", "transfer0A0B_1_3",
                  "transfer-ft0A0B_1_3", "nolearn_1_3", "reduced-0010"]),
}

STAGES = ("images", "lists", "lmdbs", "splits", "derived", "prototxts", "training", "results")



def _for_make(value):
    """make splits its words at spaces: a path under the checkout (the demo's
    root is demo/) goes to make relative to it, where make runs (-C), so that
    a checkout whose path has a space works."""
    v = str(value)
    if os.path.isabs(v) and (v + os.sep).startswith(PROJECT_ROOT + os.sep):
        return os.path.relpath(v, PROJECT_ROOT)
    return v

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
        self.jobs = jobs or stagetimes.cpu_count()
        self.out = out
        self.catalog_path = os.path.abspath(catalog_path) if catalog_path else None
        self.cat = catalog.load(self.catalog_path)
        self.prof = self.cat.profile(PROFILE)
        names = []
        for item in self.conf["networks"]:
            names += _members(self.cat, *item) if isinstance(item, tuple) else [item]
        for name in names:
            self.cat.get(name)   # an unknown name fails here, suggesting near matches
        self.networks = self.cat.order(names)
        self.data = layout.data_dir(self.root)
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
        whole = ["whole_train", "whole_valid"]   # the lmdbs stage builds both
        return whole, [d for d in self.cat.reads(self.networks) if d not in whole]

    def make(self, stage, targets, variables=(), options=(), quiet=False, env=None):
        """Run `make TARGET...` in the checkout with the demo's root, profile and
        datasets (what a user types, with ROOT=, DATA=, PROFILE=tiny).  Its
        stdout goes to the stage's log; its stderr (the tools' progress bars)
        to the terminal as well, unless quiet; the log's tail is shown when it
        fails.  Returns the log's path."""
        argv = (["make", "--no-print-directory", "-C", PROJECT_ROOT] + list(options)
                + ["%s=%s" % (k, _for_make(v)) for k, v in self.make_variables() + list(variables)]
                + list(targets))
        return self.run_logged(stage, argv, quiet=quiet, env=env)

    def make_variables(self):
        out = [("PROFILE", PROFILE), ("ROOT", self.root), ("DATA", self.data)]
        if self.catalog_path:
            out += [("CATALOG", self.catalog_path), ("EXPERIMENTS_MK", self.experiments_mk())]
        return out

    def experiments_mk(self):
        """The targets of another catalog than experiments.yaml (its own max_iter)."""
        from transfer_study.nets import makefile
        path = os.path.join(self.root, "experiments.mk")
        os.makedirs(self.root, exist_ok=True)
        makefile.write_experiments_mk(self.cat, path)
        return path

    def run_logged(self, stage, argv, quiet=False, env=None):
        os.makedirs(self.logs, exist_ok=True)
        log_path = os.path.join(self.logs, "%s.log" % stage)
        with open(log_path, "a") as log:
            log.write("$ %s\n" % " ".join(argv))
            log.flush()
            # make and its recipes in their own process group: Ctrl-C reaches
            # this process alone, which hands it on to all of them once
            proc = subprocess.Popen(argv, cwd=PROJECT_ROOT, stdout=log,
                                    stderr=log if quiet else subprocess.PIPE,
                                    env=env or _tool_env(), start_new_session=True)
            try:
                tail = [] if quiet else stagelog.relay_stderr(proc, log)
                rc = proc.wait()
            except KeyboardInterrupt:
                # Caffe snapshots on SIGINT; train.py turns SIGTERM into SIGINT too
                try:
                    os.killpg(proc.pid, signal.SIGINT)
                except OSError:
                    pass
                proc.wait()
                raise Interrupted()
        if quiet:
            tail = stagelog.tail(log_path, 8)
        if rc in (-signal.SIGINT, 130):
            raise Interrupted()
        if rc != 0:
            raise DemoError("%s: %s exited with status %d%s\n  full log: %s"
                            % (stage, " ".join(argv[4:])[:200], rc, stagelog.format_tail(tail),
                               log_path))
        return log_path

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
                self.timings.append((stage, None))   # stagetimes keeps that run's time
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
        stagetimes.write(self.root, self.size, self.timings, total)
        if self.stop_after and self.stop_after != STAGES[-1]:
            self.say("Stopped after the %s stage (%.1f s); run again without --stop-after "
                     "to go on." % (self.stop_after, total))
            return total
        self.say("Demo finished in %.1f s (%s)." % (total, stagetimes.minutes(total)))
        self.finale()
        return total

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
        self.make("lists", ["lists"], [
            ("IMAGENET", self.imagenet), ("SYNSETS", os.path.join(self.imagenet, "synsets.txt")),
            # the embedded set's train.txt is in a random order: see
            # demo_dataset's docstring for why the order matters
            ("TRAIN_LIST", os.path.join(self.imagenet, "train.txt")),
            ("VAL_LIST", os.path.join(self.imagenet, "val.txt"))])
        counts = [(d, _count_lines(layout.files_txt(self.data, d)))
                  for d in ("whole_train", "whole_valid")]
        return ", ".join("%s %d images" % c for c in counts)

    def stage_lmdbs(self):
        # as for the paper: the training set shuffled (seed recorded), validation
        # in list order, then whole_train's mean; at the profile's warp size
        size = self.prof["resize"]
        self.make("lmdbs", ["data"], [("IMAGENET", self.imagenet), ("RESIZE", size),
                                      ("NUM_CLASSES", len(demo_dataset.WNIDS))])
        return "whole_train and whole_valid warped to %sx%s, whole_train's mean" % (size, size)

    def stage_splits(self):
        log = self.make("splits", ["splits"], [
            ("SEEDS", "0"), ("NUM_CLASSES", len(demo_dataset.WNIDS)),
            ("SYNSETS", os.path.join(self.imagenet, "synsets.txt"))])
        classes = dict((name, _count_classes(layout.files_txt(self.data, name)))
                       for name in ("half0A_train", "half0B_train", "halfnatmanA_train",
                                    "halfnatmanB_train"))
        return ("random halves A/B %d/%d classes, natural/man-made %d/%d (WordNet), reduced "
                "sets; see %s" % (classes["half0A_train"], classes["half0B_train"],
                                  classes["halfnatmanA_train"], classes["halfnatmanB_train"],
                                  _rel(log)))

    def stage_derived(self):
        _, derived = self.datasets()
        self.make("derived", ["derived"], [("NAMES", " ".join(derived))])
        return "%d derived LMDBs copied from the whole sets (no JPEG decoded), with means" \
            % len(derived)

    def stage_prototxts(self):
        self.make("prototxts", ["prototxts"], [("EXPERIMENTS", " ".join(self.networks))])
        return "nets and solvers of %d networks under %s/prototxt, %s/solvers" \
            % (len(self.networks), _rel(self.root), _rel(self.root))

    def stage_training(self):
        jobs = max(1, min(self.jobs, len(self.networks)))
        Training(self, self.networks, jobs).run()
        return "%d networks trained with Caffe on the CPU (make -j%d); logs in %s/results/" \
            % (len(self.networks), jobs, _rel(self.root))

    def stage_results(self):
        self.make("results", ["results"], [("RESULTS", os.path.join(self.root, layout.RESULTS)),
                                           ("OUT", self.report)])
        return "tables and figures in %s/" % _rel(self.report)

    # -- the end ------------------------------------------------------------

    def finale(self):
        from transfer_study import caffelog, metric
        self.say("")
        self.say("Validation top-1 of the networks trained from scratch (mean of the 10 best "
                 "test passes, as the paper reports; chance = 1/classes):")
        for name in self.networks:
            e = self.cat.get(name)
            if e.group != "base":
                continue
            run = caffelog.parse_run(layout.results_dir(self.root, name))
            k = _count_classes(layout.files_txt(self.data, e.valid_set))
            top = metric.top10_mean(run)
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

class Training(object):
    """`make -jN -k PROFILE=tiny ROOT=<root> NAME...`: make schedules (a transfer
    net after its base, N at a time) and train.py resumes or skips; here only
    a progress bar (final snapshots made, runs holding their lock) and, when
    make fails, which networks did not finish and why (runstate)."""

    def __init__(self, demo, names, jobs):
        self.demo = demo
        self.names = list(names)
        self.jobs = jobs

    def run(self):
        from tqdm import tqdm
        env = _tool_env()
        # Networks train side by side: one BLAS thread each keeps the cores
        # busy without oversubscribing them.
        if self.jobs > 1:
            env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
        bar = tqdm(total=len(self.names), desc="training", unit="net", file=sys.stderr,
                   leave=False, dynamic_ncols=True)
        stop = []
        import threading
        finals = [self.final(n) for n in self.names]

        def watch():
            while not stop:
                bar.n = sum(1 for f in finals if f and os.path.exists(f))
                bar.set_postfix_str(" ".join(
                    n for n in self.names if locks.is_locked(layout.lock(self.demo.root, n))))
                time.sleep(1)
        t = threading.Thread(target=watch, daemon=True)
        t.start()
        try:
            self.demo.make("training", self.names, options=["-j%d" % self.jobs, "-k"],
                           quiet=True, env=env)
        except DemoError:
            self.explain()
        finally:
            stop.append(True)
            t.join()
            bar.close()

    def final(self, name):
        """The final snapshot train.py makes (None for a broken solver: make
        fails on it, and explain() says why)."""
        try:
            return runstate.final_snapshot(self.demo.root, name,
                                           self.demo.cat.max_iter(name, PROFILE))
        except runstate.Broken:
            return None

    def explain(self):
        """Which networks did not finish, their state and the tail of their log."""
        lines = []
        for n in self.names:
            s = runstate.of(self.demo.root, n, self.demo.cat.max_iter(n, PROFILE))
            if not s.done:
                logs = layout.logs(self.demo.root, s.name)
                lines.append("  %s: %s%s%s" % (
                    s.name, s, "; log: %s" % logs[-1] if logs else "",
                    stagelog.format_tail(stagelog.tail(logs[-1], 6)) if logs else ""))
        raise DemoError("training: %d of %d networks did not finish (make's output: %s):\n%s"
                        % (len(lines), len(self.names),
                           os.path.join(self.demo.logs, "training.log"), "\n".join(lines)))


# ------------------------------------------------------------------ utils --

def _tool_env():
    env = dict(os.environ)
    env["PYTHONPATH"] = PROJECT_ROOT + (os.pathsep + env["PYTHONPATH"]
                                        if env.get("PYTHONPATH") else "")
    # Caffe's INFO lines are its log (test accuracy, "Optimization Done"):
    # the training and results stages read them, so they must not be muted.
    env.pop("GLOG_minloglevel", None)
    # make's own flags of a `make demo` would reach the stages' make
    for k in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL"):
        env.pop(k, None)
    # Already inside the Caffe env (make demo runs the demo there): the
    # recipes' scripts/in-env need not look for it again.
    if shutil.which("caffe"):
        env.setdefault("CAFFE_ENV", "native")
    return env


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
    rec = stagetimes.read(os.path.abspath(root))
    if rec is None:
        raise DemoError("no stage timings at %s: run the demo first"
                        % stagetimes.path(os.path.abspath(root)))
    stagetimes.show(rec, out)
    return rec
