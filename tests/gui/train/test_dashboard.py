"""The Train area driving real short runs: streaming, pause/resume/stop, checkpoints, Continue."""

import csv
import re
from pathlib import Path

import numpy as np
from PySide6.QtWidgets import QMessageBox

from tests.helpers import drop
from vae_explorer.gui.train.dashboard import RunState


def buttons(d):
    return (d.start_button.isEnabled(), d.pause_button.isEnabled(), d.stop_button.isEnabled(), d.pause_button.text())


def test_short_training_streams_points_and_hands_over_the_model(window, qtbot, monkeypatch):
    import threading

    from vae_explorer.ml.inference import VAE

    d, release = window.dashboard, threading.Event()
    scores = VAE.scores

    def held_shared_pass(self, images, labels=None, seed=0, own_draws=False):  # the card's second pass waits
        if len(images) == 1000 and not own_draws:
            release.wait(60)
        return scores(self, images, labels, seed, own_draws)

    monkeypatch.setattr(VAE, "scores", held_shared_pass)
    assert buttons(d) == (True, False, False, "Pause")
    with qtbot.waitSignal(d.model_trained, timeout=120000) as trained:
        d.start_button.click()
        assert buttons(d) == (False, True, True, "Pause")
        menus = (window.open_action, window.recent_models.menu, window.shipped_menu)
        assert not any(m.isEnabled() for m in menus), "no model is opened while a run would replace it"
        assert drop(window.explorer, [Path("dropped.keras")]) and window.vae is None
        assert "A run is training: dropped.keras can be opened when it ends" in window.statusBar().currentMessage()
        # Every batch has run: the card scores the test set, said so, with nothing left to pause or stop;
        # the bar is busy until the first pass is done, then counts the passes and the label says what is left.
        scoring = f"Scoring the {d.locale().toString(1000)} test images for the model card…"
        qtbot.waitUntil(lambda: d.state is RunState.SCORING, timeout=120000)
        assert buttons(d) == (False, False, False, "Pause")
        assert d.progress_label.text() == scoring and d.progress.maximum() in (0, 2)
        qtbot.waitUntil(lambda: (d.progress.maximum(), d.progress.value()) == (2, 1), timeout=60000)
        assert re.fullmatch(re.escape(scoring) + r" ETA \d+:\d\d", d.progress_label.text())
        release.set()
    assert re.fullmatch(r"Training completed: 2 epochs\. \(\d+:\d\d\)", d.progress_label.text())
    assert d.plots.batch_count == 10 and d.plots.curves["kl_loss"].n == 10
    assert len(d.plots.validation_points["total_loss"]) == 2
    assert d.plots.batch_text(9).splitlines()[0] == "batch 9 · epoch 2, step 5"  # the run's epochs, for the readout
    assert d.progress.value() == d.progress.maximum() == 10
    assert buttons(d) == (True, False, False, "Pause")
    vae = trained.args[0]
    assert window.vae is vae and vae.card.training.status == "completed"
    assert d.preview_item.image is not None and d.preview_item.image.shape == (56, 224)
    assert window.save_action.isEnabled() and all(m.isEnabled() for m in menus)
    window.new_action.trigger()  # File > New training: nothing of the last run stays
    assert d.plots.batch_count == 0 and d.progress.value() == 0 and d.preview_item.image is None
    assert d.progress_label.text() == "Not started"


def test_closing_while_the_card_is_scored_ends_the_scoring_at_its_next_pass(window, qtbot, monkeypatch):
    """The card's passes over the test set take seconds (a conditional model's, a minute here): closing
    the window must not wait for all of them, nor hand a model to a window that is going."""
    import threading

    from PySide6.QtCore import Qt

    from vae_explorer.ml.inference import VAE

    d, passes, release = window.dashboard, [], threading.Event()
    evaluate, elbo = VAE.evaluate, VAE.elbo

    def held_evaluate(self, *args, **kwargs):  # the first pass, held until the window is closing
        passes.append("evaluate")
        release.wait(60)
        return evaluate(self, *args, **kwargs)

    monkeypatch.setattr(VAE, "evaluate", held_evaluate)
    monkeypatch.setattr(VAE, "elbo", lambda self, *a, **k: passes.append("elbo") or elbo(self, *a, **k))
    d.start_button.click()
    qtbot.waitUntil(lambda: passes == ["evaluate"] and d.state is RunState.SCORING, timeout=120000)
    handed_over = []
    d.worker.finished.connect(lambda *a: handed_over.append(a), Qt.ConnectionType.DirectConnection)
    threading.Timer(0.5, release.set).start()  # shutdown blocks this thread: let the pass end meanwhile
    assert d.shutdown() and not d.is_training()
    # evaluate's own draws are one elbo pass; the shared draws' pass, next, never came
    assert passes == ["evaluate", "elbo"] and handed_over == [], "no pass after the first, no model handed over"
    assert d.progress.maximum() > 0, "the bar is no longer busy"


def test_pause_resume_and_stop(window, qtbot):
    d = window.dashboard
    d.form.set_values(epochs=200)
    with qtbot.waitSignal(d.running_changed, timeout=60000):
        d.start_button.click()
    qtbot.waitUntil(lambda: d.plots.batch_count >= 3, timeout=60000)
    d.pause_button.click()
    assert buttons(d) == (False, False, True, "Pausing…"), "not 'Resume' while the current batch still runs"
    # "Resume" once the run has really stopped between batches (after the last points are flushed)
    qtbot.waitUntil(lambda: buttons(d) == (False, True, True, "Resume"), timeout=30000)
    n = d.plots.batch_count
    qtbot.wait(500)
    assert d.plots.batch_count == n, "no batches while paused"
    d.pause_button.click()
    assert buttons(d) == (False, True, True, "Pause")
    qtbot.waitUntil(lambda: d.plots.batch_count > n, timeout=30000)
    with qtbot.waitSignal(d.model_trained, timeout=60000) as trained:
        d.stop_button.click()
        assert buttons(d) == (False, False, False, "Pause")
    assert trained.args[0].card.training.status == "stopped"
    assert buttons(d) == (True, False, False, "Pause")


def test_a_diverging_run_says_where_keeps_its_last_good_weights_and_hands_them_over(window, qtbot):
    """Learning rate 10, the form's highest: Adam blows the log variance up within a few batches."""
    d = window.dashboard
    d.form.set_values(learning_rate=10.0, epochs=5)
    with qtbot.waitSignal(d.model_trained, timeout=120000) as trained:
        d.start_button.click()
    vae = trained.args[0]
    assert vae.card.training.status == "diverged" and window.vae is vae
    [(title, text)] = window.messages
    assert title == "Training diverged"
    assert re.fullmatch(r"Training diverged at epoch \d, batch \d \(total_loss=\S+, ce_loss=\S+, kl_loss=\S+\)\. "
                        r"The model keeps the last weights that gave a finite loss\. "
                        r"Try a lower learning rate or a smaller β\.", text), text
    assert text == vae.card.training.message.replace("beta", "β"), "the window says what the card records"
    assert d.progress_label.text().startswith(text + " (")
    assert np.isfinite(vae.card.test_metrics["total_loss"]), "the weights handed over give finite losses"
    assert buttons(d) == (True, False, False, "Pause")


def test_close_during_training_asks_then_stops_cleanly(window, qtbot, questions):
    d = window.dashboard
    d.form.set_values(epochs=200)
    d.start_button.click()
    qtbot.waitUntil(lambda: len(d.plots.validation_points["total_loss"]) >= 1, timeout=120000)
    worker = d.worker
    questions.answers["Training is running"] = QMessageBox.StandardButton.No
    window.close()
    assert window.isVisible() and d.is_training(), "No keeps the window and the run"
    questions.answers["Training is running"] = QMessageBox.StandardButton.Yes
    window.close()
    assert questions.titles() == ["Training is running"] * 2
    assert not window.isVisible() and worker.thread.isFinished()
    from vae_explorer.gui.train.dashboard import checkpoint_path

    assert checkpoint_path().exists(), "the last completed epoch is kept as a checkpoint"


def test_export_metrics_csv(window, qtbot, gui_env):
    d = window.dashboard
    with qtbot.waitSignal(d.model_trained, timeout=120000):
        d.start_button.click()
    out = gui_env / "metrics.csv"
    window.export_csv(out)
    rows = out.read_text().splitlines()
    assert rows[0] == "epoch,step,total_loss,ce_loss,kl_loss,training_time_ms,val_total_loss,val_ce_loss,val_kl_loss"
    assert len(rows) == 11 and rows[6].startswith("2,1,")
    assert [bool(r.split(",")[6]) for r in rows[1:]] == [False] * 4 + [True] + [False] * 4 + [True], \
        "each epoch's validation on its last batch's row"


def test_checkpoint_that_cannot_be_written_is_shown_and_training_completes(window, qtbot, monkeypatch, read_only_dir):
    from vae_explorer.gui.train import dashboard

    monkeypatch.setattr(dashboard, "checkpoint_path", lambda: read_only_dir / "last-run.checkpoint.keras")
    d = window.dashboard
    with qtbot.waitSignal(d.model_trained, timeout=120000) as trained:
        d.start_button.click()
    assert trained.args[0].card.training.status == "completed"
    assert len(d.warnings) == 2 and "not written" in d.warning_label.text() and d.warning_label.isVisible()
    assert not window.messages, "a warning, not a modal error"


def test_a_stopped_run_continues_from_its_checkpoint_with_its_own_settings(window, qtbot, gui_env):
    from vae_explorer.model_card import read_checkpoint_progress
    from vae_explorer.gui.train.dashboard import checkpoint_path

    d = window.dashboard
    assert not d.continue_button.isEnabled(), "nothing to continue in a fresh app"
    d.form.set_values(epochs=6)
    d.form.set_values(latent_dim=3)
    d.start_button.click()
    qtbot.waitUntil(lambda: len(d.plots.validation_points["total_loss"]) >= 1, timeout=120000)
    with qtbot.waitSignal(d.model_trained, timeout=60000):
        d.stop_button.click()
    done = read_checkpoint_progress(checkpoint_path()).epochs_completed
    assert 1 <= done < 6
    assert d.continue_button.isEnabled() and f"{done} of 6 epochs done" in d.continue_button.toolTip()
    d.form.set_values(latent_dim=2, epochs=9)  # the form changed since: Continue goes on with the run's own settings
    with qtbot.waitSignal(d.model_trained, timeout=120000) as trained:
        d.continue_button.click()
        assert buttons(d) == (False, True, True, "Pause") and not d.continue_button.isEnabled()
    assert (d.form.values()["latent_dim"], d.form.values()["epochs"]) == (3, 6), "the form shows the continued run's settings"
    card = trained.args[0].card
    assert card.training.status == "completed" and card.training.epochs_completed == 6
    assert card.latent_dim == 3
    steps = d.plan.steps_per_epoch
    assert d.plan.initial_epoch == done and len(d.plan.batches) == done * steps
    np.testing.assert_array_equal(d.plots.curves["total_loss"].values()[0], np.arange(6 * steps)), \
        "the plots show the whole run: the earlier epochs' batches, then those after Continue"
    out = gui_env / "whole-run.csv"
    assert d.export_csv(out) == 6 * steps
    rows = list(csv.DictReader(open(out)))
    assert [r["epoch"] for r in rows[::steps]] == ["1", "2", "3", "4", "5", "6"]
    validated = [r for r in rows if r["val_total_loss"]]
    assert [(r["epoch"], r["step"]) for r in validated] == [(str(e), str(steps)) for e in range(1, 7)]
    assert len(d.plots.validation_points["total_loss"]) == 6, "the earlier epochs' validation points are drawn again"
    assert d.progress.value() == d.progress.maximum()
    assert not d.continue_button.isEnabled(), "a finished run is not offered again"
    assert not window.messages


def test_settings_that_cannot_train_are_told_at_once_and_start_nothing(window, qtbot):
    """A batch larger than the training images: said when Start is clicked, before any data is loaded."""
    d = window.dashboard
    d.form.set_values(train_limit=100, batch_size=128)
    asked = []
    d.confirm_start = lambda: asked.append(True) or True
    d.start_button.click()
    assert window.messages == [("Training cannot start", "Batch size 128 is larger than the 100 training images; "
                                                         "choose a smaller batch or more images")]
    assert d.worker is None and d.state.value == "idle" and d.start_button.isEnabled()
    assert not asked, "the unsaved model is not asked about for a run that cannot start"
    d.form.set_values(batch_size=50)
    d.start_button.click()
    assert asked and d.worker is not None, "settings that can train start the run"
    assert d.shutdown()


def test_continuing_from_a_broken_checkpoint_says_so_and_the_app_goes_on(window, qtbot):
    import json

    from vae_explorer.config import TrainingConfig
    from vae_explorer.gui.train.dashboard import checkpoint_path

    path = checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"PK\x03\x04 cut short")
    card = {"training": {"config": TrainingConfig(epochs=4).to_dict(), "epochs_completed": 1}}
    path.with_suffix(".json").write_text(json.dumps(card), encoding="utf-8")
    d = window.dashboard
    d.refresh_continue()
    assert d.continue_button.isEnabled() and "1 of 4 epochs done" in d.continue_button.toolTip()
    d.continue_button.click()
    qtbot.waitUntil(lambda: bool(window.messages), timeout=120000)
    title, message = window.messages[0]
    assert title == "Training failed" and str(path) in message
    assert not d.is_training() and d.start_button.isEnabled()
    assert path.read_bytes() == b"PK\x03\x04 cut short", "the file is left as it was"


def test_ctrl_p_pauses_resumes_and_pauses_again(window, qtbot):
    """Relabelling a button ("Pause" <-> "Resume") must not drop its shortcut (setText replaces it)."""
    from PySide6.QtCore import Qt

    d = window.dashboard
    d.form.set_values(epochs=200)
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)  # Start
    qtbot.waitUntil(lambda: d.plots.batch_count >= 2, timeout=60000)
    for expected in ("Resume", "Pause", "Resume"):
        qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
        # A button's shortcut clicks it after a short animation: wait for the state, do not sleep.
        qtbot.waitUntil(lambda: d.pause_button.text() in (expected, "Pausing…"), timeout=2000)
        assert d.worker.control.paused == (expected == "Resume")
        # "Resume" comes at the run's next batch end: at an epoch's end, after validation and the checkpoint.
        qtbot.waitUntil(lambda: d.pause_button.text() == expected, timeout=60000)
    for button in (d.start_button, d.continue_button, d.pause_button, d.stop_button):
        assert not button.shortcut().isEmpty(), f"{button.text()} keeps its shortcut"


def test_the_tensorboard_option_logs_a_run_into_its_own_subfolder(window, qtbot, tmp_path):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    d = window.dashboard
    assert not d.tensorboard.enabled.isChecked() and not d.tensorboard.path.isEnabled()
    d.tensorboard.enabled.setChecked(True)
    d.tensorboard.path.setText(str(tmp_path / "logs"))
    with qtbot.waitSignal(d.model_trained, timeout=120000):
        d.start_button.click()
        assert not d.tensorboard.enabled.isEnabled() and not d.tensorboard.path.isEnabled()  # while it trains
    assert d.tensorboard.enabled.isEnabled() and d.tensorboard.path.isEnabled()
    (run,) = (tmp_path / "logs").iterdir()
    assert run.name.startswith("run-") and d.tensorboard_dir == run
    events = EventAccumulator(str(run / "train"), size_guidance={"tensors": 0}).Reload()
    assert len(events.Tensors("kl_loss")) == 10 and "reconstructions" in " ".join(events.Tags()["tensors"])
    assert f"tensorboard --logdir {tmp_path / 'logs'}" in d.progress_label.text()


def test_without_tensorboard_the_option_is_off_and_says_how_to_install(qtbot):
    from vae_explorer.gui.train.tensorboard_option import TensorBoardOption

    option = TensorBoardOption(installed=False)
    qtbot.addWidget(option)
    option.enabled.setChecked(True)  # even if a remembered setting ticked it
    assert not option.enabled.isEnabled() and option.folder() is None
    assert "pip install tensorboard" in option.enabled.toolTip()
