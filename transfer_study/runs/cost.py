"""`make cost`: what a set of networks costs before GPU time is spent on it --
the blocks that can train in parallel, GPU-days, snapshot and dataset disk.

    from transfer_study.nets import catalog
    from transfer_study.runs import cost
    cat = catalog.load()
    print(cost.report(cat, names=['transfer0A0B_1_3'], sec_per_iter=1.7))
    cost.measured_sec_per_iter('results/gpu-check.csv')   # what make gpu-check measured
"""
import os

from transfer_study import PROJECT_ROOT, layout
from transfer_study.data import diskspace
from transfer_study.runs import runstate

# The paper's measured speed: CaffeNet, batch 256, on a K20 (forward, backward
# and update).  make cost's default; the GPU check (make gpu-check) measures
# a GPU's own and writes it to its CSV, which --sec-per-iter can read.
PAPER_SEC_PER_ITER = 1.7
# The GPU check's CSV row (step, metric) holding the measured figure.
MEASURED_ROW = ("projection", "sec_per_iter")

# ILSVRC2012 sizes used when a dataset's files.txt is not there yet.
ILSVRC_TRAIN = 1281167
ILSVRC_VALID_PER_CLASS = 50


def blocks(cat, names):
    """names plus their dependencies, in blocks: block k holds the networks whose
    bases are all in blocks < k (so each block can train in parallel)."""
    order = cat.order(names)
    level = {}
    for n in order:   # dependencies come first in cat.order
        deps = cat.get(n).depends
        level[n] = 1 + max(level[d] for d in deps) if deps else 0
    out = [[] for _ in range(max(level.values()) + 1)] if level else []
    for n in order:
        out[level[n]].append(n)
    return out


def dataset_images(cat, root, ds):
    """(image count, 'files.txt' or how it was assumed) of a dataset."""
    listed = layout.files_txt(layout.data_dir(root), ds)
    if os.path.exists(listed):
        with open(listed, "rb") as f:
            return sum(1 for line in f if line.strip() and not line.startswith(b"#")), "files.txt"
    info = cat.datasets.get(ds, {"classes": 1000, "split": "train"})
    classes = info["classes"]
    if info["split"] == "valid":
        return ILSVRC_VALID_PER_CLASS * classes, "assumed %d per class" % ILSVRC_VALID_PER_CLASS
    n = cat.per_class(ds)
    if n:
        return min(n * classes, ILSVRC_TRAIN), "assumed at most %d per class" % n
    return (int(round(ILSVRC_TRAIN * classes / 1000.0)),
            "assumed %d/1000 of ILSVRC2012's %d" % (classes, ILSVRC_TRAIN))


def param_count(prof):
    """Learnable parameters of the profile's CaffeNet (weights + biases of the 8
    layers; conv2, conv4, conv5 in two groups).  60,965,224 for 'paper'."""
    from transfer_study.nets import netgen
    w = prof["num_output"]
    pool5 = netgen.spatial_sizes(prof["crop"])["pool5"]
    fan_in = {
        "conv1": 3 * 11 * 11, "conv2": w["conv1"] // 2 * 5 * 5, "conv3": w["conv2"] * 3 * 3,
        "conv4": w["conv3"] // 2 * 3 * 3, "conv5": w["conv4"] // 2 * 3 * 3,
        "fc6": w["conv5"] * pool5 * pool5, "fc7": w["fc6"], "fc8": w["fc7"],
    }
    return sum(fan_in[k] * w[k] + w[k] for k in fan_in)


def snapshot_schedule(cat, state, profile):
    """(max_iter, snapshot interval) of a network: its solver as runstate.of read
    it, else -- not written yet, or broken -- the profile's."""
    if state.snapshot_every is None:
        sched = cat.schedule(state.name, profile)
        return sched["max_iter"], sched["snapshot"]
    return state.max_iter, state.snapshot_every


def pair_bytes(cat, profile):
    """Bytes of one snapshot pair: a .caffemodel and an SGD .solverstate (the
    momentum history), each 4 bytes per parameter."""
    return 2 * 4 * param_count(cat.profile(profile))


def snapshot_bytes(cat, profile, last, every):
    """(number of snapshots, bytes) a run to `last` writes: every `every`
    iterations and at `last`, each a pair (pair_bytes)."""
    n = last // every + (1 if last % every else 0) if every else 1
    return n, n * pair_bytes(cat, profile)


def _gb(nbytes):
    return "%.1f GB" % (nbytes / 1e9)


def gpu_days(iterations, sec_per_iter):
    """GPU-days of `iterations` training iterations (test passes not included)."""
    return iterations * sec_per_iter / 86400.0


def study_iterations(cat, names=None, profile="paper"):
    """(networks, training iterations) of names (default all) and the bases they need."""
    every = [n for b in blocks(cat, names or cat.names()) for n in b]
    return len(every), sum(cat.max_iter(n, profile) for n in every)


def measured_sec_per_iter(csv_path):
    """The seconds per iteration the GPU check measured, from its CSV (MEASURED_ROW)."""
    import csv
    with open(csv_path) as f:
        for row in csv.DictReader(f):
            if (row.get("step"), row.get("metric")) == MEASURED_ROW and row.get("value"):
                return float(row["value"])
    raise ValueError("%s has no %s row with a value: not a passed GPU check's CSV"
                     % (csv_path, "/".join(MEASURED_ROW)))


def report(cat, names=None, root=None, profile="paper", sec_per_iter=PAPER_SEC_PER_ITER, keep=None):
    """The cost report as text: blocks, counts, GPU-days, the snapshot disk (all
    kept, and under the policy `keep`) and the disk the datasets need."""
    from transfer_study.runs import snapshots
    policy = snapshots.parse_policy(keep)
    root = os.path.abspath(root or PROJECT_ROOT)
    names = names or cat.names()
    bl = blocks(cat, names)
    every = [n for b in bl for n in b]
    extra = [n for n in every if n not in names]
    lines = ["Plan for %d network%s (profile %s, root %s)%s:"
             % (len(every), "" if len(every) == 1 else "s", profile, root,
                ", including %d base network%s they need" % (len(extra), "" if len(extra) == 1 else "s")
                if extra else "")]
    for i, b in enumerate(bl):
        lines.append("Block %d: %d network%s%s" % (
            i + 1, len(b), "" if len(b) == 1 else "s",
            "" if i == 0 else " (each needs its base's final snapshot from block %d)" % i))
        lines.append("    " + " ".join(b))
    iters = {}
    done = []
    broken = []
    total_iters = 0
    remaining_iters = 0
    schedules = []
    for n in every:
        state = runstate.of(root, n, cat.max_iter(n, profile))
        schedules.append(snapshot_schedule(cat, state, profile))
        it = state.max_iter
        key = (cat.get(n).schedule, it)
        iters[key] = iters.get(key, 0) + 1
        total_iters += it
        if state.state == "broken":
            broken.append((n, state.evidence))
        if state.done:
            done.append(n)
        else:
            remaining_iters += it
    by_sched = ", ".join("%d x %d iterations (%s schedule)" % (c, it, s)
                         for (s, it), c in sorted(iters.items(), key=lambda kv: (-kv[0][1], kv[0][0])))
    lines.append("Networks: %d = %s" % (len(every), by_sched))
    lines.append("Blocks: %d (a block's networks can train in parallel, one GPU each)" % len(bl))
    days = gpu_days(total_iters, sec_per_iter)
    lines.append("GPU-days: %.1f at %g s/iteration (iterations x s/iteration; test passes not "
                 "included)" % (days, sec_per_iter))
    if done:
        lines.append("Already done: %d; remaining GPU-days: %.1f"
                     % (len(done), gpu_days(remaining_iters, sec_per_iter)))
    if broken:
        lines.append("Broken: %d (counted with the catalog's schedule until fixed):" % len(broken))
        for n, why in broken:
            lines.append("    %s: %s" % (n, why))
    snaps, snap_bytes, kept_end, kept_peak = 0, 0, 0, 0
    for last, interval in schedules:
        k, b = snapshot_bytes(cat, profile, last, interval)
        snaps += k
        snap_bytes += b
        _, end, peak = snapshots.pair_counts(policy, last, interval)
        kept_end += end
        kept_peak += peak
    pb = pair_bytes(cat, profile)
    lines.append("Snapshots: %d (.caffemodel + .solverstate pairs of %s parameters), disk: %s "
                 "when all are kept (KEEP_SNAPSHOTS=all)"
                 % (snaps, "{:,}".format(param_count(cat.profile(profile))), _gb(snap_bytes)))
    lines.append("Snapshots kept (KEEP_SNAPSHOTS=%s): %d pairs when done, %s; at most %s while "
                 "all of them run at once"
                 % (snapshots.policy_name(policy), kept_end, _gb(kept_end * pb),
                    _gb(kept_peak * pb)))
    sets = cat.reads(every)
    total, counted, assumed = 0, 0, []
    per = diskspace.per_datum(cat.profile(profile)["resize"])   # make data's estimate
    for ds in sets:
        count, how = dataset_images(cat, root, ds)
        total += count * per
        if how == "files.txt":
            counted += 1
        else:
            assumed.append("%s %d (%s)" % (ds, count, how))
    lines.append("Datasets read: %d, disk for their LMDBs: %s (%s bytes: %s bytes per datum "
                 "in LMDB pages; %d counted from files.txt, %d assumed)"
                 % (len(sets), _gb(total), "{:,}".format(total), "{:,}".format(per),
                    counted, len(assumed)))
    for a in assumed:
        lines.append("    assumed: %s" % a)
    return "\n".join(lines)
