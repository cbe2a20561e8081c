"""Caffe training logs -> test accuracy, loss, learning rate and timing.

A leaf module (like Caffe's tools/extra/parse_log.py): runs/ and results/
both read logs through it, and it imports neither.  The paper's summary
metric of a parsed run is transfer_study/metric.py's.

Reads both log formats the study meets:

* 2014 Caffe (the original study's logs)::

    I0403 06:46:22.569 23304 solver.cpp:217] Iteration 20, lr = 0.01
    I0403 06:46:22.569 23304 solver.cpp:74] Iteration 20, loss = 6.9
    I0403 07:15:12.976 23304 solver.cpp:96] Iteration 1000, Testing net
    I0403 07:17:23.001 23304 solver.cpp:123] Test score #0: 0.0312   (top-1)
    I0403 07:17:23.002 23304 solver.cpp:123] Test score #1: 6.01     (loss)

* Caffe 1.0::

    I1126 12:00:01.1 4242 solver.cpp:218] Iteration 20 (3.1 iter/s, 6.4s/20 iters), loss = 6.9
    I1126 12:00:01.1 4242 sgd_solver.cpp:105] Iteration 20, lr = 0.01
    I1126 12:00:09.9 4242 solver.cpp:330] Iteration 1000, Testing net (#0)
    I1126 12:00:11.0 4242 solver.cpp:397]     Test net output #0: accuracy = 0.33
    I1126 12:00:11.0 4242 solver.cpp:397]     Test net output #1: loss = 1.37 (* 1 = 1.37 loss)

A run directory holds every attempt of one network: logs of resumed runs,
cluster job outputs (``140403_063910_half0A.o227963.gz``), concatenations of
several attempts (``catlog.oMANUAL.gz``), plain or gzipped.  Where attempts
overlap, the value logged last in time wins, as the resumed run's values
replace the ones its snapshot rolled back.

glog prefixes carry month and day but no year; the year comes from the file
name (``140403_...`` or ``....20261126-115500.log``), else a ``Date:`` line of
a job header, else the file's mtime, and is advanced when the month wraps.
"""
import calendar
import itertools
import os
import re
import time
import zlib
from itertools import compress
from operator import itemgetter


class LogError(Exception):
    """A log file that cannot be read (corrupt gzip, unreadable file)."""


# Lines are found with whole-buffer regexes (C speed) rather than a Python
# loop per line: ~100 MB of gzipped logs parse in seconds.  Each pattern
# starts at the glog prefix: severity, MMDD hh:mm:ss.us, thread id, file:line].
_STAMP = rb'\n[IWEF](\d{4} \d\d:\d\d:\d\d(?:\.\d*)?) +(\d+) \S+\] *'
_TRAIN = re.compile(_STAMP + rb'Iteration (\d+)(?: \([^)\n]*\))?, l(r|oss) = ([^\s]+)'
                    rb'[ \t\r]*(?=\n)')
_TEST = re.compile(_STAMP + rb'(Iteration \d+, Testing net[^\n]*|Test [^\n]*)')
_TEST_WORDS = (b'Testing net', b'Test score', b'Test net output')
_DONE = re.compile(_STAMP + rb'Optimization Done')
_TESTING = re.compile(rb'^Iteration (\d+), Testing net(?: \(#(\d+)\))?\s*$')
_SCORE_2014 = re.compile(rb'^Test score #(\d+): ([-+0-9.eEinfa]+)\s*$')
_SCORE_10 = re.compile(rb'^Test net output #(\d+): (\S+) = ([-+0-9.eEinfa]+)(?: \(.*\))?\s*$')
_MAX_ITER = re.compile(rb'\n\s*max_iter: (\d+)\s*(?=\n)')
_ITER_LINE = re.compile(rb'\n[^\n]*\] Iteration [^\n]*')

# Log files by name: Caffe/glog logs, the train script's logs, cluster job
# outputs (.o12345 / .e12345), each optionally gzipped.
_LOG_NAME = re.compile(r'(\.log|\.INFO|\.[oe]\d+|\.o[A-Z]+|caffe\..*)(\.gz)?$|\.log\.\d+$')

# Time stamps in file names: the study's cluster jobs (YYMMDD_HHMMSS_) and
# ours (YYYYmmdd-HHMMSS).
_NAME_STAMP_LONG = re.compile(r'(?<!\d)(20\d\d)(\d\d)(\d\d)-(\d\d)(\d\d)(\d\d)(?!\d)')
_NAME_STAMP_SHORT = re.compile(r'(?<!\d)(\d\d)(\d\d)(\d\d)_(\d\d)(\d\d)(\d\d)(?!\d)')
_DATE_LINE = re.compile(
    rb'\n\s*Date:\s+\w{3}\s+(\w{3})\s+(\d+)\s+(\d\d):(\d\d):(\d\d)\s+(?:\S+\s+)?(\d{4})')
_MONTHS = dict((m.encode(), i) for i, m in enumerate(calendar.month_abbr) if m)


def is_log_name(filename):
    """True for names that Caffe logs of a run carry."""
    return bool(_LOG_NAME.search(filename))


def _natural_key(s):
    return [int(t) if t.isdigit() else t for t in re.split(r'(\d+)', s)]


def log_files(run_dir):
    """The log files of one run directory, in name order (numbers numerically)."""
    if not os.path.isdir(run_dir):
        return []
    names = [n for n in os.listdir(run_dir)
             if is_log_name(n) and os.path.isfile(os.path.join(run_dir, n))]
    return [os.path.join(run_dir, n) for n in sorted(names, key=_natural_key)]


def _epoch(y, mo, d, h, mi, s):
    return calendar.timegm((y, mo, d, h, mi, 0, 0, 0, 0)) + s


def _name_reference(path):
    """(year, epoch seconds) from a file name's time stamp, or None."""
    base = os.path.basename(path)
    m = _NAME_STAMP_LONG.search(base)
    if m:
        y, mo, d, h, mi, s = [int(g) for g in m.groups()]
    else:
        m = _NAME_STAMP_SHORT.search(base)
        if not m:
            return None
        y, mo, d, h, mi, s = [int(g) for g in m.groups()]
        y += 2000
    if not (1 <= mo <= 12 and 1 <= d <= 31 and h < 24 and mi < 60 and s < 62):
        return None
    return _epoch(y, mo, d, h, mi, s)


def _year_near(ref, mo, d, h, mi, s):
    """The year that puts MMDD hh:mm:ss closest to the reference time."""
    ref_year = time.gmtime(ref).tm_year
    best = None
    for y in (ref_year - 1, ref_year, ref_year + 1):
        try:
            t = _epoch(y, mo, d, h, mi, s)
        except ValueError:
            continue
        if best is None or abs(t - ref) < abs(best[1] - ref):
            best = (y, t)
    return best[0] if best else ref_year


def read_log(path):
    """A log's text as bytes, gunzipped when it is gzipped (a gzip cut off by a
    crash gives what decompresses); LogError when it cannot be read."""
    try:
        with open(path, 'rb') as f:
            data = f.read()
    except (IOError, OSError) as e:
        raise LogError('%s: cannot read the log: %s' % (path, e))
    if path.endswith('.gz') or data[:2] == b'\x1f\x8b':
        try:
            # A log still being written (or cut off by a crash) is a valid
            # gzip prefix: keep what decompresses.
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            out = d.decompress(data)
            while d.unused_data and d.eof:
                # Concatenated gzip members (gzip -c a >> b).
                rest = d.unused_data
                d = zlib.decompressobj(16 + zlib.MAX_WBITS)
                out += d.decompress(rest)
            data = out
        except zlib.error as e:
            raise LogError('%s: not a readable gzip file (%s); remove it or '
                           'replace it with the intact log' % (path, e))
    return data


class Run(object):
    """Everything the logs of one run directory say, merged over attempts.

    test_iters, test_acc, test_loss: one entry per test pass, sorted by
    iteration; train_iters/train_loss and lr_iters/lr likewise (test_loss
    may hold None where the log printed no loss).  last_iter is the highest
    iteration seen; finished is True once "Optimization Done" was logged.
    wall_seconds sums each attempt's first-to-last time stamp;
    sec_per_iter is wall time over iterations run.  skipped_lines counts
    lines that looked like results but were cut off or garbled.
    """

    def __init__(self, run_dir):
        self.run_dir = run_dir
        self.name = os.path.basename(os.path.normpath(run_dir))
        self.files = []
        self.test_iters, self.test_acc, self.test_loss = [], [], []
        self.train_iters, self.train_loss = [], []
        self.lr_iters, self.lr = [], []
        self.last_iter = None
        self.finished = False
        self.sec_per_iter = None
        self.wall_seconds = 0.0
        self.skipped_lines = 0
        self.skipped_examples = []   # "file:line: text" of the first few
        self.max_iter = None         # from the solver parameters, when logged
        self.attempts = 0            # segments (process runs) with iterations
        self.last_time = None        # epoch seconds of the newest line

    def __repr__(self):
        return ('Run(%r, files=%d, test_passes=%d, last_iter=%r, finished=%r)'
                % (self.name, len(self.files), len(self.test_iters),
                   self.last_iter, self.finished))


def _pick_outputs(outputs):
    """(accuracy, loss) from a test pass's outputs {index: (name, value)}.

    By name where Caffe 1.0 printed names ("accuracy", "loss"), else by
    position as the 2014 nets had them (#0 top-1, #1 loss).
    """
    named = dict((n, v) for n, v in outputs.values() if n is not None)
    acc = loss = None
    if named:
        if 'accuracy' in named:
            acc = named['accuracy']
        else:
            for i in sorted(outputs):
                n = outputs[i][0] or ''
                if 'acc' in n.lower() and '5' not in n:
                    acc = outputs[i][1]
                    break
        if 'loss' in named:
            loss = named['loss']
        else:
            for i in sorted(outputs):
                if 'loss' in (outputs[i][0] or '').lower():
                    loss = outputs[i][1]
                    break
    if acc is None and not named and 0 in outputs:
        acc = outputs[0][1]
    if loss is None and not named and 1 in outputs:
        loss = outputs[1][1]
    return acc, loss


def _stamp_epoch(ref, stamp):
    """Epoch seconds of a glog 'MMDD hh:mm:ss.us' stamp.

    ref = (epoch, strong).  A strong reference (when the job started, from
    the file name or a job header) takes the year nearest to it; a weak one
    (the file's mtime) the latest year not after it, as no line of a log is
    written after the file was last modified.
    """
    mo, d = int(stamp[0:2]), int(stamp[2:4])
    h, mi, sec = int(stamp[5:7]), int(stamp[8:10]), float(stamp[11:])
    t_ref, strong = ref
    if strong:
        return _epoch(_year_near(t_ref, mo, d, h, mi, sec), mo, d, h, mi, sec)
    y = time.gmtime(t_ref).tm_year
    t = _epoch(y, mo, d, h, mi, sec)
    if t > t_ref + 86400:   # a day of slack for time zones
        t = _epoch(y - 1, mo, d, h, mi, sec)
    return t


def _reference_time(path, buf):
    """(epoch, strong): when the log started, from its file name or job
    header (strong), else the file's mtime (weak)."""
    ref = _name_reference(path)
    if ref is not None:
        return ref, True
    m = b'Date:' in buf and _DATE_LINE.search(buf)
    if m and m.group(1) in _MONTHS:
        return _epoch(int(m.group(6)), _MONTHS[m.group(1)], int(m.group(2)),
                      int(m.group(3)), int(m.group(4)), int(m.group(5))), True
    return os.path.getmtime(path), False


def _floats(values, skip):
    try:
        return list(map(float, values))
    except ValueError:
        out = []
        for v in values:
            try:
                out.append(float(v))
            except ValueError:
                skip(v)
                out.append(float('nan'))
        return out


def _test_line_starts(buf):
    """Offsets of the newline before each line that mentions a test pass,
    in order (a literal find is far faster than a line regex here)."""
    starts = set()
    for word in _TEST_WORDS:
        pos = buf.find(word)
        while pos >= 0:
            starts.add(buf.rfind(b'\n', 0, pos))
            pos = buf.find(word, pos + 1)
    return sorted(starts)


def _parse_file(path, file_index, run, trains, lrs, tests):
    """Add one file's segments to the per-run lists; return its segments.

    A segment is a run of consecutive training lines from one process
    (thread id): one attempt.  trains/lrs get (key, iters, values) with key
    (segment start time, file index, order) so that a later attempt's values
    replace an earlier one's; tests get (time, file, position) keys per pass.
    """
    f = _LogFile(path, file_index, run)
    segments = f.training(trains, lrs)
    n_testing = f.validation_passes(tests)
    f.garbled_lines(n_testing)
    f.finished_and_max_iter()
    return segments


class _LogFile(object):
    """One log file's text and the steps that read it into a Run."""

    def __init__(self, path, file_index, run):
        self.path, self.file_index, self.run = path, file_index, run
        data = read_log(path)
        self.buf = b''
        # A log being written may end in half a line: leave it for the next read.
        if data and not data.endswith(b'\n'):
            cut = data.rfind(b'\n') + 1
            tail = data[cut:]
            if b'Iteration' in tail or b'Test' in tail:
                self.skip(data.count(b'\n') + 1, tail + b' (unterminated last line)')
            data = data[:cut]
        self.buf = b'\n' + data
        self.ref = _reference_time(path, self.buf)
        self.n_train_lines = 0

    def skip(self, where, text):
        """Count a cut-off or garbled line; where is a line number or a byte
        offset into buf (the line numbers are only worked out when needed)."""
        run = self.run
        run.skipped_lines += 1
        if len(run.skipped_examples) < 5:
            if isinstance(where, tuple):
                where = self.buf.count(b'\n', 0, where[1] + 1)
            if isinstance(text, bytes):
                text = text.decode('utf-8', 'replace')
            run.skipped_examples.append('%s:%s: %s' % (self.path, where, text.strip()[:120]))

    def training(self, trains, lrs):
        """Training loss and learning-rate lines, segment by segment (one per process)."""
        run, segments = self.run, []
        rows = _TRAIN.findall(self.buf)
        self.n_train_lines = len(rows)
        for order, (pid, group) in enumerate(itertools.groupby(rows, key=itemgetter(1))):
            stamps, _, iters, kinds, values = zip(*group)
            iters = list(map(int, iters))
            values = _floats(values, lambda v: self.skip('?', b'bad number ' + v))
            t0, t1 = _stamp_epoch(self.ref, stamps[0]), _stamp_epoch(self.ref, stamps[-1])
            key = (t0, self.file_index, order)
            is_lr = [k == b'r' for k in kinds]
            is_loss = [not x for x in is_lr]
            trains.append((key, list(compress(iters, is_loss)), list(compress(values, is_loss))))
            lrs.append((key, list(compress(iters, is_lr)), list(compress(values, is_lr))))
            segments.append((t0, t1, min(iters), max(iters)))
            if run.last_iter is None or max(iters) > run.last_iter:
                run.last_iter = max(iters)
            if run.last_time is None or t1 > run.last_time:
                run.last_time = t1
        return segments

    def validation_passes(self, tests):
        """Test passes: "Iteration N, Testing net" then its outputs, per process.
        Returns how many "Testing net" lines there were."""
        run, buf = self.run, self.buf
        pending = {}   # pid -> [iter, key, test net, {index: (name, value)}, where]
        n_testing = 0

        def close(pid):
            p = pending.pop(pid, None)
            if p is None:
                return
            it, key, net, outputs, where = p
            if net not in (None, 0):
                return   # test net #0 is the validation set; others are not
            acc, loss = _pick_outputs(outputs)
            if acc is None:
                self.skip(where, 'test pass at iteration %d has no accuracy yet '
                                 '(cut off, or still being tested)' % it)
                return
            tests.append((key, it, acc, loss))

        for start in _test_line_starts(buf):
            m = _TEST.match(buf, start)
            if not m:
                continue
            stamp, pid, msg = m.group(1), m.group(2), m.group(3).strip()
            where = ('offset', start)
            if msg.startswith(b'Iteration'):
                mm = _TESTING.match(msg)
                if not mm:
                    self.skip(where, msg)
                    continue
                n_testing += 1
                close(pid)
                it = int(mm.group(1))
                net = int(mm.group(2)) if mm.group(2) is not None else None
                t = _stamp_epoch(self.ref, stamp)
                pending[pid] = [it, (t, self.file_index, m.start()), net, {}, where]
                if run.last_iter is None or it > run.last_iter:
                    run.last_iter = it
                if run.last_time is None or t > run.last_time:
                    run.last_time = t
                continue
            mm = _SCORE_10.match(msg)
            if mm:
                if pid in pending:
                    pending[pid][3][int(mm.group(1))] = (
                        mm.group(2).decode('utf-8', 'replace'), float(mm.group(3)))
                continue
            mm = _SCORE_2014.match(msg)
            if mm:
                if pid in pending:
                    pending[pid][3][int(mm.group(1))] = (None, float(mm.group(2)))
                continue
            if msg.startswith(b'Test score') or msg.startswith(b'Test net output'):
                self.skip(where, msg)
        for pid in list(pending):
            close(pid)
        return n_testing

    def garbled_lines(self, n_testing):
        """Lines that name an iteration but match no known form: cut or garbled."""
        buf = self.buf
        garbled = buf.count(b'] Iteration ') - self.n_train_lines - n_testing
        if garbled > 0:
            for g in _ITER_LINE.finditer(buf):
                line = g.group(0)
                if _TRAIN.match(line + b'\n') or _TEST.match(line):
                    continue
                self.skip(('offset', g.start()), line)

    def finished_and_max_iter(self):
        """run.finished: "Optimization Done" -- which the caffe tool logs after every
        Solve(), also one that a signal stopped ("Optimization stopped early." just
        before it); run.max_iter from the logged solver parameters."""
        run, buf = self.run, self.buf
        pos = buf.find(b'Optimization Done')
        while pos >= 0 and not run.finished:
            start = buf.rfind(b'\n', 0, pos)
            previous = buf[buf.rfind(b'\n', 0, start):start]
            run.finished = (bool(_DONE.match(buf, start))
                            and b'Optimization stopped early' not in previous)
            pos = buf.find(b'Optimization Done', pos + 1)
        if b'max_iter:' in buf:
            for mm in _MAX_ITER.finditer(buf):
                run.max_iter = int(mm.group(1))


def _latest(chunks):
    """{iteration: value} from (key, iters, values) chunks; the latest key wins."""
    merged = {}
    for _, iters, values in sorted(chunks, key=itemgetter(0)):
        merged.update(zip(iters, values))
    return merged


def parse_run(run_dir):
    """Parse every Caffe log in run_dir into one Run.

    A directory without logs gives a Run with no files (and no data); a log
    that cannot be read raises LogError naming it.
    """
    run = Run(run_dir)
    run.files = log_files(run_dir)
    trains, lrs, tests = [], [], []
    segments = []
    for i, path in enumerate(run.files):
        segments.extend(_parse_file(path, i, run, trains, lrs, tests))
    passes = {}
    for key, it, acc, loss in sorted(tests, key=itemgetter(0)):
        passes[it] = (acc, loss)
    for it in sorted(passes):
        run.test_iters.append(it)
        run.test_acc.append(passes[it][0])
        run.test_loss.append(passes[it][1])
    for chunks, iters, values in ((trains, run.train_iters, run.train_loss),
                                  (lrs, run.lr_iters, run.lr)):
        merged = _latest(chunks)
        iters.extend(sorted(merged))
        values.extend([merged[it] for it in iters])
    # The same attempt can be logged twice (a tee'd log and the job's
    # stdout): count each once.
    segments = sorted(set(segments))
    run.attempts = len(segments)
    run.wall_seconds = float(sum(t1 - t0 for t0, t1, _, _ in segments))
    span = sum(i1 - i0 for _, _, i0, i1 in segments)
    if span > 0:
        run.sec_per_iter = run.wall_seconds / span
    return run
