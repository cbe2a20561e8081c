"""Log parsing on the original study's 2014 logs and on logs of the env's Caffe 1.0."""
import calendar
import gzip
import os
import re
import shutil
import signal
import subprocess
import time
from decimal import Decimal

import pytest

from transfer_study import caffelog as logparse
from transfer_study import metric

NAMES_2014 = ['netbase', 'half0A', 'half0B', 'halfnatmanA', 'halfnatmanB', 'nolearn_1_3',
              'transfer-ft0A0B_1_3', 'transfer0A0B_1_1', 'transfer0A0B_1_3', 'transfer0A0B_1_7']


def logs2014(shared_dir, name):
    d = os.path.join(shared_dir, 'logs', 'caffe2014', name)
    if not os.path.isdir(d):
        pytest.skip('%s: the original study logs are not there' % d)
    return d


# ------------------------------------------------------ the 2014 logs ---

@pytest.mark.parametrize('name', NAMES_2014)
def test_every_2014_run_parses_to_450_passes(shared_dir, name):
    run = logparse.parse_run(logs2014(shared_dir, name))
    # Every run of the study: base schedule, a test pass every 1000 iterations
    # up to 450000; old Caffe did not test at iteration 0.
    assert run.test_iters == list(range(1000, 450001, 1000))
    assert run.last_iter == 450000
    assert len(run.test_acc) == len(run.test_loss) == 450
    assert all(0.0 <= a <= 1.0 for a in run.test_acc)
    assert all(loss is not None and loss > 0 for loss in run.test_loss)
    assert run.train_iters == sorted(set(run.train_iters))
    assert run.train_iters[-1] == 450000 or run.train_iters[-1] >= 449980
    assert run.lr[0] == pytest.approx(0.01)
    assert min(run.lr) == pytest.approx(1e-6)   # 0.01 * 0.1^4 after 400000
    assert run.wall_seconds > 3 * 24 * 3600
    assert 0.5 < run.sec_per_iter < 3.0         # K20 GPUs: ~1.7 s/iteration


def test_netbase_summary_metric_and_count(shared_dir):
    run = logparse.parse_run(logs2014(shared_dir, 'netbase'))
    # One concatenated file: the attempt resumed at 230000 (Mar 11-16) comes
    # first, the first attempt (Mar 6-11, to 236140) after it; the overlapping
    # passes 231000..236000 must come from the later attempt.
    raw = gzip.open(os.path.join(run.run_dir, 'catlog.oMANUAL.gz')).read().decode()
    assert raw.count('Test score #0') == 456   # 6 passes logged twice
    assert len(run.test_iters) == 450
    assert run.finished
    assert metric.truncate5(metric.top10_mean(run)) == '0.57630'
    later = re.search(r'I0312 00:20:41\.\d+ 24248 solver.cpp:87\] Iteration 231000, Testing net\n'
                      r'.*Test score #0: ([0-9.]+)', raw).group(1)
    assert run.test_acc[run.test_iters.index(231000)] == float(later)
    # Two attempts with iterations (a third crashed before its first one).
    assert run.attempts == 2
    assert 240 * 3600 < run.wall_seconds < 250 * 3600


def test_half0A_merges_four_files(shared_dir):
    run = logparse.parse_run(logs2014(shared_dir, 'half0A'))
    assert len(run.files) == 4           # two of them are empty job outputs
    assert run.attempts == 2
    assert metric.truncate5(metric.top10_mean(run)) == '0.61510'
    # Passes 281000..286000 are in both attempts; the resumed job's win.
    assert run.test_acc[run.test_iters.index(281000)] == 0.61388
    assert run.test_acc[-1] == 0.614559
    assert not run.finished              # these job outputs carry no "Optimization Done"


def test_transfer_ft_merges_six_overlapping_files(shared_dir):
    run = logparse.parse_run(logs2014(shared_dir, 'transfer-ft0A0B_1_3'))
    assert len(run.files) == 6
    assert run.test_iters == list(range(1000, 450001, 1000))
    # The pass at 1000 was logged on May 7 and again by a restart on May 13:
    # the most recent one counts.
    assert run.test_acc[0] == 0.20478
    assert run.test_acc[-1] == 0.647159
    assert run.lr[-1] == pytest.approx(1e-6)


def test_truncate5_truncates():
    assert metric.truncate5(0.576309999) == '0.57630'
    assert metric.truncate5(0.1) == '0.10000'
    assert metric.truncate5(None) == ''
    assert metric.top10_mean([0.1, 0.2]) == Decimal('0.15')
    assert metric.top10_mean(list(range(20))) == Decimal('14.5')
    assert metric.top10_mean([]) is None
    # a mean that does not terminate is cut downwards, never rounded up
    assert metric.top10_mean([0.2, 0.1, 0.0]) == Decimal('0.1')
    assert metric.truncate5(metric.top10_mean([0.00002, 0.00001, 0.00001])) == '0.00001'


def test_top10_mean_is_exact_where_a_float_mean_is_not(tmp_path):
    """Ten accuracies as Caffe logs them whose mean is exactly 0.58642: summed as
    binary floats (or by numpy, as the study's notebook did) they give
    0.586419999..., which truncates to 0.58641."""
    logged = ['0.57124', '0.59113', '0.61177', '0.60923', '0.58537', '0.59123', '0.55242',
              '0.56699', '0.60582', '0.579', '0.5']    # the 11th is not among the 10 best
    accs = [float(a) for a in logged]
    best = sorted(accs, reverse=True)[:10]
    assert metric.truncate5(sum(best) / 10) == '0.58641'      # the float mean: one unit low
    assert sum(Decimal(a) for a in logged[:10]) == Decimal('5.86420')
    assert metric.top10_mean(accs) == Decimal('0.58642')
    assert metric.truncate5(metric.top10_mean(accs)) == '0.58642'
    # the same through a real log: the parser keeps what Caffe printed
    lines = ['I0403 06:46:22.569 23304 solver.cpp:217] Iteration %d, lr = 0.01\n'
             'I0403 06:46:22.569 23304 solver.cpp:96] Iteration %d, Testing net\n'
             'I0403 06:47:22.569 23304 solver.cpp:123] Test score #0: %s\n'
             'I0403 06:47:22.569 23304 solver.cpp:123] Test score #1: 2.5\n'
             % (1000 * (i + 1), 1000 * (i + 1), a) for i, a in enumerate(logged)]
    (tmp_path / 'half0A').mkdir()
    (tmp_path / 'half0A' / '140403_063910_half0A.o1').write_text(''.join(lines))
    run = logparse.parse_run(str(tmp_path / 'half0A'))
    assert len(run.test_acc) == 11
    assert metric.truncate5(metric.top10_mean(run)) == '0.58642'


# ------------------------------------------------------ Caffe 1.0 logs ---

TINY_NET = '''name: "tiny"
layer { name: "data" type: "DummyData" top: "data" top: "label"
  dummy_data_param { shape { dim: 8 dim: 4 } shape { dim: 8 }
    data_filler { type: "gaussian" std: 1 } data_filler { type: "constant" value: 1 } } }
layer { name: "fc" type: "InnerProduct" bottom: "data" top: "fc"
  inner_product_param { num_output: 3 weight_filler { type: "gaussian" std: 0.1 } } }
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "fc" bottom: "label" top: "loss" }
layer { name: "acc_top2" type: "Accuracy" bottom: "fc" bottom: "label" top: "acc_top2"
  accuracy_param { top_k: 2 } include { phase: TEST } }
layer { name: "accuracy" type: "Accuracy" bottom: "fc" bottom: "label" top: "accuracy"
  include { phase: TEST } }
'''

TINY_SOLVER = '''net: "tiny.prototxt"
test_iter: 2
test_interval: 10
base_lr: 0.1
lr_policy: "step"
gamma: 0.1
stepsize: 20
display: 5
max_iter: %d
momentum: 0.9
snapshot: 20
snapshot_prefix: "snap/tiny"
solver_mode: CPU
random_seed: 1
'''


def caffe_train(root, log_path, max_iter=40, resume=None):
    """Train the tiny net with the env's Caffe (cwd root), its glog output to log_path."""
    with open(os.path.join(root, 'tiny.prototxt'), 'w') as f:
        f.write(TINY_NET)
    with open(os.path.join(root, 'solver.prototxt'), 'w') as f:
        f.write(TINY_SOLVER % max_iter)
    if not os.path.isdir(os.path.join(root, 'snap')):
        os.makedirs(os.path.join(root, 'snap'))
    cmd = ['caffe', 'train', '--solver', 'solver.prototxt']
    if resume:
        cmd += ['--snapshot', resume]
    env = dict(os.environ, GLOG_logtostderr='1')
    with open(log_path, 'wb') as log:
        subprocess.check_call(cmd, cwd=root, stderr=log, stdout=log, env=env)
    return log_path


@pytest.fixture(scope='module')
def caffe_run(tmp_path_factory, caffe_tools):
    """A run dir with two attempts: 0..40, then resumed from iteration 20."""
    root = str(tmp_path_factory.mktemp('caffe10'))
    run_dir = os.path.join(root, 'results', 'tiny')
    os.makedirs(run_dir)
    caffe_train(root, os.path.join(run_dir, 'tiny.20261126-120000.log'))
    caffe_train(root, os.path.join(run_dir, 'tiny.20261126-120100.log'),
                resume='snap/tiny_iter_20.solverstate')
    return root, run_dir


def _outputs(text):
    """(iteration, {name: value}) per test pass, read straight off a log."""
    out = []
    parts = re.split(r'Iteration (\d+), Testing net \(#0\)\n', text)
    for it, body in zip(parts[1::2], parts[2::2]):
        vals = dict((m.group(1), float(m.group(2))) for m in re.finditer(
            r'Test net output #\d+: (\S+) = ([0-9.e+-]+)', body.split('Iteration')[0]))
        out.append((int(it), vals))
    return out


def test_caffe10_log_parses(caffe_run):
    root, run_dir = caffe_run
    first = os.path.join(run_dir, 'tiny.20261126-120000.log')
    run = logparse.parse_run(run_dir)
    assert len(run.files) == 2
    assert run.test_iters == [0, 10, 20, 30, 40]   # Caffe 1.0 tests at 0 and on resume
    assert run.finished
    assert run.max_iter == 40 and run.last_iter == 40
    assert run.train_iters == [0, 5, 10, 15, 20, 25, 30, 35, 40]
    assert run.lr_iters == [0, 5, 10, 15, 20, 25, 30, 35]
    assert run.lr == [pytest.approx(v) for v in [0.1] * 4 + [0.01] * 4]
    assert run.skipped_lines == 0
    assert run.attempts == 2
    # Accuracy is picked by name although acc_top2 is also printed.
    text1 = open(first).read()
    text2 = open(os.path.join(run_dir, 'tiny.20261126-120100.log')).read()
    passes1, passes2 = dict(_outputs(text1)), dict(_outputs(text2))
    assert 'acc_top2' in passes1[0] and 'accuracy' in passes1[0]
    for i, it in enumerate(run.test_iters):
        want = passes2[it] if it in passes2 else passes1[it]   # resumed attempt wins
        assert run.test_acc[i] == want['accuracy']
        assert run.test_loss[i] == want['loss']
    assert set(passes2) == {20, 30, 40}


def test_caffe10_single_attempt_alone(caffe_run):
    root, run_dir = caffe_run
    solo = os.path.join(root, 'solo')
    os.makedirs(solo)
    shutil.copy(os.path.join(run_dir, 'tiny.20261126-120000.log'), solo)
    run = logparse.parse_run(solo)
    assert run.test_iters == [0, 10, 20, 30, 40]
    assert run.finished and run.attempts == 1
    assert run.sec_per_iter is not None and run.sec_per_iter >= 0
    # The same attempt logged twice (tee'd log plus a job's stdout) counts once.
    shutil.copy(os.path.join(run_dir, 'tiny.20261126-120000.log'), os.path.join(solo, 'job.o555'))
    again = logparse.parse_run(solo)
    assert len(again.files) == 2 and again.attempts == 1
    assert again.wall_seconds == run.wall_seconds
    assert again.test_acc == run.test_acc and again.train_loss == run.train_loss


def test_run_stopped_by_a_signal_is_not_finished(caffe_tools, tmp_path):
    """The caffe tool logs "Optimization Done." even after SIGINT stopped the
    solver early; such a run is interrupted, not finished."""
    root = str(tmp_path)
    caffe_train(root, os.path.join(root, 'unused.log'), max_iter=1)   # writes the net files
    with open(os.path.join(root, 'solver.prototxt'), 'w') as f:
        f.write(TINY_SOLVER % 10 ** 7)
    run_dir = tmp_path / 'results' / 'tiny'
    run_dir.mkdir(parents=True)
    log_path = run_dir / 'tiny.20261126-120000.log'
    with open(str(log_path), 'wb') as log:
        proc = subprocess.Popen(['caffe', 'train', '--solver', 'solver.prototxt'], cwd=root,
                                stdout=log, stderr=log, env=dict(os.environ, GLOG_logtostderr='1'))
        deadline = time.time() + 60
        while 'Iteration 30,' not in log_path.read_text() and time.time() < deadline:
            time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0
    text = log_path.read_text()
    assert 'Optimization stopped early.' in text and 'Optimization Done.' in text
    run = logparse.parse_run(str(run_dir))
    assert run.last_iter >= 30
    assert not run.finished


def test_cut_and_garbled_lines_are_counted(caffe_run, tmp_path):
    root, run_dir = caffe_run
    text = open(os.path.join(run_dir, 'tiny.20261126-120000.log')).read()
    lines = text.splitlines(True)
    # Garble one display line, then cut the log mid-line (a crash).
    idx = [i for i, l in enumerate(lines) if ', loss = ' in l and 'Iteration 15 ' in l][0]
    lines[idx] = lines[idx].split(', loss')[0] + ', lo#@\n'
    cut = [i for i, l in enumerate(lines) if 'Iteration 30, Testing net' in l][0]
    partial = ''.join(lines[:cut + 1]) + lines[cut + 1][:60]
    d = tmp_path / 'cut'
    d.mkdir()
    (d / 'tiny.20261126-120000.log').write_text(partial)
    run = logparse.parse_run(str(d))
    assert run.skipped_lines == 3   # garbled display, unterminated line, pass without accuracy
    assert any('Iteration 15' in e for e in run.skipped_examples)
    assert run.test_iters == [0, 10, 20]
    assert 15 not in run.train_iters and 10 in run.train_iters
    assert not run.finished


def test_gzip_and_cluster_names_and_year_rollover(caffe_run, tmp_path):
    root, run_dir = caffe_run
    text = open(os.path.join(run_dir, 'tiny.20261126-120000.log')).read()
    # The same log moved to New Year's Eve: its glog stamps cross into January.
    # Caffe wrote it today: match its stamps whatever the day (MMDD).
    first = re.search(r'^[IWEF]\d{4} (\S+) .*Iteration 20, Testing net', text, re.M).group(1)
    moved = []
    for line in text.splitlines(True):
        m = re.match(r'^([IWEF])\d{4} (\d\d:\d\d:\d\d\.\d+)(.*)', line, re.S)
        if m:
            late = m.group(2) >= first
            line = '%s%s %s%s' % (m.group(1), '0101' if late else '1231',
                                  '00:00:01.000000' if late else '23:59:59.000000', m.group(3))
        moved.append(line)
    d = tmp_path / 'newyear'
    d.mkdir()
    with gzip.open(str(d / '261231_235959_tiny.o1234.gz'), 'wt') as f:
        f.write(''.join(moved))
    run = logparse.parse_run(str(d))
    assert run.test_iters == [0, 10, 20, 30, 40]
    assert run.wall_seconds == pytest.approx(2.0)   # 23:59:59 -> 00:00:01, not minus a year
    # No stamp in the name: the year comes from the file's mtime (months later).
    d2 = tmp_path / 'plain'
    d2.mkdir()
    (d2 / 'train.log').write_text(''.join(moved))
    mtime = calendar.timegm((2027, 7, 15, 12, 0, 0, 0, 0, 0))
    os.utime(str(d2 / 'train.log'), (mtime, mtime))
    run2 = logparse.parse_run(str(d2))
    assert run2.wall_seconds == pytest.approx(2.0)
    assert run2.test_acc == run.test_acc


def test_bad_files(tmp_path):
    d = tmp_path / 'bad'
    d.mkdir()
    (d / 'empty.log').write_text('')
    (d / 'notes.md').write_text('Iteration 5, loss = 1')   # not a log by name: ignored
    run = logparse.parse_run(str(d))
    assert [os.path.basename(f) for f in run.files] == ['empty.log']
    assert run.last_iter is None and run.test_iters == [] and not run.finished
    assert metric.top10_mean(run) is None
    (d / 'x.log.gz').write_bytes(b'\x1f\x8b garbage, not gzip')
    with pytest.raises(logparse.LogError) as e:
        logparse.parse_run(str(d))
    assert 'x.log.gz' in str(e.value)
    assert logparse.parse_run(str(tmp_path / 'nowhere')).files == []


def test_2014_run_whose_float_mean_truncates_low(shared_dir):
    """Of the 136 published runs, transfernatmanBA_1_5 is the one whose 10 best passes
    average to exactly 0.52190: numpy's float mean (the study's notebook) gives
    0.52189999..., one unit low once truncated."""
    import numpy
    run = logparse.parse_run(logs2014(shared_dir, 'transfernatmanBA_1_5'))
    best = numpy.sort(numpy.array(run.test_acc))[-10:]
    assert metric.truncate5(float(best.mean())) == '0.52189'
    assert metric.top10_mean(run) == Decimal('0.52190')
    assert metric.truncate5(metric.top10_mean(run)) == '0.52190'
