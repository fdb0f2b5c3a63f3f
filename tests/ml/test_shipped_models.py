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


def test_shipped_conditional_model_classifies_and_moves_styles_as_its_card_says(fashion, shipped_conditional):
    vae = shipped_conditional
    card = vae.card
    assert vae.conditional and vae.latent_dim == 2 and card.training.n_train == 60000
    config = card.training.config.model
    assert config.label_conditioning == "film" and config.class_penalty == 10.0
    images, labels = fashion.test_images[:1000], fashion.test_labels[:1000]
    probabilities = vae.classify(images)
    accuracy = float(np.mean(probabilities.argmax(axis=1) == labels))
    assert abs(accuracy - card.test_metrics["classification_accuracy"]) < 0.04
    given = vae.evaluate(images, labels)["total_loss"]
    assert abs(given - card.test_metrics["total_loss"]) < 5
    assert card.test_metrics["label_free_total_loss"] < 255.43, "the label-free bound beats the unconditional model"
    benchmark = card.metrics["conditional_benchmark"]
    assert benchmark["code_probe_accuracy"] <= 0.2, "the code holds style, not class"
    assert min(benchmark["sample_success"], benchmark["transfer_success"]) >= 0.9, "the judges read the swaps"
    # Samples asked for as each class: the model's own classifier reads most of them as that class.
    asked = np.repeat(np.arange(10), 20)
    assert np.mean(vae.classify(vae.sample(len(asked), seed=1, labels=asked)).argmax(axis=1) == asked) > 0.9
    # The same style as a trouser and as a bag: two different garments.
    z = np.zeros(2, np.float32)
    assert np.abs(vae.decode_point(z, "Trouser") - vae.decode_point(z, "Bag")).mean() > 0.1
