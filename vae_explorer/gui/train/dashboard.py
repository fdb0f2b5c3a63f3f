"""The Train area: the form, Start / Continue / Pause-Resume / Stop, progress, previews and the live plots;
it owns the training worker and hands the trained model to the window."""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from vae_explorer.config import TrainingConfig
from vae_explorer.errors import ConfigError
from vae_explorer.gui.dialogs import sentence
from vae_explorer.gui.numbers import number
from vae_explorer.gui.plots import image_view
from vae_explorer.gui.train.form import TrainingForm
from vae_explorer.gui.train.loss_plots import LossPlots
from vae_explorer.gui.train.tensorboard_option import TensorBoardOption
from vae_explorer.ml.data import TRAIN_IMAGES
from vae_explorer.ml.images import as_float_images, tile
from vae_explorer.ml.metrics_csv import write_batch_csv
from vae_explorer.model_card import read_checkpoint_progress
from vae_explorer.workers.messages import error_message
from vae_explorer.workers.training import TrainingWorker


class RunState(enum.Enum):
    IDLE = "idle"
    RUNNING = "running"
    PAUSING = "pausing"  # asked to pause; the current batch finishes first
    PAUSED = "paused"
    STOPPING = "stopping"
    SCORING = "scoring"  # every batch has run: the model card scores the test set, nothing to pause or stop


def checkpoint_path() -> Path:
    """Where each run writes its checkpoint (its folder is made when a run starts)."""
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)) / "checkpoints"
    return folder / "last-run.checkpoint.keras"


def duration(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def continue_tip(progress) -> str:
    """What Continue would do: how far the last run got, with what."""
    if progress is None or progress.finished:
        return QCoreApplication.translate("TrainingDashboard", "Continue a stopped run from its last checkpoint: none to continue (Ctrl+Shift+R)")
    c = progress.config
    images = (QCoreApplication.translate("TrainingDashboard", "all training images") if c.train_limit is None
              else QCoreApplication.translate("TrainingDashboard", "{count} training images").format(count=number(c.train_limit)))
    return QCoreApplication.translate("TrainingDashboard", "Continue the last run from its checkpoint: {done} of {epochs} epochs done (latent "
                                      "dimension {latent}, batch {batch}, {images}) (Ctrl+Shift+R)").format(
        done=progress.epochs_completed, epochs=c.epochs, latent=c.model.latent_dim, batch=c.batch_size, images=images)


def _button(text: str, shortcut: str, tip: str | None = None) -> QPushButton:
    button = QPushButton(text)
    button.setShortcut(shortcut)
    if tip:
        button.setToolTip(f"{tip} ({shortcut})")
    return button


def relabel(button: QPushButton, text: str) -> None:
    """Change a button's text and keep its shortcut (QAbstractButton.setText replaces the shortcut
    with the new text's mnemonic, so Ctrl+P worked only until "Pause" first became "Resume")."""
    shortcut = button.shortcut()
    button.setText(text)
    button.setShortcut(shortcut)


class TrainingDashboard(QWidget):
    """Owns the training worker; tells the window when a model is trained."""

    model_trained = Signal(object)  # the VAE (with its card) ready for Explore and for saving
    status_message = Signal(str)
    running_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None, data_dir: Path | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.worker: TrainingWorker | None = None
        self.validation_limit: int | None = None  # tests use a small validation set
        self.state = RunState.IDLE
        self.plan = None
        self.epochs: list = []  # the run's completed epochs (EpochMetrics), a continued run's earlier ones too
        self.started_at = 0.0
        self.warnings: list[str] = []
        self.confirm_start: Callable[[], bool] | None = None  # asked before a run starts (the window's unsaved model)
        self._preview_originals: np.ndarray | None = None
        self._progress_reached = (0, 0)  # the bar's range and value when the card's scoring took it over
        self._scoring = (0.0, "")  # when the card's scoring began, and what the label says of it

        self.form = TrainingForm()
        self.tensorboard = TensorBoardOption()
        self.tensorboard_dir: Path | None = None  # the run's TensorBoard folder, when it logs there
        self.start_button = _button(self.tr("Start"), "Ctrl+R", self.tr("Start training"))
        self.continue_button = _button(self.tr("Continue"), "Ctrl+Shift+R")
        self.pause_button = _button(self.tr("Pause"), "Ctrl+P", self.tr("Pause or resume"))
        self.stop_button = _button(self.tr("Stop"), "Ctrl+.", self.tr("Stop after the current batch; the model keeps what it learned"))
        self.start_button.clicked.connect(self.start)
        self.continue_button.clicked.connect(self.continue_last_run)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.stop_button.clicked.connect(self.stop)
        buttons = QHBoxLayout()
        for b in (self.start_button, self.continue_button, self.pause_button, self.stop_button):
            buttons.addWidget(b)
        self.progress = QProgressBar()
        self.progress.setFormat("%p%")
        self.progress_label = QLabel(self.tr("Not started"))
        self.progress_label.setWordWrap(True)
        self.warning_label = QLabel()  # a problem the run survives (a checkpoint not written), until the next run
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet("color: #b35900;")
        self.warning_label.hide()
        self.preview = pg.GraphicsLayoutWidget()
        self.preview.setFixedHeight(90)  # two rows of eight at the column's width; a 1024x700 screen shows all
        self.preview.setToolTip(self.tr("Fixed test images (top) and their reconstructions after each epoch (bottom)"))
        self.preview_view, self.preview_item = image_view(self.preview)
        left = QVBoxLayout()
        for w in (self.form, self.tensorboard, buttons, self.progress, self.progress_label, self.warning_label,
                  QLabel(self.tr("Reconstructions, refreshed each epoch:")), self.preview):
            (left.addLayout if isinstance(w, QHBoxLayout) else left.addWidget)(w)
        left.addStretch(1)
        left_widget = QWidget()
        left_widget.setLayout(left)
        # On a short screen (1024x700 less a title bar and a panel) the column scrolls rather than push
        # the window's bottom off the screen; it is as wide as its widest row, a translation's too.
        column = QScrollArea()
        column.setWidget(left_widget)
        column.setWidgetResizable(True)
        column.setFrameShape(QFrame.Shape.NoFrame)
        column.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll_bar = column.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        column.setFixedWidth(max(360, left_widget.minimumSizeHint().width()) + scroll_bar)
        self.plots = LossPlots()
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(column)
        split.addWidget(self.plots)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setCollapsible(0, False)
        split.setSizes([360, 1000])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)
        self._set_state(RunState.IDLE)

    # --- state ---------------------------------------------------------------------------------------
    def _set_state(self, state: RunState) -> None:
        if self.state is RunState.SCORING and state is not RunState.SCORING:  # busy no more: the bar shows the run again
            self.progress.setRange(0, self._progress_reached[0])
            self.progress.setValue(self._progress_reached[1])
        was_idle, self.state = self.state is RunState.IDLE, state
        idle = state is RunState.IDLE
        active = state in (RunState.RUNNING, RunState.PAUSING, RunState.PAUSED)
        self.start_button.setEnabled(idle)
        self.pause_button.setEnabled(state in (RunState.RUNNING, RunState.PAUSED))
        relabel(self.pause_button, {RunState.PAUSED: self.tr("Resume"), RunState.PAUSING: self.tr("Pausing…")}.get(
            state, self.tr("Pause")))
        self.stop_button.setEnabled(active)
        self.form.setEnabled(idle)
        self.tensorboard.set_editable(idle)
        self.refresh_continue()
        if idle != was_idle:  # not between running states: a question about the run (closing) still applies
            self.running_changed.emit(not idle)

    def refresh_continue(self) -> None:
        """Continue is offered while idle if the last run's checkpoint is of an unfinished run."""
        progress = read_checkpoint_progress(checkpoint_path()) if self.state is RunState.IDLE else None
        self.continue_button.setEnabled(progress is not None and not progress.finished)
        self.continue_button.setToolTip(continue_tip(progress))

    def is_training(self) -> bool:
        return self.state is not RunState.IDLE

    def has_metrics(self) -> bool:
        """Whether there are batches to export."""
        return self.plots.batch_count > 0

    def save_settings(self, settings) -> None:
        self.form.save_settings(settings)
        self.tensorboard.save_settings(settings)

    def restore_settings(self, settings) -> None:
        self.form.restore_settings(settings)
        self.tensorboard.restore_settings(settings)

    # --- commands ------------------------------------------------------------------------------------
    def _may_start(self) -> bool:
        return self.state is RunState.IDLE and (self.confirm_start is None or self.confirm_start())

    def start(self) -> None:
        if self.state is not RunState.IDLE:
            return
        config = self.form.config()
        try:  # settings that cannot train (a batch larger than the images) are told at once, not after loading
            config.validate(n_train=config.train_limit or TRAIN_IMAGES.shape[0])
        except ConfigError as exc:
            self.status_message.emit(self.tr("Training cannot start with these settings"))
            QMessageBox.warning(self, self.tr("Training cannot start"), sentence(error_message(exc)))
            return
        if self._may_start():
            self._launch(config)

    def continue_last_run(self) -> None:
        """Continue the run whose checkpoint is the last one (stopped, or cut short by closing the app):
        its settings, weights, optimizer state and epoch count; the earlier epochs' validation points
        are drawn again (the trainer hands them over with the plan)."""
        if self.state is not RunState.IDLE:
            return
        progress = read_checkpoint_progress(checkpoint_path())
        if progress is None or progress.finished:
            self.refresh_continue()
            self.status_message.emit(self.tr("No unfinished run to continue"))
            return
        if not self._may_start():
            return
        self.form.show_config(progress.config)
        self._launch(progress.config, resume_from=checkpoint_path())
        self.progress_label.setText(
            self.tr("Loading Fashion-MNIST and the checkpoint ({done} of {epochs} epochs done)…").format(
                done=progress.epochs_completed, epochs=progress.config.epochs))
        self.status_message.emit(self.tr("Training continued after epoch {epoch}").format(epoch=progress.epochs_completed))

    def _launch(self, config: TrainingConfig, resume_from: Path | None = None) -> None:
        self.clear()
        self.warnings.clear()
        self.warning_label.hide()
        checkpoint = checkpoint_path()
        try:
            checkpoint.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass  # the trainer warns at the first epoch's end that the checkpoint could not be written
        self.tensorboard_dir = self.tensorboard.run_folder()
        self.worker = w = TrainingWorker(config, self.data_dir, checkpoint, self.validation_limit, resume_from,
                                         self.tensorboard_dir)
        # Bound methods only: Qt then queues each call to this (GUI) thread. A plain function or lambda
        # has no thread of its own and would run on the training thread.
        w.data_ready.connect(self._on_data_ready)
        w.started.connect(self._on_started)
        w.batches.connect(self._on_batches)
        w.epoch_done.connect(self._on_epoch)
        w.previews.connect(self._on_previews)
        w.paused.connect(self._on_paused)
        w.scoring.connect(self._on_scoring)
        w.scored.connect(self._on_scored)
        w.finished.connect(self._on_finished)
        w.failed.connect(self._on_failed)
        w.warning.connect(self._on_warning)
        self._set_state(RunState.RUNNING)
        self.progress_label.setText(self.tr("Loading Fashion-MNIST and building the model…"))
        self.status_message.emit(self.tr("Training started"))
        self.started_at = time.perf_counter()
        w.start()

    def toggle_pause(self) -> None:
        if self.worker is None:
            return
        if self.state is RunState.RUNNING:
            self.worker.control.pause()
            self._set_state(RunState.PAUSING)  # "Resume" once the run has stopped between batches
        elif self.state is RunState.PAUSED:
            self.worker.control.resume()
            self._set_state(RunState.RUNNING)
            self.status_message.emit(self.tr("Training resumed"))

    def stop(self) -> None:
        if self.worker is not None and self.state in (RunState.RUNNING, RunState.PAUSING, RunState.PAUSED):
            self.worker.control.stop()
            self._set_state(RunState.STOPPING)
            self.progress_label.setText(self.tr("Stopping after the current batch…"))

    def shutdown(self) -> bool:
        """Stop the run and wait for its thread (closing the window); the last epoch's checkpoint stays."""
        if self.worker is None:
            return True
        ok = self.worker.shutdown()
        self.worker = None
        self._set_state(RunState.IDLE)
        return ok

    def clear(self) -> None:
        """Fresh plots, progress and previews (File ▸ New training, and every new run)."""
        self.plots.clear()
        self.epochs = []
        self.progress.setValue(0)
        self.progress_label.setText(self.tr("Not started"))
        self._preview_originals = None
        self.preview_item.clear()
        self.warning_label.hide()

    def export_csv(self, path: Path) -> int:
        """Every batch so far, one CSV row each; returns how many."""
        steps = self.plan.steps_per_epoch if self.plan else 0
        return write_batch_csv(path, self.plots.batches(steps), self.epochs)

    # --- worker signals ------------------------------------------------------------------------------
    def _stale(self) -> bool:
        """A queued signal from a worker that was shut down or replaced: drop it (newest run wins)."""
        return self.worker is None or self.sender() is not self.worker

    def _on_data_ready(self, images: np.ndarray) -> None:
        if not self._stale():
            self._preview_originals = as_float_images(images)
            self._show_previews(None)

    def _on_started(self, plan) -> None:
        if self._stale():
            return
        self.plan = plan
        self.plots.run_length = plan.epochs * plan.steps_per_epoch
        self.plots.steps_per_epoch = plan.steps_per_epoch
        self.progress.setRange(0, max(1, plan.epochs * plan.steps_per_epoch))
        self.progress.setValue(plan.initial_epoch * plan.steps_per_epoch)
        if plan.batches:  # a continued run: its earlier batches and epochs, so the plots show the whole run
            self.plots.add_batches(np.array([(m.global_step, m.epoch, m.total_loss, m.ce_loss, m.kl_loss,
                                              m.training_time_ms) for m in plan.batches], dtype=np.float64))
        for m in plan.history:
            self.plots.mark_epoch(m, plan.steps_per_epoch)
        self.epochs = list(plan.history)

    def _on_batches(self, block: np.ndarray) -> None:
        if self._stale():
            return
        median = self.plots.add_batches(block)
        if self.plan is None:
            return
        plan, last = self.plan, block[-1]
        step = int(last[0]) + 1
        self.progress.setValue(step)
        epoch = int(last[1])
        rate = plan.batch_size / (median / 1000.0) if median > 0 else 0.0
        eta = (plan.epochs * plan.steps_per_epoch - step) * median / 1000.0
        self.progress_label.setText(
            self.tr("Epoch {epoch}/{epochs} · batch {batch}/{batches} · {rate} images/s · ETA {eta}").format(
                epoch=epoch + 1, epochs=plan.epochs, batch=step - epoch * plan.steps_per_epoch,
                batches=plan.steps_per_epoch, rate=number(rate), eta=duration(eta)))

    def _on_epoch(self, m) -> None:
        if self._stale() or self.plan is None:
            return
        self.epochs.append(m)
        self.plots.mark_epoch(m, self.plan.steps_per_epoch)
        self.status_message.emit(
            self.tr("Epoch {epoch}: test total_loss {total} (ce {ce}, kl {kl})").format(
                epoch=m.epoch + 1, total=number(m.val_total_loss, 2), ce=number(m.val_ce_loss, 2), kl=number(m.val_kl_loss, 2)))

    def _on_warning(self, message: str) -> None:
        if not self._stale():
            self.warnings.append(message)
            self.warning_label.setText(message)
            self.warning_label.show()
            self.status_message.emit(message)

    def _on_paused(self) -> None:
        if not self._stale():
            if self.state is RunState.PAUSING:
                self._set_state(RunState.PAUSED)
            self.plots.redraw()  # every range the data has left, not only this block's turn
            self.status_message.emit(self.tr("Training paused"))

    def _on_scoring(self, images: int) -> None:
        if self._stale():
            return
        self._set_state(RunState.SCORING)
        self._progress_reached = (self.progress.maximum(), self.progress.value())
        self.progress.setRange(0, 0)  # busy until the first pass has timed the others
        count = number(images)
        self._scoring = (time.perf_counter(),
                         self.tr("Scoring the {count} test images under each of the ten classes for the model card…")
                         .format(count=count) if self.worker.config.model.conditional else
                         self.tr("Scoring the {count} test images for the model card…").format(count=count))
        self.progress_label.setText(self._scoring[1])
        self.status_message.emit(self.tr("Training done; scoring the test set"))

    def _on_scored(self, done: int, total: int) -> None:
        """A pass of the card's scoring is done: the bar shows the passes, the label what is left."""
        if self._stale() or self.state is not RunState.SCORING:
            return
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        since, text = self._scoring
        left = (time.perf_counter() - since) / done * (total - done)
        self.progress_label.setText(self.tr("{scoring} ETA {eta}").format(scoring=text, eta=duration(left)))

    def _on_previews(self, recon: np.ndarray) -> None:
        if not self._stale():
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
        self._set_state(RunState.IDLE)

    def _on_finished(self, result, vae) -> None:
        if self._stale():
            return
        self._end_run()
        self.plots.redraw()  # the last block may have left a range for the next block's turn: move them all
        outcome = self._outcome(result)
        text = f"{outcome} ({duration(time.perf_counter() - self.started_at)})"
        if self.tensorboard_dir is not None:
            text += "\n" + self.tr("TensorBoard logs: tensorboard --logdir {folder}").format(folder=self.tensorboard_dir.parent)
        self.progress_label.setText(text)
        self.status_message.emit(outcome)
        if result.status == "diverged":
            QMessageBox.warning(self, self.tr("Training diverged"), outcome)
        self.model_trained.emit(vae)

    def _outcome(self, result) -> str:
        """How the run ended, in the interface's language (the result's own message is the CLI's)."""
        if result.status == "diverged":
            epoch, batch = result.diverged_at
            return self.tr("Training diverged at epoch {epoch}, batch {batch} ({values}). The model keeps the last "
                           "weights that gave a finite loss. Try a lower learning rate or a smaller β.").format(
                epoch=epoch + 1, batch=batch + 1, values=result.diverged_values)
        done = result.epochs_completed
        if result.status == "stopped":
            return self.tr("Training stopped after {done} of {epochs} epochs; the model holds the weights reached "
                           "so far.").format(done=done, epochs=result.config.epochs)
        return self.tr("Training completed: 1 epoch.") if done == 1 else self.tr(
            "Training completed: {epochs} epochs.").format(epochs=done)

    def _on_failed(self, message: str) -> None:
        if self._stale():
            return
        self._end_run()
        self.progress_label.setText(self.tr("Training did not run."))
        self.status_message.emit(self.tr("Training failed"))
        QMessageBox.critical(self, self.tr("Training failed"), sentence(message))
