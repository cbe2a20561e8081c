"""The Caffe command and its process, as Caffe's examples run it:

    cd ROOT && caffe train --solver=solvers/NAME.prototxt [--snapshot=...solverstate |
        --weights=...caffemodel] [--gpu=0] -sigint_effect stop -sighup_effect snapshot

(tools/extra/resume_training.sh's `caffe train --solver ... --snapshot ...`).
Its output is tee'd to a fresh log; SIGINT/SIGTERM reach Caffe as SIGINT, so
it snapshots and stops.
"""
import os
import signal
import subprocess
import sys
import time

from transfer_study import layout

STOPPED_EARLY = "Optimization stopped early"


def caffe_command(attempt):
    """`caffe train` for the plan as it stands (relative to attempt.root)."""
    cmd = [attempt.caffe, "train", "--solver=%s" % attempt.run_solver]
    if attempt.snapshot:
        cmd.append("--snapshot=%s" % attempt.snapshot)
    elif attempt.weights:
        cmd.append("--weights=%s" % attempt.weights)
    if attempt.gpu is not None:
        cmd.append("--gpu=%s" % attempt.gpu)
    # SIGINT: stop, and snapshot_after_train (default true) writes the
    # snapshot; 'snapshot' would snapshot and keep training.  SIGHUP: snapshot
    # and keep going.
    cmd += ["-sigint_effect", "stop", "-sighup_effect", "snapshot"]
    return cmd


def caffe_env():
    env = dict(os.environ)
    env["GLOG_logtostderr"] = "1"   # glog would also write files into /tmp
    return env


def new_log(root, name):
    """Open a fresh results/<name>/<name>.<stamp>.log; never reuse an existing name."""
    while True:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = layout.log(root, name, stamp)
        try:
            f = open(path, "xb")
            return stamp, path, f
        except FileExistsError:
            time.sleep(1.0 - (time.time() % 1.0) + 0.01)


def log_says(path, text):
    with open(path, "rb") as f:
        return text.encode() in f.read()


def caffe_version(caffe="caffe"):
    try:
        p = subprocess.run([caffe, "--version"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           env=caffe_env(), timeout=60)
        return p.stdout.decode("utf-8", "replace").strip().splitlines()[-1]
    except (OSError, subprocess.TimeoutExpired, IndexError):
        return "unknown"


def _set_pdeathsig():
    """Child side: SIGINT when the wrapper dies, so Caffe snapshots and stops."""
    try:
        import ctypes
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGINT)   # PR_SET_PDEATHSIG
    except Exception:
        pass
    # A dead terminal or pipe must not kill Caffe mid-snapshot.
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    # SLURM (requeue, preemption, scancel) sends SIGTERM to every process of
    # the job, and Caffe's glog failure handler dies on it without a snapshot
    # (ignoring it is not enough: glog installs its own handler).  Blocked, it
    # stays pending; the wrapper forwards it as SIGINT, and Caffe snapshots.
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM])


def run(attempt, log_f, echo, lock_fds, on_line=None):
    """Run Caffe, tee its output, forward SIGINT/SIGTERM as SIGINT and SIGHUP as SIGHUP.
    Returns (exit status, stopping signal received or None).  Caffe inherits the
    locks, so the network (and its GPUs) stay locked while Caffe lives even if
    this process dies."""
    got = []
    proc = subprocess.Popen(attempt.command, cwd=attempt.root, env=caffe_env(),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            preexec_fn=_set_pdeathsig, pass_fds=tuple(lock_fds))

    def forward(signum, frame):
        got.append(signum)
        try:
            proc.send_signal(signal.SIGHUP if signum == signal.SIGHUP else signal.SIGINT)
        except OSError:
            pass

    old = {}
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        old[s] = signal.signal(s, forward)
    try:
        out = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else sys.stdout
        for line in iter(proc.stdout.readline, b""):
            log_f.write(line)
            log_f.flush()
            if on_line:
                on_line(line)
            if echo:
                try:
                    out.write(line)
                    out.flush()
                except (IOError, OSError):
                    echo = False   # terminal gone: keep logging to the file
        status = proc.wait()
    finally:
        for s, h in old.items():
            signal.signal(s, h)
    stop = [s for s in got if s != signal.SIGHUP]
    return status, (stop[0] if stop else None)
