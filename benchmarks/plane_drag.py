"""Dragging on the latent plane: decodes per second and pointer-to-image lag, in the real window.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/plane_drag.py [--seconds 10] [--rate 120]

Mouse-move events with the left button held are sent to the plane at `--rate` per second along a
circle, for `--seconds`, with the shipped model. Reported: how many points were decoded and shown
per second, and the lag from each shown point's mouse event to its image on screen (p50, p99).
Reference in the same run: the raw `decode_point` rate on the GUI thread with nothing else going on
(the ceiling). Target: >= 60 decodes per second.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import sys
import time

import numpy as np


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=120.0, help="mouse events per second")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from vae_explorer.gui.app import configure_threads

    configure_threads()
    from PySide6.QtCore import QEvent, QPoint, QPointF, QSettings, Qt, QTimer
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    app.setOrganizationName("VAE Explorer Benchmarks")
    app.setApplicationName("plane-drag")
    QSettings().clear()
    from vae_explorer.gui.main_window import MainWindow

    window = MainWindow()
    window.resize(1360, 900)
    window.show()
    ex = window.explorer
    plot, point, plane = ex.plane.plot, ex.point, ex.latent_plane
    sent: dict[bytes, float] = {}  # the latent point's bytes -> when its mouse event was sent
    shown: list[tuple[float, float]] = []  # (sent, shown)

    def on_decoded() -> None:
        key = np.asarray(point.decoded_z, np.float32).tobytes()
        if key in sent:
            shown.append((sent.pop(key), time.perf_counter()))

    def mouse(kind, pos: QPoint, buttons) -> None:
        button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
        vp = plot.viewport()
        QApplication.sendEvent(vp, QMouseEvent(kind, QPointF(pos), QPointF(vp.mapToGlobal(pos)), button, buttons,
                                               Qt.KeyboardModifier.NoModifier))

    state = {"k": 0, "t0": 0.0}

    def position(k: int) -> QPoint:
        vp = plot.viewport()
        angle = 2 * math.pi * k / 240
        return QPoint(int(vp.width() * (0.5 + 0.3 * math.cos(angle))), int(vp.height() * (0.5 + 0.3 * math.sin(angle))))

    def move() -> None:
        k = state["k"] = state["k"] + 1
        pos = position(k)
        p = ex.plane.view_box.mapSceneToView(plot.mapToScene(pos))
        sent[plane.plane_to_z(p.x(), p.y()).tobytes()] = time.perf_counter()
        mouse(QEvent.Type.MouseMove, pos, Qt.MouseButton.LeftButton)
        if time.perf_counter() - state["t0"] >= args.seconds:
            timer.stop()
            mouse(QEvent.Type.MouseButtonRelease, pos, Qt.MouseButton.NoButton)
            QTimer.singleShot(500, app.quit)

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(max(1, round(1000 / args.rate)))
    timer.timeout.connect(move)

    def start(vae) -> None:
        window.tabs.setCurrentWidget(ex)
        point.point_decoded.connect(on_decoded)
        QTimer.singleShot(1500, begin)

    def begin() -> None:
        state["t0"] = time.perf_counter()
        state["decodes0"] = point.decodes
        mouse(QEvent.Type.MouseButtonPress, position(0), Qt.MouseButton.LeftButton)
        timer.start()

    window.model_changed.connect(start)
    app.exec()
    elapsed = args.seconds
    lags = np.array([(b - a) * 1000 for a, b in shown])
    vae = window.vae
    z = np.zeros(2, np.float32)
    t = time.perf_counter()
    n = 0
    while time.perf_counter() - t < 3.0:
        z[0] = n * 1e-4
        vae.decode_point(z)
        n += 1
    raw_rate = n / (time.perf_counter() - t)
    rate = (point.decodes - state["decodes0"]) / elapsed
    print(f"machine: {platform.node()}, {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d')}; shipped model; "
          f"{state['k']} mouse moves in {elapsed:.0f} s ({state['k'] / elapsed:.0f}/s)")
    print(f"  decoded and shown while dragging: {rate:.0f} points/s (target >= 60)")
    if len(lags):
        print(f"  lag mouse event -> image shown: p50 {np.median(lags):.1f} ms, p99 {np.percentile(lags, 99):.1f} ms "
              f"({len(lags)} points traced)")
    print(f"  reference, decode_point alone on one thread: {raw_rate:.0f} points/s; "
          f"drag rate = {rate / raw_rate:.2f}x of it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
