import json
import zipfile

import keras
import numpy as np
import pytest

from tests.helpers import TINY_MODEL
from vae_explorer.config import ModelConfig, TrainingConfig
from vae_explorer.errors import ModelFileError
from vae_explorer.ml.inference import VAE, load_vae
from vae_explorer.ml.model import CVAE, Conv2DTranspose, bce_per_image, build_cvae, build_decoder, kl_per_image
from vae_explorer.ml.storage import load_cvae, save_model
from vae_explorer.model_card import ModelCard, card_path


def test_bce_matches_hand_computation():
    rng = np.random.default_rng(0)
    targets = rng.uniform(size=(3, 28, 28, 1)).astype(np.float32)
    logits = rng.normal(scale=4, size=(3, 28, 28, 1)).astype(np.float32)
    p = 1 / (1 + np.exp(-logits.astype(np.float64)))
    expected = -(targets * np.log(p) + (1 - targets) * np.log(1 - p)).sum(axis=(1, 2, 3))
    np.testing.assert_allclose(np.asarray(bce_per_image(targets, logits)), expected, rtol=1e-4)


def test_bce_is_stable_for_extreme_logits():
    targets = np.ones((1, 28, 28, 1), np.float32)
    logits = np.full((1, 28, 28, 1), -200.0, np.float32)  # sigmoid underflows to 0 in float32
    value = float(np.asarray(bce_per_image(targets, logits))[0])
    assert np.isfinite(value) and value == pytest.approx(200.0 * 784, rel=1e-5)


def test_kl_matches_hand_computation():
    mean = np.array([[0.0, 0.0], [1.0, -2.0]], np.float32)
    logvar = np.array([[0.0, 0.0], [np.log(0.5), np.log(2.0)]], np.float32)
    var = np.exp(logvar.astype(np.float64))
    expected = 0.5 * (var + mean.astype(np.float64) ** 2 - 1 - np.log(var)).sum(axis=1)
    np.testing.assert_allclose(np.asarray(kl_per_image(mean, logvar)), expected, rtol=1e-5)
    assert expected[0] == 0.0


def test_step_returns_running_means_and_raw_batch_values(small_data):
    model = build_cvae(TINY_MODEL)
    model.compile(optimizer=keras.optimizers.Adam(1e-3))
    logs = model.train_on_batch(small_data.train_images[:32], return_dict=True)
    for name in ("total_loss", "ce_loss", "kl_loss"):
        assert np.isfinite(logs[name]) and np.isfinite(logs[f"batch_{name}"])
    assert logs["batch_total_loss"] == pytest.approx(logs["batch_ce_loss"] + logs["batch_kl_loss"], rel=1e-5)


def test_save_load_round_trip(tiny_trained):
    vae = load_vae(tiny_trained)
    z = np.array([[0.3, -1.2], [0.0, 0.0]], np.float32)
    model, card = load_cvae(tiny_trained)
    again = VAE(model, card, tiny_trained)
    np.testing.assert_allclose(vae.decode(z), again.decode(z), atol=1e-6)
    assert card.latent_dim == 2 and card.training.epochs_completed == 1
    means, labels = vae.test_latents()
    assert means.shape == (10000, 2) and labels.shape == (10000,)
    for key in ("architecture", "versions", "metrics", "dataset", "test_total_losses"):
        assert getattr(card, key), key


def test_single_point_decode_matches_batched_decode(tiny_trained):
    vae = load_vae(tiny_trained)
    z = np.array([0.7, -0.4], np.float32)
    np.testing.assert_allclose(vae.decode_point(z), vae.decode(z[None])[0], atol=1e-5)


def test_one_point_logits_take_the_shifted_planes_path_and_equal_the_decoder():
    """The latency path computes the logits layer its own way: same numbers as the layer, and a last
    layer it does not know (here with an activation) is called as it is."""
    import tensorflow as tf

    from vae_explorer.config import DEFAULT_MODEL_PATH
    from vae_explorer.ml.inference import one_point_logits

    shipped, _ = load_cvae(DEFAULT_MODEL_PATH)
    tiny = build_decoder(TINY_MODEL)
    inputs = keras.Input((2,))
    x = keras.layers.Reshape((7, 7, 4))(keras.layers.Dense(7 * 7 * 4)(inputs))
    other = keras.Model(inputs, Conv2DTranspose(1, 3, padding="same", activation="sigmoid")(x))
    rng = np.random.default_rng(0)
    for decoder, path in ((shipped.decoder, "logits"), (tiny, "logits"), (other, "<lambda>")):
        fn = one_point_logits(decoder)
        assert fn.__name__ == path
        compiled = tf.function(fn, jit_compile=True)
        for z in rng.normal(size=(5, 1, 2)).astype(np.float32):
            np.testing.assert_allclose(compiled(z), decoder(z, training=False), atol=2e-5)


def test_sample_same_seed_same_images(tiny_trained):
    vae = load_vae(tiny_trained)
    np.testing.assert_array_equal(vae.sample(16, seed=5), vae.sample(16, seed=5))
    assert not np.array_equal(vae.sample(16, seed=5), vae.sample(16, seed=6))


def test_a_sets_mean_takes_a_noise_draw_per_image_and_an_images_score_one_shared_draw(tiny_trained, fashion):
    """One draw shared by every image moved a test-set mean by nats (the shipped latent-8 model: 236.39-240.15
    over eight seeds; a draw per image: 238.02-238.08; benchmarks/noise_draws.py)."""
    vae = load_vae(tiny_trained)
    copies = np.repeat(fashion.test_images[:1], 64, axis=0)
    assert np.ptp(vae.elbo(copies)["total_loss"]) == 0, "an image's score does not depend on its place"
    assert np.ptp(vae.elbo(copies, own_draws=True)["total_loss"]) > 0, "each copy draws its own z"
    x = fashion.test_images[:1000]
    shared = [vae.elbo(x, seed=s)["total_loss"].mean() for s in range(6)]
    own = [vae.evaluate(x, seed=s)["total_loss"] for s in range(6)]
    assert np.std(own) < 0.3 * np.std(shared), (own, shared)
    assert vae.evaluate(x, seed=3) == vae.evaluate(x, seed=3), "the same seed, the same figures"


@pytest.mark.parametrize("call, message", [
    (lambda vae: vae.sample(-2), "number of samples"), (lambda vae: vae.sample(4, seed=-1), "seed must be"),
    (lambda vae: vae.sample(4, seed=2**31), "seed must be"), (lambda vae: vae.sample(4, temperature=float("nan")), "temperature"),
    (lambda vae: vae.sample(4, temperature=0), "temperature"), (lambda vae: vae.sample_labels(4, seed=-3), "seed must be"),
    (lambda vae: vae.elbo(np.zeros((2, 28, 28), np.uint8), seed=2**40), "seed must be")])
def test_sampling_settings_that_cannot_work_are_refused_with_a_clear_error(tiny_trained, call, message):
    from vae_explorer.errors import ConfigError

    with pytest.raises(ConfigError, match=message):
        call(load_vae(tiny_trained))
    assert issubclass(ConfigError, ValueError)


def test_save_is_atomic_when_the_write_fails(tiny_trained, tmp_path, monkeypatch):
    target = tmp_path / "m.keras"
    model, card = load_cvae(tiny_trained)
    save_model(model, target, card)
    before = target.read_bytes()

    def explode(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(CVAE, "save", explode)
    with pytest.raises(ModelFileError, match="No space left on device.*still in memory"):
        save_model(model, target, card)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.json", "m.keras"], "no temporary files left"
    load_cvae(target)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p, src: p.write_bytes(src.read_bytes()[: len(src.read_bytes()) // 2]), "not a Keras .keras file|corrupt"),
        (lambda p, src: p.write_bytes(b""), "empty"),
        (lambda p, src: zipfile.ZipFile(p, "w").writestr("hello.txt", "hi"), "not a Keras model"),
        (lambda p, src: p.write_text("just text"), "not a Keras .keras file"),
    ],
)
def test_bad_model_files_give_clear_errors(tmp_path, tiny_trained, make, message):
    path = tmp_path / "bad.keras"
    make(path, tiny_trained)
    with pytest.raises(ModelFileError, match=message):
        load_cvae(path)


def test_other_keras_models_and_lambda_layers_are_refused(tmp_path):
    inputs = keras.Input((2,))
    other = keras.Model(inputs, keras.layers.Dense(3)(inputs))
    other.save(tmp_path / "other.keras")
    with pytest.raises(ModelFileError, match="another kind"):
        load_cvae(tmp_path / "other.keras")
    marker = tmp_path / "executed"

    def leaves_a_mark(x):
        marker.touch()  # runs whenever this Lambda's code runs
        return x * 2

    lam = keras.Model(inputs, keras.layers.Lambda(leaves_a_mark)(inputs))
    assert marker.exists(), "building the model ran the function once"
    lam.save(tmp_path / "lambda.keras")
    marker.unlink()
    with pytest.raises(ModelFileError):
        load_cvae(tmp_path / "lambda.keras")
    assert not marker.exists(), "loading never ran the file's code"


def test_card_with_other_latent_dim_or_other_file_is_refused(tmp_path, tiny_trained):
    model, card = load_cvae(tiny_trained)
    path = tmp_path / "m.keras"
    save_model(model, path, card)
    data = json.loads(card_path(path).read_text())
    data["latent_dim"] = 5
    data.pop("model_file_sha256")
    card_path(path).write_text(json.dumps(data))
    with pytest.raises(ModelFileError, match="latent dimension 2 but its card says 5"):
        load_cvae(path)
    data["latent_dim"] = 2
    data["model_file_sha256"] = "0" * 64
    card_path(path).write_text(json.dumps(data))
    with pytest.raises(ModelFileError, match="checksum differs"):
        load_cvae(path)


def test_missing_card_still_loads(tmp_path, tiny_trained):
    model, card = load_cvae(tiny_trained)
    path = tmp_path / "m.keras"
    save_model(model, path, card)
    card_path(path).unlink()
    vae = load_vae(path)
    assert vae.card is None and vae.test_latents() is None


def test_extra_hidden_layers_round_trip(tmp_path):
    """`hidden_layers` adds dense layers on both sides and survives save/load (older files default to 1)."""
    config = ModelConfig(latent_dim=2, encoder_filters=(4, 4), decoder_filters=(4, 4), hidden_units=8, hidden_layers=3)
    model = build_cvae(config)
    dense = [layer.name for layer in model.decoder.layers if layer.name.startswith("hidden")]
    assert dense == ["hidden", "hidden2", "hidden3"]
    path = tmp_path / "deep.keras"
    save_model(model, path, ModelCard(latent_dim=2))
    loaded, _ = load_cvae(path)
    assert loaded.config.hidden_layers == 3
    z = np.zeros((1, 2), np.float32)
    np.testing.assert_allclose(loaded.decoder(z), model.decoder(z), atol=1e-6)


def test_fourier_features_feed_sin_cos_and_the_code_to_the_decoder_and_round_trip(tmp_path):
    """The decoder's first layer sees [sin(zB), cos(zB), z]; B is fixed, saved, and the same after loading."""
    config = ModelConfig(latent_dim=2, encoder_filters=(4, 4), decoder_filters=(4, 4), hidden_units=8, fourier_features=5)
    model = build_cvae(config)
    fourier = model.decoder.get_layer("fourier")
    assert not fourier.trainable_weights and fourier.frequencies.shape == (2, 5)
    frequencies = keras.ops.convert_to_numpy(fourier.frequencies)
    z = np.array([[0.5, -1.25], [2.0, 0.0]], np.float32)
    phases = z @ frequencies
    expected = np.concatenate([np.sin(phases), np.cos(phases), z], axis=1)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(fourier(z)), expected, rtol=1e-5, atol=1e-6)
    assert model.decoder.get_layer("hidden").kernel.shape == (2 * 5 + 2, 8)

    path = tmp_path / "fourier.keras"
    save_model(model, path, ModelCard(latent_dim=2))
    loaded, _ = load_cvae(path)
    assert loaded.config.fourier_features == 5
    np.testing.assert_allclose(keras.ops.convert_to_numpy(loaded.decoder.get_layer("fourier").frequencies), frequencies)
    np.testing.assert_allclose(loaded.decoder(z), model.decoder(z), atol=1e-6)


def test_configs_saved_before_fourier_features_existed_mean_none():
    """Models and checkpoints written before the option lack its key: they are z-alone decoders."""
    model = build_cvae(ModelConfig(latent_dim=2, encoder_filters=(4, 4), decoder_filters=(4, 4), hidden_units=8, fourier_features=0))
    old_config = model.get_config()
    old_config.pop("fourier_features")
    rebuilt = CVAE.from_config(old_config)
    assert rebuilt.config.fourier_features == 0
    assert "fourier" not in [layer.name for layer in rebuilt.decoder.layers]
    old_training = TrainingConfig().to_dict()
    old_training["model"].pop("fourier_features")
    assert TrainingConfig.from_dict(old_training).model.fourier_features == 0
    assert TrainingConfig.from_dict(TrainingConfig().to_dict()).model.fourier_features == ModelConfig().fourier_features > 0


@pytest.mark.parametrize("size, filters", [(14, 48), (28, 16)])
def test_transposed_convolution_bias_gradient_is_accurate_in_bfloat16(size, filters):
    """The default decoder's two stride-2 layers: 25,088 and 100,352 terms per channel in a batch of 128.

    Keras' own layer, whose gradient is TensorFlow's BiasAddGrad, is 95 and 99 % short here (bfloat16 sums).
    """
    import tensorflow as tf

    x = tf.random.stateless_normal((128, size // 2, size // 2, 8), seed=(1, 2))
    upstream = 0.3 + tf.random.stateless_uniform((128, size, size, filters), seed=(3, 4))  # one sign: sums grow
    layer = Conv2DTranspose(filters, 3, strides=2, padding="same", activation="relu", dtype="mixed_bfloat16")
    layer.build(x.shape)
    layer.bias.assign(np.full(filters, 10.0, np.float32))  # every output positive: ReLU passes all gradients

    @tf.function
    def output_and_bias_gradient():
        with tf.GradientTape() as tape:
            y = layer(x)
            loss = tf.reduce_sum(tf.cast(y, "float32") * upstream)
        return y, tape.gradient(loss, layer.bias)

    y, gradient = output_and_bias_gradient()
    exact = np.sum(np.asarray(tf.cast(tf.cast(upstream, "bfloat16"), "float64")), axis=(0, 1, 2))
    np.testing.assert_allclose(np.asarray(gradient), exact, rtol=0.01)
    stock = keras.layers.Conv2DTranspose(filters, 3, strides=2, padding="same", activation="relu", dtype="mixed_bfloat16")
    stock.build(x.shape)
    stock.set_weights(layer.get_weights())
    np.testing.assert_array_equal(np.asarray(tf.cast(stock(x), "float32")), np.asarray(tf.cast(y, "float32")))
    decoder = build_decoder(ModelConfig())
    assert all(isinstance(decoder.get_layer(name), Conv2DTranspose) for name in ("deconv1", "deconv2", "logits"))


def test_transposed_convolution_channels_first_matches_keras():
    """The accurate bias add is along the last axis; channels-first layers keep Keras' own."""
    x = np.random.default_rng(0).random((2, 3, 7, 7), np.float32)
    layer = Conv2DTranspose(4, 3, strides=2, padding="same", data_format="channels_first")
    layer.build(x.shape)
    layer.bias.assign(np.arange(1.0, 5.0, dtype=np.float32))
    stock = keras.layers.Conv2DTranspose(4, 3, strides=2, padding="same", data_format="channels_first")
    stock.build(x.shape)
    stock.set_weights(layer.get_weights())
    import tensorflow as tf

    def output_and_bias_gradient(conv):
        with tf.GradientTape() as tape:
            y = conv(x)
            loss = tf.reduce_sum(y * tf.range(14.0))  # weights along the last axis, which is not the channels
        return np.asarray(y), np.asarray(tape.gradient(loss, conv.bias))

    try:
        expected = output_and_bias_gradient(stock)
    except tf.errors.InvalidArgumentError as error:
        if "only supports NHWC" not in str(error):
            raise
        pytest.skip("Keras' own channels-first Conv2DTranspose does not run here: TensorFlow's CPU kernel "
                    "without oneDNN supports NHWC only (seen on an AVX2-only AMD EPYC)")
    for ours, keras_own in zip(output_and_bias_gradient(layer), expected):
        np.testing.assert_allclose(ours, keras_own, rtol=1e-5, atol=1e-5)


def test_the_same_pixels_get_the_same_score_wherever_they_are_in_the_batch(tiny_trained, fashion):
    """A pasted image and the same image opened from a file, or added twice, score the same."""
    vae = load_vae(tiny_trained)
    images = fashion.test_images[:6]
    alone = [vae.analyse(image[None]) for image in images]
    together = vae.analyse(images)
    shuffled = vae.analyse(images[::-1])
    for i, a in enumerate(alone):
        for key in ("total_loss", "ce_loss", "kl_loss"):
            assert together[key][i] == pytest.approx(a[key][0], rel=1e-5)
            assert shuffled[key][len(images) - 1 - i] == pytest.approx(a[key][0], rel=1e-5)
        assert together["anomaly_percentile"][i] == pytest.approx(a["anomaly_percentile"][0])


def test_loading_and_training_many_models_traces_each_path_once_per_model_without_warnings(tiny_trained, caplog):
    """TensorFlow's tracing detector counts per Python function, so every new model's paths looked like
    retracing of one function and warned from the fifth model on (File > Open, runs, previews)."""
    import logging

    from vae_explorer.ml.model import reconstruction_preview

    caplog.set_level(logging.WARNING, logger="tensorflow")
    for _ in range(6):
        vae = load_vae(tiny_trained)
        vae.decode_point(np.zeros(2, np.float32))
        vae.decode(np.zeros((3, 2), np.float32))
        vae.sample(4)
        reconstruction_preview(vae.model, np.zeros((2, 28, 28), np.uint8))
        assert set(vae.tracing_counts().values()) == {1}, "each compiled path is traced once per model"
    assert [r.getMessage() for r in caplog.records if "retracing" in r.getMessage()] == []
