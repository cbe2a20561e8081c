"""flock(2) locks on files: one writer of a network's run, of a GPU slot, of
an LMDB.  The kernel drops a lock when the last holder of its descriptor
dies (Caffe inherits it from train.py), so a killed job frees what it held;
the file itself only says who held it last."""
import errno
import fcntl
import os


def is_locked(path):
    """True when some process holds the flock on `path` (train.py holds it for
    the whole run, Caffe inherits it)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except (IOError, OSError):
        return True
    finally:
        os.close(fd)
    return False


def try_lock(path):
    """An exclusive flock on `path` (created when missing): its descriptor, or
    None when another process holds it.  The kernel drops it when the last
    holder of the descriptor dies (Caffe inherits it), so a killed run frees it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (IOError, OSError) as e:
        os.close(fd)
        if e.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            return None
        raise
    return fd


def lock_holder(path):
    """What the lock file says about its holder ('pid N on HOST since T'), or ''."""
    try:
        with open(path) as f:
            return f.read().strip()
    except (IOError, OSError):
        return ""
