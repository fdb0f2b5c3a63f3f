"""The Train area's TensorBoard option: a box and a folder; each run logs into its own dated subfolder,
so TensorBoard shows the runs side by side (`tensorboard --logdir FOLDER`)."""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLineEdit, QToolButton, QWidget

from vae_explorer.gui.dialogs import ask_folder

DEFAULT_FOLDER = "~/vae-explorer-tensorboard"  # shown as typed (short enough to read in the field), expanded when used


def tensorboard_installed() -> bool:
    return importlib.util.find_spec("tensorboard") is not None


class TensorBoardOption(QWidget):
    """`run_folder()`: where this run logs (None when the box is off); `folder()`: the parent folder."""

    def __init__(self, parent: QWidget | None = None, installed: bool | None = None) -> None:
        super().__init__(parent)
        self.enabled = QCheckBox(self.tr("TensorBoard logs in"))
        self.path = QLineEdit(DEFAULT_FOLDER)
        self.path.setToolTip(self.tr("Each run writes a subfolder here; view them with: tensorboard --logdir <this folder>"))
        self.browse = QToolButton()
        self.browse.setText("…")
        self.browse.setToolTip(self.tr("Choose the folder"))
        self.browse.clicked.connect(self._choose)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.enabled)
        layout.addWidget(self.path, 1)
        layout.addWidget(self.browse)
        self.installed = tensorboard_installed() if installed is None else installed
        self.enabled.setToolTip(self.tr("Per-batch losses and time, validation, reconstructions, samples and the "
                                        "encoded test set for TensorBoard's projector") if self.installed
                                else self.tr("TensorBoard is not installed: pip install tensorboard (or the "
                                             "'tensorboard' extra), then restart"))
        self.enabled.toggled.connect(lambda: self.set_editable(self._editable))
        self._editable = True
        self.set_editable(True)

    def set_editable(self, editable: bool) -> None:
        """Off while a run trains; the box stays off where TensorBoard is not installed."""
        self._editable = editable
        self.enabled.setEnabled(editable and self.installed)
        self.path.setEnabled(editable and self.installed and self.enabled.isChecked())
        self.browse.setEnabled(self.path.isEnabled())

    def _choose(self) -> None:
        chosen = ask_folder(self, self.tr("Folder for TensorBoard logs"), self.path.text())
        if chosen:
            self.path.setText(str(chosen))

    def folder(self) -> Path | None:
        text = self.path.text().strip()
        return Path(text).expanduser() if self.installed and self.enabled.isChecked() and text else None

    def run_folder(self) -> Path | None:
        folder = self.folder()
        return folder / time.strftime("run-%Y%m%d-%H%M%S") if folder else None

    def save_settings(self, settings: QSettings) -> None:
        settings.setValue("train/tensorboard", self.enabled.isChecked())
        settings.setValue("train/tensorboard_folder", self.path.text())

    def restore_settings(self, settings: QSettings) -> None:
        if settings.contains("train/tensorboard_folder"):
            self.path.setText(str(settings.value("train/tensorboard_folder")))
        if self.installed and settings.contains("train/tensorboard"):
            self.enabled.setChecked(settings.value("train/tensorboard") in (True, "true"))
