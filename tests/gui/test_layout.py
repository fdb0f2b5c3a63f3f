"""The window's layout at the sizes people use: no two visible widgets draw over each other, no text is cut."""

import numpy as np
import pytest
from PySide6.QtWidgets import QLabel

from tests.helpers import TINY_MODEL, cut_texts, overlapping_widgets

# 1024x640: a 1024x700 screen less a window manager's title bar and a desktop panel.
SIZES = [(1024, 640), (1024, 700), (1280, 800), (1920, 1080)]


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_no_widgets_overlap_in_either_area(explore, qtbot, size):
    window = explore.window()
    explore.reconstruct.open_sample_images()
    qtbot.waitUntil(lambda: len(explore.reconstruct.results) >= 8, timeout=30000)
    explore.reconstruct.table.selectRow(2)
    window.resize(*size)
    qtbot.wait(20)
    assert (window.width(), window.height()) == size, "the window takes the size (its minimum fits)"
    for area in (window.dashboard, window.explorer):
        window.tabs.setCurrentWidget(area)
        qtbot.wait(50)
        assert overlapping_widgets(window) == [], f"{type(area).__name__} at {size}"
        assert cut_texts(window) == [], f"{type(area).__name__} at {size}"


def test_at_the_default_size_five_results_are_in_view_and_the_selected_one_is_shown(explore, qtbot):
    window, rec = explore.window(), explore.reconstruct
    window.resize(1280, 800)
    rec.open_sample_images()
    qtbot.waitUntil(lambda: len(rec.results) >= 8, timeout=30000)
    qtbot.wait(50)
    table = rec.table
    assert table.rowViewportPosition(4) + table.rowHeight(4) <= table.viewport().height(), "five rows fit"
    table.selectRow(7)
    qtbot.wait(20)
    top, height = table.rowViewportPosition(7), table.rowHeight(7)
    assert 0 <= top and top + height <= table.viewport().height(), "the selected result is the one in view"


def test_save_panel_writes_every_result_not_the_cut_off_view(explore, qtbot, tmp_path):
    from PIL import Image

    from vae_explorer.gui.explore.reconstruct import SAMPLE_IMAGES_DIR

    rec = explore.reconstruct
    samples = sorted(SAMPLE_IMAGES_DIR.glob("*"))
    sizes = []
    for count in (3, 8):
        rec.clear_results()
        rec.open_images(samples[:count])
        qtbot.waitUntil(lambda: len(rec.results) == count, timeout=30000)
        path = tmp_path / f"results-{count}.png"
        assert rec.save_png(path)
        sizes.append(Image.open(path).size)
    (w3, h3), (w8, h8) = sizes
    assert h8 - h3 >= 5 * 48, "one row per result, whatever the table shows"
    assert w8 >= 400


def test_the_train_form_shows_every_value_whole(window, qtbot):
    """The form is a fixed width: a long label would squeeze every editor (the precision text was cut)."""
    form = window.dashboard.form
    window.resize(1024, 700)
    qtbot.wait(20)
    precision = form.widget("precision")
    assert precision.width() >= precision.sizeHint().width(), "'Auto (bfloat16 here)' is shown whole"
    assert form.all_images.width() >= form.all_images.sizeHint().width(), "'All 60,000' is shown whole"


@pytest.mark.parametrize("where", ["median", "explore title", "model in the status bar"])
def test_a_reading_that_grows_or_a_long_model_name_never_widens_the_window(window, qtbot, where):
    """The median's label in Portuguese, with the first batch's tracing time, was wider than the room beside
    the plot controls, and so could be a model's file name in Explore's header or the status bar: the
    window grew past a 1024-pixel screen."""
    label = {"median": window.dashboard.plots.median_label, "explore title": window.explorer.title,
             "model in the status bar": window.model_label}[where]
    window.tabs.setCurrentWidget(window.dashboard if where == "median" else window.explorer)
    window.resize(1024, 700)
    qtbot.wait(20)
    text = "mediana: 42,1 ms/lote · primeiro lote 3.375 ms (rastreando o passo) " * 3
    window.explorer.details.setText("dimensão latente 2 · β = 1,00 · total_loss de teste 250,87 (ce 245,41; kl 5,46) nats · "
                                    "condicionado à classe, classifica 82,7% do conjunto de teste (85,5% com refinamento) · "
                                    "um ajuste fino de cvae-fashion-conditional-latent2.keras, 112 s de treinamento")
    label.setText(text)
    qtbot.wait(50)
    assert window.minimumSizeHint().width() <= 1024 and window.width() == 1024
    assert label.text() == text and label.toolTip() == text, "the whole text, in its tooltip"
    shown = QLabel.text(label)
    assert "…" in shown and label.fontMetrics().horizontalAdvance(shown) <= label.width()
    assert shown.endswith("…") != (where == "model in the status bar"), "a model's name is cut in its middle"
    assert overlapping_widgets(window) == [] and cut_texts(window) == []
    if where != "median":
        assert label.width() <= 1024 // 2, "what is beside it keeps at least half the row"
    if where == "explore title":
        details = window.explorer.details  # the model's facts, wrapped beside the title: a few lines, not a column
        assert details.height() <= 4 * details.fontMetrics().lineSpacing() + 4
    label.setText("median: 42.1 ms/batch")
    qtbot.wait(20)
    assert QLabel.text(label) == "median: 42.1 ms/batch" and label.toolTip() == "", "a short text is whole"


def test_no_widgets_overlap_on_any_explore_tab_with_the_shipped_conditional_model(explore, qtbot, monkeypatch,
                                                                                  shipped_conditional):
    """Its header is three lines at 1024 px and the point has a row of ten tiles: the tabs get the least room."""
    from vae_explorer.config import MODELS_DIR
    from vae_explorer.gui import main_window

    window, ex = explore.window(), explore
    monkeypatch.setattr(main_window, "load_model_file", lambda path: shipped_conditional)  # its class grids made once
    with qtbot.waitSignal(window.model_changed, timeout=60000):
        window.open_model(MODELS_DIR / "cvae-fashion-conditional-latent2.keras")
    qtbot.waitUntil(lambda: ex.latent_plane.latents is not None, timeout=60000)
    for selected in (False, True):
        if selected:
            ex.reconstruct.open_sample_images()
            qtbot.waitUntil(lambda: len(ex.reconstruct.results) >= 8, timeout=60000)
            ex.reconstruct.table.selectRow(2)
            qtbot.waitUntil(lambda: ex.transfer.refined, timeout=120000)  # no job left running at the end
        for size in SIZES:
            window.resize(*size)
            qtbot.wait(20)
            assert (window.width(), window.height()) == size, "the window takes the size (its minimum fits)"
            for i in range(ex.tabs.count()):
                ex.tabs.setCurrentIndex(i)
                qtbot.wait(50)
                state = "an image selected" if selected else "nothing selected"
                assert overlapping_widgets(window) == [], f"{ex.tabs.tabText(i)} at {size}, {state}"
                assert cut_texts(window) == [], f"{ex.tabs.tabText(i)} at {size}, {state}"
            if selected:
                ex.tabs.setCurrentWidget(ex.reconstruct)
                qtbot.wait(50)
                table = ex.reconstruct.table
                whole = [r for r in range(table.rowCount()) if 0 <= table.rowViewportPosition(r)
                         and table.rowViewportPosition(r) + table.rowHeight(r) <= table.viewport().height()]
                assert len(whole) >= 3, f"results in view at {size}: {len(whole)}"


def test_eight_coordinates_wrap_and_never_move_the_divider(explore, qtbot):
    """At 1024 px the decoded point's eight coordinates were the right column's least width, and their
    signs changed it: picking a sample moved the divider between the plane and the panels."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QSplitter

    from vae_explorer.config import ModelConfig
    from vae_explorer.ml.inference import VAE
    from vae_explorer.ml.model import build_cvae

    ex, point = explore, explore.point
    ex.set_model(VAE(build_cvae(ModelConfig(**{**TINY_MODEL.__dict__, "latent_dim": 8}))))
    ex.window().resize(1024, 700)
    divider = next(s for s in ex.findChildren(QSplitter) if s.orientation() == Qt.Orientation.Horizontal)
    sizes = []
    for z in (np.zeros(8), np.full(8, -1.234), np.full(8, 1.234), np.zeros(8)):
        ex.latent_plane.set_point(z.astype(np.float32))
        qtbot.waitUntil(lambda z=z: point.decoded_z is not None and point.decoded_z.shape == z.shape
                        and np.allclose(point.decoded_z, z), timeout=10000)
        qtbot.wait(20)
        sizes.append(divider.sizes())
        label = point.coordinates
        assert label.height() >= label.heightForWidth(label.width()), "every coordinate in view"
    assert all(s == sizes[0] for s in sizes), sizes
    assert sizes[0][0] >= 400, "the plane keeps the room the coordinates took"
