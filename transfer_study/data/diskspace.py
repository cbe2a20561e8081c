"""Will the LMDBs fit?  One estimate of a datum's disk space, used by the
disk space check of `make data`, by `make derived` and by `make cost`.

A Datum of a 3x256x256 image is 196,624 bytes (datum.encoded_size); in an
LMDB it lives in overflow pages (16-byte page header) plus a share of leaf
pages for its node and key: ~201.5 kB, ~258 GB for ILSVRC2012's 1,281,167
training images.

    from transfer_study.data import diskspace
    diskspace.per_datum(256)                  # bytes on disk of one 256x256 datum
    diskspace.check([(list_path, db_path)], resize=256, force=False)   # make data
"""
import os

from transfer_study.data import datum, listfile, lmdb_io
from transfer_study.data.lmdb_io import on_disk   # one estimate for both disk checks


class DiskSpaceError(ValueError):
    """The LMDBs to write do not fit; the message says where and what to do."""


def per_datum(resize, channels=3):
    """Bytes on disk of one warped resize x resize datum in an LMDB."""
    return on_disk(datum.encoded_size((resize, resize, channels)))


def check(jobs, resize=256, force=False, log=print):
    """jobs: [(list_path, db_path)].  Prints the expected size of every DB still
    to write against the free space of its filesystem; raises DiskSpaceError
    when they cannot fit (unless force).  Returns the bytes still needed."""
    raw = datum.encoded_size((resize, resize, 3))
    per = on_disk(raw)
    need_by_fs = {}
    for list_path, db_path in jobs:
        with open(list_path, "rb") as f:
            n = len(listfile.split_lines(f.read()))
        parent = os.path.dirname(os.path.abspath(db_path))
        os.makedirs(parent, exist_ok=True)
        if lmdb_io.is_complete(db_path):
            log("  %-40s finished (%d images): nothing to write"
                % (db_path, lmdb_io.read_record(db_path)["count"]))
            continue
        done = 0
        if os.path.exists(os.path.join(db_path, "data.mdb")):
            done = lmdb_io.entry_count(db_path)
        need = (n - done) * per
        log("  %-40s %9d images x %d B raw datum = %6.1f GB; in LMDB pages ~%6.1f GB%s"
            % (db_path, n, raw, n * raw / 1e9, n * per / 1e9,
               (" (%d written, %.1f GB to go)" % (done, need / 1e9)) if done else ""))
        dev = os.stat(parent).st_dev
        need_by_fs.setdefault(dev, [parent, 0])[1] += need
    total = 0
    short = []
    for dev, (parent, need) in need_by_fs.items():
        st = os.statvfs(parent)
        free = st.f_bavail * st.f_frsize
        total += need
        log("  filesystem of %s: %.1f GB free, %.1f GB needed" % (parent, free / 1e9, need / 1e9))
        if need > free:
            short.append("%s: %.1f GB needed, %.1f GB free" % (parent, need / 1e9, free / 1e9))
    if short and not force:
        raise DiskSpaceError("not enough disk space (%s). Point DATA= (or a data/ symlink) at a "
                             "bigger disk, or pass FORCE=1 to start anyway." % "; ".join(short))
    return total
