"""The three numbers of a model (-ELBO, the importance-weighted bound, the exact -log p(x) of a 2-D
model) on test images, and how well each scores anomalies on an out-of-distribution set.

    .venv/bin/python benchmarks/likelihood.py --model models/cvae-fashion-latent2.keras --images 1000 \
        --ood --record-in-card
    .venv/bin/python benchmarks/likelihood.py --model models/cvae-fashion-conditional-latent2.keras \
        --images 10000 --exact-only

--exact-only (2-D models) skips the refined and importance-weighted bounds, which take most of the time, and
gives -ELBO and the exact -log p(x) (a conditional model's -log p(x|y), per true class): what
the best encoder could reach with this decoder.

The out-of-distribution set is made here, through the app's own preprocessing (`preprocess_image`,
what a dropped file goes through): rendered glyphs (letters and digits in Pillow's bundled font and
any DejaVu fonts, at several sizes and angles) and geometric shapes (discs, rings, bars, crosses,
triangles, checkerboards). Each score's AUROC is the probability that a random out-of-distribution
image scores higher than a random held-out test image (1 = perfect, 0.5 = chance).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

GLYPHS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789&?@#%"
FONT_FOLDER = Path("/usr/share/fonts/truetype/dejavu")


def fonts(size: int) -> list:
    found = [ImageFont.load_default(size=size)]  # Pillow's own font: no system fonts needed
    for name in ("DejaVuSans-Bold.ttf", "DejaVuSerif.ttf"):
        if (FONT_FOLDER / name).exists():
            found.append(ImageFont.truetype(str(FONT_FOLDER / name), size))
    return found


def rendered_glyphs(rng: np.random.Generator, count: int) -> list[Image.Image]:
    images = []
    while len(images) < count:
        size = int(rng.integers(40, 90))
        font = fonts(size)[int(rng.integers(0, len(fonts(size))))]
        canvas = Image.new("L", (112, 112), 0)
        ImageDraw.Draw(canvas).text((56, 56), GLYPHS[int(rng.integers(0, len(GLYPHS)))], fill=255, font=font, anchor="mm")
        images.append(canvas.rotate(float(rng.uniform(-30, 30))))
    return images


def shapes(rng: np.random.Generator, count: int) -> list[Image.Image]:
    images = []
    for k in range(count):
        canvas = Image.new("L", (112, 112), 0)
        draw = ImageDraw.Draw(canvas)
        kind = k % 6
        a, b = int(rng.integers(15, 45)), int(rng.integers(60, 100))
        if kind == 0:
            draw.ellipse((a, a, b, b), fill=int(rng.integers(120, 256)))
        elif kind == 1:
            draw.ellipse((a, a, b, b), outline=255, width=int(rng.integers(4, 12)))
        elif kind == 2:
            draw.rectangle((a, 10, a + int(rng.integers(8, 30)), 102), fill=255)
        elif kind == 3:
            draw.line((10, 10, 102, 102), fill=255, width=10)
            draw.line((10, 102, 102, 10), fill=255, width=10)
        elif kind == 4:
            draw.polygon([(56, a), (a, b), (b, b)], fill=int(rng.integers(120, 256)))
        else:
            cell = int(rng.integers(8, 28))
            for i in range(0, 112, cell):
                for j in range(0, 112, cell):
                    if (i // cell + j // cell) % 2:
                        draw.rectangle((i, j, i + cell - 1, j + cell - 1), fill=255)
        images.append(canvas.rotate(float(rng.uniform(0, 90))))
    return images


def out_of_distribution(count: int, seed: int = 0) -> np.ndarray:
    from vae_explorer.ml.images import preprocess_image

    rng = np.random.default_rng(seed)
    pictures = rendered_glyphs(rng, count * 2 // 3) + shapes(rng, count - count * 2 // 3)
    return np.stack([preprocess_image(p.convert("RGB")) for p in pictures])


def auroc(inliers: np.ndarray, outliers: np.ndarray) -> float:
    """P(score of an outlier > score of an inlier), ties counting half (the Mann-Whitney statistic)."""
    scores = np.concatenate([inliers, outliers])
    ranks = np.empty(len(scores))
    order = np.argsort(scores, kind="mergesort")
    ranks[order] = np.arange(1, len(scores) + 1)
    for value in np.unique(scores):  # average ranks of ties
        tied = scores == value
        if tied.sum() > 1:
            ranks[tied] = ranks[tied].mean()
    n_in, n_out = len(inliers), len(outliers)
    return float((ranks[n_in:].sum() - n_out * (n_out + 1) / 2) / (n_in * n_out))


def anomaly_scores(vae, images: np.ndarray, importance_samples: int) -> dict[str, np.ndarray]:
    """Each way of scoring how unlikely an image is (higher: more anomalous), as the app could."""
    scores = {"negative_elbo": vae.elbo(images)["total_loss"] if not vae.conditional else vae.label_free_loss(images),
              f"negative_iwae_{importance_samples}": -vae.log_likelihood(images, importance_samples=importance_samples).log_px}
    if vae.latent_dim == 2:
        scores["exact_negative_log_likelihood"] = -vae.log_likelihood(images).log_px
    return scores


def exact_only(vae, images: np.ndarray, labels) -> dict:
    """-ELBO and the exact -log p(x) (given `labels` for a conditional model), overall and per class."""
    from vae_explorer.ml.likelihood import exact_figures, mean_and_error

    scores = vae.elbo(images, labels, own_draws=True)  # means over the images: a noise draw each
    negative_elbo = scores["ce_loss"] + scores["kl_loss"]
    exact = vae.log_likelihood(images, labels)
    report = {"n_images": int(len(images)), "negative_elbo": mean_and_error(negative_elbo), **exact_figures(negative_elbo, exact)}
    if labels is not None:
        report["per_class"] = {str(k): {"negative_elbo": round(float(negative_elbo[labels == k].mean()), 2),
                                        "negative_log_likelihood": round(float(-exact.log_px[labels == k].mean()), 2)}
                               for k in np.unique(labels)}
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="models/cvae-fashion-latent2.keras")
    parser.add_argument("--images", type=int, default=1000, help="first N test images for the three numbers")
    parser.add_argument("--importance-samples", type=int, default=1000)
    parser.add_argument("--ood", action="store_true", help="also the anomaly scores' AUROC on a made out-of-distribution set")
    parser.add_argument("--ood-images", type=int, default=600)
    parser.add_argument("--exact-only", action="store_true",
                        help="a 2-D model's -ELBO and exact -log p(x) only, per class (no refined or importance-weighted bound)")
    parser.add_argument("--json", default=None, help="write the figures here")
    parser.add_argument("--record-in-card", action="store_true", help="write the figures into the model's card (metrics.likelihood, or metrics.likelihood_exact)")
    args = parser.parse_args()
    import vae_explorer
    from vae_explorer.ml.data import load_fashion_mnist
    from vae_explorer.ml.likelihood import likelihood_report

    data = load_fashion_mnist(allow_download=False)
    vae = vae_explorer.load_model(args.model)
    started = time.perf_counter()
    images = data.test_images[: args.images]
    labels = data.test_labels[: args.images] if vae.conditional else None
    if args.exact_only and vae.latent_dim != 2:
        parser.error(f"--exact-only needs a model with a 2-D latent space; {Path(args.model).name} has {vae.latent_dim}")
    key = "exact" if args.exact_only else "three_numbers"
    figures = {key: exact_only(vae, images, labels) if args.exact_only
               else likelihood_report(vae, images, labels, args.importance_samples)}
    figures[key]["seconds"] = round(time.perf_counter() - started, 1)
    print(f"machine: {platform.node()} {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d')}; {Path(args.model).name}")
    print(json.dumps(figures[key], indent=1))
    if args.ood:
        held_out = data.test_images[-args.ood_images :]  # the other end of the test set from the numbers above
        outliers = out_of_distribution(args.ood_images)
        inlier_scores = anomaly_scores(vae, held_out, args.importance_samples)
        outlier_scores = anomaly_scores(vae, outliers, args.importance_samples)
        figures["ood_auroc"] = {name: round(auroc(inlier_scores[name], outlier_scores[name]), 4) for name in inlier_scores}
        figures["ood_auroc"]["set"] = (f"{args.ood_images} held-out test images against {args.ood_images} rendered glyphs "
                                       "and shapes through the app's preprocessing")
        print(json.dumps(figures["ood_auroc"], indent=1))
    print(f"({time.perf_counter() - started:.0f} s)")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1))
    if args.record_in_card:
        from vae_explorer.model_card import record_measurement

        record_measurement(args.model, "likelihood_exact" if args.exact_only else "likelihood", figures)


if __name__ == "__main__":
    main()
