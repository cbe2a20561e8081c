"""Reading a solver or net prototxt as Caffe does: one parser, and the error
that names file:line:column when Caffe could not read it either.  Light
(protobuf only): runstate asks it without loading pycaffe.

    from transfer_study.nets import prototxt
    prototxt.read_text_proto(path, caffe_pb2.SolverParameter())
    except prototxt.Unreadable as e: e.where(root)   # "solvers/x.prototxt:3:1: ..."
"""
import os
import re

from google.protobuf import text_format

from transfer_study.nets.catalog import CatalogError


class Unreadable(CatalogError):
    """A solver or net prototxt Caffe could not read: "file:line:column: message"."""

    def __init__(self, path, message):
        CatalogError.__init__(self, "%s:%s" % (path, message))
        self.path = path
        self.message = message

    def where(self, root):
        """The message with the file named relative to root."""
        return "%s:%s" % (os.path.relpath(self.path, root) if root else self.path, self.message)


def read_text_proto(path, msg):
    """Merge a text-format file into the protobuf message msg; Unreadable names
    path:line:column when Caffe could not read it either."""
    try:
        with open(path) as f:
            text_format.Merge(f.read(), msg)
    except (IOError, OSError) as e:
        raise Unreadable(path, " cannot read: %s" % (e.strerror or e))
    except text_format.ParseError as e:
        # the message starts with "line:column : ..."
        raise Unreadable(path, re.sub(r"^(\d+):(\d+) : ", r"\1:\2: ", str(e)))
    return msg
