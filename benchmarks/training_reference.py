"""One training run in this process, ours or the reference, reported as one JSON line (for suite.py).

    .venv/bin/python benchmarks/training_reference.py --which reference|reference-no-autotune|ours-same|ours-default
        [--epochs N] [--limit N] [--validation-limit N] [--stop-at LOSS] [--precision auto|float32|bfloat16]

reference:    the keras-io CVAE (keras-io examples/generative/vae.py, rewritten here, not imported):
              Conv2D 32/64 stride 2 -> Dense 16 -> latent 2; Dense 7x7x64 -> Conv2DTranspose 64/32
              stride 2 -> 1 with sigmoid; summed BCE + KL; Adam 1e-3; batch 128; `model.fit` on
              float32 NumPy arrays.
reference-no-autotune: the same, with tf.data's autotuning switched off in the dataset Keras builds from
              the NumPy arrays (a patch of Keras' array adapter, for this comparison only). On a 2-core
              AMD EPYC machine some of the reference's epochs ran at half speed (1,441-1,449 against
              2,300-2,900 img/s); with autotuning off none did (2026-11-25). Our trainer turns it off
              too (vae_explorer/ml/trainer.py), so this variant shows what the rest of our trainer adds.
ours-same:    our trainer (uint8 tf.data pipeline, logits-based loss, per-batch streaming, NaN guard,
              checkpoint-free) with the reference's architecture (hidden 16, decoder 64/32).
ours-default: our trainer, default model and schedule (what the app trains).
--precision applies to ours (default: auto, as the app; bfloat16 on CPUs with native bf16).

Per epoch: wall time of the training part, the test-set total_loss (validation set by
--validation-limit) and the time since training began (elapsed_s: training and scoring since the
model was built). --stop-at ends the run at the first epoch whose test total_loss is at most it.
Peak RSS of the process is reported at the end. Both sides run with TensorFlow's default threads.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np


def keras_io_architecture():
    """The reference's architecture built by our code (conv 32/64 -> dense 16 -> latent 2, transposed conv
    64/32 -> 1, z straight into the decoder): what "same architecture" means in every benchmark here."""
    from vae_explorer.config import ModelConfig

    return ModelConfig(hidden_units=16, decoder_filters=(64, 32), fourier_features=0)


def reference_run(images: np.ndarray, test: np.ndarray, epochs: int, stop_at: float | None) -> list[dict]:
    import keras
    import tensorflow as tf
    from keras import layers, ops

    class Sampling(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.seed_generator = keras.random.SeedGenerator(1337)

        def call(self, inputs):
            z_mean, z_log_var = inputs
            eps = keras.random.normal(shape=ops.shape(z_mean), seed=self.seed_generator)
            return z_mean + ops.exp(0.5 * z_log_var) * eps

    inputs = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(32, 3, activation="relu", strides=2, padding="same")(inputs)
    x = layers.Conv2D(64, 3, activation="relu", strides=2, padding="same")(x)
    x = layers.Flatten()(x)
    x = layers.Dense(16, activation="relu")(x)
    z_mean = layers.Dense(2)(x)
    z_log_var = layers.Dense(2)(x)
    encoder = keras.Model(inputs, [z_mean, z_log_var, Sampling()([z_mean, z_log_var])])
    latent = keras.Input(shape=(2,))
    x = layers.Dense(7 * 7 * 64, activation="relu")(latent)
    x = layers.Reshape((7, 7, 64))(x)
    x = layers.Conv2DTranspose(64, 3, activation="relu", strides=2, padding="same")(x)
    x = layers.Conv2DTranspose(32, 3, activation="relu", strides=2, padding="same")(x)
    decoder = keras.Model(latent, layers.Conv2DTranspose(1, 3, activation="sigmoid", padding="same")(x))

    class VAE(keras.Model):
        def __init__(self, encoder, decoder, **kwargs):
            super().__init__(**kwargs)
            self.encoder, self.decoder = encoder, decoder
            self.total_loss_tracker = keras.metrics.Mean(name="total_loss")

        @property
        def metrics(self):
            return [self.total_loss_tracker]

        def losses_of(self, data):
            z_mean, z_log_var, z = self.encoder(data)
            reconstruction = self.decoder(z)
            rec = ops.mean(ops.sum(keras.losses.binary_crossentropy(data, reconstruction), axis=(1, 2)))
            kl = -0.5 * (1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var))
            return rec + ops.mean(ops.sum(kl, axis=1))

        def train_step(self, data):
            with tf.GradientTape() as tape:
                total = self.losses_of(data)
            grads = tape.gradient(total, self.trainable_weights)
            self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
            self.total_loss_tracker.update_state(total)
            return {"total_loss": self.total_loss_tracker.result()}

        def test_step(self, data):
            if isinstance(data, tuple):
                data = data[0]
            self.total_loss_tracker.update_state(self.losses_of(data))
            return {"total_loss": self.total_loss_tracker.result()}

    keras.utils.set_random_seed(0)
    vae = VAE(encoder, decoder)
    vae.compile(optimizer=keras.optimizers.Adam(1e-3))
    x = np.expand_dims(images, -1).astype("float32") / 255
    x_test = np.expand_dims(test, -1).astype("float32") / 255
    rows: list[dict] = []
    started = time.perf_counter()
    for epoch in range(epochs):
        start = time.perf_counter()
        vae.fit(x, epochs=1, batch_size=128, verbose=0)
        train_s = time.perf_counter() - start
        val = float(vae.evaluate(x_test, batch_size=1000, verbose=0, return_dict=True)["total_loss"])
        rows.append({"epoch": epoch + 1, "train_s": train_s, "val_total_loss": val,
                     "elapsed_s": time.perf_counter() - started})
        if stop_at is not None and val <= stop_at:
            break
    return rows


def without_autotuning_in_keras_arrays() -> None:
    """Keras' NumPy-array input path, with tf.data's autotuning off (as in our trainer's pipeline)."""
    import tensorflow as tf
    from keras.src.trainers.data_adapters import array_data_adapter  # private: a benchmark-only patch

    build = array_data_adapter.ArrayDataAdapter.get_tf_dataset

    def get_tf_dataset(self):
        options = tf.data.Options()
        options.autotune.enabled = False
        return build(self).with_options(options)

    array_data_adapter.ArrayDataAdapter.get_tf_dataset = get_tf_dataset


def ours_run(which: str, epochs: int, limit: int | None, validation_limit: int | None,
             stop_at: float | None, precision: str) -> list[dict]:
    from vae_explorer.config import TrainingConfig
    from vae_explorer.ml.data import load_fashion_mnist
    from vae_explorer.ml.trainer import Trainer, TrainingControl, TrainingListener

    data = load_fashion_mnist()
    if which == "ours-same":
        config = TrainingConfig(epochs=epochs, batch_size=128, learning_rate=1e-3, final_learning_rate_fraction=1.0,
                                train_limit=limit, precision=precision,
                                model=keras_io_architecture())
    else:  # the default recipe: 50-epoch cosine schedule
        config = TrainingConfig(train_limit=limit, precision=precision)
    control = TrainingControl()
    rows: list[dict] = []

    class Epochs(TrainingListener):
        def __init__(self) -> None:
            self.batch_ms = 0.0

        def on_batch(self, m) -> None:
            self.batch_ms += m.training_time_ms

        def on_start(self, plan) -> None:
            self.started = time.perf_counter()

        def on_epoch(self, m) -> None:
            rows.append({"epoch": m.epoch + 1, "epoch_wall_s": m.wall_time_s, "val_total_loss": m.val_total_loss,
                         "elapsed_s": time.perf_counter() - self.started})
            if (stop_at is not None and m.val_total_loss <= stop_at) or len(rows) >= epochs:
                control.stop()

    listener = Epochs()
    trainer = Trainer(config, data, listener, control, validation_limit=validation_limit)
    started = time.perf_counter()
    trainer.run()
    total = time.perf_counter() - started
    # Training time per epoch: the epoch's wall time less its validation, measured the same way as
    # the reference's (fit without validation, then evaluate): run the evaluation alone once.
    from vae_explorer.ml.trainer import make_eval_dataset

    model = trainer.model_in_training
    t = time.perf_counter()
    model.evaluate(make_eval_dataset(trainer.validation_images), verbose=0)
    eval_s = time.perf_counter() - t
    for row in rows:
        row["train_s"] = max(0.0, row["epoch_wall_s"] - eval_s)
    rows.append({"total_wall_s": total, "precision": trainer.precision})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--which", choices=("reference", "reference-no-autotune", "ours-same", "ours-default"),
                        required=True)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--limit", type=int, default=None, help="training images (default all 60,000)")
    parser.add_argument("--validation-limit", type=int, default=None, help="test images scored per epoch")
    parser.add_argument("--stop-at", type=float, default=None)
    parser.add_argument("--precision", choices=("auto", "float32", "bfloat16"), default="auto")
    args = parser.parse_args()
    from vae_explorer.ml.data import load_fashion_mnist

    start = time.perf_counter()
    if args.which == "reference-no-autotune":
        without_autotuning_in_keras_arrays()
    if args.which.startswith("reference"):
        data = load_fashion_mnist()
        rows = reference_run(data.train_images[: args.limit], data.test_images[: args.validation_limit],
                             args.epochs, args.stop_at)
        rows.append({"total_wall_s": time.perf_counter() - start})
    else:
        rows = ours_run(args.which, args.epochs, args.limit, args.validation_limit, args.stop_at, args.precision)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"which": args.which, "epochs": rows[:-1], **rows[-1], "peak_rss_mib": peak_mib}))


if __name__ == "__main__":
    main()
