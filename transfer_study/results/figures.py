"""The paper's figures from summary rows (tables.collect), matplotlib Agg.

Every point is a network's summary metric (mean of its 10 best test passes).
Finished networks are filled markers, unfinished ones hollow; missing ones
are simply absent (never drawn as zero).

Paper roles in Figure 2 and the catalog names behind them (issue 5).  The
A/B halves are random splits of the 1000 classes, so A and B are
interchangeable: the study trained selffers only on A.
    base (n=0)  half{s}A, half{s}B                         s = 0..3
    BnB         transfer{s}A{s}A_1_n   (selffer, frozen)   s = 0..3
    BnB+        transfer-ft{s}A{s}A_1_n (selffer, fine-tuned) s = 0, 1
    AnB         transfer{s}A{s}B_1_n, transfer{s}B{s}A_1_n (frozen)
    AnB+        transfer-ft{s}A{s}B_1_n, transfer-ft{s}B{s}A_1_n
Figure 3 (top): transfernatmanAB_1_n (natural halfnatmanA -> man-made
halfnatmanB) and transfernatmanBA_1_n, with n=0 the target's base net.
Figure 3 (bottom): nolearn_1_n (first n layers random and frozen), n=0 netbase.
"""
import os
import re

import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

from transfer_study import files  # noqa: E402
from transfer_study.results import logparse, tables

ROLES = [
    # (role, legend label, regex of names, colour)
    ('BnB', 'BnB: selffer, frozen', r'^transfer(\d)([AB])\1\2_1_(\d)$', '#1f3f9f'),
    ('BnB+', 'BnB$^+$: selffer, fine-tuned', r'^transfer-ft(\d)([AB])\1\2_1_(\d)$', '#6fa8dc'),
    ('AnB', 'AnB: transfer, frozen', r'^transfer(\d)([AB])\1(?!\2)[AB]_1_(\d)$', '#b22222'),
    ('AnB+', 'AnB$^+$: transfer, fine-tuned', r'^transfer-ft(\d)([AB])\1(?!\2)[AB]_1_(\d)$',
     '#f08080'),
]
BASE = r'^half\d[AB]$'


def _points(rows, pattern, n_group=None):
    """[(n, value, finished, name)] of rows whose name matches pattern."""
    rx = re.compile(pattern)
    out = []
    for r in rows:
        m = rx.match(r.name)
        if not m or r.top10 is None:
            continue
        n = int(m.groups()[-1]) if n_group is None else n_group
        out.append((n, r.top10, r.status == 'done', r.name))
    return out


def _scatter(ax, pts, color, label, dx=0.0, marker='o', size=40, edge=None):
    done = [(n + dx, v) for n, v, f, _ in pts if f]
    open_ = [(n + dx, v) for n, v, f, _ in pts if not f]
    if done:
        ax.scatter(*zip(*done), s=size, c=color, marker=marker,
                   edgecolors=edge or color, zorder=3, label=label)
    if open_:
        ax.scatter(*zip(*open_), s=size, facecolors='none', marker=marker,
                   edgecolors=color, zorder=3, label=None if done else label)


def _means(pts):
    by_n = {}
    for n, v, _, _ in pts:
        by_n.setdefault(n, []).append(v)
    ns = sorted(by_n)
    return ns, [sum(by_n[n]) / len(by_n[n]) for n in ns]


def _no_data(ax, what):
    ax.text(0.5, 0.5, 'no results yet for %s' % what, transform=ax.transAxes,
            ha='center', va='center', fontsize=12, color='0.4')


def _save(fig, out_base, formats=('png',)):
    paths = []
    for ext in formats:
        path = '%s.%s' % (out_base, ext)
        with files.atomic_path(path) as tmp:
            fig.savefig(tmp, dpi=100)
        paths.append(path)
    plt.close(fig)
    return paths


def _layer_axis(ax):
    ax.set_xlim(-0.5, 7.5)
    ax.set_xticks(range(8))
    ax.set_xlabel('layer n at which the network is chopped and retrained (n = 0: base net)')
    ax.set_ylabel('top-1 validation accuracy\n(mean of the 10 best test passes)')
    ax.grid(True, alpha=0.3)


def transfer_figure(rows, out_dir):
    """Paper Figure 2: base, BnB, BnB+, AnB, AnB+ for n = 0..7, lines through means."""
    fig, ax = plt.subplots(figsize=(10, 6.5))
    base = _points(rows, BASE, n_group=0)
    _scatter(ax, base, 'black', 'base nets half{0..3}{A,B}', size=60)
    base_mean = _means(base)[1][0] if base else None
    table = []
    anything = bool(base)
    for i, (role, label, pattern, color) in enumerate(ROLES):
        pts = _points(rows, pattern)
        anything = anything or bool(pts)
        _scatter(ax, pts, color, label, dx=(i - 1.5) * 0.08)
        ns, means = _means(pts)
        if base_mean is not None and ns:
            ns, means = [0] + ns, [base_mean] + means
        if ns:
            ax.plot(ns, means, '-', color=color, lw=2, zorder=2)
        table.extend((role, n, m, len(base) if n == 0 else sum(1 for p in pts if p[0] == n))
                     for n, m in zip(ns, means))
    if not anything:
        _no_data(ax, 'the half{s}A/B networks and their transfers')
    _layer_axis(ax)
    ax.set_title('Transfer between random halves A/B of ImageNet (paper Fig. 2)\n'
                 'filled: finished, hollow: unfinished; lines: means per n')
    if anything:
        ax.legend(loc='best', fontsize=9)
    fig.tight_layout()
    _write_means(os.path.join(out_dir, 'figure_transfer_means.csv'), table)
    return _save(fig, os.path.join(out_dir, 'figure_transfer'), ('png', 'pdf'))


def _write_means(path, table):
    lines = [['role', 'n', 'mean_top1', 'networks']]
    lines += [[role, n, '%.6f' % m, count] for role, n, m, count in table]
    files.write_atomic(path, tables._csv_text(lines[0], lines[1:]))


def natman_figure(rows, out_dir):
    """Paper Figure 3 (top): transfer between natural and man-made classes."""
    fig, ax = plt.subplots(figsize=(10, 6))
    series = [
        ('natural -> man-made (transfernatmanAB; n=0: halfnatmanB)',
         r'^transfernatmanAB_1_(\d)$', r'^halfnatmanB$', '#2e7d32'),
        ('man-made -> natural (transfernatmanBA; n=0: halfnatmanA)',
         r'^transfernatmanBA_1_(\d)$', r'^halfnatmanA$', '#e65100'),
    ]
    anything = False
    for i, (label, pattern, base, color) in enumerate(series):
        pts = _points(rows, base, n_group=0) + _points(rows, pattern)
        anything = anything or bool(pts)
        _scatter(ax, pts, color, label, dx=(i - 0.5) * 0.1, size=50)
        ns, means = _means(pts)
        if ns:
            ax.plot(ns, means, '-', color=color, lw=2)
    if not anything:
        _no_data(ax, 'halfnatmanA/B and transfernatman*')
    _layer_axis(ax)
    ax.set_title('Transfer between the natural and man-made halves '
                 '(paper Fig. 3 top)\nfilled: finished, hollow: unfinished')
    if anything:
        ax.legend(loc='best', fontsize=9)
    fig.tight_layout()
    return _save(fig, os.path.join(out_dir, 'figure_natman'), ('png', 'pdf'))


def random_filters_figure(rows, out_dir):
    """Paper Figure 3 (bottom): the first n layers random and frozen."""
    fig, ax = plt.subplots(figsize=(10, 6))
    pts = _points(rows, r'^netbase$', n_group=0) + _points(rows, r'^nolearn_1_(\d)$')
    _scatter(ax, pts, '#6a1b9a', 'nolearn_1_n (n=0: netbase)', size=50)
    ns, vals = _means(pts)
    if ns:
        ax.plot(ns, vals, '-', color='#6a1b9a', lw=2)
    base = [v for n, v, _, _ in pts if n == 0]
    if base:
        ax.axhline(base[0], color='0.5', ls='--', lw=1, label='netbase')
    else:
        _no_data(ax, 'netbase and nolearn_1_n') if not pts else None
    _layer_axis(ax)
    ax.set_title('Random, untrained filters in the first n layers, frozen '
                 '(paper Fig. 3 bottom)\nfilled: finished, hollow: unfinished')
    if pts:
        ax.legend(loc='upper right', fontsize=9)
    fig.tight_layout()
    return _save(fig, os.path.join(out_dir, 'figure_random_filters'), ('png', 'pdf'))


def figure_s1(rows, out_dir):
    """Supplementary Figure S1: top-1 vs examples per class, linear and log axes."""
    t = tables.table_s1(rows)
    ours = [(n, v, s == 'done') for n, v, _, s in t if v is not None]
    paper = [(n, p) for n, _, p, _ in t]
    fig, axes = plt.subplots(2, 1, figsize=(8, 9))
    for ax, log in zip(axes, (False, True)):
        ax.plot(*zip(*paper), 'x--', color='0.45', ms=8, label='paper (Table S1)')
        if ours:
            xs, ys = [n for n, _, _ in ours], [v for _, v, _ in ours]
            ax.plot(xs, ys, '-', color='#1f3f9f', lw=2)
            _scatter(ax, [(n, v, f, '') for n, v, f in ours], '#1f3f9f',
                     'this reproduction (hollow: unfinished)', size=45)
        else:
            _no_data(ax, 'reduced-NNNN')
        if log:
            ax.set_xscale('log')
            ax.set_yscale('log')
            ax.set_title('logarithmic axes')
        else:
            ax.set_title('linear axes')
        ax.set_xlabel('number of training examples per class')
        ax.set_ylabel('top-1 validation accuracy')
        ax.grid(True, which='both', alpha=0.3)
        ax.legend(loc='best', fontsize=9)
    fig.suptitle('Figure S1: networks trained on reduced datasets (reduced-NNNN)')
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    return _save(fig, os.path.join(out_dir, 'figure_s1'), ('png', 'pdf'))


def _thin(xs, ys, limit=4000):
    step = max(1, len(xs) // limit)
    return xs[::step], ys[::step]


def training_curves(row, out_dir):
    """results/curves/<name>.png: training loss, learning rate, test accuracy."""
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
        top = logparse.top10_mean(run)
        ax.axhline(float(top), color='0.4', ls='--', lw=1,
                   label='mean of 10 best: %s' % logparse.truncate5(top))
        ax.legend(loc='lower right', fontsize=8)
    ax.set_ylabel('validation top-1')
    ax.set_xlabel('iteration')
    ax.grid(True, alpha=0.3)
    fig.suptitle('%s  (%s, iteration %s)' % (row.name, row.status, run.last_iter))
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    return _save(fig, os.path.join(out_dir, row.name))


def _curves_one(args):
    row, out_dir = args
    return training_curves(row, out_dir)[0]


def write_all(results_dir, out_dir=None, jobs=2, curves=True, progress=True):
    """Everything `make results` writes; returns (rows, [paths written]).

    out_dir defaults to results_dir.  Problems with single networks (an
    unreadable log) are reported in summary.csv and returned, not raised.
    """
    out_dir = out_dir or results_dir
    if os.path.isdir(results_dir):
        try:
            os.makedirs(out_dir, exist_ok=True)
        except OSError as e:
            raise tables.ResultsError('%s: cannot create the output directory: %s'
                                      % (out_dir, e))
    rows = tables.collect(results_dir, jobs=jobs, progress=progress)
    paths = [tables.write_summary(rows, out_dir)]
    paths += list(tables.write_table_s1(rows, out_dir))
    paths += figure_s1(rows, out_dir)
    paths += transfer_figure(rows, out_dir)
    paths.append(os.path.join(out_dir, 'figure_transfer_means.csv'))
    paths += natman_figure(rows, out_dir)
    paths += random_filters_figure(rows, out_dir)
    if curves:
        curve_dir = os.path.join(out_dir, 'curves')
        os.makedirs(curve_dir, exist_ok=True)
        todo = [(r, curve_dir) for r in rows if r.run is not None and r.run.last_iter is not None]
        paths += tables._map(_curves_one, todo, jobs, progress, desc='drawing curves')
    return rows, paths
