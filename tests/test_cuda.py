"""The CUDA builds of Caffe (scripts/env/build-cuda-caffe) and the GPU check
(scripts/gpu/), checked without a GPU.

The builds take 30-90 minutes on 2 cores, so CI never makes them: every test
that needs one skips, with the command that builds it, when /opt/caffe-cuda-<ver>
has no .complete stamp.  Run them inside the env (make test) after `make env
CUDA=11.2` and/or `make env CUDA=13`.  The GPU check's own paths (its dry run,
its stop at "no GPU", its CSV and the cost it projects, read back by make cost)
run with Debian's CPU Caffe.  With a GPU, `make gpu-check` is the real test."""
import ctypes
import os
import re
import shutil
import subprocess
import sys
import tarfile

import pytest

from transfer_study import PROJECT_ROOT

GPU_SCRIPTS = os.path.join(PROJECT_ROOT, "scripts", "gpu")
sys.path.insert(0, GPU_SCRIPTS)
import gpu_assets  # noqa: E402  (scripts/gpu/gpu_assets.py)
import gpu_check  # noqa: E402  (scripts/gpu/gpu_check.py)
from transfer_study.runs import gpu_probe  # noqa: E402

CPU_CAFFE = "/usr/bin/caffe"
CUOBJDUMP = {"11.2": "/usr/bin/cuobjdump", "13": "/opt/cuda-13/tools/nvidia/cu13/bin/cuobjdump"}
PTX = {"11.2": "86", "13": "120"}
# CUDA's own runtime libraries: what a GPU node brings (not in the bundle).
CUDA_LIBS = {"11.2": ("/usr/lib/x86_64-linux-gnu", ["libcudart.so.11.0", "libcublas.so.11",
                                                    "libcublasLt.so.11", "libcurand.so.10"]),
             "13": ("/opt/cuda-13/nvidia/cu13/lib", ["libcudart.so.13", "libcublas.so.13",
                                                     "libcublasLt.so.13", "libcurand.so.10"])}


def driver_present():
    try:
        ctypes.CDLL("libcuda.so.1")
        return True
    except OSError:
        return False


class Build(object):
    def __init__(self, ver):
        self.ver = ver
        self.prefix = "/opt/caffe-cuda-%s" % ver
        self.caffe = os.path.join(self.prefix, "bin", "caffe")
        self.libcaffe = os.path.join(self.prefix, "lib", "libcaffe.so")
        with open(os.path.join(self.prefix, "CUDA_ARCHES")) as f:
            self.arches = f.read().split()


@pytest.fixture(params=["11.2", "13"], scope="module")
def build(request):
    ver = request.param
    if not os.path.exists("/opt/caffe-cuda-%s/.complete" % ver):
        pytest.skip("no CUDA %s build of Caffe in this env (/opt/caffe-cuda-%s): "
                    "`make env CUDA=%s` builds it (30-90 min on 2 cores)" % (ver, ver, ver))
    return Build(ver)


def run(args, **kw):
    kw.setdefault("env", dict(os.environ, GLOG_logtostderr="1"))
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, **kw)


def test_caffe_version(build):
    r = run([build.caffe, "--version"])
    assert r.returncode == 0, r.stdout
    assert r.stdout.strip() == "caffe version 1.0.0"


def test_every_architecture_is_in_libcaffe(build):
    """cuobjdump lists SASS for every architecture of CUDA_ARCHES, and the PTX."""
    tool = CUOBJDUMP[build.ver]
    elf = run([tool, "--list-elf", build.libcaffe])
    assert elf.returncode == 0, elf.stdout
    assert sorted(set(re.findall(r"\.sm_(\d+)\.cubin", elf.stdout)), key=int) == build.arches
    ptx = run([tool, "--list-ptx", build.libcaffe])
    assert set(re.findall(r"\.sm_(\d+)\.ptx", ptx.stdout)) == {PTX[build.ver]}


def test_import_caffe_is_this_build(build):
    code = ("import caffe, sys; caffe.set_mode_cpu(); "
            "assert caffe.__file__.startswith(sys.argv[1]), caffe.__file__")
    r = run([sys.executable, "-c", code, build.prefix + "/"], cwd="/",
            env=dict(os.environ, PYTHONPATH=os.path.join(build.prefix, "python")))
    assert r.returncode == 0, r.stdout


def test_the_envs_driver_library_is_never_loaded(build):
    """Caffe reaches the driver only through libcudart's dlopen of libcuda.so.1,
    and the env holds no libcuda.so.1 (nor Debian's libcuda1): on a GPU host the
    host's driver is the only one."""
    ldd = run(["ldd", build.libcaffe]).stdout
    assert "libcudart" in ldd and "libcuda.so" not in ldd
    st = run(["dpkg-query", "-W", "-f", "${Status}", "libcuda1"]).stdout
    assert "installed" not in st.replace("not-installed", "")
    assert not os.path.exists("/usr/lib/x86_64-linux-gnu/libcuda.so.1")
    assert "libcuda.so.1 " not in run(["ldconfig", "-p"]).stdout


def test_probe_says_no_gpu_plainly(build):
    if driver_present():
        pytest.skip("this machine has an NVIDIA driver: make gpu-check is the test")
    p = gpu_probe.probe(caffe=build.caffe)
    assert not p.ok
    assert p.cuda == build.ver or p.cuda.startswith(build.ver + ".")  # 13 -> "13.0"
    assert p.reason.startswith("no NVIDIA driver library: libcuda.so.1 is not loadable")
    assert "\n" not in p.reason and "Check failed" not in p.reason


def test_gpu_check_says_no_gpu(build, tmp_path):
    if driver_present():
        pytest.skip("this machine has an NVIDIA driver: make gpu-check is the test")
    r = run([sys.executable, os.path.join(GPU_SCRIPTS, "gpu_check.py"),
             "--caffe", build.caffe, "--work", str(tmp_path)])
    assert r.returncode == 1
    assert r.stdout.splitlines()[0].startswith("no GPU: no NVIDIA driver library")
    assert "***" not in r.stdout


@pytest.fixture(scope="module")
def assets(tmp_path_factory):
    d = str(tmp_path_factory.mktemp("gpu-check-assets"))
    gpu_assets.prepare(d)
    return d


def cpu_losses(caffe, assets, work, iters=60):
    c = gpu_check.Check(caffe, [], work, dict(os.environ), lambda s: None)
    tiny = os.path.join(assets, "tiny")
    sv = c.run_copy(tiny, dict(solver_mode="CPU", max_iter=iters, display=10,
                               test_interval=10 ** 7, test_initialization=False))
    rc, text = c.caffe_run(["train", "-solver", sv], tiny, "cpu-%s" % os.path.basename(work))
    assert rc == 0, gpu_probe.caffe_failure(text)
    return c.losses(text)


def test_cpu_mode_matches_the_cpu_build(build, assets, tmp_path):
    """The tiny profile in CPU mode, same seed: the CUDA build's losses are the CPU
    build's (same source, same compiler and flags, same OpenBLAS)."""
    if not os.path.exists(CPU_CAFFE):
        pytest.skip("Debian's CPU caffe is missing")
    cuda_dir, cpu_dir = tmp_path / "cuda", tmp_path / "cpu"
    cuda_dir.mkdir()
    cpu_dir.mkdir()
    got = cpu_losses(build.caffe, assets, str(cuda_dir))
    want = cpu_losses(CPU_CAFFE, assets, str(cpu_dir))
    assert [i for i, _ in got] == [i for i, _ in want] == list(range(0, 61, 10))
    for (i, a), (_, b) in zip(got, want):
        assert a == pytest.approx(b, rel=1e-4, abs=1e-5), (i, got, want)


# ---------------------------------------------------------------- bundle ---

@pytest.fixture(scope="module")
def bundle(build, tmp_path_factory):
    # The bundle carries Caffe's own tests of this build: `make caffe-tests
    # CUDA=<ver>` builds them (resumable; a minute or so), and runs them in
    # CPU mode, which must pass too.
    r = run([os.path.join(GPU_SCRIPTS, "caffe-tests"), build.ver], timeout=1800)
    assert r.returncode == 0, r.stdout[-3000:]
    assert re.search(r"\[%s\] \d+ tests passed, 0 failed" % re.escape(build.ver), r.stdout), \
        r.stdout[-3000:]
    out = str(tmp_path_factory.mktemp("bundle-%s" % build.ver))
    r = run([os.path.join(GPU_SCRIPTS, "gpu-bundle"), build.ver, out])
    assert r.returncode == 0, r.stdout
    archive = os.path.join(out, "caffe-gpu-bundle-cuda%s.tar.xz" % build.ver)
    with tarfile.open(archive) as t:
        t.extractall(out)
    return archive, os.path.join(out, "caffe-gpu-bundle-cuda%s" % build.ver)


@pytest.mark.slow
def test_bundle_is_at_most_50_mb(bundle):
    assert os.path.getsize(bundle[0]) <= 50 * 1000 * 1000


def _mini_root(build, bundle_dir, root):
    """A root holding only glibc, the bundle and CUDA's runtime libraries."""
    libdir = os.path.join(root, "lib", "x86_64-linux-gnu")
    os.makedirs(libdir)
    os.makedirs(os.path.join(root, "lib64"))
    os.makedirs(os.path.join(root, "tmp"))
    for name in ("libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1",
                 "libresolv.so.2", "libutil.so.1"):
        shutil.copy(os.path.join("/lib/x86_64-linux-gnu", name), libdir)
    shutil.copy("/lib64/ld-linux-x86-64.so.2", os.path.join(root, "lib64"))
    src, names = CUDA_LIBS[build.ver]
    os.makedirs(os.path.join(root, "cuda"))
    for n in names:
        shutil.copy(os.path.join(src, n), os.path.join(root, "cuda"))
    shutil.copytree(bundle_dir, os.path.join(root, "b"), symlinks=True)


@pytest.mark.slow
def test_bundle_caffe_runs_alone(build, bundle, tmp_path):
    """In a chroot with nothing but glibc, the bundle and CUDA's runtime libraries,
    the bundle's caffe starts and trains the tiny net in CPU mode."""
    if os.geteuid() != 0:
        pytest.skip("chroot needs root")
    root = str(tmp_path / "root")
    _mini_root(build, bundle[1], root)
    tiny = "/b/assets/tiny"
    with open(os.path.join(root + tiny, "solvers", "netbase.prototxt")) as f:
        text = gpu_check.set_fields(f.read(), solver_mode="CPU", max_iter=20, display=10,
                                    test_interval=10 ** 7, test_initialization=False,
                                    snapshot=0, snapshot_after_train=False,
                                    snapshot_prefix="/tmp/snap")
    with open(os.path.join(root + tiny, "solver.cpu.prototxt"), "w") as f:
        f.write(text)

    def in_root(*args):
        def enter():
            os.chroot(root)
            os.chdir(tiny)
        return subprocess.run(["/b/bin/caffe"] + list(args), preexec_fn=enter,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              universal_newlines=True,
                              env={"LD_LIBRARY_PATH": "/b/lib:/cuda:/b/lib/nccl-stub",
                                   "GLOG_logtostderr": "1"})
    r = in_root("--version")
    assert r.returncode == 0 and r.stdout.strip() == "caffe version 1.0.0", r.stdout
    r = in_root("train", "-solver", "solver.cpu.prototxt")
    assert r.returncode == 0, r.stdout[-3000:]
    assert "Optimization Done" in r.stdout
    losses = gpu_check.Check.losses(r.stdout)
    assert [i for i, _ in losses] == [0, 10, 20]


@pytest.mark.slow
def test_bundle_check_says_no_gpu(build, bundle, tmp_path):
    if driver_present():
        pytest.skip("this machine has an NVIDIA driver: run the bundle's run-gpu-check")
    cuda = tmp_path / "cuda"
    cuda.mkdir()
    src, names = CUDA_LIBS[build.ver]
    for n in names:
        os.symlink(os.path.join(src, n), str(cuda / n))
    r = run([os.path.join(bundle[1], "run-gpu-check"), "--work", str(tmp_path / "work")],
            env=dict(os.environ, CUDA_LIBS=str(cuda)))
    assert r.returncode == 1, r.stdout
    assert r.stdout.splitlines()[0].startswith("no GPU: no NVIDIA driver library"), r.stdout
    assert "***" not in r.stdout


# ------------------------------------------------- the GPU check, no GPU needed ---

def check_argv(*args):
    return [sys.executable, os.path.join(GPU_SCRIPTS, "gpu_check.py")] + list(args)


def read_csv(path):
    import csv
    with open(path) as f:
        return list(csv.DictReader(f))


def test_gpu_check_dry_run_lists_every_step(tmp_path):
    r = run(check_argv("--dry-run", "--work", str(tmp_path / "work")))
    assert r.returncode == 0, r.stdout
    listed = [l.split()[0] for l in r.stdout.splitlines()[1:] if l.startswith("  ") and " s  " in l]
    assert listed == [name for name, _, _ in gpu_check.STEPS]
    for k in gpu_check.THROUGHPUT:
        assert "throughput-%d" % k in listed
    assert "within 8 minutes" in r.stdout
    assert not os.path.exists(str(tmp_path / "work"))   # a dry run writes nothing


def test_gpu_check_stops_at_no_gpu_and_writes_its_csv(tmp_path):
    """Debian's CPU Caffe: the first step says why, nothing else runs, the CSV says so."""
    if not os.path.exists(CPU_CAFFE):
        pytest.skip("Debian's CPU caffe is missing")
    work, out = tmp_path / "work", tmp_path / "gpu-check.csv"
    r = run(check_argv("--caffe", CPU_CAFFE, "--work", str(work), "--csv", str(out)))
    assert r.returncode == 1
    assert r.stdout.splitlines()[0] == ("no GPU: CPU-only Caffe: %s is not linked to the CUDA "
                                        "runtime (libcudart)" % CPU_CAFFE)
    assert "Traceback" not in r.stdout and "***" not in r.stdout
    rows = read_csv(str(out))
    assert [(x["step"], x["result"]) for x in rows] == [("probe", "FAIL")]
    assert rows[0]["detail"].startswith("no GPU: CPU-only Caffe")
    assert sorted(os.listdir(str(work))) == []   # no Caffe was started, nothing prepared


def test_gpu_check_cpu_smoke_times_concurrent_training(tmp_path):
    """The steps' own code on real CPU Caffe: a training run whose loss falls and two
    networks at once with their Data layers, each timed from Caffe's log."""
    if not os.path.exists(CPU_CAFFE):
        pytest.skip("Debian's CPU caffe is missing")
    out = tmp_path / "smoke.csv"
    r = run(check_argv("--cpu-smoke", "--caffe", CPU_CAFFE, "--work", str(tmp_path / "work"),
                       "--csv", str(out)), timeout=300)
    assert r.returncode == 0, r.stdout[-3000:]
    rows = read_csv(str(out))
    res = dict((x["step"], x["result"]) for x in rows)
    assert res == {"probe": "SKIP", "train-cpu": "PASS", "throughput-2": "PASS"}
    spi = [float(x["value"]) for x in rows if (x["step"], x["metric"]) == ("throughput-2", "sec_per_iter")]
    assert len(spi) == 1 and 0 < spi[0] < 10
    # two logs, both trained to the end
    for j in (0, 1):
        with open(str(tmp_path / "work" / ("throughput-2.%d.log" % j))) as f:
            assert "Optimization Done" in f.read()


def test_projection_is_costs_and_make_cost_reads_the_csv(tmp_path):
    """The projection takes the best networks-per-GPU setting and runs/cost.py's
    figures; `make cost SEC_PER_ITER=<csv>` then reports the same GPU-days."""
    from transfer_study.nets import catalog
    from transfer_study.runs import cost
    study = gpu_assets.study(catalog.load())
    assert study["networks"] == 170 and round(study["gpu_days_paper"]) == 1446
    c = gpu_check.Check(CPU_CAFFE, [0], str(tmp_path), dict(os.environ), lambda s: None)
    # s/iteration of each network with 1, 2, 4 at once: 2 at once is the best (0.15 GPU-s)
    c.projection({1: (0.20, 2500), 2: (0.30, 5000), 4: (0.80, 10000)}, study)
    (name, status, detail), = c.rows
    assert (name, status) == ("projection", "PASS")
    m = dict((k, v) for s, k, v in c.metrics)
    assert m["nets_per_gpu"] == 2 and m["sec_per_iter"] == 0.15
    days = cost.gpu_days(study["iterations"], 0.15)
    assert m["gpu_days"] == round(days, 1) and "%.0f GPU-days at 2 networks per GPU" % days in detail
    out = str(tmp_path / "gpu-check.csv")
    gpu_check.write_csv(out, c.rows, c.metrics)
    assert cost.measured_sec_per_iter(out) == 0.15
    r = run(["make", "--no-print-directory", "-C", PROJECT_ROOT, "cost", "SEC_PER_ITER=%s" % out])
    assert r.returncode == 0, r.stdout
    assert "GPU-days: %.1f at 0.15 s/iteration" % days in r.stdout
    # a CSV without the measured row: a clear error naming the file
    bad = str(tmp_path / "failed.csv")
    gpu_check.write_csv(bad, [("probe", "FAIL", "no GPU: ...")], [])
    r = run(["make", "--no-print-directory", "-C", PROJECT_ROOT, "cost", "SEC_PER_ITER=%s" % bad])
    assert r.returncode != 0
    assert "%s has no projection/sec_per_iter row" % bad in r.stdout and "Traceback" not in r.stdout
