"""The exact likelihood of a 2-D model (quadrature), the importance-weighted bound, the posterior grid."""

import numpy as np
import pytest

import vae_explorer
from vae_explorer.config import MODELS_DIR
from vae_explorer.errors import LabelError
from vae_explorer.ml.likelihood import LikelihoodModel, likelihood_report


@pytest.fixture(scope="module")
def shipped():
    return vae_explorer.load_model()


def brute_force(vae, images, spacing=0.02, limit=4.0) -> np.ndarray:
    """log p(x) as a plain sum over one uniform grid on [-limit, limit]^2, knowing nothing of posteriors."""
    pieces = LikelihoodModel(vae)
    axis = np.arange(-limit, limit + spacing / 2, spacing)
    gx, gy = np.meshgrid(axis, axis)
    points = np.stack([gx.ravel(), gy.ravel()], axis=1).astype(np.float32)
    x = images.reshape(len(images), -1).astype(np.float32) / 255.0
    joint = pieces.log_likelihood_matrix(x, pieces.decoder_logits(points, 0)) + pieces.log_prior(points)[None, :]
    peak = joint.max(axis=1, keepdims=True)
    return (peak[:, 0] + np.log(np.exp(joint - peak).sum(axis=1))) + 2 * np.log(spacing)


def test_the_exact_likelihood_agrees_with_a_brute_force_grid(shipped, fashion):
    images = fashion.test_images[:12]
    exact = shipped.log_likelihood(images)
    assert exact.method == "quadrature" and exact.error.max() < 0.05
    assert np.abs(exact.log_px - brute_force(shipped, images)).max() < 0.05


def test_the_three_numbers_are_ordered_elbo_iwae_exact(shipped, fashion):
    images = fashion.test_images[100:130]
    report = likelihood_report(shipped, images, importance_samples=200)
    elbo, iwae = report["negative_elbo"]["mean"], report["negative_iwae"]["mean"]
    exact = report["negative_log_likelihood"]["mean"]
    assert exact < iwae < elbo, report  # each bound tighter than the last, on average
    assert report["inference_gap"]["mean"] == pytest.approx(elbo - exact, abs=1e-3)
    one = shipped.log_likelihood(images, importance_samples=1, seed=3).log_px  # K = 1: the ELBO's estimator
    many = [shipped.elbo(images, seed=s)["total_loss"].mean() for s in range(8)]
    assert -one.mean() == pytest.approx(np.mean(many), abs=3.0)


def test_larger_latent_spaces_get_the_bound_and_a_clear_error_for_the_exact_value(fashion):
    vae = vae_explorer.load_model(MODELS_DIR / "cvae-fashion-latent8.keras")
    with pytest.raises(ValueError, match="importance_samples"):
        vae.log_likelihood(fashion.test_images[:2])
    bound = vae.log_likelihood(fashion.test_images[:4], importance_samples=50)
    assert bound.method == "iwae-50" and bound.error is None and np.all(np.isfinite(bound.log_px))
    report = likelihood_report(vae, fashion.test_images[:4], importance_samples=20)
    assert "negative_log_likelihood" not in report and report["negative_iwae"]["k"] == 20


def test_a_conditional_model_gives_the_likelihood_given_a_class_and_without_one(fashion):
    vae = vae_explorer.load_model(MODELS_DIR / "cvae-fashion-conditional-latent2.keras")
    images, labels = fashion.test_images[:3], fashion.test_labels[:3]
    given = vae.log_likelihood(images, labels).log_px
    free = vae.log_likelihood(images).log_px
    assert np.all(free >= given - np.log(10) - 0.05)  # p(x) >= p(y) p(x|y) for the true class
    assert np.all(free <= given + 5.0)  # the true class holds most of it
    with pytest.raises(LabelError):
        vae_explorer.load_model().log_likelihood(images, labels)


def test_the_posterior_grid_is_normalised_and_its_mode_is_where_the_code_is(shipped, fashion):
    image = fashion.test_images[0]
    post = shipped.posterior(image, points=48)
    area = (post.xs[1] - post.xs[0]) * (post.ys[1] - post.ys[0])
    assert np.exp(post.log_density).sum() * area == pytest.approx(1.0, abs=1e-6)
    assert post.log_px == pytest.approx(shipped.log_likelihood(image[None]).log_px[0], abs=0.1)
    mean, _ = shipped.encode(image[None])
    assert np.linalg.norm(post.modes[0] - mean[0]) < 0.3
    assert post.xs[0] < post.modes[0][0] < post.xs[-1] and post.ys[0] < post.modes[0][1] < post.ys[-1]
