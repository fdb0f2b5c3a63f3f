"""Training without Qt: `Trainer.run()` drives `model.fit` and streams raw per-batch metrics to a listener.

Meant to run on a worker thread. Another thread steers it through `TrainingControl` (pause, resume,
stop), which takes effect within one batch. A Keras callback is the bridge: it reads the raw batch
values that the step returns beside Keras' running means, times each step, guards against
divergence, checkpoints every completed epoch and blocks while paused.
"""

from __future__ import annotations

import contextlib
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from vae_explorer.config import TrainingConfig
from vae_explorer.errors import ConfigError, ModelFileError, Text, TrainingError
from vae_explorer.hardware import cpu_has_native_bf16
from vae_explorer.ml.data import FashionMNIST
from vae_explorer.ml.distribute import make_strategy, spans_several_workers
from vae_explorer.ml.model import CVAE, METRIC_NAMES, build_cvae, to_float_images
from vae_explorer.ml.progress import (  # noqa: F401  (re-exported: the trainer's public vocabulary)
    BatchMetrics,
    EpochMetrics,
    TrainingControl,
    TrainingListener,
    TrainingPlan,
)


@dataclass
class TrainingResult:
    model: CVAE
    config: TrainingConfig
    status: str  # "completed", "stopped" or "diverged"
    epochs_completed: int
    history: list[EpochMetrics] = field(default_factory=list)
    wall_time_s: float = 0.0
    message: str = ""
    diverged_at: tuple[int, int] | None = None
    diverged_values: str = ""  # the metrics of the batch that diverged, "total_loss=nan, ..."
    precision: str = "float32"  # the arithmetic the run trained in (resolved, never "auto")
    init_from: dict | None = None  # a fine-tune's starting model (TrainingRecord.init_from)

    @property
    def last_epoch(self) -> EpochMetrics | None:
        return self.history[-1] if self.history else None


def _without_autotune(ds: tf.data.Dataset) -> tf.data.Dataset:
    """A fixed two-batch prefetch instead of tf.data's autotuning.

    With autotuning on, creating an epoch's iterator stalled for seconds in about half the epochs on a
    2-core CPU (docs/performance.md); with it off, never, and the steady-state step time is the same.
    The input here is an in-memory uint8 array: nothing to tune.
    """
    options = tf.data.Options()
    options.autotune.enabled = False
    return ds.prefetch(2).with_options(options)


def make_train_dataset(images: np.ndarray, batch_size: int, seed: int, labels: np.ndarray | None = None) -> tf.data.Dataset:
    """Shuffled uint8 batches (with their labels, for a conditional model); the cast to float happens
    inside the compiled step."""
    ds = tf.data.Dataset.from_tensor_slices(images if labels is None else (images, labels))
    ds = ds.shuffle(len(images), seed=seed, reshuffle_each_iteration=True)
    return _without_autotune(ds.batch(batch_size))


def make_eval_dataset(images: np.ndarray, batch_size: int = 1000, labels: np.ndarray | None = None) -> tf.data.Dataset:
    ds = tf.data.Dataset.from_tensor_slices(images if labels is None else (images, labels))
    return _without_autotune(ds.batch(batch_size))


def float_batches(*batch):
    """The images of a batch as floats, its labels (if any) as they are: for the multi-worker pipeline."""
    return to_float_images(batch[0]) if len(batch) == 1 else (to_float_images(batch[0]), *batch[1:])


def make_optimizer(config: TrainingConfig, steps_per_epoch: int) -> keras.optimizers.Optimizer:
    """Adam with cosine decay to `final_learning_rate_fraction` of the start over the whole run."""
    schedule = keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=config.learning_rate,
        decay_steps=max(1, config.epochs * steps_per_epoch),
        alpha=config.final_learning_rate_fraction,
    )
    return keras.optimizers.Adam(learning_rate=schedule)


def resolve_precision(name: str) -> str:
    """"auto" -> "bfloat16" on CPU-only machines with native bf16, else "float32"."""
    if name != "auto":
        return name
    if tf.config.list_logical_devices("GPU"):
        return "float32"  # not measured on GPUs: keep what every GPU runs well
    return "bfloat16" if cpu_has_native_bf16() else "float32"


@contextlib.contextmanager
def dtype_policy(precision: str):
    """Layers built inside use this precision. Keras keeps its policy per thread, so other threads
    (the GUI's, the explorer's workers) keep float32."""
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy("mixed_bfloat16" if precision == "bfloat16" else "float32")
    try:
        yield
    finally:
        keras.config.set_dtype_policy(previous)


def float32_copy(model: CVAE) -> CVAE:
    """The same weights in a model that computes in float32 (and has no optimizer), for inference and saving."""
    from vae_explorer.ml.storage import without_optimizer

    with dtype_policy("float32"):
        return without_optimizer(model)


class _Bridge(keras.callbacks.Callback):
    """Keras callback -> listener, control and checkpoints."""

    def __init__(self, trainer: "Trainer", plan: TrainingPlan) -> None:
        super().__init__()
        self.trainer = trainer
        self.plan = plan
        self.epoch = plan.initial_epoch
        self.steps_done = 0
        self.t_batch = 0.0
        self.t_epoch = 0.0
        # The weights each finite loss was computed with: `candidate` holds the weights after the
        # latest update (not yet evaluated); a finite loss on the next batch proves them `good`.
        self.good_weights: list | None = None
        self.candidate_weights: list | None = None
        self.diverged_at: tuple[int, int] | None = None
        self.diverged_value = ""
        self.history: list[EpochMetrics] = []
        self.batches: list[BatchMetrics] = []  # every batch of the completed epochs
        self.epoch_batches: list[BatchMetrics] = []  # the current epoch's, kept once it completes
        self.stopping = False  # a stop was requested (on any worker, when the run spans several)

    def stop_requested(self) -> bool:
        """The control's stop; when the run spans several workers, agreed among them.

        Each worker must leave the epoch at the same batch: one that stopped alone left the others
        waiting in a collective for a step it never ran, and the run failed on every worker (seen
        with SIGINT to one of two workers). So a worker's stop reaches all of them through one small
        all-reduce per batch, and once agreed no worker asks again.
        """
        if not self.stopping:
            local = self.trainer.control.stop_requested
            strategy = self.trainer.strategy
            if spans_several_workers(strategy):
                flags = strategy.experimental_distribute_values_from_function(
                    lambda context: tf.constant(1.0 if local else 0.0)
                )
                local = float(strategy.reduce(tf.distribute.ReduceOp.SUM, flags, axis=None)) > 0
            self.stopping = local
        return self.stopping

    def on_train_begin(self, logs=None):
        variables = self.model.trainable_variables
        # One compiled call per batch instead of one eager op per variable (the eager copies were a
        # measurable share of the step). A memcpy per variable, no NumPy.
        self._copy_weights = tf.function(lambda: [tf.identity(v) for v in variables])
        self.candidate_weights = self._copy_weights()

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch
        self.steps_done = 0
        self.epoch_batches = []
        self.t_epoch = time.perf_counter()

    def on_train_batch_begin(self, batch, logs=None):
        self.t_batch = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        logs = logs or {}
        values = [float(logs[f"batch_{name}"]) for name in METRIC_NAMES]
        elapsed_ms = (time.perf_counter() - self.t_batch) * 1000.0
        step = self.steps_done
        self.steps_done += 1
        model = self.model
        if not all(math.isfinite(v) for v in values):
            # This loss was computed with the candidate weights, so they are bad: go back to the
            # weights of the last finite loss (the initial ones if the very first loss failed).
            self.diverged_at = (self.epoch, step)
            self.diverged_value = ", ".join(f"{n}={v}" for n, v in zip(METRIC_NAMES, values))
            restore = self.good_weights if self.good_weights is not None else self.candidate_weights
            for variable, value in zip(model.trainable_variables, restore):
                variable.assign(value)
            model.stop_training = True
            return
        self.good_weights, self.candidate_weights = self.candidate_weights, self._copy_weights()
        metrics = BatchMetrics(
            epoch=self.epoch,
            step=step,
            global_step=self.epoch * self.plan.steps_per_epoch + step,
            total_loss=values[0],
            ce_loss=values[1],
            kl_loss=values[2],
            training_time_ms=elapsed_ms,
        )
        self.epoch_batches.append(metrics)
        self.trainer.listener.on_batch(metrics)
        self.trainer.control.wait_while_paused(self.trainer.listener.on_paused)
        if self.stop_requested():
            model.stop_training = True

    def epoch_complete(self) -> bool:
        """Every batch of the current epoch ran (and none diverged)."""
        return self.steps_done == self.plan.steps_per_epoch and self.diverged_at is None

    def on_test_batch_end(self, batch, logs=None):
        # A stop during the validation of a complete epoch waits for it, so that the epoch is kept.
        if self.diverged_at is not None or (not self.epoch_complete() and self.stop_requested()):
            self.model.stop_evaluating = True

    def on_epoch_end(self, epoch, logs=None):
        if self.stop_requested():
            self.model.stop_training = True  # also for a stop that came during validation: no next epoch
        if not self.epoch_complete():
            return  # a partial epoch is neither reported as done nor checkpointed
        logs = logs or {}
        metrics = EpochMetrics(
            epoch=epoch,
            total_loss=float(logs["total_loss"]),
            ce_loss=float(logs["ce_loss"]),
            kl_loss=float(logs["kl_loss"]),
            val_total_loss=float(logs.get("val_total_loss", math.nan)),
            val_ce_loss=float(logs.get("val_ce_loss", math.nan)),
            val_kl_loss=float(logs.get("val_kl_loss", math.nan)),
            wall_time_s=time.perf_counter() - self.t_epoch,
        )
        self.history.append(metrics)
        self.batches.extend(self.epoch_batches)
        self.trainer.checkpoint(self.model, epoch + 1, self.history, self.batches)
        self.trainer.listener.on_epoch(metrics)


class Trainer:
    """Trains a CVAE on Fashion-MNIST. Use from any thread; steer with `control` from another."""

    def __init__(
        self,
        config: TrainingConfig,
        data: FashionMNIST,
        listener: TrainingListener | None = None,
        control: TrainingControl | None = None,
        checkpoint_path: Path | str | None = None,
        validation_limit: int | None = None,
        callbacks: list[keras.callbacks.Callback] | None = None,
    ) -> None:
        self.config = config
        self.callbacks = list(callbacks or [])  # the user's Keras callbacks, called after the trainer's own
        self.data = data
        self.listener = listener or TrainingListener()
        self.control = control or TrainingControl()
        self.checkpoint_path = Path(checkpoint_path) if checkpoint_path else None
        self.validation_limit = validation_limit
        self._previous_history: list[EpochMetrics] = []
        self._previous_batches: list[BatchMetrics] = []
        self._previous_wall_time = 0.0
        self.model_in_training: CVAE | None = None  # for the training thread's own listeners
        self.init_from: dict | None = None  # set by a fine-tune, or read back from its checkpoint

    @property
    def train_images(self) -> np.ndarray:
        return self.data.train_images[: self.config.train_limit]

    @property
    def validation_images(self) -> np.ndarray:
        return self.data.test_images[: self.validation_limit]

    def steps_per_epoch(self) -> int:
        return math.ceil(len(self.train_images) / self.config.batch_size)

    def new_model(self) -> CVAE:
        keras.utils.set_random_seed(self.config.seed)
        warmup_steps = round(self.config.kl_warmup_epochs * self.steps_per_epoch())
        model = build_cvae(self.config.model, kl_warmup_steps=warmup_steps, seed=self.config.seed)
        model.compile(optimizer=make_optimizer(self.config, self.steps_per_epoch()))
        return model

    def run(self, resume_from: Path | str | None = None, init_from: Path | str | None = None) -> TrainingResult:
        """Train until the configured epochs are done, a stop is requested or the loss diverges.

        `resume_from` continues a checkpoint's run; `init_from` starts a new run (fresh optimizer and
        learning-rate schedule) from a saved model's weights: a fine-tune, say with another loss weight.
        """
        if resume_from is not None and init_from is not None:
            raise ConfigError("resume a checkpoint or start from a model's weights, not both")
        self.config.validate(n_train=len(self.train_images))
        self.strategy = make_strategy(self.config.strategy)
        self.precision = resolve_precision(self.config.precision)
        # Variables made in the strategy's scope are mirrored across its devices.
        with self.strategy.scope(), dtype_policy(self.precision):
            if resume_from is not None:
                model, initial_epoch = self._load_checkpoint(Path(resume_from))
            else:
                model, initial_epoch = self.new_model(), 0
                if init_from is not None:
                    self._start_from(Path(init_from), model)
        self.model_in_training = model
        plan = TrainingPlan(
            epochs=self.config.epochs,
            initial_epoch=initial_epoch,
            steps_per_epoch=self.steps_per_epoch(),
            n_train=len(self.train_images),
            n_validation=len(self.validation_images),
            batch_size=self.config.batch_size,
            precision=self.precision,
            history=tuple(self._previous_history),
            batches=tuple(self._previous_batches),
        )
        bridge = _Bridge(self, plan)
        bridge.history = list(self._previous_history)
        bridge.batches = list(self._previous_batches)
        self.listener.on_start(plan)
        started = time.perf_counter()
        if initial_epoch < self.config.epochs and not self.control.stop_requested:
            with self.strategy.scope():  # Keras distributes the batches and reduces the step's outputs
                try:
                    self._fit(model, bridge, initial_epoch)
                except tf.errors.OpError as exc:
                    if not spans_several_workers(self.strategy):
                        raise
                    raise TrainingError(self._lost_worker_message(exc, len(bridge.history))) from None
        wall = self._previous_wall_time + time.perf_counter() - started
        if self.precision != "float32":
            model = float32_copy(model)  # inference (the explorer, decode_point) stays float32
        return self._result(model, bridge, wall)

    def _fit(self, model: CVAE, bridge: _Bridge, initial_epoch: int) -> None:
        conditional = self.config.model.conditional
        train = make_train_dataset(self.train_images, self.config.batch_size, self.config.seed,
                                   self.data.train_labels[: self.config.train_limit] if conditional else None)
        validation = make_eval_dataset(self.validation_images,
                                       labels=self.data.test_labels[: self.validation_limit] if conditional else None)
        if spans_several_workers(self.strategy):
            # Keras' fit all-reduces the first batch over the workers to build the model, and
            # TensorFlow's collectives take no uint8: the pipeline casts there (the step's cast is then
            # a no-op); runs on one machine keep uint8, a quarter of the bytes.
            train, validation = train.map(float_batches), validation.map(float_batches)
        model.fit(
            train,
            validation_data=validation,
            epochs=self.config.epochs,
            initial_epoch=initial_epoch,
            callbacks=[bridge, *self.callbacks],
            shuffle=False,  # the dataset shuffles itself
            verbose=0,
        )

    def _lost_worker_message(self, exc: tf.errors.OpError, epochs_completed: int) -> Text:
        """What a worker says when another stopped answering: which one, and how to go on."""
        lines = [line.strip() for line in str(exc.message).splitlines() if line.strip()]
        cause = next((line.split("aborted by:")[-1].strip() for line in lines if "aborted by:" in line),
                     lines[-1] if lines else type(exc).__name__)
        tasks = [line for line in lines if line.startswith("/job:")][:4]
        cause = " ".join([cause, *tasks])
        if epochs_completed and self.checkpoint_path is not None:
            return Text("multi-worker training stopped: a collective operation failed, usually because another "
                        "worker stopped or cannot be reached (TensorFlow: {cause}). The last completed epoch "
                        "({epochs}) is in {path}: start the same command on every worker with --resume pointing "
                        "at its checkpoint.", cause=cause, epochs=epochs_completed, path=self.checkpoint_path)
        return Text("multi-worker training stopped: a collective operation failed, usually because another worker "
                    "stopped or cannot be reached (TensorFlow: {cause}). No epoch was completed; start the same "
                    "command on every worker again.", cause=cause)

    def _result(self, model: CVAE, bridge: _Bridge, wall: float) -> TrainingResult:
        done = len(bridge.history)
        if bridge.diverged_at is not None:
            epoch, step = bridge.diverged_at
            status, message = "diverged", (
                f"Training diverged at epoch {epoch + 1}, batch {step + 1} ({bridge.diverged_value}). "
                "The model keeps the last weights that gave a finite loss. "
                "Try a lower learning rate or a smaller beta."
            )
        elif done < self.config.epochs:
            status, message = "stopped", (
                f"Training stopped after {done} complete epoch(s) of {self.config.epochs}; "
                "the model holds the weights reached so far."
            )
        else:
            status, message = "completed", f"Training completed: {done} epoch{'' if done == 1 else 's'}."
        return TrainingResult(model, self.config, status, done, bridge.history, wall, message,
                              diverged_at=bridge.diverged_at, diverged_values=bridge.diverged_value,
                              precision=self.precision, init_from=self.init_from)

    def checkpoint(self, model: CVAE, epochs_completed: int, history: list[EpochMetrics],
                   batches: list[BatchMetrics] = ()) -> None:
        if self.checkpoint_path is None:
            return
        from vae_explorer.ml.card import checkpoint_card
        from vae_explorer.ml.storage import save_model

        try:
            card = checkpoint_card(model, self.config, epochs_completed, history, batches, self.init_from)
            save_model(model, self.checkpoint_path, card, include_optimizer=True)
        except ModelFileError as exc:  # a full disk must not end the run: the model is in memory
            self.listener.on_warning(Text(
                "Checkpoint after epoch {epoch} not written ({reason}). "
                "Training goes on; the previous checkpoint, if any, is unchanged.", epoch=epochs_completed, reason=exc.text,
            ))

    def _load_checkpoint(self, path: Path) -> tuple[CVAE, int]:
        from vae_explorer.ml.storage import load_checkpoint

        model, card = load_checkpoint(path)
        saved = card.training.config
        if saved.model != self.config.model:
            raise ConfigError(
                "the checkpoint {path} has architecture {saved}, which differs from the requested "
                "{requested}; resume with the same model settings", path=path, saved=saved.model,
                requested=self.config.model,
            )
        self._previous_history = list(card.history)
        self._previous_batches = list(card.batches)  # checkpoints written before they were kept have none
        self._previous_wall_time = float(card.training.wall_time_s)
        self.init_from = card.training.init_from
        return model, int(card.training.epochs_completed)

    def _start_from(self, path: Path, model: CVAE) -> None:
        """Give the new model the weights of the model saved at `path`, which must have its architecture
        (the loss weights may differ). A class reader the saved model lacks starts fresh."""
        from vae_explorer.ml.storage import file_sha256, load_cvae

        saved, card = load_cvae(path)
        differences = saved.config.architecture_differences(self.config.model)
        if differences:
            raise ConfigError("{path} has another architecture than the requested one ({differences}); "
                              "leave out the model settings to take the model's own", path=path,
                              differences="; ".join(differences))
        parts = [(model.encoder, saved.encoder), (model.decoder, saved.decoder)]
        if model.class_reader is not None and saved.class_reader is not None:
            parts.append((model.class_reader, saved.class_reader))
        for target, source in parts:
            target.set_weights(source.get_weights())
        self.init_from = {"file": path.name, "sha256": file_sha256(path),
                          "epochs_completed": card.training.epochs_completed if card else None}
