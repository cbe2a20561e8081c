"""The study's class splits and reduced sets, as Caffe list files.

From the whole lists (`whole_train/files.txt`, `whole_valid/files.txt`,
labels 0..999 in sorted-wnid order) this writes, under <data>/<name>/:

  half<seed>{A,B}_{train,valid}   random halves (rule 1 below)
  halfnatmanA_{train,valid}       natural classes   (see natman.py for
  halfnatmanB_{train,valid}       man-made classes   the A/B naming)
  reduced<n>_train                the first n images of each class

Which of them exist (the seeds, the reduced sizes, the class counts) is the
catalog's (experiments.yaml, datasets:), never this module's.

Rules (facts about the original study's Python 2 script):
1. Random halves: A = sorted(RandomState([seed]).choice(arange(1000), 500,
   replace=False)), B = the other 500.  The seed is a one-element *list*
   (the original passed argparse's `nargs=1` list to numpy.random.seed),
   which numpy seeds through init_by_array; RandomState(seed) with the plain
   integer draws other halves.  Beware numpy.array([seed]): numpy >= 1.17
   squeezes a one-element array to the integer, so it gives the integer's
   halves, not the study's.  With the list, all eight validation lists
   reproduce the md5 sums the original study published (ORIGINAL_MD5).
   A half's classes get new labels 0..N-1 in increasing original label;
   its lists keep the whole list's line order.  idxmap.txt records
   `orig new` per class under a `# Orig_idx new_idx` header.
2. Man-made/natural: natman.split(); renumbered as in rule 1.  As in the
   original code halfnatmanA is natural and halfnatmanB man-made (the
   paper's text swaps the letters).
3. Reduced sets: the first n lines of each class in whole_train order, so
   the sets are nested; labels unchanged, no idxmap.  n = 1300 is
   whole_train itself and is not written.
4. Output is a pure function of the inputs: same bytes everywhere.

Files are written to a temporary name and renamed, and only when their
content changes, so rerunning is a no-op that leaves mtimes (and the LMDBs
built from them) alone.
"""
import hashlib
import numbers
import os
import re
import sys

import numpy

from transfer_study import files, layout
from transfer_study.data import imagelists, listfile, natman
from transfer_study.data.wordnet import WordNet, WordNetError, format_table
from transfer_study.nets import catalog

NUM_CLASSES = 1000
IDXMAP_HEADER = "# Orig_idx new_idx\n"


# md5 of files.txt published by the original study (convnet_transfer,
# ilsvrc12/make_reduced_datasets.sh), given its whole lists: whole_valid is
# Caffe's ILSVRC2012 val.txt, whole_train its train.txt.
ORIGINAL_MD5 = {
    "whole_train": "3be8e5d8cbd932cc295ec175d5110921",
    "half0A_train": "83f4e664c68213ba43dd9b4465dd7d4e",
    "half0B_train": "0a9e2917a5f10bdbf22974f4b1fc17ce",
    "half1A_train": "8926a880165726455c5639e4813a2d3b",
    "half1B_train": "b95d534d95151f4fae7610d25d6377fd",
    "half2A_train": "61ffa67fe88e307ac1c5639a087fdf1b",
    "half2B_train": "ddda030205cfd7960498d9300f5c3deb",
    "half3A_train": "32369aaeb73012881558f0f16d932b95",
    "half3B_train": "0017c6f301f33db91008663985b6f826",
    "halfnatmanA_train": "5fb4569a4f3be3897f490ee21b356256",
    "halfnatmanB_train": "4ba839156cd6c7f33d8ada94e4331887",
    "reduced0001_train": "803a36f02b511db01532a604f5704ea8",
    "reduced0002_train": "af6addb779610611d460f0ade2931f2f",
    "reduced0005_train": "abdce3ff7f7933b0323c1074de7a734d",
    "reduced0010_train": "d3752c71b0facde0173876293ce632fd",
    "reduced0025_train": "df313d05c0256010b96870f5707f0417",
    "reduced0050_train": "34e5285b75e5448ff82bc6b0ca0c28f7",
    "reduced0100_train": "8376e82b043586424b8bebf4fd4a8af2",
    "reduced0250_train": "e83abe901d08926ef62956be8628dbd0",
    "reduced0500_train": "d32ff1c8817548f0edf5557b32ca5e0e",
    "reduced0750_train": "5bb58aecc081ec6c27ec68bbc755bb58",
    "reduced1000_train": "94fce01f9b4cb80bdb3fbf2a440c26e6",
    "whole_valid": "b6284a7c08fba47457c2c1f6049a156e",
    "half0A_valid": "2f10009e20d77eb7007cf70674958b94",
    "half0B_valid": "cce39b383d681345c873faf2c0c28d33",
    "half1A_valid": "9ab48b6420504e32ff4498e7d8569f8b",
    "half1B_valid": "57522f5e2aa69547846089f5197c8a6b",
    "half2A_valid": "03d05b6565ab9176baccdd05d746bfd1",
    "half2B_valid": "18de8b37378e07e60dc602b6130eeeb2",
    "half3A_valid": "46086440ddde128f169f23331998499d",
    "half3B_valid": "e5f9f0895fd0d49a8ac0b804ec891282",
    "halfnatmanA_valid": "4fb63c72229ba07106a558127192cb9f",
    "halfnatmanB_valid": "f03be5732fb6bc7928ee53397b043613",
}


class SplitError(ValueError):
    """Bad input to the splits; the message names the file and line or item."""


# ---------------------------------------------------------------- inputs

def read_synsets(path, num_classes=NUM_CLASSES):
    """The class wnids in label order (imagelists.read_synsets): num_classes
    unique, sorted wnids, as the study's labels are in sorted-wnid order."""
    try:
        wnids = imagelists.read_synsets(path, sorted_labels=True)
    except imagelists.ListsError as e:
        raise SplitError(str(e))
    if len(wnids) != num_classes:
        raise SplitError("%s: %d wnids, expected %d%s" % (
            path, len(wnids), num_classes,
            " (the ILSVRC2012 classes; for a smaller class set, e.g. the demo's, pass "
            "--num-classes %d)" % len(wnids) if num_classes == NUM_CLASSES else ""))
    return wnids


def read_list(path, num_classes=NUM_CLASSES, wnids=None):
    """[(path, label)] of a Caffe list file, parsed by listfile (labels after
    the last space, as convert_imageset splits them; every bad line named).
    When `wnids` is given and a path starts with a wnid directory (the
    training list), it must be the wnid of its label."""
    try:
        entries = listfile.read(path, num_classes)
    except listfile.ListFileError as e:
        raise SplitError(str(e))
    if wnids is not None:
        for e in entries:
            top = e.path.split("/", 1)[0]
            if imagelists.WNID.match(top) and top != wnids[e.label]:
                raise SplitError("%s:%d: %s is in directory %s but has label %d (%s)"
                                 % (path, e.line, e.path, top, e.label, wnids[e.label]))
    return [(e.path, e.label) for e in entries]


def parse_seed(seed):
    """An integer seed (int, numpy integer or decimal string) in 0..2**32-1."""
    if isinstance(seed, bool):
        raise SplitError("seed %r is not an integer" % (seed,))
    if isinstance(seed, numbers.Integral):
        value = int(seed)
    elif isinstance(seed, str) and re.match(r"^\s*\d+\s*$", seed):
        value = int(seed)
    else:
        raise SplitError("seed %r is not an integer (the study used 0, 1, 2, 3)" % (seed,))
    if not 0 <= value < 2 ** 32:
        raise SplitError("seed %d is outside 0..2**32-1 (numpy RandomState's range)" % value)
    return value


# ---------------------------------------------------------------- rules

def random_halves(seed, num_classes=NUM_CLASSES):
    """(A, B): sorted class indices of the random halves for `seed`."""
    seed = parse_seed(seed)
    # A list, not an int and not a numpy array: see rule 1 above.
    rng = numpy.random.RandomState([seed])
    a = sorted(int(c) for c in rng.choice(numpy.arange(num_classes), num_classes // 2,
                                          replace=False))
    chosen = set(a)
    b = [c for c in range(num_classes) if c not in chosen]
    return a, b


def subset(entries, classes):
    """Lines of `entries` whose label is in `classes`, in the same order,
    relabelled 0..N-1 by increasing original label.  Returns (entries, idxmap)
    with idxmap = [(orig, new)]."""
    idxmap = [(orig, new) for new, orig in enumerate(sorted(set(classes)))]
    new_of = dict(idxmap)
    return [(p, new_of[l]) for p, l in entries if l in new_of], idxmap


def reduced(entries, n):
    """The first n lines of each class, in list order; labels unchanged."""
    if not isinstance(n, numbers.Integral) or isinstance(n, bool) or n < 1:
        raise SplitError("reduced-set size %r is not a positive integer" % (n,))
    taken = {}
    out = []
    for p, l in entries:
        k = taken.get(l, 0)
        if k < n:
            taken[l] = k + 1
            out.append((p, l))
    return out


def reduced_name(n, cat=None):
    """The catalog's reduced training set of n examples per class."""
    for size, name in (cat or catalog.load()).reduced_sets():
        if size == n:
            return name
    raise SplitError("the catalog has no reduced set of %r examples per class" % (n,))


# ---------------------------------------------------------------- output

def list_bytes(entries):
    return "".join("%s %d\n" % e for e in entries).encode("utf-8", "surrogateescape")


def idxmap_bytes(idxmap):
    return (IDXMAP_HEADER + "".join("%d %d\n" % m for m in idxmap)).encode("ascii")


def read_idxmap(path):
    """{orig: new} from an idxmap.txt."""
    out = {}
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            if lineno == 1:
                if line != IDXMAP_HEADER:
                    raise SplitError("%s:1: expected header %r" % (path, IDXMAP_HEADER.strip()))
                continue
            try:
                orig, new = [int(x) for x in line.split()]
            except ValueError:
                raise SplitError("%s:%d: expected 'orig new', got %r" % (path, lineno, line))
            out[orig] = new
    return out


def write_if_changed(path, data):
    """Write bytes to `path` atomically (fsynced); skip when unchanged.
    Returns True when the file was (re)written."""
    if os.path.isfile(path):
        with open(path, "rb") as f:
            if f.read() == data:
                return False
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    files.write_atomic(path, data, fsync=True)
    return True


def write_dataset(data_dir, name, entries, idxmap=None):
    """Write <data_dir>/<name>/files.txt (and idxmap.txt).  Returns the md5
    of files.txt."""
    body = list_bytes(entries)
    # idxmap first: files.txt is the dataset's completion mark for derive.
    if idxmap is not None:
        write_if_changed(layout.idxmap(data_dir, name), idxmap_bytes(idxmap))
    write_if_changed(layout.files_txt(data_dir, name), body)
    return hashlib.md5(body).hexdigest()


# ---------------------------------------------------------------- the study

def class_splits(wnids, seeds=None, wordnet=None, cat=None):
    """[(half name, sorted class indices)] for every class split: the random
    halves for each seed (default: the catalog's), then natman (A natural,
    B man-made)."""
    cat = cat or catalog.load()
    out = []
    for seed in (cat.half_seeds() if seeds is None else seeds):
        seed = parse_seed(seed)
        a, b = random_halves(seed, len(wnids))
        try:
            for half, classes in (("A", a), ("B", b)):
                out.append((cat.half_set(seed, half, "train").rsplit("_", 1)[0], classes))
        except catalog.CatalogError as e:
            raise SplitError("seed %d: %s" % (seed, e))
    natural, manmade = natman.split(wnids, wordnet, cat)
    out.append((catalog.NATMAN_SETS[0], natural))
    out.append((catalog.NATMAN_SETS[1], manmade))
    return out


def make_splits(data_dir, synsets_path, train_list=None, val_list=None, seeds=None,
                reduced_sizes=None, wordnet=None, out=sys.stdout,
                num_classes=NUM_CLASSES, cat=None):
    """Write every derived list under data_dir.  A list given as None is
    skipped (e.g. the metadata-only case: validation lists without the
    training list).  Prints the WordNet top-20 table and a summary; returns
    [(name, classes, images, md5)] in the order written.  num_classes other
    than the study's 1000 is for a subset of ILSVRC classes (the demo):
    halves draw num_classes // 2 classes the same way.  seeds and
    reduced_sizes default to the catalog's (cat, default experiments.yaml)."""
    cat = cat or catalog.load()
    reduced_sets = [(n, name) for n, name in cat.reduced_sets()
                    if reduced_sizes is None or n in reduced_sizes]
    wnids = read_synsets(synsets_path, num_classes)
    try:
        wn = wordnet or WordNet()
        wn.check_wnids(wnids, synsets_path)
    except WordNetError as e:
        raise SplitError(str(e))
    lists = []
    whole_md5 = {}
    for kind, path in (("train", train_list), ("valid", val_list)):
        if path is not None:
            lists.append((kind, read_list(path, len(wnids), wnids)))
            whole_md5[kind] = files.file_md5(path)
    if not lists:
        raise SplitError("no whole list given: need the training and/or validation list")

    print("WordNet 3.0: the 20 synsets reaching the most ILSVRC classes "
          "(%s)" % wn.path, file=out)
    print(format_table(wn.top_counts(wnids, 20)), file=out)
    print(file=out)

    try:
        splits = class_splits(wnids, seeds, wn, cat)
    except WordNetError as e:
        raise SplitError(str(e))
    summary = []
    for kind, entries in lists:
        for half, classes in splits:
            sub, idxmap = subset(entries, classes)
            name = "%s_%s" % (half, kind)
            md5 = write_dataset(data_dir, name, sub, idxmap)
            summary.append((name, len(classes), len(sub), md5))
        if kind == "train":
            for n, name in reduced_sets:
                sub = reduced(entries, n)
                md5 = write_dataset(data_dir, name, sub)
                summary.append((name, len(set(l for _, l in sub)), len(sub), md5))

    # Where our whole list is the original's, every derived list must be too.
    comparable = set(kind for kind, md5 in whole_md5.items()
                     if ORIGINAL_MD5["whole_" + kind] == md5)
    print("%-22s %7s %9s  %-32s  %s" % ("dataset", "classes", "images", "md5(files.txt)",
                                        "original study's list"), file=out)
    differ = []
    for name, classes, images, md5 in summary:
        kind = name.rsplit("_", 1)[1]
        if kind not in comparable or name not in ORIGINAL_MD5:
            verdict = "-"
        elif ORIGINAL_MD5[name] == md5:
            verdict = "identical"
        else:
            verdict = "DIFFERENT"
            differ.append(name)
        print("%-22s %7d %9d  %s  %s" % (name, classes, images, md5, verdict), file=out)
    for kind in sorted(whole_md5):
        print("whole_%s list md5 %s: %s" % (
            kind, whole_md5[kind], "the original study's, so the lists above are comparable"
            if kind in comparable else "not the original study's (other paths or images); "
            "no comparison with its md5 sums"), file=out)
    print("wrote %d lists under %s" % (len(summary), data_dir), file=out)
    if differ:
        raise SplitError("from the original study's whole lists, these lists differ from the "
                         "ones it published: %s -- a bug in transfer_study/splits.py"
                         % " ".join(differ))
    return summary
