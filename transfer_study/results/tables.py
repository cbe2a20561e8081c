"""Run directories -> per-network summary, Table S1 (CSV and Markdown).

Every network of the study is looked up under <results>/<name>/ (our runs
or the original study's logs placed under the same names).  Missing and
unfinished networks stay in the tables: blank, never zero.
"""
import csv
import fcntl
import os
import time

from transfer_study import files
from transfer_study.results import logparse


class ResultsError(Exception):
    """A user-facing problem with a results directory."""


# Table S1 of the supplementary material (Yosinski et al. 2014, section B):
# top-1 validation accuracy (mean of the 10 best test passes, truncated to 5
# decimals) of the networks trained on n examples per class.
PAPER_TABLE_S1 = [
    (1300, 0.55176), (1000, 0.54094), (750, 0.51470), (500, 0.47568),
    (250, 0.38428), (100, 0.00110), (50, 0.00111), (25, 0.00107),
    (10, 0.00106), (5, 0.00108), (2, 0.00444), (1, 0.00379),
]


def reduced_name(n):
    return 'reduced-%04d' % n


# ------------------------------------------------------------ the names ---

def _pattern_networks():
    """The study's 170 networks by their naming pattern (issue 5), with the
    paper schedule's max_iter: for when the catalog cannot be loaded."""
    out = [('netbase', 'base', 450000)]
    out += [('half%d%s' % (s, h), 'base', 450000) for s in range(4) for h in 'AB']
    out += [('halfnatmanA', 'base', 450000), ('halfnatmanB', 'base', 450000)]
    out += [(reduced_name(n), 'reduced', 200000) for n, _ in reversed(PAPER_TABLE_S1)]
    for s in range(4):
        for a, b in (('A', 'A'), ('A', 'B'), ('B', 'A')):
            out += [('transfer%d%s%d%s_1_%d' % (s, a, s, b, n), 'transfers', 450000)
                    for n in range(1, 8)]
    for s in range(2):
        for a, b in (('A', 'A'), ('A', 'B'), ('B', 'A')):
            out += [('transfer-ft%d%s%d%s_1_%d' % (s, a, s, b, n), 'transfers', 450000)
                    for n in range(1, 8)]
    for ab in ('AB', 'BA'):
        out += [('transfernatman%s_1_%d' % (ab, n), 'transfers', 450000) for n in range(1, 8)]
    out += [('nolearn_1_%d' % n, 'random-filters', 450000) for n in range(1, 8)]
    return out


def study_networks():
    """[(name, group, paper max_iter)] for the study's networks, catalog order.

    From the experiment catalog (issue 5) when it loads, else from the
    naming patterns; both give the same 170 names.
    """
    try:
        from transfer_study.nets import catalog
        cat = catalog.load()
        out = []
        for e in cat.experiments():
            try:
                max_iter = int(cat.schedule(e.name)['max_iter'])
            except Exception:
                max_iter = None
            out.append((e.name, e.group, max_iter))
        return out
    except Exception:
        return _pattern_networks()


# --------------------------------------------------------------- status ---

# A run whose log changed this recently counts as running even when its
# lock cannot be checked (e.g. a cluster node writing to a shared disk).
RECENT_SECONDS = 15 * 60


def _lock_held(run_dir, name):
    """True when train.py holds results/<name>/<name>.lock (a run is live)."""
    path = os.path.join(run_dir, '%s.lock' % name)
    if not os.path.exists(path):
        return False
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    except (IOError, OSError):
        return True
    finally:
        os.close(fd)


class Row(object):
    """One network's line in the summary."""

    def __init__(self, name, group, max_iter, run=None, status='missing', error=None):
        self.name, self.group, self.max_iter = name, group, max_iter
        self.run, self.status, self.error = run, status, error

    @property
    def top10(self):
        if self.run is None or not self.run.test_acc:
            return None
        return logparse.top10_mean(self.run)

    @property
    def final_acc(self):
        if self.run is None or not self.run.test_acc:
            return None
        return self.run.test_acc[-1]


def status_of(run, max_iter, now=None):
    """done | running | stopped | empty | missing for a parsed run."""
    if not run.files:
        return 'missing'
    if run.last_iter is None:
        return 'empty'
    target = run.max_iter or max_iter
    if run.finished or (target is not None and run.last_iter >= target):
        return 'done'
    if _lock_held(run.run_dir, run.name):
        return 'running'
    now = time.time() if now is None else now
    newest = max(os.path.getmtime(f) for f in run.files)
    if now - newest < RECENT_SECONDS:
        return 'running'
    return 'stopped'


def _parse_one(args):
    name, group, max_iter, run_dir = args
    if not os.path.isdir(run_dir):
        return Row(name, group, max_iter)
    try:
        run = logparse.parse_run(run_dir)
    except logparse.LogError as e:
        return Row(name, group, max_iter, status='error', error=str(e))
    return Row(name, group, max_iter, run, status_of(run, max_iter))


def collect(results_dir, jobs=2, progress=True):
    """Row per network: the study's networks (catalog order), then any other
    directory under results_dir that holds Caffe logs."""
    if os.path.exists(results_dir) and not os.path.isdir(results_dir):
        raise ResultsError('%s is a file, not a directory of <network>/ log directories'
                           % results_dir)
    if not os.path.isdir(results_dir):
        raise ResultsError(
            "%s: no such results directory; train networks first (make <name>) "
            "or point RESULTS= at a directory of <network>/ log directories" % results_dir)
    known = study_networks()
    names = set(n for n, _, _ in known)
    extra = []
    for d in sorted(os.listdir(results_dir)):
        p = os.path.join(results_dir, d)
        if d not in names and os.path.isdir(p) and logparse.log_files(p):
            extra.append((d, 'other', None))
    todo = [(n, g, m, os.path.join(results_dir, n)) for n, g, m in known + extra]
    rows = _map(_parse_one, todo, jobs, progress)
    return rows


def _map(fn, items, jobs, progress, desc='parsing logs'):
    bar = None
    if progress and items:
        try:
            from tqdm import tqdm
            bar = tqdm(total=len(items), desc=desc, unit='net', leave=False)
        except ImportError:
            bar = None
    out = []
    if jobs > 1:
        import multiprocessing
        pool = multiprocessing.Pool(jobs)
        try:
            for r in pool.imap(fn, items, chunksize=4):
                out.append(r)
                if bar:
                    bar.update()
        finally:
            pool.close()
            pool.join()
    else:
        for it in items:
            out.append(fn(it))
            if bar:
                bar.update()
    if bar:
        bar.close()
    return out


# --------------------------------------------------------------- output ---

def _blank(x):
    return '' if x is None else x


def _fmt(x, digits=5):
    if x is None:
        return ''
    return '%.*f' % (digits, x)


def _csv_text(header, rows):
    import io
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator='\n')
    w.writerow(header)
    for r in rows:
        w.writerow(r)
    return buf.getvalue()


SUMMARY_COLUMNS = ['network', 'group', 'status', 'last_iter', 'max_iter', 'test_passes',
                   'top10_mean', 'final_acc', 'wall_hours', 'sec_per_iter', 'log_files',
                   'skipped_lines', 'note']


def summary_rows(rows):
    out = []
    for r in rows:
        run = r.run
        note = r.error or ''
        if run is not None and run.skipped_examples and not note:
            note = 'skipped: ' + run.skipped_examples[0]
        if run is not None and run.files and run.last_iter is None and not note:
            note = 'no iterations in %s' % ', '.join(os.path.basename(f) for f in run.files)
        out.append([
            r.name, r.group, r.status,
            _blank(None if run is None else run.last_iter),
            # A network with no log has no known target: the paper's max_iter
            # would be wrong for another profile (the demo's), so leave it blank.
            _blank(None if run is None or not run.files else (run.max_iter or r.max_iter)),
            '' if run is None or not run.files else len(run.test_iters),
            logparse.truncate5(r.top10),
            _fmt(r.final_acc),
            '' if run is None or not run.wall_seconds else '%.3f' % (run.wall_seconds / 3600.0),
            '' if run is None or run.sec_per_iter is None else '%.4f' % run.sec_per_iter,
            '' if run is None else len(run.files),
            '' if run is None or not run.files else run.skipped_lines,
            note,
        ])
    return out


def write_summary(rows, out_dir):
    path = os.path.join(out_dir, 'summary.csv')
    files.write_atomic(path, _csv_text(SUMMARY_COLUMNS, summary_rows(rows)))
    return path


def table_s1(rows):
    """[(examples per class, our value or None, paper value)] rows 1300..1.

    Ours is the mean of the 10 best test passes of reduced-<n> (unfinished
    runs included: their status is in summary.csv)."""
    by_name = dict((r.name, r) for r in rows)
    out = []
    for n, paper in PAPER_TABLE_S1:
        r = by_name.get(reduced_name(n))
        out.append((n, None if r is None else r.top10, paper,
                    None if r is None else r.status))
    return out


def write_table_s1(rows, out_dir):
    t = table_s1(rows)
    csv_path = os.path.join(out_dir, 'table_s1.csv')
    files.write_atomic(csv_path, _csv_text(
        ['examples_per_class', 'top1_accuracy'],
        [[n, logparse.truncate5(ours)] for n, ours, _, _ in t]))
    lines = [
        'Table S1: top-1 validation accuracy vs examples per class',
        '(mean of the 10 best test passes, truncated to 5 decimals;',
        ' paper = supplementary Table S1; blank = no result yet)',
        '',
        '| examples/class | ours    | paper   | ours - paper | status  |',
        '|---------------:|--------:|--------:|-------------:|:--------|',
    ]
    for n, ours, paper, status in t:
        o = logparse.truncate5(ours)
        diff = '' if ours is None else '%+.5f' % (float(o) - paper)
        lines.append('| %14d | %7s | %.5f | %12s | %-7s |'
                     % (n, o, paper, diff, status or 'missing'))
    md_path = os.path.join(out_dir, 'table_s1.md')
    files.write_atomic(md_path, '\n'.join(lines) + '\n')
    return csv_path, md_path
