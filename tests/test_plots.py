"""The plot helpers: round axis steps, ranges that follow the data until the user moves the view."""

import numpy as np
import pyqtgraph as pg
import pytest

from vae_explorer.gui.plots import RangeFollower, StreamingCurve, moving_average, nice_ceiling


@pytest.mark.parametrize(
    ("value", "expected"), [(0.03, 0.05), (1, 1), (1.01, 2), (2, 2), (3, 5), (7, 10), (120, 200), (5000, 5000)]
)
def test_nice_ceiling(value, expected):
    assert nice_ceiling(value) == pytest.approx(expected)


def test_moving_average_is_trailing_and_same_length():
    np.testing.assert_allclose(moving_average(np.array([1.0, 3.0, 5.0, 7.0]), 2), [1, 2, 4, 6])


@pytest.fixture
def plot(qtbot):
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    return widget


def test_x_follows_in_round_steps_up_to_the_run_length(plot):
    curve = StreamingCurve(plot.plot())
    x_follow = RangeFollower(plot, 0)
    view = plot.getPlotItem().getViewBox()
    assert view.viewRange()[0] == pytest.approx([0, 100])
    seen = set()
    for step in range(0, 1000, 10):
        curve.extend(np.array([step]), np.array([1.0]))
        curve.redraw()
        x_follow.follow(limit=700)
        seen.add(tuple(view.viewRange()[0]))
        assert view.viewRange()[0][1] >= min(step + 1, 700)
    assert seen == {(0, 100), (0, 200), (0, 500), (0, 700)}  # few changes, so few label re-renders


def test_y_follows_the_data_rounded_out(plot):
    curve = StreamingCurve(plot.plot())
    y_follow = RangeFollower(plot, 1)
    curve.extend(np.arange(3.0), np.array([263.0, 301.0, 548.0]))
    curve.redraw()
    y_follow.follow()
    low, high = plot.getPlotItem().getViewBox().viewRange()[1]
    assert low <= 263 and high >= 548 and (low, high) == pytest.approx((250, 550))


def test_a_user_zoom_ends_the_following(plot):
    curve = StreamingCurve(plot.plot())
    x_follow = RangeFollower(plot, 0)
    view = plot.getPlotItem().getViewBox()
    view.setXRange(10, 20, padding=0)  # the user zooms in
    curve.extend(np.array([500.0]), np.array([1.0]))
    curve.redraw()
    x_follow.follow()
    assert view.viewRange()[0] == pytest.approx([10, 20])
    x_follow.reset()  # a new run follows again
    x_follow.follow()
    assert view.viewRange()[0] == pytest.approx([0, 1000])


@pytest.fixture
def streaming_dashboard(qtbot, monkeypatch):
    """A shown Train area at the start of a 50-epoch run, fed batch blocks directly as the worker's signal would."""
    from vae_explorer.gui.dashboard import TrainingDashboard
    from vae_explorer.ml.progress import TrainingPlan

    d = TrainingDashboard()
    qtbot.addWidget(d)
    d.resize(1300, 800)
    d.show()
    monkeypatch.setattr(d, "_stale", lambda: False)
    d._on_started(TrainingPlan(epochs=50, initial_epoch=0, steps_per_epoch=469, n_train=60000,
                               n_validation=10000, batch_size=128))
    return d


def test_dashboard_plot_ranges_settle_while_batches_stream(streaming_dashboard, qtbot):
    """Once the data stays inside the views, no axis is re-ranged again (each change re-renders labels).

    Found with benchmarks/gui_stall.py: the time plot's y range flipped between (0, 2000) and (50, 90)
    on every update. The narrower labels of one range shifted the x-linked view, which clipped the
    first (slow) batch out of view, which changed the range back.
    """
    d = streaming_dashboard
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
        d._on_batches(np.column_stack([steps, steps // 469, losses, losses - 8, np.full(3, 8.0), times]))
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


def test_at_most_one_plot_range_moves_per_block_of_batches_and_all_catch_up(streaming_dashboard):
    """At a run's start every range moves at once; moving all three in one event-loop pass (three axes
    re-rendered, three plots repainted) held the loop 52-72 ms. The followers take turns instead."""
    d = streaming_dashboard
    views = [p.getPlotItem().getViewBox() for p in (d.loss_plot, d.kl_plot, d.time_plot)]

    def ranges():
        return [tuple(round(v, 6) for axis in view.viewRange() for v in axis) for view in views]

    before = ranges()
    moved_per_block = []
    for step in range(40):  # loss falls, KL rises, batch times settle: every range has to move
        row = [step, 0, 540 - 6 * step, 535 - 6 * step, 0.2 * step, 2000.0 if step == 0 else 40 + step % 5]
        d._on_batches(np.array([row], dtype=float))
        after = ranges()
        moved_per_block.append(sum(a != b for a, b in zip(before, after)))
        before = after
    assert max(moved_per_block) == 1 and sum(moved_per_block) >= 3
    for view, curve in zip(views, ("total_loss", "kl_loss", "training_time")):
        (_, _), (low, high) = view.viewRange()
        y = d.curves[curve].values()[1][-10:]
        assert low <= y.min() and y.max() <= high, f"{curve}'s view caught up with its data"
    d._on_batches(np.array([[40, 0, 200.0, 195.0, 30.0, 42.0]]))  # loss and KL leave their ranges at once
    assert sum(a != b for a, b in zip(before, ranges())) == 1
    d._on_paused()  # a pause (or the run's end) moves every range the data has left
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
        from vae_explorer.gui.dashboard import TrainingDashboard
        from vae_explorer.ml.progress import TrainingPlan
        d = TrainingDashboard()
        d.show()
        d._stale = lambda: False
        d._on_started(TrainingPlan(epochs=2, initial_epoch=0, steps_per_epoch=10, n_train=1280,
                                   n_validation=100, batch_size=128))
        app.processEvents()
        before = set(sys.modules)
        d._on_batches(np.array([[0, 0, 540.0, 535.0, 0.5, 2000.0]]))
        app.processEvents()
        print(sorted(set(sys.modules) - before))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_typical_bounds_leave_rare_slow_outliers_out(plot):
    from vae_explorer.gui.plots import typical_bounds

    curve = StreamingCurve(plot.plot())
    assert typical_bounds(curve) is None
    curve.extend(np.arange(5.0), np.array([1900.0, 30.0, 32.0, np.nan, 28.0]))
    assert typical_bounds(curve) == (28.0, 32.0)
