"""Writing a file atomically: a temp file in the same directory, then a rename.

Why: whoever reads the file -- Caffe, make, a rerun, another node on a shared
filesystem -- sees either the old file or the whole new one, never a
half-written one; a job interrupted at any moment leaves the old file (or
none), never a truncated one that looks finished.  The temp file is in the
target's directory because rename(2) is atomic only within one filesystem.

API
---
    from transfer_study import files

    files.write_atomic(path, data, mode=0o644, fsync=False)
        # data: str (written as UTF-8) or bytes.  fsync=True also flushes the
        # file and then its directory to disk: for records whose durability
        # matters (an LMDB's completion record, a mean file), not for files a
        # rerun simply writes again.
    files.write_json(path, obj, fsync=False)
        # JSON with indent=1, sorted keys and a final newline: the format of
        # every record the pipeline writes (complete.json, provenance, jobs).
    with files.atomic_path(path) as tmp:   # for tools that write a file by
        fig.savefig(tmp)                   # name (matplotlib, a subprocess):
                                           # tmp keeps path's extension; the
                                           # rename happens when the block ends
                                           # without an exception.
    files.file_md5(path) -> hex md5 of a file's bytes

Temp files are named ".<name>.<random>.tmp" (".<name>.<random>.tmp<ext>" for
atomic_path), hidden and recognisable; on any failure they are removed and
the exception goes on.
"""
import contextlib
import hashlib
import json
import os
import tempfile


def _fsync_path(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


@contextlib.contextmanager
def _replacing(path, mode, fsync, suffix):
    """Yield (fd, temp path) next to path; on success chmod, [fsync,] rename over
    path [and fsync the directory]; on any failure remove the temp file."""
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=d, prefix="." + os.path.basename(path) + ".", suffix=suffix)
    try:
        yield fd, tmp
        os.chmod(tmp, mode)
        if fsync:
            _fsync_path(tmp)
        os.replace(tmp, path)
    except BaseException:
        _remove(tmp)
        raise
    if fsync:
        _fsync_path(d)


def write_atomic(path, data, mode=0o644, fsync=False):
    """Replace path's content with data (str as UTF-8, or bytes) atomically."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    with _replacing(path, mode, fsync, ".tmp") as (fd, _):
        with os.fdopen(fd, "wb") as f:
            f.write(data)


def write_json(path, obj, fsync=False):
    """obj as JSON (indent=1, sorted keys, final newline), atomically."""
    write_atomic(path, json.dumps(obj, indent=1, sort_keys=True) + "\n", fsync=fsync)


@contextlib.contextmanager
def atomic_path(path, mode=0o644, fsync=False):
    """Yield a temp path in path's directory with path's extension (tools such
    as savefig pick the format from it) for a tool to write; rename it over
    path when the block succeeds, remove it when it fails."""
    with _replacing(path, mode, fsync, ".tmp" + os.path.splitext(path)[1]) as (fd, tmp):
        os.close(fd)
        yield tmp


def file_md5(path, progress=None):
    """progress: called with each block's length (a progress bar's update)."""
    h = hashlib.md5()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(8 << 20), b""):
            h.update(block)
            if progress is not None:
                progress(len(block))
    return h.hexdigest()
