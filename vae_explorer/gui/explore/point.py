"""The current latent point, decoded and shown large, with its coordinates; for a class-conditional model,
the same point under all ten classes as a row of tiles beneath (clicking one picks that class).

Each point goes through the model's compiled one-point path on a worker, one in flight at a time
with only the newest waiting (`TaskRunner.submit_latest`), so dragging decodes at display rate
without a backlog.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout

from vae_explorer.config import NUM_CLASSES
from vae_explorer.gui.class_tiles import ClassTiles
from vae_explorer.gui.explore.panel import ExplorePanel
from vae_explorer.gui.numbers import coordinates
from vae_explorer.gui.plots import image_view
from vae_explorer.ml.images import save_png, sharpen

SHARP = 2.0  # the steepness at which the judges read most generated garments as asked (docs/models.md)


class PointPanel(ExplorePanel):
    point_decoded = Signal()  # the image now shows the current point (tests and benchmarks wait on it)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.decoded: np.ndarray | None = None  # the image shown
        self.decoded_z: np.ndarray | None = None  # the latent point it decodes
        self.decodes = 0  # how many points were decoded and shown (the drag benchmark's counter)
        self.picture = pg.GraphicsLayoutWidget()
        self.picture.setAcceptDrops(False)
        self.picture.setMinimumSize(140, 72)  # at 1024×700 the tabs below need the height more
        self.view, self.image_item = image_view(self.picture)
        self.coordinates = QLabel(self.tr("Click the latent plane."))
        self.coordinates.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # eight coordinates wrap rather than widen the column: its width moved the splitter as their signs changed
        self.coordinates.setWordWrap(True)
        self.save_image_button = self.save_button(self.tr("Save image…"), self.choose_png)
        self.sharp = QCheckBox(self.tr("Sharpen"))
        self.sharp.setToolTip(self.tr("Draw what the model generates (this point, the samples, the interpolation, "
                                      "style transfer) with steeper pixels: the soft edges a 2-D code decodes "
                                      "become a real garment's. Reconstructions stay the model's means"))
        self.sharp.toggled.connect(lambda on: self.plane.set_sharpness(SHARP if on else 1.0))
        self.class_row = ClassTiles(icon_size=36)
        self.class_row.setToolTip(self.tr("This point under every class: click one to pick that class"))
        self.class_row.picked.connect(self.plane.set_label)
        self.class_row.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        footer = QHBoxLayout()
        footer.addWidget(self.coordinates, 1)
        footer.addWidget(self.sharp)
        footer.addWidget(self.save_image_button)
        layout.addWidget(self.picture, 1)
        layout.addWidget(self.class_row)
        layout.addLayout(footer)
        self.plane.reset_event.connect(self._on_reset)
        self.plane.point_changed.connect(self._decode)
        self.plane.label_changed.connect(self._on_label)
        self.plane.sharpness_changed.connect(lambda _k: self._decode(self.plane.point))

    def _on_reset(self, _latent_dim: int) -> None:
        self.class_row.setVisible(self.plane.label is not None)  # unconditional models: no row
        self.class_row.show_images(None)
        self._decode(self.plane.point)

    def _on_label(self, label: int) -> None:
        self.class_row.set_picked(label)
        self._decode(self.plane.point)

    def _decode(self, z: np.ndarray) -> None:
        if self.vae is None:
            return
        vae, z, label, k = self.vae, np.array(z, np.float32), self.plane.label, self.plane.sharpness
        self.tasks.submit_latest("point", lambda: (z, sharpen(vae.decode_point(z, label), k)), self._show)
        if label is not None:  # the row: one batched call for the ten classes
            ten = np.arange(NUM_CLASSES, dtype=np.int32)
            self.tasks.submit_latest("point-row", lambda: sharpen(vae.decode(np.repeat(z[None], NUM_CLASSES, 0), ten), k),
                                     self._show_row)

    def _show_row(self, images: np.ndarray) -> None:
        self.class_row.show_images(images, self.plane.label)

    def _show(self, reply) -> None:
        z, image = reply
        self.decodes += 1
        self.decoded, self.decoded_z = image, z
        self.image_item.setImage(image, levels=(0, 1))
        coords = coordinates(z[:8], 3) + (" …" if len(z) > 8 else "")
        self.coordinates.setText(f"z = ({coords})")
        self.save_image_button.setEnabled(True)
        self.point_decoded.emit()

    def save_png(self, path: Path | None) -> bool:
        return self.export(path, lambda p: save_png(self.decoded, p))

    def choose_png(self) -> None:
        self.save_png(self.ask_png(self.tr("Save the decoded image"), "decoded.png"))
