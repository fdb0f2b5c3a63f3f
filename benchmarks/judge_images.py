"""Class-swap success of images made elsewhere, by the three judges of `conditional.py`.

    .venv/bin/python benchmarks/judge_images.py FILE.npz...

Each file holds uint8 arrays of 28x28 images: `samples` (10, n, 28, 28), images asked for as class k in
row k, and `transfers` (10, N, 28, 28), the first N test images' style codes decoded as class k in row k
(as `benchmarks/gpu_capacity_probe.py` writes them). Prints, per file, the share of judges that read each
image as the class asked for, averaged over images and then over classes, as `conditional.py` does:
samples, transfers (k other than the image's own class, averaged over source classes) and reconstructions
(k the image's own class), with the samples' per-class figures.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402

import conditional  # noqa: E402  (this folder's benchmark)


def swap_success(cnns, samples: np.ndarray, transfers: np.ndarray, labels: np.ndarray) -> dict:
    """The judges' verdicts on float images in [0, 1]: samples (10, n, 28, 28), transfers (10, N, 28, 28)."""
    per_class = [float(conditional.judged(cnns, samples[k], k).mean()) for k in range(10)]
    moved, rebuilt = [], []
    for k in range(10):
        hits = conditional.judged(cnns, transfers[k], k).mean(axis=0)
        moved.append(np.mean([hits[labels == source].mean() for source in range(10)
                              if source != k and np.any(labels == source)]))
        rebuilt.append(hits[labels == k].mean())
    return {"samples": float(np.mean(per_class)), "transfers": float(np.mean(moved)),
            "reconstructions": float(np.mean(rebuilt)), "samples_per_class": per_class}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args()
    from vae_explorer.ml.data import load_fashion_mnist

    data = load_fashion_mnist(allow_download=False)
    cnns = conditional.judges(data)
    for path in args.files:
        images = np.load(path)
        samples, transfers = images["samples"] / 255.0, images["transfers"] / 255.0
        result = swap_success(cnns, samples, transfers, data.test_labels[:transfers.shape[1]])
        print(f"{path.stem:20s} samples {100 * result['samples']:5.1f} %  transfers {100 * result['transfers']:5.1f} %"
              f"  reconstructions {100 * result['reconstructions']:5.1f} %  samples per class "
              + json.dumps([round(100 * v) for v in result["samples_per_class"]]), flush=True)


if __name__ == "__main__":
    main()
