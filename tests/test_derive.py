"""Derived LMDBs copied from a whole-set LMDB equal direct conversion.

whole_train is shuffled as make data writes it (--shuffle, the warp tool's
default seed); derived *_train sets must equal `warp_imageset.py --shuffle`
of their files.txt, *_valid sets an unshuffled conversion.
Real JPEGs (tiny), the real warp tool, real LMDB."""
import json
import os
import shutil
import subprocess
import sys

import cv2
import numpy
import pytest

from transfer_study import PROJECT_ROOT, files
from transfer_study.data import derive, lmdb_io, splits, warp

CLASSES = 6
PER_CLASS = 5
SIZE = 8   # warp size: small, but a real resize of 10x13 JPEGs


def build_whole(base, shuffle_train=True):
    """root/ with JPEGs, data/whole_{train,valid}/{files.txt,lmdb} made by the
    warp tool: whole_train shuffled with its default seed (as make data),
    whole_valid in list order."""
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
                     shuffle=(kind == "train" and shuffle_train),
                     workers=0, progress=False, log=lambda m: None)
    return root, data, lines


@pytest.fixture(scope="module")
def whole(tmp_path_factory):
    return build_whole(tmp_path_factory.mktemp("derive"))


@pytest.fixture(scope="module")
def whole_unshuffled(tmp_path_factory):
    """An older whole_train written in list order: still a valid source."""
    return build_whole(tmp_path_factory.mktemp("derive-unshuffled"), shuffle_train=False)


def make_derived(data, lines):
    half, idxmap = splits.subset(lines["train"], [1, 3, 4])
    splits.write_dataset(str(data), "half0A_train", half, idxmap)
    half, idxmap = splits.subset(lines["valid"], [0, 2, 5])
    splits.write_dataset(str(data), "half0B_valid", half, idxmap)
    splits.write_dataset(str(data), "reduced0002_train", splits.reduced(lines["train"], 2))
    return ["half0A_train", "half0B_valid", "reduced0002_train"]


def items(db):
    return list(lmdb_io.iter_items(db))


@pytest.mark.parametrize("source", ["whole", "whole_unshuffled"])
def test_derived_equals_direct_conversion(source, request, tmp_path):
    """Training sets: warp --shuffle (default seed) of their list; validation
    sets: warp in list order; from a shuffled or an unshuffled whole_train."""
    root, data, lines = request.getfixturevalue(source)
    names = make_derived(data, lines)
    for name in names:
        summary = derive.derive_dataset(str(data), name, progress=False, mean=False,
                                        log=lambda m: None)
        listed = [p for p, _ in splits.read_list(str(data / name / "files.txt"))]
        assert summary["written"] == len(listed)
        train = name.endswith("_train")
        direct = str(tmp_path / (name + "_direct"))
        warp.convert(str(root), str(data / name / "files.txt"), direct, SIZE, SIZE,
                     shuffle=train, workers=0, progress=False, log=lambda m: None)
        got, want = items(str(data / name / "lmdb")), items(direct)
        assert len(got) == len(want) > 0
        assert got == want, name
        assert lmdb_io.is_complete(str(data / name / "lmdb"))
        # the keys: positions 0..n-1 in writing order; shuffled only for training sets
        in_db = [k.split(b"_", 1)[1].decode() for k, _ in got]
        assert [k for k, _ in got] == [lmdb_io.make_key(i, p) for i, p in enumerate(in_db)]
        assert sorted(in_db) == sorted(listed)
        assert (in_db != listed) == train, name
        params = lmdb_io.read_record(str(data / name / "lmdb"))["params"]
        assert params.get("seed") == (warp.DEFAULT_SEED if train else None)
    # labels really were rewritten: half0B_valid's second line is class 2 -> 1
    from caffe.proto import caffe_pb2
    d = caffe_pb2.Datum()
    key, value = items(str(data / "half0B_valid" / "lmdb"))[1]
    d.ParseFromString(value)
    assert key == b"00000001_valid/c2_0.JPEG" and d.label == 1
    assert (d.channels, d.height, d.width) == (3, SIZE, SIZE)


def test_derived_train_equals_warp_imageset_shuffle(whole, tmp_path):
    """The CLI, with nothing but --shuffle: the seed derive uses is the one
    warp_imageset.py defaults to and make data records."""
    root, data, lines = whole
    make_derived(data, lines)
    derive.derive_dataset(str(data), "half0A_train", progress=False, mean=False,
                          log=lambda m: None)
    direct = str(tmp_path / "direct")
    r = subprocess.run([sys.executable, os.path.join(PROJECT_ROOT, "data_prep",
                                                     "warp_imageset.py"),
                        "--quiet", "--workers=0", "--shuffle", "--resize_height=%d" % SIZE,
                        "--resize_width=%d" % SIZE, str(root) + "/",
                        str(data / "half0A_train" / "files.txt"), direct],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    assert r.returncode == 0, r.stderr
    assert items(str(data / "half0A_train" / "lmdb")) == items(direct)


def _copy_whole_train(data, dest, edit):
    """dest/whole_train: a copy of data's, its completion record edited."""
    shutil.copytree(str(data / "whole_train"), str(dest / "whole_train"))
    shutil.copytree(str(data / "half0A_train"), str(dest / "half0A_train"),
                    ignore=shutil.ignore_patterns("lmdb", "mean.binaryproto"))
    record = str(dest / "whole_train" / "lmdb" / lmdb_io.COMPLETE)
    with open(record) as f:
        rec = json.load(f)
    edit(rec["params"])
    with open(record, "w") as f:
        json.dump(rec, f)


def test_shuffled_source_without_its_seed_is_refused(whole, tmp_path):
    root, data, lines = whole
    make_derived(data, lines)
    # shuffled, but no seed recorded: the keys cannot be recomputed
    bad = tmp_path / "noseed"
    _copy_whole_train(data, bad, lambda p: p.pop("seed"))
    with pytest.raises(derive.DeriveError, match=r"whole_train/lmdb was written shuffled, but "
                                                 r"its completion record .* has no seed"):
        derive.derive_dataset(str(bad), "half0A_train", progress=False, mean=False,
                              log=lambda m: None)
    script = os.path.join(PROJECT_ROOT, "data_prep", "derive_lmdb.py")
    r = subprocess.run([sys.executable, script, "--data", str(bad), "--no-progress",
                        "half0A_train"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    assert r.returncode == 2 and "has no seed" in r.stderr and "Traceback" not in r.stderr
    assert not os.path.exists(str(bad / "half0A_train" / "lmdb"))
    # another seed recorded than the one it was shuffled with: caught before writing
    bad = tmp_path / "otherseed"
    _copy_whole_train(data, bad, lambda p: p.update(seed=warp.DEFAULT_SEED + 1))
    with pytest.raises(derive.DeriveError, match=r"does not hold .* shuffled with the recorded "
                                                 r"seed %d" % (warp.DEFAULT_SEED + 1)):
        derive.derive_dataset(str(bad), "half0A_train", progress=False, mean=False,
                              log=lambda m: None)
    # recorded as unshuffled, but it is shuffled
    bad = tmp_path / "notshuffled"
    _copy_whole_train(data, bad, lambda p: p.update(shuffle=False, seed=None))
    with pytest.raises(derive.DeriveError, match=r"does not hold .* in list order"):
        derive.derive_dataset(str(bad), "half0A_train", progress=False, mean=False,
                              log=lambda m: None)
    assert not os.path.exists(str(bad / "half0A_train" / "lmdb"))


def test_train_mean_and_cli(whole, tmp_path, caffe_tools):
    """make derived's entry point: disk space check, DBs, and the training set's mean
    equal to what Caffe's compute_image_mean makes of the derived DB."""
    root, data, lines = whole
    make_derived(data, lines)
    script = os.path.join(PROJECT_ROOT, "data_prep", "derive_lmdb.py")
    r = subprocess.run([sys.executable, script, "--data", str(data), "--no-progress",
                        "half0A_train", "half0B_valid"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    assert r.returncode == 0, r.stderr
    assert "to write:" in r.stdout and "half0A_train" in r.stdout
    plan = dict((l.split()[0], l) for l in r.stdout.splitlines() if l.strip())
    assert plan["half0A_train"].endswith("shuffled (seed %d)" % warp.DEFAULT_SEED)
    assert plan["half0B_valid"].endswith("list order")
    ours = str(data / "half0A_train" / "mean.binaryproto")
    assert not os.path.exists(str(data / "half0B_valid" / "mean.binaryproto"))
    theirs = str(tmp_path / "caffe_mean.binaryproto")
    subprocess.run(["compute_image_mean", "-backend", "lmdb", str(data / "half0A_train" / "lmdb"),
                    theirs], check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with open(ours, "rb") as a, open(theirs, "rb") as b:
        assert a.read() == b.read()
    # again: nothing to do, mean kept
    mtime = os.path.getmtime(ours)
    r = subprocess.run([sys.executable, script, "--data", str(data), "--no-progress",
                        "half0A_train"],
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
    params = dict(format=derive.FORMAT, source=source.inputs(), shuffle=True,
                  seed=derive.shuffle_seed(source))
    w = lmdb_io.ResumableWriter(db, params, files.file_md5(str(data / name / "files.txt")))
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
    splits.write_dataset(str(data), "half1A_train", bad)      # label 2 kept, but idxmap below
    with open(str(data / "half1A_train" / "idxmap.txt"), "w") as f:
        f.write("# Orig_idx new_idx\n2 0\n")
    with pytest.raises(derive.DeriveError, match=r"half1A_train/files.txt:1: label 2.*-> 0"):
        derive.derive_dataset(str(data), "half1A_train", progress=False, mean=False,
                              log=lambda m: None)
    splits.write_dataset(str(data), "half1B_valid", [("valid/nothere.JPEG", 0)])
    with pytest.raises(derive.DeriveError, match=r"half1B_valid/files.txt:1: valid/nothere.JPEG "
                                                 r"is not in"):
        derive.derive_dataset(str(data), "half1B_valid", progress=False, mean=False,
                              log=lambda m: None)


def test_unfinished_whole_db_is_refused(tmp_path):
    data = tmp_path / "data"
    splits.write_dataset(str(data), "whole_valid", [("a.JPEG", 0)])
    splits.write_dataset(str(data), "half2A_valid", [("a.JPEG", 0)])
    with pytest.raises(derive.DeriveError, match="not a finished LMDB.*make data"):
        derive.derive_dataset(str(data), "half2A_valid", progress=False, mean=False)


def test_a_dataset_outside_the_catalog_is_refused(tmp_path):
    """Which datasets exist, and which whole set each is drawn from, is the catalog's."""
    data = tmp_path / "data"
    splits.write_dataset(str(data), "half9Z_valid", [("a.JPEG", 0)])
    with pytest.raises(derive.DeriveError, match="'half9Z_valid' is not under datasets:"):
        derive.derive_dataset(str(data), "half9Z_valid", progress=False, mean=False)
    assert derive.derived_names(str(data)) == []


def test_a_second_writer_of_a_derived_db_is_refused(whole):
    """make derived takes the same per-DB lock as make data: while another process
    holds half2B_valid's, derive_lmdb.py refuses at once, naming it, and writes nothing."""
    root, data, lines = whole
    splits.write_dataset(str(data), "half2B_valid", lines["valid"][:3])
    db = str(data / "half2B_valid" / "lmdb")
    holder = subprocess.Popen([sys.executable, "-c",
                               "import sys, time; from transfer_study.data import dblock\n"
                               "with dblock.hold(sys.argv[1]):\n"
                               "    print('held', flush=True); time.sleep(60)", db],
                              stdout=subprocess.PIPE, universal_newlines=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        script = os.path.join(PROJECT_ROOT, "data_prep", "derive_lmdb.py")
        r = subprocess.run([sys.executable, script, "--data", str(data), "--no-progress",
                            "half2B_valid"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True, timeout=60)
    finally:
        holder.kill()
        holder.wait()
    assert r.returncode == 2, r.stderr
    assert "being written by another process (pid %d on " % holder.pid in r.stderr
    assert not os.path.exists(db)
