"""Malformed and many files dropped at once: every one reported, never a crash."""

from PIL import Image

from tests.helpers import N_MALFORMED, drop


def test_the_drop_handler_reports_every_malformed_file(explore, qtbot, malformed):
    rec = explore.reconstruct
    assert drop(explore, malformed)
    qtbot.waitUntil(lambda: "Reading" not in rec.message.text(), timeout=60000)
    assert len(rec.results) + len(rec.last_errors) == N_MALFORMED
    assert all(line.startswith("fuzz-") for line in rec.last_errors)


def test_five_hundred_files_at_once(explore, qtbot, tmp_path, fashion):
    rec = explore.reconstruct
    paths = []
    for i in range(500):
        path = tmp_path / f"many-{i:03d}.png"
        Image.fromarray(fashion.test_images[i]).save(path)
        paths.append(path)
    assert drop(explore, paths)
    qtbot.waitUntil(lambda: len(rec.results) == 500, timeout=120000)
    assert rec.table.rowCount() == 500 and not rec.last_errors
    assert explore.plane.marks.data["x"].size == 500
