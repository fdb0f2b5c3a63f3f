"""How much a test-set mean moves with the seed of its noise draws: a draw per image (`VAE.evaluate`, the
card's test figures) against one draw shared by every image (`VAE.elbo`, how one image is scored).

    .venv/bin/python benchmarks/noise_draws.py [--seeds 8] [MODEL ...]

For each model (default: the three shipped ones), on all 10,000 test images (a conditional model given
the true class): the test -ELBO (total_loss) for seeds 0 to N-1 each way, their range and standard
deviation, and the card's figure beside them.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

SHIPPED = ("models/cvae-fashion-latent2.keras", "models/cvae-fashion-latent8.keras",
           "models/cvae-fashion-conditional-latent2.keras")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", nargs="*", default=list(SHIPPED))
    parser.add_argument("--seeds", type=int, default=8)
    args = parser.parse_args()
    import vae_explorer
    from vae_explorer.ml.data import load_fashion_mnist

    data = load_fashion_mnist(allow_download=False)
    for path in args.models:
        vae = vae_explorer.load_model(path)
        labels = data.test_labels if vae.conditional else None
        started = time.perf_counter()
        own = np.array([vae.evaluate(data.test_images, labels, seed=s)["total_loss"] for s in range(args.seeds)])
        shared = np.array([vae.elbo(data.test_images, labels, seed=s)["total_loss"].mean() for s in range(args.seeds)])
        card = (vae.card.test_metrics or {}).get("total_loss") if vae.card else None
        print(f"{path} ({time.perf_counter() - started:.0f} s), test -ELBO over seeds 0-{args.seeds - 1}:")
        for name, values in (("a draw per image", own), ("one shared draw", shared)):
            print(f"  {name:<17} {values.min():.2f}-{values.max():.2f}  sd {values.std(ddof=1):.3f}  "
                  f"seed 0: {values[0]:.2f}")
        print(f"  the card          {card}")


if __name__ == "__main__":
    main()
