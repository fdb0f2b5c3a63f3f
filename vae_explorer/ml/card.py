"""The model card written beside a finished model: facts for people, data for the explorer."""

from __future__ import annotations

from vae_explorer.ml.data import DATASET_CHECKSUM, FashionMNIST
from vae_explorer.ml.inference import VAE
from vae_explorer.ml.storage import base_card
from vae_explorer.ml.trainer import TrainingResult


def _rounded(values, digits: int) -> list:
    return [round(float(v), digits) for v in values]


def build_model_card(vae: VAE, result: TrainingResult, data: FashionMNIST, notes: str = "") -> dict:
    """Everything the card promises; encodes and scores the test set once (a few seconds)."""
    card = base_card(vae.model, result.config)
    test = data.test_images
    scores = vae.elbo(test)
    means, _ = vae.encode(test)
    last = result.last_epoch
    card["training"].update(
        {
            "status": result.status,
            "precision": result.precision,
            "epochs_completed": result.epochs_completed,
            "batch_size": result.config.batch_size,
            "seed": result.config.seed,
            "n_train": len(data.train_images[: result.config.train_limit]),
            "wall_time_s": round(result.wall_time_s, 1),
            "message": result.message,
        }
    )
    card["metrics"] = {
        "train": {
            "total_loss": last.total_loss if last else None,
            "ce_loss": last.ce_loss if last else None,
            "kl_loss": last.kl_loss if last else None,
            "note": "running mean over the last epoch, as trained",
        },
        "test": {name: round(float(values.mean()), 3) for name, values in scores.items()},
        "units": "nats per image",
    }
    card["history"] = [e.as_dict() for e in result.history]
    card["dataset"] = {"name": "Fashion-MNIST", "checksum": DATASET_CHECKSUM, "n_test": len(test)}
    card["test_latents"] = {"mean": [_rounded(row, 4) for row in means], "labels": [int(v) for v in data.test_labels]}
    card["test_total_losses"] = _rounded(sorted(scores["total_loss"]), 2)
    if notes:
        card["notes"] = notes
    return card
