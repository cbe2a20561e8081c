"""A pool of GPU ids shared by the runs of one root: k networks per GPU (default 1).

`make -j4 transfers GPU=0,1,2,3` starts four train.py at once; each takes
the flock of a free GPU slot before Caffe starts and holds it (Caffe inherits
the descriptors) until Caffe exits or is killed: the kernel drops a flock
when its last holder dies, so a killed run frees its slot.  A run that finds
no free slot waits, saying for which ids.  NETS_PER_GPU=k gives each GPU k
slots (k locks), for GPUs with memory and speed to spare for k networks:
runs fill slot 0 of every GPU before slot 1 of any.

    from transfer_study.runs import gpu_pool
    ids = gpu_pool.parse_ids("0,1")             # [0, 1]
    held = gpu_pool.take(root, ids, per_net=1, name="half0A", say=print, nets_per_gpu=2)
    held.ids, held.slots, held.fds              # e.g. [1], [0], [fd]; held.release()
    gpu_pool.holders(root)                      # {network: [ids]} of live holders

Locks: layout.gpu_lock (results/.gpu-locks/<host>.gpu<N>[.slot<S>].lock): per
host, because GPU 0 of one machine is not GPU 0 of another on a shared disk.
Inside a SLURM job the ids are the job's own (--gres sets CUDA_VISIBLE_DEVICES:
every job's GPUs count from 0), so the locks are the job's own too
(<host>.job<ID>.gpu<N>...): the networks a packed job trains at once
(NETS_PER_GPU) share its GPUs slot by slot, as they would on a workstation.
"""
import os
import socket
import time

from transfer_study import layout
from transfer_study import locks

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


def lock_host(environ=None):
    """Whose GPU ids the locks name: this host's, or within a SLURM job the job's."""
    job = (environ if environ is not None else os.environ).get("SLURM_JOB_ID")
    host = socket.gethostname()
    return "%s.job%s" % (host, job) if job else host


def lock_path(root, gpu_id, host=None, slot=0):
    return layout.gpu_lock(root, host or lock_host(), gpu_id, slot)


class Held(object):
    """GPU ids taken by this run, the slot on each, and the lock descriptors that hold them."""

    def __init__(self, ids, fds, slots=None, nets_per_gpu=1):
        self.ids = ids
        self.fds = fds
        self.slots = slots if slots is not None else [0] * len(ids)
        self.nets_per_gpu = nets_per_gpu

    def release(self):
        for fd in self.fds:
            os.close(fd)
        self.fds = []


def take(root, ids, per_net, name, say, poll=WAIT_POLL_SECONDS, nets_per_gpu=1):
    """Block until `per_net` distinct ids of `ids` have a free slot; lock them for `name`."""
    if per_net < 1 or per_net > len(ids):
        raise PoolError("GPUS_PER_NET=%d cannot be met by the GPU pool %s"
                        % (per_net, ",".join(map(str, ids))))
    if nets_per_gpu < 1:
        raise PoolError("NETS_PER_GPU must be >= 1, not %d" % nets_per_gpu)
    os.makedirs(layout.gpu_locks(root), exist_ok=True)
    waited = False
    while True:
        got = {}   # id -> (slot, fd)
        for slot in range(nets_per_gpu):   # slot 0 of every GPU first: spread, then share
            for i in ids:
                if i in got or len(got) == per_net:
                    continue
                fd = locks.try_lock(lock_path(root, i, slot=slot))
                if fd is not None:
                    got[i] = (slot, fd)
        if len(got) == per_net:
            break
        for _, fd in got.values():   # all or nothing: never sit on half of what a run needs
            os.close(fd)
        if not waited:
            busy = holders(root)
            say("%s waits for %d free GPU(s) among %s%s (busy: %s)"
                % (name, per_net, ",".join(map(str, ids)),
                   " (%d networks per GPU)" % nets_per_gpu if nets_per_gpu > 1 else "",
                   "; ".join("%s on %s" % (n, ",".join(map(str, g))) for n, g in sorted(busy.items()))
                   or "locked by runs that are ending"))
            waited = True
        time.sleep(poll)
    line = "%s pid %d since %s\n" % (name, os.getpid(), time.strftime("%Y-%m-%dT%H:%M:%S"))
    taken = [i for i in ids if i in got]
    for i in taken:
        fd = got[i][1]
        os.ftruncate(fd, 0)
        os.write(fd, line.encode())
    return Held(taken, [got[i][1] for i in taken], [got[i][0] for i in taken], nets_per_gpu)


def holders(root, host=None):
    """{network: [GPU ids]} of the locks held now on this host, or in this
    SLURM job (a shared GPU under each)."""
    out = {}
    for gpu_id, _, path in layout.gpu_lock_files(root, host or lock_host()):
        if not locks.is_locked(path):
            continue   # free
        who = locks.lock_holder(path).split()
        out.setdefault(who[0] if who else "?", []).append(gpu_id)
    return dict((n, sorted(g)) for n, g in out.items())
