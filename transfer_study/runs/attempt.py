"""One training attempt of a network, and the errors that stop one before Caffe
starts.  runs/train.py decides and runs it; caffe_process, provenance, datasets
and gpu_plan each do one part of it.
"""
import shlex
import sys


class TrainError(Exception):
    """A user-facing problem: the message says what is wrong and what to do."""


class Locked(TrainError):
    """Another run of the same network holds its lock."""


# train.py's exit status when a GPU run finds no usable GPU: distinct, so that
# a SLURM job fails (and is not requeued) instead of retrying on the same node.
NO_GPU_EXIT = 3


class NoGPU(TrainError):
    """A GPU solver and no GPU Caffe can use: stop before Caffe starts."""


class Attempt(object):
    """One attempt at training a network: everything decided before Caffe
    starts (prepare), filled in as the attempt goes (run).

    what it trains     name, root, state (runstate before it), done, notes
    what Caffe reads   solver (the committed one), run_solver (what Caffe reads:
                       it, or a run-local variant / CPU copy), variant, cpu_copy,
                       snapshot (--snapshot) or weights (--weights), max_iter, final
    where it runs      gpu (Caffe's --gpu; None: the CPU), gpu_pool, gpus_per_net,
                       nets_per_gpu, probe, why_gpu (runs/gpu_plan.py)
    the command        caffe, command (caffe_process.caffe_command), stamp of its log
    """

    def __init__(self, name, root):
        self.name = name
        self.root = root
        self.state = None           # runstate.RunState before this attempt
        self.stamp = None           # YYYYmmdd-HHMMSS of its log, once started
        self.done = False
        self.notes = []
        self.solver = None          # path of the committed/generated solver
        self.run_solver = None      # solver Caffe reads (a run-local copy when forcing CPU)
        self.cpu_copy = None        # root-relative solver that Caffe reads a CPU copy of
        self.variant = None         # (gpus, iter_size) when Caffe reads a run-local variant
        self.snapshot = None
        self.weights = None
        self.gpu = None             # the ids Caffe's --gpu gets (None: a CPU run)
        self.gpu_pool = None        # ids the run takes its GPU(s) from (None: no pool)
        self.gpus_per_net = 1
        self.nets_per_gpu = 1       # runs sharing one GPU id of the pool (NETS_PER_GPU)
        self.probe = None           # gpu.Probe of a GPU run (None: CPU, or not probed)
        self.why_gpu = None         # what makes it a GPU run, for the no-GPU message
        self.caffe = "caffe"
        self.max_iter = None
        self.final = None
        self.command = []

    def shell_command(self):
        return "cd %s && %s" % (shlex.quote(self.root), " ".join(shlex.quote(c) for c in self.command))


def say(msg):
    sys.stderr.write("train.py: %s\n" % msg)
    sys.stderr.flush()
