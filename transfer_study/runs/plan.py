"""The catalog's dependency graph: what can train in parallel, what it costs,
and the make fragment (experiments.mk) with one target per network.

    from transfer_study.nets import catalog
    from transfer_study.runs import plan
    cat = catalog.load()
    print(plan.report(cat, names=['transfer0A0B_1_3'], sec_per_iter=1.7))
    text = plan.experiments_mk(cat)     # the committed experiments.mk
"""
import os
import re

from transfer_study import files
from transfer_study.runs import train

# Bytes of one serialized Caffe Datum of a 3x256x256 uint8 image (the study's
# warped ImageNet LMDBs): 196,608 pixel bytes + the Datum's field headers.
DATUM_BYTES = 196624
# ILSVRC2012 sizes used when a dataset's files.txt is not there yet.
ILSVRC_TRAIN = 1281167
ILSVRC_VALID_PER_CLASS = 50
# The group targets of the study, in the order `make help` lists them.
GROUP_TARGETS = ("base", "halves", "natman", "reduced", "transfers", "random-filters",
                 "all-networks")


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
    files = os.path.join(root, "data", ds, "files.txt")
    if os.path.exists(files):
        with open(files, "rb") as f:
            return sum(1 for line in f if line.strip() and not line.startswith(b"#")), "files.txt"
    info = cat.datasets.get(ds, {"classes": 1000, "split": "train"})
    classes = info["classes"]
    if info["split"] == "valid":
        return ILSVRC_VALID_PER_CLASS * classes, "assumed %d per class" % ILSVRC_VALID_PER_CLASS
    m = re.match(r"reduced(\d+)_train$", ds)
    if m:
        n = int(m.group(1))
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


def _snapshot_schedule(cat, root, name, profile):
    """(max_iter, snapshot interval): the solver under root when present, else the profile's."""
    sp = train.solver_path(root, name)
    if os.path.exists(sp):
        sv = train.read_solver(sp)
        return sv.max_iter, sv.snapshot
    sched = cat.schedule(name, profile)
    return sched["max_iter"], sched["snapshot"]


def pair_bytes(cat, profile):
    """Bytes of one snapshot pair: a .caffemodel and an SGD .solverstate (the
    momentum history), each 4 bytes per parameter."""
    return 2 * 4 * param_count(cat.profile(profile))


def snapshot_bytes(cat, root, name, profile):
    """(number of snapshots, bytes) a network's run writes: every `snapshot`
    iterations and at max_iter, each a pair (pair_bytes)."""
    last, every = _snapshot_schedule(cat, root, name, profile)
    n = last // every + (1 if last % every else 0) if every else 1
    return n, n * pair_bytes(cat, profile)


def snapshot_pairs(cat, root, name, profile, policy):
    """(pairs written, pairs kept when done, most pairs on disk at once) under
    a snapshots.parse_policy() policy."""
    from transfer_study.runs import snapshots
    last, every = _snapshot_schedule(cat, root, name, profile)
    return snapshots.pair_counts(policy, last, every)


def max_iter(cat, root, name, profile):
    """The network's max_iter: its solver under root when present, else the profile's."""
    sp = train.solver_path(root, name)
    if os.path.exists(sp):
        return train.read_solver(sp).max_iter
    return cat.schedule(name, profile)["max_iter"]


def _is_done(root, name):
    sp = train.solver_path(root, name)
    return os.path.exists(sp) and train.is_done(root, name, train.read_solver(sp))


def _gb(nbytes):
    return "%.1f GB" % (nbytes / 1e9)


def report(cat, names=None, root=None, profile="paper", sec_per_iter=1.7, keep=None):
    """The plan as text: blocks, counts, GPU-days, the snapshot disk (all kept,
    and under the policy `keep`) and the disk the datasets need."""
    from transfer_study.runs import snapshots
    policy = snapshots.parse_policy(keep)
    root = os.path.abspath(root or train.PROJECT_ROOT)
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
    total_iters = 0
    remaining_iters = 0
    for n in every:
        it = max_iter(cat, root, n, profile)
        key = (cat.get(n).schedule, it)
        iters[key] = iters.get(key, 0) + 1
        total_iters += it
        if _is_done(root, n):
            done.append(n)
        else:
            remaining_iters += it
    by_sched = ", ".join("%d x %d iterations (%s schedule)" % (c, it, s)
                         for (s, it), c in sorted(iters.items(), key=lambda kv: (-kv[0][1], kv[0][0])))
    lines.append("Networks: %d = %s" % (len(every), by_sched))
    lines.append("Blocks: %d (a block's networks can train in parallel, one GPU each)" % len(bl))
    days = total_iters * sec_per_iter / 86400.0
    lines.append("GPU-days: %.1f at %g s/iteration (iterations x s/iteration; test passes not "
                 "included)" % (days, sec_per_iter))
    if done:
        lines.append("Already done: %d; remaining GPU-days: %.1f"
                     % (len(done), remaining_iters * sec_per_iter / 86400.0))
    snaps, snap_bytes, kept_end, kept_peak = 0, 0, 0, 0
    for n in every:
        k, b = snapshot_bytes(cat, root, n, profile)
        snaps += k
        snap_bytes += b
        _, end, peak = snapshot_pairs(cat, root, n, profile, policy)
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
    # the datasets these networks read
    sets = []
    for n in every:
        e = cat.get(n)
        for ds in (e.train_set, e.valid_set):
            if ds not in sets:
                sets.append(ds)
    total, counted, assumed = 0, 0, []
    for ds in sets:
        count, how = dataset_images(cat, root, ds)
        total += count * DATUM_BYTES
        if how == "files.txt":
            counted += 1
        else:
            assumed.append("%s %d (%s)" % (ds, count, how))
    lines.append("Datasets read: %d, disk for their LMDBs: %s (%s bytes: %s bytes per datum; "
                 "%d counted from files.txt, %d assumed)"
                 % (len(sets), _gb(total), "{:,}".format(total), "{:,}".format(DATUM_BYTES),
                    counted, len(assumed)))
    for a in assumed:
        lines.append("    assumed: %s" % a)
    return "\n".join(lines)


# ------------------------------------------------------------ experiments.mk

MK_HEADER = """\
# One make target per network of experiments.yaml -- GENERATED, do not edit.
# Regenerate with `make experiments-mk` (scripts/make_experiments_mk.py) after
# changing the catalog; a test checks that this file matches it.
#
# Included by the Makefile's training section, which defines PROFILE, ROOT,
# TRAIN (scripts/train.py with its options) and TRAIN_SHOW (the exact Caffe
# command, shown by `make -n`).  A network's target is its final snapshot
# $(ROOT)/results/NAME/NAME_iter_<max_iter>.caffemodel; a transfer network's
# snapshot needs (order-only) its base's, so `make -j4 transfer0A0B_1_3`
# trains half0A first.  scripts/train.py resumes and never redoes a run.
"""


def experiments_mk(cat):
    """The text of experiments.mk for the catalog."""
    out = [MK_HEADER]
    out.append("# max_iter of each schedule in each profile (the final snapshot's number)")
    for p in cat.profiles():
        for s, sched in sorted(cat.profile(p)["schedules"].items()):
            out.append("MAX_ITER.%s.%s := %d" % (p, s, sched["max_iter"]))
    out.append("ifeq ($(MAX_ITER.$(PROFILE).%s),)" % sorted(cat.profile("paper")["schedules"])[0])
    out.append("$(error PROFILE=$(PROFILE) is not a profile of experiments.yaml (%s))"
               % ", ".join(cat.profiles()))
    out.append("endif")
    out.append("")
    out.append("NETWORK_NAMES := %s" % " ".join(cat.names()))
    out.append("")
    out.append("# final snapshot of each network under $(ROOT) for $(PROFILE)")
    for e in cat.experiments():
        out.append("FINAL.%s = $(ROOT)/results/%s/%s_iter_$(MAX_ITER.$(PROFILE).%s).caffemodel"
                   % (e.name, e.name, e.name, e.schedule))
    out.append("")
    out.append("# group targets")
    for g in GROUP_TARGETS:
        out.append("GROUP.%s := %s" % (g, " ".join(cat.group(g))))
    out.append("")
    out.append(".PHONY: $(NETWORK_NAMES) %s" % " ".join(GROUP_TARGETS))
    for g in GROUP_TARGETS:
        out.append("%s: $(GROUP.%s)" % (g, g))
    out.append("")
    out.append("# make never deletes a snapshot, even when interrupted")
    out.append(".PRECIOUS: $(foreach n,$(NETWORK_NAMES),$(FINAL.$(n)))")
    out.append("")
    for e in cat.experiments():
        out.append("%s: $(FINAL.%s)" % (e.name, e.name))
        deps = "".join(" $(FINAL.%s)" % d for d in e.depends)
        out.append("$(FINAL.%s):%s" % (e.name, " |" + deps if deps else ""))
        out.append("\t$(TRAIN_SHOW) %s" % e.name)
        out.append("\t$(TRAIN) %s" % e.name)
    return "\n".join(out) + "\n"


def write_experiments_mk(cat, path):
    text = experiments_mk(cat)
    old = None
    if os.path.exists(path):
        with open(path) as f:
            old = f.read()
    if old == text:
        return False
    files.write_atomic(path, text)
    return True
