"""Derived datasets' LMDBs, copied out of the whole-set LMDBs.

The original study re-converted every half and reduced set from JPEG.  Every
image of a derived set is already a datum in whole_train/lmdb or
whole_valid/lmdb, under the key convert_imageset gave it there
('%08d_%s' % (position in the whole DB's writing order, path)).  So a derived
DB is built by looking each line of <name>/files.txt up in the whole DB and
writing the datum

  * with its label replaced by the derived list's label (idxmap applied), and
  * under the key the derived list gives it: '%08d_%s' % (its position in
    the derived DB's writing order, path),

in that writing order.  No image is decoded; the result is the DB the warp
tool would write from <name>/files.txt with the same options as the whole DB
and the same shuffling, key for key and byte for byte (tests/test_derive.py).

Order (Caffe's Data layer reads an LMDB in key order and never shuffles, so a
training DB in class-by-class list order gives single-class batches):

  * *_train sets are written SHUFFLED: the lines of <name>/files.txt in the
    order warp.write_order(len(lines), True, seed) gives, numbered in that
    order -- what `warp_imageset.py --shuffle --seed=seed` (and Caffe's
    convert_imageset --shuffle: shuffle the lines, then number them) writes.
    seed = the one recorded in whole_train/lmdb's completion record
    (make data writes whole_train with --shuffle, warp.DEFAULT_SEED = 1701),
    or warp.DEFAULT_SEED when whole_train was written unshuffled.
  * *_valid sets are written in list order (unshuffled), like whole_valid.

The seed is recorded in the derived DB's params ("shuffle", "seed").

Which whole set a dataset comes from: *_train -> whole_train, *_valid ->
whole_valid.  The whole DB must be finished (lmdb_io's completion record) and
built from that very whole files.txt.  A shuffled whole DB is fine: its
record's seed gives back its permutation (warp.write_order over the whole
list's lines), hence every datum's key, without reading a value; a whole DB
recorded as shuffled without a usable seed, or whose first and last keys do
not follow the recorded order, is refused.  Lines the whole DB skipped (built
with --skip-bad) are skipped here too, as the warp tool would.

Each derived DB is written with lmdb_io.ResumableWriter: an interrupted run
resumes after the last committed key; a finished DB with the same inputs is
left alone; a finished DB from other inputs (a changed files.txt, another
source DB or seed) is an error, never mixed.  Training sets then get
mean.binaryproto.

    from transfer_study.data import derive
    derive.derive_dataset(data_dir, name)     # one dataset
    derive.derive_all(data_dir, names=None)   # every derived list under data_dir
    derive.shuffle_seed(source)               # the seed a set drawn from source gets, or None
"""
import os
import shutil
import sys
import time

from transfer_study import files, layout
from transfer_study.data import datum, dblock, listfile, lmdb_io, splits, warp
from transfer_study.nets import catalog

FORMAT = "transfer_study.derived/1"


class DeriveError(ValueError):
    """A derived DB cannot be built as asked; the message says what to do."""


def source_name(name, cat=None):
    """The whole set a dataset is drawn from: whole_<its split in the catalog>."""
    try:
        return "whole_%s" % (cat or catalog.load()).split_of(name)
    except catalog.CatalogError as e:
        raise DeriveError(str(e))


def derived_names(data_dir):
    """Every dataset of the catalog with a files.txt under data_dir, except the
    whole sets, in catalog order."""
    if not os.path.isdir(data_dir):
        raise DeriveError("%s does not exist: run make splits first" % data_dir)
    cat = catalog.load()
    wholes = set("whole_%s" % cat.split_of(n) for n in cat.datasets)
    return [n for n in cat.datasets
            if n not in wholes and os.path.isfile(layout.files_txt(data_dir, n))]


class Source(object):
    """A finished whole-set DB and its list: path -> (whole line index, label)."""

    def __init__(self, data_dir, name):
        self.name = name
        self.list_path = layout.files_txt(data_dir, name)
        self.db_path = layout.lmdb(data_dir, name)
        if not os.path.isfile(self.list_path):
            raise DeriveError("%s is missing: build the whole lists first (make lists)"
                              % self.list_path)
        record = lmdb_io.read_record(self.db_path) if os.path.isdir(self.db_path) else None
        if record is None:
            raise DeriveError("%s is not a finished LMDB (no completion record): build the "
                              "whole-set LMDBs first (make data)" % self.db_path)
        self.list_md5 = files.file_md5(self.list_path)
        if record.get("list_md5") != self.list_md5:
            raise DeriveError("%s was built from another list than %s (md5 %s, now %s): "
                              "rebuild the whole-set LMDB" % (self.db_path, self.list_path,
                                                              record.get("list_md5"),
                                                              self.list_md5))
        params = record.get("params") or {}
        self.record = record
        self.params = params
        # The warp tool keeps --skip-bad out of params (a run stopped by a bad
        # image may resume with it); what it skipped is in its summary.
        self.skip_bad = bool((record.get("summary") or {}).get("skipped"))
        entries = listfile.read(self.list_path)
        self.seed = None
        if params.get("shuffle"):
            self.seed = params.get("seed")
            if not isinstance(self.seed, int) or isinstance(self.seed, bool):
                raise DeriveError(
                    "%s was written shuffled, but its completion record (%s) has no seed "
                    "(params.seed = %r), so the position of each line of %s in it, hence "
                    "its key, cannot be recomputed. Rebuild it with data_prep/"
                    "warp_imageset.py --shuffle (it records its seed) or without --shuffle"
                    % (self.db_path, os.path.join(self.db_path, lmdb_io.COMPLETE),
                       self.seed, self.list_path))
        # key of list line i = '%08d_path' % (i's position in the writing order)
        order = warp.write_order(len(entries), self.seed is not None, self.seed)
        self.index = {}
        for pos, i in enumerate(order):
            e = entries[i]
            self.index[e.path] = (pos, e.label)
        self._check_order(entries, order)

    def _check_order(self, entries, order):
        """The DB's first and last keys must be where the recorded order puts
        their lines (a wrong seed, or a record that lies, shows here)."""
        env = lmdb_io.open_readonly(self.db_path)
        try:
            with env.begin() as txn:
                cur = txn.cursor()
                keys = [cur.key() if cur.first() else None, cur.key() if cur.last() else None]
        finally:
            env.close()
        for key in keys:
            if key is None:
                continue
            pos = lmdb_io.key_index(key)
            want = lmdb_io.make_key(pos, entries[order[pos]].path) if pos < len(order) else None
            if key != want:
                how = ("shuffled with the recorded seed %d" % self.seed
                       if self.seed is not None else "in list order (unshuffled)")
                raise DeriveError(
                    "%s does not hold %s %s as its record says: key %s, but position %d of "
                    "that order is %s. The DB and its record do not belong together: "
                    "rebuild the whole-set LMDB (make data)"
                    % (self.db_path, self.list_path, how, key[:80].decode("utf-8", "replace"),
                       pos, want.decode("utf-8", "replace") if want else "beyond the list"))

    def inputs(self):
        """What of the source decides a derived DB's bytes."""
        return dict(name=self.name, list_md5=self.list_md5, params=self.params,
                    count=self.record.get("count"))

    def bytes_per_datum(self):
        size = os.path.getsize(os.path.join(self.db_path, "data.mdb"))
        return size / float(max(1, self.record.get("count") or 1))


def shuffle_seed(source):
    """The seed a dataset drawn from `source` is shuffled with, or None for list
    order: training sets (drawn from whole_train) are shuffled, with its DB's
    recorded seed, else warp.DEFAULT_SEED; validation sets are not."""
    if source.name != "whole_train":
        return None
    return source.seed if source.seed is not None else warp.DEFAULT_SEED


def _to_copy(data_dir, name, source, seed=None):
    """[(position in the derived DB, path, new label, whole key)] of a derived
    list in writing order (seed: shuffled as warp.write_order does; None: list
    order), checked against the whole list and idxmap."""
    list_path = layout.files_txt(data_dir, name)
    idxmap_path = layout.idxmap(data_dir, name)
    idxmap = splits.read_idxmap(idxmap_path) if os.path.isfile(idxmap_path) else None
    items = []
    for e in listfile.read(list_path):
        hit = source.index.get(e.path)
        if hit is None:
            raise DeriveError("%s:%d: %s is not in %s: the lists do not belong together "
                              "(rerun make splits)" % (list_path, e.line, e.path,
                                                       source.list_path))
        whole_index, whole_label = hit
        want = idxmap.get(whole_label) if idxmap is not None else whole_label
        if want != e.label:
            raise DeriveError("%s:%d: label %d, but %s has label %d there%s: rerun make splits"
                              % (list_path, e.line, e.label, source.list_path, whole_label,
                                 " (-> %r by idxmap.txt)" % (want,) if idxmap is not None else ""))
        items.append((e.path, e.label, lmdb_io.make_key(whole_index, e.path)))
    order = warp.write_order(len(items), seed is not None, seed)
    return list_path, [(pos,) + items[i] for pos, i in enumerate(order)]


def derive_dataset(data_dir, name, source=None, progress=True, log=None, batch=1000,
                   mean=True):
    """Build <data_dir>/<name>/lmdb (and mean.binaryproto for training sets),
    shuffled or not as shuffle_seed() says (see the module docstring).
    Returns a summary dict; a finished DB with the same inputs is left as is."""
    log = log or (lambda msg: print(msg, file=sys.stderr))
    source = source or Source(data_dir, source_name(name))
    seed = shuffle_seed(source)
    list_path, items = _to_copy(data_dir, name, source, seed)
    db_path = layout.lmdb(data_dir, name)
    params = dict(format=FORMAT, source=source.inputs())
    if seed is not None:
        # the warp tool's record of --shuffle (verify.py reads it); absent in
        # list order, so the valid sets' records are what they always were
        params.update(shuffle=True, seed=seed)
    list_md5 = files.file_md5(list_path)

    with dblock.hold(db_path):   # one writer per DB (LockError names the holder)
        writer = lmdb_io.ResumableWriter(db_path, params, list_md5, batch=batch)
        if writer.complete:
            writer.close()
            log("%s is already finished (%d datums, same list and source): nothing to do"
                % (db_path, writer.count))
            summary = dict((lmdb_io.read_record(db_path) or {}).get("summary", {}),
                           already_done=True)
        else:
            summary = _copy(source, items, writer, db_path, progress, log)
        if mean and source.name == "whole_train":
            _mean(db_path, layout.mean(data_dir, name), log,
                  progress)
    return summary


def _copy(source, items, writer, db_path, progress, log):
    start = time.time()
    done = lmdb_io.key_index(writer.last_key) if writer.last_key is not None else -1
    if done >= 0:
        log("resuming %s after key %s (%d datums already written)"
            % (db_path, writer.last_key.decode("utf-8", "replace"), writer.count))
    todo = [p for p in items if p[0] > done]
    # the estimate disk_needed() showed up front, so both checks agree
    writer.expect(len(todo), int(source.bytes_per_datum()) + 1)
    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(total=len(items), initial=len(items) - len(todo), unit="datum",
                   desc=os.path.basename(os.path.dirname(db_path)), file=sys.stderr,
                   dynamic_ncols=True, mininterval=0.5)
    skipped = []
    env = lmdb_io.open_readonly(source.db_path)
    try:
        with writer, env.begin(buffers=True) as txn:
            for i, (index, path, label, whole_key) in enumerate(todo):
                value = txn.get(whole_key)
                if value is None:
                    if not source.skip_bad:
                        raise DeriveError(
                            "%s has no datum %s although it is finished without --skip-bad: "
                            "the DB is damaged; rebuild it" % (source.db_path, whole_key[:80]))
                    skipped.append(path)   # the warp tool skipped it too
                    continue
                writer.put(lmdb_io.make_key(index, path), datum.with_label(value, label))
                if bar is not None and i % 256 == 255:
                    bar.update(256)
            if bar is not None:
                bar.update(len(todo) % 256)
            writer.commit()   # so writer.count is every datum put
            seconds = time.time() - start
            summary = dict(written=writer.count, skipped=len(skipped), lines=len(items),
                           seconds=round(seconds, 3),
                           datums_per_second=round(len(todo) / seconds, 1) if seconds else None)
            writer.finish(summary)
    finally:
        env.close()
        if bar is not None:
            bar.close()
    log("%s: %d datums copied from %s in %.1f s" % (db_path, len(todo) - len(skipped),
                                                   source.db_path, seconds))
    return summary


def _mean(db_path, mean_path, log, progress=True):
    """mean.binaryproto of a finished DB (mean.py, compute_image_mean's
    arithmetic).  Written atomically; kept when newer than the DB's
    completion record, recomputed when the DB was rebuilt since."""
    from transfer_study.data import mean as mean_mod
    record = os.path.join(db_path, lmdb_io.COMPLETE)
    if os.path.isfile(mean_path) and os.path.getmtime(mean_path) >= os.path.getmtime(record):
        log("%s is up to date: nothing to do" % mean_path)
        return
    m, count = mean_mod.compute_mean(db_path, progress=progress)
    mean_mod.write_binaryproto(m, mean_path)
    log("%s: mean of %d datums" % (mean_path, count))


# ---------------------------------------------------------------- many datasets

def disk_needed(data_dir, names, sources):
    """[(name, datums, estimated bytes, state)] and the free bytes on data_dir
    (sources: {name: the Source it is drawn from})."""
    rows = []
    for name in names:
        db = layout.lmdb(data_dir, name)
        src = sources[name]
        with open(layout.files_txt(data_dir, name), "rb") as f:
            lines = sum(1 for _ in f)
        if lmdb_io.is_complete(db):
            state, need = "finished", 0
        else:
            state = "resume" if os.path.isdir(db) else "new"
            need = int(lines * src.bytes_per_datum())
            if os.path.isfile(os.path.join(db, "data.mdb")):
                need = max(0, need - os.path.getsize(os.path.join(db, "data.mdb")))
        rows.append((name, lines, need, state))
    return rows, shutil.disk_usage(data_dir).free


def _gb(n):
    return "%.2f GB" % (n / 1e9) if n >= 1e8 else "%.1f MB" % (n / 1e6)


def derive_all(data_dir, names=None, progress=True, out=sys.stdout, check_space=True,
               mean=True):
    names = list(names) if names else derived_names(data_dir)
    if not names:
        raise DeriveError("no derived lists under %s: run make splits first" % data_dir)
    for n in names:
        if not os.path.isfile(layout.files_txt(data_dir, n)):
            raise DeriveError("%s has no files.txt: run make splits first"
                              % layout.dataset_dir(data_dir, n))
    cat = catalog.load()
    wholes, sources = {}, {}   # whole set name -> Source; dataset name -> its Source
    for n in names:
        s = source_name(n, cat)
        if s not in wholes:
            wholes[s] = Source(data_dir, s)
        sources[n] = wholes[s]
    rows, free = disk_needed(data_dir, names, sources)
    need = sum(r[2] for r in rows)
    print("%-22s %9s %12s  %-8s %s" % ("dataset", "datums", "disk (est.)", "state", "order"),
          file=out)
    for name, lines, size, state in rows:
        seed = shuffle_seed(sources[name])
        print("%-22s %9d %12s  %-8s %s" % (name, lines, _gb(size), state,
                                           "list order" if seed is None
                                           else "shuffled (seed %d)" % seed), file=out)
    print("to write: %s; free on %s: %s" % (_gb(need), data_dir, _gb(free)), file=out)
    if check_space and need > free:
        raise DeriveError("not enough disk space on %s (need ~%s, free %s): free some, or "
                          "point DATA at a bigger disk" % (data_dir, _gb(need), _gb(free)))
    results = []
    for name in names:
        results.append((name, derive_dataset(data_dir, name, sources[name],
                                             progress=progress, mean=mean)))
    return results
