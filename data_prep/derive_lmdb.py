#!/usr/bin/env python3
"""Build the derived datasets' LMDBs (random halves, natural/man-made halves,
reduced sets) by copying datums out of the whole-set LMDBs -- no JPEG is
decoded -- then each training set's mean.binaryproto.

For every <data>/<name>/files.txt written by make splits (or the NAMES given),
<name>/lmdb gets that list's images with its labels under convert_imageset
keys ('%08d_%s' % (position, path)): the same DB the warp tool would write
from <name>/files.txt.  *_train sets copy from <data>/whole_train/lmdb, *_valid
sets from <data>/whole_valid/lmdb (shuffled or not: the whole DB's recorded
seed finds each datum).

Order: Caffe's Data layer reads an LMDB in key order and never shuffles, so
*_train sets are written SHUFFLED, as `warp_imageset.py --shuffle --seed=S`
would write them, S being the seed recorded in whole_train/lmdb (make data
uses 1701, warp_imageset's default; 1701 too when whole_train is unshuffled);
*_valid sets are written in list order.  The disk space table shows each one's order.

A disk space check is printed first.  Interrupted runs resume; finished DBs are
left alone; a DB whose list changed since is refused (remove it to rebuild).

  scripts/in-env python3 data_prep/derive_lmdb.py --data data [NAMES...]
"""
import argparse
import sys

from transfer_study import cli
from transfer_study.data import derive, listfile, lmdb_io, splits


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("names", nargs="*", metavar="NAME",
                   help="datasets to build (default: every derived list under DATA)")
    p.add_argument("--data", default="data", help="datasets directory (default: data)")
    p.add_argument("--no-mean", action="store_true",
                   help="skip mean.binaryproto of the training sets")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    p.add_argument("--ignore-space", action="store_true",
                   help="write even when the disk space check says the disk is too small")
    args = p.parse_args(argv)
    return cli.run("derive_lmdb", lambda: derive.derive_all(
        args.data, args.names, progress=not args.no_progress,
        check_space=not args.ignore_space, mean=not args.no_mean),
        (derive.DeriveError, lmdb_io.LmdbError, listfile.ListFileError, splits.SplitError,
         OSError), interrupted="rerun to resume")


if __name__ == "__main__":
    sys.exit(main())
