"""Writing model cards: the facts for people, the data for the explorer, and a finished run as a model."""

from __future__ import annotations

import datetime as dt
import platform
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

import keras
import numpy as np

from vae_explorer.config import NUM_CLASSES, TrainingConfig
from vae_explorer.errors import Cancelled
from vae_explorer.ml.data import DATASET_CHECKSUM, FashionMNIST
from vae_explorer.ml.model import CVAE
from vae_explorer.ml.progress import BatchMetrics, EpochMetrics
from vae_explorer.model_card import ModelCard, TrainingRecord
from vae_explorer.version import __version__

if TYPE_CHECKING:
    from vae_explorer.ml.inference import VAE
    from vae_explorer.ml.trainer import TrainingResult


def library_versions() -> dict[str, str]:
    import numpy
    import tensorflow

    return {
        "vae_explorer": __version__,
        "tensorflow": tensorflow.__version__,
        "keras": keras.__version__,
        "numpy": numpy.__version__,
        "python": platform.python_version(),
    }


def architecture_summary(model: CVAE) -> dict:
    lines: list[str] = []
    for part in (model.encoder, model.decoder):
        part.summary(print_fn=lambda line, *args, **kwargs: lines.append(line), line_length=90)
    cfg = model.config
    hidden = f"Dense {cfg.hidden_units} -> " * (cfg.hidden_layers if cfg.hidden_units else 0)
    return {
        "encoder": f"Conv2D {cfg.encoder_filters[0]} s2 -> Conv2D {cfg.encoder_filters[1]} s2 -> "
        + hidden
        + f"(mean, log variance) x {cfg.latent_dim}",
        "decoder": (f"Fourier features {cfg.fourier_features} (sin, cos of z.B; and z) -> " if cfg.fourier_features else "")
        + hidden
        + f"Dense 7x7x{cfg.decoder_filters[0]} -> Conv2DTranspose {cfg.decoder_filters[0]} s2 -> "
        f"Conv2DTranspose {cfg.decoder_filters[1]} s2 -> Conv2DTranspose 1 (logits)",
        "parameters": int(model.count_params()),
        "encoder_filters": list(cfg.encoder_filters),
        "decoder_filters": list(cfg.decoder_filters),
        "hidden_units": cfg.hidden_units,
        "hidden_layers": cfg.hidden_layers,
        "fourier_features": cfg.fourier_features,
        "conditional": cfg.conditional,
        **({"label": "one-hot, beside the encoder's and the decoder's first dense layers and, "
                     + ("by FiLM, at each decoder stage" if cfg.label_conditioning == "film"
                        else "as constant planes, before each transposed convolution"),
            "label_conditioning": cfg.label_conditioning, "class_penalty": cfg.class_penalty,
            **({"class_discrimination": cfg.class_discrimination} if cfg.class_discrimination else {})}
           if cfg.conditional else {}),
        "keras_summary": [line.rstrip() for line in lines if line.strip()],
    }


def new_card(model: CVAE, config: TrainingConfig | None) -> ModelCard:
    """The facts every card holds: the architecture, the libraries, the run's configuration."""
    return ModelCard(
        latent_dim=model.latent_dim,
        beta=model.beta,
        created=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        architecture=architecture_summary(model),
        versions=library_versions(),
        training=TrainingRecord(config=config),
    )


def checkpoint_card(model: CVAE, config: TrainingConfig, epochs_completed: int, history: list[EpochMetrics],
                    batches: list[BatchMetrics] = (), init_from: dict | None = None) -> ModelCard:
    """The card of a checkpoint: how far the run got (its epochs and their batches), so that it can resume."""
    wall = sum(e.wall_time_s for e in history)
    card = new_card(model, config)
    return replace(card, checkpoint=True, history=tuple(history), batches=tuple(batches),
                   training=replace(card.training, epochs_completed=epochs_completed, wall_time_s=wall,
                                    init_from=init_from))


def _rounded(values, digits: int) -> list:
    return [round(float(v), digits) for v in values]


def conditional_bounds(vae: "VAE", images: np.ndarray, labels: np.ndarray,
                       cancelled: Callable[[], bool] = lambda: False,
                       progress: Callable[[int], None] = lambda classes: None) -> dict[str, float]:
    """A conditional model's means over `images`, a noise draw per image: the -ELBO given the label
    (total_loss, ce_loss, kl_loss) and the label-free bound -log sum_y p(y) exp(-ELBO(x, y))."""
    from vae_explorer.ml.inference import label_free, negative_elbo

    # An image's draw is the same under every class.
    scores = vae.class_scores(images, own_draws=True, cancelled=cancelled, progress=progress)
    given = (np.arange(len(images)), labels)
    return {**{name: float(scores[name][given].mean()) for name in ("total_loss", "ce_loss", "kl_loss")},
            "label_free_total_loss": float(label_free(negative_elbo(scores)).mean())}


def scoring_passes(conditional: bool) -> int:
    """How many passes over the test set `scored_test_set` makes: two, a conditional model's under each class."""
    return 2 * NUM_CLASSES if conditional else 2


def scored_test_set(vae: "VAE", data: FashionMNIST, cancelled: Callable[[], bool] = lambda: False,
                    progress: Callable[[int, int], None] = lambda done, total: None) -> tuple[dict, dict, tuple[float, ...]]:
    """The card's test-set facts: mean test metrics, the encoded test set and the sorted anomaly reference.
    Scores the test set twice: with a noise draw per image for the means, with the shared one per image.
    `cancelled` is asked between the passes (and a conditional model's classes): `Cancelled` when it says so;
    `progress(done, total)` is told after each pass (`scoring_passes`)."""
    test, total = data.test_images, scoring_passes(vae.conditional)
    # The means take a noise draw per image (`evaluate`), as validation does. The anomaly reference is
    # the per-image scores with one draw shared by all, as an image is scored when a person drops it in.
    if vae.conditional:  # every class scored each way; each image's own class gives its scores and code
        from vae_explorer.ml.inference import label_free, negative_elbo

        labels, rows = data.test_labels, np.arange(len(test))
        bounds = conditional_bounds(vae, test, labels, cancelled, lambda classes: progress(classes, total))
        metrics = {name: round(value, 3) for name, value in bounds.items()}
        shared = vae.class_scores(test, cancelled=cancelled,
                                  progress=lambda classes: progress(NUM_CLASSES + classes, total))
        means = shared["mean"][rows, labels]
        losses = negative_elbo(shared)
        reference = label_free(losses)
        metrics["classification_accuracy"] = round(float(np.mean(losses.argmin(axis=1) == labels)), 4)  # as the app classifies
    else:
        Cancelled.check(cancelled, "scoring the test set")
        metrics = {name: round(value, 3) for name, value in vae.evaluate(test).items()}
        progress(1, total)
        Cancelled.check(cancelled, "scoring the test set")
        shared = vae.scores(test)  # the shared draw's pass has each image's code too
        progress(2, total)
        reference, means = shared["total_loss"], shared["mean"]
    latents = {"mean": [_rounded(row, 4) for row in means], "labels": [int(v) for v in data.test_labels]}
    return metrics, latents, tuple(_rounded(sorted(reference), 2))


def build_model_card(vae: "VAE", result: "TrainingResult", data: FashionMNIST, notes: str = "",
                     cancelled: Callable[[], bool] = lambda: False,
                     progress: Callable[[int, int], None] = lambda done, total: None) -> ModelCard:
    """Everything the card promises; scores the test set (`scored_test_set`: seconds, a minute or more for
    a conditional model)."""
    test_metrics, test_latents, test_total_losses = scored_test_set(vae, data, cancelled, progress)
    last = result.last_epoch
    training = TrainingRecord(
        config=result.config,
        status=result.status,
        precision=result.precision,
        epochs_completed=result.epochs_completed,
        batch_size=result.config.batch_size,
        seed=result.config.seed,
        n_train=len(data.train_images[: result.config.train_limit]),
        wall_time_s=round(result.wall_time_s, 1),
        message=result.message,
        init_from=result.init_from,
    )
    metrics = {
        "train": {
            "total_loss": last.total_loss if last else None,
            "ce_loss": last.ce_loss if last else None,
            "kl_loss": last.kl_loss if last else None,
            "note": "running mean over the last epoch, as trained",
        },
        "test": test_metrics,
        "units": "nats per image",
    }
    return replace(
        new_card(vae.model, result.config),
        training=training,
        metrics=metrics,
        history=tuple(result.history),
        dataset={"name": "Fashion-MNIST", "checksum": DATASET_CHECKSUM, "n_test": len(data.test_images)},
        test_latents=test_latents,
        test_total_losses=test_total_losses,
        notes=notes,
    )


def finish_run(result: "TrainingResult", data: FashionMNIST, notes: str = "",
               cancelled: Callable[[], bool] = lambda: False,
               progress: Callable[[int, int], None] = lambda done, total: None) -> "VAE":
    """A finished run (completed, stopped or diverged) as a ready model with its card: what the app
    shows in Explore and what `train` saves. Traces the compiled paths on the calling thread; raises
    `Cancelled` when `cancelled` says so between the test set's passes; `progress(done, total)` is told
    after each pass."""
    from vae_explorer.ml.inference import VAE

    Cancelled.check(cancelled, "scoring the test set")
    vae = VAE(result.model)
    vae.card = build_model_card(vae, result, data, notes, cancelled, progress)
    return vae
