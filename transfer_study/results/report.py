"""make results: every table and figure of a results directory, and each
network's training curves (results/curves/<name>.png)."""
import os

from transfer_study import metric
from transfer_study.results import figures, plotting, scorecard, tables
from transfer_study.results.plotting import plt


def _thin(xs, ys, limit=4000):
    step = max(1, len(xs) // limit)
    return xs[::step], ys[::step]


def training_curves(row, out_dir):
    """curves/<name>.png: training loss, learning rate, test accuracy."""
    run = row.run
    fig, axes = plt.subplots(3, 1, figsize=(9, 9), sharex=True)
    ax = axes[0]
    if run.train_iters:
        ax.plot(*_thin(run.train_iters, run.train_loss), lw=0.7, color='#1f3f9f',
                label='training loss (as displayed)')
    tl = [(i, l) for i, l in zip(run.test_iters, run.test_loss) if l is not None]
    if tl:
        ax.plot(*zip(*tl), '-', color='#e65100', lw=1.5, label='validation loss')
    ax.set_ylabel('loss')
    ax.legend(loc='upper right', fontsize=8)
    ax.grid(True, alpha=0.3)
    ax = axes[1]
    if run.lr_iters:
        ax.plot(*_thin(run.lr_iters, run.lr), color='#2e7d32', drawstyle='steps-post')
        if min(run.lr) > 0:
            ax.set_yscale('log')
    ax.set_ylabel('learning rate')
    ax.grid(True, alpha=0.3)
    ax = axes[2]
    if run.test_iters:
        ax.plot(run.test_iters, run.test_acc, '.-', ms=3, color='#b22222')
        top = metric.top10_mean(run)
        ax.axhline(float(top), color='0.4', ls='--', lw=1,
                   label='mean of 10 best: %s' % metric.truncate5(top))
        ax.legend(loc='lower right', fontsize=8)
    ax.set_ylabel('validation top-1')
    ax.set_xlabel('iteration')
    ax.grid(True, alpha=0.3)
    fig.suptitle('%s  (%s, iteration %s)' % (row.name, row.status, run.last_iter))
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    return plotting.save(fig, os.path.join(out_dir, row.name))


def _curves_one(args):
    row, out_dir = args
    return training_curves(row, out_dir)[0]


def write_all(results_dir, out_dir=None, jobs=2, curves=True, progress=True,
              reference=None, write_reference=None, source=None):
    """Everything `make results` writes; returns (rows, [paths written]).

    out_dir defaults to results_dir.  Problems with single networks (an
    unreadable log) are reported in summary.csv and returned, not raised.
    reference: the original study's numbers to score against (default the
    committed reference/original_2014.csv); write_reference: a path to write
    the reference of these logs to (they are the original study's); source:
    a plotting.Source saying where the numbers come from (default: this run).
    """
    from transfer_study.nets import catalog
    source = source or plotting.Source()
    out_dir = out_dir or results_dir
    if os.path.isdir(results_dir):
        try:
            os.makedirs(out_dir, exist_ok=True)
        except OSError as e:
            raise tables.ResultsError('%s: cannot create the output directory: %s'
                                      % (out_dir, e))
    curve_dir = os.path.join(out_dir, 'curves')
    for d in (out_dir, curve_dir):
        plotting.clean_temps(d)
    rows = tables.collect(results_dir, jobs=jobs, progress=progress)
    paths = [tables.write_summary(rows, out_dir)]
    paths += list(tables.write_table_s1(rows, out_dir))
    cat = catalog.load()
    paths += figures.figure_s1(rows, out_dir, source)
    paths += figures.figure_2(rows, cat, out_dir, source)
    paths += figures.figure_3(rows, cat, out_dir, source)
    if write_reference:
        paths.append(scorecard.write_reference(rows, write_reference))
    reference = reference or write_reference or scorecard.REFERENCE
    ref = scorecard.load_reference(reference)
    paths += scorecard.write_scorecard(scorecard.scorecard(rows, ref, cat), out_dir,
                                       reference, source)
    if curves:
        os.makedirs(curve_dir, exist_ok=True)
        todo = [(r, curve_dir) for r in rows if r.run is not None and r.run.last_iter is not None]
        paths += tables._map(_curves_one, todo, jobs, progress, desc='drawing curves')
    return rows, paths
