"""Semi-amortized inference (`VAE.refine`): how much of the ELBO's gap it closes, what it costs per image,
and whether it scores anomalies better.

    .venv/bin/python benchmarks/refine.py --model models/cvae-fashion-latent2.keras [--images 10000]
        [--steps 20] [--timing-images 50] [--ood-images 600] [--record-in-card]

- On the first --images test images: the encoder's -ELBO (mean of 8 one-draw estimates, as `evaluate`
  computes one) and the refined -ELBO, both with their standard errors.
- One image at a time, as a dropped image is refined (p50 over --timing-images images), beside the
  encoder's own ELBO pass on the same image in the same run (the reference).
- AUROC of the refined and the encoder's -ELBO as anomaly scores, on benchmarks/likelihood.py's
  out-of-distribution set against the last --ood-images test images (0: skip).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import likelihood  # noqa: E402  (this folder's benchmark: the out-of-distribution set and the AUROC)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="models/cvae-fashion-latent2.keras")
    parser.add_argument("--images", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=None, help="Adam steps (default: the API's)")
    parser.add_argument("--timing-images", type=int, default=50)
    parser.add_argument("--ood-images", type=int, default=600)
    parser.add_argument("--record-in-card", action="store_true", help="write the figures into the model's card (metrics.refinement)")
    args = parser.parse_args()
    import vae_explorer
    from vae_explorer.ml.data import load_fashion_mnist
    from vae_explorer.ml.likelihood import mean_and_error

    data = load_fashion_mnist(allow_download=False)
    vae = vae_explorer.load_model(args.model)
    print(f"machine: {platform.node()} {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d')}; {Path(args.model).name}")
    images = data.test_images[: args.images]
    labels = data.test_labels[: args.images] if vae.conditional else None
    started = time.perf_counter()
    encoder = np.mean([vae.elbo(images, labels, seed=s)["total_loss"] for s in range(8)], axis=0)
    refined = vae.refine(images, labels, steps=args.steps)
    took = time.perf_counter() - started
    report = {"images": len(images), "steps": refined.steps, "encoder_negative_elbo": mean_and_error(encoder),
              "refined_negative_elbo": mean_and_error(refined.negative_elbo),
              "gain_per_image": mean_and_error(encoder - refined.negative_elbo), "seconds": round(took, 1)}
    print(json.dumps(report), flush=True)

    one, reference = [], []
    for i in range(args.timing_images + 3):
        x, y = images[i : i + 1], None if labels is None else labels[i : i + 1]
        t0 = time.perf_counter()
        vae.elbo(x, y)
        t1 = time.perf_counter()
        vae.refine(x, y, steps=args.steps)
        t2 = time.perf_counter()
        if i >= 3:  # the first calls trace
            reference.append(t1 - t0)
            one.append(t2 - t1)
    report["one_image"] = {"refine_ms_p50": round(1000 * float(np.median(one)), 1),
                           "elbo_ms_p50": round(1000 * float(np.median(reference)), 2),
                           "ratio": round(float(np.median(one) / np.median(reference)), 1)}
    print(json.dumps(report["one_image"]), flush=True)

    if args.ood_images:
        held_out = data.test_images[-args.ood_images :]
        outliers = likelihood.out_of_distribution(args.ood_images)
        if vae.conditional:
            raise SystemExit("the anomaly comparison is for unconditional models")
        aurocs = {
            "negative_elbo": likelihood.auroc(vae.elbo(held_out)["total_loss"], vae.elbo(outliers)["total_loss"]),
            "refined_negative_elbo": likelihood.auroc(vae.refine(held_out, steps=args.steps).negative_elbo,
                                                      vae.refine(outliers, steps=args.steps).negative_elbo),
        }
        report["ood_auroc"] = {k: round(v, 4) for k, v in aurocs.items()}
        print(json.dumps({"ood_auroc": report["ood_auroc"]}), flush=True)
    if args.record_in_card:
        from vae_explorer.model_card import record_measurement

        record_measurement(args.model, "refinement", report)


if __name__ == "__main__":
    main()
