"""The per-batch metrics CSV: one row per batch, written by `train --metrics-csv` and by the app's export."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from vae_explorer.fileio import atomic_write
from vae_explorer.ml.progress import BatchMetrics

HEADER = ("epoch", "step", "total_loss", "ce_loss", "kl_loss", "training_time_ms")


class BatchCsvWriter:
    """Rows to an open text stream, as batches arrive (epoch and step counted from 1)."""

    def __init__(self, stream: TextIO) -> None:
        self._out = csv.writer(stream)
        self._out.writerow(HEADER)

    def write(self, m: BatchMetrics) -> None:
        self._out.writerow([m.epoch + 1, m.step + 1, f"{m.total_loss:.4f}", f"{m.ce_loss:.4f}", f"{m.kl_loss:.4f}",
                            f"{m.training_time_ms:.3f}"])


def write_batch_csv(path: Path | str, batches: Iterable[BatchMetrics]) -> int:
    """Write every batch to `path` atomically; returns how many rows were written."""
    count = 0

    def write(tmp: Path) -> None:
        nonlocal count
        with open(tmp, "w", newline="", encoding="utf-8") as stream:
            writer = BatchCsvWriter(stream)
            for m in batches:
                writer.write(m)
                count += 1

    atomic_write(path, write)
    return count
