"""Capture both areas of the app at a small and a large window size, to check the layout by eye (run under Xvfb):

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python scripts/screenshot_sizes.py

Writes resources/screenshots/{explore,train}-{1024x700,1920x1080}.png: Explore on the shipped model
with the sample images reconstructed and one selected, Train after a short run.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from scripted_window import ScriptedWindow

OUT = Path(__file__).resolve().parent.parent / "resources" / "screenshots"
SIZES = ((1024, 700), (1920, 1080))


def main() -> int:
    scripted = ScriptedWindow(sys.argv, "vae-explorer-screenshots")
    app, window, then = scripted.app, scripted.window, scripted.then
    ex, d = window.explorer, window.dashboard

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
    return scripted.run()

if __name__ == "__main__":
    sys.exit(main())
