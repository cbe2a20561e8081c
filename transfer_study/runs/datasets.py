"""Dataset checks before Caffe starts: every LMDB and mean a net reads must
exist and be complete (data/lmdb_io's records), naming the make target that
builds it.
"""
import os

from transfer_study import layout
from transfer_study.data import lmdb_io
from transfer_study.nets import netgen
from transfer_study.runs.attempt import TrainError

# The make target that builds each kind of dataset (issues 3 and 4).
DATA_TARGET_WHOLE = "data"
DATA_TARGET_DERIVED = "derived"


def data_target(dataset):
    return DATA_TARGET_WHOLE if dataset.startswith("whole_") else DATA_TARGET_DERIVED


def check_datasets(root, net_path):
    """Every LMDB and mean file the net reads must exist before Caffe starts."""
    net = netgen.read_net(net_path)
    for source, mean in netgen.data_files(net):
        for rel, what in ((source, "LMDB"), (mean, "mean")):
            if not rel:
                continue
            path = os.path.join(root, rel)
            want = os.path.join(path, "data.mdb") if what == "LMDB" else path
            # lmdb_io writes its inputs record first and its completion record last
            building = what == "LMDB" and lmdb_io.read_inputs(path) is not None \
                and not lmdb_io.is_complete(path)
            dataset = layout.dataset_of(rel)
            if building:
                raise TrainError("dataset %s is incomplete: %s has no %s (still being "
                                 "built, or interrupted); finish it with `make %s`"
                                 % (dataset, path, lmdb_io.COMPLETE, data_target(dataset)))
            if not os.path.exists(want):
                hint = "make %s" % data_target(dataset)
                if not layout.is_checkout(root):
                    hint += " (for this root: %s must exist)" % layout.dataset_dir(
                        layout.data_dir(root), dataset)
                raise TrainError("dataset %s is missing: %s (the %s read by %s); build it with `%s`"
                                 % (dataset, want, what, os.path.relpath(net_path, root), hint))
