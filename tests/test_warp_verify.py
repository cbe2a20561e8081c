"""data_prep/verify_db.py: passes a good DB, fails every mismatch."""
import importlib.util
import os

from transfer_study import PROJECT_ROOT
from transfer_study.data import verify, warp
from transfer_study.demo import sample_images

_spec = importlib.util.spec_from_file_location(
    "verify_db_cli", os.path.join(PROJECT_ROOT, "data_prep", "verify_db.py"))
CLI = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(CLI)


def _build(tmp_path, n=9, **kw):
    root = str(tmp_path / "img") + "/"
    os.makedirs(root, exist_ok=True)
    lines = []
    for i in range(n):
        sample_images.write_jpeg(root + "v%d.JPEG" % i, 30 + i, 20 + i, seed=i)
        lines.append("v%d.JPEG %d\n" % (i, i % 3))
    listf = str(tmp_path / "l.txt")
    with open(listf, "w") as f:
        f.writelines(lines)
    db = str(tmp_path / "db")
    warp.convert(root, listf, db, resize_height=16, resize_width=12, workers=0,
                 progress=False, log=lambda m: None, **kw)
    return root, listf, db


def test_good_db_passes(tmp_path, capsys):
    root, listf, db = _build(tmp_path, shuffle=True, seed=3)
    assert CLI.main([db, listf, "--root", root, "--samples", "4"]) == 0
    out = capsys.readouterr().out
    assert "9 datums" in out and "3x16x12 x9" in out and "3 classes" in out
    assert "4 sample datum(s) re-made from their images: all identical" in out
    assert out.strip().endswith("OK")


def test_mismatches_fail(tmp_path, capsys):
    root, listf, db = _build(tmp_path)
    # an image changed since: its re-made datum differs
    sample_images.write_jpeg(root + "v8.JPEG", 38, 28, seed=99)
    assert CLI.main([db, listf, "--root", root, "--samples", "2"]) == 1
    assert "differs from its image" in capsys.readouterr().out
    # a list with another label and one more line
    other = str(tmp_path / "other.txt")
    with open(listf) as f:
        lines = f.readlines()
    lines[4] = "v4.JPEG 2\n"
    with open(other, "w") as f:
        f.writelines(lines + ["v9.JPEG 0\n"])
    assert CLI.main([db, other]) == 1
    out = capsys.readouterr().out
    assert "another list" in out and "v4.JPEG" in out and "other.txt:10" in out
    # an unfinished DB is reported as such
    os.remove(os.path.join(db, "complete.json"))
    rep = verify.verify_db(db, listf)
    assert not rep.ok and any("not finished" in e for e in rep.errors)
