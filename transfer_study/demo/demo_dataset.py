"""The demo's embedded ImageNet: a small ILSVRC2012-style tree, drawn from a seed.

    <out>/train/<wnid>/<wnid>_<k>.JPEG        training images, ImageNet's layout
    <out>/val/ILSVRC2012_val_<8 digits>.JPEG  validation images, classes interleaved
    <out>/train.txt                           Caffe's train.txt format, in a shuffled order
    <out>/val.txt                             Caffe's val.txt format: `name label`
    <out>/synsets.txt                         the demo's wnids, sorted (Caffe's class order)
    <out>/synset_words.txt                    the same with their WordNet names
    <out>/.complete                           written last: the parameters it was made with

Ten real ILSVRC2012 classes, five that WordNet 3.0 puts under *organism*
(n00004475) and five under *artifact* (n00021939), so the demo's
man-made/natural split runs through the real WordNet code with no manual
placements.  Their ids and names are embedded here so that the demo draws
them without any metadata file; tests/test_demo.py checks them against
WordNet and against the project's ilsvrc12/synset_words.txt.

Each class is a drawing a small convnet can learn from a few hundred
examples: a shape, a texture and a colour scheme, placed at a random scale,
position and angle on a cluttered, unevenly lit, noisy background that only
leans towards the class's usual scene.  Image sizes and aspect ratios vary as
ImageNet's do (mostly 4:3 and 3:4), scaled down so the demo stays small.
The real-world oddities of ImageNet -- a grayscale JPEG, a CMYK JPEG, a PNG
file named .JPEG, 1x1 and 3x2 JPEGs and a 4000x3000 one -- replace a few
training images (transfer_study.demo.sample_images.write_oddities draws them:
generic scenes, so they act as the few mislabelled images ImageNet has).

train.txt lists the training images in a fixed random order, which makes
the reduced sets' "first n per class" a random sample.  (Batches mix
classes either way: the training LMDBs are written shuffled, as Caffe's
Data layer reads an LMDB in key order and never shuffles.)

Every image is a pure function of (seed, split, index), so an interrupted
run resumes by drawing only the files that are missing; files appear under
their final name only when complete (temp name, then rename).
"""
import hashlib
import json
import multiprocessing
import os
import shutil
import sys

import cv2
import numpy as np

from transfer_study import files
from transfer_study.demo.drawings import draw

# (wnid, ILSVRC2012 name, WordNet top category), sorted by wnid: the label of
# a class is its index here, as in Caffe's synsets.txt.
CLASSES = (
    ("n01443537", "goldfish, Carassius auratus", "organism"),
    ("n02165456", "ladybug, ladybeetle, lady beetle, ladybird, ladybird beetle", "organism"),
    ("n02317335", "starfish, sea star", "organism"),
    ("n02391049", "zebra", "organism"),
    ("n02708093", "analog clock", "artifact"),
    ("n03530642", "honeycomb", "artifact"),
    ("n04254680", "soccer ball", "artifact"),
    ("n04507155", "umbrella", "artifact"),
    ("n06785654", "crossword puzzle, crossword", "artifact"),
    ("n11939491", "daisy", "organism"),
)
WNIDS = tuple(c[0] for c in CLASSES)

DEFAULT_SEED = 2014
DEFAULT_TRAIN_PER_CLASS = 150
DEFAULT_VAL_PER_CLASS = 40

# Training images replaced by the odd files real ImageNet has (written by
# sample_images.write_oddities): (kind, class index, position in the class).
# gray: a grayscale JPEG; cmyk: a CMYK JPEG; png: a PNG named .JPEG;
# tiny/tiny32: 1x1 and 3x2 JPEGs; big: a 4000x3000 JPEG.
ODDITIES = (("gray", 1, 3), ("cmyk", 4, 5), ("png", 8, 7), ("tiny", 2, 11),
            ("tiny32", 6, 13), ("big", 9, 17))


class DemoDataError(ValueError):
    """The demo dataset directory cannot be (re)generated as asked."""


def _rng(seed, *key):
    """A generator for one image, independent of every other image's."""
    h = hashlib.sha256(("%d:" % seed + ":".join(str(k) for k in key)).encode()).digest()
    return np.random.RandomState(np.frombuffer(h[:16], dtype=np.uint32))


# --------------------------------------------------------------------------
# The tree

def _cpu_count():
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return multiprocessing.cpu_count()


def _train_names(seed, wnid, count):
    """ImageNet-like file numbers: distinct, unpadded, with gaps, in a
    shuffled order so a lexical sort is not a numeric one."""
    rng = _rng(seed, "names", wnid)
    ks = rng.choice(np.arange(1, 20 * count + 1), count, replace=False)
    return ["%s_%d.JPEG" % (wnid, k) for k in ks]


def _val_labels(seed, val_per_class):
    """Class of each validation image, in ImageNet's interleaved order."""
    labels = np.repeat(np.arange(len(WNIDS)), val_per_class)
    _rng(seed, "val-order").shuffle(labels)
    return [int(x) for x in labels]


def image_jobs(seed=DEFAULT_SEED, train_per_class=DEFAULT_TRAIN_PER_CLASS,
               val_per_class=DEFAULT_VAL_PER_CLASS):
    """[(relative path, label, rng key)] for every image, train then val."""
    jobs = []
    for label, wnid in enumerate(WNIDS):
        for k, name in enumerate(_train_names(seed, wnid, train_per_class)):
            jobs.append((os.path.join("train", wnid, name), label, ("train", wnid, k)))
    for i, label in enumerate(_val_labels(seed, val_per_class)):
        jobs.append((os.path.join("val", "ILSVRC2012_val_%08d.JPEG" % (i + 1)), label, ("val", i)))
    return jobs


def _oddity_kind(key):
    if key[0] != "train":
        return None
    for kind, label, k in ODDITIES:
        if key[1] == WNIDS[label] and key[2] == k:
            return kind
    return None


def _draw_one(job):
    """Worker: draw and write one ordinary image (a pure function of the job)."""
    out_dir, seed, path, label, key = job
    cv2.setNumThreads(1)   # one image per process; the pool uses the cores
    rng = _rng(seed, *key)
    img = draw(WNIDS[label], rng)
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, int(rng.randint(72, 96))])
    if not ok:
        raise DemoDataError("OpenCV could not encode %s" % path)
    files.write_atomic(os.path.join(out_dir, path), buf.tobytes())
    return path


def _write_oddities(out_dir, seed, wanted):
    """Put sample_images' odd files (the kinds real ImageNet has) at their
    places in the tree.  Their content is a generic scene, not the class's
    drawing: a few mislabelled-looking images, as in ImageNet itself."""
    from transfer_study.demo import sample_images
    tmp = os.path.join(out_dir, ".oddities.part")
    if os.path.isdir(tmp):
        shutil.rmtree(tmp)
    files = sample_images.write_oddities(tmp, seed=seed)
    for kind, path in wanted:
        if kind not in files:
            raise DemoDataError("sample_images.write_oddities wrote no %r file (it wrote: %s)"
                                % (kind, ", ".join(sorted(files))))
        os.rename(os.path.join(tmp, files[kind]), os.path.join(out_dir, path))
    shutil.rmtree(tmp)


def params(seed=DEFAULT_SEED, train_per_class=DEFAULT_TRAIN_PER_CLASS,
           val_per_class=DEFAULT_VAL_PER_CLASS):
    return {"seed": int(seed), "train_per_class": int(train_per_class),
            "val_per_class": int(val_per_class), "wnids": list(WNIDS), "version": 3}


def is_complete(out_dir, **kw):
    marker = os.path.join(out_dir, ".complete")
    if not os.path.isfile(marker):
        return False
    with open(marker) as f:
        return json.load(f) == params(**kw)


def generate(out_dir, seed=DEFAULT_SEED, train_per_class=DEFAULT_TRAIN_PER_CLASS,
             val_per_class=DEFAULT_VAL_PER_CLASS, progress=True, workers=None):
    """Write the tree under out_dir (see the module docstring).  Returns the
    number of images drawn by this call (0 when it was already complete)."""
    for what, v in (("seed", seed), ("train_per_class", train_per_class),
                    ("val_per_class", val_per_class)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or \
                (what != "seed" and v < 1) or v < 0:
            raise DemoDataError("%s must be a positive integer, not %r" % (what, v))
    want = params(seed, train_per_class, val_per_class)
    marker = os.path.join(out_dir, ".complete")
    if os.path.isfile(marker):
        with open(marker) as f:
            have = json.load(f)
        if have == want:
            return 0
        raise DemoDataError(
            "%s holds a demo dataset made with different parameters (%s, asked for %s): "
            "remove the directory (make demo-clean) to make a new one"
            % (out_dir, json.dumps(have, sort_keys=True), json.dumps(want, sort_keys=True)))

    jobs = image_jobs(seed, train_per_class, val_per_class)
    for wnid in WNIDS:
        os.makedirs(os.path.join(out_dir, "train", wnid), exist_ok=True)
    os.makedirs(os.path.join(out_dir, "val"), exist_ok=True)
    todo = [j for j in jobs if not os.path.isfile(os.path.join(out_dir, j[0]))]
    odd = [(_oddity_kind(key), path) for path, _, key in todo if _oddity_kind(key)]
    plain = [(out_dir, seed, path, label, key) for path, label, key in todo
             if not _oddity_kind(key)]
    bar = None
    if progress and todo:
        from tqdm import tqdm
        bar = tqdm(total=len(todo), desc="drawing images", unit="img", file=sys.stderr,
                   leave=False, mininterval=0.5)
    if odd:
        _write_oddities(out_dir, seed, odd)
        if bar is not None:
            bar.update(len(odd))
    workers = max(1, min(int(workers or _cpu_count()), len(plain)))
    if workers > 1:
        pool = multiprocessing.Pool(workers)
        try:
            for _ in pool.imap_unordered(_draw_one, plain, chunksize=16):
                if bar is not None:
                    bar.update(1)
        finally:
            pool.terminate()
            pool.join()
    else:
        for job in plain:
            _draw_one(job)
            if bar is not None:
                bar.update(1)
    if bar is not None:
        bar.close()

    train = [(os.path.relpath(p, "train"), label) for p, label, key in jobs if key[0] == "train"]
    _rng(seed, "train-order").shuffle(train)
    files.write_atomic(os.path.join(out_dir, "train.txt"), "".join("%s %d\n" % e for e in train))
    val = [j for j in jobs if j[0].startswith("val" + os.sep)]
    files.write_atomic(os.path.join(out_dir, "val.txt"),
                       "".join("%s %d\n" % (os.path.basename(p), label) for p, label, _ in val))
    files.write_atomic(os.path.join(out_dir, "synsets.txt"), "".join(w + "\n" for w in WNIDS))
    files.write_atomic(os.path.join(out_dir, "synset_words.txt"),
                       "".join("%s %s\n" % (w, name) for w, name, _ in CLASSES))
    files.write_atomic(marker, json.dumps(want, sort_keys=True))
    return len(todo)
