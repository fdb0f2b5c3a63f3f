"""The vocabulary of a training run that other threads use: control switches and progress records.

No TensorFlow here, so the GUI thread can hold a `TrainingControl` and read metrics without
importing it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass


class TrainingControl:
    """Thread-safe pause/resume/stop switches, read by the training thread between batches."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._running = threading.Event()
        self._running.set()

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def stop(self) -> None:
        self._stop.set()
        self._running.set()  # a paused run must wake up to stop

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    def wait_while_paused(self, on_pause=None) -> None:
        """Block the training thread while paused; return at once on resume or stop."""
        if self._running.is_set():
            return
        if on_pause is not None:
            on_pause()
        while not self._running.wait(timeout=0.1):
            if self._stop.is_set():
                return


@dataclass(frozen=True)
class TrainingPlan:
    epochs: int
    initial_epoch: int
    steps_per_epoch: int
    n_train: int
    n_validation: int
    batch_size: int
    precision: str = "float32"  # the arithmetic the run trains in (resolved, never "auto")
    history: tuple["EpochMetrics", ...] = ()  # a resumed run's epochs completed before this start
    batches: tuple["BatchMetrics", ...] = ()  # and their batches, so that plots and CSVs show the whole run


@dataclass(frozen=True)
class BatchMetrics:
    """The raw values of one batch (not running means); `global_step` counts from the first run's start."""

    epoch: int
    step: int
    global_step: int
    total_loss: float
    ce_loss: float
    kl_loss: float
    training_time_ms: float


@dataclass(frozen=True)
class EpochMetrics:
    epoch: int
    total_loss: float
    ce_loss: float
    kl_loss: float
    val_total_loss: float
    val_ce_loss: float
    val_kl_loss: float
    wall_time_s: float

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def batches_to_rows(batches) -> list[list]:
    """Batches as compact rows for a checkpoint's card: [epoch, step, global_step, total, ce, kl, ms]."""
    return [[m.epoch, m.step, m.global_step, round(m.total_loss, 4), round(m.ce_loss, 4), round(m.kl_loss, 4),
             round(m.training_time_ms, 3)] for m in batches]


def batches_from_rows(rows) -> tuple["BatchMetrics", ...]:
    return tuple(BatchMetrics(int(r[0]), int(r[1]), int(r[2]), *(float(v) for v in r[3:7])) for r in rows)


class TrainingListener:
    """Receives progress on the training thread. Override what you need; copy, never keep tensors."""

    def on_start(self, plan: TrainingPlan) -> None: ...

    def on_batch(self, metrics: BatchMetrics) -> None: ...

    def on_epoch(self, metrics: EpochMetrics) -> None: ...

    def on_paused(self) -> None: ...

    def on_warning(self, message: str) -> None:
        """Something went wrong that training survives (say, a checkpoint could not be written)."""
