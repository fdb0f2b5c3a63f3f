import numpy as np

import vae_explorer
from vae_explorer.config import DEFAULT_MODEL_PATH, MODELS_DIR


def test_shipped_model_loads_with_its_card_and_works():
    vae = vae_explorer.load_model()
    assert vae.path == DEFAULT_MODEL_PATH and vae.latent_dim == 2
    card = vae.card
    assert card.training.status == "completed" and card.training.n_train == 60000
    assert card.test_metrics["total_loss"] < 263.8, "better than the keras-io reference after 30 epochs"
    means, labels = vae.test_latents()
    assert means.shape == (10000, 2) and np.bincount(labels).tolist() == [1000] * 10
    image = vae.decode_point(np.zeros(2, np.float32))
    assert image.shape == (28, 28) and 0 <= image.min() and image.max() <= 1


def test_shipped_model_scores_the_test_set_as_its_card_says(fashion):
    vae = vae_explorer.load_model()
    scores = vae.evaluate(fashion.test_images[:2000])
    assert abs(scores["total_loss"] - vae.card.test_metrics["total_loss"]) < 5
    typical = vae.anomaly_percentile(vae.elbo(fashion.test_images[:200])["total_loss"])
    assert 20 < np.median(typical) < 80


def test_second_shipped_model_meets_the_245_aim_with_8_latent_dimensions(fashion):
    vae = vae_explorer.load_model(MODELS_DIR / "cvae-fashion-latent8.keras")
    assert vae.latent_dim == 8 and vae.card.training.n_train == 60000
    assert vae.card.test_metrics["total_loss"] <= 245
    scores = vae.evaluate(fashion.test_images[:2000])
    assert abs(scores["total_loss"] - vae.card.test_metrics["total_loss"]) < 5
    assert vae.decode_point(np.zeros(8, np.float32)).shape == (28, 28)
