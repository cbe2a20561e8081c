#!/usr/bin/env python3
"""Caffe logs -> the paper's tables and figures.

Reads every network's logs under RESULTS/<network>/ (our runs, or the
original study's logs put under the same names; plain or gzipped, several
attempts per network merged) and writes into OUT (default: RESULTS):

  summary.csv            every network: status, iterations, mean of the 10
                         best test passes (the paper's metric), final
                         accuracy, wall time, seconds per iteration
  table_s1.csv / .md     Table S1 (examples per class -> top-1), with the
                         paper's values side by side in the .md
  figure_2.png/.pdf      Figure 2: top, every base, BnB, BnB+, AnB, AnB+ network
                         vs layer n; bottom, the means with the paper's
                         annotations (values: figure_2_points.csv, _means.csv)
  figure_3.png/.pdf      Figure 3: natural <-> man-made transfer, random
                         untrained filters, and both relative to their base
                         nets with AnB of the random splits (figure_3_*.csv)
  figure_s1.png/.pdf     Figure S1, linear and logarithmic axes (figure_s1.csv)
  curves/<network>.png   training loss, learning rate, validation accuracy
  scorecard.md/.csv/.png every network against the original study's run of it
                         (reference/original_2014.csv)

Each network's status in summary.csv is its run state (not started, running,
interrupted, failed, done), what make status says of it: the results/ of a
study root (solvers/ beside it) counts the final snapshot, any other
directory (e.g. the original study's logs) is judged by its logs alone.
Unfinished networks are drawn translucent with a dashed edge (hollow markers
are the paper's base nets); those not started are left blank.  The captions
say where the numbers come from: "2014 logs" with --original, else "this
run", with its profile and class count when they are not the paper's
(--profile, and --data's synsets.txt).  Temp files a killed run left in OUT
are removed first.
Example:

  scripts/in-env python3 scripts/results.py --original ~/convnet_transfer --out /tmp/orig

--original takes a clone of the original repository (yosinski/convnet_transfer)
or its results/ folder; --write-reference FILE also writes the per-network
reference of those logs (make reference-2014 rewrites the committed one).
"""
import argparse
import os
import sys

from transfer_study import PROJECT_ROOT, layout
from transfer_study import caffelog as logparse
from transfer_study.results import plotting, report, scorecard, tables


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--results', default=os.path.join(PROJECT_ROOT, layout.RESULTS),
                   help='directory of <network>/ log directories (default: %(default)s)')
    p.add_argument('--original', default=None,
                   help='the original study instead: a clone of yosinski/convnet_transfer, '
                        'or its results/ folder')
    p.add_argument('--reference', default=None,
                   help='the 2014 numbers the scorecard compares with '
                        '(default: reference/original_2014.csv)')
    p.add_argument('--write-reference', default=None, metavar='FILE',
                   help='write the per-network reference of these logs to FILE')
    p.add_argument('--out', default=None,
                   help='where to write tables and figures (default: the --results directory)')
    p.add_argument('--profile', default='paper',
                   help='the catalog profile the runs were trained under, for the captions '
                        '(default: %(default)s)')
    p.add_argument('--data', default=None,
                   help='their datasets directory (DATA=): its synsets.txt gives the class count '
                        'the captions name')
    p.add_argument('--jobs', type=int, default=2,
                   help='processes parsing logs and drawing curves (default: %(default)s)')
    p.add_argument('--no-curves', action='store_true',
                   help='skip the per-network training curves (the slow part)')
    args = p.parse_args(argv)
    try:
        if args.original is not None:
            args.results = scorecard.resolve_original(args.original)
            if args.out is None:
                raise tables.ResultsError('--original needs --out (the original logs stay as '
                                          'they are)')
        classes = plotting.count_classes(layout.synsets(args.data)) if args.data else None
        source = plotting.Source(original=args.original is not None, profile=args.profile,
                                 classes=classes)
        rows, paths = report.write_all(args.results, args.out, jobs=max(1, args.jobs),
                                       curves=not args.no_curves, reference=args.reference,
                                       write_reference=args.write_reference, source=source)
    except (tables.ResultsError, logparse.LogError) as e:
        sys.stderr.write('results: error: %s\n' % e)
        return 2
    except (IOError, OSError) as e:
        sys.stderr.write('results: error: cannot write the results: %s\n' % e)
        return 2
    counts = {}
    for r in rows:
        counts[r.status] = counts.get(r.status, 0) + 1
    for r in rows:
        if r.error:
            sys.stderr.write('results: warning: %s: %s\n' % (r.name, r.error))
        elif r.run is not None and r.run.last_iter is None:
            sys.stderr.write('results: warning: %s: its logs hold no iterations yet (%s)\n'
                             % (r.name, ', '.join(r.run.files)))
        elif r.run is not None and r.run.skipped_lines:
            sys.stderr.write('results: note: %s: %d cut-off or garbled log lines skipped, e.g. %s\n'
                             % (r.name, r.run.skipped_lines, r.run.skipped_examples[0]))
    out = args.out or args.results
    if all(r.run is None for r in rows):
        sys.stderr.write('results: note: no network under %s has a Caffe log yet; train some '
                         '(make <name>) or put logs under %s/<name>/\n'
                         % (args.results, args.results))
    print('networks: %s' % ', '.join('%d %s' % (counts[k], k) for k in sorted(counts)))
    print('wrote %d files into %s (summary.csv, table_s1.md, figure_*.png, scorecard.md, curves/)'
          % (len(paths), out))
    return 0


if __name__ == '__main__':
    sys.exit(main())
