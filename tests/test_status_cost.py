"""make cost, make status and the generated experiments.mk."""
import os
import re
import shutil
import subprocess
import sys

import pytest

from transfer_study import PROJECT_ROOT
from transfer_study.data import diskspace
from transfer_study.nets import catalog
from transfer_study import caffelog
from transfer_study.nets import makefile

SECONDS_PER_DAY = 86400.0


def make(*args, **kw):
    return subprocess.run(["make", "--no-print-directory", "-C", PROJECT_ROOT] + list(args),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                          timeout=kw.get("timeout", 120))


@pytest.fixture(scope="module")
def cat():
    return catalog.load()


def gpu_days(cat, names, sec):
    return sum(cat.schedule(n, "paper")["max_iter"] for n in names) * sec / SECONDS_PER_DAY


def test_cost_of_all_170_networks(cat, tmp_path):
    p = make("cost", "ROOT=%s" % tmp_path)
    assert p.returncode == 0, p.stderr
    out = p.stdout
    assert out.startswith("Plan for 170 networks (profile paper")
    blocks = re.findall(r"^Block (\d+): (\d+) networks?", out, re.M)
    # scratch nets (11 base + 12 reduced + 7 random-filter) then the 140 transfer nets
    assert blocks == [("1", "30"), ("2", "140")]
    block_lines = [ln.split() for ln in out.splitlines() if ln.startswith("    ") and "assumed" not in ln]
    assert set(block_lines[0]) == set(cat.group("base") + cat.group("reduced")
                                      + cat.group("random-filters"))
    assert set(block_lines[1]) == set(cat.group("transfers"))
    assert "Networks: 170 = 158 x 450000 iterations (base schedule), 12 x 200000 iterations " \
        "(reduced schedule)" in out
    # 158 x 450,000 x 1.7 s + 12 x 200,000 x 1.7 s = 124,950,000 s
    assert "GPU-days: 1446.2 at 1.7 s/iteration" in out
    assert "%.1f" % gpu_days(cat, cat.names(), 1.7) == "1446.2"
    # 158 x 45 + 12 x 20 snapshots of CaffeNet's 60,965,224 parameters (x 4 bytes, x 2 files)
    assert "Snapshots: 7350 (.caffemodel + .solverstate pairs of 60,965,224 parameters), " \
        "disk: %.1f GB" % (7350 * 8 * 60965224 / 1e9) in out
    # the default policy keeps each network's final pair: 170 pairs when done; while
    # running, the newest complete pair and the one being written: at most 2 each
    assert "Snapshots kept (KEEP_SNAPSHOTS=final): 170 pairs when done, %.1f GB; at most " \
        "%.1f GB while all of them run at once" % (170 * 8 * 60965224 / 1e9,
                                                   340 * 8 * 60965224 / 1e9) in out
    # every:50000 also keeps 9 of a base net's pairs (50k ... 450k) and 4 of a reduced net's
    p = make("plan", "ROOT=%s" % tmp_path, "KEEP_SNAPSHOTS=every:50000")
    assert "Snapshots kept (KEEP_SNAPSHOTS=every:50000): %d pairs when done" % (158 * 9 + 12 * 4) \
        in p.stdout
    p = make("plan", "ROOT=%s" % tmp_path, "KEEP_SNAPSHOTS=every:0")
    assert p.returncode != 0 and "every:N" in p.stderr and "Traceback" not in p.stderr
    assert "Datasets read: 33," in out
    assert "whole_train 1281167" in out
    p = make("cost", "ROOT=%s" % tmp_path, "SEC_PER_ITER=1")
    assert "GPU-days: %.1f at 1 s/iteration" % gpu_days(cat, cat.names(), 1.0) in p.stdout


def test_cost_adds_the_bases_a_selection_needs_and_counts_real_files(cat, tmp_path):
    for ds, n in (("half0A_train", 11), ("half0A_valid", 5), ("half0B_train", 7), ("half0B_valid", 3)):
        os.makedirs(str(tmp_path / "data" / ds))
        with open(str(tmp_path / "data" / ds / "files.txt"), "w") as f:
            f.writelines("n01440764/img%d.JPEG %d\n" % (i, i % 3) for i in range(n))
    p = make("cost", "ROOT=%s" % tmp_path, "NETWORKS=transfer0A0B_1_3", "SEC_PER_ITER=2")
    assert p.returncode == 0, p.stderr
    out = p.stdout
    assert "Plan for 2 networks" in out and "including 1 base network they need" in out
    assert re.search(r"^Block 1: 1 network\n    half0A$", out, re.M)
    assert re.search(r"^Block 2: 1 network .*\n    transfer0A0B_1_3$", out, re.M)
    assert "GPU-days: %.1f at 2 s/iteration" % gpu_days(cat, ["half0A", "transfer0A0B_1_3"], 2) in out
    # the base reads half0A_*, the transfer net half0B_*: 26 images in all
    # make data's disk space check's estimate: a 256x256 datum in LMDB pages
    per = diskspace.per_datum(256)
    assert per == 49 * 4096 + 800   # 196,624 bytes of Datum in 4 kB overflow pages
    assert "Datasets read: 4, disk for their LMDBs: 0.0 GB (%s bytes: %s bytes per datum" \
        % ("{:,}".format(26 * per), "{:,}".format(per)) in out
    assert "4 counted from files.txt, 0 assumed" in out


def test_cost_rejects_unknown_names_with_a_suggestion(tmp_path):
    p = make("cost", "NETWORKS=transfer0A0B_1_9")
    assert p.returncode != 0
    assert "unknown experiment or group 'transfer0A0B_1_9'" in p.stderr and "did you mean" in p.stderr
    assert "Traceback" not in p.stderr


def test_committed_experiments_mk_matches_the_catalog(cat):
    with open(os.path.join(PROJECT_ROOT, "experiments.mk")) as f:
        text = f.read()
    assert text == makefile.experiments_mk(cat), "experiments.mk is stale: run `make experiments-mk`"
    # one phony target per network: train.py decides from the solver Caffe
    # reads (runstate), so an edited max_iter or a broken solver is never hidden
    targets = re.findall(r"^([A-Za-z0-9_.-]+):(.*)\n\t\$\(TRAIN_SHOW\) \1\n\t\$\(TRAIN\) \1$",
                         text, re.M)
    assert [t for t, _ in targets] == cat.names() and len(targets) == 170
    for (name, deps), e in zip(targets, cat.experiments()):
        assert deps == (" " + e.base if e.base else "")
    assert ".PHONY: $(NETWORK_NAMES) " in text and "caffemodel" not in text
    for g in cat.groups():
        assert "GROUP.%s := %s\n" % (g, " ".join(cat.group(g))) in text
    p = make("-n", "PROFILE=tiny", "ROOT=/nonexistent-root", "reduced-0001")
    assert p.returncode == 0, p.stderr
    assert "cd /nonexistent-root && caffe train --solver=solvers/reduced-0001.prototxt " in p.stdout
    # a group target trains each of its networks
    p = make("-n", "PROFILE=tiny", "ROOT=/nonexistent-root", "natman")
    assert p.returncode == 0, p.stderr
    cmds = [ln for ln in p.stdout.splitlines() if ln.startswith("cd /nonexistent-root && caffe")]
    assert [c.split()[5] for c in cmds] == ["--solver=solvers/halfnatmanA.prototxt",
                                            "--solver=solvers/halfnatmanB.prototxt"]
    p = make("-n", "PROFILE=nosuch", "half0A")
    assert p.returncode != 0 and "PROFILE=nosuch is not a profile" in p.stderr


def test_an_unknown_goal_gets_the_catalogs_suggestion():
    for argv in (["half0a"], ["-n", "half0a"]):
        p = make(*argv)
        assert p.returncode != 0
        assert "no target 'half0a'; did you mean 'half0A'?" in p.stderr, p.stderr
    p = make("transfers-ftt")
    assert p.returncode != 0 and "did you mean 'transfers-ft'" in p.stderr
    # real targets and files are untouched by the catch-all rule
    p = make("README.md")
    assert p.returncode == 0 and "up to date" in p.stdout
    p = make("help")
    assert p.returncode == 0 and "make check-prototxts" in p.stdout


def test_status_reads_the_2014_cluster_logs(shared_dir, tmp_path):
    src = os.path.join(shared_dir, "logs", "caffe2014", "half0A")
    dst = tmp_path / "results" / "half0A"
    os.makedirs(str(dst))
    for f in os.listdir(src):
        shutil.copy(os.path.join(src, f), str(dst / f))
        os.utime(str(dst / f), (1396500000, 1396500000))   # written in 2014, not just now
    run = caffelog.parse_run(str(dst))
    p = make("status", "ROOT=%s" % tmp_path, "NETWORKS=half0A halfnatmanA")
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert lines[0].split() == ["network", "state", "iteration", "latest", "best", "s/iter", "ETA"]
    h = lines[1].split()
    # logs but no final snapshot here: resumable, at the iteration the logs reached
    assert h[:3] == ["half0A", "interrupted", "%d/450000" % run.last_iter]
    assert h[3] == "%.4f" % run.test_acc[-1] and h[4] == "%.4f" % max(run.test_acc)
    assert h[5] == "%.3f" % run.sec_per_iter
    assert lines[2].split()[:3] == ["halfnatmanA", "not", "started"]
    assert lines[-1] == "2 networks: 1 not started, 1 interrupted"


def test_a_caffe_failure_is_reported_and_shown_as_failed(tmp_path, caffe_tools):
    root = tmp_path / "root"
    for ds in ("half1A_train", "half1A_valid"):
        os.makedirs(str(root / "data" / ds / "lmdb"))
        # not an LMDB: Caffe fails opening it
        with open(str(root / "data" / ds / "lmdb" / "data.mdb"), "wb") as f:
            f.write(b"this is not an lmdb file\n" * 10)
    with open(str(root / "data" / "half1A_train" / "mean.binaryproto"), "wb") as f:
        f.write(b"")
    p = subprocess.run([sys.executable, os.path.join(PROJECT_ROOT, "scripts", "train.py"), "half1A",
                        "--root", str(root), "--profile", "tiny"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                       timeout=120)
    assert p.returncode == 1, p.stderr[-2000:]
    assert "half1A failed: Caffe exited with status" in p.stderr
    p = make("status", "ROOT=%s" % root, "PROFILE=tiny", "NETWORKS=half1A")
    line = p.stdout.splitlines()[1]
    assert line.split()[:2] == ["half1A", "failed"], line
    assert "exit status" in line
