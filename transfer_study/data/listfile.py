"""Caffe list files: `relative/path label` per line, as convert_imageset reads them.

    from transfer_study.data import listfile

    entries, problems = listfile.parse(list_path, num_classes=1000)
        # entries: one Entry(line, path, label, problem) per line of the file,
        #   line = 1-based line number, path (str) and label (int) or None,
        #   problem = None or a message (not UTF-8, no label, label not an
        #   integer / out of range, absolute path or one escaping the root
        #   with ../, duplicate of line N, empty line)
        # problems: [(line, message)] in line order (the entries' problems)
    entries = listfile.read(list_path, num_classes=1000)
        # the same, but raises ListFileError naming file:line of EVERY problem
    listfile.check_files(entries, root) -> [(line, message)] for files that are
        missing, not regular files, empty or unreadable (stat only, no decoding)
    listfile.format_problems(list_path, problems) -> "list:LINE: message" lines
    listfile.write(path, pairs) writes (path, label) pairs atomically

Parsing follows Caffe 1.0's convert_imageset: the label is what follows the
LAST space, so paths may contain spaces.  Where Caffe would silently accept
nonsense (atoi("x") == 0, a blank line read as an image), we report it.
A trailing '\\r' (a list written on Windows) is dropped.
"""
import collections
import os
import posixpath
import re
import stat as _stat

from transfer_study import files

Entry = collections.namedtuple("Entry", "line path label problem")

_INT = re.compile(r"^[+-]?[0-9]+$")


class ListFileError(ValueError):
    """A list file (or the files it names) has problems; the message names file:line."""


def format_problems(list_path, problems, limit=None):
    lines = ["%s:%d: %s" % (list_path, line, msg) for line, msg in problems]
    if limit is not None and len(lines) > limit:
        lines = lines[:limit] + ["... and %d more" % (len(problems) - limit)]
    return "\n".join(lines)


def _check_path(path):
    if path.strip() == "":
        return "empty path"
    if path.startswith("/"):
        return "absolute path %r: paths must be relative to ROOTFOLDER" % path
    norm = posixpath.normpath(path)
    if norm == ".." or norm.startswith("../"):
        return "path %r escapes ROOTFOLDER (../)" % path
    if "\0" in path:
        return "path contains a NUL byte"
    return None


def parse_lines(raw_lines, num_classes=None):
    """Parse already-split lines (bytes or str); see parse()."""
    entries = []
    seen = {}
    for i, raw in enumerate(raw_lines):
        line = i + 1
        if isinstance(raw, bytes):
            if raw.endswith(b"\r"):
                raw = raw[:-1]
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                entries.append(Entry(line, None, None,
                                     "not valid UTF-8 (byte 0x%02x at column %d): %r"
                                     % (raw[e.start], e.start + 1, raw[:80])))
                continue
        else:
            text = raw[:-1] if raw.endswith("\r") else raw
        if text.strip() == "":
            entries.append(Entry(line, None, None, "empty line (expected 'path label')"))
            continue
        pos = text.rfind(" ")
        if pos < 0:
            entries.append(Entry(line, text, None,
                                 "no label: expected 'path label' separated by a space, got %r"
                                 % text[:80]))
            continue
        path, label_text = text[:pos], text[pos + 1:]
        if not _INT.match(label_text):
            entries.append(Entry(line, path, None, "label %r is not an integer" % label_text))
            continue
        label = int(label_text)
        problem = None
        if label < 0:
            problem = "label %d is negative" % label
        elif num_classes is not None and label >= num_classes:
            problem = "label %d is out of range (0..%d)" % (label, num_classes - 1)
        problem = problem or _check_path(path)
        if problem is None:
            norm = posixpath.normpath(path)
            if norm in seen:
                problem = "duplicate path %r (first on line %d)" % (path, seen[norm])
            else:
                seen[norm] = line
        entries.append(Entry(line, path, label, problem))
    return entries


def split_lines(data):
    """Lines as std::getline sees them: a final newline does not start a new line."""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return lines


def parse(list_path, num_classes=None):
    try:
        with open(list_path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise ListFileError("cannot read list file %s: %s" % (list_path, e.strerror))
    entries = parse_lines(split_lines(data), num_classes)
    problems = [(e.line, e.problem) for e in entries if e.problem]
    return entries, problems


def read(list_path, num_classes=None):
    entries, problems = parse(list_path, num_classes)
    if problems:
        raise ListFileError("%d bad line(s) in %s:\n%s"
                            % (len(problems), list_path, format_problems(list_path, problems)))
    if not entries:
        raise ListFileError("%s: the list is empty" % list_path)
    return entries


def check_file(full):
    """None if full looks like a readable, non-empty regular file, else why not."""
    try:
        st = os.stat(full)
    except FileNotFoundError:
        return "missing file %s" % full
    except OSError as e:
        return "cannot access %s: %s" % (full, e.strerror)
    if not _stat.S_ISREG(st.st_mode):
        return "not a regular file: %s" % full
    if st.st_size == 0:
        return "empty file %s" % full
    if not os.access(full, os.R_OK):
        return "unreadable file %s (permission denied)" % full
    return None


def check_files(entries, root):
    problems = []
    for e in entries:
        if e.problem is None:
            msg = check_file(os.path.join(root, e.path))
            if msg:
                problems.append((e.line, msg))
    return problems


def write(path, pairs):
    """Write (path, label) pairs as a Caffe list, atomically (temp name, then rename)."""
    lines = []
    for p, label in pairs:
        if "\n" in p or "\r" in p:
            raise ListFileError("cannot write %r to %s: a newline in a path" % (p, path))
        lines.append("%s %d\n" % (p, int(label)))
    files.write_atomic(path, "".join(lines))
