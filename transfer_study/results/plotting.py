"""What every drawing of make results shares: matplotlib (Agg), saving a figure
atomically, the caption line under it, the note of an empty panel, the CSV of
the plotted values, the clean-up of a killed run's temp files, and the words
that say where the numbers come from (Source)."""
import os
import re

import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402,F401  (the modules that draw use plotting.plt)

from transfer_study import files  # noqa: E402
from transfer_study.results import tables  # noqa: E402


class Source(object):
    """Where the plotted numbers come from: the original study's logs (original=True)
    or this run, trained under a catalog profile on `classes` classes."""

    def __init__(self, original=False, profile='paper', classes=None):
        self.original, self.profile, self.classes = original, profile, classes

    @property
    def label(self):
        return '2014 logs' if self.original else 'this run'

    @property
    def paper_scale(self):
        """True when the numbers can be read on the paper's scale (1000 ImageNet classes)."""
        return self.original or (self.profile == 'paper' and self.classes in (None, 1000))

    def describe(self):
        """'the 2014 logs' / 'this run (profile tiny, 10 classes)', for captions."""
        if self.original:
            return "the original study's 2014 logs"
        if self.paper_scale:
            return 'this run'
        what = ['profile %s' % self.profile]
        if self.classes:
            what.append('%d classes' % self.classes)
        return 'this run (%s)' % ', '.join(what)


def count_classes(synsets_path):
    """Lines of a synsets.txt (the classes of a dataset root), None when absent."""
    try:
        with open(synsets_path) as f:
            return sum(1 for line in f if line.strip()) or None
    except (IOError, OSError):
        return None


def caption(fig, lines, fontsize=11):
    """The caption under a figure: what it shows beyond the paper's own drawing."""
    text = '\n'.join(l for l in lines if l)
    if text:
        fig.text(0.5, 0.008, text, ha='center', va='bottom', fontsize=fontsize, color='0.2',
                 wrap=True)


def no_data(ax, what):
    ax.text(0.5, 0.5, 'no results yet for %s' % what, transform=ax.transAxes,
            ha='center', va='center', fontsize=11, color='0.4')


def save(fig, out_base, formats=('png',), dpi=100):
    paths = []
    for ext in formats:
        path = '%s.%s' % (out_base, ext)
        with files.atomic_path(path) as tmp:
            fig.savefig(tmp, dpi=dpi)
        paths.append(path)
    plt.close(fig)
    return paths


def fmt(x):
    from decimal import Decimal
    if isinstance(x, Decimal):
        return format(x, 'f')   # 0.0000000000, not 0E-10
    return '' if x is None else str(x)


def write_csv(path, header, lines):
    files.write_atomic(path, tables._csv_text(header, [[fmt(v) for v in l] for l in lines]))
    return path


# files.write_atomic / atomic_path name their temp files ".<name>.<random>.tmp[<ext>]"
TEMP_RE = re.compile(r'^\..+\.[A-Za-z0-9_]+\.tmp(\.[A-Za-z0-9]+)?$')


def clean_temps(directory):
    """Remove the temp files a killed make results left in directory (a finished
    write renames its temp file; a killed one never does, and nothing else would
    remove it).  Two make results into one directory at once are not supported."""
    removed = []
    try:
        names = os.listdir(directory)
    except OSError:
        return removed
    for name in names:
        path = os.path.join(directory, name)
        if TEMP_RE.match(name) and os.path.isfile(path):
            try:
                os.unlink(path)
                removed.append(path)
            except FileNotFoundError:
                pass
    return removed
