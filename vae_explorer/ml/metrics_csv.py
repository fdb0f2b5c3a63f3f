"""The per-batch metrics CSV: one row per batch, written by `train --metrics-csv` and by the app's export.

Each completed epoch's validation losses stand on the row of its last batch (empty elsewhere), so one
file holds the whole run: the training curve and the test-set points.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from vae_explorer.fileio import atomic_write
from vae_explorer.ml.progress import BatchMetrics, EpochMetrics

HEADER = ("epoch", "step", "total_loss", "ce_loss", "kl_loss", "training_time_ms",
          "val_total_loss", "val_ce_loss", "val_kl_loss")


class BatchCsvWriter:
    """Rows to an open text stream as batches arrive (epoch and step counted from 1). The latest row is
    held back until the next batch or its epoch's validation (`end_epoch`); `close` writes it."""

    def __init__(self, stream: TextIO) -> None:
        self._out = csv.writer(stream)
        self._out.writerow(HEADER)
        self._pending: BatchMetrics | None = None

    def write(self, m: BatchMetrics) -> None:
        self._flush()
        self._pending = m

    def end_epoch(self, e: EpochMetrics) -> None:
        """The epoch's validation, on its last batch's row."""
        if self._pending is not None and self._pending.epoch == e.epoch:
            self._flush((f"{e.val_total_loss:.4f}", f"{e.val_ce_loss:.4f}", f"{e.val_kl_loss:.4f}"))

    def write_all(self, batches: list[BatchMetrics], epochs: Iterable[EpochMetrics]) -> None:
        """Batches already run (an export, or a resumed run's earlier epochs) with their epochs' validation."""
        by_epoch = {e.epoch: e for e in epochs}
        for i, m in enumerate(batches):
            self.write(m)
            last_of_epoch = i + 1 == len(batches) or batches[i + 1].epoch != m.epoch
            if last_of_epoch and m.epoch in by_epoch:
                self.end_epoch(by_epoch[m.epoch])

    def close(self) -> None:
        self._flush()

    def _flush(self, validation: tuple[str, str, str] = ("", "", "")) -> None:
        m, self._pending = self._pending, None
        if m is not None:
            self._out.writerow([m.epoch + 1, m.step + 1, f"{m.total_loss:.4f}", f"{m.ce_loss:.4f}", f"{m.kl_loss:.4f}",
                                f"{m.training_time_ms:.3f}", *validation])


def write_batch_csv(path: Path | str, batches: Iterable[BatchMetrics], epochs: Iterable[EpochMetrics] = ()) -> int:
    """Write every batch, with each epoch's validation, to `path` atomically; returns how many rows."""
    batches = list(batches)

    def write(tmp: Path) -> None:
        with open(tmp, "w", newline="", encoding="utf-8") as stream:
            writer = BatchCsvWriter(stream)
            writer.write_all(batches, epochs)
            writer.close()

    atomic_write(path, write)
    return len(batches)
