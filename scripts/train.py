#!/usr/bin/env python3
"""Train one network of the catalog with Caffe, resuming where it stopped.

    scripts/in-env python3 scripts/train.py NAME [--root DIR] [--profile paper|tiny] [--gpu G]
        [--gpus-per-net K] [--nets-per-gpu K] [--keep-snapshots final|every:N|all]

Runs `caffe train --solver=solvers/NAME.prototxt` with cwd = ROOT:
  * resumes from the newest results/NAME/*.solverstate (--snapshot);
  * otherwise, for a transfer net, copies its base's final weights (--weights);
  * does nothing when the network is done (its final snapshot -- the first at
    or past the solver's max_iter as the solver is now -- exists and a log
    says "Optimization Done"), and refuses to start a second run while it is
    running: the states are transfer_study/runs/runstate.py's, as make status,
    make results and make submit see them.
The Caffe log goes to results/NAME/NAME.<YYYYmmdd-HHMMSS>.log (a new file per
attempt) and to the terminal, with a provenance record beside it.  Ctrl-C,
SIGINT or SIGTERM make Caffe snapshot and stop; run the same command again to
resume.  A second concurrent run of the same network refuses to start.
A GPU run takes free GPU(s) of the pool --gpu (waiting while none is free) and
stops before Caffe starts when no GPU is usable (--solver-mode CPU is the
explicit CPU path).  Snapshots the policy does not keep are deleted once a
newer one is complete.

Exit status: 0 when the network is done; 130/143 when interrupted by
SIGINT/SIGTERM (resumable); 1 when Caffe failed; 2 for errors found before
Caffe starts (missing dataset, untrained base, already running, bad name, a
solver or net that does not parse: file:line);
3 when a GPU run finds no usable GPU (a SLURM job then fails, unrequeued).
"""
import argparse
import sys

from transfer_study import PROJECT_ROOT, layout
from transfer_study.nets import catalog
from transfer_study.runs import snapshots, train


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog=__doc__.split("\n\n", 1)[1],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("name", help="a network of the catalog (make list-experiments)")
    ap.add_argument("--root", default=PROJECT_ROOT,
                    help="the run's root: prototxt/, solvers/, data/, results/ (default: the checkout)")
    ap.add_argument("--profile", default="paper",
                    help="catalog profile for prototxts generated under ROOT: paper or tiny "
                         "(tiny needs its own --root)")
    ap.add_argument("--gpu", default=None,
                    help="the GPU pool: 0, a list like 0,1,2,3, or all (default 0 for a GPU "
                         "run); the run takes --gpus-per-net free ids of it for Caffe's --gpu, "
                         "waiting while none is free.  With --solver-mode CPU the ids are only "
                         "slots (Caffe gets no --gpu)")
    ap.add_argument("--gpus-per-net", type=int, default=1,
                    help="GPUs each run trains on (Caffe's multi-GPU; the training batch is "
                         "divided so the effective batch stays the same)")
    ap.add_argument("--nets-per-gpu", type=int, default=1,
                    help="runs that may share one GPU id of the pool (default 1: a GPU each)")
    ap.add_argument("--keep-snapshots", default=snapshots.DEFAULT,
                    help="which snapshots stay: final (default: the final pair and, while "
                         "unfinished, the newest complete one), every:N (also every N "
                         "iterations) or all")
    ap.add_argument("--solver-mode", choices=("CPU", "GPU", "cpu", "gpu", ""), default="",
                    help="override the solver file's solver_mode (CPU runs on a run-local copy)")
    ap.add_argument("--iter-size", type=int, default=1,
                    help="accumulate gradients over S passes of batch/S (GPUs with little memory); "
                         "Caffe reads a run-local copy, the committed files never change")
    ap.add_argument("--catalog", default=None, help="experiment catalog (default experiments.yaml)")
    ap.add_argument("--print-command", action="store_true",
                    help="print the exact Caffe command this run would execute, and exit "
                         "(writes nothing; used by `make -n NAME`)")
    args = ap.parse_args(argv)
    try:
        cat = catalog.load(args.catalog)
        if args.print_command:
            a = train.prepare(cat, args.name, args.root, args.profile, args.gpu,
                              args.solver_mode or None, dry_run=True, iter_size=args.iter_size,
                              gpus_per_net=args.gpus_per_net)
            for n in a.notes:
                print("# %s" % n)
            print("# %s is %s" % (args.name, a.state))
            if a.done:
                print("# nothing to run")
            elif a.state.state == "running":
                print("# not starting a second run")
            else:
                print(a.shell_command())
            return 0
        outcome, sig = train.run(cat, args.name, args.root, args.profile, args.gpu,
                                 args.solver_mode or None, iter_size=args.iter_size,
                                 gpus_per_net=args.gpus_per_net, keep=args.keep_snapshots,
                                 nets_per_gpu=args.nets_per_gpu)
    except train.NoGPU as e:
        sys.stderr.write("train.py: error: %s\n" % e)
        return train.NO_GPU_EXIT
    except (train.TrainError, catalog.CatalogError, layout.LayoutError) as e:
        sys.stderr.write("train.py: error: %s\n" % e)
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("train.py: interrupted before Caffe started\n")
        return 130
    if outcome == "done":
        return 0
    if outcome == "interrupted":
        return 128 + int(sig) if sig else 130
    return 1


if __name__ == "__main__":
    sys.exit(main())
