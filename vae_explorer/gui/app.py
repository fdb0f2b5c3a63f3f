"""Start the desktop app: the window shows first, TensorFlow loads behind it."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from vae_explorer.config import RESOURCES_DIR
from vae_explorer.version import __version__

TRANSLATIONS_DIR = RESOURCES_DIR / "translations"


def install_translations(app: QApplication, locale: QLocale | None = None) -> list[str]:
    """The interface in the system's language where a translation ships (Portuguese, Brazil), else
    English; Qt's own dialogs and buttons from Qt's translations. Returns the files loaded."""
    locale = locale or QLocale.system()
    loaded = []
    for name, folder in (("vae_explorer", TRANSLATIONS_DIR),
                         ("qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))):
        translator = QTranslator(app)
        if translator.load(locale, name, "_", str(folder)):
            app.installTranslator(translator)
            loaded.append(translator.filePath())
    return loaded


def configure_locale() -> None:
    """Numbers as the system's locale writes them; under the C locale (no language set, as in containers
    and under xvfb-run) with digits grouped as English groups them: "60,000 images", not "60000 images"."""
    if QLocale.system().language() == QLocale.Language.C:
        locale = QLocale.c()  # Qt's C locale leaves out the group separator by default
        locale.setNumberOptions(QLocale.NumberOption.DefaultNumberOptions)
        QLocale.setDefault(locale)


def configure_tensorflow_threads() -> None:
    """Leave one core to the GUI thread: TensorFlow reads these when it starts, so set them before.

    With every core training, the event loop stalled far longer at no gain in speed (docs/design.md,
    benchmarks/gui_stall.py). An explicit TF_NUM_INTRAOP_THREADS still wins.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("TF_NUM_INTRAOP_THREADS", str(max(1, (os.cpu_count() or 2) - 1)))
    os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")


# How long a thread running Python may keep the GIL while another waits for it (Python's default is
# 5 ms). The GUI thread's paints cross between Python and Qt's C++ many times, and each crossing can
# wait that long while the training thread runs Python (Keras' loop, callbacks), so a shorter slice
# keeps repaints short (docs/design.md; benchmarks/gui_stall.py --switch-interval compares whole runs).
GIL_SWITCH_INTERVAL_S = 0.001


def configure_threads(switch_interval_s: float = GIL_SWITCH_INTERVAL_S) -> None:
    """What the GUI process sets before anything starts: TensorFlow's threads, and the GIL's switch
    interval so the GUI thread gets the interpreter back quickly from the training thread."""
    configure_tensorflow_threads()
    sys.setswitchinterval(switch_interval_s)


def main(argv: list[str] | None = None, data_dir: Path | None = None, model: Path | None = None) -> int:
    """The window, on the shipped model or on `model` (a file named on the command line)."""
    configure_threads()
    app = QApplication.instance() or QApplication(sys.argv[:1] + list(argv or []))
    app.setOrganizationName("VAE Explorer")
    app.setApplicationName("vae-explorer")
    app.setApplicationDisplayName("VAE Explorer")
    app.setApplicationVersion(__version__)
    install_translations(app)
    configure_locale()
    from vae_explorer.gui.main_window import MainWindow

    window = MainWindow(data_dir=data_dir, load_default_model=model is None)
    window.show_as_saved()
    if model is not None:  # a file that is no model says why in a dialog, over the window
        QTimer.singleShot(0, lambda: window.open_model(model))
    close_on_signals(window)
    return app.exec()


def close_on_signals(window) -> None:
    """Ctrl+C in the terminal or SIGTERM closes the window the normal way (settings saved, a run
    stopped with its checkpoint kept) instead of killing the process mid-write.

    Python runs signal handlers only between bytecodes, so a light timer gives it the chance while
    Qt's event loop waits.
    """
    from PySide6.QtCore import QTimer

    def request_close(signum, frame) -> None:
        QTimer.singleShot(0, window.close_without_asking)

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, request_close)
    heartbeat = QTimer(window)
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start(200)
