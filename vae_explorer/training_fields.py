"""The training settings as one table: each field's place in `TrainingConfig`, its CLI option, its
label, range and help. The Train form, its QSettings, the CLI's `train` options and the printed
resume command are all made from it, so a setting is declared once.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from vae_explorer.config import (
    LABEL_CONDITIONINGS,
    MAX_BATCH_SIZE,
    MAX_EPOCHS,
    MAX_FOURIER_FEATURES,
    MAX_LATENT_DIM,
    MAX_LEARNING_RATE,
    PRECISIONS,
    STRATEGIES,
    TrainingConfig,
)


@dataclass(frozen=True)
class Field:
    """One setting. `kind` is int, float, bool (a flag) or str (one of `choices`); `optional` ints may be None."""

    name: str  # attribute of TrainingConfig, or of its ModelConfig when `model` is true
    option: str  # the CLI option
    label: str  # the Train form's label; "" = not in the form
    help: str
    kind: type = int
    low: float = 0
    high: float = 2**31 - 1
    decimals: int = 0
    step: float = 1
    choices: tuple[str, ...] = ()
    model: bool = False
    optional: bool = False  # None is a value (train_limit: all images)
    metavar: str | None = None

    def get(self, config: TrainingConfig):
        return getattr(config.model if self.model else config, self.name)

    @property
    def in_form(self) -> bool:
        return bool(self.label)


FIELDS: tuple[Field, ...] = (
    Field("epochs", "--epochs", "Epochs", "passes over the training set", low=1, high=MAX_EPOCHS),
    Field("batch_size", "--batch-size", "Batch size", "images per optimisation step", low=8, high=MAX_BATCH_SIZE),
    Field("learning_rate", "--learning-rate", "Learning rate", "Adam's starting rate, cosine-decayed over the run",
          kind=float, low=1e-5, high=MAX_LEARNING_RATE, decimals=5, step=1e-4),
    Field("final_learning_rate_fraction", "--final-lr-fraction", "",
          "learning rate at the end, as a fraction of the start", kind=float, low=1e-6, high=1.0),
    Field("latent_dim", "--latent-dim", "Latent dimension", "latent dimensions; 2 makes the latent plane the whole "
          "latent space", low=1, high=MAX_LATENT_DIM, model=True),
    Field("beta", "--beta", "β (KL weight)", "weight of the KL term (1 = the true ELBO)", kind=float, low=0.0,
          high=100.0, decimals=2, step=0.1, model=True),
    Field("kl_warmup_epochs", "--kl-warmup", "KL warm-up (epochs)", "ramp the KL weight from 0 to beta over this many "
          "epochs (0: no warm-up)", kind=float, low=0.0, high=1000.0, decimals=1, step=1.0, metavar="EPOCHS"),
    Field("hidden_units", "--hidden-units", "", "width of the dense layers beside the latent code", model=True),
    Field("hidden_layers", "--hidden-layers", "", "dense layers on each side of the latent code", model=True),
    Field("fourier_features", "--fourier-features", "Fourier features", "the decoder sees sin and cos of N fixed "
          "random projections of the latent code beside the code itself; 0 = the code alone",
          high=MAX_FOURIER_FEATURES, model=True, metavar="N"),
    Field("conditional", "--conditional", "Condition on the garment class", "give the garment class to the encoder "
          "and the decoder: the latent code then holds style, and samples, the plane and style transfer are of "
          "the class you pick", kind=bool, model=True),
    Field("class_penalty", "--class-penalty", "", "a conditional model's penalty on the class its latent code "
          "holds (a classifier reads the class from the code; the encoder learns to defeat it): the code then holds "
          "style only; 0 = off", kind=float, low=0.0, high=1000.0, model=True, metavar="WEIGHT"),
    Field("class_discrimination", "--class-discrimination", "", "a conditional model's weight on its own "
          "classifier's cross-entropy (softmax over the classes of -ELBO(x, y), on a quarter of each batch scored "
          "under every class; it reaches the decoder only): the model tells the classes apart better, for about "
          "twice the work per step; 0 = off", kind=float, low=0.0, high=1000.0, model=True, metavar="WEIGHT"),
    Field("label_conditioning", "--label-conditioning", "", "how a conditional decoder's convolution stages take "
          "the class: film (a per-class scale and shift of their channels) or planes (constant label planes beside "
          "their input)", kind=str, choices=LABEL_CONDITIONINGS, model=True),
    Field("seed", "--seed", "Seed", "random seed; same seed, same run"),
    Field("precision", "--precision", "Precision", "training arithmetic: float32, or bfloat16 (Keras mixed_bfloat16: "
          "bf16 compute, float32 weights and loss); auto = bfloat16 on CPUs with native bf16 (AVX-512 BF16 / AMX), "
          "else float32. Saved models always compute in float32", kind=str, choices=PRECISIONS),
    Field("strategy", "--strategy", "", "tf.distribute strategy: default (one device), mirrored (all GPUs, or all "
          "logical CPUs), multiworker (several machines, each with its TF_CONFIG)", kind=str, choices=STRATEGIES),
    Field("train_limit", "--limit", "Training images", "train on the first N training images only", low=1,
          high=60_000, optional=True, metavar="N"),
)
BY_NAME = {f.name: f for f in FIELDS}


def config_values(config: TrainingConfig) -> dict:
    """Every field's value in a configuration, by name."""
    return {f.name: f.get(config) for f in FIELDS}


def make_config(values: dict, base: TrainingConfig | None = None) -> TrainingConfig:
    """`base` (default: the defaults) with the given fields replaced; unknown names are refused."""
    base = base or TrainingConfig()
    unknown = set(values) - set(BY_NAME)
    if unknown:
        raise KeyError(f"unknown training settings: {', '.join(sorted(unknown))}")
    top = {k: v for k, v in values.items() if not BY_NAME[k].model}
    model = {k: v for k, v in values.items() if BY_NAME[k].model}
    return dataclasses.replace(base, **top, model=dataclasses.replace(base.model, **model))


def cli_arguments(config: TrainingConfig) -> list[str]:
    """The `train` options that give this configuration (those that differ from the defaults)."""
    defaults = config_values(TrainingConfig())
    args: list[str] = []
    for f in FIELDS:
        value = f.get(config)
        if value == defaults[f.name] or value is None:
            continue
        if f.kind is bool:
            args += [f.option] if value else []
        else:
            args += [f.option, repr(value) if f.kind is float else str(value)]
    return args
