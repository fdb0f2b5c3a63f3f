import subprocess
import sys

import numpy as np
import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from vae_explorer.gui.main_window import MainWindow


@pytest.fixture
def window(gui_env, qtbot, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    messages = []  # a modal box would block an offscreen test forever: record instead
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: messages.append(a[1:3]))
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: messages.append(a[1:3]))
    win = MainWindow(load_default_model=False)
    win.messages = messages
    qtbot.addWidget(win)
    win.dashboard.validation_limit = 200
    d = win.dashboard
    d.full_set.setChecked(False)
    d.subset.setValue(320)
    d.batch_size.setValue(64)
    d.epochs.setValue(2)
    d.latent_dim.setValue(2)
    win.show()
    yield win
    if d.worker is not None:
        assert d.shutdown(), "the training thread ended"
    assert win.tasks.wait(30000), "background tasks ended"


def buttons(d):
    return (d.start_button.isEnabled(), d.pause_button.isEnabled(), d.stop_button.isEnabled(), d.pause_button.text())


def test_window_shows_before_tensorflow_is_imported():
    code = (
        "import sys, os; os.environ['QT_QPA_PLATFORM']='offscreen';"
        "from PySide6.QtWidgets import QApplication; app = QApplication([]);"
        "from vae_explorer.gui.main_window import MainWindow; w = MainWindow(load_default_model=False); w.show();"
        "app.processEvents(); print('tensorflow' in sys.modules, 'keras' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["False", "False"], out.stderr


def test_short_training_streams_points_and_hands_over_the_model(window, qtbot):
    d = window.dashboard
    assert buttons(d) == (True, False, False, "Pause")
    with qtbot.waitSignal(d.model_trained, timeout=120000) as trained:
        d.start_button.click()
        assert buttons(d) == (False, True, True, "Pause")
    assert d.curves["total_loss"].n == 10 and d.curves["kl_loss"].n == 10
    assert len(d.val_points["total_loss"]) == 2
    assert d.progress.value() == d.progress.maximum() == 10
    assert buttons(d) == (True, False, False, "Pause")
    vae = trained.args[0]
    assert window.vae is vae and vae.card["training"]["status"] == "completed"
    assert d.preview_item.image is not None and d.preview_item.image.shape == (56, 224)
    assert window.save_action.isEnabled()


def test_pause_resume_and_stop(window, qtbot):
    d = window.dashboard
    d.epochs.setValue(200)
    with qtbot.waitSignal(d.running_changed, timeout=60000):
        d.start_button.click()
    qtbot.waitUntil(lambda: d.curves["total_loss"].n >= 3, timeout=60000)
    with qtbot.waitSignal(d.worker.paused, timeout=30000):  # emitted after the last points are flushed
        d.pause_button.click()
        assert buttons(d) == (False, True, True, "Resume")
    qtbot.wait(100)
    n = d.curves["total_loss"].n
    qtbot.wait(500)
    assert d.curves["total_loss"].n == n, "no batches while paused"
    d.pause_button.click()
    assert buttons(d) == (False, True, True, "Pause")
    qtbot.waitUntil(lambda: d.curves["total_loss"].n > n, timeout=30000)
    with qtbot.waitSignal(d.model_trained, timeout=60000) as trained:
        d.stop_button.click()
        assert buttons(d) == (False, False, False, "Pause")
    assert trained.args[0].card["training"]["status"] == "stopped"
    assert buttons(d) == (True, False, False, "Pause")


def test_close_during_training_asks_then_stops_cleanly(window, qtbot, monkeypatch):
    d = window.dashboard
    d.epochs.setValue(200)
    d.start_button.click()
    qtbot.waitUntil(lambda: len(d.val_points["total_loss"]) >= 1, timeout=120000)
    worker = d.worker
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    window.close()
    assert window.isVisible() and d.is_training(), "No keeps the window and the run"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.close()
    assert not window.isVisible() and worker.thread.isFinished()
    from vae_explorer.gui.dashboard import checkpoint_path

    assert checkpoint_path().exists(), "the last completed epoch is kept as a checkpoint"


def test_open_and_save_model_through_the_menu(window, qtbot, monkeypatch, tiny_trained, gui_env):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(tiny_trained), ""))
    window.open_action.trigger()
    qtbot.waitUntil(lambda: window.vae is not None, timeout=60000)
    assert "tiny" in window.model_label.text() and "tiny" in window.explorer.title.text()
    target = gui_env / "saved.keras"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.save_action.trigger()
    qtbot.waitUntil(lambda: target.with_suffix(".json").exists(), timeout=60000)
    # a bad file: a message, and the current model stays
    bad = gui_env / "bad.keras"
    bad.write_text("not a model")
    assert window.messages == []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    current = window.vae
    window.open_action.trigger()
    qtbot.waitUntil(lambda: bool(window.messages), timeout=30000)
    title, text = window.messages[0]
    assert "not a Keras .keras file" in text and "stays loaded" in text
    assert window.vae is current


def test_export_metrics_csv(window, qtbot, gui_env):
    d = window.dashboard
    with qtbot.waitSignal(d.model_trained, timeout=120000):
        d.start_button.click()
    out = gui_env / "metrics.csv"
    window.export_csv(out)
    rows = out.read_text().splitlines()
    assert rows[0] == "epoch,step,total_loss,ce_loss,kl_loss,training_time_ms" and len(rows) == 11
    assert rows[6].startswith("2,1,")


def test_settings_are_remembered(gui_env, qtbot, monkeypatch):
    first = MainWindow(load_default_model=False)
    qtbot.addWidget(first)
    first.dashboard.epochs.setValue(7)
    first.dashboard.beta.setValue(2.5)
    first.dashboard.fourier_features.setValue(0)
    first.dashboard.precision.setCurrentIndex(first.dashboard.precision.findData("float32"))
    first.resize(900, 600)
    first.close()
    second = MainWindow(load_default_model=False)
    qtbot.addWidget(second)
    assert second.dashboard.epochs.value() == 7 and second.dashboard.beta.value() == 2.5
    assert second.dashboard.config().precision == "float32"
    assert second.dashboard.config().model.fourier_features == 0 and second.dashboard.config().model.beta == 2.5
    from PySide6.QtCore import QSettings

    assert QSettings().value("window/geometry") is not None and int(QSettings().value("settings_version")) == 1


def test_smoothing_moving_average():
    from vae_explorer.gui.plots import moving_average

    np.testing.assert_allclose(moving_average(np.array([1.0, 3.0, 5.0, 7.0]), 2), [1.0, 2.0, 4.0, 6.0])


def test_disk_full_when_saving_keeps_the_model_and_another_folder_works(window, qtbot, monkeypatch, tiny_trained, gui_env):
    import errno

    from vae_explorer.ml import storage

    with qtbot.waitSignal(window.model_changed, timeout=60000):
        window.open_model(tiny_trained)
    current = window.vae
    full = gui_env / "full"
    full.mkdir()
    real_stage = storage.stage

    def stage(path, writer):
        if full in path.parents:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_stage(path, writer)

    monkeypatch.setattr(storage, "stage", stage)
    window.save_model(full / "model.keras")
    qtbot.waitUntil(lambda: bool(window.messages), timeout=30000)
    title, text = window.messages[0]
    assert "No space left on device" in text and "still in memory" in text
    assert window.vae is current and not (full / "model.keras").exists()
    elsewhere = gui_env / "model.keras"
    window.save_model(elsewhere)
    qtbot.waitUntil(lambda: elsewhere.with_suffix(".json").exists(), timeout=60000)


def test_read_only_folder_when_saving_keeps_the_model_and_another_folder_works(window, qtbot, tiny_trained, gui_env, read_only_dir):
    with qtbot.waitSignal(window.model_changed, timeout=60000):
        window.open_model(tiny_trained)
    current = window.vae
    window.save_model(read_only_dir / "model.keras")
    qtbot.waitUntil(lambda: bool(window.messages), timeout=30000)
    title, text = window.messages[0]
    assert ("Read-only file system" in text or "Permission denied" in text) and "still in memory" in text
    assert window.vae is current and list(read_only_dir.iterdir()) == []
    elsewhere = gui_env / "model.keras"
    window.save_model(elsewhere)
    qtbot.waitUntil(lambda: elsewhere.with_suffix(".json").exists(), timeout=60000)


def test_checkpoint_that_cannot_be_written_is_shown_and_training_completes(window, qtbot, monkeypatch, read_only_dir):
    from vae_explorer.gui import dashboard

    monkeypatch.setattr(dashboard, "checkpoint_path", lambda: read_only_dir / "last-run.checkpoint.keras")
    d = window.dashboard
    with qtbot.waitSignal(d.model_trained, timeout=120000) as trained:
        d.start_button.click()
    assert trained.args[0].card["training"]["status"] == "completed"
    assert len(d.warnings) == 2 and "not written" in d.warning_label.text() and d.warning_label.isVisible()
    assert not window.messages, "a warning, not a modal error"


def test_a_stopped_run_continues_from_its_checkpoint_with_its_own_settings(window, qtbot):
    from vae_explorer.config import read_checkpoint_progress
    from vae_explorer.gui.dashboard import checkpoint_path

    d = window.dashboard
    assert not d.continue_button.isEnabled(), "nothing to continue in a fresh app"
    d.epochs.setValue(6)
    d.latent_dim.setValue(3)
    d.start_button.click()
    qtbot.waitUntil(lambda: len(d.val_points["total_loss"]) >= 1, timeout=120000)
    with qtbot.waitSignal(d.model_trained, timeout=60000):
        d.stop_button.click()
    done = read_checkpoint_progress(checkpoint_path()).epochs_completed
    assert 1 <= done < 6
    assert d.continue_button.isEnabled() and f"{done} of 6 epochs done" in d.continue_button.toolTip()
    d.latent_dim.setValue(2)  # the form changed since: Continue goes on with the run's own settings
    d.epochs.setValue(9)
    with qtbot.waitSignal(d.model_trained, timeout=120000) as trained:
        d.continue_button.click()
        assert buttons(d) == (False, True, True, "Pause") and not d.continue_button.isEnabled()
    assert (d.latent_dim.value(), d.epochs.value()) == (3, 6), "the form shows the continued run's settings"
    card = trained.args[0].card
    assert card["training"]["status"] == "completed" and card["training"]["epochs_completed"] == 6
    assert card["latent_dim"] == 3
    steps = d.plan.steps_per_epoch
    assert d.plan.initial_epoch == done and d.curves["total_loss"].n == (6 - done) * steps
    assert d.curves["total_loss"].values()[0][0] == done * steps, "batches go on where the run stopped"
    assert len(d.val_points["total_loss"]) == 6, "the earlier epochs' validation points are drawn again"
    assert d.progress.value() == d.progress.maximum()
    assert not d.continue_button.isEnabled(), "a finished run is not offered again"
    assert not window.messages


def test_continuing_from_a_broken_checkpoint_says_so_and_the_app_goes_on(window, qtbot):
    import json

    from vae_explorer.config import TrainingConfig
    from vae_explorer.gui.dashboard import checkpoint_path

    path = checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"PK\x03\x04 cut short")
    card = {"training": {"config": TrainingConfig(epochs=4).to_dict(), "epochs_completed": 1}}
    path.with_suffix(".json").write_text(json.dumps(card), encoding="utf-8")
    d = window.dashboard
    d._refresh_continue()
    assert d.continue_button.isEnabled() and "1 of 4 epochs done" in d.continue_button.toolTip()
    d.continue_button.click()
    qtbot.waitUntil(lambda: bool(window.messages), timeout=120000)
    title, message = window.messages[0]
    assert title == "Training failed" and str(path) in message
    assert not d.is_training() and d.start_button.isEnabled()
    assert path.read_bytes() == b"PK\x03\x04 cut short", "the file is left as it was"
