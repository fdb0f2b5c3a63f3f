"""Dialogs: file dialogs that remember their folder (each kind of file — models, images, exports — opens
where the person last took or put one, in this session and the next: QSettings "paths/<kind>"), and
questions whose buttons say what they do."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


def _folder(kind: str, default: Path | None) -> Path:
    return Path(QSettings().value(f"paths/{kind}", str(default or Path.home())))


def _remember(kind: str, path: Path) -> None:
    QSettings().setValue(f"paths/{kind}", str(path.parent))


def ask_open_file(parent: QWidget, title: str, kind: str, file_filter: str, default: Path | None = None) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, str(_folder(kind, default)), file_filter)
    if not path:
        return None
    _remember(kind, Path(path))
    return Path(path)


def ask_open_files(parent: QWidget, title: str, kind: str, file_filter: str) -> list[Path]:
    paths, _ = QFileDialog.getOpenFileNames(parent, title, str(_folder(kind, None)), file_filter)
    if paths:
        _remember(kind, Path(paths[0]))
    return [Path(p) for p in paths]


def ask_save_file(parent: QWidget, title: str, kind: str, name: str, file_filter: str, suffix: str) -> Path | None:
    """A file to write, with `suffix` added when the person left it out."""
    path, _ = QFileDialog.getSaveFileName(parent, title, str(_folder(kind, None) / name), file_filter)
    if not path:
        return None
    path = Path(path)
    if path.suffix.lower() != suffix:
        path = path.with_suffix(suffix)
    _remember(kind, path)
    return path


def ask(parent: QWidget, title: str, text: str, buttons: list[tuple[QMessageBox.StandardButton, str]],
        default: QMessageBox.StandardButton, withdraw_on=None) -> QMessageBox.StandardButton | None:
    """A question whose buttons say what they do (`buttons`: the standard button and its text).

    `withdraw_on`: a signal on which the question no longer applies (say, the run it asks about ended):
    the box closes by itself and None is returned, so an answer is never taken for another question."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    for button, label in buttons:
        box.addButton(button).setText(label)
    box.setDefaultButton(default)
    withdrawn: list[bool] = []

    def withdraw(*_args) -> None:
        withdrawn.append(True)
        box.done(0)

    if withdraw_on is not None:
        withdraw_on.connect(withdraw)
    try:
        answer = box.exec()
    finally:
        if withdraw_on is not None:
            withdraw_on.disconnect(withdraw)
    return None if withdrawn else QMessageBox.StandardButton(answer)
