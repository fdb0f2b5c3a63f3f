"""Numbers as the system's locale writes them, as the training form's fields already do: 250,87 and 3.000
in Brazil, 250.87 and 3,000 in the US (the CLI, the API and the model cards keep Python's own)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QLocale


def number(value: float, decimals: int = 0, signed: bool = False) -> str:
    """`value` with `decimals` places, the locale's decimal mark and digit grouping; `signed`: + before
    a positive value, as coordinates are written."""
    locale = QLocale()
    text = locale.toString(float(value), "f", decimals)
    if signed and not text.startswith(locale.negativeSign()):
        text = locale.positiveSign() + text
    return text


def percent(share: float, decimals: int = 1) -> str:
    """A share in [0, 1] as a percentage: 0.855 -> 85.5% (85,5% with a decimal comma)."""
    return number(100.0 * share, decimals) + "%"


def separator() -> str:
    """Between numbers in a list: "; " where the decimal mark is a comma (so 0,5; 1,2 reads as two), else ", "."""
    return "; " if QLocale().decimalPoint() == "," else ", "


def coordinates(values: Iterable[float], decimals: int) -> str:
    """Signed coordinates, separated as `separator` says."""
    return separator().join(number(v, decimals, signed=True) for v in values)
