import os
import shutil
import sys
import tempfile

import pytest

from transfer_study import PROJECT_ROOT

SHARED = os.path.join(os.path.dirname(PROJECT_ROOT), "shared")

# The kinds of slow test, each a marker: `make test-fast` leaves them all out.
SLOW_KINDS = {
    "slow": "takes minutes (any of the kinds below)",
    "env_build": "builds a Caffe environment (make env)",
    "rootless": "creates ordinary users on the host and builds their envs",
    "slurm": "starts a real one-node SLURM cluster",
    "kill_loop": "kills real Caffe training (SIGKILL, SIGTERM, Ctrl-C) and resumes it",
    "training": "trains tiny networks with real Caffe through make (tens of seconds each)",
    "logs_2014": "parses and plots the original study's 170 logs from ../shared",
    "demo": "runs the end-to-end demo (make demo)",
}


# Which tests are of a slow kind: by a fixture they use, or by file or
# file::test (one place, so that the test files need no markers of their own).
SLOW_FIXTURES = {"cluster": "slurm", "users": "rootless"}
SLOW_TESTS = {
    "test_rootless.py": "rootless",
    "test_demo.py::test_quick_demo_end_to_end": "demo",
    "test_gpu_runs.py::test_sigkill_at_random_points_always_resumes_and_leaves_the_policys_files":
        "kill_loop",
    "test_train.py::test_sigterm_to_the_wrapper_snapshots_second_run_refuses_then_resume":
        "kill_loop",
    "test_train.py::test_ctrl_c_on_a_transfer_net_snapshots_and_rerun_resumes_without_weights":
        "kill_loop",
    "test_train.py::test_sigkill_midway_resumes_from_the_last_readable_snapshot": "kill_loop",
    "test_runstate.py": "kill_loop",   # (its second test reads the first one's runs)
    "test_gpu_runs.py": "training",
    "test_train.py::test_transfer_trains_its_base_first_and_copies_its_weights": "training",
    "test_results_2014.py": "logs_2014",
    "test_results.py::test_partial_mixed_results[beside-2014-logs]": "logs_2014",
}


@pytest.fixture
def shared_dir():
    """../shared beside the checkout: the real ILSVRC2012 metadata and the
    original study's logs.  Tests that need it skip when it is absent."""
    if not os.path.isdir(SHARED):
        pytest.skip("../shared (ILSVRC2012 metadata and 2014 logs) is not beside this checkout")
    return SHARED


@pytest.fixture(scope="session")
def caffe_tools():
    """The real Caffe command-line tools; tests run inside the env (make test)."""
    for tool in ("caffe", "convert_imageset", "compute_image_mean"):
        if shutil.which(tool) is None:
            pytest.fail("%s is not on PATH: run the tests with 'make test' "
                        "(inside the Caffe environment)" % tool)
    return True


def pytest_configure(config):
    for name, what in SLOW_KINDS.items():
        config.addinivalue_line("markers", "%s: %s; `make test` runs it, `make test-fast` "
                                "does not" % (name, what))
    # One directory per run for all it leaves behind: pytest's tmp_path
    # directories, the log files of every Caffe the tests start (glog writes
    # them to /tmp otherwise) and the temporary files of child processes.
    # Removed after a run that passed; kept, and named, after a failure.
    if config.option.basetemp:
        return
    run_dir = tempfile.mkdtemp(prefix="transfer-study-tests.")
    os.chmod(run_dir, 0o755)   # the rootless tests' users write below it
    os.makedirs(os.path.join(run_dir, "glog"))
    os.makedirs(os.path.join(run_dir, "tmp"))
    os.chmod(os.path.join(run_dir, "tmp"), 0o1777)
    config.option.basetemp = os.path.join(run_dir, "pytest")
    os.environ["GLOG_log_dir"] = os.path.join(run_dir, "glog")
    os.environ["TMPDIR"] = os.path.join(run_dir, "tmp")
    tempfile.tempdir = None   # (this process, too, asks TMPDIR again)
    config._transfer_study_run_dir = run_dir


def pytest_sessionfinish(session, exitstatus):
    run_dir = getattr(session.config, "_transfer_study_run_dir", None)
    if run_dir is None:
        return
    if exitstatus == 0:
        shutil.rmtree(run_dir, ignore_errors=True)
    else:
        sys.stderr.write("\nthe tests' files (tmp_path, Caffe logs) are kept in %s\n" % run_dir)


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = item.nodeid.split("::")[0]
        name = item.nodeid.split("[")[0]
        for fixture, kind in SLOW_FIXTURES.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(kind)
        for key, kind in SLOW_TESTS.items():
            if any(("/" + n).endswith("/" + key) for n in (path, name, item.nodeid)):
                item.add_marker(kind)
        if any(item.get_closest_marker(kind) for kind in SLOW_KINDS if kind != "slow"):
            item.add_marker("slow")
