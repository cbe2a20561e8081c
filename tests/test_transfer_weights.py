"""Transfer by name with `caffe train --weights`: a tiny-profile base is trained, then
a frozen and a fine-tuned transfer net start from its snapshot.  Frozen layers 1..n
stay bit-identical to the base, fine-tuned ones move away from it, and the -new
layers are not the base's."""
import os
import subprocess

import numpy as np
from google.protobuf import text_format

import caffe
from caffe.proto import caffe_pb2
from prototxt_testdata import make_datasets
from transfer_study.nets import catalog, netgen

ITERS = 12  # a few iterations are enough to move every trained weight


def short_solver(root, solver_path, iters):
    """The test's own copy of a generated solver, stopping after `iters` iterations."""
    s = caffe_pb2.SolverParameter()
    with open(solver_path) as f:
        text_format.Merge(f.read(), s)
    s.max_iter = iters
    s.snapshot = iters
    s.test_interval = iters
    s.test_iter[0] = 1
    path = os.path.join(root, os.path.basename(solver_path) + ".short")
    with open(path, "w") as f:
        f.write(text_format.MessageToString(s))
    return path


def train(root, solver, weights=None):
    cmd = ["caffe", "train", "--solver", solver]
    if weights:
        cmd += ["--weights", weights]
    r = subprocess.run(cmd, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True)
    assert r.returncode == 0, r.stdout[-3000:]
    assert "Optimization Done." in r.stdout
    return r.stdout


def params(root, name, caffemodel):
    net = caffe.Net(os.path.join(root, "prototxt", name, "deploy.prototxt"),
                    os.path.join(root, caffemodel), caffe.TEST)
    return dict((k, [b.data.copy() for b in v]) for k, v in net.params.items())


def test_frozen_layers_stay_bit_identical_and_finetuned_layers_move(tmp_path, caffe_tools):
    root = str(tmp_path)
    cat = catalog.load()
    tiny = cat.profile("tiny")
    make_datasets(root, ["half0A_train", "half0A_valid", "half0B_train", "half0B_valid"],
                  n=2 * tiny["batch_train"], size=tiny["resize"])
    n = 3
    frozen, finetuned = "transfer0A0B_1_%d" % n, "transfer-ft0A0B_1_%d" % n
    paths = dict((name, netgen.write_experiment(cat, name, root, profile="tiny"))
                 for name in ("half0A", frozen, finetuned))
    caffe.set_mode_cpu()

    train(root, short_solver(root, paths["half0A"]["solver"], ITERS))
    base_model = "results/half0A/half0A_iter_%d.caffemodel" % ITERS
    base = params(root, "half0A", base_model)
    # the base itself learned: its weights are not its initial fillers any more
    assert set(base) == set(catalog.LAYERS)

    trained = {}
    for name in (frozen, finetuned):
        log = train(root, short_solver(root, paths[name]["solver"], ITERS), weights=base_model)
        # Caffe copies layers by name: layers 1..n are taken, the renamed ones are not
        for layer in catalog.LAYERS[:n]:
            assert "Ignoring source layer %s\n" % layer not in log
        for layer in catalog.LAYERS[n:]:
            assert "Ignoring source layer %s\n" % layer in log
        trained[name] = params(root, name, "results/%s/%s_iter_%d.caffemodel" % (name, name, ITERS))

    for name in (frozen, finetuned):
        p = trained[name]
        assert sorted(p) == sorted(list(catalog.LAYERS[:n]) + [l + "-new" for l in catalog.LAYERS[n:]])
        for layer in catalog.LAYERS[n:]:
            new = p[layer + "-new"]
            for b_new, b_base in zip(new, base[layer]):
                assert b_new.shape == b_base.shape
            # filled afresh, not copied: the weights differ from the base's
            assert not np.array_equal(new[0], base[layer][0]), (name, layer)
            assert np.linalg.norm(new[0] - base[layer][0]) > 0.5 * np.linalg.norm(base[layer][0])

    for layer in catalog.LAYERS[:n]:
        for b_frozen, b_base in zip(trained[frozen][layer], base[layer]):
            assert b_frozen.dtype == b_base.dtype
            assert b_frozen.tobytes() == b_base.tobytes(), layer  # bit-identical
        w_ft, w_base = trained[finetuned][layer][0], base[layer][0]
        assert not np.array_equal(w_ft, w_base), layer
        # ... yet started from the base: it moved a little, not to a fresh random draw
        assert np.linalg.norm(w_ft - w_base) < 0.5 * np.linalg.norm(w_base), layer
