"""ImageNet as it is downloaded, read in place.

Three layouts of an IMAGENET directory are recognised (detect()):

  archives  ILSVRC2012_img_train.tar (1000 uncompressed tars <wnid>.tar, one
            per class), ILSVRC2012_img_val.tar (the 50,000 JPEGs), optionally
            ILSVRC2012_devkit_t12.tar.gz
  kaggle    ILSVRC/Data/CLS-LOC/{train/<wnid>/*.JPEG, val/*.JPEG} with
            LOC_val_solution.csv (validation labels: ImageId, then the wnid
            first in PredictionString) and LOC_synset_mapping.txt
  tree      train/<wnid>/*.JPEG and val/*.JPEG, extracted

Archives are never extracted.  Tar headers are read once (tarfile seeks past
every member's data; an inner tar is read through the outer one the same
way), giving every JPEG's byte range in the outer file; that index is saved
beside the list (DATA/whole_train/archive_index.tsv) and reused while the
archive's size and mtime are unchanged.  warp.py then reads each image by
its range (os.pread), in any list order.

Index file format (text, tab-separated):
    # transfer_study archive index/1
    archive<TAB>/abs/path/ILSVRC2012_img_train.tar<TAB>size<TAB>mtime_ns
    n01440764/n01440764_10026.JPEG<TAB>offset<TAB>size
    ...

The archives' md5s are checked once against the published ones (a progress
bar; 138 GB take minutes) and the result recorded in DATA/archives_md5.json;
a mismatch is an error naming both sums (VERIFY=0 skips the check).
"""
import json
import os
import sys
import tarfile

from transfer_study import files
from transfer_study.data import imagesource

TRAIN_TAR = "ILSVRC2012_img_train.tar"
VAL_TAR = "ILSVRC2012_img_val.tar"
DEVKIT = "ILSVRC2012_devkit_t12.tar.gz"
PUBLISHED_MD5 = {
    TRAIN_TAR: "1d675b47d978889d74fa0da5fadfb00e",
    VAL_TAR: "29b22e2961454d5413ddabcf34fc5622",
    DEVKIT: "fa75699e90414af021442c21a62c3abf",
}
KAGGLE_DIR = os.path.join("ILSVRC", "Data", "CLS-LOC")
KAGGLE_VAL_CSV = "LOC_val_solution.csv"
KAGGLE_SYNSETS = "LOC_synset_mapping.txt"
MD5_RECORD = "archives_md5.json"


class ArchiveError(ValueError):
    """A bad or unrecognised ImageNet download; the message names the file."""


def _find(imagenet, name):
    """imagenet/name when it is a file, else None."""
    p = os.path.join(imagenet, name)
    if os.path.isfile(p):
        return p
    return None


def detect(imagenet):
    """{"kind": "archives"|"kaggle"|"tree", "train": tar or dir, "val": tar or dir or
    None, "devkit"/"val_csv"/"synsets": paths or None} of what IMAGENET holds."""
    if not os.path.isdir(imagenet):
        raise ArchiveError("IMAGENET=%s is not a directory" % imagenet)
    train_tar, val_tar = _find(imagenet, TRAIN_TAR), _find(imagenet, VAL_TAR)
    if train_tar or val_tar:
        return dict(kind="archives", train=train_tar, val=val_tar,
                    devkit=_find(imagenet, DEVKIT))
    kaggle = os.path.join(imagenet, KAGGLE_DIR)
    if os.path.isdir(os.path.join(kaggle, "train")):
        csv = _find(imagenet, KAGGLE_VAL_CSV)
        return dict(kind="kaggle", train=os.path.join(kaggle, "train"),
                    val=os.path.join(kaggle, "val"), val_csv=csv,
                    synsets=_find(imagenet, KAGGLE_SYNSETS))
    if os.path.isdir(os.path.join(imagenet, "train")):
        return dict(kind="tree", train=os.path.join(imagenet, "train"),
                    val=os.path.join(imagenet, "val"))
    raise ArchiveError(
        "%s holds none of the known ImageNet layouts: the official archives (%s, %s), "
        "Kaggle's (%s/train/<wnid>/, %s), or an extracted train/<wnid>/*.JPEG tree"
        % (imagenet, TRAIN_TAR, VAL_TAR, KAGGLE_DIR, KAGGLE_VAL_CSV))


# -- indexing -----------------------------------------------------------------------
def _members(tf, where):
    for m in tf:
        if m.isfile():
            yield m
        elif not m.isdir():
            raise ArchiveError("%s: member %s is not a plain file" % (where, m.name))


def index_val_tar(tar_path):
    """[(name, offset, size)] of the val tar's files, in archive order."""
    out = []
    try:
        with tarfile.open(tar_path, "r:") as tf:
            for m in _members(tf, tar_path):
                out.append((m.name.split("/")[-1], m.offset_data, m.size))
    except tarfile.TarError as e:
        raise ArchiveError("%s is not an uncompressed tar (%s)" % (tar_path, e))
    return out


def index_train_tar(tar_path, wnids):
    """[(wnid/name, offset, size)] of the JPEGs in the per-class inner tars of
    the train tar; every class of wnids must be there, and nothing else."""
    out = []
    seen = set()
    want = set(wnids)
    bar = _bar(len(wnids), "indexing " + os.path.basename(tar_path), "class")
    try:
        with open(tar_path, "rb") as raw, tarfile.open(fileobj=raw, mode="r:") as outer:
            for m in _members(outer, tar_path):
                name = m.name.split("/")[-1]
                wnid = name[:-4] if name.endswith(".tar") else None
                if wnid not in want:
                    raise ArchiveError("%s: member %s is not <wnid>.tar of a class of the "
                                       "synsets list" % (tar_path, m.name))
                seen.add(wnid)
                inner = outer.extractfile(m)   # reads through the outer file; seeks past data
                try:
                    with tarfile.open(fileobj=inner, mode="r:") as tf:
                        for im in _members(tf, "%s[%s]" % (tar_path, m.name)):
                            out.append(("%s/%s" % (wnid, im.name.split("/")[-1]),
                                        m.offset_data + im.offset_data, im.size))
                except tarfile.TarError as e:
                    raise ArchiveError("%s: member %s is not an uncompressed tar (%s)"
                                       % (tar_path, m.name, e))
                if bar is not None:
                    bar.update(1)
    except tarfile.TarError as e:
        raise ArchiveError("%s is not an uncompressed tar (%s)" % (tar_path, e))
    finally:
        if bar is not None:
            bar.close()
    missing = [w for w in wnids if w not in seen]
    if missing:
        raise ArchiveError("%s lacks %d class tar(s): %s" % (tar_path, len(missing),
                                                             " ".join(missing[:20])))
    return out


# -- md5 ------------------------------------------------------------------------------
def _bar(total, desc, unit):
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, dynamic_ncols=True,
                unit_scale=unit == "B", mininterval=0.5)


def file_md5(path):
    bar = _bar(os.path.getsize(path), "md5 " + os.path.basename(path), "B")
    md5 = files.file_md5(path, progress=bar.update if bar is not None else None)
    if bar is not None:
        bar.close()
    return md5


def verify(paths, record_path, log=print):
    """Check each archive's md5 against the published one, once: the result is
    recorded in record_path and reused while the file's size and mtime stay.
    ArchiveError names every archive that is not the published one."""
    record = {}
    if os.path.isfile(record_path):
        with open(record_path) as f:
            record = json.load(f)
    bad = []
    for path in paths:
        name = os.path.basename(path)
        archive, size, mtime = imagesource.stamp(path)
        old = record.get(archive)
        if old and (old["size"], old["mtime_ns"]) == (size, mtime):
            md5 = old["md5"]
        else:
            log("checking the md5 of %s (once; VERIFY=0 skips it)" % archive)
            md5 = file_md5(path)
            record[archive] = dict(size=size, mtime_ns=mtime, md5=md5,
                                   published=PUBLISHED_MD5[name],
                                   ok=md5 == PUBLISHED_MD5[name])
            os.makedirs(os.path.dirname(os.path.abspath(record_path)), exist_ok=True)
            files.write_json(record_path, record)
        if md5 == PUBLISHED_MD5[name]:
            log("%s: md5 %s, the published archive" % (archive, md5))
        else:
            bad.append("%s: md5 %s, not the published archive (%s)"
                       % (archive, md5, PUBLISHED_MD5[name]))
    if bad:
        raise ArchiveError("%s. Download it again, or pass VERIFY=0 to use it anyway."
                           % "; ".join(bad))


# -- the devkit ------------------------------------------------------------------------
GROUND_TRUTH = "data/ILSVRC2012_validation_ground_truth.txt"


def check_val_list(val_bytes, devkit, what, log=print):
    """Check a validation list against the devkit's ground truth, read from the
    .tar.gz in memory.  Its class ids are the devkit's own (mapping them to
    wnids needs meta.mat, i.e. scipy), but image i's label and its id must
    still correspond one to one: ArchiveError names the first lines that break it."""
    try:
        with tarfile.open(devkit, "r:gz") as tf:
            member = next((m for m in tf if m.name.endswith(GROUND_TRUTH)), None)
            if member is None:
                raise ArchiveError("%s has no %s" % (devkit, GROUND_TRUTH))
            ids = tf.extractfile(member).read().split()
    except (tarfile.TarError, OSError, EOFError) as e:
        raise ArchiveError("cannot read %s: %s" % (devkit, e))
    id_of, label_of, bad = {}, {}, []
    for n, line in enumerate(val_bytes.splitlines(), 1):
        parts = line.split()
        name, label = parts[0].decode("utf-8", "replace"), int(parts[-1])
        digits = name[len("ILSVRC2012_val_"):len("ILSVRC2012_val_") + 8]
        if not (name.startswith("ILSVRC2012_val_") and digits.isdigit()
                and 0 < int(digits) <= len(ids)):
            bad.append("line %d: %s is not one of the devkit's %d images" % (n, name, len(ids)))
            continue
        gid = ids[int(digits) - 1]
        known_id, known_label = id_of.setdefault(label, gid), label_of.setdefault(gid, label)
        if known_id != gid or known_label != label:
            bad.append("line %d: %s has label %d, but the devkit's class %s goes with label "
                       "%d" % (n, name, label, gid.decode(), label_of[gid]))
    if bad:
        raise ArchiveError("the validation list (%s) disagrees with %s's ground truth in %d "
                           "line(s): %s" % (what, devkit, len(bad), "; ".join(bad[:10])))
    log("validation labels (%s) agree with %s's ground truth" % (what, devkit))
