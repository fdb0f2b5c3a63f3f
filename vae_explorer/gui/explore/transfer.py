"""Style transfer (a class-conditional model): the selected reconstructed image's predicted class, with
every class's probability as bars, and its style code decoded as every garment. The class it is encoded
under can be overridden; a tile clicked shows that garment on the plane; the strip saves as PNG."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout

from vae_explorer.config import NUM_CLASSES
from vae_explorer.gui.class_tiles import ClassTiles
from vae_explorer.gui.explore.panel import ExplorePanel
from vae_explorer.gui.names import class_names
from vae_explorer.gui.numbers import percent
from vae_explorer.gui.pictures import pixmap
from vae_explorer.gui.plots import CLASS_COLOURS, LocaleAxis
from vae_explorer.ml.analysis import Analysed, Transferred, style_transfer
from vae_explorer.ml.images import save_png

PICTURE = 64


class TransferPanel(ExplorePanel):
    """`show_result(r)` shows one reconstructed image; `transferred` holds what is shown (None: nothing), and
    `refined` whether it is the refined verdict yet."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.result: Analysed | None = None
        self.transferred: Transferred | None = None  # as drawn: its garments with the plane's sharpness
        self._decoded: Transferred | None = None  # as the model decoded it: drawn again when the sharpness changes
        self.refined = False  # whether what is shown comes from each class's refined fit
        self._refine_error: str | None = None  # why the refined verdict failed, if it did
        self._warm_up_cancel = threading.Event()
        self.message = QLabel(self.tr("Select an image in the Reconstruct tab (drop, open or paste one, or try the sample "
                                       "images): its style is shown here as every garment."))
        self.message.setWordWrap(True)
        self.input_picture, self.reconstruction_picture = QLabel(), QLabel()
        for picture, tip in ((self.input_picture, self.tr("The input, as the model sees it")),
                             (self.reconstruction_picture, self.tr("Its reconstruction under the class it is encoded as"))):
            picture.setFixedSize(PICTURE, PICTURE)
            picture.setStyleSheet("background: black;")
            picture.setToolTip(tip)
        self.verdict = QLabel("")
        self.verdict.setWordWrap(True)
        self.verdict.setToolTip(self.tr("The class whose model explains the image best. A first guess from one pass "
                                        "is shown at once, then the verdict from fitting the image under each class, "
                                        "which is right more often"))
        self.encode_as = QComboBox()
        self.encode_as.addItem(self.tr("the predicted class"))
        self.encode_as.addItems(class_names())
        self.encode_as.setToolTip(self.tr("The class the image's style is read under: the model's guess, or yours"))
        self.encode_as.currentIndexChanged.connect(self.refresh)
        self.bars_plot = pg.PlotWidget(axisItems={"bottom": LocaleAxis("bottom")})  # the left one names the classes
        self.bars_plot.setMouseEnabled(False, False)
        self.bars_plot.hideButtons()
        self.bars_plot.setMenuEnabled(False)
        self.bars_plot.setXRange(0, 1, padding=0.02)
        self.bars_plot.setYRange(-0.6, NUM_CLASSES - 0.4, padding=0)
        self.bars_plot.getViewBox().invertY(True)
        self.bars_plot.setToolTip(self.tr("p(class | image): how much better each class's model explains the image "
                                          "than the others do"))
        names_axis = self.bars_plot.getAxis("left")
        names_axis.setTicks([list(enumerate(class_names()))])
        # A line of the axis font per class, so no two names overlap, and two for the probability axis below.
        line = QFontMetrics(names_axis.style["tickFont"] or names_axis.font()).height()
        self.bars_plot.setMinimumHeight((NUM_CLASSES + 2) * line)
        self.bars = pg.BarGraphItem(x0=np.zeros(NUM_CLASSES), y=np.arange(NUM_CLASSES), height=0.7,
                                    width=np.zeros(NUM_CLASSES), brushes=list(CLASS_COLOURS), pen=None)
        self.bars_plot.addItem(self.bars)
        self.tiles = ClassTiles(icon_size=44)
        self.tiles.setToolTip(self.tr("The style decoded as every garment: click one to see it on the latent plane"))
        self.tiles.picked.connect(self._on_tile)
        self.save_strip_button = self.save_button(self.tr("Save strip…"), self.choose_png)
        self.save_strip_button.setToolTip(self.tr("Input, reconstruction and the ten garments, in a row, as PNG"))

        pictures = QGridLayout()
        pictures.addWidget(self.input_picture, 0, 0)
        pictures.addWidget(self.reconstruction_picture, 0, 1)
        pictures.addWidget(QLabel(self.tr("Input")), 1, 0)
        pictures.addWidget(QLabel(self.tr("Reconstruction")), 1, 1)
        encode_row = QHBoxLayout()
        encode_row.addWidget(QLabel(self.tr("Encode as:")))
        encode_row.addWidget(self.encode_as, 1)
        left = QVBoxLayout()
        left.addLayout(pictures)
        left.addWidget(self.verdict)
        left.addLayout(encode_row)
        left.addStretch(1)
        top = QHBoxLayout()
        top.addLayout(left)
        top.addWidget(self.bars_plot, 1)
        strip_row = QHBoxLayout()  # the button beside the title, not on a row of its own: at 1024×700 the tabs have no height to spare
        strip_row.addWidget(QLabel(self.tr("Its style as every garment:")))
        strip_row.addStretch(1)
        strip_row.addWidget(self.save_strip_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addLayout(top, 1)
        layout.addLayout(strip_row)
        layout.addWidget(self.tiles)
        self.plane.reset_event.connect(self._on_reset)
        self.plane.sharpness_changed.connect(self._on_sharpness)
        self.show_result(None)

    def _on_reset(self, _dim: int) -> None:
        self.show_result(None)
        self._warm_up()

    def _warm_up(self) -> None:
        """The first refined verdict would first make each class's coarse grid and compile the steps, many
        seconds on the GUI's one TensorFlow thread (docs/performance.md): make them while the user is elsewhere."""
        self._warm_up_cancel.set()  # the previous model's, if it is still at it
        vae = self.vae
        if vae is None or not vae.conditional:
            return
        cancel, closing = threading.Event(), self.tasks.stopping
        self._warm_up_cancel = cancel
        # On the refined verdicts' channel: a verdict asked for meanwhile waits for it on the same thread, and
        # the pool's other thread stays free for the plane.
        self.tasks.submit_latest("transfer-refined",
                                 lambda: vae.prepare_refinement(lambda: cancel.is_set() or closing.is_set()),
                                 lambda _done: None)

    def show_result(self, r: Analysed | None) -> None:
        """Show one reconstructed image (None: none selected), encoded under the class chosen above."""
        self.result = r
        self.transferred = self._decoded = None
        for picture in (self.input_picture, self.reconstruction_picture):
            picture.clear()
        self.bars.setOpts(width=np.zeros(NUM_CLASSES))
        self.tiles.show_images(None)
        self.verdict.setText("")
        self.save_strip_button.setEnabled(False)
        self.message.setVisible(r is None)
        for w in (self.encode_as, self.tiles):
            w.setEnabled(r is not None)
        self.refresh()

    def encode_label(self) -> int | None:
        """The class chosen to encode under; None: the predicted one."""
        index = self.encode_as.currentIndex()
        return None if index <= 0 else index - 1

    def refresh(self, *_args) -> None:
        r, vae = self.result, self.vae
        # Another image's verdict must never stand in for this one's (a failure would redraw it as a first guess).
        self.refined, self._refine_error, self._decoded = False, None, None
        if r is None or vae is None or not vae.conditional:
            return
        label, x = self.encode_label(), r.input[None]
        # The one-pass verdict at once, then each class's refined fit, which is right more often but slower.
        self.tasks.submit_latest("transfer", lambda: (r, label, False, style_transfer(vae, x, labels=label)), self._show,
                                 self._failed)
        self.tasks.submit_latest("transfer-refined",
                                 lambda: (r, label, True, style_transfer(vae, x, labels=label, refine=True)), self._show,
                                 self._refine_failed)

    def _failed(self, message: str) -> None:
        reason = message.splitlines()[0]
        self.verdict.setText(self.tr("Could not read this image's style: {reason}").format(reason=reason))
        self.status_message.emit(self.tr("Style transfer failed: {reason}. Try another image or model.").format(
            reason=reason))

    def _refine_failed(self, message: str) -> None:
        """The first guess stays, said to be one; the failure is told, never a lasting "Refining…"."""
        self._refine_error = message.splitlines()[0]
        if self._decoded is None:  # nothing shown yet (or the first guess failed too)
            self.status_message.emit(self.tr("The refined verdict failed: {reason}.").format(reason=self._refine_error))
            return
        self.status_message.emit(self.tr("The refined verdict failed: {reason}. The first guess stays shown.").format(
            reason=self._refine_error))
        self._draw()

    def _show(self, reply) -> None:
        r, label, refined, t = reply
        if r is not self.result or label != self.encode_label():  # another image or class was chosen meanwhile
            return
        if self.refined and not refined:  # the refined verdict came first: keep it
            return
        self.refined = refined
        self._decoded = t
        self._draw()

    def _on_sharpness(self, _k: float) -> None:
        if self._decoded is not None:
            self._draw()

    def _draw(self) -> None:
        t = self.transferred = self._decoded.sharpened(self.plane.sharpness)
        p, encoded = t.probabilities[0], int(t.encoded_as[0])
        self.input_picture.setPixmap(pixmap(t.inputs[0], PICTURE))
        self.reconstruction_picture.setPixmap(pixmap(t.reconstructions[0], PICTURE))
        self.bars.setOpts(width=p)
        best = int(p.argmax())
        names = class_names()
        verdict = self.tr("Looks like: <b>{name}</b> ({share})").format(name=names[best], share=percent(p[best], 0))
        if encoded != best:
            verdict += "<br>" + self.tr("Encoded as: {name} (your choice)").format(name=names[encoded])
        if self._refine_error is not None:
            verdict += "<br><i>" + self.tr("A first guess: refining it failed") + "</i>"
        elif not self.refined:
            verdict += "<br><i>" + self.tr("Refining the fit under each class…") + "</i>"
        self.verdict.setText(verdict)
        self.tiles.show_images(t.images[0], encoded)
        self.save_strip_button.setEnabled(True)

    def _on_tile(self, k: int) -> None:
        """Show that garment on the latent plane: its class picked, the style code as the current point."""
        if self.transferred is not None:
            self.plane.set_label(k)
            self.plane.set_point(self.transferred.mean[0])

    def save_png(self, path: Path | None) -> bool:
        return self.export(path, lambda p: save_png(self.transferred.strip(0), p))

    def choose_png(self) -> None:
        name = Path(self.result.name).stem if self.result is not None else "image"
        self.save_png(self.ask_png(self.tr("Save the style transfer strip"), f"{name}.transfer.png"))
