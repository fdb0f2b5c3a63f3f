"""The Train area: hyper-parameters, Start / Continue / Pause-Resume / Stop, live plots, progress and previews."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSettings, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from vae_explorer.config import (
    MAX_BATCH_SIZE,
    MAX_EPOCHS,
    MAX_FOURIER_FEATURES,
    MAX_LATENT_DIM,
    MAX_LEARNING_RATE,
    ModelConfig,
    TrainingConfig,
    cpu_has_native_bf16,
    read_checkpoint_progress,
)
from vae_explorer.fileio import atomic_write
from vae_explorer.gui.plots import (
    RangeFollower,
    StreamingCurve,
    cache_static_parts,
    fix_tick_label_width,
    image_view,
    typical_bounds,
)
from vae_explorer.ml.data import TRAIN_IMAGES
from vae_explorer.ml.images import tile
from vae_explorer.workers.training import BATCH_COLUMNS, TrainingWorker

COLOURS = {"total_loss": "#1f77b4", "ce_loss": "#ff7f0e", "kl_loss": "#2ca02c", "training_time": "#7f7f7f"}


def checkpoint_path() -> Path:
    """Where each run writes its checkpoint (its folder is made when a run starts)."""
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)) / "checkpoints"
    return folder / "last-run.checkpoint.keras"


class TrainingDashboard(QWidget):
    """Owns the training worker; tells the window when a model is trained."""

    model_trained = Signal(object)  # the VAE (with its card) ready for Explore and for saving
    status_message = Signal(str)
    running_changed = Signal(bool)
    # The form's fields remembered between sessions (QSettings), by the attribute that holds each.
    WHOLE_NUMBER_SETTINGS = ("epochs", "batch_size", "latent_dim", "fourier_features", "seed", "subset")
    DECIMAL_SETTINGS = ("learning_rate", "beta", "kl_warmup")

    def __init__(self, parent: QWidget | None = None, data_dir: Path | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.worker: TrainingWorker | None = None
        self.validation_limit: int | None = None  # tests use a small validation set
        self.state = "idle"  # idle | running | paused | stopping
        self.plan = None
        self.started_at = 0.0
        self._preview_originals: np.ndarray | None = None
        self._build()
        self._set_state("idle")

    # --- layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        d = TrainingConfig()
        self.epochs = self._spin(1, MAX_EPOCHS, d.epochs, "Passes over the training set")
        self.batch_size = self._spin(8, MAX_BATCH_SIZE, d.batch_size, "Images per optimisation step")
        self.learning_rate = self._dspin(1e-5, MAX_LEARNING_RATE, d.learning_rate, 5, 1e-4, "Adam's starting rate, cosine-decayed over the run")
        self.latent_dim = self._spin(1, MAX_LATENT_DIM, d.model.latent_dim, "2 makes the latent plane the whole latent space")
        self.beta = self._dspin(0.0, 100.0, d.model.beta, 2, 0.1, "Weight of the KL term (1 = the true ELBO)")
        self.kl_warmup = self._dspin(0.0, 1000.0, d.kl_warmup_epochs, 1, 1.0, "Epochs over which the KL weight ramps from 0 to beta")
        self.fourier_features = self._spin(
            0, MAX_FOURIER_FEATURES, d.model.fourier_features,
            "The decoder sees sin and cos of this many fixed random projections of the latent code beside the "
            "code itself; 0 = the code alone. At latent 2, 128 reached 259.6 nats after 5 epochs, the code alone 264.1",
        )
        self.seed = self._spin(0, 2**31 - 1, d.seed, "Same seed, same run")
        self.precision = QComboBox()
        auto = "bfloat16" if cpu_has_native_bf16() else "float32"
        for value, text in (("auto", f"Auto ({auto} here)"), ("float32", "float32"),
                            ("bfloat16", "bfloat16 (mixed)")):
            self.precision.addItem(text, value)
        self.precision.setToolTip(
            "Arithmetic of training. bfloat16 (mixed: bf16 compute, float32 weights and loss) trained the default "
            "model 1.4x faster, 0.44 nats worse, on a CPU with AVX-512 BF16 / AMX; Auto picks it only where the "
            "CPU computes bf16 natively. "
            "Saved models always compute in float32."
        )
        self.full_set = QCheckBox(f"All {TRAIN_IMAGES.shape[0]:,}")
        self.full_set.setChecked(True)
        self.subset = self._spin(100, TRAIN_IMAGES.shape[0], 5000, "Train on the first N images")
        self.full_set.toggled.connect(lambda full: self.subset.setEnabled(not full and self.state == "idle"))
        form = QFormLayout()
        form.addRow("Epochs", self.epochs)
        form.addRow("Batch size", self.batch_size)
        form.addRow("Learning rate", self.learning_rate)
        form.addRow("Latent dimension", self.latent_dim)
        form.addRow("β (KL weight)", self.beta)
        form.addRow("KL warm-up (epochs)", self.kl_warmup)
        form.addRow("Fourier features", self.fourier_features)
        form.addRow("Seed", self.seed)
        form.addRow("Precision", self.precision)
        subset_row = QHBoxLayout()
        subset_row.addWidget(self.full_set)
        subset_row.addWidget(self.subset)
        form.addRow("Training images", subset_row)
        params = QGroupBox("Hyper-parameters")
        params.setLayout(form)
        self.form_widgets = [self.epochs, self.batch_size, self.learning_rate, self.latent_dim, self.beta,
                             self.kl_warmup, self.fourier_features, self.seed, self.precision, self.full_set, self.subset]

        self.start_button = QPushButton("Start")
        self.start_button.setShortcut("Ctrl+R")
        self.start_button.setToolTip("Start training (Ctrl+R)")
        self.continue_button = QPushButton("Continue")
        self.continue_button.setShortcut("Ctrl+Shift+R")
        self.pause_button = QPushButton("Pause")
        self.pause_button.setShortcut("Ctrl+P")
        self.pause_button.setToolTip("Pause or resume (Ctrl+P)")
        self.stop_button = QPushButton("Stop")
        self.stop_button.setShortcut("Ctrl+.")
        self.stop_button.setToolTip("Stop after the current batch; the model keeps what it learned (Ctrl+.)")
        self.start_button.clicked.connect(self.start)
        self.continue_button.clicked.connect(self.continue_last_run)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.stop_button.clicked.connect(self.stop)
        buttons = QHBoxLayout()
        for b in (self.start_button, self.continue_button, self.pause_button, self.stop_button):
            buttons.addWidget(b)

        self.progress = QProgressBar()
        self.progress.setFormat("%p%")
        self.progress_label = QLabel("Not started")
        self.progress_label.setWordWrap(True)
        self.warning_label = QLabel()  # a problem the run survives (a checkpoint not written), until the next run
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet("color: #b35900;")
        self.warning_label.hide()
        self.warnings: list[str] = []

        self.preview_widget = pg.GraphicsLayoutWidget()
        self.preview_widget.setFixedHeight(110)
        self.preview_widget.setToolTip("Fixed test images (top) and their reconstructions after each epoch (bottom)")
        self.preview_view, self.preview_item = image_view(self.preview_widget)

        left = QVBoxLayout()
        left.addWidget(params)
        left.addLayout(buttons)
        left.addWidget(self.progress)
        left.addWidget(self.progress_label)
        left.addWidget(self.warning_label)
        left.addWidget(QLabel("Reconstructions, refreshed each epoch:"))
        left.addWidget(self.preview_widget)
        left.addStretch(1)
        left_widget = QWidget()
        left_widget.setLayout(left)
        left_widget.setFixedWidth(360)

        # plots
        self.smooth = QCheckBox("Smooth")
        self.smooth.setToolTip("Moving average over the chosen number of batches")
        self.smooth_window = self._spin(2, 1000, 25, "Batches in the moving average")
        self.log_y = QCheckBox("Log scale")
        self.smooth.toggled.connect(self._redraw)
        self.smooth_window.valueChanged.connect(self._redraw)
        self.log_y.toggled.connect(self._set_log)
        self.median_label = QLabel("median: –")
        plot_controls = QHBoxLayout()
        for w in (self.smooth, self.smooth_window, self.log_y):
            plot_controls.addWidget(w)
        plot_controls.addStretch(1)
        plot_controls.addWidget(self.median_label)

        self.loss_plot = self._plot("Loss per batch (nats per image)")
        self.kl_plot = self._plot("KL divergence per batch (nats)")
        self.time_plot = self._plot("Training time per batch (ms)")
        self.kl_plot.setXLink(self.loss_plot)
        self.time_plot.setXLink(self.loss_plot)
        self.time_plot.setLabel("bottom", "batch")
        for p in (self.loss_plot, self.kl_plot):  # one shared batch axis, labelled under the last plot
            p.getAxis("bottom").setStyle(showValues=False)
        for p in (self.kl_plot, self.time_plot):  # linked to the loss plot's x; never auto-ranged alone
            p.getPlotItem().enableAutoRange(x=False)
        self.curves = {
            "total_loss": StreamingCurve(self.loss_plot.plot(pen=COLOURS["total_loss"], name="total_loss")),
            "ce_loss": StreamingCurve(self.loss_plot.plot(pen=COLOURS["ce_loss"], name="ce_loss")),
            "kl_loss": StreamingCurve(self.kl_plot.plot(pen=COLOURS["kl_loss"], name="kl_loss")),
            "training_time": StreamingCurve(self.time_plot.plot(pen=COLOURS["training_time"], name="training_time")),
        }
        # The views follow the data in coarse steps rather than pyqtgraph's per-update auto-range: an
        # axis whose range changes re-renders its labels, and with three plots re-ranged on every
        # batch the repaints alone stalled the event loop for 60-110 ms (benchmarks/gui_stall.py).
        # Batch times: the first batch of a run traces the step (~2 s against ~30 ms); it runs off the top.
        self._next_follower = 0  # whose range may move first on the next block
        self.followers = [
            RangeFollower(self.loss_plot, 0),
            RangeFollower(self.loss_plot, 1),
            RangeFollower(self.kl_plot, 1),
            RangeFollower(self.time_plot, 1, bounds=lambda: typical_bounds(self.curves["training_time"])),
        ]
        self.val_markers = {
            "total_loss": self.loss_plot.plot(pen=None, symbol="o", symbolBrush=COLOURS["total_loss"], symbolSize=9, name="validation total"),
            "ce_loss": self.loss_plot.plot(pen=None, symbol="s", symbolBrush=COLOURS["ce_loss"], symbolSize=8, name="validation ce"),
            "kl_loss": self.kl_plot.plot(pen=None, symbol="o", symbolBrush=COLOURS["kl_loss"], symbolSize=9, name="validation kl"),
        }
        self.val_points: dict[str, list[tuple[float, float]]] = {k: [] for k in self.val_markers}
        plots = QSplitter(Qt.Orientation.Vertical)
        for p in (self.loss_plot, self.kl_plot, self.time_plot):
            plots.addWidget(p)
        plots.setSizes([400, 220, 180])
        right = QVBoxLayout()
        right.addLayout(plot_controls)
        right.addWidget(plots, 1)
        right_widget = QWidget()
        right_widget.setLayout(right)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left_widget)
        split.addWidget(right_widget)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setCollapsible(0, False)
        split.setSizes([360, 1000])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)

    @staticmethod
    def _spin(low: int, high: int, value: int, tip: str) -> QSpinBox:
        box = QSpinBox()
        box.setRange(low, high)
        box.setValue(value)
        box.setToolTip(tip)
        box.setGroupSeparatorShown(True)
        return box

    @staticmethod
    def _dspin(low: float, high: float, value: float, decimals: int, step: float, tip: str) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setRange(low, high)
        box.setDecimals(decimals)
        box.setSingleStep(step)
        box.setValue(value)
        box.setToolTip(tip)
        return box

    @staticmethod
    def _plot(title: str) -> pg.PlotWidget:
        widget = pg.PlotWidget(title=title)
        item = widget.getPlotItem()
        item.addLegend(offset=(-10, 10))
        item.showGrid(x=True, y=True, alpha=0.2)
        item.setDownsampling(auto=True, mode="peak")
        item.setClipToView(True)
        fix_tick_label_width(item)
        cache_static_parts(item)
        return widget

    # --- settings ---------------------------------------------------------------------------------
    def show_config(self, config: TrainingConfig) -> None:
        """Fill the form with a run's settings (a continued run's, from its checkpoint)."""
        for name in ("epochs", "batch_size", "learning_rate", "seed"):
            getattr(self, name).setValue(getattr(config, name))
        self.kl_warmup.setValue(config.kl_warmup_epochs)
        self.latent_dim.setValue(config.model.latent_dim)
        self.beta.setValue(config.model.beta)
        self.fourier_features.setValue(config.model.fourier_features)
        self.full_set.setChecked(config.train_limit is None)
        if config.train_limit is not None:
            self.subset.setValue(config.train_limit)
        index = self.precision.findData(config.precision)
        if index >= 0:
            self.precision.setCurrentIndex(index)

    def config(self) -> TrainingConfig:
        return TrainingConfig(
            epochs=self.epochs.value(),
            batch_size=self.batch_size.value(),
            learning_rate=self.learning_rate.value(),
            kl_warmup_epochs=self.kl_warmup.value(),
            seed=self.seed.value(),
            train_limit=None if self.full_set.isChecked() else self.subset.value(),
            precision=self.precision.currentData(),
            model=ModelConfig(
                latent_dim=self.latent_dim.value(), beta=self.beta.value(), fourier_features=self.fourier_features.value()
            ),
        )

    def save_settings(self, settings: QSettings) -> None:
        settings.beginGroup("train")
        for name in self.WHOLE_NUMBER_SETTINGS:
            settings.setValue(name, getattr(self, name).value())
        for name in self.DECIMAL_SETTINGS:
            settings.setValue(name, float(getattr(self, name).value()))
        settings.setValue("full_set", self.full_set.isChecked())
        settings.setValue("precision", self.precision.currentData())
        settings.endGroup()

    def restore_settings(self, settings: QSettings) -> None:
        settings.beginGroup("train")
        for name in self.WHOLE_NUMBER_SETTINGS:
            if settings.contains(name):
                getattr(self, name).setValue(int(settings.value(name)))
        for name in self.DECIMAL_SETTINGS:
            if settings.contains(name):
                getattr(self, name).setValue(float(settings.value(name)))
        if settings.contains("full_set"):
            self.full_set.setChecked(settings.value("full_set") in (True, "true"))
        index = self.precision.findData(settings.value("precision", "auto"))
        if index >= 0:
            self.precision.setCurrentIndex(index)
        settings.endGroup()

    # --- state ---------------------------------------------------------------------------------------
    def _set_state(self, state: str) -> None:
        self.state = state
        idle = state == "idle"
        self.start_button.setEnabled(idle)
        self.pause_button.setEnabled(state in ("running", "paused"))
        self.pause_button.setText("Resume" if state == "paused" else "Pause")
        self.stop_button.setEnabled(state in ("running", "paused"))
        for w in self.form_widgets:
            w.setEnabled(idle)
        self.subset.setEnabled(idle and not self.full_set.isChecked())
        self._refresh_continue()
        self.running_changed.emit(not idle)

    def _refresh_continue(self) -> None:
        """Continue is offered while idle if the last run's checkpoint is of an unfinished run."""
        progress = read_checkpoint_progress(checkpoint_path()) if self.state == "idle" else None
        resumable = progress is not None and not progress.finished
        self.continue_button.setEnabled(resumable)
        if resumable:
            c = progress.config
            images = "all training images" if c.train_limit is None else f"{c.train_limit:,} training images"
            self.continue_button.setToolTip(
                f"Continue the last run from its checkpoint: {progress.epochs_completed} of {c.epochs} epochs done "
                f"(latent dimension {c.model.latent_dim}, batch {c.batch_size}, {images}) (Ctrl+Shift+R)"
            )
        else:
            self.continue_button.setToolTip("Continue a stopped run from its last checkpoint: none to continue (Ctrl+Shift+R)")

    def is_training(self) -> bool:
        return self.state != "idle"

    def start(self) -> None:
        if self.state != "idle":
            return
        self._launch(self.config())

    def continue_last_run(self) -> None:
        """Continue the run whose checkpoint is the last one (stopped, or cut short by closing the app):
        its settings, weights, optimizer state and epoch count; the earlier epochs' validation points
        are drawn again (the trainer hands them over with the plan)."""
        if self.state != "idle":
            return
        progress = read_checkpoint_progress(checkpoint_path())
        if progress is None or progress.finished:
            self._refresh_continue()
            self.status_message.emit("No unfinished run to continue")
            return
        self.show_config(progress.config)
        self._launch(progress.config, resume_from=checkpoint_path())
        self.progress_label.setText(
            f"Loading Fashion-MNIST and the checkpoint ({progress.epochs_completed} of {progress.config.epochs} epochs done)…"
        )
        self.status_message.emit(f"Training continued after epoch {progress.epochs_completed}")

    def _launch(self, config: TrainingConfig, resume_from: Path | None = None) -> None:
        self.clear()
        self.warnings.clear()
        self.warning_label.hide()
        checkpoint = checkpoint_path()
        try:
            checkpoint.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass  # the trainer warns at the first epoch's end that the checkpoint could not be written
        self.worker = TrainingWorker(config, self.data_dir, checkpoint, self.validation_limit, resume_from)
        w = self.worker
        # Bound methods only: Qt then queues each call to this (GUI) thread. A plain function or lambda
        # has no thread of its own and would run on the training thread.
        w.data_ready.connect(self._on_data_ready)
        w.started.connect(self._on_started)
        w.batches.connect(self._on_batches)
        w.epoch_done.connect(self._on_epoch)
        w.previews.connect(self._on_previews)
        w.paused.connect(self._on_paused)
        w.finished.connect(self._on_finished)
        w.failed.connect(self._on_failed)
        w.warning.connect(self._on_warning)
        self._set_state("running")
        self.progress_label.setText("Loading Fashion-MNIST and building the model…")
        self.status_message.emit("Training started")
        self.started_at = time.perf_counter()
        w.start()

    def _stale(self) -> bool:
        """A queued signal from a worker that was shut down or replaced: drop it (newest run wins)."""
        return self.worker is None or self.sender() is not self.worker

    def toggle_pause(self) -> None:
        if self.worker is None:
            return
        if self.state == "running":
            self.worker.control.pause()
            self._set_state("paused")
        elif self.state == "paused":
            self.worker.control.resume()
            self._set_state("running")
            self.status_message.emit("Training resumed")

    def stop(self) -> None:
        if self.worker is not None and self.state in ("running", "paused"):
            self.worker.control.stop()
            self._set_state("stopping")
            self.progress_label.setText("Stopping after the current batch…")

    def shutdown(self) -> bool:
        """Stop the run and wait for its thread (closing the window); the last epoch's checkpoint stays."""
        if self.worker is None:
            return True
        ok = self.worker.shutdown()
        self.worker = None
        self._set_state("idle")
        return ok

    def clear(self) -> None:
        for curve in self.curves.values():
            curve.clear()
        for key, marker in self.val_markers.items():
            marker.setData([], [])
            self.val_points[key] = []
        for p in (self.loss_plot, self.kl_plot, self.time_plot):
            for item in [i for i in p.getPlotItem().items if isinstance(i, pg.InfiniteLine)]:
                p.removeItem(item)
        self.progress.setValue(0)
        self.median_label.setText("median: –")
        for follower in self.followers:
            follower.reset()

    # --- worker signals ------------------------------------------------------------------------------
    def _on_data_ready(self, images: np.ndarray) -> None:
        if self._stale():
            return
        self._preview_originals = images.astype(np.float32) / 255.0
        self._show_previews(None)

    def _on_started(self, plan) -> None:
        if self._stale():
            return
        self.plan = plan
        self.progress.setRange(0, max(1, plan.epochs * plan.steps_per_epoch))
        self.progress.setValue(plan.initial_epoch * plan.steps_per_epoch)
        for m in plan.history:  # a continued run: its earlier epochs
            self._mark_epoch(m.epoch, m.val_total_loss, m.val_ce_loss, m.val_kl_loss)

    def _on_batches(self, block: np.ndarray) -> None:
        if self._stale():
            return
        x = block[:, 0]
        for column, key in ((2, "total_loss"), (3, "ce_loss"), (4, "kl_loss"), (5, "training_time")):
            self.curves[key].extend(x, block[:, column])
        self._redraw(one_range_change=True)
        times = self.curves["training_time"].values()[1]
        median = float(np.median(times[-500:]))
        self.median_label.setText(f"median: {median:.1f} ms/batch")
        if self.plan is not None:
            last = block[-1]
            step = int(last[0]) + 1
            self.progress.setValue(step)
            epoch = int(last[1])
            in_epoch = step - epoch * self.plan.steps_per_epoch
            remaining = self.plan.epochs * self.plan.steps_per_epoch - step
            rate = self.plan.batch_size / (median / 1000.0) if median > 0 else 0.0
            eta = remaining * median / 1000.0
            self.progress_label.setText(
                f"Epoch {epoch + 1}/{self.plan.epochs} · batch {in_epoch}/{self.plan.steps_per_epoch} · "
                f"{rate:,.0f} images/s · ETA {_duration(eta)}"
            )

    def _on_epoch(self, m) -> None:
        if self._stale():
            return
        if self.plan is None:
            return
        self._mark_epoch(m.epoch, m.val_total_loss, m.val_ce_loss, m.val_kl_loss)
        self.status_message.emit(
            f"Epoch {m.epoch + 1}: test total_loss {m.val_total_loss:.2f} (ce {m.val_ce_loss:.2f}, kl {m.val_kl_loss:.2f})"
        )

    def _mark_epoch(self, epoch: int, total: float, ce: float, kl: float) -> None:
        """The epoch's end as a dashed line on every plot, and its validation losses as markers."""
        x = (epoch + 1) * self.plan.steps_per_epoch - 1
        for p in (self.loss_plot, self.kl_plot, self.time_plot):
            line = pg.InfiniteLine(pos=x + 0.5, angle=90, pen=pg.mkPen("#999", style=Qt.PenStyle.DashLine))
            p.addItem(line)
        for key, value in (("total_loss", total), ("ce_loss", ce), ("kl_loss", kl)):
            self.val_points[key].append((x, value))
            xs, ys = zip(*self.val_points[key])
            self.val_markers[key].setData(xs, ys)

    def _on_warning(self, message: str) -> None:
        if not self._stale():
            self.warnings.append(message)
            self.warning_label.setText(message)
            self.warning_label.show()
            self.status_message.emit(message)

    def _on_paused(self) -> None:
        if not self._stale():
            self._redraw()  # every range the data has left, not only this block's turn
            self.status_message.emit("Training paused")

    def _on_previews(self, recon: np.ndarray) -> None:
        if self._stale():
            return
        self._show_previews(recon)

    def _show_previews(self, recon: np.ndarray | None) -> None:
        if self._preview_originals is None:
            return
        bottom = recon if recon is not None else np.zeros_like(self._preview_originals)
        self.preview_item.setImage(tile(np.concatenate([self._preview_originals, bottom]), len(bottom)), levels=(0, 1))

    def _end_run(self) -> None:
        """The worker has said its last word: let its thread finish and return to idle."""
        worker, self.worker = self.worker, None
        worker.thread.wait(5000)
        self._set_state("idle")

    def _on_finished(self, result, vae) -> None:
        if self._stale():
            return
        self._end_run()
        self._redraw()  # the last block may have left a range for the next block's turn: move them all
        elapsed = time.perf_counter() - self.started_at
        self.progress_label.setText(f"{result.message} ({_duration(elapsed)})")
        self.status_message.emit(result.message)
        if result.status == "diverged":
            QMessageBox.warning(self, "Training diverged", result.message)
        self.model_trained.emit(vae)

    def _on_failed(self, message: str) -> None:
        if self._stale():
            return
        self._end_run()
        self.progress_label.setText("Training did not run.")
        self.status_message.emit("Training failed")
        QMessageBox.critical(self, "Training failed", message)

    # --- views ---------------------------------------------------------------------------------------
    def _redraw(self, one_range_change: bool = False) -> None:
        """Redraw the curves and move the ranges the data has left. While batches stream, at most one
        range moves per block (the followers take turns): each move re-renders an axis' labels and
        repaints its plot, and at the start of a run, when every range moves, doing all three at once
        held the event loop 52-72 ms (benchmarks/gui_stall.py); the others follow with the next block."""
        window = self.smooth_window.value() if self.smooth.isChecked() else 0
        for key, curve in self.curves.items():
            curve.smoothing = window if key != "training_time" else 0
            curve.redraw()
        end = self.plan.epochs * self.plan.steps_per_epoch if self.plan is not None else None
        count = len(self.followers)
        for i in range(count):
            k = (self._next_follower + i) % count
            if self.followers[k].follow(limit=end) and one_range_change:
                self._next_follower = (k + 1) % count
                break

    def _set_log(self, on: bool) -> None:
        for p in (self.loss_plot, self.kl_plot):
            p.setLogMode(y=on)

    def batch_table(self) -> np.ndarray:
        """All batches so far: columns global_step, total_loss, ce_loss, kl_loss, training_time_ms."""
        x, total = self.curves["total_loss"].values()
        return np.column_stack([x, total, self.curves["ce_loss"].values()[1], self.curves["kl_loss"].values()[1],
                                self.curves["training_time"].values()[1]])

    def export_csv(self, path: Path) -> int:
        table = self.batch_table()
        steps = self.plan.steps_per_epoch if self.plan else 0

        def write(tmp: Path) -> None:
            with open(tmp, "w", newline="", encoding="utf-8") as stream:
                out = csv.writer(stream)
                out.writerow(["epoch", "step", *BATCH_COLUMNS[2:]])
                for row in table:
                    g = int(row[0])
                    epoch, step = (g // steps + 1, g % steps + 1) if steps else (1, g + 1)
                    out.writerow([epoch, step, f"{row[1]:.4f}", f"{row[2]:.4f}", f"{row[3]:.4f}", f"{row[4]:.3f}"])

        atomic_write(path, write)
        return len(table)


def _duration(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
