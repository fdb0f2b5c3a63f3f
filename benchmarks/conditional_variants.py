"""Remedies for a conditional model whose decoder ignores the label or whose code holds the class: train
each variant on the full training set and measure it as `conditional.py` does, on a smaller scale.

    .venv/bin/python benchmarks/conditional_variants.py EPOCHS PLACEMENT:PENALTY[:DISCRIMINATION][,NAME=VALUE...] [...]

PLACEMENT is film or planes (`--label-conditioning`), PENALTY the class penalty's weight
(`--class-penalty`), DISCRIMINATION the classifier's cross-entropy weight (`--class-discrimination`,
default 0), e.g. `3 planes:0 film:0 planes:10 film:10 film:10:5`. Any other `ModelConfig` setting follows
after commas, a tuple's numbers joined by "/": `film:10,latent_dim=4`, `film:10,decoder_filters=64/16`.

One line per variant: test -ELBO given the label and label-free (2,000 test images),
generative-classifier accuracy, class-swap success of samples and transfers as judged by the
independent CNNs and the same judges on reconstructions (no swap), the class read back from the code by
an MLP (20,000 training codes; chance is 10 %) and the re-encode distance. Seed 0; other settings the
defaults (latent 2).
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import fields
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import conditional  # noqa: E402  (this folder's benchmark)


def variant(spec: str):
    """The `ModelConfig` a command-line variant names (see the module docstring)."""
    from vae_explorer.config import ModelConfig

    head, *settings = spec.split(",")
    placement, penalty, *discrimination = head.split(":")
    kinds = {f.name: type(f.default) for f in fields(ModelConfig)}
    extra = {}
    for setting in settings:
        name, _, value = setting.partition("=")
        if name not in kinds:
            sys.exit(f"unknown setting {name!r} in {spec!r}; ModelConfig has {', '.join(kinds)}")
        kind = kinds[name]
        extra[name] = (tuple(int(v) for v in value.split("/")) if kind is tuple
                       else value.lower() in ("1", "true") if kind is bool else kind(value))
    config = ModelConfig(conditional=True, label_conditioning=placement, class_penalty=float(penalty),
                         class_discrimination=float(discrimination[0]) if discrimination else 0.0, **extra)
    config.validate()
    return config


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    from vae_explorer.config import TrainingConfig
    from vae_explorer.ml.data import load_fashion_mnist
    from vae_explorer.ml.inference import VAE
    from vae_explorer.ml.trainer import Trainer

    epochs = int(sys.argv[1])
    data = load_fashion_mnist(allow_download=False)
    cnns = conditional.judges(data)
    models = {spec: variant(spec) for spec in sys.argv[2:]}  # every spec checked before the first trains
    for spec, model in models.items():
        started = time.perf_counter()
        result = Trainer(TrainingConfig(epochs=epochs, seed=0, model=model), data, validation_limit=2000).run()
        took = time.perf_counter() - started
        m = conditional.measure(VAE(result.model), data, cnns, n_test=2000, n_train_codes=20_000,
                                samples_per_class=200, latency_repeats=0)
        print(f"{spec} {epochs} epochs, {took:.0f} s: -ELBO|y {m['elbo_given_label']:.2f} (ce "
              f"{m['ce_given_label']:.2f}, kl {m['kl_given_label']:.2f}), label-free "
              f"{m['label_free']:.2f}, accuracy {100 * m['classification_accuracy']:.1f} %, swaps: samples "
              f"{100 * m['sample_success']:.1f} %, transfers {100 * m['transfer_success']:.1f} %, reconstructions "
              f"{100 * m['reconstruction_success']:.1f} %, class from the "
              f"code {100 * m['code_probe_accuracy']:.1f} %, re-encode {m['reencode_distance_median']:.3f}",
              flush=True)


if __name__ == "__main__":
    main()
