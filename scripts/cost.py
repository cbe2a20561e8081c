#!/usr/bin/env python3
"""What a set of networks costs, before spending GPU time on them (make cost).

    scripts/in-env python3 scripts/cost.py [NAMES or GROUPS...] [--sec-per-iter 1.7]

Prints the dependency graph in blocks (a block's networks can train in
parallel; each transfer network waits for its base's final snapshot), the
number of networks (the selection plus the base networks it needs), the
GPU-days (max_iter x seconds per iteration; the paper measured ~1.7 s on a
K20), the snapshot disk (all kept, and under --keep-snapshots) and the disk
the datasets they read need (make data's estimate: a
201,504-byte 256x256 datum in LMDB pages for the paper profile; image
counts from data/<set>/files.txt, or ILSVRC2012's sizes when not built yet).
Without names: all networks of the catalog.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from transfer_study import cli  # noqa: E402
from transfer_study.nets import catalog
from transfer_study.runs import cost, snapshots


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog=__doc__.split("\n\n", 1)[1],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    cli.add_selection(ap)
    ap.add_argument("--sec-per-iter", type=float, default=1.7,
                    help="seconds per training iteration (default 1.7: the paper's K20)")
    ap.add_argument("--keep-snapshots", default=snapshots.DEFAULT,
                    help="snapshot policy to size the disk for: final, every:N or all")
    args = ap.parse_args(argv)

    def show():
        if not args.sec_per_iter > 0:
            raise catalog.CatalogError("--sec-per-iter must be positive, not %g" % args.sec_per_iter)
        cat, names = cli.selection(args)
        print(cost.report(cat, names or None, args.root, args.profile, args.sec_per_iter,
                          args.keep_snapshots))
    return cli.run("cost.py", show, (catalog.CatalogError, snapshots.PolicyError))


if __name__ == "__main__":
    sys.exit(main())
