"""Resumable, ordered writing of Caffe Datum LMDBs, and reading them back.

Used by warp.py (ImageNet -> whole_train/whole_valid) and by the derived
datasets of issue 4 (which copy datums out of a whole-set DB under new keys
and labels).  One rule makes a DB trustworthy: it is finished only when its
completion record exists, and that record is written last.

Files inside an LMDB directory (LMDB and Caffe ignore everything except
data.mdb and lock.mdb):

    data.mdb, lock.mdb   the LMDB itself
    inputs.json          what the DB is being built from: {"list_md5", "params"};
                         written once, before the first datum
    complete.json        the completion record: inputs.json's content plus
                         "count" and a free "summary"; written last, atomically
                         and fsynced (files.write_json: indent=1, sorted keys)

list_md5 is files.file_md5 of the list file the DB was built from.

API
---
    from transfer_study.data import lmdb_io

    key = lmdb_io.make_key(line_index, path)   # b'%08d_%s', as convert_imageset
    lmdb_io.key_index(key) -> int              # the line index in such a key

    w = lmdb_io.ResumableWriter(db_path, params, list_md5, batch=1000)
        # params: JSON-able dict of everything that decides the DB's bytes
        # (e.g. resize, encoded, shuffle seed, source DB's record ...).
        # Creates the DB, or reopens an unfinished one built from the SAME
        # (list_md5, params).  Raises LmdbError (a ValueError, message says
        # what to do) when db_path is a DB built from other inputs, finished
        # or not, or a directory this module did not write.
    if w.complete:                 # finished earlier with the same inputs:
        w.close(); return          #   rerunning is a no-op
    w.last_key   # last committed key (bytes) or None: continue AFTER it
    w.count      # entries committed so far
    w.put(key, value)   # bytes-like key and value; keys must be strictly
                        # increasing (byte order), so the DB order is the
                        # write order and resuming is "skip keys <= last_key".
                        # Commits every `batch` puts (or batch_bytes), growing
                        # the map size before it can run out.
    w.expect(remaining, per_value)   # optional: values still to come and the disk
                        # bytes of one (diskspace's estimate); each transaction then
                        # allocates its disk blocks first (DiskFullError, never a
                        # SIGBUS, when the disk is full) and sizes itself to them
    w.finish(summary=None)   # commit the rest, then write complete.json
    w.close()                # commit pending puts (never marks complete)
    # ResumableWriter is a context manager: leaving the block by an exception
    # commits what was put (all of it valid, in order) and leaves the DB
    # unfinished; a rerun resumes after w.last_key.

    lmdb_io.open_readonly(db_path) -> lmdb.Environment (readonly, no lock file)
    lmdb_io.read_inputs(db_path)   -> dict or None   (inputs.json)
    lmdb_io.read_record(db_path)   -> dict or None   (complete.json)
    lmdb_io.is_complete(db_path)   -> bool
    lmdb_io.iter_items(db_path, start_after=None) -> (key, value) bytes pairs
                                       in key order (read-only, no lock file)
    lmdb_io.entry_count(db_path)   -> int

Kill -9 at any moment loses at most the uncommitted batch; LMDB commits are
atomic, so the DB always holds a prefix of the intended key sequence.

Writing goes straight into LMDB's memory map (MDB_WRITEMAP: one copy less
per 196 kB datum, a third of the writer's CPU).  LMDB then keeps data.mdb
as big as the map (sparse) while writing; finish() trims it to the pages in
use, so a finished DB is the size convert_imageset's would be.
"""
import errno
import json
import os
import time

import lmdb

from transfer_study import files

RECORD_FORMAT = "transfer_study.lmdb/1"
INPUTS = "inputs.json"
COMPLETE = "complete.json"

# Start small (tests make tiny DBs) and double; grow before a batch could fill it.
INITIAL_MAP_SIZE = 1 << 30
# Write straight into the memory map: no second copy through write(2).  LMDB
# then sizes data.mdb to the map (a sparse file); finish() trims it back to
# the pages in use, which readers (Caffe too) never look beyond.
WRITEMAP = True
LMDB_PAGE = 4096


def on_disk(value_bytes):
    """Bytes an LMDB value this big takes: its overflow pages (16-byte page
    header) plus a share of leaf pages for its node and key.  The one estimate
    of both disk checks: make data's up front (diskspace) and the writer's."""
    pages = -(-(value_bytes + 16) // LMDB_PAGE)
    return pages * LMDB_PAGE + 800


class LmdbError(ValueError):
    """A DB that cannot be written or resumed as asked; the message says why and what to do."""


class DiskFullError(LmdbError):
    """The disk holds no room for the next image; the DB stays resumable."""


def make_key(index, path):
    """The key convert_imageset writes: caffe::format_int(line_id, 8) + "_" + path."""
    if isinstance(path, str):
        path = path.encode("utf-8")
    return b"%08d_" % index + path


def key_index(key):
    if isinstance(key, str):
        key = key.encode("utf-8")
    head = key.split(b"_", 1)[0]
    if not head.isdigit():
        raise LmdbError("key %r does not start with a line index ('%%08d_path')" % (key[:60],))
    return int(head)


def _read_json(path):
    if not os.path.exists(path):
        return None
    try:
        with open(path) as f:
            return json.load(f)
    except ValueError as e:
        raise LmdbError("%s is not valid JSON (%s): remove the DB directory %s and rebuild it"
                        % (path, e, os.path.dirname(path)))


def read_inputs(db_path):
    return _read_json(os.path.join(db_path, INPUTS))


def read_record(db_path):
    return _read_json(os.path.join(db_path, COMPLETE))


def is_complete(db_path):
    return os.path.isfile(os.path.join(db_path, COMPLETE))


def _normalize(obj):
    """Round-trip through JSON so tuples/lists and int/float compare as they will be read back."""
    return json.loads(json.dumps(obj, sort_keys=True))


def _differences(old, new):
    keys = sorted(set(old) | set(new))
    return ["%s: %r (in the DB) vs %r (now)" % (k, old.get(k), new.get(k))
            for k in keys if old.get(k) != new.get(k)]


def open_readonly(db_path):
    if not os.path.isfile(os.path.join(db_path, "data.mdb")):
        raise LmdbError("%s is not an LMDB directory (no data.mdb)" % db_path)
    return lmdb.open(db_path, readonly=True, lock=False, readahead=False,
                     subdir=True, max_readers=8)


def iter_items(db_path, start_after=None):
    env = open_readonly(db_path)
    try:
        with env.begin(buffers=False) as txn:
            cur = txn.cursor()
            if start_after is None:
                ok = cur.first()
            else:
                ok = cur.set_range(start_after)
                if ok and cur.key() == start_after:
                    ok = cur.next()
            while ok:
                yield cur.key(), cur.value()
                ok = cur.next()
    finally:
        env.close()


def entry_count(db_path):
    env = open_readonly(db_path)
    try:
        return env.stat()["entries"]
    finally:
        env.close()


class ResumableWriter(object):
    """See the module docstring."""

    def __init__(self, db_path, params, list_md5, batch=1000, batch_bytes=256 << 20):
        self.path = db_path
        self.batch = int(batch)
        self.batch_bytes = int(batch_bytes)
        self.inputs = _normalize({"format": RECORD_FORMAT, "list_md5": list_md5,
                                  "params": params})
        self.complete = False
        self.env = None
        self.txn = None
        self.pending = 0
        self.pending_bytes = 0
        self.count = 0
        self.last_key = None
        self.remaining = self.per_value = None
        self._seen_per_value = 256 << 10   # until expect() or the first value says
        self.txn_limit = self.batch
        self._open()

    # -- opening / checking -------------------------------------------------
    def _open(self):
        path = self.path
        if os.path.exists(path) and not os.path.isdir(path):
            raise LmdbError("%s exists and is not a directory: choose another DB name" % path)
        record = read_record(path) if os.path.isdir(path) else None
        if record is not None:
            old = {k: record.get(k) for k in self.inputs}
            diff = _differences(old, self.inputs)
            if diff:
                raise LmdbError(
                    "%s is a finished DB built from other inputs (%s). Remove it "
                    "(rm -r %s) or write to another DB name; it is never mixed."
                    % (path, "; ".join(diff), path))
            self.complete = True
            self.count = record.get("count")
            return
        inputs = read_inputs(path) if os.path.isdir(path) else None
        if inputs is not None:
            diff = _differences(inputs, self.inputs)
            if diff:
                raise LmdbError(
                    "%s is an unfinished DB started from other inputs (%s). Rerun with the "
                    "same list and options to resume it, or remove it (rm -r %s) to start over."
                    % (path, "; ".join(diff), path))
        elif os.path.isdir(path) and os.listdir(path):
            raise LmdbError(
                "%s exists but was not written by this project (no %s): remove it or "
                "choose another DB name" % (path, INPUTS))
        else:
            os.makedirs(path, exist_ok=True)
            files.write_json(os.path.join(path, INPUTS), self.inputs, fsync=True)
        self.env = lmdb.open(path, map_size=INITIAL_MAP_SIZE, subdir=True,
                             max_dbs=0, sync=True, metasync=True, readahead=False,
                             writemap=WRITEMAP)
        # The file may be bigger than our initial map (a resumed big DB).
        used = self._used_bytes()
        if self.env.info()["map_size"] < used * 2:
            self.env.set_mapsize(max(used * 2, INITIAL_MAP_SIZE))
        with self.env.begin() as txn:
            self.count = txn.stat()["entries"]
            cur = txn.cursor()
            if cur.last():
                self.last_key = cur.key()

    def _used_bytes(self):
        info = self.env.info()
        return (info["last_pgno"] + 1) * self.env.stat()["psize"]

    def expect(self, remaining, per_value):
        """Say how many values are still to come and the disk bytes one takes
        (diskspace's estimate, the one the up-front check used): each batch then
        reserves exactly its share, and the last ones no more than they need."""
        self.remaining, self.per_value = int(remaining), int(per_value)

    def _reserve(self):
        """Allocate the disk blocks of the next transaction before writing it:
        with the memory map written directly (WRITEMAP) a full disk is a SIGBUS
        in the middle of a page, not an error, whoever filled it.  Returns how
        many values the transaction may take: fewer than a batch when only they
        fit; DiskFullError when not even one does (everything committed stays;
        a rerun resumes)."""
        per = self.per_value or self._seen_per_value
        n = max(1, min(self.batch, self.remaining if self.remaining is not None
                       else self.batch, self.batch_bytes // max(1, per)))
        data = os.path.join(self.path, "data.mdb")
        used = self._used_bytes()
        while True:
            slack = (64 << 10) + n * per // 64   # branch pages, copied pages, meta
            try:
                fd = os.open(data, os.O_RDWR)
                try:
                    os.posix_fallocate(fd, used, n * per + slack)
                finally:
                    os.close(fd)
                return n
            except OSError as e:
                if e.errno in (errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS):
                    return n   # no fallocate here (the up-front check still ran)
                if e.errno not in (errno.ENOSPC, errno.EDQUOT):
                    raise
            st = os.statvfs(self.path)
            fits = (st.f_bavail * st.f_frsize - (64 << 10)) * 64 // (65 * per)
            if fits >= n or fits < 1:
                raise DiskFullError(
                    "%s: the disk is full (%.1f MB free; the next image needs ~%.1f MB). "
                    "The %d images written are kept: make room, then rerun the same "
                    "command to resume" % (self.path, st.f_bavail * st.f_frsize / 1e6,
                                           (per + slack) / 1e6, self.count))
            n = fits

    def _ensure_room(self):
        # Room for a whole batch (values plus LMDB's page overhead, generously)
        # must exist BEFORE the write transaction starts: the map can only be
        # resized with no transaction open.
        self.txn_limit = self._reserve()
        need = self._used_bytes() + 2 * self.batch_bytes + (64 << 20)
        size = self.env.info()["map_size"]
        if size < need:
            while size < need:
                size *= 2
            self.env.set_mapsize(size)

    # -- writing --------------------------------------------------------------
    def put(self, key, value):
        if self.complete:
            raise LmdbError("%s is finished; nothing may be added" % self.path)
        key = bytes(key)
        if self.last_key is not None and key <= self.last_key:
            raise LmdbError("keys must be written in increasing order: %r after %r"
                            % (key[:60], self.last_key[:60]))
        if len(value) > self.batch_bytes:
            raise LmdbError("a value of %d bytes is larger than the batch limit" % len(value))
        if self.pending_bytes + len(value) > self.batch_bytes:
            self.commit()
        if self.per_value is None:
            self._seen_per_value = on_disk(len(value))
        if self.txn is None:
            self._ensure_room()
            self.txn = self.env.begin(write=True)
        try:
            self.txn.put(key, value, append=True)
        except lmdb.MapFullError:
            self.abort_pending()
            raise LmdbError("%s: LMDB map full despite growing it; rerun to resume" % self.path)
        self.last_key = key
        self.pending += 1
        self.pending_bytes += len(value)
        if self.remaining is not None:
            self.remaining = max(0, self.remaining - 1)
        if self.pending >= min(self.batch, self.txn_limit):
            self.commit()

    def commit(self):
        if self.txn is not None:
            try:
                self.txn.commit()
            except lmdb.Error as e:
                self.txn = None
                self.pending = self.pending_bytes = 0
                raise LmdbError("%s: LMDB could not commit (%s); what was committed before "
                                "is kept: rerun to resume" % (self.path, e))
            self.txn = None
            self.count += self.pending
        self.pending = 0
        self.pending_bytes = 0

    def finish(self, summary=None):
        """Commit everything, then write the completion record (last)."""
        if self.complete:
            return
        self.commit()
        self.env.sync(True)
        used = self._used_bytes()
        record = dict(self.inputs)
        record.update(count=self.count, summary=summary or {},
                      finished=time.strftime("%Y-%m-%d %H:%M:%S"))
        self.close()
        data = os.path.join(self.path, "data.mdb")
        if os.path.getsize(data) > used:
            os.truncate(data, used)
        files.write_json(os.path.join(self.path, COMPLETE), record, fsync=True)
        self.complete = True

    def close(self):
        if self.env is not None:
            self.commit()
            self.env.close()
            self.env = None

    def abort_pending(self):
        """Drop uncommitted puts (they are never half-visible)."""
        if self.txn is not None:
            self.txn.abort()
            self.txn = None
            self.last_key = None
            with self.env.begin() as txn:
                cur = txn.cursor()
                if cur.last():
                    self.last_key = cur.key()
        self.pending = 0
        self.pending_bytes = 0

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and self.txn is not None and exc_type is KeyboardInterrupt:
            # Ctrl-C may arrive inside put(): keep only what was committed.
            self.abort_pending()
        self.close()
        return False
