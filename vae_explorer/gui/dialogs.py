"""Dialogs: file dialogs that remember their folder (each kind of file — models, images, exports — opens
where the person last took or put one, in this session and the next: QSettings "paths/<kind>") and the
size the person last gave one, and questions whose buttons say what they do."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QSize
from PySide6.QtWidgets import QDialog, QFileDialog, QHeaderView, QMessageBox, QTreeView, QWidget

# Qt's own first size (about 650×410) cuts the file list's size and type columns ("11....MiB").
FILE_DIALOG_SIZE = QSize(900, 560)
SIZE_KEY = "dialogs/file_size"


def sentence(text: str) -> str:
    """A message as a dialog's text: the core's messages start in lower case, to sit inside sentences."""
    return text[:1].upper() + text[1:]


def _folder(kind: str, default: Path | None) -> Path:
    return Path(QSettings().value(f"paths/{kind}", str(default or Path.home())))


def _remember(kind: str, path: Path) -> None:
    QSettings().setValue(f"paths/{kind}", str(path.parent))


def _file_dialog(parent: QWidget | None, title: str, start: Path, file_filter: str = "") -> QFileDialog:
    """A file dialog opening in `start` (a folder, or a file to preselect in it), at the size the person
    last left one (at first FILE_DIALOG_SIZE, within the screen), its columns as wide as their contents."""
    dialog = QFileDialog(parent, title, str(start), file_filter)
    size = QSettings().value(SIZE_KEY)
    screen = dialog.screen().availableGeometry().size()
    wanted = size if isinstance(size, QSize) and size.isValid() else FILE_DIALOG_SIZE
    dialog.resize(wanted.boundedTo(screen * 0.9))
    view = dialog.findChild(QTreeView)  # the detail view of Qt's own dialog; a desktop's native one has none
    if view is not None:
        header = view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, header.count()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return dialog


def _run(dialog: QFileDialog) -> list[Path]:
    """Show it; the paths chosen, none when cancelled. The size it was left at is kept for the next."""
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    QSettings().setValue(SIZE_KEY, dialog.size())
    return [Path(p) for p in dialog.selectedFiles()] if accepted else []


def ask_open_file(parent: QWidget, title: str, kind: str, file_filter: str, default: Path | None = None) -> Path | None:
    dialog = _file_dialog(parent, title, _folder(kind, default), file_filter)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    paths = _run(dialog)
    if not paths:
        return None
    _remember(kind, paths[0])
    return paths[0]


def ask_open_files(parent: QWidget, title: str, kind: str, file_filter: str) -> list[Path]:
    dialog = _file_dialog(parent, title, _folder(kind, None), file_filter)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    paths = _run(dialog)
    if paths:
        _remember(kind, paths[0])
    return paths


def ask_save_file(parent: QWidget, title: str, kind: str, name: str, file_filter: str, suffix: str) -> Path | None:
    """A file to write, with `suffix` added when the person left it out."""
    dialog = _file_dialog(parent, title, _folder(kind, None) / name, file_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    paths = _run(dialog)
    if not paths:
        return None
    path = paths[0]
    if path.suffix.lower() != suffix:
        path = path.with_suffix(suffix)
    _remember(kind, path)
    return path


def ask_folder(parent: QWidget, title: str, start: str) -> Path | None:
    dialog = _file_dialog(parent, title, Path(start).expanduser())
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly)
    paths = _run(dialog)
    return paths[0] if paths else None


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
