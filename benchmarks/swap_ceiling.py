"""What caps a conditional model's class-swap success: the garment it draws, or how smooth it draws it?

    .venv/bin/python benchmarks/swap_ceiling.py --model models/cvae-fashion-conditional-latent2.keras \
        [--test-images N] [--blur-trained 1.5]

- the judges of `conditional.py` on the real test images blurred by Gaussians of growing width, per class;
- how smooth the model's reconstructions and samples are (mean squared difference of neighbouring pixels),
  against the blurred real images: the width of blur the reconstructions match;
- with --blur-trained W: three judges of the same recipe trained on training images each blurred by a width
  drawn from 0, 0.25, ... W pixels (no VAE involved either), their accuracy on sharp and blurred test images,
  and their verdicts on the model's swaps and reconstructions as `conditional.py` measures them;
- with --sharpen K,...: the first judges on the model's reconstructions, samples and transfers drawn with
  steeper pixels (`sample --sharpen K`: sigmoid(K logit p) for each decoded pixel p; K = 1 as decoded): is
  the garment there, and only its edges too soft?
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402

import conditional  # noqa: E402  (this folder's benchmark)

WIDTHS = (0.0, 0.5, 0.75, 1.0, 1.25, 1.5)


def roughness(images: np.ndarray) -> float:
    """Mean squared difference between neighbouring pixels (both directions), images in [0, 1]."""
    return float(np.mean(np.diff(images, axis=1) ** 2) + np.mean(np.diff(images, axis=2) ** 2))


def per_class(hits: np.ndarray, labels: np.ndarray) -> list[float]:
    return [float(hits[:, labels == k].mean()) for k in range(10)]


def row(name: str, values: list[float]) -> str:
    return f"| {name} | {100 * np.mean(values):.1f} % | " + " | ".join(f"{100 * v:.0f}" for v in values) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True)
    parser.add_argument("--test-images", type=int, default=10_000)
    parser.add_argument("--blur-trained", type=float, default=0.0, metavar="W",
                        help="also judges trained on images blurred by up to W pixels")
    parser.add_argument("--sharpen", default="", metavar="K,...",
                        help="also the judges on decoded images with each pixel p drawn as sigmoid(K logit p)")
    args = parser.parse_args()
    import vae_explorer
    from vae_explorer.config import CLASS_NAMES
    from vae_explorer.ml.data import load_fashion_mnist
    from vae_explorer.ml.images import sharpen

    started = time.perf_counter()
    data = load_fashion_mnist(allow_download=False)
    vae = vae_explorer.load_model(args.model)
    x, y = data.test_images[:args.test_images] / 255.0, data.test_labels[:args.test_images].astype(np.int32)
    codes, _ = vae.encode(data.test_images[:args.test_images], y)
    rebuilt = vae.decode(codes, y)
    samples = np.concatenate([vae.sample(100, seed=k, labels=k) for k in range(10)])
    header = "| images | mean over classes | " + " | ".join(CLASS_NAMES) + " |\n|---|---|" + "---|" * 10
    blurred = {width: conditional.gaussian_blur(x, width) for width in WIDTHS}

    cnns = conditional.judges(data)
    print(f"model {Path(args.model).name}, {len(x)} test images; the judges of conditional.py (per class, %):")
    print(header)
    for width, images in blurred.items():
        print(row(f"real, blurred {width:g} px" if width else "real", per_class(conditional.judged(cnns, images, y), y)))
    print(row("the model's reconstructions", per_class(conditional.judged(cnns, rebuilt, y), y)))

    print("\nroughness (mean squared neighbour difference):")
    for width, images in blurred.items():
        print(f"  real, blurred {width:g} px: {roughness(images):.4f}")
    print(f"  the model's reconstructions: {roughness(rebuilt):.4f}; its samples (100 per class): {roughness(samples):.4f}")
    scale = [roughness(images) for images in blurred.values()]  # falls as the width grows
    match = float(np.interp(roughness(rebuilt), scale[::-1], WIDTHS[::-1]))
    print(f"  the reconstructions are as smooth as real images blurred by {match:.2f} px")

    if args.sharpen:
        print("\nthe same judges on steeper pixels, sigmoid(K logit p) (per class, %):")
        print(header)
        transfers = {k: vae.decode(codes[y != k], k) for k in range(10)}  # each test image's style as every other class
        sampled = np.repeat(np.arange(10), 100)  # the classes of `samples`
        for k in (float(v) for v in args.sharpen.split(",")):
            print(row(f"K = {k:g}: reconstructions", per_class(conditional.judged(cnns, sharpen(rebuilt, k), y), y)))
            print(row(f"K = {k:g}: `sample --class k`", per_class(conditional.judged(cnns, sharpen(samples, k), sampled), sampled)))
            print(row(f"K = {k:g}: `transfer --to k`", [float(conditional.judged(cnns, sharpen(transfers[t], k), t).mean())
                                                       for t in range(10)]))
            print(f"  roughness at K = {k:g}: reconstructions {roughness(sharpen(rebuilt, k)):.4f}, "
                  f"samples {roughness(sharpen(samples, k)):.4f}")

    if args.blur_trained:
        smooth = conditional.judges(data, blur_max=args.blur_trained)
        print(f"\njudges trained on images blurred by up to {args.blur_trained:g} px (per class, %):")
        print(header)
        for width, images in blurred.items():
            print(row(f"real, blurred {width:g} px" if width else "real", per_class(conditional.judged(smooth, images, y), y)))
        m = conditional.measure(vae, data, smooth, n_test=args.test_images, latency_repeats=0)
        print(row("the model's reconstructions", m["reconstruction_success_per_class"]))
        print(row("`sample --class k`", m["sample_success_per_class"]))
        print(row("`transfer --to k`", m["transfer_success_per_class"]))
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
