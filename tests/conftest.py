import os
import shutil

import pytest

from transfer_study import PROJECT_ROOT

SHARED = os.path.join(os.path.dirname(PROJECT_ROOT), "shared")


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
    config.addinivalue_line("markers", "slow: takes minutes (e.g. builds Caffe environments); "
                            "`make test` runs it too, `-m 'not slow'` leaves it out")
