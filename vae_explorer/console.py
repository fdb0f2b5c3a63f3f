"""What `vae-explorer train` shows while it runs: a progress bar, one line per epoch, and the per-batch CSV."""

from __future__ import annotations

import sys


class ConsoleListener:
    """Progress bar, per-epoch lines and the per-batch CSV for `train`."""

    def __init__(self, csv_stream, quiet: bool) -> None:
        from vae_explorer.ml.metrics_csv import BatchCsvWriter

        self.csv = BatchCsvWriter(csv_stream) if csv_stream else None
        self.quiet = quiet
        self.bar = None
        self.plan = None

    def on_start(self, plan) -> None:
        self.plan = plan
        if self.csv:
            self.csv.write_all(list(plan.batches), plan.history)  # a resumed run: the whole run in one file
        print(
            f"Training in {plan.precision} on {plan.n_train} images ({plan.steps_per_epoch} batches of {plan.batch_size} per epoch), "
            f"validating on {plan.n_validation}; epochs {plan.initial_epoch + 1}..{plan.epochs}",
            flush=True,
        )

    def on_batch(self, m) -> None:
        if self.csv:
            self.csv.write(m)
        if self.quiet:
            return
        import keras

        if self.bar is None or m.step == 0:
            print(f"Epoch {m.epoch + 1}/{self.plan.epochs}", flush=True)
            self.bar = keras.utils.Progbar(
                self.plan.steps_per_epoch, stateful_metrics=["total_loss", "ce_loss", "kl_loss", "ms/batch"]
            )
        self.bar.update(
            m.step + 1,
            [("total_loss", m.total_loss), ("ce_loss", m.ce_loss), ("kl_loss", m.kl_loss), ("ms/batch", m.training_time_ms)],
        )

    def on_epoch(self, m) -> None:
        if self.csv:
            self.csv.end_epoch(m)
        print(
            f"epoch {m.epoch + 1}: train total {m.total_loss:.2f} (ce {m.ce_loss:.2f}, kl {m.kl_loss:.2f}) | "
            f"test total {m.val_total_loss:.2f} (ce {m.val_ce_loss:.2f}, kl {m.val_kl_loss:.2f}) | {m.wall_time_s:.1f} s",
            flush=True,
        )

    def on_paused(self) -> None: ...

    def on_warning(self, message: str) -> None:
        print(f"warning: {message}", file=sys.stderr, flush=True)
