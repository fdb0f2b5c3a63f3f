"""The 16x16 grid of samples from the prior N(0, t² I), decoded in one batch; a click shows a tile large."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox, QGraphicsRectItem, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout

from vae_explorer.config import IMAGE_SIZE, NUM_CLASSES
from vae_explorer.gui.explore.panel import ExplorePanel
from vae_explorer.gui.plots import image_view
from vae_explorer.ml.images import save_png, sharpen, tile

SAMPLES_PER_SIDE = 16


class SamplesPanel(ExplorePanel):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.grid_z: np.ndarray | None = None  # the latent points of the grid, row by row
        self.grid_images: np.ndarray | None = None
        self.grid_classes = None  # the labels the grid was decoded under (None, one class, or one per tile)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setToolTip(self.tr("The same seed gives the same grid"))
        self.temperature = QDoubleSpinBox()
        self.temperature.setRange(0.05, 5.0)
        self.temperature.setSingleStep(0.1)
        self.temperature.setValue(1.0)
        self.temperature.setToolTip(self.tr("Scale of the prior N(0, t² I): small is typical, large is unusual"))
        self.resample_button = QPushButton(self.tr("Resample"))
        self.resample_button.setToolTip(self.tr("New seed, new samples"))
        self.resample_button.clicked.connect(self.resample)
        self.seed.valueChanged.connect(self.refresh)
        self.temperature.valueChanged.connect(self.refresh)
        self.save_grid_button = self.save_button(self.tr("Save grid…"), self.choose_png)
        self.class_rows = QCheckBox(self.tr("A class per row"))  # a class-conditional model's only
        self.class_rows.setToolTip(self.tr("Row r shows class r mod 10 (T-shirt/top first): the same styles as every garment"))
        self.class_rows.toggled.connect(self.refresh)
        controls = QHBoxLayout()
        for w in (QLabel(self.tr("seed")), self.seed, QLabel(self.tr("temperature")), self.temperature,
                  self.resample_button):
            controls.addWidget(w)
        controls.addStretch(1)
        controls.addWidget(self.save_grid_button)
        self.picture = pg.GraphicsLayoutWidget()
        self.picture.setAcceptDrops(False)
        self.view, self.image_item = image_view(self.picture)
        self.highlight = QGraphicsRectItem(0, 0, IMAGE_SIZE, IMAGE_SIZE)  # the tile shown large
        self.highlight.setPen(pg.mkPen("#ffd700", width=2))
        self.highlight.setZValue(10)
        self.highlight.hide()
        self.view.addItem(self.highlight)
        self.picture.scene().sigMouseClicked.connect(self._on_click)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.class_rows)  # a line of its own: beside the others it was cut at 1024 px
        layout.addWidget(self.picture, 1)
        hint = QLabel(self.tr("256 samples from the prior, decoded in one batch. Click one to see it large and on the plane."))
        hint.setWordWrap(True)  # never the reason the window is wider than a small screen
        layout.addWidget(hint)
        self.plane.reset_event.connect(self._on_reset)
        self.plane.label_changed.connect(self._on_label)
        self.plane.sharpness_changed.connect(self.refresh)

    def _on_reset(self, _latent_dim: int) -> None:
        self.class_rows.setVisible(self.plane.label is not None)
        self.refresh()

    def _on_label(self, _label: int) -> None:
        if not self.class_rows.isChecked():  # a class per row does not depend on the picked class
            self.refresh()

    def grid_labels(self):
        """The class of each tile: the picked one, or row r as class r mod 10; None for an unconditional model."""
        if self.plane.label is None:
            return None
        if self.class_rows.isChecked():
            return np.repeat(np.arange(SAMPLES_PER_SIDE) % NUM_CLASSES, SAMPLES_PER_SIDE).astype(np.int32)
        return self.plane.label

    def resample(self) -> None:
        self.seed.setValue(int(np.random.default_rng().integers(0, 2**31 - 1)))

    def refresh(self, *_args) -> None:
        if self.vae is None:
            return
        vae, seed, t, labels = self.vae, self.seed.value(), self.temperature.value(), self.grid_labels()
        k = self.plane.sharpness

        def work():
            z = vae.sample_latents(SAMPLES_PER_SIDE**2, seed, t)
            return z, labels, sharpen(vae.decode(z, labels), k)

        self.tasks.submit("grid", work, self._show)

    def _show(self, reply) -> None:
        self.grid_z, self.grid_classes, self.grid_images = reply
        self.highlight.hide()
        self.image_item.setImage(tile(self.grid_images, SAMPLES_PER_SIDE), levels=(0, 1))
        self.save_grid_button.setEnabled(True)

    def _on_click(self, ev) -> None:
        if self.grid_z is None:
            return
        p = self.image_item.mapFromScene(ev.scenePos())
        col, row = int(p.x() // IMAGE_SIZE), int(p.y() // IMAGE_SIZE)
        if 0 <= col < SAMPLES_PER_SIDE and 0 <= row < SAMPLES_PER_SIDE:
            self.pick_sample(row * SAMPLES_PER_SIDE + col)

    def pick_sample(self, index: int) -> None:
        """Make sample `index` of the grid the current point: shown large and marked on the plane."""
        row, col = divmod(index, SAMPLES_PER_SIDE)
        self.highlight.setRect(col * IMAGE_SIZE, row * IMAGE_SIZE, IMAGE_SIZE, IMAGE_SIZE)
        self.highlight.show()
        if self.grid_classes is not None:  # the tile large: its own class
            self.plane.set_label(int(np.broadcast_to(self.grid_classes, (SAMPLES_PER_SIDE**2,))[index]))
        self.plane.set_point(self.grid_z[index])
        self.status_message.emit(self.tr("Sample {index} of the grid (seed {seed})").format(index=index + 1,
                                                                                          seed=self.seed.value()))

    def save_png(self, path: Path | None) -> bool:
        return self.export(path, lambda p: save_png(tile(self.grid_images, SAMPLES_PER_SIDE), p))

    def choose_png(self) -> None:
        self.save_png(self.ask_png(self.tr("Save the sample grid"), f"samples-seed{self.seed.value()}.png"))
