"""How long one image's class verdict takes on a conditional model, one-pass and refined, in one run.

    .venv/bin/python benchmarks/classify_latency.py [--model PATH] [--images 20]

The Style transfer view classifies one image at a time: first by the one-pass ELBO under every class,
then by each class's refined -ELBO (`classify(refine=True)`, one refinement over the ten (image, class)
pairs). Prints the first refined call after the model opens (it also decodes every class's coarse grid
and compiles the refinement), then p50 and p90 over `--images` test images of: the one-pass verdict,
the refined verdict, and, as the reference, the same refinements made as ten calls of one class each.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np


def seconds(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="models/cvae-fashion-conditional-latent2.keras")
    parser.add_argument("--images", type=int, default=20)
    args = parser.parse_args()
    import vae_explorer
    from vae_explorer.ml.data import load_fashion_mnist

    vae = vae_explorer.load_model(args.model)
    images = load_fashion_mnist(allow_download=False).test_images[: args.images + 1]
    vae.classify(images[:1])  # compile the one-pass path, so the cold figure is the refinement's own
    cold = seconds(lambda: vae.classify(images[:1], refine=True))

    def ten_calls(x):
        return [vae.refine(x, np.full(1, k, np.int32)) for k in range(10)]

    timings = {"one-pass": [], "refined": [], "refined as ten calls": []}
    for x in (images[i : i + 1] for i in range(1, len(images))):  # alternating, so drift hits all alike
        timings["one-pass"].append(seconds(lambda: vae.classify(x)))
        timings["refined"].append(seconds(lambda: vae.classify(x, refine=True)))
        timings["refined as ten calls"].append(seconds(lambda: ten_calls(x)))
    print(f"machine: {platform.node()} {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d')}; {args.model}")
    print(f"first refined verdict after opening the model: {cold:.2f} s")
    reference = np.median(timings["refined as ten calls"])
    for name, values in timings.items():
        p50, p90 = np.percentile(values, [50, 90])
        print(f"{name:>22}: p50 {1000 * p50:7.1f} ms, p90 {1000 * p90:7.1f} ms "
              f"({p50 / reference:.2f}x the ten calls; {len(values)} images)")


if __name__ == "__main__":
    main()
