"""What `train` prints: a progress bar timed from its epoch's start on a terminal, plain lines elsewhere."""

import io

from vae_explorer.console import ConsoleListener
from vae_explorer.ml.progress import BatchMetrics, EpochMetrics, TrainingPlan

PLAN = TrainingPlan(epochs=2, initial_epoch=0, steps_per_epoch=20, n_train=1280, n_validation=100, batch_size=64)


def _run(listener: ConsoleListener) -> None:
    listener.on_start(PLAN)
    for epoch in range(2):
        for step in range(20):
            listener.on_batch(BatchMetrics(epoch, step, 20 * epoch + step, 260.0 - step, 255.0, 5.0, 40.0))
        listener.on_epoch(EpochMetrics(epoch, 250.0, 245.0, 5.0, 251.0, 246.0, 5.0, 1.0))


def test_to_a_file_progress_is_plain_lines_without_control_characters():
    out = io.StringIO()
    _run(ConsoleListener(None, quiet=False, stream=out))
    text = out.getvalue()
    assert "\x1b" not in text and "\b" not in text and "\r" not in text
    lines = text.splitlines()
    assert lines.count("Epoch 1/2") == 1 and lines.count("Epoch 2/2") == 1
    assert sum(line.startswith("  batch ") for line in lines) == 20, "ten lines an epoch"
    assert "  batch 20/20: total_loss 241.00, ce_loss 255.00, kl_loss 5.00, ms/batch 40.00" in lines
    assert lines[-1].startswith("epoch 2: train total 250.00")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_bar_of_each_epoch_starts_with_the_epoch():
    listener = ConsoleListener(None, quiet=False, stream=Terminal())
    listener.on_start(PLAN)
    first = listener.bar
    assert first is not None, "the bar exists before the first batch, so the first batch's time counts"
    listener.on_batch(BatchMetrics(0, 0, 0, 260.0, 255.0, 5.0, 40.0))
    assert listener.bar is first
    listener.on_epoch(EpochMetrics(0, 250.0, 245.0, 5.0, 251.0, 246.0, 5.0, 1.0))
    assert listener.bar is not None and listener.bar is not first
    listener.on_epoch(EpochMetrics(1, 250.0, 245.0, 5.0, 251.0, 246.0, 5.0, 1.0))
    assert listener.bar is None, "no bar after the last epoch"


def test_quiet_prints_only_the_epochs():
    out = io.StringIO()
    _run(ConsoleListener(None, quiet=True, stream=out))
    assert [line.split(":")[0] for line in out.getvalue().splitlines()[1:]] == ["epoch 1", "epoch 2"]
