"""Capture real screenshots of the app for the README (run under Xvfb):

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshot.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

OUT = Path(__file__).resolve().parent.parent / "resources" / "screenshots"


def main() -> int:
    app = QApplication(sys.argv)
    app.setOrganizationName("VAE Explorer Screenshots")
    app.setApplicationName("vae-explorer-screenshots")
    from PySide6.QtCore import QSettings

    QSettings().clear()  # default settings, Train tab first
    QMessageBox.question = staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard)
    from vae_explorer.gui.main_window import MainWindow

    OUT.mkdir(parents=True, exist_ok=True)
    window = MainWindow()
    window.resize(1360, 860)
    window.tabs.setCurrentIndex(0)
    window.show()
    d = window.dashboard
    d.full_set.setChecked(False)
    d.subset.setValue(6000)
    d.epochs.setValue(4)
    d.smooth.setChecked(True)

    def grab_training() -> None:
        if len(d.val_points["total_loss"]) < 2:
            QTimer.singleShot(500, grab_training)
            return
        QTimer.singleShot(1500, lambda: (window.grab().save(str(OUT / "train.png")), d.stop()))

    def grab_explore() -> None:
        window.tabs.setCurrentIndex(1)
        QTimer.singleShot(300, lambda: (window.grab().save(str(OUT / "explore-model.png")), window.close()))

    d.model_trained.connect(lambda vae: QTimer.singleShot(500, grab_explore))
    QTimer.singleShot(3000, d.start)
    QTimer.singleShot(2000, grab_training)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
