"""Semi-amortized inference: each image's Gaussian q(z|x) improved against the fixed decoder.

The encoder guesses (mean, log variance) for every image in one pass; on images unlike its training
set that guess can sit far from the true posterior (the amortization gap, docs/models.md). Here each
image's own (mean, log variance) take Adam steps on its ELBO (reparametrized, fresh noise every step,
closed-form KL), starting from the encoder's guess, or for a 2-D model from whichever has the best
ELBO of that guess, the highest point of the posterior on the likelihood's shared coarse grid and
that posterior's moments (one matrix product: the grid finds the mode an encoder missed). The model
itself is unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import tensorflow as tf

from vae_explorer.config import IMAGE_SIZE, NUM_CLASSES
from vae_explorer.ml.images import as_float_images
from vae_explorer.ml.model import bce_per_image, kl_per_image

STEPS = 20  # from the better start most of the gain comes in these (docs/models.md)
SAMPLES = 8  # noise draws per image per step
SCORE_SAMPLES = 32  # draws per image for the reported ELBO, independent of the steps' draws
LEARNING_RATE = 0.03
_BATCH = 250  # images refined together (x SAMPLES decodes per step)
_MIN_LOGVAR = -14.0  # a sigma of ~1e-3: narrower adds nothing at 28x28 and risks exp underflow in float32


@dataclass(frozen=True)
class Refined:
    """Per image: the refined `mean` and `logvar` (N, d) and the -ELBO they give (`negative_elbo`,
    SCORE_SAMPLES draws), beside the encoder's own -ELBO (`encoder_negative_elbo`, as many draws of
    its own); `steps`, the Adam steps taken."""

    mean: np.ndarray
    logvar: np.ndarray
    negative_elbo: np.ndarray
    encoder_negative_elbo: np.ndarray
    steps: int


class Refiner:
    """The compiled refinement for one model (a `vae_explorer.ml.inference.VAE`)."""

    def __init__(self, vae, likelihood=None) -> None:
        self.vae = vae
        self.likelihood = likelihood  # a LikelihoodModel, for the 2-D grid start
        model = vae.model
        d = vae.latent_dim
        images_spec = tf.TensorSpec([None, IMAGE_SIZE, IMAGE_SIZE], tf.float32)
        params_spec = tf.TensorSpec([None, d], tf.float32)
        labels_spec = tf.TensorSpec([None], tf.int32)

        def negative_elbo(x, labels, mean, logvar, eps):
            """-ELBO per image averaged over the draws eps (N, S, d); x (N, 28, 28, 1)."""
            n, s = tf.shape(eps)[0], tf.shape(eps)[1]
            z = tf.reshape(mean[:, None, :] + tf.exp(0.5 * logvar)[:, None, :] * eps, [-1, d])
            repeated = tf.repeat(labels, s)
            logits = model.decoder(model.with_label(z, tf.one_hot(repeated, NUM_CLASSES)), training=False)
            ce = bce_per_image(tf.repeat(x, s, axis=0), tf.cast(logits, tf.float32))
            # beta = 1 whatever the model trained with: the refined -ELBO is a bound on -log p(x).
            return tf.reduce_mean(tf.reshape(ce, [n, s]), axis=1) + kl_per_image(mean, logvar)

        @tf.function(input_signature=[images_spec, labels_spec, params_spec, params_spec,
                                      tf.TensorSpec([], tf.int32), tf.TensorSpec([], tf.float32),
                                      tf.TensorSpec([], tf.int32)])
        def refine(images, labels, mean, logvar, steps, learning_rate, seed):
            x = tf.reshape(images, [-1, IMAGE_SIZE, IMAGE_SIZE, 1])
            n = tf.shape(mean)[0]
            params = tf.concat([mean, logvar], axis=1)
            m1, m2 = tf.zeros_like(params), tf.zeros_like(params)
            b1, b2 = 0.9, 0.999
            for step in tf.range(steps):
                eps = tf.random.stateless_normal(tf.stack([n, SAMPLES, d]), seed=tf.stack([seed, step]))
                with tf.GradientTape() as tape:
                    tape.watch(params)
                    # Each image's loss depends on its own row only, so the sum's gradient is per image.
                    loss = tf.reduce_sum(negative_elbo(x, labels, params[:, :d], params[:, d:], eps))
                grad = tape.gradient(loss, params)
                t = tf.cast(step + 1, tf.float32)
                m1 = b1 * m1 + (1.0 - b1) * grad
                m2 = b2 * m2 + (1.0 - b2) * tf.square(grad)
                update = learning_rate * (m1 / (1.0 - b1**t)) / (tf.sqrt(m2 / (1.0 - b2**t)) + 1e-8)
                params = params - update
                params = tf.concat([params[:, :d], tf.maximum(params[:, d:], _MIN_LOGVAR)], axis=1)
            return params[:, :d], params[:, d:]

        @tf.function(input_signature=[images_spec, labels_spec, params_spec, params_spec, tf.TensorSpec([], tf.int32)])
        def score(images, labels, mean, logvar, seed):
            x = tf.reshape(images, [-1, IMAGE_SIZE, IMAGE_SIZE, 1])
            eps = tf.random.stateless_normal(tf.stack([tf.shape(mean)[0], SCORE_SAMPLES, d]), seed=tf.stack([seed, -1]))
            return negative_elbo(x, labels, mean, logvar, eps)

        self._refine, self._score = refine, score

    def grid_starts(self, x: np.ndarray, label: int, logvar: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """Two starts from the posterior on the shared coarse grid (a 2-D model): its highest point with the
        encoder's variance, and its mean and per-axis variance (one matrix product for all images)."""
        axis, points, _ = self.likelihood.coarse_grid(label)
        joint = self.likelihood.coarse_joint(x.reshape(len(x), -1), label)
        weights = np.exp(joint - joint.max(axis=1, keepdims=True))
        weights /= weights.sum(axis=1, keepdims=True)
        mean = weights @ points
        cell = (axis[1] - axis[0]) ** 2 / 12.0  # a posterior inside one cell still gets that cell's width
        variance = weights @ np.square(points) - np.square(mean) + cell
        peak = points[np.argmax(joint, axis=1)]
        return [(peak.astype(np.float32), logvar), (mean.astype(np.float32), np.log(variance).astype(np.float32))]

    def refine(self, images: np.ndarray, labels: np.ndarray, steps: int = STEPS,
               learning_rate: float = LEARNING_RATE, seed: int = 0) -> Refined:
        x = as_float_images(images)
        out = {k: [] for k in ("mean", "logvar", "negative_elbo", "encoder_negative_elbo")}
        for i in range(0, len(x), _BATCH):
            xb, yb = x[i : i + _BATCH], labels[i : i + _BATCH]
            mean, logvar = self.vae.encode(xb, yb if self.vae.conditional else None)
            encoder_score = self._score(xb, yb, mean, logvar, seed).numpy()
            start_mean, start_logvar, start_score = mean.copy(), logvar.copy(), encoder_score.copy()
            if self.likelihood is not None and self.vae.latent_dim == 2:
                for label in np.unique(yb):
                    rows = np.flatnonzero(yb == label)
                    for g_mean, g_logvar in self.grid_starts(xb[rows], int(label), logvar[rows]):
                        g_score = self._score(xb[rows], yb[rows], g_mean, g_logvar, seed).numpy()
                        wins = g_score < start_score[rows]
                        start_mean[rows[wins]], start_logvar[rows[wins]] = g_mean[wins], g_logvar[wins]
                        start_score[rows[wins]] = g_score[wins]
            refined_mean, refined_logvar = (t.numpy() for t in self._refine(
                xb, yb, start_mean, start_logvar, tf.constant(int(steps)), tf.constant(float(learning_rate)),
                tf.constant(int(seed))))
            # Adam on noisy gradients can end slightly worse than its start: keep whichever scores better on
            # fresh draws, and report it on draws of its own (choosing and reporting on the same would flatter).
            worse = (self._score(xb, yb, start_mean, start_logvar, seed + 1).numpy()
                     < self._score(xb, yb, refined_mean, refined_logvar, seed + 1).numpy())
            refined_mean[worse], refined_logvar[worse] = start_mean[worse], start_logvar[worse]
            out["mean"].append(refined_mean)
            out["logvar"].append(refined_logvar)
            out["negative_elbo"].append(self._score(xb, yb, refined_mean, refined_logvar, seed + 2).numpy())
            out["encoder_negative_elbo"].append(encoder_score)
        d = self.vae.latent_dim
        if not out["mean"]:
            return Refined(np.zeros((0, d), np.float32), np.zeros((0, d), np.float32), np.zeros(0), np.zeros(0), steps)
        return Refined(*(np.concatenate(out[k]) for k in ("mean", "logvar", "negative_elbo", "encoder_negative_elbo")),
                       steps)
