"""Derived LMDBs copied from a whole-set LMDB equal direct conversion.

Real JPEGs (tiny), the real warp tool, real LMDB."""
import os
import subprocess
import sys

import cv2
import numpy
import pytest

from transfer_study import PROJECT_ROOT, derive, lmdb_io, splits, warp

CLASSES = 6
PER_CLASS = 5
SIZE = 8   # warp size: small, but a real resize of 10x13 JPEGs


@pytest.fixture(scope="module")
def whole(tmp_path_factory):
    """root/ with JPEGs, data/whole_{train,valid}/{files.txt,lmdb} made by the warp tool."""
    base = tmp_path_factory.mktemp("derive")
    root = base / "images"
    data = base / "data"
    rng = numpy.random.RandomState(7)
    lines = {"train": [], "valid": []}
    for kind in ("train", "valid"):
        for i in range(PER_CLASS):
            for c in range(CLASSES):   # classes interleaved, like val.txt
                rel = "%s/c%d_%d.JPEG" % (kind, c, i)
                os.makedirs(str(root / kind), exist_ok=True)
                img = rng.randint(0, 256, size=(10, 13, 3)).astype(numpy.uint8)
                assert cv2.imwrite(str(root / rel), img)
                lines[kind].append((rel, c))
    for kind in ("train", "valid"):
        d = data / ("whole_" + kind)
        splits.write_dataset(str(data), "whole_" + kind, lines[kind])
        warp.convert(str(root), str(d / "files.txt"), str(d / "lmdb"), SIZE, SIZE,
                     workers=0, progress=False, log=lambda m: None)
    return root, data, lines


def make_derived(data, lines):
    half, idxmap = splits.subset(lines["train"], [1, 3, 4])
    splits.write_dataset(str(data), "halfXA_train", half, idxmap)
    half, idxmap = splits.subset(lines["valid"], [0, 2, 5])
    splits.write_dataset(str(data), "halfXB_valid", half, idxmap)
    splits.write_dataset(str(data), "reduced0002_train", splits.reduced(lines["train"], 2))
    return ["halfXA_train", "halfXB_valid", "reduced0002_train"]


def items(db):
    return list(lmdb_io.iter_items(db))


def test_derived_equals_direct_conversion(whole, tmp_path):
    root, data, lines = whole
    names = make_derived(data, lines)
    for name in names:
        summary = derive.derive_dataset(str(data), name, progress=False, mean=False,
                                        log=lambda m: None)
        assert summary["written"] == len(splits.read_list(str(data / name / "files.txt")))
        direct = str(tmp_path / (name + "_direct"))
        warp.convert(str(root), str(data / name / "files.txt"), direct, SIZE, SIZE,
                     workers=0, progress=False, log=lambda m: None)
        got, want = items(str(data / name / "lmdb")), items(direct)
        assert len(got) == len(want) > 0
        assert got == want, name
        assert lmdb_io.is_complete(str(data / name / "lmdb"))
    # labels really were rewritten: halfXA's first line is class 1 -> 0
    from caffe.proto import caffe_pb2
    d = caffe_pb2.Datum()
    key, value = items(str(data / "halfXA_train" / "lmdb"))[0]
    d.ParseFromString(value)
    assert key == b"00000000_train/c1_0.JPEG" and d.label == 0
    assert (d.channels, d.height, d.width) == (3, SIZE, SIZE)


def test_train_mean_and_cli(whole, tmp_path, caffe_tools):
    """make derived's entry point: disk plan, DBs, and the training set's mean
    equal to what Caffe's compute_image_mean makes of the derived DB."""
    root, data, lines = whole
    make_derived(data, lines)
    script = os.path.join(PROJECT_ROOT, "data_prep", "derive_lmdb.py")
    r = subprocess.run([sys.executable, script, "--data", str(data), "--no-progress",
                        "halfXA_train", "halfXB_valid"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    assert r.returncode == 0, r.stderr
    assert "to write:" in r.stdout and "halfXA_train" in r.stdout
    ours = str(data / "halfXA_train" / "mean.binaryproto")
    assert not os.path.exists(str(data / "halfXB_valid" / "mean.binaryproto"))
    theirs = str(tmp_path / "caffe_mean.binaryproto")
    subprocess.run(["compute_image_mean", "-backend", "lmdb", str(data / "halfXA_train" / "lmdb"),
                    theirs], check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with open(ours, "rb") as a, open(theirs, "rb") as b:
        assert a.read() == b.read()
    # again: nothing to do, mean kept
    mtime = os.path.getmtime(ours)
    r = subprocess.run([sys.executable, script, "--data", str(data), "--no-progress",
                        "halfXA_train"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    assert r.returncode == 0 and "finished" in r.stdout and os.path.getmtime(ours) == mtime
    r = subprocess.run([sys.executable, script, "--data", str(tmp_path / "none")],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    assert r.returncode == 2 and "make splits" in r.stderr and "Traceback" not in r.stderr


def test_rerun_is_noop_and_resume_completes(whole, tmp_path):
    root, data, lines = whole
    names = make_derived(data, lines)
    name = names[0]
    db = str(data / name / "lmdb")
    derive.derive_dataset(str(data), name, progress=False, mean=False, log=lambda m: None)
    want = items(db)
    mtime = os.path.getmtime(os.path.join(db, "data.mdb"))
    again = derive.derive_dataset(str(data), name, progress=False, mean=False,
                                  log=lambda m: None)
    assert again.get("already_done") and os.path.getmtime(os.path.join(db, "data.mdb")) == mtime

    # A crash leaves a committed prefix and no completion record: rebuild it
    # that way (same writer, same inputs), then derive resumes after it.
    import shutil
    shutil.rmtree(db)
    source = derive.Source(str(data), "whole_train")
    params = dict(format=derive.FORMAT, source=source.inputs())
    w = lmdb_io.ResumableWriter(db, params, lmdb_io.file_md5(str(data / name / "files.txt")))
    for k, v in want[:4]:
        w.put(k, v)
    w.close()
    assert not lmdb_io.is_complete(db)
    logged = []
    derive.derive_dataset(str(data), name, progress=False, mean=False, log=logged.append)
    assert any("resuming" in m and "4 datums" in m for m in logged)
    assert items(db) == want and lmdb_io.is_complete(db)


def test_changed_list_is_refused_not_mixed(whole):
    root, data, lines = whole
    make_derived(data, lines)
    name = "reduced0002_train"
    derive.derive_dataset(str(data), name, progress=False, mean=False, log=lambda m: None)
    splits.write_dataset(str(data), name, splits.reduced(lines["train"], 1))
    with pytest.raises(lmdb_io.LmdbError, match="finished DB built from other inputs"):
        derive.derive_dataset(str(data), name, progress=False, mean=False, log=lambda m: None)


def test_list_not_matching_whole_is_named(whole):
    root, data, lines = whole
    bad = [(p, l) for p, l in lines["train"] if l == 2]
    splits.write_dataset(str(data), "bad1_train", bad)      # label 2 kept, but idxmap below
    with open(str(data / "bad1_train" / "idxmap.txt"), "w") as f:
        f.write("# Orig_idx new_idx\n2 0\n")
    with pytest.raises(derive.DeriveError, match=r"bad1_train/files.txt:1: label 2.*-> 0"):
        derive.derive_dataset(str(data), "bad1_train", progress=False, mean=False,
                              log=lambda m: None)
    splits.write_dataset(str(data), "bad2_valid", [("valid/nothere.JPEG", 0)])
    with pytest.raises(derive.DeriveError, match=r"bad2_valid/files.txt:1: valid/nothere.JPEG "
                                                 r"is not in"):
        derive.derive_dataset(str(data), "bad2_valid", progress=False, mean=False,
                              log=lambda m: None)


def test_unfinished_whole_db_is_refused(tmp_path):
    data = tmp_path / "data"
    splits.write_dataset(str(data), "whole_valid", [("a.JPEG", 0)])
    splits.write_dataset(str(data), "x_valid", [("a.JPEG", 0)])
    with pytest.raises(derive.DeriveError, match="not a finished LMDB.*make data"):
        derive.derive_dataset(str(data), "x_valid", progress=False, mean=False)
