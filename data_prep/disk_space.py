#!/usr/bin/env python3
"""The disk space check of `make data`: expected LMDB sizes of the whole sets
(a 256x256 Datum is 196,624 bytes; ~201.5 kB in LMDB pages; ~258 GB for the
1,281,167 training images) against the free space where they go.  Exits 2
when they cannot fit, unless --force.

  scripts/in-env python3 data_prep/disk_space.py --data data [--resize 256] [--force]
"""
import argparse
import os
import sys

from transfer_study import layout
from transfer_study.data import diskspace


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default="data", help="datasets directory (default: data)")
    p.add_argument("--sets", default="whole_train,whole_valid",
                   help="datasets to check (default: whole_train,whole_valid)")
    p.add_argument("--resize", type=int, default=256, help="warp size (default: 256)")
    p.add_argument("--force", action="store_true", help="do not refuse when space is short")
    args = p.parse_args(argv)
    jobs = []
    for name in args.sets.split(","):
        lst = layout.files_txt(args.data, name)
        if not os.path.isfile(lst):
            print("disk_space: error: %s is missing: run 'make lists' first" % lst,
                  file=sys.stderr)
            return 2
        jobs.append((lst, layout.lmdb(args.data, name)))
    print("disk space:")
    try:
        diskspace.check(jobs, resize=args.resize, force=args.force)
    except diskspace.DiskSpaceError as e:
        print("disk_space: error: %s" % e, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
