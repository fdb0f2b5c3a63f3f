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


def test_a_run_shorter_than_the_first_range_fills_the_width(plot):
    curve = StreamingCurve(plot.plot())
    x_follow = RangeFollower(plot, 0)
    view = plot.getPlotItem().getViewBox()
    curve.extend(np.arange(12.0), np.ones(12))
    curve.redraw()
    x_follow.follow(limit=30)
    assert view.viewRange()[0] == pytest.approx([0, 30])
    curve.extend(np.arange(12.0, 30.0), np.ones(18))
    curve.redraw()
    assert not x_follow.follow(limit=30)  # the whole run was in view from the start


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


def test_typical_bounds_leave_rare_slow_outliers_out(plot):
    from vae_explorer.gui.plots import typical_bounds

    curve = StreamingCurve(plot.plot())
    assert typical_bounds(curve) is None
    curve.extend(np.arange(5.0), np.array([1900.0, 30.0, 32.0, np.nan, 28.0]))
    assert typical_bounds(curve) == (28.0, 32.0)


def test_the_views_menu_shows_all_copies_and_saves_the_picture_in_place_of_pyqtgraphs(plot, qtbot):
    from PySide6.QtGui import QGuiApplication

    from vae_explorer.gui.plots import image_view, picture_menu

    saved = []
    curve = plot.plot(np.arange(10.0), np.arange(10.0) ** 2)
    menu = picture_menu(plot, plot.getViewBox(), lambda: saved.append(True))
    shown = [a for a in menu.actions() if a.isVisible()]
    assert [a.text() for a in shown] == ["Show all", "Copy picture", "Save picture…"]
    assert not plot.getPlotItem().menuEnabled() and plot.scene().contextMenu == [], \
        "no Plot Options submenu, no Export… entry added under it"
    plot.resize(300, 200)
    plot.show()
    plot.setRange(xRange=(2, 3), yRange=(4, 9))  # pyqtgraph still updates its hidden axis widgets: no error
    shown[0].trigger()
    (x0, x1), (y0, y1) = plot.getViewBox().viewRange()
    assert x0 <= 0 and x1 >= 9 and y0 <= 0 and y1 >= 81, "Show all: the view holds every point again"
    shown[1].trigger()
    copied = QGuiApplication.clipboard().image()
    assert (copied.width(), copied.height()) == (plot.grab().width(), plot.grab().height())
    shown[2].trigger()
    assert saved == [True] and curve is not None
    pictures = pg.GraphicsLayoutWidget()
    qtbot.addWidget(pictures)
    view, _ = image_view(pictures)
    assert [a.text() for a in view.menu.actions() if a.isVisible()] == ["Copy picture"]


@pytest.mark.parametrize("locale, written", [("pt_BR", ["-0,5", "0", "0,5", "1,0"]), ("C", ["-0.5", "0", "0.5", "1.0"])])
def test_axis_ticks_take_the_locales_decimal_mark(in_locale, locale, written):
    from vae_explorer.gui.plots import LocaleAxis, LogFriendlyAxis

    in_locale(locale)
    assert LocaleAxis("left").tickStrings([-0.5, 0.0, 0.5, 1.0], 1.0, 0.5) == written
    log_axis = LogFriendlyAxis("left")
    log_axis.setLogMode(False, True)
    log_axis.logTickValues(np.log10(290.0), np.log10(345.0), 200, [])  # within a decade: round values
    expected = ["2,5", "300"] if locale == "pt_BR" else ["2.5", "300"]
    assert log_axis.tickStrings([np.log10(2.5), np.log10(300.0)], 1.0, 0.1) == expected
