"""The exact likelihood of a 2-D model (quadrature), the importance-weighted bound, the posterior grid."""

import numpy as np
import pytest

import vae_explorer
from vae_explorer.config import MODELS_DIR
from vae_explorer.errors import Cancelled, LabelError
from vae_explorer.ml.likelihood import LikelihoodModel, likelihood_report


@pytest.fixture(scope="module")
def shipped():
    return vae_explorer.load_model()


@pytest.fixture(scope="module")
def latent8():
    return vae_explorer.load_model(MODELS_DIR / "cvae-fashion-latent8.keras")


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
    # 0.03 apart (71k points): its own error on these images stays under 0.025 nats (0.005 at 0.02, twice the work).
    assert np.abs(exact.log_px - brute_force(shipped, images, spacing=0.03)).max() < 0.05


def test_the_three_numbers_are_ordered_elbo_iwae_exact(shipped, fashion):
    images = fashion.test_images[100:130]
    report = likelihood_report(shipped, images, importance_samples=200)
    elbo, iwae = report["negative_elbo"]["mean"], report["negative_iwae"]["mean"]
    exact = report["negative_log_likelihood"]["mean"]
    assert exact < iwae < elbo, report  # each bound tighter than the last, on average
    refined = report["negative_elbo_refined"]["mean"]
    assert exact < refined < elbo, report  # still a bound, and a tighter one
    assert report["inference_gap"]["mean"] == pytest.approx(elbo - exact, abs=1e-3)
    one = shipped.log_likelihood(images, importance_samples=1, seed=3).log_px  # K = 1: the ELBO's estimator
    many = [shipped.elbo(images, seed=s)["total_loss"].mean() for s in range(8)]
    assert -one.mean() == pytest.approx(np.mean(many), abs=3.0)


def test_refining_q_closes_most_of_the_gap_where_the_encoder_missed_the_mode(shipped, fashion):
    images = fashion.test_images[:200]
    exact = -shipped.log_likelihood(images[[183, 113]]).log_px
    refined = shipped.refine(images[[183, 113]])
    # Test images 183 and 113: the encoder's mean lies many sigmas from the posterior's mode (gaps of
    # about 34 and 14 nats); refined, each is within 3 nats of -log p(x) and no longer where it started.
    assert np.all(refined.encoder_negative_elbo - exact > 10), (refined.encoder_negative_elbo, exact)
    assert np.all(refined.negative_elbo - exact < 3), (refined.negative_elbo, exact)
    assert np.all(refined.negative_elbo > exact - 0.5)  # a bound: never (beyond noise) below the exact value
    encoded, _ = shipped.encode(images[[183, 113]])
    assert np.all(np.linalg.norm(refined.mean - encoded, axis=1) > 0.05)
    # As the importance sampler's proposal, the refined q gives a tighter bound than the encoder's.
    from_encoder = shipped.importance_weighted(images[[183, 113]], 200)
    from_refined = shipped.importance_weighted(images[[183, 113]], 200, proposal=(refined.mean, refined.logvar))
    assert np.all(-from_refined < -from_encoder) and np.all(-from_refined > exact - 0.5)
    again = shipped.refine(images[[183, 113]])
    np.testing.assert_array_equal(again.mean, refined.mean)  # seeded: the same image refines the same way


def test_refinement_works_at_any_latent_size_and_under_a_label(fashion, latent8, shipped_conditional):
    vae = latent8
    refined = vae.refine(fashion.test_images[:6], steps=10)
    assert refined.mean.shape == (6, 8) and refined.steps == 10
    assert refined.negative_elbo.mean() < refined.encoder_negative_elbo.mean() + 0.5
    conditional = shipped_conditional
    assert conditional.refine(fashion.test_images[:3], labels=fashion.test_labels[:3], steps=5).mean.shape == (3, 2)
    with pytest.raises(LabelError):
        conditional.refine(fashion.test_images[:3])
    with pytest.raises(LabelError):
        vae.refine(fashion.test_images[:3], labels=[0, 1, 2])


def test_larger_latent_spaces_get_the_bound_and_a_clear_error_for_the_exact_value(fashion, latent8):
    vae = latent8
    with pytest.raises(ValueError, match="importance_samples"):
        vae.log_likelihood(fashion.test_images[:2])
    bound = vae.log_likelihood(fashion.test_images[:4], importance_samples=50)
    assert bound.method == "iwae-50" and bound.error is None and np.all(np.isfinite(bound.log_px))
    report = likelihood_report(vae, fashion.test_images[:4], importance_samples=20)
    assert "negative_log_likelihood" not in report and report["negative_iwae"]["k"] == 20


def test_a_conditional_model_gives_the_likelihood_given_a_class_and_without_one(fashion, monkeypatch,
                                                                              shipped_conditional):
    vae = shipped_conditional
    images, labels = fashion.test_images[:3], fashion.test_labels[:3]
    given = vae.log_likelihood(images, labels).log_px
    integrated = []
    exact = LikelihoodModel.exact
    monkeypatch.setattr(LikelihoodModel, "exact", lambda self, x, label=0, **kw: integrated.append(len(x)) or exact(self, x, label, **kw))
    free = vae.log_likelihood(images).log_px
    assert sum(integrated) < 10, "the classes far below an image's best keep their coarse sum"
    assert np.all(free >= given - np.log(10) - 0.05)  # p(x) >= p(y) p(x|y) for the true class
    assert np.all(free <= given + 5.0)  # the true class holds most of it
    # Test image 0: the classes it could be (ankle boot; sneaker 8 nats and sandal 16 below) each integrated.
    every = [vae.log_likelihood(images[:1], [c]).log_px[0] for c in range(10)]
    assert free[0] == pytest.approx(np.logaddexp.reduce(every) - np.log(10), abs=1e-6)
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


def test_a_posterior_grid_is_called_off_between_batches_of_points(shipped, fashion):
    asked = []
    with pytest.raises(Cancelled):
        shipped.posterior(fashion.test_images[0], points=160, window=(-1.0, 1.0, -1.0, 1.0),
                          cancelled=lambda: asked.append(1) or len(asked) > 1)
    assert len(asked) == 2, "asked before each batch: the first decoded, the second called off"


def test_a_coarse_grid_called_off_while_it_is_made_is_not_kept_and_the_next_ask_makes_it_whole(shipped, fashion):
    likelihood, asked = LikelihoodModel(shipped), []  # no grid made yet
    with pytest.raises(Cancelled):
        likelihood.coarse_grid(0, lambda: asked.append(1) or len(asked) > 2)
    assert len(asked) == 3 and not likelihood.has_coarse_grid(0), "called off before its third batch; nothing kept"
    axis, points, (logits, softplus) = likelihood.coarse_grid(0)
    assert len(points) == len(axis) ** 2 == len(logits) == len(softplus)
    x = fashion.test_images[:4].reshape(4, -1) / 255.0
    np.testing.assert_allclose(likelihood.coarse_log_px(x, 0), shipped._likelihood_model().coarse_log_px(x, 0), rtol=1e-6)


def test_a_slice_through_the_whole_plane_is_the_posterior_and_a_rotated_one_keeps_its_integral(shipped, fashion):
    image = fashion.test_images[0]
    whole = shipped.posterior_slice(image, np.zeros(2), np.eye(2), points=48)
    post = shipped.posterior(image, points=48)
    assert whole.log_px == pytest.approx(post.log_px, abs=0.05)
    np.testing.assert_allclose(whole.modes[0], post.modes[0], atol=0.1)
    c, s = np.cos(0.6), np.sin(0.6)
    turned = shipped.posterior_slice(image, np.zeros(2), np.array([[c, s], [-s, c]]), points=96)
    assert turned.log_px == pytest.approx(post.log_px, abs=0.05)  # a rotation changes no area
    mode = turned.modes[0][0] * np.array([c, s]) + turned.modes[0][1] * np.array([-s, c])
    np.testing.assert_allclose(mode, post.modes[0], atol=0.1)
