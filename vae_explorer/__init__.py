"""VAE Explorer: train a convolutional VAE on Fashion-MNIST and explore what it learned.

`load_model()` gives the Python API; TensorFlow is imported only when it is called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vae_explorer.version import __version__

if TYPE_CHECKING:
    from pathlib import Path

    from vae_explorer.ml.inference import VAE


def load_model(path: "str | Path | None" = None) -> "VAE":
    """Load a trained model (default: the shipped one) with its card, ready for encode/decode/sample."""
    from vae_explorer.ml.inference import load_vae

    return load_vae(path)


__all__ = ["__version__", "load_model"]
