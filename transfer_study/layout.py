"""Where everything of a study root lives; every other module asks here.

A root is the directory Caffe runs in (the checkout for the paper profile,
e.g. demo/ for the tiny one).  Every path inside the generated prototxts is
relative to it:

    prototxt/<name>/train_val.prototxt, deploy.prototxt   the nets
    solvers/<name>.prototxt                               the solver
    results/<name>/                                       one network's run:
        <name>.<YYYYmmdd-HHMMSS>.log                        Caffe's log, one per attempt
        <name>.<stamp>.provenance.json                      what that attempt ran
        <name>_iter_<N>.caffemodel / .solverstate           snapshots (the snapshot_prefix)
        <name>.lock                                         held while a run is live
        <name>.sbatch, <name>.slurm-<job>.out, slurm-job.json   a SLURM job
        solver.<tag>.prototxt, train_val.<tag>.prototxt     a run's GPU/iter_size copies
        <name>.<stamp>.solver.prototxt                      a run's CPU copy of the solver
    results/.gpu-locks/<host>.gpu<N>[.slot<S>].lock       the GPU pool: held by the run(s) on GPU N
    data/<set>/files.txt, lmdb/, mean.binaryproto         a dataset (DATA= may point elsewhere)
    data/<set>/idxmap.txt                                 its labels' map, when relabelled
    data/synsets.txt                                      the class wnids in label order

Functions take the root first; root "" gives the root-relative path (what the
prototxts hold, since Caffe runs with cwd = root).  The data functions take
the datasets directory (data_dir(root), or make's DATA=).

    from transfer_study import layout
    layout.final_snapshot(root, 'half0A', 450000)
    layout.lmdb(layout.data_dir(''), 'half0A_train')   # 'data/half0A_train/lmdb'
"""
import glob
import os
import re

from transfer_study import PROJECT_ROOT

PROTOTXT = "prototxt"
SOLVERS = "solvers"
RESULTS = "results"
DATA = "data"


class LayoutError(ValueError):
    """A root that cannot be used as asked; the message says what to do."""


# ------------------------------------------------------------------ a root --

def check_root(root, profile):
    """The absolute root; only the paper profile may use the checkout itself (its
    committed prototxt/ and solvers/ are the paper's)."""
    root = os.path.abspath(root)
    if profile != "paper" and os.path.realpath(root) == os.path.realpath(PROJECT_ROOT):
        raise LayoutError("the %r profile runs under its own root, never in the checkout's "
                          "prototxt/ and solvers/ (they hold the paper's files): pass --root DIR "
                          "(make ... ROOT=DIR, e.g. ROOT=demo)" % profile)
    return root


def is_checkout(root):
    return os.path.realpath(root) == os.path.realpath(PROJECT_ROOT)


def root_of_results(results):
    """The study root whose results/ `results` is (it has solvers/ beside it), or None
    for a plain directory of <name>/ log directories (e.g. the original study's logs)."""
    results = os.path.abspath(results)
    root = os.path.dirname(results)
    if os.path.basename(results) == RESULTS and os.path.isdir(os.path.join(root, SOLVERS)):
        return root
    return None


# ------------------------------------------------------------- nets, solvers --

def prototxt_dir(root, name):
    return os.path.join(root, PROTOTXT, name)


def train_val(root, name):
    return os.path.join(prototxt_dir(root, name), "train_val.prototxt")


def deploy(root, name):
    return os.path.join(prototxt_dir(root, name), "deploy.prototxt")


def solver(root, name):
    return os.path.join(root, SOLVERS, "%s.prototxt" % name)


# ------------------------------------------------------------------ a run --

def results_dir(root, name):
    return os.path.join(root, RESULTS, name)


def snapshot_prefix(name):
    """The solver's snapshot_prefix (root-relative): results/<name>/<name>."""
    return os.path.join(RESULTS, name, name)


def snapshot(root, name, iteration, kind="caffemodel", prefix=None):
    """<root>/<prefix>_iter_<iteration>.<kind>; prefix: the solver's snapshot_prefix.
    (iteration may be a make expression: experiments.mk's targets.)"""
    return os.path.join(root, "%s_iter_%s.%s" % (prefix or snapshot_prefix(name), iteration, kind))


def final_snapshot(root, name, max_iter, prefix=None):
    """The weights Caffe writes at max_iter: make's target for the network."""
    return snapshot(root, name, max_iter, "caffemodel", prefix)


# The one spelling of a snapshot file: <prefix>_iter_<N>.<caffemodel|solverstate>
_SNAP_RE = re.compile(r"_iter_(\d+)\.(caffemodel|solverstate)$")


def snapshot_iteration(path, kind=None):
    """The iteration N of a snapshot file <prefix>_iter_<N>.<kind>, else None."""
    m = _SNAP_RE.search(path or "")
    return int(m.group(1)) if m and (kind is None or m.group(2) == kind) else None


def snapshot_twin(path, kind):
    """The same iteration's file of the given kind (a .caffemodel's .solverstate)."""
    return _SNAP_RE.sub(lambda m: "_iter_%s.%s" % (m.group(1), kind), path)


def snapshots(root, name, kind=None, prefix=None):
    """[(iteration, path)] of the run's snapshot files (of one kind, or both), newest first."""
    base = os.path.join(root, prefix or snapshot_prefix(name))
    out = []
    for path in glob.glob(glob.escape(base) + "_iter_*"):
        m = _SNAP_RE.search(path)
        if m and (kind is None or m.group(2) == kind):
            out.append((int(m.group(1)), path))
    return sorted(out, reverse=True)


def lock(root, name):
    return lock_in(results_dir(root, name), name)


def lock_in(run_dir, name):
    """The lock of a run directory (held while a run is live)."""
    return os.path.join(run_dir, "%s.lock" % name)


def gpu_locks(root):
    """The GPU pool's locks of a root (runs/gpu_pool.py)."""
    return os.path.join(root, RESULTS, ".gpu-locks")


def gpu_lock(root, host, gpu_id, slot=0):
    """Per host: GPU 0 of one machine is not GPU 0 of another on a shared disk.
    Slot s > 0: the s+1-th network sharing the GPU (NETS_PER_GPU)."""
    return os.path.join(gpu_locks(root), "%s.gpu%d%s.lock" % (host, gpu_id, ".slot%d" % slot if slot else ""))


def gpu_lock_files(root, host):
    """[(gpu id, slot, path)] of the GPU locks of `host` under root (held or not)."""
    out = []
    for path in glob.glob(os.path.join(glob.escape(gpu_locks(root)), "%s.gpu*.lock" % glob.escape(host))):
        m = re.match(r"gpu(\d+)(?:\.slot(\d+))?\.lock$", os.path.basename(path)[len(host) + 1:])
        if m:
            out.append((int(m.group(1)), int(m.group(2) or 0), path))
    return sorted(out)


def log(root, name, stamp):
    return os.path.join(results_dir(root, name), "%s.%s.log" % (name, stamp))


def logs(root, name):
    """Our train.py's logs of the network, oldest first."""
    return sorted(glob.glob(os.path.join(glob.escape(results_dir(root, name)), "%s.*.log" % name)))


def provenance(root, name, stamp):
    return os.path.join(results_dir(root, name), "%s.%s.provenance.json" % (name, stamp))


def provenances(root, name):
    """Provenance records of the network's attempts, oldest first."""
    return provenances_in(results_dir(root, name), name)


def provenances_in(run_dir, name):
    return sorted(glob.glob(os.path.join(glob.escape(run_dir), "%s.*.provenance.json" % name)))


def cpu_solver_copy(root, name, stamp):
    """The copy of a GPU solver with solver_mode CPU that one attempt runs."""
    return os.path.join(results_dir(root, name), "%s.%s.solver.prototxt" % (name, stamp))


def variant(root, name, what, tag):
    """A run's copy of the solver or train_val for several GPUs / iter_size (what:
    'solver' or 'train_val')."""
    return os.path.join(results_dir(root, name), "%s.%s.prototxt" % (what, tag))


def slurm_job_name(names):
    """A job's name: its network, or the networks a packed job trains at once
    (NETS_PER_GPU), joined by '+'."""
    return "+".join(names)


def sbatch(root, names):
    """A job's batch script, in its first network's directory."""
    return os.path.join(results_dir(root, names[0]), "%s.sbatch" % slurm_job_name(names))


def slurm_output(root, names):
    """The job's stdout, %j standing for SLURM's job id."""
    return os.path.join(results_dir(root, names[0]), "%s.slurm-%%j.out" % slurm_job_name(names))


SLURM_RECORD = "slurm-job.json"


def slurm_record(root, name):
    return os.path.join(results_dir(root, name), SLURM_RECORD)


# ---------------------------------------------------------------- datasets --

def data_dir(root):
    return os.path.join(root, DATA)


def dataset_dir(data, dataset):
    return os.path.join(data, dataset)


def files_txt(data, dataset):
    return os.path.join(data, dataset, "files.txt")


def lmdb(data, dataset):
    return os.path.join(data, dataset, "lmdb")


def mean(data, dataset):
    return os.path.join(data, dataset, "mean.binaryproto")


def image_root_file(data, dataset):
    """Where make data reads a whole set's images (the Makefile's image_root):
    a directory, or an archive index, as make lists found it."""
    return os.path.join(data, dataset, "image_root.txt")


def archive_index(data, dataset):
    """The index of a whole set's images inside an ImageNet archive (data/archives.py)."""
    return os.path.join(data, dataset, "archive_index.tsv")


def idxmap(data, dataset):
    """A relabelled dataset's original -> new labels (make splits)."""
    return os.path.join(data, dataset, "idxmap.txt")


def synsets(data):
    return os.path.join(data, "synsets.txt")


def dataset_of(path):
    """The dataset a root-relative path of the nets belongs to:
    data/half0A_train/lmdb -> half0A_train."""
    parts = os.path.normpath(path).split(os.sep)
    if len(parts) >= 2 and parts[0] == DATA:
        return parts[1]
    return os.path.basename(os.path.dirname(path)) or path
