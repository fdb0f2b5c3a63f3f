"""How long the Style transfer view's first refined verdict takes in the app, with and without the warm-up.

    .venv/bin/python benchmarks/first_verdict.py [--idle 0 20] [--repeats 3]

Each run is a fresh app (offscreen, the GUI's TensorFlow thread settings) that opens the shipped
conditional model, waits `--idle` seconds (a person looking at the plane), opens the sample images and
selects the first: the time from the selection to the one-pass verdict and to the refined one, then to the
second image's refined verdict. The reference, in the same run, is the app with the panel's warm-up
turned off (each class's coarse grid made by the first verdict itself). Prints medians over `--repeats`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time


def one_run(idle: float, warm_up: bool) -> dict:
    from vae_explorer.gui.app import configure_threads

    configure_threads()
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    app.setOrganizationName("VAE Explorer benchmark")
    app.setApplicationName("first-verdict")
    QSettings().clear()
    from vae_explorer.config import MODELS_DIR
    from vae_explorer.gui.explore.transfer import TransferPanel
    from vae_explorer.gui.main_window import MainWindow

    if not warm_up:
        TransferPanel._warm_up = lambda self: None

    def wait(condition, timeout: float = 300.0) -> float:
        start = time.monotonic()
        while not condition() and time.monotonic() - start < timeout:
            app.processEvents()
            time.sleep(0.002)
        return time.monotonic() - start

    window = MainWindow(load_default_model=False)
    window.resize(1280, 800)
    window.show()
    window.open_model(MODELS_DIR / "cvae-fashion-conditional-latent2.keras")
    wait(lambda: window.vae is not None)
    wait(lambda: False, idle)
    ex = window.explorer
    ex.tabs.setCurrentWidget(ex.transfer)
    ex.reconstruct.open_sample_images()
    wait(lambda: len(ex.reconstruct.results) >= 2)
    ex.reconstruct.table.selectRow(0)
    start = time.monotonic()
    one_pass = wait(lambda: ex.transfer.transferred is not None)
    refined = one_pass + wait(lambda: ex.transfer.refined)
    ex.reconstruct.table.selectRow(1)
    second = wait(lambda: ex.transfer.refined and ex.transfer.result is ex.reconstruct.results[1])
    assert time.monotonic() - start < 600, "every verdict came"
    window.close_without_asking()
    return {"one_pass_s": one_pass, "refined_s": refined, "second_refined_s": second}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--idle", type=float, nargs="+", default=[0.0, 20.0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--one", nargs=2, metavar=("IDLE", "WARM_UP"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_run(float(args.one[0]), args.one[1] == "1")))
        return
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TF_CPP_MIN_LOG_LEVEL": "2"}
    print(f"{'idle s':>6} {'warm-up':>8} {'one-pass s':>11} {'refined s':>10} {'2nd refined s':>14}  (medians of {args.repeats})")
    for idle in args.idle:
        runs = {True: [], False: []}
        for _ in range(args.repeats):  # the two alternate, so the machine's load falls on both alike
            for warm_up in (False, True):
                out = subprocess.run([sys.executable, __file__, "--one", str(idle), "1" if warm_up else "0"], env=env,
                                     capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
                runs[warm_up].append(json.loads(out))
        for warm_up in (False, True):
            m = {k: statistics.median(r[k] for r in runs[warm_up]) for k in runs[warm_up][0]}
            print(f"{idle:6.0f} {'on' if warm_up else 'off':>8} {m['one_pass_s']:11.2f} {m['refined_s']:10.2f} "
                  f"{m['second_refined_s']:14.2f}")
        off, on = (statistics.median(r["refined_s"] for r in runs[w]) for w in (False, True))
        print(f"       first refined verdict, warm-up on / off: {on / off:.2f}")


if __name__ == "__main__":
    main()
