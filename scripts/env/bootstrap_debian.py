#!/usr/bin/env python3
"""First stage of a Debian root filesystem, with nothing but Python's stdlib.

    python3 scripts/env/bootstrap_debian.py TARGET [--suite bullseye] [--mirror URL]

What debootstrap --variant=minbase does before it chroots, for hosts that
have no debootstrap, no apt and no root (RHEL/Rocky/Alma cluster nodes): it
reads the suite's package index, resolves the Priority: required packages,
apt and fakeroot with their dependencies, downloads the .debs (checked
against the index's SHA256), unpacks their data into TARGET with a merged
/usr, and leaves the .debs and their install order in TARGET/var/cache/
bootstrap/ for the second stage: dpkg run inside TARGET (scripts/env/build-env),
which installs them properly.  fakeroot is there for users with a single
mapped id, whose dpkg must pretend that chown to other ids works.

The index comes over HTTPS; apt inside the env then checks every later
download against the archive's signed Release as usual.
"""
import argparse
import concurrent.futures
import hashlib
import io
import lzma
import os
import shutil
import sys
import tarfile
import time
import urllib.error
import urllib.request

DEFAULT_MIRROR = "https://deb.debian.org/debian"
# debootstrap's minbase: every Priority: required package, plus apt.
# fakeroot lets dpkg run for a user who has one id mapped (no subuid range).
BASE = ["apt", "fakeroot"]
# Installed one by one first, in this order, as debootstrap does: dpkg needs
# passwd/group, the base files, itself, libc and perl before it can run the
# maintainer scripts of the rest.
CORE = ["base-passwd", "base-files", "dpkg", "libc6", "perl-base", "mawk"]
MERGED_USR = ["bin", "sbin", "lib", "lib64"]


class BootstrapError(Exception):
    pass


def fetch(url, tries=3):
    for attempt in range(tries):
        try:
            with urllib.request.urlopen(url, timeout=60) as r:
                return r.read()
        except (urllib.error.URLError, OSError) as e:
            if isinstance(e, urllib.error.HTTPError) and e.code == 404:
                raise BootstrapError("%s: not found on the mirror" % url)
            if attempt == tries - 1:
                raise BootstrapError(
                    "cannot download %s: %s\n  Debian's archive must be reachable from this "
                    "machine (or set DEBIAN_MIRROR to a Debian mirror that is)." % (url, e))
            time.sleep(2 * (attempt + 1))


def parse_stanzas(text):
    """Debian control stanzas -> list of dicts (continuation lines joined)."""
    out, cur, key = [], {}, None
    for line in text.split("\n"):
        if not line.strip():
            if cur:
                out.append(cur)
            cur, key = {}, None
        elif line[0] in " \t":
            if key:
                cur[key] += "\n" + line.strip()
        else:
            key, _, value = line.partition(":")
            cur[key] = value.strip()
    if cur:
        out.append(cur)
    return out


def read_index(mirror, suite, arch):
    release = fetch("%s/dists/%s/Release" % (mirror, suite)).decode("utf-8", "replace")
    rel = parse_stanzas(release)[0]
    want = "main/binary-%s/Packages.xz" % arch
    sums = [l.split() for l in rel.get("SHA256", "").split("\n")]
    digest = [s[0] for s in sums if len(s) == 3 and s[2] == want]
    if not digest:
        raise BootstrapError("%s has no %s in its Release file" % (suite, want))
    data = fetch("%s/dists/%s/%s" % (mirror, suite, want))
    if hashlib.sha256(data).hexdigest() != digest[0]:
        raise BootstrapError("%s from %s does not match its Release checksum" % (want, mirror))
    packages = {}
    provides = {}
    for st in parse_stanzas(lzma.decompress(data).decode("utf-8", "replace")):
        packages[st["Package"]] = st
        for p in split_relations(st.get("Provides", "")):
            provides.setdefault(p[0], []).append(st["Package"])
    return packages, provides


def split_relations(field):
    """'a (>= 1) | b, c:any' -> [['a', 'b'], ['c']] (names only; the index
    holds one version of each package, the one apt would install)."""
    groups = []
    for group in field.split(","):
        names = [alt.strip().split(" ")[0].split("(")[0].split(":")[0]
                 for alt in group.split("|")]
        names = [n for n in names if n]
        if names:
            groups.append(names)
    return groups


def resolve(packages, provides, roots):
    chosen, todo = [], list(roots)
    seen = set()
    while todo:
        name = todo.pop(0)
        if name in seen:
            continue
        if name not in packages:
            raise BootstrapError("package %s is not in the index" % name)
        seen.add(name)
        chosen.append(name)
        st = packages[name]
        for group in split_relations(st.get("Pre-Depends", "") + "," + st.get("Depends", "")):
            if any(alt in seen or alt in todo for alt in group):
                continue
            for alt in group:  # apt's choice: the first alternative that exists
                if alt in packages:
                    todo.append(alt)
                    break
                if alt in provides:
                    todo.append(provides[alt][0])
                    break
            else:
                raise BootstrapError("%s: cannot satisfy '%s'" % (name, " | ".join(group)))
    return chosen


def download(mirror, st, dest):
    if os.path.exists(dest) and sha256_file(dest) == st["SHA256"]:
        return
    data = fetch("%s/%s" % (mirror, st["Filename"]))
    if hashlib.sha256(data).hexdigest() != st["SHA256"]:
        raise BootstrapError("%s does not match the index's SHA256" % st["Filename"])
    tmp = dest + ".part"
    with open(tmp, "wb") as f:
        f.write(data)
    os.rename(tmp, dest)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def deb_data(path):
    """The data.tar member of a .deb (an ar archive), as bytes and its name."""
    with open(path, "rb") as f:
        if f.read(8) != b"!<arch>\n":
            raise BootstrapError("%s is not a .deb" % path)
        while True:
            header = f.read(60)
            if len(header) < 60:
                raise BootstrapError("%s has no data.tar member" % path)
            name = header[:16].decode().strip().rstrip("/")
            size = int(header[48:58].decode().strip())
            body = f.read(size)
            if size % 2:
                f.read(1)
            if name.startswith("data.tar"):
                return name, body


def extract(path, target):
    name, body = deb_data(path)
    if name.endswith(".zst"):
        raise BootstrapError("%s: zstd-compressed packages need a newer suite tool" % path)
    kw = {"filter": "fully_trusted"} if hasattr(tarfile, "fully_trusted_filter") else {}
    with tarfile.open(fileobj=io.BytesIO(body), mode="r:*") as tar:
        for m in tar:
            if m.isdev():
                continue  # devices come from the host's /dev, bound at run time
            dest = os.path.join(target, m.name)
            # tar -k, as debootstrap: a file another package already unpacked stays.
            if not m.isdir() and os.path.lexists(dest):
                continue
            tar.extract(m, target, **kw)


def first_stage(target, suite, mirror, arch):
    cache = os.path.join(target, "var", "cache", "bootstrap")
    os.makedirs(cache, exist_ok=True)
    print("bootstrap: reading the %s index from %s" % (suite, mirror), flush=True)
    packages, provides = read_index(mirror, suite, arch)
    required = sorted(n for n, st in packages.items() if st.get("Priority") == "required")
    names = resolve(packages, provides, required + BASE)
    missing = [c for c in CORE if c not in names]
    if missing:
        raise BootstrapError("the index lacks core packages %s" % missing)
    size = sum(int(packages[n].get("Size", 0)) for n in names)
    print("bootstrap: downloading %d packages (%d MB)" % (len(names), size >> 20), flush=True)
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        jobs = [pool.submit(download, mirror, packages[n], os.path.join(cache, n + ".deb"))
                for n in names]
        for j in jobs:
            j.result()

    print("bootstrap: unpacking them into %s" % target, flush=True)
    os.makedirs(os.path.join(target, "usr"), exist_ok=True)
    for d in MERGED_USR:
        os.makedirs(os.path.join(target, "usr", d), exist_ok=True)
        if not os.path.lexists(os.path.join(target, d)):
            os.symlink("usr/" + d, os.path.join(target, d))
    for n in names:
        extract(os.path.join(cache, n + ".deb"), target)

    dpkg = os.path.join(target, "var", "lib", "dpkg")
    os.makedirs(os.path.join(dpkg, "info"), exist_ok=True)
    # dpkg must believe it is installed before it can install itself.
    with open(os.path.join(dpkg, "status"), "w") as f:
        f.write("Package: dpkg\nVersion: %s\nMaintainer: unknown\n"
                "Status: install ok installed\n\n" % packages["dpkg"]["Version"])
    open(os.path.join(dpkg, "available"), "w").close()
    open(os.path.join(dpkg, "info", "dpkg.list"), "w").close()
    etc = os.path.join(target, "etc")
    for f in ("/etc/resolv.conf", "/etc/hostname"):
        if os.path.isfile(f):
            shutil.copyfile(f, os.path.join(etc, os.path.basename(f)))
    with open(os.path.join(etc, "fstab"), "w") as f:
        f.write("# UNCONFIGURED FSTAB FOR BASE SYSTEM\n")
    os.makedirs(os.path.join(etc, "apt"), exist_ok=True)
    with open(os.path.join(etc, "apt", "sources.list"), "w") as f:
        f.write("deb %s %s main\n" % (mirror.replace("https://deb.debian.org", "http://deb.debian.org"),
                                      suite))
    # The second stage (scripts/env/build-env) installs the CORE first, then these.
    with open(os.path.join(cache, "all"), "w") as f:
        f.write("\n".join(names) + "\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("target")
    ap.add_argument("--suite", default="bullseye")
    ap.add_argument("--mirror", default=os.environ.get("DEBIAN_MIRROR") or DEFAULT_MIRROR)
    ap.add_argument("--arch", default="amd64")
    args = ap.parse_args(argv)
    try:
        first_stage(os.path.abspath(args.target), args.suite, args.mirror.rstrip("/"), args.arch)
    except BootstrapError as e:
        print("bootstrap: error: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
