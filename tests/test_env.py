"""The Caffe environment itself: the real BVLC Caffe 1.0 tools, pycaffe, the
Python packages, OpenBLAS, and scripts/in-env's exit codes and signals."""
import os
import re
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from transfer_study import PROJECT_ROOT

IN_ENV = os.path.join(PROJECT_ROOT, "scripts", "in-env")
ENV_DIR = os.environ.get("CAFFE_ENV_DIR") or os.path.join(PROJECT_ROOT, ".caffe-env")


def test_caffe_version():
    out = subprocess.run(["caffe", "--version"], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, universal_newlines=True)
    assert out.returncode == 0
    assert out.stdout.strip() == "caffe version 1.0.0"


def test_python_packages_import():
    import caffe
    import cv2
    import lmdb
    import yaml
    from caffe.proto import caffe_pb2
    assert caffe_pb2.Datum().channels == 0
    assert sys.version_info >= (3, 7)


def test_caffe_uses_an_optimized_blas():
    """Debian's caffe falls back to the reference BLAS (20x slower on
    CaffeNet) unless an OpenBLAS provides libblas.so.3."""
    import caffe
    libcaffe = [l for l in open("/proc/self/maps").read().split("\n") if "libcaffe" in l]
    assert libcaffe, "pycaffe did not load libcaffe"
    ldd = subprocess.run(["ldd", libcaffe[0].split()[-1]], stdout=subprocess.PIPE,
                         universal_newlines=True, check=True).stdout
    blas = [os.path.realpath(m) for m in re.findall(r"=> (\S*(?:blas|mkl)\S*)", ldd)]
    assert blas, "libcaffe links no BLAS?\n" + ldd
    assert any("openblas" in b or "mkl" in b for b in blas), \
        "libcaffe resolves its BLAS to %s, not OpenBLAS/MKL" % blas


TINY_NET = """
name: "tiny"
layer { name: "data" type: "DummyData" top: "data" top: "label"
  dummy_data_param {
    shape { dim: 8 dim: 1 dim: 4 dim: 4 } shape { dim: 8 }
    data_filler { type: "gaussian" std: 1 } data_filler { type: "constant" value: 1 } } }
layer { name: "ip" type: "InnerProduct" bottom: "data" top: "ip"
  inner_product_param { num_output: 3 weight_filler { type: "xavier" } } }
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "ip" bottom: "label" top: "loss" }
"""


def write_tiny_solver(tmp_path, max_iter):
    (tmp_path / "net.prototxt").write_text(TINY_NET)
    (tmp_path / "solver.prototxt").write_text(textwrap.dedent("""\
        net: "net.prototxt"
        base_lr: 0.01
        lr_policy: "fixed"
        momentum: 0.9
        display: 1
        max_iter: %d
        snapshot: %d
        snapshot_prefix: "tiny"
        solver_mode: CPU
        random_seed: 1
        """ % (max_iter, max_iter)))
    return str(tmp_path / "solver.prototxt")


def test_caffe_trains_a_tiny_net_and_snapshots(tmp_path):
    write_tiny_solver(tmp_path, max_iter=20)
    out = subprocess.run(["caffe", "train", "--solver=solver.prototxt"], cwd=str(tmp_path),
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         universal_newlines=True)
    assert out.returncode == 0, out.stdout[-2000:]
    assert "Optimization Done." in out.stdout
    assert (tmp_path / "tiny_iter_20.caffemodel").stat().st_size > 0
    assert (tmp_path / "tiny_iter_20.solverstate").stat().st_size > 0
    # The loss of a 3-way softmax starts near ln 3 and must fall on constant labels.
    losses = [float(x) for x in re.findall(r"Iteration \d+.*loss = ([0-9.e+-]+)", out.stdout)]
    assert losses[0] > 0.5 and losses[-1] < losses[0] / 2


# The tests run inside the env, where scripts/in-env runs commands directly.
# CAFFE_ENV=debian forces the chroot path (a nested entry into the same root
# filesystem), so what a user's shell does is what these tests exercise.
needs_debian_env = pytest.mark.skipif(
    not os.path.isfile(os.path.join(ENV_DIR, ".env-complete")),
    reason="no Debian env here (make env): in-env's chroot path is not tested "
    "with CAFFE_ENV=native")


def in_env(*args, **kw):
    env = dict(os.environ, CAFFE_ENV="debian")
    env.update(kw.pop("env", {}))
    return [IN_ENV] + list(args), env


@needs_debian_env
def test_in_env_passes_exit_status_and_paths(tmp_path):
    cmd, env = in_env("sh", "-c", 'pwd; echo "$PYTHONPATH"; exit 7')
    out = subprocess.run(cmd, env=env, cwd=str(tmp_path), stdout=subprocess.PIPE,
                         universal_newlines=True)
    assert out.returncode == 7
    cwd, pythonpath = out.stdout.splitlines()   # (a checkout's path may hold a space)
    assert cwd == os.path.realpath(str(tmp_path))  # /tmp is the same inside
    assert pythonpath == PROJECT_ROOT

    cmd, env = in_env("python3", "-c", "import caffe, lmdb, cv2, yaml")
    assert subprocess.run(cmd, env=env).returncode == 0


@needs_debian_env
def test_in_env_binds_extra_directories(tmp_path):
    data = tmp_path / "imagenet"
    data.mkdir()
    (data / "marker").write_text("ok")
    cmd, env = in_env("cat", str(data / "marker"), env={"ENV_BIND": str(data)})
    out = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, universal_newlines=True)
    assert out.returncode == 0 and out.stdout == "ok"

    cmd, env = in_env("true", env={"ENV_BIND": str(tmp_path / "missing")})
    out = subprocess.run(cmd, env=env, stderr=subprocess.PIPE, universal_newlines=True)
    assert out.returncode == 2 and "missing" in out.stderr


@needs_debian_env
def test_in_env_cuda_needs_a_finished_cuda_build():
    cmd, env = in_env("true", env={"CUDA": "0.0-none"})
    out = subprocess.run(cmd, env=env, stderr=subprocess.PIPE, universal_newlines=True)
    assert out.returncode == 2
    assert "no CUDA 0.0-none build in the env: run make env CUDA=0.0-none" in out.stderr
    cmd, env = in_env("true", env={"CUDA": "../../etc"})
    out = subprocess.run(cmd, env=env, stderr=subprocess.PIPE, universal_newlines=True)
    assert out.returncode == 2 and "not a version" in out.stderr


def wait_for(predicate, what, timeout=60):
    deadline = time.time() + timeout
    while not predicate():
        if time.time() > deadline:
            pytest.fail("timed out waiting for " + what)
        time.sleep(0.2)


@needs_debian_env
def test_signals_through_in_env_reach_caffe(tmp_path):
    """Caffe's -sigint_effect/-sighup_effect must see the signals: in-env
    execs the command rather than forking, so the PID we signal is Caffe's."""
    write_tiny_solver(tmp_path, max_iter=10 ** 7)
    cmd, env = in_env("caffe", "train", "--solver=solver.prototxt",
                      "-sigint_effect", "snapshot", "-sighup_effect", "stop")
    log_path = tmp_path / "caffe.log"
    with open(str(log_path), "w") as log:
        proc = subprocess.Popen(cmd, env=env, cwd=str(tmp_path), stdout=log,
                                stderr=subprocess.STDOUT)
        try:
            wait_for(lambda: "Iteration 50," in log_path.read_text() or proc.poll() is not None,
                     "Caffe to train")
            assert proc.poll() is None, log_path.read_text()[-2000:]

            # SIGINT with -sigint_effect snapshot: a snapshot, and training goes on.
            proc.send_signal(signal.SIGINT)
            wait_for(lambda: list(tmp_path.glob("tiny_iter_*.caffemodel")), "the SIGINT snapshot")
            first = list(tmp_path.glob("tiny_iter_*.caffemodel"))[0].name
            at = int(re.search(r"_iter_(\d+)", first).group(1))
            # training goes on: iterations past the snapshot's, or Caffe's exit
            wait_for(lambda: proc.poll() is not None or any(
                int(i) >= at + 20 for i in re.findall(r"Iteration (\d+),", log_path.read_text())),
                "Caffe to train on after the SIGINT snapshot")
            assert proc.poll() is None, "Caffe stopped on SIGINT although told to snapshot"

            # SIGHUP with -sighup_effect stop: a final snapshot and a clean exit.
            proc.send_signal(signal.SIGHUP)
            rc = proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
    text = log_path.read_text()
    assert rc == 0, text[-2000:]
    assert "Optimization stopped early." in text
    iters = sorted(int(re.search(r"_iter_(\d+)", p.name).group(1))
                   for p in tmp_path.glob("tiny_iter_*.caffemodel"))
    assert len(iters) == 2 and 50 <= iters[0] < iters[1] < 10 ** 7, iters
    assert first == "tiny_iter_%d.caffemodel" % iters[0]
