"""TrainingWorker: a QObject living in its own QThread that drives the Qt-free core trainer.

It is the core's listener: per-batch points are buffered and emitted as one NumPy block at most
~30 times a second (however fast batches come), so the GUI repaints at display rate, not batch rate.
"""

from __future__ import annotations

import threading
import time
import traceback
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from vae_explorer.config import TrainingConfig
from vae_explorer.errors import Cancelled, VaeExplorerError
from vae_explorer.ml.progress import BatchMetrics, EpochMetrics, TrainingControl, TrainingListener, TrainingPlan
from vae_explorer.workers.collection import TensorFlowBringUp
from vae_explorer.workers.messages import error_message, translated

EMIT_INTERVAL_S = 1 / 30
BATCH_COLUMNS = ("global_step", "epoch", "total_loss", "ce_loss", "kl_loss", "training_time_ms")
PREVIEW_COUNT = 8


class TrainingWorker(QObject, TrainingListener):
    """Run `worker.start()`; steer the run through `worker.control` (pause, resume, stop) from any thread."""

    data_ready = Signal(object)  # the fixed preview images (uint8, N x 28 x 28)
    started = Signal(object)  # TrainingPlan
    batches = Signal(object)  # ndarray (k, 6), columns BATCH_COLUMNS
    epoch_done = Signal(object)  # EpochMetrics
    previews = Signal(object)  # reconstructions of the preview images (float, N x 28 x 28)
    paused = Signal()
    scoring = Signal(int)  # every batch has run: the model card scores this many test images
    scored = Signal(int, int)  # passes of the card's scoring done, of how many
    finished = Signal(object, object)  # TrainingResult, VAE (compiled, with its card) for Explore
    failed = Signal(str)
    warning = Signal(str)  # something the run survives, e.g. a checkpoint that could not be written

    def __init__(self, config: TrainingConfig, data_dir: Path | None = None, checkpoint_path: Path | None = None,
                 validation_limit: int | None = None, resume_from: Path | None = None,
                 tensorboard_dir: Path | None = None) -> None:
        super().__init__()
        self.tensorboard_dir = tensorboard_dir  # TensorBoard logs of the run, when asked for
        self.config = config
        self.resume_from = resume_from  # a checkpoint to continue (its weights, optimizer and epoch count)
        self.data_dir = data_dir
        self.checkpoint_path = checkpoint_path
        self.validation_limit = validation_limit
        self.control = TrainingControl()
        self._closing = threading.Event()  # set by `shutdown`: the card's scoring ends early too
        self._buffer: list[tuple] = []
        self._last_emit = 0.0
        self._trainer = None
        self._preview_images: np.ndarray | None = None
        self._bring_up = TensorFlowBringUp()  # held from the start of a run until its first batch
        self.thread = QThread()
        self.thread.setObjectName("training")
        self.moveToThread(self.thread)
        self.thread.started.connect(self._run)

    # --- the GUI thread --------------------------------------------------------------------------
    def start(self) -> None:
        self.thread.start()

    def shutdown(self, timeout_ms: int = 30000) -> bool:
        """Stop, and wait for the thread to end (the current batch finishes first; the card's scoring
        stops at its next pass, and no model is handed over)."""
        self._closing.set()
        self.control.stop()
        if self.thread.isRunning():
            self.thread.quit()
            return self.thread.wait(timeout_ms)
        return True

    # --- the training thread --------------------------------------------------------------------
    @Slot()
    def _run(self) -> None:
        # Importing TensorFlow, building and tracing the model make millions of objects: no collection
        # walks them until the first batch has run, then everything alive is frozen (collection.py).
        try:
            with self._bring_up:
                from vae_explorer.ml.card import finish_run
                from vae_explorer.ml.data import load_fashion_mnist
                from vae_explorer.ml.trainer import Trainer

                data = load_fashion_mnist(self.data_dir)
                labels = data.test_labels
                picks = [int(np.flatnonzero(labels == c)[0]) for c in range(PREVIEW_COUNT)]
                self._preview_images = data.test_images[picks].copy()
                self.data_ready.emit(self._preview_images)
                callbacks = []
                if self.tensorboard_dir is not None:
                    from vae_explorer.ml.tensorboard import TensorBoardLogger

                    callbacks.append(TensorBoardLogger(self.tensorboard_dir, data.test_images, data.test_labels,
                                                       self.config.model.conditional, seed=self.config.seed))
                self._trainer = Trainer(self.config, data, self, self.control, self.checkpoint_path,
                                        self.validation_limit, callbacks=callbacks)
                result = self._trainer.run(resume_from=self.resume_from)
                self._flush()
                self.scoring.emit(len(data.test_images))
                # Traced here, not on the GUI's thread.
                vae = finish_run(result, data, cancelled=self._closing.is_set, progress=self.scored.emit)
            self.finished.emit(result, vae)
        except Cancelled:
            pass  # the window is closing: nobody is left to take the model
        except VaeExplorerError as exc:
            self.failed.emit(error_message(exc))
        except Exception as exc:  # the edge of a thread: report, never die silently  # noqa: BLE001
            self.failed.emit(QCoreApplication.translate("TrainingWorker", "training failed unexpectedly: {reason}").format(
                reason=exc) + f"\n\n{traceback.format_exc(limit=4)}")
        finally:
            self.thread.quit()

    def on_start(self, plan: TrainingPlan) -> None:
        self.started.emit(plan)

    def on_batch(self, m: BatchMetrics) -> None:
        self._bring_up.end()  # the run's objects are all made: freeze them, collect again
        self._buffer.append((m.global_step, m.epoch, m.total_loss, m.ce_loss, m.kl_loss, m.training_time_ms))
        now = time.perf_counter()
        if now - self._last_emit >= EMIT_INTERVAL_S:
            self._flush(now)

    def on_epoch(self, m: EpochMetrics) -> None:
        self._flush()
        self.epoch_done.emit(m)
        model = self._trainer.model_in_training if self._trainer else None
        if model is not None and self._preview_images is not None:
            from vae_explorer.ml.model import reconstruction_preview

            labels = np.arange(len(self._preview_images))  # the previews are one image of each class, in order
            self.previews.emit(reconstruction_preview(model, self._preview_images, labels))

    def on_paused(self) -> None:
        self._flush()
        self.paused.emit()

    def on_warning(self, message: str) -> None:
        self.warning.emit(translated(message))

    def _flush(self, now: float | None = None) -> None:
        if self._buffer:
            self.batches.emit(np.asarray(self._buffer, dtype=np.float64))
            self._buffer = []
        self._last_emit = now if now is not None else time.perf_counter()
