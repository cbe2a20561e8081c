"""Derived datasets' LMDBs, copied out of the whole-set LMDBs.

The original study re-converted every half and reduced set from JPEG.  Every
image of a derived set is already a datum in whole_train/lmdb or
whole_valid/lmdb, under the key convert_imageset gave it there
('%08d_%s' % (whole line index, path)).  So a derived DB is built by looking
each line of <name>/files.txt up in the whole DB and writing the datum

  * with its label replaced by the derived list's label (idxmap applied), and
  * under the key the derived list gives it: '%08d_%s' % (its line index
    in <name>/files.txt, path),

in the derived list's order.  No image is decoded; the result is the DB that
converting <name>/files.txt with the warp tool (same options as the whole
DB) would write, key for key and byte for byte (tests/test_derive.py).

Which whole set a dataset comes from: *_train -> whole_train, *_valid ->
whole_valid.  The whole DB must be finished (lmdb_io's completion record),
built from that very whole files.txt, unshuffled.  Lines the whole DB skipped
(built with --skip-bad) are skipped here too, as the warp tool would.

Each derived DB is written with lmdb_io.ResumableWriter: an interrupted run
resumes after the last committed key; a finished DB with the same inputs is
left alone; a finished DB from other inputs (a changed files.txt) is an
error, never mixed.  Training sets then get mean.binaryproto.

    from transfer_study import derive
    derive.derive_dataset(data_dir, name)     # one dataset
    derive.derive_all(data_dir, names=None)   # every derived list under data_dir
"""
import os
import shutil
import sys
import time

from transfer_study import datum, listfile, lmdb_io, splits

FORMAT = "transfer_study.derived/1"


class DeriveError(ValueError):
    """A derived DB cannot be built as asked; the message says what to do."""


def source_name(name):
    if name.endswith("_train"):
        return "whole_train"
    if name.endswith("_valid"):
        return "whole_valid"
    raise DeriveError("dataset %r: derived dataset names end in _train or _valid" % name)


def derived_names(data_dir):
    """Every dataset under data_dir with a files.txt, except the whole sets,
    in a stable order (halves, natman, reduced)."""
    if not os.path.isdir(data_dir):
        raise DeriveError("%s does not exist: run make splits first" % data_dir)
    names = [n for n in sorted(os.listdir(data_dir))
             if not n.startswith("whole_") and (n.endswith("_train") or n.endswith("_valid"))
             and os.path.isfile(os.path.join(data_dir, n, "files.txt"))]
    return names


def _datasets_dir(data_dir, name):
    return os.path.join(data_dir, name)


class Source(object):
    """A finished whole-set DB and its list: path -> (whole line index, label)."""

    def __init__(self, data_dir, name):
        self.name = name
        d = _datasets_dir(data_dir, name)
        self.list_path = os.path.join(d, "files.txt")
        self.db_path = os.path.join(d, "lmdb")
        if not os.path.isfile(self.list_path):
            raise DeriveError("%s is missing: build the whole lists first (make lists)"
                              % self.list_path)
        record = lmdb_io.read_record(self.db_path) if os.path.isdir(self.db_path) else None
        if record is None:
            raise DeriveError("%s is not a finished LMDB (no completion record): build the "
                              "whole-set LMDBs first (make data)" % self.db_path)
        self.list_md5 = lmdb_io.file_md5(self.list_path)
        if record.get("list_md5") != self.list_md5:
            raise DeriveError("%s was built from another list than %s (md5 %s, now %s): "
                              "rebuild the whole-set LMDB" % (self.db_path, self.list_path,
                                                              record.get("list_md5"),
                                                              self.list_md5))
        params = record.get("params") or {}
        if params.get("shuffle"):
            raise DeriveError("%s was written shuffled: its keys do not follow %s, so datums "
                              "cannot be looked up by line; rebuild it unshuffled"
                              % (self.db_path, self.list_path))
        self.record = record
        self.params = params
        # The warp tool keeps --skip-bad out of params (a run stopped by a bad
        # image may resume with it); what it skipped is in its summary.
        self.skip_bad = bool((record.get("summary") or {}).get("skipped"))
        self.index = {}
        for e in listfile.read(self.list_path):
            self.index[e.path] = (e.line - 1, e.label)

    def inputs(self):
        """What of the source decides a derived DB's bytes."""
        return dict(name=self.name, list_md5=self.list_md5, params=self.params,
                    count=self.record.get("count"))

    def bytes_per_datum(self):
        size = os.path.getsize(os.path.join(self.db_path, "data.mdb"))
        return size / float(max(1, self.record.get("count") or 1))


def _plan(data_dir, name, source):
    """[(derived line index, path, new label, whole key)] of a derived list,
    checked against the whole list and idxmap."""
    d = _datasets_dir(data_dir, name)
    list_path = os.path.join(d, "files.txt")
    idxmap_path = os.path.join(d, "idxmap.txt")
    idxmap = splits.read_idxmap(idxmap_path) if os.path.isfile(idxmap_path) else None
    plan = []
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
        plan.append((e.line - 1, e.path, e.label, lmdb_io.make_key(whole_index, e.path)))
    return list_path, plan


def derive_dataset(data_dir, name, source=None, progress=True, log=None, batch=1000,
                   mean=True):
    """Build <data_dir>/<name>/lmdb (and mean.binaryproto for training sets).
    Returns a summary dict; a finished DB with the same inputs is left as is."""
    log = log or (lambda msg: print(msg, file=sys.stderr))
    source = source or Source(data_dir, source_name(name))
    list_path, plan = _plan(data_dir, name, source)
    db_path = os.path.join(_datasets_dir(data_dir, name), "lmdb")
    params = dict(format=FORMAT, source=source.inputs())
    list_md5 = lmdb_io.file_md5(list_path)

    writer = lmdb_io.ResumableWriter(db_path, params, list_md5, batch=batch)
    if writer.complete:
        writer.close()
        log("%s is already finished (%d datums, same list and source): nothing to do"
            % (db_path, writer.count))
        summary = dict((lmdb_io.read_record(db_path) or {}).get("summary", {}), already_done=True)
    else:
        summary = _copy(source, plan, writer, db_path, progress, log)
    if mean and name.endswith("_train"):
        _mean(db_path, os.path.join(_datasets_dir(data_dir, name), "mean.binaryproto"), log,
              progress)
    return summary


def _copy(source, plan, writer, db_path, progress, log):
    start = time.time()
    done = lmdb_io.key_index(writer.last_key) if writer.last_key is not None else -1
    if done >= 0:
        log("resuming %s after key %s (%d datums already written)"
            % (db_path, writer.last_key.decode("utf-8", "replace"), writer.count))
    todo = [p for p in plan if p[0] > done]
    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(total=len(plan), initial=len(plan) - len(todo), unit="datum",
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
            summary = dict(written=writer.count, skipped=len(skipped), lines=len(plan),
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
    from transfer_study import mean as mean_mod
    record = os.path.join(db_path, lmdb_io.COMPLETE)
    if os.path.isfile(mean_path) and os.path.getmtime(mean_path) >= os.path.getmtime(record):
        log("%s is up to date: nothing to do" % mean_path)
        return
    m, count = mean_mod.compute_mean(db_path, progress=progress)
    mean_mod.write_binaryproto(m, mean_path)
    log("%s: mean of %d datums" % (mean_path, count))


# ---------------------------------------------------------------- many datasets

def disk_plan(data_dir, names, sources):
    """[(name, datums, estimated bytes, state)] and the free bytes on data_dir."""
    rows = []
    for name in names:
        db = os.path.join(_datasets_dir(data_dir, name), "lmdb")
        src = sources[source_name(name)]
        with open(os.path.join(_datasets_dir(data_dir, name), "files.txt"), "rb") as f:
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
        if not os.path.isfile(os.path.join(_datasets_dir(data_dir, n), "files.txt")):
            raise DeriveError("%s has no files.txt: run make splits first"
                              % _datasets_dir(data_dir, n))
    sources = {}
    for n in names:
        s = source_name(n)
        if s not in sources:
            sources[s] = Source(data_dir, s)
    rows, free = disk_plan(data_dir, names, sources)
    need = sum(r[2] for r in rows)
    print("%-22s %9s %12s  %s" % ("dataset", "datums", "disk (est.)", "state"), file=out)
    for name, lines, size, state in rows:
        print("%-22s %9d %12s  %s" % (name, lines, _gb(size), state), file=out)
    print("to write: %s; free on %s: %s" % (_gb(need), data_dir, _gb(free)), file=out)
    if check_space and need > free:
        raise DeriveError("not enough disk space on %s (need ~%s, free %s): free some, or "
                          "point DATA at a bigger disk" % (data_dir, _gb(need), _gb(free)))
    results = []
    for name in names:
        results.append((name, derive_dataset(data_dir, name, sources[source_name(name)],
                                             progress=progress, mean=mean)))
    return results
