"""The model card: the JSON file beside every model and checkpoint, as one typed record.

Readable without Keras or TensorFlow (the GUI's Continue button and the CLI's `--resume` read it
before anything heavy loads). Card files written before this type existed load unchanged; keys it
does not know are kept and written back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

import numpy as np

from vae_explorer.config import TrainingConfig
from vae_explorer.errors import ModelFileError
from vae_explorer.ml.progress import BatchMetrics, EpochMetrics, batches_from_rows, batches_to_rows

CARD_FORMAT = "vae-explorer-model-card"
CARD_VERSION = 1


def card_path(model_path: Path | str) -> Path:
    """The model card (JSON) beside a model or checkpoint file."""
    return Path(model_path).with_suffix(".json")


@dataclass(frozen=True)
class TrainingRecord:
    """How the model was trained: the run's configuration and how far it got."""

    config: TrainingConfig | None = None
    status: str | None = None  # "completed", "stopped" or "diverged"; None for a checkpoint
    precision: str | None = None
    epochs_completed: int = 0
    batch_size: int | None = None
    seed: int | None = None
    n_train: int | None = None
    wall_time_s: float = 0.0
    message: str = ""
    # A fine-tune's starting point: {"file", "sha256", "epochs_completed"} of the model it began from.
    init_from: dict | None = None

    def to_dict(self) -> dict:
        data = {"config": self.config.to_dict() if self.config else None}
        for name in ("status", "precision", "epochs_completed", "batch_size", "seed", "n_train", "wall_time_s",
                     "message", "init_from"):
            value = getattr(self, name)
            if value is not None and not (name == "message" and not value):
                data[name] = value
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "TrainingRecord":
        config = TrainingConfig.from_dict(data["config"]) if data.get("config") else None
        known = {f.name for f in fields(cls)} - {"config"}
        return cls(config=config, **{k: v for k, v in data.items() if k in known})


@dataclass(frozen=True)
class ModelCard:
    """What a user needs to know about a model, and what the explorer needs without the dataset."""

    latent_dim: int
    beta: float = 1.0
    created: str = ""
    architecture: dict = field(default_factory=dict)
    versions: dict = field(default_factory=dict)
    training: TrainingRecord = field(default_factory=TrainingRecord)
    checkpoint: bool = False
    metrics: dict | None = None  # {"train": {...}, "test": {total_loss, ce_loss, kl_loss}, "units": ...}
    history: tuple[EpochMetrics, ...] = ()
    batches: tuple[BatchMetrics, ...] = ()  # a checkpoint's completed epochs, batch by batch
    dataset: dict | None = None
    test_latents: dict | None = None  # {"mean": N x latent_dim, "labels": N}: the encoded test set
    test_total_losses: tuple[float, ...] | None = None  # sorted: the reference of the anomaly percentile
    notes: str = ""
    model_file_sha256: str | None = None
    extra: dict = field(default_factory=dict)  # keys this version does not know, kept as they were

    # --- reading ---------------------------------------------------------------------------------
    @property
    def test_metrics(self) -> dict | None:
        """Mean test-set total_loss, ce_loss and kl_loss, where the card records them."""
        return (self.metrics or {}).get("test") or None

    @property
    def refined_classification_accuracy(self) -> float | None:
        """A conditional model's accuracy classifying by refined -ELBOs, where a benchmark recorded it on
        the whole test set (`benchmarks/conditional.py --refine-classify`)."""
        measured = (self.metrics or {}).get("conditional_benchmark") or {}
        n_test = (self.dataset or {}).get("n_test")
        if n_test and measured.get("refined_classify_images") == n_test:
            return measured.get("refined_classification_accuracy")
        return None

    def encoded_test_set(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The encoded test set (means, labels), or None."""
        if not self.test_latents:
            return None
        return np.asarray(self.test_latents["mean"], np.float32), np.asarray(self.test_latents["labels"], np.int64)

    def with_checksum(self, digest: str) -> "ModelCard":
        return replace(self, model_file_sha256=digest)

    # --- JSON ------------------------------------------------------------------------------------
    def to_dict(self) -> dict:
        data: dict = {"format": CARD_FORMAT, "version": CARD_VERSION}
        if self.created:
            data["created"] = self.created
        data.update(latent_dim=self.latent_dim, beta=self.beta, architecture=self.architecture,
                    versions=self.versions, training=self.training.to_dict())
        if self.checkpoint:
            data["checkpoint"] = True
        optional = {
            "metrics": self.metrics,
            "history": [e.as_dict() for e in self.history] if self.history or self.checkpoint else None,
            "batches": batches_to_rows(self.batches) if self.batches else None,
            "dataset": self.dataset,
            "test_latents": self.test_latents,
            "test_total_losses": list(self.test_total_losses) if self.test_total_losses is not None else None,
            "model_file_sha256": self.model_file_sha256,
            "notes": self.notes or None,
        }
        data.update({k: v for k, v in optional.items() if v is not None})
        data.update(self.extra)
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1, allow_nan=False)

    @classmethod
    def from_dict(cls, data: dict) -> "ModelCard":
        if not isinstance(data, dict) or data.get("format") != CARD_FORMAT:
            raise ValueError("not a VAE Explorer model card")
        known = {f.name for f in fields(cls)} | {"format", "version"}
        losses = data.get("test_total_losses")
        return cls(
            latent_dim=int(data["latent_dim"]),
            beta=float(data.get("beta", 1.0)),
            created=data.get("created", ""),
            architecture=data.get("architecture") or {},
            versions=data.get("versions") or {},
            training=TrainingRecord.from_dict(data.get("training") or {}),
            checkpoint=bool(data.get("checkpoint", False)),
            metrics=data.get("metrics"),
            history=tuple(EpochMetrics(**e) for e in data.get("history") or ()),
            batches=batches_from_rows(data.get("batches") or ()),
            dataset=data.get("dataset"),
            test_latents=data.get("test_latents"),
            test_total_losses=tuple(losses) if losses is not None else None,
            notes=data.get("notes", ""),
            model_file_sha256=data.get("model_file_sha256"),
            extra={k: v for k, v in data.items() if k not in known},
        )

    @classmethod
    def from_json(cls, text: str) -> "ModelCard":
        return cls.from_dict(json.loads(text))


def read_model_card(model_path: Path | str) -> ModelCard | None:
    """The card beside a model file; None if there is none, ModelFileError if it cannot be used."""
    path = card_path(model_path)
    if not path.exists():
        return None
    try:
        return ModelCard.from_json(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelFileError("the model card {path} cannot be read ({reason}); restore it, or move it aside to load "
                             "the model without its card", path=path, reason=exc) from None
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelFileError("{path} is not a VAE Explorer model card ({reason}); restore it, or move it aside to "
                             "load the model without its card", path=path, reason=exc) from None


@dataclass(frozen=True)
class CheckpointProgress:
    """How far the run that wrote a checkpoint got, from its card alone."""

    config: TrainingConfig
    epochs_completed: int

    @property
    def finished(self) -> bool:
        return self.epochs_completed >= self.config.epochs


def read_checkpoint_progress(path: Path | str) -> CheckpointProgress | None:
    """What the card of a checkpoint (or saved model) says about its run; None where there is no
    readable training record (the trainer reports what is wrong with the file when asked to resume)."""
    path = Path(path)
    try:
        if not path.is_file():
            return None
        training = json.loads(card_path(path).read_text(encoding="utf-8"))["training"]
        record = TrainingRecord.from_dict(training)
        if record.config is None:
            return None
        return CheckpointProgress(record.config, int(record.epochs_completed))
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        return None


def record_measurement(model_path: Path | str, key: str, figures: dict, stamp: str | None = "measured") -> None:
    """Add a benchmark's figures to a model's card under `metrics[key]`, with when, where and by which
    command they were measured under `stamp` (None: figures alone); the card is replaced atomically."""
    import os
    import sys
    import time

    from vae_explorer.fileio import atomic_write

    card = read_model_card(model_path)
    if card is None:
        raise ModelFileError("{path} has no model card to record the figures in", path=model_path)
    measured = f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPUs, `python {' '.join(sys.argv)}`"
    card = replace(card, metrics={**(card.metrics or {}), key: {**figures, **({stamp: measured} if stamp else {})}})
    text = card.to_json()
    atomic_write(card_path(model_path), lambda tmp: tmp.write_text(text, encoding="utf-8"))
