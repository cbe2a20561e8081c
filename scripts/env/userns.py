#!/usr/bin/env python3
"""Run a command as root of a new user namespace, for users without root.

    python3 scripts/env/userns.py [--ids auto|subuid|single] -- CMD [ARGS...]
    python3 scripts/env/userns.py --ids auto --which     prints subuid or single

Inside, the caller is uid/gid 0 and may create mount namespaces and chroot
(what scripts/env/build-env and scripts/in-env do as real root).  Which ids are
mapped:
  subuid  the caller's /etc/subuid and /etc/subgid ranges (65536 ids at
          least) through the setuid newuidmap/newgidmap: files of other ids
          (apt's _apt, munge, ...) are real, as for root;
  single  only the caller's own uid and gid: other ids do not exist, so
          dpkg must run under fakeroot and files all belong to the caller;
  auto    subuid when the range and newuidmap/newgidmap are there, else single.
This process becomes CMD (exec, no fork), so CMD's exit status and the
signals sent to this pid are CMD's own.
"""
import ctypes
import os
import pwd
import shutil
import sys

CLONE_NEWUSER = 0x10000000
MIN_RANGE = 65536  # Debian's system ids and nobody (65534) must all exist

DISABLED_HELP = """\
this system does not let ordinary users create user namespaces ({why}).
  What to ask an administrator, depending on the system:
    sysctl user.max_user_namespaces                  must be > 0 (RHEL/Rocky/Alma 7: 0 by default)
    sysctl kernel.unprivileged_userns_clone          must be 1 (older Debian/Ubuntu kernels)
    sysctl kernel.apparmor_restrict_unprivileged_userns  must be 0 (Ubuntu 24.04)
  or build the env as root ('sudo make env'), or use your own Caffe 1.0 from conda:
    conda env create -f environment.yml && conda activate transfer-study
    export CAFFE_ENV=native"""


def die(msg, code=2):
    sys.stderr.write("userns: %s\n" % msg)
    sys.exit(code)


def sub_range(path, user, uid):
    """(start, count) of the user's first range in /etc/subuid or /etc/subgid."""
    try:
        with open(path) as f:
            for line in f:
                parts = line.strip().split(":")
                if len(parts) == 3 and parts[0] in (user, str(uid)):
                    return int(parts[1]), int(parts[2])
    except (OSError, ValueError):
        pass
    return None


def subuid_maps():
    uid, gid = os.getuid(), os.getgid()
    try:
        user = pwd.getpwuid(uid).pw_name
    except KeyError:
        user = str(uid)
    subu = sub_range("/etc/subuid", user, uid)
    subg = sub_range("/etc/subgid", user, uid)
    tools = [shutil.which(t) for t in ("newuidmap", "newgidmap")]
    if subu and subg and all(tools) and min(subu[1], subg[1]) >= MIN_RANGE:
        return (tools[0], ["0", str(uid), "1", "1", str(subu[0]), str(subu[1])],
                tools[1], ["0", str(gid), "1", "1", str(subg[0]), str(subg[1])])
    return None


def why_not_subuid():
    uid = os.getuid()
    missing = [t for t in ("newuidmap", "newgidmap") if not shutil.which(t)]
    if missing:
        return "%s not installed (package uidmap or shadow-utils)" % " and ".join(missing)
    return ("no range of at least %d ids for uid %d in /etc/subuid and /etc/subgid"
            % (MIN_RANGE, uid))


def disabled(err):
    """The help for a refused unshare(CLONE_NEWUSER), with this system's settings."""
    now = []
    for name in ("user/max_user_namespaces", "kernel/unprivileged_userns_clone",
                 "kernel/apparmor_restrict_unprivileged_userns"):
        try:
            with open("/proc/sys/" + name) as f:
                now.append("%s = %s" % (name.replace("/", "."), f.read().strip()))
        except OSError:
            pass
    why = "unshare(CLONE_NEWUSER): %s; here %s" % (os.strerror(err), ", ".join(now) or "?")
    die(DISABLED_HELP.format(why=why))


def unshare_user():
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWUSER) != 0:
        disabled(ctypes.get_errno())


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def enter_single():
    uid, gid = os.getuid(), os.getgid()
    unshare_user()
    # An unprivileged gid_map needs setgroups denied first.
    write("/proc/self/setgroups", "deny")
    write("/proc/self/uid_map", "0 %d 1\n" % uid)
    write("/proc/self/gid_map", "0 %d 1\n" % gid)


def enter_subuid(maps):
    """newuidmap must write our maps from outside the namespace, so a child
    waits until we have unshared, maps us, and exits before we exec."""
    newuidmap, uargs, newgidmap, gargs = maps
    go_r, go_w = os.pipe()
    done_r, done_w = os.pipe()
    parent = os.getpid()
    child = os.fork()
    if child == 0:
        os.close(go_w)
        os.close(done_r)
        ok = os.read(go_r, 1) == b"1"
        rc = 1
        if ok:
            import subprocess
            rc = subprocess.call([newuidmap, str(parent)] + uargs) or \
                subprocess.call([newgidmap, str(parent)] + gargs)
        os.write(done_w, b"0" if rc == 0 else b"1")
        os._exit(0)
    os.close(go_r)
    os.close(done_w)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWUSER) != 0:
        err = ctypes.get_errno()
        os.write(go_w, b"0")
        os.waitpid(child, 0)
        disabled(err)
    os.write(go_w, b"1")
    status = os.read(done_r, 1)
    os.waitpid(child, 0)
    if status != b"0":
        die("newuidmap/newgidmap could not map the ranges of /etc/subuid and /etc/subgid "
            "(see their message above)")
    # Drop the host's supplementary groups: unmapped inside, they only confuse.
    os.setgroups([])


def main(argv):
    ids = "auto"
    which = False
    while argv and argv[0] != "--":
        a = argv.pop(0)
        if a.startswith("--ids="):
            ids = a.split("=", 1)[1]
        elif a == "--ids" and argv:
            ids = argv.pop(0)
        elif a == "--which":
            which = True
        else:
            die("usage: userns.py [--ids auto|subuid|single] [--which] -- CMD [ARGS...]")
    if argv:
        argv.pop(0)
    if ids not in ("auto", "subuid", "single"):
        die("--ids must be auto, subuid or single, not %r" % ids)
    maps = subuid_maps() if ids in ("auto", "subuid") else None
    if ids == "subuid" and not maps:
        die("this env was built with your /etc/subuid range mapped, but here: %s.\n"
            "  Use a machine where the range is there, or build another env with one id:\n"
            "    CAFFE_ENV_IDS=single CAFFE_ENV_DIR=<another directory> make env"
            % why_not_subuid())
    mode = "subuid" if maps else "single"
    if which:
        print(mode)
        return 0
    if not argv:
        die("no command given")
    if os.getuid() == 0:
        os.execvp(argv[0], argv)
    if maps:
        enter_subuid(maps)
    else:
        enter_single()
    try:
        os.execvp(argv[0], argv)
    except OSError as e:
        die("cannot run %s: %s" % (argv[0], e), 127)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
