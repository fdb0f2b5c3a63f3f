"""Input widgets set up the way the app uses them everywhere."""

from __future__ import annotations

from PySide6.QtWidgets import QSpinBox


def spin_box(low: int, high: int, value: int, tip: str) -> QSpinBox:
    """A whole-number box with thousands separators (60,000 reads better than 60000)."""
    box = QSpinBox()
    box.setRange(int(low), int(min(high, 2**31 - 1)))
    box.setValue(value)
    box.setToolTip(tip)
    box.setGroupSeparatorShown(True)
    return box
