#!/usr/bin/env python3
"""What a set of networks costs, before spending GPU time on them (make cost).

    scripts/in-env python3 scripts/cost.py [NAMES or GROUPS...] [--sec-per-iter S|gpu-check.csv]

Prints the dependency graph in blocks (a block's networks can train in
parallel; each transfer network waits for its base's final snapshot), the
number of networks (the selection plus the base networks it needs), the
GPU-days (max_iter x seconds per iteration: the paper's K20 by default, or
the figure `make gpu-check` measured, read from its CSV), the snapshot disk (all kept, and under --keep-snapshots) and the disk
the datasets they read need (make data's estimate: a
201,504-byte 256x256 datum in LMDB pages for the paper profile; image
counts from data/<set>/files.txt, or ILSVRC2012's sizes when not built yet).
Without names: all networks of the catalog.
"""
import argparse
import os
import sys

from transfer_study import cli
from transfer_study.nets import catalog
from transfer_study.runs import cost, snapshots


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog=__doc__.split("\n\n", 1)[1],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    cli.add_selection(ap)
    ap.add_argument("--sec-per-iter", default=str(cost.PAPER_SEC_PER_ITER),
                    help="seconds per training iteration (default %g: the paper's K20), or "
                    "the CSV of make gpu-check (its measured figure)" % cost.PAPER_SEC_PER_ITER)
    ap.add_argument("--keep-snapshots", default=snapshots.DEFAULT,
                    help="snapshot policy to size the disk for: final, every:N or all")
    args = ap.parse_args(argv)

    def show():
        try:
            args.sec_per_iter = float(args.sec_per_iter)
        except ValueError:
            if not os.path.isfile(args.sec_per_iter):
                raise catalog.CatalogError("--sec-per-iter must be a number or the GPU check's "
                                           "CSV, not %r" % args.sec_per_iter)
            try:
                args.sec_per_iter = cost.measured_sec_per_iter(args.sec_per_iter)
            except ValueError as e:
                raise catalog.CatalogError(str(e))
        if not args.sec_per_iter > 0:
            raise catalog.CatalogError("--sec-per-iter must be positive, not %g" % args.sec_per_iter)
        cat, names = cli.selection(args)
        print(cost.report(cat, names or None, args.root, args.profile, args.sec_per_iter,
                          args.keep_snapshots))
    return cli.run("cost.py", show, (catalog.CatalogError, snapshots.PolicyError))


if __name__ == "__main__":
    sys.exit(main())
