"""The GPU probe (transfer_study/runs/gpu_probe.py): one plain answer, never Caffe's abort.

These run on any machine: without a GPU the probe must say why in one line;
with one it must say "GPU ok".  The CPU-only answers use Debian's real CPU
build of Caffe (/usr/bin/caffe in the env)."""
import ctypes
import os
import subprocess
import sys

import pytest

from transfer_study import PROJECT_ROOT
from transfer_study.runs import gpu_probe

CPU_CAFFE = "/usr/bin/caffe"


def _driver_loadable():
    try:
        ctypes.CDLL("libcuda.so.1")
        return True
    except OSError:
        return False


def need_cpu_caffe():
    if not os.path.exists(CPU_CAFFE):
        pytest.skip("Debian's CPU Caffe (/usr/bin/caffe) is not here: run inside the env")


def test_cli_prints_one_line_and_exit_status():
    r = subprocess.run([sys.executable, "-m", "transfer_study.runs.gpu_probe"], cwd=PROJECT_ROOT,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                       env=dict(os.environ, PYTHONPATH=PROJECT_ROOT))
    lines = r.stdout.splitlines()
    assert len(lines) == 1, r.stdout
    assert r.stderr == ""
    if r.returncode == 0:
        assert lines[0].startswith("GPU ok: ")
    else:
        assert r.returncode == 1
        assert lines[0].startswith("no GPU: ")
        assert "Check failed" not in lines[0] and "***" not in lines[0]


def test_cpu_only_caffe_is_named():
    need_cpu_caffe()
    p = gpu_probe.probe(caffe=CPU_CAFFE)
    assert not p.ok
    assert p.reason.startswith("CPU-only Caffe: ")
    assert p.line() == "no GPU: " + p.reason
    assert "\n" not in p.reason


def test_missing_caffe_is_named():
    p = gpu_probe.probe(caffe="/nonexistent/caffe")
    assert not p.ok and p.reason.startswith("no caffe executable")


def test_device_query_failure_without_stack_trace():
    """Real Caffe aborting in a glog CHECK: the reason is its message, no trace."""
    need_cpu_caffe()
    r = subprocess.run([CPU_CAFFE, "device_query", "-gpu", "0"], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True,
                       env=dict(os.environ, GLOG_logtostderr="1"))
    assert r.returncode != 0 and "***" in r.stdout  # what the probe must not pass on
    assert gpu_probe.caffe_failure(r.stdout) == "Cannot use GPU in CPU-only Caffe: check mode."
    why = gpu_probe.device_query(CPU_CAFFE, 0)
    assert why.startswith("caffe device_query -gpu 0 failed (killed by signal 6): ")
    assert why.endswith("Cannot use GPU in CPU-only Caffe: check mode.")


def test_caffe_failure_prefers_check_failed():
    log = ("I1128 10:00:00.000000  1 caffe.cpp:138] Querying GPUs 0\n"
           "F1128 10:00:00.000001  1 common.cpp:152] Check failed: error == cudaSuccess (100 vs. 0)"
           "  no CUDA-capable device is detected\n"
           "*** Check failure stack trace: ***\n"
           "    @     0x7f  google::LogMessage::Fail()\n")
    assert gpu_probe.caffe_failure(log) == ("Check failed: error == cudaSuccess (100 vs. 0)  "
                                      "no CUDA-capable device is detected")


def test_no_driver_library_reason():
    if _driver_loadable():
        pytest.skip("this machine has an NVIDIA driver library")
    devices, cuda_driver, why = gpu_probe.cuda_devices()
    assert devices == [] and cuda_driver is None
    assert why.startswith("no NVIDIA driver library: libcuda.so.1 is not loadable")


def test_parse_gpus():
    assert gpu_probe.parse_gpus("0,1") == [0, 1]
    assert gpu_probe.parse_gpus("all") is None and gpu_probe.parse_gpus(None) is None
    assert gpu_probe.parse_gpus([2]) == [2]
    with pytest.raises(ValueError):
        gpu_probe.parse_gpus("first")


@pytest.mark.parametrize("cc, arches, ok", [
    ("35", "35 37 50 52 60 61 70 75 80 86".split(), True),    # K20 on the 11.2 build
    ("90", "35 37 50 52 60 61 70 75 80 86".split(), True),    # H200: PTX 86 JIT
    ("87", "80 86".split(), True),                            # same major, SASS 80 runs
    ("35", "75 80 86 89 90 100 120".split(), False),          # K20 on the 13 build
    ("70", "75 80 86 89 90 100 120".split(), False),          # V100 on the 13 build
    ("90", None, True),                                       # unknown build: ask Caffe
])
def test_runnable(cc, arches, ok):
    assert gpu_probe.runnable(cc, arches) is ok


def test_probe_line_when_ok():
    p = gpu_probe.Probe(ok=True, devices=[{"id": 0, "name": "NVIDIA H200", "cc": "90",
                                     "memory_mb": 143771}],
                  driver="570.124.06", cuda="11.2", cuda_driver="12.8", cudnn=False)
    assert p.line() == ("GPU ok: 0: NVIDIA H200 (sm_90, 143771 MiB) | driver 570.124.06 "
                        "(CUDA 12.8), Caffe's CUDA runtime 11.2, cuDNN no")
