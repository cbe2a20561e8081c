"""Where warp.py's images come from, and decoding one of them safely.

An image source is either a directory (ROOTFOLDER of convert_imageset: list
paths are files under it) or an archive index written by archives.py (list
paths are byte ranges of an uncompressed tar, read in place).  Both give the
image's bytes; decode() turns bytes into exactly what cv::imread makes of
the file (convert_imageset's ReadImageToCVMat):

  * cv2.imdecode on the same bytes runs the same decoder, EXIF orientation
    included.  One difference: libjpeg reading a FILE that ends early inserts
    an end-of-image marker (FF D9) and fills the missing rows with gray,
    while OpenCV's in-memory reader does not; so a JPEG's bytes are decoded
    with FF D9 appended, which is what the file reader sees at its end (a
    complete JPEG stops at its own EOI and never reads it).
  * images whose header claims more than OpenCV's own limits
    (CV_IO_MAX_IMAGE_PIXELS = 2^30 pixels, 2^20 a side) are refused from
    the header, before any pixel memory is allocated; OpenCV would refuse
    them too, with an exception.  So one worker holds at most one decoded
    image of 2^30 pixels x 3 bytes (3 GiB) plus its warped copy; ImageNet's
    largest photo (about 10 Mpixel) takes 30 MB.
  * anything OpenCV raises is that image's error, never the run's.
  * what libjpeg/libpng print while decoding (e.g. "Premature end of JPEG
    file", "Corrupt JPEG data: ...") is captured per image and returned as a
    warning: the image is still converted exactly as convert_imageset does.

    src = imagesource.open_source(root)       # directory or archive index
    problems = src.check(entries)             # [(line, message)] of missing files
    ref = src.ref(path); data = src.read(ref); src.describe(ref)
    img, warning = imagesource.decode(data, is_color=True)   # ImageError when it cannot
"""
import os
import struct
import tempfile

import numpy as np

import cv2

from transfer_study import files
from transfer_study.data import listfile

MAX_PIXELS = 1 << 30   # OpenCV's CV_IO_MAX_IMAGE_PIXELS default
MAX_SIDE = 1 << 20     # OpenCV's CV_IO_MAX_IMAGE_WIDTH / _HEIGHT default
MAX_FILE_BYTES = 1 << 30   # a compressed image file bigger than this is refused unread


class ImageError(ValueError):
    """This one image cannot be converted; the message says why."""


# -- header dimensions ----------------------------------------------------------
_SOF = set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def header_size(data):
    """(width, height) the JPEG or PNG header claims, or None (another format,
    or no frame header found: OpenCV then decides)."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24 and data[12:16] == b"IHDR":
        return struct.unpack(">II", data[16:24])
    if data[:2] != b"\xff\xd8":
        return None
    i, n = 2, len(data)
    while i + 4 <= n:
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:          # fill byte
            i += 1
            continue
        if marker in (0x01,) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        seglen = struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in _SOF:
            if i + 9 > n:
                return None
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return w, h
        if marker in (0xD9, 0xDA):  # EOI or scan before any frame header
            return None
        i += 2 + seglen
    return None


def check_header(data):
    """ImageError when the header claims more pixels than OpenCV allows."""
    size = header_size(data)
    if size is None:
        return
    w, h = size
    if w > MAX_SIDE or h > MAX_SIDE or w * h > MAX_PIXELS:
        raise ImageError("its header claims %dx%d pixels, more than OpenCV's limit of %d "
                         "(CV_IO_MAX_IMAGE_PIXELS) or %d a side: refused before decoding"
                         % (w, h, MAX_PIXELS, MAX_SIDE))


# -- decoding ---------------------------------------------------------------------
class _Stderr(object):
    """Catch what C libraries write to file descriptor 2 during a decode."""

    def __init__(self):
        self.tmp = self.pid = None

    def __enter__(self):
        if self.tmp is None or self.pid != os.getpid():   # a forked worker: its own file
            self.tmp, self.pid = tempfile.TemporaryFile(), os.getpid()
        self.tmp.seek(0)
        self.tmp.truncate()
        self.saved = os.dup(2)
        os.dup2(self.tmp.fileno(), 2)
        return self

    def __exit__(self, *exc):
        os.dup2(self.saved, 2)
        os.close(self.saved)
        return False

    def text(self):
        self.tmp.seek(0)
        return self.tmp.read(4000).decode("utf-8", "replace").strip()


_CAPTURE = _Stderr()


def decode(data, is_color=True):
    """(image, warning or None): cv::imread's result for a file of these bytes.
    ImageError when it cannot be decoded."""
    check_header(data)
    if data[:2] == b"\xff\xd8":
        data = bytes(data) + b"\xff\xd9"   # the EOI libjpeg's file reader adds at end of file
    buf = np.frombuffer(data, np.uint8)
    try:
        with _CAPTURE:
            img = cv2.imdecode(buf, cv2.IMREAD_COLOR if is_color else cv2.IMREAD_GRAYSCALE)
    except cv2.error as e:
        raise ImageError("OpenCV cannot decode it: %s" % str(e).strip().splitlines()[-1])
    said = _CAPTURE.text()
    if img is None:
        raise ImageError("corrupt or not an image%s" % (" (%s)" % said if said else ""))
    return img, (" ".join(said.split()) or None)


# -- sources ----------------------------------------------------------------------
def open_source(root):
    """A Directory for a directory, an Archive for an archive index file."""
    if os.path.isdir(root):
        return Directory(root)
    if os.path.isfile(root) and is_index(root):
        return Archive(root)
    raise ImageError("ROOTFOLDER %s is neither a directory nor an archive index "
                     "(make lists writes those)" % root)


class Directory(object):
    """Image files under a root directory (convert_imageset's ROOTFOLDER)."""

    def __init__(self, root):
        self.root = root

    def check(self, entries):
        return listfile.check_files(entries, self.root)

    def ref(self, path):
        return os.path.join(self.root, path)

    def describe(self, ref):
        return ref

    def read(self, ref):
        with open(ref, "rb") as f:
            if os.fstat(f.fileno()).st_size > MAX_FILE_BYTES:
                raise ImageError("the file is over %d bytes: not an ImageNet photo"
                                 % MAX_FILE_BYTES)
            return f.read()


# -- archives, read in place through their index (transfer_study/data/archives.py makes it)

INDEX_HEADER = "# transfer_study archive index/1\n"


def stamp(path):
    st = os.stat(path)
    return os.path.abspath(path), st.st_size, st.st_mtime_ns


def write_index(index_path, tar_path, entries):
    archive, size, mtime = stamp(tar_path)
    text = [INDEX_HEADER, "archive\t%s\t%d\t%d\n" % (archive, size, mtime)]
    text.extend("%s\t%d\t%d\n" % e for e in entries)
    os.makedirs(os.path.dirname(index_path) or ".", exist_ok=True)
    files.write_atomic(index_path, "".join(text))


def is_index(path):
    with open(path, "rb") as f:
        return f.read(len(INDEX_HEADER)) == INDEX_HEADER.encode()


def read_index(index_path):
    """(archive path, size, mtime_ns, [(name, offset, size)])."""
    with open(index_path, encoding="utf-8") as f:
        if f.readline() != INDEX_HEADER:
            raise ImageError("%s is not an archive index" % index_path)
        head = f.readline().rstrip("\n").split("\t")
        if len(head) != 4 or head[0] != "archive":
            raise ImageError("%s:2: expected 'archive<TAB>path<TAB>size<TAB>mtime'" % index_path)
        entries = []
        for line in f:
            name, off, size = line.rstrip("\n").rsplit("\t", 2)
            entries.append((name, int(off), int(size)))
    return head[1], int(head[2]), int(head[3]), entries


def cached_index(index_path, tar_path):
    """The saved entries when index_path indexes this very archive (same path,
    size, mtime), else None."""
    if not os.path.isfile(index_path) or not is_index(index_path):
        return None
    archive, size, mtime, entries = read_index(index_path)
    if (archive, size, mtime) != stamp(tar_path):
        return None
    return entries


class Archive(object):
    """An image source (see imagesource): list paths are byte ranges of one tar."""

    def __init__(self, index_path):
        self.index_path = index_path
        self.archive, size, mtime, entries = read_index(index_path)
        if not os.path.isfile(self.archive):
            raise ImageError("%s: its archive %s is missing" % (index_path,
                                                                           self.archive))
        if stamp(self.archive)[1:] != (size, mtime):
            raise ImageError("%s changed since %s indexed it: rerun make lists"
                                         % (self.archive, index_path))
        self.ranges = dict((n, (o, s)) for n, o, s in entries)
        self.fd = None

    def check(self, entries):
        problems = []
        for e in entries:
            if e.problem is None:
                r = self.ranges.get(e.path)
                if r is None:
                    problems.append((e.line, "%s is not in %s" % (e.path, self.archive)))
                elif r[1] == 0:
                    problems.append((e.line, "%s is empty in %s" % (e.path, self.archive)))
        return problems

    def ref(self, path):
        return (path,) + self.ranges[path]

    def describe(self, ref):
        return "%s[%s]" % (self.archive, ref[0])

    def read(self, ref):
        if self.fd is None or self.pid != os.getpid():   # one descriptor per process
            self.fd, self.pid = os.open(self.archive, os.O_RDONLY), os.getpid()
        _, offset, size = ref
        if size > MAX_FILE_BYTES:
            raise ImageError("the file is over %d bytes: not an ImageNet photo"
                                         % MAX_FILE_BYTES)
        data = os.pread(self.fd, size, offset)
        if len(data) != size:
            raise ImageError("%s ends inside this member" % self.archive)
        return data
