"""VAE Explorer: train a convolutional VAE on Fashion-MNIST and explore what it learned.

`load_model()` gives the Python API; TensorFlow is imported only when it is called. Importing the
package also lets plain Keras load our `.keras` files (`keras.saving.load_model`), once Keras is imported.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import wrapt

from vae_explorer.version import __version__

if TYPE_CHECKING:
    from pathlib import Path

    from vae_explorer.ml.inference import VAE


def load_model(path: "str | Path | None" = None) -> "VAE":
    """Load a trained model (default: the shipped one) with its card, ready for encode/decode/sample."""
    from vae_explorer.ml.preload import import_tensorflow_quietly

    import_tensorflow_quietly()  # no TensorFlow start-up lines (VAE_EXPLORER_VERBOSE=1 shows them)
    from vae_explorer.ml.inference import load_vae

    return load_vae(path)


def _register_with_keras(_keras) -> None:
    """Keras finds a saved custom class only once it is registered; registering when Keras itself is
    imported keeps `import vae_explorer` free of TensorFlow (the window shows before it loads)."""
    try:
        import vae_explorer.ml.model  # noqa: F401  (its decorators register CVAE and its layers)
    except Exception as error:  # a broken install of ours must not break the user's `import keras`
        warnings.warn(f"VAE Explorer's model classes could not be registered with Keras: {error}", stacklevel=2)


wrapt.register_post_import_hook(_register_with_keras, "keras")

__all__ = ["__version__", "load_model"]
