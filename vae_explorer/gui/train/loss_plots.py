"""The Train area's live plots: per-batch total_loss and ce_loss, kl_loss, and time per batch, with
per-epoch validation markers, epoch boundaries, smoothing, a log scale and a readout of the batch under
the pointer."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QSplitter, QToolTip, QVBoxLayout, QWidget

from vae_explorer.gui.inputs import spin_box
from vae_explorer.gui.labels import ElidedLabel
from vae_explorer.gui.numbers import number, separator
from vae_explorer.gui.plots import (
    LocaleAxis,
    LogFriendlyAxis,
    RangeFollower,
    StreamingCurve,
    cache_static_parts,
    fix_tick_label_width,
    moving_average,
    picture_menu,
    typical_bounds,
)
from vae_explorer.ml.progress import BatchMetrics, EpochMetrics

COLOURS = {"total_loss": "#1f77b4", "ce_loss": "#ff7f0e", "kl_loss": "#2ca02c", "training_time": "#7f7f7f"}
# Columns of the blocks the training worker sends (workers.training.BATCH_COLUMNS).
BLOCK_COLUMNS = {"total_loss": 2, "ce_loss": 3, "kl_loss": 4, "training_time": 5}
MEDIAN_OVER = 500  # batches in the running median of the time per batch
TYPICAL_FACTOR = 5.0  # batch times above this many medians run off the top of their plot


def _plot(title: str, legend_columns: int) -> pg.PlotWidget:
    widget = pg.PlotWidget(title=title, axisItems={"left": LogFriendlyAxis("left"), "bottom": LocaleAxis("bottom")})
    item = widget.getPlotItem()
    # One row along the top, off the curves' way; its dark backing keeps the labels readable where an
    # epoch line runs under them (a short run's last one is at the right edge).
    legend = item.addLegend(offset=(-10, 4), colCount=legend_columns, brush=pg.mkBrush(0, 0, 0, 200))
    legend.setZValue(1e6)
    legend.layout.setContentsMargins(4, 1, 4, 1)  # pyqtgraph's 9 px all round made the row 40 px tall
    item.showGrid(x=True, y=True, alpha=0.2)
    item.setDownsampling(auto=True, mode="peak")
    item.setClipToView(True)
    fix_tick_label_width(item)
    cache_static_parts(item)
    picture_menu(widget, item.getViewBox())
    return widget


def _legend_band(plot: pg.PlotWidget):
    """The height of the plot's legend row and its offset: the data stays below it (a short run's last
    points reach the right edge, where the legend is)."""
    legend = plot.getPlotItem().legend
    return lambda: legend.pos().y() + legend.boundingRect().height() + 2


class LossPlots(QWidget):
    """`add_batches(block)` streams points in; `mark_epoch` draws an epoch's end and its validation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run_length: int | None = None  # batches in the whole run: the x axis stops there
        self.steps_per_epoch: int | None = None  # for the readout's epoch and step
        self.smooth = QCheckBox(self.tr("Smooth"))
        self.smooth.setToolTip(self.tr("Moving average over the chosen number of batches"))
        self.smooth_window = spin_box(2, 1000, 25, self.tr("Batches in the moving average"))
        self.log_y = QCheckBox(self.tr("Log scale"))
        self.smooth.toggled.connect(lambda _on: self.redraw())
        self.smooth_window.valueChanged.connect(lambda _n: self.redraw())
        self.log_y.toggled.connect(self._set_log)
        self.median_label = ElidedLabel(self.tr("median: –"))  # grows with the run: never the window's width
        controls = QHBoxLayout()
        for w in (self.smooth, self.smooth_window, self.log_y):
            controls.addWidget(w)
        controls.addStretch(1)
        controls.addWidget(self.median_label)

        self.loss_plot = _plot(self.tr("Loss per batch (nats per image)"), 4)
        self.kl_plot = _plot(self.tr("KL divergence per batch (nats)"), 2)
        self.time_plot = _plot(self.tr("Training time per batch (ms)"), 1)
        self.plots = (self.loss_plot, self.kl_plot, self.time_plot)
        self.kl_plot.setXLink(self.loss_plot)
        self.time_plot.setXLink(self.loss_plot)
        self.time_plot.setLabel("bottom", self.tr("batch"))
        for p in (self.loss_plot, self.kl_plot):  # one shared batch axis, labelled under the last plot
            p.getAxis("bottom").setStyle(showValues=False)
        for p in (self.kl_plot, self.time_plot):  # linked to the loss plot's x; never auto-ranged alone
            p.getPlotItem().enableAutoRange(x=False)
        where = {"total_loss": self.loss_plot, "ce_loss": self.loss_plot, "kl_loss": self.kl_plot,
                 "training_time": self.time_plot}
        self.curves = {key: StreamingCurve(plot.plot(pen=COLOURS[key], name=key)) for key, plot in where.items()}
        # The views follow the data in coarse steps rather than pyqtgraph's per-update auto-range: an
        # axis whose range changes re-renders its labels, and three plots re-ranged on every batch
        # stalled the event loop (docs/design.md). Batch times: the first batch of a run traces the
        # step and takes far longer than the rest; it runs off the top.
        self._next_follower = 0  # whose range may move first on the next block
        self.followers = [
            RangeFollower(self.loss_plot, 0),
            RangeFollower(self.loss_plot, 1, top_clear_px=_legend_band(self.loss_plot)),
            RangeFollower(self.kl_plot, 1, top_clear_px=_legend_band(self.kl_plot)),
            RangeFollower(self.time_plot, 1, bounds=lambda: typical_bounds(self.curves["training_time"], TYPICAL_FACTOR),
                          top_clear_px=_legend_band(self.time_plot)),
        ]
        self.val_markers = {
            "total_loss": self.loss_plot.plot(pen=None, symbol="o", symbolBrush=COLOURS["total_loss"], symbolSize=9, name=self.tr("validation total")),
            "ce_loss": self.loss_plot.plot(pen=None, symbol="s", symbolBrush=COLOURS["ce_loss"], symbolSize=8, name=self.tr("validation ce")),
            "kl_loss": self.kl_plot.plot(pen=None, symbol="o", symbolBrush=COLOURS["kl_loss"], symbolSize=9, name=self.tr("validation kl")),
        }
        self.validation_points: dict[str, list[tuple[float, float]]] = {k: [] for k in self.val_markers}
        # The pointer's batch: a line through all three plots and its values in a tooltip (total_loss
        # lies on ce_loss when KL is small, so the curves alone cannot tell them apart).
        self.cursor_lines = []
        for p in self.plots:
            line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen("#e0e0e0", width=1))
            line.setZValue(1e5)
            line.hide()
            p.addItem(line, ignoreBounds=True)
            self.cursor_lines.append(line)
            p.scene().sigMouseMoved.connect(lambda pos, plot=p: self._point_at(plot, pos))
            p.viewport().installEventFilter(self)
        self._viewports = [p.viewport() for p in self.plots]
        self.readout = ""  # the tooltip's text; empty while the pointer is off the plots
        splitter = QSplitter(Qt.Orientation.Vertical)
        for p in self.plots:
            splitter.addWidget(p)
        splitter.setSizes([400, 220, 180])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(splitter, 1)

    @property
    def batch_count(self) -> int:
        return self.curves["total_loss"].n

    def clear(self) -> None:
        for curve in self.curves.values():
            curve.clear()
        for key, marker in self.val_markers.items():
            marker.setData([], [])
            self.validation_points[key] = []
        for p in self.plots:
            for item in [i for i in p.getPlotItem().items if isinstance(i, pg.InfiniteLine) and i not in self.cursor_lines]:
                p.removeItem(item)
        self._hide_readout()
        self.median_label.setText(self.tr("median: –"))
        for follower in self.followers:
            follower.reset()

    def add_batches(self, block: np.ndarray) -> float:
        """Append a block of batches (columns as the worker sends them); returns the running median of
        the time per batch in ms. At most one plot range moves per block (see `redraw`)."""
        x = block[:, 0]
        for key, column in BLOCK_COLUMNS.items():
            self.curves[key].extend(x, block[:, column])
        self.redraw(one_range_change=True)
        times = self.curves["training_time"].values()[1]
        median = float(np.median(times[-MEDIAN_OVER:]))
        text = self.tr("median: {ms} ms/batch").format(ms=number(median, 1))
        if times[0] > TYPICAL_FACTOR * median:  # the step's tracing: off the top of the plot (typical_bounds)
            text += self.tr(" · first batch {ms} ms (tracing the step)").format(ms=number(times[0]))
        self.median_label.setText(text)
        return median

    def mark_epoch(self, m: EpochMetrics, steps_per_epoch: int) -> None:
        """The epoch's end as a dashed line on every plot, and its validation losses as markers."""
        x = (m.epoch + 1) * steps_per_epoch - 1
        for p in self.plots:
            p.addItem(pg.InfiniteLine(pos=x + 0.5, angle=90, pen=pg.mkPen("#999", style=Qt.PenStyle.DashLine)))
        for key, value in (("total_loss", m.val_total_loss), ("ce_loss", m.val_ce_loss), ("kl_loss", m.val_kl_loss)):
            self.validation_points[key].append((x, value))
            xs, ys = zip(*self.validation_points[key])
            self.val_markers[key].setData(xs, ys)

    def redraw(self, one_range_change: bool = False) -> None:
        """Redraw the curves and move the ranges the data has left. While batches stream, at most one
        range moves per block (the followers take turns): each move re-renders an axis' labels and
        repaints its plot, and at the start of a run, when every range moves, doing all at once held
        the event loop (docs/design.md); the others follow with the next block."""
        window = self.smooth_window.value() if self.smooth.isChecked() else 0
        for key, curve in self.curves.items():
            curve.smoothing = window if key != "training_time" else 0
            curve.redraw()
        count = len(self.followers)
        for i in range(count):
            k = (self._next_follower + i) % count
            if self.followers[k].follow(limit=self.run_length) and one_range_change:
                self._next_follower = (k + 1) % count
                break

    def _set_log(self, on: bool) -> None:
        for p in (self.loss_plot, self.kl_plot):
            p.setLogMode(y=on)

    def batches(self, steps_per_epoch: int) -> list[BatchMetrics]:
        """Every batch plotted, as the trainer reported it (epoch and step from the global step)."""
        x, total = self.curves["total_loss"].values()
        ce, kl, ms = (self.curves[k].values()[1] for k in ("ce_loss", "kl_loss", "training_time"))
        out = []
        for g, values in zip(x.astype(int), zip(total, ce, kl, ms)):
            epoch, step = divmod(int(g), steps_per_epoch) if steps_per_epoch else (0, int(g))
            out.append(BatchMetrics(epoch, step, int(g), *(float(v) for v in values)))
        return out

    # --- the readout of the batch under the pointer ---------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched in self._viewports:
            if event.type() == QEvent.Type.Leave:
                self._hide_readout()
            elif event.type() == QEvent.Type.ToolTip and self.readout:
                return True  # the scene would hide the readout: none of its items has a tooltip
        return super().eventFilter(watched, event)

    def _point_at(self, plot: pg.PlotWidget, scene_pos: QPointF) -> None:
        view = plot.getPlotItem().getViewBox()
        index = self._nearest_batch(view, scene_pos)
        if index is None:
            self._hide_readout()
            return
        x = float(self.curves["total_loss"].values()[0][index])
        for line in self.cursor_lines:
            line.setValue(x)
            line.show()
        self.readout = self.batch_text(index)
        QToolTip.showText(plot.mapToGlobal(plot.mapFromScene(scene_pos)), self.readout, plot)

    def _nearest_batch(self, view: pg.ViewBox, scene_pos: QPointF) -> int | None:
        """The plotted batch nearest the pointer along x, if the pointer is in the view and a batch is in sight."""
        if not view.sceneBoundingRect().contains(scene_pos):
            return None
        xs = self.curves["total_loss"].values()[0]
        if not len(xs):
            return None
        x = view.mapSceneToView(scene_pos).x()
        i = int(np.clip(np.searchsorted(xs, x), 1, len(xs) - 1)) if len(xs) > 1 else 0
        if len(xs) > 1 and abs(xs[i - 1] - x) <= abs(xs[i] - x):
            i -= 1
        (x0, x1), _ = view.viewRange()
        return i if x0 <= xs[i] <= x1 else None

    def batch_text(self, index: int) -> str:
        """One batch's values as the readout shows them: raw, and smoothed beside them when smoothing is on."""
        g = int(self.curves["total_loss"].values()[0][index])
        if self.steps_per_epoch:
            epoch, step = divmod(g, self.steps_per_epoch)
            lines = [self.tr("batch {g} · epoch {epoch}, step {step}").format(g=g, epoch=epoch + 1, step=step + 1)]
        else:
            lines = [self.tr("batch {g}").format(g=g)]
        window = self.smooth_window.value() if self.smooth.isChecked() else 0
        for key, curve in self.curves.items():
            y = curve.values()[1]
            unit = " ms" if key == "training_time" else ""
            text = f"{key} {number(y[index], 2)}{unit}"
            if window > 1 and key != "training_time":
                smoothed = moving_average(y[max(0, index - window + 1): index + 1], window)[-1]
                text += self.tr(" (smoothed {value})").format(value=number(smoothed, 2))
            lines.append(text)
        at_epoch_end = [(key, v) for key, points in self.validation_points.items() for x, v in points if int(x) == g]
        if at_epoch_end:
            lines.append(self.tr("validation: {values}").format(
                values=separator().join(f"{key} {number(v, 2)}" for key, v in at_epoch_end)))
        return "\n".join(lines)

    def _hide_readout(self) -> None:
        for line in self.cursor_lines:
            line.hide()
        if self.readout:
            QToolTip.hideText()
        self.readout = ""
