#!/usr/bin/env python3
"""Write experiments.mk: one make target per network of experiments.yaml.

    scripts/in-env python3 scripts/make_experiments_mk.py [--catalog FILE] [--out FILE]

The file is committed and included by the Makefile; rerun this (make
experiments-mk) after editing the catalog.  --check exits 1 when the file
differs from what the catalog generates.
"""
import argparse
import os
import sys

from transfer_study import PROJECT_ROOT
from transfer_study.nets import catalog, makefile


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog=__doc__.split("\n\n", 1)[1],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--catalog", default=None, help="experiment catalog (default experiments.yaml)")
    ap.add_argument("--out", default=os.path.join(PROJECT_ROOT, "experiments.mk"),
                    help="where to write (default: experiments.mk in the checkout)")
    ap.add_argument("--check", action="store_true",
                    help="write nothing; exit 1 when the file is out of date")
    args = ap.parse_args(argv)
    try:
        cat = catalog.load(args.catalog)
    except catalog.CatalogError as e:
        sys.stderr.write("make_experiments_mk.py: error: %s\n" % e)
        return 2
    if args.check:
        text = makefile.experiments_mk(cat)
        old = open(args.out).read() if os.path.exists(args.out) else None
        if old != text:
            print("%s is out of date with %s: run `make experiments-mk`" % (args.out, cat.path))
            return 1
        print("%s is up to date" % args.out)
        return 0
    changed = makefile.write_experiments_mk(cat, args.out)
    print("%s %s (%d networks)" % ("wrote" if changed else "unchanged:", args.out, len(cat.names())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
