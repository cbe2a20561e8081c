#!/usr/bin/env python3
"""Plan a set of networks before spending GPU time on them.

    scripts/in-env python3 scripts/plan.py [NAMES or GROUPS...] [--sec-per-iter 1.7]

Prints the dependency graph in blocks (a block's networks can train in
parallel; each transfer network waits for its base's final snapshot), the
number of networks (the selection plus the base networks it needs), the
GPU-days (max_iter x seconds per iteration; the paper measured ~1.7 s on a
K20), the snapshot disk (all kept, and under --keep-snapshots) and the disk
the datasets they read need (196,624 bytes per datum; image
counts from data/<set>/files.txt, or ILSVRC2012's sizes when not built yet).
Without names: all networks of the catalog.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from transfer_study import PROJECT_ROOT  # noqa: E402
from transfer_study.nets import catalog
from transfer_study.runs import plan, snapshots


def expand(cat, words):
    """Network names and group names (base, halves, transfers, ...) -> network names."""
    names = []
    for w in words:
        for part in w.replace(",", " ").split():
            got = cat.group(part) if part in cat.groups() else [cat.get(part).name]
            names.extend(n for n in got if n not in names)
    return names


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog=__doc__.split("\n\n", 1)[1],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("networks", nargs="*", help="network or group names (default: all networks)")
    ap.add_argument("--sec-per-iter", type=float, default=1.7,
                    help="seconds per training iteration (default 1.7: the paper's K20)")
    ap.add_argument("--root", default=PROJECT_ROOT, help="run root (default: the checkout)")
    ap.add_argument("--profile", default="paper", help="catalog profile: paper or tiny")
    ap.add_argument("--catalog", default=None, help="experiment catalog (default experiments.yaml)")
    ap.add_argument("--keep-snapshots", default=snapshots.DEFAULT,
                    help="snapshot policy to size the disk for: final, every:N or all")
    args = ap.parse_args(argv)
    try:
        if not args.sec_per_iter > 0:
            raise catalog.CatalogError("--sec-per-iter must be positive, not %g" % args.sec_per_iter)
        cat = catalog.load(args.catalog)
        cat.profile(args.profile)
        names = expand(cat, args.networks)
        print(plan.report(cat, names or None, args.root, args.profile, args.sec_per_iter,
                          args.keep_snapshots))
    except (catalog.CatalogError, snapshots.PolicyError) as e:
        sys.stderr.write("plan.py: error: %s\n" % e)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
