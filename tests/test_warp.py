"""data_prep/warp_imageset.py against the env's real convert_imageset, on real
JPEGs (transfer_study.demo.sample_images), including the oddities of ImageNet."""
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import time

import lmdb
import pytest

from transfer_study import PROJECT_ROOT
from transfer_study.data import datum, lmdb_io, warp
from transfer_study.demo import sample_images

WARP = os.path.join(PROJECT_ROOT, "data_prep", "warp_imageset.py")
RESIZE = ["--resize_height=256", "--resize_width=256"]


def run_ours(args, **kw):
    return subprocess.run([sys.executable, WARP, "--quiet"] + args, capture_output=True,
                          text=True, **kw)


def _load_cli():
    import importlib.util
    spec = importlib.util.spec_from_file_location("warp_imageset_cli", WARP)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


CLI = _load_cli()


class Result(object):
    def __init__(self, returncode, stderr):
        self.returncode, self.stderr = returncode, stderr


@pytest.fixture
def ours(capsys):
    """The CLI's main() in this process (no start-up cost), decoding in-process
    unless --workers is given; returns .returncode and .stderr like run_ours."""
    def run(args):
        capsys.readouterr()
        if not any(a.startswith("--workers") for a in args):
            args = ["--workers=0"] + args
        rc = CLI.main(["--quiet"] + args)
        return Result(rc, capsys.readouterr().err)
    return run


def run_caffe(args, cwd=None):
    r = subprocess.run(["convert_imageset"] + args, capture_output=True, text=True, cwd=cwd)
    assert r.returncode == 0, r.stderr[-2000:]
    return r


def items(db):
    return list(lmdb_io.iter_items(db))


def write_list(path, lines):
    with open(path, "wb") as f:
        for line in lines:
            f.write(line if isinstance(line, bytes) else line.encode("utf-8"))
            f.write(b"\n")
    return path


@pytest.fixture(scope="module")
def imageset(tmp_path_factory):
    """Varied small photos of two classes plus every oddity (grayscale, CMYK,
    PNG named .JPEG, 1x1, 3x2, 4000x3000)."""
    root = str(tmp_path_factory.mktemp("images"))
    pairs = []
    sizes = [(64, 48), (48, 64), (100, 75), (37, 53), (200, 150), (257, 255), (300, 40), (90, 90)]
    for i, (w, h) in enumerate(sizes):
        cls = "n0%d" % (i % 2)
        os.makedirs(os.path.join(root, cls), exist_ok=True)
        rel = "%s/img_%d.JPEG" % (cls, i)
        sample_images.write_jpeg(os.path.join(root, rel), w, h, seed=i, quality=85 + i)
        pairs.append((rel, i % 2))
    odd = sample_images.write_oddities(os.path.join(root, "odd"), seed=3)
    with open(os.path.join(root, "odd", odd["png"]), "rb") as f:
        assert f.read(8) == sample_images.PNG_SIGNATURE   # really a PNG named .JPEG
    for i, kind in enumerate(sorted(odd)):
        pairs.append(("odd/" + odd[kind], i % 2))
    listf = write_list(os.path.join(root, "list.txt"), ["%s %d" % p for p in pairs])
    return dict(root=root + "/", list=listf, pairs=pairs, odd=odd)


def test_byte_identical_to_convert_imageset(imageset, caffe_tools, tmp_path):
    ref, ours = str(tmp_path / "ref"), str(tmp_path / "ours")
    run_caffe(RESIZE + [imageset["root"], imageset["list"], ref])
    r = run_ours(RESIZE + ["--workers=2", imageset["root"], imageset["list"], ours])
    assert r.returncode == 0, r.stderr
    a, b = items(ref), items(ours)
    assert len(a) == len(imageset["pairs"]) == 14
    assert [k for k, _ in a] == [k for k, _ in b]
    for (k, va), (_, vb) in zip(a, b):
        assert va == vb, "value of %s differs" % k
    assert lmdb_io.is_complete(ours)
    assert lmdb_io.read_record(ours)["count"] == 14
    # and it is the Datum the study needs: 3x256x256 BGR CHW with the list's label
    from caffe.proto import caffe_pb2
    d = caffe_pb2.Datum()
    d.ParseFromString(b[-1][1])
    assert (d.channels, d.height, d.width, len(d.data)) == (3, 256, 256, 196608)
    assert d.label == imageset["pairs"][-1][1] and not d.encoded
    assert len(a[-1][1]) == 196624   # the 196,624-byte raw datum of the disk space check


@pytest.mark.parametrize("flags", [
    ["--resize_height=37", "--resize_width=50", "--gray"],
    ["--resize_height=64", "--resize_width=64", "--encoded", "--encode_type=png"],
    ["--resize_height=64", "--resize_width=48", "--encoded", "--encode_type=jpg"],
    ["--encoded"],   # no resize: the files' own bytes, as ReadFileToDatum stores them
    [],              # no resize, no encoding: each image at its own size
], ids=["gray", "png", "jpg", "encoded-raw", "no-resize"])
def test_flags_byte_identical(imageset, ours, caffe_tools, tmp_path, flags):
    small = [p for p in imageset["pairs"] if "4000" not in p[0]]
    listf = write_list(str(tmp_path / "l.txt"), ["%s %d" % p for p in small])
    ref, mine = str(tmp_path / "ref"), str(tmp_path / "ours")
    run_caffe(flags + [imageset["root"], listf, ref])
    r = ours(flags + [imageset["root"], listf, mine])
    assert r.returncode == 0, r.stderr
    assert items(ref) == items(mine)
    assert len(items(mine)) == len(small)


def test_datum_bytes_match_caffe_pb2():
    import numpy as np
    from caffe.proto import caffe_pb2
    rng = np.random.RandomState(0)
    for shape, label in [((2, 3, 3), 0), ((5, 7, 1), 999), ((300, 1, 3), 2 ** 31 - 1)]:
        img = rng.randint(0, 256, size=shape).astype(np.uint8)
        d = caffe_pb2.Datum(channels=shape[2], height=shape[0], width=shape[1],
                            data=img.transpose(2, 0, 1).tobytes(), label=label, encoded=False)
        assert datum.encode(img, label) == d.SerializeToString()
    d = caffe_pb2.Datum(data=b"\x89PNG..", label=7, encoded=True)
    assert datum.encode_image_file(b"\x89PNG..", 7) == d.SerializeToString()


def test_skip_bad_matches_convert_imageset_keys(imageset, ours, caffe_tools, tmp_path):
    """convert_imageset logs and drops images that do not decode but still counts
    their lines in the keys; --skip-bad does the same and reports them."""
    root = str(tmp_path / "img") + "/"
    shutil.copytree(imageset["root"], root)
    with open(root + "n00/corrupt.JPEG", "wb") as f:
        f.write(b"\xff\xd8\xff\xe0 this is not a JPEG at all" * 10)
    open(root + "n01/empty.JPEG", "wb").close()
    small = ["%s %d" % p for p in imageset["pairs"] if "4000" not in p[0]]
    lines = small[:2] + ["n00/corrupt.JPEG 0"] + small[2:4] + ["n01/empty.JPEG 1"] \
        + ["n01/missing.JPEG 1"] + small[4:]
    listf = write_list(str(tmp_path / "l.txt"), lines)
    ref, mine = str(tmp_path / "ref"), str(tmp_path / "ours")
    run_caffe(RESIZE + [root, listf, ref])
    r = ours(RESIZE + ["--skip-bad", root, listf, mine])
    assert r.returncode == 0, r.stderr
    a = items(ref)
    assert len(a) == len(small)
    assert a == items(mine)
    assert a[4][0].startswith(b"00000007_")   # the index after three skipped lines
    with open(mine + ".skipped.txt") as f:
        report = f.read()
    for line, name in [(3, "corrupt.JPEG"), (6, "empty.JPEG"), (7, "missing.JPEG")]:
        assert any(l.startswith("%s:%d: " % (listf, line)) and name in l
                   for l in report.splitlines()), report
    assert lmdb_io.read_record(mine)["summary"]["skipped"] == 3


def test_shuffle_uses_recorded_seed(imageset, ours, tmp_path):
    small = [p for p in imageset["pairs"] if "4000" not in p[0]]
    listf = write_list(str(tmp_path / "l.txt"), ["%s %d" % p for p in small])
    dbs = []
    for name, seed in [("a", "5"), ("b", "5"), ("c", "6")]:
        db = str(tmp_path / name)
        r = ours(["--resize_height=8", "--resize_width=8", "--shuffle", "--seed=" + seed,
                      imageset["root"], listf, db])
        assert r.returncode == 0, r.stderr
        dbs.append(items(db))
    assert dbs[0] == dbs[1]
    assert dbs[0] != dbs[2]
    order = [k.split(b"_", 1)[1].decode() for k, _ in dbs[0]]
    assert sorted(order) == sorted(p for p, _ in small) and order != [p for p, _ in small]
    assert lmdb_io.read_record(str(tmp_path / "a"))["params"]["seed"] == 5


def test_shuffle_numbers_lines_in_shuffled_order_like_convert_imageset(imageset, ours,
                                                                       caffe_tools, tmp_path):
    """convert_imageset --shuffle shuffles the lines, then numbers them in the
    new order (key = '%08d_path' % position); so does --shuffle here, with
    its recorded seed instead of Caffe's unseeded RNG.  Each datum is the
    unshuffled one of the same path."""
    small = [p for p in imageset["pairs"] if "4000" not in p[0]]
    listf = write_list(str(tmp_path / "l.txt"), ["%s %d" % p for p in small])
    flags = ["--resize_height=8", "--resize_width=8"]
    plain, theirs, mine = (str(tmp_path / n) for n in ("plain", "theirs", "mine"))
    run_caffe(flags + [imageset["root"], listf, plain])
    by_path = dict((k.split(b"_", 1)[1], v) for k, v in items(plain))
    paths = [p.encode() for p, _ in small]
    run_caffe(flags + ["--shuffle", imageset["root"], listf, theirs])
    r = ours(flags + ["--shuffle", imageset["root"], listf, mine])
    assert r.returncode == 0, r.stderr
    order = warp.write_order(len(small), True, warp.DEFAULT_SEED)
    assert [k for k, _ in items(mine)] == [lmdb_io.make_key(i, paths[j])
                                          for i, j in enumerate(order)]
    for db in (theirs, mine):
        got = items(db)
        shuffled = [k.split(b"_", 1)[1] for k, _ in got]
        assert [k for k, _ in got] == [lmdb_io.make_key(i, p) for i, p in enumerate(shuffled)]
        assert sorted(shuffled) == sorted(paths)
        assert all(v == by_path[k.split(b"_", 1)[1]] for k, v in got)
    assert [k.split(b"_", 1)[1] for k, _ in items(mine)] != paths


def test_rerun_is_noop_and_other_inputs_are_refused(imageset, ours, tmp_path):
    small = [p for p in imageset["pairs"] if "4000" not in p[0]]
    listf = write_list(str(tmp_path / "l.txt"), ["%s %d" % p for p in small])
    db = str(tmp_path / "db")
    args = ["--resize_height=16", "--resize_width=16", imageset["root"], listf, db]
    assert ours(args).returncode == 0
    before = (items(db), os.stat(os.path.join(db, "data.mdb")).st_mtime_ns,
              os.stat(os.path.join(db, "complete.json")).st_mtime_ns)
    r = ours(args)
    assert r.returncode == 0 and "nothing to do" in r.stderr
    assert (items(db), os.stat(os.path.join(db, "data.mdb")).st_mtime_ns,
            os.stat(os.path.join(db, "complete.json")).st_mtime_ns) == before
    r = ours(["--resize_height=32", "--resize_width=32"] + args[2:])
    assert r.returncode == 2 and "other inputs" in r.stderr and "resize_height" in r.stderr
    assert "Traceback" not in r.stderr
    write_list(listf, ["%s %d" % p for p in small[:-1]])
    r = ours(args)
    assert r.returncode == 2 and "list_md5" in r.stderr
    assert items(db) == before[0]


def _children(pid):
    out = set()
    for tid in os.listdir("/proc/%d/task" % pid):
        with open("/proc/%d/task/%s/children" % (pid, tid)) as f:
            out.update(int(c) for c in f.read().split())
    return out


def _alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_sigkill_then_rerun_equals_uninterrupted_run(tmp_path):
    # 4000 lines of small images (hard links to 40 files), 40x30 warp, commits of
    # 100: long enough to be killed in the middle, short enough to stay quick.
    root = str(tmp_path / "img") + "/"
    os.makedirs(root)
    for i in range(40):
        sample_images.write_jpeg(root + "base%d.JPEG" % i, 60 + i, 45 + i, seed=i)
    lines = []
    for i in range(4000):
        name = "l%04d.JPEG" % i
        os.link(root + "base%d.JPEG" % (i % 40), root + name)
        lines.append("%s %d" % (name, i % 10))
    listf = write_list(str(tmp_path / "l.txt"), lines)
    args = ["--resize_height=30", "--resize_width=40", "--batch=100", "--workers=2"]
    whole = str(tmp_path / "whole")
    assert run_ours(args + [root, listf, whole]).returncode == 0

    db = str(tmp_path / "killed")
    p = subprocess.Popen([sys.executable, WARP, "--quiet"] + args + [root, listf, db],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    committed = 0
    deadline = time.time() + 60
    while time.time() < deadline and p.poll() is None:
        if os.path.exists(os.path.join(db, "data.mdb")):
            env = lmdb.open(db, readonly=True, lock=True)
            committed = env.stat()["entries"]
            env.close()
            if committed >= 300:
                break
        time.sleep(0.005)
    workers = _children(p.pid)
    p.send_signal(signal.SIGKILL)
    p.wait()
    assert 300 <= committed < 4000, "the run was not killed mid-way (%d committed)" % committed
    assert not lmdb_io.is_complete(db)
    assert len(workers) == 2
    # the workers notice their parent's death on their own: wait for it, bounded
    deadline = time.time() + 30
    while any(_alive(w) for w in workers) and time.time() < deadline:
        time.sleep(0.01)
    assert not any(_alive(w) for w in workers), "worker processes outlived kill -9 by 30 s"

    r = run_ours(args + [root, listf, db])
    assert r.returncode == 0, r.stderr
    assert "resuming" in r.stderr
    assert lmdb_io.is_complete(db)
    assert items(db) == items(whole)
    assert len(items(db)) == 4000


# -- bad input: each kind names LIST:LINE and the file; nothing marked finished --
def _bad_case(tmp_path, kind):
    root = str(tmp_path / "img") + "/"
    os.makedirs(root)
    for i in range(4):
        sample_images.write_jpeg(root + "ok%d.JPEG" % i, 20, 16, seed=i)
    lines = ["ok0.JPEG 0", "ok1.JPEG 1"]
    expect = None
    if kind == "missing":
        lines.append("gone.JPEG 0")
        expect = ("gone.JPEG", "missing")
    elif kind == "empty":
        open(root + "empty.JPEG", "wb").close()
        lines.append("empty.JPEG 0")
        expect = ("empty.JPEG", "empty")
    elif kind == "unreadable":
        sample_images.write_jpeg(root + "secret.JPEG", 20, 16, seed=9)
        os.chmod(root + "secret.JPEG", 0)
        lines.append("secret.JPEG 0")
        expect = ("secret.JPEG", "unreadable")
    elif kind == "corrupt":
        with open(root + "broken.JPEG", "wb") as f:
            f.write(os.urandom(3000))
        lines.append("broken.JPEG 0")
        expect = ("broken.JPEG", "cannot decode")
    elif kind == "label-not-int":
        lines.append("ok2.JPEG x7")
        expect = ("x7", "not an integer")
    elif kind == "label-out-of-range":
        lines.append("ok2.JPEG 5")
        expect = ("5", "out of range")
    elif kind == "escapes-root":
        lines.append("../ok2.JPEG 0")
        expect = ("../ok2.JPEG", "escapes ROOTFOLDER")
    elif kind == "duplicate":
        lines.append("ok1.JPEG 1")
        expect = ("ok1.JPEG", "duplicate")
    elif kind == "non-utf8":
        lines.append(b"caf\xe9.JPEG 0")
        expect = ("caf", "not valid UTF-8")
    lines.append("ok3.JPEG 1")
    return root, lines, expect


BAD_KINDS = ["missing", "empty", "unreadable", "corrupt", "label-not-int",
             "label-out-of-range", "escapes-root", "duplicate", "non-utf8"]


def _without_dac_override():
    """preexec_fn: the mode bits apply to root too.  Root reads a mode-0 file
    through CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH; dropped from the
    bounding and inheritable sets, exec cannot grant them back.  The uid
    stays the same (real root, or root of a one-id user namespace), so the
    checkout is readable whatever the mode of the directories above it."""
    libc = ctypes.CDLL(None, use_errno=True)
    dac = (1 << 1) | (1 << 2)   # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
    for cap in (1, 2):
        if libc.prctl(24, cap, 0, 0, 0) != 0:   # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)   # _LINUX_CAPABILITY_VERSION_3
    data = (ctypes.c_uint32 * 6)()      # 2 x {effective, permitted, inheritable}
    if libc.capget(header, data) != 0:
        raise OSError(ctypes.get_errno(), "capget")
    for i in (0, 1, 2):
        data[i] &= ~dac
    if libc.capset(header, data) != 0:
        raise OSError(ctypes.get_errno(), "capset")
    libc.prctl(47, 4, 0, 0, 0)   # PR_CAP_AMBIENT_CLEAR_ALL (absent on old kernels: fine)


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_bad_input_is_named_and_nothing_finished(ours, tmp_path, kind):
    root, lines, (needle, what) = _bad_case(tmp_path, kind)
    listf = write_list(str(tmp_path / "l.txt"), lines)
    db = str(tmp_path / "db")
    run = ours
    if kind == "unreadable":
        # its own process, so that root's capabilities can be dropped
        run = lambda args: run_ours(args, preexec_fn=_without_dac_override
                                    if os.geteuid() == 0 else None)
    r = run(["--resize_height=8", "--resize_width=8", "--num-classes=2",
             root, listf, db])
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    line = [l for l in r.stderr.splitlines() if l.startswith("%s:3: " % listf)]
    assert line, r.stderr
    assert needle in line[0] and what in line[0], line[0]
    assert not lmdb_io.is_complete(db)
    # with --skip-bad the same list goes through, and the report names it
    r = run(["--resize_height=8", "--resize_width=8", "--num-classes=2",
             "--skip-bad", root, listf, db])
    assert r.returncode == 0, r.stderr
    assert [k for k, _ in items(db)] == [b"00000000_ok0.JPEG", b"00000001_ok1.JPEG",
                                         b"00000003_ok3.JPEG"]
    with open(db + ".skipped.txt", "rb") as f:
        assert ("%s:3: " % listf).encode() in f.read()


def test_every_bad_line_is_reported_at_once(ours, tmp_path):
    root = str(tmp_path / "img") + "/"
    os.makedirs(root)
    sample_images.write_jpeg(root + "ok.JPEG", 20, 16, seed=1)
    for name in ("bad1.JPEG", "bad2.JPEG"):
        with open(root + name, "wb") as f:
            f.write(b"GIF89a but not really" * 50)
    open(root + "empty.JPEG", "wb").close()
    listf = write_list(str(tmp_path / "l.txt"), [
        "ok.JPEG 0", "bad1.JPEG 0", "nothere.JPEG 1", "ok.JPEG 1", "bad2.JPEG 2",
        "empty.JPEG x", "empty.JPEG 1", "/etc/passwd 0"])
    db = str(tmp_path / "db")
    r = ours(["--resize_height=8", "--resize_width=8", root, listf, db])
    assert r.returncode == 2
    named = {int(l.split(":")[1]) for l in r.stderr.splitlines() if l.startswith(listf + ":")}
    # up-front problems first: nothing was written
    assert named == {3, 4, 6, 7, 8}, r.stderr
    assert not os.path.exists(db)
    # fix those; the two images that do not decode are both named after one pass
    write_list(listf, ["ok.JPEG 0", "bad1.JPEG 0", "bad2.JPEG 2"])
    r = ours(["--resize_height=8", "--resize_width=8", root, listf, db])
    assert r.returncode == 2
    named = {int(l.split(":")[1]) for l in r.stderr.splitlines() if l.startswith(listf + ":")}
    assert named == {2, 3}, r.stderr
    assert not lmdb_io.is_complete(db)


def test_fixed_corrupt_file_is_not_skipped_on_resume(ours, tmp_path):
    root = str(tmp_path / "img") + "/"
    os.makedirs(root)
    lines = []
    for i in range(6):
        sample_images.write_jpeg(root + "i%d.JPEG" % i, 30, 20, seed=i)
        lines.append("i%d.JPEG %d" % (i, i % 2))
    good = open(root + "i3.JPEG", "rb").read()
    with open(root + "i3.JPEG", "wb") as f:
        f.write(b"\x00" * 500)
    listf = write_list(str(tmp_path / "l.txt"), lines)
    db, clean = str(tmp_path / "db"), str(tmp_path / "clean")
    args = ["--resize_height=8", "--resize_width=8", "--batch=1"]
    r = ours(args + [root, listf, db])
    assert r.returncode == 2 and (listf + ":4: ") in r.stderr
    assert [k for k, _ in items(db)] == [b"00000000_i0.JPEG", b"00000001_i1.JPEG",
                                         b"00000002_i2.JPEG"]
    with open(root + "i3.JPEG", "wb") as f:
        f.write(good)
    assert ours(args + [root, listf, db]).returncode == 0
    assert ours(args + [root, listf, clean]).returncode == 0
    assert items(db) == items(clean) and len(items(db)) == 6


def test_check_size_names_the_odd_one(imageset, ours, tmp_path):
    small = [p for p in imageset["pairs"] if "4000" not in p[0]][:4]
    listf = write_list(str(tmp_path / "l.txt"), ["%s %d" % p for p in small])
    db = str(tmp_path / "db")
    r = ours(["--check_size", imageset["root"], listf, db])   # no resize: sizes differ
    # 64x48 and 48x64 hold as many bytes (Caffe compares sizes only): line 3 differs
    assert r.returncode == 2 and ("%s:3: " % listf) in r.stderr and "--check_size" in r.stderr
    assert not lmdb_io.is_complete(db)
    r = ours(["--check_size", "--resize_height=9", "--resize_width=9",
              imageset["root"], listf, str(tmp_path / "db2")])
    assert r.returncode == 0 and lmdb_io.is_complete(str(tmp_path / "db2"))
