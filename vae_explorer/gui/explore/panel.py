"""What every Explore panel shares: the model it shows, the latent plane it observes, the task runner its
model calls go through, and PNG exports with a message when they fail."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QIcon, QImage
from PySide6.QtWidgets import QPushButton, QWidget

from vae_explorer.errors import VaeExplorerError
from vae_explorer.fileio import atomic_write
from vae_explorer.gui.dialogs import ask_save_file
from vae_explorer.latent_plane import LatentPlane
from vae_explorer.workers.messages import error_message
from vae_explorer.workers.tasks import TaskRunner


class ExplorePanel(QWidget):
    """A view of the latent plane and the current model. A new model reaches every panel through
    `set_model`, then the plane's `reset_event`, on which each panel shows it."""

    status_message = Signal(str)

    def __init__(self, tasks: TaskRunner, plane: LatentPlane, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.plane = plane
        self.vae = None
        self.setEnabled(False)

    def set_model(self, vae) -> None:
        self.vae = vae
        self.setEnabled(True)

    # --- exports --------------------------------------------------------------------------------
    def save_button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(QIcon.fromTheme("document-save"), text)
        button.clicked.connect(slot)
        button.setEnabled(False)
        return button

    def ask_png(self, title: str, name: str) -> Path | None:
        return ask_save_file(self, title, "exports", name, self.tr("PNG image (*.png)"), ".png")

    def export(self, path: Path | None, write: Callable[[Path], None]) -> bool:
        """Write a file through `write(path)`; a failure is a status message, never a crash."""
        if path is None:
            return False
        try:
            write(path)
        except (OSError, ValueError, VaeExplorerError) as exc:
            reason = getattr(exc, "strerror", None) or error_message(exc)
            self.status_message.emit(self.tr("Could not save {path}: {reason}. Choose another folder.").format(
                path=path, reason=reason))
            return False
        self.status_message.emit(self.tr("Saved {path}").format(path=path))
        return True

    def export_image(self, path: Path | None, image: QImage) -> bool:
        """Save a picture drawn with Qt, as PNG."""
        def write(target: Path) -> None:
            def save(tmp: Path) -> None:
                if not image.save(str(tmp), "PNG"):
                    raise OSError(f"Qt could not write {tmp}")

            atomic_write(target, save)

        return self.export(path, write)
