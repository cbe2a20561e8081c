"""A parallel, resumable convert_imageset: images -> warped Caffe Datum LMDB.

What each image becomes is exactly what Caffe 1.0's convert_imageset writes
(tools/convert_imageset.cpp, src/caffe/util/io.cpp):

  * ReadImageToCVMat: cv::imread(path, IMREAD_COLOR) (IMREAD_GRAYSCALE with
    --gray), then, when BOTH resize sizes are > 0, cv::resize to (width,
    height) with the default INTER_LINEAR.  Aspect ratio is ignored (a warp).
    Grayscale and CMYK JPEGs and PNGs named .JPEG come out as 3-channel BGR
    exactly as OpenCV makes them, since we call the same libopencv.
  * CVMatToDatum: channels, height, width, data = CHW BGR uint8, label,
    encoded=false; with --encoded the re-encoded image (cv::imencode) as data,
    label, encoded=true (or the file's own bytes when nothing is resized and
    its extension matches the encoding, as ReadImageToDatum does).
  * key = '%08d_%s' % (line_id, path), line_id the 0-based position in the
    (possibly shuffled) list, counting the images that were skipped.  With
    --shuffle, convert_imageset shuffles the vector of lines, then numbers
    them in the new order; so do we, the permutation being
    write_order(n, True, seed) (random.Random(seed).shuffle of range(n)), the
    seed (DEFAULT_SEED = 1701 unless given) recorded in the DB's params, so
    derive.py can recompute every key.  Caffe's Data layer reads in key
    order and never shuffles: training DBs are written with --shuffle
    (make data's whole_train, derive.py's *_train sets), validation DBs in
    list order.
  * serialized as protobuf does for Datum: set fields in field-number order.

Then what convert_imageset does not do: all cores (worker processes decode
and resize and serialize each Datum straight into a shared-memory slot; the
parent puts them into the LMDB in list order, with a bounded number in
flight; workers die with the parent), resumable after kill -9
(lmdb_io.ResumableWriter: a rerun continues after the last committed key),
every bad line and file reported with file:line (all that can be found
without decoding before anything is written; images that do not decode
after one full pass), --shuffle with a recorded seed, and a DB that is
marked finished only when it is.  Unlike convert_imageset, an image that
does not decode stops the run (the DB keeps the images before it, unfinished)
unless --skip-bad, which skips and reports it exactly where convert_imageset
would silently drop it (same keys, same values).

    from transfer_study.data import warp
    summary = warp.convert(root, list_path, db_path, resize_height=256,
                           resize_width=256)          # see convert() for options
    img = warp.read_image(path, 256, 256)             # HxWx3 BGR uint8 or None
    value = datum.encode(img, label)                  # serialized Datum (datum.py)
"""
import collections
import multiprocessing
import os
import random
import sys
import time

import cv2

from transfer_study import files
from transfer_study.data import datum, listfile, lmdb_io

DEFAULT_SEED = 1701   # --shuffle's default (make data's whole_train); recorded in the DB's record
IN_FLIGHT_PER_WORKER = 16   # chunks queued or waiting per worker (bounds memory)
MAX_KEY = 511               # LMDB's default maximum key size (bytes)


class WarpError(ValueError):
    """Bad input or options for the converter; the message names file:line."""


# -- one image ---------------------------------------------------------------
def read_image(path, height=0, width=0, is_color=True):
    """Caffe's ReadImageToCVMat: the decoded (and warped) image, or None."""
    img = cv2.imread(path, cv2.IMREAD_COLOR if is_color else cv2.IMREAD_GRAYSCALE)
    if img is None:
        return None
    if height > 0 and width > 0:
        img = cv2.resize(img, (width, height))
    return img


def _match_ext(fn, enc):
    # Caffe's matchExt
    p = fn.rfind(".")
    ext = fn[p + 1:].lower() if p >= 0 else fn.lower()
    enc = enc.lower()
    return ext == enc or (enc == "jpg" and ext == "jpeg")


def image_value(full, path, label, opts):
    """The DB value for one image (ReadImageToDatum), or None when it cannot be decoded."""
    try:
        return _image_value(full, path, label, opts)
    except cv2.error:   # e.g. a size OpenCV refuses; convert_imageset would abort
        return None


def _image_value(full, path, label, opts):
    img = read_image(full, opts["resize_height"], opts["resize_width"], not opts["gray"])
    if img is None:
        return None
    if opts["encoded"]:
        enc = opts["encode_type"] or path[path.rfind(".") + 1:].lower()
        if not opts["resize_height"] and not opts["resize_width"] and _match_ext(path, enc):
            with open(full, "rb") as f:
                return datum.encode_image_file(f.read(), label)
        ok, buf = cv2.imencode("." + enc, img)
        if not ok:
            return None
        return datum.encode_image_file(buf.tobytes(), label)
    return datum.encode(img, label)


# -- workers -----------------------------------------------------------------
_OPTS = None


def _die_with_parent():
    """Workers must not outlive a parent killed with -9 (they would wait forever)."""
    try:
        import ctypes
        import signal
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL))   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _init_worker(opts, in_child=True):
    global _OPTS
    _OPTS = opts
    cv2.setNumThreads(1)   # one process per core already
    if in_child:
        _die_with_parent()


# Raw warped datums travel from the workers through shared memory (a ring
# of fixed-size slots mapped before the fork), not through pickles and pipes:
# on 2 cores those extra copies alone cost a tenth of the throughput.
_RING = None


class SlotRing(object):
    def __init__(self, nslots, slot_size):
        import mmap
        self.nslots, self.slot_size = nslots, slot_size
        self.buf = mmap.mmap(-1, nslots * slot_size)   # anonymous, MAP_SHARED
        self.view = memoryview(self.buf)

    def value(self, slot, length):
        off = slot * self.slot_size
        return self.view[off:off + length]


def _work(chunk):
    """chunk: [(pos, full, path, label, slot)] -> [(pos, value)]: value is the
    serialized Datum (bytes), None when the image does not decode, or the
    (slot, length) of the Datum the worker wrote into its ring slot."""
    out = []
    for pos, full, path, label, slot in chunk:
        if slot is None or _RING is None:
            out.append((pos, image_value(full, path, label, _OPTS)))
            continue
        img = read_image(full, _OPTS["resize_height"], _OPTS["resize_width"],
                         not _OPTS["gray"])
        if img is None:
            out.append((pos, None))
        elif datum.encoded_size(img.shape, label) > _RING.slot_size:
            out.append((pos, datum.encode(img, label)))
        else:
            out.append((pos, (slot, datum.encode_into(_RING.buf, slot * _RING.slot_size, img,
                                                      label))))
    return out


def start_pool(workers, opts, ring=None):
    """Worker processes for ordered_map (None when workers == 0: work in-process)."""
    global _RING
    _RING = ring
    if workers == 0:
        _init_worker(opts, in_child=False)
        return None
    return multiprocessing.Pool(workers, initializer=_init_worker, initargs=(opts,))


def ordered_map(pool, chunks, max_in_flight):
    """Yield _work(chunk) results in chunk order, with at most max_in_flight
    chunks queued or done-but-unconsumed at once (bounded memory).  The next
    chunk is submitted only once the consumer is done with a result, so chunk
    k + max_in_flight may reuse chunk k's ring slots."""
    if pool is None:
        for chunk in chunks:
            yield _work(chunk)
        return
    pending = collections.deque()
    it = iter(chunks)
    for chunk in it:
        pending.append(pool.apply_async(_work, (chunk,)))
        if len(pending) >= max_in_flight:
            break
    while pending:
        yield pending.popleft().get()
        for chunk in it:
            pending.append(pool.apply_async(_work, (chunk,)))
            break


def _chunks(items, size, slots=False, max_in_flight=1):
    """Chunks of `size` tasks; with slots, chunk k's tasks get ring slots of
    block k mod max_in_flight (ordered_map keeps fewer blocks in use)."""
    for k, i in enumerate(range(0, len(items), size)):
        chunk = items[i:i + size]
        if slots:
            base = (k % max_in_flight) * size
            chunk = [t[:4] + (base + j,) for j, t in enumerate(chunk)]
        yield chunk


# -- the conversion ----------------------------------------------------------
def write_order(n, shuffle, seed):
    """Positions of the list's lines in writing order (Caffe shuffles the
    vector of lines itself; so do we, with a seed we record)."""
    order = list(range(n))
    if shuffle:
        random.Random(seed).shuffle(order)
    return order


def _progress(total, initial, desc):
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, initial=initial, desc=desc, unit="img", file=sys.stderr,
                dynamic_ncols=True, smoothing=0.05, mininterval=0.5)


SHOW_PROBLEMS = 200   # more than this go to DB_NAME.problems.txt, all of them


def report_path(db_path):
    return db_path.rstrip("/") + ".skipped.txt"


def problems_path(db_path):
    return db_path.rstrip("/") + ".problems.txt"


def convert(root, list_path, db_path, resize_height=0, resize_width=0, gray=False,
            shuffle=False, seed=DEFAULT_SEED, encoded=False, encode_type="",
            check_size=False, skip_bad=False, num_classes=None, workers=None,
            batch=1000, chunk=8, progress=True, log=None):
    """Build db_path from the images of list_path under root; see the module docstring.

    Returns a summary dict (written, skipped, seconds, images/s); when the DB
    is already finished with the same inputs it returns its record's summary
    without touching it.  Raises WarpError / listfile.ListFileError /
    lmdb_io.LmdbError for bad input; the DB is then never marked finished."""
    log = log or (lambda msg: print(msg, file=sys.stderr))
    if workers is None:
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
            else multiprocessing.cpu_count()
    if encode_type and not encoded:
        log("encode_type specified, assuming encoded=true.")
        encoded = True
    opts = dict(resize_height=max(0, int(resize_height)), resize_width=max(0, int(resize_width)),
                gray=bool(gray), encoded=bool(encoded), encode_type=encode_type or "")
    # skip_bad is not a param: it decides what is left out, never the bytes
    # written, so a run stopped on a bad image may be resumed with --skip-bad.
    params = dict(opts, shuffle=bool(shuffle), seed=seed if shuffle else None,
                  check_size=bool(check_size), num_classes=num_classes)
    job = _Job(root, list_path, db_path, opts, params, skip_bad, check_size, batch, log)
    done = job.finished_before()
    if done is not None:
        return done
    job.check_list(num_classes)                                  # 1. before anything is written
    job.order = write_order(len(job.entries), shuffle, seed)
    start_time = time.time()
    todo, decode_bad = job.todo()                                # 2. after the last committed key
    count, failed, stop_at = job.write(todo, decode_bad, workers, chunk, progress)   # 3.
    if stop_at is not None:
        job.refuse_undecodable(failed, stop_at, count)
    return job.finish(todo, decode_bad, time.time() - start_time)


class _Job(object):
    """One conversion's inputs and the steps of convert()."""

    def __init__(self, root, list_path, db_path, opts, params, skip_bad, check_size, batch, log):
        self.root, self.list_path, self.db_path = root, list_path, db_path
        self.opts, self.params = opts, params
        self.skip_bad, self.check_size, self.batch, self.log = skip_bad, check_size, batch, log
        # The list's md5 names the images (root may move); params decide the bytes.
        self.list_md5 = files.file_md5(list_path) if os.path.isfile(list_path) else None
        self.journal = os.path.join(db_path, "skipped_decode.txt")
        self.entries, self.bad_lines, self.order = [], {}, []

    def writer(self):
        return lmdb_io.ResumableWriter(self.db_path, self.params, self.list_md5, batch=self.batch)

    def finished_before(self):
        """The record's summary of a DB finished with the same inputs, else None
        (LmdbError when it was finished from others)."""
        if self.list_md5 is None or not lmdb_io.is_complete(self.db_path):
            return None
        self.writer().close()
        rec = lmdb_io.read_record(self.db_path)
        self.log("%s is already finished (%d images, same list and options): nothing to do"
                 % (self.db_path, rec["count"]))
        return dict(rec.get("summary", {}), already_done=True)

    def check_list(self, num_classes):
        """Every problem visible without decoding: refused, or with skip_bad noted
        in self.bad_lines {line: message}."""
        root, list_path, db_path = self.root, self.list_path, self.db_path
        if not os.path.isdir(root):
            raise WarpError("ROOTFOLDER %s is not a directory" % root)
        entries, problems = listfile.parse(list_path, num_classes)
        problems = problems + listfile.check_files(entries, root)
        for e in entries:
            if e.problem is None and len(lmdb_io.make_key(len(entries), e.path)) > MAX_KEY:
                problems.append((e.line, "path too long for an LMDB key (%d bytes at most)"
                                 % (MAX_KEY - 9)))
        if self.opts["encoded"] and not self.opts["encode_type"]:
            for e in entries:
                if e.problem is None and "." not in os.path.basename(e.path):
                    problems.append((e.line, "cannot guess the encoding of %r (no extension): "
                                             "pass --encode_type" % e.path))
        problems.sort()
        for line, msg in problems:
            self.bad_lines.setdefault(line, msg)
        if problems and not self.skip_bad:
            full = ""
            if len(problems) > SHOW_PROBLEMS:
                full = problems_path(db_path)
                _write_report(full, list_path, problems, "with problems")
                full = " (all of them are in %s)" % full
            raise WarpError("%d problem(s) in %s (root %s); nothing was written. Fix them, or "
                            "pass --skip-bad to skip those lines (they get listed in %s)%s:\n%s"
                            % (len(problems), list_path, root, report_path(db_path), full,
                               listfile.format_problems(list_path, problems, SHOW_PROBLEMS)))
        if not entries:
            raise WarpError("%s: the list is empty" % list_path)
        self.entries = entries

    def todo(self):
        """([(position, full path, path, label, slot)] still to write after the last
        committed key of an unfinished DB, {line: message} of images known not to
        decode)."""
        writer = self.writer()
        done_pos = lmdb_io.key_index(writer.last_key) if writer.last_key is not None else -1
        if done_pos >= 0:
            self.log("resuming %s after key %s (%d images already written)"
                     % (self.db_path, writer.last_key.decode("utf-8", "replace"), writer.count))
        writer.close()   # reopened after the workers are forked (no LMDB env across fork)
        todo = []
        for k in range(done_pos + 1, len(self.order)):
            e = self.entries[self.order[k]]
            if e.line not in self.bad_lines:
                todo.append((k, os.path.join(self.root, e.path), e.path, e.label, None))
        return todo, _read_journal(self.journal)

    def ring(self, workers, chunk, max_in_flight):
        """Shared-memory slots for the workers' raw datums, or None."""
        o = self.opts
        if workers > 0 and o["resize_height"] and o["resize_width"] and not o["encoded"] \
                and multiprocessing.get_start_method() == "fork":
            shape = (o["resize_height"], o["resize_width"], 1 if o["gray"] else 3)
            return SlotRing(max_in_flight * chunk, datum.encoded_size(shape, 2 ** 31 - 1))
        return None

    def write(self, todo, decode_bad, workers, chunk, progress):
        """Decode and warp in the workers, write here in list order.  Returns (images
        in the DB, [(line, message)] of images that did not decode, position of the
        first of them when it stopped the run (without skip_bad) or None)."""
        max_in_flight = IN_FLIGHT_PER_WORKER * max(1, workers)
        ring = self.ring(workers, chunk, max_in_flight)
        pool = start_pool(workers, self.opts, ring)
        writer = jf = bar = None
        failed = []        # (line, message) of images that did not decode
        stop_at = None     # without --skip-bad: the first failure; nothing from it on is written
        try:
            writer = self.writer()
            if progress:
                bar = _progress(len(self.order), len(self.order) - len(todo),
                                os.path.basename(self.db_path.rstrip("/")))
            jf = open(self.journal, "a") if self.skip_bad else None
            data_size = []
            for res in ordered_map(pool, _chunks(todo, chunk, ring is not None, max_in_flight),
                                   max_in_flight):
                for pos, value in res:
                    if isinstance(value, tuple):
                        value = ring.value(*value)
                    e = self.entries[self.order[pos]]
                    if value is None:
                        msg = "cannot decode %s (corrupt or not an image)" \
                            % os.path.join(self.root, e.path)
                        failed.append((e.line, msg))
                        if self.skip_bad:
                            if e.line not in decode_bad:
                                decode_bad[e.line] = msg
                                jf.write("%d\t%s\n" % (e.line, msg))
                                jf.flush()
                        elif stop_at is None:
                            stop_at = pos
                            writer.commit()
                        continue
                    if stop_at is not None:
                        continue   # only decoding the rest, to report every bad file at once
                    if self.check_size:
                        self.same_size(value, e, data_size)
                    writer.put(lmdb_io.make_key(pos, e.path), value)
                if bar is not None:
                    bar.update(len(res))
            if pool is not None:
                pool.close()
        finally:
            if bar is not None:
                bar.close()
            if jf is not None:
                jf.close()
            if pool is not None:
                pool.terminate()
                pool.join()
            if writer is not None:
                writer.close()   # commits what was put, never marks finished
        return writer.count, failed, stop_at

    def same_size(self, value, e, data_size):
        """--check_size: every datum's data as long as the first's (data_size: [it])."""
        size = datum.fields(value)[3]
        if not data_size:
            data_size.append(size)
        elif size != data_size[0]:
            raise WarpError("%s:%d: %s has data size %d, not %d (--check_size); "
                            "the DB is not finished"
                            % (self.list_path, e.line, e.path, size, data_size[0]))

    def refuse_undecodable(self, failed, stop_at, count):
        failed.sort()
        if len(failed) > SHOW_PROBLEMS:
            _write_report(problems_path(self.db_path), self.list_path, failed,
                          "that do not decode")
            self.log("all %d are listed in %s" % (len(failed), problems_path(self.db_path)))
        raise WarpError(
            "%d image(s) in %s could not be decoded; the DB %s is NOT finished (the %d "
            "images before line %d are kept and a rerun resumes there once the files are "
            "fixed). Fix or remove them, or rerun with --skip-bad:\n%s"
            % (len(failed), self.list_path, self.db_path, count,
               self.entries[self.order[stop_at]].line,
               listfile.format_problems(self.list_path, failed)))

    def finish(self, todo, decode_bad, seconds):
        """Mark the DB finished with its summary (and the skip report); return the summary."""
        skipped = sorted(set(self.bad_lines.items()) | set(decode_bad.items()))
        writer = self.writer()
        summary = dict(written=writer.count, skipped=len(skipped), lines=len(self.entries),
                       skip_bad=bool(self.skip_bad),
                       seconds=round(seconds, 3),
                       images_per_second=round(len(todo) / seconds, 1) if seconds > 0 else None)
        if self.skip_bad:
            _write_report(report_path(self.db_path), self.list_path, skipped)
            if skipped:
                self.log("skipped %d bad line(s): listed in %s"
                         % (len(skipped), report_path(self.db_path)))
        writer.finish(summary)
        self.log("%s: %d images written (%d skipped) in %.1f s"
                 % (self.db_path, summary["written"], summary["skipped"], seconds))
        return summary


def _read_journal(path):
    out = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                parts = line.rstrip("\n").split("\t", 1)
                if len(parts) == 2 and parts[0].isdigit():
                    out.setdefault(int(parts[0]), parts[1])
    return out


def _write_report(path, list_path, skipped, what="skipped by --skip-bad"):
    files.write_atomic(path, "# lines of %s %s (%d)\n" % (list_path, what, len(skipped))
                       + "".join("%s:%d: %s\n" % (list_path, line, msg) for line, msg in skipped))
