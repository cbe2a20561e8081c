"""Run directories -> per-network summary, Table S1 (CSV and Markdown).

Every network of the catalog is looked up under <results>/<name>/ (our runs
or the original study's logs placed under the same names); its status is its
run state (transfer_study/runs/runstate.py: not started, running, interrupted,
failed, done), the same make status shows.  Networks not started or
unfinished stay in the tables: blank, never zero.
"""
import csv
import os

from transfer_study import files, layout
from transfer_study import caffelog as logparse
from transfer_study import metric
from transfer_study.runs import runstate


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


# Table S1's row of the networks trained on every image of their classes.
FULL_PER_CLASS = 1300


def reduced_networks():
    """{examples per class: network} of the catalog's reduced group (Table S1's rows)."""
    from transfer_study.nets import catalog
    cat = catalog.load()
    return dict(((cat.per_class(cat.get(name).train_set) or FULL_PER_CLASS), name)
                for name in cat.group('reduced'))


# ------------------------------------------------------------ the names ---

def study_networks():
    """[(name, group, paper max_iter)] for the study's networks, catalog order."""
    from transfer_study.nets import catalog
    cat = catalog.load()
    return [(e.name, e.group, cat.max_iter(e.name)) for e in cat.experiments()]


# --------------------------------------------------------------- status ---

class Row(object):
    """One network's line in the summary: its run state (runstate, the same as
    make status says) and its parsed logs."""

    def __init__(self, name, group, max_iter, run=None, status='not started', error=None,
                 state=None):
        self.name, self.group, self.max_iter = name, group, max_iter
        self.run, self.status, self.error = run, status, error
        self.state = state

    @property
    def top10(self):
        if self.run is None or not self.run.test_acc:
            return None
        return metric.top10_mean(self.run)

    @property
    def final_acc(self):
        if self.run is None or not self.run.test_acc:
            return None
        return self.run.test_acc[-1]


def _parse_one(args):
    name, group, max_iter, results_dir = args
    root = layout.root_of_results(results_dir)
    if root is not None:
        state = runstate.of(root, name, max_iter)
    else:
        state = runstate.of_archive(os.path.join(results_dir, name), name, max_iter)
    run = state.run if state.run.files else None
    return Row(name, group, state.max_iter or max_iter, run, state.state, state.log_error, state)


def collect(results_dir, jobs=2, progress=True):
    """Row per network: the study's networks (catalog order), then any other
    directory under results_dir that holds Caffe logs.  The results/ of a study
    root is judged as make status judges it (the final snapshot counts); any
    other directory as a log archive (runstate.of_archive)."""
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
    todo = [(n, g, m, results_dir) for n, g, m in known + extra]
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
            metric.truncate5(r.top10),
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
    nets = reduced_networks()
    out = []
    for n, paper in PAPER_TABLE_S1:
        r = by_name.get(nets.get(n))
        out.append((n, None if r is None else r.top10, paper,
                    None if r is None else r.status))
    return out


def write_table_s1(rows, out_dir):
    t = table_s1(rows)
    csv_path = os.path.join(out_dir, 'table_s1.csv')
    files.write_atomic(csv_path, _csv_text(
        ['examples_per_class', 'top1_accuracy'],
        [[n, metric.truncate5(ours)] for n, ours, _, _ in t]))
    lines = [
        'Table S1: top-1 validation accuracy vs examples per class',
        '(mean of the 10 best test passes, truncated to 5 decimals;',
        ' paper = supplementary Table S1; blank = no result yet)',
        '',
        '| examples/class | ours    | paper   | ours - paper | status  |',
        '|---------------:|--------:|--------:|-------------:|:--------|',
    ]
    for n, ours, paper, status in t:
        o = metric.truncate5(ours)
        diff = '' if ours is None else '%+.5f' % (float(o) - paper)
        lines.append('| %14d | %7s | %.5f | %12s | %-7s |'
                     % (n, o, paper, diff, status or 'not started'))
    md_path = os.path.join(out_dir, 'table_s1.md')
    files.write_atomic(md_path, '\n'.join(lines) + '\n')
    return csv_path, md_path
