"""A real one-node SLURM cluster for the tests, started under a temporary
directory on 127.0.0.1 and stopped by PID afterwards.

munged, slurmctld and slurmd run in the foreground as children of the test
process (so they share its mount namespace inside the Caffe env) with every
file they write -- key, socket, state, spool, logs, pids -- under `base`.
Clients find this cluster through SLURM_CONF, which `env()` sets.
"""
import os
import pwd
import signal
import socket
import subprocess
import time

# Measured with SLURM 20.11.4 on the 2-core test machine: up in < 1 s; a
# job starts ~0.6 s after sbatch.  Fast scheduling so a test does not wait
# for the default 60 s scheduler pass.  A requeued job may start again only
# after cred_expire + 1 s (default 120 s; here 5 s gives ~6 s).  MinJobAge is
# long because an `afterok` on a purged job id counts as satisfied and the
# tests inspect finished jobs with scontrol.
SLURM_CONF = """\
ClusterName=transferstudy
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort={ctld_port}
SlurmdPort={slurmd_port}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket={base}/munge/munge.socket,cred_expire=5
CredType=cred/munge
StateSaveLocation={base}/state
SlurmdSpoolDir={base}/spool
SlurmctldPidFile={base}/run/slurmctld.pid
SlurmdPidFile={base}/run/slurmd.pid
SlurmctldLogFile={base}/log/slurmctld.log
SlurmdLogFile={base}/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc={base}/log/jobcomp.txt
SchedulerType=sched/backfill
SchedulerParameters={sched_params}
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MinJobAge=86400
KillWait=10
ReturnToService=2
MpiDefault=none
MailProg=/bin/true
NodeName=localhost NodeAddr=127.0.0.1 NodeHostname=localhost {hardware} State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
"""

SCHED_PARAMS = "batch_sched_delay=0,sched_interval=2,bf_interval=1,sched_min_interval=0"


class ClusterError(RuntimeError):
    pass


def _free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _node_hardware():
    """CPUs/sockets/cores/memory of this machine as slurmd reports them, so
    slurmd registers without a 'low resources' drain."""
    out = subprocess.check_output(["slurmd", "-C"], universal_newlines=True)
    fields = out.splitlines()[0].split()
    keep = ("CPUs=", "Boards=", "SocketsPerBoard=", "CoresPerSocket=",
            "ThreadsPerCore=", "RealMemory=")
    return " ".join(f for f in fields if f.startswith(keep))


class SlurmCluster(object):
    def __init__(self, base):
        self.base = os.path.abspath(base)
        self.conf = os.path.join(self.base, "slurm.conf")
        self.procs = {}
        self.startup_seconds = None

    def env(self, extra=None):
        env = dict(os.environ)
        env["SLURM_CONF"] = self.conf
        env.update(extra or {})
        return env

    def log(self, daemon):
        path = os.path.join(self.base, "log", daemon + ".log")
        if not os.path.exists(path):
            return ""
        with open(path) as f:
            return f.read()

    def start(self, timeout=60):
        t0 = time.time()
        for d in ("munge", "state", "spool", "run", "log"):
            os.makedirs(os.path.join(self.base, d))
        os.chmod(os.path.join(self.base, "munge"), 0o711)
        key = os.path.join(self.base, "munge", "munge.key")
        with open(key, "wb") as f:
            f.write(os.urandom(1024))
        os.chmod(key, 0o400)
        with open(self.conf, "w") as f:
            f.write(SLURM_CONF.format(base=self.base, ctld_port=_free_port(),
                                      slurmd_port=_free_port(),
                                      sched_params=SCHED_PARAMS,
                                      hardware=_node_hardware()))
        m = os.path.join(self.base, "munge")
        self._spawn("munged", ["munged", "--foreground", "--force",
                               "--socket=%s/munge.socket" % m, "--key-file=%s" % key,
                               "--pid-file=%s/munged.pid" % m,
                               "--log-file=%s/munged.log" % m,
                               "--seed-file=%s/munged.seed" % m])
        self._wait(lambda: os.path.exists(os.path.join(m, "munge.socket")), "munged", timeout)
        self._spawn("slurmctld", ["slurmctld", "-D", "-c", "-f", self.conf])
        self._wait(lambda: self._ok(["scontrol", "ping"]) and "UP" in self._out(["scontrol", "ping"]),
                   "slurmctld", timeout)
        self._spawn("slurmd", ["slurmd", "-D", "-N", "localhost", "-f", self.conf])
        self._wait(self._node_idle, "slurmd", timeout)
        self.startup_seconds = time.time() - t0
        return self

    def _spawn(self, name, argv):
        out = open(os.path.join(self.base, "log", name + ".stdout"), "w")
        self.procs[name] = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT,
                                            env=self.env(), cwd=self.base)
        out.close()

    def _out(self, argv):
        return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              env=self.env(), universal_newlines=True).stdout

    def _ok(self, argv):
        return subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env=self.env()).returncode == 0

    def _node_idle(self):
        state = self._out(["sinfo", "-h", "-N", "-o", "%T"]).strip()
        return state in ("idle", "mixed", "allocated")

    def _wait(self, ready, name, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            proc = self.procs.get(name)
            if proc is not None and proc.poll() is not None:
                raise ClusterError("%s exited with %s while starting; its log:\n%s%s" % (
                    name, proc.returncode, self.log(name), self._stdout(name)))
            if ready():
                return
            time.sleep(0.2)
        raise ClusterError("%s not ready after %ss; its log:\n%s%s" % (
            name, timeout, self.log(name), self._stdout(name)))

    def _stdout(self, name):
        path = os.path.join(self.base, "log", name + ".stdout")
        return open(path).read() if os.path.exists(path) else ""

    def stop(self):
        """Cancel every job first (stopping slurmd leaves jobs running), then
        stop the daemons in reverse order of start, by PID."""
        if "slurmctld" in self.procs and self.procs["slurmctld"].poll() is None:
            user = pwd.getpwuid(os.getuid()).pw_name
            subprocess.run(["scancel", "--user=" + user], env=self.env(),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.time() + 20
            while time.time() < deadline:
                if not self._out(["squeue", "-h", "-t", "running,completing"]).strip():
                    break
                time.sleep(0.3)
        for name in ("slurmd", "slurmctld", "munged"):
            proc = self.procs.pop(name, None)
            if proc is None:
                continue
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
