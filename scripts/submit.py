#!/usr/bin/env python3
"""Submit networks of the study to a SLURM cluster, one batch job each.

  scripts/submit.py half0A transfer0A0B_1_3      networks by name
  scripts/submit.py halves transfers             or by group
  scripts/submit.py --dry-run halves             print scripts and sbatch commands only

A transfer network waits for its base network's job (afterok); a base that is
needed and not yet trained is submitted too.  Networks already finished or
already queued/running (see results/<name>/slurm-job.json) are skipped, so
submitting twice queues nothing twice.  Each job snapshots and requeues itself
before its time limit and resumes from that snapshot.  Partition, account,
time limit and GPUs come from slurm.yaml (or the options below).  With
--nets-per-gpu 2 a job trains two networks at once on its GPU(s) (networks
that do not wait for each other), for GPUs with memory and speed to spare.

Run it on the cluster's login node, in the project checkout on the shared
filesystem, with the Caffe env active (conda: CAFFE_ENV=native).
"""
import argparse
import sys

from transfer_study import PROJECT_ROOT, cli, layout
from transfer_study.cluster import slurm
from transfer_study.nets import catalog


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("networks", nargs="+", metavar="NETWORK",
                   help="network names or groups (%s)" % ", ".join(catalog.Catalog.groups()))
    p.add_argument("--root", default=PROJECT_ROOT,
                   help="study root holding solvers/, prototxt/, data/, results/ "
                        "(default: the checkout, %(default)s); must be on a filesystem "
                        "the compute nodes share")
    p.add_argument("--profile", default="paper", help="paper (GPU) or tiny (CPU); default paper")
    p.add_argument("--catalog", default=None, help="experiment catalog (default experiments.yaml)")
    p.add_argument("--config", default=None, help="SLURM settings (default slurm.yaml)")
    p.add_argument("--partition", help="override slurm.yaml's partition")
    p.add_argument("--account", help="override slurm.yaml's account")
    p.add_argument("--time-limit", dest="time_limit", help="override slurm.yaml's time_limit")
    p.add_argument("--gpus", help="override slurm.yaml's GPUs per job")
    p.add_argument("--nets-per-gpu", dest="nets_per_gpu",
                   help="override slurm.yaml's nets_per_gpu: networks one job trains at once "
                        "on the same GPU(s), each with cpus_per_task and mem")
    p.add_argument("--keep-snapshots", dest="keep_snapshots",
                   help="override slurm.yaml's keep_snapshots (final, every:N or all)")
    p.add_argument("--dry-run", "-n", action="store_true",
                   help="print the batch scripts and sbatch commands; submit nothing")
    args = p.parse_args(argv)

    def submit():
        cat = catalog.load(args.catalog)
        cat.profile(args.profile)
        cfg = slurm.load_config(args.config, dict(
            partition=args.partition, account=args.account,
            time_limit=args.time_limit, gpus=args.gpus, keep_snapshots=args.keep_snapshots,
            nets_per_gpu=args.nets_per_gpu))
        report = slurm.submit(cat, args.networks, args.root, profile=args.profile, cfg=cfg,
                              dry_run=args.dry_run)
        broken = [n for n, action, _ in report if action in ("broken", "base broken")]
        if broken:
            sys.stderr.write("submit: %d network(s) not submitted, broken or needing a broken "
                             "base: %s (make status says why)\n" % (len(broken), " ".join(broken)))
            return 1
    return cli.run("submit", submit, (slurm.SlurmError, catalog.CatalogError, layout.LayoutError))


if __name__ == "__main__":
    sys.exit(main())
