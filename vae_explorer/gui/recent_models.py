"""File ▸ Open recent: the models a person opened or saved, newest first, kept in QSettings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QMenu

from vae_explorer.config import MODELS_DIR

SETTINGS_KEY = "recent_models"
LIMIT = 8


def _same_file(a: Path, b: Path) -> bool:
    return a.resolve() == b.resolve()


class RecentModels(QObject):
    """The list behind a menu it fills; `chosen(path)` when an entry is picked. The shipped models are
    left out: File ▸ Open shipped model lists them always."""

    chosen = Signal(Path)

    def __init__(self, menu: QMenu) -> None:
        super().__init__(menu)
        self.menu = menu
        self.menu.setToolTipsVisible(True)  # the whole path of each entry
        self.paths = self._read()
        self._fill_menu()

    def add(self, path: Path) -> None:
        """Put `path` first (once); a shipped model is not added."""
        path = Path(path).absolute()
        if _same_file(path.parent, MODELS_DIR):
            return
        self.paths = [path, *(p for p in self.paths if not _same_file(p, path))][:LIMIT]
        self._changed()

    def forget(self, path: Path) -> None:
        self.paths = [p for p in self.paths if not _same_file(p, Path(path))]
        self._changed()

    def clear(self) -> None:
        self.paths = []
        self._changed()

    def entries(self) -> list[str]:
        """What the menu shows for each path, in order: the file's name, with its folder where two names match."""
        names = [p.name for p in self.paths]
        return [f"{p.name} ({p.parent.name or p.parent})" if names.count(p.name) > 1 else p.name for p in self.paths]

    # --- storage and menu ------------------------------------------------------------------------------
    def _changed(self) -> None:
        self._write()  # at once: a crash later keeps the list
        self._fill_menu()

    @staticmethod
    def _read() -> list[Path]:
        settings = QSettings()
        paths = []
        for i in range(settings.beginReadArray(SETTINGS_KEY)):
            settings.setArrayIndex(i)
            value = settings.value("path")
            if isinstance(value, str) and value:
                paths.append(Path(value))
        settings.endArray()
        return paths[:LIMIT]

    def _write(self) -> None:
        settings = QSettings()
        settings.remove(SETTINGS_KEY)  # a shorter list leaves no old entries behind
        settings.beginWriteArray(SETTINGS_KEY, len(self.paths))
        for i, path in enumerate(self.paths):
            settings.setArrayIndex(i)
            settings.setValue("path", str(path))
        settings.endArray()

    def _fill_menu(self) -> None:
        self.menu.clear()
        for number, (path, text) in enumerate(zip(self.paths, self.entries()), 1):
            action = self.menu.addAction(f"&{number} {text.replace('&', '&&')}")
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self.chosen.emit(p))
        if not self.paths:
            self.menu.addAction(self.tr("No recent models")).setEnabled(False)
        self.menu.addSeparator()
        self.menu.addAction(self.tr("&Clear list"), self.clear).setEnabled(bool(self.paths))
