"""GUI fixtures: the main window ready for a short run, and the Explore area with a tiny trained model."""

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from vae_explorer.gui import dialogs
from vae_explorer.gui.main_window import MainWindow


class Questions:
    """Stands in for `dialogs.ask` (a modal box would block an offscreen test for ever): records each
    question and answers it from `answers` by title, else with the safe choice (never a file dialog)."""

    SAFE = {"Unsaved model": QMessageBox.StandardButton.Discard}
    real = staticmethod(dialogs.ask)  # the real modal question, for a test that closes it by other means

    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []
        self.answers: dict = {}

    def __call__(self, parent, title, text, buttons, default, withdraw_on=None):
        self.asked.append((title, text))
        return self.answers.get(title, self.SAFE.get(title, default))

    def titles(self) -> list[str]:
        return [title for title, _ in self.asked]


@pytest.fixture(autouse=True)
def questions(monkeypatch) -> Questions:
    answered = Questions()
    monkeypatch.setattr(dialogs, "ask", answered)
    return answered


class FileDialogs:
    """Stands in for a file dialog's modal `exec` (it would block an offscreen test for ever): records each
    dialog as it opens (`shown`: its title, folder, preselected paths and size) and chooses `answer`, a
    list of paths; an empty one cancels."""

    def __init__(self) -> None:
        self.shown: list[dict] = []
        self.answer: list[Path] = []

    def __call__(self, dialog: QFileDialog) -> int:
        self.shown.append({"title": dialog.windowTitle(), "folder": Path(dialog.directory().absolutePath()),
                           "selected": [Path(p) for p in dialog.selectedFiles()], "size": dialog.size()})
        chosen = [str(p) for p in self.answer]
        dialog.selectedFiles = lambda: chosen
        return QDialog.DialogCode.Accepted if chosen else QDialog.DialogCode.Rejected


@pytest.fixture(autouse=True)
def file_dialogs(monkeypatch) -> FileDialogs:
    answered = FileDialogs()
    monkeypatch.setattr(QFileDialog, "exec", lambda dialog: answered(dialog))
    return answered


@pytest.fixture
def in_locale():
    """Sets the locale the interface writes numbers in (`in_locale("pt_BR")`); the system's again afterwards."""
    from PySide6.QtCore import QLocale

    before = QLocale()
    yield lambda name: QLocale.setDefault(QLocale(name))
    QLocale.setDefault(before)


@pytest.fixture
def in_portuguese(qapp):
    """The interface's Portuguese (Brazil) translation installed, as on a Brazilian system; removed afterwards."""
    from PySide6.QtCore import QLocale, QTranslator

    from vae_explorer.gui.app import install_translations

    before = set(qapp.findChildren(QTranslator))
    assert any(p.endswith("vae_explorer_pt_BR.qm") for p in install_translations(qapp, QLocale("pt_BR")))
    yield
    for translator in set(qapp.findChildren(QTranslator)) - before:
        qapp.removeTranslator(translator)
        translator.setParent(None)


@pytest.fixture
def window(gui_env, qtbot, monkeypatch, few_test_images):
    """The window, set up for a short run (320 images, batch 64, 2 epochs, a card on 1,000 test images);
    message boxes recorded."""
    messages = []  # a modal box would block an offscreen test forever: record instead
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: messages.append(a[1:3]))
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: messages.append(a[1:3]))
    win = MainWindow(load_default_model=False)
    win.messages = messages
    qtbot.addWidget(win)
    d = win.dashboard
    d.validation_limit = 200
    d.form.set_values(train_limit=320, batch_size=64, epochs=2, latent_dim=2)
    win.resize(1280, 800)  # the default size (the offscreen screen is smaller: the first window would fit it)
    win.show()
    yield win
    if d.worker is not None:
        assert d.shutdown(), "the training thread ended"
    win.tasks.stopping.set()  # as closing does: optional background work (a warm-up) ends early
    assert win.tasks.wait(30000), "background tasks ended"
    qtbot.wait(100)  # what the ended run and tasks queued is delivered before the window is deleted


@pytest.fixture
def explore(gui_env, qtbot, monkeypatch, tiny_trained):
    """The Explore area of a window showing the tiny trained model, its test set and grid in place."""
    for name in ("warning", "critical"):  # a modal box would hang an offscreen test
        monkeypatch.setattr(QMessageBox, name, lambda *a, **k: QMessageBox.StandardButton.Discard)
    win = MainWindow(load_default_model=False)
    qtbot.addWidget(win)
    win.resize(1300, 900)
    win.show()
    win.tabs.setCurrentWidget(win.explorer)
    with qtbot.waitSignal(win.model_changed, timeout=60000):
        win.open_model(tiny_trained)
    ex = win.explorer
    qtbot.waitUntil(lambda: ex.latent_plane.latents is not None and ex.samples.grid_images is not None, timeout=30000)
    yield ex
    win.tasks.stopping.set()  # as closing does
    assert win.tasks.wait(30000)
