#!/usr/bin/env python3
"""Write the study's derived dataset lists (random halves, natural/man-made
halves, reduced sets) from the whole ILSVRC2012 lists.

Each dataset gets <data>/<name>/files.txt (Caffe list) and, where labels are
renumbered, idxmap.txt.  Prints the WordNet top-20 table (supplementary
section C), the classes and images of every dataset and the md5 of each
files.txt.  Rerunning rewrites nothing that is already right.

  scripts/in-env python3 data_prep/make_splits.py --data data
"""
import argparse
import os
import sys

from transfer_study import layout
from transfer_study.data import splits
from transfer_study.data.wordnet import WordNet, WordNetError


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default="data",
                   help="datasets directory (default: data)")
    p.add_argument("--train-list", help="whole training list "
                   "(default: DATA/whole_train/files.txt)")
    p.add_argument("--val-list", help="whole validation list "
                   "(default: DATA/whole_valid/files.txt)")
    p.add_argument("--synsets", help="the 1000 class wnids in label order "
                   "(default: DATA/synsets.txt, else the project's ilsvrc12/synsets.txt)")
    p.add_argument("--valid-only", action="store_true",
                   help="write only the validation lists (no training list needed)")
    p.add_argument("--seeds", default=None,
                   help="random-half seeds, comma-separated (default: the catalog's, "
                   "i.e. every half<seed>{A,B} under datasets: in experiments.yaml)")
    p.add_argument("--num-classes", type=int, default=splits.NUM_CLASSES,
                   help="classes in the synsets list (default: the study's 1000; "
                   "fewer only for a subset of ILSVRC classes such as the demo's)")
    p.add_argument("--wordnet", help="directory with WordNet 3.0 data.noun "
                   "(default: /usr/share/wordnet inside the env, or $WORDNET_DIR)")
    args = p.parse_args(argv)

    try:
        train = None if args.valid_only else (
            args.train_list or layout.files_txt(args.data, "whole_train"))
        val = args.val_list or layout.files_txt(args.data, "whole_valid")
        synsets = args.synsets or default_synsets(args.data)
        for what, path in (("training list", train), ("validation list", val),
                           ("synsets list", synsets)):
            if path is not None and not os.path.isfile(path):
                raise splits.SplitError(
                    "%s %s does not exist: build the whole lists first (make lists), "
                    "or name it (TRAIN_LIST=, VAL_LIST=, SYNSETS=)" % (what, path))
        seeds = None if args.seeds is None else \
            [splits.parse_seed(s) for s in args.seeds.split(",")]
        wn = WordNet(os.path.join(args.wordnet, "data.noun") if args.wordnet else None)
        splits.make_splits(args.data, synsets, train, val, seeds=seeds, wordnet=wn,
                           num_classes=args.num_classes)
    except (splits.SplitError, WordNetError, OSError) as e:
        print("make_splits: error: %s" % e, file=sys.stderr)
        return 2
    return 0


def default_synsets(data):
    here = layout.synsets(data)
    if os.path.isfile(here):
        return here
    from transfer_study.data import imagelists
    return imagelists.SYNSETS


if __name__ == "__main__":
    sys.exit(main())
