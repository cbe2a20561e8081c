"""Can this machine run Caffe on its GPUs?  One plain answer, never a Caffe abort.

    from transfer_study.runs import gpu_probe
    p = gpu_probe.probe([0, 1])          # or probe() for every visible GPU
    if not p.ok:
        sys.exit("no GPU: " + p.reason)
    p.devices, p.driver, p.cuda, p.cudnn   # for the run's provenance record

    python3 -m transfer_study.runs.gpu_probe [--gpu 0,1|all] [--caffe PATH] [--json]

prints one line ("GPU ok: ..." or "no GPU: <reason>") and exits 0 or 1.

Asking Caffe itself (`caffe device_query -gpu 0`) on a machine without a
usable GPU ends in a glog CHECK: a stack trace and SIGABRT.  So the questions
are asked in order, each with a plain answer, before Caffe is started:

1. Is the `caffe` on PATH a CUDA build?  Its shared-library list (the dynamic
   loader's LD_TRACE_LOADED_OBJECTS, what ldd prints) names libcudart when it
   is; an unresolved CUDA library is named too.
2. Is the NVIDIA driver library (libcuda.so.1) loadable, with the same
   LD_LIBRARY_PATH Caffe will see?  Then cuInit / cuDeviceGetCount (ctypes):
   "no device", an old driver, a driver/kernel-module mismatch each say so.
3. Does each requested GPU exist, and does this build hold code for it (the
   build's CUDA_ARCHES file, written by scripts/env/build-cuda-caffe)?
4. `caffe device_query -gpu N` as a subprocess: on failure its 'Check failed'
   or error line, without the stack trace.

Standard library only: the GPU bundle (scripts/gpu/gpu-bundle) runs this file
alone with a bare Python 3 on a node that has nothing but a driver.
"""
import argparse
import ctypes
import json
import os
import re
import shutil
import subprocess
import sys
import threading

# CUresult codes worth a sentence of their own (cuda.h).
_CU_ERRORS = {
    3: "CUDA_ERROR_NOT_INITIALIZED",
    34: "CUDA_ERROR_STUB_LIBRARY: libcuda.so.1 found is the toolkit's stub, not a driver",
    35: "CUDA_ERROR_INSUFFICIENT_DRIVER: the driver is too old for this CUDA",
    100: "CUDA_ERROR_NO_DEVICE: no CUDA-capable device is detected",
    101: "CUDA_ERROR_INVALID_DEVICE",
    304: "CUDA_ERROR_OPERATING_SYSTEM",
    803: "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH: the driver library and the kernel module differ",
    804: "CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE",
    999: "CUDA_ERROR_UNKNOWN",
}
_CU_DEVICE_ATTRIBUTE_CC_MAJOR = 75
_CU_DEVICE_ATTRIBUTE_CC_MINOR = 76

DEVICE_QUERY_TIMEOUT = 120  # first use on a GPU newer than the build JIT-compiles PTX


class Probe(object):
    """The answer: ok, or one plain reason; plus what a provenance record wants."""

    def __init__(self, ok=False, reason="", devices=None, driver=None, cuda=None,
                 cuda_driver=None, cudnn=None, caffe=None, arches=None):
        self.ok = ok
        self.reason = reason          # "" when ok
        self.devices = devices or []  # [{"id", "name", "cc", "memory_mb"}] of the requested GPUs
        self.driver = driver          # NVIDIA driver version, e.g. "570.124.06"
        self.cuda = cuda              # CUDA runtime Caffe links, e.g. "11.2"
        self.cuda_driver = cuda_driver  # highest CUDA the driver supports, e.g. "12.8"
        self.cudnn = cudnn            # True/False: Caffe links cuDNN; None: unknown
        self.caffe = caffe            # the caffe executable asked
        self.arches = arches          # the build's SASS architectures, e.g. ["35", ..., "86"]

    def as_dict(self):
        return dict(self.__dict__)

    def line(self):
        """One line for a terminal or a log."""
        if not self.ok:
            return "no GPU: " + self.reason
        devs = "; ".join("%d: %s (sm_%s, %d MiB)" % (d["id"], d["name"], d["cc"], d["memory_mb"])
                         for d in self.devices)
        return "GPU ok: %s | driver %s (CUDA %s), Caffe's CUDA runtime %s, cuDNN %s" % (
            devs, self.driver or "?", self.cuda_driver or "?", self.cuda or "?",
            {True: "yes", False: "no", None: "?"}[self.cudnn])

    def __repr__(self):
        return "Probe(%s)" % self.line()


# ------------------------------------------------------------- caffe ---

def find_caffe(caffe=None):
    """The caffe executable: the argument, else $CAFFE_BIN, else `caffe` on PATH."""
    caffe = caffe or os.environ.get("CAFFE_BIN") or "caffe"
    if os.sep in caffe:
        return caffe if os.access(caffe, os.X_OK) else None
    return shutil.which(caffe)


def shared_libraries(executable):
    """{soname: resolved path or None} the dynamic loader would map for `executable`.

    LD_TRACE_LOADED_OBJECTS=1 makes the loader list instead of run (ldd does
    the same), so this works where ldd is missing; a non-ELF file (a wrapper
    script) returns None.
    """
    try:
        with open(executable, "rb") as f:
            if f.read(4) != b"\x7fELF":
                return None
    except OSError:
        return None
    env = dict(os.environ, LD_TRACE_LOADED_OBJECTS="1")
    try:
        out = subprocess.run([executable], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    libs = {}
    for line in out.decode("utf-8", "replace").splitlines():
        m = re.match(r"\s*(\S+)\s+=>\s+(not found|\S+)", line)
        if m:
            libs[m.group(1)] = None if m.group(2) == "not found" else m.group(2)
    return libs


def build_arches(caffe):
    """SASS architectures of the build holding `caffe` (<prefix>/CUDA_ARCHES), or None."""
    prefix = os.path.dirname(os.path.dirname(os.path.realpath(caffe)))
    try:
        with open(os.path.join(prefix, "CUDA_ARCHES")) as f:
            return f.read().split()
    except OSError:
        return None


def _runtime_version(libcudart):
    """'11.2': cudaRuntimeGetVersion of that library, else its file name."""
    try:
        lib = ctypes.CDLL(libcudart)
        v = ctypes.c_int(0)
        if lib.cudaRuntimeGetVersion(ctypes.byref(v)) == 0 and v.value:
            return "%d.%d" % (v.value // 1000, (v.value % 1000) // 10)
    except (OSError, AttributeError):
        pass
    # Without a driver the call fails (35): read the version off the file the
    # soname resolves to (libcudart.so.11.0 -> libcudart.so.11.2.152).
    m = re.search(r"libcudart\.so\.(\d+(?:\.\d+)?)", os.path.realpath(libcudart))
    return m.group(1) if m else None


# ------------------------------------------------------------ driver ---

def driver_version():
    """The NVIDIA kernel driver's version string, or None."""
    try:
        with open("/proc/driver/nvidia/version") as f:
            m = re.search(r"Kernel Module(?: for \S+)?\s+(\d+\.\d+(?:\.\d+)?)", f.read())
            if m:
                return m.group(1)
    except OSError:
        pass
    smi = shutil.which("nvidia-smi")
    if smi:
        try:
            out = subprocess.run([smi, "--query-gpu=driver_version", "--format=csv,noheader"],
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                 timeout=30).stdout.decode().split()
            return out[0] if out else None
        except (OSError, subprocess.SubprocessError):
            pass
    return None


def _cu_error(lib, code):
    if code in _CU_ERRORS:
        return _CU_ERRORS[code]
    try:
        s = ctypes.c_char_p()
        if lib.cuGetErrorName(code, ctypes.byref(s)) == 0 and s.value:
            return s.value.decode()
    except AttributeError:
        pass
    return "CUresult %d" % code


def cuda_devices():
    """(devices, cuda_driver_version, reason): reason is None when the driver answered.

    Runs cuInit in this process; it honours CUDA_VISIBLE_DEVICES as Caffe will.
    """
    try:
        lib = ctypes.CDLL("libcuda.so.1")
    except OSError as e:
        where = os.environ.get("LD_LIBRARY_PATH")
        where = ("LD_LIBRARY_PATH=%s and " % where if where else "") + "the loader's default paths"
        return [], None, ("no NVIDIA driver library: libcuda.so.1 is not loadable (%s; searched %s)"
                          % (str(e).split(":")[-1].strip() or "not found", where))
    v = ctypes.c_int(0)
    cuda_driver = None
    if lib.cuDriverGetVersion(ctypes.byref(v)) == 0 and v.value:
        cuda_driver = "%d.%d" % (v.value // 1000, (v.value % 1000) // 10)
    rc = lib.cuInit(0)
    if rc != 0:
        return [], cuda_driver, "the NVIDIA driver reports %s" % _cu_error(lib, rc)
    n = ctypes.c_int(0)
    rc = lib.cuDeviceGetCount(ctypes.byref(n))
    if rc != 0:
        return [], cuda_driver, "cuDeviceGetCount: %s" % _cu_error(lib, rc)
    devices = []
    for i in range(n.value):
        dev = ctypes.c_int(0)
        if lib.cuDeviceGet(ctypes.byref(dev), i) != 0:
            continue
        name = ctypes.create_string_buffer(256)
        lib.cuDeviceGetName(name, 256, dev)
        major, minor = ctypes.c_int(0), ctypes.c_int(0)
        lib.cuDeviceGetAttribute(ctypes.byref(major), _CU_DEVICE_ATTRIBUTE_CC_MAJOR, dev)
        lib.cuDeviceGetAttribute(ctypes.byref(minor), _CU_DEVICE_ATTRIBUTE_CC_MINOR, dev)
        mem = ctypes.c_size_t(0)
        try:
            lib.cuDeviceTotalMem_v2(ctypes.byref(mem), dev)
        except AttributeError:
            pass
        devices.append({"id": i, "name": name.value.decode("utf-8", "replace"),
                        "cc": "%d%d" % (major.value, minor.value),
                        "memory_mb": mem.value // (1 << 20)})
    if not devices:
        return [], cuda_driver, "no device: the NVIDIA driver sees no GPU" + (
            " (CUDA_VISIBLE_DEVICES=%r)" % os.environ["CUDA_VISIBLE_DEVICES"]
            if "CUDA_VISIBLE_DEVICES" in os.environ else "")
    return devices, cuda_driver, None


def runnable(cc, arches):
    """Can a build with SASS for `arches` (plus PTX of the highest) run on compute capability cc?"""
    if not arches:
        return True  # unknown build: let device_query decide
    cc = int(cc)
    nums = sorted(int(a) for a in arches)
    # SASS runs on the same major, equal or higher minor; PTX JIT-compiles upward.
    return any(a // 10 == cc // 10 and a <= cc for a in nums) or cc >= nums[-1]


class MemorySampler(object):
    """The most GPU memory in use (MiB) on one GPU while it runs, above what was
    in use when it started (this process's own CUDA context included there).

        m = MemorySampler(0); ...run Caffe...; mib = m.stop()   # None: no answer

    cuMemGetInfo counts every process's memory on the device: the GPU check
    runs nothing else on it while it samples."""

    def __init__(self, gpu, every=0.2):
        self.peak = self.base = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, args=(gpu, every))
        self._thread.daemon = True
        self._ready = threading.Event()
        self._thread.start()
        self._ready.wait(30)

    def _sample(self, gpu, every):
        try:
            lib = ctypes.CDLL("libcuda.so.1")
            dev, ctx = ctypes.c_int(0), ctypes.c_void_p()
            free, total = ctypes.c_size_t(0), ctypes.c_size_t(0)
            if (lib.cuInit(0) or lib.cuDeviceGet(ctypes.byref(dev), gpu)
                    or lib.cuDevicePrimaryCtxRetain(ctypes.byref(ctx), dev)
                    or lib.cuCtxSetCurrent(ctx)):
                return
            while True:
                if lib.cuMemGetInfo_v2(ctypes.byref(free), ctypes.byref(total)) == 0:
                    used = (total.value - free.value) // (1 << 20)
                    if self.base is None:
                        self.base = used
                        self._ready.set()
                    self.peak = max(self.peak or 0, used)
                if self._stop.wait(every):
                    break
            lib.cuDevicePrimaryCtxRelease(dev)
        except (OSError, AttributeError):
            pass
        finally:
            self._ready.set()

    def stop(self):
        self._stop.set()
        self._thread.join(10)
        return None if self.base is None else self.peak - self.base


# -------------------------------------------------------- device_query ---

_GLOG_PREFIX = re.compile(r"^[IWEF]\d{4} [\d:.]+\s+\d+ \S+:\d+\] ")


def caffe_failure(output):
    """The line that says why Caffe failed, without glog's prefix or the stack trace."""
    lines = [l.rstrip() for l in output.splitlines() if l.strip()]
    for pat in (r"Check failed", r"^F\d{4} ", r"error|Error|ERROR|cannot|Cannot"):
        for l in lines:
            if l.startswith("*** ") or l.lstrip().startswith("@ "):
                continue  # glog's stack trace
            if re.search(pat, l):
                return _GLOG_PREFIX.sub("", l)
    return lines[-1] if lines else "no output"


def device_query(caffe, gpu, timeout=DEVICE_QUERY_TIMEOUT):
    """None when `caffe device_query -gpu N` succeeds, else its failure in one line."""
    try:
        r = subprocess.run([caffe, "device_query", "-gpu", str(gpu)], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout,
                           env=dict(os.environ, GLOG_logtostderr="1"))
    except subprocess.TimeoutExpired:
        return "caffe device_query -gpu %s did not answer within %d s" % (gpu, timeout)
    except OSError as e:
        return "cannot run %s: %s" % (caffe, e)
    if r.returncode == 0:
        return None
    why = caffe_failure(r.stdout.decode("utf-8", "replace"))
    sig = " (killed by signal %d)" % -r.returncode if r.returncode < 0 else ""
    return "caffe device_query -gpu %s failed%s: %s" % (gpu, sig, why)


# -------------------------------------------------------------- probe ---

def parse_gpus(spec):
    """'0,1' -> [0, 1]; 'all' or None -> None (every visible GPU)."""
    if spec is None or str(spec).strip().lower() in ("", "all"):
        return None
    if isinstance(spec, (list, tuple)):
        return [int(g) for g in spec]
    try:
        return [int(g) for g in str(spec).split(",") if g.strip()]
    except ValueError:
        raise ValueError("GPU ids must be like 0 or 0,1 or all, not %r" % spec)


def probe(gpu_ids=None, caffe=None, query=True):
    """Which of `gpu_ids` (None: all visible) Caffe can use, or one reason why none.

    query=False skips `caffe device_query` (the driver's answer only).
    """
    gpu_ids = parse_gpus(gpu_ids)
    p = Probe(driver=driver_version())
    exe = find_caffe(caffe)
    p.caffe = exe
    if exe is None:
        p.reason = "no caffe executable (%s)" % (caffe or os.environ.get("CAFFE_BIN") or
                                                  "`caffe` is not on PATH")
        return p
    libs = shared_libraries(exe)
    if libs is not None:
        missing = sorted(k for k, v in libs.items() if v is None)
        cudart = [k for k in libs if k.startswith("libcudart")]
        p.cudnn = any(k.startswith("libcudnn") for k in libs)
        if missing:
            p.reason = "%s cannot start: %s not found (LD_LIBRARY_PATH=%s)" % (
                exe, ", ".join(missing), os.environ.get("LD_LIBRARY_PATH", ""))
            return p
        if not cudart:
            p.reason = "CPU-only Caffe: %s is not linked to the CUDA runtime (libcudart)" % exe
            return p
        p.cuda = _runtime_version(libs[cudart[0]])
    p.arches = build_arches(exe)

    devices, p.cuda_driver, why = cuda_devices()
    if why:
        p.reason = why
        return p
    if p.cuda and p.cuda_driver and int(p.cuda_driver.split(".")[0]) < int(p.cuda.split(".")[0]):
        p.reason = ("the driver %s supports CUDA %s, older than this Caffe's CUDA %s runtime: "
                    "use an older CUDA build (CUDA=11.2) or a newer driver"
                    % (p.driver or "?", p.cuda_driver, p.cuda))
        return p
    by_id = {d["id"]: d for d in devices}
    wanted = gpu_ids if gpu_ids is not None else sorted(by_id)
    absent = [g for g in wanted if g not in by_id]
    if absent:
        p.reason = "no device %s: the driver sees %d GPU(s) (%s)" % (
            ",".join(map(str, absent)), len(devices),
            ", ".join("%d: %s" % (d["id"], d["name"]) for d in devices))
        return p
    for g in wanted:
        d = by_id[g]
        if not runnable(d["cc"], p.arches):
            p.reason = ("GPU %d (%s, sm_%s) is not supported by this Caffe build (sm_%s): "
                        "use CUDA=11.2 for GPUs older than sm_75"
                        % (g, d["name"], d["cc"], ", sm_".join(p.arches)))
            return p
        if query:
            why = device_query(exe, g)
            if why:
                p.reason = why
                return p
    p.devices = [by_id[g] for g in wanted]
    p.ok = True
    return p


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gpu", default="all", help="GPU ids, e.g. 0 or 0,1 (default: all)")
    ap.add_argument("--caffe", help="caffe executable (default: $CAFFE_BIN or caffe on PATH)")
    ap.add_argument("--no-query", action="store_true", help="skip caffe device_query")
    ap.add_argument("--json", action="store_true", help="the whole answer as JSON")
    a = ap.parse_args(argv)
    try:
        p = probe(a.gpu, caffe=a.caffe, query=not a.no_query)
    except ValueError as e:
        ap.error(str(e))
    print(json.dumps(p.as_dict(), sort_keys=True) if a.json else p.line())
    return 0 if p.ok else 1


if __name__ == "__main__":
    sys.exit(main())
