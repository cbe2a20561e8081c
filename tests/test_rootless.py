"""The Caffe environment without root: two ordinary users of this host, one
with an /etc/subuid range and one without, each build the env from their
own copy of the project with `make env`, with apt, dpkg, debootstrap,
mmdebstrap and sudo hidden from their PATH (as on a RHEL cluster node), then
run Caffe, pycaffe and a tiny training run (Ctrl-C, snapshot, resume)
through make, as that user.

Slow (two real env builds, a few minutes): marked `slow`, and run by
`make test` all the same.  The test suite runs inside the env; creating host
users needs the host, so these tests step out of the chroot into the host's
mount namespace with nsenter, through the make that started them (real
root only: skipped when `make test` runs as an ordinary user).
"""
import os
import re
import shlex
import shutil
import signal
import subprocess
import textwrap
import time

import pytest

from transfer_study import PROJECT_ROOT

pytestmark = [pytest.mark.slow, pytest.mark.rootless, pytest.mark.env_build]

USERS = {"subuid": "tsrl-sub", "single": "tsrl-one"}
q = shlex.quote
HIDDEN = ("apt", "apt-get", "apt-cache", "apt-config", "dpkg", "dpkg-deb", "dpkg-query",
          "debootstrap", "mmdebstrap", "sudo")


def outside_pid():
    """The nearest ancestor outside our mount namespace: `make test`'s make,
    running on the host (in-env execs all the way down to pytest)."""
    mine = os.stat("/proc/self/ns/mnt").st_ino
    pid = os.getppid()
    while pid > 1:
        try:
            if os.stat("/proc/%d/ns/mnt" % pid).st_ino != mine:
                return pid
            with open("/proc/%d/stat" % pid) as f:
                pid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            return None
    return None


NSENTER = ["nsenter", "--target", str(outside_pid()), "--mount", "--"]


def host(*cmd, **kw):
    """Run cmd on the host (outside the env's chroot), as root."""
    kw.setdefault("stdout", subprocess.PIPE)
    kw.setdefault("stderr", subprocess.STDOUT)
    kw.setdefault("universal_newlines", True)
    return subprocess.run(NSENTER + list(cmd), **kw)


def host_ok(*cmd):
    p = host(*cmd)
    assert p.returncode == 0, "%s: %s" % (" ".join(cmd), p.stdout)
    return p.stdout


def can_reach_host():
    if os.getuid() != 0 or shutil.which("nsenter") is None or NSENTER[2] == "None":
        return False
    try:
        # (the host, not an enclosing Caffe env)
        return host("sh", "-c", "test ! -e /.env-complete && command -v useradd && "
                    "command -v setpriv && command -v python3 && command -v git",
                    timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


# Runs on the host: a directory of links to the tools of an ordinary user's
# login PATH (`su -`: /usr/local/bin:/usr/bin:/bin, no sbin directories)
# but those a RHEL node lacks (apt, dpkg, debootstrap, mmdebstrap) and sudo.
SHIM = textwrap.dedent("""\
    import os, sys
    dest, hidden = sys.argv[1], set(sys.argv[2:])
    os.makedirs(dest)
    for d in ("/usr/local/bin", "/usr/bin", "/bin"):
        if not os.path.isdir(d):
            continue
        for n in sorted(os.listdir(d)):
            if n in hidden or n.startswith(("apt-", "dpkg-", "fakeroot", "faked")):
                continue
            if not os.path.lexists(os.path.join(dest, n)):
                os.symlink(os.path.join(d, n), os.path.join(dest, n))
    """)

# Runs on the host: the user's subordinate ids, as the test wants them,
# changed with shadow's usermod (which locks the files and keeps the rest).
SUBIDS = textwrap.dedent("""\
    import subprocess, sys
    user, want = sys.argv[1], sys.argv[2] == "1"
    ranges, mine = {}, {}
    for f in ("/etc/subuid", "/etc/subgid"):
        try:
            rows = [l.strip().split(":") for l in open(f) if l.count(":") == 2]
        except FileNotFoundError:
            rows = []
        ranges[f] = [(int(r[1]), int(r[2])) for r in rows]
        mine[f] = [int(r[2]) for r in rows if r[0] == user]
    if not want and (mine["/etc/subuid"] or mine["/etc/subgid"]):
        subprocess.check_call(["usermod", "--del-subuids", "1-4294967294",
                               "--del-subgids", "1-4294967294", user])
    if want and not (max(mine["/etc/subuid"] or [0]) >= 65536 and
                     max(mine["/etc/subgid"] or [0]) >= 65536):
        start = max([100000] + [a + n for rs in ranges.values() for a, n in rs])
        span = "%d-%d" % (start, start + 65535)
        subprocess.check_call(["usermod", "--add-subuids", span, "--add-subgids", span, user])
    """)


# The test's own newuidmap/newgidmap (Debian's package uidmap, setuid root),
# for a host without them: the subuid route is tested on a fresh machine too.
UIDMAP_DIR = "/tmp/tsrl-uidmap"

# Runs on the host (its network and CA bundle, as scripts/env/build-env's
# bootstrap): Debian's uidmap .deb, checked against the signed index's
# SHA256 by the project's own bootstrap code, unpacked into a work directory.
FETCH_UIDMAP = textwrap.dedent("""\
    import os, sys
    sys.path.insert(0, sys.argv[1])
    import bootstrap_debian as bd
    work = sys.argv[2]
    mirror = (os.environ.get("DEBIAN_MIRROR") or bd.DEFAULT_MIRROR).rstrip("/")
    packages, _ = bd.read_index(mirror, "bullseye", "amd64")
    bd.download(mirror, packages["uidmap"], os.path.join(work, "uidmap.deb"))
    bd.extract(os.path.join(work, "uidmap.deb"), os.path.join(work, "root"))
    """)


def provide_uidmap():
    """The directory with a working setuid newuidmap and newgidmap: the
    host's own, else Debian's installed into UIDMAP_DIR (removed after)."""
    p = host("sh", "-c", "command -v newuidmap")
    if p.returncode == 0:
        return os.path.dirname(p.stdout.strip())
    work = os.path.join(UIDMAP_DIR + ".work")
    host("rm", "-rf", UIDMAP_DIR, work)
    host_ok("mkdir", "-p", work)
    p = host("python3", "-c", FETCH_UIDMAP, os.path.join(PROJECT_ROOT, "scripts", "env"), work,
             timeout=300)
    if p.returncode != 0:
        pytest.skip("the host has no newuidmap/newgidmap, and Debian's uidmap package "
                    "could not be fetched: %s" % p.stdout.strip()[-500:])
    host_ok("sh", "-c", "mkdir -m 755 %s && install -o root -g root -m 4755 "
            "%s/root/usr/bin/newuidmap %s/root/usr/bin/newgidmap %s/ && rm -rf %s"
            % (UIDMAP_DIR, work, work, UIDMAP_DIR, work))
    p = host("sh", "-c", "findmnt -no OPTIONS -T %s; ldd %s/newuidmap" % (UIDMAP_DIR, UIDMAP_DIR))
    if "nosuid" in p.stdout.split("\n")[0] or "not found" in p.stdout:
        pytest.skip("Debian's newuidmap cannot run setuid from %s here: %s"
                    % (UIDMAP_DIR, p.stdout.strip()))
    return UIDMAP_DIR


class User(object):
    def __init__(self, kind):
        self.kind = kind
        self.name = USERS[kind]
        self.home = "/tmp/%s" % self.name      # /tmp is the same inside and out
        # the single-id user's: under a 0700 home, in a directory with a space
        # (the subuid user's home stays 0755: a test runs make there as
        # another id of its range)
        self.clone = os.path.join(self.home, "a checkout" if kind == "single" else "main")
        self.bin = os.path.join(self.home, "bin")
        # a "big disk": neither under the checkout nor under /tmp, so the
        # env sees it only when in-env binds it
        self.elsewhere = "/var/tmp/%s-disk" % self.name
        self.path = [self.bin]

    def argv(self, *cmd):
        # GLOG_log_dir: the Caffe logs of the user's runs go to its home, which
        # the test removes, not to /tmp (nothing a test run leaves stays there)
        env = ["HOME=%s" % self.home, "USER=%s" % self.name, "LOGNAME=%s" % self.name,
               "LANG=C.UTF-8", "PATH=%s" % ":".join(self.path),
               "GLOG_log_dir=%s" % os.path.join(self.home, "glog")]
        return NSENTER + ["setpriv", "--reuid", self.name, "--regid", self.name,
                          "--init-groups", "env", "-i", "-C", self.clone] + env + list(cmd)

    def run(self, *cmd, **kw):
        extra = kw.pop("env", {})
        cmd = list(cmd)
        if extra:
            cmd = ["env"] + ["%s=%s" % kv for kv in sorted(extra.items())] + cmd
        return subprocess.run(self.argv(*cmd), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              universal_newlines=True, timeout=kw.get("timeout", 600))

    def popen(self, *cmd, **kw):
        return subprocess.Popen(self.argv(*cmd), start_new_session=True, **kw)


def dpkg_state():
    p = host("sh", "-c", "test ! -e /var/lib/dpkg/status || sha256sum /var/lib/dpkg/status")
    return p.stdout


def host_isfile(path):
    """os.path.isfile on the host: these tests run in the env, where the
    user's "big disk" under /var/tmp is not."""
    return host("test", "-f", path).returncode == 0


def remove_user(u):
    host("python3", "-c", SUBIDS, u.name, "0")
    host("userdel", "-r", u.name)
    host("rm", "-rf", "--one-file-system", u.home, u.home + "-off", u.elsewhere)


@pytest.fixture(scope="module")
def users():
    """Both users, each with a copy of this checkout (what `git clone` of it
    gives) and an env built by `make env`, concurrently."""
    if not can_reach_host():
        pytest.skip("needs `make test` as real root on a host with useradd, setpriv, python3 "
                    "and git, to create ordinary users (nsenter into the host's mounts)")
    uidmap_dir = provide_uidmap()
    before = dpkg_state()
    made, builds = {}, {}
    try:
        for kind in USERS:
            u = User(kind)
            remove_user(u)
            made[kind] = u
            host_ok("useradd", "--create-home", "--home-dir", u.home, "--shell", "/bin/sh",
                    u.name)
            host_ok("python3", "-c", SUBIDS, u.name, "1" if kind == "subuid" else "0")
            host_ok("python3", "-c", SHIM, u.bin, *HIDDEN)
            if kind == "subuid" and uidmap_dir not in u.path:
                u.path.append(uidmap_dir)
            host_ok("sh", "-c", "mkdir %s && cd %s && git -c safe.directory='*' ls-files -z -co "
                    "--exclude-standard | tar --null -T - -cf - | tar -xf - -C %s && "
                    "mkdir %s && chown -R %s: %s && chmod %s %s"
                    % (q(u.clone), q(PROJECT_ROOT), q(u.clone), q(os.path.join(u.home, "glog")),
                       u.name, u.home,
                       "700" if kind == "single" else "755", u.home))
            log = open(os.path.join(u.home, "make-env.out"), "w")
            builds[kind] = (u.popen("make", "env", stdout=log, stderr=subprocess.STDOUT),
                            time.time(), log)
        for kind, (proc, t0, log) in builds.items():
            proc.wait(timeout=1200)
            log.close()
            made[kind].build_rc = proc.returncode
            made[kind].build_s = time.time() - t0
            with open(log.name) as f:
                made[kind].build_out = f.read()
        made["dpkg_before"] = before
        yield made
    finally:
        for kind, (proc, t0, log) in builds.items():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
        for kind, u in made.items():
            if isinstance(u, User):
                remove_user(u)
        host("rm", "-rf", UIDMAP_DIR)


@pytest.fixture(params=sorted(USERS))
def user(request, users):
    u = users[request.param]
    assert u.build_rc == 0, u.build_out[-3000:]
    return u


def test_apt_dpkg_debootstrap_sudo_are_hidden(user):
    for tool in HIDDEN:
        p = user.run("sh", "-c", "command -v %s" % tool)
        assert p.returncode != 0, "%s is on the test user's PATH: %s" % (tool, p.stdout)
    assert user.run("id", "-u").stdout.strip() != "0"


def test_make_env_builds_with_the_users_ids(user, users):
    print("make env as %s (%s): %.0f s" % (user.name, user.kind, user.build_s))
    assert "environment ready" in user.build_out
    ids = open(os.path.join(user.clone, ".caffe-env", ".env-ids")).read().strip()
    assert ids == user.kind
    assert os.path.isfile(os.path.join(user.clone, ".caffe-env", ".env-complete"))
    # a second `make env` has nothing to do
    p = user.run("make", "env")
    assert p.returncode == 0 and "nothing to do" in p.stdout, p.stdout
    assert dpkg_state() == users["dpkg_before"], "the host's dpkg state changed"


def test_caffe_and_python_packages_run_as_the_user(user):
    p = user.run("scripts/in-env", "caffe", "--version")
    assert p.returncode == 0 and p.stdout.strip() == "caffe version 1.0.0", p.stdout
    p = user.run("scripts/in-env", "python3", "-c",
                 "import caffe, lmdb, cv2, yaml, os; print(os.getuid(), caffe.__file__)")
    assert p.returncode == 0, p.stdout
    assert p.stdout.split() == ["0", "/usr/lib/python3/dist-packages/caffe/__init__.py"]
    # apt inside works as for root (the ids it needs exist, or are faked)
    p = user.run("scripts/in-env", "sh", "-c", "apt-get check && dpkg --audit && id _apt")
    assert p.returncode == 0, p.stdout
    # exit statuses pass through
    assert user.run("scripts/in-env", "sh", "-c", "exit 7").returncode == 7


def test_in_env_exit_codes_signals_and_nesting_as_the_user(user):
    """The env's own in-env tests (exit status, paths, binds, signals reaching
    Caffe through a nested in-env) as this user, inside this user's env; and
    the warp's bad inputs, an unreadable file among them, as this user."""
    p = user.run("scripts/in-env", "python3", "-m", "pytest", "-q", "-p", "no:cacheprovider",
                 "--basetemp=%s/pytest" % user.home, "tests/test_env.py",
                 "tests/test_warp.py::test_bad_input_is_named_and_nothing_finished")
    assert p.returncode == 0 and " passed" in p.stdout and "skipped" not in p.stdout, \
        p.stdout[-3000:]


SETUP_TRAINING = """
import os, sys
sys.path.insert(0, "tests")
import test_train as t
from transfer_study.nets import catalog
base, root = sys.argv[1], sys.argv[2]
os.makedirs(os.path.join(root, "data"), exist_ok=True)
os.makedirs(base, exist_ok=True)
with open(os.path.join(base, "experiments.yaml"), "w") as f:
    f.write(t.shortened_catalog_text())
cat = catalog.load(os.path.join(base, "experiments.yaml"))
width = cat.profile("tiny")["resize"]
classes = cat.datasets["half0A_train"]["classes"]
t.make_dataset(root, "half0A_train", 40, classes, width, 0, True)
t.make_dataset(root, "half0A_valid", 25, classes, width, 1, False)
"""


def setup_training(user, base, root, **env):
    """Tiny real LMDBs for half0A under root/data, a catalog with a short
    tiny schedule (as tests/test_train.py) and its experiments.mk."""
    p = user.run("scripts/in-env", "python3", "-c", SETUP_TRAINING, base, root, env=env)
    assert p.returncode == 0, p.stdout[-3000:]
    opts = ["CATALOG=%s/experiments.yaml" % base, "EXPERIMENTS_MK=%s/experiments.mk" % base]
    # (make experiments-mk cannot make a new file: the Makefile includes it)
    p = user.run("scripts/in-env", "python3", "scripts/make_experiments_mk.py",
                 "--catalog", base + "/experiments.yaml", "--out", base + "/experiments.mk")
    assert p.returncode == 0, p.stdout[-3000:]
    return ["PROFILE=tiny", "ROOT=%s" % root] + opts


def test_tiny_training_through_make_ctrl_c_snapshot_resume(user):
    base = os.path.join(user.home, "train")
    make = ["make", "--no-print-directory", "half0A"] + \
        setup_training(user, base, base + "/root")
    results = os.path.join(base, "root", "results", "half0A")
    out = open(os.path.join(base, "make.out"), "w+")
    proc = user.popen(*make, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 300
        while True:
            assert proc.poll() is None, open(out.name).read()[-3000:]
            assert time.time() < deadline, "no iteration 25 in 300 s"
            logs = [f for f in os.listdir(results) if f.endswith(".log")] \
                if os.path.isdir(results) else []
            text = open(os.path.join(results, logs[0])).read() if logs else ""
            if [int(i) for i in re.findall(r"\] Iteration (\d+) \(", text) if int(i) >= 25]:
                break
            time.sleep(0.1)
        os.killpg(proc.pid, signal.SIGINT)   # Ctrl-C: the whole foreground group
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode != 0
    text = open(os.path.join(results, logs[0])).read()
    assert "Optimization stopped early" in text, text[-2000:]
    states = [f for f in os.listdir(results) if f.endswith(".solverstate")]
    stopped = max(int(re.search(r"_iter_(\d+)\.", s).group(1)) for s in states)
    assert 25 <= stopped < 60

    p = user.run(*make, timeout=600)
    assert p.returncode == 0, p.stdout[-3000:]
    logs = sorted(f for f in os.listdir(results) if f.endswith(".log"))
    assert len(logs) == 2
    resumed = open(os.path.join(results, logs[1])).read()
    assert "Resuming from" in resumed and "half0A_iter_%d.solverstate" % stopped in resumed
    assert os.path.isfile(os.path.join(results, "half0A_iter_60.caffemodel"))


def test_cuda_selection_and_its_error(user):
    """No CUDA build exists yet: a fake prefix in this throwaway env stands in
    for /opt/caffe-cuda-<VER>; what is tested is in-env's choice of paths."""
    prefix = os.path.join(user.clone, ".caffe-env", "opt", "caffe-cuda-TEST")
    show = ["scripts/in-env", "sh", "-c", 'echo "$PATH|$LD_LIBRARY_PATH|$PYTHONPATH"']
    p = user.run(*show, env={"CUDA": "TEST"})
    assert p.returncode == 2
    assert "no CUDA TEST build in the env: run make env CUDA=TEST" in p.stdout
    p = user.run("sh", "-c", "mkdir -p %s/bin %s/lib %s/python && touch %s/.complete"
                 % ((q(prefix),) * 4))
    assert p.returncode == 0, p.stdout
    p = user.run(*show, env={"CUDA": "TEST"})
    assert p.returncode == 0, p.stdout
    path, libpath, pythonpath = p.stdout.strip().split("|")
    assert path.split(":")[0] == "/opt/caffe-cuda-TEST/bin"
    assert libpath.split(":")[-1] == "/opt/caffe-cuda-TEST/lib"
    assert pythonpath.split(":") == [user.clone, "/opt/caffe-cuda-TEST/python"]
    p = user.run(*show)   # without CUDA: Debian's CPU build
    assert "caffe-cuda" not in p.stdout


def test_host_nvidia_driver_libraries_come_first(user):
    """No GPU here: a directory of files named like the driver's libraries
    stands in for the host's driver directory."""
    drv = os.path.join(user.home, "fake-driver")
    user.run("sh", "-c", "mkdir -p %s && cd %s && echo host-libcuda >libcuda.so.550.54 && "
             "ln -sf libcuda.so.550.54 libcuda.so.1 && echo nvml >libnvidia-ml.so.1 && "
             "echo jit >libnvidia-ptxjitcompiler.so.1 && echo other >libfoo.so.1" % (drv, drv))
    p = user.run("scripts/in-env", "sh", "-c",
                 'echo "$LD_LIBRARY_PATH"; ls /run/host-nvidia; cat /run/host-nvidia/libcuda.so.1; '
                 'echo x >/run/host-nvidia/libcuda.so.1 && echo WRITABLE',
                 env={"NVIDIA_DRIVER_DIRS": drv})
    lines = p.stdout.split("\n")
    assert lines[0].split(":")[0] == "/run/host-nvidia", p.stdout
    assert {"libcuda.so.1", "libcuda.so.550.54", "libnvidia-ml.so.1",
            "libnvidia-ptxjitcompiler.so.1"} <= set(lines[1:6]), p.stdout
    assert "libfoo.so.1" not in p.stdout
    assert "host-libcuda" in p.stdout and "WRITABLE" not in p.stdout


@pytest.mark.demo
def test_make_demo_as_a_login_user_under_a_path_with_a_space(users):
    """The README's second command as the single-id user: login PATH, a 0700
    home, the checkout in 'a checkout'; every stage through make and in-env."""
    u = users["single"]
    assert u.build_rc == 0, u.build_out[-3000:]
    t0 = time.time()
    p = u.run("make", "demo", "QUICK=1", timeout=1500)
    print("make demo QUICK=1 as %s: %.0f s" % (u.name, time.time() - t0))
    assert p.returncode == 0, p.stdout[-3000:]
    assert re.search(r"^  half0A +5 classes  top-1 \d\.\d{3}", p.stdout, re.M), p.stdout[-3000:]
    listed = p.stdout.split("Results: ", 1)[-1]   # the demo lists the files that exist
    for f in ("summary.csv", "table_s1.md", "figure_2.png"):
        assert f in listed, p.stdout[-3000:]


# ------------------------------------------------- data/ somewhere else --

SETUP_DERIVED = """
import sys
sys.path.insert(0, "tests")
import pathlib, test_derive as t
root, data, lines = t.build_whole(pathlib.Path(sys.argv[1]))
print(" ".join(t.make_derived(data, lines)))
"""


@pytest.fixture
def elsewhere(users, shared_dir):
    """The single-id user's data/ and a training root's data/, symlinks to
    directories on a "big disk" outside the checkout and /tmp."""
    u = users["single"]
    assert u.build_rc == 0, u.build_out[-3000:]
    host_ok("sh", "-c", "rm -rf %s && mkdir -p %s/data %s/tdata && cp -r %s/ilsvrc12 %s/ && "
            "chown -R %s: %s %s" % (u.elsewhere, u.elsewhere, u.elsewhere, shared_dir, u.home,
                                   u.name, u.elsewhere, os.path.join(u.home, "ilsvrc12")))
    p = u.run("sh", "-c", "rm -rf data && ln -s %s/data data && mkdir -p %s/troot && "
              "ln -sfn %s/tdata %s/troot/data" % (u.elsewhere, u.home, u.elsewhere, u.home))
    assert p.returncode == 0, p.stdout
    yield u
    u.run("rm", "-f", "data")


def test_data_symlinked_elsewhere_works_in_every_target(elsewhere):
    u = elsewhere
    # make splits writes the study's lists into data/ -> the big disk
    p = u.run("make", "splits", "VALID_ONLY=1", "VAL_LIST=%s/ilsvrc12/val.txt" % u.home,
              "SYNSETS=%s/ilsvrc12/synsets.txt" % u.home, timeout=600)
    assert p.returncode == 0, p.stdout[-3000:]
    assert host_isfile(os.path.join(u.elsewhere, "data", "half0A_valid", "files.txt"))

    # make derived: whole-set LMDBs (made with the real warp tool) -> derived LMDBs
    # (this setup runs outside make: in-env binds what DATA resolves to as well)
    u.run("mkdir", "-p", u.elsewhere + "/whole/data")
    p = u.run("scripts/in-env", "python3", "-c", SETUP_DERIVED, u.elsewhere + "/whole",
              env={"DATA": u.elsewhere + "/whole/data"})
    assert p.returncode == 0, p.stdout[-3000:]
    names = p.stdout.split()
    p = u.run("make", "derived", "DATA=%s/whole/data" % u.elsewhere, "NAMES=%s" % " ".join(names),
              timeout=600)
    assert p.returncode == 0, p.stdout[-3000:]
    for n in names:
        assert host_isfile(os.path.join(u.elsewhere, "whole", "data", n, "lmdb", "data.mdb"))

    # training, status and plan on the tiny profile, with ROOT/data on the big disk
    base = os.path.join(u.home, "tbase")
    opts = setup_training(u, base, u.home + "/troot", ROOT=u.home + "/troot")
    assert host_isfile(os.path.join(u.elsewhere, "tdata", "half0A_train", "mean.binaryproto"))
    p = u.run("make", "--no-print-directory", "half0A", *opts, timeout=600)
    assert p.returncode == 0, p.stdout[-3000:]
    p = u.run("make", "--no-print-directory", "status", "NETWORKS=half0A", *opts)
    assert p.returncode == 0, p.stdout[-3000:]
    assert [l for l in p.stdout.splitlines() if l.split()[:1] == ["half0A"]], p.stdout
    # (make plan is being renamed make cost)
    with open(os.path.join(PROJECT_ROOT, "Makefile")) as f:
        plan = "cost" if re.search(r"^cost:", f.read(), re.M) else "plan"
    p = u.run("make", "--no-print-directory", plan, "NETWORKS=half0A", *opts)
    assert p.returncode == 0, p.stdout[-3000:]


# ------------------------------------------------------------- errors --

def test_clear_errors_no_archive_and_too_little_disk(users):
    u = users["single"]
    env_dir = os.path.join(u.home, "noenv")
    p = u.run("make", "env", env={"CAFFE_ENV_DIR": env_dir,
                                  "DEBIAN_MIRROR": "http://127.0.0.1:9/debian"})
    assert p.returncode != 0
    assert "cannot download http://127.0.0.1:9/debian" in p.stdout, p.stdout
    assert "Debian's archive must be reachable" in p.stdout
    assert not os.path.exists(os.path.join(env_dir, ".env-complete"))

    small = os.path.join(u.home, "small")
    host_ok("sh", "-c", "mkdir -p %s && mount -t tmpfs -o size=100m,mode=1777 small %s"
            % (small, small))
    try:
        p = u.run("make", "env", env={"CAFFE_ENV_DIR": small + "/env"})
    finally:
        host("umount", small)
    assert p.returncode != 0
    assert re.search(r"only \d+ MB free at %s;" % small, p.stdout), p.stdout
    assert "CAFFE_ENV_DIR=" in p.stdout


def test_clear_error_when_user_namespaces_are_off(users):
    """user.max_user_namespaces is per user namespace: set to 0 inside one,
    a user there (uid 4000 of the subuid range) meets the kernel's refusal
    as on a system where an administrator disabled them."""
    u = users["subuid"]
    p = u.run("python3", "scripts/env/userns.py", "--", "sh", "-c",
              "echo 0 >/proc/sys/user/max_user_namespaces && exec setpriv --reuid 4000 "
              "--regid 4000 --clear-groups env CAFFE_ENV_DIR=%s-off/env make env" % u.home)
    assert p.returncode != 0
    assert "does not let ordinary users create user namespaces" in p.stdout, p.stdout
    assert "user.max_user_namespaces = 0" in p.stdout
    assert "CAFFE_ENV=native" in p.stdout
