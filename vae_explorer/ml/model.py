"""The convolutional VAE, written the Keras 3 way (keras-io `examples/generative/vae.py`).

Custom `train_step`/`test_step` returning dicts, `keras.metrics.Mean` trackers, registered
serializable classes with `get_config`, so a `.keras` file loads with `safe_mode=True`.
"""

from __future__ import annotations

import logging

import keras
import numpy as np
from keras import layers, ops

from vae_explorer.config import IMAGE_SIZE, NUM_CLASSES, ModelConfig
from vae_explorer.ml.distribute import spans_several_workers

PACKAGE = "vae_explorer"
METRIC_NAMES = ("total_loss", "ce_loss", "kl_loss")
DISCRIMINATION_SHARE = 4  # the class-discrimination term scores 1/4 of each batch under all ten classes


class _OneTracePerModel(logging.Filter):
    """Drop TensorFlow's retracing warning for the functions every model compiles for itself.

    Its detector counts traces per Python function, so each new model's own first trace (a VAE's
    paths, Keras' predict function for the epoch previews) looked like retracing of one function and
    warned from the fifth model on. Each is traced once per model (fixed input signatures:
    `VAE.tracing_counts`); any other retracing still warns."""

    OWN = ("VAE.__init__.<locals>", "make_predict_function.<locals>")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return "triggered tf.function retracing" not in message or not any(own in message for own in self.OWN)


logging.getLogger("tensorflow").addFilter(_OneTracePerModel())


@keras.saving.register_keras_serializable(package=PACKAGE)
class Sampling(layers.Layer):
    """Reparametrization z = mean + sigma * eps, with its own seeded generator so runs are repeatable."""

    def __init__(self, seed: int = 0, **kwargs):
        super().__init__(**kwargs)
        self.seed = int(seed)
        self.seed_generator = keras.random.SeedGenerator(self.seed)

    def call(self, inputs):
        mean, logvar = (ops.cast(t, "float32") for t in inputs)  # float32 even under a mixed policy
        eps = keras.random.normal(ops.shape(mean), seed=self.seed_generator)
        return mean + ops.exp(0.5 * logvar) * eps

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}


@keras.saving.register_keras_serializable(package=PACKAGE)
class FourierFeatures(layers.Layer):
    """z -> [sin(zB), cos(zB), z] with B a fixed (non-trainable, saved) Gaussian matrix.

    Random Fourier features (Tancik et al., 2020) in front of the decoder's first dense layer let a
    two-dimensional code map to garments through more than a few ReLU pieces. Always computed in
    float32: under the mixed bfloat16 policy sin/cos of bf16 phases would lose their low bits.
    """

    def __init__(self, features: int = 128, stddev: float = 1.0, **kwargs):
        kwargs["dtype"] = "float32"
        super().__init__(**kwargs)
        self.features = int(features)
        self.stddev = float(stddev)

    def build(self, input_shape):
        self.frequencies = self.add_weight(
            shape=(int(input_shape[-1]), self.features),
            initializer=keras.initializers.RandomNormal(stddev=self.stddev),
            trainable=False,
            name="frequencies",
        )

    def call(self, z):
        z = ops.cast(z, "float32")
        phases = ops.matmul(z, self.frequencies)
        return ops.concatenate([ops.sin(phases), ops.cos(phases), z], axis=-1)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], 2 * self.features + int(input_shape[-1]))

    def get_config(self):
        return {**super().get_config(), "features": self.features, "stddev": self.stddev}


def reversed_gradient(x, weight: float):
    """x on the way forward; -weight times the gradient on the way back (Ganin & Lempitsky, 2015)."""
    return ops.stop_gradient((1.0 + weight) * x) - weight * x


def build_class_reader(latent_dim: int) -> keras.Model:
    """The small classifier a class penalty trains on the latent mean (its logits over the ten classes)."""
    code = keras.Input(shape=(latent_dim,), name="code")
    x = layers.Dense(128, activation="relu", name="reader_hidden1")(code)
    x = layers.Dense(128, activation="relu", name="reader_hidden2")(x)
    return keras.Model(code, layers.Dense(NUM_CLASSES, dtype="float32", name="reader_logits")(x), name="class_reader")


@ops.custom_gradient
def add_channel_bias(x, bias):
    """x + bias along the last axis, with the bias gradient summed accurately under bfloat16.

    TensorFlow's gradient of a bias add over several channels (BiasAddGrad) adds bfloat16 terms in
    bfloat16: a partial sum stops growing once it is ~256 times one term, so over the tens of thousands
    of outputs per channel of a batch the transposed convolutions' bias gradients came out nearly all
    short (tests/ml/test_model.py). This sum is within 1 % (docs/performance.md).
    """

    def grad(*args, upstream=None):
        if upstream is None:
            (upstream,) = args
        return upstream, ops.sum(upstream, axis=tuple(range(len(upstream.shape) - 1)))

    return ops.add(x, bias), grad


@keras.saving.register_keras_serializable(package=PACKAGE)
class Conv2DTranspose(layers.Conv2DTranspose):
    """Keras' Conv2DTranspose with an accurate bias gradient under bfloat16 (`add_channel_bias`).

    Keras names a layer's weights in a saved file after its class, so the class keeps Keras' name: models
    and checkpoints saved with Keras' layer load into this one unchanged (same weights, same outputs).
    """

    def call(self, inputs):
        if self.data_format != "channels_last":  # add_channel_bias adds along the last axis
            return super().call(inputs)
        outputs = ops.conv_transpose(
            inputs,
            self.kernel,
            strides=list(self.strides),
            padding=self.padding,
            output_padding=self.output_padding,
            dilation_rate=self.dilation_rate,
            data_format=self.data_format,
        )
        if self.use_bias:
            # A tensor, not the variable: a custom gradient reads no variables (the cast carries it back).
            outputs = add_channel_bias(outputs, ops.cast(self.bias, outputs.dtype))
        return outputs if self.activation is None else self.activation(outputs)


def to_float_images(images):
    """uint8 (N, 28, 28) or float -> float32 (N, 28, 28, 1) in [0, 1], done inside the graph."""
    if isinstance(images, (tuple, list)):  # (x, y, sample_weight) as Keras' batch helpers pass it
        images = images[0]
    if images.dtype == "uint8":
        images = ops.cast(images, "float32") / 255.0
    else:
        images = ops.cast(images, "float32")
    return ops.reshape(images, (-1, IMAGE_SIZE, IMAGE_SIZE, 1))


def split_batch(data, conditional: bool):
    """(float images, one-hot labels) from what Keras passes a step: images, or (images, labels).
    Labels are None for an unconditional model (whatever the batch holds)."""
    images, labels = (data[0], data[1] if len(data) > 1 else None) if isinstance(data, (tuple, list)) else (data, None)
    x = to_float_images(images)
    if not conditional:
        return x, None
    if labels is None:
        raise ValueError("a class-conditional model needs each image's label")
    return x, ops.one_hot(ops.cast(ops.reshape(labels, (-1,)), "int32"), NUM_CLASSES)


def bce_per_image(images, logits):
    """Summed binary cross-entropy of each image against the decoder's logits (stable: from logits)."""
    return ops.sum(ops.binary_crossentropy(images, logits, from_logits=True), axis=(1, 2, 3))


def kl_per_image(mean, logvar):
    """KL(q(z|x) || N(0, I)) of each image, in nats."""
    return -0.5 * ops.sum(1.0 + logvar - ops.square(mean) - ops.exp(logvar), axis=1)


def _hidden_names(config: ModelConfig) -> list[str]:
    """Names of the dense hidden layers; the first keeps the name models saved before there could be more."""
    if not config.hidden_units:
        return []
    return ["hidden"] + [f"hidden{i + 1}" for i in range(1, config.hidden_layers)]


def _label_beside(x, inputs, config: ModelConfig):
    """A conditional model's label: a second input, concatenated beside x. Returns (x, inputs, label)."""
    if not config.conditional:
        return x, inputs, None
    label = keras.Input(shape=(NUM_CLASSES,), name="label")
    return layers.Concatenate(name="with_label")([x, label]), [inputs, label], label


def build_encoder(config: ModelConfig) -> keras.Model:
    inputs = keras.Input(shape=(IMAGE_SIZE, IMAGE_SIZE, 1), name="image")
    x = inputs
    for i, filters in enumerate(config.encoder_filters):
        x = layers.Conv2D(filters, 3, strides=2, padding="same", activation="relu", name=f"conv{i + 1}")(x)
    x, inputs, _ = _label_beside(layers.Flatten(name="flatten")(x), inputs, config)
    for name in _hidden_names(config):
        x = layers.Dense(config.hidden_units, activation="relu", name=name)(x)
    mean = layers.Dense(config.latent_dim, name="z_mean")(x)
    logvar = layers.Dense(config.latent_dim, name="z_log_var")(x)
    return keras.Model(inputs, [mean, logvar], name="encoder")


def _film(x, label, channels: int, stage: int):
    """relu(x * (1 + scale(label)) + shift(label)), per channel: the class steers every convolution stage."""
    scale = layers.Reshape((1, 1, channels), name=f"film_scale_map{stage}")(
        layers.Dense(channels, name=f"film_scale{stage}")(label))
    shift = layers.Reshape((1, 1, channels), name=f"film_shift_map{stage}")(
        layers.Dense(channels, name=f"film_shift{stage}")(label))
    scaled = layers.Multiply(name=f"film_times{stage}")([x, scale])
    return layers.Activation("relu", name=f"film_relu{stage}")(layers.Add(name=f"film_add{stage}")([x, scaled, shift]))


def build_decoder(config: ModelConfig) -> keras.Model:
    inputs = keras.Input(shape=(config.latent_dim,), name="z")
    x = inputs
    if config.fourier_features:
        x = FourierFeatures(config.fourier_features, name="fourier")(x)
    x, inputs, label = _label_beside(x, inputs, config)
    for name in _hidden_names(config):
        x = layers.Dense(config.hidden_units, activation="relu", name=name)(x)
    film = config.conditional and config.label_conditioning == "film"
    relu = None if film else "relu"  # FiLM applies the activation after its scale and shift
    first = config.decoder_filters[0]
    x = layers.Dense(7 * 7 * first, activation=relu, name="project")(x)
    x = layers.Reshape((7, 7, first), name="reshape")(x)
    if film:
        x = _film(x, label, first, 0)
    for i, filters in enumerate(config.decoder_filters):
        if config.conditional and not film:
            # The label again as constant planes beside each stage's features: given only beside the dense
            # layer, the decoder half ignored it and the 2-D code carried the class (docs/models.md).
            planes = layers.Reshape((1, 1, NUM_CLASSES), name=f"label_pixel{i + 1}")(label)
            planes = layers.UpSampling2D(7 * 2**i, name=f"label_planes{i + 1}")(planes)
            x = layers.Concatenate(name=f"with_label{i + 2}")([x, planes])
        x = Conv2DTranspose(filters, 3, strides=2, padding="same", activation=relu, name=f"deconv{i + 1}")(x)
        if film:
            x = _film(x, label, filters, i + 1)
    logits = Conv2DTranspose(1, 3, padding="same", name="logits")(x)
    return keras.Model(inputs, logits, name="decoder")


@keras.saving.register_keras_serializable(package=PACKAGE)
class CVAE(keras.Model):
    """Conv encoder -> (mean, log variance) -> sample -> transposed-conv decoder -> logits.

    Loss per image = summed BCE + weight * KL, where the weight ramps linearly from 0 to beta over
    `kl_warmup_steps` optimizer steps. The reported `total_loss` always uses the full beta, so it is the
    objective the user asked for (the negative ELBO when beta = 1) and stays comparable across runs.
    """

    def __init__(
        self,
        latent_dim: int = 2,
        beta: float = 1.0,
        encoder_filters=(32, 64),
        decoder_filters=(48, 16),
        hidden_units: int = 512,
        hidden_layers: int = 1,
        fourier_features: int = 0,  # a saved config without the key is a model from before the option
        conditional: bool = False,
        class_penalty: float = 0.0,  # a saved config without the key is a model from before the penalty
        label_conditioning: str = "planes",  # ... or from before FiLM
        class_discrimination: float = 0.0,
        kl_warmup_steps: int = 0,
        seed: int = 0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.config = ModelConfig(
            latent_dim=int(latent_dim),
            beta=float(beta),
            encoder_filters=tuple(int(f) for f in encoder_filters),
            decoder_filters=tuple(int(f) for f in decoder_filters),
            hidden_units=int(hidden_units),
            hidden_layers=int(hidden_layers),
            fourier_features=int(fourier_features),
            conditional=bool(conditional),
            class_penalty=float(class_penalty) if conditional else 0.0,  # no class to push out otherwise
            label_conditioning=str(label_conditioning),
            class_discrimination=float(class_discrimination) if conditional else 0.0,
        )
        self.config.validate()
        self.conditional = self.config.conditional
        self.latent_dim = self.config.latent_dim
        self.beta = self.config.beta
        self.kl_warmup_steps = int(kl_warmup_steps)
        self.seed = int(seed)
        self.encoder = build_encoder(self.config)
        self.decoder = build_decoder(self.config)
        self.sampling = Sampling(seed=self.seed, name="sampling")
        # Trained beside the VAE, its reversed gradient pushes the class out of the code; unused after training.
        self.class_reader = build_class_reader(self.latent_dim) if self.config.class_penalty else None
        self.trackers = {name: keras.metrics.Mean(name=name) for name in METRIC_NAMES}

    def build(self, input_shape=None):
        """The encoder and decoder are functional models, built when they are created."""
        self.built = True

    @property
    def metrics(self):
        return list(self.trackers.values())

    def with_label(self, x, labels):
        """An encoder's or decoder's input: x alone, or [x, one-hot labels] for a conditional model."""
        return [x, labels] if self.conditional else x

    def call(self, inputs, training=False):
        """Reconstruction logits for a batch of images, or of (images, labels) for a conditional model
        (sampled z when training, the mean otherwise)."""
        images, labels = split_batch(inputs, self.conditional)
        mean, logvar = self.encoder(self.with_label(images, labels), training=training)
        z = self.sampling([mean, logvar]) if training else mean
        return self.decoder(self.with_label(z, labels), training=training)

    def losses_per_image(self, images, labels, training: bool):
        """(ce, kl) per image for a float image batch (and its one-hot labels), with a sampled z."""
        ce, kl, _ = self._forward(images, labels, training)
        return ce, kl

    def _forward(self, images, labels, training: bool):
        """(ce, kl, latent mean) per image, with a sampled z."""
        encoded = self.encoder(self.with_label(images, labels), training=training)
        mean, logvar = (ops.cast(t, "float32") for t in encoded)
        z = self.sampling([mean, logvar])
        logits = ops.cast(self.decoder(self.with_label(z, labels), training=training), "float32")  # loss in float32
        return bce_per_image(images, logits), kl_per_image(mean, logvar), mean

    def class_penalty_loss(self, mean, labels):
        """The class reader's cross-entropy on the codes: it learns to read the class, while the encoder,
        through the reversed gradient, learns codes it cannot read (the class penalty)."""
        logits = self.class_reader(reversed_gradient(mean, self.config.class_penalty), training=True)
        return ops.mean(keras.losses.categorical_crossentropy(labels, ops.cast(logits, "float32"), from_logits=True))

    def class_discrimination_loss(self, images, labels):
        """The generative classifier's cross-entropy, softmax over the classes of -ELBO(x, y), on the first
        quarter of the batch scored under every class. The encoder's q is held fixed for it, so it reaches
        the decoder only: a gain must come from p(x|y), not from poor q's under the wrong labels."""
        n = ops.maximum(ops.shape(images)[0] // DISCRIMINATION_SHARE, 1)
        x, y = images[:n], labels[:n]
        repeated = ops.repeat(x, NUM_CLASSES, axis=0)
        every = ops.tile(ops.eye(NUM_CLASSES, dtype=y.dtype), (n, 1))
        mean, logvar = (ops.stop_gradient(ops.cast(t, "float32")) for t in self.encoder([repeated, every], training=True))
        logits = ops.cast(self.decoder([self.sampling([mean, logvar]), every], training=True), "float32")
        scores = ops.reshape(bce_per_image(repeated, logits) + self.beta * kl_per_image(mean, logvar), (n, NUM_CLASSES))
        return ops.mean(keras.losses.categorical_crossentropy(ops.cast(y, "float32"), -scores, from_logits=True))

    def kl_weight(self):
        if self.kl_warmup_steps <= 0:
            return ops.convert_to_tensor(self.beta, "float32")
        step = ops.cast(self.optimizer.iterations, "float32") + 1.0
        return self.beta * ops.minimum(1.0, step / float(self.kl_warmup_steps))

    def _report(self, ce, kl):
        ce_mean, kl_mean = ops.mean(ce), ops.mean(kl)
        total_mean = ce_mean + self.beta * kl_mean
        batch = {"total_loss": total_mean, "ce_loss": ce_mean, "kl_loss": kl_mean}
        for name, value in batch.items():
            self.trackers[name].update_state(value, sample_weight=ops.shape(ce)[0])
        logs = {name: tracker.result() for name, tracker in self.trackers.items()}
        # Keras batch logs are running means; the raw values of this very batch travel beside them.
        logs.update({f"batch_{name}": value for name, value in batch.items()})
        if spans_several_workers():
            # Keras' fit averages each output over the workers along its first axis
            # (`reduce_per_replica` in keras/src/backend/tensorflow/trainer.py), which a scalar lacks:
            # without this every multi-worker run failed at its first step. Each comes back a scalar.
            logs = {name: ops.reshape(value, (1,)) for name, value in logs.items()}
        return logs

    def training_loss(self, images, labels):
        """What a training step minimises, with its parts: (loss, ce, kl, latent mean), ce and kl per image.
        Fine-tunes outside `fit` add their own terms to this, so the model's own loss is never half-copied."""
        ce, kl, mean = self._forward(images, labels, training=True)
        loss = ops.mean(ce) + self.kl_weight() * ops.mean(kl)
        if self.class_reader is not None:
            loss = loss + self.class_penalty_loss(mean, labels)
        if self.config.class_discrimination:
            loss = loss + self.config.class_discrimination * self.class_discrimination_loss(images, labels)
        return loss, ce, kl, mean

    def train_step(self, data):
        import tensorflow as tf  # the step is TensorFlow's: GradientTape is the backend's own API

        images, labels = split_batch(data, self.conditional)
        # Under a tf.distribute strategy each replica sees its share of the batch and Keras sums the
        # replicas' gradients: divide so the step is the mean over the whole batch, as on one device.
        replicas = tf.distribute.get_strategy().num_replicas_in_sync
        with tf.GradientTape() as tape:
            loss, ce, kl, _ = self.training_loss(images, labels)
            loss = loss / replicas
        grads = tape.gradient(loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        return self._report(ce, kl)

    def test_step(self, data):
        ce, kl = self.losses_per_image(*split_batch(data, self.conditional), training=False)
        return self._report(ce, kl)

    def get_config(self):
        return {
            **super().get_config(),
            "latent_dim": self.latent_dim,
            "beta": self.beta,
            "encoder_filters": list(self.config.encoder_filters),
            "decoder_filters": list(self.config.decoder_filters),
            "hidden_units": self.config.hidden_units,
            "hidden_layers": self.config.hidden_layers,
            "fourier_features": self.config.fourier_features,
            "conditional": self.conditional,
            "class_penalty": self.config.class_penalty,
            "label_conditioning": self.config.label_conditioning,
            "class_discrimination": self.config.class_discrimination,
            "kl_warmup_steps": self.kl_warmup_steps,
            "seed": self.seed,
        }


def build_cvae(config: ModelConfig, kl_warmup_steps: int = 0, seed: int = 0) -> CVAE:
    """A CVAE with its variables created, so it can be saved, summarised or decoded at once."""
    model = CVAE(
        latent_dim=config.latent_dim,
        beta=config.beta,
        encoder_filters=config.encoder_filters,
        decoder_filters=config.decoder_filters,
        hidden_units=config.hidden_units,
        hidden_layers=config.hidden_layers,
        fourier_features=config.fourier_features,
        conditional=config.conditional,
        class_penalty=config.class_penalty,
        label_conditioning=config.label_conditioning,
        class_discrimination=config.class_discrimination,
        kl_warmup_steps=kl_warmup_steps,
        seed=seed,
    )
    images = ops.zeros((1, IMAGE_SIZE, IMAGE_SIZE), dtype="uint8")
    model((images, ops.zeros((1,), dtype="int32")) if config.conditional else images)
    return model


def reconstruction_preview(model: CVAE, images, labels=None) -> np.ndarray:
    """Reconstructions (decoded latent means) of a few images as float arrays in [0, 1], for progress views.

    Through Keras' compiled predict function: an eager call holds the GIL for long stretches of Python,
    which the GUI thread feels as a stall; the compiled one is traced once and then releases it.
    """
    inputs = (np.asarray(images), np.asarray(labels, np.int32)) if model.conditional else np.asarray(images)
    logits = np.asarray(model.predict_on_batch(inputs), np.float32)  # bf16 under a mixed policy
    return 1.0 / (1.0 + np.exp(-logits[..., 0]))
