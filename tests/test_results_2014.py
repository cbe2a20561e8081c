"""make results-2014 on the original study's logs (../shared/logs/caffe2014, laid out
as the original repository's results/): the committed reference regenerates from
them identically, the scorecard shows no difference, and Figures 2 and 3 plot the
paper's points.  Also the scorecard of runs that differ from 2014, and the errors."""
import csv
import functools
import os
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction

import pytest

from transfer_study import PROJECT_ROOT
from transfer_study import caffelog as logparse
from transfer_study import metric
from transfer_study.results import figures, scorecard, tables

RESULTS_CLI = os.path.join(PROJECT_ROOT, 'scripts', 'results.py')


def read_csv(path):
    with open(path) as f:
        return list(csv.DictReader(line for line in f if not line.startswith('#')))


@pytest.fixture(scope='module')
def orig(tmp_path_factory):
    """What `make results-2014 ORIGINAL=../shared/logs/caffe2014` runs (curves aside),
    also writing the reference of those logs."""
    from conftest import SHARED
    logs = os.path.join(SHARED, 'logs', 'caffe2014')
    if not os.path.isdir(os.path.join(logs, 'half0A')):
        pytest.skip('%s: the original study logs are not there' % logs)
    out = str(tmp_path_factory.mktemp('original-2014'))
    ref = os.path.join(out, 'reference.csv')
    p = subprocess.run([sys.executable, RESULTS_CLI, '--original', logs, '--out', out,
                        '--no-curves', '--write-reference', ref],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    assert p.returncode == 0, p.stderr
    assert 'networks: 136 done, 34 not started' in p.stdout
    return dict(logs=logs, out=out, ref=ref)


@functools.lru_cache(maxsize=None)
def exact_top10(logs, name):
    """Independently of the results pipeline: the parser's exact metric of one run."""
    return metric.top10_mean(logparse.parse_run(os.path.join(logs, name)))


def test_committed_reference_regenerates_identically(orig):
    with open(orig['ref']) as f, open(scorecard.REFERENCE) as g:
        assert f.read() == g.read()
    ref = scorecard.load_reference()
    assert len(ref) == 136 + 12
    assert ref['netbase']['top10_mean'] == '0.57630'     # the paper's base net, 42.5 % error
    assert ref['half0A'] == dict(network='half0A', top10_mean='0.61510',
                                 top10_mean_exact='0.61510', final_acc='0.614559',
                                 test_passes='450', last_iter='450000', source='logs')
    assert ref['transfernatmanBA_1_5']['top10_mean'] == '0.52190'   # exact, not numpy's 0.52189
    assert ref['reduced-1300']['top10_mean'] == '0.55176'
    assert ref['reduced-1300']['source'] == 'Table S1'
    assert 'make reference-2014 ORIGINAL=' in open(scorecard.REFERENCE).read()


def test_scorecard_of_the_2014_logs_shows_no_difference(orig):
    card = read_csv(os.path.join(orig['out'], 'scorecard.csv'))
    assert len(card) == 136
    for row in card:
        assert row['difference'] == '+0.00000', row
        assert row['within_spread'] == 'yes', row
        for k in ('top10_mean', 'final_acc', 'test_passes', 'last_iter'):
            assert row[k] == row[k + '_2014'] != '', (row['network'], k)
    md = open(os.path.join(orig['out'], 'scorecard.md')).read()
    assert md.startswith('# Scorecard: the 2014 logs') and 'this run' not in md
    assert ('136 networks with test passes; 136 with a 2014 value: 136 within the study\'s '
            'spread, 0 outside; 136 identical to 2014') in md
    by = dict((r['network'], r) for r in card)
    # the spread the study shows between its eight base halves: 0.63408 - 0.61510
    assert by['half3B']['spread_2014'] == '0.01898'
    assert by['half3B']['spread_of'] == 'halves (8 runs)'
    assert by['transfer2A2B_1_4']['spread_of'] == 'transfers-frozen transfer, n=4 (8 runs)'
    assert by['transfer2A2A_1_4']['spread_of'] == 'transfers-frozen selffer, n=4 (4 runs)'
    assert by['netbase']['spread_of'] == 'halves (8 runs)'


def test_figure_2_plots_the_papers_points(orig):
    logs, out = orig['logs'], orig['out']
    points = read_csv(os.path.join(out, 'figure_2_points.csv'))
    means = dict(((m['series'], int(m['n'])), m) for m in read_csv(
        os.path.join(out, 'figure_2_means.csv')))
    # top: every point is its network's exact top-10 mean
    for p in points:
        assert Decimal(p['top1']) == exact_top10(logs, p['network']), p
        assert abs(float(p['x']) - int(p['n'])) < 0.4    # spread sideways around n
    series = dict((p['network'], p['series']) for p in points)
    halves = ['half%d%s' % (s, h) for s in range(4) for h in 'AB']
    assert [n for n in series if series[n] == 'base'] == halves
    assert series['transfer3A3A_1_5'] == 'BnB' and series['transfer3B3A_1_5'] == 'AnB'
    assert series['transfer-ft1A1A_1_3'] == 'BnB+' and series['transfer-ft0A0B_1_7'] == 'AnB+'
    assert len(points) == 8 + 28 + 56 + 10 + 10    # the published transfer-ft logs: 20

    def mean(names):
        values = [Fraction(exact_top10(logs, n)) for n in names]
        return sum(values) / len(values)

    def close(text, value):
        return abs(Fraction(Decimal(text)) - value) <= Fraction(1, 2 * 10 ** 10)

    base = mean(halves)
    assert close(means[('BnB', 0)]['mean_top1'], base) and means[('BnB', 0)]['networks'] == '8'
    assert means[('AnB', 0)]['mean_top1'] == means[('BnB+', 0)]['mean_top1'] == \
        means[('BnB', 0)]['mean_top1'] == '0.6251013750'
    for n in range(1, 8):
        bnb = ['transfer%dA%dA_1_%d' % (s, s, n) for s in range(4)]
        anb = ['transfer%d%s%d%s_1_%d' % (s, a, s, b, n) for s in range(4)
               for a, b in ('AB', 'BA')]
        assert close(means[('BnB', n)]['mean_top1'], mean(bnb))
        assert close(means[('AnB', n)]['mean_top1'], mean(anb))
        assert means[('BnB', n)]['networks'] == '4' and means[('AnB', n)]['networks'] == '8'
        for role, pattern in (('BnB+', 'transfer-ft%dA%dA_1_%d'), ('AnB+', 'transfer-ft%dA%dB_1_%d')):
            have = [pattern % (s, s, n) for s in range(2)
                    if os.path.isdir(os.path.join(logs, pattern % (s, s, n)))]
            assert close(means[(role, n)]['mean_top1'], mean(have))
            assert means[(role, n)]['networks'] == str(len(have))
    # the paper's reading of Figure 2: AnB falls to ~0.54 at n = 7, BnB dips at n = 4, 5
    # and recovers, the fine-tuned transfer beats the base at every n
    assert means[('AnB', 7)]['mean_top1'] == '0.5424864625'
    assert float(means[('BnB', 5)]['mean_top1']) < float(means[('BnB', 7)]['mean_top1'])
    assert all(float(means[('AnB+', n)]['mean_top1']) > float(base) for n in range(1, 8))


def test_figure_3_plots_the_papers_points(orig):
    logs, out = orig['logs'], orig['out']
    points = read_csv(os.path.join(out, 'figure_3_points.csv'))
    rel = dict(((r['series'], int(r['n'])), r) for r in read_csv(
        os.path.join(out, 'figure_3_relative.csv')))
    lines = {}
    for p in points:
        assert Decimal(p['top1']) == exact_top10(logs, p['network']), p
        lines.setdefault((p['panel'], p['series']), []).append((int(p['n']), p['network']))
    # top left: halfnatmanA is the natural half (the paper's text swaps A and B)
    assert lines[('natman', 'natural target')] == \
        [(0, 'halfnatmanA')] + [(n, 'transfernatmanBA_1_%d' % n) for n in range(1, 8)]
    assert lines[('natman', 'man-made target')] == \
        [(0, 'halfnatmanB')] + [(n, 'transfernatmanAB_1_%d' % n) for n in range(1, 8)]
    # top right: random untrained filters, n = 0 the net trained on all of ImageNet
    assert lines[('random', 'random features')] == \
        [(0, 'netbase')] + [(n, 'nolearn_1_%d' % n) for n in range(1, 8)]

    def relative(pairs):
        values = [Fraction(exact_top10(logs, a)) - Fraction(exact_top10(logs, b))
                  for a, b in pairs]
        return sum(values) / len(values)

    for n in range(8):
        assert rel[('mean AnB, random splits', n)] and rel[('random features', n)]
        if n == 0:
            for s in ('mean AnB, random splits', 'mean AnB, m/n split', 'random features'):
                assert rel[(s, 0)]['relative_top1'] == '0.0000000000'
            continue
        splits = [('transfer%d%s%d%s_1_%d' % (s, a, s, b, n), 'half%d%s' % (s, b))
                  for s in range(4) for a, b in ('AB', 'BA')]
        natman = [('transfernatmanAB_1_%d' % n, 'halfnatmanB'),
                  ('transfernatmanBA_1_%d' % n, 'halfnatmanA')]
        for series, pairs in (('mean AnB, random splits', splits), ('mean AnB, m/n split', natman),
                              ('random features', [('nolearn_1_%d' % n, 'netbase')])):
            got = Fraction(Decimal(rel[(series, n)]['relative_top1']))
            assert abs(got - relative(pairs)) <= Fraction(1, 2 * 10 ** 10), (series, n)
    # the paper: dissimilar tasks transfer worse at every n from 3 on, random
    # filters collapse to chance from n = 3
    for n in range(3, 8):
        assert float(rel[('mean AnB, m/n split', n)]['relative_top1']) < \
            float(rel[('mean AnB, random splits', n)]['relative_top1'])
    assert float(rel[('random features', 3)]['relative_top1']) < -0.5


def _log2014(accs):
    """A 2014-format Caffe log with these test accuracies at 1000, 2000, ..."""
    text = []
    for i, a in enumerate(accs):
        it = 1000 * (i + 1)
        text.append('I0403 06:46:22.569 23304 solver.cpp:217] Iteration %d, lr = 0.01\n'
                    'I0403 06:46:22.569 23304 solver.cpp:96] Iteration %d, Testing net\n'
                    'I0403 06:47:22.569 23304 solver.cpp:123] Test score #0: %s\n'
                    'I0403 06:47:22.569 23304 solver.cpp:123] Test score #1: 2.5\n' % (it, it, a))
    return ''.join(text)


def test_scorecard_of_runs_that_differ(tmp_path):
    """Ours vs the committed reference: the difference, and whether it lies within
    the spread of the study's runs of the same treatment."""
    ref = scorecard.load_reference()
    results = tmp_path / 'results'
    for name, accs in (('half0A', ['0.6'] * 12),                   # 0.61510 in 2014
                       ('transfer0A0B_1_7', ['0.4', '0.45']),      # far below 2014
                       ('nolearn_1_3', ['0.0012'] * 3)):
        (results / name).mkdir(parents=True)
        log = results / name / '140403_063910_x.o1'
        log.write_text(_log2014(accs))
        os.utime(str(log), (1e9, 1e9))    # written long ago: interrupted, not running
    rows = tables.collect(str(results), jobs=1, progress=False)
    from transfer_study.nets import catalog
    entries = dict((e['network'], e) for e in scorecard.scorecard(rows, ref, catalog.load()))
    assert sorted(entries) == ['half0A', 'nolearn_1_3', 'transfer0A0B_1_7']
    half = entries['half0A']
    assert half['top10_mean'] == Decimal('0.60000') and half['top10_mean_2014'] == Decimal('0.61510')
    assert half['difference'] == Decimal('-0.01510')
    assert half['spread_2014'] == Decimal('0.01898') and half['within_spread'] is True
    assert half['test_passes'] == 12 and half['test_passes_2014'] == 450
    assert not scorecard.identical(half)
    t = entries['transfer0A0B_1_7']
    anb7 = [Decimal(ref['transfer%d%s%d%s_1_7' % (s, a, s, b)]['top10_mean'])
            for s in range(4) for a, b in ('AB', 'BA')]
    assert t['spread_2014'] == max(anb7) - min(anb7)
    assert t['difference'] == Decimal('0.42500') - Decimal(ref['transfer0A0B_1_7']['top10_mean'])
    assert t['within_spread'] is False
    assert entries['nolearn_1_3']['spread_of'] == 'halves (8 runs)'
    paths = scorecard.write_scorecard(list(entries.values()), str(tmp_path))
    md = open(paths[1]).read()
    assert '3 networks with test passes; 3 with a 2014 value: 2 within' in md
    assert '| half0A | interrupted | 0.60000 | 0.61510 | -0.01510 | 0.01898 | yes |' in md
    assert md.startswith('# Scorecard: this run against')


def test_reduced_networks_are_not_judged_against_the_halves(tmp_path):
    """Table S1 holds one run per n: no spread to judge a reduced-n network by (the
    base halves' 0.019 is larger than most of its values)."""
    results = tmp_path / 'results'
    (results / 'reduced-0010').mkdir(parents=True)
    log = results / 'reduced-0010' / '140403_063910_x.o1'
    log.write_text(_log2014(['0.02'] * 3))
    os.utime(str(log), (1e9, 1e9))
    rows = tables.collect(str(results), jobs=1, progress=False)
    from transfer_study.nets import catalog
    entry, = scorecard.scorecard(rows, scorecard.load_reference(), catalog.load())
    assert entry['top10_mean_2014'] == Decimal('0.00106') and entry['reference'] == 'Table S1'
    assert entry['spread_2014'] is None and entry['within_spread'] is None
    assert entry['spread_of'] == 'none: Table S1 holds one run per n'
    md = open(scorecard.write_scorecard([entry], str(tmp_path))[1]).read()
    assert '0 within the study\'s spread, 0 outside' in md and '1 not judged' in md


def test_scorecard_axes_fit_every_point(tmp_path):
    """The demo's 35 tiny-profile networks (10 classes: accuracies up to ~0.9, far
    from 2014's) are all inside the scorecard's axes, and its caption counts them."""
    from transfer_study.results import plotting
    ref = scorecard.load_reference()
    names = sorted(ref)[:35]
    entries = []
    for i, name in enumerate(names):
        ours = Decimal('0.%05d' % (2000 + i * 2500))           # 0.02 ... 0.87
        entries.append(dict(
            network=name, status='done' if i % 5 else 'interrupted', top10_mean=ours,
            top10_mean_2014=Decimal(ref[name]['top10_mean']), difference=None,
            spread_2014=None, spread_of='', within_spread=None, final_acc=None,
            final_acc_2014=None, test_passes=3, test_passes_2014=None, last_iter=300,
            last_iter_2014=None, reference='logs'))
    lo, hi = scorecard.axis_limits(entries)
    for e in entries:
        for k in ('top10_mean', 'top10_mean_2014'):
            assert lo < float(e[k]) < hi, (e['network'], k, lo, hi)
    source = plotting.Source(profile='tiny', classes=10)
    paths = scorecard.write_scorecard(entries, str(tmp_path), source=source)
    md = open(paths[1]).read()
    assert md.startswith('# Scorecard: this run (profile tiny, 10 classes) against')
    assert 'Profile tiny' in md and '35 networks with test passes' in md
    assert os.path.getsize(os.path.join(str(tmp_path), 'scorecard.png')) > 10000


def test_reference_errors_name_the_line(tmp_path):
    text = open(scorecard.REFERENCE).read()
    bad = tmp_path / 'ref.csv'
    bad.write_text(text.replace('half0B,0.63408', 'half0B,0.6x408'))
    with pytest.raises(tables.ResultsError) as e:
        scorecard.load_reference(str(bad))
    line = [i + 1 for i, l in enumerate(text.splitlines()) if l.startswith('half0B,')][0]
    assert '%s:%d: not a number' % (bad, line) in str(e.value)
    with pytest.raises(tables.ResultsError, match='cannot read the reference'):
        scorecard.load_reference(str(tmp_path / 'none.csv'))


def test_original_must_hold_the_original_logs(tmp_path):
    for arg, why in ((str(tmp_path / 'none'), 'no such directory'),
                     (str(tmp_path), 'holds no results/<network>/*.gz logs')):
        p = subprocess.run([sys.executable, RESULTS_CLI, '--original', arg, '--out',
                            str(tmp_path / 'out')], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True)
        assert p.returncode == 2 and why in p.stderr and 'Traceback' not in p.stderr
    # a clone's layout (results/<name>/) is found as well as the folder itself
    (tmp_path / 'clone' / 'results' / 'half0A').mkdir(parents=True)
    (tmp_path / 'clone' / 'results' / 'half0A' / '140403_063910_half0A.o1.gz').write_bytes(b'')
    assert scorecard.resolve_original(str(tmp_path / 'clone')) == \
        str(tmp_path / 'clone' / 'results')
    assert scorecard.resolve_original(str(tmp_path / 'clone' / 'results')) == \
        str(tmp_path / 'clone' / 'results')
    p = subprocess.run(['make', '-s', '-C', PROJECT_ROOT, 'results-2014'],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    assert p.returncode == 2
    assert 'make results-2014: set ORIGINAL=<a clone of yosinski/convnet_transfer' in p.stderr
