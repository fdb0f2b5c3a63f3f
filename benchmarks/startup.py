"""App start-up: launch to window shown, and to the shipped model ready, against references in the same run.

    .venv/bin/python benchmarks/startup.py [--runs 5]

Each run is a fresh process started the way `vae-explorer` starts (same imports, same MainWindow),
timed from the moment it is spawned. References, alternated with the app run by run: a bare Qt
process that shows an empty QMainWindow (the floor for "window shown"), and a process that only
imports TensorFlow and Keras (most of what "model ready" waits for). Prints medians and ratios, and
how long the window's event loop stood still while TensorFlow loaded behind it (the longest gap
between ticks of a 10 ms QTimer until model ready, the first interval, which holds the window's first
paint, reported on its own).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

APP = """
import sys, time
from vae_explorer.gui.app import configure_threads
configure_threads()
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
app.setOrganizationName("VAE Explorer Benchmarks"); app.setApplicationName("startup")
from vae_explorer.gui.main_window import MainWindow
w = MainWindow()
ticks = []
ticker = QTimer(); ticker.timeout.connect(lambda: ticks.append(time.monotonic())); ticker.start(10)
def ready(vae):
    now = time.monotonic()
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    print("ready", now, flush=True)
    print("paint", gaps[0] if gaps else 0.0, flush=True)  # the first interval holds the window's first paint
    print("stall", max(gaps[1:], default=0.0), flush=True)
    app.quit()
w.model_changed.connect(ready)
w.show()
QTimer.singleShot(0, lambda: print("shown", time.monotonic(), flush=True))
QTimer.singleShot(60000, app.quit)
app.exec()
"""

BARE_QT = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.resize(1280, 800); w.show()
QTimer.singleShot(0, lambda: (print("shown", time.monotonic(), flush=True), app.quit()))
app.exec()
"""

IMPORT_TF = """
import time
import keras, tensorflow
print("ready", time.monotonic(), flush=True)
"""


def timed(code: str, env: dict) -> dict[str, float]:
    start = time.monotonic()
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    marks = {}
    for line in out.stdout.splitlines():
        name, _, value = line.partition(" ")
        if name in ("shown", "ready"):
            marks[name] = float(value) - start
        elif name in ("paint", "stall"):
            marks[name] = float(value)
    if not marks:
        raise SystemExit(f"no timing from the child:\n{out.stderr[-2000:]}")
    return marks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               "XDG_CONFIG_HOME": home, "TF_CPP_MIN_LOG_LEVEL": "2"}
        timed(APP, env)  # warm the file cache once; not counted
        results: dict[str, list[float]] = {"app shown": [], "app ready": [], "bare Qt shown": [], "import TF": []}
        stalls: list[float] = []
        paints: list[float] = []
        for _ in range(args.runs):
            app = timed(APP, env)
            results["app shown"].append(app["shown"])
            results["app ready"].append(app["ready"])
            stalls.append(app["stall"] * 1000)
            paints.append(app["paint"] * 1000)
            results["bare Qt shown"].append(timed(BARE_QT, env)["shown"])
            results["import TF"].append(timed(IMPORT_TF, env)["ready"])
    med = {k: statistics.median(v) for k, v in results.items()}
    print(f"machine: {platform.node()}, {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d')}; "
          f"{args.runs} runs each, alternated; medians (min-max)")
    for name, values in results.items():
        print(f"  {name:14s} {med[name]:6.2f} s  ({min(values):.2f}-{max(values):.2f})")
    print(f"  window shown: {med['app shown']:.2f} s = {med['app shown'] / med['bare Qt shown']:.2f}x a bare Qt window "
          f"(target <= 1.5 s)")
    print(f"  model ready:  {med['app ready']:.2f} s = {med['app ready'] / med['import TF']:.2f}x importing "
          f"TensorFlow + Keras alone (target <= 5 s)")
    print(f"  GUI stall while the model loads (longest gap of a 10 ms QTimer after its first interval): median "
          f"{statistics.median(stalls):.1f} ms ({min(stalls):.1f}-{max(stalls):.1f}); the first interval, "
          f"which holds the window's first paint: {statistics.median(paints):.1f} ms ({min(paints):.1f}-{max(paints):.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
