"""Small real datasets for the prototxt tests: Caffe Datum LMDBs written with
pycaffe and lmdb, and mean.binaryproto made by Caffe's compute_image_mean."""
import os
import subprocess

import lmdb
import numpy as np

from caffe.proto import caffe_pb2


def make_lmdb(path, n, size, classes, seed):
    """n random size x size BGR images with labels 0..classes-1 (keys as data_prep writes them)."""
    rng = np.random.RandomState(seed)
    env = lmdb.open(path, map_size=1 << 28)
    with env.begin(write=True) as txn:
        for i in range(n):
            label = i % classes
            # a class-dependent colour plus noise, so a net has something to learn
            img = rng.randint(0, 256, size=(3, size, size)).astype(np.uint8) // 2
            img[label % 3] += np.uint8(60 + 30 * (label // 3))
            datum = caffe_pb2.Datum(channels=3, height=size, width=size, data=img.tobytes(),
                                    label=label)
            txn.put(("%08d_img%d.JPEG" % (i, i)).encode("ascii"), datum.SerializeToString())
    env.close()


def make_datasets(root, names, n, size, classes=4, seed=0):
    """<root>/data/<name>/{lmdb, mean.binaryproto} for each dataset name."""
    for k, name in enumerate(names):
        d = os.path.join(root, "data", name)
        os.makedirs(d)
        make_lmdb(os.path.join(d, "lmdb"), n, size, classes, seed + k)
        subprocess.check_call(["compute_image_mean", "-backend", "lmdb",
                               os.path.join(d, "lmdb"), os.path.join(d, "mean.binaryproto")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
