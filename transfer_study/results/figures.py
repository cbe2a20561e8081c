"""The paper's figures from summary rows (tables.collect), drawn as the paper
draws them (its plots: result_transfer.png, result_transfer_lines.png,
result_random_nm_combined.png, result_reduced.png).

Every point is a network's summary metric (the exact mean of its 10 best
test passes); missing networks are absent, never zero.  What the paper does
not draw is said in a caption line under the figure: an unfinished network
(translucent, dashed edge: the paper's hollow markers are its base nets),
Table S1's values beside this run's, the profile of a run that is not the
paper's.  Each figure's plotted values are also written as CSV beside it.

  figure_2     top: base (hollow circles, n = 0), BnB, BnB+, AnB, AnB+, each role
               stacked at its offset from n.  Bottom: plain lines through the
               means per n, the base level dashed, the shaded regions and the
               numbered interpretations 2-5.  figure_2_points.csv, _means.csv
  figure_3     top: natural/man-made transfer, random untrained filters; bottom,
               twice as tall: each network minus its own base, mean per n, y from
               -0.30 to 0.03.  figure_3_points.csv, figure_3_relative.csv
  figure_s1    top-1 vs examples per class, linear and log axes.  figure_s1.csv

Roles are asked of the catalog: its groups, each network's base and n, which
natural/man-made half a set is.  A copied network is a selffer (BnB) when its
base trained on its own training set, a transfer (AnB) otherwise.
"""
import math
import os
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

from matplotlib.gridspec import GridSpec
from matplotlib.lines import Line2D
from matplotlib.ticker import MultipleLocator

from transfer_study.results import plotting, tables
from transfer_study.results.plotting import plt

# The paper's colours (its matplotlib's 'b', 'r', 'y' and light tints of them).
BLUE, LIGHT_BLUE, RED, LIGHT_RED = '#0000ff', '#a8a8ff', '#ff0000', '#f4a8a8'
ORANGE, OLIVE = '#ff8c00', '#bfbf00'
# role -> (legend label, marker, face colour, '+' overlaid, x offset from n)
STYLE = {
    'base': ('baseB', 'o', 'white', False, 0.0),
    'BnB': ('selffer BnB', 'o', BLUE, False, -0.25),
    'BnB+': ('selffer BnB$^+$', 'o', LIGHT_BLUE, True, -0.09),
    'AnB': ('transfer AnB', 'D', RED, False, 0.09),
    'AnB+': ('transfer AnB$^+$', 'D', LIGHT_RED, True, 0.27),
}
ROLES = ('BnB', 'BnB+', 'AnB', 'AnB+')
LINE = {'BnB': BLUE, 'BnB+': LIGHT_BLUE, 'AnB': RED, 'AnB+': LIGHT_RED}
SHADE = {'2': '#ececfb', '4': '#fcc8c8', '5': '#fdeaea'}   # the paper's regions
MARKER_SIZE = 12                     # points, as the paper's
UNFINISHED = 'translucent markers with a dashed edge: unfinished networks (their value so far)'
DIGITS = Decimal('0.0000000001')   # means are written to 10 decimals, rounded half-even
FONT = {'font.size': 14, 'axes.titlesize': 15, 'axes.labelsize': 13, 'xtick.direction': 'in',
        'ytick.direction': 'in', 'xtick.top': True, 'ytick.right': True}   # the paper's ticks


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


def figure3_series(cat):
    """{series: [(network, n)]} of Figure 3's top panels, n = 0 the target's base net:
    'natural target' / 'man-made target' (transfers between the natural and man-made
    halves) and 'random features' (the random-filter nets)."""
    out = {}
    for name in cat.group('transfers-natman'):
        e = cat.get(name)
        series = out.setdefault('%s target' % cat.natman_half(e.train_set), [])
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


# ------------------------------------------------------------ drawing ---

def _scatter(ax, pts, role, size=MARKER_SIZE, face=None, marker=None):
    """pts: [(x, value, finished)]; finished in the role's style, unfinished
    translucent with a dashed edge (hollow is the paper's base net)."""
    _, m, f, plus, _ = STYLE[role]
    m, f = marker or m, face or f
    for finished in (True, False):
        xy = [(x, float(v)) for x, v, done in pts if done == finished]
        if not xy:
            continue
        xs, ys = zip(*xy)
        kw = dict(s=size ** 2, marker=m, zorder=4, linewidths=1.5 if role == 'base' else 1.0,
                  clip_on=False)
        if finished:
            ax.scatter(xs, ys, facecolors=f, edgecolors='black', **kw)
        else:
            ax.scatter(xs, ys, facecolors=f, edgecolors='0.35', alpha=0.45,
                       linestyles='dashed', **kw)
        if plus:
            ax.scatter(xs, ys, s=(size * 0.55) ** 2, marker='+', color='black',
                       linewidths=1.6, zorder=5, clip_on=False)


def _handle(role, face=None, marker=None):
    _, m, f, plus, _ = STYLE[role]
    dot = Line2D([], [], ls='none', marker=marker or m, ms=MARKER_SIZE * 0.9, mfc=face or f,
                 mec='black', mew=1.5 if role == 'base' else 1.0)
    if not plus:
        return dot
    return (dot, Line2D([], [], ls='none', marker='+', ms=MARKER_SIZE * 0.55, mec='black',
                        mew=1.6))


def _layer_axis(ax, label=True):
    ax.set_xlim(-0.2, 7.3)
    ax.set_xticks(range(8))
    if label:
        ax.set_xlabel('Layer $n$ at which network is chopped and retrained')


def _unfinished(statuses):
    return UNFINISHED if any(s != 'done' for s in statuses) else None


# ------------------------------------------------------------ Figure 2 ---

def figure2_values(rows, cat):
    """(points, means): points [(role, n, x, top1, network, status)] of the top panel
    (x: n plus the role's offset, as the paper stacks them), means [(role, n, mean
    top1, networks)] of the bottom one (n = 0: the base nets)."""
    roles = figure2_roles(cat)
    have = dict((r.name, r) for r in rows if r.top10 is not None)
    groups = {}
    for name in cat.names():
        if name in roles and name in have:
            n = 0 if roles[name] == 'base' else cat.get(name).n
            groups.setdefault((roles[name], n), []).append(have[name])
    points, means = [], []
    for (role, n), members in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        for r in members:
            points.append((role, n, round(n + STYLE[role][4], 4), r.top10, r.name, r.status))
    base = groups.get(('base', 0), [])
    for role in ROLES:
        if base and any((role, n) in groups for n in range(1, 8)):
            means.append((role, 0, _mean([r.top10 for r in base]), len(base)))
        for n in range(1, 8):
            members = groups.get((role, n))
            if members:
                means.append((role, n, _mean([r.top10 for r in members]), len(members)))
    return points, means


def figure_2(rows, cat, out_dir, source=None):
    source = source or plotting.Source()
    points, means = figure2_values(rows, cat)
    with plt.rc_context(FONT):
        fig, (top, bottom) = plt.subplots(2, 1, figsize=(15, 16.4))
        _figure_2_top(top, points, source)
        _figure_2_bottom(bottom, means)
        notes = ['Figure 2 from %s: top, every network; bottom, the mean of each treatment.'
                 % source.describe(), _unfinished([p[5] for p in points])]
        if points and not source.paper_scale:
            notes.append('Axes fitted to these values (the paper fixes 0.52-0.66 for its '
                         '1000-class runs).')
        plotting.caption(fig, notes)
        fig.subplots_adjust(left=0.08, right=0.97, top=0.98, bottom=0.07, hspace=0.12)
    paths = [plotting.write_csv(os.path.join(out_dir, 'figure_2_points.csv'),
                                ['series', 'n', 'x', 'top1', 'network', 'status'], points),
             plotting.write_csv(os.path.join(out_dir, 'figure_2_means.csv'),
                                ['series', 'n', 'mean_top1', 'networks'], means)]
    return plotting.save(fig, os.path.join(out_dir, 'figure_2'), ('png', 'pdf')) + paths


def _figure_2_top(ax, points, source):
    handles = []
    for role in ('base',) + ROLES:
        pts = [(x, v, s == 'done') for r, _, x, v, _, s in points if r == role]
        if pts:
            _scatter(ax, pts, role)
            handles.append((_handle(role), STYLE[role][0]))
    ax.set_ylabel('Top-1 accuracy (higher is better)')
    _layer_axis(ax, label=False)
    values = [float(p[3]) for p in points]
    if not values:
        plotting.no_data(ax, 'the base halves and their transfer networks')
    elif source.paper_scale and 0.52 <= min(values) and max(values) <= 0.66:
        ax.set_ylim(0.52, 0.66)      # the paper's
    else:
        pad = 0.05 * ((max(values) - min(values)) or 0.1)
        ax.set_ylim(min(values) - pad, max(values) + pad)
    if handles:
        ax.legend(*zip(*handles), loc='lower left' if source.paper_scale else 'best',
                  numpoints=1, scatterpoints=1,
                  fontsize=15, borderpad=0.8, labelspacing=0.8, handletextpad=1.2,
                  fancybox=False, edgecolor='black')


ANNOTATIONS = {
    '2': '2: Performance drops\ndue to fragile\nco-adaptation',
    '3': '3: Fine-tuning recovers co-adapted interactions',
    '4': '4: Performance\ndrops due to\nrepresentation\nspecificity',
    '5': '5: Transfer + fine-tuning improves generalization',
}


def _figure_2_bottom(ax, means):
    line = dict((role, dict((n, float(m)) for r, n, m, _ in means if r == role))
                for role in ROLES)
    base = [float(m) for _, n, m, _ in means if n == 0][:1]
    base = base[0] if base else None
    if base is not None:
        ax.plot([0, 7], [base, base], '--', color='black', lw=2, zorder=3)
    for role in ROLES:
        if line[role]:
            ns = sorted(line[role])
            ax.plot(ns, [line[role][n] for n in ns], '-', color=LINE[role], lw=2, zorder=3)
    if base is not None:
        ax.scatter([0], [base], s=MARKER_SIZE ** 2, facecolors='white', edgecolors='black',
                   linewidths=2, zorder=6, clip_on=False)
    _layer_axis(ax)
    ax.set_ylabel('Top-1 accuracy (higher is better)')
    every = [v for pts in line.values() for v in pts.values()]
    if not every:
        plotting.no_data(ax, 'the means per n')
        return
    lo, hi = min(every), max(every)
    span = (hi - lo) or 0.01
    ax.set_ylim(math.floor(lo * 50) / 50, hi + 0.08 * span)   # the paper's: 0.54 at the bottom
    _regions(ax, line, base, span)


def _regions(ax, line, base, span):
    """The paper's shaded regions and its numbered interpretations beside them:
    2 (BnB below the base), 4 (AnB below BnB), 5 (AnB+ above the base) and 3
    (between BnB+ and AnB+), each drawn only where the values show it."""
    bnb, bnbp, anb, anbp = (line[r] for r in ROLES)
    text = dict(fontsize=16, zorder=7, linespacing=1.1)
    if base is not None and len(anbp) > 1:
        ns = sorted(set(anbp) | {0})
        ys = [anbp.get(n, base) for n in ns]
        ax.fill_between(ns, [base] * len(ns), ys, where=[y >= base for y in ys],
                        interpolate=True, color=SHADE['5'], lw=0, zorder=1)
        if max(anbp.values()) > base:   # above every line, as the paper's
            top = max(v for pts in line.values() for v in pts.values())
            ax.text(7, top + 0.012 * span, ANNOTATIONS['5'], ha='right', va='bottom', **text)
    if len(anbp) > 1 and len(bnbp) > 1:
        late = [n for n in sorted(set(anbp) & set(bnbp)) if n >= 3] or sorted(set(anbp))
        gaps = [(anbp[n] + max(bnbp[n], base or bnbp[n])) / 2 for n in late if n in bnbp]
        if gaps and all(anbp[n] > bnbp[n] for n in late if n in bnbp):
            ax.text(7, sum(gaps) / len(gaps), ANNOTATIONS['3'], ha='right', va='center', **text)
    if base is not None and len(bnb) > 1:
        ns = sorted(set(bnb) | {0})
        ys = [bnb.get(n, base) for n in ns]
        ax.fill_between(ns, ys, [base] * len(ns), where=[y <= base for y in ys],
                        interpolate=True, color=SHADE['2'], lw=0, zorder=2)
        n = min(bnb, key=lambda k: bnb[k])
        if bnb[n] < base - 0.05 * span:
            ax.text(max(n - 0.3, 1.5), (bnb[n] + 2 * base) / 3, ANNOTATIONS['2'],
                    ha='center', va='center', **text)
    common = sorted(set(bnb) & set(anb))
    if len(common) > 1:
        ax.fill_between(common, [anb[n] for n in common], [bnb[n] for n in common],
                        where=[anb[n] <= bnb[n] for n in common], interpolate=True,
                        color=SHADE['4'], lw=0, zorder=2)
        last = common[-2:]
        if all(bnb[n] - anb[n] > 0.1 * span for n in last):
            y = sum((bnb[n] + anb[n]) / 2 for n in last) / len(last)
            ax.text(common[-1] - 0.05, y, ANNOTATIONS['4'], ha='right', va='center',
                    multialignment='right', **text)


# ------------------------------------------------------------ Figure 3 ---

def figure3_values(rows, cat):
    """(points, relative): points [(panel, series, n, x, top1, network, status)] of the
    top panels (x = n: the paper stacks both series on n); relative [(series, n, mean
    of top1 minus own base, networks)] of the bottom one, for 'mean AnB, random
    splits', 'mean AnB, m/n split', 'random features'."""
    have = dict((r.name, r) for r in rows if r.top10 is not None)
    points = []
    for series, members in sorted(figure3_series(cat).items()):
        panel = 'random' if series == 'random features' else 'natman'
        for name, n in members:
            if name in have:
                r = have[name]
                points.append((panel, series, n, n, r.top10, r.name, r.status))
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


# series -> (colour, marker, marker size) of Figure 3, as the paper's
SERIES3 = {'natman': (ORANGE, 'h', 12), 'random': (OLIVE, 'v', 12),
           'mean AnB, random splits': (RED, 'D', 12), 'mean AnB, m/n split': (ORANGE, 'h', 12),
           'random features': (OLIVE, 'v', 13)}
RELATIVE_YLIM = (-0.30, 0.03)


def figure_3(rows, cat, out_dir, source=None):
    source = source or plotting.Source()
    points, relative = figure3_values(rows, cat)
    with plt.rc_context(FONT):
        fig = plt.figure(figsize=(14, 10.6))
        grid = GridSpec(2, 2, figure=fig, height_ratios=(1, 2), hspace=0.17, wspace=0.12,
                        left=0.09, right=0.9, top=0.93, bottom=0.14)
        natman_ax, random_ax = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1])
        rel_ax = fig.add_subplot(grid[1, :])
        notes = ['Figure 3 from %s.' % source.describe()]
        for ax, panel, title in ((natman_ax, 'natman', 'Man-made/Natural split'),
                                 (random_ax, 'random', 'Random, untrained filters')):
            _figure_3_top(ax, panel, [p for p in points if p[0] == panel])
            ax.set_title(title)
        natman_ax.set_ylabel('Top-1 accuracy')
        order = _natman_order(points)
        if order:
            notes.append('Top left: %s.' % order)
        clipped = _figure_3_relative(rel_ax, relative, source)
        if clipped:
            notes.append(clipped)
        notes.append(_unfinished([p[6] for p in points]))
        plotting.caption(fig, notes)
    paths = [plotting.write_csv(os.path.join(out_dir, 'figure_3_points.csv'),
                                ['panel', 'series', 'n', 'x', 'top1', 'network', 'status'],
                                points),
             plotting.write_csv(os.path.join(out_dir, 'figure_3_relative.csv'),
                                ['series', 'n', 'relative_top1', 'networks'], relative)]
    return plotting.save(fig, os.path.join(out_dir, 'figure_3'), ('png', 'pdf')) + paths


def _figure_3_top(ax, panel, pts):
    colour, marker, size = SERIES3[panel]
    for series in sorted(set(p[1] for p in pts)):
        mine = sorted((p for p in pts if p[1] == series), key=lambda p: p[2])
        ax.plot([p[3] for p in mine], [float(p[4]) for p in mine], '-', color=colour, lw=1.5,
                zorder=3)
        _scatter(ax, [(p[3], p[4], p[6] == 'done') for p in mine if p[2] == 0], 'base',
                 size=size)
        _scatter(ax, [(p[3], p[4], p[6] == 'done') for p in mine if p[2] > 0], 'base',
                 size=size, face=colour, marker=marker)
    if not pts:
        plotting.no_data(ax, 'these networks')
    _layer_axis(ax, label=False)
    values = [float(p[4]) for p in pts]
    if values:   # the paper's: 0.25-0.7 and 0-0.6, i.e. down to 0.05, up to 0.1
        ax.set_ylim(math.floor(min(values) * 20) / 20, math.ceil(max(values) * 10) / 10)
        ax.yaxis.set_major_locator(MultipleLocator(0.1))


def _natman_order(points):
    """Which line of the top left panel is which (the paper says so in its text)."""
    base = dict((p[1], float(p[4])) for p in points if p[0] == 'natman' and p[2] == 0)
    if len(base) < 2:
        return None
    upper, lower = sorted(base, key=lambda s: -base[s])
    return 'upper line %s (its base at n = 0), lower line %s' % (upper, lower)


def _figure_3_relative(ax, relative, source):
    """The bottom panel; returns a caption note when points lie outside the paper's y."""
    for series in ('mean AnB, random splits', 'mean AnB, m/n split', 'random features'):
        pts = [(n, float(v)) for s, n, v, _ in relative if s == series]
        colour, marker, size = SERIES3[series]
        if pts:
            ax.plot(*zip(*pts), '-', color=colour, lw=1.5, zorder=3)
            ax.plot(*zip(*[p for p in pts if p[0] > 0]), ls='none', marker=marker, ms=size,
                    mfc=colour, mec='black', zorder=4)
    handles = [Line2D([], [], ls='none', marker='o', ms=12, mfc='white', mec='black', mew=2)]
    labels = ['reference']
    for series in ('mean AnB, random splits', 'mean AnB, m/n split', 'random features'):
        colour, marker, size = SERIES3[series]
        handles.append(Line2D([], [], color=colour, lw=1.5, marker=marker, ms=size, mfc=colour,
                              mec='black'))
        labels.append(series)
    if relative:
        ax.scatter([0], [0], s=12 ** 2, facecolors='white', edgecolors='black', linewidths=2,
                   zorder=6, clip_on=False)
    else:
        plotting.no_data(ax, 'transfer and random-filter networks with their base nets')
    _layer_axis(ax)
    ax.set_ylabel('Relative top-1 accuracy (higher is better)')
    where = dict(loc='lower center', bbox_to_anchor=(0.55, 0.0)) if source.paper_scale \
        else dict(loc='best')
    ax.legend(handles, labels, numpoints=1, fontsize=16, fancybox=False, edgecolor='black',
              **where)
    values = [float(v) for _, _, v, _ in relative]
    lo, hi = RELATIVE_YLIM
    if values and not source.paper_scale and (min(values) < lo or max(values) > hi):
        pad = 0.05 * ((max(values) - min(values)) or 0.1)
        ax.set_ylim(min(min(values) - pad, lo), max(max(values) + pad, hi))
        return 'Bottom: y fitted to these values (the paper fixes -0.30 to 0.03).'
    ax.set_ylim(lo, hi)
    out = [s for s, _, v, _ in relative if not lo <= float(v) <= hi]
    if out:
        return ('Bottom: y from -0.30 to 0.03 as the paper\'s; %s leaves the plot below '
                '(values in figure_3_relative.csv).' % ', '.join(sorted(set(out))))
    return None


# ------------------------------------------------------------ Figure S1 ---

def figure_s1(rows, out_dir, source=None):
    """Supplementary Figure S1: top-1 vs examples per class, linear and log axes."""
    source = source or plotting.Source()
    t = tables.table_s1(rows)
    ours = [(n, v, s == 'done') for n, v, _, s in t if v is not None]
    paper = [(n, p) for n, _, p, _ in t]
    with plt.rc_context(FONT):
        fig, axes = plt.subplots(2, 1, figsize=(12, 10.6))
        for ax, scale in zip(axes, ('linear', 'log')):
            _figure_s1_panel(ax, scale, ours, paper, source)
        if ours:
            notes = ['Figure S1 from %s (blue); grey crosses: the paper\'s Table S1 '
                     '(1000 classes) for comparison.' % source.describe(),
                     _unfinished([s for _, v, _, s in t if v is not None])]
            if not source.paper_scale:
                notes.append('Chance here is 1/classes of this run, not the paper\'s 0.001.')
        elif source.original:
            notes = ['Figure S1: the values of the paper\'s Table S1 (the reduced-n logs were '
                     'not published with the others).']
        else:
            notes = ['Figure S1: no reduced-n results from %s yet; grey crosses: the '
                     'paper\'s Table S1.' % source.describe()]
        plotting.caption(fig, notes)
        fig.subplots_adjust(left=0.1, right=0.92, top=0.95, bottom=0.13, hspace=0.22)
    csv_path = plotting.write_csv(os.path.join(out_dir, 'figure_s1.csv'),
                                  ['examples_per_class', 'top1', 'paper', 'status'],
                                  [(n, v, '%.5f' % p, s or '') for n, v, p, s in t])
    return plotting.save(fig, os.path.join(out_dir, 'figure_s1'), ('png', 'pdf')) + [csv_path]


def _figure_s1_panel(ax, scale, ours, paper, source):
    blue = dict(color=BLUE, lw=2, marker='o', ms=14, mfc=BLUE, mec='black', zorder=3,
                clip_on=False)
    if ours:
        ax.plot(*zip(*paper), 'x--', color='0.55', ms=9, mew=1.5, lw=1, zorder=2)
        ax.plot([n for n, _, _ in ours], [float(v) for _, v, _ in ours], ls='-', color=BLUE,
                lw=2, zorder=3)
        _scatter(ax, [(n, v, f) for n, v, f in ours], 'BnB', size=14)
    elif source.original:
        ax.plot(*zip(*paper), **blue)
    else:
        ax.plot(*zip(*paper), 'x--', color='0.55', ms=9, mew=1.5, lw=1, zorder=2)
        plotting.no_data(ax, 'reduced-NNNN')
    ax.set_ylabel('Top-1 accuracy')
    ax.set_xlabel('Number of examples per class (%s)' % scale)
    if scale == 'log':
        ax.set_xscale('log')
        ax.set_yscale('log')
        ax.set_xlim(1, 1300)
        low = min([p for _, p in paper] + [float(v) for _, v, _ in ours if v > 0])
        ax.set_ylim(min(1e-3, low * 0.9), 1)
    else:
        ax.set_xlim(0, 1350)
        ax.set_ylim(0, 0.6 if max([p for _, p in paper] + [float(v) for _, v, _ in ours])
                    <= 0.6 else None)
