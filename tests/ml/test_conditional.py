"""A class-conditional model: the label to encoder and decoder, classification by generation, style transfer."""

import numpy as np
import pytest

from vae_explorer.config import CLASS_NAMES
from vae_explorer.errors import Cancelled, LabelError
from vae_explorer.ml.inference import class_indices, load_vae


def test_it_trains_saves_and_loads_with_its_card(conditional_trained):
    vae = load_vae(conditional_trained)
    assert vae.conditional and vae.card.training.config.model.conditional
    test = vae.card.test_metrics
    assert {"label_free_total_loss", "classification_accuracy"} <= set(test)
    # -log sum_y p(y) exp(-L_y) with p(y) = 1/10 is at most L_true + log 10
    assert test["label_free_total_loss"] <= test["total_loss"] + np.log(10) + 1e-3
    means, labels = vae.test_latents()
    assert means.shape == (2000, 2) and labels.shape == (2000,)


def test_the_same_code_under_two_labels_is_two_garments(conditional_trained):
    vae = load_vae(conditional_trained)
    z = np.array([0.3, -0.4], np.float32)
    trouser, bag = vae.decode_point(z, "Trouser"), vae.decode_point(z, 8)
    nearby = vae.decode_point(z + 0.05, "Trouser")
    assert np.abs(trouser - bag).mean() > max(0.05, 5 * np.abs(trouser - nearby).mean()), "the label matters"
    np.testing.assert_allclose(vae.decode(z[None], ["trouser"])[0], trouser, atol=1e-5)
    grid = vae.sample(20, seed=4)
    np.testing.assert_array_equal(grid, vae.sample(20, seed=4))  # labels drawn from the seed, repeatably


def test_classification_by_generation_beats_chance_clearly(conditional_trained, fashion):
    vae = load_vae(conditional_trained)
    images, labels = fashion.test_images[:500], fashion.test_labels[:500]
    p = vae.classify(images)
    assert p.shape == (500, 10) and np.allclose(p.sum(axis=1), 1)
    accuracy = float(np.mean(p.argmax(axis=1) == labels))
    assert accuracy > 0.4, f"generative classifier accuracy {accuracy:.2f} (chance 0.10)"
    a = vae.analyse(images[:8])
    np.testing.assert_array_equal(a["predicted_class"], p[:8].argmax(axis=1))
    # the predicted class has the lowest loss L: the label-free loss lies in [L, L + log 10]
    assert np.all(a["total_loss"] - 1e-3 <= a["label_free_loss"])
    assert np.all(a["label_free_loss"] <= a["total_loss"] + np.log(10) + 1e-3)


def test_refined_classification_scores_each_class_with_a_tighter_bound(conditional_vae, fashion):
    vae = conditional_vae
    # Each image is refined under all ten classes: 20 images are enough to show the gain and the accuracy.
    images, labels = fashion.test_images[:20], fashion.test_labels[:20]
    one_sample, refined = vae.class_losses(images), vae.class_losses(images, refine=True)
    assert refined.shape == (20, 10)
    assert refined.mean() < one_sample.mean() - 1, "refining q tightens every class's bound"
    assert float(np.mean(refined.argmin(axis=1) == labels)) > 0.4
    few = images[:6]
    p, few_refined = vae.classify(few, refine=True), vae.class_losses(few, refine=True)
    np.testing.assert_array_equal(p.argmax(axis=1), few_refined.argmin(axis=1))
    assert np.allclose(p.sum(axis=1), 1)
    t = vae.transfer(few[:2], to="Bag", refine=True)
    np.testing.assert_array_equal(t["labels"], few_refined[:2].argmin(axis=1))


def test_preparing_the_refinement_makes_every_class_grid_first_and_changes_no_verdict(conditional_trained,
                                                                                     conditional_vae, fashion):
    images = fashion.test_images[:6]
    vae = load_vae(conditional_trained)

    def made() -> list[bool]:
        return [vae._likelihood is not None and vae._likelihood.has_coarse_grid(k) for k in range(10)]

    assert not vae.prepare_refinement(lambda: True), "cancelled before the first piece"
    asked = []
    assert not vae.prepare_refinement(lambda: asked.append(1) or len(asked) > 1), "called off in the first grid"
    assert len(asked) == 2 and not any(made()), "one batch of its points decoded, the grid not kept"
    assert not vae.prepare_refinement(lambda: sum(made()) >= 3), "cancelled after three classes"
    assert made() == [True] * 3 + [False] * 7
    # The other seven made by the first refined verdict itself, cold; `conditional_vae` was prepared whole.
    cold = vae.class_losses(images, refine=True)
    assert all(made())
    assert all(conditional_vae._likelihood.has_coarse_grid(k) for k in range(10))
    np.testing.assert_allclose(conditional_vae.class_losses(images, refine=True), cold, rtol=1e-5)


def test_scoring_each_class_asks_before_each_and_stops_when_called_off(conditional_trained, fashion):
    vae, asked = load_vae(conditional_trained), []
    with pytest.raises(Cancelled):
        vae.class_scores(fashion.test_images[:20], cancelled=lambda: asked.append(1) or len(asked) > 3)
    assert len(asked) == 4, "three classes scored, the fourth called off"
    done = []
    assert vae.class_scores(fashion.test_images[:20], progress=done.append)["total_loss"].shape == (20, 10)
    assert done == list(range(1, 11))


def test_transfer_decodes_one_style_as_every_class(conditional_trained, fashion):
    vae = load_vae(conditional_trained)
    t = vae.transfer(fashion.test_images[:3])
    assert t["images"].shape == (3, 10, 28, 28) and t["probabilities"].shape == (3, 10)
    one = vae.transfer(fashion.test_images[:3], to="Bag", labels=[0, 1, 2])
    assert one["images"].shape == (3, 1, 28, 28) and one["probabilities"] is None
    np.testing.assert_array_equal(one["labels"], [0, 1, 2])


def test_labels_are_indices_or_names_and_wrong_ones_say_what_exists(tiny_trained, conditional_trained):
    np.testing.assert_array_equal(class_indices(["bag", "Ankle boot", 3]), [8, 9, 3])
    with pytest.raises(LabelError, match="Ankle boot"):
        class_indices("hat")
    with pytest.raises(LabelError, match="not class-conditional"):
        load_vae(tiny_trained).decode_point(np.zeros(2), "Bag")
    with pytest.raises(LabelError, match="needs labels"):
        load_vae(conditional_trained).encode(np.zeros((1, 28, 28), np.uint8))
    assert len(CLASS_NAMES) == 10


def test_a_conditional_run_checkpoints_and_resumes(small_data, tiny_config, tmp_path):
    import dataclasses

    from vae_explorer.ml.trainer import Trainer, TrainingControl, TrainingListener

    control = TrainingControl()

    class StopAfterFirstEpoch(TrainingListener):
        def on_epoch(self, m):
            control.stop()

    config = dataclasses.replace(tiny_config, epochs=2, model=dataclasses.replace(tiny_config.model, conditional=True))
    checkpoint = tmp_path / "run.checkpoint.keras"
    stopped = Trainer(config, small_data, StopAfterFirstEpoch(), control, checkpoint_path=checkpoint).run()
    assert stopped.status == "stopped" and stopped.epochs_completed == 1
    resumed = Trainer(config, small_data, checkpoint_path=checkpoint).run(resume_from=checkpoint)
    assert resumed.status == "completed" and resumed.epochs_completed == 2 and resumed.model.conditional
    assert np.isfinite(resumed.last_epoch.val_total_loss)


def test_the_class_penalty_reverses_the_readers_gradient_trains_and_saves(small_data, tiny_config, tmp_path):
    """The reader learns the class from the code while the encoder gets its gradient reversed and scaled;
    the model saves and loads with its penalty (docs/models.md measures what it does to the code)."""
    import dataclasses

    from vae_explorer.errors import ConfigError

    import keras

    from vae_explorer.ml.card import finish_run
    from vae_explorer.ml.model import reversed_gradient
    from vae_explorer.ml.storage import save_model
    from vae_explorer.ml.trainer import Trainer

    x = keras.ops.convert_to_tensor(np.array([[1.0, -2.0]], np.float32))
    import tensorflow as tf

    with tf.GradientTape() as tape:
        tape.watch(x)
        y = keras.ops.sum(reversed_gradient(x, 3.0) * np.array([[1.0, 2.0]], np.float32))
    np.testing.assert_allclose(reversed_gradient(x, 3.0), x)
    np.testing.assert_allclose(tape.gradient(y, x), [[-3.0, -6.0]])

    with pytest.raises(ConfigError, match="class penalty"):
        dataclasses.replace(tiny_config.model, conditional=True, class_penalty=-1.0).validate()
    from vae_explorer.ml.model import build_cvae

    assert build_cvae(dataclasses.replace(tiny_config.model, class_penalty=5.0)).class_reader is None, \
        "an unconditional model has no class to push out"
    model = dataclasses.replace(tiny_config.model, conditional=True, class_penalty=5.0)
    result = Trainer(dataclasses.replace(tiny_config, epochs=2, model=model), small_data).run()
    assert result.status == "completed" and result.model.class_reader is not None
    passes = []
    card = finish_run(result, small_data, progress=lambda done, total: passes.append((done, total))).card
    assert passes == [(k, 20) for k in range(1, 21)], "the card's passes, each class's twice, told as they end"
    path = save_model(result.model, tmp_path / "penalised.keras", card)
    vae = load_vae(path)
    assert vae.model.config.class_penalty == 5.0 and vae.card.training.config.model.class_penalty == 5.0
    np.testing.assert_allclose(vae.decode_point(np.zeros(2), 3), load_vae(path).decode_point(np.zeros(2), 3))


def test_class_discrimination_reaches_the_decoder_only_trains_and_saves(small_data, tiny_config, tmp_path):
    """The generative classifier's cross-entropy: the decoder's gradient only, its weight saved and loaded
    (docs/models.md measures what it does to the classifier)."""
    import dataclasses

    import tensorflow as tf

    from vae_explorer.errors import ConfigError
    from vae_explorer.ml.card import finish_run
    from vae_explorer.ml.model import build_cvae, split_batch
    from vae_explorer.ml.storage import save_model
    from vae_explorer.ml.trainer import Trainer

    with pytest.raises(ConfigError, match="class discrimination"):
        dataclasses.replace(tiny_config.model, conditional=True, class_discrimination=float("nan")).validate()
    assert build_cvae(dataclasses.replace(tiny_config.model, class_discrimination=2.0)).config.class_discrimination == 0, \
        "an unconditional model has no classes to tell apart"
    config = dataclasses.replace(tiny_config.model, conditional=True, class_discrimination=2.0)
    model = build_cvae(config)
    images, labels = split_batch((small_data.train_images[:64], small_data.train_labels[:64]), True)
    with tf.GradientTape(persistent=True) as tape:
        term = model.class_discrimination_loss(images, labels)
    assert float(term) > 0 and np.isfinite(float(term))
    assert all(tape.gradient(term, w) is None for w in model.encoder.trainable_weights), "q is held fixed for it"
    assert any(float(tf.reduce_sum(tf.abs(g))) > 0 for g in tape.gradient(term, model.decoder.trainable_weights))
    result = Trainer(dataclasses.replace(tiny_config, epochs=1, model=config), small_data).run()
    assert result.status == "completed" and np.isfinite(result.last_epoch.val_total_loss)
    path = save_model(result.model, tmp_path / "discriminating.keras", finish_run(result, small_data).card)
    vae = load_vae(path)
    assert vae.model.config.class_discrimination == 2.0 and vae.card.training.config.model.class_discrimination == 2.0
    assert vae.card.architecture["class_discrimination"] == 2.0


def test_a_conditional_configuration_from_before_film_and_the_penalty_reads_as_it_was_trained():
    from vae_explorer.config import ModelConfig, TrainingConfig

    saved = TrainingConfig(model=ModelConfig(conditional=True)).to_dict()
    assert saved["model"]["label_conditioning"] == "film" and saved["model"]["class_penalty"] == 10.0
    del saved["model"]["label_conditioning"], saved["model"]["class_penalty"]  # what the first version wrote
    old = TrainingConfig.from_dict(saved).model
    assert old.conditional and old.label_conditioning == "planes" and old.class_penalty == 0.0
    plain = TrainingConfig().to_dict()["model"]
    assert "class_penalty" not in plain and "label_conditioning" not in plain, "unconditional configs stay as they were"
    assert TrainingConfig.from_dict(TrainingConfig().to_dict()) == TrainingConfig()


def test_both_label_placements_build_decode_and_differ_by_label(tiny_config):
    import dataclasses

    from vae_explorer.ml.inference import VAE
    from vae_explorer.ml.model import build_cvae

    for placement in ("film", "planes"):
        model = build_cvae(dataclasses.replace(tiny_config.model, conditional=True, label_conditioning=placement))
        names = {layer.name for layer in model.decoder.layers}
        assert ("film_scale1" in names) == (placement == "film") and ("label_planes1" in names) == (placement == "planes")
        vae = VAE(model)
        z = np.array([0.1, 0.2], np.float32)
        np.testing.assert_allclose(vae.decode_point(z, 4), vae.decode(z[None], 4)[0], atol=1e-5)


def test_a_beta_model_is_classified_by_its_elbo_not_its_training_objective(tiny_config, fashion):
    import dataclasses

    from vae_explorer.ml.inference import VAE
    from vae_explorer.ml.model import build_cvae

    model = build_cvae(dataclasses.replace(tiny_config.model, conditional=True, beta=0.25))
    model.encoder.get_layer("z_mean").bias.assign([1.5, -2.0])  # codes away from the prior: a KL of a few nats
    vae = VAE(model)
    images = fashion.test_images[:6]
    scores = vae.class_scores(images)
    assert np.all(scores["kl_loss"] > 2)
    elbo = scores["ce_loss"] + scores["kl_loss"]  # -ELBO at beta = 1: the bound classification needs
    np.testing.assert_allclose(vae.class_losses(images), elbo, rtol=1e-6)
    assert np.all(scores["total_loss"] < elbo - 1.5)  # ce + 0.25 KL, what this model trains on
    a = vae.analyse(images)
    np.testing.assert_array_equal(a["predicted_class"], elbo.argmin(axis=1))
    # the refined bound, too, is of -log p(x|y): the same weights with beta = 1 refine to the same
    refined = vae.refine(images[:3], [0, 1, 2], steps=3)
    model.beta = 1.0
    again = VAE(model).refine(images[:3], [0, 1, 2], steps=3)
    np.testing.assert_allclose(refined.negative_elbo, again.negative_elbo, rtol=1e-5)
    np.testing.assert_allclose(refined.encoder_negative_elbo, again.encoder_negative_elbo, rtol=1e-5)
