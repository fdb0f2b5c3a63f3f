"""Start the desktop app: the window shows first, TensorFlow loads behind it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from vae_explorer import __version__


def main(argv: list[str] | None = None, data_dir: Path | None = None) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    app = QApplication.instance() or QApplication(sys.argv[:1] + list(argv or []))
    app.setOrganizationName("VAE Explorer")
    app.setApplicationName("vae-explorer")
    app.setApplicationDisplayName("VAE Explorer")
    app.setApplicationVersion(__version__)
    from vae_explorer.gui.main_window import MainWindow

    window = MainWindow(data_dir=data_dir)
    window.show()
    return app.exec()
