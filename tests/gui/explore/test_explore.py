"""The Explore area with a real model: plane clicks and drags, the sample grid, dropped files, exports."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QUrl
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.helpers import TINY_MODEL, drop, send_mouse


def _view_pos(ex, widget_pos: QPoint):
    """Latent-plane coordinates under a pixel of the plot widget."""
    p = ex.plane.view_box.mapSceneToView(ex.plane.plot.mapToScene(widget_pos))
    return p.x(), p.y()


def _statuses(ex) -> list[str]:
    seen: list[str] = []
    ex.status_message.connect(seen.append)
    return seen


def test_click_decodes_exactly_that_point(explore, qtbot):
    ex, plot, point = explore, explore.plane.plot, explore.point
    pos = QPoint(plot.width() // 3, plot.height() // 3)
    u, v = _view_pos(ex, pos)
    with qtbot.waitSignal(point.point_decoded, timeout=10000):
        qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.waitUntil(lambda: point.decoded_z is not None and np.allclose(point.decoded_z, [u, v], atol=1e-3), timeout=5000)
    np.testing.assert_allclose(ex.plane.cross_v.value(), u, atol=1e-3)
    np.testing.assert_allclose(point.decoded, point.vae.decode_point(np.array([u, v], np.float32)), atol=1e-5)
    np.testing.assert_allclose(point.image_item.image, point.decoded)
    first = point.decoded.copy()
    qtbot.wait(QApplication.doubleClickInterval() + 50)  # two quick clicks would be a double-click
    with qtbot.waitSignal(point.point_decoded, timeout=10000):
        qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(plot.width() * 2 // 3, plot.height() * 2 // 3))
    qtbot.waitUntil(lambda: not np.allclose(point.decoded, first), timeout=5000)


def test_with_the_plane_focused_the_arrow_keys_move_the_point_and_home_centres_it(explore, qtbot):
    ex, plot, point = explore, explore.plane.plot, explore.point
    window = ex.window()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    ex.latent_plane.set_point(np.array([0.3, -0.2], np.float32))
    plot.setFocus()
    qtbot.waitUntil(plot.hasFocus)
    for _ in range(3):  # held down, a key repeats: each press moves one step
        qtbot.keyClick(plot, Qt.Key.Key_Right)
    qtbot.keyClick(plot, Qt.Key.Key_Up, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(plot, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: point.decoded_z is not None and np.allclose(point.decoded_z, [0.6, 0.2], atol=1e-5), timeout=5000)
    np.testing.assert_allclose(ex.plane.cross_v.value(), 0.6, atol=1e-5)
    np.testing.assert_allclose(point.decoded, point.vae.decode_point(np.array([0.6, 0.2], np.float32)), atol=1e-5)
    qtbot.keyClick(plot, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: np.allclose(point.decoded_z, [0, 0]), timeout=5000)
    other = ex.plane.hover
    other.setFocus()  # the keys are the plane's only while it has the focus
    qtbot.waitUntil(other.hasFocus)
    qtbot.keyClick(other, Qt.Key.Key_Left)
    qtbot.wait(50)
    assert np.allclose(ex.latent_plane.point, [0, 0])


def test_drag_decodes_continuously_and_the_view_still_pans(explore, qtbot):
    ex, point = explore, explore.point
    vp = ex.plane.plot.viewport()
    start = QPoint(vp.width() // 4, vp.height() // 2)
    before = point.decodes
    send_mouse(vp, QEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton)
    for k in range(1, 25):
        send_mouse(vp, QEvent.Type.MouseMove, start + QPoint(10 * k, 2 * k), Qt.MouseButton.LeftButton)
        qtbot.wait(15)
    end = start + QPoint(240, 48)
    send_mouse(vp, QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)
    u, _ = _view_pos(ex, end)
    qtbot.waitUntil(lambda: point.decoded_z is not None and abs(point.decoded_z[0] - u) < 1e-3, timeout=5000)
    assert point.decodes - before >= 5, "points were decoded along the drag, not only at its end"
    view_before = ex.plane.view_box.viewRange()
    ex.plane.view_box.scaleBy((0.5, 0.5))  # zooming stays pyqtgraph's
    assert ex.plane.view_box.viewRange() != view_before


def test_sample_grid_is_seeded_and_a_tile_goes_to_the_plane(explore, qtbot):
    ex, samples = explore, explore.samples
    vae = samples.vae
    samples.seed.setValue(5)
    grid5 = vae.sample(256, seed=5)
    qtbot.waitUntil(lambda: samples.grid_images is not None and np.allclose(samples.grid_images, grid5, atol=1e-5), timeout=10000)
    assert samples.grid_images.shape == (256, 28, 28)
    samples.seed.setValue(6)
    qtbot.waitUntil(lambda: not np.allclose(samples.grid_images, grid5, atol=1e-5), timeout=10000)
    samples.seed.setValue(5)
    qtbot.waitUntil(lambda: np.allclose(samples.grid_images, grid5, atol=1e-5), timeout=10000)
    old_seed = samples.seed.value()
    samples.resample_button.click()
    assert samples.seed.value() != old_seed
    # Wait for the new seed's grid, so that tile 17 is not replaced between the pick and the check.
    qtbot.waitUntil(lambda: np.allclose(samples.grid_images, vae.sample(256, seed=samples.seed.value()), atol=1e-5),
                    timeout=10000)
    with qtbot.waitSignal(ex.point.point_decoded, timeout=10000):
        samples.pick_sample(17)
    qtbot.waitUntil(lambda: np.allclose(ex.point.decoded_z, samples.grid_z[17]), timeout=5000)
    np.testing.assert_allclose(ex.plane.cross_h.value(), samples.grid_z[17][1], atol=1e-5)


def test_dropped_files_are_reconstructed_and_bad_ones_explained(explore, qtbot, tmp_path, fashion):
    ex, rec = explore, explore.reconstruct
    good = tmp_path / "coat.png"
    Image.fromarray(255 - fashion.test_images[0]).resize((100, 100)).save(good)
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    truncated = tmp_path / "cut.png"
    truncated.write_bytes(good.read_bytes()[:200])
    folder = tmp_path / "a folder"
    folder.mkdir()
    ex.tabs.setCurrentIndex(1)
    assert drop(ex, [good, text, truncated, folder, QUrl("https://example.com/shirt.png")])
    assert ex.tabs.currentWidget() is rec, "a drop shows the reconstruction tab"
    qtbot.waitUntil(lambda: len(rec.results) == 1, timeout=30000)
    message = rec.message.text()
    for expected in ("4 could not be used", "notes.png", "cut.png", "a folder", "https://example.com/shirt.png"):
        assert expected in message
    r = rec.results[0]
    names = [rec.table.item(row, 0).text() for row in range(rec.table.rowCount())]
    assert names == ["coat.png"]
    a = rec.vae.analyse(r.input[None])
    assert r.total_loss == pytest.approx(float(a["total_loss"][0]), rel=1e-5)
    assert 0 <= r.anomaly_percentile <= 100
    assert ex.plane.marks.data["x"].size == 1  # its latent mean is marked on the plane
    qtbot.waitUntil(lambda: rec.last_denoise is not None, timeout=10000)  # the first result is selected
    assert "784 bytes" in rec.selected.compression.text()
    # a second, all-bad drop keeps the earlier results
    drop(ex, [text])
    qtbot.waitUntil(lambda: "1 could not be used" in rec.message.text(), timeout=10000)
    assert len(rec.results) == 1 and rec.table.rowCount() == 1


def test_in_portuguese_the_reasons_the_core_gives_are_portuguese_too(in_portuguese, explore, qtbot, tmp_path,
                                                                      monkeypatch):
    """A file that is no image, a model file that is no model: the core's reason is in the window's language,
    like the sentence around it."""
    rec = explore.reconstruct
    text = tmp_path / "notas.png"
    text.write_text("not an image")
    assert drop(explore, [text])
    qtbot.waitUntil(lambda: bool(rec.last_errors), timeout=30000)
    assert rec.last_errors == ["notas.png: não é um arquivo de imagem que o Pillow consiga ler (PNG, JPEG, BMP, GIF, "
                               "WebP, TIFF, ...)"]
    assert rec.message.text().startswith("1 não pôde ser usado:\n• notas.png: não é um arquivo de imagem")
    told = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: told.append(a[1:3]))
    bad = tmp_path / "ruim.keras"
    bad.write_text("not a model")
    explore.window().open_model(bad)
    qtbot.waitUntil(lambda: bool(told), timeout=30000)
    title, message = told[0]
    assert title == "Não foi possível abrir o modelo"
    assert message.startswith(f"{bad} não é um arquivo Keras .keras (não é um arquivo zip); pode estar truncado")
    assert "continua carregado" in message


def test_interpolation_says_which_end_is_missing_and_the_plane_marks_each_end_its_own_way(explore, qtbot):
    plane, strip = explore.latent_plane, explore.interpolation
    assert strip.stack.currentWidget() is strip.waiting and "“A = current point”" in strip.waiting.text()
    plane.set_point(np.array([1.0, 0.5], np.float32))
    plane.set_end("b")
    assert "B is set" in strip.waiting.text() and strip.stack.currentWidget() is strip.waiting
    assert [s["symbol"] for s in explore.plane.ends.data] == ["s"], "B alone keeps its own symbol"
    plane.set_point(np.array([-1.0, 0.0], np.float32))
    plane.set_end("a")
    qtbot.waitUntil(lambda: strip.stack.currentWidget() is strip.picture, timeout=10000)
    assert [s["symbol"] for s in explore.plane.ends.data] == ["t", "s"]
    plane.reset(2)  # another model: the ends are gone
    assert strip.stack.currentWidget() is strip.waiting and "“A = current point”" in strip.waiting.text()


def test_interpolation_and_exports(explore, qtbot, tmp_path, file_dialogs):
    ex, plane = explore, explore.latent_plane
    plane.set_point(np.array([-1.0, 0.0], np.float32))
    plane.set_end("a")
    plane.set_point(np.array([1.0, 0.5], np.float32))
    plane.set_end("b")
    qtbot.waitUntil(lambda: ex.interpolation.strip_images is not None, timeout=10000)
    assert ex.interpolation.stack.currentWidget() is ex.interpolation.picture
    assert ex.interpolation.strip_images.shape == (10, 28, 28)
    vae = ex.point.vae
    np.testing.assert_allclose(ex.interpolation.strip_images[0], vae.decode_point(np.array([-1.0, 0.0], np.float32)), atol=1e-5)
    np.testing.assert_allclose(np.column_stack(ex.plane.path.getData()), [[-1.0, 0.0], [1.0, 0.5]], atol=1e-6)
    qtbot.waitUntil(lambda: ex.point.decoded_z is not None and np.allclose(ex.point.decoded_z, [1.0, 0.5]), timeout=5000)
    ex.reconstruct.open_sample_images()
    qtbot.waitUntil(lambda: len(ex.reconstruct.results) >= 5, timeout=30000)
    sizes = {}
    for name, panel in (("point", ex.point), ("grid", ex.samples), ("strip", ex.interpolation), ("panel", ex.reconstruct)):
        path = tmp_path / f"{name}.png"
        assert panel.save_png(path)
        sizes[name] = Image.open(path).size
    assert sizes["point"] == (28, 28) and sizes["grid"] == (448, 448) and sizes["strip"] == (280, 28)
    assert sizes["panel"][0] > 200
    # The plane's right-click menu saves it as drawn (its own, translated, in place of pyqtgraph's).
    menu = ex.plane.view_box.menu
    assert [a.text() for a in menu.actions() if a.isVisible()] == ["Show all", "Copy picture", "Save picture…"]
    file_dialogs.answer = [tmp_path / "plane.png"]
    next(a for a in menu.actions() if a.text() == "Save picture…").trigger()
    assert file_dialogs.shown[-1]["title"] == "Save the latent plane"
    assert Image.open(tmp_path / "plane.png").size == (ex.plane.plot.width(), ex.plane.plot.height())
    seen = _statuses(ex)
    assert not ex.samples.save_png(tmp_path / "missing-folder" / "grid.png")  # a clear message, no crash
    assert seen and "Could not save" in seen[-1] and "missing-folder" in seen[-1]


def test_more_than_two_dimensions_pick_axes_or_principal_components(explore, qtbot):
    from vae_explorer.config import ModelConfig
    from vae_explorer.ml.inference import VAE
    from vae_explorer.ml.model import build_cvae

    ex, panel = explore, explore.plane
    config = ModelConfig(**{**TINY_MODEL.__dict__, "latent_dim": 4})
    ex.set_model(VAE(build_cvae(config)))  # no card: the plane encodes the test set itself
    qtbot.waitUntil(lambda: ex.latent_plane.latents is not None and ex.latent_plane.latents.shape == (10000, 4), timeout=60000)
    assert panel.dims_row.isVisible() and panel.sliders_box.isVisible()
    panel.x_dim.setCurrentIndex(2)
    panel.y_dim.setCurrentIndex(3)
    panel.sliders[0].setValue(150)
    np.testing.assert_allclose(ex.latent_plane.plane_to_z(0.25, -0.5), [1.5, 0.0, 0.25, -0.5])
    assert ex.latent_plane.point[0] == pytest.approx(1.5), "the current point follows the slider"
    panel.use_pca.setChecked(True)
    assert not panel.sliders_box.isVisible()
    z = ex.latent_plane.plane_to_z(1.0, 0.0)
    np.testing.assert_allclose(ex.latent_plane.z_to_plane(z)[0], [1.0, 0.0], atol=1e-4)


def test_paste_an_image_from_the_clipboard(explore, qtbot, fashion):
    from PySide6.QtGui import QGuiApplication, QImage

    rec = explore.reconstruct
    pixels = np.ascontiguousarray(255 - fashion.test_images[3])  # dark garment on white, as copied from a page
    image = QImage(pixels.data, 28, 28, 28, QImage.Format.Format_Grayscale8).scaled(140, 140)
    QGuiApplication.clipboard().setImage(image)
    rec.paste()
    qtbot.waitUntil(lambda: len(rec.results) == 1, timeout=30000)
    assert rec.results[0].name == "pasted image"
    assert rec.results[0].input.max() > 200 and rec.results[0].input[0, 0] == 0  # inverted: bright garment on black


def test_a_model_with_more_dimensions_opens_on_its_two_most_used_ones(explore, qtbot):
    import vae_explorer
    from vae_explorer.config import MODELS_DIR

    ex, panel, plane = explore, explore.plane, explore.latent_plane
    ex.set_model(vae_explorer.load_model(MODELS_DIR / "cvae-fashion-latent8.keras"))
    qtbot.waitUntil(lambda: plane.latents is not None and plane.latents.shape == (10000, 8), timeout=60000)
    spread = plane.latents.var(axis=0)
    shown = [panel.x_dim.currentIndex(), panel.y_dim.currentIndex()]
    assert list(plane.dims) == shown
    assert sorted(spread[shown]) == sorted(np.sort(spread)[-2:])
    assert set(shown) != {0, 1}, "this model's two most used dimensions are not its first two, so the choice shows"
    assert panel.plot.getAxis("bottom").labelText == f"z{shown[0] + 1}"
    with_slider = {i for i in range(8) if panel.sliders_layout.isRowVisible(i)}
    assert with_slider == set(range(8)) - set(shown)  # a slider for every dimension not on the plane
    panel.x_dim.setCurrentIndex(1)  # the person's choice is kept when the model's latents arrive again
    panel.x_dim.activated.emit(1)
    plane.set_latents(plane.latents, plane.labels)
    assert panel.x_dim.currentIndex() == 1 and plane.dims[0] == 1


def test_a_dropped_folder_is_the_image_files_in_it(explore, qtbot, tmp_path, fashion, monkeypatch):
    from vae_explorer.gui.explore import reconstruct

    rec = explore.reconstruct
    folder = tmp_path / "photos"
    (folder / "older").mkdir(parents=True)
    for name, k in (("b.JPG", 1), ("a.png", 0), ("older/c.png", 2)):
        Image.fromarray(fashion.test_images[k]).resize((56, 56)).save(folder / name, format="JPEG" if name.endswith("JPG") else None)
    (folder / "notes.txt").write_text("not an image")
    assert drop(explore, [folder])
    qtbot.waitUntil(lambda: len(rec.results) == 2, timeout=30000)
    assert [r.name for r in rec.results] == ["photos/a.png", "photos/b.JPG"], "by name; not the folder inside it"
    assert "could not be used" not in rec.message.text()
    (tmp_path / "empty").mkdir()
    assert drop(explore, [tmp_path / "empty"])
    qtbot.waitUntil(lambda: "no image files in this folder" in rec.message.text(), timeout=10000)
    rec.clear_results()
    monkeypatch.setattr(reconstruct, "MAX_FILES_PER_DROP", 1)  # a folder's files count against the most at a time
    assert drop(explore, [folder])
    qtbot.waitUntil(lambda: "1 more files left out (at most 1 at a time)" in rec.message.text(), timeout=10000)
    assert [r.name for r in rec.results] == ["photos/a.png"]


def test_changing_the_plane_axes_moves_what_it_places_and_decodes_only_the_backdrop(explore, qtbot, monkeypatch):
    import vae_explorer
    from vae_explorer.config import MODELS_DIR

    ex, panel, plane = explore, explore.plane, explore.latent_plane
    vae = vae_explorer.load_model(MODELS_DIR / "cvae-fashion-latent8.keras")
    ex.set_model(vae)
    qtbot.waitUntil(lambda: plane.latents is not None and plane.latents.shape == (10000, 8), timeout=60000)
    panel.backdrop_on.setChecked(True)
    z = np.linspace(-1.0, 1.0, 8).astype(np.float32)
    plane.set_point(np.zeros(8, np.float32))
    plane.set_end("a")
    plane.set_point(z)
    plane.set_end("b")
    assert ex.point.tasks.wait(30000)
    qtbot.wait(50)
    calls = []  # what the model is asked to decode from here on (on the pool's threads)
    for name in ("decode", "decode_point", "sample_latents"):
        real = getattr(vae, name)
        monkeypatch.setattr(vae, name, lambda *a, real=real, name=name, **k: (calls.append((name, len(np.atleast_2d(a[0])))), real(*a, **k))[1])
    panel.x_dim.setCurrentIndex(3)
    panel.y_dim.setCurrentIndex(6)
    assert ex.point.tasks.wait(30000)
    assert calls and all(c == ("decode", 400) for c in calls), "only the plane's own backdrop is decoded again"
    assert (panel.cross_v.value(), panel.cross_h.value()) == pytest.approx((z[3], z[6]))
    np.testing.assert_allclose(np.column_stack(panel.path.getData()), [[0, 0], [z[3], z[6]]], atol=1e-6)
    np.testing.assert_array_equal(plane.point, z)  # the current point itself did not change


def test_every_column_of_the_results_is_in_view_at_the_default_size(explore, qtbot):
    rec = explore.reconstruct
    rec.samples_button.click()
    qtbot.waitUntil(lambda: rec.table.rowCount() >= 6, timeout=30000)
    qtbot.wait(50)
    table = rec.table
    last = table.columnCount() - 1
    assert table.horizontalHeaderItem(last).text() == "Anomaly"
    assert table.columnViewportPosition(last) + table.columnWidth(last) <= table.viewport().width(), \
        "the anomaly score is visible without scrolling sideways"
    assert table.horizontalScrollBar().maximum() == 0
    assert table.columnWidth(0) >= 80, "the file name keeps room"
    for column in (1, 2, 3):
        assert table.columnWidth(column) >= table.iconSize().width(), "pictures are not cut"


def test_the_class_legend_follows_the_test_set_checkbox_and_says_what_a_click_does(explore, qtbot):
    panel = explore.plane
    legend = panel.plot.getPlotItem().legend
    assert legend.isVisible() and "click" in legend.toolTip().lower()
    panel.test_set_on.setChecked(False)
    assert not legend.isVisible(), "no legend for points that are not shown"
    assert not any(item.isVisible() for item in panel.class_scatter)
    panel.class_scatter[3].setVisible(False)  # a class hidden from the legend, then the test set shown again
    panel.test_set_on.setChecked(True)
    assert legend.isVisible() and all(item.isVisible() for item in panel.class_scatter)


def test_a_click_on_a_class_name_in_the_legend_hides_that_class_and_decodes_nothing(explore, qtbot):
    panel, point = explore.plane, explore.point
    legend = panel.plot.getPlotItem().legend
    vp = panel.plot.viewport()
    decodes = point.decodes
    for sample, label in legend.items[:2]:  # the first two classes, clicked on their names
        pos = panel.plot.mapFromScene(label.sceneBoundingRect().center())
        assert vp.rect().contains(pos)
        qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=pos)
        qtbot.wait(QApplication.doubleClickInterval() + 50)
    assert [item.isVisible() for item in panel.class_scatter[:3]] == [False, False, True]
    pos = panel.plot.mapFromScene(legend.items[0][1].sceneBoundingRect().center())
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=pos)  # a second click shows it again
    assert panel.class_scatter[0].isVisible()
    qtbot.wait(200)
    assert point.decodes == decodes, "a click on the legend is not a click on the plane behind it"


def test_decode_on_hover_follows_the_pointer_over_the_plane_but_not_over_the_legend(explore, qtbot):
    panel, plane = explore.plane, explore.latent_plane
    scene = panel.plot.scene()
    (x0, x1), (y0, y1) = panel.view_box.viewRange()
    u, v = x0 + 0.25 * (x1 - x0), y0 + 0.25 * (y1 - y0)  # low on the left: away from the centre and the legend
    inside = panel.view_box.mapViewToScene(QPointF(u, v))
    assert panel.view_box.sceneBoundingRect().contains(inside) and not panel.legend.sceneBoundingRect().contains(inside)
    scene.sigMouseMoved.emit(inside)
    assert np.allclose(plane.point, 0), "off: a pointer passing over decodes nothing"
    panel.hover.setChecked(True)
    scene.sigMouseMoved.emit(inside)
    np.testing.assert_allclose(plane.point, [u, v], rtol=1e-3, atol=1e-4)
    before = plane.point.copy()
    scene.sigMouseMoved.emit(panel.legend.items[0][1].sceneBoundingRect().center())  # reading a class's name
    np.testing.assert_array_equal(plane.point, before)
    panel.test_set_on.setChecked(False)  # no points, no legend: the plane under it decodes
    scene.sigMouseMoved.emit(panel.legend.items[0][1].sceneBoundingRect().center())
    assert not np.allclose(plane.point, before)


def test_delete_removes_the_selected_image_and_selects_the_next(explore, qtbot):
    rec, plane = explore.reconstruct, explore.latent_plane
    rec.open_sample_images()
    qtbot.waitUntil(lambda: len(rec.results) == 8, timeout=30000)
    names = [r.name for r in rec.results]
    rec.table.selectRow(2)
    rec.table.setFocus()
    qtbot.keyClick(rec.table, Qt.Key.Key_Delete)
    assert [r.name for r in rec.results] == names[:2] + names[3:] and rec.table.rowCount() == 7
    assert [rec.table.item(row, 0).text() for row in range(7)] == names[:2] + names[3:]
    assert rec.selected_result() is rec.results[2], "the row after it"
    assert rec.message.text() == f"Removed {names[2]}; 7 images left."
    np.testing.assert_allclose(plane.point, rec.results[2].mean, atol=1e-6)
    assert len(plane.marks) == 7, "off the plane too"
    menu_items = [a.text() for a in rec.table.actions()]
    assert menu_items == ["Remove this image (Del)"], menu_items
    rec.table.selectRow(6)
    rec.table.actions()[0].trigger()  # the last row, from the right-click menu: the one before it is next
    assert rec.selected_result() is rec.results[-1] and len(rec.results) == 6
    while rec.results:
        rec.remove_selected()
    assert rec.table.rowCount() == 0 and len(plane.marks) == 0 and rec.selected_result() is None
    assert not rec.save_panel_button.isEnabled() and "Drop image files" in rec.message.text()
    rec.remove_selected()  # nothing selected: nothing happens


def test_opening_another_model_reconstructs_the_same_images_with_it(explore, qtbot):
    from vae_explorer.ml.inference import VAE
    from vae_explorer.ml.model import build_cvae

    rec = explore.reconstruct
    rec.open_sample_images()
    qtbot.waitUntil(lambda: rec.last_denoise is not None, timeout=30000)
    rec.table.selectRow(3)
    names, inputs = [r.name for r in rec.results], np.stack([r.input for r in rec.results])
    other = VAE(build_cvae(TINY_MODEL))  # untrained: other numbers than the tiny trained model's
    explore.set_model(other)
    # The last model's numbers go at once: nothing on screen belongs to the wrong model.
    assert rec.results == [] and rec.table.rowCount() == 0
    assert [c.text() for c in rec.selected.captions] == ["Input", "Reconstruction", "Noisy input", "Denoised"]
    assert rec.message.text().startswith("Reconstructing 8 images again")
    qtbot.waitUntil(lambda: len(rec.results) == len(names), timeout=30000)
    assert [r.name for r in rec.results] == names
    np.testing.assert_array_equal(np.stack([r.input for r in rec.results]), inputs)
    fresh = other.analyse(inputs)
    np.testing.assert_allclose([r.total_loss for r in rec.results], fresh["total_loss"], rtol=1e-5)
    assert rec.selected_result() is rec.results[3], "the image that was selected still is"
    assert np.allclose(explore.latent_plane.point, 0), "the plane stays where the new model opened it"
    table = rec.table
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualItemRect(table.item(3, 0)).center())
    np.testing.assert_allclose(explore.latent_plane.point, rec.results[3].mean, err_msg="a click on it goes there")
    rec.clear_button.click()
    explore.set_model(explore.point.vae)
    assert rec.results == [] and rec.message.text().startswith("Drop image files"), "after Clear nothing comes back"


def test_the_same_image_dropped_twice_can_be_selected_in_either_row(explore, qtbot):
    rec = explore.reconstruct
    rec.open_sample_images()
    rec.open_sample_images()
    qtbot.waitUntil(lambda: len(rec.results) == 16, timeout=30000)
    assert rec.results[3].name == rec.results[11].name
    rec.table.selectRow(11)  # finding a row compared two results' arrays, and raised
    assert rec.selected_result() is rec.results[11]
    explore.set_model(explore.point.vae)
    qtbot.waitUntil(lambda: len(rec.results) == 16, timeout=30000)
    assert rec.selected_result() is rec.results[11], "the same row stays selected"


def test_images_on_their_way_when_the_model_changes_twice_are_kept(explore, qtbot):
    rec = explore.reconstruct
    rec.open_sample_images()
    qtbot.waitUntil(lambda: len(rec.results) == 8, timeout=30000)
    vae = explore.point.vae
    explore.set_model(vae)  # the same images, reconstructed again: still under way when
    explore.set_model(vae)  # another model opens
    qtbot.waitUntil(lambda: len(rec.results) == 8, timeout=30000)
    assert explore.reconstruct.tasks.wait(30000)
    qtbot.wait(50)
    assert len(rec.results) == 8, "each image once"


def test_clearing_while_images_are_read_drops_them(explore, qtbot):
    rec = explore.reconstruct
    rec.open_sample_images()
    rec.clear_button.click()
    assert explore.reconstruct.tasks.wait(30000)
    qtbot.wait(50)
    assert rec.results == [] and rec.table.rowCount() == 0


def test_images_still_being_read_when_another_model_opens_are_reconstructed_by_it(explore, qtbot, monkeypatch,
                                                                                   tiny_trained):
    import threading

    from vae_explorer.gui.explore import reconstruct

    rec, window = explore.reconstruct, explore.window()
    let_go, by = threading.Event(), []
    read_sources, analyse_read = reconstruct.analyse_sources, reconstruct.analyse_read
    monkeypatch.setattr(reconstruct, "analyse_sources",
                        lambda vae, sources, *most: let_go.wait(30) and read_sources(vae, sources, *most))
    monkeypatch.setattr(reconstruct, "analyse_read", lambda vae, read: by.append(vae) or analyse_read(vae, read))
    rec.open_sample_images()
    with qtbot.waitSignal(window.model_changed, timeout=60000):
        window.open_model(tiny_trained)
    let_go.set()  # read for the model before, arriving after the next one opened
    qtbot.waitUntil(lambda: len(rec.results) == 8, timeout=60000)
    assert by == [window.vae] and rec.table.rowCount() == 8


def test_the_small_things_a_user_looks_for(explore, qtbot):
    """Crosshair unlike a grid line, readable legend dots, the clicked tile marked, a clickable and
    roomy interpolation strip with labelled ends, values on the sliders."""
    from vae_explorer.gui.explore.plane import ClassSample

    ex, panel, plane = explore, explore.plane, explore.latent_plane
    assert panel.cross_v.pen.color().lightness() > 200, "a light dashed crosshair over the dark plot"
    assert panel.legend.sampleType is ClassSample
    ex.samples.pick_sample(17)
    assert ex.samples.highlight.isVisible() and ex.samples.highlight.rect().getRect() == (28, 28, 28, 28)
    plane.set_point(np.array([-1.0, 0.0], np.float32))
    plane.set_end("a")
    plane.set_point(np.array([1.0, 0.5], np.float32))
    plane.set_end("b")
    assert [label.isVisible() for label in panel.end_labels.values()] == [True, True]
    assert [label.textItem.toPlainText() for label in panel.end_labels.values()] == ["A", "B"]
    qtbot.waitUntil(lambda: ex.interpolation.strip_z is not None, timeout=10000)
    ex.tabs.setCurrentWidget(ex.interpolation)
    qtbot.wait(20)
    assert ex.interpolation.picture.height() > 150, "the strip uses the tab's height"
    with qtbot.waitSignal(ex.point.point_decoded, timeout=10000):
        ex.interpolation.pick(3)
    np.testing.assert_allclose(plane.point, ex.interpolation.strip_z[3])


def test_slider_rows_show_their_values(explore, qtbot):
    from vae_explorer.config import ModelConfig
    from vae_explorer.ml.inference import VAE
    from vae_explorer.ml.model import build_cvae

    ex, panel = explore, explore.plane
    ex.set_model(VAE(build_cvae(ModelConfig(**{**TINY_MODEL.__dict__, "latent_dim": 3}))))
    panel.sliders[2].setValue(-125)
    assert panel.sliders_layout.labelForField(panel.sliders[2]).text() == "z3 = -1.25"
    ex.latent_plane.set_point(np.array([0.5, -0.25, 3.456], np.float32))  # a sample's point, off the plane's slice
    assert panel.sliders_layout.labelForField(panel.sliders[2]).text() == "z3 = +3.46", "the slider shows its z3"
    assert panel.sliders[2].value() == 300, "at the slider's end"
    u, v = ex.latent_plane.z_to_plane(ex.latent_plane.point)[0]
    np.testing.assert_allclose(ex.latent_plane.plane_to_z(u, v), ex.latent_plane.point)


def test_an_image_copied_from_a_web_page_is_used_and_its_address_not_reported(explore, qtbot, fashion):
    """A browser puts the picture and its web address on the clipboard: the picture is what was meant."""
    from PySide6.QtCore import QMimeData, QUrl
    from PySide6.QtGui import QImage

    rec = explore.reconstruct
    pixels = np.ascontiguousarray(255 - fashion.test_images[5])
    mime = QMimeData()
    mime.setImageData(QImage(pixels.data, 28, 28, 28, QImage.Format.Format_Grayscale8).copy())
    mime.setUrls([QUrl("https://example.com/garment.png")])
    statuses = []
    explore.status_message.connect(statuses.append)
    assert rec.handle_mime(mime)
    qtbot.waitUntil(lambda: len(rec.results) == 1, timeout=30000)
    assert rec.last_errors == [] and not any("could not be used" in s for s in statuses)


def test_a_class_conditional_model_gets_a_class_picker_that_every_picture_follows(explore, qtbot, conditional_vae):
    ex, panel = explore, explore.plane
    assert not panel.class_picker.isVisible(), "an unconditional model shows no picker"
    vae = conditional_vae
    ex.set_model(vae)
    qtbot.waitUntil(lambda: ex.samples.grid_images is not None and ex.point.decoded is not None, timeout=30000)
    assert panel.class_picker.isVisible() and ex.latent_plane.label == 0
    z = np.array([0.2, -0.3], np.float32)
    ex.latent_plane.set_point(z)
    panel.class_picker.setCurrentIndex(8)  # Bag
    assert ex.latent_plane.label == 8
    qtbot.waitUntil(lambda: ex.point.decoded_z is not None and np.allclose(ex.point.decoded_z, z)
                    and np.allclose(ex.point.decoded, vae.decode_point(z, 8), atol=1e-5), timeout=10000)
    qtbot.waitUntil(lambda: np.allclose(ex.samples.grid_images, vae.sample(256, seed=ex.samples.seed.value(), labels=8),
                                        atol=1e-5), timeout=10000)
    rec = ex.reconstruct
    rec.open_sample_images()
    qtbot.waitUntil(lambda: len(rec.results) == 8, timeout=30000)
    assert all(r.predicted_class is not None for r in rec.results), "each image gets the class the model sees"
    from vae_explorer.config import CLASS_NAMES
    from vae_explorer.gui.explore.reconstruct import render_results
    from vae_explorer.gui.names import short_class_names

    for i, r in enumerate(rec.results):  # each reconstruction says which class it was decoded as
        cell = rec.table.item(i, 3)
        p = r.class_probabilities[r.predicted_class]
        assert cell.text() == short_class_names()[r.predicted_class]
        assert cell.toolTip() == f"Reconstructed as {CLASS_NAMES[r.predicted_class]} ({100 * p:.0f}% likely)"
        assert "label-free" in rec.table.item(i, 7).toolTip()
    qtbot.wait(50)
    assert rec.table.horizontalScrollBar().maximum() == 0 and rec.table.columnWidth(0) >= 80
    one, both = render_results(rec.results[:1]), render_results(rec.results)
    assert both.size().width() == one.size().width() and both.height() > one.height()


def test_a_conditional_model_shows_the_point_under_every_class_and_a_tile_picks_the_class(explore, qtbot, conditional_vae):
    ex = explore
    assert not ex.point.class_row.isVisible() and not ex.samples.class_rows.isVisible()
    assert not ex.tabs.isTabVisible(ex.tabs.indexOf(ex.transfer)), "no style transfer for an unconditional model"
    vae = conditional_vae
    ex.set_model(vae)
    z = np.array([0.4, 0.1], np.float32)
    ex.latent_plane.set_point(z)
    row = ex.point.class_row
    qtbot.waitUntil(lambda: row.images is not None and np.allclose(
        row.images, vae.decode(np.repeat(z[None], 10, 0), np.arange(10)), atol=1e-5), timeout=10000)
    assert row.isVisible() and row.group.checkedId() == 0
    assert not np.allclose(row.images[1], row.images[8], atol=1e-3), "the same z under two labels differs"
    qtbot.waitUntil(lambda: not ex.plane.class_picker.itemIcon(3).isNull(), timeout=10000)  # icons arrive
    row.buttons[3].click()  # Dress
    assert ex.latent_plane.label == 3 and ex.plane.class_picker.currentIndex() == 3
    qtbot.waitUntil(lambda: np.allclose(ex.point.decoded, vae.decode_point(z, 3), atol=1e-5), timeout=10000)
    # Only the picked class's points on the plane.
    ex.plane.only_picked.setChecked(True)
    assert [s.isVisible() for s in ex.plane.class_scatter] == [c == 3 for c in range(10)]
    ex.plane.class_picker.setCurrentIndex(5)
    assert [s.isVisible() for s in ex.plane.class_scatter] == [c == 5 for c in range(10)]
    ex.plane.only_picked.setChecked(False)
    assert all(s.isVisible() for s in ex.plane.class_scatter)
    # The grid with a class per row: row r is class r mod 10, and a tile picks its own class.
    samples = ex.samples
    samples.class_rows.setChecked(True)
    labels = np.repeat(np.arange(16) % 10, 16)
    qtbot.waitUntil(lambda: samples.grid_classes is not None and np.ndim(samples.grid_classes) == 1, timeout=10000)
    np.testing.assert_allclose(samples.grid_images, vae.sample(256, seed=samples.seed.value(), labels=labels), atol=1e-5)
    samples.pick_sample(16 * 12 + 4)  # row 12: class 2
    assert ex.latent_plane.label == 2


def test_style_transfer_shows_the_selected_image_as_every_garment_and_saves(explore, qtbot, conditional_vae, tmp_path):
    from vae_explorer.ml.analysis import style_transfer

    ex = explore
    vae = conditional_vae
    ex.set_model(vae)
    assert ex.tabs.isTabVisible(ex.tabs.indexOf(ex.transfer))
    transfer = ex.transfer
    assert transfer.message.isVisibleTo(transfer) and not transfer.save_strip_button.isEnabled()
    rec = ex.reconstruct
    rec.open_sample_images()
    qtbot.waitUntil(lambda: transfer.transferred is not None and transfer.refined, timeout=60000)
    r = rec.selected_result()
    # What stays shown is the verdict from each class's refined fit.
    expected = style_transfer(vae, r.input[None], refine=True)
    np.testing.assert_allclose(transfer.transferred.images, expected.images, atol=1e-5)
    np.testing.assert_allclose(transfer.bars.opts["width"], expected.probabilities[0], atol=1e-6)
    predicted = int(expected.probabilities[0].argmax())
    assert transfer.tiles.group.checkedId() == predicted and "Refining" not in transfer.verdict.text()
    # The person overrides the class it is read under.
    other = (predicted + 1) % 10
    transfer.encode_as.setCurrentIndex(other + 1)
    qtbot.waitUntil(lambda: transfer.transferred is not None and transfer.refined
                    and int(transfer.transferred.encoded_as[0]) == other, timeout=30000)
    np.testing.assert_allclose(transfer.transferred.mean, vae.encode(r.input[None], other)[0], atol=1e-5)
    assert "your choice" in transfer.verdict.text()
    # Another row: the panel follows the selection.
    rec.table.selectRow(3)
    qtbot.waitUntil(lambda: transfer.refined and transfer.result is rec.results[3], timeout=30000)
    # A tile shows that garment on the plane.
    transfer.tiles.buttons[7].click()
    assert ex.latent_plane.label == 7
    np.testing.assert_allclose(ex.latent_plane.point, transfer.transferred.mean[0], atol=1e-6)
    out = tmp_path / "strip.png"
    assert transfer.save_png(out)
    from PIL import Image

    assert Image.open(out).size == (28 * 12, 28)
    rec.clear_results()
    assert transfer.transferred is None and transfer.message.isVisibleTo(transfer)


def test_a_failed_style_transfer_is_told_and_the_first_guess_stays(explore, qtbot, conditional_vae, monkeypatch):
    from vae_explorer.gui.explore import transfer as transfer_module

    real = transfer_module.style_transfer

    def refined_fails(vae, x, labels=None, refine=False):
        if refine:
            raise MemoryError("out of memory")
        return real(vae, x, labels=labels)

    monkeypatch.setattr(transfer_module, "style_transfer", refined_fails)
    ex = explore
    ex.set_model(conditional_vae)
    told = []
    ex.transfer.status_message.connect(told.append)
    ex.reconstruct.open_sample_images()
    qtbot.waitUntil(lambda: ex.transfer.transferred is not None and "refining it failed" in ex.transfer.verdict.text(),
                    timeout=60000)
    assert "Refining the fit" not in ex.transfer.verdict.text() and not ex.transfer.refined
    assert any("refined verdict failed" in m and "out of memory" in m for m in told), told
    assert ex.transfer.save_strip_button.isEnabled(), "the first guess can still be saved"
    # Both fail: the view says so instead of showing nothing, for another image and for another class to
    # encode under; the verdict shown before is never drawn back as the new one's first guess.
    monkeypatch.setattr(transfer_module, "style_transfer", lambda *a, **k: (_ for _ in ()).throw(ValueError("bad image")))
    for choose in (lambda: ex.transfer.encode_as.setCurrentIndex(4), lambda: ex.reconstruct.table.selectRow(1)):
        assert ex.transfer.tasks.wait(30000)
        told.clear()
        choose()
        qtbot.waitUntil(lambda: any(m == "The refined verdict failed: ValueError: bad image." for m in told), timeout=30000)
        assert "Could not read this image's style: ValueError: bad image" in ex.transfer.verdict.text()


def test_a_conditional_model_prepares_its_refined_verdicts_when_it_opens_and_stops_on_closing(explore, qtbot,
                                                                                            conditional_trained):
    import vae_explorer

    ex = explore
    vae = vae_explorer.load_model(conditional_trained)
    ex.set_model(vae)
    # No image selected yet: every class's coarse grid is made in the background.
    qtbot.waitUntil(lambda: vae._likelihood is not None and all(vae._likelihood.has_coarse_grid(k) for k in range(10)),
                    timeout=60000)
    assert ex.transfer.tasks.wait(30000)
    # Another model stops the first one's preparation; so does closing the window.
    second, third = (vae_explorer.load_model(conditional_trained) for _ in range(2))
    ex.set_model(second)
    ex.set_model(third)
    ex.transfer.tasks.stopping.set()
    assert ex.transfer.tasks.wait(30000)
    made = [m._likelihood is not None and sum(m._likelihood.has_coarse_grid(k) for k in range(10)) for m in (second, third)]
    assert made[0] < 10 and made[1] < 10, made


def test_sharpen_draws_every_generated_picture_with_steeper_pixels_and_reconstructions_as_means(explore, qtbot,
                                                                                              conditional_vae):
    from vae_explorer.ml.images import sharpen

    ex, plane = explore, explore.latent_plane
    vae = conditional_vae
    ex.set_model(vae)
    ex.reconstruct.open_sample_images()
    qtbot.waitUntil(lambda: ex.transfer.transferred is not None and ex.transfer.refined, timeout=60000)
    plane.set_end("a")
    plane.set_point(np.array([1.0, -0.5], np.float32))
    plane.set_end("b")
    qtbot.waitUntil(lambda: ex.interpolation.strip_images is not None and ex.point.decoded_z is not None
                    and np.allclose(ex.point.decoded_z, [1.0, -0.5]), timeout=10000)
    z, label = plane.point, plane.label
    point_mean = vae.decode_point(z, label)
    grid_mean = vae.decode(vae.sample_latents(256, ex.samples.seed.value(), ex.samples.temperature.value()), label)
    strip_mean = vae.decode(plane.path(ex.interpolation.steps.value()), label)
    transfer_mean = ex.transfer.transferred
    reconstruction = ex.reconstruct.selected_result().reconstruction.copy()

    def drawn_with(k: float) -> bool:
        t = ex.transfer.transferred
        return (np.allclose(ex.point.decoded, sharpen(point_mean, k), atol=1e-5)
                and np.allclose(ex.point.image_item.image, sharpen(point_mean, k), atol=1e-5)
                and np.allclose(ex.samples.grid_images, sharpen(grid_mean, k), atol=1e-5)
                and np.allclose(ex.interpolation.strip_images, sharpen(strip_mean, k), atol=1e-5)
                and np.allclose(t.images, sharpen(transfer_mean.images, k), atol=1e-5)
                and np.allclose(t.reconstructions, sharpen(transfer_mean.reconstructions, k), atol=1e-5))

    assert drawn_with(1.0)
    ex.point.sharp.click()
    assert plane.sharpness == 2.0
    qtbot.waitUntil(lambda: drawn_with(2.0), timeout=10000)
    assert np.abs(ex.point.decoded - 0.5).mean() > np.abs(point_mean - 0.5).mean() + 0.01, "steeper than the mean"
    np.testing.assert_array_equal(ex.transfer.transferred.inputs, transfer_mean.inputs)  # an input is never redrawn
    np.testing.assert_array_equal(ex.reconstruct.selected_result().reconstruction, reconstruction)
    ex.point.sharp.click()
    qtbot.waitUntil(lambda: drawn_with(1.0), timeout=10000)


def test_the_probability_chart_gives_every_class_name_a_line_however_small_the_tabs(explore, qtbot, conditional_vae):
    from PySide6.QtGui import QFontMetrics

    ex = explore
    ex.set_model(conditional_vae)
    ex.window().resize(1024, 700)
    ex.tabs.setCurrentWidget(ex.transfer)
    ex.right.setSizes([10_000, 1])  # the splitter dragged down: the tabs keep only their minimum height
    names = ex.transfer.bars_plot.getAxis("left")
    line = QFontMetrics(names.style["tickFont"] or names.font()).height()
    qtbot.waitUntil(lambda: ex.transfer.bars_plot.isVisible())
    qtbot.wait(50)
    assert names.geometry().height() >= 10 * line  # the ten names stacked without overlapping


def test_the_header_names_a_fine_tunes_starting_model_and_the_refined_accuracy(explore, conditional_trained):
    import dataclasses

    import vae_explorer
    from vae_explorer.gui.numbers import number, percent

    vae = vae_explorer.load_model(conditional_trained)
    card = vae.card
    vae.card = dataclasses.replace(
        card, training=dataclasses.replace(card.training, init_from={"file": "base.keras", "sha256": "0" * 64}),
        metrics={**card.metrics, "conditional_benchmark": {"refined_classify_images": card.dataset["n_test"],
                                                           "refined_classification_accuracy": 0.853}})
    explore.show_model_facts(vae)
    text = explore.details.text()
    accuracy = card.test_metrics["classification_accuracy"]
    assert f"classifies {percent(accuracy)} of the test set (85.3% refined)" in text
    assert f"{card.training.epochs_completed} epochs fine-tuning base.keras" in text
    # A fine-tune counted in steps, not epochs (the shipped conditional model's last one): no "0 epochs".
    vae.card = dataclasses.replace(vae.card, training=dataclasses.replace(vae.card.training, epochs_completed=0))
    explore.show_model_facts(vae)
    assert "a fine-tune of base.keras" in explore.details.text() and "0 epochs" not in explore.details.text()
    # Saved over the file it started from (as the shipped one was): not "a fine-tune of" its own name.
    own_name = Path(vae.path).name
    vae.card = dataclasses.replace(vae.card, training=dataclasses.replace(
        vae.card.training, init_from={"file": own_name, "sha256": "0" * 64}))
    explore.show_model_facts(vae)
    assert "a fine-tune of an earlier version of this file" in explore.details.text()
    assert f"fine-tune of {own_name}" not in explore.details.text()
    explore.show_model_facts(vae_explorer.load_model(conditional_trained))
    assert "refined" not in explore.details.text() and "fine-tuning" not in explore.details.text()
    vae.card = dataclasses.replace(card, training=dataclasses.replace(card.training, epochs_completed=1))
    explore.show_model_facts(vae)
    # written as the window writes numbers: Qt rounds 8.5 s up, Python's format to even (8)
    assert f"1 epoch, {number(card.training.wall_time_s)} s of training" in explore.details.text()


def test_with_no_model_the_plane_marks_no_interpolation_end(qtbot):
    from vae_explorer.gui.main_window import MainWindow

    window = MainWindow(load_default_model=False)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentWidget(window.explorer)
    panel = window.explorer.plane
    assert not any(label.isVisible() for label in panel.end_labels.values()), "no A or B label with nothing set"
    assert len(panel.ends.data) == 0
