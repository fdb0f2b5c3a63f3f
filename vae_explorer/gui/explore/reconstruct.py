"""Reconstruction of a person's own images: dropped, opened or pasted; a table of inputs, reconstructions,
losses and anomaly percentiles; the selected image's code, its cost and how it copes with noise."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QFontMetrics, QGuiApplication, QIcon, QImage, QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSlider,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from vae_explorer.config import RESOURCES_DIR
from vae_explorer.gui.dialogs import ask_open_files
from vae_explorer.gui.explore.panel import ExplorePanel
from vae_explorer.gui.names import class_names, short_class_names
from vae_explorer.gui.numbers import coordinates, number, percent
from vae_explorer.gui.pictures import pixmap, qimage_to_rgba
from vae_explorer.ml.analysis import IMAGE_SUFFIXES, Analysed, Denoised, analyse_read, analyse_sources, denoise
from vae_explorer.ml.images import NOISE_KINDS, pixel_error
from vae_explorer.workers.messages import translated

MAX_FILES_PER_DROP = 2000
SAMPLE_IMAGES_DIR = RESOURCES_DIR / "sample-images"
IMAGE_FILTER = f"Images ({' '.join('*' + s for s in IMAGE_SUFFIXES)});;All files (*)"
DROP_HINT = QT_TRANSLATE_NOOP("ReconstructPanel", "Drop image files or folders anywhere on this area (PNG, JPEG, GIF, BMP, WebP, TIFF).")
PICTURE = 64  # pixels per side of the selected image's pictures
ICON = 48  # pixels per side of the table's pictures: five rows in view at the default window size
SMALL_ICON = 28  # the least they shrink to where the window is short, so that three rows stay in view
ROWS_IN_VIEW = 3
COLUMNS = (QT_TRANSLATE_NOOP("ReconstructPanel", "Image"), QT_TRANSLATE_NOOP("ReconstructPanel", "Original"),
           QT_TRANSLATE_NOOP("ReconstructPanel", "Input"), QT_TRANSLATE_NOOP("ReconstructPanel", "Reconstruction"),
           "total_loss", "ce_loss", "kl_loss", QT_TRANSLATE_NOOP("ReconstructPanel", "Anomaly"))
NOISE_NAMES = {"gaussian": QT_TRANSLATE_NOOP("SelectedImage", "Gaussian"), "masking": QT_TRANSLATE_NOOP("SelectedImage", "Masking")}


def _t(text: str) -> str:
    """A text of the Reconstruct tab marked with QT_TRANSLATE_NOOP, in the interface's language."""
    return QCoreApplication.translate("ReconstructPanel", text)


def anomaly_colour(percentile: float) -> QColor:
    """Green for typical (low percentile) through yellow to red for anomalous (99+)."""
    p = min(max(percentile, 0.0), 100.0) / 100.0
    return QColor.fromHsvF(max(0.0, 0.33 * (1.0 - p**4)), 0.55, 0.95)


def render_results(results: list[Analysed]) -> QImage:
    """Every result as one picture, a row each: what *Save panel…* writes, whatever the table shows."""
    font = QFont()
    font.setBold(True)
    header_width = QFontMetrics(font).horizontalAdvance  # a column is at least as wide as its header
    widths = [max(least, header_width(_t(title)) + 12) for least, title in zip((280, 64, 64, 64, 80, 80, 70, 80), COLUMNS)]
    row, header = ICON + 8, 26
    image = QImage(sum(widths), header + row * len(results), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setFont(font)
    lefts = [sum(widths[:i]) for i in range(len(widths))]
    centre = Qt.AlignmentFlag.AlignCenter
    for left, width, title in zip(lefts, widths, COLUMNS):
        painter.drawText(left, 0, width, header, centre, _t(title))
    font.setBold(False)
    painter.setFont(font)
    for i, r in enumerate(results):
        top = header + i * row
        name = painter.fontMetrics().elidedText(r.name, Qt.TextElideMode.ElideMiddle, widths[0] - 8)
        if r.predicted_class is not None:  # the class the reconstruction is decoded as, under the name
            name += "\n" + painter.fontMetrics().elidedText(predicted_text(r), Qt.TextElideMode.ElideRight, widths[0] - 8)
        painter.drawText(lefts[0] + 4, top, widths[0] - 8, row, Qt.AlignmentFlag.AlignVCenter, name)
        for column, picture in ((1, r.thumbnail), (2, r.input), (3, r.reconstruction)):
            painter.drawPixmap(lefts[column] + (widths[column] - ICON) // 2, top + 4, pixmap(picture, ICON))
        for column, value in ((4, r.total_loss), (5, r.ce_loss), (6, r.kl_loss)):
            painter.drawText(lefts[column], top, widths[column] - 8, row,
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, number(value, 1))
        if r.anomaly_percentile is not None:
            painter.fillRect(lefts[7] + 2, top + 2, widths[7] - 4, row - 4, anomaly_colour(r.anomaly_percentile))
        text = (QCoreApplication.translate("ReconstructPanel", "n/a") if r.anomaly_percentile is None
                else percent(r.anomaly_percentile / 100))
        painter.drawText(lefts[7], top, widths[7], row, centre, text)
    painter.end()
    return image


def predicted_text(r: Analysed) -> str:
    """A conditional model's verdict on one image: the class it reconstructs the image as, and how sure it is."""
    return QCoreApplication.translate("ReconstructPanel", "Reconstructed as {name} ({p} likely)").format(
        name=class_names()[r.predicted_class], p=percent(r.class_probabilities[r.predicted_class], 0))


def _images(n: int) -> str:
    return (QCoreApplication.translate("ReconstructPanel", "1 image") if n == 1
            else QCoreApplication.translate("ReconstructPanel", "{n} images").format(n=n))


def _items(n: int) -> str:
    return (QCoreApplication.translate("ReconstructPanel", "1 item") if n == 1
            else QCoreApplication.translate("ReconstructPanel", "{n} items").format(n=n))


class SelectedImage(QGroupBox):
    """The selected image: input and reconstruction, the same under noise, and what its code costs."""

    def __init__(self) -> None:
        super().__init__(self.tr("Selected image"))
        self.noise_kind = QComboBox()
        self.noise_kind.addItems([QCoreApplication.translate("SelectedImage", NOISE_NAMES.get(k, k)) for k in NOISE_KINDS])
        self.noise_amount = QSlider(Qt.Orientation.Horizontal)
        self.noise_amount.setRange(0, 100)
        self.noise_amount.setValue(30)
        self.noise_amount.setToolTip(self.tr("Gaussian: standard deviation ×100; masking: percentage of pixels blacked out"))
        self.amount_label = QLabel()
        self.noise_amount.valueChanged.connect(lambda v: self.amount_label.setText(percent(v / 100, 0)))
        self.amount_label.setText(percent(self.noise_amount.value() / 100, 0))
        self.pictures, self.captions, self.caption_texts = [], [], []
        grid = QGridLayout()
        grid.setVerticalSpacing(2)
        for column, (caption, tip) in enumerate((
            (self.tr("Input"), self.tr("What the model sees: greyscale, garment on black, centred, 28×28")),
            (self.tr("Reconstruction"), self.tr("The decoded latent mean of the input")),
            (self.tr("Noisy input"), self.tr("The input under the noise chosen below")),
            (self.tr("Denoised"), self.tr("The reconstruction of the noisy input; its error is measured against the clean input")),
        )):
            picture = QLabel()
            picture.setFixedSize(PICTURE, PICTURE)
            picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
            picture.setStyleSheet("background: black;")
            picture.setToolTip(tip)
            text = QLabel(caption)
            text.setToolTip(tip)
            grid.addWidget(picture, 0, column)
            grid.addWidget(text, 1, column)
            self.pictures.append(picture)
            self.captions.append(text)
            self.caption_texts.append(caption)
        noise_row = QHBoxLayout()
        for w in (QLabel(self.tr("Noise:")), self.noise_kind, self.noise_amount, self.amount_label):
            noise_row.addWidget(w)
        self.compression = QLabel("")
        self.compression.setWordWrap(True)
        self.compression.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        beside = QVBoxLayout()  # beside the pictures, not under them: the results list keeps the height
        beside.addLayout(noise_row)
        beside.addWidget(self.compression, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(grid)
        layout.addLayout(beside, 1)
        self.show_result(None)

    @property
    def noise(self) -> tuple[str, float]:
        return NOISE_KINDS[self.noise_kind.currentIndex()], self.noise_amount.value() / 100.0

    def show_result(self, r: Analysed | None) -> None:
        self.setEnabled(r is not None)
        if r is None:  # nothing of an earlier image stays: pictures, the numbers in the captions
            for picture, caption, text in zip(self.pictures, self.captions, self.caption_texts):
                picture.clear()
                caption.setText(text)
            self.compression.setText(self.tr("Select a reconstructed image to see its code, its cost and how it copes with noise."))
            return
        self.pictures[0].setPixmap(pixmap(r.input, PICTURE))
        self.pictures[1].setPixmap(pixmap(r.reconstruction, PICTURE))
        self.captions[1].setText(f"ce_loss {number(r.ce_loss, 1)}")
        d = len(r.mean)
        z = coordinates(r.mean[:8], 2) + (" …" if d > 8 else "")
        self.compression.setText(self.tr(
            "Compression: the latent code is {d} floats ({size} bytes) against the input's 784 bytes, {ratio}× "
            "smaller, for ce_loss {ce} nats and a mean absolute pixel error of {error}. z = ({z}).").format(
            d=d, size=4 * d, ratio=number(784 / (4 * d)), ce=number(r.ce_loss, 1),
            error=number(pixel_error(r.reconstruction, r.input), 3), z=z))

    def show_denoised(self, d: Denoised) -> None:
        self.pictures[2].setPixmap(pixmap(d.noisy, PICTURE))
        self.pictures[3].setPixmap(pixmap(d.reconstruction, PICTURE))
        self.captions[3].setText(self.tr("error {error}").format(error=number(d.error_vs_clean, 3)))


class ReconstructPanel(ExplorePanel):
    """`results` lists what the table shows, in its order; `last_errors` what the last drop could not use."""

    wants_to_be_seen = Signal()  # images are on their way: the area should show this panel
    selection_changed = Signal(object)  # the selected result (an Analysed), or None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.results: list[Analysed] = []
        self.last_errors: list[str] = []
        self.last_denoise: Denoised | None = None
        self._drops = 0
        self._cleared = 0  # times the person emptied the table: what was under way before does not come back
        self._models = 0  # models shown so far: images read for an earlier one are reconstructed by the newest
        self._plane_follows = True  # selecting a row puts the plane's point (and class) on its code
        self._carried: list[tuple[str, np.ndarray, np.ndarray]] = []  # (name, thumbnail, input) to analyse again
        self._waiting: tuple[list, list[str]] = ([], [])  # (sources, refused) dropped before any model was open
        self.open_button = QPushButton(QIcon.fromTheme("document-open"), self.tr("Open images…"))
        self.open_button.clicked.connect(self.choose_images)
        self.samples_button = QPushButton(self.tr("Try the sample images"))
        self.samples_button.clicked.connect(self.open_sample_images)
        self.paste_button = QPushButton(QIcon.fromTheme("edit-paste"), self.tr("Paste"))
        self.paste_button.setToolTip(self.tr("Reconstruct the image or image files on the clipboard (Ctrl+V)"))
        self.paste_button.clicked.connect(self.paste)
        self.clear_button = QPushButton(self.tr("Clear"))
        self.clear_button.clicked.connect(self.clear_results)
        self.save_panel_button = self.save_button(self.tr("Save panel…"), self.choose_png)
        self.save_panel_button.setToolTip(self.tr("Save every result, a row each, as one PNG"))
        controls = QHBoxLayout()
        for w in (self.open_button, self.samples_button, self.paste_button, self.clear_button, self.save_panel_button):
            controls.addWidget(w)
        controls.addStretch(1)
        self.message = QLabel(_t(DROP_HINT))
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = self._make_table()
        self.selected = SelectedImage()
        self.selected.noise_kind.currentIndexChanged.connect(self._refresh_denoise)
        self.selected.noise_amount.valueChanged.connect(self._refresh_denoise)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(controls)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.selected)
        self.plane.reset_event.connect(self._on_reset)

    def _make_table(self) -> QTableWidget:
        table = QTableWidget(0, len(COLUMNS))
        table.setHorizontalHeaderLabels([_t(c) for c in COLUMNS])
        table.setIconSize(QSize(ICON, ICON))
        table.verticalHeader().setDefaultSectionSize(ICON + 4)
        table.verticalHeader().setVisible(False)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Every column in view at the window's default size, the anomaly score included: the pictures
        # take their icon's width, the numbers and headers their text's, the name what is left.
        columns = table.horizontalHeader()
        columns.setMinimumSectionSize(24)
        columns.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        columns.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, tip in ((1, self.tr("The image as read")),
                            (2, self.tr("What the model sees: greyscale, garment on black, centred, 28×28")),
                            (3, self.tr("The model's reconstruction of the input")),
                            (7, self.tr("Share of the test images whose total_loss is lower: high means unlike the training data"))):
            table.horizontalHeaderItem(column).setToolTip(tip)
        table.itemSelectionChanged.connect(self._on_selected)
        table.cellClicked.connect(self._on_clicked)
        remove = QShortcut(QKeySequence.StandardKey.Delete, table, context=Qt.ShortcutContext.WidgetShortcut,
                           activated=self.remove_selected)
        remove.setWhatsThis(self.tr("In the results: remove the selected image"))
        keys = remove.key().toString(QKeySequence.SequenceFormat.NativeText)
        menu_item = QAction(self.tr("Remove this image ({keys})").format(keys=keys), table)
        menu_item.triggered.connect(self.remove_selected)
        table.addAction(menu_item)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)  # a right click selects, then offers it
        table.viewport().installEventFilter(self)  # its rows follow its height (`_fit_rows`)
        table.setAcceptDrops(False)
        table.viewport().setAcceptDrops(False)
        return table

    # --- where images come from -------------------------------------------------------------------
    def handle_mime(self, mime) -> bool:
        """Dropped or pasted data: local files, or an image itself. Anything else gets a message."""
        urls = mime.urls() if mime.hasUrls() else []
        local = [Path(url.toLocalFile()) for url in urls if url.isLocalFile()]
        if mime.hasImage() and not local:  # an image copied from a web page comes with its address: the image
            image = QImage(mime.imageData())
            if image.isNull():
                self._show_errors([self.tr("the pasted data is not an image")])
                return False
            self.analyse([(self.tr("pasted image"), qimage_to_rgba(image))], [])
            return True
        if urls:
            refused = [self.tr("{address}: not a file on this computer (download it first)").format(
                address=url.toDisplayString()) for url in urls if not url.isLocalFile()]
            self.analyse([(p.name, p) for p in local], refused)
            return True
        self._show_errors([self.tr("nothing usable: drop or paste image files, or an image")])
        return False

    def open_images(self, paths: list[Path]) -> None:
        self.analyse([(Path(p).name, Path(p)) for p in paths], [])

    def choose_images(self) -> None:
        paths = ask_open_files(self, self.tr("Reconstruct images"), "images", IMAGE_FILTER)
        if paths:
            self.open_images(paths)

    def open_sample_images(self) -> None:
        files = sorted(p for p in SAMPLE_IMAGES_DIR.glob("*") if p.is_file())
        if not files:
            self._show_errors([self.tr("no sample images found in {folder}").format(folder=SAMPLE_IMAGES_DIR)])
            return
        self.open_images(files)

    def paste(self) -> None:
        if self.vae is not None:
            self.wants_to_be_seen.emit()
            self.handle_mime(QGuiApplication.clipboard().mimeData())

    def analyse(self, sources: list[tuple[str, object]], refused: list[str]) -> None:
        """Read and reconstruct on a worker (a folder's files are listed there too: a large folder on a slow
        disk would stall the window); `refused` are messages for what could not even be tried."""
        if self.vae is None and sources:  # e.g. dropped while the shipped model still loads at start-up: they wait for it
            waiting, waited_refused = self._waiting
            self._waiting = ((waiting + list(sources))[:MAX_FILES_PER_DROP], waited_refused + list(refused))
            self.wants_to_be_seen.emit()
            self._tell(self.tr("Waiting for a model: {images} to reconstruct as soon as one is open.")
                       .format(images=_images(len(self._waiting[0]))))
            return
        self.wants_to_be_seen.emit()
        if not sources:
            self._show_errors(refused)
            return
        self.message.setText(self.tr("Reading {items}…").format(items=_items(len(sources))))  # files, folders
        vae = self.vae
        self._submit(lambda: analyse_sources(vae, sources, MAX_FILES_PER_DROP), refused)

    def _on_reset(self, _latent_dim: int) -> None:
        """A new model: the last one's numbers go at once, and the same images are reconstructed by it."""
        # Images still on their way from the model before (opened in quick succession) come along too.
        read = self._carried + [(r.name, r.thumbnail, r.input) for r in self.results]
        selected = self.selected_result()
        chosen = len(self._carried) + self.results.index(selected) if selected is not None else 0
        waiting = self._waiting
        self._models += 1  # replies under way for the model before are redone by this one (`_on_analysed`)
        self._empty()
        if waiting[0] and self.vae is not None:
            self.analyse(*waiting)
        elif read and self.vae is not None:
            self.message.setText(self.tr("Reconstructing {images} again with this model…").format(images=_images(len(read))))
            self._carry(read, [], chosen)

    def _carry(self, read: list[tuple[str, np.ndarray, np.ndarray]], refused: list[str], select: int = 0) -> None:
        """Reconstruct images already read, (name, thumbnail, input) each, with the current model."""
        self._carried += read
        vae = self.vae
        self._submit(lambda: (analyse_read(vae, read), []), refused, select, carried=read)

    def _submit(self, work, refused: list[str], select: int = 0, carried: list | None = None) -> None:
        """Run `work` (-> results, errors) on a worker; its results join the table, the `select`th of
        them selected; `carried`: the images read before that a new model reconstructs again."""
        self._drops += 1
        cleared, models = self._cleared, self._models
        self.tasks.submit(
            f"analyse-{self._drops}",
            work,
            lambda reply: self._on_analysed(cleared, models, reply, refused, select, carried),
            lambda message: self._show_errors(refused + [message.splitlines()[0]]),
        )

    def _on_analysed(self, cleared: int, models: int, reply, refused: list[str], select: int = 0,
                     carried: list | None = None) -> None:
        if cleared != self._cleared:  # the person emptied the table meanwhile: these belong to the past
            return
        results, errors = reply
        if models != self._models:  # another model opened meanwhile: it reconstructs these images again
            if carried is None and self.vae is not None:  # (carried ones were in its `_carried` already)
                self._carry([(r.name, r.thumbnail, r.input) for r in results], refused + errors)
            return
        redone = carried is not None
        if redone:
            done = {id(c) for c in carried}
            self._carried = [c for c in self._carried if id(c) not in done]
        errors = refused + errors
        first_new = len(self.results)
        self.results.extend(results)
        self.table.setUpdatesEnabled(False)
        for r in results:
            self._add_row(r)
        self.table.setUpdatesEnabled(True)
        self._mark_results()
        self.save_panel_button.setEnabled(bool(self.results))
        if results and not (redone and self.selected_result() is not None):
            chosen = first_new + min(select, len(results) - 1)
            # Images a new model redid: the plane stays where the person has put it since it opened.
            self._plane_follows = not redone
            self.table.selectRow(chosen)
            self._plane_follows = True
            self.table.scrollToItem(self.table.item(chosen, 0))
        self.last_errors = errors
        if errors:
            self._show_errors(errors, ok=len(results))
        else:
            self._tell(self.tr("Reconstructed {images}.").format(images=_images(len(results))))

    def _tell(self, text: str) -> None:
        """A plain message above the table (errors are red: `_show_errors`)."""
        self.message.setStyleSheet("")
        self.message.setText(text)

    def _show_errors(self, errors: list[str], ok: int = 0) -> None:
        self.last_errors = [translated(e) for e in errors]  # the core's reasons, in the window's language
        errors = self.last_errors
        head = self.tr("Reconstructed {images}; ").format(images=_images(ok)) if ok else ""
        shown = "\n".join(f"• {e}" for e in errors[:6])
        if len(errors) > 6:
            shown += "\n" + self.tr("… and {n} more").format(n=len(errors) - 6)
        self.message.setStyleSheet("color: #b00020;")
        n = len(errors)  # one and many apart: Portuguese says "não pôde" of one, "não puderam" of more
        refused = self.tr("1 could not be used:") if n == 1 else self.tr("{n} could not be used:").format(n=n)
        self.message.setText(head + refused + "\n" + shown)
        self.status_message.emit(self.tr("1 item could not be used: see the Reconstruct tab") if n == 1
                                 else self.tr("{items} could not be used: see the Reconstruct tab").format(items=_items(n)))

    # --- the table ----------------------------------------------------------------------------------
    def _add_row(self, r: Analysed) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        name = QTableWidgetItem(r.name)
        name.setToolTip(r.name)
        self.table.setItem(row, 0, name)
        for column, picture in ((1, r.thumbnail), (2, r.input), (3, r.reconstruction)):
            item = QTableWidgetItem()
            item.setIcon(QIcon(pixmap(picture, ICON)))
            self.table.setItem(row, column, item)
        if r.predicted_class is not None:  # a conditional model reconstructs as the class it finds likeliest
            self.table.item(row, 3).setText(short_class_names()[r.predicted_class])
            self.table.item(row, 3).setToolTip(predicted_text(r))
        for column, value in ((4, r.total_loss), (5, r.ce_loss), (6, r.kl_loss)):
            item = QTableWidgetItem(number(value, 1))
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, column, item)
        if r.anomaly_percentile is None:
            item = QTableWidgetItem(self.tr("n/a"))
            item.setToolTip(self.tr("This model's card has no test-set losses to compare with"))
        else:
            p = r.anomaly_percentile
            item = QTableWidgetItem(percent(p / 100))
            item.setBackground(anomaly_colour(p))
            item.setForeground(QColor("black"))
            verdict = self.tr("typical") if p < 90 else self.tr("unusual") if p < 99 else self.tr("anomalous")
            tip = (self.tr("{share} of the test images have a lower total_loss: {verdict}") if r.predicted_class is None
                   else self.tr("{share} of the test images have a lower label-free loss: {verdict}"))
            item.setToolTip(tip.format(share=percent(p / 100), verdict=verdict))
        self.table.setItem(row, 7, item)

    def remove_selected(self) -> None:
        """Take the selected image out of the table and off the plane; the row after it is selected next."""
        r = self.selected_result()
        if r is None:
            return
        row = self.results.index(r)
        del self.results[row]
        self.table.blockSignals(True)  # Qt moves the selection as the rows shift: one clean selection below
        self.table.removeRow(row)
        self.table.clearSelection()
        self.table.blockSignals(False)
        self._mark_results()
        self.save_panel_button.setEnabled(bool(self.results))
        if self.results:
            self.table.selectRow(min(row, len(self.results) - 1))
            self._tell(self.tr("Removed {name}; {images} left.").format(name=r.name, images=_images(len(self.results))))
        else:
            self._empty()
        self.status_message.emit(self.tr("Removed {name} from the results").format(name=r.name))

    def _mark_results(self) -> None:
        means = np.stack([r.mean for r in self.results]) if self.results else np.zeros((0, self.plane.latent_dim))
        self.plane.set_marks(means)

    def clear_results(self) -> None:
        """Empty the table; images still being read or reconstructed will not join it."""
        self._cleared += 1
        self._empty()

    def _empty(self) -> None:
        self.results = []
        self._carried = []
        self._waiting = ([], [])
        self.table.setRowCount(0)
        self.selected.show_result(None)
        self.selection_changed.emit(None)
        self._mark_results()
        self.save_panel_button.setEnabled(False)
        self._tell(_t(DROP_HINT))

    def eventFilter(self, watched, event) -> bool:
        table = getattr(self, "table", None)  # None while the table is being made
        if event.type() == QEvent.Type.Resize and table is not None and watched is table.viewport():
            self._fit_rows()
        return super().eventFilter(watched, event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        r = self.selected_result()
        if r is not None:  # the row in view stays the selected one when the window changes size
            self.table.scrollToItem(self.table.item(self.results.index(r), 0))

    def _fit_rows(self) -> None:
        """Pictures of ICON px, or smaller where the table is short: ROWS_IN_VIEW rows stay in view."""
        side = max(SMALL_ICON, min(ICON, self.table.viewport().height() // ROWS_IN_VIEW - 4))
        if side != self.table.iconSize().height():
            self.table.setIconSize(QSize(side, side))
            self.table.verticalHeader().setDefaultSectionSize(side + 4)

    def selected_result(self) -> Analysed | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.results[rows[0].row()] if rows else None

    def _on_selected(self) -> None:
        r = self.selected_result()
        self.selected.show_result(r)
        self.selection_changed.emit(r)
        if r is not None:
            self.table.scrollToItem(self.table.item(self.results.index(r), 0))  # the selected row is in view
            if self._plane_follows:
                self._put_plane_on(r)
            self._refresh_denoise()

    def _put_plane_on(self, r: Analysed) -> None:
        if r.predicted_class is not None:  # its code is a style under the class it was encoded as
            self.plane.set_label(r.predicted_class)
        self.plane.set_point(r.mean)

    def _on_clicked(self, row: int, _column: int) -> None:
        """A click on the row already selected (no selection change) puts the plane back on its code."""
        r = self.selected_result()
        if r is not None and self.results.index(r) == row:
            self._put_plane_on(r)

    def _refresh_denoise(self, *_args) -> None:
        r = self.selected_result()
        if r is None or self.vae is None:
            return
        (kind, amount), vae, clean = self.selected.noise, self.vae, r.input
        self.tasks.submit_latest("denoise", lambda: denoise(vae, clean, kind, amount, 0), self._show_denoised)

    def _show_denoised(self, reply: Denoised) -> None:
        if self.selected_result() is not None:
            self.selected.show_denoised(reply)
            self.last_denoise = reply

    # --- export -------------------------------------------------------------------------------------
    def save_png(self, path: Path | None) -> bool:
        """Every result, a row each, as one picture."""
        return self.export_image(path, render_results(self.results))

    def choose_png(self) -> None:
        self.save_png(self.ask_png(self.tr("Save the reconstruction panel"), "reconstructions.png"))
