"""The few pieces of protobuf's wire format a Caffe Datum needs, by hand.

A 256x256 Datum is ~196 kB of pixels behind five small fields; parsing and
re-serializing it with caffe_pb2 costs ~1.6 ms, walking its top-level fields
a few microseconds.  warp.py writes Datums with encode/encode_into, derive.py
relabels them (with_label), verify.py reads their small fields (fields); the
disk space checks size them (encoded_size).  The tests check every byte
against caffe_pb2 and convert_imageset.

caffe.proto: Datum { channels = 1; height = 2; width = 3; bytes data = 4;
int32 label = 5; repeated float float_data = 6; bool encoded = 7 }.
"""

import numpy as np

LABEL_FIELD = 5


class DatumError(ValueError):
    """Bytes that are not a serialized Datum."""


def encode_varint(n):
    """A protobuf varint; int32 negatives are sign-extended to 10 bytes."""
    if n < 0:
        n += 1 << 64
    out = bytearray()
    while True:
        low = n & 0x7F
        n >>= 7
        if n:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def decode_varint(buf, i):
    """(value, index after it) of the varint at buf[i]."""
    n = shift = 0
    while True:
        b = buf[i]
        i += 1
        n |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return n, i


def walk(buf):
    """(field, wire type, start, value or length, end) of each top-level field."""
    i, size = 0, len(buf)
    while i < size:
        start = i
        tag, i = decode_varint(buf, i)
        field, wire = tag >> 3, tag & 7
        if wire == 0:
            value, i = decode_varint(buf, i)
        elif wire == 2:
            value, i = decode_varint(buf, i)
            i += value
        elif wire == 5:
            value, i = None, i + 4
        elif wire == 1:
            value, i = None, i + 8
        else:
            raise DatumError("not a serialized Datum (wire type %d at byte %d)" % (wire, start))
        if i > size:
            raise DatumError("not a serialized Datum (field %d runs past the end)" % field)
        yield field, wire, start, value, i


def fields(buf):
    """(channels, height, width, data length, label, encoded) of a serialized Datum."""
    f = {1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 7: 0}
    for field, wire, _, value, _ in walk(buf):
        if field in f and value is not None:
            f[field] = value
    label = f[5] - (1 << 64) if f[5] >= 1 << 63 else f[5]
    return f[1], f[2], f[3], f[4], label, bool(f[7])


def with_label(value, label):
    """The serialized Datum with its label replaced, the bytes caffe_pb2 would
    write.  Fields serialize in field-number order, so a missing label goes
    before the first field numbered above it."""
    value = memoryview(value)
    start = end = None
    for field, _, field_start, _, field_end in walk(value):
        if field == LABEL_FIELD:
            start, end = field_start, field_end
        elif field > LABEL_FIELD and start is None:
            start = end = field_start
    if start is None:
        start = end = len(value)
    return b"".join((value[:start], b"\x28", encode_varint(int(label)), value[end:]))


# -- writing ---------------------------------------------------------------

def _parts(channels, height, width, label):
    """(header bytes, pixel count, trailer bytes) of a raw Datum: fields 1-4,
    the pixels, then 5 and 7, in field-number order as protobuf writes them."""
    n = channels * height * width
    head = (b"\x08" + encode_varint(channels) + b"\x10" + encode_varint(height)
            + b"\x18" + encode_varint(width) + b"\x22" + encode_varint(n))
    tail = b"\x28" + encode_varint(label) + b"\x38\x00"
    return head, n, tail


def _hwc(img):
    return img[:, :, None] if img.ndim == 2 else img


def encoded_size(shape, label=0):
    """Bytes of the serialized Datum of an image of shape (h, w[, c]) and label
    (196,624 for a 3x256x256 image with a small label)."""
    c = shape[2] if len(shape) == 3 else 1
    head, n, tail = _parts(c, shape[0], shape[1], label)
    return len(head) + n + len(tail)


def encode_into(buf, offset, img, label):
    """Serialize the Datum of an HxW or HxWxC uint8 image into buf[offset:];
    returns its length."""
    import cv2
    img = _hwc(img)
    h, w, c = img.shape
    head, n, tail = _parts(c, h, w, label)
    end = offset + len(head)
    buf[offset:end] = head
    chw = np.frombuffer(buf, dtype=np.uint8, count=n, offset=end).reshape(c, h, w)
    # HWC -> CHW straight into the output.  cv2.split into views of it is ~4x
    # faster than numpy's strided copy; fall back when OpenCV made new planes.
    planes = [chw[i] for i in range(c)]
    if c > 1 and img.flags.c_contiguous and \
            cv2.split(img, planes)[0].ctypes.data == planes[0].ctypes.data:
        pass
    else:
        chw[...] = img.transpose(2, 0, 1)
    buf[end + n:end + n + len(tail)] = tail
    return len(head) + n + len(tail)


def encode(img, label):
    """Serialized caffe.Datum of an HxW or HxWxC uint8 image (CVMatToDatum + label).

    Written by hand (fields 1,2,3,4,5,7 in order, as protobuf serializes a
    Datum with those fields set) so the workers need not import pycaffe and
    the CHW transpose lands straight in the output buffer; tests compare it
    with caffe_pb2 and with convert_imageset byte for byte."""
    out = bytearray(encoded_size(_hwc(img).shape, label))
    encode_into(out, 0, img, label)
    return bytes(out)


def encode_image_file(data, label):
    """Serialized Datum holding an encoded (compressed) image: data, label, encoded=true."""
    return (b"\x22" + encode_varint(len(data)) + bytes(data) + b"\x28" + encode_varint(label)
            + b"\x38\x01")
