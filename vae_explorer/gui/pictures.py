"""NumPy images <-> Qt images: model inputs and outputs as pixmaps, pasted images as arrays."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap

from vae_explorer.ml.images import to_uint8


def pixmap(array: np.ndarray, size: int) -> QPixmap:
    """A uint8 grey (h, w) or RGB (h, w, 3) array, or float grey in [0, 1], as a pixmap scaled to `size`."""
    a = np.asarray(array)
    a = np.ascontiguousarray(a if a.dtype == np.uint8 else to_uint8(a))
    image_format = QImage.Format.Format_Grayscale8 if a.ndim == 2 else QImage.Format.Format_RGB888
    image = QImage(a.data, a.shape[1], a.shape[0], a.strides[0], image_format)
    return QPixmap.fromImage(image.copy()).scaled(
        size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation
    )


def qimage_to_rgba(image: QImage) -> np.ndarray:
    """A QImage (a pasted one) as an (h, w, 4) uint8 RGBA array."""
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    w, h, stride = image.width(), image.height(), image.bytesPerLine()
    buffer = np.frombuffer(image.constBits(), np.uint8, count=stride * h)
    return buffer.reshape(h, stride)[:, : w * 4].reshape(h, w, 4).copy()
