#!/usr/bin/env python3
"""Write the whole ILSVRC2012 lists in Caffe's format (`relative/path label`):
DATA/whole_train/files.txt (paths `<wnid>/<name>.JPEG`),
DATA/whole_valid/files.txt (`<name>.JPEG`) and DATA/synsets.txt
(the class order: sorted WordNet ids, as Caffe's synsets.txt), and
DATA/whole_{train,valid}/image_root.txt: where make data reads the images.

IMAGENET may hold the official archives (ILSVRC2012_img_train.tar,
ILSVRC2012_img_val.tar: read in place, never extracted; their headers are
indexed once into DATA/whole_*/archive_index.tsv and their md5s checked once
against the published ones unless --no-verify), Kaggle's layout
(ILSVRC/Data/CLS-LOC/ with LOC_val_solution.csv) or an extracted
train/<wnid>/*.JPEG tree.  Every layout gives the same lists.

  scripts/in-env python3 data_prep/make_lists.py --imagenet /data/ILSVRC2012 --data data
  scripts/in-env python3 data_prep/make_lists.py --train-list train.txt \\
      --val-list ilsvrc12/val.txt --data data

Training: --train-list (a Caffe train.txt) is copied verbatim after checking
it, its order kept; otherwise IMAGENET/train/<wnid>/*.JPEG is listed class by
class in label order, file names sorted within each class.
Validation: --val-list (Caffe's val.txt) verbatim; otherwise the devkit's
ground truth + meta.mat (--ground-truth/--meta-mat, or found under IMAGENET),
mapping devkit class ids to sorted-wnid labels; without either, the val.txt
beside the synsets file (the project's ilsvrc12/val.txt, Caffe's real one).
Files that already have the right content are left untouched.
"""
import argparse
import os
import sys

from transfer_study.data import archives, imagelists, imagesource, listfile
from transfer_study.data.imagelists import ListsError


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--imagenet", help="ILSVRC2012 root holding train/<wnid>/*.JPEG, val/ "
                                      "and optionally the devkit")
    p.add_argument("--data", default="data", help="datasets directory (default: data)")
    p.add_argument("--train-list", help="a Caffe train.txt to use verbatim")
    p.add_argument("--val-list", help="a Caffe val.txt to use verbatim "
                                      "(e.g. ilsvrc12/val.txt)")
    p.add_argument("--ground-truth", help="devkit data/ILSVRC2012_validation_ground_truth.txt")
    p.add_argument("--meta-mat", help="devkit data/meta.mat")
    p.add_argument("--no-verify", action="store_true",
                   help="do not check the archives' md5s against the published ones")
    p.add_argument("--synsets", default=imagelists.SYNSETS,
                   help="the class wnids, one a line, in label order "
                        "(default: the project's ilsvrc12/synsets.txt)")
    args = p.parse_args(argv)
    try:
        if not os.path.isfile(args.synsets):
            raise ListsError("synsets file %s not found: pass --synsets (Caffe's "
                             "data/ilsvrc12/synsets.txt)" % args.synsets)
        val_list = args.val_list
        beside = os.path.join(os.path.dirname(args.synsets), "val.txt")
        kaggle_csv = False
        if args.imagenet:
            found = archives.detect(args.imagenet)
            kaggle_csv = found["kind"] == "kaggle" and found["val_csv"]
        if not (val_list or (args.ground_truth and args.meta_mat) or kaggle_csv
                or (args.imagenet and imagelists.find_devkit(args.imagenet))) \
                and os.path.isfile(beside):
            print("no devkit under %s and no --val-list: using %s" % (args.imagenet, beside))
            val_list = beside
        imagelists.write_whole_lists(args.data, args.synsets, imagenet=args.imagenet,
                                     train_list=args.train_list, val_list=val_list,
                                     ground_truth=args.ground_truth, meta_mat=args.meta_mat,
                                     verify=not args.no_verify)
    except (ListsError, archives.ArchiveError, imagesource.ImageError, listfile.ListFileError,
            OSError) as e:
        print("make_lists: error: %s" % e, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
