"""tf.distribute: the strategy a run trains under, and whether it spans several worker processes."""

from __future__ import annotations

import tensorflow as tf

from vae_explorer.errors import ConfigError


def spans_several_workers(strategy=None) -> bool:
    """Whether a tf.distribute strategy (by default the current one) has replicas in other processes."""
    strategy = strategy or tf.distribute.get_strategy()
    if not isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy):
        return False
    return strategy.num_replicas_in_sync > len(strategy.extended.worker_devices)


def make_strategy(name: str) -> tf.distribute.Strategy:
    """The tf.distribute strategy a run trains under.

    default: TensorFlow's default (one device). mirrored: synchronous data parallelism over every GPU
    of this machine, or, without GPUs, over its logical CPU devices (one, unless configured with
    `tf.config.set_logical_device_configuration`). multiworker: synchronous over several machines,
    each running the same command with its own `TF_CONFIG` (see the README).
    """
    if name == "default":
        return tf.distribute.get_strategy()
    if name == "mirrored":
        if tf.config.list_logical_devices("GPU"):
            return tf.distribute.MirroredStrategy()
        return tf.distribute.MirroredStrategy(devices=[d.name for d in tf.config.list_logical_devices("CPU")])
    if name == "multiworker":
        return tf.distribute.MultiWorkerMirroredStrategy()  # TF_CONFIG: checked by TrainingConfig.validate
    raise ConfigError("unknown strategy {name!r}", name=name)
