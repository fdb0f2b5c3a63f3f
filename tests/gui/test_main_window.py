"""The main window: start-up, menus, opening and saving models, settings."""

import subprocess
import sys

from PySide6.QtWidgets import QApplication, QMessageBox

from vae_explorer.gui.main_window import MainWindow


def test_window_shows_before_tensorflow_is_imported():
    code = (
        "import sys, os; os.environ['QT_QPA_PLATFORM']='offscreen';"
        "from PySide6.QtWidgets import QApplication; app = QApplication([]);"
        "from vae_explorer.gui.main_window import MainWindow; w = MainWindow(load_default_model=False); w.show();"
        "app.processEvents(); print('tensorflow' in sys.modules, 'keras' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["False", "False"], out.stderr


def test_open_and_save_model_through_the_menu(window, qtbot, file_dialogs, tiny_trained, gui_env):
    file_dialogs.answer = [tiny_trained]
    window.open_action.trigger()
    qtbot.waitUntil(lambda: window.vae is not None, timeout=60000)
    assert "tiny" in window.model_label.text() and "tiny" in window.explorer.title.text()
    # The title bar reads "tiny… — VAE Explorer": Qt adds the display name itself, so the title has none.
    assert window.windowTitle().startswith("tiny") and "VAE Explorer" not in window.windowTitle()
    target = gui_env / "saved.keras"
    file_dialogs.answer = [target]
    window.save_action.trigger()
    qtbot.waitUntil(lambda: target.with_suffix(".json").exists(), timeout=60000)
    # a bad file: a message, and the current model stays
    bad = gui_env / "bad.keras"
    bad.write_text("not a model")
    assert window.messages == []
    file_dialogs.answer = [bad]
    current = window.vae
    window.open_action.trigger()
    qtbot.waitUntil(lambda: bool(window.messages), timeout=30000)
    title, text = window.messages[0]
    assert "not a Keras .keras file" in text and "stays loaded" in text
    assert window.vae is current


def test_open_recent_lists_the_models_opened_and_saved_newest_first_and_opens_them(
        window, qtbot, file_dialogs, tiny_trained, gui_env, monkeypatch):
    import shutil

    from vae_explorer.config import DEFAULT_MODEL_PATH, shipped_models
    from vae_explorer.gui import main_window

    recent = window.recent_models

    def shown() -> list[str]:
        return [a.text() for a in recent.menu.actions() if a.text()]

    assert shown() == ["No recent models", "&Clear list"] and not recent.menu.actions()[-1].isEnabled()
    file_dialogs.answer = [tiny_trained]
    window.open_action.trigger()
    qtbot.waitUntil(lambda: window.vae is not None, timeout=60000)
    saved = gui_env / "saved.keras"
    window.save_model(saved)
    qtbot.waitUntil(lambda: recent.paths[:1] == [saved], timeout=60000)
    assert shown() == ["&1 saved.keras", "&2 tiny.keras", "&Clear list"]
    assert recent.menu.actions()[1].statusTip() == str(tiny_trained)
    with qtbot.waitSignal(window.model_changed, timeout=60000):
        recent.menu.actions()[1].trigger()
    assert window.vae.path == tiny_trained and shown()[:2] == ["&1 tiny.keras", "&2 saved.keras"]
    copy = gui_env / "copy" / "tiny.keras"  # the same name in another folder: each entry says its folder
    copy.parent.mkdir()
    for suffix in (".keras", ".json"):
        shutil.copy(tiny_trained.with_suffix(suffix), copy.with_suffix(suffix))
    with qtbot.waitSignal(window.model_changed, timeout=60000):
        window.open_model(copy)
    assert shown()[:3] == ["&1 tiny.keras (copy)", f"&2 tiny.keras ({tiny_trained.parent.name})", "&3 saved.keras"]
    again = MainWindow(load_default_model=False)  # the list outlives the window
    qtbot.addWidget(again)
    assert again.recent_models.paths == recent.paths == [copy, tiny_trained, saved]
    # A file gone since: a message, off the list, and the current model stays.
    saved.unlink()
    current = window.vae
    recent.menu.actions()[2].trigger()
    title, text = window.messages[-1]
    assert title == "Could not open the model" and str(saved) in text and "not there any more" in text
    assert recent.paths == [copy, tiny_trained] and window.vae is current
    # The shipped models have a menu of their own and are not listed as recent.
    asked = []
    monkeypatch.setattr(main_window, "load_model_file", lambda path: asked.append(path) or current)
    names = [a.text() for a in window.shipped_menu.actions()]
    assert names == [p.stem for p in shipped_models()] and len(names) == 3
    with qtbot.waitSignal(window.model_changed, timeout=60000):
        window.shipped_menu.actions()[names.index(DEFAULT_MODEL_PATH.stem)].trigger()
    assert asked == [DEFAULT_MODEL_PATH] and recent.paths == [copy, tiny_trained]
    for i in range(10):  # eight at most, newest first
        recent.add(gui_env / f"m{i}.keras")
    assert recent.paths == [gui_env / f"m{i}.keras" for i in range(9, 1, -1)]
    recent.menu.actions()[-1].trigger()  # Clear list
    assert shown() == ["No recent models", "&Clear list"]
    third = MainWindow(load_default_model=False)
    qtbot.addWidget(third)
    assert third.recent_models.paths == []


def test_a_model_file_dropped_on_the_window_opens_and_images_dropped_beside_it_are_reconstructed_by_it(
        window, qtbot, tiny_trained, gui_env):
    from tests.helpers import drop
    from vae_explorer.config import RESOURCES_DIR

    shirt = RESOURCES_DIR / "sample-images" / "t-shirt-top.png"
    said = []
    window.explorer.status_message.connect(said.append)
    rec = window.explorer.reconstruct
    with qtbot.waitSignal(window.model_changed, timeout=60000):
        assert drop(window.explorer, [tiny_trained, shirt, gui_env / "second.keras"])
        # No model is open yet (as while the shipped one loads at start-up): the image waits for this one.
        assert rec.results == [] and "Waiting for a model: 1 image to reconstruct" in rec.message.text()
    assert window.vae.path == tiny_trained and window.recent_models.paths == [tiny_trained]
    assert "2 models dropped: one opens at a time, tiny.keras first" in said
    qtbot.waitUntil(lambda: [r.name for r in rec.results] == ["t-shirt-top.png"], timeout=60000)
    first = window.vae
    with qtbot.waitSignal(window.model_changed, timeout=60000):  # a model open: the image is read at once
        assert drop(window.explorer, [shirt, tiny_trained])
    assert window.vae is not first and window.vae.path == tiny_trained
    # Read before the new model opened or after, the image joins the table (a new model redoes both).
    qtbot.waitUntil(lambda: [r.name for r in rec.results] == ["t-shirt-top.png"] * 2, timeout=60000)
    current = window.vae
    assert drop(window.explorer, [gui_env / "gone.keras"])
    title, text = window.messages[-1]
    assert str(gui_env / "gone.keras") in text and window.vae is current


def test_the_first_window_fits_the_screen(gui_env, qtbot, monkeypatch):
    from types import SimpleNamespace

    from PySide6.QtCore import QRect

    from vae_explorer.gui import main_window

    window = MainWindow(load_default_model=False)
    qtbot.addWidget(window)
    free = window.screen().availableGeometry()  # offscreen: 800x800, less than the default size
    assert free.width() < main_window.DEFAULT_SIZE.width()
    assert free.contains(window.geometry()) and window.maximize_on_show, "a small screen: all of it, not 1280x800"
    window.show_as_saved()
    assert window.isMaximized()
    full_hd = QRect(0, 0, 1920, 1050)  # a screen with room for it (less a panel)
    monkeypatch.setattr(MainWindow, "screen", lambda self: SimpleNamespace(availableGeometry=lambda: full_hd))
    roomy = MainWindow(load_default_model=False)
    qtbot.addWidget(roomy)
    assert roomy.size() == main_window.DEFAULT_SIZE and not roomy.maximize_on_show
    assert QRect(roomy.pos(), roomy.size()).center() == full_hd.center(), "centred"


def test_about_names_the_versions_the_licenses_and_where_checkpoints_go(gui_env, qtbot, monkeypatch):
    import pyqtgraph
    import tensorflow

    from vae_explorer.gui.train.dashboard import checkpoint_path
    from vae_explorer.version import __version__

    window = MainWindow(load_default_model=False)
    qtbot.addWidget(window)
    shown = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append((title, text)))
    window.about_action.trigger()
    [(title, text)] = shown
    assert title == "About VAE Explorer" and f"VAE Explorer {__version__}" in text
    assert "MIT License. Fashion-MNIST: Zalando Research, MIT License." in text
    assert f"Checkpoints of the runs: {checkpoint_path().parent}" in text, text
    assert f"TensorFlow {tensorflow.__version__}" in text and f"pyqtgraph {pyqtgraph.__version__}" in text


def test_settings_are_remembered(gui_env, qtbot, monkeypatch):
    first = MainWindow(load_default_model=False)
    qtbot.addWidget(first)
    first.dashboard.form.set_values(epochs=7, beta=2.5, fourier_features=0, precision="float32", train_limit=1234)
    first.resize(900, 600)
    first.close()
    second = MainWindow(load_default_model=False)
    qtbot.addWidget(second)
    config = second.dashboard.form.config()
    assert (config.epochs, config.precision, config.train_limit) == (7, "float32", 1234)
    assert config.model.fourier_features == 0 and config.model.beta == 2.5
    from PySide6.QtCore import QSettings

    assert QSettings().value("window/geometry") is not None and int(QSettings().value("settings_version")) == 1


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


def _train_a_model(window, qtbot):
    with qtbot.waitSignal(window.dashboard.model_trained, timeout=120000):
        window.dashboard.start_button.click()
    assert window.unsaved and window.isWindowModified()


def test_an_unsaved_trained_model_is_asked_about_once_before_it_would_be_dropped(window, qtbot, questions, file_dialogs):
    Button = QMessageBox.StandardButton
    opened = file_dialogs.shown  # each Open model dialog shown, cancelled
    _train_a_model(window, qtbot)
    assert questions.asked == [], "no question when the run ends: the model is in Explore"
    assert "unsaved" in window.explorer.title.text() and "unsaved" in window.model_label.text()
    trained = window.vae
    for answer, dialog_opened in ((Button.Cancel, 0), (Button.Discard, 1)):  # Open model...
        questions.answers["Unsaved model"] = answer
        window.open_action.trigger()
        assert len(opened) == dialog_opened and window.vae is trained
    title, text = questions.asked[-1]
    assert title == "Unsaved model" and "not saved" in text and "replaces it" in text
    questions.answers["Unsaved model"] = Button.Cancel  # File > Open shipped model
    window.shipped_menu.actions()[0].trigger()
    assert "replaces it" in questions.asked[-1][1] and window.vae is trained
    window.dashboard.start_button.click()  # Start of a new run, cancelled
    assert not window.dashboard.is_training() and questions.titles().count("Unsaved model") == 4
    window.close()  # Quit, cancelled
    assert window.isVisible() and "drops it" in questions.asked[-1][1]
    questions.answers["Unsaved model"] = Button.Discard
    window.close()
    assert not window.isVisible()


def test_a_saved_model_is_not_asked_about(window, qtbot, questions, gui_env):
    _train_a_model(window, qtbot)
    target = gui_env / "kept.keras"
    window.save_model(target)
    qtbot.waitUntil(lambda: not window.unsaved, timeout=60000)
    assert not window.isWindowModified() and "kept" in window.model_label.text()
    window.close()
    assert not window.isVisible() and questions.asked == []


def test_quit_while_the_run_ends_withdraws_the_question_and_asks_only_about_the_model(window, qtbot, questions, monkeypatch):
    """The run finishes while "Stop training and quit?" is open: that box closes by itself (its Yes must
    never become another box's button) and the only question left is about the unsaved model."""
    from PySide6.QtCore import QTimer

    Button = QMessageBox.StandardButton
    real_titles = []

    def ask(parent, title, text, buttons, default, withdraw_on=None):
        if title == "Training is running":
            real_titles.append(title)
            return questions.real(parent, title, text, buttons, default, withdraw_on)  # a real modal box
        return questions(parent, title, text, buttons, default, withdraw_on)

    from vae_explorer.gui import dialogs

    monkeypatch.setattr(dialogs, "ask", ask)
    questions.answers["Unsaved model"] = Button.Discard
    window.dashboard.start_button.click()
    QTimer.singleShot(30000, lambda: [w.close() for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)])
    window.close()  # blocks in the real box until the run ends
    assert real_titles == ["Training is running"]
    assert questions.titles() == ["Unsaved model"], "asked about the model, nothing else"
    assert not window.isVisible()


def test_file_dialogs_open_where_the_last_file_of_their_kind_was(gui_env, file_dialogs, qapp):
    from vae_explorer.gui.dialogs import ask_open_files, ask_save_file

    chosen = gui_env / "pictures" / "shirt.png"
    chosen.parent.mkdir()
    (gui_env / "out").mkdir()
    file_dialogs.answer = [chosen]
    assert ask_open_files(None, "Reconstruct images", "images", "*") == [chosen]
    ask_open_files(None, "Reconstruct images", "images", "*")
    assert file_dialogs.shown[1]["folder"] == chosen.parent, "images open where the last image was"
    file_dialogs.answer = [gui_env / "out" / "grid"]
    assert ask_save_file(None, "Save", "exports", "grid.png", "*", ".png") == gui_env / "out" / "grid.png"
    ask_save_file(None, "Save", "exports", "strip.png", "*", ".png")
    assert file_dialogs.shown[3]["folder"] == gui_env / "out", "exports go where the last export went"
    assert file_dialogs.shown[3]["selected"] == [gui_env / "out" / "strip.png"], "named for what it saves"


def test_file_dialogs_show_their_columns_whole_and_keep_the_size_they_were_left_at(gui_env, file_dialogs, qapp):
    from PySide6.QtCore import QSize
    from PySide6.QtWidgets import QHeaderView, QTreeView

    from vae_explorer.gui import dialogs

    first = dialogs._file_dialog(None, "Open model", gui_env)
    screen = first.screen().availableGeometry().size()
    assert first.size() == dialogs.FILE_DIALOG_SIZE.boundedTo(screen * 0.9), "Qt's own 650x410 cuts the columns"
    header = first.findChild(QTreeView).header()
    modes = [header.sectionResizeMode(c) for c in range(header.count())]
    assert modes[0] == QHeaderView.ResizeMode.Stretch
    assert set(modes[1:]) == {QHeaderView.ResizeMode.ResizeToContents}, "size, type and date are never cut"
    first.resize(QSize(640, 420))
    dialogs._run(first)  # cancelled
    assert dialogs._file_dialog(None, "Open model", gui_env).size() == QSize(640, 420), "the size it was left at"


def test_a_training_set_below_one_hundred_images_is_taken_as_typed(window):
    window.dashboard.form.set_values(train_limit=50)
    assert window.dashboard.form.config().train_limit == 50


def test_a_status_message_too_long_for_the_bar_ends_in_an_ellipsis_and_is_whole_in_its_tooltip(window, qtbot):
    window.resize(1024, 700)
    window.show()
    qtbot.waitExposed(window)
    bar = window.statusBar()
    long = "Style transfer failed: " + "the image could not be read because " * 8 + "it is empty. Try another image."
    window.explorer.status_message.emit(long)
    shown = bar.currentMessage()
    assert shown.endswith("…") and len(shown) < len(long) and bar.toolTip() == long
    assert bar.fontMetrics().horizontalAdvance(shown) <= window.model_label.x() - 8
    window.resize(1024 + 2 * bar.fontMetrics().horizontalAdvance(long), 700)  # wide enough: whole again
    qtbot.waitUntil(lambda: bar.currentMessage() == long)
    assert bar.toolTip() == ""
    window.resize(1024, 700)  # narrow again: elided again, to the label
    qtbot.waitUntil(lambda: bar.currentMessage().endswith("…"))
    assert bar.toolTip() == long
    assert bar.fontMetrics().horizontalAdvance(bar.currentMessage()) <= window.model_label.x() - 8
    window.explorer.status_message.emit("Model ready")
    assert bar.currentMessage() == "Model ready" and bar.toolTip() == ""
    window.explorer.status_message.emit(long)
    bar.clearMessage()  # as when it times out
    assert bar.toolTip() == ""


def test_f1_lists_every_shortcut_once_each_and_all_rows_show(window, qtbot):
    from PySide6.QtCore import Qt

    from vae_explorer.gui.train.dashboard import relabel

    window.resize(1024, 700)
    window.show()
    qtbot.waitExposed(window)
    for _ in range(2):  # a shortcut that works once is a bug
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        qtbot.keyClick(window, Qt.Key.Key_F1)
        qtbot.waitUntil(lambda: window.shortcuts_dialog is not None and window.shortcuts_dialog.isVisible())
        dialog = window.shortcuts_dialog
        table = dialog.table
        rows = [tuple(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())]
        assert ("File", "Quit", "Ctrl+Q") in rows and ("Train", "Start", "Ctrl+R") in rows
        assert ("Train", "Stop", "Ctrl+.") in rows and ("Help", "Keyboard shortcuts", "F1") in rows
        assert ("Explore", "Reconstruct the image on the clipboard", "Ctrl+V") in rows
        keys = [row[2] for row in rows]
        assert len(keys) == len(set(keys)), "two things share a shortcut"
        qtbot.wait(50)
        assert table.verticalScrollBar().maximum() == 0  # every row shows without scrolling
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: not dialog.isVisible())
    # The Pause button's shortcut follows its text: paused, the list reads "Resume".
    relabel(window.dashboard.pause_button, "Resume")
    window.show_shortcuts()
    rows = [tuple(dialog.table.item(r, c).text() for c in range(3)) for r in range(dialog.table.rowCount())]
    assert ("Train", "Resume", "Ctrl+P") in rows


def test_the_model_card_shows_what_the_card_records_and_follows_the_model(window, qtbot, gui_env, tiny_trained):
    import shutil

    from vae_explorer.config import DEFAULT_MODEL_PATH
    from vae_explorer.gui.numbers import number
    from vae_explorer.model_card import read_model_card

    assert not window.card_action.isEnabled(), "no model, no card"
    _train_a_model(window, qtbot)
    window.card_action.trigger()
    dialog = window.card_dialog
    assert dialog.isVisible()
    text = dialog.text.toPlainText()
    assert "Not saved yet" in text
    card = window.vae.card
    assert f"total_loss\n{number(card.test_metrics['total_loss'], 2)}" in text  # as the window rounds (8.125: 8.13)
    assert "Batch size\n64" in text and "Training images\n320" in text and "Epochs\n2" in text, "the run's settings"
    epochs = text.split("val_kl_loss")[1]
    for e in card.history:  # every epoch, as the card records it
        assert number(e.val_total_loss, 2) in epochs
    target = gui_env / "kept.keras"
    window.save_model(target)
    qtbot.waitUntil(lambda: not window.unsaved, timeout=60000)
    assert f"Model file: {target}" in dialog.text.toPlainText(), "the open card follows the save"
    with qtbot.waitSignal(window.model_changed, timeout=60000):
        window.open_model(DEFAULT_MODEL_PATH)
    text = dialog.text.toPlainText()
    shipped = read_model_card(DEFAULT_MODEL_PATH)
    assert "255.43" in text and shipped.model_file_sha256 in text and shipped.notes[:60] in text
    assert text.split("val_kl_loss")[1].count("\n") >= len(shipped.history) == 50
    assert "--hidden-units\n512" in text and "--class-penalty" not in text, "a plain model: no class settings"
    bare = gui_env / "bare.keras"
    shutil.copy(tiny_trained, bare)  # a model file with no card beside it
    with qtbot.waitSignal(window.model_changed, timeout=60000):
        window.open_model(bare)
    assert "There is no model card beside this file" in dialog.text.toPlainText()
    dialog.close()
    window.card_action.trigger()
    assert dialog.isVisible() and dialog.width() >= 600, "shown again, wide enough to read"
