"""The live loss plots: ranges that settle while batches stream, one range move per block, no imports."""

import numpy as np
import pytest


@pytest.fixture
def streaming_plots(qtbot):
    """Shown loss plots at the start of a 50-epoch run of 469 batches each, fed blocks as the dashboard feeds them."""
    from vae_explorer.gui.train.loss_plots import LossPlots

    plots = LossPlots()
    qtbot.addWidget(plots)
    plots.resize(1000, 800)
    plots.show()
    plots.run_length = 50 * 469
    return plots


def test_dashboard_plot_ranges_settle_while_batches_stream(streaming_plots, qtbot):
    """Once the data stays inside the views, no axis is re-ranged again (each change re-renders labels).

    Found with benchmarks/gui_stall.py: the time plot's y range flipped between (0, 2000) and (50, 90)
    on every update. The narrower labels of one range shifted the x-linked view, which clipped the
    first (slow) batch out of view, which changed the range back.
    """
    d = streaming_plots
    rng = np.random.default_rng(0)
    views = {name: p.getPlotItem().getViewBox() for name, p in
             (("loss", d.loss_plot), ("kl", d.kl_plot), ("time", d.time_plot))}
    seen = {name: [] for name in views}
    for block in range(150):
        steps = np.arange(3 * block, 3 * block + 3, dtype=float)
        times = rng.uniform(50, 90, 3)
        if block == 0:
            times[0] = 1900.0  # the first batch traces the step
        losses = 280 + rng.uniform(-10, 10, 3)
        d.add_batches(np.column_stack([steps, steps // 469, losses, losses - 8, np.full(3, 8.0), times]))
        qtbot.wait(2)  # layouts and paints happen, as between the worker's signals
        for name, view in views.items():
            (x0, x1), (y0, y1) = view.viewRange()
            seen[name].append(((round(x0, 6), round(x1, 6)), (round(y0, 6), round(y1, 6))))
    for name, ranges in seen.items():
        y_ranges = {y for _, y in ranges[20:]}
        assert len(y_ranges) == 1, f"{name} plot re-ranged while the data stayed inside: {y_ranges}"
        assert [x for x, _ in ranges if x[0] != 0] == []  # linked views stay aligned on batch 0
        assert {x for x, _ in ranges} <= {(0, 100), (0, 200), (0, 500), (0, 1000)}
    low, high = seen["time"][-1][1]
    assert low <= 50 and 90 <= high < 200  # the first batch's 1,900 ms runs off the top


def test_a_short_run_fills_the_width_and_its_points_stay_clear_of_the_legends_and_the_bottom_edge(qtbot):
    """A 30-batch run reaches the right edge, where each plot's legend row is: the rising KL's last
    points ran under it; the lowest loss sat on the bottom edge (validation markers, padded by their
    size, were not there yet)."""
    from PySide6.QtCore import QPointF

    from vae_explorer.gui.train.loss_plots import LossPlots

    plots = LossPlots()
    qtbot.addWidget(plots)
    plots.resize(1000, 560)
    plots.show()
    qtbot.waitExposed(plots)
    plots.run_length = 30
    steps = np.arange(30, dtype=float)
    kl = np.linspace(0.053, 0.4, 30)
    losses = np.linspace(540.0, 381.5, 30)  # lows just above round values: on the edge without a margin
    for start in range(0, 30, 5):
        s = slice(start, start + 5)
        plots.add_batches(np.column_stack([steps[s], steps[s] // 10, losses[s], losses[s] - kl[s], kl[s],
                                           np.full(5, 30.0)]))
    plots.redraw()  # as at a run's end
    for height in (560, 400):  # and after the window shrinks: the legend's row is as tall, the plots shorter
        plots.resize(1000, height)
        qtbot.waitUntil(lambda: plots.kl_plot.height() < height / 3)
        for plot, low, high in ((plots.loss_plot, 381.5, 540.0), (plots.kl_plot, 0.053, 0.4)):
            view = plot.getPlotItem().getViewBox()
            legend = plot.getPlotItem().legend
            assert view.viewRange()[0] == pytest.approx([0, 30])
            (_, _), (bottom, top) = view.viewRange()
            top_px = view.mapViewToDevice(QPointF(29, high)).y() - view.mapViewToDevice(QPointF(29, top)).y()
            bottom_px = view.mapViewToDevice(QPointF(29, bottom)).y() - view.mapViewToDevice(QPointF(29, low)).y()
            assert top_px >= legend.pos().y() + legend.boundingRect().height(), "the highest point is below the legend"
            assert bottom_px >= 3, "the lowest point is off the bottom edge"


def test_at_most_one_plot_range_moves_per_block_of_batches_and_all_catch_up(streaming_plots):
    """At a run's start every range moves at once; moving all three in one event-loop pass (three axes
    re-rendered, three plots repainted) held the loop 52-72 ms. The followers take turns instead."""
    d = streaming_plots
    views = [p.getPlotItem().getViewBox() for p in (d.loss_plot, d.kl_plot, d.time_plot)]

    def ranges():
        return [tuple(round(v, 6) for axis in view.viewRange() for v in axis) for view in views]

    before = ranges()
    moved_per_block = []
    for step in range(40):  # loss falls, KL rises, batch times settle: every range has to move
        row = [step, 0, 540 - 6 * step, 535 - 6 * step, 0.2 * step, 2000.0 if step == 0 else 40 + step % 5]
        d.add_batches(np.array([row], dtype=float))
        after = ranges()
        moved_per_block.append(sum(a != b for a, b in zip(before, after)))
        before = after
    assert max(moved_per_block) == 1 and sum(moved_per_block) >= 3
    for view, curve in zip(views, ("total_loss", "kl_loss", "training_time")):
        (_, _), (low, high) = view.viewRange()
        y = d.curves[curve].values()[1][-10:]
        assert low <= y.min() and y.max() <= high, f"{curve}'s view caught up with its data"
    d.add_batches(np.array([[40, 0, 200.0, 195.0, 30.0, 42.0]]))  # loss and KL leave their ranges at once
    assert sum(a != b for a, b in zip(before, ranges())) == 1
    d.redraw()  # a pause (or the run's end) moves every range the data has left
    for view, curve in zip(views, ("total_loss", "kl_loss", "training_time")):
        (_, _), (low, high) = view.viewRange()
        assert low <= d.curves[curve].values()[1][-1] <= high


def test_the_first_block_of_batches_imports_nothing():
    """Imports on the GUI thread at the first batch compete for the GIL with the training thread:
    np.median's lazy import of numpy.ma took 19 ms alone, several times that beside training."""
    import subprocess
    import sys
    import textwrap

    code = textwrap.dedent("""
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        import numpy as np
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from vae_explorer.gui.train.loss_plots import LossPlots
        d = LossPlots()
        d.show()
        d.run_length = 20
        app.processEvents()
        before = set(sys.modules)
        d.add_batches(np.array([[0, 0, 540.0, 535.0, 0.5, 2000.0]]))
        app.processEvents()
        print(sorted(set(sys.modules) - before))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_log_scale_keeps_readable_labels_within_one_decade(qtbot):
    """Losses between 290 and 345 on a log scale: pyqtgraph alone labels only "3·10²"."""
    from PySide6.QtGui import QImage, QPainter

    from vae_explorer.gui.train.loss_plots import LossPlots

    plots = LossPlots()
    qtbot.addWidget(plots)
    plots.resize(900, 700)
    plots.show()
    steps = np.arange(60, dtype=float)
    losses = np.linspace(345.0, 290.0, 60)
    plots.add_batches(np.column_stack([steps, steps // 30, losses, losses - 8, np.full(60, 8.0), np.full(60, 40.0)]))
    plots.log_y.setChecked(True)
    plots.loss_plot.getPlotItem().getViewBox().autoRange()
    qtbot.wait(20)
    axis = plots.loss_plot.getAxis("left")
    painter = QPainter(QImage(100, 400, QImage.Format.Format_ARGB32))
    labels = [text for _, _, text in axis.generateDrawSpecs(painter)[2]]
    painter.end()
    values = [float(text) for text in labels]
    assert len(values) >= 3, labels
    low, high = (10**v for v in axis.range)
    assert all(low <= v <= high for v in values), (labels, low, high)


@pytest.mark.parametrize("locale, median, first", [("en_US", "40.0", "1,900"), ("pt_BR", "40,0", "1.900")])
def test_the_first_batch_off_the_plot_is_named(qtbot, in_locale, locale, median, first):
    from vae_explorer.gui.train.loss_plots import LossPlots

    in_locale(locale)
    plots = LossPlots()
    qtbot.addWidget(plots)
    times = np.array([1900.0] + [40.0] * 9)
    steps = np.arange(10, dtype=float)
    plots.add_batches(np.column_stack([steps, np.zeros(10), np.full(10, 300.0), np.full(10, 292.0), np.full(10, 8.0), times]))
    assert plots.median_label.text() == f"median: {median} ms/batch · first batch {first} ms (tracing the step)"


def test_legends_are_one_row_along_the_top(qtbot):
    from vae_explorer.gui.train.loss_plots import LossPlots

    plots = LossPlots()
    qtbot.addWidget(plots)
    plots.resize(1600, 900)
    plots.show()
    qtbot.wait(20)
    for plot, entries in ((plots.loss_plot, 4), (plots.kl_plot, 2)):
        legend = plot.getPlotItem().legend
        assert len(legend.items) == entries and legend.columnCount == entries
        view = plot.getPlotItem().getViewBox()
        assert legend.sceneBoundingRect().height() < 0.25 * view.sceneBoundingRect().height(), "the curves keep the plot"


def test_the_pointer_reads_out_its_batch_on_every_plot(qtbot):
    """total_loss lies on ce_loss when KL is small; pointing at a batch names both, on any of the plots."""
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    from vae_explorer.gui.train.loss_plots import LossPlots
    from vae_explorer.ml.progress import EpochMetrics

    plots = LossPlots()
    qtbot.addWidget(plots)
    plots.resize(1000, 800)
    plots.show()
    qtbot.waitExposed(plots)
    plots.run_length, plots.steps_per_epoch = 40, 20
    steps = np.arange(40, dtype=float)
    ce = 400 - steps
    plots.add_batches(np.column_stack([steps, steps // 20, ce + 0.1, ce, np.full(40, 0.1), np.full(40, 50.0)]))
    plots.mark_epoch(EpochMetrics(0, 390.6, 390.5, 0.1, 381.5, 381.4, 0.1, 1.0), 20)
    plots.redraw()
    qtbot.wait(20)
    for plot in plots.plots:
        view = plot.getPlotItem().getViewBox()
        scene = view.mapViewToScene(QPointF(19.2, sum(view.viewRange()[1]) / 2))
        at = plot.mapFromScene(scene)
        qtbot.mouseMove(plot.viewport(), at)
        qtbot.waitUntil(lambda: plots.readout.startswith("batch 19 "))
        assert plots.readout.splitlines() == [
            "batch 19 · epoch 1, step 20", "total_loss 381.10", "ce_loss 381.00", "kl_loss 0.10",
            "training_time 50.00 ms", "validation: total_loss 381.50, ce_loss 381.40, kl_loss 0.10"]
        assert all(line.isVisible() and line.value() == 19 for line in plots.cursor_lines)
        # Qt's own tooltip event once the pointer rests: the scene, with no item tooltip, hid the readout
        QApplication.sendEvent(plot.viewport(), QHelpEvent(QEvent.Type.ToolTip, at, plot.viewport().mapToGlobal(at)))
        qtbot.wait(400)  # Qt hides a tooltip 300 ms after it is told to
        assert QToolTip.isVisible() and QToolTip.text() == plots.readout
        QApplication.sendEvent(plot.viewport(), QEvent(QEvent.Type.Leave))
        assert plots.readout == "" and not any(line.isVisible() for line in plots.cursor_lines)
    plots.smooth.setChecked(True)
    plots.smooth_window.setValue(4)
    assert "ce_loss 381.00 (smoothed 382.50)" in plots.batch_text(19).splitlines()
    plots.clear()  # a new run keeps the pointer's line, removes the epochs'
    assert all(line in plot.getPlotItem().items for line, plot in zip(plots.cursor_lines, plots.plots))
