"""Interpolation: the straight path in latent space from A to B, decoded as a strip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QStackedWidget, QVBoxLayout

from vae_explorer.config import IMAGE_SIZE
from vae_explorer.gui.explore.panel import ExplorePanel
from vae_explorer.gui.plots import image_view
from vae_explorer.ml.images import save_png, sharpen, tile


class InterpolationPanel(ExplorePanel):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.strip_images: np.ndarray | None = None
        self.strip_z: np.ndarray | None = None  # the latent points of the strip, A first
        self.set_a_button = QPushButton(self.tr("A = current point"))
        self.set_b_button = QPushButton(self.tr("B = current point"))
        self.set_a_button.clicked.connect(lambda: self.plane.set_end("a"))
        self.set_b_button.clicked.connect(lambda: self.plane.set_end("b"))
        self.steps = QSpinBox()
        self.steps.setRange(3, 30)
        self.steps.setValue(10)
        self.steps.setToolTip(self.tr("Images along the straight path from A to B"))
        self.steps.valueChanged.connect(self.refresh)
        self.picture = pg.GraphicsLayoutWidget()
        self.picture.setAcceptDrops(False)
        self.picture.setMinimumHeight(60)  # the strip takes the tab's height: tiles stay large at 30 steps
        self.view, self.image_item = image_view(self.picture)
        self.picture.scene().sigMouseClicked.connect(self._on_click)
        self.picture.setToolTip(self.tr("Click an image to make it the current point"))
        self.save_strip_button = self.save_button(self.tr("Save strip…"), self.choose_png)
        controls = QHBoxLayout()
        for w in (self.set_a_button, self.set_b_button, QLabel(self.tr("steps")), self.steps, self.save_strip_button):
            controls.addWidget(w)
        controls.addStretch(1)
        layout = QVBoxLayout(self)
        hint = QLabel(self.tr("Interpolation: pick a point (or select a reconstructed image), set it as A, then B."))
        hint.setWordWrap(True)  # a long line (or a longer translation) would set the window's minimum width
        layout.addWidget(hint)
        layout.addLayout(controls)
        # Until A and B are both set, the strip's place says what is missing instead of staying black.
        self.waiting = QLabel()
        self.waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.waiting.setWordWrap(True)
        self.waiting.setStyleSheet("background: black; color: #bbb; padding: 12px;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.waiting)
        self.stack.addWidget(self.picture)
        layout.addWidget(self.stack, 1)
        self._show_waiting()
        self.plane.ends_changed.connect(self.refresh)
        self.plane.label_changed.connect(self.refresh)
        self.plane.sharpness_changed.connect(self.refresh)
        self.plane.reset_event.connect(self._on_reset)

    def _on_reset(self, _latent_dim: int) -> None:
        self.strip_images = self.strip_z = None
        self.image_item.clear()
        self.save_strip_button.setEnabled(False)
        self._show_waiting()

    def _show_waiting(self) -> None:
        a, b = (self.plane.ends[k] is not None for k in ("a", "b"))
        if a:
            text = self.tr("A is set (marked on the plane). Pick another point and press “B = current point”.")
        elif b:
            text = self.tr("B is set (marked on the plane). Pick another point and press “A = current point”.")
        else:
            text = self.tr("Pick a point on the plane and press “A = current point”, then another and press "
                           "“B = current point”: the garments on the straight path between them appear here.")
        self.waiting.setText(text)
        self.stack.setCurrentWidget(self.waiting)

    def refresh(self, *_args) -> None:
        zs = self.plane.path(self.steps.value())
        if zs is None:
            self._show_waiting()
            return
        if self.vae is None:
            return
        vae, label, k = self.vae, self.plane.label, self.plane.sharpness
        self.tasks.submit("strip", lambda: (zs, sharpen(vae.decode(zs, label), k)), self._show)

    def _show(self, reply) -> None:
        self.strip_z, images = reply
        self.strip_images = images
        self.image_item.setImage(tile(images, len(images)), levels=(0, 1))
        self.stack.setCurrentWidget(self.picture)
        self.view.autoRange()
        self.save_strip_button.setEnabled(True)

    def _on_click(self, ev) -> None:
        if self.strip_z is None:
            return
        p = self.image_item.mapFromScene(ev.scenePos())
        index = int(p.x() // IMAGE_SIZE)
        if 0 <= index < len(self.strip_z) and 0 <= p.y() < IMAGE_SIZE:
            self.pick(index)

    def pick(self, index: int) -> None:
        """Make image `index` of the strip the current point."""
        self.plane.set_point(self.strip_z[index])
        self.status_message.emit(self.tr("Interpolation image {index} of {count}").format(index=index + 1,
                                                                                         count=len(self.strip_z)))

    def save_png(self, path: Path | None) -> bool:
        return self.export(path, lambda p: save_png(tile(self.strip_images, len(self.strip_images)), p))

    def choose_png(self) -> None:
        self.save_png(self.ask_png(self.tr("Save the interpolation strip"), "interpolation.png"))
