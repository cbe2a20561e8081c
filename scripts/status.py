#!/usr/bin/env python3
"""One line per network: not started / running / interrupted / failed / done,
with the last iteration, the latest and best test accuracy (top-1), the
measured seconds per iteration and the ETA to max_iter.

    scripts/in-env python3 scripts/status.py [NAMES or GROUPS...] [--root DIR]

Reads only results/<name>/ (logs, snapshots, lock, provenance records), so it
works on a cluster's shared filesystem too.  'running' means the network's
lock is held, or (a job on another node) its log was written in the last 20
minutes.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from transfer_study import PROJECT_ROOT  # noqa: E402
from transfer_study.nets import catalog
from transfer_study.runs import status


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog=__doc__.split("\n\n", 1)[1],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("networks", nargs="*", help="network or group names (default: all networks)")
    ap.add_argument("--root", default=PROJECT_ROOT, help="run root (default: the checkout)")
    ap.add_argument("--profile", default="paper",
                    help="profile whose max_iter applies where a network has no solver under ROOT")
    ap.add_argument("--catalog", default=None, help="experiment catalog (default experiments.yaml)")
    args = ap.parse_args(argv)
    try:
        cat = catalog.load(args.catalog)
        cat.profile(args.profile)
        names = []
        for w in args.networks:
            for part in w.replace(",", " ").split():
                got = cat.group(part) if part in cat.groups() else [cat.get(part).name]
                names.extend(n for n in got if n not in names)
        print(status.report(cat, os.path.abspath(args.root), names or None, args.profile))
    except catalog.CatalogError as e:
        sys.stderr.write("status.py: error: %s\n" % e)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
