"""The ILSVRC2012 metadata committed with the project (ilsvrc12/), and that the
pipeline reads it there: only tests read ../shared."""
import os
import re

import pytest

from transfer_study import PROJECT_ROOT
from transfer_study.data import imagelists

NAMES = ("synsets.txt", "synset_words.txt", "val.txt")


def read(path):
    with open(path, "rb") as f:
        return f.read()


@pytest.mark.parametrize("name", NAMES)
def test_equal_to_the_shared_copy(shared_dir, name):
    theirs = os.path.join(shared_dir, "ilsvrc12", name)
    if not os.path.isfile(theirs):
        pytest.skip("%s is not there" % theirs)
    assert read(os.path.join(imagelists.ILSVRC12_DIR, name)) == read(theirs)


def test_what_caffe_keeps_in_data_ilsvrc12():
    wnids = imagelists.read_synsets(imagelists.SYNSETS)
    assert len(wnids) == 1000 and wnids == sorted(wnids)
    assert wnids[0] == "n01440764" and wnids[-1] == "n15075141"
    words = read(imagelists.SYNSET_WORDS).decode("utf-8").splitlines()
    assert [w.split(" ", 1)[0] for w in words] == wnids
    assert words[0] == "n01440764 tench, Tinca tinca"
    val = read(imagelists.VAL_TXT).decode("ascii").splitlines()
    assert len(val) == 50000
    labels = []
    for i, line in enumerate(val):
        name, label = line.split(" ")
        assert name == imagelists.VAL_NAME % (i + 1)
        labels.append(int(label))
    assert labels[:2] == [65, 970]
    assert sorted(set(labels)) == list(range(1000))
    assert all(labels.count(k) == 50 for k in (0, 499, 999))
    imagelists.check_list(imagelists.VAL_TXT, wnids)


def test_run_time_code_does_not_read_shared():
    """Users have no ../shared: scripts, data_prep, the package and the Makefile
    must not name it (scripts/in-env only binds it, for the tests)."""
    rx = re.compile(r"""\.\./shared|["']shared["']""")
    found = []
    for top in ("transfer_study", "scripts", "data_prep"):
        for dirpath, _, filenames in os.walk(os.path.join(PROJECT_ROOT, top)):
            for f in filenames:
                if f.endswith(".py"):
                    path = os.path.join(dirpath, f)
                    for i, line in enumerate(read(path).decode("utf-8").splitlines()):
                        if rx.search(line):
                            found.append("%s:%d: %s" % (os.path.relpath(path, PROJECT_ROOT),
                                                        i + 1, line.strip()))
    for i, line in enumerate(read(os.path.join(PROJECT_ROOT, "Makefile")).decode().splitlines()):
        if rx.search(line):
            found.append("Makefile:%d: %s" % (i + 1, line.strip()))
    assert found == []


def test_make_lists_reads_the_projects_metadata(tmp_path):
    """No --synsets, no --val-list, no devkit: the class order and the validation list
    come from the project's ilsvrc12/, from any working directory."""
    import subprocess
    import sys
    train = tmp_path / "train.txt"
    train.write_text("n01440764/n01440764_10026.JPEG 0\nn15075141/n15075141_9.JPEG 999\n")
    data = tmp_path / "data"
    r = subprocess.run([sys.executable, os.path.join(PROJECT_ROOT, "data_prep", "make_lists.py"),
                        "--train-list", str(train), "--data", str(data)], cwd=str(tmp_path),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                       env=dict(os.environ, PYTHONPATH=PROJECT_ROOT))
    assert r.returncode == 0, r.stderr
    assert "using %s" % imagelists.VAL_TXT in r.stdout
    assert read(str(data / "synsets.txt")) == read(imagelists.SYNSETS)
    assert read(str(data / "whole_valid" / "files.txt")) == read(imagelists.VAL_TXT)
    assert read(str(data / "whole_train" / "files.txt")) == read(str(train))
