"""One-point and 16x16-grid decode latency of several models, measured in turns in one process so that
the machine's load falls on all of them alike (the first model is the reference of the ratios).

    .venv/bin/python benchmarks/decoder_sizes.py MODEL.keras [MODEL.keras ...] [--rounds 5] [--repeats 400]
"""

from __future__ import annotations

import argparse
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", nargs="+")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=400)
    args = parser.parse_args()
    import vae_explorer

    vaes = [vae_explorer.load_model(path) for path in args.models]
    rng = np.random.default_rng(0)
    points = rng.standard_normal((args.repeats, 2)).astype(np.float32)
    grid = rng.standard_normal((256, 2)).astype(np.float32)
    one = {path: [] for path in args.models}
    many = {path: [] for path in args.models}
    for _ in range(args.rounds):
        for path, vae in zip(args.models, vaes):
            for z in points[:20]:
                vae.decode_point(z)
            for z in points:
                t = time.perf_counter()
                vae.decode_point(z)
                one[path].append(time.perf_counter() - t)
            for _ in range(20):
                t = time.perf_counter()
                vae.decode(grid)
                many[path].append(time.perf_counter() - t)
    reference = args.models[0]
    for path in args.models:
        p50, grid50 = 1000 * float(np.median(one[path])), 1000 * float(np.median(many[path]))
        print(json.dumps({"model": path, "one_point_ms_p50": round(p50, 3), "grid_16x16_ms_p50": round(grid50, 2),
                          "one_point_ratio": round(p50 / (1000 * float(np.median(one[reference]))), 3),
                          "grid_ratio": round(grid50 / (1000 * float(np.median(many[reference]))), 3)}))


if __name__ == "__main__":
    main()
