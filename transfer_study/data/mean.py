"""The mean image of a Datum LMDB, as Caffe's compute_image_mean computes it.

compute_image_mean (tools/compute_image_mean.cpp) keeps the running sum in a
BlobProto's float field: sum[i] = float(sum[i] + pixel) image by image in key
order, then mean[i] = sum[i] / count in float.  numpy float32 arithmetic
rounds the same way step by step, so the result is the same float32 values
(tests compare with the real tool).  The per-channel means it logs are a
float running sum over each channel's pixels divided by H*W; so are ours.

    from transfer_study.data import mean
    m, count = mean.compute_mean(db_path)     # float32 array (C, H, W)
    mean.write_binaryproto(m, path)           # BlobProto num=1,C,H,W (atomic)
    m = mean.read_binaryproto(path)
    mean.channel_means(m) -> [float per channel]
"""
import sys

import numpy as np

from transfer_study import files
from transfer_study.data import lmdb_io


class MeanError(ValueError):
    """The DB cannot give a mean (unfinished, empty, datums of different sizes)."""


def _datum_array(value, pb2, cv2):
    d = pb2.Datum()
    d.ParseFromString(value)
    if d.encoded:
        img = cv2.imdecode(np.frombuffer(d.data, np.uint8), cv2.IMREAD_UNCHANGED)
        if img is None:
            raise MeanError("an encoded datum does not decode")
        if img.ndim == 2:
            img = img[:, :, None]
        return img.transpose(2, 0, 1)
    if d.data:
        return np.frombuffer(d.data, np.uint8).reshape(d.channels, d.height, d.width)
    return np.asarray(d.float_data, np.float32).reshape(d.channels, d.height, d.width)


def compute_mean(db_path, progress=True, allow_unfinished=False):
    from caffe.proto import caffe_pb2
    import cv2
    if lmdb_io.read_inputs(db_path) is not None and not lmdb_io.is_complete(db_path) \
            and not allow_unfinished:
        raise MeanError("%s is not finished (no complete.json): finish it first "
                        "(rerun the command that writes it)" % db_path)
    total = lmdb_io.entry_count(db_path)
    if total == 0:
        raise MeanError("%s holds no datums" % db_path)
    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(total=total, desc="mean", unit="img", file=sys.stderr, mininterval=0.5)
    acc = None
    count = 0
    for key, value in lmdb_io.iter_items(db_path):
        arr = _datum_array(value, caffe_pb2, cv2)
        if acc is None:
            acc = np.zeros(arr.shape, np.float32)
        elif arr.shape != acc.shape:
            raise MeanError("%s: datum %s is %s, the first was %s (compute_image_mean "
                            "needs one size)" % (db_path, key.decode("utf-8", "replace"),
                                                 "x".join(map(str, arr.shape)),
                                                 "x".join(map(str, acc.shape))))
        np.add(acc, arr, out=acc, dtype=np.float32)
        count += 1
        if bar is not None and count % 64 == 0:
            bar.update(64)
    if bar is not None:
        bar.update(count % 64)
        bar.close()
    return acc / np.float32(count), count


def write_binaryproto(m, path):
    from caffe.proto import caffe_pb2
    blob = caffe_pb2.BlobProto()
    blob.num, blob.channels, blob.height, blob.width = 1, m.shape[0], m.shape[1], m.shape[2]
    blob.data.extend(m.astype(np.float32).ravel().tolist())
    files.write_atomic(path, blob.SerializeToString(), fsync=True)


def read_binaryproto(path):
    from caffe.proto import caffe_pb2
    blob = caffe_pb2.BlobProto()
    with open(path, "rb") as f:
        blob.ParseFromString(f.read())
    if blob.HasField("shape") and blob.shape.dim:
        shape = tuple(blob.shape.dim)
    else:
        shape = (blob.num, blob.channels, blob.height, blob.width)
    return np.asarray(blob.data, np.float32).reshape(shape)[0]


def channel_means(m):
    """Per channel: float running sum of the mean image's values / (H*W), as the tool logs."""
    c = m.shape[0]
    flat = m.reshape(c, -1).astype(np.float32)
    # cumsum adds strictly left to right (np.sum would pair terms and round differently)
    return [float(np.cumsum(flat[i], dtype=np.float32)[-1] / np.float32(flat.shape[1]))
            for i in range(c)]
