"""A row of ten garment tiles, one per class, each a button: the same latent code decoded as every class
(a class-conditional model). Clicking a tile picks its class."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QSizePolicy, QToolButton, QWidget

from vae_explorer.gui.names import class_names, short_class_names
from vae_explorer.gui.pictures import pixmap


class ClassTiles(QWidget):
    """`show_images(images, picked)` shows ten decoded images; `picked(k)` fires when tile k is clicked."""

    picked = Signal(int)

    def __init__(self, icon_size: int = 40, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.icon_size = icon_size
        self.images: np.ndarray | None = None
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: list[QToolButton] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        for k, (name, short) in enumerate(zip(class_names(), short_class_names())):
            button = QToolButton()
            button.setText(short)
            button.setToolTip(self.tr("{name}: click to decode as this class").format(name=name))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            button.setIconSize(QSize(icon_size, icon_size))
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)  # ten share any width
            font = button.font()
            font.setPointSizeF(font.pointSizeF() * 0.85)
            button.setFont(font)
            self.group.addButton(button, k)
            layout.addWidget(button)
            self.buttons.append(button)
        self.group.idClicked.connect(self.picked)

    def show_images(self, images: np.ndarray | None, picked: int | None = None) -> None:
        self.images = images
        for k, button in enumerate(self.buttons):
            button.setIcon(QIcon(pixmap(images[k], self.icon_size)) if images is not None else QIcon())
        self.set_picked(picked)

    def set_picked(self, picked: int | None) -> None:
        if picked is None:
            checked = self.group.checkedButton()
            if checked is not None:  # an exclusive group keeps one checked unless told otherwise
                self.group.setExclusive(False)
                checked.setChecked(False)
                self.group.setExclusive(True)
        else:
            self.buttons[picked].setChecked(True)

    def minimumSizeHint(self) -> QSize:
        return QSize(10 * (self.icon_size // 2), super().minimumSizeHint().height())
