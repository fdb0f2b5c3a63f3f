"""pyqtgraph helpers: a streaming curve over a doubling NumPy buffer, and image mosaics."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

pg.setConfigOptions(imageAxisOrder="row-major", antialias=False)


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


def moving_average(y: np.ndarray, window: int) -> np.ndarray:
    """Trailing mean over up to `window` points (shorter at the start), same length as y."""
    cumsum = np.cumsum(np.insert(y, 0, 0.0))
    idx = np.arange(1, len(y) + 1)
    start = np.maximum(idx - window, 0)
    return (cumsum[idx] - cumsum[start]) / (idx - start)


def image_view(widget: pg.GraphicsLayoutWidget) -> tuple[pg.ViewBox, pg.ImageItem]:
    """One aspect-locked, y-down ViewBox holding one ImageItem (pyqtgraph's ImageItem example)."""
    view = widget.addViewBox(lockAspect=True, invertY=True, enableMouse=False)
    item = pg.ImageItem(levels=(0.0, 1.0))
    view.addItem(item)
    return view, item
