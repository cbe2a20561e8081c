"""data_prep/compute_mean.py against the env's real compute_image_mean."""
import os
import re
import subprocess

import numpy as np
import pytest

from transfer_study.data import datum, lmdb_io, mean, warp
from transfer_study.demo import sample_images


def caffe_mean(db, out):
    r = subprocess.run(["compute_image_mean", db, out], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    return re.findall(r"mean_value channel \[(\d)\]: (\S+)", r.stderr)


def our_mean_cli(db, out):
    r = subprocess.run(["python3", "data_prep/compute_mean.py", "--quiet", db, out],
                       capture_output=True, text=True,
                       cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    assert r.returncode == 0, r.stderr
    return re.findall(r"mean_value channel \[(\d)\]: (\S+)", r.stdout)


@pytest.fixture(scope="module")
def small_set(tmp_path_factory):
    root = str(tmp_path_factory.mktemp("mean_imgs")) + "/"
    lines = []
    for i in range(12):
        sample_images.write_jpeg(root + "m%d.JPEG" % i, 40 + 7 * i, 30 + 5 * i, seed=50 + i)
        lines.append("m%d.JPEG %d\n" % (i, i % 3))
    with open(root + "list.txt", "w") as f:
        f.writelines(lines)
    return root


# shuffled: float32 running sums depend on the order, and a training DB is
# written shuffled (make data, derived *_train sets)
@pytest.mark.parametrize("flags", [dict(), dict(encoded=True, encode_type="png"),
                                   dict(gray=True), dict(shuffle=True)],
                         ids=["raw", "encoded-png", "gray", "shuffled"])
def test_mean_identical_to_compute_image_mean(small_set, caffe_tools, tmp_path, flags):
    db = str(tmp_path / "db")
    warp.convert(small_set, small_set + "list.txt", db, resize_height=24, resize_width=32,
                 workers=0, progress=False, log=lambda m: None, **flags)
    ref, ours = str(tmp_path / "ref.binaryproto"), str(tmp_path / "ours.binaryproto")
    ref_means = caffe_mean(db, ref)
    our_means = our_mean_cli(db, ours)
    a, b = mean.read_binaryproto(ref), mean.read_binaryproto(ours)
    assert a.shape == b.shape == ((1 if flags.get("gray") else 3), 24, 32)
    assert np.array_equal(a, b)
    with open(ref, "rb") as f1, open(ours, "rb") as f2:
        assert f1.read() == f2.read()
    assert our_means == ref_means and len(ref_means) == a.shape[0]


def test_float32_running_sum_rounds_like_caffe(caffe_tools, tmp_path):
    """Past 2**24 a float sum cannot hold every integer: compute_image_mean's
    float running sum then rounds at each step.  90,000 bright 2x2 datums push
    the sums past 2**24; ours must round the same way, step by step."""
    rng = np.random.RandomState(0)
    db = str(tmp_path / "bright")
    imgs = rng.randint(230, 256, size=(90000, 2, 2, 3)).astype(np.uint8)
    with lmdb_io.ResumableWriter(db, {"test": "bright"}, "none", batch=50000) as w:
        for i in range(len(imgs)):
            w.put(lmdb_io.make_key(i, "x"), datum.encode(imgs[i], 0))
        w.finish()
    ref = str(tmp_path / "ref.binaryproto")
    ref_means = caffe_mean(db, ref)
    m, count = mean.compute_mean(db, progress=False)
    assert count == 90000
    a = mean.read_binaryproto(ref)
    assert np.array_equal(a, m)
    exact = imgs.astype(np.float64).sum(axis=0).transpose(2, 0, 1) / 90000
    assert not np.array_equal(exact.astype(np.float32), a), "sums never rounded: test too weak"
    assert [(str(c), "%g" % v) for c, v in enumerate(mean.channel_means(m))] == ref_means


def test_unfinished_db_is_refused(small_set, tmp_path):
    db = str(tmp_path / "db")
    w = lmdb_io.ResumableWriter(db, {"x": 1}, "md5")
    w.put(lmdb_io.make_key(0, "a"), datum.encode(np.zeros((2, 2, 3), np.uint8), 0))
    w.close()
    with pytest.raises(mean.MeanError, match="not finished"):
        mean.compute_mean(db, progress=False)
    r = subprocess.run(["python3", os.path.join(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))), "data_prep", "compute_mean.py"), db, str(tmp_path / "m")],
        capture_output=True, text=True)
    assert r.returncode == 2 and "not finished" in r.stderr and "Traceback" not in r.stderr
    assert not os.path.exists(str(tmp_path / "m"))
