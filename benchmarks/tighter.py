"""Training variants for a tighter latent-2 model (issue: close the amortization gap), each trained on the
full training set with the same schedule and measured the same way, one after another in this process.

    .venv/bin/python benchmarks/tighter.py [--epochs 15] [--learning-rate 0.003] [--exact-images 300]
        VARIANT [...]

VARIANT is one of
    base          the default model and optimizer
    ema:M         Adam keeps an exponential moving average of the weights (momentum M, e.g. 0.999);
                  the averaged weights are the model's at the end (Keras' `use_ema`)
    dropout:R     dropout at rate R on the encoder's dense layer (amortized-inference regularisation)
    noise:S       Gaussian noise of standard deviation S added to the encoder's input while training
    encoder:A/B   encoder convolution filters A, B (default 32/64)
    decoder:A/B   decoder transposed-convolution filters A, B (default 48/16)

Per variant: training seconds (summed over the run), test -ELBO as the mean of 8 noise draws over all
10,000 test images (the same estimator as docs/models.md's three-minute table), the same on the first
10,000 training images, and the exact -log p(x) by quadrature on the first --exact-images test images.
The encoder-side variants change only training: the saved architecture is the default one.
"""

from __future__ import annotations

import argparse
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np

DRAWS = 8


def mean_elbo(vae, images: np.ndarray) -> float:
    return float(np.mean([vae.evaluate(images, seed=s)["total_loss"] for s in range(DRAWS)]))


def patched_encoder(dropout: float, noise: float):
    """The package's encoder builder with a training-only layer added (dropout after the dense layer, or
    Gaussian noise on the input); neither has weights, so the trained model saves as the default one."""
    import keras
    from keras import layers

    from vae_explorer.config import IMAGE_SIZE
    from vae_explorer.ml import model as model_module

    def build_encoder(config):
        inputs = keras.Input(shape=(IMAGE_SIZE, IMAGE_SIZE, 1), name="image")
        x = layers.GaussianNoise(noise, name="input_noise")(inputs) if noise else inputs
        for i, filters in enumerate(config.encoder_filters):
            x = layers.Conv2D(filters, 3, strides=2, padding="same", activation="relu", name=f"conv{i + 1}")(x)
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(config.hidden_units, activation="relu", name="hidden")(x)
        if dropout:
            x = layers.Dropout(dropout, name="hidden_dropout")(x)
        mean = layers.Dense(config.latent_dim, name="z_mean")(x)
        logvar = layers.Dense(config.latent_dim, name="z_log_var")(x)
        return keras.Model(inputs, [mean, logvar], name="encoder")

    return model_module, build_encoder


def run(variant: str, args, data) -> dict:
    import keras

    from vae_explorer.config import ModelConfig, TrainingConfig
    from vae_explorer.ml import trainer as trainer_module
    from vae_explorer.ml.inference import VAE
    from vae_explorer.ml.trainer import Trainer

    name, _, value = variant.partition(":")
    model = ModelConfig()
    original_optimizer = trainer_module.make_optimizer
    model_module = original_encoder = None
    if name == "ema":
        def make_optimizer(config, steps_per_epoch):
            schedule = original_optimizer(config, steps_per_epoch)._learning_rate  # the schedule itself
            return keras.optimizers.Adam(learning_rate=schedule, use_ema=True, ema_momentum=float(value))
        trainer_module.make_optimizer = make_optimizer
    elif name in ("dropout", "noise"):
        model_module, build = patched_encoder(float(value) if name == "dropout" else 0.0,
                                              float(value) if name == "noise" else 0.0)
        original_encoder, model_module.build_encoder = model_module.build_encoder, build
    elif name in ("encoder", "decoder"):
        model = ModelConfig(**{f"{name}_filters": tuple(int(f) for f in value.split("/"))})
    elif name != "base":
        raise SystemExit(f"unknown variant {variant!r}")
    try:
        config = TrainingConfig(epochs=args.epochs, learning_rate=args.learning_rate, seed=0, model=model)
        started = time.perf_counter()
        result = Trainer(config, data, validation_limit=2000).run()
        took = time.perf_counter() - started
    finally:
        trainer_module.make_optimizer = original_optimizer
        if model_module is not None:
            model_module.build_encoder = original_encoder
    vae = VAE(result.model)
    test, train = data.test_images, data.train_images[:10_000]
    row = {"variant": variant, "epochs": args.epochs, "learning_rate": args.learning_rate,
           "training_s": round(sum(e.wall_time_s for e in result.history), 1), "run_s": round(took, 1),
           "test_elbo": round(mean_elbo(vae, test), 2), "train_elbo": round(mean_elbo(vae, train), 2)}
    if args.exact_images:
        exact = vae.log_likelihood(test[: args.exact_images])
        row["exact_images"] = args.exact_images
        row["test_exact"] = round(float(-np.mean(exact.log_px)), 2)
        row["test_elbo_same_images"] = round(mean_elbo(vae, test[: args.exact_images]), 2)
    if args.save_dir:
        from vae_explorer.ml.card import new_card
        from vae_explorer.ml.storage import save_model

        os.makedirs(args.save_dir, exist_ok=True)
        path = os.path.join(args.save_dir, f"{variant.replace(':', '-').replace('/', '-')}.keras")
        save_model(result.model, path, new_card(result.model, config))
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("variants", nargs="+")
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--learning-rate", type=float, default=0.003)
    parser.add_argument("--exact-images", type=int, default=300)
    parser.add_argument("--save-dir", help="save each trained model here (VARIANT.keras)")
    args = parser.parse_args()
    from vae_explorer.ml.data import load_fashion_mnist

    data = load_fashion_mnist(allow_download=False)
    for variant in args.variants:
        print(json.dumps(run(variant, args, data)), flush=True)


if __name__ == "__main__":
    main()
