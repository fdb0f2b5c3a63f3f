"""Help ▸ Keyboard shortcuts (F1): every shortcut the window has, read from its menus, buttons and
shortcut objects when the list opens, so it cannot fall behind them."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QMainWindow,
                               QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)


def _plain(text: str) -> str:
    """A menu or button text as read: no mnemonic marker, no trailing ellipsis."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def _keys(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)


def _area(widget: QWidget, tabs: QTabWidget, everywhere: str) -> str:
    """The name of the tab a widget lives in, or `everywhere` for one outside them."""
    for index in range(tabs.count()):
        page = tabs.widget(index)
        if page is widget or page.isAncestorOf(widget):
            return _plain(tabs.tabText(index))
    return everywhere


def collect_shortcuts(window: QMainWindow, tabs: QTabWidget) -> list[tuple[str, str, str]]:
    """(where, what, keys) for each shortcut: the menus' actions, then the buttons and shortcut objects of
    each area. A shortcut object says what it does in its whatsThis."""
    rows = []
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        if menu is None:
            continue
        for action in menu.actions():
            if not action.shortcut().isEmpty():
                rows.append((_plain(menu.title()), _plain(action.text()), _keys(action.shortcut())))
    everywhere = QCoreApplication.translate("ShortcutsDialog", "Everywhere")
    for button in window.findChildren(QAbstractButton):
        if not button.shortcut().isEmpty() and button.text():
            rows.append((_area(button, tabs, everywhere), _plain(button.text()), _keys(button.shortcut())))
    for shortcut in window.findChildren(QShortcut):
        if not shortcut.key().isEmpty() and shortcut.whatsThis():
            rows.append((_area(shortcut.parent(), tabs, everywhere), shortcut.whatsThis(), _keys(shortcut.key())))
    return rows


class ShortcutsDialog(QDialog):
    """A table of the window's shortcuts, tall enough to show every row; it stays open beside the window."""

    def __init__(self, window: QMainWindow, tabs: QTabWidget) -> None:
        super().__init__(window)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self._window, self._tabs = window, tabs
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("Where"), self.tr("What it does"), self.tr("Keys")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setFocus()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)

    def refresh(self) -> None:
        """Read the shortcuts again (a button's may follow its text) and size the dialog to show them all."""
        rows = collect_shortcuts(self._window, self._tabs)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.setCurrentCell(-1, -1)  # nothing looks picked: the table only informs
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
        header = self.table.horizontalHeader()
        width = sum(header.sectionSize(c) for c in range(3)) + 60
        height = (header.height() + sum(self.table.rowHeight(r) for r in range(len(rows)))
                  + 2 * self.table.frameWidth() + 70)
        room = self.screen().availableGeometry().size() * 0.9
        self.resize(min(max(width, 460), room.width()), min(height, room.height()))
