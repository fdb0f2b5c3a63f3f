"""Capture real screenshots of the app for the README (run under Xvfb):

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshot.py

The Explore area on the shipped model (plane with the decoded backdrop, the sample images
reconstructed, the 16x16 grid, an interpolation, a two-mode posterior), the class-conditional model's
style transfer, then
the Train area during a short run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from PySide6.QtCore import QTimer
from scripted_window import ScriptedWindow

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "screenshots"
CONDITIONAL = ROOT / "models" / "cvae-fashion-conditional-latent2.keras"
TWO_MODES = 336  # a test image whose posterior under the shipped model has two modes


def main() -> int:
    from vae_explorer.config import CLASS_NAMES

    OUT.mkdir(parents=True, exist_ok=True)
    scripted = ScriptedWindow(sys.argv, "vae-explorer-screenshots")
    window, then = scripted.window, scripted.then
    window.resize(1360, 900)
    ex = window.explorer
    d = window.dashboard

    def grab(name: str) -> None:
        window.grab().save(str(OUT / name))
        print("wrote", OUT / name)

    def explore() -> None:
        window.tabs.setCurrentWidget(ex)
        ex.plane.backdrop_on.setChecked(True)
        ex.reconstruct.open_sample_images()

    then(1500, explore)
    then(2500, lambda: (ex.reconstruct.table.selectRow(6), ex.reconstruct.selected.noise_amount.setValue(35)))
    then(1500, lambda: grab("explore-reconstruct.png"))
    then(100, lambda: (ex.tabs.setCurrentIndex(1), ex.samples.seed.setValue(7)))
    then(1500, lambda: ex.samples.pick_sample(37))  # on seed 7's grid, once it is shown
    then(1000, lambda: grab("explore-samples.png"))

    def class_median(name: str) -> np.ndarray:
        """The median latent mean of one class of the encoded test set: a typical garment of it."""
        plane = ex.latent_plane
        return np.median(plane.latents[plane.labels == CLASS_NAMES.index(name)], axis=0).astype(np.float32)

    def interpolate() -> None:
        ex.tabs.setCurrentIndex(2)
        plane = ex.latent_plane
        plane.set_point(class_median("Sneaker"))
        plane.set_end("a")
        plane.set_point(class_median("Shirt"))
        plane.set_end("b")
        plane.set_point(class_median("Ankle boot"))

    then(100, interpolate)
    then(1500, lambda: grab("explore-interpolation.png"))

    def posterior() -> None:
        """A test sneaker whose posterior has two modes (is it a sneaker or a sandal?)."""
        from vae_explorer.ml.data import load_fashion_mnist

        image = load_fashion_mnist().test_images[TWO_MODES]
        rgba = np.dstack([image] * 3 + [np.full_like(image, 255)])
        ex.reconstruct.analyse([(f"test image {TWO_MODES} (a sneaker)", rgba)], [])

    def second_mode() -> None:
        """Once the finer grid is drawn (however busy the machine), the crosshair on the second mode."""
        view = ex.posterior.view
        if view is None or not view.refined:
            QTimer.singleShot(500, second_mode)
            return
        if len(view.modes) > 1:
            ex.latent_plane.set_point(view.modes[1].astype(np.float32))
        QTimer.singleShot(1500, lambda: grab("explore-posterior.png"))

    then(100, posterior)
    then(3000, lambda: ex.tabs.setCurrentWidget(ex.posterior))
    then(500, second_mode)
    then(20000, lambda: None)  # the grab above, before the next model opens

    def style_transfer() -> None:
        ex.tabs.setCurrentWidget(ex.transfer)
        ex.plane.class_picker.setCurrentIndex(CLASS_NAMES.index("Dress"))

    def classified() -> bool:  # the sample images, reconstructed again by the model just opened
        results = ex.reconstruct.results
        return len(results) == 8 and all(r.predicted_class is not None for r in results)

    then(100, lambda: window.open_model(CONDITIONAL))
    then(3000, style_transfer)
    # Selected anew (it came back selected, the plane left alone): the plane goes to its style code.
    then(500, lambda: (ex.reconstruct.table.clearSelection(), ex.reconstruct.table.selectRow(6),
                       ex.tabs.setCurrentWidget(ex.transfer)), until=classified)
    then(500, lambda: grab("explore-style-transfer.png"), until=lambda: ex.transfer.refined)

    def train() -> None:
        window.tabs.setCurrentWidget(d)
        d.form.set_values(train_limit=6000, epochs=4)
        d.plots.smooth.setChecked(True)
        d.start()

    then(100, train)

    def grab_training() -> None:
        if len(d.plots.validation_points["total_loss"]) < 2:
            QTimer.singleShot(500, grab_training)
            return
        QTimer.singleShot(1500, lambda: (grab("train.png"), d.stop()))
        d.model_trained.connect(lambda vae: QTimer.singleShot(500, window.close_without_asking))

    then(2000, grab_training)
    return scripted.run()

if __name__ == "__main__":
    sys.exit(main())
