"""The model card type: every card file the app has written loads, and writes back the same JSON."""

import json

import pytest

from vae_explorer.config import MODELS_DIR, TrainingConfig
from vae_explorer.model_card import ModelCard, card_path, read_checkpoint_progress, read_model_card


@pytest.mark.parametrize("name", ["cvae-fashion-latent2.json", "cvae-fashion-latent8.json",
                                  "cvae-fashion-conditional-latent2.json"])
def test_shipped_cards_round_trip_to_the_same_json(name):
    """The shipped cards were written as dicts before this type existed: the same keys and values come back."""
    text = (MODELS_DIR / name).read_text(encoding="utf-8")
    card = ModelCard.from_json(text)
    assert json.loads(card.to_json()) == json.loads(text)
    assert card.training.config == TrainingConfig.from_dict(json.loads(text)["training"]["config"])
    means, labels = card.encoded_test_set()
    assert means.shape == (10000, card.latent_dim) and labels.shape == (10000,)
    assert card.test_metrics["total_loss"] > 0 and len(card.history) == card.training.epochs_completed


def test_unknown_keys_are_kept_and_other_files_refused(tmp_path):
    card = ModelCard.from_dict({"format": "vae-explorer-model-card", "version": 1, "latent_dim": 3, "later": {"x": 1}})
    assert card.extra == {"later": {"x": 1}} and json.loads(card.to_json())["later"] == {"x": 1}
    model = tmp_path / "m.keras"
    assert read_model_card(model) is None
    card_path(model).write_text('{"format": "something else"}')
    with pytest.raises(Exception, match="not a VAE Explorer model card .*move it aside to load the model without its card"):
        read_model_card(model)
    card_path(model).write_text('{"format": "vae-explorer-model-card", "latent_dim": 2, "training": ')  # cut short
    with pytest.raises(Exception, match=r"cannot be read \(Expecting value.*\); restore it, or move it aside"):
        read_model_card(model)


def test_checkpoint_progress_reads_only_the_training_record(tmp_path):
    path = tmp_path / "run.checkpoint.keras"
    assert read_checkpoint_progress(path) is None
    path.write_bytes(b"PK")
    card_path(path).write_text(json.dumps({"training": {"config": TrainingConfig(epochs=4).to_dict(), "epochs_completed": 1}}))
    progress = read_checkpoint_progress(path)
    assert progress.epochs_completed == 1 and progress.config.epochs == 4 and not progress.finished
    card_path(path).write_text("{not json")
    assert read_checkpoint_progress(path) is None


def test_a_benchmark_records_its_figures_beside_the_cards_other_metrics(tmp_path):
    import shutil

    from vae_explorer.errors import ModelFileError
    from vae_explorer.model_card import record_measurement

    model = tmp_path / "m.keras"
    shutil.copy(MODELS_DIR / "cvae-fashion-latent2.json", card_path(model))
    before = read_model_card(model).metrics or {}
    record_measurement(model, "likelihood", {"negative_elbo": {"mean": 1.0}})
    after = read_model_card(model).metrics
    assert after["likelihood"]["negative_elbo"] == {"mean": 1.0} and "measured" in after["likelihood"]
    assert {k: v for k, v in after.items() if k != "likelihood"} == {k: v for k, v in before.items() if k != "likelihood"}
    with pytest.raises(ModelFileError):
        record_measurement(tmp_path / "no-card.keras", "x", {})


def test_the_refined_accuracy_is_read_only_where_it_was_measured_on_the_whole_test_set():
    def card(images):
        return ModelCard(latent_dim=2, dataset={"n_test": 10000}, metrics={"conditional_benchmark": {
            "refined_classify_images": images, "refined_classification_accuracy": 0.853}})

    assert card(10000).refined_classification_accuracy == 0.853
    assert card(2000).refined_classification_accuracy is None, "a part of the test set is not the test set"
    assert ModelCard(latent_dim=2).refined_classification_accuracy is None
