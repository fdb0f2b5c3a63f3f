"""The Explore area: the latent plane, the decoded point, interpolation, 16x16 prior samples, and the
reconstruction (and denoising) of a person's own images dropped on the window.

Every call into the model runs on the TaskRunner's pool threads (the GUI package never imports
TensorFlow); single points go through the model's compiled one-point path, one in flight at a time,
so dragging decodes at display rate without a backlog.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSettings, QSize, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGraphicsItem,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from vae_explorer.config import CLASS_NAMES, IMAGE_SIZE, RESOURCES_DIR
from vae_explorer.errors import ImageError, VaeExplorerError
from vae_explorer.fileio import atomic_write
from vae_explorer.gui.plots import image_view
from vae_explorer.ml.images import (
    NOISE_KINDS,
    add_noise,
    image_from_rgba,
    preprocess_image,
    read_user_image,
    save_png,
    tile,
    to_uint8,
)
from vae_explorer.workers.tasks import TaskRunner

CLASS_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
SAMPLES_PER_SIDE = 16
MANIFOLD_PER_SIDE = 20
MAX_FILES_PER_DROP = 2000
SAMPLE_IMAGES_DIR = RESOURCES_DIR / "sample-images"
IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.bmp *.gif *.webp *.tif *.tiff);;All files (*)"


@dataclass
class Analysed:
    """One of the person's images, as the reconstruction table shows it."""

    name: str
    thumbnail: np.ndarray  # RGB uint8, for display
    input: np.ndarray  # 28x28 uint8, what the model saw
    reconstruction: np.ndarray  # 28x28 float in [0, 1]
    mean: np.ndarray  # latent mean
    total_loss: float
    ce_loss: float
    kl_loss: float
    anomaly_percentile: float | None


# --- work done on the pool threads (plain functions: nothing of Qt's crosses into them) ---------------
def _read_and_analyse(vae, sources: list[tuple[str, object]]) -> tuple[list[Analysed], list[str]]:
    """sources: (name, path or RGBA array). Unreadable ones become messages; the rest one batch."""
    names, thumbs, inputs, errors = [], [], [], []
    for name, source in sources:
        try:
            if isinstance(source, np.ndarray):
                thumb, x = source[..., :3].copy(), preprocess_image(image_from_rgba(source))
            else:
                thumb, x = read_user_image(source)
        except ImageError as exc:
            errors.append(f"{name}: {exc.reason}")
            continue
        except Exception as exc:  # noqa: BLE001 - one bad file must not cost the others their results
            errors.append(f"{name}: could not be read ({type(exc).__name__}: {exc})")
            continue
        names.append(name)
        thumbs.append(thumb)
        inputs.append(x)
    if not inputs:
        return [], errors
    a = vae.analyse(np.stack(inputs))
    pct = a["anomaly_percentile"]
    results = [
        Analysed(
            name=names[i], thumbnail=thumbs[i], input=inputs[i], reconstruction=a["reconstruction"][i],
            mean=a["mean"][i], total_loss=float(a["total_loss"][i]), ce_loss=float(a["ce_loss"][i]),
            kl_loss=float(a["kl_loss"][i]), anomaly_percentile=None if pct is None else float(pct[i]),
        )
        for i in range(len(inputs))
    ]
    return results, errors


def _denoise(vae, clean: np.ndarray, kind: str, amount: float, seed: int) -> dict:
    noisy = add_noise(clean[None], kind, amount, seed)
    a = vae.analyse(noisy)
    return {
        "noisy": noisy[0],
        "reconstruction": a["reconstruction"][0],
        "ce_loss": float(a["ce_loss"][0]),
        "error_vs_clean": pixel_error(a["reconstruction"][0], clean),
    }


def pixel_error(reconstruction: np.ndarray, clean: np.ndarray) -> float:
    """Mean absolute difference of a reconstruction in [0, 1] from a uint8 input."""
    return float(np.mean(np.abs(reconstruction - clean.astype(np.float32) / 255.0)))


def _test_latents(vae):
    """From the card; else encode the test set (needs the dataset)."""
    found = vae.test_latents()
    if found is not None:
        return found
    from vae_explorer.ml.data import load_fashion_mnist  # only for a model whose card lacks them

    data = load_fashion_mnist()
    means, _ = vae.encode(data.test_images)
    return means, data.test_labels


def _qimage_to_rgba(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    w, h, stride = image.width(), image.height(), image.bytesPerLine()
    buffer = np.frombuffer(image.constBits(), np.uint8, count=stride * h)
    return buffer.reshape(h, stride)[:, : w * 4].reshape(h, w, 4).copy()


def _pixmap(array: np.ndarray, size: int) -> QPixmap:
    """A uint8 grey (h, w) or RGB (h, w, 3) array, or float grey in [0, 1], as a pixmap scaled to `size`."""
    a = np.asarray(array)
    a = np.ascontiguousarray(a if a.dtype == np.uint8 else to_uint8(a))
    if a.ndim == 2:
        image = QImage(a.data, a.shape[1], a.shape[0], a.strides[0], QImage.Format.Format_Grayscale8)
    else:
        image = QImage(a.data, a.shape[1], a.shape[0], a.strides[0], QImage.Format.Format_RGB888)
    return QPixmap.fromImage(image.copy()).scaled(
        size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation
    )


def anomaly_colour(percentile: float) -> QColor:
    """Green for typical (low percentile) through yellow to red for anomalous (99+)."""
    p = min(max(percentile, 0.0), 100.0) / 100.0
    return QColor.fromHsvF(max(0.0, 0.33 * (1.0 - p**4)), 0.55, 0.95)


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
        else:
            if ev.button() == Qt.MouseButton.LeftButton:  # Shift+drag: pan, whatever the mouse mode
                ev.accept()
                self.translateBy(-(self.mapSceneToView(ev.scenePos()) - self.mapSceneToView(ev.lastScenePos())))
                return
            super().mouseDragEvent(ev, axis)


class _Markers(pg.ScatterPlotItem):
    """Points that let clicks through to the plane: a click on a dense cluster still picks that point."""

    def mouseClickEvent(self, ev):
        ev.ignore()


def _save_button(text: str, slot) -> QPushButton:
    button = QPushButton(QIcon.fromTheme("document-save"), text)
    button.clicked.connect(slot)
    button.setEnabled(False)
    return button


class ExplorerView(QWidget):
    """The whole Explore area. `set_model(vae)` shows a model; drop images anywhere on it."""

    status_message = Signal(str)
    point_decoded = Signal()  # the large image now shows the current point (tests and benchmarks wait on it)

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.vae = None
        self.latents: np.ndarray | None = None  # encoded test set (N, d)
        self.labels: np.ndarray | None = None
        self.z = None  # the current latent point (d,)
        self.z_a = self.z_b = None  # interpolation ends
        self.results: list[Analysed] = []
        self.last_errors: list[str] = []  # what the last drop could not use, one line per item
        self.grid_z: np.ndarray | None = None
        self.decoded: np.ndarray | None = None
        self.decoded_z: np.ndarray | None = None
        self.last_denoise: dict | None = None
        self.grid_images: np.ndarray | None = None
        self.strip_images: np.ndarray | None = None
        self.decodes = 0  # how many single points were decoded (the benchmark's counter)
        self._drop_count = 0
        self._pca: tuple[np.ndarray, np.ndarray] | None = None  # (centre, 2 x d components)
        self.setAcceptDrops(True)
        self._build()
        self._set_enabled(False)

    # --- layout ---------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.title = QLabel("Loading the model…")
        font = self.title.font()
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        self.title.setFont(font)
        self.details = QLabel("")
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addWidget(self.details, 1)

        # latent plane
        self.plane_box = LatentViewBox()
        self.plane = pg.PlotWidget(viewBox=self.plane_box, title="Latent plane: click or drag to decode")
        self.plane.setAcceptDrops(False)
        self.plane.setLabel("bottom", "z1")
        self.plane.setLabel("left", "z2")
        self.plane.showGrid(x=True, y=True, alpha=0.15)
        self.plane_box.setAspectLocked(True)
        self.legend = self.plane.addLegend(offset=(-5, 5), labelTextSize="8pt", labelTextColor="k")
        self.legend.setBrush(pg.mkBrush(255, 255, 255, 200))
        self.backdrop = pg.ImageItem()
        self.backdrop.setZValue(-10)
        self.backdrop.setOpacity(0.55)
        self.backdrop.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.plane.addItem(self.backdrop)
        self.class_scatter = []
        for c, name in enumerate(CLASS_NAMES):
            item = _Markers(size=3, pen=None, brush=pg.mkBrush(CLASS_COLOURS[c]), name=name)
            # 10,000 points that do not move while the crosshair does: Qt keeps them as a pixmap
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            self.plane.addItem(item)
            self.class_scatter.append(item)
        self.cross_v = pg.InfiniteLine(angle=90, pen=pg.mkPen("#222", width=1))
        self.cross_h = pg.InfiniteLine(angle=0, pen=pg.mkPen("#222", width=1))
        self.marks = _Markers(size=14, pen=pg.mkPen("k", width=1.5), brush=pg.mkBrush(255, 255, 255, 230))
        self.ends = _Markers(size=16, pen=pg.mkPen("k", width=1.5), brush=pg.mkBrush("#ffd700"))
        self.path = pg.PlotDataItem(pen=pg.mkPen("#ffd700", width=2, style=Qt.PenStyle.DashLine))
        for item in (self.cross_v, self.cross_h, self.path, self.marks, self.ends):
            item.setZValue(10)
            self.plane.addItem(item, ignoreBounds=True)
        self.plane_box.point_picked.connect(self._on_plane_point)
        self.plane.scene().sigMouseMoved.connect(self._on_hover)

        self.hover = QCheckBox("Decode on hover")
        self.hover.setToolTip("Decode wherever the pointer is, without clicking")
        self.manifold = QCheckBox("Decoded backdrop")
        self.manifold.setToolTip(f"Show a {MANIFOLD_PER_SIDE}x{MANIFOLD_PER_SIDE} grid of decoded images behind the points")
        self.manifold.toggled.connect(self._refresh_backdrop)
        self.scatter_on = QCheckBox("Test set")
        self.scatter_on.setChecked(True)
        self.scatter_on.toggled.connect(lambda on: [s.setVisible(on) for s in self.class_scatter])
        self.x_dim = QComboBox()
        self.y_dim = QComboBox()
        self.use_pca = QCheckBox("Principal components")
        self.use_pca.setToolTip("Show the plane of the first two principal components of the encoded test set")
        self._axes_chosen = False  # by the person (activated), so a model's own choice no longer applies
        for w in (self.x_dim, self.y_dim):
            w.currentIndexChanged.connect(self._on_axes_changed)
            w.activated.connect(self._on_axes_chosen)
        self.use_pca.toggled.connect(self._on_axes_changed)
        plane_controls = QHBoxLayout()
        for w in (self.scatter_on, self.manifold, self.hover):
            plane_controls.addWidget(w)
        plane_controls.addStretch(1)
        self.dims_row = QWidget()
        dims = QHBoxLayout(self.dims_row)
        dims.setContentsMargins(0, 0, 0, 0)
        for w in (QLabel("x:"), self.x_dim, QLabel("y:"), self.y_dim, self.use_pca):
            dims.addWidget(w)
        dims.addStretch(1)
        self.sliders_box = QGroupBox("Other latent dimensions")
        self.sliders_layout = QFormLayout(self.sliders_box)
        self.sliders: dict[int, QSlider] = {}
        left = QVBoxLayout()
        left.addLayout(plane_controls)
        left.addWidget(self.dims_row)
        left.addWidget(self.plane, 1)
        left.addWidget(self.sliders_box)
        left_widget = QWidget()
        left_widget.setLayout(left)

        # the decoded point
        self.point_widget = pg.GraphicsLayoutWidget()
        self.point_widget.setAcceptDrops(False)
        self.point_widget.setMinimumSize(220, 220)
        self.point_view, self.point_item = image_view(self.point_widget)
        self.point_label = QLabel("Click the latent plane.")
        self.point_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_point_button = _save_button("Save image…", self.choose_point_png)
        point_box = QVBoxLayout()
        point_box.addWidget(self.point_widget, 1)
        point_box.addWidget(self.point_label)
        point_box.addWidget(self.save_point_button)

        # interpolation
        self.set_a_button = QPushButton("A = current point")
        self.set_b_button = QPushButton("B = current point")
        self.set_a_button.clicked.connect(lambda: self.set_end("a"))
        self.set_b_button.clicked.connect(lambda: self.set_end("b"))
        self.steps = QSpinBox()
        self.steps.setRange(3, 30)
        self.steps.setValue(10)
        self.steps.setToolTip("Images along the straight path from A to B")
        self.steps.valueChanged.connect(self._refresh_strip)
        self.strip_widget = pg.GraphicsLayoutWidget()
        self.strip_widget.setAcceptDrops(False)
        self.strip_widget.setFixedHeight(110)
        self.strip_view, self.strip_item = image_view(self.strip_widget)
        self.save_strip_button = _save_button("Save strip…", self.choose_strip_png)
        interp_controls = QHBoxLayout()
        for w in (self.set_a_button, self.set_b_button, QLabel("steps"), self.steps, self.save_strip_button):
            interp_controls.addWidget(w)
        interp_controls.addStretch(1)
        interp = QVBoxLayout()
        interp.addWidget(QLabel("Interpolation: pick a point (or select a reconstructed image), set it as A, then B."))
        interp.addLayout(interp_controls)
        interp.addWidget(self.strip_widget)
        interp.addStretch(1)
        interp_tab = QWidget()
        interp_tab.setLayout(interp)

        # 16x16 samples
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setToolTip("The same seed gives the same grid")
        self.temperature = QDoubleSpinBox()
        self.temperature.setRange(0.05, 5.0)
        self.temperature.setSingleStep(0.1)
        self.temperature.setValue(1.0)
        self.temperature.setToolTip("Scale of the prior N(0, t² I): small is typical, large is unusual")
        self.resample_button = QPushButton("Resample")
        self.resample_button.setToolTip("New seed, new samples")
        self.resample_button.clicked.connect(self.resample)
        self.seed.valueChanged.connect(self._refresh_grid)
        self.temperature.valueChanged.connect(self._refresh_grid)
        self.save_grid_button = _save_button("Save grid…", self.choose_grid_png)
        grid_controls = QHBoxLayout()
        for w in (QLabel("seed"), self.seed, QLabel("temperature"), self.temperature, self.resample_button, self.save_grid_button):
            grid_controls.addWidget(w)
        grid_controls.addStretch(1)
        self.grid_widget = pg.GraphicsLayoutWidget()
        self.grid_widget.setAcceptDrops(False)
        self.grid_view, self.grid_item = image_view(self.grid_widget)
        self.grid_widget.scene().sigMouseClicked.connect(self._on_grid_click)
        samples = QVBoxLayout()
        samples.addLayout(grid_controls)
        samples.addWidget(self.grid_widget, 1)
        samples.addWidget(QLabel("256 samples from the prior, decoded in one batch. Click one to see it large and on the plane."))
        samples_tab = QWidget()
        samples_tab.setLayout(samples)

        # reconstruction of the person's images
        self.open_button = QPushButton(QIcon.fromTheme("document-open"), "Open images…")
        self.open_button.clicked.connect(self.choose_images)
        self.samples_button = QPushButton("Try the sample images")
        self.samples_button.clicked.connect(self.open_sample_images)
        self.paste_button = QPushButton(QIcon.fromTheme("edit-paste"), "Paste")
        self.paste_button.setToolTip("Reconstruct the image or image files on the clipboard (Ctrl+V)")
        self.paste_button.clicked.connect(self.paste)
        self.clear_button = QPushButton("Clear")
        self.clear_button.clicked.connect(self.clear_results)
        self.save_panel_button = _save_button("Save panel…", self.choose_panel_png)
        recon_controls = QHBoxLayout()
        for w in (self.open_button, self.samples_button, self.paste_button, self.clear_button, self.save_panel_button):
            recon_controls.addWidget(w)
        recon_controls.addStretch(1)
        self.drop_message = QLabel("Drop image files anywhere on this area (PNG, JPEG, GIF, BMP, WebP, TIFF).")
        self.drop_message.setWordWrap(True)
        self.drop_message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, 8)
        self.table.setHorizontalHeaderLabels(
            ["Image", "Original", "Input", "Reconstruction", "total_loss", "ce_loss", "kl_loss", "Anomaly"]
        )
        self.table.setIconSize(QSize(56, 56))
        self.table.verticalHeader().setDefaultSectionSize(60)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Every column in view at the window's default size, the anomaly score included: the pictures
        # take their icon's width, the numbers and headers their text's, the name what is left.
        columns = self.table.horizontalHeader()
        columns.setMinimumSectionSize(24)
        columns.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        columns.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, tip in ((1, "The image as read"), (2, "What the model sees: greyscale, garment on black, centred, 28×28"),
                            (3, "The model's reconstruction of the input"),
                            (7, "Share of the test images whose total_loss is lower: high means unlike the training data")):
            self.table.horizontalHeaderItem(column).setToolTip(tip)
        self.table.itemSelectionChanged.connect(self._on_result_selected)
        self.table.setAcceptDrops(False)
        self.table.viewport().setAcceptDrops(False)

        self.noise_kind = QComboBox()
        self.noise_kind.addItems([k.capitalize() for k in NOISE_KINDS])
        self.noise_amount = QSlider(Qt.Orientation.Horizontal)
        self.noise_amount.setRange(0, 100)
        self.noise_amount.setValue(30)
        self.noise_amount.setToolTip("Gaussian: standard deviation ×100; masking: percentage of pixels blacked out")
        self.noise_kind.currentIndexChanged.connect(self._refresh_denoise)
        self.noise_amount.valueChanged.connect(self._refresh_denoise)
        self.detail_labels = []
        detail = QGridLayout()
        captions = ("Input", "Reconstruction", "Noisy input", "Reconstruction of the noisy input")
        for column, caption in enumerate(captions):
            picture = QLabel()
            picture.setFixedSize(84, 84)
            picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
            picture.setStyleSheet("background: black;")
            detail.addWidget(picture, 0, column)
            text = QLabel(caption)
            text.setWordWrap(True)
            detail.addWidget(text, 1, column)
            self.detail_labels.append((picture, text))
        noise_row = QHBoxLayout()
        for w in (QLabel("Denoising — noise:"), self.noise_kind, QLabel("amount"), self.noise_amount):
            noise_row.addWidget(w)
        self.compression = QLabel("")
        self.compression.setWordWrap(True)
        self.detail_box = QGroupBox("Selected image")
        detail_layout = QVBoxLayout(self.detail_box)
        detail_layout.addLayout(detail)
        detail_layout.addLayout(noise_row)
        detail_layout.addWidget(self.compression)
        recon = QVBoxLayout()
        recon.addLayout(recon_controls)
        recon.addWidget(self.drop_message)
        recon.addWidget(self.table, 1)
        recon.addWidget(self.detail_box)
        self.recon_panel = QWidget()
        self.recon_panel.setLayout(recon)

        self.tabs = QTabWidget()
        self.tabs.addTab(self.recon_panel, "Reconstruct && denoise")
        self.tabs.addTab(samples_tab, "16×16 samples")
        self.tabs.addTab(interp_tab, "Interpolation")

        right_top = QWidget()
        right_top.setLayout(point_box)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(right_top)
        right.addWidget(self.tabs)
        right.setSizes([260, 540])
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left_widget)
        split.addWidget(right)
        split.setSizes([640, 640])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(header)
        layout.addWidget(split, 1)
        QShortcut(QKeySequence.StandardKey.Paste, self, activated=self.paste)

    def _set_enabled(self, on: bool) -> None:
        for w in (self.plane, self.tabs, self.hover, self.manifold, self.scatter_on, self.dims_row, self.sliders_box):
            w.setEnabled(on)

    # --- the model ------------------------------------------------------------------------------------
    def set_model(self, vae) -> None:
        self.vae = vae
        d = vae.latent_dim
        self.latents = self.labels = None
        self._pca = None
        self.z = np.zeros(d, np.float32)
        self.z_a = self.z_b = None
        self.results = []
        self.table.setRowCount(0)
        self._show_detail(None)
        self.show_model_facts(vae)
        for w in (self.x_dim, self.y_dim):
            w.blockSignals(True)
            w.clear()
            w.addItems([f"z{i + 1}" for i in range(d)])
            w.blockSignals(False)
        self.x_dim.setCurrentIndex(0)
        self.y_dim.setCurrentIndex(min(1, d - 1))
        self._axes_chosen = False
        self.use_pca.setChecked(False)
        self.dims_row.setVisible(d > 2)
        self._build_sliders()
        self._set_enabled(True)
        for s in self.class_scatter:
            s.setData([], [])
        self.tasks.submit("latents", lambda: _test_latents(vae), self._on_latents, self._on_latents_failed)
        self._update_axes_labels()
        self._refresh_all()

    def show_model_facts(self, vae) -> None:
        card = vae.card or {}
        self.title.setText(f"Model: {vae.name}" if vae.path else "Model: trained in this session (unsaved)")
        facts = [f"latent dimension {vae.latent_dim}", f"β = {card.get('beta', vae.model.beta)}"]
        test = (card.get("metrics") or {}).get("test") or {}
        if test:
            facts.append(f"test total_loss {test['total_loss']:.2f} (ce {test['ce_loss']:.2f}, kl {test['kl_loss']:.2f}) nats")
        training = card.get("training") or {}
        if training.get("epochs_completed") is not None:
            facts.append(f"{training['epochs_completed']} epochs, {training.get('wall_time_s', 0):.0f} s of training")
        if not card:
            facts.append("no model card beside this file")
        self.details.setText(" · ".join(facts))

    def _build_sliders(self) -> None:
        while self.sliders_layout.rowCount():
            self.sliders_layout.removeRow(0)
        self.sliders = {}
        d = self.vae.latent_dim
        for i in range(d):
            slider = QSlider(Qt.Orientation.Horizontal)
            slider.setRange(-300, 300)  # hundredths: -3 to 3 standard deviations of the prior
            slider.setValue(0)
            slider.valueChanged.connect(self._on_slider)
            self.sliders[i] = slider
            self.sliders_layout.addRow(f"z{i + 1}", slider)
        self._update_slider_rows()

    def _update_slider_rows(self) -> None:
        shown = self._plane_dims()
        free = [i for i in self.sliders if shown is None or i not in shown]
        for i in self.sliders:
            self.sliders_layout.setRowVisible(i, i in free)
        self.sliders_box.setVisible(self.vae is not None and self.vae.latent_dim > 2 and not self.use_pca.isChecked()
                                    and bool(free))

    def _on_latents(self, found) -> None:
        if found is None:
            return
        means, labels = found
        self.latents, self.labels = np.asarray(means, np.float32), np.asarray(labels)
        if self.vae is not None and self.vae.latent_dim > 2:
            centre = self.latents.mean(axis=0)
            _, _, vt = np.linalg.svd(self.latents - centre, full_matrices=False)
            self._pca = (centre, vt[:2])
            if not self._axes_chosen:
                self._show_most_used_dimensions()
        self._draw_scatter()
        self.plane_box.autoRange()
        self._refresh_backdrop()

    def _on_axes_chosen(self, *_args) -> None:
        self._axes_chosen = True

    def _show_most_used_dimensions(self) -> None:
        """Put on the plane the two dimensions the encoded test set spreads over most. With more than
        two, a VAE leaves some nearly unused (their codes stay at the prior's centre: the shipped
        8-dimensional model uses six, and leaves z2 and z5 at 0), and z1 / z2 may be among those."""
        x, y = np.argsort(self.latents.var(axis=0))[::-1][:2]
        for combo, index in ((self.x_dim, x), (self.y_dim, y)):
            combo.blockSignals(True)
            combo.setCurrentIndex(int(index))
            combo.blockSignals(False)
        self._update_slider_rows()
        self._update_axes_labels()
        # Only what the axes place moves; the scatter and backdrop follow in _on_latents, and the
        # sample grid and the strip do not depend on the plane.
        self.set_point(self.z)
        self._draw_marks()

    def _on_latents_failed(self, message: str) -> None:
        self.status_message.emit("The test set could not be encoded for the plane: " + message.splitlines()[0])
        self.use_pca.setEnabled(False)

    # --- plane coordinates <-> latent points --------------------------------------------------------------
    def _plane_dims(self) -> tuple[int, int] | None:
        if self.vae is None or self.use_pca.isChecked():
            return None
        return self.x_dim.currentIndex(), self.y_dim.currentIndex()

    def plane_to_z(self, u: float, v: float) -> np.ndarray:
        """The full latent point under plane coordinates (u, v)."""
        if self.use_pca.isChecked() and self._pca is not None:
            centre, components = self._pca
            return (centre + u * components[0] + v * components[1]).astype(np.float32)
        z = np.array([self.sliders[i].value() / 100.0 for i in range(self.vae.latent_dim)], np.float32)
        i, j = self._plane_dims()
        z[i], z[j] = u, v
        return z

    def z_to_plane(self, z: np.ndarray) -> np.ndarray:
        """Plane coordinates of latent points (N, d) -> (N, 2)."""
        z = np.atleast_2d(z)
        if self.use_pca.isChecked() and self._pca is not None:
            centre, components = self._pca
            return (z - centre) @ components.T
        i, j = self._plane_dims()
        return z[:, [i, j]]

    def _on_axes_changed(self, *_args) -> None:
        if self.vae is None:
            return
        if self.use_pca.isChecked() and self._pca is None:
            self.use_pca.setChecked(False)
            self.status_message.emit("Principal components need the encoded test set, which is not available")
            return
        self._update_slider_rows()
        self._update_axes_labels()
        self._draw_scatter()
        self.plane_box.autoRange()
        # The current point, the sample grid and the strip are latent points, not plane positions:
        # nothing to decode again. What the plane places moves (backdrop, crosshair, marks).
        self._refresh_backdrop()
        self._draw_marks()

    def _update_axes_labels(self) -> None:
        dims = self._plane_dims()
        x, y = ("PC1", "PC2") if dims is None else (f"z{dims[0] + 1}", f"z{dims[1] + 1}")
        self.plane.setLabel("bottom", x)
        self.plane.setLabel("left", y)

    def _on_slider(self, *_args) -> None:
        if self.vae is None:
            return
        dims = self._plane_dims()
        if dims is not None and self.z is not None:
            u, v = self.z[dims[0]], self.z[dims[1]]
            self.z = self.plane_to_z(u, v)
        self._refresh_all()

    def _draw_scatter(self) -> None:
        if self.latents is None:
            return
        xy = self.z_to_plane(self.latents)
        for c, item in enumerate(self.class_scatter):
            picked = self.labels == c
            item.setData(xy[picked, 0], xy[picked, 1])

    def _refresh_all(self) -> None:
        self._decode_current()
        self._refresh_backdrop()
        self._refresh_grid()
        self._refresh_strip()
        self._draw_marks()

    # --- the current point ----------------------------------------------------------------------------
    def _on_plane_point(self, u: float, v: float) -> None:
        if self.vae is not None:
            self.set_point(self.plane_to_z(u, v))

    def _on_hover(self, scene_pos) -> None:
        if not self.hover.isChecked() or self.vae is None:
            return
        if self.plane_box.sceneBoundingRect().contains(scene_pos):
            p = self.plane_box.mapSceneToView(scene_pos)
            self.set_point(self.plane_to_z(p.x(), p.y()))

    def set_point(self, z: np.ndarray) -> None:
        """Make z the current point: crosshair on the plane, its decoded image large beside it."""
        self.z = np.asarray(z, np.float32).reshape(-1)
        u, v = self.z_to_plane(self.z)[0]
        self.cross_v.setPos(u)
        self.cross_h.setPos(v)
        self._decode_current()

    def _decode_current(self) -> None:
        if self.vae is None or self.z is None:
            return
        vae, z = self.vae, self.z.copy()
        self.tasks.submit_latest("point", lambda: (z, vae.decode_point(z)), self._on_point_decoded)

    def _on_point_decoded(self, reply) -> None:
        z, image = reply
        self.decodes += 1
        self.decoded = image
        self.decoded_z = z
        self.point_item.setImage(image, levels=(0, 1))
        coords = ", ".join(f"{v:+.3f}" for v in z[:8]) + (" …" if len(z) > 8 else "")
        self.point_label.setText(f"z = ({coords})")
        self.save_point_button.setEnabled(True)
        self.point_decoded.emit()

    def _draw_marks(self) -> None:
        if self.vae is None:
            return
        spots = []
        if self.results:
            xy = self.z_to_plane(np.stack([r.mean for r in self.results]))
            spots = [{"pos": tuple(p), "symbol": "star", "data": i} for i, p in enumerate(xy)]
        self.marks.setData(spots)
        ends = [z for z in (self.z_a, self.z_b) if z is not None]
        if ends:
            xy = self.z_to_plane(np.stack(ends))
            self.ends.setData([{"pos": tuple(p), "symbol": "t" if k == 0 else "s"} for k, p in enumerate(xy)])
        else:
            self.ends.setData([])
        if self.z_a is not None and self.z_b is not None:
            xy = self.z_to_plane(np.stack([self.z_a, self.z_b]))
            self.path.setData(xy[:, 0], xy[:, 1])
        else:
            self.path.setData([], [])
        if self.z is not None:
            u, v = self.z_to_plane(self.z)[0]
            self.cross_v.setPos(u)
            self.cross_h.setPos(v)

    # --- backdrop: the decoded manifold ---------------------------------------------------------------
    def _refresh_backdrop(self, *_args) -> None:
        if self.vae is None or not self.manifold.isChecked():
            self.backdrop.clear()
            return
        n = MANIFOLD_PER_SIDE
        if self.latents is not None:
            xy = self.z_to_plane(self.latents)
            low, high = np.percentile(xy, 0.5, axis=0), np.percentile(xy, 99.5, axis=0)
        else:  # the prior's bulk
            edge = NormalDist().inv_cdf(0.995)
            low, high = np.array([-edge, -edge]), np.array([edge, edge])
        us, vs = np.linspace(low[0], high[0], n), np.linspace(low[1], high[1], n)
        zs = np.stack([self.plane_to_z(u, v) for v in vs for u in us])  # row r: v = vs[r], bottom first
        vae = self.vae
        rect = (low[0] - (us[1] - us[0]) / 2, low[1] - (vs[1] - vs[0]) / 2, high[0] - low[0] + (us[1] - us[0]),
                high[1] - low[1] + (vs[1] - vs[0]))
        self.tasks.submit("backdrop", lambda: vae.decode(zs), lambda images: self._show_backdrop(images, rect))

    def _show_backdrop(self, images: np.ndarray, rect) -> None:
        if not self.manifold.isChecked():
            return
        # The view's y grows upwards and an ImageItem's row 0 sits at the bottom: flip each tile so
        # the garments stand upright, rows of the mosaic already run bottom (low v) to top.
        mosaic = tile(images[:, ::-1, :], MANIFOLD_PER_SIDE)
        self.backdrop.setImage(mosaic, levels=(0, 1))
        self.backdrop.setRect(*rect)

    # --- 16x16 samples --------------------------------------------------------------------------------
    def resample(self) -> None:
        self.seed.setValue(int(np.random.default_rng().integers(0, 2**31 - 1)))

    def _refresh_grid(self, *_args) -> None:
        if self.vae is None:
            return
        vae, seed, t = self.vae, self.seed.value(), self.temperature.value()
        n = SAMPLES_PER_SIDE**2

        def work():
            z = vae.sample_latents(n, seed, t)
            return z, vae.decode(z)

        self.tasks.submit("grid", work, self._show_grid)

    def _show_grid(self, reply) -> None:
        self.grid_z, self.grid_images = reply
        self.grid_item.setImage(tile(self.grid_images, SAMPLES_PER_SIDE), levels=(0, 1))
        self.save_grid_button.setEnabled(True)

    def _on_grid_click(self, ev) -> None:
        if self.grid_z is None:
            return
        p = self.grid_item.mapFromScene(ev.scenePos())
        col, row = int(p.x() // IMAGE_SIZE), int(p.y() // IMAGE_SIZE)
        if 0 <= col < SAMPLES_PER_SIDE and 0 <= row < SAMPLES_PER_SIDE:
            self.pick_sample(row * SAMPLES_PER_SIDE + col)

    def pick_sample(self, index: int) -> None:
        """Show sample `index` of the grid large and mark it on the plane."""
        self.set_point(self.grid_z[index])
        self.status_message.emit(f"Sample {index + 1} of the grid (seed {self.seed.value()})")

    # --- interpolation --------------------------------------------------------------------------------
    def set_end(self, which: str) -> None:
        if self.z is None:
            return
        if which == "a":
            self.z_a = self.z.copy()
        else:
            self.z_b = self.z.copy()
        self._draw_marks()
        self._refresh_strip()

    def _refresh_strip(self, *_args) -> None:
        if self.vae is None or self.z_a is None or self.z_b is None:
            return
        vae, a, b, n = self.vae, self.z_a, self.z_b, self.steps.value()
        t = np.linspace(0.0, 1.0, n, dtype=np.float32)[:, None]
        zs = (1 - t) * a + t * b
        self.tasks.submit("strip", lambda: vae.decode(zs), self._show_strip)

    def _show_strip(self, images: np.ndarray) -> None:
        self.strip_images = images
        self.strip_item.setImage(tile(images, len(images)), levels=(0, 1))
        self.strip_view.autoRange()
        self.save_strip_button.setEnabled(True)

    # --- the person's images --------------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() or event.mimeData().hasImage():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        if self.handle_mime(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def handle_mime(self, mime) -> bool:
        """Dropped or pasted data: local files, or an image itself. Anything else gets a message."""
        if mime.hasUrls():
            paths, refused = [], []
            for url in mime.urls():
                if url.isLocalFile():
                    paths.append(Path(url.toLocalFile()))
                else:
                    refused.append(f"{url.toDisplayString()}: not a file on this computer (download it first)")
            self.analyse_sources([(p.name, p) for p in paths], refused)
            return True
        if mime.hasImage():
            image = QImage(mime.imageData())
            if image.isNull():
                self._show_errors(["the pasted data is not an image"])
                return False
            self.analyse_sources([("pasted image", _qimage_to_rgba(image))], [])
            return True
        self._show_errors(["nothing usable: drop or paste image files, or an image"])
        return False

    def open_images(self, paths: list[Path]) -> None:
        self.analyse_sources([(Path(p).name, Path(p)) for p in paths], [])

    def choose_images(self) -> None:
        start = QSettings().value("paths/images", str(Path.home()))
        paths, _ = QFileDialog.getOpenFileNames(self, "Reconstruct images", start, IMAGE_FILTER)
        if paths:
            QSettings().setValue("paths/images", str(Path(paths[0]).parent))
            self.open_images([Path(p) for p in paths])

    def open_sample_images(self) -> None:
        files = sorted(p for p in SAMPLE_IMAGES_DIR.glob("*") if p.is_file())
        if not files:
            self._show_errors([f"no sample images found in {SAMPLE_IMAGES_DIR}"])
            return
        self.open_images(files)

    def paste(self) -> None:
        if self.vae is None:
            return
        self.tabs.setCurrentWidget(self.recon_panel)
        self.handle_mime(QGuiApplication.clipboard().mimeData())

    def analyse_sources(self, sources: list[tuple[str, object]], refused: list[str]) -> None:
        if self.vae is None:
            self._show_errors(["no model is loaded yet"])
            return
        if len(sources) > MAX_FILES_PER_DROP:
            refused = refused + [f"{len(sources) - MAX_FILES_PER_DROP} more files left out (at most {MAX_FILES_PER_DROP} at a time)"]
            sources = sources[:MAX_FILES_PER_DROP]
        self.tabs.setCurrentWidget(self.recon_panel)
        if not sources:
            self._show_errors(refused)
            return
        self.drop_message.setText(f"Reading {len(sources)} image{'s' if len(sources) != 1 else ''}…")
        self._drop_count += 1
        vae = self.vae
        self.tasks.submit(
            f"analyse-{self._drop_count}",
            lambda: _read_and_analyse(vae, sources),
            lambda reply: self._on_analysed(vae, reply, refused),
            lambda message: self._show_errors(refused + [message.splitlines()[0]]),
        )

    def _on_analysed(self, vae, reply, refused: list[str]) -> None:
        results, errors = reply
        errors = refused + errors
        if vae is not self.vae:  # the model changed meanwhile: these numbers belong to another model
            return
        first_new = len(self.results)
        self.results.extend(results)
        self.table.setUpdatesEnabled(False)
        for r in results:
            self._add_row(r)
        self.table.setUpdatesEnabled(True)
        self._draw_marks()
        self.save_panel_button.setEnabled(bool(self.results))
        if results:
            self.table.selectRow(first_new)
        self.last_errors = errors
        if errors:
            self._show_errors(errors, ok=len(results))
        else:
            self.drop_message.setStyleSheet("")
            self.drop_message.setText(f"Reconstructed {len(results)} image{'s' if len(results) != 1 else ''}.")

    def _show_errors(self, errors: list[str], ok: int = 0) -> None:
        self.last_errors = list(errors)
        head = f"Reconstructed {ok} image{'s' if ok != 1 else ''}; " if ok else ""
        shown = "\n".join(f"• {e}" for e in errors[:6]) + (f"\n… and {len(errors) - 6} more" if len(errors) > 6 else "")
        self.drop_message.setStyleSheet("color: #b00020;")
        self.drop_message.setText(f"{head}{len(errors)} could not be used:\n{shown}")
        self.status_message.emit(f"{len(errors)} dropped item{'s' if len(errors) != 1 else ''} could not be used")

    def _add_row(self, r: Analysed) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        name = QTableWidgetItem(r.name)
        name.setToolTip(r.name)
        self.table.setItem(row, 0, name)
        for column, picture in ((1, r.thumbnail), (2, r.input), (3, r.reconstruction)):
            item = QTableWidgetItem()
            item.setIcon(QIcon(_pixmap(picture, 56)))
            self.table.setItem(row, column, item)
        for column, value in ((4, r.total_loss), (5, r.ce_loss), (6, r.kl_loss)):
            item = QTableWidgetItem(f"{value:.1f}")
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, column, item)
        if r.anomaly_percentile is None:
            item = QTableWidgetItem("n/a")
            item.setToolTip("This model's card has no test-set losses to compare with")
        else:
            item = QTableWidgetItem(f"{r.anomaly_percentile:.1f} %")
            item.setBackground(anomaly_colour(r.anomaly_percentile))
            item.setForeground(QColor("black"))
            item.setToolTip(
                f"{r.anomaly_percentile:.1f} % of the test images have a lower total_loss: "
                + ("typical" if r.anomaly_percentile < 90 else "unusual" if r.anomaly_percentile < 99 else "anomalous")
            )
        self.table.setItem(row, 7, item)

    def clear_results(self) -> None:
        self.results = []
        self.table.setRowCount(0)
        self._show_detail(None)
        self._draw_marks()
        self.save_panel_button.setEnabled(False)
        self.drop_message.setStyleSheet("")
        self.drop_message.setText("Drop image files anywhere on this area (PNG, JPEG, GIF, BMP, WebP, TIFF).")

    def selected_result(self) -> Analysed | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.results[rows[0].row()] if rows else None

    def _on_result_selected(self) -> None:
        r = self.selected_result()
        self._show_detail(r)
        if r is not None:
            self.set_point(r.mean)
            self._refresh_denoise()

    def _show_detail(self, r: Analysed | None) -> None:
        self.detail_box.setEnabled(r is not None)
        if r is None:
            for picture, _ in self.detail_labels:
                picture.clear()
            self.compression.setText("Select a reconstructed image to see its code, its cost and how it copes with noise.")
            return
        self.detail_labels[0][0].setPixmap(_pixmap(r.input, 84))
        self.detail_labels[1][0].setPixmap(_pixmap(r.reconstruction, 84))
        self.detail_labels[1][1].setText(f"Reconstruction — ce_loss {r.ce_loss:.1f}")
        d = len(r.mean)
        error = pixel_error(r.reconstruction, r.input)
        self.compression.setText(
            f"Compression: the latent code is {d} floats ({4 * d} bytes) against the input's 784 bytes — "
            f"{784 / (4 * d):.0f}× smaller. What that costs: ce_loss {r.ce_loss:.1f} nats, "
            f"mean absolute pixel error {error:.3f}. Latent mean z = ({', '.join(f'{v:+.2f}' for v in r.mean[:8])}"
            f"{' …' if d > 8 else ''})."
        )

    def _refresh_denoise(self, *_args) -> None:
        r = self.selected_result()
        if r is None or self.vae is None:
            return
        kind = NOISE_KINDS[self.noise_kind.currentIndex()]
        amount = self.noise_amount.value() / 100.0
        vae, clean = self.vae, r.input
        self.tasks.submit_latest("denoise", lambda: _denoise(vae, clean, kind, amount, 0), self._show_denoise)

    def _show_denoise(self, reply: dict) -> None:
        if self.selected_result() is None:
            return
        self.detail_labels[2][0].setPixmap(_pixmap(reply["noisy"], 84))
        self.detail_labels[3][0].setPixmap(_pixmap(reply["reconstruction"], 84))
        self.detail_labels[3][1].setText(
            f"Reconstruction of the noisy input — mean abs. error to the clean input {reply['error_vs_clean']:.3f}"
        )
        self.last_denoise = reply

    # --- exports --------------------------------------------------------------------------------------
    def _ask_png(self, title: str, name: str) -> Path | None:
        start = Path(QSettings().value("paths/exports", str(Path.home())))
        path, _ = QFileDialog.getSaveFileName(self, title, str(start / name), "PNG image (*.png)")
        if not path:
            return None
        path = Path(path)
        if path.suffix.lower() != ".png":
            path = path.with_suffix(".png")
        QSettings().setValue("paths/exports", str(path.parent))
        return path

    def _export(self, path: Path | None, write) -> bool:
        if path is None:
            return False
        try:
            write(path)
        except (OSError, ValueError, VaeExplorerError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            self.status_message.emit(f"Could not save {path.name}: {reason}")
            self.drop_message.setText(f"Could not save {path}: {reason}. Choose another folder.")
            return False
        self.status_message.emit(f"Saved {path}")
        return True

    def save_point_png(self, path: Path) -> bool:
        return self._export(path, lambda p: save_png(self.decoded, p))

    def save_grid_png(self, path: Path) -> bool:
        return self._export(path, lambda p: save_png(tile(self.grid_images, SAMPLES_PER_SIDE), p))

    def save_strip_png(self, path: Path) -> bool:
        return self._export(path, lambda p: save_png(tile(self.strip_images, len(self.strip_images)), p))

    def save_panel_png(self, path: Path) -> bool:
        def write(p: Path) -> None:
            picture = self.recon_panel.grab()

            def save(tmp: Path) -> None:
                if not picture.save(str(tmp), "PNG"):
                    raise OSError(f"Qt could not write {tmp}")

            atomic_write(p, save)

        return self._export(path, write)

    def choose_point_png(self) -> None:
        self.save_point_png(self._ask_png("Save the decoded image", "decoded.png"))

    def choose_grid_png(self) -> None:
        self.save_grid_png(self._ask_png("Save the sample grid", f"samples-seed{self.seed.value()}.png"))

    def choose_strip_png(self) -> None:
        self.save_strip_png(self._ask_png("Save the interpolation strip", "interpolation.png"))

    def choose_panel_png(self) -> None:
        self.save_panel_png(self._ask_png("Save the reconstruction panel", "reconstructions.png"))

