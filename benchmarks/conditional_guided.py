"""A remedy probe for the class swaps: fine-tune a conditional model's decoder with a CNN's guidance.

    .venv/bin/python benchmarks/conditional_guided.py --weight 20 [--steps 1000] [--learning-rate 2e-4] [--save PATH]

The swaps miss their target when a style code decoded as another class draws an in-between garment that
the judges read as something else. Here a fourth small CNN, the guide (the judges' recipe with seed 3,
trained on the training images alone, so independent of judges 0-2 that score the result), reads swapped
images during fine-tuning: each step is the model's own loss (summed BCE + KL, its class penalty and
class discrimination, 128 training images) plus `--weight` times the guide's cross-entropy of the decoded
means as their target class, for 64 prior samples and 64 training images' codes (encoded under their own
label), each decoded under a random class. The term reaches the decoder only; the guide is frozen. The
learning rate decays along a cosine to a tenth. Then `conditional.py`'s figures on 2,000 test images (200
samples per class, 20,000 training codes) with judges 0-2. `--save PATH` writes the fine-tuned model with
its own card (its test-set figures, the model it began from, the recipe and this command); the benchmarks
(`conditional.py`, `likelihood.py`, `--record-in-card`) add theirs to it.

`--other-judges` also reads the swaps of both models, before and after, with judges of other kinds (softmax
on the pixels, an MLP, a CNN trained on blurred images: docs/models.md), against features only this CNN
recipe sees; `--figure PNG` draws one test image per class, its code decoded as every class, the model
before above the model after.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402

import conditional  # noqa: E402  (this folder's benchmark)

GUIDE_SEED = 3  # not one of conditional.JUDGE_SEEDS: the guide never scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="models/cvae-fashion-conditional-latent2.keras")
    parser.add_argument("--weight", type=float, default=20.0)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--learning-rate", type=float, default=2e-4)
    parser.add_argument("--save", help="save the fine-tuned model here, with its own card")
    parser.add_argument("--other-judges", action="store_true", help="also judges of other kinds, before and after")
    parser.add_argument("--figure", help="PNG: the same codes decoded as every class, before and after")
    args = parser.parse_args()
    import keras
    import tensorflow as tf

    import vae_explorer
    from vae_explorer.config import NUM_CLASSES
    from vae_explorer.ml.data import load_fashion_mnist
    from vae_explorer.ml.inference import VAE
    from vae_explorer.ml.model import to_float_images
    from vae_explorer.ml.storage import file_sha256

    data = load_fashion_mnist(allow_download=False)
    assert GUIDE_SEED not in conditional.JUDGE_SEEDS
    guide = conditional.independent_classifier(
        data, conditional.CLASSIFIER_CACHE / f"fashion-cnn-judge-early-stopped-seed{GUIDE_SEED}.keras", seed=GUIDE_SEED)
    guide.trainable = False
    cnns = conditional.judges(data)
    guide_accuracy = float(np.mean(conditional.predicted(guide, data.test_images / 255.0) == data.test_labels))
    print(f"guide (seed {GUIDE_SEED}) test accuracy {100 * guide_accuracy:.2f} %", flush=True)
    shipped = vae_explorer.load_model(args.model)
    args.model_sha256 = file_sha256(args.model)  # before --save may replace that very file
    model = shipped.model
    d = shipped.latent_dim
    schedule = keras.optimizers.schedules.CosineDecay(args.learning_rate, max(args.steps, 1), alpha=0.1)
    optimizer = keras.optimizers.Adam(schedule)
    half = 64

    @tf.function
    def step(images, labels, targets, seed):
        x, y = to_float_images(images), tf.one_hot(labels, NUM_CLASSES)
        with tf.GradientTape() as tape:
            loss, ce, kl, mean = model.training_loss(x, y)  # the whole of it: a term left out costs accuracy
            elbo = tf.reduce_mean(ce) + tf.reduce_mean(kl)
            prior = tf.random.stateless_normal([half, d], seed=tf.stack([seed, 0]))
            z = tf.concat([prior, tf.stop_gradient(tf.cast(mean[:half], tf.float32))], axis=0)
            logits = tf.cast(model.decoder([z, tf.one_hot(targets, NUM_CLASSES)], training=True), tf.float32)
            read = guide(tf.reshape(tf.sigmoid(logits), [-1, 28, 28, 1]), training=False)
            guided = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(targets, read))
            loss = loss + args.weight * guided
        grads = tape.gradient(loss, model.trainable_weights)
        optimizer.apply_gradients(zip(grads, model.trainable_weights))
        hits = tf.reduce_mean(tf.cast(tf.argmax(read, 1, output_type=tf.int32) == targets, tf.float32))
        return elbo, guided, hits

    def guided_step(images, labels, rng, s):
        return step(images, labels, rng.integers(0, NUM_CLASSES, 2 * half).astype(np.int32), tf.constant(s))

    started = time.perf_counter()
    logs = conditional.fine_tune(guided_step, data, args.steps,
                                 lambda means: f"training -ELBO {means[0]:.2f}, guide cross-entropy {means[1]:.3f}, "
                                               f"guide reads the swaps as their class {100 * means[2]:.1f} %")
    seconds = time.perf_counter() - started
    after = VAE(model)  # one set of compiled functions for every figure below
    if args.save:
        from vae_explorer.ml.storage import save_model

        save_model(model, args.save, guided_card(shipped, after, data, args, seconds, logs))
        print(f"saved {args.save} with a new card (its test-set figures; benchmarks fill the rest)", flush=True)
    if args.other_judges or args.figure:
        before = vae_explorer.load_model(args.model)
        if args.other_judges:
            other_judges(data, {"before": before, "after": after})
        if args.figure:
            figure(data, [before, after], Path(args.figure))
    print(f"weight {args.weight}, {args.steps} steps, learning rate {args.learning_rate}: "
          f"{conditional.probe_figures(after, data, cnns)}")


def guided_card(shipped, after, data, args, seconds: float, logs: np.ndarray):
    """The fine-tuned model's own card: its test-set figures and encoded test set, and how it was made (the
    model it began from, the recipe, the command). Benchmarks add their figures to it afterwards."""
    from dataclasses import replace

    from vae_explorer.ml.card import new_card, scored_test_set
    from vae_explorer.model_card import TrainingRecord

    before = shipped.card
    test_metrics, test_latents, test_total_losses = scored_test_set(after, data)
    recipe = (f"its decoder fine-tuned for {args.steps} steps (128 training images each) with a guide CNN's "
              f"cross-entropy on swapped decodes, weight {args.weight:g}, learning rate {args.learning_rate:g}")
    command = (f"python benchmarks/conditional_guided.py --model {args.model} --weight {args.weight:g} "
               f"--steps {args.steps} --learning-rate {args.learning_rate:g} --save {args.save}")
    epochs = round(args.steps * 128 / len(data.train_images))
    config = replace(before.training.config, epochs=epochs, batch_size=128, learning_rate=args.learning_rate,
                     final_learning_rate_fraction=0.1, seed=0, precision="float32")  # this run's, as trained
    training = TrainingRecord(
        config=config, status="completed", precision="float32", batch_size=128, seed=0,  # steps, not epochs: no history
        n_train=len(data.train_images), wall_time_s=round(seconds, 1), message=f"Completed: {recipe}.",
        init_from={"file": Path(args.model).name, "sha256": args.model_sha256,
                   "epochs_completed": before.training.epochs_completed})
    metrics = {"train": {"total_loss": round(float(logs[-200:, 0].mean()), 3),
                         "note": "mean -ELBO of the fine-tune's last 200 steps, as trained"},
               "test": test_metrics, "units": "nats per image"}
    return replace(new_card(after.model, config), training=training, metrics=metrics,
                   dataset=before.dataset, test_latents=test_latents, test_total_losses=test_total_losses,
                   notes=f"{before.notes.rstrip('.')}; then {recipe}: `{command}`.")


def dense_judge(data, hidden: list[int], seed: int = 0):
    """A judge without convolutions: softmax on the pixels (no hidden layer) or an MLP, trained and
    early-stopped as the CNN judges are."""
    import keras
    from keras import layers

    keras.utils.set_random_seed(seed)
    judge = keras.Sequential([keras.Input((28, 28, 1)), layers.Flatten()]
                             + [layers.Dense(h, activation="relu") for h in hidden] + [layers.Dense(10)])
    judge.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    x, y, held = data.train_images[..., None] / 255.0, data.train_labels, 5000
    stop = keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=3, restore_best_weights=True)
    judge.fit(x[:-held], y[:-held], batch_size=128, epochs=30, verbose=0, callbacks=[stop],
              validation_data=(x[-held:], y[-held:]))
    return judge


def other_judges(data, models: dict, n: int = 2000) -> None:
    judges = {"softmax on the pixels": dense_judge(data, []), "MLP 256-256": dense_judge(data, [256, 256]),
              "CNN trained on blurred images (0-1.5 px)": conditional.judges(data, seeds=(0,), blur_max=1.5)[0],
              "CNN judge seed 0": conditional.judges(data, seeds=(0,))[0]}
    for name, judge in judges.items():
        accuracy = np.mean(conditional.predicted(judge, data.test_images / 255.0) == data.test_labels)
        print(f"{name}: test accuracy {100 * accuracy:.1f} %", flush=True)
    x, y = data.test_images[:n], data.test_labels[:n].astype(np.int32)
    for model_name, vae in models.items():
        codes, _ = vae.encode(x, y)
        for name, judge in judges.items():
            swaps = np.mean([np.mean(conditional.predicted(judge, vae.decode(codes[y != k], k)) == k) for k in range(10)])
            samples = np.mean([np.mean(conditional.predicted(judge, vae.sample(200, seed=k, labels=k)) == k)
                               for k in range(10)])
            print(f"{model_name:6s} | {name:40s} | samples {100 * samples:5.1f} % | transfers {100 * swaps:5.1f} %",
                  flush=True)


def figure(data, models: list, path: Path, scale: int = 3) -> None:
    from vae_explorer.ml.images import save_png

    rows = []
    for k in range(10):
        i = int(np.flatnonzero(data.test_labels == k)[1])
        x, y = data.test_images[i : i + 1], data.test_labels[i : i + 1].astype(np.int32)
        for vae in models:
            code, _ = vae.encode(x, y)
            tiles = vae.decode(np.repeat(code, 10, axis=0), np.arange(10))
            rows.append(np.concatenate([x[0] / 255.0, np.ones((28, 4))] + list(tiles), axis=1))
        rows.append(np.ones((4, rows[-1].shape[1])))
    picture = np.concatenate(rows[:-1], axis=0)
    save_png(np.kron(picture, np.ones((scale, scale))), path)
    print(f"figure {path}", flush=True)


if __name__ == "__main__":
    main()
