#!/usr/bin/env python3
"""Compute the mean image of a Datum LMDB: Caffe's compute_image_mean, same
float32 values, with a progress bar.  Prints the per-channel means (B, G, R).

  scripts/in-env python3 data_prep/compute_mean.py DB MEAN.binaryproto

Refuses a DB of this project that is not finished (no complete.json).
"""
import argparse
import sys

from transfer_study import cli
from transfer_study.data import lmdb_io, mean


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("db", metavar="DB", help="LMDB directory of Datums")
    p.add_argument("out", metavar="MEAN.binaryproto", nargs="?",
                   help="where to write the mean (omit to only print the channel means)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    args = p.parse_args(argv)

    def compute():
        m, count = mean.compute_mean(args.db, progress=not args.quiet)
        if args.out:
            mean.write_binaryproto(m, args.out)
            print("wrote %s (mean of %d images, %s)"
                  % (args.out, count, "x".join(map(str, m.shape))))
        for c, v in enumerate(mean.channel_means(m)):
            print("mean_value channel [%d]: %g" % (c, v))
    return cli.run("compute_mean", compute, (mean.MeanError, lmdb_io.LmdbError))


if __name__ == "__main__":
    sys.exit(main())
