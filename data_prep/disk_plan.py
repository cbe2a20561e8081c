#!/usr/bin/env python3
"""The disk plan of `make data`: expected LMDB sizes of the whole sets
(a 256x256 Datum is 196,624 bytes; ~201.5 kB in LMDB pages; ~258 GB for the
1,281,167 training images) against the free space where they go.  Exits 2
when they cannot fit, unless --force.

  scripts/in-env python3 data_prep/disk_plan.py --data data [--force]
"""
import argparse
import os
import sys

from transfer_study.data import warp


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default="data", help="datasets directory (default: data)")
    p.add_argument("--sets", default="whole_train,whole_valid",
                   help="datasets to plan (default: whole_train,whole_valid)")
    p.add_argument("--force", action="store_true", help="do not refuse when space is short")
    args = p.parse_args(argv)
    jobs = []
    for name in args.sets.split(","):
        lst = os.path.join(args.data, name, "files.txt")
        if not os.path.isfile(lst):
            print("disk_plan: error: %s is missing: run 'make lists' first" % lst,
                  file=sys.stderr)
            return 2
        jobs.append((lst, os.path.join(args.data, name, "lmdb")))
    print("disk plan:")
    try:
        warp.disk_plan(jobs, force=args.force)
    except warp.WarpError as e:
        print("disk_plan: error: %s" % e, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
