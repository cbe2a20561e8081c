"""make results: summary, Table S1 and figures from partial and complete results."""
import csv
import os
import shutil
import subprocess
import sys
import time

import pytest

from transfer_study import PROJECT_ROOT
from transfer_study import caffelog as logparse
from transfer_study import metric
from transfer_study.results import figures, report, tables

from test_logparse import caffe_train

RESULTS_CLI = os.path.join(PROJECT_ROOT, 'scripts', 'results.py')


@pytest.fixture(scope='module')
def tiny_log(tmp_path_factory, caffe_tools):
    """One finished Caffe 1.0 log of the tiny net (max_iter 40)."""
    root = str(tmp_path_factory.mktemp('tinyroot'))
    return caffe_train(root, os.path.join(root, 'tiny.log'))


def _put(results, name, text, filename=None):
    d = os.path.join(results, name)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, filename or '%s.20261126-120000.log' % name)
    with open(path, 'w') as f:
        f.write(text)
    return path


def _png_ok(path):
    import matplotlib.image
    img = matplotlib.image.imread(path)
    assert img.shape[0] > 300 and img.shape[1] > 300
    assert img[..., :3].std() > 0.05, '%s looks blank' % path


def _summary_of(path):
    with open(path) as f:
        return dict((r['network'], r) for r in csv.DictReader(f))


def _summary(out):
    return _summary_of(os.path.join(out, 'summary.csv'))


@pytest.mark.parametrize('with_2014', [False, True], ids=['ours', 'beside-2014-logs'])
def test_partial_mixed_results(tiny_log, tmp_path, request, with_2014):
    results, out = str(tmp_path / 'results'), str(tmp_path / 'out')
    os.makedirs(results)
    text = open(tiny_log).read()
    for name in ('reduced-0001', 'reduced-1300', 'half1A', 'transfer1A1B_1_2', 'nolearn_1_2'):
        _put(results, name, text)
    # Stopped half way, long ago; and one still being written.
    half = text[:text.index('Iteration 25 ')]
    old = _put(results, 'reduced-0002', half[:half.rindex('\n') + 1])
    os.utime(old, (time.time() - 86400, time.time() - 86400))
    _put(results, 'reduced-0005', half)
    _put(results, 'half2A', '')                                   # empty log
    with open(_put(results, 'half3A', '', 'half3A.o99.gz'), 'wb') as f:
        f.write(b'\x1f\x8bthis is not gzip')                     # corrupt log
    with open(os.path.join(results, 'garbage.bin'), 'wb') as f:
        f.write(os.urandom(300))
    _put(results, 'junk', 'no caffe here\n', 'notes.txt')
    if with_2014:   # the original study's logs placed beside our runs
        shared = os.path.join(request.getfixturevalue('shared_dir'), 'logs', 'caffe2014')
        for name in ('netbase', 'half0A', 'transfer0A0B_1_3'):
            shutil.copytree(os.path.join(shared, name), os.path.join(results, name))

    p = subprocess.run([sys.executable, RESULTS_CLI, '--results', results, '--out', out],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    assert p.returncode == 0, p.stderr
    assert 'Traceback' not in p.stderr
    assert 'half3A.o99.gz' in p.stderr and 'gzip' in p.stderr
    assert 'half2A' in p.stderr and 'no iterations' in p.stderr

    s = _summary(out)
    assert len([n for n in s if s[n]['group'] != 'other']) == 170
    assert s['reduced-0001']['status'] == 'done'
    assert s['reduced-0001']['last_iter'] == '40' and s['reduced-0001']['test_passes'] == '5'
    # the run states of make status (runstate): stopped long ago, written just now
    assert s['reduced-0002']['status'] == 'interrupted'
    assert s['reduced-0005']['status'] == 'running'
    assert s['half2A']['status'] == 'running' and 'no iterations' in s['half2A']['note']
    assert s['half3A']['status'] == 'running' and 'half3A.o99.gz' in s['half3A']['note']
    missing = s['reduced-0010']
    assert missing['status'] == 'not started'
    assert missing['top10_mean'] == missing['final_acc'] == missing['last_iter'] == ''
    assert missing['max_iter'] == ''    # unknown without a log (the paper's would be wrong for tiny)
    assert s['reduced-0001']['max_iter'] == '40'   # from the log's solver parameters
    assert 'junk' not in s    # no Caffe log in it
    tiny = logparse.parse_run(os.path.join(results, 'reduced-0001'))
    assert s['reduced-0001']['top10_mean'] == metric.truncate5(metric.top10_mean(tiny))
    if with_2014:
        assert s['netbase']['top10_mean'] == '0.57630' and s['netbase']['status'] == 'done'
        assert s['half0A']['top10_mean'] == '0.61510'
        assert s['half0A']['test_passes'] == '450'

    with open(os.path.join(out, 'table_s1.csv')) as f:
        rows = list(csv.reader(f))
    assert rows[0] == ['examples_per_class', 'top1_accuracy']
    assert [int(r[0]) for r in rows[1:]] == [1300, 1000, 750, 500, 250, 100, 50, 25, 10, 5, 2, 1]
    by_n = dict((int(r[0]), r[1]) for r in rows[1:])
    assert by_n[1] == s['reduced-0001']['top10_mean'] and by_n[1300] != ''
    assert by_n[1000] == '' and by_n[2] != ''
    md = open(os.path.join(out, 'table_s1.md')).read()
    assert '0.55176' in md and '0.00379' in md
    diff = float(by_n[1]) - 0.00379
    assert ('%+.5f' % diff) in md

    for base in ('figure_s1', 'figure_2', 'figure_3', 'scorecard'):
        _png_ok(os.path.join(out, base + '.png'))
        assert open(os.path.join(out, base + '.pdf'), 'rb').read(4) == b'%PDF'
    # partial results still draw: the unfinished reduced-0002 is in Figure S1's values
    with open(os.path.join(out, 'figure_s1.csv')) as f:
        s1 = dict((r['examples_per_class'], r) for r in csv.DictReader(f))
    assert s1['2']['status'] == 'interrupted' and s1['2']['top1'] != ''
    assert s1['10']['top1'] == '' and s1['10']['paper'] == '0.00106'
    with open(os.path.join(out, 'figure_2_points.csv')) as f:
        pts = dict((r['network'], r) for r in csv.DictReader(f))
    assert pts['half1A']['series'] == 'base' and pts['transfer1A1B_1_2']['series'] == 'AnB'
    assert pts['transfer1A1B_1_2']['n'] == '2'
    card = _summary_of(os.path.join(out, 'scorecard.csv'))
    assert card['reduced-0001']['top10_mean_2014'] == '0.00379'
    assert card['reduced-0001']['reference'] == 'Table S1'
    assert card['reduced-0001']['within_spread'] == ''      # Table S1 shows no spread
    assert 'reduced-0010' not in card     # not trained: not scored
    curves = sorted(os.listdir(os.path.join(out, 'curves')))
    assert 'reduced-0001.png' in curves and 'reduced-0005.png' in curves
    assert 'half2A.png' not in curves and 'reduced-0010.png' not in curves
    _png_ok(os.path.join(out, 'curves', 'reduced-0002.png'))
    assert not [f for f in os.listdir(out) if '.tmp' in f]


def test_complete_results(tiny_log, tmp_path):
    results = str(tmp_path / 'results')
    text = open(tiny_log).read()
    names = [n for n, _, _ in tables.study_networks()]
    assert len(names) == 170 and len(set(names)) == 170
    for name in names:
        _put(results, name, text)
    # what a killed make results leaves: temp files that no rename will ever take
    stale = [os.path.join(results, '.figure_2.pdf.k1ll3d.tmp.pdf'),
             os.path.join(results, '.summary.csv.x9y8z7.tmp'),
             os.path.join(results, 'curves', '.half0A.png.abc_12.tmp.png')]
    os.makedirs(os.path.join(results, 'curves'))
    for path in stale:
        open(path, 'w').close()
    keep = os.path.join(results, '.notes.txt')
    open(keep, 'w').close()
    rows, paths = report.write_all(results, jobs=2, curves=False, progress=False)
    assert not [p for p in stale if os.path.exists(p)] and os.path.exists(keep)
    assert [r.status for r in rows] == ['done'] * 170
    for p in paths:
        assert os.path.getsize(p) > 0
    for base in ('figure_s1', 'figure_2', 'figure_3', 'scorecard'):
        _png_ok(os.path.join(results, base + '.png'))
    with open(os.path.join(results, 'figure_2_means.csv')) as f:
        means = list(csv.DictReader(f))
    # 4 roles x n = 0..7; AnB pools transfer{s}A{s}B and transfer{s}B{s}A.
    assert len(means) == 32
    counts = dict(((m['series'], m['n']), int(m['networks'])) for m in means)
    assert counts[('AnB', '3')] == 8
    assert counts[('BnB', '3')] == 4
    assert counts[('AnB+', '7')] == 4
    assert counts[('BnB+', '1')] == 2
    assert counts[('BnB', '0')] == 8    # n = 0: the eight half{s}{A,B} base nets
    # every network the same log: every relative value is 0, every mean the log's value
    with open(os.path.join(results, 'figure_3_relative.csv')) as f:
        rel = list(csv.DictReader(f))
    assert len(rel) == 3 * 8 and set(r['relative_top1'] for r in rel) == {'0.0000000000'}
    one = metric.top10_mean(logparse.parse_run(os.path.join(results, 'half0A')))
    assert set(m['mean_top1'] for m in means) == {str(one.quantize(figures.DIGITS))}


def test_networks_and_table_s1_rows_come_from_the_catalog():
    from transfer_study.nets import catalog
    cat = catalog.load()
    assert [n for n, _, _ in tables.study_networks()] == cat.names()
    assert dict((n, m) for n, _, m in tables.study_networks())['reduced-0001'] == \
        cat.max_iter('reduced-0001')
    rows = tables.reduced_networks()
    assert sorted(rows) == sorted(n for n, _ in tables.PAPER_TABLE_S1)
    assert rows[1300] == 'reduced-1300' and rows[10] == 'reduced-0010'
    # Figure 3 asks the catalog which half is natural (by name: the demo's halves are
    # 5 classes each, so a class count cannot tell)
    assert cat.natman_half('halfnatmanA_train') == 'natural'
    assert cat.natman_half('halfnatmanB_valid') == 'man-made'
    assert cat.natman_half('half0A_train') is None
    assert sorted(figures.figure3_series(cat)) == ['man-made target', 'natural target',
                                                   'random features']


def test_cli_errors(tmp_path):
    p = subprocess.run([sys.executable, RESULTS_CLI, '--results', str(tmp_path / 'none')],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    assert p.returncode == 2
    assert 'none' in p.stderr and 'no such results directory' in p.stderr
    assert 'Traceback' not in p.stderr
    h = subprocess.run([sys.executable, RESULTS_CLI, '--help'],
                       stdout=subprocess.PIPE, universal_newlines=True)
    assert h.returncode == 0 and 'table_s1' in h.stdout
