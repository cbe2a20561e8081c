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
import multiprocessing
import os
import random
import sys
import time

import cv2

from transfer_study import files
from transfer_study.data import datum, dblock, diskspace, imagesource, listfile, lmdb_io
from transfer_study.data import pool as workpool

DEFAULT_SEED = 1701   # --shuffle's default (make data's whole_train); recorded in the DB's record
IN_FLIGHT_PER_WORKER = 16   # chunks queued or waiting per worker (bounds memory)
MAX_KEY = 511               # LMDB's default maximum key size (bytes)


class WarpError(ValueError):
    """Bad input or options for the converter; the message names file:line."""


# -- one image ---------------------------------------------------------------
def read_image(path, height=0, width=0, is_color=True):
    """Caffe's ReadImageToCVMat: the decoded (and warped) image, or None."""
    try:
        with open(path, "rb") as f:
            return warp_image(f.read(), height, width, is_color)[0]
    except (OSError, imagesource.ImageError):
        return None


def warp_image(data, height=0, width=0, is_color=True):
    """(image, decoder warning or None) of an image file's bytes, as
    ReadImageToCVMat makes it (imagesource.decode, then cv::resize).
    imagesource.ImageError when it cannot be decoded."""
    img, warning = imagesource.decode(data, is_color)
    if height > 0 and width > 0:
        try:
            img = cv2.resize(img, (width, height))
        except cv2.error as e:
            raise imagesource.ImageError("OpenCV cannot resize it: %s"
                                         % str(e).strip().splitlines()[-1])
    return img, warning


def _match_ext(fn, enc):
    # Caffe's matchExt
    p = fn.rfind(".")
    ext = fn[p + 1:].lower() if p >= 0 else fn.lower()
    enc = enc.lower()
    return ext == enc or (enc == "jpg" and ext == "jpeg")


def image_value(full, path, label, opts, source):
    """The DB value for one image (ReadImageToDatum), or None when it cannot be
    decoded.  full: source.ref(path) of an imagesource."""
    try:
        data = source.read(full)
        return _image_value(data, path, label, opts)[0]
    except (OSError, imagesource.ImageError):
        return None


def _image_value(data, path, label, opts, ring_slot=None):
    """(value, warning) of one image's bytes; value is (slot, length) when it was
    written into ring_slot.  imagesource.ImageError when it cannot be made."""
    img, warning = warp_image(data, opts["resize_height"], opts["resize_width"],
                              not opts["gray"])
    if opts["encoded"]:
        enc = opts["encode_type"] or path[path.rfind(".") + 1:].lower()
        if not opts["resize_height"] and not opts["resize_width"] and _match_ext(path, enc):
            return datum.encode_image_file(bytes(data), label), warning
        try:
            ok, buf = cv2.imencode("." + enc, img)
        except cv2.error as e:
            raise imagesource.ImageError("OpenCV cannot encode it as %s: %s"
                                         % (enc, str(e).strip().splitlines()[-1]))
        if not ok:
            raise imagesource.ImageError("OpenCV cannot encode it as %s" % enc)
        return datum.encode_image_file(buf.tobytes(), label), warning
    if ring_slot is not None and datum.encoded_size(img.shape, label) <= _RING.slot_size:
        off = ring_slot * _RING.slot_size
        return (ring_slot, datum.encode_into(_RING.buf, off, img, label)), warning
    return datum.encode(img, label), warning


# -- workers -----------------------------------------------------------------
_OPTS = None
_SOURCE = None


def _init_worker(opts, source=None, in_child=True):
    global _OPTS, _SOURCE
    _OPTS, _SOURCE = opts, source
    cv2.setNumThreads(1)   # one process per core already
    if in_child:
        workpool.die_with_parent()


# Raw warped datums travel from the workers through shared memory (a ring
# of fixed-size slots mapped before the fork), not through pickles and pipes:
# on 2 cores those extra copies alone cost a tenth of the throughput.
_RING = None


def _work(chunk):
    """chunk: [(pos, ref, path, label, slot)] -> [(pos, value, warning)]: value is
    the serialized Datum (bytes), the (slot, length) of the Datum the worker
    wrote into its ring slot, or the error message (str) when the image cannot
    be read or decoded; warning is what the decoder said, or None.  Whatever
    goes wrong with one image is that image's error, never the run's."""
    out = []
    for pos, ref, path, label, slot in chunk:
        try:
            data = _SOURCE.read(ref)
            value, warning = _image_value(data, path, label, _OPTS,
                                          slot if _RING is not None else None)
        except (imagesource.ImageError, OSError) as e:
            value, warning = "cannot decode %s: %s" % (_SOURCE.describe(ref), e), None
        except MemoryError:
            value, warning = "cannot decode %s: out of memory" % _SOURCE.describe(ref), None
        out.append((pos, value, warning))
    return out


def start_pool(workers, opts, source, ring=None):
    """Worker processes for ordered_map (None when workers == 0: work in-process)."""
    global _RING
    _RING = ring
    if workers == 0:
        _init_worker(opts, source, in_child=False)
        return None
    return multiprocessing.Pool(workers, initializer=_init_worker, initargs=(opts, source))


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
    # no monitor thread: it could print while file descriptor 2 is being
    # read for an image's decoder warnings (imagesource.decode)
    tqdm.monitor_interval = 0
    return tqdm(total=total, initial=initial, desc=desc, unit="img", file=sys.stderr,
                dynamic_ncols=True, smoothing=0.05, mininterval=0.5)


SHOW_PROBLEMS = 200   # more than this go to DB_NAME.problems.txt, all of them


def report_path(db_path):
    return db_path.rstrip("/") + ".skipped.txt"


def warnings_path(db_path):
    return db_path.rstrip("/") + ".warnings.txt"


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
    with dblock.hold(db_path):   # one writer per DB (LockError names the holder)
        return _convert(job, num_classes, shuffle, seed, workers, chunk, progress)


def _convert(job, num_classes, shuffle, seed, workers, chunk, progress):
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
        self.warn_journal = os.path.join(db_path, "decode_warnings.txt")
        self.warned = {}
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
        try:
            self.source = imagesource.open_source(root)
        except (imagesource.ImageError, OSError) as e:
            raise WarpError(str(e))
        entries, problems = listfile.parse(list_path, num_classes)
        problems = problems + self.source.check(entries)
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
                            "pass --skip-bad (make: SKIP_BAD=1) to skip those lines (they get listed in "
                            "%s)%s:\n%s"
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
                todo.append((k, self.source.ref(e.path), e.path, e.label, None))
        self.warned = _read_journal(self.warn_journal)
        return todo, _read_journal(self.journal)

    def ring(self, workers, chunk, max_in_flight):
        """Shared-memory slots for the workers' raw datums, or None."""
        o = self.opts
        if workers > 0 and o["resize_height"] and o["resize_width"] and not o["encoded"] \
                and multiprocessing.get_start_method() == "fork":
            shape = (o["resize_height"], o["resize_width"], 1 if o["gray"] else 3)
            return workpool.SlotRing(max_in_flight * chunk, datum.encoded_size(shape, 2 ** 31 - 1))
        return None

    def write(self, todo, decode_bad, workers, chunk, progress):
        """Decode and warp in the workers, write here in list order.  Returns (images
        in the DB, [(line, message)] of images that did not decode, position of the
        first of them when it stopped the run (without skip_bad) or None)."""
        max_in_flight = IN_FLIGHT_PER_WORKER * max(1, workers)
        ring = self.ring(workers, chunk, max_in_flight)
        pool = start_pool(workers, self.opts, self.source, ring)
        writer = jf = wf = bar = None
        failed = []        # (line, message) of images that did not decode
        stop_at = None     # without --skip-bad: the first failure; nothing from it on is written
        try:
            writer = self.writer()
            o = self.opts
            if o["resize_height"] and o["resize_width"] and not o["encoded"]:
                # diskspace's estimate, the one make data's up-front check used
                writer.expect(len(todo), diskspace.on_disk(datum.encoded_size(
                    (o["resize_height"], o["resize_width"], 1 if o["gray"] else 3))))
            if progress:
                bar = _progress(len(self.order), len(self.order) - len(todo),
                                os.path.basename(self.db_path.rstrip("/")))
            jf = open(self.journal, "a") if self.skip_bad else None
            wf = open(self.warn_journal, "a")
            data_size = []
            chunks = workpool.chunks(todo, chunk, ring is not None, max_in_flight)
            for res in workpool.ordered_map(pool, _work, chunks, max_in_flight):
                for pos, value, warning in res:
                    if isinstance(value, tuple):
                        value = ring.value(*value)
                    e = self.entries[self.order[pos]]
                    if warning is not None and e.line not in self.warned:
                        self.warned[e.line] = "%s: %s" % (e.path, warning)
                        wf.write("%d\t%s\n" % (e.line, self.warned[e.line]))
                        wf.flush()
                    if isinstance(value, str):
                        msg = value
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
            if wf is not None:
                wf.close()
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
            "fixed). Fix or remove them, or rerun with --skip-bad (make: SKIP_BAD=1):\n%s"
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
        warned = sorted(self.warned.items())
        summary["warnings"] = len(warned)
        if warned or os.path.exists(warnings_path(self.db_path)):
            _write_report(warnings_path(self.db_path), self.list_path, warned,
                          "whose images decoded with warnings, converted as convert_imageset "
                          "does")
        if warned:
            self.log("%d image(s) decoded with warnings (e.g. truncated JPEGs), converted "
                     "exactly as convert_imageset does: listed in %s"
                     % (len(warned), warnings_path(self.db_path)))
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
