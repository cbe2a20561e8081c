#!/usr/bin/env python3
"""The whole study in miniature, end to end, on a CPU: embedded ImageNet-style
images -> lists -> warped LMDBs and means -> random, natural/man-made and
reduced datasets -> prototxts -> real Caffe training of base, transfer,
random-filter and reduced-set networks -> tables and figures.

  scripts/in-env python3 scripts/demo.py            (make demo)
  scripts/in-env python3 scripts/demo.py --quick    every stage, fewer images and networks
  scripts/in-env python3 scripts/demo.py --timings  print the last run's stage times
  scripts/in-env python3 scripts/demo.py --clean    remove the demo's root (make demo-clean)

Everything goes under ROOT (default demo/ in the checkout), never into the
checkout's data/, prototxt/, solvers/ or results/.  Rerunning skips finished
stages and resumes an interrupted one (Ctrl-C is safe: Caffe snapshots).
"""
import argparse
import sys

from transfer_study.demo import demo, demo_dataset
from transfer_study.nets import catalog


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog=__doc__.split("\n\n", 1)[1],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", default=demo.DEFAULT_ROOT,
                    help="the demo's own root directory (default: demo/ in the checkout)")
    ap.add_argument("--quick", action="store_true",
                    help="the reduced demo: every stage, %d train images per class, %d networks"
                         % (demo.SIZES["quick"]["train_per_class"],
                            len(demo.SIZES["quick"]["networks"])))
    ap.add_argument("--jobs", type=int, default=None,
                    help="networks trained at a time (default: the number of CPU cores)")
    ap.add_argument("--catalog", default=None,
                    help="experiment catalog whose 'tiny' profile and networks to use "
                         "(default: experiments.yaml)")
    ap.add_argument("--stop-after", metavar="STAGE", choices=demo.STAGES,
                    help="stop after this stage (%s)" % ", ".join(demo.STAGES))
    ap.add_argument("--clean", action="store_true", help="remove ROOT and exit")
    ap.add_argument("--timings", action="store_true",
                    help="print the wall time of each stage of the last run and exit")
    args = ap.parse_args(argv)
    try:
        if args.clean:
            demo.clean(args.root)
            return 0
        if args.timings:
            demo.print_timings(args.root)
            return 0
        if args.jobs is not None and args.jobs < 1:
            raise demo.DemoError("--jobs must be at least 1")
        demo.Demo(args.root, "quick" if args.quick else "full", args.jobs,
                  stop_after=args.stop_after, catalog_path=args.catalog).run()
    except (demo.DemoError, demo_dataset.DemoDataError, catalog.CatalogError) as e:
        sys.stdout.flush()
        sys.stderr.write("demo: error: %s\n" % e)
        return 2
    except (KeyboardInterrupt, demo.Interrupted):
        sys.stdout.flush()
        sys.stderr.write("\ndemo: interrupted; run the same command again to resume "
                         "(finished stages are skipped, training resumes from its snapshots)\n")
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
