"""The hand-written Datum wire format against caffe_pb2, byte for byte."""
import numpy as np
import pytest
from caffe.proto import caffe_pb2

from transfer_study.data import datum


def pb_with_label(value, label):
    d = caffe_pb2.Datum()
    d.ParseFromString(bytes(value))
    d.label = label
    return d.SerializeToString()


def test_encoded_datum_equals_caffe_pb2():
    img = np.arange(4 * 5 * 3, dtype=np.uint8).reshape(4, 5, 3)
    d = caffe_pb2.Datum()
    d.channels, d.height, d.width = 3, 4, 5
    d.data = img.transpose(2, 0, 1).tobytes()
    d.label = 300
    d.encoded = False
    assert datum.encode(img, 300) == d.SerializeToString()


def test_fields_reads_header_and_label():
    img = np.zeros((5, 7, 3), np.uint8)
    assert datum.fields(datum.encode(img, 123456)) == (3, 5, 7, 105, 123456, False)
    assert datum.fields(datum.encode_image_file(b"abc", 9))[3:] == (3, 9, True)
    assert datum.fields(pb_with_label(datum.encode(img, 0), -1))[4] == -1


def test_with_label_equals_caffe_pb2():
    img = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3)
    for value in (datum.encode(img, 7), datum.encode_image_file(b"\xff\xd8abc", 300)):
        for label in (0, 1, 127, 128, 999, 2 ** 31 - 1, -1):
            assert datum.with_label(value, label) == pb_with_label(value, label)
    d = caffe_pb2.Datum()
    d.channels, d.height, d.width = 1, 1, 2
    d.float_data.extend([0.5, 1.5])     # no label field at all: inserted before float_data
    assert datum.with_label(d.SerializeToString(), 5) == pb_with_label(d.SerializeToString(), 5)


def test_garbage_is_refused():
    with pytest.raises(datum.DatumError, match="not a serialized Datum"):
        datum.with_label(b"\x22\x10ab", 1)
    with pytest.raises(datum.DatumError, match="wire type"):
        datum.fields(b"\x0b\x00")
