"""Capture both areas of the app at a small and a large window size, to check the layout by eye (run under Xvfb):

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python scripts/screenshot_sizes.py

Writes resources/screenshots/{explore,train}-{1024x700,1920x1080}.png: Explore on the shipped model
with the sample images reconstructed and one selected, Train after a short run.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

OUT = Path(__file__).resolve().parent.parent / "resources" / "screenshots"
SIZES = ((1024, 700), (1920, 1080))


def main() -> int:
    app = QApplication(sys.argv)
    app.setOrganizationName("VAE Explorer Screenshots")
    app.setApplicationName("vae-explorer-screenshots")
    QSettings().clear()
    from vae_explorer.gui.main_window import MainWindow

    window = MainWindow()
    window.show()
    ex, d = window.explorer, window.dashboard
    steps: list = []

    def then(delay_ms: int, fn) -> None:
        steps.append((delay_ms, fn))

    def run_steps() -> None:
        if steps:
            delay, fn = steps.pop(0)
            QTimer.singleShot(delay, lambda: (fn(), run_steps()))

    def grab_both(area, name: str) -> None:
        window.tabs.setCurrentWidget(area)
        for width, height in SIZES:
            window.resize(width, height)
            app.processEvents()
            path = OUT / f"{name}-{width}x{height}.png"
            window.grab().save(str(path))
            print("wrote", path, f"(window {window.width()}x{window.height()})")

    then(500, lambda: (window.tabs.setCurrentWidget(ex), ex.reconstruct.open_sample_images()))
    then(3000, lambda: ex.reconstruct.table.selectRow(6))
    then(1500, lambda: grab_both(ex, "explore"))

    def train() -> None:
        window.tabs.setCurrentWidget(d)
        d.form.set_values(train_limit=2000, epochs=2)
        d.model_trained.connect(lambda vae: QTimer.singleShot(500, lambda: (grab_both(d, "train"), window.close_without_asking())))
        d.start()

    then(100, train)
    started: list = []

    def start(vae) -> None:
        if not started:
            started.append(vae)
            run_steps()

    window.model_changed.connect(start)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
