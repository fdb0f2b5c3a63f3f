"""How likely the model finds an image: the exact log p(x) of a 2-D model by quadrature, and the
importance-weighted bound (IWAE) for any latent size.

The ELBO is a lower bound on log p(x); the gap is the price of inference: a Gaussian q(z|x), and one
encoder for all images. With a 2-D code, p(x) = ∫ p(x|z) p(z) dz is a plane integral, and a grid
that follows each image's posterior computes it to a small fraction of a nat:

1. A shared coarse grid over [-COARSE_LIMIT, COARSE_LIMIT]^2 is decoded once; log p(x|z) of every
   image at every point is then one matrix product (binary cross-entropy is linear in the pixels).
2. Around each image, the box where the coarse log joint lies within WINDOW_NATS of its peak (one
   coarse cell wider on every side) gets a LOCAL_POINTS x LOCAL_POINTS grid; the integral is the
   trapezoid sum there (the integrand is negligible at the box's edges).
3. The same sum on every other point (twice the spacing) estimates the error. While it exceeds the
   tolerance, the box shrinks to the window seen on the finer grid, or, where that is not much
   smaller (modes far apart), the grid doubles. The reported error adds the coarse grid's share of the
   mass outside the first box.

A conditional model's label-free log p(x) = log sum_y p(y) p(x|y) integrates only the classes whose
coarse-grid sum lies within SKIP_NATS of the image's best class; the others keep that coarse sum.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import tensorflow as tf

from vae_explorer.config import IMAGE_SIZE, NUM_CLASSES
from vae_explorer.errors import Cancelled
from vae_explorer.ml.images import as_float_images
from vae_explorer.ml.inference import label_free

PIXELS = IMAGE_SIZE * IMAGE_SIZE
COARSE_LIMIT = 6.0  # the prior puts 1.5e-8 of its mass outside this square
COARSE_POINTS = 97  # 0.125 apart
LOCAL_POINTS = 32
MAX_LOCAL_POINTS = 256  # a posterior with far-apart narrow modes: up to 65,536 points
MAX_REFINEMENTS = 6
# Refine until the sum on every other point agrees to this. That difference overstates the error of the
# finer sum (the trapezoid rule converges exponentially on smooth peaks): at 0.02 the error against a
# 0.0005-tolerance reference was at most 0.005 nats on 40 test images of the shipped model.
TOLERANCE_NATS = 0.02
# A class this far below an image's best adds less than e^-26 of its p(x), even if the coarse sums miss
# by what a narrow peak between coarse points hides (about 12 nats under, 2 over; the window, step 2,
# assumes the same): its coarse sum stands in, and the quadrature's work goes to the classes that count.
SKIP_NATS = 40.0
WINDOW_NATS = 20.0  # e^-20 of the peak: the points beyond add < 1e-4 nats to a sum of ~1e3 points
LOG_2PI = float(np.log(2.0 * np.pi))
_DECODE_BATCH = 2048  # latent points per compiled decoder call: small enough that a call-off lands soon (docs/performance.md)
_IMAGE_BATCH = 16  # images whose local grids are decoded together


@dataclass(frozen=True)
class Likelihood:
    """Per image: `log_px`, log p(x) (or log p(x|y) under a label) in nats, and `error`, the quadrature's
    estimate of its absolute error (nats; None for the importance-weighted bound). `method`:
    "quadrature" or "iwae-K"."""

    log_px: np.ndarray
    error: np.ndarray | None
    method: str


@dataclass(frozen=True)
class Posterior:
    """p(z|x) of one image on a grid over a window of the plane: `log_density` (rows: y, columns: x) of
    the normalised posterior at the points `xs`, `ys`; `log_px` its normaliser, `modes` (k, 2) its local
    maxima, highest first."""

    xs: np.ndarray
    ys: np.ndarray
    log_density: np.ndarray
    log_px: float
    modes: np.ndarray


class LikelihoodModel:
    """The compiled pieces for one model (a `vae_explorer.ml.inference.VAE`)."""

    def __init__(self, vae) -> None:
        self.vae = vae
        model = vae.model
        d = vae.latent_dim

        @tf.function(input_signature=[tf.TensorSpec([None, d], tf.float32), tf.TensorSpec([None], tf.int32)])
        def logits(z, labels):
            out = model.decoder(model.with_label(z, tf.one_hot(labels, NUM_CLASSES)), training=False)
            flat = tf.reshape(tf.cast(out, tf.float32), [-1, PIXELS])
            return flat, tf.reduce_sum(tf.nn.softplus(flat), axis=1)

        self._logits = logits
        self._coarse: dict[int, tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]] = {}
        self._coarse_lock = threading.Lock()  # a background warm-up and a user's request may want the same grid

    # --- pieces ---------------------------------------------------------------------------------------
    def decoder_logits(self, z: np.ndarray, label: int,
                       cancelled: Callable[[], bool] = lambda: False) -> tuple[np.ndarray, np.ndarray]:
        """The decoder's logits (M, 784) at latent points z (M, d), under one label, with each point's
        sum of softplus(logits) (M,): what log p(x|z) needs besides the image. `cancelled` is asked
        before each batch of points (raises `Cancelled`)."""
        z = np.asarray(z, np.float32)
        logits, softplus = [], []
        for i in range(0, len(z), _DECODE_BATCH):
            Cancelled.check(cancelled, "Decoding the latent grid")
            chunk = z[i : i + _DECODE_BATCH]
            a, b = self._logits(chunk, np.full(len(chunk), label, np.int32))
            logits.append(a.numpy())
            softplus.append(b.numpy())
        if not logits:
            return np.zeros((0, PIXELS), np.float32), np.zeros(0, np.float32)
        return np.concatenate(logits), np.concatenate(softplus)

    @staticmethod
    def log_likelihood_matrix(x: np.ndarray, decoded: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """log p(x_i | z_j) for images x (N, 784) in [0, 1] and the decoder's (logits, softplus sums) at
        M points: x.l - sum softplus(l), as (N, M). Binary cross-entropy is linear in the pixels, so
        this is one matrix product (float32: ~1e-4 nats of rounding against sums of ~200)."""
        logits, softplus = decoded
        return (x.astype(np.float32) @ logits.T).astype(np.float64) - softplus[None, :].astype(np.float64)

    @staticmethod
    def log_prior(z: np.ndarray) -> np.ndarray:
        return -0.5 * np.sum(np.square(z), axis=-1) - 0.5 * z.shape[-1] * LOG_2PI

    def coarse_grid(self, label: int, cancelled: Callable[[], bool] = lambda: False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The shared coarse grid: its axis, its points (G, 2) and their decoder logits, made once per label.
        `cancelled` is asked before each batch of points while it is made (raises `Cancelled`): a grid
        called off is not kept, and whoever asks for it next makes it whole."""
        if label not in self._coarse:
            with self._coarse_lock:
                if label not in self._coarse:  # another thread may have made it while this one waited
                    axis = np.linspace(-COARSE_LIMIT, COARSE_LIMIT, COARSE_POINTS)
                    gx, gy = np.meshgrid(axis, axis)
                    points = np.stack([gx.ravel(), gy.ravel()], axis=1).astype(np.float32)
                    self._coarse[label] = (axis, points, self.decoder_logits(points, label, cancelled))
        return self._coarse[label]

    def has_coarse_grid(self, label: int) -> bool:
        return label in self._coarse

    # --- the exact likelihood of a 2-D model ---------------------------------------------------------------
    def exact(self, images: np.ndarray, label: int = 0, tolerance: float = TOLERANCE_NATS) -> Likelihood:
        """log p(x) (under `label` for a conditional model) of each image, with its error estimate."""
        if self.vae.latent_dim != 2:
            raise ValueError(f"the exact likelihood needs a 2-D latent space; this model has {self.vae.latent_dim} "
                             "dimensions: use the importance-weighted bound (importance_samples=K)")
        x = as_float_images(images).reshape(-1, PIXELS)
        log_px, error = np.zeros(len(x)), np.zeros(len(x))
        for start in range(0, len(x), _IMAGE_BATCH):
            batch = x[start : start + _IMAGE_BATCH]
            coarse, boxes = self._coarse_windows(batch, label)
            points = self.coarse_grid(label)[1]
            outside = [self._outside_share(row, points, box) for row, box in zip(coarse, boxes)]
            sizes = [LOCAL_POINTS] * len(batch)
            pending = list(range(len(batch)))
            for _ in range(MAX_REFINEMENTS):  # each round: the images not yet within tolerance, together
                grids = [self._local_points(boxes[i], sizes[i]) for i in pending]
                logits = self.decoder_logits(np.concatenate([g[2] for g in grids]), label)
                still, offset = [], 0
                for i, (xs, ys, pts) in zip(pending, grids):
                    chunk = (logits[0][offset : offset + len(pts)], logits[1][offset : offset + len(pts)])
                    offset += len(pts)
                    joint = (self.log_likelihood_matrix(batch[i : i + 1], chunk)[0] + self.log_prior(pts)).reshape(len(ys), len(xs))
                    dx, dy = xs[1] - xs[0], ys[1] - ys[0]
                    fine = _logsumexp(joint) + np.log(dx * dy)
                    half = _logsumexp(joint[::2, ::2]) + np.log(4.0 * dx * dy)
                    log_px[start + i], error[start + i] = fine, abs(fine - half) + outside[i]
                    if abs(fine - half) <= tolerance or sizes[i] >= MAX_LOCAL_POINTS:
                        continue
                    tighter = self._box(joint, xs, ys, dx, dy)  # the window seen on this finer grid
                    if _area(tighter) > 0.5 * _area(boxes[i]):  # not much tighter: more points instead
                        sizes[i] *= 2
                    boxes[i] = tighter
                    still.append(i)
                pending = still
                if not pending:
                    break
        return Likelihood(log_px, error, "quadrature")

    def coarse_joint(self, x: np.ndarray, label: int) -> np.ndarray:
        """log p(x, z) of images x (N, 784) in [0, 1] at every point of the shared coarse grid: (N, G)."""
        _axis, points, coarse_logits = self.coarse_grid(label)
        return self.log_likelihood_matrix(x, coarse_logits) + self.log_prior(points)[None, :]

    def coarse_log_px(self, x: np.ndarray, label: int) -> np.ndarray:
        """The coarse grid's plain sum for log p(x) (under `label`) of images x (N, 784): a rough value."""
        axis = self.coarse_grid(label)[0]
        sums = []
        for start in range(0, len(x), _IMAGE_BATCH):  # (images, grid points) at a time: bounded memory
            sums += [_logsumexp(row) for row in self.coarse_joint(x[start : start + _IMAGE_BATCH], label)]
        return np.array(sums) + 2 * np.log(axis[1] - axis[0])

    def _coarse_windows(self, x: np.ndarray, label: int, cancelled: Callable[[], bool] = lambda: False,
                        ) -> tuple[np.ndarray, list[tuple[float, float, float, float]]]:
        """Each image's log joint on the shared coarse grid (N, G) and the window where its posterior lies."""
        axis = self.coarse_grid(label, cancelled)[0]
        step = axis[1] - axis[0]
        coarse = self.coarse_joint(x, label)
        return coarse, [self._box(row.reshape(len(axis), len(axis)), axis, axis, step, step) for row in coarse]

    @staticmethod
    def _box(joint: np.ndarray, xs: np.ndarray, ys: np.ndarray, dx: float, dy: float) -> tuple[float, float, float, float]:
        """The window around the posterior on a grid (rows: ys, columns: xs): where the log joint is within
        WINDOW_NATS of its peak, one grid cell wider on every side (a narrow peak may lie between points)."""
        rows, cols = np.nonzero(joint >= joint.max() - WINDOW_NATS)
        return (xs[cols.min()] - dx, xs[cols.max()] + dx, ys[rows.min()] - dy, ys[rows.max()] + dy)

    @staticmethod
    def _local_points(box, points: int = LOCAL_POINTS) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        x0, x1, y0, y1 = box
        xs, ys = np.linspace(x0, x1, points), np.linspace(y0, y1, points)
        gx, gy = np.meshgrid(xs, ys)
        return xs, ys, np.stack([gx.ravel(), gy.ravel()], axis=1).astype(np.float32)

    @staticmethod
    def _outside_share(row: np.ndarray, points: np.ndarray, box) -> float:
        """The coarse grid's estimate of the posterior mass outside the box (a share of the whole)."""
        x0, x1, y0, y1 = box
        inside = (points[:, 0] >= x0) & (points[:, 0] <= x1) & (points[:, 1] >= y0) & (points[:, 1] <= y1)
        if inside.all():
            return 0.0
        return float(np.exp(_logsumexp(row[~inside]) - _logsumexp(row)))

    def posterior(self, image: np.ndarray, label: int = 0, points: int = 64,
                  window: tuple[float, float, float, float] | None = None,
                  cancelled: Callable[[], bool] = lambda: False) -> Posterior:
        """p(z|x) of one image on a points x points grid over `window` (x0, x1, y0, y1); by default the
        box where it has its mass. The plane is the whole 2-D space, so `log_px` is log p(x). `cancelled`:
        as `decoder_logits` asks it."""
        if window is None:  # from the shared coarse grid, decoded once for every image
            x = as_float_images(image[None] if np.ndim(image) == 2 else image).reshape(-1, PIXELS)[:1]
            window = self._coarse_windows(x, label, cancelled)[1][0]
        return self.posterior_slice(image, np.zeros(2, np.float32), np.eye(2, dtype=np.float32), label, points, window,
                                    cancelled)

    def posterior_slice(self, image: np.ndarray, origin: np.ndarray, basis: np.ndarray, label: int = 0,
                        points: int = 64, window: tuple[float, float, float, float] | None = None,
                        cancelled: Callable[[], bool] = lambda: False) -> Posterior:
        """p(z|x) of one image on the plane z = origin + u basis[0] + v basis[1] through a larger latent
        space (the other directions held fixed), normalised over that plane: a slice of the posterior,
        whose `log_px` is the log integral over the slice, not log p(x). `window` in (u, v), by default
        where the slice's mass is (found on a COARSE_POINTS^2 grid over [-COARSE_LIMIT, COARSE_LIMIT]^2)."""
        x = as_float_images(image[None] if np.ndim(image) == 2 else image).reshape(-1, PIXELS)[:1]
        origin, basis = np.asarray(origin, np.float32), np.asarray(basis, np.float32)

        def joint_on(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
            gx, gy = np.meshgrid(xs, ys)
            z = origin[None, :] + gx.reshape(-1, 1) * basis[0] + gy.reshape(-1, 1) * basis[1]
            decoded = self.decoder_logits(z, label, cancelled)
            return (self.log_likelihood_matrix(x, decoded)[0] + self.log_prior(z)).reshape(len(ys), len(xs))

        if window is None:
            axis = np.linspace(-COARSE_LIMIT, COARSE_LIMIT, COARSE_POINTS)
            window = self._box(joint_on(axis, axis), axis, axis, axis[1] - axis[0], axis[1] - axis[0])
        xs, ys, _ = self._local_points(window, points)
        joint = joint_on(xs, ys)
        log_area = _logsumexp(joint) + np.log((xs[1] - xs[0]) * (ys[1] - ys[0]))
        return Posterior(xs, ys, joint - log_area, float(log_area), _modes(joint, xs, ys))

    # --- the importance-weighted bound, any latent size -----------------------------------------------------
    def importance_weighted(self, images: np.ndarray, samples: int, label: int = 0, seed: int = 0,
                            proposal: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
        """log of the K-sample importance-weighted estimate of p(x) with q(z|x) as proposal (Burda et al.
        2016): a lower bound on log p(x) in expectation, tighter as K grows (K = 1: the ELBO). `proposal`:
        another (mean, log variance) per image, e.g. the refined q; by default the encoder's."""
        x = as_float_images(images)
        if proposal is not None:
            mean, logvar = (np.asarray(p, np.float32) for p in proposal)
        else:
            mean, logvar = self.vae.encode(x, np.full(len(x), label, np.int32) if self.vae.conditional else None)
        rng = np.random.default_rng(seed)
        flat = x.reshape(-1, PIXELS)
        out = np.zeros(len(x))
        for i in range(len(x)):
            eps = rng.standard_normal((samples, self.vae.latent_dim)).astype(np.float32)
            std = np.exp(0.5 * logvar[i])
            z = mean[i] + std * eps
            log_q = -0.5 * np.sum(np.square(eps) + logvar[i] + LOG_2PI, axis=1)
            log_joint = self.log_likelihood_matrix(flat[i : i + 1], self.decoder_logits(z, label))[0] + self.log_prior(z)
            out[i] = _logsumexp(log_joint - log_q) - np.log(samples)
        return out


def _area(box) -> float:
    return (box[1] - box[0]) * (box[3] - box[2])


def _logsumexp(values: np.ndarray) -> float:
    peak = float(np.max(values))
    return peak + float(np.log(np.sum(np.exp(values - peak))))


def _modes(joint: np.ndarray, xs: np.ndarray, ys: np.ndarray, within_nats: float = 10.0,
           dip_nats: float = 1.0) -> np.ndarray:
    """The modes of a gridded log density: local maxima (higher than their eight neighbours) within
    `within_nats` of the highest, each kept only if the straight path to every higher mode kept dips at
    least `dip_nats` below it (ripples on one ridge are one mode); highest first, as (k, 2) points."""
    padded = np.pad(joint, 1, constant_values=-np.inf)
    centre = padded[1:-1, 1:-1]
    is_peak = np.ones_like(centre, bool)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            if dy or dx:
                is_peak &= centre >= padded[1 + dy : padded.shape[0] - 1 + dy, 1 + dx : padded.shape[1] - 1 + dx]
    rows, cols = np.nonzero(is_peak & (centre >= centre.max() - within_nats))
    order = np.argsort(-centre[rows, cols])
    kept: list[tuple[int, int]] = []
    for r, c in zip(rows[order], cols[order]):
        separate = True
        for kr, kc in kept:
            steps = max(abs(kr - r), abs(kc - c)) + 1
            path = joint[np.linspace(r, kr, steps).round().astype(int), np.linspace(c, kc, steps).round().astype(int)]
            if joint[r, c] - path.min() < dip_nats:
                separate = False
                break
        if separate:
            kept.append((int(r), int(c)))
    return np.array([[xs[c], ys[r]] for r, c in kept]).reshape(-1, 2)


def log_likelihood(vae, likelihood: LikelihoodModel, images: np.ndarray, labels=None,
                   importance_samples: int | None = None, seed: int = 0) -> Likelihood:
    """What `VAE.log_likelihood` returns: exact by quadrature (2-D models) or the K-sample bound, per image;
    a conditional model's log p(x|y) under the given labels, or without labels log sum_y p(y) p(x|y)."""
    x = as_float_images(images)
    if importance_samples is not None and int(importance_samples) < 1:
        raise ValueError(f"importance_samples must be at least 1, got {importance_samples}")
    if not vae.conditional or labels is not None:
        y = vae._labels(labels, len(x))
        return _per_label(likelihood, x, y, importance_samples, seed)
    if importance_samples is not None:
        per_class = np.stack([likelihood.importance_weighted(x, int(importance_samples), c, seed)
                              for c in range(NUM_CLASSES)], axis=1)
        return Likelihood(-label_free(-per_class), None, f"iwae-{int(importance_samples)}")
    flat = x.reshape(len(x), -1)
    per_class = np.stack([likelihood.coarse_log_px(flat, c) for c in range(NUM_CLASSES)], axis=1)
    counted = per_class >= per_class.max(axis=1, keepdims=True) - SKIP_NATS
    error = np.zeros(per_class.shape)
    for c in range(NUM_CLASSES):
        rows = np.flatnonzero(counted[:, c])
        if rows.size:
            part = likelihood.exact(x[rows], c)
            per_class[rows, c], error[rows, c] = part.log_px, part.error
    log_px = -label_free(-per_class)  # log sum_y p(y) p(x|y), uniform p(y)
    return Likelihood(log_px, error.max(axis=1), "quadrature")


def _per_label(likelihood: LikelihoodModel, x: np.ndarray, labels: np.ndarray, importance_samples, seed) -> Likelihood:
    log_px, error = np.zeros(len(x)), np.zeros(len(x))
    for label in np.unique(labels):
        rows = np.flatnonzero(labels == label)
        if importance_samples is None:
            part = likelihood.exact(x[rows], int(label))
            log_px[rows], error[rows] = part.log_px, part.error
        else:
            log_px[rows] = likelihood.importance_weighted(x[rows], int(importance_samples), int(label), seed)
    if importance_samples is None:
        return Likelihood(log_px, error, "quadrature")
    return Likelihood(log_px, None, f"iwae-{int(importance_samples)}")


def mean_and_error(values: np.ndarray) -> dict[str, float]:
    """A mean over images with its standard error (nats)."""
    values = np.asarray(values, np.float64)
    stderr = float(values.std(ddof=1) / np.sqrt(len(values))) if len(values) > 1 else float("nan")
    return {"mean": round(float(values.mean()), 4), "stderr": round(stderr, 4)}


def likelihood_report(vae, images: np.ndarray, labels=None, importance_samples: int = 1000, seed: int = 0) -> dict:
    """The three numbers on the same images, each a mean with its standard error, in nats per image:
    -ELBO (the encoder's bound, one sample), the same bound with each image's q(z|x) refined against the
    decoder (`VAE.refine`; a 2-D model's refinement starts from the coarse grid's posterior where that
    is better), the K-sample importance-weighted bound, and, for a 2-D
    model, the exact -log p(x) with the quadrature's largest error estimate and the per-image gap
    -ELBO - (-log p(x)), whose standard error is far smaller than that of either number alone. Conditional models are
    scored given `labels` (-log p(x|y))."""
    scores = vae.elbo(images, labels, seed, own_draws=True)  # a mean over images: a draw each
    negative_elbo = scores["ce_loss"] + scores["kl_loss"]
    refined = vae.refine(images, labels, seed=seed)
    report = {"n_images": int(len(images)),
              "negative_elbo": mean_and_error(negative_elbo),
              "negative_elbo_refined": {"steps": refined.steps, **mean_and_error(refined.negative_elbo)},
              "negative_iwae": {"k": int(importance_samples),
                                **mean_and_error(-vae.log_likelihood(images, labels, importance_samples, seed).log_px)}}
    if vae.latent_dim == 2:
        report.update(exact_figures(negative_elbo, vae.log_likelihood(images, labels)))
    return report


def exact_figures(negative_elbo: np.ndarray, exact: Likelihood) -> dict:
    """The exact -log p(x) with the quadrature's largest error estimate, and the gap from -ELBO, both per image
    then averaged (the gap's standard error is far smaller than either number's)."""
    return {"negative_log_likelihood": {**mean_and_error(-exact.log_px), "max_quadrature_error": round(float(exact.error.max()), 4)},
            "inference_gap": mean_and_error(negative_elbo + exact.log_px)}
