"""Helpers shared by the tests (fixtures live in the conftest.py files)."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, QRect, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

from vae_explorer.config import ModelConfig

TINY_MODEL = ModelConfig(latent_dim=2, encoder_filters=(8, 16), decoder_filters=(16, 8), hidden_units=32)


def write_idx(path: Path, array: np.ndarray, magic: bytes | None = None, extra: bytes = b"") -> Path:
    """Write an IDX file the way Fashion-MNIST's are written, optionally with a wrong magic or trailing bytes."""
    array = np.asarray(array, np.uint8)
    header = magic if magic is not None else bytes([0, 0, 8, array.ndim])
    header += b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    with gzip.open(path, "wb") as stream:
        stream.write(header + array.tobytes() + extra)
    return path


def drop(widget, paths_or_urls) -> bool:
    """A drag entering the widget, then the drop, as Qt delivers them (the drop goes where the enter was accepted)."""
    mime = QMimeData()
    mime.setUrls([u if isinstance(u, QUrl) else QUrl.fromLocalFile(str(u)) for u in paths_or_urls])
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter = QDragEnterEvent(QPoint(20, 20), *args)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted(), "the Explore area takes file drags"
    event = QDropEvent(QPointF(20, 20), *args)
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


def send_mouse(widget, kind, pos: QPoint, buttons) -> None:
    """A raw mouse event (press, move with buttons held, release), as a drag sends them."""
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    event = QMouseEvent(kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


N_MALFORMED = 60
FORMATS = [("png", "L"), ("png", "RGBA"), ("png", "P"), ("png", "I;16"), ("jpeg", "RGB"), ("gif", "P"),
           ("bmp", "RGB"), ("webp", "RGB"), ("tiff", "L")]


def _encoded(fmt: str, mode: str, rng) -> bytes:
    pixels = rng.integers(0, 256, (40, 30, 3), np.uint8)
    image = Image.fromarray(pixels, "RGB")
    image = image.convert("L").convert("I;16") if mode == "I;16" else image.convert(mode)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt.upper())
    return buffer.getvalue()


def _mutate(data: bytes, kind: int, rng) -> bytes:
    data = bytearray(data)
    if kind == 0:  # truncated anywhere
        return bytes(data[: int(rng.integers(1, len(data)))])
    if kind == 1:  # random bytes flipped
        for i in rng.integers(0, len(data), int(rng.integers(1, 40))):
            data[i] = int(rng.integers(0, 256))
        return bytes(data)
    if kind == 2:  # the header scrambled
        for i in range(min(32, len(data))):
            if rng.random() < 0.3:
                data[i] = int(rng.integers(0, 256))
        return bytes(data)
    if kind == 3:  # a run zeroed
        start, n = int(rng.integers(0, len(data))), int(rng.integers(1, 200))
        data[start : start + n] = bytes(len(data[start : start + n]))
        return bytes(data)
    # a valid header followed by noise
    return bytes(data[:24]) + rng.integers(0, 256, int(rng.integers(0, 4000)), np.uint8).tobytes()


def write_malformed_images(folder: Path) -> list[Path]:
    """N_MALFORMED image files of every common format, each broken in one of five ways (seeded)."""
    rng = np.random.default_rng(20261124)
    paths = []
    for i in range(N_MALFORMED):
        fmt, mode = FORMATS[i % len(FORMATS)]
        path = folder / f"fuzz-{i:02d}.{fmt}"
        path.write_bytes(_mutate(_encoded(fmt, mode, rng), i % 5, rng))
        paths.append(path)
    return paths


def visible_rect(widget: QWidget, root: QWidget) -> QRect:
    """The part of `widget` that can be seen inside `root` (clipped by every ancestor), in root's coordinates."""
    rect = QRect(widget.mapTo(root, QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        rect = rect.intersected(QRect(parent.mapTo(root, QPoint(0, 0)), parent.size()))
        parent = parent.parentWidget()
    return rect.intersected(root.rect())


def overlapping_widgets(root: QWidget, tolerance: int = 1) -> list[tuple[str, str]]:
    """Pairs of visible leaf widgets of `root` that draw over each other (by more than `tolerance` px)."""
    leaves = []
    for w in root.findChildren(QWidget):
        if not w.isVisibleTo(root) or w.isWindow():
            continue
        children = [c for c in w.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
                    if c.isVisibleTo(root) and not c.isWindow()]
        rect = visible_rect(w, root)
        if not children and rect.width() > 0 and rect.height() > 0:
            leaves.append((w, rect))
    def name(w):
        text = w.text() if hasattr(w, "text") and isinstance(w.text(), str) else ""
        return f"{type(w).__name__}({text[:30]!r})" if text else type(w).__name__
    pairs = []
    for i, (a, ra) in enumerate(leaves):
        for b, rb in leaves[i + 1:]:
            overlap = ra.intersected(rb)
            if overlap.width() > tolerance and overlap.height() > tolerance:
                pairs.append((name(a), name(b)))
    return pairs


def cut_texts(root: QWidget) -> list[str]:
    """Visible buttons, check boxes, drop-down lists, tab bars and one-line labels of `root` too narrow for
    their text: narrower than their size hint (a tab bar: than its shown tabs), or, for a tile (text under
    its icon, made to share any width), than the text itself."""
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QTabBar, QToolButton

    from vae_explorer.gui.labels import ElidedLabel

    cut = []
    for w in root.findChildren(QWidget):
        if isinstance(w, QTabBar) and w.isVisibleTo(root) and not w.isWindow():
            shown = [i for i in range(w.count()) if w.isTabVisible(i)]
            needed = sum(w.tabSizeHint(i).width() for i in shown)
            if w.width() < needed:  # its tabs elided or behind scroll arrows
                cut.append(f"QTabBar({[w.tabText(i) for i in shown]}) {w.width()} < {needed} px")
            continue
        if isinstance(w, QComboBox) and w.isVisibleTo(root) and not w.isWindow():
            if w.width() < w.sizeHint().width():
                cut.append(f"QComboBox({w.currentText()[:30]!r}) {w.width()} < {w.sizeHint().width()} px")
            continue
        if not w.isVisibleTo(root) or w.isWindow() or not isinstance(w, (QAbstractButton, QLabel)) or not w.text():
            continue
        if isinstance(w, QLabel) and w.wordWrap():
            continue
        if isinstance(w, ElidedLabel) and w.toolTip() == w.text():
            continue  # made to end in "…" where its room ends, whole in its tooltip
        tile = isinstance(w, QToolButton) and w.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextUnderIcon
        needed = w.fontMetrics().horizontalAdvance(w.text()) if tile else w.sizeHint().width()
        if w.width() < needed:
            cut.append(f"{type(w).__name__}({w.text()[:30]!r}) {w.width()} < {needed} px")
    return cut
