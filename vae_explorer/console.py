"""What `vae-explorer train` shows while it runs: a progress bar, one line per epoch, and the per-batch CSV."""

from __future__ import annotations

import sys

PLAIN_LINES_PER_EPOCH = 10  # progress lines per epoch when stdout is a file or a pipe


class ConsoleListener:
    """Progress bar, per-epoch lines and the per-batch CSV for `train`. On a terminal, Keras' progress bar,
    started when its epoch starts so its times are the epoch's; to a file or a pipe, plain lines."""

    def __init__(self, csv_stream, quiet: bool, stream=None) -> None:
        from vae_explorer.ml.metrics_csv import BatchCsvWriter

        self.csv = BatchCsvWriter(csv_stream) if csv_stream else None
        self.quiet = quiet
        self.stream = stream or sys.stdout
        self.terminal = self.stream.isatty()
        self.bar = None
        self.plan = None
        self.epoch = 0

    def _print(self, text: str) -> None:
        print(text, file=self.stream, flush=True)

    def _begin_epoch(self, epoch: int) -> None:
        """The next epoch's header and bar, made as it starts: a bar made at its first batch timed nothing."""
        self.epoch = epoch
        self.bar = None
        if self.quiet or epoch >= self.plan.epochs:
            return
        self._print(f"Epoch {epoch + 1}/{self.plan.epochs}")
        if self.terminal:
            import keras

            self.bar = keras.utils.Progbar(
                self.plan.steps_per_epoch, stateful_metrics=["total_loss", "ce_loss", "kl_loss", "ms/batch"]
            )

    def on_start(self, plan) -> None:
        self.plan = plan
        if self.csv:
            self.csv.write_all(list(plan.batches), plan.history)  # a resumed run: the whole run in one file
        print(
            f"Training in {plan.precision} on {plan.n_train} images ({plan.steps_per_epoch} batches of {plan.batch_size} per epoch), "
            f"validating on {plan.n_validation}; epochs {plan.initial_epoch + 1}..{plan.epochs}",
            file=self.stream, flush=True,
        )
        self._begin_epoch(plan.initial_epoch)

    def on_batch(self, m) -> None:
        if self.csv:
            self.csv.write(m)
        if self.quiet:
            return
        if m.epoch != self.epoch:
            self._begin_epoch(m.epoch)
        values = [("total_loss", m.total_loss), ("ce_loss", m.ce_loss), ("kl_loss", m.kl_loss),
                  ("ms/batch", m.training_time_ms)]
        if self.bar is not None:
            self.bar.update(m.step + 1, values)
            return
        steps = self.plan.steps_per_epoch
        every = max(1, steps // PLAIN_LINES_PER_EPOCH)
        if (m.step + 1) % every == 0 or m.step + 1 == steps:
            self._print(f"  batch {m.step + 1}/{steps}: " + ", ".join(f"{name} {value:.2f}" for name, value in values))

    def on_epoch(self, m) -> None:
        if self.csv:
            self.csv.end_epoch(m)
        print(
            f"epoch {m.epoch + 1}: train total {m.total_loss:.2f} (ce {m.ce_loss:.2f}, kl {m.kl_loss:.2f}) | "
            f"test total {m.val_total_loss:.2f} (ce {m.val_ce_loss:.2f}, kl {m.val_kl_loss:.2f}) | {m.wall_time_s:.1f} s",
            file=self.stream, flush=True,
        )
        self._begin_epoch(m.epoch + 1)

    def begin_scoring(self, passes: int) -> None:
        """The model card's passes over the test set are about to start: their own bar on a terminal."""
        self.bar = None
        if not self.quiet and self.terminal:
            import keras

            self.bar = keras.utils.Progbar(passes, unit_name="pass")

    def on_scored(self, done: int, total: int) -> None:
        """A pass of the card's scoring has ended."""
        if self.quiet:
            return
        if self.bar is not None:
            self.bar.update(done)
        elif done % max(1, total // PLAIN_LINES_PER_EPOCH) == 0 or done == total:
            self._print(f"  scoring pass {done}/{total}")

    def on_paused(self) -> None: ...

    def on_warning(self, message: str) -> None:
        print(f"warning: {message}", file=sys.stderr, flush=True)
