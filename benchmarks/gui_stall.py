"""GUI event-loop stall while a full-size run trains, against the idle loop measured in the same run.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/gui_stall.py [--seconds 60] [--subset N]

A 10 ms QTimer ticks in the main window while the Train area runs; every gap between ticks is
recorded. Reported separately: the idle reference (no training, same process), the start-up phase
(data loading, model building and tracing, before the first batch arrives), and steady training.
"""

from __future__ import annotations

import argparse
import collections
import faulthandler
import gc
import os
import platform
import sys
import tempfile
import threading
import time

import numpy as np


def print_gui_thread_stacks(trace) -> None:
    """From faulthandler's dumps: where the GUI thread was when a tick was late, most frequent first."""
    trace.seek(0)
    main_thread = f"0x{threading.main_thread().ident:016x}"
    places: collections.Counter = collections.Counter()
    for dump in trace.read().split("Timeout (")[1:]:
        for block in dump.split("\n\n"):
            lines = block.strip().splitlines()
            if not lines or main_thread not in lines[0]:
                continue  # another thread's stack
            frames = [line.strip() for line in lines[1:] if line.strip().startswith("File")]
            places[" <- ".join(f.split("/")[-1] for f in frames[:3])] += 1
    print(f"GUI thread when a tick was late ({sum(places.values())} dumps):")
    for place, n in places.most_common(12):
        print(f"  {n:4d}  {place}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0, help="steady-training time to measure")
    parser.add_argument("--subset", type=int, default=None, help="train on N images instead of all 60,000")
    parser.add_argument("--worst", type=int, default=0, help="also list the N longest gaps with the nearest events")
    parser.add_argument("--trace-over", type=float, default=0.0, metavar="MS",
                        help="print where the GUI thread was whenever a tick is MS ms late (faulthandler; a "
                             "diagnostic: it reads other threads' stacks unlocked and crashed 1 run in 3 here)")
    parser.add_argument("--switch-interval", type=float, default=None, metavar="MS",
                        help="the GIL switch interval in ms (default: the app's, 1 ms; Python's own is 5 ms)")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from vae_explorer.gui.app import GIL_SWITCH_INTERVAL_S, configure_threads

    switch_interval_s = GIL_SWITCH_INTERVAL_S if args.switch_interval is None else args.switch_interval / 1000
    configure_threads(switch_interval_s)  # exactly as the app does, unless --switch-interval says otherwise
    from PySide6.QtCore import QElapsedTimer, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    app.setOrganizationName("VAE Explorer Benchmarks")
    app.setApplicationName("gui-stall")
    QSettings().clear()
    import pyqtgraph as pg

    from vae_explorer.gui.main_window import MainWindow

    window = MainWindow(load_default_model=False)
    window.show()
    d = window.dashboard
    d.form.set_values(epochs=100)
    if args.subset:
        d.form.set_values(train_limit=args.subset)
    clock = QElapsedTimer()
    clock.start()
    ticks: list[tuple[float, str]] = []
    phase = {"name": "idle"}

    trace = tempfile.TemporaryFile("w+") if args.trace_over else None

    def tick() -> None:
        ticks.append((clock.nsecsElapsed() / 1e6, phase["name"]))
        if trace is not None and phase["name"] == "training":
            # Re-armed on every tick: if the next tick is late, every thread's stack goes to the file.
            faulthandler.dump_traceback_later(args.trace_over / 1000, file=trace)

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    state = {"t0": 0.0}

    # Events that explain the worst gaps (--worst), stamped where and when they happen: the worker's
    # signals on the training thread at emit time, garbage collections, slow paints of the plots.
    events: list[tuple[float, str]] = []
    gc_started = {"t": 0.0}

    def gc_watch(stage: str, info: dict) -> None:
        now = clock.nsecsElapsed() / 1e6
        if stage == "start":
            gc_started["t"] = now
        elif now - gc_started["t"] > 5:
            thread = threading.current_thread().name
            events.append((now, f"gc gen{info['generation']} {now - gc_started['t']:.0f} ms on {thread}"))

    def timed_paint(view, event, paint=pg.GraphicsView.paintEvent) -> None:
        t = clock.nsecsElapsed() / 1e6
        paint(view, event)
        took = clock.nsecsElapsed() / 1e6 - t
        if took > 8:
            events.append((t + took, f"paint {view.width()}x{view.height()} {took:.0f} ms"))

    axis_renders: list[tuple[str, float, float]] = []  # (phase, when, ms) of every axis re-render

    def timed_axis_paint(axis, painter, *rest, paint=pg.AxisItem.paint) -> None:
        t = clock.nsecsElapsed() / 1e6
        redrawn = axis.picture is None
        paint(axis, painter, *rest)
        took = clock.nsecsElapsed() / 1e6 - t
        if redrawn:
            axis_renders.append((phase["name"], t, took))
        if took > 4:
            events.append((t + took, f"{axis.orientation} axis {'re-rendered' if redrawn else 'replayed'} {took:.0f} ms"))

    if args.worst:
        gc.callbacks.append(gc_watch)
        pg.GraphicsView.paintEvent = timed_paint
        pg.AxisItem.paint = timed_axis_paint

    def start_training() -> None:
        phase["name"] = "start-up"
        d.start()
        w = d.worker
        w.epoch_done.connect(lambda m: events.append((clock.nsecsElapsed() / 1e6, f"epoch {m.epoch} done")))
        w.previews.connect(lambda p: events.append((clock.nsecsElapsed() / 1e6, "previews")))
        w.batches.connect(lambda b: events.append((clock.nsecsElapsed() / 1e6, f"{len(b)} batches")))
        # Training starts when the first batch is sent (this runs on the training thread, at emit time),
        # so the GUI's handling of that first block, its first paints, count as training.
        w.batches.connect(first_batch_sent)

    def first_batch_sent(_block) -> None:
        if phase["name"] == "start-up":
            state["t0"] = time.perf_counter()
            phase["name"] = "training"

    def watch() -> None:
        if phase["name"] == "training" and time.perf_counter() - state["t0"] >= args.seconds:
            phase["name"] = "done"
            window.close_without_asking()
            app.quit()
            return
        QTimer.singleShot(50, watch)

    QTimer.singleShot(5000, start_training)  # 5 s of idle reference first
    QTimer.singleShot(5000, watch)
    app.exec()
    times = np.array([t for t, _ in ticks])
    names = [n for _, n in ticks]
    gaps = np.diff(times)
    print(f"machine: {platform.node()}, {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d')}; "
          f"training set {args.subset or 60000} images, batch {d.form.values()['batch_size']}; "
          f"GIL switch interval {sys.getswitchinterval() * 1000:g} ms")
    for name in ("idle", "start-up", "training"):
        g = np.array([gap for gap, n in zip(gaps, names[1:]) if n == name])
        if len(g):
            print(f"{name:9s} gaps between 10 ms ticks: n={len(g):6d}  median {np.median(g):6.1f} ms  "
                  f"p99 {np.percentile(g, 99):6.1f} ms  max {g.max():7.1f} ms")
    batches = d.plots.batch_count
    measured = [i for i in np.argsort(gaps)[::-1] if names[i + 1] != "done"]  # not the closing itself
    for i in measured[: args.worst]:
        end = times[i + 1]
        near = [f"{name} at {t - end:+.0f} ms" for t, name in events if end - gaps[i] - 200 <= t <= end + 50]
        print(f"  gap {gaps[i]:6.1f} ms ending at {end / 1000:7.2f} s ({names[i + 1]}): {'; '.join(near[-6:])}")
    print(f"batches trained during the measurement: {batches}")
    renders = [took for name, _, took in axis_renders if name == "training"]
    if renders:
        seconds = (times[-1] - times[names.index("training")]) / 1000
        print(f"axis labels re-rendered while training: {len(renders)} times ({len(renders) / seconds:.1f}/s), "
              f"median {np.median(renders):.1f} ms, max {max(renders):.1f} ms")
    if trace is not None:
        faulthandler.cancel_dump_traceback_later()
        print_gui_thread_stacks(trace)
    return 0


if __name__ == "__main__":
    sys.exit(main())
