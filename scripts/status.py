#!/usr/bin/env python3
"""One line per network: not started / running / interrupted / failed / done,
with the last iteration, the latest and best test accuracy (top-1), the
measured seconds per iteration and the ETA to max_iter.

    scripts/in-env python3 scripts/status.py [NAMES or GROUPS...] [--root DIR]

Reads only results/<name>/ (logs, snapshots, lock, provenance records), so it
works on a cluster's shared filesystem too.  'running' means the network's
lock is held, or (a job on another node) its log was written in the last 20
minutes.  The states are transfer_study/runs/runstate.py's: train.py, make
results and make submit say the same of every network.
"""
import argparse
import os
import sys

from transfer_study import cli
from transfer_study.cluster import slurm
from transfer_study.nets import catalog
from transfer_study.runs import status


def slurm_jobs(root):
    """{name: (SLURM state, job id)} of networks submitted with `make submit`."""
    try:
        return slurm.queue_states(root)
    except (slurm.SlurmError, OSError):   # SLURM unreachable: the logs still tell
        return {}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog=__doc__.split("\n\n", 1)[1],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    cli.add_selection(ap, "profile whose max_iter applies where a network has no solver "
                          "under ROOT")
    args = ap.parse_args(argv)

    def show():
        cat, names = cli.selection(args)
        root = os.path.abspath(args.root)
        print(status.report(cat, root, names or None, args.profile, slurm_jobs(root)))
    return cli.run("status.py", show, catalog.CatalogError)


if __name__ == "__main__":
    sys.exit(main())
