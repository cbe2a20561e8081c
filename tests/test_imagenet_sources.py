"""ImageNet as it is downloaded: the same synthetic images as an extracted tree,
as the official archives (a train tar of per-class tars, a val tar) and as
Kaggle's CLS-LOC layout give byte-identical lists, LMDBs and means through
make lists / make data, with nothing extracted; one writer per database; an
image no decoder should touch, and damaged ones, are each that line's
business; a disk that fills up stops the run cleanly and it resumes."""
import io
import os
import resource
import shutil
import signal
import struct
import subprocess
import sys
import tarfile
import time

import pytest

from transfer_study import PROJECT_ROOT
from transfer_study.data import archives, dblock, lmdb_io, warp
from transfer_study.demo import sample_images
from transfer_study import locks

WARP = os.path.join(PROJECT_ROOT, "data_prep", "warp_imageset.py")
MAKE_LISTS = os.path.join(PROJECT_ROOT, "data_prep", "make_lists.py")
WNIDS = ["n00000003", "n00000010", "n00000200"]
PER_CLASS = 5
N_VAL = 7


def _jpeg_bytes(w, h, seed):
    import cv2
    ok, buf = cv2.imencode(".jpg", sample_images.make_image(w, h, seed))
    assert ok
    return buf.tobytes()


def _tar_bytes(members):
    """An uncompressed tar of [(name, bytes)], as the ILSVRC archives are."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.GNU_FORMAT) as tf:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), 1334000000
            tf.addfile(info, io.BytesIO(data))
    return out.getvalue()


def _write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


@pytest.fixture(scope="module")
def layouts(tmp_path_factory):
    """{"tree": dir, "archives": dir, "kaggle": dir, "synsets": file, "val": val.txt}:
    one set of images (one of them a truncated JPEG) in the three layouts."""
    base = str(tmp_path_factory.mktemp("imagenet"))
    train, val = {}, []
    for c, w in enumerate(WNIDS):
        # names deliberately out of order in the archive
        train[w] = [("%s_%d.JPEG" % (w, 10 - i), _jpeg_bytes(40 + 7 * i, 30 + 5 * c, 10 * c + i))
                    for i in range(PER_CLASS)]
    whole = train[WNIDS[1]][2][1]
    train[WNIDS[1]][2] = (train[WNIDS[1]][2][0], whole[:len(whole) * 2 // 3])   # truncated
    for i in range(N_VAL):
        val.append(("ILSVRC2012_val_%08d.JPEG" % (i + 1), _jpeg_bytes(33 + i, 41, 100 + i),
                    (2 * i + 1) % len(WNIDS)))
    synsets = os.path.join(base, "synsets.txt")
    _write(synsets, "".join("%s thing %d\n" % (w, i) for i, w in enumerate(WNIDS)).encode())
    val_txt = os.path.join(base, "val.txt")
    _write(val_txt, "".join("%s %d\n" % (n, lab) for n, _, lab in val).encode())
    # 1. the extracted tree
    tree = os.path.join(base, "tree")
    for w, imgs in train.items():
        for n, data in imgs:
            _write(os.path.join(tree, "train", w, n), data)
    for n, data, _ in val:
        _write(os.path.join(tree, "val", n), data)
    # 2. the official archives
    arch = os.path.join(base, "archives")
    _write(os.path.join(arch, archives.TRAIN_TAR),
           _tar_bytes([(w + ".tar", _tar_bytes(train[w])) for w in reversed(WNIDS)]))
    _write(os.path.join(arch, archives.VAL_TAR),
           _tar_bytes([(n, data) for n, data, _ in reversed(val)]))
    # the devkit's ground truth: its own class ids (here 17, 5, 400 for labels 0, 1, 2)
    gt = "".join("%d\n" % (17, 5, 400)[lab] for _, _, lab in val).encode()
    with tarfile.open(os.path.join(arch, archives.DEVKIT), "w:gz") as tf:
        info = tarfile.TarInfo("ILSVRC2012_devkit_t12/" + archives.GROUND_TRUTH)
        info.size = len(gt)
        tf.addfile(info, io.BytesIO(gt))
    # 3. Kaggle's layout
    kaggle = os.path.join(base, "kaggle")
    cls = os.path.join(kaggle, archives.KAGGLE_DIR)
    for w, imgs in train.items():
        for n, data in imgs:
            _write(os.path.join(cls, "train", w, n), data)
    for n, data, _ in val:
        _write(os.path.join(cls, "val", n), data)
    rows = ["ImageId,PredictionString"] + [
        "%s,%s 10 20 30 40 %s 1 2 3 4 " % (n[:-5], WNIDS[lab], WNIDS[lab])
        for n, _, lab in reversed(val)]
    _write(os.path.join(kaggle, archives.KAGGLE_VAL_CSV), ("\n".join(rows) + "\n").encode())
    _write(os.path.join(kaggle, archives.KAGGLE_SYNSETS),
           "".join("%s thing\n" % w for w in WNIDS).encode())
    return dict(tree=tree, archives=arch, kaggle=kaggle, synsets=synsets, val=val_txt,
                truncated="%s/%s" % (WNIDS[1], train[WNIDS[1]][2][0]))


def make(*args):
    return subprocess.run(["make", "--no-print-directory", "-C", PROJECT_ROOT] + list(args),
                          capture_output=True, text=True)


def _snapshot(top):
    return sorted((os.path.relpath(os.path.join(d, f), top),
                   os.path.getsize(os.path.join(d, f)))
                  for d, _, fs in os.walk(top) for f in fs)


def _lists_and_data(kind, layouts, data):
    args = ["IMAGENET=" + layouts[kind], "DATA=" + data, "SYNSETS=" + layouts["synsets"],
            "VERIFY=0", "NUM_CLASSES=%d" % len(WNIDS), "RESIZE=24"]
    if kind != "kaggle":
        args.append("VAL_LIST=" + layouts["val"])
    r = make("lists", *args)
    assert r.returncode == 0, r.stdout + r.stderr
    r2 = make("data", *args)
    assert r2.returncode == 0, r2.stdout + r2.stderr
    return r.stdout + r.stderr + r2.stdout + r2.stderr


def test_tree_archives_and_kaggle_give_identical_lists_lmdbs_and_mean(layouts, tmp_path):
    before = dict((k, _snapshot(layouts[k])) for k in ("tree", "archives", "kaggle"))
    out, results = {}, {}
    for kind in ("tree", "archives", "kaggle"):
        data = str(tmp_path / kind)
        out[kind] = _lists_and_data(kind, layouts, data)
        res = {}
        for name in ("whole_train", "whole_valid"):
            with open(os.path.join(data, name, "files.txt"), "rb") as f:
                res[name + "/files.txt"] = f.read()
            db = os.path.join(data, name, "lmdb")
            assert lmdb_io.is_complete(db)
            res[name + "/lmdb"] = list(lmdb_io.iter_items(db))
        with open(os.path.join(data, "whole_train", "mean.binaryproto"), "rb") as f:
            res["mean"] = f.read()
        results[kind] = res
        # nothing was extracted: no image file anywhere under DATA
        assert not [p for p, _ in _snapshot(data) if p.endswith(".JPEG")], kind
        # the truncated JPEG converted, and listed as such beside its DB
        with open(os.path.join(data, "whole_train", "lmdb.warnings.txt")) as f:
            assert layouts["truncated"] in f.read()
        assert "1 image(s) decoded with warnings" in out[kind]
    assert "official ILSVRC2012 archives" in out["archives"]
    assert "agree with %s" % os.path.join(layouts["archives"], archives.DEVKIT) \
        in out["archives"]
    assert "Kaggle" in out["kaggle"] and "extracted" in out["tree"]
    assert len(results["tree"]["whole_train/lmdb"]) == len(WNIDS) * PER_CLASS
    assert len(results["tree"]["whole_valid/lmdb"]) == N_VAL
    for kind in ("archives", "kaggle"):
        for what in results["tree"]:
            assert results[kind][what] == results["tree"][what], (kind, what)
    # the inputs were only read
    for k, snap in before.items():
        assert _snapshot(layouts[k]) == snap
    # the archive index is reused: a second make lists does not index again
    data = str(tmp_path / "archives")
    r = make("lists", "IMAGENET=" + layouts["archives"], "DATA=" + data, "VERIFY=0",
             "SYNSETS=" + layouts["synsets"], "VAL_LIST=" + layouts["val"])
    assert r.returncode == 0 and "reusing its index" in r.stdout, r.stdout + r.stderr


def test_archive_md5_is_checked_once_and_a_mismatch_says_so(layouts, tmp_path):
    data = str(tmp_path / "data")
    args = ["--imagenet", layouts["archives"], "--data", data, "--synsets", layouts["synsets"],
            "--val-list", layouts["val"]]
    for _ in range(2):
        r = subprocess.run([sys.executable, MAKE_LISTS] + args, capture_output=True, text=True)
        assert r.returncode == 2
        assert "not the published archive (%s)" % archives.PUBLISHED_MD5[archives.TRAIN_TAR] \
            in r.stderr and "VERIFY=0" in r.stderr
    # computed once, then recorded (the second run reads the record)
    assert r.stdout.count("checking the md5") == 0
    rec = os.path.join(data, archives.MD5_RECORD)
    import json
    with open(rec) as f:
        assert all(not v["ok"] for v in json.load(f).values())
    assert not os.path.exists(os.path.join(data, "whole_train", "files.txt"))


def test_devkit_ground_truth_checks_the_validation_labels(layouts):
    devkit = os.path.join(layouts["archives"], archives.DEVKIT)
    with open(layouts["val"], "rb") as f:
        good = f.read()
    archives.check_val_list(good, devkit, "val.txt", log=lambda m: None)
    lines = good.splitlines()
    name, label = lines[3].split()
    lines[3] = name + b" %d" % ((int(label) + 1) % len(WNIDS))
    with pytest.raises(archives.ArchiveError, match="line 4: ILSVRC2012_val_00000004.JPEG has "
                                                    "label"):
        archives.check_val_list(b"\n".join(lines) + b"\n", devkit, "val.txt")


# -- one writer per database ----------------------------------------------------
def _images(root, n, size=(60, 45)):
    os.makedirs(root, exist_ok=True)
    lines = []
    for i in range(n):
        sample_images.write_jpeg(os.path.join(root, "i%03d.JPEG" % i), size[0], size[1], seed=i)
        lines.append("i%03d.JPEG %d" % (i, i % 3))
    listf = os.path.join(root, "list.txt")
    with open(listf, "w") as f:
        f.write("\n".join(lines) + "\n")
    return root + "/", listf


def _warp(args, **kw):
    return subprocess.run([sys.executable, WARP, "--quiet"] + args, capture_output=True,
                          text=True, **kw)


@pytest.mark.parametrize("attempt", [1, 2])
def test_second_writer_refuses_at_once_and_first_finishes_identically(tmp_path, attempt):
    root, listf = _images(str(tmp_path / "img"), 40)
    flags = ["--resize_height=32", "--resize_width=32", "--shuffle", "--batch=4", "--workers=1"]
    solo = str(tmp_path / "solo")
    assert _warp(flags + [root, listf, solo]).returncode == 0
    db = str(tmp_path / "db")
    first = subprocess.Popen([sys.executable, WARP, "--quiet"] + flags + [root, listf, db],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lock = dblock.lock_path(db)
    deadline = time.time() + 60
    while not locks.is_locked(lock):
        assert first.poll() is None and time.time() < deadline, first.stderr.read()
        time.sleep(0.01)
    os.kill(first.pid, signal.SIGSTOP)   # it holds the lock, mid-run
    try:
        t = time.time()
        second = _warp(flags + [root, listf, db], timeout=60)
        took = time.time() - t
    finally:
        os.kill(first.pid, signal.SIGCONT)
    assert second.returncode == 2 and took < 20, second.stderr
    assert "being written by another process (pid %d on " % first.pid in second.stderr
    _, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert list(lmdb_io.iter_items(db)) == list(lmdb_io.iter_items(solo))


# -- images no decoder should touch ---------------------------------------------
def _huge_header_jpeg(path, w=60000, h=60000):
    data = bytearray(_jpeg_bytes(16, 16, 1))
    i = 2
    while data[i + 1] not in (0xC0, 0xC1, 0xC2):
        i += 2 + struct.unpack(">H", bytes(data[i + 2:i + 4]))[0]
    data[i + 5:i + 9] = struct.pack(">HH", h, w)
    _write(path, bytes(data))


PEAK_MB = 400   # the run's largest process; decoding 60000x60000 would need 10.8 GB


@pytest.mark.parametrize("workers", ["0", "2"])
def test_huge_header_is_refused_as_list_line_and_skipped(tmp_path, workers):
    root, listf = _images(str(tmp_path / "img"), 4)
    _huge_header_jpeg(os.path.join(root, "huge.JPEG"))
    with open(listf, "a") as f:
        f.write("huge.JPEG 1\n")
    code = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(r.returncode)")
    base = [sys.executable, "-c", code, sys.executable, WARP, "--quiet", "--workers=" + workers,
            "--resize_height=32", "--resize_width=32"]
    r = subprocess.run(base + [root, listf, str(tmp_path / "db")], capture_output=True, text=True)
    assert r.returncode == 2, r.stderr
    assert "%s:5: " % listf in r.stderr and "60000x60000" in r.stderr
    assert "OpenCV's limit" in r.stderr and "Traceback" not in r.stderr
    assert int(r.stdout.split()[-1]) < PEAK_MB * 1024
    r = subprocess.run(base + ["--skip-bad", root, listf, str(tmp_path / "db")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert int(r.stdout.split()[-1]) < PEAK_MB * 1024
    with open(warp.report_path(str(tmp_path / "db"))) as f:
        assert "%s:5: " % listf in f.read()
    assert lmdb_io.read_record(str(tmp_path / "db"))["count"] == 4


def test_truncated_jpeg_is_converted_as_convert_imageset_does(layouts, caffe_tools, tmp_path):
    root = os.path.join(layouts["tree"], "train") + "/"
    listf = str(tmp_path / "list.txt")
    with open(listf, "w") as f:
        f.write("%s 1\n%s/%s_10.JPEG 0\n" % (layouts["truncated"], WNIDS[0], WNIDS[0]))
    ref, ours = str(tmp_path / "ref"), str(tmp_path / "ours")
    flags = ["--resize_height=24", "--resize_width=24"]
    subprocess.run(["convert_imageset"] + flags + [root, listf, ref], check=True,
                   capture_output=True)
    r = _warp(["--workers=0"] + flags + [root, listf, ours])
    assert r.returncode == 0, r.stderr
    assert list(lmdb_io.iter_items(ours)) == list(lmdb_io.iter_items(ref))
    with open(warp.warnings_path(ours)) as f:
        text = f.read()
    assert "%s:1: %s: " % (listf, layouts["truncated"]) in text and "JPEG" in text


# -- a disk that fills up -----------------------------------------------------------
BALLAST = "ballast"


@pytest.fixture
def small_tmpfs(tmp_path):
    """A 4 MB tmpfs with 640 kB free: the rest is a ballast file, whose removal
    is the disk growing (a remount to a bigger size needs real root; removing
    a file works as root of a one-id user namespace too)."""
    mnt = str(tmp_path / "tmpfs")
    os.makedirs(mnt)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "i21test", mnt],
                       capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip("mounting a tmpfs needs root (mount: %s)" % r.stderr.strip())
    try:
        with open(os.path.join(mnt, BALLAST), "wb") as f:
            f.write(b"\0" * ((4 << 20) - (640 << 10)))
        yield mnt
    finally:
        subprocess.run(["umount", "-l", mnt])


def test_full_disk_stops_cleanly_and_resumes_to_identical_bytes(tmp_path, small_tmpfs):
    root, listf = _images(str(tmp_path / "img"), 80)
    flags = ["--resize_height=48", "--resize_width=48", "--shuffle", "--workers=0"]
    ref = str(tmp_path / "ref")
    assert _warp(flags + [root, listf, ref]).returncode == 0
    db = os.path.join(small_tmpfs, "lmdb")
    # the up-front check refuses; FORCE=1 (--force) starts anyway
    r = subprocess.run([sys.executable, "-c", "from transfer_study.data import diskspace; "
                        "diskspace.check([(%r, %r)], resize=48)" % (listf, db)],
                       capture_output=True, text=True)
    assert r.returncode != 0 and "not enough disk space" in r.stderr and "FORCE=1" in r.stderr
    r = _warp(flags + [root, listf, db])
    assert r.returncode == 2, r.stderr
    assert "disk is full" in r.stderr and "rerun the same command to resume" in r.stderr
    assert "Traceback" not in r.stderr and not lmdb_io.is_complete(db)
    written = lmdb_io.entry_count(db)
    per = 48 * 48 * 3 + 4096 + 800
    st = os.statvfs(small_tmpfs)
    assert 0 < written < 80 and st.f_bavail * st.f_frsize < per + (64 << 10) + 32768, \
        (written, st.f_bavail * st.f_frsize)
    os.remove(os.path.join(small_tmpfs, BALLAST))   # the disk grows
    r = _warp(flags + [root, listf, db])
    assert r.returncode == 0, r.stderr
    assert "resuming" in r.stderr
    assert list(lmdb_io.iter_items(db)) == list(lmdb_io.iter_items(ref))
    shutil.rmtree(db)
