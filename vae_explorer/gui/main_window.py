"""The main window: Train and Explore areas, menus, status bar, settings; models loaded and saved off-thread."""

from __future__ import annotations

import importlib.metadata
import platform
from html import escape
from pathlib import Path

from PySide6.QtCore import QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QTabWidget

from vae_explorer.config import DEFAULT_MODEL_PATH, RESOURCES_DIR, shipped_models
from vae_explorer.gui import dialogs
from vae_explorer.gui.card_view import ModelCardDialog
from vae_explorer.gui.dialogs import ask_open_file, ask_save_file
from vae_explorer.gui.explore.view import ExploreView, model_title
from vae_explorer.gui.labels import ElidedLabel
from vae_explorer.gui.recent_models import RecentModels
from vae_explorer.gui.shortcuts import ShortcutsDialog
from vae_explorer.gui.train.dashboard import TrainingDashboard
from vae_explorer.version import __version__
from vae_explorer.workers.collection import TensorFlowBringUp
from vae_explorer.workers.tasks import TaskRunner

SETTINGS_VERSION = 1
DEFAULT_SIZE = QSize(1280, 800)  # the first window's size, where the screen has room for it
ICON_PATH = RESOURCES_DIR / "icons" / "vae-explorer.svg"


def load_model_file(path: Path):
    """Runs on a worker: imports TensorFlow (first time), loads safely, traces the compiled paths,
    without stalling the GUI thread (`TensorFlowBringUp`)."""
    with TensorFlowBringUp():
        from vae_explorer.ml.inference import load_vae

        return load_vae(path)


def _save_model_file(vae, path: Path) -> Path:
    from vae_explorer.ml.storage import save_model

    return save_model(vae.model, path, vae.card)


def _version(name: str) -> str:
    for dist in (name, f"{name}-cpu"):
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
    return "not installed"


class MainWindow(QMainWindow):
    model_changed = Signal(object)  # the new current model (a VAE with its card), loaded or trained

    def __init__(self, data_dir: Path | None = None, load_default_model: bool = True) -> None:
        super().__init__()
        self.setWindowTitle("VAE Explorer")
        self.setWindowIcon(QIcon(str(ICON_PATH)))
        self.tasks = TaskRunner(self)
        self.vae = None  # the current model: a VAE with its card
        self.unsaved = False  # the current model was trained in this session and has no file yet
        self._ask_before_closing = True
        self.maximize_on_show = False  # a first start on a screen too small for DEFAULT_SIZE
        self.dashboard = TrainingDashboard(data_dir=data_dir)
        self.explorer = ExploreView(self.tasks)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.dashboard, self.tr("Train"))
        self.tabs.addTab(self.explorer, self.tr("Explore"))
        self.setAcceptDrops(True)  # images dropped anywhere go to the explorer
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self._status_text = ""
        # A long file name never widens the window; cut in its middle, the name's end and "(latent 2)" stay.
        self.model_label = ElidedLabel(self.tr("no model"), mode=Qt.TextElideMode.ElideMiddle)
        self.statusBar().addPermanentWidget(self.model_label)
        self.statusBar().messageChanged.connect(self._on_status_changed)
        self._build_menus()
        self.dashboard.status_message.connect(self._show_status)
        self.explorer.status_message.connect(self._show_status)
        self.explorer.model_dropped.connect(self.open_listed_model)
        self.dashboard.model_trained.connect(self._on_model_trained)
        self.dashboard.running_changed.connect(self._update_actions)
        self.dashboard.confirm_start = lambda: self.confirm_unsaved(self.tr("A new run replaces it in Explore when it ends."))
        self._restore_settings()
        self._update_actions()
        if load_default_model:
            QTimer.singleShot(0, lambda: self.open_model(DEFAULT_MODEL_PATH, quiet=True))

    def _show_status(self, text: str) -> None:
        """A message too long for the bar ends in "…" and is whole in its tooltip, and stays longer to be read."""
        self._status_text = text  # kept whole, to elide it again when the window is resized
        bar = self.statusBar()
        label = self.model_label  # the message is drawn from the bar's left edge up to this permanent label
        right = label.x() if label.isVisible() and label.x() > 0 else bar.width() - label.sizeHint().width()
        room = right - 3 * bar.fontMetrics().averageCharWidth()
        shown = bar.fontMetrics().elidedText(text, Qt.ElideRight, max(room, 100))
        bar.setToolTip(text if shown != text else "")
        bar.showMessage(shown, 8000 if shown == text else 15000)

    def _on_status_changed(self, text: str) -> None:
        if not text:  # the message timed out or was cleared: its tooltip goes with it
            self._status_text = ""
            self.statusBar().setToolTip("")

    def _refit_status(self) -> None:
        if self._status_text and self.statusBar().currentMessage():
            self._show_status(self._status_text)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.model_label.setMaximumWidth(max(200, self.width() * 2 // 5))  # the messages keep the larger part
        if self._status_text:  # after the bar has laid out its permanent label at the new width
            QTimer.singleShot(0, self, self._refit_status)

    def dragEnterEvent(self, event) -> None:
        self.explorer.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        self.tabs.setCurrentWidget(self.explorer)
        self.explorer.dropEvent(event)

    # --- menus ----------------------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        self.new_action = self._action(self.tr("&New training"), self.new_training, QKeySequence.StandardKey.New, self.tr("Go to the Train area with fresh plots"))
        self.open_action = self._action(self.tr("&Open model…"), self.choose_model_to_open, QKeySequence.StandardKey.Open, self.tr("Load a .keras model saved by VAE Explorer"))
        self.save_action = self._action(self.tr("&Save model as…"), self.choose_where_to_save, QKeySequence("Ctrl+Shift+S"), self.tr("Save the current model and its card"))
        self.card_action = self._action(self.tr("Model &card…"), self.show_model_card, QKeySequence("Ctrl+I"),
                                        self.tr("Everything the current model's card records: its figures, its training, its notes"))
        self.export_action = self._action(self.tr("&Export metrics CSV…"), self.choose_csv_export, QKeySequence("Ctrl+E"), self.tr("Write every batch's metrics to a CSV file"))
        self.quit_action = self._action(self.tr("&Quit"), self.close, QKeySequence("Ctrl+Q"), self.tr("Quit VAE Explorer"))
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.open_action)
        self.recent_models = RecentModels(file_menu.addMenu(self.tr("Open &recent")))
        self.recent_models.chosen.connect(self.open_listed_model)
        self.shipped_menu = file_menu.addMenu(self.tr("Open s&hipped model"))
        for path in shipped_models():
            action = self.shipped_menu.addAction(path.stem)
            action.setStatusTip(self.tr("Open {name}, trained by the app's authors (see its model card)").format(name=path.name))
            action.triggered.connect(lambda _checked=False, p=path: self.open_listed_model(p))
        file_menu.addAction(self.save_action)
        file_menu.addAction(self.card_action)
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        view_menu.addAction(self._action(self.tr("&Train"), lambda: self.tabs.setCurrentIndex(0), QKeySequence("Ctrl+1")))
        view_menu.addAction(self._action(self.tr("&Explore"), lambda: self.tabs.setCurrentIndex(1), QKeySequence("Ctrl+2")))
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.shortcuts_action = self._action(self.tr("&Keyboard shortcuts"), self.show_shortcuts,
                                             QKeySequence.StandardKey.HelpContents, self.tr("List every keyboard shortcut"))
        help_menu.addAction(self.shortcuts_action)
        self.about_action = self._action(self.tr("&About VAE Explorer"), self.show_about)
        help_menu.addAction(self.about_action)
        self.shortcuts_dialog = None
        self.card_dialog = None

    def _update_actions(self, *_args) -> None:
        training = self.dashboard.is_training()
        self.new_action.setEnabled(not training)
        self.open_action.setEnabled(not training)
        self.recent_models.menu.setEnabled(not training)
        self.shipped_menu.setEnabled(not training)
        self.save_action.setEnabled(self.vae is not None)
        self.card_action.setEnabled(self.vae is not None)
        self.export_action.setEnabled(self.dashboard.has_metrics() or training)

    # --- models ---------------------------------------------------------------------------------
    def open_model(self, path: Path, quiet: bool = False) -> None:
        path = Path(path)
        self.statusBar().showMessage(self.tr("Loading {name}…").format(name=path.name))
        self.tasks.submit(
            "model",
            lambda: load_model_file(path),
            self._set_model,
            lambda message: self._model_failed(path, message, quiet),
        )

    def open_listed_model(self, path: Path) -> None:
        """A model picked from File ▸ Open recent or Open shipped model, or dropped on the window."""
        if self.dashboard.is_training():
            self._show_status(self.tr("A run is training: {name} can be opened when it ends").format(name=path.name))
            return
        if not path.is_file():
            self.recent_models.forget(path)
            QMessageBox.warning(self, self.tr("Could not open the model"), self.tr(
                "{path} is not there any more (moved, renamed or deleted), so it is taken off the recent models. "
                "Open it where it is now with File ▸ Open model…").format(path=path))
            return
        if self.confirm_unsaved(self.tr("Opening another model replaces it in Explore.")):
            self.open_model(path)

    def _set_model(self, vae, unsaved: bool = False) -> None:
        self.vae = vae
        self.unsaved = unsaved
        if vae.path is not None:
            self.recent_models.add(vae.path)
        self.explorer.set_model(vae)
        self._show_model_name()
        self.statusBar().showMessage(self.tr("Model ready: {title}").format(title=model_title(vae)), 5000)
        self._update_actions()
        self.model_changed.emit(vae)

    def _show_model_name(self) -> None:
        """The same name in the title bar (marked while unsaved), the status bar and Explore's header."""
        self.model_label.setText(self.tr("model: {title} (latent {latent})").format(title=model_title(self.vae), latent=self.vae.latent_dim))
        # Qt appends the application's display name: "model — VAE Explorer", the name once.
        self.setWindowTitle(f"{model_title(self.vae)}[*]")
        self.setWindowModified(self.unsaved)
        if self.card_dialog is not None and self.card_dialog.isVisible():  # an open card follows the model
            self.card_dialog.show_model(self.vae)

    def _model_failed(self, path: Path, message: str, quiet: bool) -> None:
        keep = (self.tr("The current model ({title}) stays loaded.").format(title=model_title(self.vae)) if self.vae
                else self.tr("No model is loaded."))
        self.statusBar().showMessage(self.tr("Could not load {name}").format(name=path.name), 8000)
        if self.vae is None:
            self.explorer.show_no_model()
        if not quiet:
            QMessageBox.warning(self, self.tr("Could not open the model"), f"{dialogs.sentence(message)}\n\n{keep}")

    def _on_model_trained(self, vae) -> None:
        """The run's model becomes the current one, unsaved: asked about once, before it would be dropped."""
        vae.path = None
        self._set_model(vae, unsaved=True)
        self.statusBar().showMessage(self.tr("The trained model is in Explore, not saved yet: File ▸ Save model as… (Ctrl+Shift+S)"), 15000)

    def confirm_unsaved(self, consequence: str) -> bool:
        """Whether the current model may be replaced or dropped: it is saved, or the person saves it now or
        says not to. `consequence` says what would happen to it, e.g. "Quitting drops it."."""
        if not self.unsaved or not self._ask_before_closing:
            return True
        Button = QMessageBox.StandardButton
        answer = dialogs.ask(
            self, self.tr("Unsaved model"),
            self.tr("The model trained in this session is not saved. {consequence}\n\nSave it first?").format(
                consequence=consequence),
            [(Button.Save, self.tr("Save…")), (Button.Discard, self.tr("Don't save")), (Button.Cancel, self.tr("Cancel"))],
            Button.Save,
        )
        if answer == Button.Save:
            return self.choose_where_to_save()  # the save runs on a worker; quitting waits for it
        return answer == Button.Discard

    def choose_model_to_open(self) -> None:
        if not self.confirm_unsaved(self.tr("Opening another model replaces it in Explore.")):
            return
        path = ask_open_file(self, self.tr("Open model"), "models", self.tr("VAE Explorer models (*.keras)"),
                             DEFAULT_MODEL_PATH.parent)
        if path:
            self.open_model(path)

    def choose_where_to_save(self) -> bool:
        """Ask where, then save the current model; False when there is none or the person cancelled."""
        if self.vae is None:
            return False
        path = ask_save_file(self, self.tr("Save model as"), "save", "cvae.keras", self.tr("Keras model (*.keras)"), ".keras")
        if path:
            self.save_model(path)
        return path is not None

    def save_model(self, path: Path) -> None:
        vae = self.vae
        self.statusBar().showMessage(self.tr("Saving {name}…").format(name=path.name))

        def saved(result: Path) -> None:
            vae.path = result
            self.recent_models.add(result)
            if vae is self.vae:
                self.unsaved = False
                self._show_model_name()
                self.explorer.show_model_facts(vae)
            self.statusBar().showMessage(self.tr("Saved {path} and its card").format(path=result), 8000)

        def failed(message: str) -> None:
            self.statusBar().showMessage(self.tr("Saving failed"), 8000)
            QMessageBox.warning(self, self.tr("Could not save the model"), dialogs.sentence(message))

        self.tasks.submit("save", lambda: _save_model_file(vae, path), saved, failed)

    def choose_csv_export(self) -> None:
        path = ask_save_file(self, self.tr("Export metrics CSV"), "exports", "metrics.csv", "CSV (*.csv)", ".csv")
        if path:
            self.export_csv(path)

    def export_csv(self, path: Path) -> None:
        try:
            rows = self.dashboard.export_csv(path)
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Could not export"),
                                self.tr("Could not write {path}: {reason}").format(path=path, reason=exc.strerror or exc))
            return
        self.statusBar().showMessage(self.tr("Wrote {rows} batches to {path}").format(rows=rows, path=path), 8000)

    def new_training(self) -> None:
        if self.dashboard.is_training():
            return
        self.dashboard.clear()
        self.tabs.setCurrentIndex(0)

    def show_shortcuts(self) -> None:
        if self.shortcuts_dialog is None:
            self.shortcuts_dialog = ShortcutsDialog(self, self.tabs)
        self.shortcuts_dialog.refresh()
        self.shortcuts_dialog.show()
        self.shortcuts_dialog.raise_()
        self.shortcuts_dialog.activateWindow()

    def show_model_card(self) -> None:
        if self.vae is None:
            return
        if self.card_dialog is None:
            self.card_dialog = ModelCardDialog(self)
            self.card_dialog.resize(self.card_dialog.sizeHint())  # Qt's first size is at most 2/3 of the screen
        self.card_dialog.show_model(self.vae)
        self.card_dialog.show()
        self.card_dialog.raise_()
        self.card_dialog.activateWindow()

    def show_about(self) -> None:
        from PySide6 import __version__ as pyside_version
        from PySide6.QtCore import qVersion

        from vae_explorer.gui.train.dashboard import checkpoint_path  # looked up now: where the dashboard writes

        blurb = self.tr("Train a convolutional variational autoencoder on Fashion-MNIST and explore what it learned.")
        terms = self.tr("MIT License. Fashion-MNIST: Zalando Research, MIT License.")
        where = self.tr("Checkpoints of the runs: {folder}").format(folder=checkpoint_path().parent)
        QMessageBox.about(
            self, self.tr("About VAE Explorer"),
            f"<h3>VAE Explorer {__version__}</h3><p>{blurb}</p><p>{terms}<br>{escape(where)}</p>"
            f"<p>Python {platform.python_version()} · Qt {qVersion()} · PySide6 {pyside_version}<br>"
            f"TensorFlow {_version('tensorflow')} · Keras {_version('keras')} · "
            f"pyqtgraph {_version('pyqtgraph')} · NumPy {_version('numpy')}</p>",
        )

    # --- settings and shutdown ---------------------------------------------------------------------
    def _restore_settings(self) -> None:
        settings = QSettings()
        if int(settings.value("settings_version", 0) or 0) != SETTINGS_VERSION:
            self._first_geometry()
            return
        geometry = settings.value("window/geometry")
        # restoreGeometry keeps a window saved on a larger screen inside this one.
        if geometry is None or not self.restoreGeometry(geometry):
            self._first_geometry()
        self.tabs.setCurrentIndex(int(settings.value("window/tab", 0) or 0))
        self.dashboard.restore_settings(settings)

    def _first_geometry(self) -> None:
        """DEFAULT_SIZE, centred; on a screen with no room for it and a title bar, all of the screen
        (`show_as_saved` shows it maximized)."""
        free = self.screen().availableGeometry()
        if free.width() < DEFAULT_SIZE.width() + 40 or free.height() < DEFAULT_SIZE.height() + 60:
            self.setGeometry(free)  # where no window manager maximizes, the window still fits
            self.maximize_on_show = True
            return
        self.resize(DEFAULT_SIZE)
        self.move(free.center() - self.rect().center())

    def show_as_saved(self) -> None:
        """Show the window: maximized on a first start on a small screen, else as it was left."""
        self.showMaximized() if self.maximize_on_show else self.show()

    def save_settings(self) -> None:
        settings = QSettings()
        settings.setValue("settings_version", SETTINGS_VERSION)
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/tab", self.tabs.currentIndex())
        self.dashboard.save_settings(settings)

    def close_without_asking(self) -> None:
        """Close as if the user had said yes to every question (Ctrl+C or SIGTERM from outside)."""
        self._ask_before_closing = False
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        Button = QMessageBox.StandardButton
        if self.dashboard.is_training() and self._ask_before_closing:
            answer = dialogs.ask(
                self, self.tr("Training is running"),
                self.tr("Stop training and quit? The last completed epoch is kept as a checkpoint."),
                [(Button.Yes, self.tr("Stop and quit")), (Button.No, self.tr("Keep training"))], Button.No,
                withdraw_on=self.dashboard.running_changed,  # the run ended meanwhile: this no longer applies
            )
            if answer not in (Button.Yes, None):
                event.ignore()
                return
        if self.dashboard.is_training():
            self.dashboard.shutdown()
        elif not self.confirm_unsaved(self.tr("Quitting drops it.")):
            event.ignore()
            return
        self.save_settings()
        self.tasks.stopping.set()
        self.tasks.wait()
        event.accept()
