"""A GPU bundle's caffe on a node: where that node keeps CUDA's runtime libraries.

    env, problems = bundle_libs.bundle_setup(BUNDLE_DIR)   # LD_LIBRARY_PATH for its caffe

Standard library only: gpu_check.py runs it from an unpacked bundle
(scripts/gpu/gpu-bundle) with the node's bare python3.
"""
import glob
import json
import os
import re
import subprocess
import sys

BUNDLE_ENV_MARK = "GPU_CHECK_BUNDLE_ENV"


def _system_libs():
    """{soname: path} of the dynamic loader's cache (ldconfig -p), {} without one."""
    for exe in ("ldconfig", "/sbin/ldconfig", "/usr/sbin/ldconfig"):
        try:
            out = subprocess.run([exe, "-p"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                 timeout=30).stdout.decode("utf-8", "replace")
        except (OSError, subprocess.SubprocessError):
            continue
        libs = {}
        for m in re.finditer(r"^\s*(\S+) \(([^)]*)\) => (\S+)", out, re.M):
            if "x86-64" in m.group(2) or "64bit" in m.group(2):
                libs.setdefault(m.group(1), m.group(3))
        return libs
    return {}


def library_dirs(cuda):
    """Where CUDA's runtime libraries and NCCL may lie on a node, most explicit first."""
    dirs = [d for d in os.environ.get("CUDA_LIBS", "").split(":") if d]
    for var in ("CUDA_HOME", "CUDA_PATH", "CUDA_ROOT"):
        if os.environ.get(var):
            dirs += [os.path.join(os.environ[var], s) for s in ("lib64", "lib",
                                                                  "targets/x86_64-linux/lib")]
    major = cuda.split(".")[0]
    tops = ["/usr/local/cuda"] + sorted(glob.glob("/usr/local/cuda-%s*" % major), reverse=True)
    dirs += [os.path.join(t, s) for t in tops for s in ("lib64", "targets/x86_64-linux/lib")]
    # NVIDIA's wheels: nvidia/<component>/lib (CUDA 11, 12) or nvidia/cu13/lib (13)
    import site
    paths = list(sys.path)
    try:
        paths += site.getsitepackages() + [site.getusersitepackages()]
    except AttributeError:  # virtualenv's old site.py
        pass
    for p in paths:
        dirs += sorted(glob.glob(os.path.join(p, "nvidia", "*", "lib")))
    seen, out = set(), []
    for d in dirs:
        if os.path.isdir(d) and os.path.realpath(d) not in seen:
            seen.add(os.path.realpath(d))
            out.append(d)
    return out


def bundle_setup(bundle):
    """(env, problems): LD_LIBRARY_PATH for a bundle's caffe on this node."""
    with open(os.path.join(bundle, "BUNDLE.json")) as f:
        info = json.load(f)
    problems = []
    have = os.confstr("CS_GNU_LIBC_VERSION").split()[-1] if hasattr(os, "confstr") else "0"
    vt = lambda v: tuple(int(x) for x in v.split(".") if x.isdigit())
    if vt(have) < vt(info["glibc_min"]):
        problems.append("this node's glibc %s is older than the bundle needs (%s)"
                        % (have, info["glibc_min"]))
    dirs = library_dirs(info["cuda"])
    system = _system_libs()
    picked, missing = [], []
    for name in info["cuda_libraries"] + [info["nccl"]]:
        where = next((d for d in dirs if os.path.exists(os.path.join(d, name))), None)
        if where is None and name in system:
            where = os.path.dirname(system[name])
        if where is None:
            if name != info["nccl"]:
                missing.append(name)
        elif where not in picked:
            picked.append(where)
    if missing:
        problems.append("CUDA %s runtime libraries not found: %s (looked in $CUDA_LIBS, "
                        "$CUDA_HOME, /usr/local/cuda*, NVIDIA's Python wheels (nvidia/*/lib) "
                        "and the loader's cache; set CUDA_LIBS=dir1:dir2)"
                        % (info["cuda"], ", ".join(missing)))
    lib = os.path.join(bundle, "lib")
    old = [d for d in os.environ.get("LD_LIBRARY_PATH", "").split(":") if d]
    env = dict(os.environ)
    # the stub last: a real NCCL anywhere before it wins
    env["LD_LIBRARY_PATH"] = ":".join([lib] + picked + old + [os.path.join(lib, "nccl-stub")])
    env[BUNDLE_ENV_MARK] = "1"
    return env, problems
