"""One writer per database: an flock on DB_NAME.lock (beside the LMDB
directory) held for the whole conversion.  A second writer refuses at once,
naming the holder; the kernel drops the lock when its holder dies (kill -9
included), so nothing is ever left locked.

    with dblock.hold(db_path):      # LockError when another process writes it
        ...
"""
import contextlib
import os
import socket
import sys
import time

from transfer_study.data import lmdb_io
from transfer_study import locks


class LockError(lmdb_io.LmdbError):
    """Another process is writing this database."""


def lock_path(db_path):
    return db_path.rstrip("/") + ".lock"


@contextlib.contextmanager
def hold(db_path):
    path = lock_path(db_path)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fd = locks.try_lock(path)
    if fd is None:
        raise LockError("%s is being written by another process (%s); its lock is %s. "
                        "Wait for it, or stop that process: a second writer is refused"
                        % (db_path, locks.lock_holder(path) or "holder unknown", path))
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, ("pid %d on %s since %s: %s\n" % (
            os.getpid(), socket.gethostname(), time.strftime("%Y-%m-%d %H:%M:%S"),
            " ".join(sys.argv))).encode("utf-8", "replace"), 0)
        yield
    finally:
        os.close(fd)
