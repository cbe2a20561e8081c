"""files.py: atomic writes leave the old file or the whole new one, never a
part, and never a temp file behind."""
import hashlib
import json
import os
import stat

import pytest

from transfer_study import files


def _mode(path):
    return stat.S_IMODE(os.stat(str(path)).st_mode)


def _dir_names(d):
    return sorted(os.listdir(str(d)))


def test_str_is_written_as_utf8_and_replaces(tmp_path):
    p = tmp_path / "list.txt"
    p.write_bytes(b"old\n")
    files.write_atomic(str(p), "caf\u00e9 1\n")
    assert p.read_bytes() == "caf\u00e9 1\n".encode("utf-8")
    assert _dir_names(tmp_path) == ["list.txt"]


def test_bytes_written_as_is(tmp_path):
    p = tmp_path / "mean.binaryproto"
    data = bytes(range(256)) * 3 + b"\r\n\x00"
    files.write_atomic(str(p), data, fsync=True)
    assert p.read_bytes() == data
    assert _dir_names(tmp_path) == ["mean.binaryproto"]


def test_relative_path_in_current_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(str(tmp_path))
    files.write_atomic("here.txt", "x")
    assert (tmp_path / "here.txt").read_text() == "x"
    assert _dir_names(tmp_path) == ["here.txt"]


def test_mode_default_and_executable(tmp_path):
    plain = tmp_path / "a.txt"
    files.write_atomic(str(plain), "a")
    assert _mode(plain) == 0o644          # not mkstemp's 0600
    script = tmp_path / "job.sbatch"
    files.write_atomic(str(script), "#!/bin/bash\ntrue\n", mode=0o755)
    assert _mode(script) == 0o755
    # a rewrite sets the mode asked for, not the old file's
    files.write_atomic(str(script), "#!/bin/bash\nfalse\n")
    assert _mode(script) == 0o644


def test_wrong_data_type_leaves_old_file_and_no_temp(tmp_path):
    p = tmp_path / "files.txt"
    p.write_bytes(b"old content\n")
    with pytest.raises(TypeError):
        files.write_atomic(str(p), 12345)
    assert p.read_bytes() == b"old content\n"
    assert _dir_names(tmp_path) == ["files.txt"]


def test_failing_rename_leaves_old_file_and_no_temp(tmp_path, monkeypatch):
    p = tmp_path / "complete.json"
    p.write_bytes(b"{}\n")
    seen = []

    def broken_replace(src, dst):
        seen.append(src)
        assert os.path.exists(src)   # the whole new content was there, under a temp name
        raise OSError("disk gone")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk gone"):
        files.write_json(str(p), {"count": 3})
    monkeypatch.undo()
    assert p.read_bytes() == b"{}\n"
    assert _dir_names(tmp_path) == ["complete.json"]
    # the temp name is hidden, names its target and ends in .tmp
    name = os.path.basename(seen[0])
    assert name.startswith(".complete.json.") and name.endswith(".tmp")
    assert os.path.dirname(seen[0]) == str(tmp_path)


def test_interrupt_mid_write_leaves_no_temp(tmp_path, monkeypatch):
    """A BaseException (Ctrl-C) cleans up too."""
    p = tmp_path / "train.txt"

    def interrupted_chmod(path, mode):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "chmod", interrupted_chmod)
    with pytest.raises(KeyboardInterrupt):
        files.write_atomic(str(p), "a 0\n")
    monkeypatch.undo()
    assert _dir_names(tmp_path) == []


def test_missing_directory_is_an_error_not_created(tmp_path):
    with pytest.raises(FileNotFoundError):
        files.write_atomic(str(tmp_path / "no" / "x.txt"), "x")
    assert _dir_names(tmp_path) == []


def test_write_json_format(tmp_path):
    p = tmp_path / "complete.json"
    obj = {"list_md5": "abc", "count": 2, "params": {"resize": 256, "encoded": False},
           "summary": None, "keys": [1, 2]}
    files.write_json(str(p), obj, fsync=True)
    text = p.read_text()
    # the format of lmdb_io's completion records (indent 1, sorted keys, final newline)
    assert text == ('{\n "count": 2,\n "keys": [\n  1,\n  2\n ],\n "list_md5": "abc",\n'
                    ' "params": {\n  "encoded": false,\n  "resize": 256\n },\n'
                    ' "summary": null\n}\n')
    assert json.loads(text) == obj
    assert _mode(p) == 0o644


def test_lmdb_completion_record_is_write_json_format(tmp_path):
    from transfer_study.data import lmdb_io
    db = str(tmp_path / "db")
    w = lmdb_io.ResumableWriter(db, {"resize": 8}, "0" * 32)
    w.put(lmdb_io.make_key(0, "a.JPEG"), b"datum")
    w.finish(summary={"skipped": 0})
    w.close()
    for name in (lmdb_io.INPUTS, lmdb_io.COMPLETE):
        path = os.path.join(db, name)
        with open(path) as f:
            text = f.read()
        assert text == json.dumps(json.loads(text), indent=1, sort_keys=True) + "\n"
    assert lmdb_io.read_record(db)["count"] == 1
    assert not [n for n in os.listdir(db) if n.startswith(".")]


def test_atomic_path_keeps_extension_and_renames(tmp_path):
    p = tmp_path / "figure.pdf"
    p.write_bytes(b"old")
    with files.atomic_path(str(p)) as tmp:
        assert os.path.dirname(tmp) == str(tmp_path)
        assert os.path.basename(tmp).startswith(".figure.pdf.")
        assert tmp.endswith(".tmp.pdf")      # savefig picks the format from it
        assert p.read_bytes() == b"old"      # nothing replaced before the block ends
        with open(tmp, "wb") as f:           # a tool writes it by name
            f.write(b"%PDF-new")
    assert p.read_bytes() == b"%PDF-new"
    assert _mode(p) == 0o644
    assert _dir_names(tmp_path) == ["figure.pdf"]


def test_atomic_path_failure_leaves_old_file_and_no_temp(tmp_path):
    p = tmp_path / "figure.png"
    p.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with files.atomic_path(str(p)) as tmp:
            with open(tmp, "wb") as f:
                f.write(b"half")
            raise RuntimeError("savefig failed")
    assert p.read_bytes() == b"old"
    assert _dir_names(tmp_path) == ["figure.png"]


def test_atomic_path_with_matplotlib(tmp_path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig = plt.figure(figsize=(1, 1))
    for ext, magic in (("png", b"\x89PNG"), ("pdf", b"%PDF")):
        p = tmp_path / ("f." + ext)
        with files.atomic_path(str(p)) as tmp:
            fig.savefig(tmp)
        assert p.read_bytes()[:4] == magic
    plt.close(fig)
    assert _dir_names(tmp_path) == ["f.pdf", "f.png"]


def test_file_md5(tmp_path):
    p = tmp_path / "big"
    data = os.urandom((1 << 20) + 12345)   # more than one read block
    p.write_bytes(data)
    assert files.file_md5(str(p)) == hashlib.md5(data).hexdigest()
