"""A scripted user session with the real app under an X server (Xvfb), driven by key and mouse events:

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/user_session.py

Trains a tiny run, pauses and resumes it with Ctrl+P four times, stops it with Ctrl+. right after its
first epoch, continues it with Ctrl+Shift+R, explores the trained model on the plane (a click, the arrow keys,
Home; F1 twice), reconstructs the sample
images (and draws one's posterior), opens the class-conditional model (the images come back; tiles, picker, style transfer), opens
the plain model from File ▸ Open shipped model, saves it and reopens it from File ▸ Open recent, and quits with Ctrl+Q, answering the app's questions as a person would. It prints each check;
maximized, no two widgets of either area overlap; the outer run then reads what the app wrote to stderr and fails on any traceback or warning there.
Exit code 0 when everything held.
"""

from __future__ import annotations

import faulthandler
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

SESSION_LIMIT_S = 900
RETURN_TRIES = 10  # Returns pressed in a file dialog, a second apart, before the session gives up on it
STDERR_PROBLEMS = ("Traceback", "Warning", "WARNING", "Error", "ERROR", "Segmentation fault")


def outer() -> int:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}  # the real X server
    child = subprocess.run([sys.executable, __file__, "--child"], env=env, stderr=subprocess.PIPE, text=True, timeout=SESSION_LIMIT_S)
    problems = [line for line in child.stderr.splitlines() if any(p in line for p in STDERR_PROBLEMS)]
    print(f"{'✓' if not problems else '✗'} stderr of the session: {len(child.stderr.splitlines())} lines, "
          f"{len(problems)} with a traceback or warning")
    for line in problems[:20]:
        print("   ", line)
    if child.returncode and not problems:  # e.g. the hang watchdog's stacks (child's faulthandler)
        print("\n".join(child.stderr.splitlines()[-40:]))
    return 0 if child.returncode == 0 and not problems else 1


class Session:
    """Steps run one after the other on the GUI thread; each waits for what a person would wait for."""

    def __init__(self, app, window) -> None:
        self.app, self.window, self.failed = app, window, False

    def check(self, ok: bool, what: str) -> None:
        print(f"{'✓' if ok else '✗'} {what}", flush=True)
        self.failed |= not ok

    def wait(self, condition, timeout_s: float = 60.0) -> bool:
        deadline = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > deadline:
                return False
            self.app.processEvents()
            time.sleep(0.01)
        return True

    def pause_for(self, seconds: float) -> None:
        self.wait(lambda: False, seconds)

    def screenshot(self, name: str) -> Path:
        """The window as it is now, saved to look at what a check saw."""
        shot = Path(tempfile.gettempdir()) / f"user-session-{name}-{self.window.width()}x{self.window.height()}.png"
        self.window.grab().save(str(shot))
        return shot

    def key(self, key, modifiers) -> None:
        from PySide6.QtTest import QTest

        QTest.keyClick(self.window, key, modifiers)

    def menu_keys(self, *keys) -> None:
        """Keys for the menu bar and then the open menu (Alt+F, then a letter, arrows, Return), one by one
        as a person presses them."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication

        if QApplication.activeWindow() is not self.window:  # a dialog just closed: a window manager activates the window
            self.window.activateWindow()
            self.wait(lambda: QApplication.activeWindow() is self.window, 5)
        for key, modifiers in keys:
            QTest.keyClick(QApplication.activePopupWidget() or self.window, key, modifiers or Qt.KeyboardModifier.NoModifier)
            self.pause_for(0.2)

    def when_modal(self, kind, act) -> None:
        """Act on the next modal window of `kind` when it opens (as the person seeing it would), then
        give the main window the focus back (what a window manager does when the box closes)."""
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        def wait_for_it() -> None:
            modal = QApplication.activeModalWidget()
            if not isinstance(modal, kind):
                QTimer.singleShot(100, wait_for_it)
                return
            act(modal)
            self.window.activateWindow()

        QTimer.singleShot(100, wait_for_it)

    def answer(self, button_text: str) -> None:
        """Click a button of the next question box."""
        from PySide6.QtWidgets import QMessageBox

        def click(box) -> None:
            print(f"  question: {box.text().splitlines()[0]} -> {button_text}", flush=True)
            next(b for b in box.buttons() if b.text() == button_text).click()

        self.when_modal(QMessageBox, click)

    def choose_file(self, path: Path) -> None:
        """Type a path into the next file dialog, and press Enter."""
        import shiboken6
        from PySide6.QtCore import Qt, QTimer
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QFileDialog, QLineEdit

        def press_return(dialog, tries: int) -> None:
            # The name's completion list can take the first Return (it fills in slowly on a busy machine):
            # a person presses it again.
            if not shiboken6.isValid(dialog) or not dialog.isVisible():  # closed and deleted once it took one
                return
            edit = dialog.findChild(QLineEdit, "fileNameEdit")
            if not edit.text():  # seen once, on a fresh machine's first dialog: a person types it again
                print("  file dialog: the name field was cleared; typing the path again", flush=True)
                QTest.keyClicks(edit, str(path))
            if not tries:  # cancel rather than leave the session waiting in the dialog's own event loop
                self.check(False, f"the file dialog took no Return in {RETURN_TRIES}: its name field "
                           f"reads {edit.text()!r}")
                dialog.reject()
                return
            QTest.keyClick(edit, Qt.Key.Key_Return)
            QTimer.singleShot(1000, lambda: press_return(dialog, tries - 1))

        def type_path(dialog) -> None:
            edit = dialog.findChild(QLineEdit, "fileNameEdit")
            print(f"  file dialog: {dialog.windowTitle()} -> {path.name}", flush=True)
            QTest.keyClicks(edit, str(path))
            press_return(dialog, RETURN_TRIES)

        self.when_modal(QFileDialog, type_path)


    def watch_for_unanswered_dialogs(self, after_s: float = 30.0) -> None:
        """A modal dialog that nothing answers holds the session in its own event loop: after `after_s`
        report what it says (an error box's text says what went wrong) and close it."""
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication, QMessageBox

        seen: dict = {"dialog": None, "since": 0.0}

        def look() -> None:
            modal = QApplication.activeModalWidget()
            if modal is not seen["dialog"]:
                seen.update(dialog=modal, since=time.monotonic())
            elif modal is not None and time.monotonic() - seen["since"] > after_s:
                text = modal.text() if isinstance(modal, QMessageBox) else ""
                self.check(False, f"a dialog nobody answered for {after_s:.0f} s: {modal.windowTitle()!r} {text!r}")
                modal.reject()
                seen.update(dialog=None)

        self._dialog_watch = QTimer()
        self._dialog_watch.timeout.connect(look)
        self._dialog_watch.start(1000)


def child() -> int:
    from vae_explorer.gui.app import configure_threads

    configure_threads()
    faulthandler.dump_traceback_later(SESSION_LIMIT_S - 60, exit=True)  # a hung session shows where, then ends
    from PySide6.QtCore import QPoint, QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    app.setOrganizationName("VAE Explorer Session")
    app.setApplicationName("vae-explorer-session")
    QSettings().clear()
    from vae_explorer.gui.app import configure_locale
    from vae_explorer.gui.main_window import MainWindow

    configure_locale()  # as the app starts
    from vae_explorer.gui.train.dashboard import checkpoint_path

    for leftover in (checkpoint_path(), checkpoint_path().with_suffix(".json")):
        leftover.unlink(missing_ok=True)
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    window.activateWindow()
    s = Session(app, window)
    s.watch_for_unanswered_dialogs()
    ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
    d, ex = window.dashboard, window.explorer
    s.check(s.wait(lambda: window.vae is not None), "the shipped model loads behind the window")

    s.key(Qt.Key.Key_1, ctrl)
    s.check(window.tabs.currentWidget() is d, "Ctrl+1 shows the Train area")
    d.validation_limit = None  # the whole test set: validation takes long enough to stop during it
    d.form.set_values(train_limit=640, batch_size=64, epochs=3)
    s.key(Qt.Key.Key_R, ctrl)
    s.check(s.wait(lambda: d.plots.batch_count >= 3), "Ctrl+R starts a run; batches stream to the plots")
    for expected in ("Resume", "Pause", "Resume", "Pause"):
        s.key(Qt.Key.Key_P, ctrl)
        ok = s.wait(lambda: d.pause_button.text() == expected, 10)
        if expected == "Resume":
            n = d.plots.batch_count
            s.pause_for(0.5)
            ok = ok and d.plots.batch_count == n
        s.check(ok, f"Ctrl+P -> {'paused, no batches meanwhile' if expected == 'Resume' else 'running again'}")

    steps = d.plan.steps_per_epoch
    s.wait(lambda: d.plots.batch_count >= steps)  # the first epoch's last batch is in
    s.key(Qt.Key.Key_Period, ctrl)
    s.check(s.wait(lambda: not d.is_training(), 120), "Ctrl+. right after the first epoch stops the run")
    done = len(d.epochs)
    kept = d.plots.batch_count
    s.check(done >= 1 and done == kept // steps, f"every finished epoch is kept with its validation: {done} "
            f"({kept} batches ran; the trainer's tests cover a stop within an epoch's last batch or its validation)")
    s.check(window.unsaved and window.isWindowModified(), "the stopped run's model is current, marked unsaved")

    s.answer("Don't save")  # Continue would replace the unsaved model: the app asks
    s.key(Qt.Key.Key_R, ctrl | shift)
    s.check(s.wait(lambda: d.plan is not None and d.is_training() and d.plan.initial_epoch == done, 30),
            f"Ctrl+Shift+R continues the run from its checkpoint, after epoch {done}: none is trained twice")
    s.check(s.wait(lambda: d.progress.maximum() == 0, 300) and "Scoring the" in d.progress_label.text()
            and not d.pause_button.isEnabled() and not d.stop_button.isEnabled(),
            "when every batch has run, the line under the busy bar says the model card is being scored; "
            "Pause and Stop are off")
    s.screenshot("scoring")
    s.check(s.wait(lambda: not d.is_training(), 300), "the continued run completes")
    s.check(d.plots.batch_count == 3 * steps and len(d.epochs) == 3,
            f"the plots show the whole run: {d.plots.batch_count} batches, {len(d.epochs)} epochs")
    csv_path = Path(tempfile.mkdtemp()) / "metrics.csv"
    rows = d.export_csv(csv_path)
    validated = sum(1 for line in csv_path.read_text().splitlines()[1:] if line.split(",")[6])
    s.check(rows == 3 * steps and validated == 3, f"the CSV holds every batch ({rows}) and 3 validation rows")

    s.key(Qt.Key.Key_2, ctrl)
    s.check(window.tabs.currentWidget() is ex, "Ctrl+2 shows the Explore area")
    viewport = ex.plane.plot.viewport()
    before = ex.point.decodes
    QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=QPoint(viewport.width() // 3, viewport.height() // 2))
    s.check(s.wait(lambda: ex.point.decodes > before, 10), "a click on the plane decodes that point")
    clicked = ex.latent_plane.point.copy()
    for key in (Qt.Key.Key_Right, Qt.Key.Key_Right, Qt.Key.Key_Up):
        QTest.keyClick(ex.plane.plot, key)
    s.check(s.wait(lambda: ex.point.decoded_z is not None and np.allclose(ex.point.decoded_z, clicked + [0.2, 0.1], atol=1e-4), 5),
            "the clicked plane has the keys: Right, Right, Up move the decoded point by (0.2, 0.1)")
    QTest.keyClick(ex.plane.plot, Qt.Key.Key_Home)
    s.check(s.wait(lambda: np.allclose(ex.point.decoded_z, 0), 5), "Home puts it back at the centre")
    def dialog_twice(key, modifiers, name: str, what: str, shows_all) -> None:
        """The key, twice: each time `window.<name>` opens and `shows_all(dialog)` gives (ok, what it shows); Escape
        closes it. A shortcut that works once is a bug."""
        for attempt in (1, 2):
            s.key(key, modifiers)
            shown = s.wait(lambda: getattr(window, name) is not None and getattr(window, name).isVisible(), 5)
            dialog = getattr(window, name) if shown else None
            ok, detail = shows_all(dialog) if shown else (False, "not shown")
            s.check(ok, f"{what} ({attempt}) {detail}")
            if shown:
                QTest.keyClick(dialog, Qt.Key.Key_Escape)
                s.wait(lambda: not dialog.isVisible(), 5)
            window.activateWindow()
            s.wait(lambda: QApplication.activeWindow() is window, 5)

    dialog_twice(Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier, "shortcuts_dialog", "F1", lambda d: (
        d.table.rowCount() >= 15 and d.table.verticalScrollBar().maximum() == 0,
        f"lists the shortcuts, every row in view: {d.table.rowCount()}"))
    dialog_twice(Qt.Key.Key_I, ctrl, "card_dialog", "Ctrl+I", lambda d: (
        "Settings of the run" in d.text.toPlainText() and d.height() <= window.screen().size().height(),
        f"shows the model card, on the screen: {d.windowTitle()}"))
    QTest.mouseClick(ex.reconstruct.samples_button, Qt.MouseButton.LeftButton)
    s.check(s.wait(lambda: len(ex.reconstruct.results) == 8, 60), "the 8 sample images are reconstructed")
    scores = [r.anomaly_percentile for r in ex.reconstruct.results]
    s.check(all(p is not None and 0 <= p <= 100 for p in scores), "each has an anomaly percentile")
    ex.reconstruct.table.selectRow(2)
    s.check(s.wait(lambda: ex.reconstruct.last_denoise is not None, 10), "selecting one shows it under noise")
    tab_bar = ex.tabs.tabBar()
    posterior_tab = ex.tabs.indexOf(ex.posterior)
    QTest.mouseClick(tab_bar, Qt.MouseButton.LeftButton, pos=tab_bar.tabRect(posterior_tab).center())
    s.check(s.wait(lambda: ex.posterior.view is not None and ex.posterior.view.refined, 30),
            f"the Posterior tab draws the selected image's posterior: {ex.posterior.numbers.text()}")
    spot = ex.posterior.mode_marks.points()[0]
    click_at = ex.posterior.plot.mapFromScene(ex.posterior.mode_marks.mapToScene(spot.pos()))
    QTest.mouseClick(ex.posterior.plot.viewport(), Qt.MouseButton.LeftButton, pos=click_at)
    s.check(s.wait(lambda: np.allclose(ex.latent_plane.point, ex.posterior.view.modes[0], atol=1e-5), 5),
            "a click on the posterior's mode puts the plane's point there")

    from vae_explorer.config import CLASS_NAMES, MODELS_DIR

    s.answer("Don't save")  # opening another model would drop the trained one: the app asks
    s.choose_file(MODELS_DIR / "cvae-fashion-conditional-latent2.keras")
    s.key(Qt.Key.Key_O, ctrl)
    s.check(s.wait(lambda: window.vae is not None and window.vae.conditional and ex.point.class_row.images is not None, 60),
            "Ctrl+O opens the shipped class-conditional model; the decoded point is shown under all ten classes")
    QTest.mouseClick(ex.point.class_row.buttons[3], Qt.MouseButton.LeftButton)
    s.check(s.wait(lambda: ex.latent_plane.label == 3 and ex.plane.class_picker.currentText() == "Dress", 5),
            "a click on the Dress tile decodes the point as a dress; the picker follows")
    ex.plane.class_picker.setFocus()
    QTest.keyClick(ex.plane.class_picker, Qt.Key.Key_Down)
    s.check(s.wait(lambda: ex.latent_plane.label == 4 and ex.point.class_row.group.checkedId() == 4, 5),
            "the Down key on the picker picks Coat; the row follows")
    s.check(s.wait(lambda: len(ex.reconstruct.results) == 8
                   and all(r.predicted_class is not None for r in ex.reconstruct.results), 60),
            "the 8 images come back, reconstructed and classified by the conditional model")
    s.check(ex.latent_plane.label == 4, "their return leaves the class the person picked")
    QTest.mouseClick(ex.reconstruct.samples_button, Qt.MouseButton.LeftButton)
    s.check(s.wait(lambda: len(ex.reconstruct.results) == 16, 60), "the same 8 dropped again: 16 rows")
    table = ex.reconstruct.table
    table.selectRow(15)
    table.setFocus()
    gone = ex.reconstruct.results[15]
    QTest.keyClick(table, Qt.Key.Key_Delete)
    s.check(len(ex.reconstruct.results) == 15 and gone not in ex.reconstruct.results
            and ex.reconstruct.selected_result() is ex.reconstruct.results[14],
            f"Delete on the last row removes {gone.name}; the row before it is selected")
    table.selectRow(14)  # the second t-shirt-top.png
    ex.tabs.setCurrentWidget(ex.transfer)
    s.check(s.wait(lambda: ex.transfer.transferred is not None, 20), "the Style transfer tab shows the selected image")
    s.check(s.wait(lambda: ex.transfer.refined and "Refining" not in ex.transfer.verdict.text(), 30),
            "the verdict from each class's refined fit replaces the first guess")
    p = ex.transfer.transferred.probabilities[0]
    print(f"  t-shirt-top.png: {CLASS_NAMES[int(p.argmax())]} ({p.max():.0%})", flush=True)
    ex.transfer.encode_as.setFocus()
    QTest.keyClick(ex.transfer.encode_as, Qt.Key.Key_Down)
    s.check(s.wait(lambda: ex.transfer.transferred is not None and int(ex.transfer.transferred.encoded_as[0]) == 0
                   and ex.transfer.refined, 30),
            "Encode as: the Down key reads it as a T-shirt/top")
    soft_tiles, soft_point = ex.transfer.transferred.images.copy(), ex.point.decoded.copy()
    for press, k in ((1, 2.0), (2, 1.0), (3, 2.0)):  # the box by the keyboard, more than once
        ex.point.sharp.setFocus()
        QTest.keyClick(ex.point.sharp, Qt.Key.Key_Space)
        steep = lambda a, b: np.abs(a - 0.5).mean() > np.abs(b - 0.5).mean() + 0.01  # noqa: E731
        drawn = ((lambda: steep(ex.transfer.transferred.images, soft_tiles) and steep(ex.point.decoded, soft_point))
                 if k > 1 else (lambda: np.allclose(ex.transfer.transferred.images, soft_tiles)
                                and np.allclose(ex.point.decoded, soft_point)))
        s.check(s.wait(lambda: ex.latent_plane.sharpness == k and drawn(), 10),
                f"Space on Sharpen ({press}): the point and the transferred garments drawn "
                f"{'with steeper pixels' if k > 1 else 'as means again'}")

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.helpers import overlapping_widgets  # the layout test's own check

    window.showMaximized()
    screen = app.primaryScreen().availableGeometry()
    if not s.wait(lambda: window.size() == screen.size(), 3):  # no window manager to apply it: do what one does
        window.setGeometry(screen)
        s.wait(lambda: window.size() == screen.size(), 3)
    for area in (d, ex):
        window.tabs.setCurrentWidget(area)
        s.pause_for(0.3)
        overlaps = overlapping_widgets(window)
        name = "Train" if area is d else "Explore"
        shot = s.screenshot(name.lower())
        s.check(not overlaps, f"maximized ({window.width()}x{window.height()}): no widgets of the "
                f"{name} area overlap {overlaps[:3] if overlaps else ''} ({shot})")

    alt, plain = Qt.KeyboardModifier.AltModifier, None
    s.menu_keys((Qt.Key.Key_F, alt), (Qt.Key.Key_H, plain), (Qt.Key.Key_Down, plain), (Qt.Key.Key_Return, plain))
    s.check(s.wait(lambda: window.vae.path == MODELS_DIR / "cvae-fashion-latent2.keras"
                   and not ex.plane.class_picker.isVisible(), 60),
            "File > Open shipped model by the keyboard (Alt+F, H, Down, Return) opens the plain model: no picker")
    kept = Path(tempfile.mkdtemp()) / "session-model.keras"
    s.choose_file(kept)
    s.key(Qt.Key.Key_S, ctrl | shift)
    s.check(s.wait(lambda: kept.with_suffix(".json").exists() and window.vae.path == kept, 60),
            "Ctrl+Shift+S saves it under another name")
    saved = window.vae
    s.menu_keys((Qt.Key.Key_F, alt), (Qt.Key.Key_R, plain), (Qt.Key.Key_1, plain))
    s.check(s.wait(lambda: window.vae is not saved and window.vae.path == kept, 60),
            "File > Open recent > 1 (Alt+F, R, 1) opens the file just saved")

    s.key(Qt.Key.Key_Q, ctrl)
    s.check(s.wait(lambda: not window.isVisible(), 30), "Ctrl+Q quits")
    return 1 if s.failed else 0


if __name__ == "__main__":
    sys.exit(child() if "--child" in sys.argv else outer())
