#!/usr/bin/env python3
"""Convert a set of images to a Caffe Datum LMDB: a parallel, resumable,
drop-in replacement for Caffe's convert_imageset.

  scripts/in-env python3 data_prep/warp_imageset.py [FLAGS] ROOTFOLDER/ LISTFILE DB_NAME

LISTFILE lines are `relative/path label` (path relative to ROOTFOLDER).
ROOTFOLDER may also be an archive index written by make lists
(DATA/whole_*/archive_index.tsv): the images are then read in place from
the uncompressed tar it indexes, by byte range, never extracted.  With
the same list, no --shuffle and the same resize flags, every key and value is
byte-identical to convert_imageset's (keys '%08d_path', line index counted
over the whole list; values Datum CHW BGR uint8 + label).

Unlike convert_imageset it uses every core, shows progress, checks the whole
list up front (missing, empty, unreadable files, bad labels, paths escaping
ROOTFOLDER, duplicates, non-UTF-8 names: all reported as LISTFILE:LINE),
stops on images that do not decode instead of silently dropping them (unless
--skip-bad, which writes DB_NAME.skipped.txt), resumes after a kill from the
last commit, and marks the DB finished (DB_NAME/complete.json) only at the
end.  Rerunning a finished DB with the same list and flags does nothing; with
another list or flags it is an error.  A second run on the same DB_NAME while
one writes it exits 2 at once, naming the holder of DB_NAME.lock.  Any error
decoding one image (OpenCV's included; headers claiming more than OpenCV's
2^30-pixel limit are refused before decoding) is that line's; images that
decode with warnings (e.g. truncated JPEGs) are converted as convert_imageset
converts them and listed in DB_NAME.warnings.txt.  A full disk stops the run
with a message; rerun to resume.

--shuffle writes the lines in a seeded random order (--seed, default 1701,
recorded in DB_NAME/complete.json), numbered in that order as
convert_imageset --shuffle numbers them.  Caffe's Data layer reads an LMDB
in key order and never shuffles, so a training set must be written with
--shuffle (a class-sorted one gives single-class batches); make data does
so for whole_train, and validation sets are written in list order.

Example (the study's 256x256 warp of the training set, as make data runs it):
  scripts/in-env python3 data_prep/warp_imageset.py --resize_height=256 \\
      --resize_width=256 --shuffle /data/ILSVRC2012/train/ \\
      data/whole_train/files.txt data/whole_train/lmdb
"""
import argparse
import sys

from transfer_study import cli
from transfer_study.data import listfile, lmdb_io, warp


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("root", metavar="ROOTFOLDER/",
                   help="directory the list's paths are relative to, or an archive index")
    p.add_argument("list", metavar="LISTFILE", help="Caffe list file: 'path label' per line")
    p.add_argument("db", metavar="DB_NAME", help="LMDB directory to write")
    p.add_argument("--resize_height", "-resize_height", type=int, default=0,
                   help="height images are warped to (both sizes > 0 to resize; default 0)")
    p.add_argument("--resize_width", "-resize_width", type=int, default=0,
                   help="width images are warped to")
    p.add_argument("--gray", "-gray", action="store_true",
                   help="decode as 1-channel grayscale (default: 3-channel BGR)")
    p.add_argument("--shuffle", "-shuffle", action="store_true",
                   help="shuffle the list before writing, with --seed (recorded in the DB)")
    p.add_argument("--seed", type=int, default=warp.DEFAULT_SEED,
                   help="seed of --shuffle (default %(default)s)")
    p.add_argument("--encoded", "-encoded", action="store_true",
                   help="store the warped image re-encoded (see --encode_type)")
    p.add_argument("--encode_type", "-encode_type", default="",
                   help="'png' (lossless) or 'jpg'; default: each file's extension")
    p.add_argument("--check_size", "-check_size", action="store_true",
                   help="fail when the datums do not all have the same size")
    p.add_argument("--backend", "-backend", default="lmdb", choices=["lmdb"],
                   help="only lmdb (the study's backend)")
    p.add_argument("--skip-bad", action="store_true",
                   help="skip bad lines and images (listed in DB_NAME.skipped.txt) "
                        "instead of stopping")
    p.add_argument("--num-classes", type=int, default=None,
                   help="labels must be < this (default: any label >= 0)")
    p.add_argument("--workers", type=int, default=None,
                   help="decoding processes (default: one per core; 0 = in-process)")
    p.add_argument("--batch", type=int, default=1000,
                   help="images per LMDB commit (default %(default)s, as convert_imageset)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    args = p.parse_args(argv)
    return cli.run("warp_imageset", lambda: warp.convert(
        args.root, args.list, args.db,
        resize_height=args.resize_height, resize_width=args.resize_width,
        gray=args.gray, shuffle=args.shuffle, seed=args.seed,
        encoded=args.encoded, encode_type=args.encode_type,
        check_size=args.check_size, skip_bad=args.skip_bad,
        num_classes=args.num_classes, workers=args.workers,
        batch=args.batch, progress=not args.quiet),
        (warp.WarpError, listfile.ListFileError, lmdb_io.LmdbError, OSError),
        interrupted="rerun the same command to resume")


if __name__ == "__main__":
    sys.exit(main())
