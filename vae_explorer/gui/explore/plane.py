"""The latent plane: click, drag or hover to decode; the encoded test set by class; a decoded backdrop;
the axes (two latent dimensions, or principal components) and sliders for the dimensions off the plane."""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGraphicsItem,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from vae_explorer.config import NUM_CLASSES
from vae_explorer.gui.explore.panel import ExplorePanel
from vae_explorer.gui.names import class_names
from vae_explorer.gui.numbers import number
from vae_explorer.gui.pictures import pixmap
from vae_explorer.gui.plots import CLASS_COLOURS, locale_axes, picture_menu
from vae_explorer.ml.images import sharpen, tile

PICKER_ICON = 24  # pixels per side of the class picker's decoded garments
BACKDROP_PER_SIDE = 20
SLIDER_STEPS_PER_UNIT = 100  # slider values are hundredths of a standard deviation of the prior
KEY_STEP, KEY_STEP_LARGE = 0.1, 0.5  # an arrow key's move of the point on the plane, and with Shift


def encoded_test_set(vae):
    """From the card; else encode the test set (needs the dataset). Runs on a worker."""
    found = vae.test_latents()
    if found is not None:
        return found
    from vae_explorer.ml.data import load_fashion_mnist  # only for a model whose card lacks them

    data = load_fashion_mnist()
    means, _ = vae.encode(data.test_images)
    return means, data.test_labels


class LatentViewBox(pg.ViewBox):
    """Left click or left drag picks a point; Shift+left or middle drag pans, right drag and wheel zoom."""

    point_picked = Signal(float, float)

    def _picks(self, ev) -> bool:
        return ev.button() == Qt.MouseButton.LeftButton and not (ev.modifiers() & Qt.KeyboardModifier.ShiftModifier)

    def _pick(self, ev) -> None:
        ev.accept()
        p = self.mapSceneToView(ev.scenePos())
        self.point_picked.emit(p.x(), p.y())

    def mouseClickEvent(self, ev):
        if self._picks(ev):
            self._pick(ev)
        else:
            super().mouseClickEvent(ev)

    def mouseDragEvent(self, ev, axis=None):
        if self._picks(ev):
            self._pick(ev)
        elif ev.button() == Qt.MouseButton.LeftButton:  # Shift+drag: pan, whatever the mouse mode
            ev.accept()
            self.translateBy(-(self.mapSceneToView(ev.scenePos()) - self.mapSceneToView(ev.lastScenePos())))
        else:
            super().mouseDragEvent(ev, axis)


class Markers(pg.ScatterPlotItem):
    """Points that let clicks through to the plane: a click on a dense cluster still picks that point."""

    def mouseClickEvent(self, ev):
        ev.ignore()


class ClassSample(pg.ItemSample):
    """A legend entry's sample: a dot as large as the label's text (pyqtgraph draws the 3-px point
    itself), hollow while the class is hidden by a click on its entry."""

    def paint(self, p, *args):
        colour = pg.mkBrush(self.item.opts["brush"]).color()
        p.setRenderHint(p.RenderHint.Antialiasing)
        p.setPen(pg.mkPen(colour, width=1.5))
        p.setBrush(pg.mkBrush(colour) if self.item.isVisible() else pg.mkBrush(None))
        p.drawEllipse(5, 5, 10, 10)


class ClassLegend(pg.LegendItem):
    """A click on a class's name hides or shows its points as a click on its dot does; no click on the
    legend reaches the plane behind it (it decoded the point under the names)."""

    def mouseClickEvent(self, ev):
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()  # a right click still opens the plane's menu
            return
        ev.accept()
        for sample, label in self.items:
            if sample.sceneBoundingRect().contains(ev.scenePos()) or label.sceneBoundingRect().contains(ev.scenePos()):
                sample.mouseClickEvent(ev)
                return


class PlanePanel(ExplorePanel):
    """The plane widget and its controls; `plot` and `view_box` are pyqtgraph's, for tests and benchmarks."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.view_box = LatentViewBox()
        self.plot = pg.PlotWidget(viewBox=self.view_box, title=self.tr("Latent plane: click or drag to decode"),
                                  axisItems=locale_axes())
        self.plot.setAcceptDrops(False)
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        picture_menu(self.plot, self.view_box, self.choose_png)
        self.view_box.setAspectLocked(True)
        # Two columns: half the height over the plane. A click on a class's entry hides or shows it.
        self.legend = ClassLegend(offset=(-5, 5), labelTextSize="8pt", labelTextColor="k", colCount=2,
                                  sampleType=ClassSample)
        self.legend.setParentItem(self.view_box)
        self.plot.getPlotItem().legend = self.legend  # so items added with a name join it, as addLegend's would
        self.legend.setBrush(pg.mkBrush(255, 255, 255, 200))
        self.legend.setToolTip(self.tr("Click a class to hide or show its points"))
        self.backdrop = pg.ImageItem()
        self.backdrop.setZValue(-10)
        self.backdrop.setOpacity(0.55)
        self.backdrop.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.plot.addItem(self.backdrop)
        self.class_scatter = []
        for c, name in enumerate(class_names()):
            item = Markers(size=3, pen=None, brush=pg.mkBrush(CLASS_COLOURS[c]), name=name)
            # many points that do not move while the crosshair does: Qt keeps them as a pixmap
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            self.plot.addItem(item)
            self.class_scatter.append(item)
        crosshair = pg.mkPen("w", width=1.5, style=Qt.PenStyle.DashLine)  # not to be taken for a grid line
        self.cross_v = pg.InfiniteLine(angle=90, pen=crosshair)
        self.cross_h = pg.InfiniteLine(angle=0, pen=crosshair)
        self.marks = Markers(size=14, pen=pg.mkPen("k", width=1.5), brush=pg.mkBrush(255, 255, 255, 230))
        self.ends = Markers(size=16, pen=pg.mkPen("k", width=1.5), brush=pg.mkBrush("#ffd700"))
        self.path = pg.PlotDataItem(pen=pg.mkPen("#ffd700", width=2, style=Qt.PenStyle.DashLine))
        self.end_labels = {which: pg.TextItem(which.upper(), color="k", fill=pg.mkBrush("#ffd700"), anchor=(-0.3, 1.2))
                           for which in ("a", "b")}
        for item in (self.cross_v, self.cross_h, self.path, self.marks, self.ends, *self.end_labels.values()):
            item.setZValue(10)
            self.plot.addItem(item, ignoreBounds=True)
        for label in self.end_labels.values():
            label.hide()  # shown where an end is set; with no model yet, none is
        self.view_box.point_picked.connect(self._on_picked)
        self.plot.scene().sigMouseMoved.connect(self._on_hover)
        self._add_key_moves()

        self.hover = QCheckBox(self.tr("Decode on hover"))
        self.hover.setToolTip(self.tr("Decode wherever the pointer is, without clicking"))
        self.backdrop_on = QCheckBox(self.tr("Decoded backdrop"))
        self.backdrop_on.setToolTip(self.tr("Show a {n}x{n} grid of decoded images behind the points").format(n=BACKDROP_PER_SIDE))
        self.backdrop_on.toggled.connect(self._refresh_backdrop)
        self.test_set_on = QCheckBox(self.tr("Test set"))
        self.test_set_on.setChecked(True)
        self.test_set_on.toggled.connect(self._show_test_set)
        self.x_dim, self.y_dim = QComboBox(), QComboBox()
        for combo in (self.x_dim, self.y_dim):
            combo.currentIndexChanged.connect(lambda _i: self._on_dims(chosen=False))
            combo.activated.connect(lambda _i: self._on_dims(chosen=True))
        self.use_pca = QCheckBox(self.tr("Principal components"))
        self.use_pca.setToolTip(self.tr("Show the plane of the first two principal components of the encoded test set"))
        self.use_pca.toggled.connect(self._on_pca_toggled)
        self.class_picker = QComboBox()  # a class-conditional model's: the class everything decodes as
        self.class_picker.addItems(class_names())
        self.class_picker.setToolTip(self.tr("The garment class the plane, the decoded point, the samples and "
                                             "the interpolation show: the latent code is its style"))
        self.class_picker.setIconSize(QSize(PICKER_ICON, PICKER_ICON))
        self.class_picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # room for the icon
        self.class_picker.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)  # a class name is never cut
        self.class_picker.currentIndexChanged.connect(self._on_class_picked)
        self.only_picked = QCheckBox(self.tr("Only this class's points"))
        self.only_picked.setToolTip(self.tr("Show the test images of the picked class only: where its styles lie"))
        self.only_picked.toggled.connect(self._show_test_set)
        self.class_row = QWidget()  # a class-conditional model's only
        class_controls = QHBoxLayout(self.class_row)
        class_controls.setContentsMargins(0, 0, 0, 0)
        for w in (QLabel(self.tr("Decode as:")), self.class_picker, self.only_picked):
            class_controls.addWidget(w)
        class_controls.addStretch(1)
        controls = QHBoxLayout()
        for w in (self.test_set_on, self.backdrop_on, self.hover):
            controls.addWidget(w)
        controls.addStretch(1)
        self.dims_row = QWidget()
        dims = QHBoxLayout(self.dims_row)
        dims.setContentsMargins(0, 0, 0, 0)
        for w in (QLabel("x:"), self.x_dim, QLabel("y:"), self.y_dim, self.use_pca):
            dims.addWidget(w)
        dims.addStretch(1)
        self.sliders_box = QGroupBox(self.tr("Other latent dimensions"))
        self.sliders_layout = QFormLayout(self.sliders_box)
        self.sliders: list[QSlider] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.class_row)
        layout.addLayout(controls)
        layout.addWidget(self.dims_row)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.sliders_box)

        self.plane.reset_event.connect(self._on_reset)
        self.plane.axes_changed.connect(self._on_axes_changed)
        self.plane.free_changed.connect(self._show_free_values)
        self.plane.free_changed.connect(self._refresh_backdrop)  # the plane's slice moved: nothing else drawn moves
        self.plane.latents_changed.connect(self._on_latents)
        self.plane.point_changed.connect(self._draw_point)
        self.plane.ends_changed.connect(self._draw_ends)
        self.plane.marks_changed.connect(self._draw_marks)
        self.plane.label_changed.connect(self._on_label_changed)
        self.plane.sharpness_changed.connect(self._on_sharpness)

    # --- the model ----------------------------------------------------------------------------------
    def _latents_arrived(self, found) -> None:
        means, labels = found
        self.plane.set_latents(means, labels)

    def _latents_failed(self, message: str) -> None:
        self.status_message.emit(self.tr("The test set could not be encoded for the plane: {reason}").format(
            reason=message.splitlines()[0]))
        self.use_pca.setEnabled(False)

    def _on_class_picked(self, index: int) -> None:
        if self.plane.label is not None and index >= 0:
            self.plane.set_label(index)

    def _on_label_changed(self, label: int) -> None:
        """The class changed here or elsewhere (a tile under the decoded point): follow it everywhere."""
        self.class_picker.blockSignals(True)
        self.class_picker.setCurrentIndex(label)
        self.class_picker.blockSignals(False)
        self._show_test_set()
        self._refresh_backdrop()

    def _refresh_picker_icons(self) -> None:
        if self.plane.label is not None:  # each class's icon: the prior's centre decoded as that class
            vae, d, k = self.vae, self.plane.latent_dim, self.plane.sharpness
            ten = np.arange(NUM_CLASSES, dtype=np.int32)
            self.tasks.submit("picker-icons", lambda: sharpen(vae.decode(np.zeros((NUM_CLASSES, d), np.float32), ten), k),
                              self._show_picker_icons)

    def _on_sharpness(self, _k: float) -> None:
        self._refresh_picker_icons()
        self._refresh_backdrop()

    def _show_picker_icons(self, images: np.ndarray) -> None:
        for k in range(NUM_CLASSES):
            self.class_picker.setItemIcon(k, QIcon(pixmap(images[k], PICKER_ICON)))

    def _on_reset(self, d: int) -> None:
        conditional = self.plane.label is not None
        self.class_row.setVisible(conditional)  # unconditional models show no picker and behave as before
        self.class_picker.blockSignals(True)
        self.class_picker.setCurrentIndex(self.plane.label or 0)
        self.class_picker.blockSignals(False)
        for k in range(NUM_CLASSES):
            self.class_picker.setItemIcon(k, QIcon())
        self._refresh_picker_icons()
        for combo in (self.x_dim, self.y_dim):
            combo.blockSignals(True)
            combo.clear()
            combo.addItems([f"z{i + 1}" for i in range(d)])
            combo.blockSignals(False)
        self.use_pca.blockSignals(True)
        self.use_pca.setChecked(False)
        self.use_pca.setEnabled(True)
        self.use_pca.blockSignals(False)
        self.dims_row.setVisible(d > 2)
        while self.sliders_layout.rowCount():
            self.sliders_layout.removeRow(0)
        self.sliders = []
        for i in range(d):
            slider = QSlider(Qt.Orientation.Horizontal)
            slider.setRange(-3 * SLIDER_STEPS_PER_UNIT, 3 * SLIDER_STEPS_PER_UNIT)  # -3 to 3 prior std
            slider.valueChanged.connect(lambda value, i=i: self._on_slider(i, value))
            self.sliders.append(slider)
            self.sliders_layout.addRow(self._slider_label(i, 0.0), slider)
        for s in self.class_scatter:
            s.setData([], [])
        self._on_axes_changed()
        vae = self.vae
        self.tasks.submit("latents", lambda: encoded_test_set(vae), self._latents_arrived, self._latents_failed)

    def choose_png(self) -> None:
        self.export_image(self.ask_png(self.tr("Save the latent plane"), "latent-plane.png"), self.plot.grab().toImage())

    @staticmethod
    def _slider_label(dim: int, value: float) -> str:
        return f"z{dim + 1} = {number(value, 2, signed=True)}"

    def _on_slider(self, dim: int, value: int) -> None:
        self.plane.set_free_value(dim, value / SLIDER_STEPS_PER_UNIT)

    def _show_free_values(self) -> None:
        """The sliders show the values the dimensions off the plane are held at (a sample's, say)."""
        for dim, slider in enumerate(self.sliders):
            value = float(self.plane.free[dim])
            slider.blockSignals(True)
            slider.setValue(round(value * SLIDER_STEPS_PER_UNIT))  # past ±3 it stops at its end; the label says
            slider.blockSignals(False)
            self.sliders_layout.labelForField(slider).setText(self._slider_label(dim, value))

    # --- axes -----------------------------------------------------------------------------------------
    def _on_dims(self, chosen: bool) -> None:
        """`chosen`: the person picked (activated) an axis, so the model's own choice no longer applies."""
        self.plane.set_dims(self.x_dim.currentIndex(), self.y_dim.currentIndex(), chosen)

    def _on_pca_toggled(self, on: bool) -> None:
        if not self.plane.set_use_pca(on):
            self.use_pca.setChecked(False)
            self.status_message.emit(self.tr("Principal components need the encoded test set, which is not available"))

    def _on_axes_changed(self) -> None:
        """What spans the plane changed: move what the plane places. Latent points (the current one, the
        grid, the strip) are not plane positions: nothing is decoded again but the backdrop."""
        plane = self.plane
        for combo, index in ((self.x_dim, plane.dims[0]), (self.y_dim, plane.dims[1])):
            combo.blockSignals(True)
            combo.setCurrentIndex(index)
            combo.blockSignals(False)
        free = plane.free_dims
        for i in range(len(self.sliders)):
            self.sliders_layout.setRowVisible(i, i in free)
        self._show_free_values()
        self.sliders_box.setVisible(plane.latent_dim > 2 and bool(free))
        x, y = plane.axis_labels
        self.plot.setLabel("bottom", x)
        self.plot.setLabel("left", y)
        self._draw_scatter()
        self._refresh_backdrop()
        self._draw_point(plane.point)
        self._draw_ends()
        self._draw_marks()

    def _on_latents(self) -> None:
        self._draw_scatter()
        self.view_box.autoRange()
        self._refresh_backdrop()

    # --- drawing --------------------------------------------------------------------------------------
    def _show_test_set(self, *_args) -> None:
        """All classes shown, the picked one only, or none; the legend only when there are points to explain."""
        on = self.test_set_on.isChecked()
        only = self.only_picked.isChecked() and self.plane.label is not None
        for c, item in enumerate(self.class_scatter):
            item.setVisible(on and (not only or c == self.plane.label))
        self.legend.setVisible(on)

    def _draw_scatter(self) -> None:
        plane = self.plane
        if plane.latents is None:
            return
        xy = plane.z_to_plane(plane.latents)
        for c, item in enumerate(self.class_scatter):
            picked = plane.labels == c
            item.setData(xy[picked, 0], xy[picked, 1])

    def _draw_point(self, z) -> None:
        if self.plane.latent_dim:
            u, v = self.plane.z_to_plane(z)[0]
            self.cross_v.setPos(u)
            self.cross_h.setPos(v)

    def _draw_ends(self) -> None:
        for which, label in self.end_labels.items():
            z = self.plane.ends[which]
            label.setVisible(z is not None)
            if z is not None:
                label.setPos(*self.plane.z_to_plane(z)[0])
        ends = {which: z for which, z in self.plane.ends.items() if z is not None}
        xy = self.plane.z_to_plane(np.stack(list(ends.values()))) if ends else np.zeros((0, 2))
        symbols = {"a": "t", "b": "s"}  # B set alone keeps its own symbol
        self.ends.setData([{"pos": tuple(p), "symbol": symbols[which]} for which, p in zip(ends, xy)])
        if len(ends) == 2:
            self.path.setData(xy[:, 0], xy[:, 1])
        else:
            self.path.setData([], [])

    def _draw_marks(self) -> None:
        xy = self.plane.z_to_plane(self.plane.marks) if len(self.plane.marks) else np.zeros((0, 2))
        self.marks.setData([{"pos": tuple(p), "symbol": "star", "data": i} for i, p in enumerate(xy)])

    # --- picking a point -------------------------------------------------------------------------------
    def _on_picked(self, u: float, v: float) -> None:
        if self.vae is not None:
            self.plane.set_point(self.plane.plane_to_z(u, v))

    def _add_key_moves(self) -> None:
        """With the plane focused (a click, or Tab), the arrow keys move the point and Home centres it; the
        F1 list shows each with what it does."""
        self.plot.setStyleSheet("QGraphicsView { border: 1px solid transparent }"  # where the keys go, seen
                                "QGraphicsView:focus { border: 1px solid palette(highlight) }")
        moves = ((Qt.Key.Key_Left, (-1, 0), self.tr("On the plane: move the point left (Shift: five times as far)")),
                 (Qt.Key.Key_Right, (1, 0), self.tr("On the plane: move the point right (Shift: five times as far)")),
                 (Qt.Key.Key_Up, (0, 1), self.tr("On the plane: move the point up (Shift: five times as far)")),
                 (Qt.Key.Key_Down, (0, -1), self.tr("On the plane: move the point down (Shift: five times as far)")))
        for key, (du, dv), what in moves:
            for modifier, step in ((Qt.KeyboardModifier.NoModifier, KEY_STEP), (Qt.KeyboardModifier.ShiftModifier, KEY_STEP_LARGE)):
                shortcut = QShortcut(QKeySequence(key | modifier), self.plot, context=Qt.ShortcutContext.WidgetShortcut,
                                     autoRepeat=True)
                shortcut.activated.connect(lambda du=du * step, dv=dv * step: self.move_point(du, dv))
                if modifier == Qt.KeyboardModifier.NoModifier:
                    shortcut.setWhatsThis(what)
        home = QShortcut(QKeySequence(Qt.Key.Key_Home), self.plot, context=Qt.ShortcutContext.WidgetShortcut)
        home.activated.connect(self.centre_point)
        home.setWhatsThis(self.tr("On the plane: put the point back at the centre"))

    def move_point(self, du: float, dv: float) -> None:
        if self.vae is not None:
            self.plane.move_point(du, dv)

    def centre_point(self) -> None:
        if self.vae is not None:
            self.plane.set_point(self.plane.plane_to_z(0.0, 0.0))

    def _on_hover(self, scene_pos) -> None:
        if not self.hover.isChecked() or self.vae is None:
            return
        over_legend = self.legend.isVisible() and self.legend.sceneBoundingRect().contains(scene_pos)
        if self.view_box.sceneBoundingRect().contains(scene_pos) and not over_legend:  # the pointer is reading it
            p = self.view_box.mapSceneToView(scene_pos)
            self.plane.set_point(self.plane.plane_to_z(p.x(), p.y()))

    # --- backdrop: the decoded manifold -----------------------------------------------------------------
    def _refresh_backdrop(self, *_args) -> None:
        if self.vae is None or not self.backdrop_on.isChecked():
            self.backdrop.clear()
            return
        plane, n = self.plane, BACKDROP_PER_SIDE
        if plane.latents is not None:
            xy = plane.z_to_plane(plane.latents)
            low, high = np.percentile(xy, 0.5, axis=0), np.percentile(xy, 99.5, axis=0)
        else:  # the prior's bulk
            edge = NormalDist().inv_cdf(0.995)
            low, high = np.array([-edge, -edge]), np.array([edge, edge])
        us, vs = np.linspace(low[0], high[0], n), np.linspace(low[1], high[1], n)
        zs = np.stack([plane.plane_to_z(u, v) for v in vs for u in us])  # row r: v = vs[r], bottom first
        du, dv = us[1] - us[0], vs[1] - vs[0]
        rect = (low[0] - du / 2, low[1] - dv / 2, high[0] - low[0] + du, high[1] - low[1] + dv)
        vae, label, k = self.vae, self.plane.label, self.plane.sharpness
        self.tasks.submit("backdrop", lambda: sharpen(vae.decode(zs, label), k), lambda images: self._show_backdrop(images, rect))

    def _show_backdrop(self, images: np.ndarray, rect) -> None:
        if not self.backdrop_on.isChecked():
            return
        # The view's y grows upwards and an ImageItem's row 0 sits at the bottom: flip each tile so
        # the garments stand upright, rows of the mosaic already run bottom (low v) to top.
        self.backdrop.setImage(tile(images[:, ::-1, :], BACKDROP_PER_SIDE), levels=(0, 1))
        self.backdrop.setRect(*rect)
