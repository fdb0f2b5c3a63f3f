"""A trained model, ready to use: compiled encode / decode / sample / reconstruct / elbo.

Each path is a `tf.function` with a fixed input signature, traced once when the model is loaded, so
calls never retrace and never go through `model.predict` (which is meant for large inputs). A single
latent point goes through its own XLA-compiled function: it is latency-bound, and XLA removes most of
the per-op dispatch cost there, while for batches the plain graph with oneDNN kernels is faster.
"""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from vae_explorer.config import CLASS_NAMES, DEFAULT_MODEL_PATH, IMAGE_SIZE
from vae_explorer.ml.images import as_float_images
from vae_explorer.ml.model import CVAE, bce_per_image, kl_per_image, to_float_images
from vae_explorer.ml.storage import load_cvae
from vae_explorer.model_card import ModelCard

_BATCH = 1000  # images per compiled call when a large array is passed


def one_point_logits(decoder: keras.Model):
    """The decoder's logits for one latent point, its last layer computed as shifted planes.

    That layer (3x3, stride 1, C -> 1 channel) is a few percent of the decoder's FLOPs, but XLA's CPU
    convolution with one output channel makes it a large share of a one-point decode (docs/performance.md).
    The same sums as one small matrix product to its taps plus one shifted add per tap (a stride-1
    transposed convolution is a convolution with the kernel flipped); logits agree to ~4e-6. Any
    other last layer is called as it is.
    """
    last = decoder.layers[-1]
    kh, kw = getattr(last, "kernel_size", (0, 0))
    if not (
        isinstance(last, keras.layers.Conv2DTranspose) and last.filters == 1 and tuple(last.strides) == (1, 1)
        and last.padding == "same" and tuple(last.dilation_rate) == (1, 1) and last.data_format == "channels_last"
        and kh % 2 == 1 and kw % 2 == 1 and last.get_config()["activation"] == "linear"
    ):
        return lambda z: decoder(z, training=False)
    trunk = keras.Model(decoder.input, last.input)

    def logits(z):
        features = trunk(z, training=False)[0]  # (height, width, channels)
        height, width = features.shape[0], features.shape[1]
        taps = tf.reshape(tf.reverse(last.kernel, [0, 1])[:, :, 0, :], [kh * kw, -1])
        planes = tf.pad(tf.einsum("hwc,tc->thw", features, taps), [[0, 0], [kh // 2] * 2, [kw // 2] * 2])
        out = tf.add_n([planes[kw * i + j, i : i + height, j : j + width] for i in range(kh) for j in range(kw)])
        if last.use_bias:
            out = out + last.bias
        return tf.reshape(out, [1, height, width, 1])

    return logits


class VAE:
    """The Python API's model object (what `vae_explorer.load_model()` returns)."""

    def __init__(self, model: CVAE, card: ModelCard | None = None, path: Path | None = None) -> None:
        self.model = model
        self.card = card
        self.path = Path(path) if path else None
        self.latent_dim = model.latent_dim
        self.class_names = CLASS_NAMES
        d = self.latent_dim
        images_spec = tf.TensorSpec([None, IMAGE_SIZE, IMAGE_SIZE], tf.float32)
        z_spec = tf.TensorSpec([None, d], tf.float32)

        @tf.function(input_signature=[images_spec])
        def encode(images):
            return model.encoder(to_float_images(images), training=False)

        @tf.function(input_signature=[z_spec])
        def decode(z):
            return tf.reshape(tf.sigmoid(model.decoder(z, training=False)), [-1, IMAGE_SIZE, IMAGE_SIZE])

        decoder_one = one_point_logits(model.decoder)

        @tf.function(input_signature=[tf.TensorSpec([1, d], tf.float32)], jit_compile=True)
        def decode_one(z):
            return tf.reshape(tf.sigmoid(decoder_one(z)), [IMAGE_SIZE, IMAGE_SIZE])

        @tf.function(
            input_signature=[
                tf.TensorSpec([], tf.int32),
                tf.TensorSpec([], tf.int32),
                tf.TensorSpec([], tf.float32),
            ]
        )
        def sample_z(n, seed, temperature):
            return temperature * tf.random.stateless_normal(tf.stack([n, d]), seed=tf.stack([seed, 0]))

        @tf.function(input_signature=[images_spec, tf.TensorSpec([], tf.int32)])
        def elbo(images, seed):
            x = to_float_images(images)
            mean, logvar = model.encoder(x, training=False)
            # One noise draw shared by every image: an image's score depends on its pixels and the seed,
            # never on where it sits in the batch (the same picture pasted or opened scores the same).
            eps = tf.random.stateless_normal(tf.shape(mean)[1:], seed=tf.stack([seed, 1]))
            logits = model.decoder(mean + tf.exp(0.5 * logvar) * eps, training=False)
            ce, kl = bce_per_image(x, logits), kl_per_image(mean, logvar)
            return ce + model.beta * kl, ce, kl, mean, logvar  # the encoding too: `analyse` needs it

        self._encode, self._decode, self._decode_one = encode, decode, decode_one
        self._sample_z, self._elbo = sample_z, elbo
        self.warm_up()

    def tracing_counts(self) -> dict[str, int]:
        """How often each compiled path has been traced: once each, whatever it is called with."""
        paths = {"encode": self._encode, "decode": self._decode, "decode_point": self._decode_one,
                 "sample": self._sample_z, "elbo": self._elbo}
        return {name: fn.experimental_get_tracing_count() for name, fn in paths.items()}

    @property
    def name(self) -> str:
        return self.path.stem if self.path else "untitled model"

    def warm_up(self) -> None:
        """Trace every compiled path once, so the first user action is as fast as the next."""
        self.decode_point(np.zeros(self.latent_dim, np.float32))
        self.decode(np.zeros((2, self.latent_dim), np.float32))
        self.encode(np.zeros((1, IMAGE_SIZE, IMAGE_SIZE), np.float32))
        self.elbo(np.zeros((1, IMAGE_SIZE, IMAGE_SIZE), np.float32))
        self._sample_z(tf.constant(1), tf.constant(0), tf.constant(1.0))

    # --- the API -------------------------------------------------------------------------------
    def encode(self, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Latent mean and log variance of each image."""
        x = as_float_images(images)
        parts = [self._encode(x[i : i + _BATCH]) for i in range(0, len(x), _BATCH)]
        if not parts:
            empty = np.zeros((0, self.latent_dim), np.float32)
            return empty, empty
        return (
            np.concatenate([p[0].numpy() for p in parts]),
            np.concatenate([p[1].numpy() for p in parts]),
        )

    def decode(self, z: np.ndarray) -> np.ndarray:
        """Images in [0, 1], shape (N, 28, 28), for latent points of shape (N, latent_dim)."""
        z = np.asarray(z, np.float32).reshape(-1, self.latent_dim)
        return np.concatenate(
            [self._decode(z[i : i + _BATCH]).numpy() for i in range(0, len(z), _BATCH)]
            or [np.zeros((0, IMAGE_SIZE, IMAGE_SIZE), np.float32)]
        )

    def decode_point(self, z: np.ndarray) -> np.ndarray:
        """One latent point -> one 28x28 image, on the latency-optimised path."""
        return self._decode_one(np.asarray(z, np.float32).reshape(1, self.latent_dim)).numpy()

    def sample_latents(self, n: int, seed: int = 0, temperature: float = 1.0) -> np.ndarray:
        """n points from the prior N(0, temperature^2 I); the same seed always gives the same points."""
        return self._sample_z(tf.constant(int(n)), tf.constant(int(seed)), tf.constant(float(temperature))).numpy()

    def sample(self, n: int, seed: int = 0, temperature: float = 1.0) -> np.ndarray:
        return self.decode(self.sample_latents(n, seed, temperature))

    def reconstruct(self, images: np.ndarray) -> np.ndarray:
        """Decode each image's latent mean: the model's best reconstruction of it."""
        mean, _ = self.encode(images)
        return self.decode(mean)

    def elbo(self, images: np.ndarray, seed: int = 0) -> dict[str, np.ndarray]:
        """Per-image `total_loss`, `ce_loss`, `kl_loss` in nats: one sampled z = mean + sigma * eps per image,
        with the same eps (fixed by `seed`) for every image, so an image always gets the same score."""
        scores = self._scores(images, seed)
        return {name: scores[name] for name in ("total_loss", "ce_loss", "kl_loss")}

    def _scores(self, images: np.ndarray, seed: int) -> dict[str, np.ndarray]:
        """The compiled ELBO pass over any number of images: losses, latent mean and log variance."""
        x = as_float_images(images)
        parts = [self._elbo(x[i : i + _BATCH], tf.constant(seed)) for i in range(0, len(x), _BATCH)]
        names = ("total_loss", "ce_loss", "kl_loss", "mean", "logvar")
        if not parts:
            empty = {n: np.zeros(0, np.float32) for n in names[:3]}
            return {**empty, "mean": np.zeros((0, self.latent_dim), np.float32),
                    "logvar": np.zeros((0, self.latent_dim), np.float32)}
        return {n: np.concatenate([p[k].numpy() for p in parts]) for k, n in enumerate(names)}

    def evaluate(self, images: np.ndarray, seed: int = 0) -> dict[str, float]:
        """Mean `total_loss`, `ce_loss`, `kl_loss` over a set of images."""
        return {k: float(np.mean(v)) for k, v in self.elbo(images, seed).items()}

    def analyse(self, images: np.ndarray, seed: int = 0) -> dict[str, np.ndarray | None]:
        """Everything the explorer and `reconstruct` show for a batch of inputs, in one pass:
        latent mean and log variance, reconstruction (decoded mean), per-image losses and the
        anomaly percentile against the test set (None when the card has no test losses)."""
        scores = self._scores(images, seed)  # encodes once: the losses and the latent code together
        has_reference = self.card is not None and bool(self.card.test_total_losses)
        return {
            **scores,
            "reconstruction": self.decode(scores["mean"]),
            "anomaly_percentile": self.anomaly_percentile(scores["total_loss"]) if has_reference else None,
        }

    # --- what the card brings ---------------------------------------------------------------------
    def test_latents(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The encoded test set (means, labels) recorded in the card, or None."""
        return self.card.encoded_test_set() if self.card is not None else None

    def anomaly_percentile(self, total_loss: np.ndarray | float) -> np.ndarray:
        """Percentage of test images with a lower total loss: 50 is typical, 99+ is anomalous."""
        reference = self.card.test_total_losses if self.card is not None else None
        if not reference:
            raise ValueError("this model's card has no test-set losses; re-create the card with the dataset")
        ref = np.asarray(reference, np.float64)
        return 100.0 * np.searchsorted(ref, np.asarray(total_loss, np.float64), side="right") / len(ref)


def load_vae(path: Path | str | None = None) -> VAE:
    """Load a model file (default: the shipped model) with its card, safely, and compile its paths."""
    path = Path(path) if path is not None else DEFAULT_MODEL_PATH
    model, card = load_cvae(path)
    return VAE(model, card, path)
