"""pyqtgraph helpers: a streaming curve over a doubling NumPy buffer, image mosaics, and the views' menus."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import numpy.ma  # noqa: F401  np.median imports it on first use: at window start-up, not on the first batch
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtGui import QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QGraphicsItem, QMenu

pg.setConfigOptions(imageAxisOrder="row-major", antialias=False)

# One colour per garment class, wherever classes are drawn (matplotlib's tab10).
CLASS_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")


class StreamingCurve:
    """Points appended in blocks to a buffer that grows by doubling (pyqtgraph's scrollingPlots idiom)."""

    def __init__(self, curve: pg.PlotDataItem, capacity: int = 4096) -> None:
        self.curve = curve
        self.x = np.empty(capacity)
        self.y = np.empty(capacity)
        self.n = 0
        self.smoothing = 0  # moving-average window in points; 0 or 1 = raw

    def extend(self, x: np.ndarray, y: np.ndarray) -> None:
        k = len(x)
        if self.n + k > len(self.x):
            size = max(2 * len(self.x), self.n + k)
            self.x = np.resize(self.x, size)
            self.y = np.resize(self.y, size)
        self.x[self.n : self.n + k] = x
        self.y[self.n : self.n + k] = y
        self.n += k

    def values(self) -> tuple[np.ndarray, np.ndarray]:
        return self.x[: self.n], self.y[: self.n]

    def redraw(self) -> None:
        x, y = self.values()
        if self.smoothing > 1 and self.n >= 2:
            y = moving_average(y, self.smoothing)
        self.curve.setData(x, y)

    def clear(self) -> None:
        self.n = 0
        self.curve.setData([], [])


def cache_static_parts(item: pg.PlotItem) -> None:
    """Let Qt keep the axes, title and legend as pixmaps between repaints (QGraphicsItem's cache).

    pyqtgraph replays each axis' QPicture (its labels' text) on every repaint of the view; with the
    cache they are redrawn only when their range or text changes.
    """
    cache = QGraphicsItem.CacheMode.DeviceCoordinateCache
    for name in ("left", "bottom", "right", "top"):
        item.getAxis(name).setCacheMode(cache)
    item.titleLabel.setCacheMode(cache)
    if item.legend is not None:
        item.legend.setCacheMode(cache)


def fix_tick_label_width(item: pg.PlotItem, widest: str = "-8888.8") -> None:
    """Reserve room for tick labels as wide as `widest` on the left axis, instead of pyqtgraph's default
    of growing and shrinking the axis with its labels.

    A width that follows the labels moves the view box whenever the labels change (300 -> 1000); in
    x-linked plots that shifts the linked views' x range, and with clip-to-view that can hide points and
    change the labels back: the Train area's time plot flipped between two ranges on every update
    (benchmarks/gui_stall.py, tests/gui/train/test_loss_plots.py).
    """
    axis = item.getAxis("left")
    metrics = QFontMetrics(axis.style["tickFont"] or axis.font())
    axis.setStyle(autoExpandTextSpace=False, tickTextWidth=metrics.horizontalAdvance(widest))


BOTTOM_CLEAR_PX = 4  # a followed y range keeps its lowest point this far above the bottom edge


class RangeFollower:
    """Keeps one axis of a plot around its data in coarse, round steps, until the user moves the view.

    x (axis 0) runs from 0 to the next of 1, 2, 5, 10, 20, … past the data, at least `minimum_end`,
    capped at `limit` (the run's length, so a run shorter than `minimum_end` fills the width); y (axis
    1) spans the data rounded out to a tenth of its extent, and higher where `top_clear_px` asks for a
    free band at the top. Either changes only when the data leaves it, so the axis labels are
    re-rendered rarely. A zoom or pan by the user ends the following (until `reset`); pyqtgraph's
    auto-range button takes over as usual.
    """

    def __init__(self, plot: pg.PlotWidget, axis: int, minimum_end: float = 100.0,
                 bounds: Callable[[], tuple[float, float] | None] | None = None,
                 top_clear_px: Callable[[], float] | None = None) -> None:
        self.view: pg.ViewBox = plot.getPlotItem().getViewBox()
        self.axis = axis
        self.minimum_end = minimum_end
        # y: pixels at the top the data stays out of (a legend's row), so no curve or marker runs under it.
        self.top_clear_px = top_clear_px
        # Where the data lies along the axis; by default all the plot's items (pyqtgraph's childrenBounds).
        self.bounds = bounds or (lambda: self.view.childrenBounds()[self.axis])
        self.range: tuple[float, float] | None = None
        self.following = True
        self.reset()
        if axis == 1:  # its clearances are pixels: a resized plot needs another range
            self.view.sigResized.connect(lambda _view: self.follow())

    def reset(self) -> None:
        self.following = True
        self.view.enableAutoRange(axis=self.axis, enable=False)
        self.range = None
        if self.axis == 0:
            self._set((0.0, self.minimum_end))

    def follow(self, limit: float | None = None) -> bool:
        """Move the axis to the data if it has left the range; True if the range changed."""
        if not self.following or self.view.autoRangeEnabled()[self.axis]:
            return False
        if self.range is not None and not _same_range(self.view.viewRange()[self.axis], self.range):
            self.following = False  # the user zoomed or panned
            return False
        bounds = self.bounds()
        if bounds is None or not all(math.isfinite(b) for b in bounds):
            return False
        low, high = float(bounds[0]), float(bounds[1])
        if self.axis == 0:
            end = self.minimum_end if high < self.minimum_end else nice_ceiling(1.2 * (high + 1))
            if limit is not None:  # a short run fills the width instead of its first part
                end = min(end, float(limit))
            wanted = (0.0, end)
        else:
            step = nice_ceiling((high - low) / 10) if high > low else max(abs(high) * 0.1, 1e-3)
            wanted = (math.floor(low / step) * step, math.ceil(high / step) * step)
            if wanted[0] == wanted[1]:
                wanted = (wanted[0] - step, wanted[1] + step)
            height = self.view.height()
            if height > 4 * BOTTOM_CLEAR_PX:  # a lowest point on the frame's edge looks cut off
                bottom = low - (high - low) * BOTTOM_CLEAR_PX / height
                wanted = (min(wanted[0], math.floor(bottom / step) * step), wanted[1])
            clear = self.top_clear_px() if self.top_clear_px is not None else 0.0
            if 0 < clear < height / 2:  # the data's top at `clear` px below the view's, rounded up to a step
                top = high + (high - wanted[0]) * clear / (height - clear)
                wanted = (wanted[0], max(wanted[1], math.ceil(top / step) * step))
        if self.range is None or not _same_range(wanted, self.range):
            self._set(wanted)
            return True
        return False

    def _set(self, wanted: tuple[float, float]) -> None:
        self.range = wanted
        if self.axis == 0:
            self.view.setXRange(*wanted, padding=0.0)
        else:
            self.view.setYRange(*wanted, padding=0.0)


class LocaleAxis(pg.AxisItem):
    """An axis whose tick labels take the locale's decimal mark and minus sign, as the window's other
    numbers do (0,5 in Brazil); pyqtgraph chooses the ticks and their digits."""

    def tickStrings(self, values, scale, spacing):
        locale = QLocale()
        marks = str.maketrans({".": locale.decimalPoint(), "-": locale.negativeSign()})
        return [text.translate(marks) for text in super().tickStrings(values, scale, spacing)]


def locale_axes() -> dict[str, LocaleAxis]:
    """The `axisItems` of a plot whose left and bottom axes write numbers as the locale does."""
    return {"left": LocaleAxis("left"), "bottom": LocaleAxis("bottom")}


class LogFriendlyAxis(LocaleAxis):
    """An axis that keeps labelled ticks on a log scale when the range spans less than a decade.

    pyqtgraph labels a log axis at powers of ten and its minor ticks by their leading digit only, so
    losses between 290 and 345 showed a single "3·10²". Within a decade this axis puts round values
    (300, 320, 340) at their logarithms instead; wider ranges keep pyqtgraph's own ticks.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._within_decade = False

    def logTickValues(self, minVal, maxVal, size, stdTicks):
        self._within_decade = maxVal - minVal < 1.0
        if not self._within_decade:
            return super().logTickValues(minVal, maxVal, size, stdTicks)
        low, high = 10.0**minVal, 10.0**maxVal
        step = nice_ceiling((high - low) / 4)
        values = np.arange(math.ceil(low / step) * step, high, step)
        return [(None, list(np.log10(values[values > 0])))]

    def logTickStrings(self, values, scale, spacing):
        if self._within_decade:
            return [f"{10.0**v * scale:.4g}" for v in values]
        return super().logTickStrings(values, scale, spacing)


def typical_bounds(curve: StreamingCurve, factor: float = 5.0) -> tuple[float, float] | None:
    """Bounds of a curve's values up to `factor` times their median: rare slow outliers (the first batch,
    which traces the step, takes many times as long as the rest) run off the top instead of flattening the rest."""
    y = curve.values()[1]
    y = y[np.isfinite(y)]
    if not len(y):
        return None
    typical = y[y <= factor * np.median(y)]
    return float(typical.min()), float(typical.max())


def _same_range(a, b) -> bool:
    scale = max(abs(b[1] - b[0]), 1e-12)
    return abs(a[0] - b[0]) <= 1e-6 * scale and abs(a[1] - b[1]) <= 1e-6 * scale


def nice_ceiling(value: float) -> float:
    """The smallest of …, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, … that is >= value (value > 0)."""
    exponent = math.floor(math.log10(value))
    for mantissa in (1, 2, 5, 10):
        candidate = mantissa * 10.0**exponent
        if candidate >= value * (1 - 1e-12):
            return candidate
    return 10.0 ** (exponent + 1)


def moving_average(y: np.ndarray, window: int) -> np.ndarray:
    """Trailing mean over up to `window` points (shorter at the start), same length as y."""
    cumsum = np.cumsum(np.insert(y, 0, 0.0))
    idx = np.arange(1, len(y) + 1)
    start = np.maximum(idx - window, 0)
    return (cumsum[idx] - cumsum[start]) / (idx - start)


def image_view(widget: pg.GraphicsLayoutWidget) -> tuple[pg.ViewBox, pg.ImageItem]:
    """One aspect-locked, y-down ViewBox holding one ImageItem (pyqtgraph's ImageItem example); its
    right-click menu copies the picture."""
    view = widget.addViewBox(lockAspect=True, invertY=True, enableMouse=False)
    item = pg.ImageItem(levels=(0.0, 1.0))
    view.addItem(item)
    picture_menu(widget, view, show_all=False)
    return view, item


def picture_menu(widget: pg.GraphicsView, view: pg.ViewBox, save: Callable[[], None] | None = None,
                 show_all: bool = True) -> QMenu:
    """The right-click menu of a view: Show all (the view's range around all it holds), Copy picture (the
    widget as drawn, to the clipboard), and Save picture… where `save` is given. It stands in for
    pyqtgraph's, whose plot options (transforms, FFT, log axes, mouse modes) and export dialog sit in
    English beside the window's own controls and a translated interface."""
    if isinstance(widget, pg.PlotWidget):
        widget.getPlotItem().setMenuEnabled(False, enableViewBoxMenu=None)  # its Plot Options submenu
    widget.scene().contextMenu = []  # pyqtgraph's Export… entry, added under every menu of the scene
    menu = view.menu
    for action in menu.actions():  # hidden, not removed: pyqtgraph keeps updating the widgets they hold
        action.setVisible(False)
    if show_all:
        menu.addAction(QCoreApplication.translate("PictureMenu", "Show all"), view.autoRange)
    menu.addAction(QCoreApplication.translate("PictureMenu", "Copy picture"),
                   lambda: QGuiApplication.clipboard().setPixmap(widget.grab()))
    if save is not None:
        menu.addAction(QCoreApplication.translate("PictureMenu", "Save picture…"), save)
    return menu
