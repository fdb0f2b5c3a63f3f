import dataclasses
import math
import threading
import time

import numpy as np
import pytest

from vae_explorer.errors import ConfigError
from vae_explorer.ml.trainer import Trainer, TrainingControl, TrainingListener


class Recorder(TrainingListener):
    def __init__(self, on_batch=None):
        self.batches, self.epochs, self.plan, self.times = [], [], None, []
        self._hook = on_batch

    def on_start(self, plan):
        self.plan = plan

    def on_batch(self, m):
        self.batches.append(m)
        self.times.append(time.perf_counter())
        if self._hook:
            self._hook(m)

    def on_epoch(self, m):
        self.epochs.append(m)


def test_streams_raw_metrics_for_every_batch_and_validation_per_epoch(small_data, tiny_config):
    rec = Recorder()
    result = Trainer(tiny_config, small_data, rec).run()
    assert result.status == "completed" and result.epochs_completed == 2
    assert len(rec.batches) == 2 * 5 and rec.plan.steps_per_epoch == 5
    assert [b.global_step for b in rec.batches] == list(range(10))
    for b in rec.batches:
        assert b.training_time_ms > 0 and math.isfinite(b.total_loss)
        assert b.total_loss == pytest.approx(b.ce_loss + b.kl_loss, rel=1e-4)
    # raw values: the epoch's running mean is the mean of the raw batch values (weighted by batch size)
    first = rec.batches[:5]
    sizes = [64] * 5
    assert rec.epochs[0].total_loss == pytest.approx(np.average([b.total_loss for b in first], weights=sizes), rel=1e-4)
    assert all(math.isfinite(e.val_total_loss) for e in rec.epochs)


def test_stop_takes_effect_within_one_batch_and_keeps_a_usable_model(small_data, tiny_config):
    control = TrainingControl()
    rec = Recorder(on_batch=lambda m: control.stop() if m.global_step == 2 else None)
    result = Trainer(tiny_config, small_data, rec, control).run()
    assert result.status == "stopped" and len(rec.batches) == 3 and result.epochs_completed == 0
    z = result.model.decoder(np.zeros((1, 2), np.float32))
    assert np.isfinite(np.asarray(z)).all()


class StopAfterBatch(TrainingControl):
    """A stop that arrives once batch `at_step` has been reported: `during_validation` makes the trainer
    see it only after that batch's own check, while the epoch's validation runs."""

    def __init__(self, at_step: int, during_validation: bool):
        super().__init__()
        self.at_step, self.during_validation, self.checks_left = at_step, during_validation, None

    def on_batch(self, m):
        if m.global_step == self.at_step:
            self.checks_left = 1 if self.during_validation else 0

    @property
    def stop_requested(self) -> bool:
        if self.checks_left is None:
            return False
        if self.checks_left > 0:
            self.checks_left -= 1
            return False
        return True


@pytest.mark.parametrize("during_validation", [False, True])
def test_a_stop_in_an_epochs_last_batch_or_its_validation_keeps_that_epoch(small_data, tiny_config, during_validation):
    config = dataclasses.replace(tiny_config, epochs=3)
    control = StopAfterBatch(at_step=4, during_validation=during_validation)  # the last of epoch 1's 5 batches
    rec = Recorder(on_batch=control.on_batch)
    result = Trainer(config, small_data, rec, control).run()
    assert result.status == "stopped" and result.epochs_completed == 1
    assert [b.global_step for b in rec.batches] == list(range(5)), "no batch of the next epoch ran"
    assert len(rec.epochs) == 1 and math.isfinite(rec.epochs[0].val_total_loss), "the epoch kept its validation"
    assert "after 1 complete epoch" in result.message


def _run_paused(config, data, at_step: int, then: str, after_s: float):
    """A run paused after batch `at_step`; another thread calls `control.<then>()` `after_s` later."""
    control = TrainingControl()

    def pause(m):
        if m.global_step == at_step:
            control.pause()
            threading.Timer(after_s, getattr(control, then)).start()

    rec = Recorder(on_batch=pause)
    return Trainer(config, data, rec, control).run(), rec


def test_pause_blocks_until_resume_from_another_thread(small_data, tiny_config):
    _, rec = _run_paused(dataclasses.replace(tiny_config, epochs=1), small_data, at_step=1, then="resume", after_s=0.6)
    gaps = np.diff(rec.times)
    assert gaps[1] >= 0.55 and len(rec.batches) == 5
    assert rec.batches[2].training_time_ms < 550, "paused time is not counted as batch time"


def test_stop_while_paused(small_data, tiny_config):
    result, rec = _run_paused(tiny_config, small_data, at_step=0, then="stop", after_s=0.2)
    assert result.status == "stopped" and len(rec.batches) == 1


class WeightRecorder(Recorder):
    """Also copies the weights at the start and after every batch: weights[0] are the initial ones,
    weights[k + 1] those after global batch k (the ones batch k + 1's loss is computed with)."""

    def __init__(self, trainer_holder, on_batch=None):
        super().__init__(on_batch)
        self.holder = trainer_holder
        self.weights = []

    def _copy(self):
        return [v.numpy().copy() for v in self.holder["trainer"].model_in_training.trainable_variables]

    def on_start(self, plan):
        super().on_start(plan)
        self.weights.append(self._copy())

    def on_batch(self, m):
        self.weights.append(self._copy())
        super().on_batch(m)


def assert_last_good_weights(result, rec):
    """The loss of the diverged batch d was computed with weights[d]: bad. The last finite loss (batch
    d - 1) was computed with weights[d - 1]: those are the ones the model must hold."""
    epoch, step = result.diverged_at
    d = epoch * rec.plan.steps_per_epoch + step
    for now, good in zip(result.model.trainable_variables, rec.weights[max(d - 1, 0)]):
        np.testing.assert_array_equal(now.numpy(), good)


def test_divergence_stops_reports_the_batch_and_keeps_last_good_weights(small_data, tiny_config):
    holder = {}

    def poison(m):
        if m.global_step == 2:  # corrupt the weights: the next batch's loss is NaN
            kernel = holder["trainer"].model_in_training.trainable_variables[-1]  # the logits bias
            kernel.assign(np.full(kernel.shape, np.nan, np.float32))

    rec = WeightRecorder(holder, on_batch=poison)
    trainer = holder["trainer"] = Trainer(tiny_config, small_data, rec)
    result = trainer.run()
    assert result.status == "diverged" and result.diverged_at == (0, 3)
    assert "epoch 1, batch 4" in result.message and "lower learning rate" in result.message
    assert_last_good_weights(result, rec)


def test_learning_rate_10_diverges_and_keeps_the_last_good_weights(small_data, tiny_config):
    """A real divergence, nothing injected: Adam at learning rate 10 blows the log variance up."""
    from vae_explorer.ml.inference import VAE

    holder = {}
    rec = WeightRecorder(holder)
    config = dataclasses.replace(tiny_config, learning_rate=10.0, epochs=5)
    trainer = holder["trainer"] = Trainer(config, small_data, rec)
    result = trainer.run()
    assert result.status == "diverged", result.message
    epoch, step = result.diverged_at
    assert len(rec.batches) == epoch * rec.plan.steps_per_epoch + step, "stopped at the first non-finite loss"
    assert all(math.isfinite(b.total_loss) for b in rec.batches), "only finite losses were streamed"
    assert f"epoch {epoch + 1}, batch {step + 1}" in result.message and "lower learning rate" in result.message
    assert_last_good_weights(result, rec)
    scores = VAE(result.model).evaluate(small_data.test_images[:100])
    assert all(math.isfinite(v) for v in scores.values()), scores


def test_checkpoint_every_epoch_and_resume(small_data, tiny_config, tmp_path):
    ckpt = tmp_path / "run.checkpoint.keras"
    control = TrainingControl()
    rec = Recorder(on_batch=lambda m: control.stop() if m.global_step == 7 else None)
    config = dataclasses.replace(tiny_config, epochs=3)
    stopped = Trainer(config, small_data, rec, control, checkpoint_path=ckpt).run()
    assert stopped.status == "stopped" and stopped.epochs_completed == 1 and ckpt.exists()
    rec2 = Recorder()
    resumed = Trainer(config, small_data, rec2, checkpoint_path=ckpt).run(resume_from=ckpt)
    assert resumed.status == "completed" and resumed.epochs_completed == 3
    assert rec2.plan.initial_epoch == 1 and rec2.batches[0].global_step == 5
    assert len(rec2.batches) == 10
    assert rec.plan.history == () and rec2.plan.history == tuple(stopped.history), \
        "the plan hands a resumed run's earlier epochs to the listener"
    assert [m.global_step for m in rec2.plan.batches] == list(range(5)), "and the batches of those epochs"
    assert [m.total_loss for m in rec2.plan.batches] == pytest.approx([m.total_loss for m in rec.batches[:5]], abs=1e-4)


def test_same_seed_same_losses(small_data, tiny_config):
    runs = []
    for _ in range(2):
        rec = Recorder()
        Trainer(dataclasses.replace(tiny_config, epochs=1), small_data, rec).run()
        runs.append([b.total_loss for b in rec.batches])
    np.testing.assert_allclose(runs[0], runs[1], rtol=1e-5)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"epochs": 0}, "epochs"),
        ({"batch_size": -1}, "batch size"),
        ({"batch_size": 1000}, "larger than the 320 training images"),
        ({"learning_rate": float("nan")}, "learning rate"),
        ({"learning_rate": -1.0}, "learning rate"),
        ({"learning_rate": float("inf")}, "learning rate"),
        ({"learning_rate": 11.0}, "learning rate"),
    ],
)
def test_bad_hyper_parameters_are_refused_before_training(small_data, tiny_config, change, message):
    with pytest.raises(ConfigError, match=message):
        Trainer(dataclasses.replace(tiny_config, **change), small_data).run()


@pytest.mark.parametrize(
    "change, message", [({"latent_dim": 0}, "latent dimension"), ({"latent_dim": 1000}, "latent dimension"), ({"beta": float("nan")}, "beta"), ({"beta": -1.0}, "beta"),
     ({"fourier_features": -1}, "Fourier features"), ({"fourier_features": 1.5}, "Fourier features")]
)
def test_bad_model_settings_are_refused(small_data, tiny_config, change, message):
    config = dataclasses.replace(tiny_config, model=dataclasses.replace(tiny_config.model, **change))
    with pytest.raises(ConfigError, match=message):
        Trainer(config, small_data).run()


MIRRORED_SCRIPT = """
import json
import tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
from tests.helpers import TINY_MODEL
from vae_explorer.config import TrainingConfig
from vae_explorer.ml.data import load_fashion_mnist
from vae_explorer.ml.trainer import Trainer, TrainingListener
data = load_fashion_mnist().subset(n_train=640)
class Losses(TrainingListener):
    def __init__(self):
        self.values = []
    def on_batch(self, m):
        self.values.append(m.total_loss)
out = {}
for strategy in ("default", "mirrored"):
    losses = Losses()
    trainer = Trainer(TrainingConfig(epochs=2, batch_size=64, seed=3, strategy=strategy, model=TINY_MODEL),
                      data, losses, validation_limit=256)
    result = trainer.run()
    out[strategy] = {"replicas": trainer.strategy.num_replicas_in_sync, "losses": losses.values,
                     "val": result.last_epoch.val_total_loss, "status": result.status}
print(json.dumps(out))
"""


def test_mirrored_over_two_logical_cpus_follows_the_single_device_run(fashion):
    """Two logical CPU devices need a fresh process: they must be configured before TensorFlow starts."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    out = subprocess.run([sys.executable, "-c", MIRRORED_SCRIPT], capture_output=True, text=True, timeout=300,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0, out.stderr[-3000:]
    runs = json.loads(out.stdout.strip().splitlines()[-1])
    one, two = runs["default"], runs["mirrored"]
    assert (one["replicas"], two["replicas"]) == (1, 2) and two["status"] == "completed"
    assert len(one["losses"]) == len(two["losses"]) == 20
    # Same weights and data order; only each replica's sampling noise differs.
    assert two["losses"][0] == pytest.approx(one["losses"][0], rel=0.005)
    for epoch in range(2):
        a, b = one["losses"][10 * epoch : 10 * epoch + 10], two["losses"][10 * epoch : 10 * epoch + 10]
        assert np.mean(b) == pytest.approx(np.mean(a), rel=0.015)
    assert two["val"] == pytest.approx(one["val"], rel=0.015)


def test_bfloat16_trains_mixed_hands_back_float32_and_resumes(small_data, tiny_config, tmp_path):
    import keras

    from vae_explorer.ml.storage import load_cvae

    ckpt = tmp_path / "run.checkpoint.keras"
    config = dataclasses.replace(tiny_config, precision="bfloat16", epochs=1)
    trainer = Trainer(config, small_data, checkpoint_path=ckpt)
    result = trainer.run()
    assert result.status == "completed" and trainer.precision == "bfloat16"
    assert trainer.model_in_training.decoder.get_layer("logits").dtype_policy.name == "mixed_bfloat16"
    assert {layer.dtype_policy.name for layer in result.model.decoder.layers} == {"float32"}
    assert keras.config.dtype_policy().name == "float32", "the policy is this thread's, and restored"
    for trained, handed in zip(trainer.model_in_training.get_weights(), result.model.get_weights()):
        np.testing.assert_array_equal(trained, handed)
    loaded, _ = load_cvae(ckpt)
    assert {layer.dtype_policy.name for layer in loaded.decoder.layers} == {"float32"}
    resumed = Trainer(dataclasses.replace(config, epochs=2), small_data, checkpoint_path=ckpt).run(resume_from=ckpt)
    assert resumed.status == "completed" and resumed.epochs_completed == 2
    assert resumed.history[-1].val_total_loss < 700


def test_auto_precision_follows_the_cpu():
    from vae_explorer.hardware import cpu_has_native_bf16
    from vae_explorer.ml.trainer import resolve_precision

    assert resolve_precision("auto") == ("bfloat16" if cpu_has_native_bf16() else "float32")
    assert resolve_precision("float32") == "float32"


def test_the_trainer_calls_the_users_keras_callbacks(small_data, tiny_config):
    import dataclasses

    import keras

    from vae_explorer.ml.trainer import Trainer

    class Counting(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.batches, self.epochs = 0, []

        def on_train_batch_end(self, batch, logs=None):
            self.batches += 1

        def on_epoch_end(self, epoch, logs=None):
            self.epochs.append({"val_total_loss", "val_ce_loss", "val_kl_loss"} <= set(logs))

    counting = Counting()
    config = dataclasses.replace(tiny_config, epochs=2)
    trainer = Trainer(config, small_data, callbacks=[counting])
    result = trainer.run()
    assert result.status == "completed"
    assert counting.batches == 2 * trainer.steps_per_epoch()
    assert counting.epochs == [True, True], "each epoch's validation losses reach the callback"


def test_init_from_starts_a_new_run_from_a_saved_models_weights(small_data, tiny_config, tiny_trained, tmp_path):
    """A fine-tune: the saved weights, a fresh optimizer from epoch 0, a loss weight changed, the source
    named in the result and carried through a checkpoint and its resumed run."""
    from vae_explorer.ml.storage import file_sha256, load_cvae

    saved, _ = load_cvae(tiny_trained)
    config = dataclasses.replace(tiny_config, epochs=2, learning_rate=1e-9,
                                 model=dataclasses.replace(tiny_config.model, beta=2.0))
    ckpt = tmp_path / "fine.checkpoint.keras"
    control = TrainingControl()
    rec = Recorder(on_batch=lambda m: control.stop() if m.global_step == 6 else None)
    result = Trainer(config, small_data, rec, control, checkpoint_path=ckpt).run(init_from=tiny_trained)
    assert rec.plan.initial_epoch == 0 and result.epochs_completed == 1
    for part in ("encoder", "decoder"):
        for got, want in zip(getattr(result.model, part).get_weights(), getattr(saved, part).get_weights()):
            np.testing.assert_allclose(got, want, atol=1e-5)
    assert result.model.beta == 2.0
    source = {"file": "tiny.keras", "sha256": file_sha256(tiny_trained), "epochs_completed": 1}
    assert result.init_from == source
    resumed = Trainer(config, small_data, checkpoint_path=ckpt).run(resume_from=ckpt)
    assert resumed.epochs_completed == 2 and resumed.init_from == source


def test_init_from_refuses_another_architecture_and_a_resume_too(small_data, tiny_config, tiny_trained):
    wider = dataclasses.replace(tiny_config, model=dataclasses.replace(tiny_config.model, hidden_units=64))
    with pytest.raises(ConfigError, match="hidden_units: 32 vs 64"):
        Trainer(wider, small_data).run(init_from=tiny_trained)
    with pytest.raises(ConfigError, match="not both"):
        Trainer(tiny_config, small_data).run(resume_from=tiny_trained, init_from=tiny_trained)
