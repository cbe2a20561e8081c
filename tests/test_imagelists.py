"""The whole lists (data_prep/make_lists.py) and the list-file reader."""
import os

import numpy as np
import pytest

from transfer_study import PROJECT_ROOT
from transfer_study.data import imagelists, listfile

import importlib.util

_spec = importlib.util.spec_from_file_location(
    "make_lists_cli", os.path.join(PROJECT_ROOT, "data_prep", "make_lists.py"))
CLI = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(CLI)


def test_train_list_from_tree_is_class_ordered_and_sorted(tmp_path, capsys):
    wnids = ["n00000002", "n00000010", "n00000011"]
    syn = tmp_path / "synsets.txt"
    syn.write_text("".join(w + "\n" for w in wnids))
    train = tmp_path / "in" / "train"
    names = {"n00000010": ["n00000010_9.JPEG", "n00000010_10.JPEG", "n00000010_1.JPEG"],
             "n00000002": ["n00000002_5.JPEG"],
             "n00000011": ["n00000011_2.JPEG", "readme.txt"]}
    for w, files in names.items():
        (train / w).mkdir(parents=True)
        for n in files:
            (train / w / n).write_bytes(b"x")
    (tmp_path / "val.txt").write_text("ILSVRC2012_val_00000001.JPEG 2\n"
                                      "ILSVRC2012_val_00000002.JPEG 0\n")
    data = tmp_path / "data"
    assert CLI.main(["--imagenet", str(tmp_path / "in"), "--data", str(data), "--synsets",
                     str(syn), "--val-list", str(tmp_path / "val.txt")]) == 0
    assert (data / "whole_train" / "files.txt").read_text() == (
        "n00000002/n00000002_5.JPEG 0\n"
        "n00000010/n00000010_1.JPEG 1\n"
        "n00000010/n00000010_10.JPEG 1\n"
        "n00000010/n00000010_9.JPEG 1\n"
        "n00000011/n00000011_2.JPEG 2\n")
    assert (data / "whole_valid" / "files.txt").read_bytes() == (tmp_path / "val.txt").read_bytes()
    assert (data / "synsets.txt").read_text().split() == wnids
    # a rerun leaves the files alone
    before = os.stat(str(data / "whole_train" / "files.txt")).st_mtime_ns
    capsys.readouterr()
    assert CLI.main(["--imagenet", str(tmp_path / "in"), "--data", str(data), "--synsets",
                     str(syn), "--val-list", str(tmp_path / "val.txt")]) == 0
    assert "unchanged" in capsys.readouterr().out
    assert os.stat(str(data / "whole_train" / "files.txt")).st_mtime_ns == before
    # a class directory missing is named
    (train / "n00000011" / "n00000011_2.JPEG").unlink()
    (train / "n00000011" / "readme.txt").unlink()
    (train / "n00000011").rmdir()
    assert CLI.main(["--imagenet", str(tmp_path / "in"), "--data", str(data), "--synsets",
                     str(syn), "--val-list", str(tmp_path / "val.txt")]) == 2
    assert "missing 1: n00000011" in capsys.readouterr().err


def test_user_train_list_is_kept_verbatim_and_checked(tmp_path, shared_dir, capsys):
    syn = os.path.join(shared_dir, "ilsvrc12", "synsets.txt")
    wnids = imagelists.read_synsets(syn)
    assert len(wnids) == 1000 and wnids == sorted(wnids)
    user = tmp_path / "train.txt"
    user.write_text("%s/%s_77.JPEG 1\n%s/%s_3.JPEG 0\n%s/b.JPEG 0\n"
                    % (wnids[1], wnids[1], wnids[0], wnids[0], wnids[0]))
    data = tmp_path / "data"
    val = os.path.join(shared_dir, "ilsvrc12", "val.txt")
    assert CLI.main(["--train-list", str(user), "--val-list", val, "--data", str(data)]) == 0
    assert (data / "whole_train" / "files.txt").read_bytes() == user.read_bytes()
    with open(val, "rb") as f:
        assert (data / "whole_valid" / "files.txt").read_bytes() == f.read()
    # a label that contradicts its wnid directory, a label out of range, a bad line
    user.write_text("%s/a.JPEG 0\n%s/b.JPEG 0\nc.JPEG 1000\nd.JPEG\n" % (wnids[0], wnids[5]))
    capsys.readouterr()
    assert CLI.main(["--train-list", str(user), "--val-list", val, "--data", str(data)]) == 2
    err = capsys.readouterr().err
    for line, what in [(2, "is in class %s" % wnids[5]), (3, "out of range"), (4, "no label")]:
        assert "%s:%d: " % (user, line) in err and what in err, err
    assert "%s:1:" % user not in err


def _write_meta_mat(path, id_to_wnid, n_internal=5):
    """A meta.mat laid out as the ILSVRC2012 devkit's: struct array 'synsets'
    with ILSVRC2012_ID, WNID, words, num_children (leaves have 0), ids of the
    internal nodes after the 1000 leaves."""
    import scipy.io
    n = len(id_to_wnid) + n_internal
    dt = [("ILSVRC2012_ID", "O"), ("WNID", "O"), ("words", "O"), ("gloss", "O"),
          ("num_children", "O"), ("children", "O"), ("wordnet_height", "O"),
          ("num_train_images", "O")]
    arr = np.zeros((n, 1), dtype=dt)
    for k, (sid, w) in enumerate(sorted(id_to_wnid.items())):
        arr[k, 0] = (np.array([[sid]], np.uint16), np.array([w]), np.array(["words"]),
                     np.array(["gloss"]), np.array([[0]], np.uint8), np.zeros((1, 0)),
                     np.array([[0]], np.uint8), np.array([[1300]], np.uint16))
    for j in range(n_internal):
        sid = len(id_to_wnid) + 1 + j
        arr[len(id_to_wnid) + j, 0] = (
            np.array([[sid]], np.uint16), np.array(["n9999999%d" % j]), np.array(["x"]),
            np.array(["g"]), np.array([[2]], np.uint8), np.array([[1, 2]], np.uint16),
            np.array([[1]], np.uint8), np.array([[0]], np.uint16))
    scipy.io.savemat(path, {"synsets": arr})


def test_val_from_devkit_reproduces_caffe_val_txt(tmp_path, shared_dir):
    syn = os.path.join(shared_dir, "ilsvrc12", "synsets.txt")
    wnids = imagelists.read_synsets(syn)
    # devkit ids are NOT in sorted-wnid order: use a fixed permutation
    perm = np.random.RandomState(3).permutation(1000)
    id_of_label = dict((label, int(perm[label]) + 1) for label in range(1000))
    _write_meta_mat(str(tmp_path / "meta.mat"),
                    dict((id_of_label[l], wnids[l]) for l in range(1000)))
    val = os.path.join(shared_dir, "ilsvrc12", "val.txt")
    entries = listfile.read(val, num_classes=1000)
    assert len(entries) == 50000
    gt = tmp_path / "ILSVRC2012_validation_ground_truth.txt"
    gt.write_text("".join("%d\n" % id_of_label[e.label] for e in entries))
    data = tmp_path / "data"
    user = tmp_path / "train.txt"
    user.write_text("%s/a.JPEG 0\n" % wnids[0])
    assert CLI.main(["--train-list", str(user), "--ground-truth", str(gt), "--meta-mat",
                     str(tmp_path / "meta.mat"), "--data", str(data)]) == 0
    with open(val, "rb") as f:
        assert (data / "whole_valid" / "files.txt").read_bytes() == f.read()
    # a ground-truth id the devkit does not have is named with its line
    gt.write_text("5\n1001\n7\n")
    with pytest.raises(imagelists.ListsError, match=r"ground_truth.txt:2: .*1001"):
        imagelists.val_from_devkit(str(gt), str(tmp_path / "meta.mat"), wnids)


def test_listfile_parse_like_convert_imageset(tmp_path):
    p = tmp_path / "l.txt"
    p.write_bytes(b"dir with space/a b.JPEG 3\r\nx.JPEG 0\n\nfoo/../../y.JPEG 1\n"
                  b"x.JPEG 2\n/abs.JPEG 1\nz.JPEG -1\n\xff.JPEG 1\nlast.JPEG 7")
    entries, problems = listfile.parse(str(p), num_classes=5)
    assert entries[0] == listfile.Entry(1, "dir with space/a b.JPEG", 3, None)
    assert entries[-1] == listfile.Entry(9, "last.JPEG", 7, "label 7 is out of range (0..4)")
    assert [l for l, _ in problems] == [3, 4, 5, 6, 7, 8, 9]
    msgs = dict(problems)
    assert "empty line" in msgs[3] and "escapes" in msgs[4] and "first on line 2" in msgs[5]
    assert "absolute" in msgs[6] and "negative" in msgs[7] and "UTF-8" in msgs[8]
    with pytest.raises(listfile.ListFileError) as e:
        listfile.read(str(p), num_classes=5)
    assert all(("%s:%d: " % (p, l)) in str(e.value) for l in range(3, 10))
