"""Start the desktop app: the window shows first, TensorFlow loads behind it."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from vae_explorer import __version__


def configure_tensorflow_threads() -> None:
    """Leave one core to the GUI thread: TensorFlow reads these when it starts, so set them before.

    Measured with benchmarks/gui_stall.py on 2 cores during full-size training: TF's default two
    intra-op threads gave event-loop gaps of p99 311 ms / max 700 ms at 11.1 batches/s; one thread
    gave p99 72 ms / max 107 ms at 11.8 batches/s. An explicit TF_NUM_INTRAOP_THREADS still wins.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("TF_NUM_INTRAOP_THREADS", str(max(1, (os.cpu_count() or 2) - 1)))
    os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")


def main(argv: list[str] | None = None, data_dir: Path | None = None) -> int:
    configure_tensorflow_threads()
    app = QApplication.instance() or QApplication(sys.argv[:1] + list(argv or []))
    app.setOrganizationName("VAE Explorer")
    app.setApplicationName("vae-explorer")
    app.setApplicationDisplayName("VAE Explorer")
    app.setApplicationVersion(__version__)
    from vae_explorer.gui.main_window import MainWindow

    window = MainWindow(data_dir=data_dir)
    window.show()
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
