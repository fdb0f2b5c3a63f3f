"""The Explore area with a real model: plane clicks and drags, the sample grid, dropped files, exports."""

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.conftest import TINY_MODEL
from vae_explorer.gui.main_window import MainWindow


@pytest.fixture
def explorer(gui_env, qtbot, monkeypatch, tiny_trained):
    for name in ("question", "warning", "critical"):  # a modal box would hang an offscreen test
        monkeypatch.setattr(QMessageBox, name, lambda *a, **k: QMessageBox.StandardButton.Discard)
    win = MainWindow(load_default_model=False)
    qtbot.addWidget(win)
    win.resize(1300, 900)
    win.show()
    win.tabs.setCurrentWidget(win.explorer)
    with qtbot.waitSignal(win.model_changed, timeout=60000):
        win.open_model(tiny_trained)
    ex = win.explorer
    qtbot.waitUntil(lambda: ex.latents is not None and ex.grid_images is not None, timeout=30000)
    yield ex
    assert win.tasks.wait(30000)


def _view_pos(ex, widget_pos: QPoint):
    """Latent-plane coordinates under a pixel of the plot widget."""
    p = ex.plane_box.mapSceneToView(ex.plane.mapToScene(widget_pos))
    return p.x(), p.y()


def _send_mouse(widget, kind, pos: QPoint, buttons):
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    event = QMouseEvent(kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def test_click_decodes_exactly_that_point(explorer, qtbot):
    ex = explorer
    pos = QPoint(ex.plane.width() // 3, ex.plane.height() // 3)
    u, v = _view_pos(ex, pos)
    with qtbot.waitSignal(ex.point_decoded, timeout=10000):
        qtbot.mouseClick(ex.plane.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.waitUntil(lambda: ex.decoded_z is not None and np.allclose(ex.decoded_z, [u, v], atol=1e-3), timeout=5000)
    np.testing.assert_allclose(ex.cross_v.value(), u, atol=1e-3)
    np.testing.assert_allclose(ex.decoded, ex.vae.decode_point(np.array([u, v], np.float32)), atol=1e-5)
    np.testing.assert_allclose(ex.point_item.image, ex.decoded)
    first = ex.decoded.copy()
    qtbot.wait(QApplication.doubleClickInterval() + 50)  # two quick clicks would be a double-click
    with qtbot.waitSignal(ex.point_decoded, timeout=10000):
        qtbot.mouseClick(ex.plane.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(ex.plane.width() * 2 // 3, ex.plane.height() * 2 // 3))
    qtbot.waitUntil(lambda: not np.allclose(ex.decoded, first), timeout=5000)


def test_drag_decodes_continuously_and_the_view_still_pans(explorer, qtbot):
    ex = explorer
    vp = ex.plane.viewport()
    start = QPoint(vp.width() // 4, vp.height() // 2)
    before = ex.decodes
    _send_mouse(vp, QEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton)
    for k in range(1, 25):
        _send_mouse(vp, QEvent.Type.MouseMove, start + QPoint(10 * k, 2 * k), Qt.MouseButton.LeftButton)
        qtbot.wait(15)
    end = start + QPoint(240, 48)
    _send_mouse(vp, QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)
    u, _ = _view_pos(ex, end)
    qtbot.waitUntil(lambda: ex.decoded_z is not None and abs(ex.decoded_z[0] - u) < 1e-3, timeout=5000)
    assert ex.decodes - before >= 5, "points were decoded along the drag, not only at its end"
    view_before = ex.plane_box.viewRange()
    ex.plane_box.scaleBy((0.5, 0.5))  # zooming stays pyqtgraph's
    assert ex.plane_box.viewRange() != view_before


def test_sample_grid_is_seeded_and_a_tile_goes_to_the_plane(explorer, qtbot):
    ex = explorer
    ex.seed.setValue(5)
    qtbot.waitUntil(lambda: ex.grid_images is not None and ex.tasks._latest.get("grid") is not None, timeout=5000)
    ex.tasks.wait(10000)
    qtbot.wait(50)
    grid5 = ex.grid_images.copy()
    assert grid5.shape == (256, 28, 28)
    ex.seed.setValue(6)
    qtbot.waitUntil(lambda: not np.array_equal(ex.grid_images, grid5), timeout=10000)
    ex.seed.setValue(5)
    qtbot.waitUntil(lambda: np.array_equal(ex.grid_images, grid5), timeout=10000)
    np.testing.assert_allclose(grid5, ex.vae.sample(256, seed=5), atol=1e-5)
    old_seed = ex.seed.value()
    ex.resample_button.click()
    assert ex.seed.value() != old_seed
    # Wait for the new seed's grid, so that tile 17 is not replaced between the pick and the check.
    qtbot.waitUntil(lambda: np.allclose(ex.grid_images, ex.vae.sample(256, seed=ex.seed.value()), atol=1e-5),
                    timeout=10000)
    with qtbot.waitSignal(ex.point_decoded, timeout=10000):
        ex.pick_sample(17)
    qtbot.waitUntil(lambda: np.allclose(ex.decoded_z, ex.grid_z[17]), timeout=5000)
    np.testing.assert_allclose(ex.cross_h.value(), ex.grid_z[17][1], atol=1e-5)


def _drop(widget, paths_or_urls):
    """A drag entering the widget, then the drop, as Qt delivers them (the drop goes where the enter was accepted)."""
    mime = QMimeData()
    mime.setUrls([u if isinstance(u, QUrl) else QUrl.fromLocalFile(str(u)) for u in paths_or_urls])
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter = QDragEnterEvent(QPoint(20, 20), *args)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted(), "the explorer takes file drags"
    drop = QDropEvent(QPointF(20, 20), *args)
    QApplication.sendEvent(widget, drop)
    return drop.isAccepted()


def test_dropped_files_are_reconstructed_and_bad_ones_explained(explorer, qtbot, tmp_path, fashion):
    ex = explorer
    good = tmp_path / "coat.png"
    Image.fromarray(255 - fashion.test_images[0]).resize((100, 100)).save(good)
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    truncated = tmp_path / "cut.png"
    truncated.write_bytes(good.read_bytes()[:200])
    folder = tmp_path / "a folder"
    folder.mkdir()
    assert _drop(ex, [good, text, truncated, folder, QUrl("https://example.com/shirt.png")])
    qtbot.waitUntil(lambda: len(ex.results) == 1, timeout=30000)
    message = ex.drop_message.text()
    for expected in ("4 could not be used", "notes.png", "cut.png", "a folder", "https://example.com/shirt.png"):
        assert expected in message
    r = ex.results[0]
    names = [ex.table.item(row, 0).text() for row in range(ex.table.rowCount())]
    assert names == ["coat.png"]
    a = ex.vae.analyse(r.input[None])
    assert r.total_loss == pytest.approx(float(a["total_loss"][0]), rel=1e-5)
    assert 0 <= r.anomaly_percentile <= 100
    assert ex.marks.data["x"].size == 1  # its latent mean is marked on the plane
    qtbot.waitUntil(lambda: ex.last_denoise is not None, timeout=10000)  # the first result is selected
    assert "784 bytes" in ex.compression.text()
    # a second, all-bad drop keeps the earlier results
    _drop(ex, [text])
    qtbot.waitUntil(lambda: "1 could not be used" in ex.drop_message.text(), timeout=10000)
    assert len(ex.results) == 1 and ex.table.rowCount() == 1


def test_interpolation_and_exports(explorer, qtbot, tmp_path):
    ex = explorer
    ex.set_point(np.array([-1.0, 0.0], np.float32))
    ex.set_end("a")
    ex.set_point(np.array([1.0, 0.5], np.float32))
    ex.set_end("b")
    qtbot.waitUntil(lambda: ex.strip_images is not None, timeout=10000)
    assert ex.strip_images.shape == (10, 28, 28)
    np.testing.assert_allclose(ex.strip_images[0], ex.vae.decode_point(np.array([-1.0, 0.0], np.float32)), atol=1e-5)
    qtbot.waitUntil(lambda: ex.decoded_z is not None and np.allclose(ex.decoded_z, [1.0, 0.5]), timeout=5000)
    ex.open_sample_images()
    qtbot.waitUntil(lambda: len(ex.results) >= 5, timeout=30000)
    sizes = {}
    for name, save in (("point", ex.save_point_png), ("grid", ex.save_grid_png), ("strip", ex.save_strip_png),
                       ("panel", ex.save_panel_png)):
        path = tmp_path / f"{name}.png"
        assert save(path)
        sizes[name] = Image.open(path).size
    assert sizes["point"] == (28, 28) and sizes["grid"] == (448, 448) and sizes["strip"] == (280, 28)
    assert sizes["panel"][0] > 200
    assert not ex.save_grid_png(tmp_path / "missing-folder" / "grid.png")  # a clear message, no crash
    assert "Could not save" in ex.drop_message.text()


def test_more_than_two_dimensions_pick_axes_or_principal_components(explorer, qtbot, fashion):
    from vae_explorer.config import ModelConfig
    from vae_explorer.ml.inference import VAE
    from vae_explorer.ml.model import build_cvae

    ex = explorer
    config = ModelConfig(**{**TINY_MODEL.__dict__, "latent_dim": 4})
    vae = VAE(build_cvae(config))  # no card: the plane encodes the test set itself
    ex.set_model(vae)
    qtbot.waitUntil(lambda: ex.latents is not None and ex.latents.shape == (10000, 4), timeout=60000)
    assert ex.dims_row.isVisible() and ex.sliders_box.isVisible()
    ex.x_dim.setCurrentIndex(2)
    ex.y_dim.setCurrentIndex(3)
    ex.sliders[0].setValue(150)
    z = ex.plane_to_z(0.25, -0.5)
    np.testing.assert_allclose(z, [1.5, 0.0, 0.25, -0.5])
    ex.use_pca.setChecked(True)
    assert not ex.sliders_box.isVisible()
    z = ex.plane_to_z(1.0, 0.0)
    np.testing.assert_allclose(ex.z_to_plane(z)[0], [1.0, 0.0], atol=1e-4)


def test_paste_an_image_from_the_clipboard(explorer, qtbot, fashion):
    from PySide6.QtGui import QGuiApplication, QImage

    ex = explorer
    pixels = np.ascontiguousarray(255 - fashion.test_images[3])  # dark garment on white, as copied from a page
    image = QImage(pixels.data, 28, 28, 28, QImage.Format.Format_Grayscale8).scaled(140, 140)
    QGuiApplication.clipboard().setImage(image)
    ex.paste()
    qtbot.waitUntil(lambda: len(ex.results) == 1, timeout=30000)
    assert ex.results[0].name == "pasted image"
    assert ex.results[0].input.max() > 200 and ex.results[0].input[0, 0] == 0  # inverted: bright garment on black


def test_a_model_with_more_dimensions_opens_on_its_two_most_used_ones(explorer, qtbot):
    import vae_explorer
    from vae_explorer.config import MODELS_DIR

    ex = explorer
    vae = vae_explorer.load_model(MODELS_DIR / "cvae-fashion-latent8.keras")
    ex.set_model(vae)
    qtbot.waitUntil(lambda: ex.latents is not None and ex.latents.shape == (10000, 8), timeout=60000)
    spread = ex.latents.var(axis=0)
    shown = [ex.x_dim.currentIndex(), ex.y_dim.currentIndex()]
    assert sorted(spread[shown]) == sorted(np.sort(spread)[-2:])
    assert set(shown) != {0, 1}, "this model's two most used dimensions are not its first two, so the choice shows"
    assert ex.plane.getAxis("bottom").labelText == f"z{shown[0] + 1}"
    with_slider = {i for i in range(8) if ex.sliders_layout.isRowVisible(i)}
    assert with_slider == set(range(8)) - set(shown)  # a slider for every dimension not on the plane
    ex.x_dim.setCurrentIndex(1)  # the person's choice is kept when the model's latents arrive again
    ex.x_dim.activated.emit(1)
    ex._on_latents((ex.latents, ex.labels))
    assert ex.x_dim.currentIndex() == 1


def test_changing_the_plane_axes_moves_what_it_places_and_decodes_nothing_else(explorer, qtbot, monkeypatch):
    import vae_explorer
    from vae_explorer.config import MODELS_DIR

    ex = explorer
    ex.set_model(vae_explorer.load_model(MODELS_DIR / "cvae-fashion-latent8.keras"))
    qtbot.waitUntil(lambda: ex.latents is not None and ex.latents.shape == (10000, 8), timeout=60000)
    z = np.linspace(-1.0, 1.0, 8).astype(np.float32)
    ex.set_point(z)
    ex.z_a, ex.z_b = np.zeros(8, np.float32), z
    decoded = []
    for name in ("_refresh_grid", "_refresh_strip", "_decode_current"):
        monkeypatch.setattr(ex, name, lambda name=name: decoded.append(name))
    backdrops = []
    monkeypatch.setattr(ex, "_refresh_backdrop", lambda *a: backdrops.append(a))
    ex.x_dim.setCurrentIndex(3)
    ex.y_dim.setCurrentIndex(6)
    assert decoded == [] and len(backdrops) == 2  # the backdrop is the plane's own: redrawn
    assert (ex.cross_v.value(), ex.cross_h.value()) == pytest.approx((z[3], z[6]))
    np.testing.assert_allclose(np.column_stack(ex.path.getData()), [[0, 0], [z[3], z[6]]], atol=1e-6)
    np.testing.assert_array_equal(ex.z, z)  # the current point itself did not change


def test_every_column_of_the_results_is_in_view_at_the_default_size(explorer, qtbot):
    ex = explorer
    ex.samples_button.click()
    qtbot.waitUntil(lambda: ex.table.rowCount() >= 6, timeout=30000)
    qtbot.wait(50)
    table = ex.table
    last = table.columnCount() - 1
    assert table.horizontalHeaderItem(last).text() == "Anomaly"
    assert table.columnViewportPosition(last) + table.columnWidth(last) <= table.viewport().width(), \
        "the anomaly score is visible without scrolling sideways"
    assert table.horizontalScrollBar().maximum() == 0
    assert table.columnWidth(0) >= 80, "the file name keeps room"
    for column in (1, 2, 3):
        assert table.columnWidth(column) >= table.iconSize().width(), "pictures are not cut"
