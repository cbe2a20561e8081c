"""Check a Datum LMDB against its list: counts, label histogram, shapes, keys,
and a few datums re-made from their source images.

    from transfer_study.data import verify
    report = verify.verify_db(db, list_path=None, root=None, samples=5)
    report.ok, report.errors (list of str), report.lines() (printable)

Every datum's header and label are read straight from the memory map (the
pixel bytes are never touched), so a pass over ImageNet costs little I/O.
With the list, entry i must be key '%08d_path' of the list's line at that
position (the DB's recorded shuffle seed is honoured) with that line's label,
and every line missing from the DB must be one the DB's record says was
skipped.  With ROOT as well, `samples` datums are rebuilt from their images
(warp.image_value with the DB's recorded options) and must match byte for byte.
"""
import collections

from transfer_study import files
from transfer_study.data import datum, listfile, lmdb_io


class Report(object):
    def __init__(self):
        self.errors = []
        self.info = []

    @property
    def ok(self):
        return not self.errors

    def error(self, msg):
        self.errors.append(msg)

    def lines(self):
        return self.info + ["ERROR: " + e for e in self.errors] + \
            ["OK" if self.ok else "FAILED: %d problem(s)" % len(self.errors)]


def verify_db(db, list_path=None, root=None, samples=5, max_errors=50):
    rep = Report()
    record = lmdb_io.read_record(db)
    inputs = lmdb_io.read_inputs(db)
    if inputs is not None and record is None:
        rep.error("%s is not finished (no complete.json)" % db)
    env = lmdb_io.open_readonly(db)
    keys = []
    labels = collections.Counter()
    shapes = collections.Counter()
    bad = 0
    with env.begin(buffers=True) as txn:
        for k, v in txn.cursor():
            key = bytes(k)
            try:
                c, h, w, n, label, enc = datum.fields(v)
            except (ValueError, IndexError):
                bad += 1
                if bad <= max_errors:
                    rep.error("value of %s is not a Datum" % key[:80])
                continue
            keys.append(key)
            labels[label] += 1
            shapes["encoded" if enc else "%dx%dx%d" % (c, h, w)] += 1
            if not enc and n != c * h * w:
                rep.error("%s: data has %d bytes, not %d" % (key[:80], n, c * h * w))
    env.close()
    rep.info.append("%s: %d datums" % (db, len(keys)))
    if record is not None and record.get("count") != len(keys) + bad:
        rep.error("complete.json says %s datums, the DB holds %d" % (record.get("count"),
                                                                     len(keys) + bad))
    rep.info.append("shapes: " + ", ".join("%s x%d" % kv for kv in sorted(shapes.items())))
    if len(shapes) > 1:
        rep.error("datums of %d different shapes" % len(shapes))
    if labels:
        counts = sorted(labels.values())
        rep.info.append("labels: %d classes (%d..%d), %d..%d images per class, median %d"
                        % (len(labels), min(labels), max(labels), counts[0], counts[-1],
                           counts[len(counts) // 2]))
    if list_path is not None:
        _check_against_list(rep, db, keys, list_path, record or inputs or {}, max_errors)
        if root is not None and samples and keys and (record or inputs):
            _check_samples(rep, db, keys, list_path, root, (record or inputs)["params"], samples)
    return rep


def _check_against_list(rep, db, keys, list_path, record, max_errors):
    from transfer_study.data import warp
    entries, problems = listfile.parse(list_path)
    params = record.get("params", {})
    if params.get("shuffle"):
        order = warp.write_order(len(entries), True, params.get("seed"))
    else:
        order = list(range(len(entries)))
    if record.get("list_md5") and record["list_md5"] != files.file_md5(list_path):
        rep.error("%s was built from another list (md5 %s, %s has %s)"
                  % (db, record["list_md5"], list_path, files.file_md5(list_path)))
    # labels need the values again: read just those of the keys (cheap, mmap)
    env = lmdb_io.open_readonly(db)
    seen = set()
    n_err = 0
    with env.begin(buffers=True) as txn:
        for key in keys:
            try:
                pos = lmdb_io.key_index(key)
            except lmdb_io.LmdbError as e:
                rep.error(str(e))
                continue
            if pos >= len(order):
                rep.error("key %s: index beyond the list's %d lines" % (key[:80], len(order)))
                continue
            e = entries[order[pos]]
            label = datum.fields(txn.get(key))[4]
            if e.path is None or lmdb_io.make_key(pos, e.path) != key or label != e.label:
                n_err += 1
                if n_err <= max_errors:
                    rep.error("key %s (label %d) does not match %s:%d (%r %s)"
                              % (key.decode("utf-8", "replace")[:80], label, list_path,
                                 e.line, e.path, e.label))
            seen.add(pos)
    env.close()
    missing = [entries[order[p]].line for p in range(len(order)) if p not in seen]
    skipped = (record.get("summary") or {}).get("skipped", 0)
    rep.info.append("list %s: %d lines, %d in the DB, %d not (recorded as skipped: %d)"
                    % (list_path, len(entries), len(seen), len(missing), skipped))
    if len(missing) != skipped:
        rep.error("%d list lines are not in the DB, e.g. %s" % (
            len(missing), ", ".join("%s:%d" % (list_path, l) for l in sorted(missing)[:10])))


def _check_samples(rep, db, keys, list_path, root, params, samples):
    from transfer_study.data import imagesource, warp
    source = imagesource.open_source(root)   # a directory or an archive index
    entries, _ = listfile.parse(list_path)
    order = warp.write_order(len(entries), params.get("shuffle"), params.get("seed"))
    picks = sorted(set(keys[int(i * (len(keys) - 1) / max(1, samples - 1))]
                       for i in range(samples)))
    opts = dict(resize_height=params.get("resize_height", 0),
                resize_width=params.get("resize_width", 0), gray=params.get("gray", False),
                encoded=params.get("encoded", False), encode_type=params.get("encode_type", ""))
    env = lmdb_io.open_readonly(db)
    with env.begin() as txn:
        for key in picks:
            e = entries[order[lmdb_io.key_index(key)]]
            want = warp.image_value(source.ref(e.path), e.path, e.label, opts, source)
            if want != txn.get(key):
                rep.error("datum %s differs from its image re-decoded now"
                          % key.decode("utf-8", "replace")[:80])
    env.close()
    rep.info.append("%d sample datum(s) re-made from their images: %s"
                    % (len(picks), "all identical" if rep.ok else "see errors"))
