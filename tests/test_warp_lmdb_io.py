"""lmdb_io.ResumableWriter: growth, order, records (the warp and derive writers)."""
import os

import pytest

from transfer_study.data import lmdb_io


def test_map_grows_and_record_is_last(tmp_path, monkeypatch):
    monkeypatch.setattr(lmdb_io, "INITIAL_MAP_SIZE", 1 << 20)
    db = str(tmp_path / "db")
    w = lmdb_io.ResumableWriter(db, {"a": 1}, "md5x", batch=7, batch_bytes=1 << 20)
    for i in range(200):   # 10 MB through a map that starts at 1 MB
        w.put(lmdb_io.make_key(i, "p%d" % i), bytes([i % 256]) * 50000)
        assert not lmdb_io.is_complete(db)
    w.finish({"n": 200})
    assert lmdb_io.entry_count(db) == 200 == lmdb_io.read_record(db)["count"]
    assert os.path.getsize(os.path.join(db, "data.mdb")) < 12 << 20   # trimmed, not sparse-big
    got = list(lmdb_io.iter_items(db, start_after=lmdb_io.make_key(197, "p197")))
    assert got == [(lmdb_io.make_key(i, "p%d" % i), bytes([i]) * 50000) for i in (198, 199)]
    assert lmdb_io.ResumableWriter(db, {"a": 1}, "md5x").complete
    with pytest.raises(lmdb_io.LmdbError, match="finished DB built from other inputs"):
        lmdb_io.ResumableWriter(db, {"a": 2}, "md5x")


def test_resume_order_and_foreign_dirs(tmp_path):
    db = str(tmp_path / "db")
    w = lmdb_io.ResumableWriter(db, {"a": 1}, "m", batch=2)
    for i in range(5):
        w.put(lmdb_io.make_key(i, "x"), b"v")
    with pytest.raises(lmdb_io.LmdbError, match="increasing order"):
        w.put(lmdb_io.make_key(3, "x"), b"v")
    w.close()   # 5 committed (the last one on close), not finished
    w = lmdb_io.ResumableWriter(db, {"a": 1}, "m")
    assert (w.count, w.last_key, w.complete) == (5, b"00000004_x", False)
    assert lmdb_io.key_index(w.last_key) == 4
    w.close()
    with pytest.raises(lmdb_io.LmdbError, match="unfinished DB started from other inputs"):
        lmdb_io.ResumableWriter(db, {"a": 1}, "other-md5")
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "data.mdb").write_bytes(b"")
    with pytest.raises(lmdb_io.LmdbError, match="not written by this project"):
        lmdb_io.ResumableWriter(str(foreign), {}, "m")
