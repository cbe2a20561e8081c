#!/usr/bin/env python3
"""Benchmark: what OpenBLAS buys the env's Caffe.

Times CaffeNet (prototxt/netbase/deploy.prototxt) forward+backward with
`caffe time`, alternating the env's OpenBLAS and Debian's reference BLAS
(libblas3, selected with LD_LIBRARY_PATH), and prints both and the ratio.
Debian's caffe silently falls back to the reference BLAS when no optimized
one is installed; this shows the price.

    scripts/in-env python3 scripts/bench/bench_env.py [--batch 16] [--rounds 2]
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

from transfer_study import PROJECT_ROOT as ROOT

REFERENCE_BLAS_DIR = "/usr/lib/x86_64-linux-gnu/blas"


def time_forward_backward(model, extra_env):
    env = dict(os.environ, GLOG_logtostderr="1", **extra_env)
    out = subprocess.run(["caffe", "time", "-model", model, "-iterations", "2"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         universal_newlines=True, env=env)
    match = re.search(r"Average Forward-Backward: ([0-9.]+) ms", out.stdout)
    if out.returncode != 0 or not match:
        sys.exit("bench-env: caffe time failed:\n" + out.stdout[-2000:])
    return float(match.group(1)) / 1000.0


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch", type=int, default=16, help="images per batch (default 16)")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds (default 2)")
    args = parser.parse_args()
    if not os.path.isdir(REFERENCE_BLAS_DIR):
        sys.exit("bench-env: no reference BLAS at %s (Debian's libblas3); "
                 "run inside the env built by make env" % REFERENCE_BLAS_DIR)

    deploy = open(os.path.join(ROOT, "prototxt", "netbase", "deploy.prototxt")).read()
    # The deploy net's Input layer has batch 10; bench at the requested batch.
    deploy = re.sub(r"dim: 10\b", "dim: %d" % args.batch, deploy, count=1)
    with tempfile.NamedTemporaryFile("w", suffix=".prototxt") as model:
        model.write(deploy)
        model.flush()
        times = {"OpenBLAS": [], "reference BLAS": []}
        for _ in range(args.rounds):
            times["OpenBLAS"].append(time_forward_backward(model.name, {}))
            times["reference BLAS"].append(
                time_forward_backward(model.name, {"LD_LIBRARY_PATH": REFERENCE_BLAS_DIR}))

    best = {k: min(v) for k, v in times.items()}
    print("CaffeNet forward+backward, batch %d, %d CPU cores (best of %d):"
          % (args.batch, os.cpu_count(), args.rounds))
    for name, seconds in best.items():
        print("  %-15s %7.2f s/batch   (%.1f s at batch 256)" % (name, seconds, seconds * 256 / args.batch))
    print("  OpenBLAS is %.1fx faster" % (best["reference BLAS"] / best["OpenBLAS"]))


if __name__ == "__main__":
    main()
