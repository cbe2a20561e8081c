"""The demo: its embedded ImageNet-style dataset, and the whole pipeline run
end to end in its quick size (real JPEGs, real LMDBs, real WordNet, real
Caffe training on the CPU, real tables and figures)."""
import hashlib
import json
import os
import re
import subprocess
import sys

import cv2
import numpy as np
import pytest

from transfer_study import PROJECT_ROOT
from transfer_study.data import natman
from transfer_study.demo import demo, demo_dataset
from transfer_study.data.wordnet import WordNet

DEMO = os.path.join(PROJECT_ROOT, "scripts", "demo.py")


def _tree_md5s(root):
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, root)] = hashlib.md5(fh.read()).hexdigest()
    return out


# ------------------------------------------------------------ the classes --

def test_classes_are_real_ilsvrc_classes():
    from transfer_study.data import imagelists
    names = {}
    with open(imagelists.SYNSET_WORDS) as f:
        for line in f:
            w, name = line.rstrip("\n").split(" ", 1)
            names[w] = name
    for wnid, name, _ in demo_dataset.CLASSES:
        assert names.get(wnid) == name, wnid
    assert list(demo_dataset.WNIDS) == sorted(demo_dataset.WNIDS)


def test_wordnet_puts_classes_under_artifact_and_organism():
    wn = WordNet()
    wnids = list(demo_dataset.WNIDS)
    artifact = set(wn.descendants(natman.ARTIFACT, wnids))
    organism = set(wn.descendants(natman.ORGANISM, wnids))
    for wnid, _, kind in demo_dataset.CLASSES:
        assert (wnid in artifact, wnid in organism) == (kind == "artifact", kind == "organism"), wnid
    # the split the demo's splits stage makes, through the real code
    natural, manmade = natman.split(wnids, wn)
    kinds = [k for _, _, k in demo_dataset.CLASSES]
    assert natural == [i for i, k in enumerate(kinds) if k == "organism"]
    assert manmade == [i for i, k in enumerate(kinds) if k == "artifact"]
    assert len(natural) >= 3 and len(manmade) >= 3


# ------------------------------------------------------------ the dataset --

SMALL = dict(train_per_class=18, val_per_class=2, seed=7)


@pytest.fixture(scope="module")
def small_tree(tmp_path_factory):
    root = str(tmp_path_factory.mktemp("demo-imagenet") / "imagenet")
    demo_dataset.generate(root, progress=False, **SMALL)
    return root


def test_layout_and_lists(small_tree):
    wnids = list(demo_dataset.WNIDS)
    with open(os.path.join(small_tree, "synsets.txt")) as f:
        assert f.read().split() == wnids
    train = []
    for label, w in enumerate(wnids):
        files = sorted(os.listdir(os.path.join(small_tree, "train", w)))
        assert len(files) == SMALL["train_per_class"]
        assert all(re.match(r"^%s_\d+\.JPEG$" % w, f) for f in files), files
        train += ["%s/%s %d" % (w, f, label) for f in files]
    with open(os.path.join(small_tree, "train.txt")) as f:
        listed = f.read().splitlines()
    assert sorted(listed) == sorted(train)
    assert listed != sorted(listed)       # a random order, not class by class
    with open(os.path.join(small_tree, "val.txt")) as f:
        val = [l.split() for l in f.read().splitlines()]
    n_val = SMALL["val_per_class"] * len(wnids)
    assert [v[0] for v in val] == ["ILSVRC2012_val_%08d.JPEG" % (i + 1) for i in range(n_val)]
    labels = [int(v[1]) for v in val]
    assert sorted(labels) == sorted(list(range(len(wnids))) * SMALL["val_per_class"])
    assert sorted(os.listdir(os.path.join(small_tree, "val"))) == sorted(v[0] for v in val)


def test_images_vary_and_include_the_oddities(small_tree):
    from PIL import Image
    shapes = set()
    kinds = {}
    for kind, label, k in demo_dataset.ODDITIES:
        kinds[kind] = None
    for w in demo_dataset.WNIDS:
        d = os.path.join(small_tree, "train", w)
        for f in os.listdir(d):
            p = os.path.join(d, f)
            with open(p, "rb") as fh:
                head = fh.read(8)
            im = Image.open(p)
            shapes.add(im.size)
            if head.startswith(b"\x89PNG"):
                kinds["png"] = p
            elif im.mode == "L":
                kinds["gray"] = p
            elif im.mode == "CMYK":
                kinds["cmyk"] = p
            else:
                assert head[:2] == b"\xff\xd8" and im.mode == "RGB", p
                if im.size == (4000, 3000):
                    kinds["big"] = p
                elif im.size == (1, 1):
                    kinds["tiny"] = p
                elif im.size == (3, 2):
                    kinds["tiny32"] = p
    assert all(kinds.values()), kinds
    aspects = set(round(w / float(h), 2) for w, h in shapes)
    assert len(shapes) > 50 and len(aspects) > 5
    assert any(w > h for w, h in shapes) and any(w < h for w, h in shapes)


def test_classes_differ_in_colour(small_tree):
    """Class-dependent structure: mean colours of two classes differ far more
    than two halves of one class (a weak but real learnability check)."""
    def mean_colour(w, ks):
        d = os.path.join(small_tree, "train", w)
        files = sorted(os.listdir(d))
        return np.mean([cv2.imread(os.path.join(d, files[k])).reshape(-1, 3).mean(0)
                        for k in ks], axis=0)
    fish, clock = demo_dataset.WNIDS[0], demo_dataset.WNIDS[4]
    within = np.abs(mean_colour(fish, range(0, 8)) - mean_colour(fish, range(8, 16))).sum()
    across = np.abs(mean_colour(fish, range(0, 8)) - mean_colour(clock, range(0, 8))).sum()
    assert across > 2 * within


def test_deterministic_resumable_and_refuses_other_parameters(small_tree, tmp_path):
    other = str(tmp_path / "imagenet")
    demo_dataset.generate(other, progress=False, **SMALL)
    want = _tree_md5s(small_tree)
    assert _tree_md5s(other) == want
    # an interrupted run: some images and the completion record missing
    os.remove(os.path.join(other, ".complete"))
    gone = sorted(k for k in want if k.startswith("train/"))[::9]
    for k in gone + ["val.txt"]:
        os.remove(os.path.join(other, k))
    assert demo_dataset.generate(other, progress=False, **SMALL) == len(gone)
    assert _tree_md5s(other) == want
    assert demo_dataset.generate(other, progress=False, **SMALL) == 0
    with pytest.raises(demo_dataset.DemoDataError, match="different parameters"):
        demo_dataset.generate(other, progress=False, train_per_class=19, val_per_class=2, seed=7)


def test_demo_refuses_the_checkout_as_root():
    with pytest.raises(demo.DemoError):
        demo.Demo(PROJECT_ROOT, "quick")


# ------------------------------------------------------------ end to end --

def _checkout_state():
    """What the checkout's data/ and results/ hold (the demo never writes there;
    its prototxts are refused by netgen itself for the tiny profile)."""
    out = {}
    for d in ("data", "results"):
        top = os.path.join(PROJECT_ROOT, d)
        if os.path.isdir(top):
            for name in os.listdir(top):
                out[os.path.join(d, name)] = os.stat(os.path.join(top, name)).st_mtime
    return out


@pytest.mark.usefixtures("caffe_tools")
def test_quick_demo_end_to_end(tmp_path):
    root = str(tmp_path / "demo")
    before = _checkout_state()
    run = subprocess.run([sys.executable, DEMO, "--quick", "--root", root],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         universal_newlines=True, cwd=PROJECT_ROOT, timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    out = run.stdout
    # one line per stage with its time
    for i, stage in enumerate(demo.STAGES, 1):
        assert re.search(r"^\[%d/%d\] %s +\d+\.\d s  " % (i, len(demo.STAGES), stage), out,
                         re.M), (stage, out)

    conf = demo.SIZES["quick"]
    data = os.path.join(root, "data")
    # lists and LMDBs (real datums of the profile's warp size)
    import lmdb
    from caffe.proto import caffe_pb2
    env = lmdb.open(os.path.join(data, "whole_train", "lmdb"), readonly=True, lock=False)
    with env.begin() as txn:
        assert txn.stat()["entries"] == conf["train_per_class"] * len(demo_dataset.WNIDS)
        d = caffe_pb2.Datum()
        d.ParseFromString(next(iter(txn.cursor()))[1])
    env.close()
    size = demo.Demo(root, "quick").prof["resize"]
    assert (d.channels, d.height, d.width) == (3, size, size)
    # the splits: random halves and natural/man-made through WordNet
    for name, classes in (("half0A_train", 5), ("half0B_train", 5),
                          ("halfnatmanA_train", 5), ("halfnatmanB_train", 5)):
        with open(os.path.join(data, name, "files.txt")) as f:
            assert len(set(l.split()[-1] for l in f)) == classes, name
    assert os.path.isfile(os.path.join(data, "reduced0010_train", "mean.binaryproto"))

    # every network trained to its last iteration by real Caffe
    from transfer_study.nets import catalog
    from transfer_study import caffelog, metric
    cat = catalog.load()
    prof = cat.profile(demo.PROFILE)
    accs = {}
    for name in cat.order(conf["networks"]):
        max_iter = prof["schedules"][cat.get(name).schedule]["max_iter"]
        assert os.path.isfile(os.path.join(root, "results", name, "%s_iter_%d.caffemodel"
                                           % (name, max_iter))), name
        r = caffelog.parse_run(os.path.join(root, "results", name))
        assert r.finished and r.last_iter == max_iter, name
        accs[name] = metric.top10_mean(r)
    assert re.search(r"^  half0A +5 classes  top-1 \d\.\d{3}", out, re.M), out

    # tables and figures
    report = os.path.join(root, "report")
    for f in ("summary.csv", "table_s1.md", "figure_s1.png", "figure_2.png",
              "figure_3.png", "scorecard.png"):
        p = os.path.join(report, f)
        assert os.path.getsize(p) > 1000, p
        if f.endswith(".png"):
            img = cv2.imread(p)
            assert img is not None and img.shape[0] > 200 and img.std() > 5, p
    with open(os.path.join(report, "summary.csv")) as f:
        rows = dict((l.split(",")[0], l.split(",")[2]) for l in f.read().splitlines()[1:])
    for name in cat.order(conf["networks"]):
        assert rows[name] == "done", (name, rows[name])
    with open(os.path.join(root, "timings.json")) as f:
        timings = json.load(f)
    assert [s["stage"] for s in timings["stages"]] == list(demo.STAGES)

    # nothing of the demo went into the checkout
    assert _checkout_state() == before

    # a second run finds every stage done and redoes nothing
    again = subprocess.run([sys.executable, DEMO, "--quick", "--root", root],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True, cwd=PROJECT_ROOT, timeout=300)
    assert again.returncode == 0, again.stderr[-2000:]
    assert again.stdout.count("skipped: done in an earlier run") == len(demo.STAGES)
    logs = os.listdir(os.path.join(root, "results", "half0A"))
    assert len([f for f in logs if f.endswith(".log")]) == 1
    # ... and keeps the timings of the run that did the work
    with open(os.path.join(root, "timings.json")) as f:
        assert json.load(f) == timings
    assert all(s["seconds"] is not None for s in timings["stages"])

    # the base nets learn: clearly above chance (5 classes: 0.2)
    for name in ("half0A", "half0B", "halfnatmanA"):
        assert accs[name] > 0.35, (name, accs)
