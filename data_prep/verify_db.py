#!/usr/bin/env python3
"""Check a Caffe Datum LMDB: count, label histogram, shapes, keys; against
its list file when given (every key is '%08d_path' of the right line with
the right label; lines missing from the DB must be the recorded skipped
ones); with --root, a few datums are re-made from their images and must be
byte-identical.  Exit status 0 only when everything matches.

  scripts/in-env python3 data_prep/verify_db.py data/whole_valid/lmdb \\
      data/whole_valid/files.txt --root /data/ILSVRC2012/val/
"""
import argparse
import sys

from transfer_study.data import listfile, lmdb_io, verify


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("db", metavar="DB", help="LMDB directory")
    p.add_argument("list", metavar="LIST", nargs="?", help="the Caffe list it was built from")
    p.add_argument("--root", help="ROOTFOLDER of the list (a directory or an archive index): "
                                  "re-make sample datums from images")
    p.add_argument("--samples", type=int, default=5, help="datums to re-make (default 5)")
    args = p.parse_args(argv)
    try:
        rep = verify.verify_db(args.db, args.list, args.root, args.samples)
    except (lmdb_io.LmdbError, listfile.ListFileError, OSError) as e:
        print("verify_db: error: %s" % e, file=sys.stderr)
        return 2
    for line in rep.lines():
        print(line)
    return 0 if rep.ok else 1


if __name__ == "__main__":
    sys.exit(main())
