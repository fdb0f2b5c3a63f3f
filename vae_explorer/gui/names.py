"""The garment classes' names in the interface's language (config.CLASS_NAMES holds the English, which
the CLI, the API and the model cards keep)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from vae_explorer.config import CLASS_NAMES

SHORT_NAMES = (QT_TRANSLATE_NOOP("Classes", "T-shirt"), QT_TRANSLATE_NOOP("Classes", "Trouser"),
               QT_TRANSLATE_NOOP("Classes", "Pullover"), QT_TRANSLATE_NOOP("Classes", "Dress"),
               QT_TRANSLATE_NOOP("Classes", "Coat"), QT_TRANSLATE_NOOP("Classes", "Sandal"),
               QT_TRANSLATE_NOOP("Classes", "Shirt"), QT_TRANSLATE_NOOP("Classes", "Sneaker"),
               QT_TRANSLATE_NOOP("Classes", "Bag"), QT_TRANSLATE_NOOP("Classes", "Boot"))


def class_names() -> list[str]:
    return [QCoreApplication.translate("Classes", name) for name in CLASS_NAMES]


def short_class_names() -> list[str]:
    return [QCoreApplication.translate("Classes", name) for name in SHORT_NAMES]
