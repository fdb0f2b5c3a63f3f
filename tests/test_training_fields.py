"""The settings table: configuration <-> values <-> CLI options, one declaration."""

import pytest

from vae_explorer.cli import build_parser, training_config_from_args
from vae_explorer.config import ModelConfig, TrainingConfig
from vae_explorer.training_fields import FIELDS, cli_arguments, config_values, make_config


def test_every_configuration_setting_has_a_field():
    names = {f.name for f in FIELDS}
    top = set(TrainingConfig.__dataclass_fields__) - {"model"}
    model = {"latent_dim", "beta", "hidden_units", "hidden_layers", "fourier_features"}
    assert top <= names and model <= names
    assert set(ModelConfig.__dataclass_fields__) - names == {"encoder_filters", "decoder_filters"}


def test_values_round_trip_and_unknown_names_are_refused():
    config = make_config({"epochs": 7, "latent_dim": 3, "train_limit": 640, "precision": "float32"})
    assert (config.epochs, config.model.latent_dim, config.train_limit, config.precision) == (7, 3, 640, "float32")
    assert make_config(config_values(config)) == config
    with pytest.raises(KeyError, match="unknown training settings: nope"):
        make_config({"nope": 1})


def test_cli_arguments_give_back_the_same_configuration():
    config = make_config({"epochs": 3, "batch_size": 64, "learning_rate": 0.0005, "beta": 0.5, "latent_dim": 4,
                          "train_limit": 640, "strategy": "mirrored", "kl_warmup_epochs": 1.5, "seed": 9})
    args = build_parser().parse_args(["train", *cli_arguments(config)])
    assert training_config_from_args(args) == config
    assert cli_arguments(TrainingConfig()) == []
