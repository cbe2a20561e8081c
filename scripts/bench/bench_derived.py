#!/usr/bin/env python3
"""Benchmark: derived LMDBs copied from a whole-set LMDB (derive.py) versus
converting the same subsets from JPEG with the warp tool (what the original
study did).  Target: deriving is at least 20x faster.

Makes a synthetic ImageNet-like set (JPEGs of ILSVRC's typical 500x375 size,
smooth content so they compress like photos), warps the whole set to 256x256
once (not timed; shuffled, as make data writes whole_train), then, side by
side in this run, builds the same subsets both ways -- two halves and two
reduced sets, training sets, so both ways write them shuffled with the same
seed -- checks the results are identical, and prints the times and the ratio.

  scripts/in-env python3 scripts/bench/bench_derived.py [--classes 20 --per-class 30]
"""
import argparse
import os
import shutil
import sys
import tempfile
import time

import cv2
import numpy

from transfer_study import layout
from transfer_study.data import derive, lmdb_io, splits, warp


def make_images(root, classes, per_class, width, height, seed=0):
    rng = numpy.random.RandomState(seed)
    lines = []
    for i in range(per_class):
        for c in range(classes):
            rel = "n%08d/img_%d_%d.JPEG" % (c, c, i)
            os.makedirs(os.path.join(root, os.path.dirname(rel)), exist_ok=True)
            small = rng.randint(0, 256, size=(12, 16, 3)).astype(numpy.uint8)
            img = cv2.resize(small, (width, height), interpolation=cv2.INTER_CUBIC)
            img = cv2.add(img, rng.randint(0, 24, size=img.shape).astype(numpy.uint8))
            cv2.imwrite(os.path.join(root, rel), img, [cv2.IMWRITE_JPEG_QUALITY, 90])
            lines.append((rel, c))
    return lines


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--classes", type=int, default=20, help="classes (default 20)")
    p.add_argument("--per-class", type=int, default=40, help="images per class (default 40)")
    p.add_argument("--resize", type=int, default=256, help="warp size (default 256, the paper's)")
    p.add_argument("--workers", type=int, default=None,
                   help="warp worker processes (default: all cores)")
    p.add_argument("--dir", help="work directory (default: a temporary one, removed after)")
    args = p.parse_args(argv)

    work = args.dir or tempfile.mkdtemp(prefix="bench_derived_")
    os.makedirs(work, exist_ok=True)
    try:
        root = os.path.join(work, "images")
        data = os.path.join(work, "data")
        quiet = lambda msg: None
        t = time.time()
        lines = make_images(root, args.classes, args.per_class, 500, 375)
        print("made %d JPEGs (500x375) in %.1f s" % (len(lines), time.time() - t))
        splits.write_dataset(data, "whole_train", lines)
        t = time.time()
        warp.convert(root, layout.files_txt(data, "whole_train"),
                     layout.lmdb(data, "whole_train"), args.resize, args.resize,
                     shuffle=True, workers=args.workers, progress=False, log=quiet)
        print("whole_train LMDB (%dx%d) in %.1f s (not part of the comparison)"
              % (args.resize, args.resize, time.time() - t))

        a, b = splits.random_halves(0, args.classes)
        subsets = []
        for name, cls in (("half0A_train", a), ("half0B_train", b)):
            sub, idxmap = splits.subset(lines, cls)
            splits.write_dataset(data, name, sub, idxmap)
            subsets.append(name)
        for n in (args.per_class // 2, args.per_class // 3):
            name = splits.reduced_name(n)
            splits.write_dataset(data, name, splits.reduced(lines, n))
            subsets.append(name)
        total = sum(len(splits.read_list(layout.files_txt(data, n), args.classes))
                    for n in subsets)

        t = time.time()
        source = derive.Source(data, "whole_train")
        for name in subsets:
            derive.derive_dataset(data, name, source, progress=False, log=quiet, mean=False)
        t_derive = time.time() - t

        def warp_all(workers, tag):
            out = {}
            t = time.time()
            for name in subsets:
                out[name] = os.path.join(work, tag, name)
                seed = derive.shuffle_seed(source)   # as derive writes it
                warp.convert(root, layout.files_txt(data, name), out[name],
                             args.resize, args.resize, shuffle=seed is not None,
                             seed=seed if seed is not None else warp.DEFAULT_SEED,
                             workers=workers, progress=False, log=quiet)
            return out, time.time() - t

        cores = args.workers or len(os.sched_getaffinity(0))
        direct, t_warp = warp_all(cores, "direct")
        single, t_warp1 = warp_all(1, "single")

        for name in subsets:
            got = list(lmdb_io.iter_items(layout.lmdb(data, name)))
            if got != list(lmdb_io.iter_items(direct[name])) or \
                    got != list(lmdb_io.iter_items(single[name])):
                print("ERROR: %s derived differs from direct conversion" % name, file=sys.stderr)
                return 1
        ratio = t_warp / t_derive if t_derive > 0 else float("inf")
        print("subsets: %s (%d images, %dx%d datums, %.0f MB each way)"
              % (", ".join(subsets), total, args.resize, args.resize,
                 total * 3 * args.resize ** 2 / 1e6))
        print("derive from the whole LMDB:        %7.2f s  (%6.0f images/s)"
              % (t_derive, total / t_derive))
        print("warp from JPEG, %d worker(s):       %7.2f s  (%6.0f images/s)"
              % (cores, t_warp, total / t_warp))
        print("warp from JPEG, 1 worker (as convert_imageset): %.2f s  (%.0f images/s)"
              % (t_warp1, total / t_warp1))
        print("ratio vs 1 worker: %.1fx" % (t_warp1 / t_derive))
        print("ratio (warp with %d workers / derive): %.1fx   target >= 20x: %s"
              % (cores, ratio, "met" if ratio >= 20 else "NOT met"))
        print("results identical (derived == warped, both ways): yes")
    finally:
        if not args.dir:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
