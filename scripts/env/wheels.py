#!/usr/bin/env python3
"""NVIDIA's wheels for the CUDA builds of Caffe, pinned in scripts/env/cuda-wheels.txt.

    python3 scripts/env/wheels.py fetch VER DIR          on the host (make env CUDA=VER)
    python3 scripts/env/wheels.py unpack VER DIR TARGET DIST...   inside the env

fetch downloads the wheels of CUDA VER into DIR with the host's own network
settings (its CA bundle, e.g. an HTTPS-inspecting proxy's, and its
https_proxy), resuming a cut download, and checks each against its pinned
sha256; wheels already in DIR and matching are not downloaded again, so DIR
is a cache (WHEELS=DIR).  unpack checks them again and unzips the named
distributions (e.g. nvidia_nccl_cu11) into TARGET, as `pip install --target
--no-deps` would: no pip, no index, no network inside the env.
"""
import os
import stat
import sys
import time
import urllib.error
import urllib.request
import zipfile

from bootstrap_debian import sha256_file  # host-side tooling beside this file

PINS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cuda-wheels.txt")
BASE_URL = "https://files.pythonhosted.org/packages/"


class WheelError(Exception):
    pass


def pins(ver):
    """[(file name, url, sha256)] of CUDA ver, as scripts/env/cuda-wheels.txt says."""
    out = []
    with open(PINS) as f:
        for n, line in enumerate(f, 1):
            fields = line.split("#", 1)[0].split()
            if not fields:
                continue
            if len(fields) != 3 or len(fields[2]) != 64:
                raise WheelError("%s:%d: want 'VER PATH SHA256', got %r" % (PINS, n, line.strip()))
            if fields[0] == ver:
                out.append((fields[1].rsplit("/", 1)[1], BASE_URL + fields[1], fields[2]))
    if not out:
        raise WheelError("%s has no wheels for CUDA %s" % (PINS, ver))
    return out


def download(url, dest, sha, tries=5):
    """url -> dest through dest.part, resumed with a Range request after a cut."""
    part = dest + ".part"
    for attempt in range(tries):
        have = os.path.getsize(part) if os.path.exists(part) else 0
        req = urllib.request.Request(url, headers={"Range": "bytes=%d-" % have} if have else {})
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                mode = "ab" if have and r.status == 206 else "wb"
                if mode == "ab":
                    print("wheels: resuming at %d MB" % (have >> 20), flush=True)
                with open(part, mode) as f:
                    while True:
                        chunk = r.read(1 << 20)
                        if not chunk:
                            break
                        f.write(chunk)
            break
        except urllib.error.HTTPError as e:
            if e.code == 416:   # the .part is whole already
                break
            if e.code == 404 or attempt == tries - 1:
                raise WheelError("cannot download %s: %s" % (url, e))
        except (urllib.error.URLError, OSError) as e:
            if attempt == tries - 1:
                raise WheelError(
                    "cannot download %s: %s\n  PyPI's files must be reachable from this machine "
                    "(its https_proxy and CA bundle are used), or fetch the wheels elsewhere "
                    "into a directory given as WHEELS=DIR." % (url, e))
        time.sleep(2 * (attempt + 1))
    got = sha256_file(part)
    if got != sha:
        os.remove(part)   # a bad file must not be resumed from
        raise WheelError("%s: sha256 %s, but scripts/env/cuda-wheels.txt pins %s (removed; rerun "
                         "to download it again)" % (os.path.basename(dest), got, sha))
    os.rename(part, dest)


def fetch(ver, cache):
    os.makedirs(cache, exist_ok=True)
    for name, url, sha in pins(ver):
        dest = os.path.join(cache, name)
        if os.path.exists(dest):
            if sha256_file(dest) == sha:
                print("wheels: %s (cached, sha256 ok)" % name, flush=True)
                continue
            raise WheelError("%s does not match its pinned sha256: remove it, or give "
                             "another WHEELS=DIR" % dest)
        print("wheels: downloading %s" % name, flush=True)
        download(url, dest, sha)
        print("wheels: %s (sha256 ok)" % name, flush=True)


def unpack(ver, cache, target, dists):
    wanted = {}
    for name, _, sha in pins(ver):
        wanted[name.split("-", 1)[0]] = (name, sha)
    for dist in dists:
        if dist not in wanted:
            raise WheelError("%s is not pinned for CUDA %s in %s" % (dist, ver, PINS))
        name, sha = wanted[dist]
        path = os.path.join(cache, name)
        if not os.path.exists(path):
            raise WheelError("%s is missing from %s: run 'make env CUDA=%s', which fetches it "
                             "on the host" % (name, cache, ver))
        if sha256_file(path) != sha:
            raise WheelError("%s does not match its pinned sha256" % path)
        extract(path, target)


def extract(wheel, target):
    with zipfile.ZipFile(wheel) as z:
        for info in z.infolist():
            parts = info.filename.split("/")
            if parts[0].endswith(".data"):
                # NAME.data/purelib|platlib/...: installed at the top, as pip does
                if len(parts) < 3 or parts[1] not in ("purelib", "platlib"):
                    continue
                parts = parts[2:]
            rel = os.path.join(*parts) if parts and parts[-1] else None
            if rel is None or rel.startswith("..") or os.path.isabs(rel):
                continue
            dest = os.path.join(target, rel)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with z.open(info) as src, open(dest, "wb") as out:
                while True:
                    chunk = src.read(1 << 20)
                    if not chunk:
                        break
                    out.write(chunk)
            mode = info.external_attr >> 16
            os.chmod(dest, 0o755 if mode & stat.S_IXUSR else 0o644)


def main(argv):
    try:
        if len(argv) == 3 and argv[0] == "fetch":
            fetch(argv[1], argv[2])
        elif len(argv) >= 5 and argv[0] == "unpack":
            unpack(argv[1], argv[2], argv[3], argv[4:])
        else:
            sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
            return 2
    except WheelError as e:
        sys.stderr.write("wheels: error: %s\n" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
