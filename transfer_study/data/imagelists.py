"""The whole ILSVRC2012 training and validation lists, in Caffe's list format.

Class order (labels 0..999): the WordNet ids sorted, i.e. the order of Caffe's
synsets.txt (data/ilsvrc12/synsets.txt in Caffe; ilsvrc12/ of this project, ILSVRC12_DIR).

Training list, one of:
  * a user's Caffe train.txt, copied VERBATIM (its order decides which images
    the reduced sets keep: the first n per class in this order); it is checked
    (every line, labels in range, a path under a wnid directory has that
    wnid's label) but never reordered;
  * built from <imagenet>/train/<wnid>/*.JPEG: classes in label order, and
    within a class the file names sorted by their bytes (Python's sorted() on
    the names), e.g. n01440764/n01440764_10026.JPEG before .._10027.JPEG.
Validation list, one of:
  * Caffe's val.txt (`ILSVRC2012_val_00000001.JPEG 65`), copied verbatim after
    the same checks;
  * the devkit's ILSVRC2012_validation_ground_truth.txt (line i = devkit class
    id 1..1000 of ILSVRC2012_val_%08d.JPEG) with data/meta.mat, whose
    synsets(ILSVRC2012_ID -> WNID) maps devkit ids (not in sorted-wnid order)
    to our labels.  Reading meta.mat needs scipy (python3-scipy, in the env).

    from transfer_study.data import imagelists
    wnids = imagelists.read_synsets(path)
    pairs = imagelists.train_from_tree(train_dir, wnids)
    pairs = imagelists.val_from_devkit(ground_truth, meta_mat, wnids)
    imagelists.check_list(path, wnids)            # ListFileError on any bad line
    imagelists.write_whole_lists(data_dir, ...)    # see its docstring
"""
import os
import re

from transfer_study import PROJECT_ROOT, files, layout
from transfer_study.data import archives, imagesource, listfile

# The ILSVRC2012 class list, class names and validation labels, committed with the
# project as Caffe keeps them in data/ilsvrc12/.
ILSVRC12_DIR = os.path.join(PROJECT_ROOT, "ilsvrc12")
SYNSETS = os.path.join(ILSVRC12_DIR, "synsets.txt")
SYNSET_WORDS = os.path.join(ILSVRC12_DIR, "synset_words.txt")
VAL_TXT = os.path.join(ILSVRC12_DIR, "val.txt")

WNID = re.compile(r"^n[0-9]{8}$")
VAL_NAME = "ILSVRC2012_val_%08d.JPEG"


class ListsError(ValueError):
    """Bad ImageNet layout or metadata; the message names the file (and line)."""


def read_synsets(path, sorted_labels=False):
    """The class wnids in label order: the first word of each non-blank line
    (so synset_words.txt works too), each a WordNet id (n + 8 digits), each
    once.  sorted_labels: they must come in sorted order, as the study's labels
    do (Caffe's synsets.txt).  ListsError names every bad line as file:line."""
    wnids = []
    problems = []
    seen = {}
    with open(path, "rb") as f:
        for i, raw in enumerate(listfile.split_lines(f.read())):
            text = raw.decode("utf-8", "replace").strip()
            if not text:
                continue
            w = text.split()[0]
            if not WNID.match(w):
                problems.append((i + 1, "%r is not a wnid (n + 8 digits)" % w[:40]))
            elif w in seen:
                problems.append((i + 1, "wnid %s repeats line %d" % (w, seen[w])))
            elif sorted_labels and wnids and w < wnids[-1]:
                problems.append((i + 1, "wnid %s comes after %s: labels must be in sorted-wnid "
                                        "order (Caffe's synsets.txt)" % (w, wnids[-1])))
            else:
                seen[w] = i + 1
                wnids.append(w)
    if problems:
        raise ListsError("bad synsets file:\n" + listfile.format_problems(path, problems))
    if not wnids:
        raise ListsError("%s lists no classes" % path)
    return wnids


def train_from_tree(train_dir, wnids, ext=".JPEG"):
    """[(wnid/name, label)]: classes in label order, names sorted within a class."""
    if not os.path.isdir(train_dir):
        raise ListsError("%s is not a directory (expected <imagenet>/train/<wnid>/*.JPEG)"
                         % train_dir)
    present = set(d for d in os.listdir(train_dir)
                  if os.path.isdir(os.path.join(train_dir, d)))
    missing = [w for w in wnids if w not in present]
    extra = sorted(d for d in present if d not in set(wnids))
    if missing or extra:
        raise ListsError(
            "%s does not hold exactly the %d classes of the synsets list: %s%s"
            % (train_dir, len(wnids),
               ("missing %d: %s" % (len(missing), " ".join(missing[:20]))) if missing else "",
               ("%sunexpected %d: %s" % ("; " if missing else "", len(extra),
                                         " ".join(extra[:20]))) if extra else ""))
    pairs = []
    empty = []
    for label, w in enumerate(wnids):
        names = sorted(n for n in os.listdir(os.path.join(train_dir, w)) if n.endswith(ext))
        if not names:
            empty.append(w)
        pairs.extend(("%s/%s" % (w, n), label) for n in names)
    if empty:
        raise ListsError("no *%s files in %d class directories of %s: %s"
                         % (ext, len(empty), train_dir, " ".join(empty[:20])))
    return pairs


def check_list(path, wnids):
    """Every line parses, labels are 0..len(wnids)-1, no duplicates or escaping
    paths, and a path under a wnid directory carries that wnid's label."""
    entries, problems = listfile.parse(path, num_classes=len(wnids))
    index = dict((w, i) for i, w in enumerate(wnids))
    for e in entries:
        if e.problem is None:
            first = e.path.split("/", 1)[0]
            if "/" in e.path and first in index and index[first] != e.label:
                problems.append((e.line, "label %d but the path is in class %s (label %d)"
                                 % (e.label, first, index[first])))
    if problems:
        problems.sort()
        raise listfile.ListFileError("%d bad line(s) in %s:\n%s" % (
            len(problems), path, listfile.format_problems(path, problems)))
    if not entries:
        raise listfile.ListFileError("%s is empty" % path)
    return entries


def load_meta_mat(meta_mat):
    """{devkit ILSVRC2012_ID: wnid} of the devkit's meta.mat (the 1000 leaf classes)."""
    try:
        import scipy.io
    except ImportError:
        raise ListsError("reading %s needs scipy (Debian: python3-scipy; pip: scipy). "
                         "Or give Caffe's val.txt instead (VAL_LIST=...)." % meta_mat)
    try:
        mat = scipy.io.loadmat(meta_mat, squeeze_me=True, struct_as_record=False)
    except Exception as e:   # scipy raises several types for a bad .mat
        raise ListsError("cannot read %s as a MATLAB file: %s" % (meta_mat, e))
    if "synsets" not in mat:
        raise ListsError("%s has no 'synsets' variable (is it the ILSVRC2012 devkit's "
                         "data/meta.mat?)" % meta_mat)
    out = {}
    for s in mat["synsets"]:
        sid, wnid = int(s.ILSVRC2012_ID), str(s.WNID)
        if int(getattr(s, "num_children", 0)) == 0:
            out[sid] = wnid
    return out


def val_from_devkit(ground_truth, meta_mat, wnids):
    id_to_wnid = load_meta_mat(meta_mat)
    index = dict((w, i) for i, w in enumerate(wnids))
    unknown = sorted(w for w in id_to_wnid.values() if w not in index)
    if unknown or len(id_to_wnid) != len(wnids):
        raise ListsError("%s: its %d leaf synsets are not the %d classes of the synsets "
                         "list (e.g. %s)" % (meta_mat, len(id_to_wnid), len(wnids),
                                             " ".join(unknown[:5])))
    pairs = []
    problems = []
    with open(ground_truth, "rb") as f:
        for i, raw in enumerate(listfile.split_lines(f.read())):
            text = raw.decode("utf-8", "replace").strip()
            if not text.isdigit() or int(text) not in id_to_wnid:
                problems.append((i + 1, "expected a devkit class id 1..%d, got %r"
                                 % (len(id_to_wnid), text[:40])))
                continue
            pairs.append((VAL_NAME % (i + 1), index[id_to_wnid[int(text)]]))
    if problems:
        raise ListsError("bad ground truth file:\n"
                         + listfile.format_problems(ground_truth, problems))
    return pairs


def _same_content(path, data):
    if not os.path.isfile(path):
        return False
    with open(path, "rb") as f:
        return f.read() == data


def _write_bytes(path, data):
    """Atomically; untouched when already identical (reruns change nothing)."""
    if _same_content(path, data):
        return False
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    files.write_atomic(path, data)
    return True


def _pairs_bytes(pairs):
    return "".join("%s %d\n" % p for p in pairs).encode("utf-8")


def find_devkit(imagenet):
    for d in ("ILSVRC2012_devkit_t12", "devkit", "."):
        gt = os.path.join(imagenet, d, "data", "ILSVRC2012_validation_ground_truth.txt")
        meta = os.path.join(imagenet, d, "data", "meta.mat")
        if os.path.isfile(gt) and os.path.isfile(meta):
            return gt, meta
    return None


def val_from_kaggle(csv_path, wnids):
    """Kaggle's LOC_val_solution.csv (ImageId,PredictionString; the first word of
    PredictionString is the image's wnid) -> [(ImageId.JPEG, label)] sorted by name,
    the order of Caffe's val.txt."""
    index = dict((w, i) for i, w in enumerate(wnids))
    pairs, problems = [], []
    with open(csv_path, "rb") as f:
        lines = listfile.split_lines(f.read())
    for i, raw in enumerate(lines):
        text = raw.decode("utf-8", "replace").strip()
        if i == 0 and text.startswith("ImageId"):
            continue
        if not text:
            continue
        parts = text.split(",", 1)
        words = parts[1].split() if len(parts) == 2 else []
        if not words or words[0] not in index or not parts[0].strip():
            problems.append((i + 1, "expected 'ImageId,<wnid of the synsets list> ...', got %r"
                             % text[:60]))
            continue
        pairs.append((parts[0].strip() + ".JPEG", index[words[0]]))
    if problems:
        raise ListsError("bad validation labels:\n" + listfile.format_problems(csv_path, problems))
    pairs.sort()
    return pairs


def _sources(data_dir, imagenet, wnids, verify, need_train, log):
    """What IMAGENET holds: (train pairs or None, val pairs or None, {name: image root},
    description, devkit tar or None), indexing archives (saved beside the lists,
    reused); an extracted tree is listed only when need_train."""
    found = archives.detect(imagenet)
    kind = found["kind"]
    log("%s: %s" % (imagenet, {"archives": "the official ILSVRC2012 archives (read in place)",
                               "kaggle": "Kaggle's ILSVRC/Data/CLS-LOC layout",
                               "tree": "an extracted train/<wnid>/ tree"}[kind]))
    roots, val = {}, None
    if kind == "archives":
        tars = [p for p in (found["train"], found["val"], found["devkit"]) if p]
        if verify:
            archives.verify(tars, os.path.join(data_dir, archives.MD5_RECORD), log)
        train = None
        for name, tar in (("whole_train", found["train"]), ("whole_valid", found["val"])):
            if tar is None:
                continue
            idx = layout.archive_index(data_dir, name)
            entries = imagesource.cached_index(idx, tar)
            if entries is None:
                log("indexing %s (headers only, once)" % tar)
                entries = archives.index_train_tar(tar, wnids) if name == "whole_train" \
                    else archives.index_val_tar(tar)
                imagesource.write_index(idx, tar, entries)
            else:
                log("%s: reusing its index %s" % (tar, idx))
            roots[name] = idx
            if name == "whole_train":
                label = dict((w, i) for i, w in enumerate(wnids))
                names = sorted((label[p.split("/", 1)[0]], p) for p, _, _ in entries
                               if p.endswith(".JPEG"))
                train = [(p, lab) for lab, p in names]
        how = "from the archives' headers (classes in label order, names sorted)"
    else:
        train = train_from_tree(found["train"], wnids) if need_train else None
        roots = {"whole_train": found["train"] + "/", "whole_valid": found["val"] + "/"}
        how = "from %s/<wnid>/*.JPEG (classes in label order, names sorted)" % found["train"]
        if kind == "kaggle":
            if found["synsets"]:
                kaggle_wnids = read_synsets(found["synsets"])
                if sorted(kaggle_wnids) != sorted(wnids):
                    raise ListsError("%s does not list the classes of the synsets list"
                                     % found["synsets"])
            if found["val_csv"]:
                val = (val_from_kaggle(found["val_csv"], wnids), "from %s" % found["val_csv"])
    return train, val, roots, how, found.get("devkit")


def write_whole_lists(data_dir, synsets, imagenet=None, train_list=None, val_list=None,
                      ground_truth=None, meta_mat=None, verify=True, log=print):
    """Write <data>/whole_train/files.txt, <data>/whole_valid/files.txt and
    <data>/synsets.txt (the class order).  Sources: train_list verbatim, else what
    IMAGENET holds (archives, Kaggle's layout or an extracted tree: see
    archives.detect); val_list (Caffe val.txt) verbatim, else Kaggle's
    LOC_val_solution.csv, else ground_truth + meta_mat, else the devkit found
    under imagenet.  With IMAGENET, <data>/<set>/image_root.txt names where
    make data reads the images.  Returns {name: (path, number of lines, changed?)}."""
    wnids = read_synsets(synsets)
    out = {}
    found_train, found_val, roots, devkit = None, None, {}, None
    if imagenet:
        found_train, found_val, roots, found_how, devkit = _sources(
            data_dir, imagenet, wnids, verify, not train_list, log)
    if train_list:
        check_list(train_list, wnids)
        with open(train_list, "rb") as f:
            train = f.read()
        how = "verbatim from %s" % train_list
    elif found_train is not None:
        train = _pairs_bytes(found_train)
        how = found_how
    else:
        raise ListsError("no training list source: give IMAGENET=<ImageNet download> "
                         "or TRAIN_LIST=<Caffe train.txt>")
    if val_list:
        check_list(val_list, wnids)
        with open(val_list, "rb") as f:
            val = f.read()
        vhow = "verbatim from %s" % val_list
    elif found_val is not None:
        val, vhow = _pairs_bytes(found_val[0]), found_val[1]
    else:
        if not (ground_truth and meta_mat) and imagenet:
            found = find_devkit(imagenet)
            if found:
                ground_truth, meta_mat = found
        if not (ground_truth and meta_mat):
            raise ListsError("no validation list source: give VAL_LIST=<Caffe val.txt> "
                             "(e.g. ilsvrc12/val.txt) or the devkit "
                             "(<imagenet>/ILSVRC2012_devkit_t12/data/...)")
        val = _pairs_bytes(val_from_devkit(ground_truth, meta_mat, wnids))
        vhow = "from %s + %s" % (ground_truth, meta_mat)
    if devkit:
        archives.check_val_list(val, devkit, vhow, log)
    with open(synsets, "rb") as f:
        syn = f.read()
    for name, path, data, src in (("synsets", layout.synsets(data_dir), syn, synsets),
                                  ("whole_train", layout.files_txt(data_dir, "whole_train"),
                                   train, how),
                                  ("whole_valid", layout.files_txt(data_dir, "whole_valid"),
                                   val, vhow)):
        changed = _write_bytes(path, data)
        n = data.count(b"\n")
        out[name] = (path, n, changed)
        log("%s: %d lines %s (%s)" % (path, n, "written" if changed else "unchanged", src))
    for name, root in sorted(roots.items()):
        _write_bytes(layout.image_root_file(data_dir, name), (root + "\n").encode("utf-8"))
    return out
