"""A trained model, ready to use: compiled encode / decode / sample / reconstruct / elbo.

Each path is a `tf.function` with a fixed input signature, traced once when the model is loaded, so
calls never retrace and never go through `model.predict` (which is meant for large inputs). A single
latent point goes through its own XLA-compiled function: it is latency-bound, and XLA removes most of
the per-op dispatch cost there, while for batches the plain graph with oneDNN kernels is faster.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from vae_explorer.config import CLASS_NAMES, DEFAULT_MODEL_PATH, IMAGE_SIZE, NUM_CLASSES, check_sampling, check_seed
from vae_explorer.errors import Cancelled, LabelError
from vae_explorer.ml.images import as_float_images
from vae_explorer.ml.model import CVAE, bce_per_image, kl_per_image, to_float_images
from vae_explorer.ml.storage import load_cvae
from vae_explorer.model_card import ModelCard

_BATCH = 1000  # images per compiled call when a large array is passed


def class_indices(labels, n: int | None = None) -> np.ndarray:
    """Garment classes as int32 indices: an index 0-9 or a name (any case), one for all `n` or one each."""
    items = [labels] if isinstance(labels, (int, np.integer, str)) else list(np.asarray(labels, dtype=object).ravel())
    lowered = [name.lower() for name in CLASS_NAMES]
    out = []
    for item in items:
        if isinstance(item, str) and item.strip().isdigit():  # "8" on a command line
            item = int(item)
        if isinstance(item, str) and item.strip().lower() in lowered:
            out.append(lowered.index(item.strip().lower()))
        elif isinstance(item, (int, np.integer)) and not isinstance(item, bool) and 0 <= int(item) < NUM_CLASSES:
            out.append(int(item))
        else:
            raise LabelError("unknown garment class {item!r}: use 0-{last} or one of {names}", item=item,
                             last=NUM_CLASSES - 1, names=", ".join(CLASS_NAMES))
    indices = np.asarray(out, np.int32)
    if n is not None and len(indices) == 1:
        return np.full(n, indices[0], np.int32)
    if n is not None and len(indices) != n:
        raise LabelError("{labels} labels for {n} items", labels=len(indices), n=n)
    return indices


def label_free(losses: np.ndarray) -> np.ndarray:
    """-log sum_y p(y) exp(-loss_y) per row of per-class losses (N, 10), with a uniform p(y), computed stably."""
    low = losses.min(axis=1)
    return low - np.log(np.mean(np.exp(-(losses - low[:, None])), axis=1))


def negative_elbo(scores: dict[str, np.ndarray]) -> np.ndarray:
    """-ELBO (ce + KL) from a scoring pass: a bound on -log p(x) whatever beta the model trained with,
    where `total_loss` (ce + beta KL) is the training objective."""
    return scores["ce_loss"] + scores["kl_loss"]


def class_probabilities(losses: np.ndarray) -> np.ndarray:
    """p(y | x) proportional to p(y) exp(-loss_y), per row of per-class losses, with a uniform p(y)."""
    weights = np.exp(-(losses - losses.min(axis=1, keepdims=True)))
    return weights / weights.sum(axis=1, keepdims=True)


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
        self.conditional = model.conditional
        images_spec = tf.TensorSpec([None, IMAGE_SIZE, IMAGE_SIZE], tf.float32)
        z_spec = tf.TensorSpec([None, d], tf.float32)
        labels_spec = tf.TensorSpec([None], tf.int32)  # ignored by an unconditional model

        def with_label(x, labels):
            return model.with_label(x, tf.one_hot(labels, NUM_CLASSES))

        @tf.function(input_signature=[images_spec, labels_spec])
        def encode(images, labels):
            return model.encoder(with_label(to_float_images(images), labels), training=False)

        @tf.function(input_signature=[z_spec, labels_spec])
        def decode(z, labels):
            logits = model.decoder(with_label(z, labels), training=False)
            return tf.reshape(tf.sigmoid(logits), [-1, IMAGE_SIZE, IMAGE_SIZE])

        decoder_one = one_point_logits(model.decoder)

        @tf.function(input_signature=[tf.TensorSpec([1, d], tf.float32), tf.TensorSpec([1], tf.int32)], jit_compile=True)
        def decode_one(z, label):
            return tf.reshape(tf.sigmoid(decoder_one(with_label(z, label))), [IMAGE_SIZE, IMAGE_SIZE])

        @tf.function(
            input_signature=[
                tf.TensorSpec([], tf.int32),
                tf.TensorSpec([], tf.int32),
                tf.TensorSpec([], tf.float32),
            ]
        )
        def sample_z(n, seed, temperature):
            return temperature * tf.random.stateless_normal(tf.stack([n, d]), seed=tf.stack([seed, 0]))

        @tf.function(input_signature=[images_spec, labels_spec, tf.TensorSpec([], tf.int32), tf.TensorSpec([], tf.int32)])
        def elbo(images, labels, seed, batch):
            x = to_float_images(images)
            mean, logvar = model.encoder(with_label(x, labels), training=False)
            # batch < 0: one noise draw shared by every image, so an image's score depends on its pixels and
            # the seed, never on where it sits in the batch (the same picture pasted or opened scores the
            # same). Otherwise each image draws its own, as validation does: a set's mean then averages the
            # noise away, where one shared draw moved it by about a nat (sd 0.8-1.3 over 8 seeds, docs/models.md).
            shared = tf.random.stateless_normal(tf.shape(mean)[1:], seed=tf.stack([seed, 1]))
            own = tf.random.stateless_normal(tf.shape(mean), seed=tf.stack([seed, 2 + batch]))
            eps = tf.where(batch < 0, tf.broadcast_to(shared, tf.shape(mean)), own)
            logits = model.decoder(with_label(mean + tf.exp(0.5 * logvar) * eps, labels), training=False)
            ce, kl = bce_per_image(x, logits), kl_per_image(mean, logvar)
            return ce + model.beta * kl, ce, kl, mean, logvar  # the encoding too: `analyse` needs it

        self._encode, self._decode, self._decode_one = encode, decode, decode_one
        self._sample_z, self._elbo = sample_z, elbo
        self._likelihood = None  # log_likelihood's and posterior's pieces, made on first use
        self._refiner = None  # refine's compiled steps, made on first use
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
        one, two = np.zeros(1, np.int32), np.zeros(2, np.int32)
        self._decode_one(np.zeros((1, self.latent_dim), np.float32), one)
        self._decode(np.zeros((2, self.latent_dim), np.float32), two)
        self._encode(np.zeros((1, IMAGE_SIZE, IMAGE_SIZE), np.float32), one)
        self._elbo(np.zeros((1, IMAGE_SIZE, IMAGE_SIZE), np.float32), one, tf.constant(0), tf.constant(-1))
        self._sample_z(tf.constant(1), tf.constant(0), tf.constant(1.0))

    def _labels(self, labels, n: int) -> np.ndarray:
        """Class indices for n items (from indices or names); zeros, unused, for an unconditional model."""
        if not self.conditional:
            if labels is not None:
                raise LabelError("this model is not class-conditional: it takes no labels "
                                 "(train one with --conditional, or the Train area's class box)")
            return np.zeros(n, np.int32)
        if labels is None:
            raise LabelError("this class-conditional model needs labels: 0-{last} or one of {names}",
                             last=NUM_CLASSES - 1, names=", ".join(CLASS_NAMES))
        return class_indices(labels, n)

    def _require_conditional(self, what: str) -> None:
        if not self.conditional:
            raise LabelError("{what} needs a class-conditional model (train one with --conditional)", what=what)

    # --- the API -------------------------------------------------------------------------------
    def encode(self, images: np.ndarray, labels=None) -> tuple[np.ndarray, np.ndarray]:
        """Latent mean and log variance of each image (under its label, for a conditional model)."""
        x = as_float_images(images)
        y = self._labels(labels, len(x))
        parts = [self._encode(x[i : i + _BATCH], y[i : i + _BATCH]) for i in range(0, len(x), _BATCH)]
        if not parts:
            empty = np.zeros((0, self.latent_dim), np.float32)
            return empty, empty
        return (
            np.concatenate([p[0].numpy() for p in parts]),
            np.concatenate([p[1].numpy() for p in parts]),
        )

    def decode(self, z: np.ndarray, labels=None) -> np.ndarray:
        """Images in [0, 1], shape (N, 28, 28), for latent points of shape (N, latent_dim) (and labels)."""
        z = np.asarray(z, np.float32).reshape(-1, self.latent_dim)
        y = self._labels(labels, len(z))
        return np.concatenate(
            [self._decode(z[i : i + _BATCH], y[i : i + _BATCH]).numpy() for i in range(0, len(z), _BATCH)]
            or [np.zeros((0, IMAGE_SIZE, IMAGE_SIZE), np.float32)]
        )

    def decode_point(self, z: np.ndarray, label=None) -> np.ndarray:
        """One latent point (under one label) -> one 28x28 image, on the latency-optimised path."""
        return self._decode_one(np.asarray(z, np.float32).reshape(1, self.latent_dim), self._labels(label, 1)).numpy()

    def sample_latents(self, n: int, seed: int = 0, temperature: float = 1.0) -> np.ndarray:
        """n points from the prior N(0, temperature^2 I); the same seed always gives the same points."""
        n, temperature = check_sampling(n, temperature)
        return self._sample_z(tf.constant(n), tf.constant(check_seed(seed)), tf.constant(temperature)).numpy()

    def sample_labels(self, n: int, seed: int = 0) -> np.ndarray:
        """n classes drawn uniformly, fixed by the seed (for a conditional model's samples)."""
        n, _ = check_sampling(n, 1.0)
        return np.random.default_rng([check_seed(seed), 1]).integers(0, NUM_CLASSES, n).astype(np.int32)

    def sample(self, n: int, seed: int = 0, temperature: float = 1.0, labels=None) -> np.ndarray:
        """n images from the prior; a conditional model decodes them under `labels` (None: drawn from the seed)."""
        if self.conditional and labels is None:
            labels = self.sample_labels(n, seed)
        return self.decode(self.sample_latents(n, seed, temperature), labels)

    def reconstruct(self, images: np.ndarray, labels=None) -> np.ndarray:
        """Decode each image's latent mean: the model's best reconstruction of it (a conditional model
        uses the given labels, else the classes it predicts)."""
        if self.conditional and labels is None:
            labels = self.classify(images).argmax(axis=1)
        mean, _ = self.encode(images, labels)
        return self.decode(mean, labels)

    def elbo(self, images: np.ndarray, labels=None, seed: int = 0, own_draws: bool = False) -> dict[str, np.ndarray]:
        """Per-image `total_loss`, `ce_loss`, `kl_loss` in nats: one sampled z = mean + sigma * eps per image,
        with the same eps (fixed by `seed`) for every image, so an image always gets the same score; with
        `own_draws`, each image's own eps (fixed by the seed and its place in `images`), so that a mean over
        the images averages the noise away (`evaluate`)."""
        scores = self.scores(images, labels, seed, own_draws)
        return {name: scores[name] for name in ("total_loss", "ce_loss", "kl_loss")}

    def scores(self, images: np.ndarray, labels=None, seed: int = 0, own_draws: bool = False) -> dict[str, np.ndarray]:
        """The compiled ELBO pass over any number of images: losses, latent mean and log variance. One
        noise draw shared by every image, or with `own_draws` one per image (for a set's mean)."""
        x = as_float_images(images)
        y = self._labels(labels, len(x))
        seed = tf.constant(check_seed(seed))
        parts = [self._elbo(x[i : i + _BATCH], y[i : i + _BATCH], seed, tf.constant(i // _BATCH if own_draws else -1))
                 for i in range(0, len(x), _BATCH)]
        names = ("total_loss", "ce_loss", "kl_loss", "mean", "logvar")
        if not parts:
            empty = {n: np.zeros(0, np.float32) for n in names[:3]}
            return {**empty, "mean": np.zeros((0, self.latent_dim), np.float32),
                    "logvar": np.zeros((0, self.latent_dim), np.float32)}
        return {n: np.concatenate([p[k].numpy() for p in parts]) for k, n in enumerate(names)}

    def evaluate(self, images: np.ndarray, labels=None, seed: int = 0) -> dict[str, float]:
        """Mean `total_loss`, `ce_loss`, `kl_loss` over a set of images, each image with its own noise draw
        (as training's validation): `elbo`'s one shared draw would move the whole mean with it."""
        return {k: float(np.mean(v)) for k, v in self.elbo(images, labels, seed, own_draws=True).items()}

    def log_likelihood(self, images: np.ndarray, labels=None, importance_samples: int | None = None,
                       seed: int = 0):
        """log p(x) per image, in nats (`Likelihood`: log_px, error, method). A 2-D model's is exact, by
        quadrature over the plane, with its error estimate; `importance_samples=K` gives the K-sample
        importance-weighted bound instead (any latent size; K = 1 is the ELBO). A conditional model gives
        log p(x|y) under `labels`, or without them log sum_y p(y) p(x|y)."""
        from vae_explorer.ml.likelihood import log_likelihood

        return log_likelihood(self, self._likelihood_model(), images, labels, importance_samples, check_seed(seed))

    def posterior(self, image: np.ndarray, label=None, points: int = 64, window=None,
                  cancelled: Callable[[], bool] = lambda: False):
        """p(z|x) of one image on a grid (a 2-D model; `Posterior`: xs, ys, log_density, log_px, modes);
        `window` (x0, x1, y0, y1) by default where its mass is. `cancelled` is asked between batches of
        grid points: when it says so, `Cancelled` is raised."""
        if self.latent_dim != 2:
            raise ValueError("the posterior view needs a 2-D latent space")
        return self._likelihood_model().posterior(image, int(self._labels(label, 1)[0]), points, window, cancelled)

    def refine(self, images: np.ndarray, labels=None, steps: int | None = None, seed: int = 0):
        """Each image's q(z|x) improved against the fixed decoder (semi-amortized inference, `ml/refine.py`):
        `Refined` with the new mean and log variance, the -ELBO they give and the encoder's own, per image.
        A conditional model refines under `labels`."""
        from vae_explorer.ml.refine import STEPS, Refiner

        if self._refiner is None:
            self._refiner = Refiner(self, self._likelihood_model() if self.latent_dim == 2 else None)
        return self._refiner.refine(images, self._labels(labels, len(as_float_images(images))),
                                    STEPS if steps is None else int(steps), seed=check_seed(seed))

    def prepare_refinement(self, cancelled: Callable[[], bool] = lambda: False) -> bool:
        """Make now what the first `refine` (and `classify(refine=True)`) would otherwise make first: a 2-D
        model's coarse grid under each class and the compiled steps, so that call is as fast as the later
        ones. `cancelled` is asked between the pieces and between a grid's batches of points (a grid called
        off is not kept); returns whether everything was made."""
        labels = range(NUM_CLASSES) if self.conditional else [0]
        if self.latent_dim == 2:
            likelihood = self._likelihood_model()
            for label in labels:
                try:
                    likelihood.coarse_grid(label, cancelled)
                except Cancelled:
                    return False
        if cancelled():
            return False
        # One step on one blank image traces the refinement's functions for every batch and step count.
        self.refine(np.zeros((1, IMAGE_SIZE, IMAGE_SIZE), np.float32), [0] if self.conditional else None, steps=1)
        return True

    def importance_weighted(self, images: np.ndarray, samples: int, labels=None, proposal=None, seed: int = 0) -> np.ndarray:
        """log p(x) bounded from below by K = `samples` importance samples per image, drawn from `proposal`
        ((mean, log variance) per image, e.g. `refine`'s: a better proposal gives a tighter bound) or,
        by default, from the encoder's q(z|x); a conditional model's under `labels`."""
        x = as_float_images(images)
        y = self._labels(labels, len(x))
        if len(np.unique(y)) > 1:
            raise ValueError("importance_weighted takes one label for all its images")
        return self._likelihood_model().importance_weighted(x, int(samples), int(y[0]) if len(y) else 0,
                                                            check_seed(seed), proposal)

    def posterior_slice(self, image: np.ndarray, origin: np.ndarray, basis: np.ndarray, label=None,
                        points: int = 64, window=None, cancelled: Callable[[], bool] = lambda: False):
        """p(z|x) of one image on the plane origin + u basis[0] + v basis[1] (any latent size; `Posterior`,
        normalised over the plane, its `log_px` the log integral over it), by default where its mass is.
        `cancelled`: as `posterior` asks it."""
        return self._likelihood_model().posterior_slice(image, origin, basis, int(self._labels(label, 1)[0]), points,
                                                        window, cancelled)

    def _likelihood_model(self):
        """The likelihood's compiled pieces and its cached coarse grids, made on first use."""
        from vae_explorer.ml.likelihood import LikelihoodModel

        if self._likelihood is None:
            self._likelihood = LikelihoodModel(self)
        return self._likelihood

    # --- a class-conditional model's own ------------------------------------------------------------
    def class_scores(self, images: np.ndarray, seed: int = 0, own_draws: bool = False,
                     cancelled: Callable[[], bool] = lambda: False,
                     progress: Callable[[int], None] = lambda classes: None) -> dict[str, np.ndarray]:
        """The ELBO pass under every class (what `elbo` returns, and the latent mean and log variance),
        each with a class axis after the image axis: (N, 10) or (N, 10, latent_dim). One noise draw for
        every image, or with `own_draws` one per image (for a set's means; each image's is the same under
        every class). `cancelled` is asked before each class; when it says so, `Cancelled` is raised.
        `progress` is told after each class how many are done."""
        self._require_conditional("scoring each class")
        x = as_float_images(images)
        per_class = []
        for c in range(NUM_CLASSES):
            Cancelled.check(cancelled, "scoring each class")
            per_class.append(self.scores(x, c, seed, own_draws))
            progress(c + 1)
        return {key: np.stack([s[key] for s in per_class], axis=1) for key in per_class[0]}

    def class_losses(self, images: np.ndarray, seed: int = 0, refine: bool = False) -> np.ndarray:
        """-ELBO of each image under each class, (N, 10): the bound on -log p(x | y). With `refine`, each
        image's q is refined under each class first (`refine`): a tighter bound, ten refinements' work."""
        if not refine:
            return negative_elbo(self.class_scores(images, seed))
        self._require_conditional("scoring each class")
        x = as_float_images(images)
        # One refinement over every (image, class) pair: a single image's ten classes share its batches.
        every = np.tile(np.arange(NUM_CLASSES, dtype=np.int32), len(x))
        return self.refine(np.repeat(x, NUM_CLASSES, axis=0), every, seed=seed).negative_elbo.reshape(len(x), NUM_CLASSES)

    def classify(self, images: np.ndarray, seed: int = 0, refine: bool = False) -> np.ndarray:
        """p(y | x) for each image, (N, 10): proportional to p(y) exp(-ELBO(x, y)) with a uniform p(y)
        (the ELBO stands in for log p(x | y), so these are the model's generative-classifier beliefs).
        `refine=True` scores each class with a refined q: more accurate, far slower (docs/models.md)."""
        return class_probabilities(self.class_losses(images, seed, refine))

    def label_free_loss(self, images: np.ndarray, seed: int = 0) -> np.ndarray:
        """-log sum_y p(y) exp(-ELBO(x, y)) per image: a conditional model's score of an unlabelled image."""
        return label_free(self.class_losses(images, seed))

    def transfer(self, images: np.ndarray, to=None, labels=None, refine: bool = False) -> dict[str, np.ndarray | None]:
        """Each image's style code, encoded under its label (given, else predicted; `refine` as in
        `classify`), decoded as every class (or the classes in `to`): {"labels", "probabilities" (None
        when given), "mean", "classes", "images" (N, classes, 28, 28)}."""
        self._require_conditional("style transfer")
        x = as_float_images(images)
        probabilities = None
        if labels is None:
            probabilities = self.classify(x, refine=refine)
            labels = probabilities.argmax(axis=1)
        labels = class_indices(labels, len(x))
        classes = np.arange(NUM_CLASSES, dtype=np.int32) if to is None else class_indices(to)
        mean, _ = self.encode(x, labels)
        codes = np.repeat(mean, len(classes), axis=0)
        decoded = self.decode(codes, np.tile(classes, len(x))).reshape(len(x), len(classes), IMAGE_SIZE, IMAGE_SIZE)
        return {"labels": labels, "probabilities": probabilities, "mean": mean, "classes": classes, "images": decoded}

    def analyse(self, images: np.ndarray, seed: int = 0) -> dict[str, np.ndarray | None]:
        """Everything the explorer and `reconstruct` show for a batch of inputs: latent mean and log
        variance, reconstruction (decoded mean), per-image losses and the anomaly percentile against the
        test set (None when the card has no test losses). A conditional model encodes each image under
        the class it predicts, adds `predicted_class` and `class_probabilities`, and scores anomalies by
        the label-free loss."""
        x = as_float_images(images)
        extra: dict = {}
        labels = None
        if self.conditional:  # every class scored once; the predicted class's scores are among them
            per_class = self.class_scores(x, seed)
            losses = negative_elbo(per_class)
            labels = losses.argmin(axis=1).astype(np.int32)
            scores = {key: values[np.arange(len(x)), labels] for key, values in per_class.items()}
            extra = {"predicted_class": labels, "class_probabilities": class_probabilities(losses),
                     "label_free_loss": label_free(losses)}
        else:
            scores = self.scores(x, None, seed)  # encodes once: the losses and the latent code together
        has_reference = self.card is not None and bool(self.card.test_total_losses)
        reference_score = extra.get("label_free_loss", scores["total_loss"])
        return {
            **scores,
            **extra,
            "reconstruction": self.decode(scores["mean"], labels),
            "anomaly_percentile": self.anomaly_percentile(reference_score) if has_reference else None,
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
