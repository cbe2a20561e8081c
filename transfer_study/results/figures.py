"""The paper's figures from summary rows (tables.collect), matplotlib Agg.

Every point is a network's summary metric (the exact mean of its 10 best
test passes).  Unfinished networks are drawn hollow (a base net, hollow in
the paper, gets a dashed grey edge); missing ones are absent, never zero.
Each figure's plotted values are also written as CSV beside it.

  figure_2     top: base (hollow circles, n = 0), BnB (dark blue circles),
               BnB+ (light blue circles with +), AnB (dark red diamonds),
               AnB+ (light red diamonds with +); the points of one n spread
               sideways.  Bottom: the four lines through the means per n
               (n = 0: the base nets' mean), the shaded drops and the
               paper's numbered interpretations 2-5.
               figure_2_points.csv, figure_2_means.csv
  figure_3     top left: transfer between the natural and man-made halves;
               top right: the first n layers random, untrained and frozen;
               bottom: the relative top-1 (each network minus its own base
               net, then the mean per n) of AnB on the random splits, AnB on
               the natural/man-made split and the random features.
               figure_3_points.csv, figure_3_relative.csv
  figure_s1    top-1 vs examples per class, linear and logarithmic axes,
               with Table S1's values.  figure_s1.csv

Which network plays which role is asked of the catalog: its groups
(halves, transfers-frozen, transfers-ft, transfers-natman, random-filters),
each network's base and n.  A copied network is a selffer (BnB) when its
base trained on its own training set, a transfer (AnB) otherwise; a
network's own base is the base-group network trained on its training set.
"""
import os
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.gridspec import GridSpec  # noqa: E402

from transfer_study import files  # noqa: E402
from transfer_study import caffelog as logparse
from transfer_study.results import tables

# role -> (legend label, marker, face colour, edge colour, plus overlaid, x offset)
STYLE = {
    'base': ('base: baseB', 'o', 'white', 'black', False, 0.0),
    'BnB': ('selffer BnB', 'o', '#1f3f9f', '#1f3f9f', False, -0.21),
    'BnB+': ('selffer BnB$^+$', 'o', '#8fb3e8', '#8fb3e8', True, -0.07),
    'AnB': ('transfer AnB', 'D', '#9e1b1b', '#9e1b1b', False, 0.07),
    'AnB+': ('transfer AnB$^+$', 'D', '#f2a0a0', '#f2a0a0', True, 0.21),
}
ROLES = ('BnB', 'BnB+', 'AnB', 'AnB+')
LINE = {'BnB': '#1f3f9f', 'BnB+': '#6f9be0', 'AnB': '#9e1b1b', 'AnB+': '#e57373'}
# Figure 3's series: (key, label, colour, marker)
NATMAN_COLOUR, RANDOM_COLOUR, SPLITS_COLOUR = '#2e7d32', '#1f3f9f', '#9e1b1b'
DIGITS = Decimal('0.0000000001')   # means are written to 10 decimals, rounded half-even


# ------------------------------------------------------------ roles ---

def own_base(cat, name):
    """The base-group network trained from scratch on this network's training set."""
    e = cat.get(name)
    for b in cat.group('base'):
        if cat.get(b).train_set == e.train_set:
            return b
    return None


def figure2_roles(cat):
    """{network: role} of Figure 2: base, BnB, BnB+, AnB, AnB+ (the random halves)."""
    roles = dict((n, 'base') for n in cat.group('halves'))
    for group, plus in (('transfers-frozen', ''), ('transfers-ft', '+')):
        for n in cat.group(group):
            e = cat.get(n)
            selffer = cat.get(e.base).train_set == e.train_set
            roles[n] = ('BnB' if selffer else 'AnB') + plus
    return roles


def _is_natural(cat, train_set):
    from transfer_study.data import natman
    return cat.datasets[train_set]['classes'] == natman.NUM_NATURAL


def figure3_series(cat):
    """{series: [(network, n)]} of Figure 3's top panels, n = 0 the target's base net:
    'natural target' / 'man-made target' (transfers between the natural and man-made
    halves) and 'random features' (the random-filter nets)."""
    out = {}
    for name in cat.group('transfers-natman'):
        e = cat.get(name)
        key = '%s target' % ('natural' if _is_natural(cat, e.train_set) else 'man-made')
        series = out.setdefault(key, [])
        base = own_base(cat, name)
        if base and (base, 0) not in series:
            series.append((base, 0))
        series.append((name, e.n))
    rnd = out.setdefault('random features', [])
    for name in cat.group('random-filters'):
        base = own_base(cat, name)
        if base and (base, 0) not in rnd:
            rnd.append((base, 0))
        rnd.append((name, cat.get(name).n))
    return out


# ------------------------------------------------------------ numbers ---

def _mean(values):
    with localcontext() as ctx:
        ctx.prec = 40
        return (sum(values, Decimal(0)) / len(values)).quantize(DIGITS, ROUND_HALF_EVEN)


def _by_name(rows):
    return dict((r.name, r) for r in rows if r.top10 is not None)


def _spread(n, offset, k, width=0.1):
    """x of k points of one role at layer n: side by side around n + offset."""
    if k == 1:
        return [n + offset]
    return [n + offset - width / 2 + width * i / (k - 1) for i in range(k)]


def _fmt(x):
    if isinstance(x, Decimal):
        return format(x, 'f')   # 0.0000000000, not 0E-10
    return '' if x is None else str(x)


def _write_csv(path, header, lines):
    files.write_atomic(path, tables._csv_text(header, [[_fmt(v) for v in l] for l in lines]))
    return path


# ------------------------------------------------------------ drawing ---

def _marker(ax, xs, ys, role, finished, label=None, size=42):
    name, marker, face, edge, plus, _ = STYLE[role]
    if not xs:
        return
    if role == 'base':
        ax.scatter(xs, ys, s=size, marker=marker, facecolors='white',
                   edgecolors=edge if finished else '0.55',
                   linestyles='solid' if finished else 'dashed', zorder=4, label=label)
        return
    ax.scatter(xs, ys, s=size, marker=marker, facecolors=face if finished else 'none',
               edgecolors=edge, linewidths=1.2, zorder=4, label=label)
    if plus:
        ax.scatter(xs, ys, s=size * 0.8, marker='+', color='#333333' if finished else edge,
                   linewidths=1.0, zorder=5)


def _points(ax, pts, role, label):
    """pts: [(x, value, finished)]."""
    done = [(x, v) for x, v, f in pts if f]
    open_ = [(x, v) for x, v, f in pts if not f]
    _marker(ax, [x for x, _ in done], [float(v) for _, v in done], role, True, label)
    _marker(ax, [x for x, _ in open_], [float(v) for _, v in open_], role, False,
            None if done else label)


def _no_data(ax, what):
    ax.text(0.5, 0.5, 'no results yet for %s' % what, transform=ax.transAxes,
            ha='center', va='center', fontsize=11, color='0.4')


def _save(fig, out_base, formats=('png',)):
    paths = []
    for ext in formats:
        path = '%s.%s' % (out_base, ext)
        with files.atomic_path(path) as tmp:
            fig.savefig(tmp, dpi=100)
        paths.append(path)
    plt.close(fig)
    return paths


def _layer_axis(ax, label=True):
    ax.set_xlim(-0.5, 7.5)
    ax.set_xticks(range(8))
    if label:
        ax.set_xlabel('Layer $n$ at which network is chopped and retrained')
    ax.grid(True, alpha=0.25)


# ------------------------------------------------------------ Figure 2 ---

def figure2_values(rows, cat):
    """(points, means): points [(role, n, x, top1, network, status)] of the top panel,
    means [(role, n, mean top1, networks)] of the bottom one (n = 0: the base nets)."""
    roles = figure2_roles(cat)
    have = _by_name(rows)
    groups = {}
    for name in cat.names():
        if name in roles and name in have:
            n = 0 if roles[name] == 'base' else cat.get(name).n
            groups.setdefault((roles[name], n), []).append(have[name])
    points, means = [], []
    for (role, n), members in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        xs = _spread(n, STYLE[role][5], len(members), 0.3 if role == 'base' else 0.1)
        for x, r in zip(xs, members):
            points.append((role, n, round(x, 4), r.top10, r.name, r.status))
    base = groups.get(('base', 0), [])
    for role in ROLES:
        if base and any((role, n) in groups for n in range(1, 8)):
            means.append((role, 0, _mean([r.top10 for r in base]), len(base)))
        for n in range(1, 8):
            members = groups.get((role, n))
            if members:
                means.append((role, n, _mean([r.top10 for r in members]), len(members)))
    return points, means


def figure_2(rows, cat, out_dir):
    points, means = figure2_values(rows, cat)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 11), sharex=True)
    for role in ('base',) + ROLES:
        pts = [(x, v, s == 'done') for r, _, x, v, _, s in points if r == role]
        _points(top, pts, role, STYLE[role][0])
    if not points:
        _no_data(top, 'the base halves and their transfer networks')
    top.set_ylabel('Top-1 accuracy (higher is better)')
    top.set_title('Figure 2: transfer between random halves A, B of ImageNet\n'
                  '(hollow: unfinished)', fontsize=11)
    _layer_axis(top, label=False)
    if points:
        top.legend(loc='lower left', fontsize=9, numpoints=1)

    line = dict((role, [(n, m) for r, n, m, _ in means if r == role]) for role in ROLES)
    base_mean = [m for r, n, m, _ in means if n == 0][:1]
    if base_mean:
        bottom.axhline(float(base_mean[0]), color='0.3', ls=':', lw=1, zorder=1)
    for role in ROLES:
        if line[role]:
            ns, ms = zip(*line[role])
            bottom.plot(ns, [float(m) for m in ms], '-', color=LINE[role], lw=2.2,
                        marker=STYLE[role][1], ms=5, mfc=STYLE[role][2], mec=LINE[role],
                        label=STYLE[role][0], zorder=3)
    _shade_and_annotate(bottom, line, float(base_mean[0]) if base_mean else None)
    if not means:
        _no_data(bottom, 'the means per n')
    bottom.set_ylabel('Top-1 accuracy (higher is better)')
    bottom.set_title('lines through the means of each treatment', fontsize=10)
    _layer_axis(bottom)
    if means:
        bottom.legend(loc='lower left', bbox_to_anchor=(0.0, 0.17), fontsize=9)
    fig.tight_layout()
    paths = [_write_csv(os.path.join(out_dir, 'figure_2_points.csv'),
                        ['series', 'n', 'x', 'top1', 'network', 'status'], points),
             _write_csv(os.path.join(out_dir, 'figure_2_means.csv'),
                        ['series', 'n', 'mean_top1', 'networks'], means)]
    return _save(fig, os.path.join(out_dir, 'figure_2'), ('png', 'pdf')) + paths


ANNOTATIONS = (
    ('2', 'performance drops due to fragile co-adaptation'),
    ('3', 'fine-tuning recovers co-adapted interactions'),
    ('4', 'performance drops due to representation specificity'),
    ('5', 'transfer + fine-tuning improves generalization'),
)


def _shade_and_annotate(ax, line, base):
    """The paper's bottom panel: the drop of BnB below the base (fragile co-adaptation,
    2) and of AnB below BnB (representation specificity, 4) shaded, 3 over the BnB+
    line and 5 over the AnB+ line; the numbers are explained in a box."""
    values = dict((role, dict((n, float(m)) for n, m in pts)) for role, pts in line.items())
    bnb, anb = values['BnB'], values['AnB']
    every = [v for pts in values.values() for v in pts.values()]
    if not every:
        return
    lo, hi = min(every) - 0.012, max(every) + 0.014
    ax.set_ylim(lo, hi)
    marks = {}
    if base is not None and len(bnb) > 1:
        ns = sorted(bnb)
        ys = [bnb[n] for n in ns]
        ax.fill_between(ns, ys, [base] * len(ns), where=[y <= base for y in ys],
                        interpolate=True, color=LINE['BnB'], alpha=0.15, lw=0, zorder=0)
        n = min(ns, key=lambda k: bnb[k])
        if bnb[n] < base:
            marks['2'] = (n, (bnb[n] + base) / 2)
    common = sorted(set(bnb) & set(anb))
    if len(common) > 1:
        ax.fill_between(common, [anb[n] for n in common], [bnb[n] for n in common],
                        where=[anb[n] <= bnb[n] for n in common], interpolate=True,
                        color=LINE['AnB'], alpha=0.15, lw=0, zorder=0)
        n = max(common, key=lambda k: bnb[k] - anb[k])
        if bnb[n] > anb[n]:
            marks['4'] = (n - 0.35 if n > 1 else n, (bnb[n] + anb[n]) / 2)
    for number, role, where in (('3', 'BnB+', 0.7), ('5', 'AnB+', 0.4)):
        pts = sorted(n for n in values[role] if n > 0)
        if pts:
            n = pts[int(round(where * (len(pts) - 1)))]
            marks[number] = (n, min(values[role][n] + 0.006, hi - 0.004))
    for number, (x, y) in marks.items():
        ax.text(x, y, number, ha='center', va='center', fontsize=9, fontweight='bold',
                zorder=6, bbox=dict(boxstyle='circle,pad=0.2', fc='white', ec='0.3'))
    if marks:
        ax.text(0.015, 0.025, '\n'.join('%s: %s' % a for a in ANNOTATIONS if a[0] in marks),
                transform=ax.transAxes, ha='left', va='bottom', fontsize=8, zorder=6,
                bbox=dict(boxstyle='round,pad=0.4', fc='white', ec='0.6'))


# ------------------------------------------------------------ Figure 3 ---

def figure3_values(rows, cat):
    """(points, relative): points [(panel, series, n, x, top1, network, status)] of the
    top panels; relative [(series, n, mean of top1 minus own base, networks)] of the
    bottom one, for 'mean AnB, random splits', 'mean AnB, m/n split', 'random features'."""
    have = _by_name(rows)
    points = []
    for series, members in sorted(figure3_series(cat).items()):
        panel = 'random' if series == 'random features' else 'natman'
        offset = {'natural target': -0.06, 'man-made target': 0.06}.get(series, 0.0)
        for name, n in members:
            if name in have:
                r = have[name]
                points.append((panel, series, n, n + offset, r.top10, r.name, r.status))
    roles = figure2_roles(cat)
    relative = []
    groups = (
        ('mean AnB, random splits', [n for n in cat.names() if roles.get(n) == 'AnB']),
        ('mean AnB, m/n split', cat.group('transfers-natman')),
        ('random features', cat.group('random-filters')),
    )
    for series, names in groups:
        by_n = {}
        for name in names:
            base = own_base(cat, name)
            if name in have and base in have:
                by_n.setdefault(cat.get(name).n, []).append(have[name].top10 - have[base].top10)
        if by_n:
            relative.append((series, 0, _mean([Decimal(0)]), 0))
        for n in sorted(by_n):
            relative.append((series, n, _mean(by_n[n]), len(by_n[n])))
    return points, relative


def figure_3(rows, cat, out_dir):
    points, relative = figure3_values(rows, cat)
    fig = plt.figure(figsize=(12, 10))
    grid = GridSpec(2, 2, figure=fig, height_ratios=(1, 1))
    natman_ax, random_ax = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1])
    rel_ax = fig.add_subplot(grid[1, :])
    for ax, panel, colour, title in (
            (natman_ax, 'natman', NATMAN_COLOUR,
             'Transfer between the natural and man-made halves'),
            (random_ax, 'random', RANDOM_COLOUR,
             'Random, untrained filters in layers 1..n (frozen)')):
        pts = [p for p in points if p[0] == panel]
        for series in sorted(set(p[1] for p in pts)):
            mine = [p for p in pts if p[1] == series]
            base = [(x, v, s == 'done') for _, _, n, x, v, _, s in mine if n == 0]
            rest = [(x, v, s == 'done') for _, _, n, x, v, _, s in mine if n > 0]
            _points(ax, base, 'base', None)
            done = [(x, float(v)) for x, v, f in rest if f]
            open_ = [(x, float(v)) for x, v, f in rest if not f]
            marker = 'D' if panel == 'natman' else 's'
            if done:
                ax.scatter(*zip(*done), s=40, marker=marker, color=colour, zorder=4)
            if open_:
                ax.scatter(*zip(*open_), s=40, marker=marker, facecolors='none',
                           edgecolors=colour, zorder=4)
            line = sorted((x, float(v)) for x, v, _ in base + rest)
            ax.plot(*zip(*line), '-', color=colour, lw=1.5, zorder=3,
                    ls='-' if series != 'man-made target' else '--', label=series)
        if not pts:
            _no_data(ax, 'these networks')
        else:
            ax.legend(loc='lower left', fontsize=9)
        ax.margins(y=0.08)
        ax.set_title(title, fontsize=10)
        ax.set_ylabel('Top-1 accuracy')
        _layer_axis(ax)
    colours = {'mean AnB, random splits': (SPLITS_COLOUR, 'D'),
               'mean AnB, m/n split': (NATMAN_COLOUR, 'D'),
               'random features': (RANDOM_COLOUR, 's')}
    rel_ax.axhline(0, color='black', lw=1, label='reference (each base net)', zorder=2)
    for series in colours:
        pts = [(n, float(v)) for s, n, v, _ in relative if s == series]
        if pts:
            rel_ax.plot(*zip(*pts), '-', marker=colours[series][1], color=colours[series][0],
                        lw=2, ms=5, label=series, zorder=3)
    if not relative:
        _no_data(rel_ax, 'transfer and random-filter networks with their base nets')
    rel_ax.set_ylabel('Relative top-1 accuracy\n(network minus its own base; higher is better)')
    rel_ax.set_title('All three, relative to their base level', fontsize=10)
    _layer_axis(rel_ax)
    rel_ax.legend(loc='lower left', fontsize=9)
    fig.suptitle('Figure 3: transfer between dissimilar tasks, random features, and their '
                 'relative performance (hollow: unfinished)', fontsize=11)
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    paths = [_write_csv(os.path.join(out_dir, 'figure_3_points.csv'),
                        ['panel', 'series', 'n', 'x', 'top1', 'network', 'status'], points),
             _write_csv(os.path.join(out_dir, 'figure_3_relative.csv'),
                        ['series', 'n', 'relative_top1', 'networks'], relative)]
    return _save(fig, os.path.join(out_dir, 'figure_3'), ('png', 'pdf')) + paths


# ------------------------------------------------------------ Figure S1 ---

def figure_s1(rows, out_dir):
    """Supplementary Figure S1: top-1 vs examples per class, linear and log axes."""
    t = tables.table_s1(rows)
    ours = [(n, v, s == 'done') for n, v, _, s in t if v is not None]
    paper = [(n, p) for n, _, p, _ in t]
    fig, axes = plt.subplots(2, 1, figsize=(8, 9))
    for ax, log in zip(axes, (False, True)):
        ax.plot(*zip(*paper), 'x--', color='0.45', ms=8, label='paper (Table S1)')
        if ours:
            xs, ys = [n for n, _, _ in ours], [float(v) for _, v, _ in ours]
            ax.plot(xs, ys, '-', color='#1f3f9f', lw=2)
            done = [(n, float(v)) for n, v, f in ours if f]
            open_ = [(n, float(v)) for n, v, f in ours if not f]
            if done:
                ax.scatter(*zip(*done), s=45, color='#1f3f9f', zorder=3,
                           label='this reproduction')
            if open_:
                ax.scatter(*zip(*open_), s=45, facecolors='none', edgecolors='#1f3f9f',
                           zorder=3, label='unfinished')
        else:
            _no_data(ax, 'reduced-NNNN')
        if log:
            ax.set_xscale('log')
            ax.set_yscale('log')
            ax.set_title('Bottom: logarithmic axes', fontsize=10)
        else:
            ax.set_title('Top: linear axes', fontsize=10)
        ax.set_xlabel('Number of training examples per class')
        ax.set_ylabel('Top-1 validation accuracy')
        ax.grid(True, which='both', alpha=0.3)
        ax.legend(loc='best', fontsize=9)
    fig.suptitle('Figure S1: networks trained on reduced datasets')
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    csv_path = _write_csv(os.path.join(out_dir, 'figure_s1.csv'),
                          ['examples_per_class', 'top1', 'paper', 'status'],
                          [(n, v, '%.5f' % p, s or '') for n, v, p, s in t])
    return _save(fig, os.path.join(out_dir, 'figure_s1'), ('png', 'pdf')) + [csv_path]


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


def write_all(results_dir, out_dir=None, jobs=2, curves=True, progress=True,
              reference=None, write_reference=None):
    """Everything `make results` writes; returns (rows, [paths written]).

    out_dir defaults to results_dir.  Problems with single networks (an
    unreadable log) are reported in summary.csv and returned, not raised.
    reference: the original study's numbers to score against (default the
    committed reference/original_2014.csv); write_reference: a path to write
    the reference of these logs to (they are the original study's).
    """
    from transfer_study.nets import catalog
    from transfer_study.results import scorecard
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
    cat = catalog.load()
    paths += figure_s1(rows, out_dir)
    paths += figure_2(rows, cat, out_dir)
    paths += figure_3(rows, cat, out_dir)
    if write_reference:
        paths.append(scorecard.write_reference(rows, write_reference))
    reference = reference or write_reference or scorecard.REFERENCE
    ref = scorecard.load_reference(reference)
    paths += scorecard.write_scorecard(scorecard.scorecard(rows, ref, cat), out_dir,
                                       reference)
    if curves:
        curve_dir = os.path.join(out_dir, 'curves')
        os.makedirs(curve_dir, exist_ok=True)
        todo = [(r, curve_dir) for r in rows if r.run is not None and r.run.last_iter is not None]
        paths += tables._map(_curves_one, todo, jobs, progress, desc='drawing curves')
    return rows, paths
