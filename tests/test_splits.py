"""The study's lists: random halves, natural/man-made halves, reduced sets."""
import hashlib
import os
import random
import subprocess
import sys

import numpy
import pytest

from transfer_study import PROJECT_ROOT
from transfer_study.data import splits
from transfer_study.nets import catalog
from transfer_study.data.wordnet import WordNet

# The md5 sums the original study published for these lists (its
# ilsvrc12/make_reduced_datasets.sh); its whole_valid is Caffe's val.txt.
VALID = ["half0A_valid", "half0B_valid", "half1A_valid", "half1B_valid",
         "half2A_valid", "half2B_valid", "half3A_valid", "half3B_valid",
         "halfnatmanA_valid", "halfnatmanB_valid"]


@pytest.fixture(scope="module")
def wn():
    return WordNet()


@pytest.fixture
def ilsvrc(shared_dir):
    d = os.path.join(shared_dir, "ilsvrc12")
    return os.path.join(d, "synsets.txt"), os.path.join(d, "val.txt")


def md5(path):
    with open(path, "rb") as f:
        return hashlib.md5(f.read()).hexdigest()


def read_pairs(path):
    with open(path) as f:
        return [(p, int(l)) for p, l in (line.rsplit(" ", 1) for line in f)]


# ------------------------------------------------------------ random halves

def test_halves_seeded_like_the_original():
    """The original passed a one-element list to numpy.random.seed
    (init_by_array).  The plain int, and numpy.array([seed]) in numpy >= 1.17
    (squeezed to the int), draw other halves."""
    numpy_version = tuple(int(x) for x in numpy.__version__.split(".")[:2])
    for seed in (0, 1, 2, 3):
        a, b = splits.random_halves(seed)
        draw = lambda s: sorted(numpy.random.RandomState(s).choice(
            numpy.arange(1000), 500, replace=False).tolist())
        assert a == draw([seed])
        assert len(a) == len(b) == 500 and sorted(a + b) == list(range(1000))
        assert b == sorted(b)
        assert draw(seed) != a
        if numpy_version >= (1, 17):
            assert draw(numpy.array([seed])) == draw(seed)
    assert splits.random_halves(0) != splits.random_halves(1)
    assert splits.random_halves(numpy.int64(2)) == splits.random_halves("2")


@pytest.mark.parametrize("seed", [1.5, "1.5", "abc", True, None, -1, 2 ** 32, "0x1"])
def test_bad_seed_is_named(seed):
    with pytest.raises(splits.SplitError, match="seed"):
        splits.random_halves(seed)


def test_subset_keeps_order_and_renumbers():
    entries = [("a", 7), ("b", 2), ("c", 5), ("d", 2), ("e", 9), ("f", 7)]
    sub, idxmap = splits.subset(entries, [7, 2, 9])
    assert idxmap == [(2, 0), (7, 1), (9, 2)]
    assert sub == [("a", 1), ("b", 0), ("d", 0), ("e", 2), ("f", 1)]


# ------------------------------------------------------------ real metadata

def make_valid(data, synsets, val, wn):
    return splits.make_splits(str(data), synsets, None, val, wordnet=wn,
                              out=open(os.devnull, "w"))


def test_real_valid_lists_stable_and_correct(tmp_path, ilsvrc, wn):
    synsets, val = ilsvrc
    summary = make_valid(tmp_path / "one", synsets, val, wn)
    make_valid(tmp_path / "two", synsets, val, wn)
    names = [s[0] for s in summary]
    assert names == VALID
    assert md5(val) == splits.ORIGINAL_MD5["whole_valid"]
    for name in names:
        one = tmp_path / "one" / name / "files.txt"
        two = tmp_path / "two" / name / "files.txt"
        assert one.read_bytes() == two.read_bytes(), name
        assert md5(str(one)) == splits.ORIGINAL_MD5[name], name

    whole = read_pairs(val)
    natural, manmade = __import__("transfer_study.data.natman", fromlist=["x"]).split(
        splits.read_synsets(synsets), wn)
    expected_classes = {"halfnatmanA_valid": natural, "halfnatmanB_valid": manmade}
    for seed in range(4):
        a, b = splits.random_halves(seed)
        expected_classes["half%dA_valid" % seed] = a
        expected_classes["half%dB_valid" % seed] = b
    for name, classes in expected_classes.items():
        d = tmp_path / "one" / name
        idxmap = splits.read_idxmap(str(d / "idxmap.txt"))
        assert sorted(idxmap) == classes
        assert [idxmap[c] for c in classes] == list(range(len(classes)))
        got = read_pairs(str(d / "files.txt"))
        # Same lines as val.txt restricted to the classes, same order,
        # labels mapped through idxmap.
        keep = set(classes)
        assert got == [(p, idxmap[l]) for p, l in whole if l in keep]
        assert len(got) == 50 * len(classes)
    a0 = set(splits.read_idxmap(str(tmp_path / "one" / "half0A_valid" / "idxmap.txt")))
    b0 = set(splits.read_idxmap(str(tmp_path / "one" / "half0B_valid" / "idxmap.txt")))
    assert not a0 & b0 and len(a0 | b0) == 1000
    assert len(expected_classes["halfnatmanA_valid"]) == 449
    assert len(expected_classes["halfnatmanB_valid"]) == 551


def test_rerun_rewrites_nothing(tmp_path, ilsvrc, wn):
    synsets, val = ilsvrc
    make_valid(tmp_path, synsets, val, wn)
    f = tmp_path / "half0A_valid" / "files.txt"
    os.utime(str(f), (1000000, 1000000))
    make_valid(tmp_path, synsets, val, wn)
    assert os.stat(str(f)).st_mtime == 1000000
    f.write_text("stale 0\n")
    make_valid(tmp_path, synsets, val, wn)
    assert md5(str(f)) == splits.ORIGINAL_MD5["half0A_valid"]
    assert not [n for n in os.listdir(str(f.parent)) if n.startswith(".")]


def test_list_differing_from_original_is_an_error(tmp_path, ilsvrc, wn, monkeypatch):
    synsets, val = ilsvrc
    wrong = dict(splits.ORIGINAL_MD5, half2B_valid="0" * 32)
    monkeypatch.setattr(splits, "ORIGINAL_MD5", wrong)
    with pytest.raises(splits.SplitError, match="differ .*: half2B_valid --"):
        make_valid(tmp_path, synsets, val, wn)


# ------------------------------------------------------------ reduced sets

def test_reduced_semantics_1300_per_class():
    rng = random.Random(1)
    classes = 40
    entries = [("c%03d/img%04d.JPEG" % (c, i), c) for c in range(classes) for i in range(1300)]
    rng.shuffle(entries)
    position = dict((e, i) for i, e in enumerate(entries))
    of_class = dict((c, [e for e in entries if e[1] == c]) for c in range(classes))
    previous = None
    for n, _ in catalog.load().reduced_sets():
        sub = splits.reduced(entries, n)
        assert len(sub) == classes * n
        # order kept, labels unchanged
        idx = [position[e] for e in sub]
        assert idx == sorted(idx)
        # exactly the first n of each class
        got = dict((c, []) for c in range(classes))
        for e in sub:
            got[e[1]].append(e)
        for c in range(classes):
            assert got[c] == of_class[c][:n]
        if previous is not None:
            assert set(previous) <= set(sub)
        previous = sub
    # a class with fewer than n keeps all it has
    short = [("x", 0), ("y", 1), ("z", 0)]
    assert splits.reduced(short, 5) == short
    with pytest.raises(splits.SplitError, match="size"):
        splits.reduced(entries, 0)


def test_make_splits_with_train_list(tmp_path, ilsvrc, wn):
    """End to end with a synthetic 1000-class training list (3 images per
    class, classes interleaved) and the real synsets."""
    synsets, val = ilsvrc
    wnids = splits.read_synsets(synsets)
    train = tmp_path / "train.txt"
    train.write_text("".join("%s/%s_%d.JPEG %d\n" % (wnids[c], wnids[c], i, c)
                             for i in range(3) for c in range(1000)))
    data = tmp_path / "data"
    summary = splits.make_splits(str(data), synsets, str(train), val, wordnet=wn,
                                 out=open(os.devnull, "w"))
    got = dict((s[0], s[1:3]) for s in summary)
    assert got["half0A_train"] == (500, 1500)
    assert got["halfnatmanB_train"] == (551, 1653)
    assert got["reduced0001_train"] == (1000, 1000)
    assert got["reduced0002_train"] == (1000, 2000)
    assert got["reduced1000_train"] == (1000, 3000)
    assert not os.path.exists(str(data / "reduced0001_train" / "idxmap.txt"))
    assert len(summary) == 2 * 10 + 11
    first = read_pairs(str(data / "reduced0001_train" / "files.txt"))
    assert first == [("%s/%s_0.JPEG" % (wnids[c], wnids[c]), c) for c in range(1000)]


def test_smaller_class_set_for_the_demo(tmp_path, wn):
    """Ten ILSVRC classes (as the demo uses): same rules on those classes."""
    natural = ["n01443537", "n02165456", "n02317335", "n02391049", "n01440764"]
    manmade = ["n02708093", "n03530642", "n04254680", "n04507155", "n06785654"]
    wnids = sorted(natural + manmade)
    synsets = write_synsets(tmp_path / "synsets.txt", wnids)
    with pytest.raises(splits.SplitError, match="10 wnids, expected 1000.*--num-classes 10"):
        splits.read_synsets(synsets)
    val = tmp_path / "val.txt"
    val.write_text("".join("v%d.JPEG %d\n" % (i, i % 10) for i in range(40)))
    summary = splits.make_splits(str(tmp_path / "d"), synsets, None, str(val), seeds=[0],
                                 wordnet=wn, out=open(os.devnull, "w"), num_classes=10)
    got = dict((s[0], s[1:3]) for s in summary)
    assert got == {"half0A_valid": (5, 20), "half0B_valid": (5, 20),
                   "halfnatmanA_valid": (5, 20), "halfnatmanB_valid": (5, 20)}
    idx = splits.read_idxmap(str(tmp_path / "d" / "halfnatmanA_valid" / "idxmap.txt"))
    assert sorted(wnids[i] for i in idx) == sorted(natural)
    a = splits.read_idxmap(str(tmp_path / "d" / "half0A_valid" / "idxmap.txt"))
    assert sorted(a) == sorted(numpy.random.RandomState([0]).choice(
        numpy.arange(10), 5, replace=False).tolist())


# ------------------------------------------------------------ bad input

def write_synsets(path, wnids):
    path.write_text("".join(w + "\n" for w in wnids))
    return str(path)


def test_bad_synsets_lists(tmp_path, ilsvrc, wn):
    wnids = splits.read_synsets(ilsvrc[0])
    with pytest.raises(splits.SplitError, match="999 wnids, expected 1000"):
        splits.read_synsets(write_synsets(tmp_path / "s1", wnids[:999]))
    dup = wnids[:500] + [wnids[499]] + wnids[501:]
    with pytest.raises(splits.SplitError, match=r"s2:501: wnid %s repeats line 500" % wnids[499]):
        splits.read_synsets(write_synsets(tmp_path / "s2", dup))
    swapped = [wnids[1], wnids[0]] + wnids[2:]
    with pytest.raises(splits.SplitError, match=r"s3:2: .*sorted-wnid"):
        splits.read_synsets(write_synsets(tmp_path / "s3", swapped))
    with pytest.raises(splits.SplitError, match=r"s4:3: 'tench'"):
        splits.read_synsets(write_synsets(tmp_path / "s4", wnids[:2] + ["tench"] + wnids[3:]))
    # a well-formed wnid WordNet does not have
    missing = write_synsets(tmp_path / "s5", wnids[:999] + ["n99999999"])
    with pytest.raises(splits.SplitError, match="n99999999"):
        splits.make_splits(str(tmp_path / "d"), missing, None, ilsvrc[1], wordnet=wn,
                           out=open(os.devnull, "w"))


def test_bad_list_lines(tmp_path):
    f = tmp_path / "list.txt"
    f.write_text("a.JPEG 3\nb.JPEG 1000\n")
    with pytest.raises(splits.SplitError, match=r"list.txt:2: label 1000 is out of range \(0..999\)"):
        splits.read_list(str(f))
    f.write_text("a.JPEG 3\nb.JPEG -1\n")
    with pytest.raises(splits.SplitError, match=r"list.txt:2: label -1 is negative"):
        splits.read_list(str(f))
    f.write_text("a.JPEG\n")
    with pytest.raises(splits.SplitError, match=r"list.txt:1: no label"):
        splits.read_list(str(f))
    f.write_text("n01440764/x.JPEG 1\n")
    with pytest.raises(splits.SplitError, match=r"list.txt:1: .*n01440764.*label 1 \(n01443537\)"):
        splits.read_list(str(f), wnids=["n01440764", "n01443537"] + ["n%08d" % i for i in range(998)])
    f.write_text("my image.JPEG 3\n")
    assert splits.read_list(str(f)) == [("my image.JPEG", 3)]


def test_cli_errors_without_traceback(tmp_path, ilsvrc):
    synsets, val = ilsvrc
    bad = tmp_path / "val.txt"
    bad.write_text("ILSVRC2012_val_00000001.JPEG 65\nILSVRC2012_val_00000002.JPEG 1000\n")
    script = os.path.join(PROJECT_ROOT, "data_prep", "make_splits.py")
    r = subprocess.run([sys.executable, script, "--data", str(tmp_path / "d"), "--valid-only",
                        "--val-list", str(bad), "--synsets", synsets],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    assert r.returncode == 2
    assert "val.txt:2: label 1000 is out of range" in r.stderr and "Traceback" not in r.stderr
    r = subprocess.run([sys.executable, script, "--data", str(tmp_path / "d"), "--valid-only",
                        "--val-list", val, "--synsets", synsets, "--seeds", "0,x"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    assert r.returncode == 2 and "seed 'x' is not an integer" in r.stderr
    r = subprocess.run([sys.executable, script, "--data", str(tmp_path / "nothing")],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    assert r.returncode == 2 and "make lists" in r.stderr and "Traceback" not in r.stderr
