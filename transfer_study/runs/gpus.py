"""A pool of GPU ids shared by the runs of one root: one network per GPU.

`make -j4 transfers GPU=0,1,2,3` starts four train.py at once; each takes
the flock of free GPU ids before Caffe starts and holds it (Caffe inherits
the descriptors) until Caffe exits or is killed: the kernel drops a flock
when its last holder dies, so a killed run frees its GPU.  A run that finds
no free GPU waits, saying for which ids.

    from transfer_study.runs import gpus
    ids = gpus.parse_ids("0,1")                 # [0, 1]
    held = gpus.take(root, ids, per_net=1, name="half0A", say=print)
    held.ids, held.fds                          # e.g. [1], [fd]; held.release()
    gpus.holders(root)                          # {network: [ids]} of live holders

Locks live in <root>/results/.gpu-locks/<host>.gpu<N>.lock: per host,
because GPU 0 of one machine is not GPU 0 of another on a shared disk.
Inside a SLURM job the job's own GPUs (--gres, CUDA_VISIBLE_DEVICES) are
its alone: no lock is taken there.
"""
import glob
import os
import socket
import time

from transfer_study import layout
from transfer_study.runs import runstate

WAIT_POLL_SECONDS = 2.0


class PoolError(ValueError):
    pass


def parse_ids(spec, count_visible=None):
    """'0,1' -> [0, 1]; 'all' -> range(count_visible()) (the GPUs this machine shows)."""
    spec = str(spec).strip()
    if spec.lower() == "all":
        if count_visible is None:
            raise PoolError("GPU=all: no GPU can be counted here; pass the ids, e.g. GPU=0,1")
        return list(range(count_visible()))
    try:
        ids = [int(x) for x in spec.split(",") if x.strip()]
    except ValueError:
        raise PoolError("GPU ids must be like 0, 0,1,2,3 or all, not %r" % spec)
    if not ids or any(i < 0 for i in ids) or len(set(ids)) != len(ids):
        raise PoolError("GPU ids must be distinct whole numbers >= 0, like 0,1,2,3, not %r" % spec)
    return ids


def lock_dir(root):
    return layout.gpu_locks(root)


def lock_path(root, gpu_id, host=None):
    return layout.gpu_lock(root, host or socket.gethostname(), gpu_id)


def in_slurm_job():
    return bool(os.environ.get("SLURM_JOB_ID"))


class Held(object):
    """GPU ids taken by this run and the lock descriptors that hold them."""

    def __init__(self, ids, fds):
        self.ids = ids
        self.fds = fds

    def release(self):
        for fd in self.fds:
            os.close(fd)
        self.fds = []


def take(root, ids, per_net, name, say, poll=WAIT_POLL_SECONDS):
    """Block until `per_net` ids of `ids` are free; lock them for `name`."""
    if per_net < 1 or per_net > len(ids):
        raise PoolError("GPUS_PER_NET=%d cannot be met by the GPU pool %s"
                        % (per_net, ",".join(map(str, ids))))
    os.makedirs(lock_dir(root), exist_ok=True)
    waited = False
    while True:
        got = []
        for i in ids:
            fd = runstate.try_lock(lock_path(root, i))
            if fd is not None:
                got.append((i, fd))
                if len(got) == per_net:
                    break
        if len(got) == per_net:
            break
        for _, fd in got:   # all or nothing: never sit on half of what a run needs
            os.close(fd)
        if not waited:
            busy = holders(root)
            say("%s waits for %d free GPU(s) among %s (busy: %s)"
                % (name, per_net, ",".join(map(str, ids)),
                   "; ".join("%s on %s" % (n, ",".join(map(str, g))) for n, g in sorted(busy.items()))
                   or "locked by runs that are ending"))
            waited = True
        time.sleep(poll)
    line = "%s pid %d since %s\n" % (name, os.getpid(), time.strftime("%Y-%m-%dT%H:%M:%S"))
    for _, fd in got:
        os.ftruncate(fd, 0)
        os.write(fd, line.encode())
    return Held([i for i, _ in got], [fd for _, fd in got])


def holders(root, host=None):
    """{network: [GPU ids]} of the locks held now on this host."""
    out = {}
    pattern = os.path.join(glob.escape(lock_dir(root)), "%s.gpu*.lock" % (host or socket.gethostname()))
    for path in glob.glob(pattern):
        gpu_id = int(path.rsplit(".gpu", 1)[1][:-len(".lock")])
        if not runstate.is_locked(path):
            continue   # free
        try:
            with open(path) as f:
                who = f.read().split()
        except (IOError, OSError):
            who = []
        out.setdefault(who[0] if who else "?", []).append(gpu_id)
    return dict((n, sorted(g)) for n, g in out.items())
