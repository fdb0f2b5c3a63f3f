"""How soon a conditional model's background warm-up ends once it is called off (another model opened, the
window closing), against the time one class's coarse grid takes to make.

    .venv/bin/python benchmarks/warm_up_call_off.py [--model PATH] [--offsets 1.0 1.7 2.4 ...]

The app's TensorFlow thread settings (`configure_tensorflow_threads`: one thread on 2 cores). For each
offset: the model's grids dropped, `VAE.prepare_refinement` started on a thread, called off `offset`
seconds later; the time from the call-off to its end. Prints each lag, their median, and the median time
of one class's grid (what a call-off asked only between classes waited for at most).
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time

from vae_explorer.gui.app import configure_tensorflow_threads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="a conditional .keras file (default: the shipped one)")
    parser.add_argument("--offsets", type=float, nargs="+", default=[1.0, 1.7, 2.4, 3.1, 3.8, 4.5, 5.2, 5.9, 6.6])
    args = parser.parse_args()
    configure_tensorflow_threads()
    import vae_explorer
    from vae_explorer.config import MODELS_DIR

    vae = vae_explorer.load_model(args.model or MODELS_DIR / "cvae-fashion-conditional-latent2.keras")
    vae.prepare_refinement()  # everything traced once, so each trial only decodes
    lags = []
    for offset in args.offsets:
        vae._likelihood = None  # no class grid made yet
        stop = threading.Event()
        warm_up = threading.Thread(target=vae.prepare_refinement, args=(stop.is_set,))
        warm_up.start()
        time.sleep(offset)
        start = time.perf_counter()
        stop.set()
        warm_up.join()
        lags.append(time.perf_counter() - start)
    grids, vae._likelihood = [], None
    for label in range(3):
        start = time.perf_counter()
        vae._likelihood_model().coarse_grid(label)
        grids.append(time.perf_counter() - start)
    print("call-off to end, s:", " ".join(f"{lag:.2f}" for lag in lags))
    print(f"median {statistics.median(lags):.2f} s; one class's grid: median {statistics.median(grids):.2f} s")


if __name__ == "__main__":
    main()
