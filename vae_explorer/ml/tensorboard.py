"""TensorBoard logs of a run (`train --tensorboard DIR`), written with `tf.summary`, which needs the
`tensorboard` package (the `tensorboard` extra); view them with `tensorboard --logdir DIR`.

- `train/`: every batch's `total_loss`, `ce_loss`, `kl_loss` (that batch's own values) and `training_time`
  (ms); each epoch, fixed test images over their reconstructions and an 8x8 grid of prior samples;
  at the end, the encoded test images for the embedding projector (vectors, class names, a sprite).
- `validation/`: each epoch's validation `total_loss`, `ce_loss`, `kl_loss`, at the step it ended on,
  so the curves lie over the training ones.
"""

from __future__ import annotations

import time
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from vae_explorer.config import CLASS_NAMES, NUM_CLASSES
from vae_explorer.ml.images import save_png, tile
from vae_explorer.ml.model import reconstruction_preview

METRICS = ("total_loss", "ce_loss", "kl_loss")
SAMPLES_PER_SIDE = 8
PROJECTOR_TENSOR = "embedding/.ATTRIBUTES/VARIABLE_VALUE"  # the variable's name in a TF2 object checkpoint


def _scalar(value) -> float:
    return float(np.asarray(value, np.float64).reshape(-1)[0])  # a multi-worker run's logs are shape (1,)


class TensorBoardLogger(keras.callbacks.Callback):
    """A Keras callback for `Trainer(callbacks=[...])`. `images`/`labels`: the test images to reconstruct
    each epoch (the first `previews`) and to encode for the projector (all of them)."""

    def __init__(self, log_dir: Path | str, images: np.ndarray, labels: np.ndarray, conditional: bool,
                 previews: int = 8, seed: int = 0) -> None:
        super().__init__()
        self.log_dir = Path(log_dir)
        self.images, self.labels = np.asarray(images), np.asarray(labels, np.int32)
        self.conditional = conditional
        picks = [int(np.flatnonzero(self.labels == c)[0]) for c in range(NUM_CLASSES) if np.any(self.labels == c)]
        self.preview_index = np.asarray(picks[:previews])
        self.seed = seed
        self.step = 0
        self._batch_started = 0.0

    # --- writers ----------------------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        self.train_writer = tf.summary.create_file_writer(str(self.log_dir / "train"))
        self.validation_writer = tf.summary.create_file_writer(str(self.log_dir / "validation"))
        self.step = int(self.model.optimizer.iterations.numpy())  # a resumed run goes on from its step

    def on_train_batch_begin(self, batch, logs=None):
        self._batch_started = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        took_ms = 1000.0 * (time.perf_counter() - self._batch_started)
        self.step += 1
        logs = logs or {}
        with self.train_writer.as_default(step=self.step):
            for name in METRICS:
                if f"batch_{name}" in logs:
                    tf.summary.scalar(name, _scalar(logs[f"batch_{name}"]))
            tf.summary.scalar("training_time", took_ms, description="milliseconds for this batch")

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        with self.validation_writer.as_default(step=self.step):
            for name in METRICS:
                if f"val_{name}" in logs:
                    tf.summary.scalar(name, _scalar(logs[f"val_{name}"]))
        with self.train_writer.as_default(step=self.step):
            tf.summary.image("reconstructions", self._reconstructions()[None, ..., None], step=self.step,
                             description="test images (top) over their reconstructions (bottom)")
            tf.summary.image("samples", self._samples()[None, ..., None], step=self.step,
                             description="8x8 samples from the prior, the same points every epoch")
        self.train_writer.flush()
        self.validation_writer.flush()

    def on_train_end(self, logs=None):
        self.write_projector()
        self.train_writer.close()
        self.validation_writer.close()

    # --- pictures --------------------------------------------------------------------------------
    def _reconstructions(self) -> np.ndarray:
        images = self.images[self.preview_index]
        decoded = reconstruction_preview(self.model, images, self.labels[self.preview_index])
        return np.concatenate([tile(images / 255.0, len(images)), tile(decoded, len(decoded))]).astype(np.float32)

    def _samples(self) -> np.ndarray:
        n = SAMPLES_PER_SIDE**2
        z = np.random.default_rng(self.seed).standard_normal((n, self.model.latent_dim)).astype(np.float32)
        inputs = z
        if self.conditional:  # row r is class r mod 10
            rows = np.repeat(np.arange(SAMPLES_PER_SIDE) % NUM_CLASSES, SAMPLES_PER_SIDE)
            inputs = [z, np.eye(NUM_CLASSES, dtype=np.float32)[rows]]
        logits = np.asarray(self.model.decoder.predict_on_batch(inputs), np.float32)[..., 0]
        return tile(1.0 / (1.0 + np.exp(-logits)), SAMPLES_PER_SIDE).astype(np.float32)

    # --- the embedding projector -----------------------------------------------------------------------
    def write_projector(self) -> None:
        """The encoded images (latent means, under their class for a conditional model), their class names
        and a sprite, where TensorBoard's projector finds them (the `train` run)."""
        folder = self.log_dir / "train"
        x = self.images[..., None].astype(np.float32) / 255.0
        inputs = [x, np.eye(NUM_CLASSES, dtype=np.float32)[self.labels]] if self.conditional else x
        means = np.asarray(self.model.encoder.predict(inputs, batch_size=1000, verbose=0)[0], np.float32)
        tf.train.Checkpoint(embedding=tf.Variable(means)).write(str(folder / "embedding.ckpt"))
        (folder / "metadata.tsv").write_text("".join(f"{CLASS_NAMES[c]}\n" for c in self.labels), encoding="utf-8")
        side = int(np.ceil(np.sqrt(len(self.images))))
        padded = np.zeros((side * side, *self.images.shape[1:]), np.uint8)
        padded[: len(self.images)] = self.images
        save_png(tile(padded, side), folder / "sprite.png")
        h, w = self.images.shape[1:]
        (folder / "projector_config.pbtxt").write_text(
            'model_checkpoint_path: "embedding.ckpt"\n'
            "embeddings {\n"
            f'  tensor_name: "{PROJECTOR_TENSOR}"\n'
            '  metadata_path: "metadata.tsv"\n'
            f'  sprite {{\n    image_path: "sprite.png"\n    single_image_dim: {w}\n    single_image_dim: {h}\n  }}\n'
            "}\n",
            encoding="utf-8",
        )
