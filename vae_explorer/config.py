"""The one place for names, paths, limits and the configuration dataclasses shared by the CLI, the GUI and the core."""

from __future__ import annotations

import math
import numbers
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from vae_explorer.cluster import check_tf_config
from vae_explorer.errors import ConfigError

CLASS_NAMES: tuple[str, ...] = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)

NUM_CLASSES = len(CLASS_NAMES)
IMAGE_SIZE = 28
PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str, package_dir: Path = PACKAGE_DIR) -> Path:
    """`models/` or `resources/`: at the top of a checkout (an editable install too), else the package's own
    copy, `_models` or `_resources`, which every installed wheel or sdist has beside its code (pyproject.toml)."""
    checkout = package_dir.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / name).is_dir():
        return checkout / name
    return package_dir / f"_{name}"


RESOURCES_DIR = data_dir("resources")
MODELS_DIR = data_dir("models")
DEFAULT_MODEL_PATH = MODELS_DIR / "cvae-fashion-latent2.keras"
# What `transfer` and `sample --class` open when no model is named: they need a class-conditional one.
CONDITIONAL_MODEL_PATH = MODELS_DIR / "cvae-fashion-conditional-latent2.keras"


def shipped_models() -> list[Path]:
    """The trained models that come with the app, by file name."""
    return sorted(MODELS_DIR.glob("*.keras"))

# Upper bounds that keep a typo from allocating the machine away; the GUI's inputs use the same.
MAX_LEARNING_RATE = 10.0  # high enough to watch a run diverge, which the trainer handles
MAX_LATENT_DIM = 64
MAX_BATCH_SIZE = 8192
MAX_EPOCHS = 10_000
MAX_FOURIER_FEATURES = 4096
MAX_SEED = 2**31 - 1  # TensorFlow's stateless ops take the seed as int32
MAX_SAMPLES = 2**24  # one call's prior samples: far more than memory holds as images
STRATEGIES = ("default", "mirrored", "multiworker")
# Training arithmetic: "bfloat16" is Keras' mixed_bfloat16 policy (bf16 compute, float32 weights and
# loss); "auto" picks it where the CPU computes bf16 natively (AVX-512 BF16 / AMX), float32 elsewhere.
PRECISIONS = ("auto", "float32", "bfloat16")


LABEL_CONDITIONINGS = ("film", "planes")


@dataclass(frozen=True)
class ModelConfig:
    """Architecture of the CVAE: conv encoder -> (mean, log variance), transposed-conv decoder -> logits."""

    latent_dim: int = 2
    beta: float = 1.0
    encoder_filters: tuple[int, ...] = (32, 64)
    decoder_filters: tuple[int, ...] = (48, 16)  # light, so one point decodes within the latency target (docs/models.md)
    hidden_units: int = 512
    hidden_layers: int = 1  # dense layers of `hidden_units` between the convs and the latent code, each side
    # The decoder's first layer sees [sin(zB), cos(zB), z] with a fixed random B, which fits a 2-D code
    # better than z alone (docs/models.md); 0 = z alone, as in models saved before the option existed.
    fourier_features: int = 128
    # The one-hot garment class enters the encoder and the decoder beside their dense layers, so the code
    # holds style and the class is asked for (Sohn et al. 2015); configurations saved before load as False.
    conditional: bool = False
    # A conditional model's penalty on the class its code holds: a small classifier reads the class from
    # the latent mean and the encoder is pushed, with this weight, to defeat it (docs/models.md). 0 = off;
    # an unconditional model has no class to push out and ignores it.
    class_penalty: float = 10.0
    # Where a conditional decoder takes the label besides its dense layer: "film", a per-class scale and shift
    # of every convolution stage's channels (Perez et al. 2018), or "planes", constant label planes beside
    # each stage's input, the first recipe (docs/models.md).
    label_conditioning: str = "film"
    # A conditional model's weight on the generative classifier's own cross-entropy (softmax over the classes
    # of -ELBO(x, y)), reaching the decoder only: p(x|y) learns to tell the classes apart (docs/models.md).
    class_discrimination: float = 0.0

    # Weights of the loss, not of the network: a fine-tune (`train --init-from`) may change them.
    LOSS_WEIGHTS = ("beta", "class_penalty", "class_discrimination")

    def architecture_differences(self, other: "ModelConfig") -> list[str]:
        """The settings that shape the network's weights and differ between the two, as "name: a vs b"."""
        ignored = self.LOSS_WEIGHTS + (() if self.conditional or other.conditional else ("label_conditioning",))
        return [f"{f.name}: {getattr(self, f.name)!r} vs {getattr(other, f.name)!r}" for f in fields(self)
                if f.name not in ignored and getattr(self, f.name) != getattr(other, f.name)]

    def validate(self) -> None:
        if not isinstance(self.latent_dim, int) or not 1 <= self.latent_dim <= MAX_LATENT_DIM:
            raise ConfigError(
                "latent dimension must be a whole number from 1 to {most}, got {value!r}", most=MAX_LATENT_DIM,
                value=self.latent_dim,
            )
        if not _finite(self.beta) or self.beta < 0:
            raise ConfigError("beta must be a finite number >= 0, got {value!r}", value=self.beta)
        for name in ("encoder_filters", "decoder_filters"):
            value = getattr(self, name)
            if not value or any(not isinstance(f, int) or f < 1 for f in value):
                raise ConfigError("{name} must be positive whole numbers, got {value!r}", name=name, value=value)
        if len(self.decoder_filters) != 2 or len(self.encoder_filters) != 2:
            raise ConfigError("encoder and decoder each take exactly two conv stages (28 -> 14 -> 7)")
        if not isinstance(self.hidden_units, int) or self.hidden_units < 0:
            raise ConfigError("hidden_units must be a whole number >= 0, got {value!r}", value=self.hidden_units)
        if not isinstance(self.hidden_layers, int) or not 0 <= self.hidden_layers <= 4:
            raise ConfigError("hidden_layers must be a whole number from 0 to 4, got {value!r}", value=self.hidden_layers)
        if not isinstance(self.conditional, bool):
            raise ConfigError("conditional must be true or false, got {value!r}", value=self.conditional)
        if self.label_conditioning not in LABEL_CONDITIONINGS:
            raise ConfigError("label conditioning must be one of {choices}, got {value!r}",
                              choices=", ".join(LABEL_CONDITIONINGS), value=self.label_conditioning)
        if not _finite(self.class_penalty) or self.class_penalty < 0:
            raise ConfigError("the class penalty must be a finite number >= 0, got {value!r}", value=self.class_penalty)
        if not _finite(self.class_discrimination) or self.class_discrimination < 0:
            raise ConfigError("the class discrimination weight must be a finite number >= 0, got {value!r}",
                              value=self.class_discrimination)
        if not isinstance(self.fourier_features, int) or not 0 <= self.fourier_features <= MAX_FOURIER_FEATURES:
            raise ConfigError(
                "Fourier features must be a whole number from 0 to {most}, got {value!r}",
                most=MAX_FOURIER_FEATURES, value=self.fourier_features,
            )


@dataclass(frozen=True)
class TrainingConfig:
    """Everything that decides a training run. Defaults are the shipped model's recipe."""

    epochs: int = 50
    batch_size: int = 128
    learning_rate: float = 2e-3
    final_learning_rate_fraction: float = 0.05
    kl_warmup_epochs: float = 0.0
    seed: int = 0
    train_limit: int | None = None
    strategy: str = "default"  # tf.distribute: "default" (one device), "mirrored", "multiworker"
    precision: str = "auto"  # one of PRECISIONS
    model: ModelConfig = field(default_factory=ModelConfig)

    def validate(self, n_train: int | None = None) -> None:
        """Refuse settings that cannot train, before any work starts."""
        self.model.validate()
        if not isinstance(self.epochs, int) or not 1 <= self.epochs <= MAX_EPOCHS:
            raise ConfigError("epochs must be a whole number from 1 to {most}, got {value!r}", most=MAX_EPOCHS,
                              value=self.epochs)
        if not isinstance(self.batch_size, int) or not 1 <= self.batch_size <= MAX_BATCH_SIZE:
            raise ConfigError(
                "batch size must be a whole number from 1 to {most}, got {value!r}", most=MAX_BATCH_SIZE,
                value=self.batch_size,
            )
        if not _finite(self.learning_rate) or not 0 < self.learning_rate <= MAX_LEARNING_RATE:
            raise ConfigError(
                "learning rate must be a number in (0, {most:g}], got {value!r}", most=MAX_LEARNING_RATE,
                value=self.learning_rate,
            )
        if not _finite(self.final_learning_rate_fraction) or not 0 < self.final_learning_rate_fraction <= 1:
            raise ConfigError(
                "final learning-rate fraction must be in (0, 1], got {value!r}",
                value=self.final_learning_rate_fraction,
            )
        if not _finite(self.kl_warmup_epochs) or self.kl_warmup_epochs < 0:
            raise ConfigError("KL warm-up must be a number of epochs >= 0, got {value!r}", value=self.kl_warmup_epochs)
        check_seed(self.seed)
        if self.train_limit is not None and (not isinstance(self.train_limit, int) or self.train_limit < 1):
            raise ConfigError("training-set size must be a whole number >= 1, got {value!r}", value=self.train_limit)
        if self.strategy not in STRATEGIES:
            raise ConfigError("strategy must be one of {choices}, got {value!r}", choices=", ".join(STRATEGIES),
                              value=self.strategy)
        if self.strategy == "multiworker":
            check_tf_config(os.environ.get("TF_CONFIG"))
        if self.precision not in PRECISIONS:
            raise ConfigError("precision must be one of {choices}, got {value!r}", choices=", ".join(PRECISIONS),
                              value=self.precision)
        if n_train is not None and self.batch_size > n_train:
            raise ConfigError(
                "batch size {batch} is larger than the {n} training images; choose a smaller batch or more images",
                batch=self.batch_size, n=n_train,
            )

    def to_dict(self) -> dict:
        data = asdict(self)
        data["model"]["encoder_filters"] = list(self.model.encoder_filters)
        data["model"]["decoder_filters"] = list(self.model.decoder_filters)
        if not self.model.conditional:  # written only when set: configurations from before it stay as they were
            del data["model"]["conditional"]
            del data["model"]["class_penalty"]
            del data["model"]["label_conditioning"]
        if not self.model.class_discrimination:  # likewise: conditional configurations from before it
            del data["model"]["class_discrimination"]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "TrainingConfig":
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known and k != "model"}
        model_data = dict(data.get("model", {}))
        for key in ("encoder_filters", "decoder_filters"):
            if key in model_data:
                model_data[key] = tuple(model_data[key])
        model_data.setdefault("fourier_features", 0)  # saved before the option existed: z alone
        if model_data.get("conditional"):  # a conditional model from before the penalty and FiLM
            model_data.setdefault("class_penalty", 0.0)
            model_data.setdefault("label_conditioning", "planes")
        model_known = {f.name for f in fields(ModelConfig)}
        model = ModelConfig(**{k: v for k, v in model_data.items() if k in model_known})
        return cls(model=model, **values)


def check_seed(seed: object) -> int:
    """A seed as TensorFlow's stateless random ops and NumPy's generators both take it (int32, >= 0)."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or not 0 <= seed <= MAX_SEED:
        raise ConfigError("seed must be a whole number from 0 to 2^31-1, got {value!r}", value=seed)
    return int(seed)


def check_sampling(n: object, temperature: object) -> tuple[int, float]:
    """How many samples and the prior's scale, as `sample` takes them: n >= 0, temperature finite and > 0."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or not 0 <= n <= MAX_SAMPLES:
        raise ConfigError("the number of samples must be a whole number from 0 to {most:,}, got {value!r}",
                          most=MAX_SAMPLES, value=n)
    if isinstance(temperature, bool) or not isinstance(temperature, numbers.Real) or not math.isfinite(temperature) \
            or not temperature > 0:
        raise ConfigError("temperature must be a finite number > 0 (1 is the prior itself), got {value!r}",
                          value=temperature)
    return int(n), float(temperature)


def _finite(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
