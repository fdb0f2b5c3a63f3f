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


def test_the_cards_scoring_passes_are_counted_in_plain_lines_or_on_their_own_bar():
    out = io.StringIO()
    listener = ConsoleListener(None, quiet=False, stream=out)
    listener.begin_scoring(20)
    for done in range(1, 21):
        listener.on_scored(done, 20)
    assert out.getvalue().splitlines() == [f"  scoring pass {k}/20" for k in range(2, 21, 2)], "ten lines at most"
    out = io.StringIO()
    listener = ConsoleListener(None, quiet=False, stream=out)
    listener.begin_scoring(2)
    listener.on_scored(1, 2)
    listener.on_scored(2, 2)
    assert out.getvalue().splitlines() == ["  scoring pass 1/2", "  scoring pass 2/2"]
    terminal = ConsoleListener(None, quiet=False, stream=Terminal())
    terminal.begin_scoring(20)
    assert terminal.bar is not None and terminal.bar.target == 20
    terminal.on_scored(5, 20)
    assert terminal.stream.getvalue() == "", "Keras' bar draws it, on the terminal, not plain lines"
    quiet = io.StringIO()
    listener = ConsoleListener(None, quiet=True, stream=quiet)
    listener.begin_scoring(2)
    listener.on_scored(2, 2)
    assert quiet.getvalue() == ""
